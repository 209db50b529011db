"""The project's gettext catalogues (``*/locale/*/LC_MESSAGES/*.po``) compiled for the test
run, in pure Python (no GNU gettext needed), as ``compilemessages`` would: a ``.mo`` next to
each ``.po`` (``*.mo`` is not committed)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.interop.catalogue import write_mo

ROOT = Path(__file__).resolve().parent.parent


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file: its translated, non-fuzzy entries; a msgid with a
    context as gettext keys it (``context\x04msgid``). No plurals: our catalogues have none."""
    messages: dict[str, str] = {}
    entry: dict[str, str] = {}
    key = ""
    fuzzy = False

    def finish() -> None:
        nonlocal entry, fuzzy
        if entry.get("msgid") and entry.get("msgstr") and not fuzzy:
            msgid = entry["msgid"]
            if "msgctxt" in entry:
                msgid = f"{entry['msgctxt']}\x04{msgid}"
            messages[msgid] = entry["msgstr"]
        entry, fuzzy = {}, False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        if not line or line.startswith("#"):
            if not line and entry:
                finish()
            continue
        if line.startswith(("msgctxt ", "msgid ", "msgstr ")):
            if not line.startswith("msgstr ") and "msgstr" in entry:
                finish()
            key, _space, line = line.partition(" ")
            entry[key] = ""
        entry[key] += ast.literal_eval(line)  # a C-style quoted string, as Python reads it
    finish()
    return messages


def compile_catalogues(root: Path = ROOT) -> list[Path]:
    """Compile every catalogue of the project; returns the .mo files written."""
    written = []
    for po in sorted(root.glob("*/locale/*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        write_mo(mo, read_po(po))
        written.append(mo)
    return written
