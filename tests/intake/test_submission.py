from __future__ import annotations

import uuid
from datetime import date

import pytest

from intake.models import AppointmentRequest, Intake, RequestStatus
from intake.questionnaire import AnswersInvalid
from intake.services.requests import request_cancel_by_patient
from intake.services.submission import RequestDetails, age_on, intake_submit
from tests.factories import LocationFactory, patient_details, submit_intake, valid_answers

pytestmark = pytest.mark.django_db


def test_submission_saves_patient_intake_and_request_with_the_prescreen() -> None:
    request = submit_intake(answers=valid_answers(rf_locked=True))
    intake = Intake.objects.get(pk=request.intake_id)
    assert intake.patient == request.patient
    assert intake.triage == "urgent"
    assert intake.needs_review is True
    assert intake.prescreen["red_flags"][0]["code"] == "rf_locked"
    assert intake.questionnaire_version == "knee-v1"
    # New submissions are screened by the current ruleset, and the intake keeps its version.
    assert intake.ruleset_version == intake.prescreen["ruleset"] == "knee-v2"
    assert request.status == RequestStatus.NEW
    assert len(request.reference) == 9


def test_the_same_submission_token_gives_one_request() -> None:
    token = uuid.uuid4()
    details = RequestDetails(location=LocationFactory())
    first, second = (
        intake_submit(
            answers=valid_answers(),
            patient=patient_details(),
            request_details=details,
            submission_token=token,
        )
        for _ in range(2)
    )
    assert first.pk == second.pk
    assert AppointmentRequest.objects.count() == Intake.objects.count() == 1


def test_invalid_answers_save_nothing() -> None:
    with pytest.raises(AnswersInvalid):
        submit_intake(answers=valid_answers(side="middle"))
    assert not Intake.objects.exists()


def test_age_counts_whole_years_up_to_the_birthday() -> None:
    assert age_on(date(1970, 6, 15), date(2025, 6, 14)) == 54
    assert age_on(date(1970, 6, 15), date(2025, 6, 15)) == 55


def test_patient_can_cancel_until_the_visit_is_done() -> None:
    request = submit_intake()
    assert request_cancel_by_patient(appointment_request=request) is True
    assert request.status == RequestStatus.CANCELLED
    AppointmentRequest.objects.filter(pk=request.pk).update(status=RequestStatus.COMPLETED)
    assert request_cancel_by_patient(appointment_request=request) is False
    assert request.status == RequestStatus.COMPLETED
