"""`budgetkg policies`: the documents the disclosures cite, one policy entity each."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any

from budgetkg.commands.output import write_json
from budgetkg.extract.pipeline import Failure, expand_inputs, extract_many
from budgetkg.extract.policies import Policy, mentions_of, policy_to_dict, resolve_policies
from budgetkg.extract.record_json import record_to_dict

NAME = "policies"
HELP = "list the policy documents the disclosures cite, one entity per document"
DESCRIPTION = (
    "Fold every citation (立项依据, and the documents named in 保证项目实施的制度、措施, 项目概况, "
    "实施计划 and 设立必要性) into one entity per document: its 发文字号, title and spellings, issuer, "
    "level, type, year and the projects citing it with their annual funds. Inputs are disclosures, "
    "folders of them, or record JSON written by `budgetkg extract`. Files that cannot be read are "
    "reported on stderr; the others are still listed."
)
RELATIONS = ("legal_basis", "implementing_rule", "mentioned")
TITLE_WIDTH = 40


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR",
                   help="disclosure files, folders of them, or records JSON from `budgetkg extract`")
    p.add_argument("--json", metavar="OUT", help="write the policies as a JSON list to OUT ('-': stdout)")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="what to print on stdout when --json is not given (default: table)")
    p.add_argument("--relation", action="append", choices=RELATIONS,
                   help="only citations with this relation (repeatable; default: all)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    records, failed, total = [], 0, 0
    for total, (path, result) in enumerate(_read(args.inputs), 1):
        if isinstance(result, Failure):
            failed += 1
            print(f"budgetkg: {result.path}: {result.reason}", file=sys.stderr)
            continue
        records.extend(result)
        if not args.quiet:
            cited = sum(len(mentions_of(r)) for r in result)
            print(f"[{total}] {path}: {len(result)} record(s), {cited} citation(s)", file=sys.stderr)
    policies = resolve_policies(records, args.relation)
    if args.json or args.format == "json":
        write_json([policy_to_dict(p) for p in policies], args.json or "-")
    else:
        sys.stdout.write(render_table(policies))
    if failed:
        print(f"budgetkg: {failed} of {total} file(s) could not be read; the rest were listed", file=sys.stderr)
    return 1 if failed else 0


def _read(inputs: list[str]) -> Iterator[tuple[str, list[dict[str, Any]] | Failure]]:
    """Records per input: record JSON is loaded as written, anything else is extracted."""
    for item in inputs:
        if item.lower().endswith(".json"):
            yield item, _load_records(item)
            continue
        for result in extract_many(expand_inputs([item])):
            if isinstance(result, Failure):
                yield result.path, result
            else:
                yield result.source, [record_to_dict(result)]


def _load_records(path: str) -> list[dict[str, Any]] | Failure:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except OSError as err:
        return Failure(path, f"cannot open: {err.strerror or err}")
    except (ValueError, UnicodeDecodeError) as err:
        return Failure(path, f"not JSON: {err}")
    data = [data] if isinstance(data, dict) else data
    if not isinstance(data, list) or not all(isinstance(r, dict) and "performance_projects" in r for r in data):
        return Failure(path, "not records written by `budgetkg extract` (a list of objects with performance_projects)")
    return data


# --- the table ------------------------------------------------------------------------------

COLUMNS = ("number", "title", "issuer", "level", "type", "year", "projects", "annual funds (元)")


def render_table(policies: list[Policy]) -> str:
    """Policies as aligned columns (CJK counted double width), near duplicates listed below."""
    rows = [COLUMNS] + [_row(p) for p in policies]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(_pad(cell, w, i >= 5) for i, (cell, w) in enumerate(zip(r, widths))).rstrip()
             for r in rows]
    lines.append(f"{len(policies)} polic{'y' if len(policies) == 1 else 'ies'}")
    pairs = sorted({(min(p.key, n.key), max(p.key, n.key), n.reason)
                    for p in policies for n in p.near_duplicates})
    if pairs:
        lines.append("near duplicates (not merged; check the documents):")
        lines += [f"  {a}  ~  {b}  ({reason})" for a, b, reason in pairs]
    return "\n".join(lines) + "\n"


def _row(p: Policy) -> tuple[str, ...]:
    funds = p.annual_funds_yuan()
    issuer = p.issuer or (f"? {p.issuer_code}" if p.issuer_code else "")
    return (_clip(p.number or "—", 30), _clip(p.title or "", TITLE_WIDTH), _clip(issuer, 24), p.level or "",
            p.type or "", str(p.year or ""), str(len(p.projects)), f"{funds:,.0f}" if funds else "")


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _clip(s: str, width: int) -> str:
    if _width(s) <= width:
        return s
    while _width(s) > width - 1:
        s = s[:-1]
    return s + "…"


def _pad(s: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(s))
    return fill + s if right else s + fill
