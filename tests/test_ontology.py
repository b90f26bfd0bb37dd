"""The vocabulary: labelled in two languages, closed in code, and the seeds' graphs conform to
its shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from budgetkg.graph.map_policies import policies_to_graph
from budgetkg.graph.mapping import record_to_graph
from budgetkg.graph.records import record_from_dict
from budgetkg.ontology import generate_namespace, load_ontology, load_shapes
from budgetkg.ontology.namespace import BK, ELI, SDMXA
from conftest import SEEDS, seed_paths
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH

ROOT = Path(__file__).resolve().parent.parent
BK_NS = str(BK._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def seeds_graph() -> Graph:
    """The five seeds' graphs and the policies graph resolved across them, as one graph."""
    from budgetkg.extract.pipeline import extract_file
    from budgetkg.extract.policies import resolve_policies

    if not SEEDS.exists():
        pytest.skip("../shared/seeds is not beside the checkout")
    records = [extract_file(p) for p in seed_paths()]
    union = Graph()
    for record in records:
        union += record_to_graph(record)
    union += policies_to_graph(resolve_policies(records))
    return union


def conforms(data: Graph) -> tuple[bool, Graph]:
    """SHACL validation with the vocabulary in the data graph (schemes, units, structures)."""
    ok, report, _ = validate(data + load_ontology(), shacl_graph=load_shapes(), inference="none")
    return ok, report


def violations(report: Graph) -> list[str]:
    return sorted(
        {
            str(report.value(r, SH.resultMessage))
            for r in report.subjects(RDF.type, SH.ValidationResult)
        }
    )


# --- the vocabulary as data and as code -----------------------------------------------------


def test_namespace_module_is_generated_from_the_current_turtle():
    text = (ROOT / "ontology" / "namespace.py").read_text("utf-8")
    assert text == generate_namespace.render(), (
        "run: python -m budgetkg.ontology.generate_namespace"
    )
    assert generate_namespace.main(["--check"]) == 0


@pytest.mark.parametrize(
    ("namespace", "typo"), [(BK, "amuont"), (ELI, "idLocal"), (SDMXA, "unitMeasures")]
)
def test_a_mistyped_term_raises_instead_of_minting_an_iri(namespace, typo):
    with pytest.raises(AttributeError):
        getattr(namespace, typo)


def test_declared_terms_resolve_to_their_iris():
    assert BK.amount == URIRef(BK_NS + "amount")
    assert ELI.id_local == URIRef("http://data.europa.eu/eli/ontology#id_local")


def test_every_vocabulary_term_has_a_chinese_and_an_english_label(ontology):
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(BK_NS)}
    assert len(terms) > 100
    for term in terms:
        languages = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"zh", "en"} <= languages, term


def test_every_reused_term_labelled_here_is_labelled_in_both_languages(ontology):
    reused = {
        s
        for s in ontology.subjects(RDFS.label)
        if isinstance(s, URIRef) and not s.startswith(BK_NS)
    }
    reused.discard(URIRef("https://budgetkg.org/ontology"))
    for term in reused:
        assert {lab.language for lab in ontology.objects(term, RDFS.label)} == {"zh", "en"}, term


def test_the_ontology_readme_names_every_class(ontology):
    readme = (ROOT / "ontology" / "README.md").read_text("utf-8")
    classes = {s for s in ontology.subjects(RDF.type, OWL.Class) if s.startswith(BK_NS)}
    missing = [c for c in classes if "bk:" + c[len(BK_NS) :] not in readme]
    assert not missing


# --- shapes ---------------------------------------------------------------------------------


def test_the_graph_of_the_five_seeds_conforms_to_the_shapes(seeds_graph):
    ok, report = conforms(seeds_graph)
    assert ok, violations(report)[:10]


def test_every_vocabulary_term_the_seeds_use_is_declared(seeds_graph, ontology):
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef)}
    used = {
        t for triple in seeds_graph for t in triple if isinstance(t, URIRef) and t.startswith(BK_NS)
    }
    assert used <= declared, sorted(used - declared)


def _golden() -> Graph:
    path = ROOT / "tests" / "golden" / "graph" / "province_record" / "input.json"
    return record_to_graph(record_from_dict(json.loads(path.read_text("utf-8"))))


def test_the_golden_record_conforms_to_the_shapes():
    ok, report = conforms(_golden())
    assert ok, violations(report)


def test_a_kpi_without_provenance_is_a_violation():
    graph = _golden()
    kpi = next(graph.subjects(RDF.type, BK.KpiTarget))
    graph.remove((kpi, PROV.wasDerivedFrom, None))
    ok, report = conforms(graph)
    assert not ok and any("source span" in m for m in violations(report))


def test_an_amount_without_its_unit_or_with_a_float_is_a_violation():
    graph = _golden()
    funds = next(graph.subjects(RDF.type, BK.FundsAmount))
    graph.remove((funds, SDMXA.unitMeasure, None))
    assert not conforms(graph)[0]
    graph = _golden()
    graph.set((funds, BK.amount, Literal(1.5)))  # xsd:double, not xsd:decimal
    assert not conforms(graph)[0]


def test_an_unknown_comparator_is_a_violation():
    graph = _golden()
    kpi = next(graph.subjects(BK.comparator, None))
    graph.set((kpi, BK.comparator, Literal("约")))
    assert not conforms(graph)[0]
