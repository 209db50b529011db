"""Staff password reset by e-mail (Django's views), which never gets past the second factor.

A reset changes the password only: it signs nobody in (``post_reset_login`` stays off) and
leaves the authenticator app in place, so the next sign-in still asks for its code, and a
staff member without one still needs a set-up link from a clinic manager. The link in the
e-mail works once (Django's token is made from the password hash, which the reset changes)
for ``PASSWORD_RESET_TIMEOUT`` seconds. Every request gets the same answer, whether or not
an account has the address, and requests are limited per client address and per address
entered (``STAFF_PASSWORD_RESET_RATE``).

The e-mail goes through Django's mailer rather than the notifications outbox on purpose:
the outbox keeps each message's context in the database, where the reset link would sit
readable by anyone who can read the notification log.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from audit.access import record_access_by
from clinic.network import client_ip

logger = logging.getLogger(__name__)

RATE_LIMIT_GROUP = "staff-password-reset"


class StaffPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str) -> Iterator[User]:
        # Staff accounts only: this is the staff site's reset.
        return (user for user in super().get_users(email) if user.is_staff)


class _StaffPage:
    """The admin's header and styles on Django's password-reset pages."""

    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        return {**admin.site.each_context(self.request), **context}


class StaffPasswordResetView(_StaffPage, auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    email_template_name = "admin/signin/password_reset_email.txt"
    subject_template_name = "admin/signin/password_reset_subject.txt"
    success_url = reverse_lazy("admin_password_reset_done")

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        return {"timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}

    def form_valid(self, form: Any) -> HttpResponse:
        if _rate_limited(self.request, email=form.cleaned_data["email"]):
            return render(
                self.request,
                "admin/signin/password_reset_limited.html",
                {**admin.site.each_context(self.request), "title": "Password reset"},
                status=429,
            )
        # Who asked for a reset of which account, from where: the trail shows a stranger
        # trying accounts as well as the owner's own request. The address entered is not
        # kept (one with no account may be anyone's).
        record_access_by(
            actor="a password-reset request",
            instances=form.get_users(form.cleaned_data["email"]),
            remote_addr=client_ip(self.request),
            note="a password-reset e-mail was asked for this account",
        )
        try:
            return super().form_valid(form)
        except (smtplib.SMTPException, OSError):
            # The same page as ever: an error here would tell that the address has an
            # account. The staff member tries again, or asks a clinic manager.
            logger.warning("Could not send a staff password-reset e-mail", exc_info=True)
            return HttpResponseRedirect(self.get_success_url())


class StaffPasswordResetDoneView(_StaffPage, auth_views.PasswordResetDoneView):
    pass


class StaffPasswordResetConfirmView(_StaffPage, auth_views.PasswordResetConfirmView):
    post_reset_login = False  # the second factor is still to come: never sign in here
    success_url = reverse_lazy("admin_password_reset_complete")


class StaffPasswordResetCompleteView(_StaffPage, auth_views.PasswordResetCompleteView):
    pass


def _rate_limited(request: HttpRequest, *, email: str) -> bool:
    keys = {"ip": client_ip(request) or "unknown", "email": email.strip().lower()}
    try:
        return any(
            is_ratelimited(
                request,
                group=f"{RATE_LIMIT_GROUP}-{name}",
                key=lambda group, request, value=value: value,
                rate=settings.STAFF_PASSWORD_RESET_RATE,
                increment=True,
            )
            for name, value in keys.items()
        )
    except RedisError:
        # Refusing resets while the cache is down strands nobody: a manager can set one.
        logger.warning("Rate limit unavailable (cache down); refusing a password reset")
        return True
