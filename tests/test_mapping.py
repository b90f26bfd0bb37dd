"""Record → RDF: stable IRIs, provenance on every fact, determinism, golden graphs.

Golden cases are one folder each under tests/golden/graph/: input.json (a record as
`budgetkg extract --json` writes it), optional options.json (MappingOptions), expected.trig.
Regenerate after a deliberate change with BUDGETKG_REGEN_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from budgetkg.extract.model import Citation, PerformanceProject, Record
from budgetkg.graph import iri
from budgetkg.graph.map_policies import POLICIES_GRAPH, policies_to_graph
from budgetkg.graph.map_projects import CONTACT_PROPERTIES, TEXT_PROPERTIES
from budgetkg.graph.map_tables import TOTAL_ITEMS
from budgetkg.graph.mapping import (
    MappingOptions,
    graph_iri,
    record_to_graph,
    record_to_quads,
    record_to_triples,
    to_trig,
)
from budgetkg.graph.records import record_from_dict
from budgetkg.ontology import sparql_prologue
from budgetkg.ontology.namespace import BK, ELI
from conftest import GOLD, SEEDS, gold_records, seed_paths
from hypothesis import example, given
from hypothesis import strategies as st
from rdflib import RDF, BNode, Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

GOLDEN = Path(__file__).parent / "golden" / "graph"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.json").exists())


@pytest.fixture(scope="module")
def records() -> list[Record]:
    from budgetkg.extract.pipeline import extract_file

    if not SEEDS.exists():
        pytest.skip("../shared/seeds is not beside the checkout")
    return [extract_file(p) for p in seed_paths()]


@pytest.fixture(scope="module")
def graphs(records) -> dict[str, Graph]:
    return {r.source: record_to_graph(r) for r in records}


@pytest.fixture(scope="module")
def store(records) -> ox.Store:
    """The seeds' quads in Oxigraph: rdflib's SPARQL engine takes minutes on these joins."""
    store = ox.Store()
    for record in records:
        store.extend(record_to_quads(record))
    return store


def ask(graph: Graph, query: str) -> bool:
    return bool(graph.query(sparql_prologue() + query).askAnswer)


def ask_each_graph(store: ox.Store, pattern: str) -> bool:
    """ASK whether `pattern` matches inside any document's named graph."""
    return bool(store.query(sparql_prologue() + f"ASK {{ GRAPH ?g {{ {pattern} }} }}"))


# --- golden graphs --------------------------------------------------------------------------


def _case(name: str) -> tuple[Record, MappingOptions]:
    folder = GOLDEN / name
    record = record_from_dict(json.loads((folder / "input.json").read_text("utf-8")))
    options_file = folder / "options.json"
    options = json.loads(options_file.read_text("utf-8")) if options_file.exists() else {}
    return record, MappingOptions(**options)


def _readable_diff(expected: Graph, got: Graph) -> str:
    """The triples only one side has, as sorted N-Triples lines."""
    _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
    lines = [f"- {' '.join(t.n3() for t in triple)}" for triple in sorted(only_expected)]
    lines += [f"+ {' '.join(t.n3() for t in triple)}" for triple in sorted(only_got)]
    return "\n".join(lines[:60]) + ("\n…" if len(lines) > 60 else "")


@pytest.mark.parametrize("case", CASES)
def test_golden_case_maps_to_its_expected_graph(case):
    record, options = _case(case)
    got = record_to_graph(record, options)
    expected_file = GOLDEN / case / "expected.trig"
    if os.environ.get("BUDGETKG_REGEN_GOLDEN"):
        expected_file.write_text(to_trig(got), "utf-8")
    dataset = Dataset()
    dataset.parse(expected_file, format="trig")
    expected = dataset.graph(URIRef(graph_iri(record.source)))
    assert isomorphic(expected, got), "graph differs from expected.trig:\n" + _readable_diff(
        expected, got
    )


def test_golden_cases_exist_for_default_and_opt_in_options():
    assert {"province_record", "contacts_opt_in"} <= set(CASES)


# --- determinism and identity ---------------------------------------------------------------


