"""The embedded store: replace by document, recovery of unfinished writes, clear errors."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef


from budgetkg.graph.ntriples import to_ntriples
from budgetkg.graph import store as store_module
from budgetkg.graph.store import GraphStore, StoreError, StoredDocument, share_out

EX = "http://example.org/"
WRITING = "https://budgetkg.org/ontology#beingWritten"


def _doc(name: str, n: int) -> tuple[StoredDocument, bytes]:
    triples = [(URIRef(EX + f"{name}/s{i}"), URIRef(EX + "p"), Literal(f"值 {i}")) for i in range(n)]
    return StoredDocument(EX + "graph/" + name, name + ".txt", "0" * 64, n), to_ntriples(triples)


def test_reingesting_a_document_replaces_its_graph_instead_of_adding_to_it(tmp_path):
    store = GraphStore(tmp_path / "s")
    doc, nt = _doc("a", 10)
    store.put_document(doc, nt)
    first = len(store)
    store.put_document(doc, nt)
    assert len(store) == first
    smaller, nt2 = _doc("a", 4)
    store.put_document(smaller, nt2)
    assert len(store) == first - 6
    assert [d.triples for d in store.documents()] == [4]


def test_a_batch_write_stores_each_document_in_its_own_graph_as_single_writes_do(tmp_path):
    single, batch = GraphStore(tmp_path / "one"), GraphStore(tmp_path / "batch")
    items = [_doc(name, n) for name, n in (("a", 3), ("b", 5), ("c", 0))]
    for doc, nt in items:
        single.put_document(doc, nt)
    batch.put_documents(items)
    assert set(batch.engine) == set(single.engine)
    assert [d.triples for d in batch.documents()] == [3, 5, 0]
    batch.put_documents(items[:2])  # replacing, not adding
    assert len(batch) == len(single)


def test_a_batch_loaded_in_concurrent_parts_equals_the_batch_loaded_in_one(tmp_path, monkeypatch):
    items = [_doc(name, n) for name, n in (("a", 2000), ("b", 1), ("c", 3500), ("d", 700))]
    stores = {}
    for loaders in (1, 3):
        monkeypatch.setattr(store_module, "LOADERS", loaders)
        stores[loaders] = GraphStore(tmp_path / str(loaders))
        stores[loaders].put_documents(items)
        stores[loaders].put_documents(items[1:])  # replaced, not added, in parts too
    assert set(stores[3].engine) == set(stores[1].engine)
    assert [d.triples for d in stores[3].documents()] == [2000, 1, 3500, 700]


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=30), st.integers(min_value=1, max_value=8))
def test_share_out_deals_every_document_once_in_order_into_balanced_queues(sizes, parts):
    docs = [(b"x" * n, i) for i, n in enumerate(sizes)]
    queues = share_out(docs, parts)
    assert sorted(d for q in queues for d in q) == sorted(docs)
    assert len(queues) <= parts and all(queues)
    assert all(q == sorted(q, key=lambda d: d[1]) for q in queues)
    loads = [sum(len(nt) for nt, _ in q) for q in queues]
    if loads:  # largest first, each to the lightest queue: no queue exceeds another by more than a document
        assert max(loads) - min(loads) <= max(sizes)


def test_blank_nodes_of_two_documents_in_one_batch_stay_apart(tmp_path):
    store = GraphStore(tmp_path / "s")
    nt = b'_:b0 <http://example.org/p> "x" .\n'
    docs = [(StoredDocument(EX + f"graph/{n}", f"{n}.txt", "0" * 64, 1), nt) for n in "ab"]
    store.put_documents(docs)
    assert len({q.subject for q in store.engine.quads_for_pattern(None, None, None, None)
                if not q.graph_name.value.endswith("catalog")}) == 2


def test_a_batch_naming_one_graph_twice_is_refused_before_anything_is_written(tmp_path):
    store = GraphStore(tmp_path / "s")
    with pytest.raises(ValueError, match="twice"):
        store.put_documents([_doc("a", 1), _doc("a", 2)])
    assert len(store) == 0


def test_a_write_that_did_not_finish_is_rolled_back_when_the_store_is_opened(tmp_path):
    store = GraphStore(tmp_path / "s")
    doc, nt = _doc("kept", 3)
    store.put_document(doc, nt)
    half, half_nt = _doc("half", 5)
    store._catalog(ox.NamedNode(half.graph), f"<{half.graph}> <{WRITING}> true .")  # step 1 done
    store.engine.bulk_load(half_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(half.graph))
    del store  # killed before step 4
    reopened = GraphStore(tmp_path / "s")
    graphs = {g.value for g in reopened.engine.named_graphs()}
    assert half.graph not in graphs
    assert [d.graph for d in reopened.documents()] == [EX + "graph/kept"]


def test_graphs_written_by_other_means_survive_reopening(tmp_path):
    store = GraphStore(tmp_path / "s")
    store.engine.update(f"INSERT DATA {{ GRAPH <{EX}curated> {{ <{EX}a> <{EX}p> 1 }} }}")
    del store
    assert EX + "curated" in {g.value for g in GraphStore(tmp_path / "s").engine.named_graphs()}


def test_a_store_directory_is_created_with_its_parents(tmp_path):
    GraphStore(tmp_path / "a" / "b" / "store").flush()
    assert (tmp_path / "a" / "b" / "store").is_dir()


def test_deleting_a_document_removes_its_triples_and_reports_whether_it_existed(tmp_path):
    store = GraphStore(tmp_path / "s")
    doc, nt = _doc("a", 5)
    store.put_document(doc, nt)
    assert store.delete_document(doc.graph) is True
    assert len(store) == 0
    assert store.delete_document(doc.graph) is False


def test_literals_survive_the_round_trip_through_ntriples(tmp_path):
    store = GraphStore(None)
    tricky = Literal('引号 " 反斜杠 \\ 换行\n结束', lang="zh")
    amount = Literal("4904462.80", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))
    nt = to_ntriples([(URIRef(EX + "s"), URIRef(EX + "p"), tricky), (URIRef(EX + "s"), URIRef(EX + "q"), amount)])
    store.put_document(StoredDocument(EX + "g", "g.txt", "0", 2), nt)
    values = {r["o"].value for r in store.query(f"SELECT ?o WHERE {{ <{EX}s> ?p ?o }}")}
    assert tricky.value in values
    assert "4904462.8" in values  # Oxigraph keeps decimals canonical (the mapping keeps the printed form)


def test_a_read_only_store_refuses_writes_and_a_missing_one_says_how_to_make_it(tmp_path):
    with pytest.raises(StoreError, match="budgetkg ingest"):
        GraphStore(tmp_path / "nothing", read_only=True)
    GraphStore(tmp_path / "s").flush()
    ro = GraphStore(tmp_path / "s", read_only=True)
    doc, nt = _doc("a", 1)
    with pytest.raises(StoreError, match="read-only"):
        ro.put_document(doc, nt)


def test_a_store_held_by_another_process_gives_a_clear_error(tmp_path):
    path = tmp_path / "s"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import pyoxigraph,sys,time; s=pyoxigraph.Store({str(path)!r}); print('ok', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError, match="in use by another"):
            GraphStore(path)
    finally:
        holder.kill()
        holder.wait()


def test_what_ingest_writes_for_the_seeds_loads_strictly_as_the_lenient_loader_takes_it(tmp_path):
    """The store loads budgetkg's own N-Quads without IRI validation; a strict parse of the
    same bytes (every seed and the policies graph) must accept them all and agree."""
    from budgetkg.extract.policies import CitationTally
    from budgetkg.graph.ingest import prepare_file
    from budgetkg.graph.policy_graph import policies_document

    from conftest import seed_paths

    tally, items = CitationTally(), []
    for path in seed_paths():
        prepared = prepare_file(str(path))
        tally.put(prepared.doc.source, prepared.spellings)
        items.append((prepared.doc, prepared.ntriples))
    policies, body, _ = policies_document(tally.counts)
    items.append((policies, body))
    store = GraphStore(tmp_path / "s")
    store.put_documents(items)
    strict = ox.Store()
    for doc, nt in items:
        strict.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(doc.graph))
    data = {q for q in store.engine if str(q.graph_name) != f"<{store_module.CATALOG}>"}
    assert len(data) > 10_000 and data == set(strict)
