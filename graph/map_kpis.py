"""Performance indicators: each KPI row as a node, its three levels as SKOS concepts.

Level-1 and level-2 labels are printed in many spellings (服务对象满意度, 服务对象满意度指标,
服务对象满意度指 cut by the page); the extractor's label vocabulary (extract/data/kpi_levels.csv,
which users extend) folds them to one category, and the concept is keyed by that category, so
the same indicator gets one IRI in every document. A label the vocabulary does not know is
keyed by itself, without white space and a trailing 指标. Level-3 concepts hang under their
level-2 concept: …/indicator/产出/数量/新立项项目数量.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from budgetkg.extract.labels import level_label
from budgetkg.extract.model import Kpi, KpiValue
from budgetkg.graph import iri
from budgetkg.graph.context import Context, derive, squash
from budgetkg.graph.terms import Term, decimal_lexical
from budgetkg.ontology.namespace import BK
from rdflib.namespace import RDFS, SKOS

SCHEMES = (BK.Level1Indicators, BK.Level2Indicators, BK.Level3Indicators)


def map_kpis(
    ctx: Context, owner: Term, base_iri: str, kpis: Iterable[Kpi], column: str | None, table: str
) -> None:
    """KPI rows of one column (or of a department-wide table, column None) under `owner`.

    A KPI node is keyed by its indicator under `base_iri`, not by its position, so two
    documents that list one project's indicators in another order still agree.
    """
    seen: Counter[str] = Counter()
    for k in kpis:
        local = key = squash(k.level3) if k.level3 else "_"
        seen[key] += 1
        if seen[key] > 1:
            local = f"{key}~{seen[key]}"
        node = ctx.node(iri.child(base_iri, local))
        ctx.e.add(owner, BK.kpi, node)
        _kpi(ctx, node, k, column)
        derive(ctx, node, table, k.line)


def _kpi(ctx: Context, node: Term, k: Kpi, column: str | None) -> None:
    e = ctx.e
    e.a(node, BK.KpiTarget)
    if column is not None:
        e.add(node, BK.column, e.v(column))
    path = (level_key(k.level1), level_key(k.level2))
    if path[0] is not None:
        e.add(node, BK.level1Indicator, _memo(ctx, _level_concept, path[:1], k.level1))
    if path[1] is not None:
        e.add(node, BK.level2Indicator, _memo(ctx, _level_concept, path, k.level2))
    if k.level3:
        e.add(node, BK.indicator, _memo(ctx, _leaf_concept, path, squash(k.level3)))
    e.add(node, BK.targetText, ctx.t.string(k.value))
    if k.parsed is not None:
        _parsed(ctx, node, k.parsed)


def _memo(ctx: Context, make, path: tuple[str | None, ...], label: str | None) -> Term:
    """A concept node, made (and described) the first time its path and label are met."""
    found = ctx.memo.get((make, path, label))
    if found is None:
        found = ctx.memo[(make, path, label)] = make(ctx, path, label)
    return found


def level_key(label: str | None) -> str | None:
    """The category a level-1/2 label names: 服务对象满意度指 → 满意度; unknown labels by themselves.

    >>> level_key("服务对象满意度"), level_key("产出指标"), level_key("自定义指标"), level_key(None)
    ('满意度', '产出', '自定义', None)
    """
    if not label or not label.strip():
        return None
    known = level_label(label)
    if known is not None:
        return known.category
    return squash(label).removesuffix("指标") or squash(label)


def _level_concept(ctx: Context, path: tuple[str | None, ...], printed: str | None) -> Term:
    """The level-1 (path of one) or level-2 (path of two) concept; its printed spelling, when
    it differs from the canonical 数量指标, is kept as an altLabel."""
    depth, canonical = len(path), f"{path[-1]}指标"
    concept_iri = iri.indicator_iri(*path)
    node = ctx.node(concept_iri)
    e = ctx.e
    if e.once(concept_iri):
        _concept(ctx, node, depth, canonical)
        if depth == 1:
            e.add(node, SKOS.topConceptOf, e.v(BK.Level1Indicators))
        elif path[0] is not None:
            e.add(node, SKOS.broader, ctx.node(iri.indicator_iri(path[0])))
    label = squash(printed or "")
    if label and label != canonical and e.once(concept_iri + "\0" + label):
        ctx.zh(node, SKOS.altLabel, label)
    return node


def _leaf_concept(ctx: Context, path: tuple[str | None, ...], name: str) -> Term:
    concept_iri = iri.indicator_iri(*path, name)
    node = ctx.node(concept_iri)
    if ctx.e.once(concept_iri):
        _concept(ctx, node, 3, name)
        if path[1] is not None:
            ctx.e.add(node, SKOS.broader, ctx.node(iri.indicator_iri(*path)))
        elif path[0] is not None:  # no level-2 label printed: the level-1 one is the nearest
            ctx.e.add(node, SKOS.broader, ctx.node(iri.indicator_iri(path[0])))
    return node


def _concept(ctx: Context, node: Term, depth: int, label: str) -> None:
    e = ctx.e
    e.a(node, SKOS.Concept)
    e.add(node, SKOS.inScheme, e.v(SCHEMES[depth - 1]))
    ctx.zh(node, SKOS.prefLabel, label)
    ctx.zh(node, RDFS.label, label)


def _parsed(ctx: Context, node: Term, v: KpiValue) -> None:
    """The target read apart: kind, comparator, number (and upper bound), unit, scale, deadline."""
    e, t = ctx.e, ctx.t
    e.add(node, BK.valueKind, t.string(v.kind))
    ctx.string(node, BK.comparator, v.comparator)
    if v.number is not None:
        e.add(node, BK.targetNumber, t.decimal(decimal_lexical(v.number)))
    if v.upper is not None:
        e.add(node, BK.targetUpper, t.decimal(decimal_lexical(v.upper)))
    ctx.string(node, BK.targetUnit, v.unit)
    if v.scale is not None:
        e.add(node, BK.targetScale, t.integer(v.scale))
    ctx.string(node, BK.targetDeadline, v.deadline)
    if v.flagged:
        e.add(node, BK.flagged, t.boolean(True))
