from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from conditions.prescreen import prescreen
from tests.conditions.answers import SAMPLES, baseline_answers, load_samples

ROOT = Path(__file__).resolve().parents[2]


def run(path: Path | str) -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("prescreen", str(path), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_prints_the_engine_result_as_one_json_line(tmp_path: Path) -> None:
    answers = baseline_answers(pain_location=["front"], aggravators=["squatting"])
    lines = run(write(tmp_path, {"age": 34, "answers": answers}))
    assert lines == [prescreen(answers, 34).as_dict()]


def test_a_list_gives_one_line_per_input_in_order(tmp_path: Path) -> None:
    cases = [
        {"age": 30, "answers": baseline_answers(rf_locked=True)},
        {"age": 70, "answers": baseline_answers(tender_lump=True)},
    ]
    lines = run(write(tmp_path, cases))
    assert lines == [prescreen(case["answers"], case["age"]).as_dict() for case in cases]


def test_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    case = {"age": 45, "answers": baseline_answers(rf_calf_swelling=True)}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(case)))
    assert run("-") == [prescreen(case["answers"], 45).as_dict()]


def test_screens_the_annotated_sample_file_as_it_is() -> None:
    samples = load_samples()
    lines = run(SAMPLES)
    assert [line["triage"] for line in lines] == [case["expect"]["triage"] for case in samples]


def test_invalid_input_names_every_problem_with_its_index(tmp_path: Path) -> None:
    cases = [
        {"age": 30, "answers": baseline_answers()},
        {"age": 30, "answers": baseline_answers(side="middle", pain_now=11)},
        {"answers": baseline_answers()},
        "not an object",
    ]
    with pytest.raises(CommandError) as raised:
        run(write(tmp_path, cases))
    assert raised.value.returncode == 2
    named = [line.split(":")[0] for line in str(raised.value).splitlines()[1:]]
    assert named == ["[1] side", "[1] pain_now", "[2] age", "[3] input"]


def test_a_single_invalid_object_names_items_without_an_index(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        run(write(tmp_path, {"age": 30, "answers": baseline_answers(swelling="lots")}))
    assert str(raised.value).splitlines()[1].startswith("swelling: ")


def test_nothing_is_printed_when_any_input_is_invalid(tmp_path: Path) -> None:
    cases = [{"age": 30, "answers": baseline_answers()}, {"age": 30, "answers": {}}]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("prescreen", str(write(tmp_path, cases)), stdout=out)
    assert out.getvalue() == ""


def test_malformed_json_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"age": 30, "answers": {', encoding="utf-8")
    with pytest.raises(CommandError, match=r"not valid JSON: .* line 1") as raised:
        run(path)
    assert raised.value.returncode == 2


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read") as raised:
        run(tmp_path / "missing.json")
    assert raised.value.returncode == 2


def test_the_real_command_exits_with_status_2_and_explains_on_stderr() -> None:
    case = {"age": 130, "answers": baseline_answers(side="middle")}
    completed = subprocess.run(
        [sys.executable, "manage.py", "prescreen", "-"],
        cwd=ROOT,
        input=json.dumps(case),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "age: " in completed.stderr
    assert "side: " in completed.stderr
    assert "Traceback" not in completed.stderr


def run_real(text: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "prescreen", "-"],
        cwd=ROOT,
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"age": ' + "9" * 5000 + ', "answers": {}}', "number too long"),
        ('{"age": 30, "answers": {"pain_now": ' + "9" * 5000 + "}}", "number too long"),
    ],
    ids=["deeply-nested", "5000-digit-age", "5000-digit-answer"],
)
def test_input_beyond_pythons_limits_exits_2_with_a_message(text: str, said: str) -> None:
    completed = run_real(text)
    assert completed.returncode == 2
    assert said in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_4000_digit_age_is_named_out_of_range_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"age": ' + "9" * 4000 + ', "answers": {}}', encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run(path)
    assert raised.value.returncode == 2
    assert "age: An age of a number with more than 40 digits is out of range" in str(raised.value)
