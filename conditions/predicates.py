"""A tiny vocabulary for the pre-screen rules: conditions on the answers, readable and fast.

Each builder returns a `Predicate`: a test, the condition in words for people reading the
rules, the answers it reads (so tests can check every linkId and option code against the
questionnaire, and a typo cannot silently never fire), and its structure. The test is the
meaning; the structure lets `conditions.prescreen` compile a whole ruleset into bit masks,
so a screen reads each answer once however many rules look at it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

type Answers = Mapping[str, object]
type Test = Callable[[Answers, int], bool]


@dataclass(frozen=True, slots=True)
class Ref:
    """One answer a predicate reads: its linkId, the item type it expects, the codes it names."""

    link_id: str
    kind: Literal["boolean", "choice", "multi", "integer"]
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Leaf:
    """A condition on one answer (or the age) that holds or not; equal leaves are one fact.

    `value`: the answer is one of `values`. `multi`: the answer includes one of `values`.
    `at_least`: the integer answer is `threshold` or more. `age_at_least`, `age_under`: the
    age against `threshold`.
    """

    kind: Literal["value", "multi", "at_least", "age_at_least", "age_under"]
    link_id: str = ""
    values: frozenset[object] = frozenset()
    threshold: int = 0


@dataclass(frozen=True, slots=True)
class Predicate:
    test: Test
    text: str
    refs: tuple[Ref, ...] = ()
    # The structure: a leaf, or an operator over parts.
    op: Literal["leaf", "all", "any", "not"] = "leaf"
    leaf: Leaf | None = None
    parts: tuple[Predicate, ...] = ()


def yes(link_id: str) -> Predicate:
    """A boolean item answered true."""
    return Predicate(
        lambda answers, age: answers.get(link_id) is True,
        f"{link_id} is yes",
        (Ref(link_id, "boolean"),),
        leaf=Leaf("value", link_id, frozenset({True})),
    )


def no(link_id: str) -> Predicate:
    """A boolean item answered false (not merely unanswered)."""
    return Predicate(
        lambda answers, age: answers.get(link_id) is False,
        f"{link_id} is no",
        (Ref(link_id, "boolean"),),
        leaf=Leaf("value", link_id, frozenset({False})),
    )


def answer_is(link_id: str, *codes: str) -> Predicate:
    """A choice item answered with one of `codes`."""
    wanted = frozenset(codes)
    return Predicate(
        lambda answers, age: answers.get(link_id) in wanted,
        f"{link_id} is {' or '.join(codes)}",
        (Ref(link_id, "choice", codes),),
        leaf=Leaf("value", link_id, frozenset(codes)),
    )


def includes(link_id: str, *codes: str) -> Predicate:
    """A multi item that includes at least one of `codes`."""
    wanted = frozenset(codes)

    def test(answers: Answers, age: int) -> bool:
        answer = answers.get(link_id, ())
        return isinstance(answer, list | tuple) and not wanted.isdisjoint(answer)

    return Predicate(
        test,
        f"{link_id} includes {' or '.join(codes)}",
        (Ref(link_id, "multi", codes),),
        leaf=Leaf("multi", link_id, frozenset(codes)),
    )


def at_least(link_id: str, value: int) -> Predicate:
    """An integer item answered with `value` or more (an optional item left out never is)."""

    def test(answers: Answers, age: int) -> bool:
        answer = answers.get(link_id)
        return isinstance(answer, int) and answer >= value

    return Predicate(
        test,
        f"{link_id} is {value} or more",
        (Ref(link_id, "integer"),),
        leaf=Leaf("at_least", link_id, threshold=value),
    )


def age_at_least(years: int) -> Predicate:
    return Predicate(
        lambda answers, age: age >= years,
        f"age {years} or over",
        leaf=Leaf("age_at_least", threshold=years),
    )


def age_under(years: int) -> Predicate:
    return Predicate(
        lambda answers, age: age < years,
        f"age under {years}",
        leaf=Leaf("age_under", threshold=years),
    )


def not_(part: Predicate) -> Predicate:
    """The part does not hold: how a finding that belongs elsewhere is kept out of a pattern."""
    test = part.test
    return Predicate(
        lambda answers, age: not test(answers, age),
        f"not {part.text}",
        part.refs,
        op="not",
        parts=(part,),
    )


def all_of(*parts: Predicate) -> Predicate:
    """Every part holds: how combinations of findings, stronger than single items, are written."""
    if not parts:
        raise ValueError("all_of needs at least one part")
    tests = tuple(part.test for part in parts)
    return Predicate(
        lambda answers, age: all(test(answers, age) for test in tests),
        _join(" and ", parts),
        _refs(parts),
        op="all",
        parts=parts,
    )


def any_of(*parts: Predicate) -> Predicate:
    if not parts:
        raise ValueError("any_of needs at least one part")
    tests = tuple(part.test for part in parts)
    return Predicate(
        lambda answers, age: any(test(answers, age) for test in tests),
        _join(" or ", parts),
        _refs(parts),
        op="any",
        parts=parts,
    )


def _join(word: str, parts: tuple[Predicate, ...]) -> str:
    return "(" + word.join(part.text for part in parts) + ")"


def _refs(parts: tuple[Predicate, ...]) -> tuple[Ref, ...]:
    return tuple(ref for part in parts for ref in part.refs)
