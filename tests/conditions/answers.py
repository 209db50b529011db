"""Answer sets for the pre-screen, questionnaire and command tests.

`baseline_answers` is a valid knee-v1 answer set with no red flag and a neutral, gradual
picture, so a test changes only what it is about. `answer_sets` is a hypothesis strategy for
valid answer sets, derived from the questionnaire declaration (enable conditions included).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from conditions.rules import ASKED_RED_FLAGS
from intake.questionnaire import KNEE_V1, Item, ItemType

# The clinicians' sample cases; the shared folder sits beside the repository.
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "vignettes" / "samples.json"


def load_samples() -> list[dict[str, Any]]:
    return json.loads(SAMPLES.read_text(encoding="utf-8"))


NEUTRAL = {
    "side": "right",
    "pain_location": ["whole"],
    "onset": "gradual",
    "duration": "1_to_6_weeks",
    "pain_now": 3,
    "pain_worst_week": 5,
    "aggravators": [],
    "morning_stiffness": "none",
    "stiff_after_rest": False,
    "swelling": "none",
    "tender_lump": False,
    "mechanical": [],
    "kneecap_dislocation": "never",
    "kneecap_unstable": False,
    "alignment": "straight",
    "gait_changed": False,
    "training_change": False,
    "previous_injury": False,
    "previous_surgery": False,
    "diagnosed_arthritis": False,
}

# The follow-up answers of an unremarkable injury (a fall without a pop, swelling or bruising).
INJURY = {
    "onset": "injury",
    "injury_mechanism": ["fall"],
    "felt_pop": False,
    "swelling_after_injury": "none",
    "rapid_bruising": False,
}


def baseline_answers(**changes: Any) -> dict[str, Any]:
    """A valid, unremarkable answer set with `changes` applied."""
    answers: dict[str, Any] = {flag.code: False for flag in ASKED_RED_FLAGS}
    answers.update(NEUTRAL)
    answers.update(changes)
    return answers


def injury_answers(**changes: Any) -> dict[str, Any]:
    """`baseline_answers` for pain that began with an injury 1 to 6 weeks ago."""
    return baseline_answers(**{**INJURY, **changes})


def item_values(item: Item) -> st.SearchStrategy[object]:
    match item.type:
        case ItemType.BOOLEAN:
            return st.booleans()
        case ItemType.CHOICE:
            return st.sampled_from(item.codes)
        case ItemType.MULTI:
            return st.lists(
                st.sampled_from(item.codes), min_size=1 if item.required else 0, unique=True
            )
        case ItemType.INTEGER:
            return st.integers(item.min_value, item.max_value)
        case ItemType.TEXT:
            # A small alphabet: the rules never read free text, and it keeps generation fast.
            return st.text("ab cé✓\n", max_size=item.max_length or 0)
    raise AssertionError(item.type)


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, object]:
    """Valid knee-v1 answer sets: only shown items, optional ones sometimes left out."""
    answers: dict[str, object] = {}
    for item in KNEE_V1.items:
        if item.is_enabled(answers) and (item.required or draw(st.booleans())):
            answers[item.link_id] = draw(item_values(item))
    return answers


ages = st.integers(0, 120)
