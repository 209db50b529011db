"""The front desk picks the kind of visit when booking a request: the free times on the page
follow that kind's length and buffer, and the appointment booked is of that kind."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.models import Location, Therapist
from scheduling.models import Appointment, AppointmentType
from staff.roles import FRONT_DESK
from tests.intake.staff import client_for
from tests.scheduling.conftest import at, next_monday, routine_request

pytestmark = pytest.mark.django_db


def first_day(html: str) -> str:
    """The page's first day (the week's Monday), whose free times its buttons label."""
    return html.split('<section class="calendar-day"')[1]


def test_a_follow_up_offers_more_times_than_an_initial_assessment_and_is_booked_as_one(
    site: Location, therapist: Therapist
) -> None:
    # Follow-up 30 minutes plus a 15-minute buffer; initial assessment 45 and no buffer.
    AppointmentType.objects.filter(code="follow_up").update(minutes=30, buffer_minutes=15)
    AppointmentType.objects.filter(code="initial").update(minutes=45, buffer_minutes=0)
    client = client_for(FRONT_DESK)
    request = routine_request(site)
    url = reverse("admin:scheduling_appointment_book", args=[request.pk])
    day = next_monday().isoformat()

    initial = first_day(client.get(url, {"day": day}).content.decode())
    follow_up = first_day(
        client.get(url, {"day": day, "appointment_type": "follow_up"}).content.decode()
    )

    assert 'name="appointment_type" value="initial"' in initial
    assert 'name="appointment_type" value="follow_up"' in follow_up
    # 08:00-17:00: the last initial assessment starts at 16:15, the last follow-up at 16:30.
    assert 'aria-label="Book 16:30 with' in follow_up
    assert 'aria-label="Book 16:30 with' not in initial

    response = client.post(
        f"{url}?day={day}",
        {
            "therapist": therapist.pk,
            "starts_at": at(next_monday(), 9).isoformat(),
            "appointment_type": "follow_up",
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(request=request)
    assert appointment.appointment_type.code == "follow_up"
    assert appointment.ends_at == at(next_monday(), 9, 30)
    # The buffer keeps the therapist free after it: the next follow-up is at 09:45.
    booked_after = first_day(
        client.get(
            reverse("admin:scheduling_appointment_book", args=[routine_request(site, 1).pk]),
            {"day": day, "appointment_type": "follow_up"},
        ).content.decode()
    )
    assert 'aria-label="Book 9:30 with' not in booked_after
    assert 'aria-label="Book 9:45 with' in booked_after


def test_an_unknown_type_in_the_address_falls_back_to_an_initial_assessment(
    site: Location, therapist: Therapist
) -> None:
    client = client_for(FRONT_DESK)
    url = reverse("admin:scheduling_appointment_book", args=[routine_request(site).pk])

    response = client.get(url, {"appointment_type": "<script>"})

    assert response.status_code == 200
    assert 'name="appointment_type" value="initial"' in response.content.decode()
