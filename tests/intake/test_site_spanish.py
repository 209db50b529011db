"""The questionnaire's pages in Spanish: each step's questions, options, help texts and
errors in the active language, built from the declaration's own Spanish, and English as before.

Each request says Spanish both ways a page can be asked for it: the browser's Accept-Language
(LocaleMiddleware) and the active language of the test's thread."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake.questionnaire import KNEE_V1, Step, Text
from staff.roles import THERAPIST
from tests.factories import LocationFactory, valid_answers
from tests.intake.site_client import (
    about_values,
    form_values,
    go_on_from_advice,
    post_step,
    started,
    step_url,
)
from tests.intake.staff import client_for, urgent_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]

STEPS = {step.code: step for step in KNEE_V1.steps}
ENGLISH, SPANISH = "en-us", "es"


@contextmanager
def speaking(client: Client, language: str) -> Iterator[Client]:
    """Requests from `client` in `language`, however the site picks a page's language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    try:
        with translation.override(language):
            yield client
    finally:
        del client.defaults["HTTP_ACCEPT_LANGUAGE"]


def page_of(response: Any) -> str:
    """The page's main content as read (the header names the clinic, whose name has words of
    its own: "Riverside Running Knee Clinic")."""
    assert response.status_code == 200
    html = response.content.decode()
    start, end = html.index("<main"), html.index("</main>")
    return unescape(html[start:end])


def said(form: Any) -> dict[str, list[str]]:
    """A form's error messages as the page says them (they are lazy: said while the page's
    language is active)."""
    return {name: list(messages) for name, messages in form.errors.items()}


def wordings_of(step: Step) -> list[Text]:
    """What a patient reads on the step's page, from the declaration: the step's title and
    intro, and each question, its help and its options (a distance asked in kilometres)."""
    return [
        step.title,
        step.intro,
        *(
            wording
            for item in KNEE_V1.items_in(step)
            for wording in (item.text, item.help_text, *(option.text for option in item.options))
            if wording
        ),
    ]


@pytest.mark.parametrize("step", STEPS)
def test_a_step_in_spanish_asks_every_question_in_spanish_and_none_in_english(
    client: Client, step: str
) -> None:
    with speaking(started(client), SPANISH):
        page = page_of(client.get(step_url(step)))
    for wording in wordings_of(STEPS[step]):
        assert wording.es in page
        if wording.en != wording.es:
            assert wording.en not in page


@pytest.mark.parametrize("step", STEPS)
def test_a_step_in_english_is_as_before(client: Client, step: str) -> None:
    page = page_of(started(client).get(step_url(step)))
    for wording in wordings_of(STEPS[step]):
        assert wording.en in page
        if wording.en != wording.es:
            assert wording.es not in page


def test_the_safety_check_in_spanish_offers_none_of_these_and_yes_or_no(client: Client) -> None:
    with speaking(started(client), SPANISH):
        page = page_of(client.get(step_url("safety")))
    assert "No tengo ninguna de estas cosas" in page
    assert "Marque esta casilla si la respuesta a todas las preguntas de abajo es No." in page
    labels = re.findall(r'class="form-check-label">\s*(.*?)\s*</label>', page)
    yes_no = [label for label in labels if label != "No tengo ninguna de estas cosas"]
    assert set(yes_no) == {"Sí", "No"}
    assert len(yes_no) == 2 * len(KNEE_V1.items_in(STEPS["safety"]))
    assert "None of these apply to me" not in page


def test_the_progress_names_every_step_in_spanish(client: Client) -> None:
    with speaking(started(client), SPANISH):
        page = page_of(client.get(step_url("knee")))
    for title in ("Revisión de seguridad", "Su rodilla", "Actividad e historial"):
        assert title in page
    assert "Sobre usted" in page
    assert "Revisar y enviar" in page


def test_the_knee_diagram_speaks_spanish(client: Client) -> None:
    with speaking(started(client), SPANISH):
        page = page_of(client.get(step_url("knee")))
    where = KNEE_V1.by_link_id["pain_location"]
    for option in where.options:
        assert f'aria-label="{option.text.es}"' in page
    assert "Toque cada lugar del dibujo donde le duele la rodilla" in page
    assert 'data-text-chosen="Usted eligió:"' in page
    assert 'data-text-right="derecha"' in page
    assert ">Frente</text>" in page
    assert "Tap each place" not in page
    assert ">Front</text>" not in page


