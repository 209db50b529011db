"""Benchmark: weight and server time of each page of the patient's intake.

    .venv/bin/python bench/patient_pages.py [--requests 50]

Creates a throwaway test database (PostgreSQL when DATABASE_URL is set, else SQLite in
memory), walks an intake with the Django test client, then for every page prints the HTML
size, the static files it loads (CSS, JS, images; sizes raw and gzipped, as WhiteNoise serves
them compressed), the total page weight and the median server time over --requests GETs.
Server time is the whole Django request in-process (middleware, view, templates, database),
without network or browser time.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="(/static/[^"]+)"')


def asset_sizes(html: str) -> list[tuple[str, int, int]]:
    """(path, bytes, gzipped bytes) of each static file the page loads."""
    sizes = []
    for url in dict.fromkeys(ASSET.findall(html)):
        found = finders.find(url.removeprefix("/static/"))
        data = Path(found).read_bytes() if found else b""
        sizes.append((url, len(data), len(gzip.compress(data))))
    return sizes


def median_ms(client: Client, url: str, requests: int) -> float:
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    # No setup_test_environment(): its instrumented template rendering would add time.
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        run(args.requests)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(requests: int) -> None:
    from intake.models import AppointmentRequest
    from intake.status_links import status_path
    from tests.factories import LocationFactory, TherapistFactory, valid_answers
    from tests.intake.site_client import (
        complete_intake,
        fill_to_check,
        form_values,
        post_step,
        step_url,
    )

    locations = [LocationFactory(name="Riverside"), LocationFactory(name="Hillside")]
    for location in locations:
        TherapistFactory.create_batch(3, locations=[location])

    walker = Client()
    fill_to_check(walker, locations[0].pk)
    pages = [
        (step, walker, step_url(step)) for step in ("safety", "knee", "activity", "about", "check")
    ]

    flagged = Client()
    flagged.get(reverse("intake:start"))
    post_step(flagged, "safety", form_values(valid_answers(rf_numb_cold_foot=True), "safety"))
    pages.insert(1, ("advice (emergency)", flagged, step_url("advice")))

    # One yes and nothing else: the advice, then the questions skipped.
    one_yes = Client()
    one_yes.get(reverse("intake:start"))
    post_step(one_yes, "safety", {"rf_fever_hot_knee": "true"})
    post_step(one_yes, "advice", {})
    pages.insert(2, ("safety, rest asked", one_yes, step_url("safety")))

    # A red flag derived from the knee answers: its advice page after the knee step.
    derived = Client()
    knee = valid_answers(
        onset="injury",
        duration="under_1_week",
        injury_mechanism=["twist_pivot"],
        felt_pop=True,
        swelling_after_injury="within_2_hours",
        rapid_bruising=False,
        can_bend_90=True,
    )
    derived.get(reverse("intake:start"))
    post_step(derived, "safety", form_values(knee, "safety"))
    post_step(derived, "knee", form_values(knee, "knee"))
    pages.insert(4, ("knee-advice", derived, step_url("knee-advice")))

    sender = Client()
    complete_intake(sender, locations[0].pk)
    pages.append(("confirmation", sender, reverse("intake:confirmation")))
    pages.append(("status", Client(), status_path(AppointmentRequest.objects.get())))
    pages.insert(0, ("home", Client(), reverse("intake:home")))

    print(
        f"{'page':<20}{'HTML':>9}{'HTML gz':>9}{'assets':>9}{'assets gz':>10}"
        f"{'total':>9}{'total gz':>10}{'median ms':>11}"
    )
    heaviest = None
    for name, client, url in pages:
        html = client.get(url).content
        assets = asset_sizes(html.decode())
        raw = len(html) + sum(size for _, size, _ in assets)
        packed = len(gzip.compress(html)) + sum(gz for _, _, gz in assets)
        ms = median_ms(client, url, requests)
        print(
            f"{name:<20}{len(html):>9,}{len(gzip.compress(html)):>9,}"
            f"{sum(s for _, s, _ in assets):>9,}{sum(g for _, _, g in assets):>10,}"
            f"{raw:>9,}{packed:>10,}{ms:>11.1f}"
        )
        if heaviest is None or raw > heaviest[1]:
            heaviest = (name, raw, packed, ms, assets)
    assert heaviest is not None
    name, raw, packed, ms, assets = heaviest
    print(
        f"\nHeaviest page: {name}: {raw:,} bytes ({packed:,} gzipped), "
        f"median server time {ms:.1f} ms over {requests} requests"
    )
    for url, size, gz in assets:
        print(f"  {url}: {size:,} bytes ({gz:,} gzipped)")
    print(f"Database: {connection.vendor}")


if __name__ == "__main__":
    main()
