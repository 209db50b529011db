"""`python manage.py prescreen FILE`: pre-screen answer sets given as JSON.

FILE (or `-` for standard input) holds `{"age": 34, "answers": {...}}` or a list of such
objects. Prints one JSON result per input, one per line. Any invalid input stops the command
with exit status 2 and names every problem; nothing is printed unless every input is valid.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from conditions.prescreen import prescreen
from intake.questionnaire import AnswersInvalid, ValidatedAnswers, validate

INVALID_INPUT = 2


class Command(BaseCommand):
    help = (
        'Pre-screen {"age": ..., "answers": {...}} objects (one, or a JSON list) read from FILE '
        "or standard input (-); prints one JSON result per line."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="a JSON file, or - for standard input")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        data = _load(file)
        cases = data if isinstance(data, list) else [data]
        validated: list[ValidatedAnswers] = []
        problems: list[str] = []
        for index, case in enumerate(cases):
            where = f"[{index}] " if isinstance(data, list) else ""
            try:
                validated.append(_validate_case(case))
            except AnswersInvalid as error:
                problems += [f"{where}{key}: {message}" for key, message in error.messages()]
        if problems:
            raise CommandError(
                f"invalid input in {_name(file)}, nothing was screened:\n" + "\n".join(problems),
                returncode=INVALID_INPUT,
            )
        for answers in validated:
            self.stdout.write(json.dumps(prescreen(answers, answers.age).as_dict()))


def _name(file: str) -> str:
    return "standard input" if file == "-" else file


def _load(file: str) -> object:
    try:
        if file == "-":
            text = sys.stdin.read()
        else:
            with open(file, encoding="utf-8") as stream:
                text = stream.read()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            f"cannot read {_name(file)}: {error}", returncode=INVALID_INPUT
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{_name(file)} is not valid JSON: {error.msg} "
            f"at line {error.lineno}, column {error.colno}",
            returncode=INVALID_INPUT,
        ) from error
    except (ValueError, RecursionError) as error:
        # Python's own limits: an integer of over 4,300 digits (ValueError) or nesting deeper
        # than the interpreter's stack (RecursionError). Bad input, not a crash.
        reason = (
            "nested too deeply" if isinstance(error, RecursionError) else "has a number too long"
        )
        raise CommandError(
            f"{_name(file)} cannot be read as JSON: it {reason}.", returncode=INVALID_INPUT
        ) from error


def _validate_case(case: object) -> ValidatedAnswers:
    if not isinstance(case, dict):
        raise AnswersInvalid(
            {"input": ['Each input must be an object {"age": ..., "answers": {...}}.']}
        )
    # Other keys (an id, a note) are ignored, so annotated case files can be screened as they are.
    return validate(case.get("answers"), case.get("age"))