def test_mapping_a_record_twice_gives_the_same_triples_in_the_same_order(records):
    record = records[0]
    assert record_to_triples(record) == record_to_triples(record)


def test_mapping_is_isomorphic_across_runs_and_uses_no_blank_nodes(records, graphs):
    for record in records:
        again = record_to_graph(record)
        assert isomorphic(again, graphs[record.source])
        assert not any(isinstance(t, BNode) for triple in again for t in triple)


def test_no_triple_is_written_twice(records):
    for record in records:
        triples = record_to_triples(record)
        assert len(triples) == len(set(triples)), record.source


def test_each_document_is_one_named_graph_named_after_its_file(graphs):
    for source, graph in graphs.items():
        assert str(graph.identifier) == "https://budgetkg.org/graph/" + source


def _citing(source: str, number: str) -> Record:
    citation = Citation(None, number, number, 10, 10)
    project = PerformanceProject("项目", 5, 20, supervising_dept="某部门", legal_bases=(citation,))
    return Record(source, performance_projects=(project,))


def test_the_same_policy_cited_in_two_documents_gets_one_iri():
    a = record_to_graph(_citing("a.txt", "晋政办发[2021]42号"))
    b = record_to_graph(_citing("b.txt", "晋政办发【2021】42号"))
    policies = [set(g.subjects(None, ELI.LegalResource)) for g in (a, b)]
    assert policies[0] == policies[1] == {URIRef(iri.BASE + "policy/晋政办发〔2021〕42号")}


def test_the_same_policy_across_seeds_has_one_iri(graphs):
    law = URIRef(iri.BASE + "policy/中华人民共和国科学技术普及法")  # cited by 001 and 004
    citing = [s for s, g in graphs.items() if (None, BK.citedPolicy, law) in g]
    assert len(citing) >= 2


def test_a_department_and_an_indicator_get_one_iri_in_every_document(graphs):
    output = URIRef(iri.BASE + "indicator/产出/数量")
    assert all((None, BK.level2Indicator, output) in g for g in graphs.values())
    dept = URIRef(iri.BASE + "org/山西省科学技术厅")
    assert sum((None, None, dept) in g for g in graphs.values()) >= 2


def test_a_project_is_identified_by_department_year_and_width_folded_name():
    full = iri.project_iri("山西省科学技术厅", 2026, "区域创新发展联合基金（山西）")
    half = iri.project_iri("山西省科学技术厅", 2026, "区域创新发展联合基金 (山西)")
    assert full == half == iri.BASE + "project/山西省科学技术厅/2026/区域创新发展联合基金(山西)"


def test_a_second_table_of_the_same_name_in_one_document_is_a_second_project(records):
    two = next(r for r in records if r.source.startswith("002"))  # 遗属生活补助 twice
    base = iri.project_iri("晋城市科学技术局", 2026, "遗属生活补助")
    triples = record_to_triples(two)
    projects = {
        str(s)
        for s, p, o in triples
        if p == RDF.type and o == BK.BudgetProject and s.startswith(base)
    }
    assert projects == {base, base + "~2"}


def test_a_truncated_title_without_number_names_no_policy():
    cut = Citation("山西省科技创新", None, "《山西省科技创新", 3, 3, truncated=True)
    assert iri.policy_key(cut) is None
    assert iri.policy_key(replace(cut, doc_number="晋科发〔2017〕86号")) == "晋科发〔2017〕86号"


# --- provenance -----------------------------------------------------------------------------

FACT_CLASSES = (
    "bk:BudgetProject",
    "bk:Citation",
    "bk:KpiTarget",
    "bk:FundsAmount",
    "qb:Observation",
)


@pytest.mark.parametrize("cls", FACT_CLASSES)
def test_every_fact_of_a_kind_is_derived_from_a_span_of_its_file_and_table(store, cls):
    assert not ask_each_graph(
        store,
        f"""?x a {cls} FILTER NOT EXISTS {{
        ?x prov:wasDerivedFrom ?s . ?s a bk:SourceSpan ; dcterms:isPartOf ?doc ; bk:table ?t .
        ?doc a bk:Disclosure ; dcterms:identifier ?file }}""",
    )
    assert ask_each_graph(store, f"?x a {cls}")  # the seeds have facts of every kind


