"""The second step of staff sign-in, setting up an authenticator app, and the lockout page."""

from __future__ import annotations

import base64
from base64 import b32encode
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import roles
from staff.models import EnrolmentLink
from staff.services.enrolment import (
    Refusal,
    enrolment_complete,
    enrolment_link_follow,
    enrolment_link_in_progress,
    token_hash,
)
from staff.signin.forms import CodeForm
from staff.signin.policy import is_verified

# The set-up link this session followed (its EnrolmentLink's id).
ENROLMENT_LINK = "staff_enrolment_link"

WRONG_CODE = "That code is not right, or it has expired. Enter the code your app shows now."
TOO_MANY = "Too many wrong codes. Wait a minute, then enter the code your app shows."


def _next_page(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _page(request: HttpRequest, template: str, title: str, **context: Any) -> HttpResponse:
    context = {**admin.site.each_context(request), "title": title, **context}
    return render(request, template, {**context, "next": _next_page(request)})


def _code_accepted(request: HttpRequest, device: TOTPDevice, code: str) -> bool | None:
    """True if the code is right; None if the device refuses codes for now (too many wrong)."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return None
    return otp_verify_token(request.user, device.persistent_id, code) is not None


def verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: the code from the staff member's authenticator app."""
    if is_verified(request.user):
        return redirect(_next_page(request))
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('admin:signin_enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        results = {
            device: _code_accepted(request, device, form.cleaned_data["code"]) for device in devices
        }
        accepted = [device for device, result in results.items() if result]
        if accepted:
            otp_login(request, accepted[0])
            return redirect(_next_page(request))
        form.add_error("code", TOO_MANY if None in results.values() else WRONG_CODE)
    return _page(request, "admin/signin/verify.html", "Enter your sign-in code", form=form)


def enrol_link(request: HttpRequest, token: str) -> HttpResponse:
    """Following a one-time set-up link, signed in with one's own password: it is spent, and
    the set-up page opens for this session."""
    user = roles.staff_member(request)
    if user_has_device(user):
        # Nothing to set up for this account; the link is left unspent for its owner.
        if not EnrolmentLink.objects.filter(token_hash=token_hash(token), user=user).exists():
            messages.error(request, Refusal.OTHER_USER.value)
        return redirect(f"{reverse('admin:signin_verify')}?{request.GET.urlencode()}")
    pending = enrolment_link_in_progress(user=user, link_id=request.session.get(ENROLMENT_LINK))
    if pending is not None and pending.token_hash == token_hash(token):
        # Followed again in the same session (a reload, a second click): carry on.
        return redirect(reverse("admin:signin_enrol"))
    result = enrolment_link_follow(user=user, token=token)
    if isinstance(result, Refusal):
        return _ask_a_manager(request, problem=result.value)
    request.session[ENROLMENT_LINK] = result.pk
    return redirect(reverse("admin:signin_enrol"))


def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code.
    Only in a session that followed a one-time set-up link: a password alone binds nothing."""
    if user_has_device(request.user):
        return redirect(f"{reverse('admin:signin_verify')}?{request.GET.urlencode()}")
    user = roles.staff_member(request)
    link = enrolment_link_in_progress(user=user, link_id=request.session.get(ENROLMENT_LINK))
    if link is None:
        return _ask_a_manager(request, problem="")
    # One pending device per person: reloading the page keeps the key already scanned.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted = _code_accepted(request, device, form.cleaned_data["code"])
        if accepted and enrolment_complete(link=link, device=device):
            del request.session[ENROLMENT_LINK]
            otp_login(request, device)
            messages.success(
                request,
                "Two-factor sign-in is set up. You will need a code "
                "from your app each time you sign in.",
            )
            return redirect(_next_page(request))
        if accepted:  # completed meanwhile in another tab
            return redirect(f"{reverse('admin:signin_verify')}?{request.GET.urlencode()}")
        form.add_error("code", TOO_MANY if accepted is None else WRONG_CODE)
    return _page(
        request,
        "admin/signin/enrol.html",
        "Set up two-factor sign-in",
        form=form,
        qr_code=_qr_code_data_uri(device.config_url),
        secret=" ".join(_chunks(b32encode(device.bin_key).decode(), 4)),
    )


def _ask_a_manager(request: HttpRequest, *, problem: str) -> HttpResponse:
    """Refused: set-up needs a one-time link from a clinic manager. A 403, so nothing after
    this page is served either."""
    context = {
        **admin.site.each_context(request),
        "title": "Ask a clinic manager for a set-up link",
        "problem": problem,
        "hours": settings.STAFF_ENROLMENT_LINK_HOURS,
    }
    return render(request, "admin/signin/ask_a_manager.html", context, status=403)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """What django-axes shows instead of the sign-in page after too many failed attempts."""
    context = {
        **admin.site.each_context(request),
        "title": "Signing in is paused",
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(
        request, "admin/signin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def _qr_code_data_uri(text: str) -> str:
    # An inline image: the Content-Security-Policy allows data: images, and the key never
    # leaves the server for a third-party QR service. qrcode (and its SVG writer, which loads
    # xml.etree) only here: once per enrolment, never on a patient's page.
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _chunks(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)]
