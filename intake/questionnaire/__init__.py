"""The intake questionnaires: the engine (`engine`) and each version's content (`knee_v1`).

`KNEE_V1` is the questionnaire patients answer today; `validate` checks an answer set
against it. Stored intakes name their version; `questionnaire(version)` finds it again.
"""

from intake.questionnaire.engine import (
    AGE_RANGE,
    AnswersInvalid,
    AskedIn,
    EnableWhen,
    Item,
    ItemType,
    Option,
    Questionnaire,
    Step,
    Text,
    ValidatedAnswers,
)
from intake.questionnaire.knee_v1 import ACTIVITY, KNEE, KNEE_V1, SAFETY

QUESTIONNAIRES: dict[str, Questionnaire] = {KNEE_V1.version: KNEE_V1}
VERSION = KNEE_V1.version
validate = KNEE_V1.validate


def questionnaire(version: str) -> Questionnaire:
    """The questionnaire of that version (stored intakes keep the one they answered)."""
    return QUESTIONNAIRES[version]


__all__ = [
    "ACTIVITY",
    "AGE_RANGE",
    "KNEE",
    "KNEE_V1",
    "QUESTIONNAIRES",
    "SAFETY",
    "VERSION",
    "AnswersInvalid",
    "AskedIn",
    "EnableWhen",
    "Item",
    "ItemType",
    "Option",
    "Questionnaire",
    "Step",
    "Text",
    "ValidatedAnswers",
    "questionnaire",
    "validate",
]
