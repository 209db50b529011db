"""Benchmark: pre-screens per second on one core.

    .venv/bin/python bench/prescreen.py [--cases 5000] [--rounds 7] [--seed 1] [--ruleset V]

Generates varied, valid answer sets from the questionnaire declaration (seeded, respecting
enable conditions), validates each once, then times `prescreen` alone with the ruleset new
submissions use (or `--ruleset`) and prints the best round. The target is at least 50,000
screens per second.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conditions.prescreen import prescreen
from conditions.rulesets import CURRENT, ruleset_get
from intake.questionnaire import KNEE_V1, Item, ItemType, ValidatedAnswers, validate

TARGET = 50_000


def random_value(item: Item, rng: random.Random) -> object:
    match item.type:
        case ItemType.BOOLEAN:
            # Red flags are rare in real intakes; other yes/no items are common.
            return rng.random() < (0.03 if item.red_flag else 0.4)
        case ItemType.CHOICE:
            return rng.choice(item.codes)
        case ItemType.MULTI:
            return rng.sample(item.codes, rng.randint(1 if item.required else 0, 3))
        case ItemType.INTEGER:
            return rng.randint(item.min_value or 0, item.max_value or 0)
        case ItemType.TEXT:
            return rng.choice(("", "Run a half marathon.", "Play with my kids without pain."))


def random_answers(rng: random.Random) -> dict[str, object]:
    answers: dict[str, object] = {}
    for item in KNEE_V1.items:
        if item.is_enabled(answers) and (item.required or rng.random() < 0.7):
            answers[item.link_id] = random_value(item, rng)
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ruleset", default=CURRENT.version)
    options = parser.parse_args()
    ruleset = ruleset_get(options.ruleset)

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rng = random.Random(options.seed)
    cases: list[ValidatedAnswers] = [
        validate(random_answers(rng), rng.randint(12, 90)) for _ in range(options.cases)
    ]

    best = float("inf")
    for _ in range(options.rounds):
        start = time.perf_counter()
        for answers in cases:
            prescreen(answers, answers.age, ruleset)
        best = min(best, time.perf_counter() - start)

    per_second = len(cases) / best
    print(
        f"prescreen ({ruleset.version}): {per_second:,.0f} screens/s on one core "
        f"({best / len(cases) * 1e6:.1f} µs per screen; {len(cases):,} answer sets, "
        f"best of {options.rounds} rounds; target {TARGET:,}/s)"
    )


if __name__ == "__main__":
    main()
