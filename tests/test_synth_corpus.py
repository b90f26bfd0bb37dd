"""The synthetic corpus (benchmarks/synth.py): every document reads back as the record it was
generated from, field by field, in every layout; the same seed gives the same bytes; policies
are Zipf-popular across departments."""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from budgetkg.extract.load import document_from_bytes
from budgetkg.extract.pipeline import extract_document, extract_file
from budgetkg.extract.record_json import record_to_dict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import synth
from synth_content import content
from synth_policies import policy_pool

SEED = 2024
DOCS = 16  # four of each layout


@pytest.fixture(scope="module")
def corpus() -> list[synth.SynthDoc]:
    return synth.generate(DOCS, SEED)


def extracted(doc: synth.SynthDoc) -> dict:
    record = extract_document(document_from_bytes(doc.text.encode("utf-8"), doc.source))
    return record_to_dict(record)


def differences(got, expected, path: str = ""):
    """(path, got, expected) wherever `got` differs from `expected`, on expected's fields only;
    a citation's raw text is compared without white space (a wrapped line adds some)."""
    if isinstance(expected, dict):
        got = got if isinstance(got, dict) else {}
        for key, value in expected.items():
            if key == "raw" and value and got.get(key):
                if re.sub(r"\s+", "", got[key]) != value:
                    yield f"{path}.{key}", got[key], value
                continue
            yield from differences(got.get(key), value, f"{path}.{key}")
    elif isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            yield f"{path} (length)", len(got) if isinstance(got, list) else got, len(expected)
            return
        for i, (g, e) in enumerate(zip(got, expected)):
            yield from differences(g, e, f"{path}[{i}]")
    elif got != expected:
        yield path, got, expected


def test_every_layout_reads_back_exactly(corpus):
    failures = []
    for doc in corpus:
        found = list(differences(extracted(doc), doc.expected))
        failures += [
            f"{doc.source}{path}: got {got!r}, expected {exp!r}" for path, got, exp in found[:5]
        ]
    assert not failures, "\n".join(failures)


def test_the_corpus_covers_every_layout_and_what_the_records_hold(corpus):
    assert Counter(d.layout for d in corpus) == {layout: DOCS // 4 for layout in synth.LAYOUTS}
    projects = [p for d in corpus for p in d.expected["performance_projects"]]
    assert len(projects) >= 3 * DOCS
    assert sum(len(p["period_kpis"]) for p in projects) >= 10 * len(projects)
    assert any(p["period_kpis"] != p["annual_kpis"] for p in projects)
    assert any(b["doc_number"] is None for p in projects for b in p["legal_bases"])  # laws
    assert {d.expected["department"]["level"] for d in corpus} == {"province", "city", "district"}
    assert any(d.expected["totals"]["carryover"] for d in corpus)


def test_layouts_carry_their_converters_marks(corpus):
    by_layout = {d.layout: d.text for d in reversed(corpus)}
    assert re.search(r"^项目名称\t", by_layout["tsv"], re.MULTILINE)
    assert "<p>立项依据</p>\t<p>" in by_layout["p"] or "<p>项目概况</p>\t<p>" in by_layout["p"]
    assert re.search(r"^#{2,3} .*预算", by_layout["md"], re.MULTILINE)
    pdf = by_layout["pdftotext"]
    assert "\f" in pdf and re.search(r"^- \d+ -$", pdf, re.MULTILINE)
    assert "科目编码科目编码" in pdf  # header cells printed twice
    families = {d.layout: extracted(d)["layout"] for d in corpus[:4]}
    assert families == {"tsv": "tsv", "p": "tsv", "md": "tsv", "pdftotext": "pdftotext"}


def test_same_seed_gives_identical_documents_and_another_seed_others():
    first, again = synth.generate(4, 7), synth.generate(4, 7)
    assert [d.text for d in first] == [d.text for d in again]
    assert [d.expected for d in first] == [d.expected for d in again]
    assert [d.text for d in synth.generate(4, 8)] != [d.text for d in first]


def test_a_streamed_document_does_not_depend_on_the_corpus_size(corpus):
    [fifth] = synth.stream(1, SEED, start=5)
    assert fifth == corpus[5]


def test_generation_touches_no_global_random_state():
    random.seed(1)
    before = random.random()
    random.seed(1)
    synth.generate(1, 3)
    assert random.random() == before


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="unknown layouts"):
        list(synth.stream(1, 0, ["docx"]))


