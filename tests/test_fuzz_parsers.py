"""A fuzz run of the citation and KPI-value parsers, bounded in time for CI.

Hypothesis drives the parsers with text built from the pieces they react to (book-title marks,
every bracket style, years, serials, 号, comparators, units, dates, markup) mixed with arbitrary
Unicode. Each example has a deadline, so a pathological input (a regular expression gone
quadratic) fails the run instead of hanging it; `max_examples` bounds the run (about 10 s in
all). Set BUDGETKG_FUZZ_EXAMPLES to run longer locally, e.g. BUDGETKG_FUZZ_EXAMPLES=20000.

The per-module property tests (test_docnumber.py, test_kpi_value.py, test_citations.py …) pin
the normalizers' own invariants; this file looks for crashes, hangs and broken invariants
across them.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetkg.extract.citations import find_citations, match_key, title_key, unwrap_title
from budgetkg.extract.docnumber import normalize_doc_number, parse_doc_number
from budgetkg.extract.kpi_value import parse_kpi_value
from budgetkg.extract.model import Citation, KpiValue
from budgetkg.extract.policies import NoIdentity, canonical_number, policy_key

EXAMPLES = int(os.environ.get("BUDGETKG_FUZZ_EXAMPLES", "600"))
FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(milliseconds=500),
                suppress_health_check=[HealthCheck.too_slow])

CITATION_PIECES = st.sampled_from([
    "《", "》", "〈", "〉", "<", ">", "（", "）", "(", ")", "〔", "〕", "[", "]", "【", "】", "［", "］",
    "号", "第", "令", "文件", "的通知", "关于印发", "办法", "条例", "（试行）", "晋政办发", "国办发", "中国科协",
    "财教", "2017", "２０２１", "1999", "160", "86", "、", "，", "。", "；", "\n", " ", "\u3000", "1.", "（2）",
    "<p>", "</p>", "&lt;", "&amp;", "简称", "编辑部", "〔2017〕", "[2020]", "（2022）14号",
])
KPI_PIECES = st.sampled_from([
    "≥", "≤", ">", "<", "=", "＞", "不低于", "不少于", "不高于", "以上", "以下", "以内", "约", "达到",
    "0", "1", "12", "90", "100", "3.5", "１０", "1,000", ".", ",", "%", "％", "-", "～", "~", "至",
    "万", "亿", "千", "元", "万元", "项", "个", "人次", "次/年", "元/份", "平方米", "年", "月", "日", "底",
    "前", "之前", "当年", "2023", "12月31日", "一", "两", "十", "百", "合格", "有所提升", "（", "）", " ",
])
ANY = st.text(max_size=8)


def built(pieces: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text made mostly of the parser's own pieces, with arbitrary Unicode in between."""
    return st.lists(pieces | ANY, max_size=40).map("".join)


SEGMENTS = st.lists(st.tuples(st.integers(1, 100_000), built(CITATION_PIECES)), max_size=6)


@FUZZ
@given(SEGMENTS, st.sampled_from(["legal_basis", "implementing_rule", "mentioned"]))
def test_fuzz_find_citations(segments, relation):
    lines = {line for line, _ in segments}
    for c in find_citations(segments, relation):
        assert isinstance(c, Citation) and c.relation == relation
        assert c.title or c.doc_number
        assert c.line in lines and c.end_line in lines
        if c.doc_number:  # numbers come out in their normal form, which is a fixed point
            assert normalize_doc_number(c.doc_number) == c.doc_number
        key = policy_key(c)  # every citation names a document the policies graph can key
        assert key and policy_key(c) == key


@FUZZ
@given(built(KPI_PIECES))
def test_fuzz_parse_kpi_value(raw):
    value = parse_kpi_value(raw)
    assert isinstance(value, KpiValue) and value.raw == raw
    assert value.flagged == (value.kind == "unparsed")
    if value.kind == "numeric":
        assert value.number is not None and value.number.is_finite() and value.scale
        assert value.upper is None or value.upper.is_finite()
    if value.kind == "deadline":
        assert value.deadline and value.number is None
    assert parse_kpi_value(raw) == value


@FUZZ
@given(built(CITATION_PIECES))
def test_fuzz_number_and_title_normalizers_are_idempotent(text):
    once = normalize_doc_number(text)
    assert normalize_doc_number(once) == once
    parsed = parse_doc_number(text)
    if parsed is not None:
        assert parsed.normalized == once and parse_doc_number(parsed.normalized) == parsed
    number = canonical_number(text)
    assert canonical_number(number) == number
    key = title_key(text)
    assert key is None or title_key(key) == key
    if "通知" not in text:  # unwrapping takes off one carrying notice (印发…的通知) at a time
        assert unwrap_title(unwrap_title(text)) == unwrap_title(text)
        key = match_key(text)
        assert key is None or match_key(key) == key


def test_a_citation_without_number_or_title_has_no_identity():
    with pytest.raises(NoIdentity):
        policy_key({"title": "", "doc_number": None})


# Long runs of what the patterns repeat on: linear time, not quadratic or worse.
PATHOLOGICAL = [
    "《" * 20_000, "》" * 20_000, "《a" * 10_000, "〔2020〕" * 5_000, "晋" * 20_000 + "〔2020〕1号",
    "（" * 20_000, "1," * 20_000, "1" * 50_000, "号" * 20_000, "第" * 20_000 + "1号",
    "≥" * 20_000, "1-" * 20_000, "2023年" * 5_000, "<p>" * 10_000, "&amp;" * 10_000,
    "关于印发" * 5_000 + "的通知", "令" * 20_000,
]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=lambda t: f"{t[:6]}…x{len(t)}")
def test_long_repetitive_input_is_parsed_in_linear_time(text):
    started = time.perf_counter()
    find_citations([(1, text)])
    parse_kpi_value(text)
    normalize_doc_number(text)
    title_key(text), match_key(text)
    assert time.perf_counter() - started < 2.0


# --- what the fuzz run found ---------------------------------------------------------------
def test_a_run_of_unclosed_book_marks_is_read_in_linear_time():
    """Each unclosed 《 used to rescan the rest of the field: 20 000 of them took minutes."""
    started = time.perf_counter()
    titles = [c.title for c in find_citations([(1, "《" * 20_000 + "《山西省科技创新券实施管理办法》")])]
    assert titles == ["山西省科技创新券实施管理办法"]
    assert time.perf_counter() - started < 2.0


def test_a_title_of_marks_alone_is_no_citation_and_does_not_stop_policy_resolution():
    """《〈》 used to become a citation with no identity, and `ingest` crashed resolving policies."""
    from budgetkg.extract.policies import Mention, resolve

    cits = find_citations([(7, "《〈》《山西省科技创新券实施管理办法（试行）》（晋科发[2017]86号）")])
    assert [(c.title, c.doc_number) for c in cits] == [("山西省科技创新券实施管理办法（试行）", "晋科发〔2017〕86号")]
    stored = Mention(source="a.txt", project="p", project_line=1, line=7, end_line=7, relation="legal_basis",
                     annual_funds_yuan=None, title="〈", number=None, raw="《〈》", truncated=False)
    assert resolve([stored]) == []


@pytest.mark.parametrize("spaced", ["E \u0304", "E《\u0304"])
def test_title_keys_fold_a_combining_mark_that_followed_a_dropped_character(spaced):
    assert title_key(spaced) == title_key(title_key(spaced))
    assert unwrap_title(spaced) == unwrap_title(unwrap_title(spaced)) == "\u0112"
