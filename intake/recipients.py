"""Who is told about an appointment request and its red-flag alert: the staff a new request
goes to, who each step of the alert chain reaches today, the managers, and the channels a
patient is reached on. What each message says is in ``intake.announcements``."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from intake.escalation import Audience, EscalationStep
from intake.models import AppointmentRequest, ContactMethod, Patient, Therapist
from notifications.models import NotificationChannel
from notifications.outbox import Recipient
from staff import roles


def group_recipients(role: str) -> list[Recipient]:
    users = (
        get_user_model()
        .objects.filter(groups__name=role, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    return [Recipient(user.email, user) for user in users]


def therapist_recipients(therapists: Iterable[Therapist]) -> list[Recipient]:
    return [Recipient(t.user.email, t.user) for t in therapists if t.user.email]


def new_request_therapists(*, appointment_request: AppointmentRequest) -> list[Therapist]:
    """The therapists at the chosen site who take new patients and specialise in the intake's
    top category (every one of them there who takes new patients when none specialises), and
    the therapist the patient asked for."""
    top = appointment_request.intake.top_category
    # One query for both: each therapist there, marked when they treat the top category.
    at_location = list(
        Therapist.objects.filter(
            locations=appointment_request.location,
            accepting_new_patients=True,
            user__is_active=True,
        )
        .annotate(
            specialist=models.Exists(
                Therapist.specialties.through.objects.filter(
                    therapist=models.OuterRef("pk"), conditioncategory__code=top
                )
            )
            if top
            else models.Value(False)
        )
        .select_related("user")
    )
    specialists = [therapist for therapist in at_location if therapist.specialist]
    therapists: list[Therapist] = list(specialists or at_location)
    preferred = appointment_request.therapist_preference
    if preferred is not None and preferred.user.is_active and preferred not in therapists:
        therapists.append(preferred)
    return therapists


def audience_recipients(audience: Audience, *, location_id: int | None) -> list[Recipient]:
    """Who an audience of the red-flag escalation chain is today. Without a site, every
    therapist at any site counts as a site therapist (the health check asks that way)."""
    match audience:
        case Audience.ON_CALL:
            therapists = Therapist.objects.filter(on_call=True, user__is_active=True)
        case Audience.SITE_THERAPISTS:
            therapists = Therapist.objects.filter(user__is_active=True)
            if location_id is not None:
                therapists = therapists.filter(locations=location_id)
        case Audience.MANAGERS:
            return group_recipients(roles.CLINIC_MANAGER)
        case Audience.ALERT_ADDRESS:
            address = settings.CLINIC_ALERT_EMAIL
            return [Recipient(address)] if address else []
    return therapist_recipients(therapists.select_related("user").distinct().order_by("pk"))


def alert_step_recipients(*, step: EscalationStep, location_id: int | None) -> list[Recipient]:
    """Everyone a step of the chain tells; a step that would reach nobody goes to the
    clinic's alert address (`CLINIC_ALERT_EMAIL`) instead, so no alert is ever silent."""
    recipients = unique_recipients(
        [
            recipient
            for audience in step.notify
            for recipient in audience_recipients(audience, location_id=location_id)
        ]
    )
    if not recipients:
        recipients = audience_recipients(Audience.ALERT_ADDRESS, location_id=location_id)
    return recipients


def manager_recipients() -> list[Recipient]:
    return unique_recipients(group_recipients(roles.CLINIC_MANAGER))


def patient_recipients(patient: Patient, *, urgent: bool = False) -> list[Recipient]:
    """Where a patient's messages go: a text to a patient who prefers texts and agreed to
    them (the e-mail copy if no text gets through), an e-mail otherwise. Urgent advice (a
    red-flag acknowledgement) goes by e-mail as well, with everything the text has no room
    for."""
    email = Recipient(patient.email)
    if (
        patient.preferred_contact == ContactMethod.SMS
        and patient.sms_consent
        and patient.sms_number
    ):
        text = Recipient(
            patient.sms_number, channel=NotificationChannel.SMS, fallback=patient.email
        )
        return [text, email] if urgent else [text]
    return [email]


def unique_recipients(
    recipients: list[Recipient], *, besides: Iterable[Recipient] = ()
) -> list[Recipient]:
    """Each address once, in order, leaving out those already in ``besides``."""
    seen = {recipient.address.lower() for recipient in besides}
    unique = []
    for recipient in recipients:
        key = recipient.address.lower()
        if key not in seen:
            seen.add(key)
            unique.append(recipient)
    return unique


def referrer_recipients(appointment_request: AppointmentRequest) -> list[Recipient] | None:
    """The referrer the patient named, when the patient agreed that they be told and gave
    their address; None otherwise (nobody is told)."""
    if not (appointment_request.referrer_may_be_told and appointment_request.referrer_email):
        return None
    return [Recipient(appointment_request.referrer_email)]
