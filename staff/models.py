"""One-time links that let a staff member set up (or replace) their authenticator app.

A password alone must never bind a second factor: whoever knows it could otherwise register
their own phone and lock the real owner out. A clinic manager issues a link for one staff
account (``manage.py enrolment_link`` for the first manager of a fresh install); only a hash
of its token is kept, so the table alone opens nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class EnrolmentLink(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_links"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when issued from the command line.",
    )
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256, hex
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Followed (by its own user, signed in): it cannot be followed again.
    used_at = models.DateTimeField(null=True, blank=True)
    # The authenticator app it was followed for has been confirmed with a code.
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "two-factor set-up link"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Set-up link for {self.user}"
