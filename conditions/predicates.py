"""A tiny vocabulary for the pre-screen rules: conditions on the answers, readable and fast.

Each builder returns a `Predicate`: a precompiled test, the condition in words for people
reading the rules, and the answers it reads (so tests can check every linkId and option
code against the questionnaire, and a typo cannot silently never fire).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Any, Literal

# Answers are JSON values of several types, read by the tests below as each item's type says.
type Answers = Mapping[str, Any]
type Test = Callable[[Answers, int], bool]


@dataclass(frozen=True, slots=True)
class Ref:
    """One answer a predicate reads: its linkId, the item type it expects, the codes it names."""

    link_id: str
    kind: Literal["boolean", "choice", "multi"]
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Predicate:
    test: Test
    text: str
    refs: tuple[Ref, ...] = ()


def yes(link_id: str) -> Predicate:
    """A boolean item answered true."""
    return Predicate(
        lambda answers, age: answers.get(link_id) is True,
        f"{link_id} is yes",
        (Ref(link_id, "boolean"),),
    )


def no(link_id: str) -> Predicate:
    """A boolean item answered false (not merely unanswered)."""
    return Predicate(
        lambda answers, age: answers.get(link_id) is False,
        f"{link_id} is no",
        (Ref(link_id, "boolean"),),
    )


def answer_is(link_id: str, *codes: str) -> Predicate:
    """A choice item answered with one of `codes`."""
    wanted = frozenset(codes)
    return Predicate(
        lambda answers, age: answers.get(link_id) in wanted,
        f"{link_id} is {' or '.join(codes)}",
        (Ref(link_id, "choice", codes),),
    )


def includes(link_id: str, *codes: str) -> Predicate:
    """A multi item that includes at least one of `codes`."""
    text = f"{link_id} includes {' or '.join(codes)}"
    refs = (Ref(link_id, "multi", codes),)
    if len(codes) == 1:
        (code,) = codes
        return Predicate(lambda answers, age: code in answers.get(link_id, ()), text, refs)
    wanted = frozenset(codes)
    return Predicate(
        lambda answers, age: not wanted.isdisjoint(answers.get(link_id, ())), text, refs
    )


def age_at_least(years: int) -> Predicate:
    return Predicate(lambda answers, age: age >= years, f"age {years} or over")


def age_under(years: int) -> Predicate:
    return Predicate(lambda answers, age: age < years, f"age under {years}")


def all_of(*parts: Predicate) -> Predicate:
    """Every part holds: how combinations of findings, stronger than single items, are written."""
    return Predicate(
        reduce(_both, (part.test for part in parts)), _join(" and ", parts), _refs(parts)
    )


def any_of(*parts: Predicate) -> Predicate:
    return Predicate(
        reduce(_either, (part.test for part in parts)), _join(" or ", parts), _refs(parts)
    )


def _both(first: Test, second: Test) -> Test:
    return lambda answers, age: first(answers, age) and second(answers, age)


def _either(first: Test, second: Test) -> Test:
    return lambda answers, age: first(answers, age) or second(answers, age)


def _join(word: str, parts: tuple[Predicate, ...]) -> str:
    return "(" + word.join(part.text for part in parts) + ")"


def _refs(parts: tuple[Predicate, ...]) -> tuple[Ref, ...]:
    return tuple(ref for part in parts for ref in part.refs)
