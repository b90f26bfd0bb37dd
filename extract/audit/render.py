"""A report as JSON-ready data (for tools) and as text (for people); writing is the caller's.

The text names each finding's two figures on lines of their own, each with its line in the
disclosure, so that a reader can go straight to both places.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from . import Report
from .findings import Figure, Finding, amount


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "source": report.source,
        "findings": [finding_to_dict(f) for f in report.findings],
        "errors": list(report.errors),
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "check": finding.check,
        "message": finding.message,
        "lines": list(finding.lines),
        "expected": asdict(finding.expected),
        "found": asdict(finding.found),
    }


def report_to_text(report: Report) -> str:
    """One heading line per document, then each finding with both figures."""
    count = len(report.findings)
    head = f"{report.source}: " + (
        f"{count} finding{'s' * (count != 1)}" if count else "no findings"
    )
    lines = [head]
    for finding in report.findings:
        lines += _finding_lines(finding)
    lines += [f"  could not check {e}" for e in report.errors]
    return "\n".join(lines)


def _finding_lines(finding: Finding) -> list[str]:
    where = " / ".join(str(n) for n in finding.lines) or "-"
    return [
        f"  line {where} [{finding.check}] {finding.message}",
        f"      {_figure(finding.expected)}",
        f"      {_figure(finding.found)}",
    ]


def _figure(figure: Figure) -> str:
    if isinstance(figure.value, (int, float)) and not isinstance(figure.value, bool):
        shown = f"{amount(figure.value)} {figure.unit}".rstrip()
    else:
        shown = "none" if figure.value is None else str(figure.value)
    if figure.line is None:
        at = "not printed" if figure.value is None else "line unknown"
    elif figure.end_line and figure.end_line != figure.line:
        at = f"lines {figure.line}-{figure.end_line}"
    else:
        at = f"line {figure.line}"
    return f"{figure.where}: {shown} ({at})"
