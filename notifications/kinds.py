"""The kinds of message, named by the apps that announce them.

This app knows no kind of its own: an announcing app registers its kinds with their labels
(from its ``AppConfig.ready``) so the notification log can show them by name.
"""

from __future__ import annotations

from collections.abc import Iterable

_LABELS: dict[str, str] = {}


def register(kinds: Iterable[tuple[str, str]]) -> None:
    """Add (code, label) pairs, for example a ``TextChoices`` class's ``choices``."""
    _LABELS.update(kinds)


def choices() -> list[tuple[str, str]]:
    """Every registered kind, for the model field's choices."""
    return list(_LABELS.items())
