"""Policy documents as entities: every document cited anywhere, once, with all its citations.

Identity (see `policy_key`): a document with a 发文字号 is its normalized number, so
晋政办发[2021]42号 and 晋政办发〔2021〕42号 in two disclosures are one policy. A citation that
gives only a title joins the numbered document whose title matches it once notice wrappers,
marks, width and punctuation are set aside (`citations.match_key`), provided exactly one numbered
document has that title; otherwise it is an entity of its own, keyed by that title. Numbers that
look like typos of each other are never merged, only reported as `near_duplicates`.

Issuer, level and type are read, never guessed: the authority comes from data/issuers.csv
by the 机关代字 (an unknown code keeps the code and issuer None); the level from that authority,
else from the issuer's name (a 令) or the title's first words (data/policy_levels.csv); the type
from how the title ends (data/doc_types.csv).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from budgetkg.extract.citations import doc_type, match_key, unwrap_title
from budgetkg.extract.docnumber import (
    RANK,
    lookup_issuer,
    name_level,
    normalize_doc_number,
    parse_doc_number,
    split_issuer_code,
)
from budgetkg.extract.model import Citation, Record


@dataclass(frozen=True)
class Mention:
    """One citation of a document by one project, where it is printed."""

    source: str
    project: str | None
    project_line: int
    line: int
    end_line: int
    relation: str  # legal_basis | implementing_rule | mentioned
    annual_funds_yuan: int | float | None
    title: str | None
    number: str | None
    raw: str
    truncated: bool = False


@dataclass(frozen=True)
class Spelling:
    """How a citation names its document (number, title, cut off or not): all that decides
    which policy it is and how the policies graph describes that policy."""

    number: str | None
    title: str | None
    truncated: bool = False

    @classmethod
    def of(cls, m: Mention) -> Spelling:
        return cls(m.number, m.title, m.truncated)


class CitationTally:
    """The citations of a corpus as its policies graph needs them: how often each spelling
    occurs, and which spellings each document holds, so that a document written again
    replaces its own. A corpus cites a few hundred documents in a few thousand spellings
    however many disclosures it has: the tally grows by a document's name and 4 bytes per
    citation (~0.5 KB per synthetic disclosure), where the citations themselves took ~12 KB
    (docs/benchmarks.md, Memory)."""

    def __init__(self) -> None:
        self.counts: Counter[Spelling] = Counter()
        self._ids: dict[Spelling, int] = {}
        self._spellings: list[Spelling] = []
        self._documents: dict[str, array] = {}  # document → the ids of its spellings

    def put(self, document: str, spellings: Iterable[Spelling]) -> None:
        """The spellings of `document`, replacing those it had."""
        self.remove(document)
        ids = array("I", (self._id(s) for s in spellings))
        for i in ids:
            self.counts[self._spellings[i]] += 1
        self._documents[document] = ids

    def remove(self, document: str) -> None:
        for i in self._documents.pop(document, ()):
            spelling = self._spellings[i]
            self.counts[spelling] -= 1
            if not self.counts[spelling]:
                del self.counts[spelling]

    def _id(self, s: Spelling) -> int:
        if s not in self._ids:
            self._ids[s] = len(self._spellings)
            self._spellings.append(s)
        return self._ids[s]


@dataclass(frozen=True)
class IssuerRef:
    """One issuer of a document: its code as written, and the authority when known."""

    code: str
    authority: str | None
    level: str | None


@dataclass(frozen=True)
class NearDuplicate:
    """Another policy this one may be a typo of, and why; reported, never merged."""

    key: str
    reason: str


@dataclass(frozen=True)
class Policy:
    """One document, with every citation of it; issuer/level/type as far as they can be read."""

    key: str  # stable identity: the number, or the title's match key when there is none
    number: str | None
    title: str | None
    aliases: tuple[str, ...]
    issuers: tuple[IssuerRef, ...]
    level: str | None
    level_from: str | None  # issuer | issuer_name | title
    type: str | None
    year: int | None
    cited_by: tuple[Mention, ...]
    truncated: bool = False  # every citation of it was cut off by the page
    near_duplicates: tuple[NearDuplicate, ...] = ()
    cited_as: tuple[str, ...] = ()  # the keys its citations give alone (policy_key), where not `key`

    @property
    def issuer_code(self) -> str | None:
        return "、".join(i.code for i in self.issuers) or None

    @property
    def issuer(self) -> str | None:
        """The authority (joint ones joined by 、); None unless every code is known."""
        if not self.issuers or any(i.authority is None for i in self.issuers):
            return None
        return "、".join(dict.fromkeys(i.authority for i in self.issuers))

    @property
    def projects(self) -> tuple[tuple[str, int], ...]:
        """(source, project line) of each project that cites it, once each."""
        return tuple(dict.fromkeys((m.source, m.project_line) for m in self.cited_by))

    def annual_funds_yuan(self, relation: str = "legal_basis") -> int | float | None:
        """Annual funds of the projects citing it with `relation`, each project counted once."""
        funds = {(m.source, m.project_line): m.annual_funds_yuan for m in self.cited_by
                 if m.relation == relation}
        known = [v for v in funds.values() if v is not None]
        return sum(known) if known else None


class NoIdentity(ValueError):
    """A citation with neither a number nor a title names no document."""


# --- identity -------------------------------------------------------------------------------


def policy_key(citation: Citation | Mention | Mapping[str, Any]) -> str:
    """The identity of the document a citation names, taken alone: its number in GB/T 9704
    form (joint issuers separated by 、), else its title's match key. Deterministic; the graph
    mints a policy's IRI from it. `Policy.key` is the key after resolution, where a title-only
    citation may have joined a numbered document. A title key depends on data/doc_types.csv
    only where a notice omits 印发 (X办法的通知 → X办法)."""
    number, title = _number_and_title(citation)
    if number:
        return canonical_number(number)
    key = match_key(title) or (unwrap_title(title) if title else None)
    if not key:
        raise NoIdentity(f"citation names no document: {citation!r}")
    return key


def canonical_number(number: str) -> str:
    """A normalized number with its joint issuers separated by 、 (中国科协教育部 → 中国科协、教育部)."""
    parsed = parse_doc_number(number)
    if parsed is None or parsed.is_decree:
        return parsed.normalized if parsed else normalize_doc_number(number)
    tail = parsed.normalized[len(parsed.issuer_code):]
    return "、".join(split_issuer_code(parsed.issuer_code)) + tail


def _number_and_title(c: Citation | Mention | Mapping[str, Any]) -> tuple[str | None, str | None]:
    if isinstance(c, Mapping):
        return c.get("doc_number") or c.get("number"), c.get("title")
    return (c.doc_number if isinstance(c, Citation) else c.number), c.title


# --- mentions from records ------------------------------------------------------------------


def mentions_of(record: Record | Mapping[str, Any]) -> list[Mention]:
    """Every citation in a record (a Record, or its JSON as `budgetkg extract` writes it)."""
    if isinstance(record, Mapping):
        source = record.get("source") or record.get("seed") or ""  # gold files name a seed
        projects = record.get("performance_projects") or []
    else:
        source, projects = record.source, record.performance_projects
    return [m for p in projects for m in _project_mentions(source, p)]


def _project_mentions(source: str, p: Any) -> list[Mention]:
    if isinstance(p, Mapping):
        name, line, funds = p.get("name"), p.get("line") or 0, p.get("annual_funds_yuan")
        cits = [*(p.get("legal_bases") or []), *(p.get("other_citations") or [])]
    else:
        name, line, funds = p.name, p.line, p.annual_funds.total
        cits = [*p.legal_bases, *p.other_citations]
    return [_mention(source, name, line, funds, c) for c in cits]


def _mention(source: str, project: str | None, line: int, funds, c) -> Mention:
    get = c.get if isinstance(c, Mapping) else lambda k, d=None: getattr(c, k, d)
    return Mention(
        source=source, project=project, project_line=line,
        line=get("line") or line, end_line=get("end_line") or get("line") or line,
        relation=get("relation") or "legal_basis", annual_funds_yuan=funds,
        title=get("title"), number=get("doc_number"), raw=get("raw") or "",
        truncated=bool(get("truncated")),
    )


# --- resolution -----------------------------------------------------------------------------


def resolve_policies(
    records: Iterable[Record | Mapping[str, Any]], relations: Iterable[str] | None = None
) -> list[Policy]:
    """One Policy per document cited in `records` (with one of `relations`, default all),
    most-cited first, then by key."""
    wanted = set(relations) if relations else None
    return resolve([m for r in records for m in mentions_of(r) if not wanted or m.relation in wanted])


def resolve(mentions: Iterable[Mention]) -> list[Policy]:
    """Fold mentions into policies (see the module's doc for the rules), each with the
    mentions that cite it in the order given."""
    mentions = list(mentions)
    by_spelling: dict[Spelling, list[Mention]] = {}
    for m in mentions:
        by_spelling.setdefault(Spelling.of(m), []).append(m)
    resolved = resolve_spellings(Counter({s: len(ms) for s, ms in by_spelling.items()}))
    out = []
    for policy, spellings in resolved:
        cited = {id(m) for s in spellings for m in by_spelling[s]}
        out.append(replace(policy, cited_by=tuple(m for m in mentions if id(m) in cited)))
    return sorted(out, key=lambda p: (-len(p.projects), p.key))


def resolve_spellings(counts: Mapping[Spelling, int]) -> list[tuple[Policy, tuple[Spelling, ...]]]:
    """Each policy the spellings name (without cited_by), with the spellings that name it,
    by key. Only how often each spelling occurs counts, not where: a corpus's policies can be
    resolved from a CitationTally, which holds no citation."""
    groups, ambiguous = _group(list(counts))
    policies = {key: _policy(key, {s: counts[s] for s in ss}) for key, ss in groups.items()}
    near = _near_duplicates(list(policies.values()), ambiguous)
    return [(_with_near(policies[k], near.get(k, ())), tuple(groups[k])) for k in sorted(groups)]


def _group(spellings: list[Spelling]) -> tuple[dict[str, list[Spelling]], dict[str, set[str]]]:
    """Spellings by the key of the policy they name; and, per title key, the numbers it
    matches when there are several (a title-only spelling then stays apart)."""
    keyed = [(m, k) for m in spellings if (k := _key_or_none(m))]
    whole: dict[str, set[str]] = {}  # whole number → the title keys it is cited with
    for m, k in keyed:
        if m.number and k.endswith("号"):
            whole.setdefault(k, set()).update({match_key(m.title)} - {None})
    keyed = [(m, _completed(k, match_key(m.title), whole) if m.number else k) for m, k in keyed]
    by_title: dict[str, set[str]] = {}
    for m, k in keyed:
        if m.number and match_key(m.title):
            by_title.setdefault(match_key(m.title), set()).add(k)
    groups: dict[str, list[Spelling]] = {}
    for m, k in keyed:
        if not m.number and len(by_title.get(k, ())) == 1:
            k = next(iter(by_title[k]))
        groups.setdefault(k, []).append(m)
    return groups, {t: ns for t, ns in by_title.items() if len(ns) > 1 and t in groups}


def _key_or_none(m: Spelling) -> str | None:
    """policy_key, or None for a mention that names no document (《〈〉》 read back from a store)."""
    try:
        return policy_key(m) if m.number or m.title else None
    except NoIdentity:
        return None


def _completed(key: str, title: str | None, whole: dict[str, set[str]]) -> str:
    """A number cut off by the page (忻科发〔2017〕30) joins the one whole number it begins,
    unless both give titles and they differ."""
    if key.endswith("号"):
        return key
    found = [n for n in whole if n.startswith(key) and (not title or not whole[n] or title in whole[n])]
    return found[0] if len(found) == 1 else key


def _policy(key: str, counts: Mapping[Spelling, int]) -> Policy:
    """A policy from the spellings that name it and how often each occurs. Its titles are
    ranked by how often they occur, then by text, so the chosen title, the type and the
    level do not depend on the order documents were read."""
    numbered = any(s.number for s in counts)
    parsed = parse_doc_number(key) if numbered else None
    titles, whole = Counter(), Counter()
    for s, n in counts.items():
        if s.title:
            titles[s.title] += n
            whole[s.title] += 0 if s.truncated else n
    ranked = sorted(titles, key=lambda t: (-titles[t], t))
    title = min(ranked, key=lambda t: -whole[t]) if ranked else None  # a whole title before a cut one
    issuers = _issuers(parsed.issuer_code, parsed.is_decree) if parsed else ()
    level, level_from = _level(issuers, parsed.is_decree if parsed else False, ranked)
    return Policy(
        key=key,
        number=key if numbered else None,
        title=title,
        aliases=tuple(ranked),
        issuers=issuers,
        level=level,
        level_from=level_from,
        type=next((t for t in map(doc_type, [title, *ranked]) if t), None),
        year=parsed.year if parsed else None,
        cited_by=(),
        truncated=all(s.truncated for s in counts),
        cited_as=tuple(sorted({k for s in counts if not (s.truncated and not s.number)
                               and (k := policy_key(s)) != key})),
    )


def _issuers(code: str, decree: bool) -> tuple[IssuerRef, ...]:
    """Each issuer behind a code; a 令's code is its issuer's name, which names the authority."""
    refs = []
    for part in split_issuer_code(code):
        known = lookup_issuer(part)
        if known:
            refs.append(IssuerRef(part, known.authority, known.level))
        elif decree:
            refs.append(IssuerRef(part, part, name_level(part)))
        else:
            refs.append(IssuerRef(part, None, None))
    return tuple(refs)


def _level(issuers: tuple[IssuerRef, ...], decree: bool, titles: list[str]) -> tuple[str | None, str | None]:
    """The highest level among the known issuers, else what a title's first words say (its
    issuer's name included: 山西省财政厅关于印发… is provincial)."""
    levels = [i.level for i in issuers if i.level]
    if levels:
        return min(levels, key=RANK.__getitem__), "issuer_name" if decree else "issuer"
    for t in titles:
        found = name_level(re.sub(r"\s+", "", unicodedata.normalize("NFKC", t)), ministry=False)
        if found:
            return found, "title"
    return None, None


# --- near duplicates ------------------------------------------------------------------------


def _near_duplicates(policies: list[Policy], ambiguous: dict[str, set[str]]) -> dict[str, list[NearDuplicate]]:
    """Pairs of numbers that may be one document mistyped, and titles that match several."""
    found: dict[str, list[NearDuplicate]] = {}

    def note(a: str, b: str, reason: str) -> None:
        if a != b:
            found.setdefault(a, []).append(NearDuplicate(b, reason))
            found.setdefault(b, []).append(NearDuplicate(a, reason))

    numbered = [(p, parse_doc_number(p.key)) for p in policies if p.number]
    parsed = [(p.key, d) for p, d in numbered if d and not d.is_decree]
    titles = {p.key: {match_key(a) for a in p.aliases} - {None} for p, _ in numbered}

    def typo(a: str, b: str) -> bool:  # two different titles: two documents, not one mistyped
        return not (titles[a] and titles[b]) or bool(titles[a] & titles[b])

    for bucket in _buckets(parsed, lambda d: (d.issuer_code, d.year)).values():
        for a, b in _pairs(bucket, lambda d: d.serial):
            if typo(a, b):
                note(a, b, "same issuer code and year; serial differs by one digit")
    for bucket in _buckets(parsed, lambda d: (d.year, d.serial)).values():
        for a, b in _pairs(bucket, lambda d: d.issuer_code):
            if typo(a, b):
                note(a, b, "same year and serial; issuer code differs by one character")
    titled = [(key, t) for key, ts in titles.items() for t in sorted(ts)]
    for keys in _buckets(titled, lambda t: t).values():
        for i, (a, _) in enumerate(keys):
            for b, _ in keys[i + 1 :]:
                note(a, b, "same title, different number")
    for title, numbers in ambiguous.items():
        for n in sorted(numbers):
            found.setdefault(title, []).append(NearDuplicate(n, "title matches several numbered documents"))
    return found


def _buckets(items, key) -> dict[Any, list]:
    out: dict[Any, list] = {}
    for k, value in items:
        out.setdefault(key(value), []).append((k, value))
    return out


def _pairs(bucket: list, part) -> Iterable[tuple[str, str]]:
    for i, (a, da) in enumerate(bucket):
        for b, db in bucket[i + 1 :]:
            if _one_edit(part(da), part(db)):
                yield a, b


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by exactly one substitution, insertion or deletion."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def _with_near(p: Policy, near: Iterable[NearDuplicate]) -> Policy:
    unique = tuple(sorted(set(near), key=lambda n: (n.key, n.reason)))
    return replace(p, near_duplicates=unique) if unique else p


# --- JSON -----------------------------------------------------------------------------------


def policy_to_dict(p: Policy) -> dict[str, Any]:
    """A policy as `budgetkg policies` writes it."""
    return {
        "key": p.key,
        "number": p.number,
        "title": p.title,
        "aliases": list(p.aliases),
        "issuer_code": p.issuer_code,
        "issuer": p.issuer,
        "issuers": [asdict(i) for i in p.issuers],
        "level": p.level,
        "level_from": p.level_from,
        "type": p.type,
        "year": p.year,
        "truncated": p.truncated,
        "projects": len(p.projects),
        "annual_funds_yuan": p.annual_funds_yuan(),
        "cited_by": [asdict(m) for m in p.cited_by],
        "near_duplicates": [asdict(n) for n in p.near_duplicates],
    }
