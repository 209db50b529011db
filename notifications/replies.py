"""What the SMS provider tells us afterwards: delivery receipts for the texts we sent, and the
texts patients send back (STOP, START, HELP). The views check the provider's signature;
these services trust what they are given and never raise for odd values."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications.delivery import fall_back_to_email, report_failure
from notifications.models import Notification, NotificationChannel, NotificationStatus, SmsConsent
from notifications.sms import (
    HELP_WORDS,
    RECEIPT_FAILED,
    RECEIPT_ORDER,
    START_WORDS,
    STOP_WORDS,
    e164,
    keyword,
)

logger = logging.getLogger(__name__)


def sms_receipt(*, provider_id: str, status: str, error_code: str = "") -> bool:
    """Record a delivery receipt on the text it is about; returns whether one was found.
    Receipts may cross: one that comes after a later status changes nothing. A text the
    carrier could not deliver is marked failed, falls back to e-mail and is reported, as a
    text the provider refused would be."""
    status = status.strip().lower()
    rank = RECEIPT_ORDER.get(status)
    if rank is None or not provider_id:
        return False
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(channel=NotificationChannel.SMS, message_id=provider_id[:200])
            .first()
        )
        if notification is None:
            return False
        if notification.receipt and RECEIPT_ORDER.get(notification.receipt, -1) >= rank:
            return True
        notification.receipt, notification.receipt_at = status, timezone.now()
        fields = ["receipt", "receipt_at"]
        failed = status in RECEIPT_FAILED and notification.status == NotificationStatus.SENT
        if failed:
            code = "".join(char for char in error_code if char.isalnum())[:20]
            notification.status = NotificationStatus.FAILED
            notification.last_error = f"the carrier reports the text {status}" + (
                f" (error {code})" if code else ""
            )
            fields += ["status", "last_error"]
        notification.save(update_fields=fields)
        if failed:
            logger.warning("Text message %s %s", notification.pk, status)
            fall_back_to_email(notification=notification)
            report_failure(notification=notification)
    return True


def sms_reply(*, sender: str, body: str) -> str | None:
    """Honour a patient's text: the opt-out words stop our texts to that number, START takes
    them again (both recorded, and handed to ``SMS_CONSENT_HANDLER`` so the announcing app
    updates the patient's consent); HELP gets the clinic's name and phone number. Returns
    the reply to send, if any. Anything else is for the front desk's phone, not for us."""
    number = e164(sender)
    word = keyword(body)
    if word in HELP_WORDS:
        return str(settings.SMS_HELP_REPLY)
    if number is None or (word not in STOP_WORDS and word not in START_WORDS):
        return None
    sms_consent_set(number=number, subscribed=word in START_WORDS, keyword=word)
    return None


def sms_consent_set(*, number: str, subscribed: bool, keyword: str) -> SmsConsent:
    """Record whether ``number`` takes our texts, and tell the announcing app."""
    with transaction.atomic():
        consent, _ = SmsConsent.objects.update_or_create(
            number=number,
            defaults={
                "subscribed": subscribed,
                "keyword": keyword[:20],
                "changed_at": timezone.now(),
            },
        )
        import_string(settings.SMS_CONSENT_HANDLER)(number=number, subscribed=subscribed)
    return consent
