"""The department a disclosure is about: its name, code, year and level (province|city|district).

The name is printed on the cover above "2026年度部门预算公开", else on each table's 单位名称 line;
the code is the department's 编码 where printed, else the code most 主管部门及代码 cells give; the
level is read from the place names the department's name begins with (data/levels.csv).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from ..model import Department, Row
from .find import RawTable
from .text import TOTAL_NAMES, amounts_of, norm

_YEAR_TITLE = re.compile(r"(20\d\d)年度?(?:部门|单位)?预算(?:公开|情况说明|$)")
_COVER_TITLE = re.compile(r"20\d\d年度?(?:部门|单位)?预算(?:公开|$)")  # …预算公开, or a line ending …预算
_NOT_IN_NAME = re.compile(r"\d|目录|[。，：:]")
_TABLE_YEAR = re.compile(r"\D{0,8}(20\d\d)年")
_NAME_LINE = re.compile(
    r"(?:(?:部门|单位|预算单位)名称|编制(?:部门|单位)|部门)[:：](.+?)(?:单位[:：].*|金额单位.*)?$"
)
_SUPERVISOR_CODE = re.compile(r"(?:主管部门及代码|部门名称|主管部门)(\d{2,6})[-－—–]")
_OWN_CODE = re.compile(r"(?:单位|部门)(?:编码|代码)[:：]?(\d{2,9})")
_CODE_LABEL_END = re.compile(
    r"(?:主管部门及代码|部门名称|主管部门|(?:单位|部门)(?:编码|代码))[:：]?$"
)


def department(rows: Sequence[Row], tables: Sequence[RawTable]) -> Department:
    name = _title_name(rows) or _most_common(_name_lines(rows))
    return Department(name=name, code=_code(rows), year=_year(rows, tables), level=level_of(name))


def _title_name(rows: Sequence[Row]) -> str | None:
    """The name printed above (or before) "2026年度部门预算公开" on the cover."""
    for i, row in enumerate(rows[:40]):
        text = norm(row.text)
        m = _COVER_TITLE.search(text)
        if not m:
            continue
        if m.start() > 1:
            if _looks_like_name(text[: m.start()]):  # not 项目2023年预算 (a table's heading)
                return text[: m.start()]
            continue
        if i and _looks_like_name(norm(rows[i - 1].text)):
            return norm(rows[i - 1].text)
    return None


def _looks_like_name(text: str) -> bool:
    return 2 <= len(text) <= 40 and not _NOT_IN_NAME.search(text)


def _name_lines(rows: Sequence[Row]) -> list[str]:
    out = []
    for row in rows:
        if "称" not in row.text and "部门" not in row.text and "编制" not in row.text:
            continue  # none of the labels _NAME_LINE reads: …名称, 部门, 编制单位
        for cell in row.filled:
            m = _NAME_LINE.match(norm(cell))
            if m and _looks_like_name(m.group(1)):
                out.append(m.group(1))
    return out


def _code(rows: Sequence[Row]) -> str | None:
    """The department's own 编码 where printed, else the code most 主管部门及代码 cells give."""
    own, supervisor = [], []
    for i, row in enumerate(rows):
        text = row.text  # a cheap test before normalising, inline as it runs on every row:
        # only 编码/代码, 部门名称 or 主管部门 rows name a code
        if not ("码" in text or ("部门" in text and ("名称" in text or "主管" in text))):
            continue
        text = norm(text)
        if len(text) <= 3 and i and rows[i - 1].filled:  # 主管部门及 / 代码: the label wrapped
            text = norm(rows[i - 1].filled[-1]) + text
        if _CODE_LABEL_END.search(text) and i + 1 < len(rows):  # its value on the next line
            text += norm(rows[i + 1].filled[0]) if rows[i + 1].filled else ""
        own += _OWN_CODE.findall(text)
        supervisor += _SUPERVISOR_CODE.findall(text)
    return _most_common(own) or _most_common(supervisor)


def _year(rows: Sequence[Row], tables: Sequence[RawTable]) -> int | None:
    for row in rows[:40]:
        m = _YEAR_TITLE.search(norm(row.text))
        if m:
            return int(m.group(1))
    years = [m.group(1) for t in tables for m in [_TABLE_YEAR.match(t.title)] if m]
    if not years:
        years = [m.group(1) for r in rows for m in [_YEAR_TITLE.search(norm(r.text))] if m]
    found = _most_common(years)
    return int(found) if found else None


def _most_common(values: Sequence[str]) -> str | None:
    return Counter(values).most_common(1)[0][0] if values else None


