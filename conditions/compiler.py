"""A ruleset written out as one plain Python function, compiled once per ruleset.

Why: the pre-screen must stay well above 50,000 screens per second on one core while a
ruleset holds about a hundred weighted rules. Calling a closure per condition costs more than
the rules' arithmetic, so the compiled function reads each answer once into a local variable,
evaluates each distinct condition (`Leaf`) once, and tests each rule with `and`, `or` and
`not` over those locals. The rules stay data (`conditions.rules`): the source is written only
from them, every constant is passed in by name (never pasted in as text, except the codes,
numbers and linkIds, written with `repr`), and the tests check the compiled function against
the predicates' own tests over generated answer sets.

The function returns the red flags raised and, for each category in `Category` order, its
score with the reasons that fired, strongest first (evidence for, then evidence against).
"""

from __future__ import annotations

import linecache
from collections import Counter
from collections.abc import Callable, Mapping
from math import exp
from typing import NamedTuple, cast

from conditions.categories import Category
from conditions.predicates import Leaf, Predicate
from conditions.reasons import Reason, Render, listing, renderer, template_fields
from conditions.rules import DerivedRedFlag, RedFlag, Ruleset, hundredths_of

# Points at which a score reaches 1 - 1/e (about 0.63).
SCORE_SCALE = 1.5


class CategoryScore(NamedTuple):
    code: Category
    score: float
    # The sum of the reasons' points, of which `score` is the bounded form.
    points: float
    # Strongest first: evidence for by points, then evidence against.
    reasons: tuple[Reason, ...]
    # How many of the first reasons were decisive: in the top category, the strongest that
    # on their own outweigh the runner-up's whole total; 0 elsewhere.
    decisive: int = 0

    @property
    def decisive_reasons(self) -> tuple[Reason, ...]:
        return self.reasons[: self.decisive]


type Screen = Callable[[Mapping[str, object], int], tuple[list[RedFlag], list[CategoryScore]]]


def score_of(points: float) -> float:
    """Evidence points as a score in [0, 1): rises steadily, never saturates."""
    return 1.0 - exp(-points / SCORE_SCALE) if points > 0 else 0.0


def compile_ruleset(ruleset: Ruleset) -> Screen:
    """The ruleset as one function of (answers, age)."""
    return _Writer(ruleset).compile()


