"""What the staff's CSV exports hold: a period's appointment requests or referrals, one row
each, in columns named for people who open them in a spreadsheet.

The requests' columns are what scheduling needs and nothing clinical (no level, answer,
category or note), so anyone who may see the board may export them. The referrals' columns
say where a patient was referred, which only clinical staff see; no reason or impression."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from intake.models import AppointmentRequest, Referral, TimeOfDay


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _times(codes: list[str]) -> str:
    labels = dict(TimeOfDay.choices)
    return "; ".join(str(labels.get(code, code)) for code in codes)


@dataclass(frozen=True)
class Export:
    """One kind of export: its records, by what they are dated, and its columns."""

    records: Callable[[], QuerySet[Any]]
    dated_by: str
    columns: Sequence[tuple[str, Callable[[Any], object]]]

    def rows_between(self, start: date, end: date) -> tuple[list[Model], list[list[str]]]:
        """The records dated from ``start`` to ``end`` (both days whole, in the clinic's
        time zone), oldest first, and their rows."""
        zone = timezone.get_current_timezone()
        since = datetime.combine(start, time.min, tzinfo=zone)
        until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
        records = list(
            self.records()
            .filter(**{f"{self.dated_by}__gte": since, f"{self.dated_by}__lt": until})
            .order_by(self.dated_by, "pk")
        )
        return records, [[str(value(record)) for _, value in self.columns] for record in records]

    @property
    def header(self) -> list[str]:
        return [name for name, _ in self.columns]


REQUESTS = Export(
    records=lambda: AppointmentRequest.objects.select_related(
        "patient", "location", "scheduled_therapist__user"
    ),
    dated_by="created_at",
    columns=(
        ("Reference", lambda r: r.reference),
        ("Received", lambda r: _local(r.created_at)),
        ("Site", lambda r: r.location.name),
        ("Status", lambda r: r.get_status_display()),
        ("First name", lambda r: r.patient.first_name),
        ("Last name", lambda r: r.patient.last_name),
        ("Phone", lambda r: r.patient.phone),
        ("E-mail", lambda r: r.patient.email),
        ("Contact by", lambda r: r.patient.get_preferred_contact_display()),
        ("Preferred times", lambda r: _times(r.preferred_times)),
        ("Referred by", lambda r: r.get_referral_source_display()),
        ("Referrer", lambda r: ", ".join(filter(None, [r.referrer_name, r.referrer_practice]))),
        ("Payment", lambda r: r.get_payment_display()),
        ("Insurer", lambda r: r.insurance_provider),
        ("Appointment", lambda r: _local(r.scheduled_at)),
        ("Therapist", lambda r: r.scheduled_therapist or ""),
    ),
)

REFERRALS = Export(
    records=lambda: Referral.objects.select_related("intake__request", "created_by", "contact"),
    dated_by="created_at",
    columns=(
        ("Intake", lambda r: r.intake.request.reference),
        ("Written", lambda r: _local(r.created_at)),
        ("Author", lambda r: r.created_by.get_full_name() or r.created_by.get_username()),
        ("Destination", lambda r: r.get_destination_display()),
        ("Addressee", lambda r: r.contact.name if r.contact else ""),
        ("Practice", lambda r: r.contact.practice if r.contact else ""),
        ("Status", lambda r: r.get_status_display()),
        ("Sent via", lambda r: r.get_sent_via_display()),
        ("Sent", lambda r: _local(r.sent_at)),
        ("Due", lambda r: r.due_on.isoformat() if r.due_on else ""),
        ("Last change", lambda r: _local(r.status_changed_at)),
    ),
)
