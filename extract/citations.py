"""Documents cited in a text field (立项依据 and the like), each once, with number and title.

A citation is a 《title》, a 发文字号, or both next to each other in either order:
《title》（number）, 《title》number, number文件《title》. Titles keep what is inside the
outermost 《》 as written; numbers are folded by docnumber.normalize_doc_number. A 发文字号
written inside a title (…贯彻落实国办发[2008]114号文件的补充规定…) belongs to the title and is
not a citation of its own. Plain-text names without 《》 are not read as titles: where a
number stands beside one, the citation has the number and title None.
"""

from __future__ import annotations

import bisect
import csv
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from budgetkg.extract.docnumber import CLOSE, OPEN, DocNumberMatch, iter_doc_numbers
from budgetkg.extract.model import Citation, PerformanceProject, Row

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")  # ASCII names: <全国…制度> stays
_GAP_AFTER_TITLE = re.compile(r"(?:\s|的通知|通知|文件)*")
_GAP_BEFORE_TITLE = re.compile(r"\s*(?P<file>文件)?\s*[，,：:]?\s*(?=《)")
_ENUMERATOR = re.compile(r"\s*(?:\d+\s*[.、．]|[（(]\s*\d+\s*[)）]|[一二三四五六七八九十]+、)?\s*")
# 《新科幻》编辑部, 《每周听科学》栏目: a publication or programme, not a cited document.
_MEDIA_AFTER = re.compile(r"\s*(?:编辑部|杂志|期刊|栏目|节目|专栏|专报|报社|丛书|频道|公众号|刊物)")
_ALIAS_BEFORE = re.compile(r"(?:简称|下称)\s*$")
_ALIAS_WINDOW = 40  # characters before a 《 searched for 简称: not the whole field per title
_SENTENCE_END = "。；;！？!?》"
_NOT_IN_ORPHAN = "，,：:“”\"《"
# Free-text fields besides 立项依据, and how a document cited there bears on the project:
# 保证项目实施的制度、措施 names the rules it is run by; the others only mention documents.
TEXT_RELATIONS = (
    ("measures", "implementing_rule"),
    ("overview", "mentioned"),
    ("plan", "mentioned"),
    ("necessity", "mentioned"),
)


class _Field(NamedTuple):
    """The segments of one field joined by line breaks, with where each segment starts.

    _Field and _Title are NamedTuples, not frozen dataclasses: built for every field and
    title, they cost a fraction to create, and nothing compares or hashes them."""

    text: str
    starts: tuple[int, ...]
    lines: tuple[int, ...]

    def line_at(self, offset: int) -> int:
        return self.lines[max(bisect.bisect_right(self.starts, offset) - 1, 0)]


class _Title(NamedTuple):
    start: int  # at 《, or at the first character when the 《 is missing
    end: int  # after 》, or the end of the title text when the 》 is missing
    text: str
    truncated: bool = False  # cut off by the page at either end
    closed: bool = True  # has its 》, so a number may follow it


@dataclass
class _Draft:
    start: int
    end: int
    title: _Title | None = None
    number: DocNumberMatch | None = None


def find_citations(
    segments: Sequence[tuple[int, str]], relation: str = "legal_basis"
) -> list[Citation]:
    """The documents cited in one text field, in order of first mention, each once.

    `segments` are (1-based line, text) pieces of the field in document order (a cell
    wrapped over lines gives several); a citation's line/end_line are where its raw text
    starts and ends.
    """
    field = _join(segments)
    titles = _titles(field.text)
    numbers = [n for n in iter_doc_numbers(field.text) if not _inside(n, titles)]
    drafts = _pair(field.text, titles, numbers)
    return _dedupe([_citation(field, d, relation) for d in drafts])