@lru_cache(maxsize=1)
def _level_vocabulary() -> dict[str, list[tuple[str, str]]]:
    """data/levels.csv: place-name suffixes, special zones and province-level cities."""
    vocab: dict[str, list[tuple[str, str]]] = {}
    path = Path(__file__).resolve().parent.parent / "data" / "levels.csv"
    with path.open(encoding="utf-8") as f:
        lines = (line for line in f if line.strip() and not line.startswith("#"))
        for rec in csv.DictReader(lines):
            vocab.setdefault(rec["kind"], []).append((rec["term"], rec["level"] or ""))
    for terms in vocab.values():
        terms.sort(key=lambda t: -len(t[0]))  # the longest term first: 自治区 before 区
    return vocab


_RANK = {"province": 1, "city": 2, "district": 3}


def level_of(name: str | None) -> str | None:
    """province | city | district from the place names a department's name begins with.

    "山西省科学技术厅" → province, "晋城市科学技术局" → city, "…市…区…" or "…县…" → district, and a
    special zone ("山西转型综合改革示范区…", "…市经济技术开发区…") → district. A party or mass
    organisation's name before the place (中共北京市委宣传部, 共青团…) is passed over. A place nested under
    another of the same rank (a 县级市 under a 市) ranks one lower.
    """
    if not name:
        return None
    vocab = _level_vocabulary()
    rank, pos = 0, 0
    for term, _ in vocab.get("organisation", []):  # 中共北京市委…: the place follows the party's name
        if name.startswith(term):
            pos = len(term)
            break
    while pos < len(name):
        step = _place_at(name[pos:], rank, vocab)
        if step is None:
            break
        size, level = step
        here = _RANK[level]
        rank = min(3, rank + 1) if here <= rank else here
        pos += size
    return {v: k for k, v in _RANK.items()}.get(rank)


def _place_at(
    rest: str, rank: int, vocab: dict[str, list[tuple[str, str]]]
) -> tuple[int, str] | None:
    """The place name that rest starts with: (its length, its level), or None where none does.

    A place is a short proper name and a suffix (山西 + 省); a zone's name may be longer (山西转型
    + 综合改革示范区). A bare zone word names a place only under a city ("晋城市" + "开发区…");
    under a province it is the subject of an agency ("山西省开发区服务中心").
    """
    stops = "".join(t for t, _ in vocab.get("suffix", []) if len(t) == 1)
    units = vocab.get("unit", [])
    for term, level in vocab.get("municipality", []):
        if rest.startswith(term):
            return len(term), level
    for term, level in units:
        i = rest.find(term)
        named = 2 <= i <= 12 and not any(c in stops for c in rest[:i])
        if named or (i == 0 and rank >= _RANK["city"]):
            return i + len(term), level
    for size in range(1, 9):
        if len(rest) <= size or rest[size - 1] in stops:
            break
        for term, level in vocab.get("suffix", []):
            if not rest.startswith(term, size):
                continue
            segment = rest[: size + len(term)]
            if segment in {w for w, _ in vocab.get("not_place", [])}:
                return None  # 社区, 城市: words, not places ("晋城市" is one)
            if any(segment.endswith(w) for w, _ in units):
                return None  # a bare zone word, not under a city
            suffixes = vocab.get("suffix", [])
            longer = next((t for t in suffixes if rest.startswith(t[0], len(segment))), None)
            if longer:  # 忻州 + 市: the name is 忻州市, not 忻州
                return len(segment) + len(longer[0]), longer[1]
            return len(segment), level
    return None


def unit_names(rows: Sequence[Row], office: Sequence[Row], department: str | None) -> set[str]:
    """Names of the department's units: 机关运行经费 rows and the 实施单位 of performance tables."""
    names = {department} if department else set()
    for row in office:
        if row.filled and amounts_of(row) and norm(row.filled[0]) not in TOTAL_NAMES:
            names.add(norm(row.filled[0]))
    for row in rows:
        # skip the costly normalisation (位 first: most rows lack it, and need no copy)
        if "位" not in row.text or "实施单位" not in row.text.replace(" ", ""):
            continue
        cells = [norm(c) for c in row.filled]
        for i, cell in enumerate(cells):
            if cell.startswith("实施单位"):
                after = cells[i + 1] if i + 1 < len(cells) else ""
                value = cell[len("实施单位") :].lstrip(":：") or after
                if value:
                    names.add(value)
    return {n for n in names if n}


_UNIT_SUFFIX = re.compile(
    r"(?:厅|局|委员会|委|办公室|协会|学会|联合会|馆|中心|研究院|院|研究所|所|站|队"
    r"|学校|大学|学院|部|会|社|台|处)$"
)


def unit_test(units: set[str]) -> Callable[[str], bool]:
    normed = {norm(u) for u in units}

    def is_unit(name: str) -> bool:
        n = norm(name)
        return n in normed or bool(_UNIT_SUFFIX.search(n))

    return is_unit
