"""The intake questionnaire as FHIR: a `Questionnaire` per version, generated from the one
declaration (`intake.questionnaire`), and a `QuestionnaireResponse` per intake.

Each step of the form is a group; each question keeps its linkId, type, answer options (codes
of a code system per question, `interop.codes.answers_code_system`), enable conditions, whether
it is required, limits and help text, in the patient's wording with its translations.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from intake.models import Intake
from intake.questionnaire import EnableWhen, Item, ItemType, Option, Questionnaire, questionnaire
from interop.codes import (
    HELP_CONTROL,
    ITEM_CODES,
    ITEM_CONTROL,
    MAX_VALUE,
    MIN_VALUE,
    RED_FLAG,
    answers_code_system,
    has_options,
)
from interop.identifiers import (
    extension_url,
    identifier_system,
    questionnaire_url,
    reference,
    resource_id,
)
from interop.mapping import Resource
from interop.mapping.elements import extension, instant, meta, resource
from interop.mapping.translations import source_language, source_text, translated

_TYPES = {
    ItemType.BOOLEAN: "boolean",
    ItemType.CHOICE: "choice",
    ItemType.MULTI: "choice",
    ItemType.INTEGER: "integer",
    ItemType.TEXT: "text",
}


def questionnaire_canonical(version: str) -> str:
    return f"{questionnaire_url()}|{version}"


def questionnaire_resource(declaration: Questionnaire) -> Resource:
    """The whole questionnaire of one version."""
    found = resource(
        "Questionnaire",
        declaration.version,
        url=questionnaire_url(),
        version=declaration.version,
        name="KneeIntake",
        status="active",
        subjectType=["Patient"],
        publisher=settings.CLINIC_NAME,
        language=source_language(),
    )
    translated(found, "title", _("Knee intake questionnaire"))
    found["item"] = [
        translated(
            {
                "linkId": step.code,
                "type": "group",
                "item": [_item(declaration, item) for item in declaration.items_in(step)],
            },
            "text",
            step.title,
        )
        for step in declaration.steps
    ]
    return found


def _item(declaration: Questionnaire, item: Item) -> dict[str, Any]:
    found: dict[str, Any] = {"linkId": item.link_id}
    code = ITEM_CODES.get(item.link_id)
    if code is not None:
        found["code"] = [code.coding()]
    elif item.red_flag is not None:
        found["code"] = [RED_FLAG.code(item.link_id).coding()]
    translated(found, "text", item.text)
    found["type"] = _TYPES[item.type]
    if item.enable_when:
        found["enableWhen"] = [_enable_when(declaration, cond) for cond in item.enable_when]
        if len(item.enable_when) > 1:
            found["enableBehavior"] = "all"
    found["required"] = item.required
    if item.type == ItemType.MULTI:
        found["repeats"] = True
    if item.max_length is not None:
        found["maxLength"] = item.max_length
    extensions = []
    if item.min_value is not None:
        extensions.append({"url": MIN_VALUE, "valueInteger": item.min_value})
    if item.max_value is not None:
        extensions.append({"url": MAX_VALUE, "valueInteger": item.max_value})
    if extensions:
        found["extension"] = extensions
    if has_options(item):
        found["answerOption"] = [
            {"valueCoding": _option_coding(declaration, item, option)} for option in item.options
        ]
    if item.help_text:
        found["item"] = [_help(item)]
    return found


def _option_coding(declaration: Questionnaire, item: Item, option: Option) -> dict[str, Any]:
    coding = {"system": answers_code_system(declaration, item).url, "code": option.code}
    return translated(coding, "display", option.text)


def _enable_when(declaration: Questionnaire, cond: EnableWhen) -> dict[str, Any]:
    asked = declaration.by_link_id[cond.question]
    answer: dict[str, Any]
    if asked.type == ItemType.BOOLEAN:
        answer = {"answerBoolean": cond.answer}
    elif asked.type == ItemType.INTEGER:
        answer = {"answerInteger": cond.answer}
    else:
        option = next(option for option in asked.options if option.code == cond.answer)
        # A condition matches the answer's coding, which carries no translations: neither
        # does the coding it is matched against (the option itself has them).
        coding = {
            "system": answers_code_system(declaration, asked).url,
            "code": option.code,
            "display": source_text(option.text),
        }
        answer = {"answerCoding": coding}
    return {"question": cond.question, "operator": "=", **answer}


def _help(item: Item) -> dict[str, Any]:
    help_item: dict[str, Any] = {
        "extension": [{"url": ITEM_CONTROL, "valueCodeableConcept": HELP_CONTROL.concept()}],
        "linkId": f"{item.link_id}.help",
    }
    translated(help_item, "text", item.help_text)
    help_item["type"] = "display"
    return help_item


# --- QuestionnaireResponse ------------------------------------------------------------------


def questionnaire_response_resource(intake: Intake) -> Resource:
    """One intake's answers, in the questionnaire version it was answered in.

    Reads ``intake.request`` (select it with the intake)."""
    declaration = questionnaire(intake.questionnaire_version)
    patient = reference("Patient", resource_id("patient", intake.patient_id))
    appointment_request = intake.request
    groups = []
    for step in declaration.steps:
        items = [
            answered
            for item in declaration.items_in(step)
            if (answered := _answered(declaration, item, intake.answers)) is not None
        ]
        if items:
            groups.append({"linkId": step.code, "text": source_text(step.title), "item": items})
    return resource(
        "QuestionnaireResponse",
        resource_id("intake", intake.pk),
        meta=meta(intake.submitted_at),
        identifier={
            "system": identifier_system("request"),
            "value": appointment_request.reference,
        },
        basedOn=[reference("ServiceRequest", resource_id("request", appointment_request.pk))],
        questionnaire=questionnaire_canonical(declaration.version),
        status="completed",
        subject=patient,
        authored=instant(intake.submitted_at),
        author=patient,
        source=patient,
        item=groups,
        # What the patient wrote about their knee beyond the questions: clinical, so with the
        # answers (the ServiceRequest's note is the front desk's, for booking).
        extension=[extension(extension_url("patient-knee-note"), valueString=intake.knee_notes)]
        if intake.knee_notes
        else None,
    )


def _answered(
    declaration: Questionnaire, item: Item, answers: dict[str, Any]
) -> dict[str, Any] | None:
    """The response item for one question, or None when it was not answered (not shown,
    optional and skipped, left empty, or a multi-choice with nothing chosen)."""
    if item.link_id not in answers:
        return None
    value = answers[item.link_id]
    values: list[Any] = list(value) if item.type == ItemType.MULTI else [value]
    # FHIR has no empty answer: an empty text box, like an empty multiple choice, is none.
    values = [one for one in values if one != ""]
    if not values:
        return None
    answer: list[dict[str, Any]] = []
    for one in values:
        match item.type:
            case ItemType.BOOLEAN:
                answer.append({"valueBoolean": one})
            case ItemType.INTEGER:
                answer.append({"valueInteger": one})
            case ItemType.TEXT:
                answer.append({"valueString": one})
            case _:
                system = answers_code_system(declaration, item).url
                coding = {
                    "system": system,
                    "code": one,
                    "display": source_text(item.option_text(one)),
                }
                answer.append({"valueCoding": coding})
    return {"linkId": item.link_id, "text": source_text(item.text), "answer": answer}