def _join(segments: Sequence[tuple[int, str]]) -> _Field:
    """Clean each segment and join them with line breaks, which numbers and titles ignore."""
    parts, starts, lines, offset = [], [], [], 0
    for line, text in segments:
        cleaned = html.unescape(_TAG.sub(" ", text or ""))
        parts.append(cleaned)
        starts.append(offset)
        lines.append(line)
        offset += len(cleaned) + 1
    return _Field("\n".join(parts), tuple(starts), tuple(lines))


_BOOK_MARK = re.compile("[《》]")
_OPENING = re.compile(OPEN)
_CLOSING = re.compile(CLOSE)
_SPACES = re.compile(r"\s+")
_IDEOGRAPH = re.compile("[\u4e00-\u9fff]")


def _titles(text: str) -> list[_Title]:
    """Outermost 《…》 spans (inner 《》 are part of the title), in order.

    A 《 never closed runs to the next 《 or the end and is truncated. A 》 never opened is a
    title only when the words before it form one clean clause (…。国民经济…纲要》); a
    fragment inside a longer sentence is garble, not a citation.

    Marks are paired once, with a stack (`_partners`), so a run of unclosed 《 costs linear
    time, not one rescan of the rest of the field per 《.
    """
    if "《" not in text and "》" not in text:
        return []  # most fields cite nothing: two fast scans instead of a regex one
    found: list[_Title] = []
    at = [m.start() for m in _BOOK_MARK.finditer(text)]  # only these characters change state
    partner = _partners(text, at)
    k = 0
    while k < len(at):
        i = at[k]
        if k in partner:  # a 《 and its 》
            close = at[partner[k]]
            found.append(_Title(i, close + 1, _clean_title(text[i + 1 : close])))
            k = partner[k] + 1
            continue
        if text[i] == "《":  # never closed: no 》 can follow before the next 《
            end = at[k + 1] if k + 1 < len(at) else len(text)
            found.append(_Title(i, end, _clean_title(text[i + 1 : end]), True, False))
        else:
            orphan = _orphan(text, i)
            if orphan and found and found[-1].end == orphan[0].start and orphan[0].text.startswith("的"):
                orphan = [_nested(found.pop(), orphan[0])]
            found.extend(orphan)
        k += 1
    return [t for t in found if _names_document(t.text)]


def _names_document(title: str) -> bool:
    """Not empty once unwrapped: 《〈〉》 names no document. A Chinese character survives the
    unwrapping (NFKC keeps U+4E00–U+9FFF as they are), so only other titles are unwrapped."""
    return bool(_IDEOGRAPH.search(title)) or bool(title and unwrap_title(title))


def _partners(text: str, at: list[int]) -> dict[int, int]:
    """Index (in `at`) of each 《 that is closed → index of the 》 closing it."""
    stack: list[int] = []
    partner = {}
    for k, i in enumerate(at):
        if text[i] == "《":
            stack.append(k)
        elif stack:
            partner[stack.pop()] = k
    return partner


def _orphan(text: str, close: int) -> list[_Title]:
    """The title before a 》 that has no 《, when it is a clause of its own."""
    begin = max((text.rfind(c, 0, close) for c in _SENTENCE_END), default=-1) + 1
    begin = _ENUMERATOR.match(text, begin).end()
    words = text[begin:close]
    if not 2 <= len(words.strip()) <= 100 or any(c in words for c in _NOT_IN_ORPHAN):
        return []
    return [_Title(begin, close + 1, _clean_title(words), truncated=begin == 0)]


def _nested(inner: _Title, rest: _Title) -> _Title:
    """《X》的补充协议》: the writer meant 《〈X〉的补充协议》, one title that names X inside."""
    return _Title(inner.start, rest.end, f"〈{inner.text}〉{rest.text}", inner.truncated, rest.closed)


def _clean_title(s: str) -> str:
    """A title as written, without the line breaks of a wrapped cell, nor the gap Word and WPS
    set between a figure and Chinese text (规划和 2035 年远景目标纲要). A space between two
    Chinese words stays: it may part joint issuers (中国科协 教育部关于…)."""
    s = s.replace("\n", "").strip()
    return _FIGURE_GAP.sub("", s) if " " in s else s


