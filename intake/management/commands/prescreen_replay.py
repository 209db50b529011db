"""`python manage.py prescreen_replay --ruleset NEW [--baseline OLD] [--since DATE]`.

Runs a candidate pre-screen ruleset over every stored intake and prints what would change:
triage levels (raised and lowered), top categories (from which to which), and agreement with
the therapists' recorded reviews under the baseline and under the candidate. The baseline is
each intake's stored result unless `--baseline` names a ruleset to run over the same answers.

Exit status: 0 when no intake would be triaged lower, 1 when any would (they are listed by
reference: a release blocker), 2 for bad arguments.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from conditions.categories import Triage
from conditions.rules import Ruleset
from conditions.rulesets import UnknownRuleset, ruleset_get
from intake.selectors.replay import STORED, ReplayReport, prescreen_replay

LOWERED = 1
BAD_ARGUMENTS = 2


class Command(BaseCommand):
    help = (
        "Replay a candidate pre-screen ruleset over the stored intakes and report what would "
        "change; exits 1 if any intake would be triaged lower."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ruleset", required=True, help="the candidate ruleset version")
        parser.add_argument(
            "--baseline",
            help="compare with this ruleset run over the same answers, rather than with each "
            "intake's stored result",
        )
        parser.add_argument(
            "--since", metavar="DATE", help="only intakes submitted on or after DATE (YYYY-MM-DD)"
        )

    def handle(
        self, *args: Any, ruleset: str, baseline: str | None, since: str | None, **options: Any
    ) -> None:
        candidate = _ruleset(ruleset)
        report = prescreen_replay(
            candidate=candidate,
            baseline=_ruleset(baseline) if baseline else None,
            since=_start_of(since) if since else None,
        )
        self.stdout.write("\n".join(report_lines(report)))
        if report.lowered:
            raise CommandError(
                f"{len(report.lowered)} intake(s) would be triaged lower by {candidate.version}: "
                "it must not be released.",
                returncode=LOWERED,
            )


def _ruleset(version: str) -> Ruleset:
    try:
        return ruleset_get(version)
    except UnknownRuleset as error:
        raise CommandError(str(error), returncode=BAD_ARGUMENTS) from None


def _start_of(day: str) -> datetime:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise CommandError(
            f"--since {day!r} is not a date: give it as YYYY-MM-DD", returncode=BAD_ARGUMENTS
        ) from None
    return timezone.make_aware(datetime.combine(parsed, time.min))


def report_lines(report: ReplayReport) -> list[str]:
    """The change report, as printed."""
    baseline = "each intake's stored result" if report.baseline == STORED else report.baseline
    since = f" submitted since {report.since:%Y-%m-%d}" if report.since else ""
    stored = ", ".join(f"{version} {n:,}" for version, n in sorted(report.stored_rulesets.items()))
    lines = [
        f"Replay of {report.candidate} over {report.screened:,} stored intakes{since}, against "
        f"{baseline}.",
        f"  Stored with: {stored or 'none'}.",
    ]
    if report.skipped:
        skipped = ", ".join(f"{version} {n:,}" for version, n in sorted(report.skipped.items()))
        lines.append(f"  Not replayed (another questionnaire version): {skipped}.")

    unchanged = sum(n for (old, new), n in report.triage.items() if old == new)
    lines += [
        "",
        f"Triage: {len(report.lowered):,} lowered, {report.raised:,} raised, "
        f"{unchanged:,} unchanged.",
    ]
    for (old, new), n in sorted(report.triage.items(), key=_severity_change):
        if old != new:
            lines.append(f"  {old.value} -> {new.value}: {n:,}")
    for lowered in report.lowered:
        lines.append(
            f"  LOWERED {lowered.reference} (intake {lowered.intake_id}): "
            f"{lowered.old.value} -> {lowered.new.value}"
        )

    lines += [
        "",
        f"Top category: {report.top_changed:,} of {report.screened:,} would change.",
    ]
    by_count = sorted(report.top_changes.items(), key=lambda item: (-item[1], item[0]))
    for (was, becomes), n in by_count:
        lines.append(f"  {_category(was)} -> {_category(becomes)}: {n:,}")

    lines += ["", f"Agreement with the therapists' reviews ({report.reviews:,} reviews):"]
    for name, agreed in (
        (report.baseline, report.agreed_baseline),
        (report.candidate, report.agreed_candidate),
    ):
        lines.append(
            f"  {name}: {agreed:,} of {report.reviews:,} ({_percent(agreed, report.reviews)})"
        )
    return lines


def _severity_change(item: tuple[tuple[Triage, Triage], int]) -> tuple[int, int]:
    (old, new), _ = item
    return (old.severity, new.severity)


def _category(code: str) -> str:
    return code or "(none)"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "no reviews"
