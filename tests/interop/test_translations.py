"""The generated Questionnaire carries the patient wording's translations into the site's
other languages: the declaration's own (`Text`), and a catalogue's for other wording."""

from __future__ import annotations

from pathlib import Path

from django.test import override_settings
from django.utils import translation

from intake.questionnaire import KNEE_V1, Text
from interop.codes import TRANSLATION
from interop.mapping.questionnaire import questionnaire_resource
from tests.interop.catalogue import write_mo
from tests.interop.fhir import validated


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


ENGLISH_AND_SPANISH = [("en-us", "English"), ("es", "Español")]


@override_settings(LANGUAGES=[("en-us", "English")])
def test_without_other_languages_there_are_no_translations() -> None:
    declared = questionnaire_resource(KNEE_V1)
    assert "_text" not in _item(declared, "side")
    assert "_title" not in declared


@override_settings(LANGUAGES=ENGLISH_AND_SPANISH)
def test_the_declarations_spanish_is_published() -> None:
    declared = questionnaire_resource(KNEE_V1)
    validated(declared)
    side = _item(declared, "side")
    assert side["text"] == "Which knee hurts?"  # the wording itself stays in English
    assert translation_of(side, "text") == {"es": "¿Qué rodilla le duele?"}
    options = [option["valueCoding"] for option in side["answerOption"]]
    assert [option["code"] for option in options] == ["left", "right", "both"]  # codes as ever
    assert [translation_of(option, "display") for option in options] == [
        {"es": "Rodilla izquierda"},
        {"es": "Rodilla derecha"},
        {"es": "Las dos rodillas"},
    ]
    safety = declared["item"][0]
    assert translation_of(safety, "text") == {"es": "Revisión de seguridad"}


@override_settings(LANGUAGES=ENGLISH_AND_SPANISH)
def test_every_item_option_and_help_text_carries_its_spanish() -> None:
    declared = questionnaire_resource(KNEE_V1)
    for item in KNEE_V1.items:
        found = _item(declared, item.link_id)
        assert translation_of(found, "text") == spanish(item.text), item.link_id
        for option, coding in zip(item.options, found.get("answerOption", []), strict=True):
            assert translation_of(coding["valueCoding"], "display") == spanish(option.text)
        if item.help_text:
            assert translation_of(found["item"][0], "text") == spanish(item.help_text)


def spanish(text: Text) -> dict[str, str]:
    """The translations a wording publishes: its Spanish, unless the same as the English
    ("No" is "No")."""
    return {} if text.es == text.en else {"es": text.es}


@override_settings(LANGUAGES=ENGLISH_AND_SPANISH)
def test_the_export_is_the_same_whatever_language_is_active() -> None:
    with translation.override("es"):
        in_spanish = questionnaire_resource(KNEE_V1)
    assert in_spanish == questionnaire_resource(KNEE_V1)
    assert _item(in_spanish, "side")["text"] == "Which knee hurts?"


def test_wording_outside_the_declaration_comes_from_the_catalogue(tmp_path: Path) -> None:
    write_mo(
        tmp_path / "es" / "LC_MESSAGES" / "django.mo",
        {"Knee intake questionnaire": "Cuestionario de admisión de rodilla (prueba)"},
    )
    with override_settings(LOCALE_PATHS=[str(tmp_path)], LANGUAGES=ENGLISH_AND_SPANISH):
        declared = questionnaire_resource(KNEE_V1)
    validated(declared)
    assert declared["title"] == "Knee intake questionnaire"
    assert translation_of(declared, "title") == {
        "es": "Cuestionario de admisión de rodilla (prueba)"
    }


def _item(declared: dict, link_id: str) -> dict:  # type: ignore[type-arg]
    return next(
        item for group in declared["item"] for item in group["item"] if item["linkId"] == link_id
    )