class _Writer:
    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        # The named tuples are built with tuple.__new__: their own constructor is a Python
        # function, which would add a call per reason and per category to every screen.
        self.constants: dict[str, object] = {
            "_CategoryScore": CategoryScore,
            "_Reason": Reason,
            "_exp": exp,
            "_new": tuple.__new__,
        }
        self.answers: dict[str, str] = {}
        self.leaves: dict[Leaf, str] = {}
        self.reading: list[str] = []
        # A leaf several rules test is evaluated once into a local; one tested by a single
        # rule is written into that rule's condition, where `and` may skip it.
        self.uses: Counter[Leaf] = Counter(
            leaf for predicate in _predicates(ruleset) for leaf in dict.fromkeys(_leaves(predicate))
        )

    def compile(self) -> Screen:
        body = [*self._red_flags(), "    scores = []"]
        for category in Category:
            body += self._category(category)
        body.append("    return red_flags, scores")
        source = "\n".join(
            ["def screen(answers, age):", "    get = answers.get", *self.reading, *body, ""]
        )
        filename = f"<ruleset {self.ruleset.version}>"
        # Tracebacks and debuggers show the generated lines.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        namespace = dict(self.constants)
        exec(compile(source, filename, "exec"), namespace)  # noqa: S102 (source written above from the ruleset)
        screen = cast(Screen, namespace["screen"])
        screen.__doc__ = f"Ruleset {self.ruleset.version}, compiled:\n\n{source}"
        return screen

    def _red_flags(self) -> list[str]:
        lines = ["    red_flags = []"]
        for flag in self.ruleset.asked_red_flags:
            answer = self._answer(flag.code)
            lines.append(f"    if {answer} is True:")
            lines.append(f"        red_flags.append({self._constant('flag', flag)})")
        for derived in self.ruleset.derived_red_flags:
            derive = self._constant("derive", _deriver(derived, self.ruleset))
            lines.append(f"    if {self._condition(derived.when)}:")
            lines.append(f"        flag = {derive}(answers, age)")
            lines.append("        if flag is not None:")
            lines.append("            red_flags.append(flag)")
        return lines

    def _category(self, category: Category) -> list[str]:
        # Points are added in whole hundredths, so equal evidence ties exactly (in floating
        # point 0.1 + 0.2 is not 0.3) and the tie keeps the category order.
        lines = [f"    # {category.value}", "    hundredths = 0", "    reasons = []"]
        indicators = sorted(
            self.ruleset.indicators[category],
            key=lambda indicator: (indicator.weight < 0, -abs(indicator.weight)),
        )
        for indicator in indicators:
            weight = repr(indicator.weight)
            if template_fields(indicator.reason):
                render = renderer(indicator.reason, indicator.when.refs, self.ruleset.words)
                render_name = self._constant("render", render)
                reason = f"_new(_Reason, ({render_name}(answers, age), {weight}))"
            else:
                reason = self._constant("reason", Reason(indicator.reason, indicator.weight))
            lines.append(f"    if {self._condition(indicator.when)}:")
            lines.append(f"        hundredths += {hundredths_of(indicator.weight)!r}")
            lines.append(f"        reasons.append({reason})")
        code = self._constant("category", category)
        lines.append(
            f"    scores.append(_new(_CategoryScore, ({code}, "
            f"1.0 - _exp(-hundredths / {SCORE_SCALE * 100!r}) if hundredths > 0 else 0.0, "
            "hundredths / 100, tuple(reasons), 0)))"
        )
        return lines

    def _condition(self, predicate: Predicate) -> str:
        match predicate.op:
            case "leaf":
                assert predicate.leaf is not None
                return self._leaf(predicate.leaf)
            case "all":
                return "(" + " and ".join(map(self._condition, predicate.parts)) + ")"
            case "any":
                return "(" + " or ".join(map(self._condition, predicate.parts)) + ")"
            case "not":
                return f"(not {self._condition(predicate.parts[0])})"
        raise ValueError(f"unknown operator {predicate.op!r}")

    def _leaf(self, leaf: Leaf) -> str:
        """Whether `leaf` holds: its test, or the local it was evaluated into at the top."""
        if self.uses[leaf] < 2:
            return f"({self._leaf_test(leaf)})"
        if (name := self.leaves.get(leaf)) is None:
            name = self.leaves[leaf] = f"c{len(self.leaves)}"
            self.reading.append(f"    {name} = {self._leaf_test(leaf)}")
        return name

    def _leaf_test(self, leaf: Leaf) -> str:
        match leaf.kind:
            case "value":
                answer = self._answer(leaf.link_id)
                if len(leaf.values) == 1:
                    (value,) = leaf.values
                    # `is` for booleans: 1 == True, and an answer is never merely truthy.
                    return f"{answer} {'is' if isinstance(value, bool) else '=='} {value!r}"
                return f"{answer} in {self._constant('values', leaf.values)}"
            case "multi":
                answer = self._answer(leaf.link_id, multi=True)
                if len(leaf.values) == 1:
                    (code,) = leaf.values
                    return f"{code!r} in {answer}"
                return f"not {self._constant('codes', leaf.values)}.isdisjoint({answer})"
            case "at_least":
                answer = self._answer(leaf.link_id)
                return f"isinstance({answer}, int) and {answer} >= {leaf.threshold!r}"
            case "age_at_least":
                return f"age >= {leaf.threshold!r}"
            case "age_under":
                return f"age < {leaf.threshold!r}"
        raise ValueError(f"unknown leaf {leaf!r}")

    def _answer(self, link_id: str, *, multi: bool = False) -> str:
        """The local holding the answer to `link_id`, read once at the top."""
        if (name := self.answers.get(link_id)) is None:
            name = self.answers[link_id] = f"a{len(self.answers)}"
            # An item not shown is absent: a multi item then includes nothing.
            self.reading.append(f"    {name} = get({link_id!r}{', ()' if multi else ''})")
        return name

    def _constant(self, kind: str, value: object) -> str:
        name = f"_{kind}{len(self.constants)}"
        self.constants[name] = value
        return name


def _predicates(ruleset: Ruleset) -> list[Predicate]:
    return [derived.when for derived in ruleset.derived_red_flags] + [
        indicator.when for indicators in ruleset.indicators.values() for indicator in indicators
    ]


def _leaves(predicate: Predicate) -> list[Leaf]:
    if predicate.leaf is not None:
        return [predicate.leaf]
    return [leaf for part in predicate.parts for leaf in _leaves(part)]


type _Derive = Callable[[Mapping[str, object], int], RedFlag | None]


def _deriver(derived: DerivedRedFlag, ruleset: Ruleset) -> _Derive:
    """The flag, called once its own condition holds; with criteria, the flag naming those
    that fired, or None when none did (they are rare, so plain tests)."""
    flag = derived.flag
    if not derived.criteria:
        return lambda answers, age: flag
    criteria = tuple(
        (criterion.when.test, renderer(criterion.text, criterion.when.refs, ruleset.words))
        for criterion in derived.criteria
    )

    def derive(answers: Mapping[str, object], age: int) -> RedFlag | None:
        fired = [render(answers, age) for test, render in criteria if test(answers, age)]
        if not fired:
            return None
        return RedFlag(flag.code, flag.triage, flag.reason.format(criteria=listing(fired)))

    return derive


__all__ = [
    "SCORE_SCALE",
    "CategoryScore",
    "Render",
    "Screen",
    "compile_ruleset",
    "score_of",
]
