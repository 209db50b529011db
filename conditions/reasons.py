"""Reasons: a finding that fired, in words that name the patient's own answers.

A reason's text in a ruleset may hold fields: `{link_id}` is replaced by the patient's answer
to that item (for a multi item, only the codes the rule's condition names, in the ruleset's
words), `{age}` by the age. A template is turned into a small function once, when its
ruleset is compiled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from string import Formatter
from typing import NamedTuple

from conditions.predicates import Ref

type Render = Callable[[Mapping[str, object], int], str]


# A named tuple rather than a frozen dataclass: as immutable, and a screen makes dozens of
# them, which a frozen dataclass builds several times slower.
class Reason(NamedTuple):
    """A finding that fired, in words naming the patient's answer, and its evidence points."""

    text: str
    points: float


def template_fields(text: str) -> list[str]:
    """The `{field}` names in a reason's text, in order."""
    return [name for _, name, _, _ in Formatter().parse(text) if name]


def renderer(text: str, refs: tuple[Ref, ...], words: Mapping[str, Mapping[str, str]]) -> Render:
    """A function writing `text` out with the patient's answers in place of its fields.

    `refs` are the answers the rule's condition reads: a field may only name one of them
    (`conditions.rules.Ruleset` checks that when a ruleset is declared).
    """
    pieces: list[str | Render] = []
    for literal, name, _, _ in Formatter().parse(text):
        if literal:
            pieces.append(literal)
        if name:
            pieces.append(_field(text, name, refs, words.get(name, {})))
    # Most templates are "text {field} text": join those without a loop.
    if len(pieces) == 3:
        prefix, value, suffix = pieces
        if isinstance(prefix, str) and isinstance(suffix, str) and not isinstance(value, str):
            return lambda answers, age: prefix + value(answers, age) + suffix
    return lambda answers, age: "".join(
        piece if isinstance(piece, str) else piece(answers, age) for piece in pieces
    )


def listing(parts: list[str]) -> str:
    """`a`, `a and b`, `a, b and c` (empty for no parts)."""
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _field(text: str, name: str, refs: tuple[Ref, ...], words: Mapping[str, str]) -> Render:
    """How one `{name}` of `text` is written out from the answers."""
    named = [ref for ref in refs if ref.link_id == name]
    kind = named[0].kind if named else "age"

    def missing() -> ValueError:
        # The rule names an answer its condition does not require: a ruleset bug, which the
        # property tests over generated answer sets find.
        return ValueError(f"{text!r}: the patient gave no {name} to name")

    if kind == "age":
        return lambda answers, age: str(age)
    if kind == "integer":

        def number(answers: Mapping[str, object], age: int) -> str:
            answer = answers.get(name)
            if not isinstance(answer, int):
                raise missing()
            return str(answer)

        return number
    if kind == "choice":

        def choice(answers: Mapping[str, object], age: int) -> str:
            answer = answers.get(name)
            if not isinstance(answer, str) or answer not in words:
                raise missing()
            return words[answer]

        return choice
    # A multi item: the codes the condition names that the patient chose, in the rule's order.
    pairs = tuple(
        (code, words[code]) for code in dict.fromkeys(c for ref in named for c in ref.codes)
    )

    # Written once per distinct answer: there are few (the subsets of an item's codes).
    written: dict[tuple[object, ...], str] = {}

    def chosen(answers: Mapping[str, object], age: int) -> str:
        answer = answers.get(name, ())
        if not isinstance(answer, list | tuple):
            raise missing()
        key = answer if isinstance(answer, tuple) else tuple(answer)
        if (text := written.get(key)) is None:
            parts = [said for code, said in pairs if code in answer]
            if not parts:
                raise missing()
            text = written[key] = listing(parts)
        return text

    return chosen