_FIGURE_GAP = re.compile(r"(?<=\d)\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+(?=\d)")


def _inside(n: DocNumberMatch, titles: list[_Title]) -> bool:
    return any(t.start < n.start and n.end <= t.end for t in titles)


def _pair(text: str, titles: list[_Title], numbers: list[DocNumberMatch]) -> list[_Draft]:
    """Join each title with the number written next to it; the rest stand alone."""
    titles = _documents(text, titles)
    drafts = {id(t): _Draft(t.start, t.end, title=t) for t in titles}
    free = []
    for n in numbers:
        if not _attach_bracketed(text, n, titles, drafts):
            free.append(n)
    lone = [n for n in free if not _attach_adjacent(text, n, titles, drafts)]
    out = sorted(drafts.values(), key=lambda d: d.start)
    for d in out:
        if d.number is None and text.startswith("的通知", d.end):
            d.end += len("的通知")  # 关于印发《…》的通知: the raw names the notice
    for n in lone:
        floor = max((d.end for d in out if d.end <= n.start), default=0)
        out.append(_Draft(*_lone_span(text, n, floor), number=n))
    return sorted(out, key=lambda d: d.start)


def _documents(text: str, titles: list[_Title]) -> list[_Title]:
    """Drop 《》 that name no document: publications (《新科幻》编辑部) and aliases (简称《新纲要》)."""
    aliases, kept = set(), []
    for t in titles:
        if _ALIAS_BEFORE.search(text, max(0, t.start - _ALIAS_WINDOW), t.start):
            aliases.add(t.text)
        elif t.text not in aliases and not _MEDIA_AFTER.match(text, t.end):
            kept.append(t)
    return kept


def _attach_bracketed(text: str, n: DocNumberMatch, titles, drafts) -> bool:
    """《title》（number） and 《title》的通知（number）: the bracket right after a title."""
    for t in titles:
        d = drafts[id(t)]
        if d.number is None and t.closed and t.end <= n.start:
            pos = _GAP_AFTER_TITLE.match(text, t.end).end()
            if _OPENING.match(text[pos : pos + 1]) and _skip_space(text, pos + 1) == n.start:
                d.number, d.end = n, _after_close(text, n.end)
                return True
    return False


def _attach_adjacent(text: str, n: DocNumberMatch, titles, drafts) -> bool:
    """《title》number or number文件《title》, when no bracket says which title it belongs to.

    Between two titles the number goes to the one before it, unless 文件 ties it to the next.
    """
    before = [t for t in titles if drafts[id(t)].number is None and t.closed
              and _skip_space(text, t.end) == n.start]
    gap = _GAP_BEFORE_TITLE.match(text, n.end)
    after = [t for t in titles if gap and t.start == gap.end() and drafts[id(t)].number is None]
    if after and (not before or gap["file"]):
        d = drafts[id(after[0])]
        d.number, d.start = n, n.start
        return True
    if before:
        d = drafts[id(before[0])]
        d.number, d.end = n, n.end
        return True
    return False


def _lone_span(text: str, n: DocNumberMatch, floor: int) -> tuple[int, int]:
    """A number on its own; when bracketed, its raw text includes the plain name before it
    (back to a clause boundary or the citation before, whichever is nearer)."""
    open_at = len(text[: n.start].rstrip()) - 1
    close_end = _after_close(text, n.end)
    if open_at < 0 or not _OPENING.match(text[open_at]) or close_end == n.end:
        return n.start, n.end
    begin = max((text.rfind(c, 0, open_at) for c in _SENTENCE_END + "，,：:、"), default=-1) + 1
    begin = _ENUMERATOR.match(text, max(begin, floor)).end()
    return (begin if begin < open_at else n.start), close_end


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _after_close(text: str, pos: int) -> int:
    """End of a closing bracket right after `pos`, or `pos` when there is none."""
    at = _skip_space(text, pos)
    return at + 1 if _CLOSING.match(text[at : at + 1]) else pos


