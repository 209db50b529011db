"""The mapping from our records to FHIR R4: every resource validates, round-trips, uses
only codes we declare, and carries no clinical detail where a front-desk role reads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q

from conditions.categories import Category, Triage
from conditions.rulesets import RULESETS
from intake.models import Intake, Referral
from intake.questionnaire import KNEE_V1, ItemType, questionnaire
from intake.services.referrals import referral_create
from interop.codes import all_code_systems
from interop.mapping.codesystems import code_system_resource
from interop.mapping.questionnaire import questionnaire_resource, questionnaire_response_resource
from interop.mapping.requests import appointment_request_resource
from interop.search import paging
from interop.search.params import Query
from interop.search.registry import RESOURCE_TYPES, ResourceType
from tests.factories import submit_intake
from tests.interop.fhir import demo_clinic, round_tripped, validated

pytestmark = pytest.mark.django_db


def every_resource(resource_type: ResourceType) -> list[dict[str, Any]]:
    if resource_type.fixed is not None:
        return resource_type.fixed()
    query = Query(where={source.prefix: Q() for source in resource_type.sources}, count=10_000)
    return [match.resource for match in paging.search(resource_type, query).matches]


@pytest.fixture
def clinic() -> None:
    demo_clinic()


@pytest.mark.timeout(180)
def test_every_resource_of_the_demo_clinic_validates_and_round_trips(clinic: None) -> None:
    seen = set()
    for resource_type in RESOURCE_TYPES:
        resources = every_resource(resource_type)
        assert resources, f"the demo clinic has no {resource_type.name}"
        for resource in resources:
            assert resource["resourceType"] == resource_type.name
            assert round_tripped(resource) == json.loads(json.dumps(resource))
            seen.add((resource["resourceType"], resource["id"]))
    # Ids are unique within their type, even across the kinds of record behind a type.
    assert len(seen) == sum(len(every_resource(found)) for found in RESOURCE_TYPES)


def test_both_kinds_of_service_request_are_in_the_demo(clinic: None) -> None:
    [service_requests] = [found for found in RESOURCE_TYPES if found.name == "ServiceRequest"]
    ids = {resource["id"].split("-")[0] for resource in every_resource(service_requests)}
    assert ids == {"request", "referral"}
    assert Referral.objects.exists()


def _every_code(value: Any) -> list[tuple[str, str]]:
    """Every (system, code) pair anywhere in a resource."""
    found = []
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            found.append((value["system"], value["code"]))
        for inner in value.values():
            found += _every_code(inner)
    elif isinstance(value, list):
        for inner in value:
            found += _every_code(inner)
    return found


@pytest.mark.timeout(180)
def test_every_code_of_our_own_systems_is_declared_in_a_code_system(clinic: None) -> None:
    declared = {
        declaration.url: {concept.code for concept in declaration.concepts}
        for declaration in all_code_systems().values()
    }
    for resource_type in RESOURCE_TYPES:
        for resource in every_resource(resource_type):
            for system, code in _every_code(resource):
                if "/fhir/CodeSystem/" in system:
                    assert code in declared[system], (resource["id"], system, code)


def test_the_generated_questionnaire_answers_every_stored_intake(clinic: None) -> None:
    """Each stored answer's code is an answer option of its item, each answer has its
    item's type, and each answered item's enable conditions hold."""
    assert Intake.objects.count() == 30
    [responses] = [found for found in RESOURCE_TYPES if found.name == "QuestionnaireResponse"]
    for response in every_resource(responses):
        url, _bar, version = response["questionnaire"].partition("|")
        declared = questionnaire_resource(questionnaire(version))
        assert declared["url"] == url
        items = {item["linkId"]: item for group in declared["item"] for item in group["item"]}
        answered = {
            item["linkId"]: item["answer"] for group in response["item"] for item in group["item"]
        }
        for link_id, answers in answered.items():
            item = items[link_id]
            if item["type"] == "choice":
                options = {
                    (option["valueCoding"]["system"], option["valueCoding"]["code"])
                    for option in item["answerOption"]
                }
                for answer in answers:
                    coding = answer["valueCoding"]
                    assert (coding["system"], coding["code"]) in options, (link_id, coding)
                assert len(answers) == 1 or item.get("repeats")
            else:
                [kind] = {next(iter(answer)) for answer in answers}
                assert kind == {"boolean": "valueBoolean", "integer": "valueInteger"}.get(
                    item["type"], "valueString"
                )
            for condition in item.get("enableWhen", []):
                [given] = answered[condition["question"]]
                expected = {k: v for k, v in condition.items() if k.startswith("answer")}
                assert {k.replace("value", "answer"): v for k, v in given.items()} == expected, (
                    link_id
                )


def test_the_questionnaire_keeps_every_item_type_option_condition_and_limit() -> None:
    declared = questionnaire_resource(KNEE_V1)
    validated(declared)
    items = {item["linkId"]: item for group in declared["item"] for item in group["item"]}
    assert [group["linkId"] for group in declared["item"]] == [s.code for s in KNEE_V1.steps]
    assert list(items) == [item.link_id for item in KNEE_V1.items]
    for item in KNEE_V1.items:
        found = items[item.link_id]
        assert found["text"] == item.text.en
        assert found["required"] is item.required
        assert [o["valueCoding"]["code"] for o in found.get("answerOption", [])] == list(item.codes)
        assert found.get("repeats", False) is (item.type == ItemType.MULTI)
        assert len(found.get("enableWhen", [])) == len(item.enable_when)
    assert items["can_bend_90"]["enableBehavior"] == "all"
    assert items["goal"]["maxLength"] == 1000
    assert {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 10} in (
        items["pain_now"]["extension"]
    )
    assert items["pain_now"]["code"][0]["code"] == "72514-3"
    assert items["rf_locked"]["code"][0]["code"] == "rf_locked"


def test_every_red_flag_and_category_has_a_code() -> None:
    systems = all_code_systems()
    assert {c.code for c in systems["red-flag"].concepts} == {
        flag.code
        for ruleset in RULESETS.values()
        for flag in (*ruleset.asked_red_flags, *(d.flag for d in ruleset.derived_red_flags))
    }
    assert {c.code for c in systems["prescreen-ruleset"].concepts} == set(RULESETS)
    assert {c.code for c in systems["condition-category"].concepts} == set(Category.values)
    assert {c.code for c in systems["triage"].concepts} == set(Triage.values)
    for declaration in systems.values():
        validated(code_system_resource(declaration))


# --- No clinical detail where the front desk reads -----------------------------------------


def clinical_words(intake: Intake) -> set[str]:
    """What would give an intake's clinical content away: its answers' option codes and
    wording, triage, categories, red flags and their reasons."""
    words = {str(level) for level in Triage if level != Triage.ROUTINE}
    words |= set(Category.values) | {str(label) for label in Category.labels}
    for flag in intake.prescreen["red_flags"]:
        words |= {flag["code"], flag["reason"]}
    declaration = questionnaire(intake.questionnaire_version)
    for link_id, value in intake.answers.items():
        item = declaration.by_link_id[link_id]
        if item.type in (ItemType.CHOICE, ItemType.MULTI):
            for code in value if isinstance(value, list) else [value]:
                words.add(str(item.option_text(code)))
        if item.type == ItemType.TEXT and value:
            words.add(value)
    return words


NOT_CLINICAL = ("Patient", "Appointment", "Practitioner", "PractitionerRole", "Location")


@pytest.mark.timeout(180)
def test_resources_a_front_desk_system_reads_carry_no_clinical_detail(clinic: None) -> None:
    intake = Intake.objects.exclude(triage=Triage.ROUTINE).first()
    assert intake is not None
    words = clinical_words(intake)
    words -= {"once"}  # too short a word to find only as an answer
    patient_pk, request_pk = intake.patient_id, intake.request.pk
    for resource_type in RESOURCE_TYPES:
        if resource_type.name not in (*NOT_CLINICAL, "ServiceRequest"):
            continue
        for resource in every_resource(resource_type):
            if resource_type.name == "ServiceRequest" and resource["id"].startswith("referral"):
                continue  # referrals are clinical: the scope says so
            text = json.dumps(resource)
            mine = f"patient-{patient_pk}" in text or resource["id"].endswith(f"-{request_pk}")
            if not mine and resource_type.name not in ("Practitioner", "PractitionerRole"):
                continue
            found = {word for word in words if f'"{word}"' in text}
            # PractitionerRole names the categories a therapist treats: staff facts.
            if resource_type.name == "PractitionerRole":
                found -= set(Category.values) | {str(label) for label in Category.labels}
            assert not found, (resource["id"], found)


def test_clinical_types_are_the_ones_marked_clinical() -> None:
    clinical = {found.name for found in RESOURCE_TYPES if found.clinical}
    assert clinical == {
        "ServiceRequest",
        "QuestionnaireResponse",
        "RiskAssessment",
        "Flag",
        "Provenance",
    }
    assert not clinical & set(NOT_CLINICAL)


def test_a_referral_carries_its_reason_and_destination(clinic: None) -> None:
    intake = Intake.objects.first()
    assert intake is not None
    referral = referral_create(
        intake=intake,
        destination="imaging",
        reason="Possible stress fracture.",
        created_by=get_user_model().objects.get(username="demo-therapist"),
    )
    [service_requests] = [found for found in RESOURCE_TYPES if found.name == "ServiceRequest"]
    [resource] = [
        one for one in every_resource(service_requests) if one["id"] == f"referral-{referral.pk}"
    ]
    validated(resource)
    assert resource["reasonCode"] == [{"text": "Possible stress fracture."}]
    assert resource["performerType"]["coding"][0]["code"] == "imaging"
    assert resource["code"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "3457005",
        "display": "Patient referral",
    }


def test_the_knee_note_goes_with_the_answers_and_the_booking_note_with_the_request() -> None:
    request = submit_intake(knee_notes="Aches on the left side after hills.", notes="Not Fridays.")
    intake = Intake.objects.select_related("request").get(pk=request.intake_id)
    response = validated_dict(questionnaire_response_resource(intake))
    service_request = validated_dict(appointment_request_resource(request))
    assert response["extension"] == [
        {
            "url": response["extension"][0]["url"],
            "valueString": "Aches on the left side after hills.",
        }
    ]
    assert response["extension"][0]["url"].endswith("/StructureDefinition/patient-knee-note")
    assert service_request["note"] == [{"text": "Not Fridays."}]
    assert "hills" not in json.dumps(service_request)


def validated_dict(resource: dict[str, Any]) -> dict[str, Any]:
    validated(resource)
    return resource
