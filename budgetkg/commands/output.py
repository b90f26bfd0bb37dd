"""Writers shared by the subcommands."""

from __future__ import annotations

import json
import os
import sys


def write_json(data, out: str) -> None:
    """Write `data` as indented UTF-8 JSON to the path `out`, or to stdout when out is '-'."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if out == "-":
        sys.stdout.write(text + "\n")
        return
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
