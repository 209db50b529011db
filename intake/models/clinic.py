"""The clinic's sites and the therapists who work at them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Location(models.Model):
    """One of the clinic's sites."""

    name = models.CharField(max_length=100, unique=True)
    address = models.CharField(max_length=200)
    phone = models.CharField(max_length=30)
    is_active = models.BooleanField(default=True, help_text="Shown to patients as a choice.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Therapist(models.Model):
    """A staff user who treats patients."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="therapist"
    )
    locations = models.ManyToManyField(Location, related_name="therapists")
    specialties = models.ManyToManyField(
        "conditions.ConditionCategory", blank=True, related_name="therapists"
    )
    credentials = models.CharField(
        max_length=120,
        blank=True,
        help_text="Printed under the name on referral letters (e.g. “PT, DPT, OCS”).",
    )
    accepting_new_patients = models.BooleanField(default=True)
    on_call = models.BooleanField(default=False, help_text="Alerted at once about urgent intakes.")

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
