"""Compile every gettext catalogue of the project (``<app>/locale/<lang>/LC_MESSAGES/*.po``)
into the ``.mo`` file Django reads, with Babel: pure Python, so no machine needs GNU gettext's
``msgfmt`` to run the site. ``make run``, ``make test`` and the Dockerfile call it; the ``.mo``
files are not committed. Fuzzy entries are left out, as ``msgfmt`` leaves them out.

    python scripts/compile_messages.py [ROOT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SKIP = {".venv", "node_modules", "var", "staticfiles", ".git"}


def catalogues(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.glob("*/locale/*/LC_MESSAGES/*.po")
        if not SKIP.intersection(path.relative_to(root).parts)
    )


def compile_catalogue(po: Path) -> Path:
    """Write `po`'s .mo next to it, when it is missing or older; returns its path."""
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name)
    with mo.open("wb") as target:
        write_mo(target, catalog, use_fuzzy=False)
    return mo


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    for po in catalogues(root):
        compile_catalogue(po)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
