"""Benchmark: `prescreen_replay` over 100,000 stored intakes in PostgreSQL.

    .venv/bin/python bench/prescreen_replay.py [--intakes 100000] [--seed 1]

Starts its own throwaway PostgreSQL (as the test suite does), applies the migrations and
bulk-loads intakes, patients and requests as `bench/staff_queue.py` does, screened with
knee-v1 as a database before the release of knee-v2 holds them, with a therapist's review on
every intake that was reviewed. Then times the replay of knee-v2 the two ways the release
check runs it: against each intake's stored result, and against knee-v1 re-run over the
same answers (two screens per intake). Prints the times and the report's first lines.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.staff_queue import load, migrated_database  # noqa: E402

BATCH = 5000


def add_reviews(rng: random.Random) -> int:
    """A review of every reviewed intake: mostly agreeing, as in the demo data."""
    from django.contrib.auth import get_user_model

    from conditions.categories import Category
    from intake.models import Intake, Review

    reviewers = list(get_user_model().objects.filter(username__startswith="therapist"))
    made = 0
    rows = Intake.objects.filter(reviewed_at__isnull=False).values_list(
        "pk", "top_category", "reviewed_at"
    )
    batch: list[Review] = []
    for pk, top, reviewed_at in rows.iterator(BATCH):
        assert reviewed_at is not None  # filtered above
        agrees = bool(top) and rng.random() < 0.75
        category = top if agrees else rng.choice([c for c in Category.values if c != top])
        batch.append(
            Review(
                intake_id=pk,
                reviewer=rng.choice(reviewers),
                prescreen_category=top,
                agrees=agrees,
                category=category,
                note="" if agrees else "Reads differently.",
                created_at=reviewed_at,
            )
        )
        if len(batch) == BATCH:
            made += len(Review.objects.bulk_create(batch))
            batch = []
    return made + len(Review.objects.bulk_create(batch))


def timed_replay(*args: str) -> tuple[float, list[str]]:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    started = time.perf_counter()
    call_command("prescreen_replay", *args, stdout=out)
    return time.perf_counter() - started, out.getvalue().splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    with migrated_database("bench-replay-"):
        rng = random.Random(options.seed)
        started = time.perf_counter()
        load(options.intakes, rng, ruleset="knee-v1")
        reviews = add_reviews(rng)
        print(
            f"loaded {options.intakes:,} intakes and {reviews:,} reviews "
            f"in {time.perf_counter() - started:.0f} s"
        )
        for label, args in (
            ("against the stored results", ("--ruleset", "knee-v2")),
            ("against knee-v1 re-run", ("--ruleset", "knee-v2", "--baseline", "knee-v1")),
        ):
            seconds, lines = timed_replay(*args)
            print(
                f"replay of knee-v2 over {options.intakes:,} intakes {label}: "
                f"{seconds:.1f} s ({options.intakes / seconds:,.0f} intakes/s)"
            )
            print("\n".join(f"    {line}" for line in lines[:6] if line))


if __name__ == "__main__":
    main()
