"""The SMS provider's callbacks: delivery receipts and patients' replies.

Both are signed by the provider (``X-Twilio-Signature``, checked against ``SITE_URL`` and the
path, since a proxy in front may change the host and scheme the request arrives with): a
request without a valid signature gets 403. Nothing a caller sends makes these answer 500.
"""

from __future__ import annotations

import logging
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications.replies import sms_receipt, sms_reply
from notifications.sms import signature_valid

logger = logging.getLogger(__name__)


def _signed_params(request: HttpRequest) -> dict[str, str] | HttpResponse:
    """The POST parameters of a request the provider signed, or the response refusing it."""
    try:
        params = {name: request.POST.get(name, "") for name in request.POST}
    except Exception:  # a body that is not a form: nothing the provider sends
        return HttpResponseBadRequest()
    url = settings.SITE_URL + request.get_full_path()
    if not signature_valid(url, params, request.headers.get("X-Twilio-Signature", "")):
        logger.warning("SMS callback with a missing or bad signature refused")
        return HttpResponseForbidden()
    # No stored field can hold a NUL (PostgreSQL refuses it).
    return {name: value.replace("\x00", "") for name, value in params.items()}


@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    params = _signed_params(request)
    if isinstance(params, HttpResponse):
        return params
    sms_receipt(
        provider_id=params.get("MessageSid", ""),
        status=params.get("MessageStatus", ""),
        error_code=params.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def sms_inbound(request: HttpRequest) -> HttpResponse:
    params = _signed_params(request)
    if isinstance(params, HttpResponse):
        return params
    reply = sms_reply(sender=params.get("From", ""), body=params.get("Body", ""))
    message = f"<Message>{escape(reply)}</Message>" if reply else ""
    return HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?><Response>{message}</Response>',
        content_type="text/xml",
    )
