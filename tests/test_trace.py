"""Ingest the seeds, then trace: expectations are computed from the gold records, not copied."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from budgetkg.extract.docnumber import normalize_doc_number
from budgetkg.graph.ingest import ingest_many
from budgetkg.graph.policy_graph import refresh_policies
from budgetkg.graph.store import GraphStore
from budgetkg.graph.trace import find_policies, trace_policy, trace_project
from conftest import SHARED

GOLD = sorted((SHARED / "gold").glob("*.json"))
SEEDS = SHARED / "seeds"


def _gold_seeds() -> list[Path]:
    return [SEEDS / (g.stem + ".txt") for g in GOLD]


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory) -> GraphStore:
    store = GraphStore(tmp_path_factory.mktemp("store") / "s")
    outcomes = list(ingest_many(store, _gold_seeds()))
    assert all(hasattr(o, "triples") for o in outcomes), outcomes
    refresh_policies(store)
    return store


def _gold_citations() -> dict[str, dict[str, float]]:
    """Normalized number → {project name: annual funds} from the gold records."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for path in GOLD:
        record = json.loads(path.read_text(encoding="utf-8"))
        for p in record["performance_projects"]:
            for c in p["legal_bases"]:
                if c.get("doc_number"):
                    out[normalize_doc_number(c["doc_number"])][p["name"]] = p.get("annual_funds_yuan") or 0
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("number", sorted(_gold_citations()))
def test_trace_lists_the_projects_and_funds_the_gold_records_give(gold_store, number):
    expected = _gold_citations()[number]
    policies = find_policies(gold_store, number)
    assert len(policies) == 1, f"{number}: {policies}"
    trace = trace_policy(gold_store, policies[0], kpis=False)
    assert {_squash(link.name) for link in trace.links} == {_squash(n) for n in expected}
    assert trace.annual_funds_yuan == pytest.approx(sum(expected.values()), abs=0.01)


def test_a_number_is_found_in_any_bracket_style(gold_store):
    forms = ["国发〔2021〕9号", "国发[2021]9号", "国发（2021）9号", "国发【2021】9号", "国发 (2021) 9号"]
    assert {tuple(p.iri for p in find_policies(gold_store, f)) for f in forms} == {
        ("https://budgetkg.org/id/policy/国发〔2021〕9号",)
    }


def test_a_title_only_citation_is_shown_apart_as_joined_by_title(gold_store):
    trace = trace_policy(gold_store, find_policies(gold_store, "国发〔2021〕9号")[0], kpis=False)
    assert trace.joined, "the seed cites this 纲要 by title alone in one project"
    assert all(link.policy != trace.policy.iri for link in trace.joined)
    assert {link.name for link in trace.joined}.isdisjoint({link.name for link in trace.links})


def test_every_trace_row_points_to_its_source_line_and_carries_kpis(gold_store):
    trace = trace_policy(gold_store, find_policies(gold_store, "国发〔2021〕9号")[0])
    lines = (SEEDS / trace.links[0].source).read_text(encoding="utf-8").splitlines()
    for link in trace.links:
        assert link.line and "9号" in "".join(lines[link.line - 1 : link.end_line])
        assert link.kpis and all(k.line and k.value for k in link.kpis)


def test_a_policy_found_by_title_is_the_one_its_number_names(gold_store):
    by_number = find_policies(gold_store, "国发〔2021〕9号")
    by_title = find_policies(gold_store, "《全民科学素质行动规划纲要（2021-2035年）》")
    assert by_number and by_title[:1] == by_number


def test_a_project_traces_to_its_policies(gold_store):
    links = trace_project(gold_store, "科技馆运行费-科普经费")
    assert any("国发〔2021〕9号" in link.raw for link in links)
    assert all(link.source and link.line for link in links)


def test_project_text_is_matched_as_a_string_not_as_query_syntax(gold_store):
    assert trace_project(gold_store, '") } } SELECT * WHERE { ?s ?p ?o } #') == []


def test_ingesting_twice_gives_the_identical_store(tmp_path):
    def build(path):
        store = GraphStore(path)
        list(ingest_many(store, _gold_seeds()))
        refresh_policies(store)
        return store

    once = build(tmp_path / "a")
    twice = build(tmp_path / "b")
    list(ingest_many(twice, _gold_seeds()))
    refresh_policies(twice)
    assert len(once) == len(twice)
    assert sorted(map(str, once.quads())) == sorted(map(str, twice.quads()))


def test_trace_cli_answers_in_json_with_sums(gold_store, tmp_path):
    store_dir = tmp_path / "s"
    bk = [sys.executable, "-m", "budgetkg.cli"]
    subprocess.run(bk + ["ingest", *map(str, _gold_seeds()), "--store", str(store_dir), "-q"], check=True)
    out = subprocess.run(bk + ["trace", "国发[2021]9号", "--json", "--store", str(store_dir)],
                         check=True, capture_output=True, text=True).stdout
    traces = json.loads(out)
    expected = _gold_citations()["国发〔2021〕9号"]
    assert traces[0]["projects"] == len(expected)
    assert traces[0]["annual_funds_yuan"] == pytest.approx(sum(expected.values()))
    missing = subprocess.run(bk + ["trace", "不存在的文件", "--store", str(store_dir)], capture_output=True, text=True)
    assert missing.returncode == 1 and "no policy matches" in missing.stderr


def _extracted_kpis() -> dict[tuple[str, str], Counter]:
    """(source file, project name) → its KPI rows as the trace shows them, computed from the
    extracted records (not through the graph): column, level labels, name, target text, line.
    Projects printed under one name twice in a file are left out (their IRIs tell them apart)."""
    from budgetkg.extract.labels import squash
    from budgetkg.extract.pipeline import extract_file
    from budgetkg.graph.map_kpis import level_key

    def label(key):
        return None if key is None else f"{key}指标"

    out: dict[tuple[str, str], Counter] = {}
    for seed in _gold_seeds():
        projects = extract_file(seed).performance_projects
        names = Counter(p.name for p in projects)
        for p in projects:
            if names[p.name] > 1:
                continue
            out[(seed.name, p.name)] = Counter(
                (column, label(level_key(k.level1)), label(level_key(k.level2)), _nfkc(squash(k.level3 or "")),
                 k.value, k.line)
                for column, kpis in (("实施期", p.period_kpis), ("年度", p.annual_kpis)) for k in kpis)
    return out


def _nfkc(name: str) -> str | None:
    """An indicator's name up to width: a document's concept keeps the first spelling met."""
    return unicodedata.normalize("NFKC", name) or None


def test_trace_kpis_are_those_of_the_extracted_records_by_line(gold_store):
    expected = _extracted_kpis()
    checked = 0
    for number in sorted(_gold_citations()):
        trace = trace_policy(gold_store, find_policies(gold_store, number)[0],
                             ("legal_basis", "implementing_rule", "mentioned"))
        for link in (*trace.links, *trace.joined):
            if (link.source, link.name) not in expected:
                continue
            got = [(k.column, k.level1, k.level2, _nfkc(k.name or ""), k.value, k.line) for k in link.kpis]
            assert Counter(got) == expected[(link.source, link.name)], (number, link.name)
            assert all(k.source == link.source for k in link.kpis)
            assert [k.line for k in link.kpis] == sorted(k.line for k in link.kpis)
            checked += 1
    assert checked >= 10