@pytest.mark.parametrize("cls", [c for c in FACT_CLASSES if c != "qb:Observation"])
def test_every_project_citation_kpi_and_funds_span_has_its_lines(store, cls):
    assert not ask_each_graph(
        store,
        f"""?x a {cls} ; prov:wasDerivedFrom ?s
        FILTER NOT EXISTS {{ ?s bk:line ?a ; bk:endLine ?b FILTER (?a <= ?b) }}""",
    )


def test_table_figures_have_lines_except_totals_the_record_gives_no_line_for(store):
    assert not ask_each_graph(
        store,
        """?x a qb:Observation ; prov:wasDerivedFrom ?s .
        ?s bk:table ?t FILTER (?t != bk:BudgetTotals) FILTER NOT EXISTS { ?s bk:line ?a }""",
    )


def test_a_citation_keeps_its_raw_text_and_line(records, graphs):
    record = records[0]
    c = record.performance_projects[0].legal_bases[0]
    graph = graphs[record.source]
    assert ask(
        graph,
        f"""ASK {{ ?c a bk:Citation ; bk:rawText "{c.raw}" ; bk:truncated false ;
        prov:wasDerivedFrom [ bk:line {c.line} ; bk:endLine {c.end_line} ] }}""",
    )


def test_the_readme_example_traces_a_policy_to_its_projects_and_lines(store):
    if not GOLD.exists():
        pytest.skip("../shared/gold is not beside the checkout")
    readme = (Path(__file__).parent.parent / "ontology" / "README.md").read_text("utf-8")
    query = readme.split("```sparql\n", 1)[1].split("```", 1)[0]
    rows = list(store.query(sparql_prologue() + query, use_default_graph_as_union=True))
    got = {(r["name"].value, Decimal(r["funds"].value)) for r in rows}
    expected = {
        (p["name"], Decimal(str(p["annual_funds_yuan"])))
        for gold in gold_records().values()
        for p in gold["performance_projects"]
        if any(c.get("doc_number") == "国发〔2021〕9号" for c in p["legal_bases"])
    }
    assert got == expected and len(got) == 4
    assert all(r["line"].value.isdigit() for r in rows)


# --- values ---------------------------------------------------------------------------------


def test_amounts_are_decimals_in_a_stated_unit_with_their_text_kept():
    record = record_from_dict(
        json.loads((GOLDEN / "province_record" / "input.json").read_text("utf-8"))
    )
    graph = record_to_graph(record)
    assert ask(
        graph,
        """ASK { ?f bk:fundingSource bk:AllSources ; bk:amount 4402927.2 ;
        bk:amountText "4402927.2" ; bk:currency "CNY" ; sdmx-attribute:unitMeasure bk:Yuan }""",
    )
    assert ask(
        graph,
        """ASK { ?o a qb:Observation ; bk:amount ?v ; bk:amountText "921.0" ;
        sdmx-attribute:unitMeasure bk:WanYuan FILTER (?v = 921) }""",
    )


def test_a_kpi_target_is_kept_as_printed_and_read_apart(graphs):
    graph = next(iter(graphs.values()))
    assert ask(
        graph,
        """ASK { ?k a bk:KpiTarget ; bk:targetText ?raw ; bk:comparator "≥" ;
        bk:targetNumber ?n ; bk:targetUnit ?u ; bk:targetScale 1 ; bk:column bk:AnnualColumn }""",
    )


def test_function_codes_form_a_hierarchy_of_three_levels(graphs):
    graph = next(iter(graphs.values()))
    assert ask(
        graph,
        """ASK { ?item skos:notation "2060101" ; skos:broader ?section .
        ?section skos:notation "20601" ; skos:broader ?class . ?class skos:notation "206" ;
        skos:topConceptOf bk:FunctionClassification }""",
    )


