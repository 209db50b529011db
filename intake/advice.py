"""What a patient with a red flag is told: plain advice for each red flag, and what the clinic
will do about their request and by when (in opening hours or not).

The advice for a flag adds the reason to the advice of its level (call the emergency number,
or see a doctor soon), which the pages always show: a flag without its own sentence here is
never held back, it only goes without the extra sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conditions.categories import Triage
from intake.calendar import opening_calendar
from intake.escalation import alert_policy

FLAG_ADVICE: dict[str, Promise] = {
    "rf_fever_hot_knee": _(
        "A hot, red or swollen knee with a fever, or while you feel sick, can mean an "
        "infection in the joint. It needs a doctor today."
    ),
    "rf_hot_swollen_knee": _(
        "A knee that gets hot and swollen without an injury can mean an infection or another "
        "problem in the joint. A doctor should check it within a day."
    ),
    "rf_cannot_bear_weight": _(
        "If you cannot walk on your leg after an injury, a bone may be broken or the knee may "
        "be out of place."
    ),
    "rf_deformity": _(
        "A knee or kneecap that looks out of place after an injury may be dislocated or broken."
    ),
    "rf_cannot_lift_straight_leg": _(
        "If you cannot lift your leg up straight after an injury, a tendon at the front of the "
        "knee may be torn."
    ),
    "rf_numb_cold_foot": _(
        "A numb, cold, pale or blue foot or leg can mean it is not getting enough blood."
    ),
    "rf_calf_swelling": _(
        "A swollen, sore, warm or red calf can be a blood clot. A doctor needs to check it today."
    ),
    "rf_locked": _(
        "A knee that is stuck and will not straighten may have torn cartilage caught in the "
        "joint. A doctor should check it within a few days."
    ),
    "rf_night_pain_weight_loss": _(
        "Constant pain at night, or losing weight without trying, should be checked by your "
        "doctor soon."
    ),
    "ottawa_xray": _(
        "You hurt your knee less than a week ago. From your answers, you may need an X-ray to "
        "check for a broken bone before physical therapy."
    ),
    "haemarthrosis": _(
        "Swelling within 2 hours of an injury can mean bleeding inside the knee, from a torn "
        "ligament or a broken bone. A doctor should check it within a few days."
    ),
    "first_dislocation": _(
        "Your kneecap came out of place for the first time. A doctor should check that no small "
        "piece of bone or cartilage broke off."
    ),
}


def flag_advice(code: str) -> str:
    """The plain-language reason for one red flag; empty when it has none of its own."""
    advice = FLAG_ADVICE.get(code)
    return str(advice) if advice is not None else ""


@dataclass(frozen=True, slots=True)
class ClinicPromise:
    """What the clinic will do about an urgent or emergency request, and by when."""

    # Someone is there to read it now and call back before closing.
    open_now: bool
    call_by: datetime
    # When the clinic is closed (or closes before it could call back): when it opens.
    opens_at: datetime | None


def clinic_promise(
    *, level: str, raised_at: datetime, location_id: int | None = None
) -> ClinicPromise:
    """When the clinic will call a patient whose request raised an alert at `raised_at`, by
    the opening hours and closures of the request's site."""
    window = alert_policy(level).call_back_within
    opening = opening_calendar(raised_at, location_id=location_id)
    period = opening.opening_period(raised_at)
    if period is not None and raised_at + window <= period[1]:
        return ClinicPromise(open_now=True, call_by=raised_at + window, opens_at=None)
    opens = opening.next_opening(period[1] if period is not None else raised_at)
    return ClinicPromise(open_now=False, call_by=opens + window, opens_at=opens)


def moment_text(moment: datetime, *, now: datetime) -> str:
    """“10:45 AM today”, “8:00 AM tomorrow” or “8:00 AM on Monday, March 9”, in the clinic's
    time zone, as seen at `now`."""
    local, today = timezone.localtime(moment), timezone.localtime(now).date()
    time = dateformat.format(local, "g:i A")
    days = (local.date() - today).days
    if days == 0:
        return gettext("%(time)s today") % {"time": time}
    if days == 1:
        return gettext("%(time)s tomorrow") % {"time": time}
    return gettext("%(time)s on %(day)s") % {
        "time": time,
        # Translators: a date format (Django's date filter): "Monday, March 9".
        "day": dateformat.format(local, gettext("l, F j")),
    }


def promise_texts(
    *, level: str, raised_at: datetime, now: datetime, location_id: int | None = None
) -> dict[str, object]:
    """The promise as the pages and the e-mail say it (JSON values, for the outbox)."""
    promise = clinic_promise(level=level, raised_at=raised_at, location_id=location_id)
    return {
        "level": Triage(level).value,
        "open_now": promise.open_now,
        "call_by": moment_text(promise.call_by, now=now),
        "opens_at": moment_text(promise.opens_at, now=now) if promise.opens_at else "",
    }
