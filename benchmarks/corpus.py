"""Budget-shaped corpora of a given size, built from the real seeds through the real mapping.

The five seeds are extracted once; a corpus is made of the seeds themselves (round 0) and
variants of them (round k ≥ 1): the same record with another file name, another department
name (for the disclosure and for every project's supervising department) and another budget
year, so every project of a variant has its own IRI and its own named graph, while the policies
it cites stay the same IRIs. Policy popularity is therefore the seeds' own: 晋政办发〔2021〕42号
is cited eight times per round, most policies once.

No randomness: documents are taken round by round, smallest seed first, each document added
while the corpus stays at or below the target, so the same target always gives the same corpus.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from budgetkg.extract.model import Record
from budgetkg.extract.pipeline import extract_file
from budgetkg.graph.ingest import document_bytes

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def seed_records(seeds: Path = SEEDS) -> list[Record]:
    """The seeds, extracted, in file-name order."""
    paths = sorted(p for p in seeds.iterdir() if p.is_file())
    if not paths:
        raise SystemExit(f"{seeds}: no seed files")
    return [extract_file(p) for p in paths]


def variant(record: Record, k: int) -> Record:
    """Round k of a record: k = 0 is the record itself."""
    if k == 0:
        return record
    tag = f"·{k:04d}"
    dept = record.department
    year = dept.year - (k % 3) if dept.year else dept.year
    projects = tuple(
        dataclasses.replace(p, supervising_dept=(p.supervising_dept + tag) if p.supervising_dept else None)
        for p in record.performance_projects
    )
    return dataclasses.replace(
        record,
        source=f"v{k:04d}_{record.source}",
        department=dataclasses.replace(dept, name=(dept.name or "部门") + tag, year=year),
        performance_projects=projects,
    )


def triple_counts(records: Sequence[Record]) -> list[int]:
    """Triples each seed maps to (a variant maps to as many: only names and the year change)."""
    return [document_bytes(r)[1] for r in records]


def plan(counts: Sequence[int], target: int, max_rounds: int = 100_000) -> list[tuple[int, int]]:
    """(round, seed index) of every document of the corpus: round by round, smallest seed first,
    a document taken while the total stays ≤ target; stops at the first round that adds none."""
    order = sorted(range(len(counts)), key=lambda i: (counts[i], i))
    total, docs = 0, []
    for k in range(max_rounds):
        added = False
        for i in order:
            if total + counts[i] <= target:
                docs.append((k, i))
                total += counts[i]
                added = True
        if not added:
            break
    return docs


def build(records: Sequence[Record], counts: Sequence[int], target: int) -> tuple[list[Record], int]:
    """The corpus for `target` triples and the triples its documents map to."""
    docs = plan(counts, target)
    return [variant(records[i], k) for k, i in docs], sum(counts[i] for _, i in docs)


def citation_counts(corpus: Sequence[Record]) -> Counter[str]:
    """Numbered policies → legal-basis citations of them in the corpus."""
    cited: Counter[str] = Counter()
    for record in corpus:
        for p in record.performance_projects:
            for c in p.legal_bases:
                if c.doc_number and c.relation == "legal_basis":
                    cited[c.doc_number] += 1
    return cited


def chosen_policies(corpus: Sequence[Record]) -> tuple[str, str]:
    """The most-cited and a least-cited numbered policy (ties: smallest number), by 发文字号;
    the same one twice only when the corpus cites a single numbered policy."""
    cited = citation_counts(corpus)
    most = min(cited, key=lambda n: (-cited[n], n))
    rare = min((n for n in cited if n != most), key=lambda n: (cited[n], n), default=most)
    return most, rare
