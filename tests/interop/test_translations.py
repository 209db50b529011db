"""The generated Questionnaire carries the patient wording's translations, from whatever
catalogue the site has for its other languages."""

from __future__ import annotations

from pathlib import Path

from django.test import override_settings

from intake.questionnaire import KNEE_V1
from interop.codes import TRANSLATION
from interop.mapping.questionnaire import questionnaire_resource
from tests.interop.catalogue import write_mo
from tests.interop.fhir import validated

SIDE = KNEE_V1.by_link_id["side"]


def translation_of(element: dict, name: str) -> dict[str, str]:  # type: ignore[type-arg]
    found = {}
    for extension in element.get(f"_{name}", {}).get("extension", []):
        assert extension["url"] == TRANSLATION
        parts = {
            part["url"]: next(v for k, v in part.items() if k != "url")
            for part in extension["extension"]
        }
        found[parts["lang"]] = parts["content"]
    return found


def test_without_other_languages_there_are_no_translations() -> None:
    side = _item(questionnaire_resource(KNEE_V1), "side")
    assert "_text" not in side


def test_translations_in_the_catalogue_are_published(tmp_path: Path) -> None:
    write_mo(
        tmp_path / "es" / "LC_MESSAGES" / "django.mo",
        {SIDE.text: "¿Qué rodilla le duele?", SIDE.options[0].text: "Rodilla izquierda"},
    )
    with override_settings(
        LOCALE_PATHS=[str(tmp_path)], LANGUAGES=[("en-us", "English"), ("es", "Español")]
    ):
        declared = questionnaire_resource(KNEE_V1)
    validated(declared)
    side = _item(declared, "side")
    assert side["text"] == SIDE.text  # the wording itself stays in English
    assert translation_of(side, "text") == {"es": "¿Qué rodilla le duele?"}
    left = side["answerOption"][0]["valueCoding"]
    assert translation_of(left, "display") == {"es": "Rodilla izquierda"}
    # An option without a translation carries none.
    assert "_display" not in side["answerOption"][1]["valueCoding"]


def _item(declared: dict, link_id: str) -> dict:  # type: ignore[type-arg]
    return next(
        item for group in declared["item"] for item in group["item"] if item["linkId"] == link_id
    )
