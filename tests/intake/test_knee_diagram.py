"""The knee step's diagram as the server renders it (the browser tests drive it)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from intake.questionnaire import KNEE_V1, SAFETY
from tests.factories import valid_answers
from tests.intake.site_client import form_values, post_step, step_url

PAIN_LOCATION = KNEE_V1.by_link_id["pain_location"]


class _Tags(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def knee_step_tags(client: Client) -> list[tuple[str, dict[str, str | None]]]:
    client.get(reverse("intake:start"))
    post_step(client, SAFETY.code, form_values(valid_answers(), SAFETY.code))
    response = client.get(step_url("knee"))
    assert response.status_code == 200
    parser = _Tags()
    parser.feed(response.content.decode())
    return parser.tags


@pytest.mark.django_db
def test_knee_diagram_has_one_named_region_per_pain_location(client: Client) -> None:
    tags = knee_step_tags(client)

    regions = [attrs for _, attrs in tags if "data-code" in attrs]
    assert [(r["data-code"], r["aria-label"]) for r in regions] == [
        (option.code, option.text.en) for option in PAIN_LOCATION.options
    ]
    for region in regions:
        assert (region["role"], region["tabindex"], region["aria-checked"]) == (
            "checkbox",
            "0",
            "false",
        )


@pytest.mark.django_db
def test_every_region_on_the_drawing_has_a_shape(client: Client) -> None:
    tags = knee_step_tags(client)

    ids = {attrs["id"] for _, attrs in tags if attrs.get("id")}
    on_drawing = [attrs["data-code"] for tag, attrs in tags if tag == "g" and "data-code" in attrs]
    drawn = [attrs["href"] for tag, attrs in tags if tag == "use"]
    assert drawn == [f"#knee-shape-{code}" for code in on_drawing]
    assert {href.removeprefix("#") for href in drawn} <= ids


@pytest.mark.django_db
def test_knee_diagram_stays_hidden_until_its_script_runs(client: Client) -> None:
    tags = knee_step_tags(client)

    diagram = next(attrs for _, attrs in tags if "data-knee-diagram" in attrs)
    assert "hidden" in diagram
    checkboxes = [
        attrs["value"]
        for tag, attrs in tags
        if tag == "input"
        and attrs.get("type") == "checkbox"
        and attrs.get("name") == "knee-pain_location"
    ]
    assert checkboxes == list(PAIN_LOCATION.codes)
    scripts = [attrs["src"] for tag, attrs in tags if tag == "script"]
    assert any((src or "").endswith("/knee-diagram.js") for src in scripts)
