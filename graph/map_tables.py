"""Budget-table figures as RDF Data Cube observations, one registered mapper per table kind.

Figures are statements of one disclosure (a 部门预算 and the 单位预算 of the same department
print different totals for the same year), so data sets and observations live under the
document's IRI: …/doc/<file>/expenditure-by-function/2060101/basic. Amounts are in 万元, as the
tables print them.

Adding a table kind: write `def map_x(ctx)` here (or in a module of its own that imports
`budget_table`), decorate it with @budget_table, and add its TableKind, data structure and
items to ontology/budgetkg.ttl.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from budgetkg.graph import iri
from budgetkg.graph.context import Context, amount, derive, organization, section_span
from budgetkg.graph.terms import Term
from budgetkg.ontology.namespace import BK
from rdflib.namespace import DCTERMS, QB, RDFS, SKOS

TableMapper = Callable[[Context], None]
TABLE_MAPPERS: list[TableMapper] = []


def budget_table(mapper: TableMapper) -> TableMapper:
    """Register a mapper; mappers run in registration order."""
    TABLE_MAPPERS.append(mapper)
    return mapper


# Record.totals key → budget item. A key missing here is not written (a test lists the keys
# the seeds produce, so a new total fails there rather than vanishing).
TOTAL_ITEMS = {
    "income_total": BK.IncomeTotal,
    "income_this_year": BK.IncomeThisYear,
    "carryover": BK.Carryover,
    "expenditure_basic": BK.ExpenditureBasic,
    "expenditure_project": BK.ExpenditureProject,
    "three_public": BK.ThreePublic,
    "official_reception": BK.OfficialReception,
    "vehicle": BK.Vehicle,
    "overseas": BK.Overseas,
    "office_operation": BK.OfficeOperation,
    "procurement_total": BK.ProcurementTotal,
}
FUNCTION_COLUMNS = (
    ("total", BK.ExpenditureTotal),
    ("basic", BK.ExpenditureBasic),
    ("project", BK.ExpenditureProject),
)
BUDGET_LINE_TABLES = {"current": BK.CurrentYearProjects, "carryover": BK.CarryoverProjects}


def dataset(ctx: Context, table: str, structure: str, segment: str) -> tuple[Term, str]:
    """The qb:DataSet of one table of this disclosure."""
    e = ctx.e
    ds_iri = f"{ctx.doc_iri}/{segment}"
    node = ctx.node(ds_iri)
    e.a(node, QB.DataSet)
    e.add(node, QB.structure, e.v(structure))
    e.add(node, DCTERMS.isPartOf, ctx.doc)
    e.add(node, BK.table, e.v(table))
    e.opt(node, DCTERMS.publisher, organization(ctx, ctx.record.department.name))
    e.opt(node, BK.budgetYear, ctx.t.gyear(ctx.year) if ctx.year else None)
    return node, ds_iri


def observation(ctx: Context, ds: Term, obs_iri: str, value: float, dims: dict[str, Term]) -> Term:
    """One figure: its data set, its dimension values, the amount in 万元."""
    e = ctx.e
    node = ctx.node(obs_iri)
    e.a(node, QB.Observation)
    e.add(node, QB.dataSet, ds)
    for prop, value_term in dims.items():
        e.add(node, prop, value_term)
    amount(ctx, node, value, BK.WanYuan)
    return node


@budget_table
def map_totals(ctx: Context) -> None:
    """The summary figures. The record keeps no line per total, so they point to the span of
    the 预算报表 part (or to the document's totals as a whole when there is none)."""
    figures = [(k, v) for k, v in ctx.record.totals.items() if v is not None and k in TOTAL_ITEMS]
    if not figures:
        return
    ds, ds_iri = dataset(ctx, BK.BudgetTotals, BK.TotalsStructure, "totals")
    line, end_line = section_span(ctx, "budget_tables")
    for key, value in figures:
        node = observation(
            ctx, ds, iri.child(ds_iri, key), value, {BK.budgetItem: ctx.e.v(TOTAL_ITEMS[key])}
        )
        derive(ctx, node, BK.BudgetTotals, line, end_line)


@budget_table
def map_expenditure_by_function(ctx: Context) -> None:
    """预算支出总表: one observation per coded row and column (合计, 基本支出, 项目支出)."""
    rows = ctx.record.expenditure_by_function
    if not rows:
        return
    ds, ds_iri = dataset(
        ctx,
        BK.ExpenditureByFunctionTable,
        BK.ExpenditureByFunctionStructure,
        "expenditure-by-function",
    )
    for row in rows:
        code = function_class(ctx, row.code, row.name)
        for column, item in FUNCTION_COLUMNS:
            value = getattr(row, column)
            if value is None:
                continue
            dims = {BK.functionClass: code, BK.expenditureType: ctx.e.v(item)}
            node = observation(ctx, ds, iri.child(ds_iri, row.code, column), value, dims)
            derive(ctx, node, BK.ExpenditureByFunctionTable, row.line)


@budget_table
def map_project_budget_lines(ctx: Context) -> None:
    """项目支出预算表, this year's and carried over: one observation per line."""
    lines = [b for b in ctx.record.project_budget_lines if b.amount is not None]
    if not lines:
        return
    ds, ds_iri = dataset(ctx, BK.ProjectBudgetTable, BK.ProjectBudgetStructure, "project-budget")
    seen: Counter[str] = Counter()
    for b in lines:
        table = BUDGET_LINE_TABLES.get(b.table)
        if table is None:
            continue
        local = f"{b.table}/{iri.key(b.name)}"
        seen[local] += 1
        name = b.name if seen[local] == 1 else f"{b.name}~{seen[local]}"
        dims = {BK.budgetLineTable: ctx.e.v(table), BK.budgetLineName: ctx.t.string(b.name)}
        node = observation(ctx, ds, iri.child(ds_iri, b.table, name), b.amount, dims)
        ctx.string(node, BK.budgetLineUnit, b.unit)
        derive(ctx, node, BK.ProjectBudgetTable, b.line)


def function_class(ctx: Context, code: str, name: str | None) -> Term:
    """A 功能分类 code as a SKOS concept, with its broader codes: 2060101 → 20601 → 206."""
    e = ctx.e
    concept_iri = iri.function_class_iri(code)
    node = ctx.node(concept_iri)
    if e.once(concept_iri):
        e.a(node, SKOS.Concept)
        e.add(node, SKOS.inScheme, e.v(BK.FunctionClassification))
        e.add(node, SKOS.notation, ctx.t.string(code))
        parent = _parent_code(code)
        if parent is None:
            e.add(node, SKOS.topConceptOf, e.v(BK.FunctionClassification))
        else:
            e.add(node, SKOS.broader, function_class(ctx, parent, None))
    if name and e.once(concept_iri + "\0" + name):
        ctx.zh(node, SKOS.prefLabel, name)
        ctx.zh(node, RDFS.label, name)
    return node


def _parent_code(code: str) -> str | None:
    """类 3 digits, 款 5, 项 7: the parent drops the last two digits.

    >>> _parent_code("2060101"), _parent_code("20601"), _parent_code("206")
    ('20601', '206', None)
    """
    return code[:-2] if len(code) in (5, 7) and code.isdigit() else None
