"""What a patient with a red flag is told the clinic will do, and by when (intake/advice.py),
and that every red flag the pre-screen can raise has its plain reason."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conditions.rulesets import RULESETS
from intake.advice import FLAG_ADVICE, clinic_promise, moment_text, promise_texts

CLINIC_TZ = ZoneInfo("America/Chicago")
TUESDAY = datetime(2026, 12, 1, tzinfo=CLINIC_TZ)


def tuesday(hour: int, minute: int = 0) -> datetime:
    return TUESDAY.replace(hour=hour, minute=minute)


@pytest.mark.parametrize("version", sorted(RULESETS))
def test_every_red_flag_of_every_ruleset_has_plain_advice(version: str) -> None:
    ruleset = RULESETS[version]
    codes = {flag.code for flag in ruleset.asked_red_flags}
    codes |= {derived.flag.code for derived in ruleset.derived_red_flags}
    assert codes == set(FLAG_ADVICE)


@pytest.mark.django_db  # the clinic's closures are read
def test_in_opening_hours_the_clinic_calls_within_the_declared_time() -> None:
    emergency = clinic_promise(level="emergency", raised_at=tuesday(10))
    urgent = clinic_promise(level="urgent", raised_at=tuesday(10))

    assert (emergency.open_now, emergency.call_by) == (True, tuesday(11))
    assert (urgent.open_now, urgent.call_by) == (True, tuesday(14))


@pytest.mark.django_db  # the clinic's closures are read
def test_too_close_to_closing_counts_as_closed() -> None:
    promise = clinic_promise(level="emergency", raised_at=tuesday(17, 30))

    assert not promise.open_now
    assert promise.opens_at == datetime(2026, 12, 2, 8, 0, tzinfo=CLINIC_TZ)
    assert promise.call_by == datetime(2026, 12, 2, 9, 0, tzinfo=CLINIC_TZ)


@pytest.mark.parametrize(
    ("raised", "level", "texts"),
    [
        (
            tuesday(10),
            "emergency",
            {"open_now": True, "call_by": "11:00 AM today", "opens_at": ""},
        ),
        (
            tuesday(22),
            "urgent",
            {"open_now": False, "call_by": "12:00 PM tomorrow", "opens_at": "8:00 AM tomorrow"},
        ),
        (
            datetime(2026, 12, 5, 13, 0, tzinfo=CLINIC_TZ),  # Saturday afternoon
            "emergency",
            {
                "open_now": False,
                "call_by": "9:00 AM on Monday, December 7",
                "opens_at": "8:00 AM on Monday, December 7",
            },
        ),
    ],
)
@pytest.mark.django_db  # the clinic's closures are read
def test_the_promise_in_words(raised: datetime, level: str, texts: dict[str, object]) -> None:
    assert promise_texts(level=level, raised_at=raised, now=raised) == {"level": level, **texts}


def test_a_time_is_said_as_seen_when_the_page_is_read() -> None:
    moment = datetime(2026, 12, 2, 8, 0, tzinfo=CLINIC_TZ)

    assert moment_text(moment, now=tuesday(22)) == "8:00 AM tomorrow"
    assert moment_text(moment, now=moment) == "8:00 AM today"
