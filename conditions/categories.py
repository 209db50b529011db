"""The seven knee-condition categories and the triage levels: the one place their codes live."""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    """Why a runner's knee may hurt; declaration order is the display order and the tie-break."""

    GAIT = "gait", "Unusual gait"
    PATELLOFEMORAL = "patellofemoral", "Runner's knee (patellofemoral pain)"
    TENDON_LIGAMENT = "tendon_ligament", "Damaged tendons or ligaments"
    CARTILAGE = "cartilage", "Damaged cartilage (including meniscus)"
    BURSITIS = "bursitis", "Bursitis"
    ARTHRITIS = "arthritis", "Arthritis (osteoarthritis)"
    ANATOMICAL = "anatomical", "Anatomical differences"


class Triage(models.TextChoices):
    """How soon a patient needs attention. Members compare by severity, not alphabetically."""

    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent: seen by a doctor within days"
    EMERGENCY = "emergency", "Emergency: same-day medical care"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    # Triage is a str; without these, "emergency" < "routine" would compare letters.
    def __lt__(self, other: object) -> bool:
        return self.severity < _severity_of(other)

    def __le__(self, other: object) -> bool:
        return self.severity <= _severity_of(other)

    def __gt__(self, other: object) -> bool:
        return self.severity > _severity_of(other)

    def __ge__(self, other: object) -> bool:
        return self.severity >= _severity_of(other)


_SEVERITY: dict[Triage, int] = {level: rank for rank, level in enumerate(Triage)}


def _severity_of(level: object) -> int:
    """The severity of a Triage or of its code; ValueError for anything else."""
    return _SEVERITY[Triage(str(level))]
