"""Fuzz: send fuzzed patient and staff requests to the whole app and count the server errors.

    .venv/bin/python bench/fuzz.py [--requests 10000] [--seed 1]

Starts its own throwaway PostgreSQL (as the test suite does), applies the migrations, seeds
the demo (sites, one account per role, 20 intakes), signs in as each role through the real
sign-in pages with the second factor (`STAFF_2FA_REQUIRED` on, a TOTP code for therapists
and managers), then sends requests through Django's test client: the patient site's pages
and every intake step with fuzzed fields (file parts, NUL bytes, huge numbers, replayed
tokens), and for each role every admin list with fuzzed filters, date drill-downs, searches
and actions, each add and change page, and fuzzed form posts. Prints the number of requests,
the status classes, and every 500 by URL and cause (the exception). The target is 0.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["STAFF_2FA_REQUIRED"] = "true"

from bench.staff_queue import migrated_database  # noqa: E402

PASSWORD = "Fuzzing the knee clinic 42"  # noqa: S105 (a throwaway database's demo staff)
VALUES = [
    "",
    "abc",
    "0",
    "-1",
    "1",
    "9" * 20,
    "9" * 5000,
    "1\x00",
    "a\x00b",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "1e309",
    "NaN",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%",
    "é𝒳\u202e",
    "a" * 10_000,
    "[]",
    "{}",
    "null",
    " ",
    "\n",
    "../../etc/passwd",
]
FILTER_EXTRAS = ["q", "o", "p", "e", "all", "_changelist_filters", "id__exact", "pk__in"]


def sign_in_all() -> dict[str, Any]:
    """A client per role, signed in through the password page and the code page."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from intake.demo import DEMO_STAFF

    clients: dict[str, Any] = {"patient": Client(raise_request_exception=False)}
    for username, (_, _, role, _) in DEMO_STAFF.items():
        user = get_user_model().objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        client = Client(raise_request_exception=False)
        client.post(reverse("admin:login"), {"username": username, "password": PASSWORD})
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        client.post(reverse("admin:signin_verify"), {"code": f"{totp.token():06d}"})
        assert client.get("/admin/").status_code == 200, f"{username} could not sign in"
        clients[f"{role} ({username})"] = client
    return clients


def admin_targets() -> list[tuple[str, str, list[str], Any]]:
    """(changelist URL, add URL, filter parameter names, model admin) for every admin page."""
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    targets = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        try:
            changelist = reverse("admin:{}_{}_changelist".format(*info))
        except NoReverseMatch:
            continue
        try:
            add = reverse("admin:{}_{}_add".format(*info))
        except NoReverseMatch:
            add = ""
        names = []
        for spec in model_admin.list_filter:
            if isinstance(spec, str):
                names += [f"{spec}__exact", f"{spec}__id__exact", f"{spec}__isnull"]
            elif isinstance(spec, tuple):
                names += [f"{spec[0]}__gte", f"{spec[0]}__lt", f"{spec[0]}__exact"]
            else:
                names.append(getattr(spec, "parameter_name", None) or "x")
        if model_admin.date_hierarchy:
            names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
        targets.append((changelist, add, names, model_admin))
    return targets


def patient_requests(rng: random.Random, client: Any, tokens: list[str]) -> list[tuple]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from intake.questionnaire import KNEE_V1
    from intake.site.steps import ADVICE_AFTER

    steps = [step.code for step in KNEE_V1.steps] + ["about", "check", *ADVICE_AFTER]
    fields = {
        step.code: [item.link_id for item in KNEE_V1.items_in(step)] for step in KNEE_V1.steps
    }
    fields["about"] = [
        "first_name",
        "last_name",
        "date_of_birth",
        "email",
        "phone",
        "location",
        "notes",
    ]
    fields["check"] = ["consent_privacy", "consent_not_diagnosis", "submission_token", "website"]
    step = rng.choice(steps)
    url = reverse("intake:step", args=[step])
    kind = rng.random()
    if kind < 0.1:
        return [
            (
                "GET",
                rng.choice(
                    [
                        reverse("intake:home"),
                        reverse("intake:start"),
                        reverse("intake:privacy"),
                        reverse("intake:confirmation"),
                        url,
                        f"{reverse('intake:start')}?reset",
                    ]
                ),
                {},
            )
        ]
    if kind < 0.2:
        token = rng.choice([*tokens, rng.choice(VALUES)])
        path = rng.choice([reverse("intake:status", args=["x"]).replace("/x/", f"/{token}/")])
        return [("GET", path, {}), ("POST", path + "cancel/", {"confirm": rng.choice(VALUES)})]
    data: dict[str, Any] = {
        "intake_wizard-current_step": rng.choice([step, *rng.sample(VALUES, 1)])
    }
    for name in rng.sample(fields.get(step, ["x"]), k=min(len(fields.get(step, ["x"])), 4)):
        data[f"{step}-{name}"] = rng.choice(VALUES)
    if rng.random() < 0.2:
        data[f"{step}-upload"] = SimpleUploadedFile("knee.jpg", b"\xff\xd8" * 50, "image/jpeg")
    if rng.random() < 0.1:
        data["wizard_goto_step"] = rng.choice([*steps, *VALUES[:8]])
    if step == "check" and tokens and rng.random() < 0.3:
        data["check-submission_token"] = rng.choice(tokens)
    return [("POST", url, data)]


