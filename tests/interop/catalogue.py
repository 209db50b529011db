"""Writing a gettext catalogue (.mo) for a test, as msgfmt would."""

from __future__ import annotations

import struct
from pathlib import Path


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU .mo file holding `messages` (msgid -> msgstr), with a UTF-8 header."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    ids = sorted(entries)
    id_bytes = [key.encode() for key in ids]
    str_bytes = [entries[key].encode() for key in ids]
    count = len(ids)
    ids_start = 7 * 4 + 16 * count
    offsets_ids, offsets_strs = [], []
    data = b""
    for raw in id_bytes:
        offsets_ids.append((len(raw), ids_start + len(data)))
        data += raw + b"\0"
    strs_start = ids_start + len(data)
    strs = b""
    for raw in str_bytes:
        offsets_strs.append((len(raw), strs_start + len(strs)))
        strs += raw + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0)
    table = b"".join(struct.pack("ii", *pair) for pair in offsets_ids + offsets_strs)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + table + data + strs)