def _citation(field: _Field, d: _Draft, relation: str) -> Citation:
    truncated = bool((d.title and d.title.truncated) or (d.number and d.number.truncated))
    return Citation(
        title=d.title.text if d.title else None,
        doc_number=d.number.normalized if d.number else None,
        raw=field.text[d.start : d.end].replace("\n", "").strip(),
        line=field.line_at(d.start),
        end_line=field.line_at(max(d.end - 1, d.start)),
        relation=relation,
        truncated=truncated,
    )


def title_key(title: str | None) -> str | None:
    """Titles compare width-folded, without white space or the outer 《》."""
    if not title:
        return None
    folded = unicodedata.normalize("NFKC", title)
    key = "".join(folded.split()).strip("《》")
    return (key if key == folded else _nfkc(key)) or None  # NFKC again only if chars were dropped


def _nfkc(s: str) -> str:
    """NFKC again after characters were dropped: a combining mark that followed a dropped
    space or 《 joins the letter before it now, and a second fold must change nothing."""
    return unicodedata.normalize("NFKC", s)


_MARKS = str.maketrans("", "", "《》〈〉<>")
# 关于印发《X》的通知, 国务院关于转发…的通知: the notice that carries X is cited as X.
_CARRIER = re.compile(r"^.*?(?:印发|转发|颁发|发布)(?P<inner>.+?)的通知$")
_QUALIFIERS = re.compile(r"(?:\([^()]*\))+$")  # （试行）（2021—2035年） at the end, NFKC-folded


def unwrap_title(title: str) -> str:
    """The document a title names: width-folded, without white space, book-title marks or
    the 印发/转发…的通知 notice that carries it (国务院关于印发X的通知 → X)."""
    s = _nfkc(_SPACES.sub("", unicodedata.normalize("NFKC", title).translate(_MARKS)))
    m = _CARRIER.match(s)
    if m:
        return m["inner"]
    inner = s[: -len("的通知")] if s.endswith("的通知") else None
    return inner if inner and doc_type(inner) not in (None, "通知") else s  # X办法的通知: 印发 left out


def doc_type(title: str | None) -> str | None:
    """法, 条例, 办法, 意见, 通知, 规划 … from how a title ends (data/doc_types.csv); None when
    no known ending closes it. The document a notice carries gives the type (印发X办法的通知 → 办法)."""
    if not title:
        return None
    core = strip_qualifiers(unwrap_title(title))
    return next((kind for ending, kind in _doc_types() if core.endswith(ending)), None)


@lru_cache(maxsize=1)
def _doc_types() -> tuple[tuple[str, str], ...]:
    """(ending, type), longest ending first."""
    text = resources.files("budgetkg.extract").joinpath("data", "doc_types.csv").read_text("utf-8")
    rows = csv.DictReader(ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
    pairs = {(r["ending"].strip(), r["type"].strip()) for r in rows if (r.get("ending") or "").strip()}
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))


def match_key(title: str | None) -> str | None:
    """The form in which spellings of one title compare equal: unwrapped (unwrap_title),
    without punctuation or symbols, so （2021—2035年） and (2021-2035年) agree."""
    if not title:
        return None
    kept = (ch for ch in unwrap_title(title).casefold() if unicodedata.category(ch)[0] not in "PSZ")
    return _nfkc("".join(kept)) or None


def strip_qualifiers(title: str) -> str:
    """An unwrapped title without its closing （试行）, （修订） or （2021—2035年）."""
    return _QUALIFIERS.sub("", title)


