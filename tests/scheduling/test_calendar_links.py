"""The front desk finds the calendar from the pages it works on: the request board and the
list of appointments (the calendar is not a model, so the dashboard's list of pages cannot
name it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from staff.roles import CLINIC_MANAGER, FRONT_DESK, THERAPIST
from tests.intake.staff import client_for

pytestmark = pytest.mark.django_db

CALENDAR = "admin:scheduling_appointment_calendar"


@pytest.mark.parametrize("role", [FRONT_DESK, CLINIC_MANAGER])
def test_the_request_board_links_to_the_calendar(role: str) -> None:
    page = client_for(role).get(reverse("admin:intake_appointmentrequest_changelist"))
    assert page.status_code == 200
    assert f'href="{reverse(CALENDAR)}"' in page.content.decode()


@pytest.mark.parametrize("role", [FRONT_DESK, THERAPIST, CLINIC_MANAGER])
def test_the_appointments_list_links_to_the_calendar(role: str) -> None:
    page = client_for(role).get(reverse("admin:scheduling_appointment_changelist"))
    assert page.status_code == 200
    assert f'href="{reverse(CALENDAR)}"' in page.content.decode()