def staff_requests(rng: random.Random, targets: list[tuple]) -> list[tuple]:
    changelist, add, names, model_admin = rng.choice(targets)
    kind = rng.random()
    if kind < 0.55:
        params = {}
        for name in rng.sample(names + FILTER_EXTRAS, k=min(3, len(names) + len(FILTER_EXTRAS))):
            params[name] = rng.choice(VALUES)
        return [("GET", changelist, params)]
    if kind < 0.7:
        actions = [name for name in (model_admin.actions or [])] or ["delete_selected"]
        action = rng.choice(
            [a if isinstance(a, str) else getattr(a, "__name__", "x") for a in actions] + ["nope"]
        )
        return [
            (
                "POST",
                changelist,
                {
                    "action": action,
                    "_selected_action": rng.sample(VALUES, 2),
                    "index": rng.choice(VALUES),
                },
            )
        ]
    if kind < 0.85:
        target = rng.choice(
            [
                f"{changelist}{rng.choice(VALUES)}/change/",
                f"{changelist}1/change/",
                f"{changelist}1/history/",
                f"{changelist}{rng.choice(VALUES)}/delete/",
            ]
        )
        return [("GET", target, {})]
    if add:
        form = model_admin.model._meta
        data = {field.name: rng.choice(VALUES) for field in form.concrete_fields}
        return [("POST", add, data)]
    return [("GET", changelist, {"q": rng.choice(VALUES)})]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)

    with migrated_database("clinic-fuzz-"):
        from django.core.management import call_command
        from django.core.signals import got_request_exception

        from intake.models import AppointmentRequest
        from intake.status_links import status_path

        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", intakes=20, seed=options.seed, stdout=quiet)
        clients = sign_in_all()
        targets = admin_targets()
        tokens = [str(r.submission_token) for r in AppointmentRequest.objects.all()[:5]]
        tokens += [
            status_path(r).strip("/").split("/")[-1] for r in AppointmentRequest.objects.all()[:5]
        ]

        causes: collections.Counter[tuple[str, str]] = collections.Counter()
        last_error: list[BaseException] = []

        def record(sender: Any, request: Any, **kwargs: Any) -> None:
            last_error.append(sys.exc_info()[1])  # type: ignore[arg-type]

        got_request_exception.connect(record)
        statuses: collections.Counter[str] = collections.Counter()
        sent = 0
        started = time.perf_counter()
        roles = list(clients)
        stop: list[bool] = []
        # Ctrl-C or SIGTERM ends the run early and still prints the figures so far.
        signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
        try:
            while sent < options.requests and not stop:
                who = roles[sent % len(roles)]
                client = clients[who]
                batch = (
                    patient_requests(rng, client, tokens)
                    if who == "patient" or rng.random() < 0.15
                    else staff_requests(rng, targets)
                )
                for method, url, data in batch:
                    last_error.clear()
                    response = client.get(url, data) if method == "GET" else client.post(url, data)
                    sent += 1
                    statuses[f"{response.status_code // 100}xx"] += 1
                    if response.status_code >= 500:
                        error = last_error[0] if last_error else None
                        cause = (
                            f"{type(error).__name__}: {str(error)[:100]}"
                            if error
                            else "no exception"
                        )
                        causes[(f"{who} {method} {url.split('?')[0][:80]}", cause)] += 1
                if sent % 250 < len(batch):
                    print(f"  {sent} requests ...", file=sys.stderr)
        except KeyboardInterrupt:
            pass
        elapsed = time.perf_counter() - started

    errors = sum(causes.values())
    print(
        f"{sent} fuzzed requests in {elapsed:.0f} s, {len(roles)} clients: "
        "a patient and each role signed in with the second factor"
    )
    print("status classes: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    if sent < options.requests:
        print(f"stopped early, after {sent} of the {options.requests} requests asked for")
    print(f"500s: {errors} out of {sent} (target 0)")
    for (where, cause), count in causes.most_common():
        print(f"  {count:5d}  {where}  {cause}")


if __name__ == "__main__":
    main()