def _dedupe(cits: list[Citation]) -> list[Citation]:
    """Keep one citation per document: same number, or same title where a number is missing.

    A later mention fills in what the first one lacked (its number or its title).
    """
    out: list[Citation] = []
    keys: list[str | None] = []  # title_key of each kept citation, computed once, not per pair
    for c in cits:
        key = title_key(c.title)
        i = _same_document(out, keys, c, key)
        if i is None:
            out.append(c)
            keys.append(key)
        elif out[i].doc_number is None or out[i].title is None:
            out[i] = replace(out[i], doc_number=out[i].doc_number or c.doc_number,
                             title=out[i].title or c.title)
            keys[i] = title_key(out[i].title)
    return out


def _same_document(seen: list[Citation], keys: list[str | None], c: Citation, key: str | None) -> int | None:
    """The kept citation `c` names again; `keys` are the title_keys of `seen`, `key` is c's.

    One number names one document, under whatever wording of its title, except a notice and
    the document it issues (《…关于印发…若干措施的通知》, 《关于…的若干措施》): they share a
    发文字号 but are two documents, as seed 001's gold lists a notice and the outline it issues."""
    for i, s in enumerate(seen):
        if c.doc_number and s.doc_number == c.doc_number and _same_kind(key, keys[i]):
            return i
    if not key:
        return None
    for i, s in enumerate(seen):
        if keys[i] == key and (c.doc_number is None or s.doc_number is None):
            return i
    return None


def _same_kind(a: str | None, b: str | None) -> bool:
    """Not a notice issuing a document (…印发…的通知) and a title of another kind: one title
    not known, both notices, or the other a notice too (…若干政策的通知, the 印发 left out) or
    the notice's title cut short (…若干措施（试行）)."""
    if not a or not b:
        return True
    notice, other = (a, b) if _ISSUING.search(a) else (b, a)
    if not _ISSUING.search(notice) or _ISSUING.search(other):
        return True
    return other.endswith("通知") or notice.startswith(other)


_ISSUING = re.compile(r"印发.+通知$")


# --- the other text fields -----------------------------------------------------------------


def add_text_citations(
    projects: Sequence[PerformanceProject], rows: Sequence[Row]
) -> list[PerformanceProject]:
    """Each project with the documents its other text fields cite (see TEXT_RELATIONS).

    They are kept apart from legal_bases, which hold what 立项依据 cites and nothing else.
    """
    lines = [r.line for r in rows]
    return [replace(p, other_citations=_text_citations(p, rows, lines)) for p in projects]


def _text_citations(p: PerformanceProject, rows: Sequence[Row], lines: list[int]) -> tuple[Citation, ...]:
    """Once per relation: a document both 项目概况 and 实施计划 mention is one mention."""
    by_relation: dict[str, list[Citation]] = {}
    for name, relation in TEXT_RELATIONS:
        found = find_citations(field_segments(p, name, rows, lines), relation)
        by_relation.setdefault(relation, []).extend(found)
    return tuple(c for cits in by_relation.values() for c in _dedupe(cits))


def field_segments(
    p: PerformanceProject, name: str, rows: Sequence[Row], lines: list[int] | None = None
) -> list[tuple[int, str]]:
    """A text field as (line, text) pieces, each on the line its cell was printed on.

    The record keeps a field's text (its cells joined by line breaks) and its first and last
    line; each cell is found again among the rows of that span, so that a citation wrapped
    over lines (pdftotext) gets its own lines, not the field's first.
    """
    text, span = p.texts.get(name), p.text_lines.get(name)
    if not text or not span:
        return []
    lines = [r.line for r in rows] if lines is None else lines
    window = rows[bisect.bisect_left(lines, span[0]) : bisect.bisect_right(lines, span[1])]
    out, at, line = [], 0, span[0]
    for piece in text.split("\n"):
        key = "".join(piece.split())
        hit = next((i for i in range(at, len(window)) if key in window[i].key), None)
        if hit is not None:
            at, line = hit, window[hit].line
        out.append((line, piece))
    return out
