"""A database from before languages were codes: each patient's free-text language becomes the
code of the language it names (Spanish in any spelling: es; anything else: en-us)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from intake.models import Patient

BEFORE_CODES = [("intake", "0015_referrer_acknowledgement")]


@pytest.fixture
def before_codes(transactional_db: None) -> Iterator[Any]:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_CODES)
    yield executor.loader.project_state(BEFORE_CODES[0]).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_free_text_languages_become_codes(before_codes: Any) -> None:
    OldPatient = before_codes.get_model("intake", "Patient")
    said = ["English", "Spanish", " español ", "Espanol", "es", "French", ""]
    for n, language in enumerate(said):
        OldPatient.objects.create(
            first_name="Alex",
            last_name=f"Runner{n}",
            date_of_birth=date(1990, 5, 17),
            email=f"runner{n}@example.com",
            phone="+1 555 010 0142",
            preferred_contact="email",
            preferred_language=language,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    codes = dict(Patient.objects.values_list("last_name", "preferred_language"))
    assert [codes[f"Runner{n}"] for n in range(len(said))] == [
        "en-us",
        "es",
        "es",
        "es",
        "es",
        "en-us",
        "en-us",
    ]