def test_sizes_and_project_counts_are_like_the_seeds(corpus):
    sizes = [len(d.text.encode("utf-8")) for d in corpus]
    counts = [len(d.expected["performance_projects"]) for d in corpus]
    assert 10_000 <= min(sizes) and max(sizes) <= 400_000
    assert 2 <= min(counts) and max(counts) <= 30 and len(set(counts)) > 4


def test_policies_are_zipf_popular_across_departments():
    """The most cited policy is cited by many departments, most policies by one or two."""
    pool = policy_pool(SEED)
    cited: Counter[str] = Counter()
    departments: dict[str, set[str]] = {}
    for i in range(300):
        c = content(i, SEED, pool)
        for p in c.projects:
            for cite in p.bases:
                cited[cite.policy.title] += 1
                departments.setdefault(cite.policy.title, set()).add(c.dept.name)
    top = cited.most_common(1)[0][0]
    assert len(departments[top]) >= 20
    counts = sorted(cited.values(), reverse=True)
    assert counts[0] >= 10 * counts[len(counts) // 2]
    assert sum(1 for n in counts if n <= 2) >= len(counts) // 3


def test_cli_writes_texts_and_expected_records_the_scorer_agrees_with(tmp_path, scorer):
    assert (
        synth.main(
            ["--docs", "4", "--seed", "5", "--out", str(tmp_path), "--layouts", "pdftotext,md"]
        )
        == 0
    )
    texts = sorted(tmp_path.glob("*.txt"))
    assert [p.name.split("_")[-1] for p in texts] == [
        "pdftotext.txt",
        "md.txt",
        "pdftotext.txt",
        "md.txt",
    ]
    for path in texts:
        expected = json.loads(
            (tmp_path / "expected" / f"{path.stem}.json").read_text(encoding="utf-8")
        )
        got = record_to_dict(extract_file(path))
        assert scorer.facts(got) == scorer.facts(expected)


MINIMAL_TABLE = """项目支出绩效目标表
项目名称\t示范项目经费\t\t\t
主管部门及代码\t101-青阳市科学技术局\t实施单位\t青阳市科学技术局\t
绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值
\t满意度指标\t服务对象满意度\t群众满意度\t≥85%\t服务对象满意度\t群众满意度\t≥85%
\t\t\t服务对象满意度\t≥90%\t\t服务对象满意度\t≥90%
负责人：\t经办人：\t联系电话：\t填报日期：\t20240902113615
"""


def test_a_later_row_naming_its_indicator_like_its_group_keeps_its_value():
    """⇥⇥⇥服务对象满意度⇥≥90%: the label is the indicator's name and ≥90% its value (it was
    read as an indicator named ≥90% with no value on the 实施期 side)."""
    doc = document_from_bytes(MINIMAL_TABLE.encode("utf-8"), "minimal.txt")
    [project] = extract_document(doc).performance_projects
    for side in (project.period_kpis, project.annual_kpis):
        assert [(k.level2, k.level3, k.value) for k in side] == [
            ("服务对象满意度", "群众满意度", "≥85%"),
            ("服务对象满意度", "服务对象满意度", "≥90%"),
        ]


BUDGET_LINES = """青阳市科学技术局

2026年度部门预算公开

2026年项目支出预算表（本年预算）

部门名称：青阳市科学技术局

单位：万元

项目名称\t合计\t财政拨款
1\t2\t3
青阳市科学技术局\t40.00\t40.00
青阳市科学技术局\t40.00\t40.00
甲项目经费\t10.00\t10.00
乙项目经费\t15.00\t15.00
丙项目经费\t5.00\t5.00
丁项目经费\t6.00\t6.00
戊项目经费\t4.00\t4.00
"""


def test_a_project_equal_to_the_projects_below_it_is_not_taken_for_a_unit():
    """乙 (15.00) = 丙 + 丁 + 戊: it was read as a unit's subtotal, and then the department's
    rows as projects; the rows named as the department account for the table, so they sum."""
    record = extract_document(document_from_bytes(BUDGET_LINES.encode("utf-8"), "lines.txt"))
    assert [(b.name, b.amount) for b in record.project_budget_lines] == [
        ("甲项目经费", 10.0), ("乙项目经费", 15.0), ("丙项目经费", 5.0), ("丁项目经费", 6.0), ("戊项目经费", 4.0),
    ]  # fmt: skip
