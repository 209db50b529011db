"""Issuing and following one-time links for setting up an authenticator app."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.models import EnrolmentLink


class Refusal(enum.StrEnum):
    """Why a link cannot be followed, as the staff member reads it."""

    UNKNOWN = "This set-up link is not one we issued. Check it was copied whole."
    OTHER_USER = (
        "This set-up link was made for another staff account. Sign out, then sign in as "
        "the person it was made for."
    )
    USED = "This set-up link has already been used. Each link works once."
    EXPIRED = "This set-up link has expired."
    REPLACED = "A newer set-up link was issued for your account; use that one."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def enrolment_link_path(token: str) -> str:
    return reverse("admin:signin_enrol_link", kwargs={"token": token})


@transaction.atomic
def enrolment_link_issue(
    *, user: User, issued_by: User | None, remove_devices: bool = False
) -> tuple[EnrolmentLink, str]:
    """A new link for ``user``; returns it and its token, which is stored nowhere (only its
    hash is). Earlier unused links of theirs stop working. ``remove_devices`` removes their
    authenticator apps first (a lost or replaced phone): until they follow the link, they
    have no second factor and so no page that needs one."""
    now = timezone.now()
    # The SELECT FOR UPDATE of the user serialises two managers issuing at once.
    User.objects.select_for_update().get(pk=user.pk)
    if remove_devices:
        # One by one, so the audit trail records each removal.
        for device in TOTPDevice.objects.filter(user=user):
            device.delete()
    unused = EnrolmentLink.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
    for earlier in unused:
        earlier.expires_at = now
        earlier.save(update_fields=["expires_at"])
    token = secrets.token_urlsafe(32)
    link = EnrolmentLink.objects.create(
        user=user,
        issued_by=issued_by,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(hours=settings.STAFF_ENROLMENT_LINK_HOURS),
    )
    return link, token


def enrolment_link_follow(*, user: User, token: str) -> EnrolmentLink | Refusal:
    """Spend the link ``token`` for ``user`` (signed in with their password): it cannot be
    followed again. Any authenticator app they started to set up before is dropped, so only
    a key shown after this point can be confirmed."""
    now = timezone.now()
    with transaction.atomic():
        link = (
            EnrolmentLink.objects.select_for_update().filter(token_hash=token_hash(token)).first()
        )
        if link is None:
            return Refusal.UNKNOWN
        if link.user_id != user.pk:
            return Refusal.OTHER_USER
        if link.used_at is not None:
            return Refusal.USED
        if link.expires_at <= now:
            newer = EnrolmentLink.objects.filter(user=user, created_at__gt=link.created_at)
            return Refusal.REPLACED if newer.exists() else Refusal.EXPIRED
        link.used_at = now
        link.save(update_fields=["used_at"])
        for device in TOTPDevice.objects.filter(user=user, confirmed=False):
            device.delete()
    return link


def enrolment_link_in_progress(*, user: User, link_id: object) -> EnrolmentLink | None:
    """The followed, not yet completed link ``link_id`` (from the session) of ``user``."""
    if not isinstance(link_id, int):
        return None
    return EnrolmentLink.objects.filter(
        pk=link_id, user=user, used_at__isnull=False, completed_at__isnull=True
    ).first()


def enrolment_complete(*, link: EnrolmentLink, device: TOTPDevice) -> bool:
    """Confirm ``device`` (its first code was right) and close ``link``; False if the link
    was completed meanwhile (a second tab), in which case nothing changes."""
    with transaction.atomic():
        link = EnrolmentLink.objects.select_for_update().get(pk=link.pk)
        if link.completed_at is not None:
            return False
        link.completed_at = timezone.now()
        link.save(update_fields=["completed_at"])
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True
