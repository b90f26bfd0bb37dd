"""Writers shared by the subcommands."""

from __future__ import annotations

import argparse
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


def add_json_argument(p: argparse.ArgumentParser, what: str = "JSON") -> None:
    """`--json [OUT]`: write `what` to OUT, or to stdout when OUT is left out, instead of text."""
    p.add_argument(
        "--json", metavar="OUT", nargs="?", const="-", default=None,
        help=f"write {what} to OUT (stdout when OUT is left out) instead of text",
    )
