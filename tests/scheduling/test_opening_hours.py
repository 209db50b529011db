"""The red-flag chain and business-day counting follow what the clinic declares in scheduling:
each site's own opening hours, its closures and the clinic-wide holidays. The clock is
injected (`now=`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from intake.advice import clinic_promise
from intake.calendar import add_business_days, business_day_before, is_open, next_opening
from intake.models import Location, RedFlagAlert
from intake.services.alerts import alerts_escalate
from notifications.models import Notification
from scheduling.models import Closure, SiteHours
from staff import roles
from tests.factories import LocationFactory, TherapistFactory, UserFactory, submit_intake
from tests.factories import valid_answers as answers

pytestmark = pytest.mark.django_db
CLINIC_TZ = ZoneInfo("America/Chicago")
URGENT = {"rf_locked": True}
# Thursday 24 December 2026, the eve of Christmas (a Friday) in the clinic's zone.
CHRISTMAS = date(2026, 12, 25)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CLINIC_TZ)


@pytest.fixture
def site(db: None, settings: Any) -> Location:
    """A site open 9:00-17:00 on weekdays only (the clinic-wide default differs: 8-18 and
    Saturday mornings), with an on-call therapist and a manager."""
    settings.CLINIC_ALERT_EMAIL = "alerts@clinic.example"
    location = LocationFactory(name="Riverside")
    SiteHours.objects.bulk_create(
        SiteHours(location=location, weekday=d, starts=time(9), ends=time(17)) for d in range(5)
    )
    TherapistFactory(user=UserFactory(username="oncall"), locations=[location], on_call=True)
    manager = UserFactory(username="boss", email="boss@clinic.example")
    manager.groups.add(Group.objects.get(name=roles.CLINIC_MANAGER))
    return location


def test_a_site_is_open_in_its_own_declared_hours(site: Location) -> None:
    monday = date(2026, 12, 7)
    assert not is_open(local(monday, 8, 30), location_id=site.pk)
    assert next_opening(local(monday, 8, 30), location_id=site.pk) == local(monday, 9)
    # The clinic as a whole (and a site that declares nothing) keeps CLINIC_OPENING_HOURS.
    assert is_open(local(monday, 8, 30))
    assert is_open(local(monday, 8, 30), location_id=LocationFactory().pk)


def test_a_site_closure_is_not_an_opening_day(site: Location) -> None:
    Closure.objects.create(location=site, day=date(2026, 12, 8), name="Training day")
    assert next_opening(local(date(2026, 12, 7), 18), location_id=site.pk) == local(
        date(2026, 12, 9), 9
    )


def test_an_urgent_step_that_waits_for_opening_hours_skips_the_holiday(site: Location) -> None:
    Closure.objects.create(day=CHRISTMAS, name="Christmas Day")
    raised = local(date(2026, 12, 24), 16)  # the managers' step is due at 18:00, closed
    request = submit_intake(location=site, answers=answers(**URGENT), now=raised)
    alert = RedFlagAlert.objects.get(intake=request.intake)

    # On call at once, whatever the hours; the managers on Monday 9:00, not Christmas Day.
    assert set(Notification.objects.filter(dedupe_key="step-0").values_list("recipient", flat=True))
    assert alert.next_step_at == local(date(2026, 12, 28), 9)
    assert alerts_escalate(now=local(CHRISTMAS, 10)) == []
    sent = alerts_escalate(now=local(date(2026, 12, 28), 9))
    assert [n.recipient for n in sent] == ["boss@clinic.example"]


def test_the_patient_is_promised_a_call_after_the_holiday(site: Location) -> None:
    Closure.objects.create(location=site, day=CHRISTMAS, name="Christmas Day")
    promise = clinic_promise(
        level="urgent", raised_at=local(date(2026, 12, 24), 16, 30), location_id=site.pk
    )
    assert not promise.open_now
    assert promise.opens_at == local(date(2026, 12, 28), 9)


def test_business_days_skip_a_clinic_wide_holiday_but_not_one_site_closure(
    site: Location,
) -> None:
    Closure.objects.create(day=CHRISTMAS, name="Christmas Day")
    Closure.objects.create(location=site, day=date(2026, 12, 28), name="Stocktake")
    # Thursday + 2 business days: Friday is Christmas, Monday counts (only one site closed).
    assert add_business_days(local(date(2026, 12, 24), 10), 2) == local(date(2026, 12, 29), 10)
    assert business_day_before(local(date(2026, 12, 28), 10)) == local(date(2026, 12, 24), 10)


def test_a_site_closed_for_months_does_not_hold_an_alert_back_for_good(site: Location) -> None:
    first = date(2026, 12, 7)
    Closure.objects.bulk_create(
        Closure(location=site, day=first + timedelta(days=d), name="Rebuilding") for d in range(120)
    )
    moment = local(first, 10)
    assert next_opening(moment, location_id=site.pk) == moment