def test_level_labels_printed_differently_are_one_concept(records):
    kpis = [k for r in records for p in r.performance_projects for k in p.annual_kpis]
    spellings = {k.level2 for k in kpis if k.level2 and "服务对象满意" in k.level2}
    assert len(spellings) > 1  # the seeds print it several ways
    from budgetkg.graph.map_kpis import level_key

    assert {level_key(s) for s in spellings} == {"满意度"}


# --- options and coverage -------------------------------------------------------------------


def _with_contacts() -> Record:
    texts = {"overview": "概况", "contact_person": "张三", "contact_phone": "0351-0000000"}
    project = PerformanceProject("项目", 1, 9, supervising_dept="某部门", texts=texts)
    return Record("c.txt", performance_projects=(project,))


def test_contact_details_are_left_out_unless_asked_for():
    default = record_to_graph(_with_contacts())
    assert not any(p in (BK.contactPerson, BK.contactPhone) for p in default.predicates())
    assert "张三" not in to_trig(default)
    opted = record_to_graph(_with_contacts(), MappingOptions(include_contacts=True))
    assert (None, BK.contactPerson, None) in opted and (None, BK.contactPhone, None) in opted


def test_every_total_and_text_field_the_seeds_produce_is_mapped_or_deliberately_left_out(records):
    assert {k for r in records for k in r.totals} <= set(TOTAL_ITEMS)
    fields = {k for r in records for p in r.performance_projects for k in p.texts}
    assert fields <= set(TEXT_PROPERTIES) | set(CONTACT_PROPERTIES)


def test_quads_hold_the_same_triples_as_the_rdflib_graph(records):
    record = records[-1]
    quads = record_to_quads(record)
    assert {q.graph_name.value for q in quads} == {graph_iri(record.source)}
    via_rdflib, direct = ox.Store(), ox.Store()  # both canonicalized the store's way
    via_rdflib.load(record_to_graph(record).serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)
    direct.extend(quads)
    assert {str(q.triple) for q in direct} == {str(q.triple) for q in via_rdflib}


def test_record_json_maps_to_the_same_triples_as_the_record(records):
    from budgetkg.extract.record_json import record_to_dict

    for record in records:
        again = record_from_dict(json.loads(json.dumps(record_to_dict(record), ensure_ascii=False)))
        assert set(record_to_triples(again)) == set(record_to_triples(record)), record.source


def test_the_policies_graph_joins_a_title_only_citation_to_its_numbered_document(records):
    from budgetkg.extract.policies import resolve_policies
    from rdflib.namespace import OWL

    graph = policies_to_graph(resolve_policies(records))
    assert str(graph.identifier) == POLICIES_GRAPH
    title_only = URIRef(iri.BASE + "policy/全民科学素质行动规划纲要20212035年")
    assert (title_only, OWL.sameAs, URIRef(iri.BASE + "policy/国发〔2021〕9号")) in graph


# --- IRIs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "segment"),
    [
        ("晋政办发〔2021〕42号", "晋政办发〔2021〕42号"),
        ("科技计划管理费-会议(培训)费", "科技计划管理费-会议(培训)费"),
        ("资金/人均（%）", "资金%2F人均(%25)"),
        ("  两新 组织 ", "两新组织"),
        ("..", "%2E%2E"),
        ("", "_"),
    ],
)
def test_a_name_becomes_one_readable_path_segment(name, segment):
    assert iri.key(name) == segment


@given(st.text())
def test_any_name_gives_one_segment_that_oxigraph_accepts(name):
    segment = iri.key(name)
    assert "/" not in segment and segment not in (".", "..")
    ox.NamedNode(iri.BASE + "org/" + segment)
    assert iri.key(name.replace("(", "（")) == segment  # width-folded


@given(st.text())
@example("a\U000E0100b")  # a variation selector of plane 14, below its ucschar range (E1000–EFFFD)
def test_any_file_name_gives_a_graph_iri_oxigraph_accepts(source):
    ox.NamedNode(iri.graph_iri(source))
    ox.NamedNode(iri.document_iri(source))


@pytest.mark.parametrize("module", ["iri", "terms", "map_kpis", "map_tables"])
def test_the_docstring_examples_hold(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"budgetkg.graph.{module}"))
    assert result.attempted > 0 and result.failed == 0
