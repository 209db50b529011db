"""The knee-condition taxonomy: the seven categories, with text clinic managers can edit."""

from __future__ import annotations

from django.db import models

from conditions.categories import Category


class ConditionCategory(models.Model):
    """One of the seven fixed categories; seeded by a migration, never added or deleted."""

    code = models.CharField(max_length=20, unique=True, choices=Category.choices, editable=False)
    name = models.CharField(max_length=100)
    patient_summary = models.TextField(help_text="Plain language, about a 6th-grade reading level.")
    clinician_notes = models.TextField()
    typical_signs = models.TextField()
    how_therapy_helps = models.TextField()
    referral_guidance = models.TextField(
        help_text="When a physician, an orthopaedic surgeon or imaging may be needed."
    )
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("display_order", "code")
        verbose_name = "condition category"
        verbose_name_plural = "condition categories"

    def __str__(self) -> str:
        return self.name
