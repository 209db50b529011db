"""The therapists' review queue: emergency, then urgent, then routine; oldest first within;
and which intakes still wait for a review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KT, KeyTransform

from conditions.categories import Triage
from intake.models import CLOSED_STATUSES, OPEN_ALERT_STATUSES, Intake, triage_rank

# Most severe first, then oldest; the expression matches the index intake_queue_order.
REVIEW_QUEUE_ORDER = (triage_rank().asc(), "submitted_at", "pk")


class QueueColumns(TypedDict):
    """What the queue reads out of each intake's JSON for its columns."""

    triage_rank: int
    side_answer: str | None
    red_flag_list: list[dict[str, Any]] | None


if TYPE_CHECKING:  # a type for the admin's columns; not subscriptable when running
    from django_stubs_ext import WithAnnotations

    QueuedIntake = WithAnnotations[Intake, QueueColumns]


def review_queue() -> QuerySet[Intake]:
    """Intakes for therapists: emergency, then urgent, then routine; oldest first within.

    The answers and the stored pre-screen are large JSON documents: the list reads only the
    knee side and the red flags out of them (`side_answer`, `red_flag_list`), and a page
    showing one intake loads the rest when it reads them."""
    return (
        Intake.objects.select_related("patient", "request__location", "assigned_to", "alert")
        .defer("answers", "prescreen")
        .annotate(
            triage_rank=triage_rank(),  # lets a list column sort by it
            side_answer=KT("answers__side"),
            red_flag_list=KeyTransform("red_flags", "prescreen"),
        )
        .order_by(*REVIEW_QUEUE_ORDER)
    )


def waiting_for_review(intakes: QuerySet[Intake]) -> QuerySet[Intake]:
    """The intakes still waiting for a therapist: not reviewed, and the patient may still
    come (the request is not cancelled or closed), or a red-flag alert on it is still open,
    whatever became of the request."""
    return intakes.filter(
        Q(reviewed_at__isnull=True)
        & (~Q(request__status__in=CLOSED_STATUSES) | Q(alert__status__in=OPEN_ALERT_STATUSES))
    )


def next_in_queue(current: Intake) -> Intake | None:
    """The intake after `current` among those still waiting, in the queue's order; from the
    top again when `current` was the last (what "Save and next" opens)."""
    waiting = waiting_for_review(review_queue()).exclude(pk=current.pk)
    rank = sorted(Triage, reverse=True).index(Triage(current.triage))
    later = (
        Q(triage_rank__gt=rank)
        | Q(triage_rank=rank, submitted_at__gt=current.submitted_at)
        | Q(triage_rank=rank, submitted_at=current.submitted_at, pk__gt=current.pk)
    )
    return waiting.filter(later).first() or waiting.first()
