"""The pre-screen as FHIR: a `Flag` for each red flag, a `RiskAssessment` for the whole
screen, and a `Provenance` for each therapist's review of it. All clinical.

They map what was stored when the intake was submitted (``Intake.prescreen``), never a
screen run again with today's rules. A category's score is an evidence score in [0, 1), not a
probability, so it travels in an extension of ours rather than ``probabilityDecimal``.
"""

from __future__ import annotations

from typing import Any

from intake.models import Intake, Review
from interop.codes import (
    CATEGORY,
    FLAG_CLINICAL,
    FLAG_DETAIL,
    INTAKE_TERMS,
    PRESCREEN_RULESET,
    RED_FLAG,
    TRIAGE,
    VERIFIER,
    Code,
)
from interop.identifiers import extension_url, reference, resource_id
from interop.mapping import Resource
from interop.mapping.elements import instant, meta, resource
from interop.mapping.people import ORGANIZATION, practitioner_reference

NOT_A_DIAGNOSIS = "A triage aid for clinicians, not a diagnosis."


def red_flags(intake: Intake) -> list[dict[str, Any]]:
    """The red flags stored with the intake: code, triage and reason of each."""
    flags: list[dict[str, Any]] = intake.prescreen.get("red_flags", [])
    return flags


def flag_resource_id(intake_pk: int, code: str) -> str:
    return resource_id("flag", intake_pk, code)


def _triage_extension(level: str) -> dict[str, Any]:
    return {"url": extension_url("triage"), "valueCoding": TRIAGE.code(level).coding()}


def _code_or_text(system_code: Code | None, text: str) -> dict[str, Any]:
    if system_code is None:
        return {"text": text}
    return system_code.concept(text)


def flag_resources(intake: Intake) -> list[Resource]:
    """One Flag per red flag raised by the intake, each with its triage and reason."""
    flags = []
    for flag in red_flags(intake):
        code = RED_FLAG.code(flag["code"]) if RED_FLAG.has(flag["code"]) else None
        flags.append(
            resource(
                "Flag",
                flag_resource_id(intake.pk, flag["code"]),
                meta=meta(intake.submitted_at),
                extension=[
                    _triage_extension(flag["triage"]),
                    {
                        "url": FLAG_DETAIL,
                        "valueReference": reference(
                            "RiskAssessment", resource_id("prescreen", intake.pk)
                        ),
                    },
                ],
                status="active",
                category=[FLAG_CLINICAL.concept()],
                code=_code_or_text(code, flag["reason"]),
                subject=reference("Patient", resource_id("patient", intake.patient_id)),
                period={"start": instant(intake.submitted_at)},
                author=ORGANIZATION,
            )
        )
    return flags


def risk_assessment_resource(intake: Intake) -> Resource:
    """The pre-screen: its ruleset, the triage, whether a therapist should review it, and
    each of the seven categories with its score and the reasons behind it."""
    predictions = []
    for category in intake.prescreen.get("categories", []):
        prediction: dict[str, Any] = {
            "extension": [
                {"url": extension_url("prescreen-score"), "valueDecimal": category["score"]}
            ],
            "outcome": CATEGORY.code(category["code"]).concept(),
        }
        if category["reasons"]:
            prediction["rationale"] = " ".join(category["reasons"])
        predictions.append(prediction)
    ruleset = intake.ruleset_version
    method = (
        PRESCREEN_RULESET.code(ruleset).concept()
        if PRESCREEN_RULESET.has(ruleset)
        else {"text": f"Knee pre-screen rules {ruleset}"}
    )
    return resource(
        "RiskAssessment",
        resource_id("prescreen", intake.pk),
        meta=meta(intake.submitted_at),
        extension=[
            _triage_extension(intake.triage),
            {"url": extension_url("needs-review"), "valueBoolean": intake.needs_review},
        ],
        status="final",
        method=method,
        code=INTAKE_TERMS.code("knee-prescreen").concept(),
        subject=reference("Patient", resource_id("patient", intake.patient_id)),
        occurrenceDateTime=instant(intake.submitted_at),
        basis=[
            reference("QuestionnaireResponse", resource_id("intake", intake.pk)),
            *(
                reference("Flag", flag_resource_id(intake.pk, flag["code"]))
                for flag in red_flags(intake)
            ),
        ],
        prediction=predictions,
        note=[{"text": NOT_A_DIAGNOSIS}],
    )


def provenance_resource(review: Review) -> Resource:
    """Who reviewed the pre-screen, and when. Reads ``review.reviewer`` (select it). What
    the therapist concluded is not part of it: Provenance says who, not what."""
    return resource(
        "Provenance",
        resource_id("review", review.pk),
        meta=meta(review.created_at),
        target=[reference("RiskAssessment", resource_id("prescreen", review.intake_id))],
        recorded=instant(review.created_at),
        activity=INTAKE_TERMS.code("prescreen-review").concept(),
        agent=[{"type": VERIFIER.concept(), "who": practitioner_reference(review.reviewer)}],
    )
