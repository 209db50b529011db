"""Who must sign in with a second factor."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django_otp import user_has_device

from staff import roles

ROLES_THAT_MUST_USE_TWO_FACTOR = (roles.THERAPIST, roles.CLINIC_MANAGER)


def must_use_two_factor(user: User) -> bool:
    """Therapists, clinic managers and superusers when ``STAFF_2FA_REQUIRED`` is on, and any
    staff member who enrolled a device (front desk may choose to)."""
    if settings.STAFF_2FA_REQUIRED and (
        user.is_superuser or user.groups.filter(name__in=ROLES_THAT_MUST_USE_TWO_FACTOR).exists()
    ):
        return True
    return user_has_device(user)


def is_verified(user: object) -> bool:
    """Whether the staff member has entered a code in this session (django-otp's
    OTPMiddleware gives the request's user an ``is_verified`` method)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())
