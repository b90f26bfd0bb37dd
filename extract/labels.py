"""Label vocabularies of the 项目支出绩效目标表 and how cells are matched against them.

Converters break labels apart (wrapped cells, inserted spaces, doubled glyphs) and merge them with
their values (实施单位 山西省学会…), so every match here works on white-space-free text and
accepts a label followed by its value in the same cell.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=65536)
def squash(text: str) -> str:
    """Text without white space, the form all label matching uses.

    Memoized: the indicator reader squashes the same cells and labels again and again, and a
    cache hit costs less than the call itself."""
    return "".join(text.split())


def _header_labels() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """From data/header_labels.csv: the header fields of one performance table → their labels
    as printed, and the labels that open prose too (项目单位负责…), which count as labels only
    alone in their cell or before a colon."""
    text = resources.files("budgetkg.extract").joinpath("data/header_labels.csv").read_text("utf-8")
    fields: dict[str, tuple[str, ...]] = {}
    alone: set[str] = set()
    for row in csv.DictReader(ln for ln in text.splitlines() if ln and not ln.startswith("#")):
        label = row["label"].strip()
        fields[row["field"]] = (*fields.get(row["field"], ()), label)
        if (row.get("alone") or "") == "yes":
            alone.add(label)
    return fields, frozenset(alone)


HEADER_LABELS, ALONE_LABELS = _header_labels()
# Every header label, and those of fields whose value is one running text (the goals print two
# texts side by side: not these), keyed without white space as cells are compared.
LABEL_KEYS = frozenset("".join(label.split()) for labels in HEADER_LABELS.values() for label in labels)
TEXT_LABEL_KEYS = frozenset(
    "".join(label.split())
    for field in ("overview", "legal_basis", "necessity", "measures", "plan")
    for label in HEADER_LABELS.get(field, ())
)

# The signature row: a label with its colon, or the bare label (负责人负责制… is not one).
UNIT_NOTE = re.compile(r"[（(]\s*(?:单位[:：]?\s*)?(?:万元|元|亿元)\s*[)）]")  # （万元） after a label
FOOTER = re.compile(r"^(负责人|经办人|联系电话|填报日期|填报人|填表人|审核人|单位负责人)(\s*[:：]|$)")
FOOTER_FIRST = frozenset("负经联填审单")  # first glyphs of the footer labels: a cheap pre-check


@dataclass(frozen=True)
class LevelLabel:
    label: str
    level: int
    category: str
    parent: str | None
    whole: bool = False  # read only as printed in full, never without its 指标 (影响力 is a name)


@lru_cache(maxsize=1)
def level_labels() -> dict[str, LevelLabel]:
    """The 一级/二级指标 vocabulary from data/kpi_levels.csv, keyed by white-space-free label."""
    text = resources.files("budgetkg.extract").joinpath("data/kpi_levels.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    out = {}
    for row in csv.DictReader(lines):
        out[row["label"]] = LevelLabel(
            row["label"], int(row["level"]), row["category"], row["parent"] or None,
            (row.get("whole") or "") == "yes",
        )
    return out


@lru_cache(maxsize=65536)
def level_label(cell: str) -> LevelLabel | None:
    """The level label a cell holds, also when printed without 指标 or cut short by the page."""
    key = squash(cell).rstrip(":：")  # a trailing colon is not part of the label
    if not key:
        return None
    vocab = level_labels()
    if key in vocab:
        return vocab[key]
    if key + "指标" in vocab and not vocab[key + "指标"].whole:
        return vocab[key + "指标"]
    if key[-1] == "指" and key + "标" in vocab:  # 满意度指 / 标: the 标 wrapped away, or cut off
        return vocab[key + "标"]
    if len(key) >= 5:
        return _label_prefixes().get(key)
    return None


@lru_cache(maxsize=1)
def _label_prefixes() -> dict[str, LevelLabel]:
    """Every prefix (5 glyphs or more) of every label: a label cut short by the page."""
    out: dict[str, LevelLabel] = {}
    for label, info in level_labels().items():
        for n in range(5, len(label) + 1):
            out.setdefault(label[:n], info)
    return out


def _label_pattern(label: str) -> re.Pattern[str]:
    """A label as printed, with white space allowed between its glyphs and a colon after it."""
    glyphs = (r"[(（]" if c in "(（" else r"[)）]" if c in ")）" else re.escape(c) for c in label)
    return re.compile(r"^\s*" + r"\s*".join(glyphs) + r"\s*[:：]?\s*")


_HEADER_PATTERNS = [
    (field, label, _label_pattern(label)) for field, labels in HEADER_LABELS.items() for label in labels
]


# The patterns by the first glyph of their label, longest label first (主管部门编码 before
# 主管部门, whatever their fields): a cell is only tried against the labels that can open it.
_HEADER_BY_FIRST: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
for _entry in sorted(_HEADER_PATTERNS, key=lambda entry: -len(entry[1])):
    _HEADER_BY_FIRST.setdefault(_entry[1][0], []).append(_entry)


def split_header_label(cell: str) -> tuple[str, str, str] | None:
    """(field, label, rest of the cell as printed) when a cell starts with a header label."""
    head = cell.lstrip()
    if not head:
        return None
    candidates = _HEADER_BY_FIRST.get(head[0])
    if not candidates:
        return None
    key = squash(head)  # a label's pattern only matches where the squashed cell opens with it
    for field, label, pattern in candidates:
        if key.startswith(label) and (m := pattern.match(cell)):
            rest = cell[m.end():].strip()
            if rest and label in ALONE_LABELS and not m.group(0).rstrip().endswith((":", "：")) and not UNIT_NOTE.fullmatch(rest):
                continue  # 项目单位负责组织…: prose that opens with the label's words (资金来源（万元）: the label)
            if "》" in rest and "《" not in rest.partition("》")[0]:
                return None  # 项目资金管理办法》（…）: the rest of a title wrapped onto this line
            return field, label, rest
    return None
