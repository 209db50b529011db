"""The questionnaire's patient wording carries its Spanish inside the one declaration: every
wording a patient may read has it, `str()` says the active language, and the codes, the
English and what staff read never change with it."""

from __future__ import annotations

import dataclasses

import pytest
from django.utils import translation

from intake.questionnaire import KNEE_V1, AnswersInvalid, Item, Text, validate
from intake.questionnaire.engine import NO_TEXT
from tests.factories import valid_answers

WORDINGS = KNEE_V1.wordings()
# Spanish and English words spelled the same: the only wordings allowed to read alike.
SAME_IN_BOTH = {"No"}


def declared_texts(thing: object) -> list[Text]:
    """Every `Text` a declaration object holds, found through its fields (so a wording added
    to Item, Step, Option or AskedIn later is checked without anyone listing it here)."""
    found: list[Text] = []
    for field in dataclasses.fields(thing):  # type: ignore[arg-type]
        value = getattr(thing, field.name)
        values = value if isinstance(value, tuple) else (value,)
        for one in values:
            if isinstance(one, Text):
                found.append(one)
            elif (
                dataclasses.is_dataclass(one) and not isinstance(one, type) and field.name != "step"
            ):
                found.extend(declared_texts(one))
    return found


def test_wordings_lists_every_text_the_declaration_holds() -> None:
    held = [text for step in KNEE_V1.steps for text in declared_texts(step)]
    held += [text for item in KNEE_V1.items for text in declared_texts(item) if text != NO_TEXT]
    assert set(held) == set(WORDINGS)
    assert len(WORDINGS) == 106


@pytest.mark.parametrize("text", WORDINGS, ids=lambda text: text.en[:40])
def test_every_patient_wording_has_its_spanish(text: Text) -> None:
    assert text.es.strip(), text.en
    assert text.es != text.en or text.en in SAME_IN_BOTH
    assert text.es == text.es.strip()
    assert "  " not in text.es


@pytest.mark.parametrize("item", KNEE_V1.items, ids=lambda item: item.link_id)
def test_a_spanish_question_is_asked_as_a_question(item: Item) -> None:
    if item.text.en.endswith("?"):
        assert item.text.es.endswith("?"), item.text.es
        assert "¿" in item.text.es, item.text.es


def test_str_says_the_active_language_and_english_otherwise() -> None:
    side = KNEE_V1.by_link_id["side"]
    assert str(side.text) == "Which knee hurts?"
    with translation.override("es"):
        assert str(side.text) == "¿Qué rodilla le duele?"
        assert side.option_text("both") == "Las dos rodillas"
        assert side.option_text("both", "en-us") == "Both knees"
    with translation.override("es-mx"):
        assert str(side.text) == "¿Qué rodilla le duele?"
    with translation.override("fr"):
        assert str(side.text) == "Which knee hurts?"
    assert Text("Left", es="").in_language("es") == "Left"  # no Spanish: the English


def test_answers_are_said_in_the_active_language_or_the_one_asked_for() -> None:
    locked = KNEE_V1.by_link_id["rf_locked"]
    pain = KNEE_V1.by_link_id["pain_now"]
    where = KNEE_V1.by_link_id["pain_location"]
    with translation.override("es"):
        assert locked.answer_text(True) == "Sí"
        assert pain.answer_text(4) == "4 de 10"
        assert where.answer_text(["front", "back"]) == (
            "Adelante, alrededor o detrás de la rótula; Detrás de la rodilla"
        )
        assert locked.answer_text(None) == "Sin contestar"
        assert locked.answer_text(True, "en-us") == "Yes"
        assert pain.answer_text(4, "en-us") == "4 out of 10"
    assert locked.answer_text(True) == "Yes"


def test_validation_messages_a_patient_sees_are_in_spanish() -> None:
    answers = valid_answers(onset="injury")
    answers.pop("side")
    with translation.override("es"), pytest.raises(AnswersInvalid) as raised:
        validate({**answers, "injury_mechanism": []}, 30)
    assert raised.value.errors["side"] == ["Por favor, conteste esta pregunta."]
    assert raised.value.errors["injury_mechanism"] == ["Elija al menos una respuesta."]


def test_validation_messages_stay_english_without_spanish() -> None:
    answers = valid_answers()
    answers.pop("side")
    with pytest.raises(AnswersInvalid) as raised:
        validate(answers, 30)
    assert raised.value.errors["side"] == ["Please answer this question."]


def test_codes_are_the_same_in_every_language() -> None:
    with translation.override("es"):
        codes = [(item.link_id, item.codes) for item in KNEE_V1.items]
    assert codes == [(item.link_id, item.codes) for item in KNEE_V1.items]
    assert ("side", ("left", "right", "both")) in codes
