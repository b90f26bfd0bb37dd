"""整体支出绩效目标表: the department-wide indicator table, where a disclosure has one."""

from __future__ import annotations

import re
from collections.abc import Sequence

from budgetkg.extract.kpi_table import HEADER_FRAGMENT, read_kpis
from budgetkg.extract.labels import FOOTER, squash
from budgetkg.extract.model import Issue, Kpi, Row

TITLE = re.compile(r"整体支出绩效目标(申报)?表")
HEADER = re.compile(r"一级指标|三级指标")
SUBHEADING = re.compile(r"^(?:(\d{1,2}|[一二三四五六七八九十]+)[、.．]|[（(](?:\d{1,2}|[一二三四五六七八九十]+)[)）])\D")
END = re.compile(r"项目支出绩效目标(申报)?表|^项目名称")


def find_department_table(rows: Sequence[Row]) -> tuple[int, int] | None:
    """(start, end) row indices of the department-wide table, end exclusive."""
    # 整 opens every form of the title: rows without it are not squashed and searched
    start = next((i for i, r in enumerate(rows) if "整" in r.text and TITLE.search(squash(r.text))), None)
    if start is None:
        return None
    in_indicators = False  # the table's own text fields are sentences too
    for j in range(start + 1, len(rows)):
        text = squash(rows[j].text)
        if END.search(text) or rows[j].heading or (in_indicators and _narrative(rows[j])):
            return start, j
        if FOOTER.match(text):
            return start, j + 1
        in_indicators = in_indicators or bool(HEADER.search(text))
    return start, len(rows)


def _narrative(row: Row) -> bool:
    """A numbered sub-heading (2、项目绩效目标) or a sentence: the table is over."""
    if len(row.filled) != 1:
        return False
    text = squash(row.text)
    return bool(SUBHEADING.match(text) and len(text) <= 20) or (text.endswith("。") and len(text) > 20)


def read_department_kpis(rows: Sequence[Row], mode: str = "columns") -> tuple[tuple[Kpi, ...], tuple[Issue, ...], tuple[int, int] | None]:
    """The indicators of the department-wide table, its issues and its row span."""
    span = find_department_table(rows)
    if span is None:
        return (), (), None
    block = rows[span[0] : span[1]]
    k = next((i for i, r in enumerate(block) if HEADER.search(squash(r.text)) or _wrapped_header(block, i)), None)
    if k is None:
        return (), (), span
    end = k + 1
    while end < len(block) and HEADER_FRAGMENT.match(block[end].key):
        end += 1  # the rest of a header wrapped one fragment per line: 标 / 二级指 / 标 / …
    body = [r for r in block[end:] if not FOOTER.match(squash(r.text))]
    kpis, annual, issues = read_kpis(block[k:end], body, mode)
    return kpis + annual, issues, span


def _wrapped_header(block: Sequence[Row], i: int) -> bool:
    """一级指 / 标: the header's first cell wrapped over two lines (pdftotext of a narrow column)."""
    key = block[i].key
    return key.startswith("一级") and i + 1 < len(block) and "一级指标" in key + block[i + 1].key
