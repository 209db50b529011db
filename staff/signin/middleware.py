from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from staff.signin.policy import is_verified, must_use_two_factor

LAST_ACTIVITY = "staff_last_activity"


class StaffIdleTimeoutMiddleware:
    """Signs a staff member out after ``STAFF_IDLE_TIMEOUT`` seconds without a request.

    Only staff sessions get the short limit: a patient filling in the questionnaire slowly
    keeps the site-wide ``SESSION_COOKIE_AGE``. The session's own expiry follows the same
    limit, so an abandoned staff session also dies on the server.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_staff:
            now = int(time.time())
            last_activity = request.session.get(LAST_ACTIVITY, now)
            if now - last_activity > settings.STAFF_IDLE_TIMEOUT:
                logout(request)
                minutes = settings.STAFF_IDLE_TIMEOUT // 60
                messages.info(
                    request, f"You were signed out after {minutes} minutes without activity."
                )
            else:
                request.session[LAST_ACTIVITY] = now
                request.session.set_expiry(settings.STAFF_IDLE_TIMEOUT)
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Until a staff member who must use two-factor has entered a code, every page sends them
    to enter one (or to set up their authenticator app first). Needs ``OTPMiddleware`` before it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and not is_verified(user)
            and not _open_before_the_code(request.path)
            and must_use_two_factor(user)
        ):
            page = "admin:signin_verify" if user_has_device(user) else "admin:signin_enrol"
            return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _open_before_the_code(path: str) -> bool:
    pages = {reverse("admin:signin_verify"), reverse("admin:signin_enrol"), reverse("admin:logout")}
    # The one-time set-up links (``sign-in/enrol/<token>/``).
    links = reverse("admin:signin_enrol_link", kwargs={"token": "x"}).removesuffix("x/")
    return path in pages or path.startswith(links)