def test_labels_are_said_in_the_language_of_each_render(client: Client) -> None:
    # Form classes and their layouts are built once per process: a page in Spanish between two
    # in English must not leave either in the other's words.
    started(client)
    knee = STEPS["knee"]
    notes = {
        ENGLISH: "Only answer these questions if you answered “Suddenly, at a moment I remember "
        "or with an injury” to “How did the pain start?”",
        SPANISH: "Conteste estas preguntas solo si contestó “De repente, en un momento que "
        "recuerdo o con una lesión” a la pregunta “¿Cómo empezó el dolor?”",
    }
    for language in (ENGLISH, SPANISH, ENGLISH, SPANISH):
        other = SPANISH if language == ENGLISH else ENGLISH
        with speaking(client, language):
            page = page_of(client.get(step_url("knee")))
        for wording in wordings_of(knee):
            assert wording.in_language(language) in page, (language, wording.en)
            if wording.en != wording.es:
                assert wording.in_language(other) not in page, (language, wording.en)
        assert notes[language] in page
        assert notes[other] not in page


def test_missing_answers_in_spanish_are_told_in_spanish(client: Client) -> None:
    with speaking(started(client), SPANISH):
        page = page_of(post_step(client, "safety", {}))
    first = KNEE_V1.items_in(STEPS["safety"])[0]
    assert f"{first.text.es} Por favor, conteste esta pregunta." in page  # the error summary
    assert page.count("Por favor, conteste esta pregunta.") >= 2 * len(
        KNEE_V1.items_in(STEPS["safety"])
    )
    assert "Please answer this question." not in page


def test_questions_an_injury_asks_are_required_in_spanish(client: Client) -> None:
    values = form_values(valid_answers(onset="injury"), "knee")
    del values["side"]
    with speaking(started(client), SPANISH):
        response = post_step(client, "knee", values)
        errors = said(response.context["form"])
    assert errors["side"] == ["Por favor, conteste esta pregunta."]
    assert errors["felt_pop"] == ["Por favor, conteste esta pregunta."]  # told by validate()
    assert errors["injury_mechanism"] == ["Elija al menos una respuesta."]
    page = page_of(response)
    assert "Please answer" not in page
    assert "Choose at least one answer" not in page


def test_number_and_length_limits_are_told_in_spanish(client: Client) -> None:
    values = form_values(valid_answers(), "activity")
    values.update(weekly_distance_km="500", goal="x" * 1001)
    started(client)
    post_step(client, "safety", form_values(valid_answers(), "safety"))
    post_step(client, "knee", form_values(valid_answers(), "knee"))
    with speaking(client, SPANISH):
        errors = said(post_step(client, "activity", values).context["form"])
    assert errors["weekly_distance_km"] == ["Por favor, escriba un número del 0 al 300."]
    assert errors["goal"] == ["Por favor, acórtelo a 1000 caracteres o menos (ahora tiene 1001)."]


def test_a_choice_no_question_offers_is_refused_in_spanish(client: Client) -> None:
    values = form_values(valid_answers(), "knee")
    values["side"] = "middle"
    with speaking(started(client), SPANISH):
        errors = said(post_step(client, "knee", values).context["form"])
    assert errors["side"] == ["Por favor, elija una de las respuestas que se muestran."]


def test_the_check_page_in_spanish_repeats_the_answers_in_spanish(client: Client) -> None:
    answers = valid_answers(rf_locked=False, side="both")
    location = LocationFactory()
    with speaking(started(client), SPANISH):
        for step in STEPS:
            go_on_from_advice(client, post_step(client, step, form_values(answers, step)))
    go_on_from_advice(client, post_step(client, "about", about_values(location.pk)))
    with speaking(client, SPANISH):
        page = page_of(client.get(step_url("check")))
    side = KNEE_V1.by_link_id["side"]
    assert side.text.es in page
    assert "Las dos rodillas" in page
    assert "3 de 10" in page
    assert side.text.en not in page
    assert "Both knees" not in page
    # The details page was answered in English; the last page lists them in Spanish.
    assert "Fecha de nacimiento" in page
    assert "Date of birth" not in page


def test_staff_read_the_answers_in_english_whatever_language_is_asked_for() -> None:
    request = urgent_request()
    locked = KNEE_V1.by_link_id["rf_locked"]
    client = client_for(THERAPIST)
    with speaking(client, SPANISH):
        page = page_of(client.get(reverse("admin:intake_intake_change", args=[request.intake_id])))
    assert locked.text.en in page
    assert locked.text.es not in page
    assert "Safety check" in page
    assert "Revisión de seguridad" not in page
    assert "Rodilla" not in page
    assert ">Front</text>" in page  # the knee drawing, as staff see it
    assert ">Frente</text>" not in page
