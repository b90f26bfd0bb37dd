"""发文字号 (document numbers) in GB/T 9704 form: 机关代字〔年份〕序号号.

Disclosures write the same number many ways: 晋政办发[2017]59号, 晋市政办【2025】29号,
并财教(2022)181号, with full-width digits, or split by a line break (晋 驻村办（2022）14号).
Citations are only comparable, and issuers only resolvable, once these are folded to one form.

A 令 (decree) is numbered by its issuer alone, with no year: 大同市人民政府令第118号,
科学技术部令第19号, 中华人民共和国主席令第五十六号. Its number keeps its 第 and is otherwise
folded the same way (width, white space).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
OPEN = "[\\[【(（〔［﹝〖]"
_OPEN_CHARS = "[【(（〔［﹝〖"  # the brackets OPEN matches
CLOSE = "[\\]】)）〕］﹞〗]"
_DIGIT = "[0-9０-９]"

# Year brackets after NFKC: ［ and （ are folded to [ and ( and ﹝﹞ to 〔〕 by then.
_YEAR_BRACKETS = re.compile(r"[\[【(〔〖]((?:19|20)[0-9]{2})[\]】)〕〗]")
_SERIAL_PREFIX = re.compile(r"〔([0-9]{4})〕第(?=[0-9])")
_SHAPE = re.compile(rf"(?P<code>[^〔〕\s]*[{CJK}][^〔〕\s]*)〔(?P<year>[0-9]{{4}})〕(?P<serial>[0-9]+)号?")

# A decree's number: 令第118号 (the issuer is read back from 令, as a code from its bracket).
_CN_NUMERAL = "一二三四五六七八九十百千零〇两"
_DECREE = re.compile(
    rf"令\s*第\s*(?:(?P<serial>(?:{_DIGIT}\s?){{0,5}}{_DIGIT})|(?P<cn>[{_CN_NUMERAL}]{{1,8}})(?=\s*号))"
    rf"(?:\s*(?P<hao>号))?"
)
_DECREE_SHAPE = re.compile(
    rf"(?P<code>[^〔〕\s]*[{CJK}][^〔〕\s]*?)令第(?P<serial>[0-9]+|[{_CN_NUMERAL}]+)号?"
)
# The part of a number that needs no context: bracketed year, optional 第, serial, 号.
_TAIL = re.compile(
    rf"(?P<open>{OPEN})\s*(?P<year>(?:{_DIGIT}[\n ]?){{3}}{_DIGIT})\s*{CLOSE}"  # a wrap may cut the year
    rf"(?:\s*第)?(?:\s*(?P<serial>(?:{_DIGIT}[\n ]?){{0,5}}{_DIGIT}(?=\s*号)|{_DIGIT}{{1,6}}))?(?:\s*(?P<hao>号))?"
)
_PREFIX_CHAR = re.compile(rf"[{CJK}、\s]")
_CJK_CHAR = re.compile(f"[{CJK}]")
_CLOSING = re.compile(CLOSE)
_SPACES = re.compile(r"\s+")
# Words that end the sentence in front of an issuer code: everything up to and including
# the last of them is prose, not part of the 机关代字 (根据晋市办字…, …的通知晋科发…).
_MARKERS = (
    "根据", "依据", "按照", "依照", "参照", "遵照", "落实", "贯彻", "执行", "结合", "详见",
    "以及", "及其", "印发", "下发", "转发", "通知", "文件", "规定", "要求", "意见", "办法",
    "批复", "方案", "的",  # not 精神: 中央精神文明建设办公室 is an issuer
    "遵循", "对照", "其中", "按", "据", "以", "见", "即", "由",  # 按临财教…, 省政府以晋政函…
)
_MARKER_RE = re.compile("|".join(r"\s*".join(map(re.escape, m)) for m in _MARKERS))
_ENUMERATOR = re.compile(r"\s*[一二三四五六七八九十]{1,3}\s*、")
# A conjunction in front of a code joins it to what came before (…38号及晋财资…); no code
# starts with one of these (not 并 or 和: 并财教 is Taiyuan's, 和顺县's codes start with 和).
_CONJUNCTION = re.compile(r"[及与或暨]\s*(?=\S)")
# 和 and 并 join codes too, but open some (和顺县's 和政发, Taiyuan's 并财教): they are taken as
# conjunctions only before the glyph a province's or the state's code opens with.
_LOOSE_CONJUNCTIONS = ("和", "并")
_CODE_OPENERS = frozenset("京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川蜀贵黔云滇藏陕甘陇青宁新国中")
# An authority's name ends with one of these; a known code right after it is the real code.
_AUTHORITY_END = ("厅", "局", "部", "委", "会", "院", "室", "府", "协", "馆", "中心", "组")
# Who issues a 令: an authority, or the 主席 (of the PRC); 命令第3号 or 口令 are no decrees.
_DECREE_ISSUER_END = _AUTHORITY_END + ("主席", "署", "行", "办", "政府")


@dataclass(frozen=True)
class DocNumber:
    """A parsed 发文字号; issuer_code is the 机关代字 as written (joint issuers keep their 、).

    A decree (令第N号) has no year: `year` is None and issuer_code is the issuer's name.
    """

    normalized: str
    issuer_code: str
    year: int | None
    serial: str

    @property
    def is_decree(self) -> bool:
        return self.year is None

    @property
    def issuer_codes(self) -> tuple[str, ...]:
        """Joint numbers (中办、国办发) name several issuers."""
        return tuple(c for c in self.issuer_code.split("、") if c)


# Administrative levels, the highest first.
RANK = {"national": 0, "provincial": 1, "municipal": 2, "district": 3}


@dataclass(frozen=True)
class Issuer:
    code: str
    authority: str
    level: str  # national | provincial | municipal | district


class DocNumberMatch(NamedTuple):
    """A number found in text; truncated when the text ends before its 号."""

    start: int
    end: int
    normalized: str
    truncated: bool = False


def normalize_doc_number(s: str) -> str:
    """Fold a written number to 机关代字〔年份〕序号号 so that equal numbers compare equal.

    NFKC folds digits and full-width brackets, white space (wrap or line break) is dropped,
    any bracket pair around a year becomes 〔〕, and a 第 before the serial is dropped.
    Idempotent, and never raises: text that is no number comes back only width-folded.
    """
    folded = unicodedata.normalize("NFKC", s)
    s = "".join(folded.split())
    if s != folded:
        s = unicodedata.normalize("NFKC", s)  # a mark NFKC split off a space recombines here
    s = _YEAR_BRACKETS.sub(_bracketed_year, s)
    return _SERIAL_PREFIX.sub(_bracketed_year, s) if "第" in s else s


def _bracketed_year(m: re.Match[str]) -> str:
    """〔year〕 for a match whose group 1 is the year: a function, not the template r"〔\1〕",
    which re expands through Python code at every call."""
    return f"〔{m[1]}〕"


def parse_doc_number(s: str) -> DocNumber | None:
    """Split a number into issuer code, year and serial; None when `s` is not one number.

    Standard numbers (GB/T 41131-2021) and bare years have no CJK issuer code before a
    bracketed year, so they are rejected.
    """
    norm = normalize_doc_number(s)
    m = _SHAPE.fullmatch(norm)
    if m and 1900 <= int(m["year"]) <= 2099:
        return DocNumber(norm, m["code"], int(m["year"]), m["serial"])
    d = _DECREE_SHAPE.fullmatch(norm)
    if d and d["code"].endswith(_DECREE_ISSUER_END) and (norm.endswith("号") or d["serial"].isdigit()):
        return DocNumber(norm, d["code"], None, d["serial"])
    return None


def iter_doc_numbers(text: str) -> Iterator[DocNumberMatch]:
    """Every 发文字号 in `text`, with the issuer prefix read back from the year bracket.

    A number without 号 counts when a closing bracket follows (号 is added to the normalized
    form: the document is the same) or when the text ends there (then it is truncated).
    """
    last_end = 0
    if not any(bracket in text for bracket in _OPEN_CHARS) and "令" not in text:
        return  # no year bracket and no decree: fast scans spare the regex one
    tails = [(m.start(), 0, m) for m in _TAIL.finditer(text)]
    if "令" in text:
        tails += [(m.start(), 1, m) for m in _DECREE.finditer(text)]
        tails.sort(key=lambda t: t[:2])
    for at, decree, m in tails:
        if at < last_end:
            continue
        if decree:
            found = _decree(text, m, last_end)
        else:
            year = unicodedata.normalize("NFKC", "".join(m["year"].split()))
            if not year.startswith(("19", "20")):
                continue
            start = _issuer_start(text, m.start(), last_end)
            found = _complete(text, start, m) if start is not None else None
        if found:
            last_end = found.end
            yield found


def find_doc_numbers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalized) of each 发文字号 in `text`, in order."""
    return [(m.start, m.end, m.normalized) for m in iter_doc_numbers(text)]


def _complete(text: str, start: int, m: re.Match) -> DocNumberMatch | None:
    """Decide from what follows the serial whether the number is whole, cut off, or none."""
    end = m.end("hao") if m["hao"] else m.end("serial") if m["serial"] else m.end(0)
    rest = text[end:].lstrip()
    norm = normalize_doc_number(text[start:end])
    if m["hao"] and m["serial"]:
        return DocNumberMatch(start, end, norm)
    if m["hao"]:
        return None
    if not rest:
        return DocNumberMatch(start, end, norm, truncated=True)
    if m["serial"] and _CLOSING.match(rest):
        return DocNumberMatch(start, end, norm + "号")
    return None


def _decree(text: str, m: re.Match, floor: int) -> DocNumberMatch | None:
    """A 令第N号 whose issuer (the name before 令) is an authority; whole, or cut off by the
    end of the text, or closed by a bracket without its 号, as `_complete` reads numbers."""
    start = _issuer_start(text, m.start(), floor)
    if start is None:
        return None
    issuer = _SPACES.sub("", text[start : m.start()])
    if not issuer.endswith(_DECREE_ISSUER_END):
        return None
    end = m.end("hao") if m["hao"] else m.end("serial") if m["serial"] else m.end("cn")
    norm = normalize_doc_number(text[start:end])
    if m["hao"]:
        return DocNumberMatch(start, end, norm)
    rest = text[end:].lstrip()
    if not rest:
        return DocNumberMatch(start, end, norm, truncated=True)
    if m["serial"] and _CLOSING.match(rest):
        return DocNumberMatch(start, end, norm + "号")
    return None


def _issuer_start(text: str, bracket: int, floor: int) -> int | None:
    """Where the 机关代字 in front of a year bracket begins, or None when there is none.

    The code is the run of CJK (with 、 and white space, for joint issuers such as
    中国科协、教育部 or a wrapped 晋 驻村办) before the bracket, minus any leading prose.
    """
    i = bracket
    while i > floor and _PREFIX_CHAR.match(text[i - 1]):
        i -= 1
    run = text[i:bracket]
    cut = _prose_end(run)
    return i + cut if _CJK_CHAR.search(run[cut:]) else None


def _prose_end(run: str) -> int:
    """Offset in `run` after the words that precede the code (根据, …的通知, 及, a name)."""
    cut = max((mk.end() for mk in _MARKER_RE.finditer(run)), default=0)
    if enumerator := _ENUMERATOR.match(run, cut):  # 一、临政发…: a list's number, no joint issuer
        cut = enumerator.end()
    cut += _known_code_cut(run[cut:])
    while cut < len(run) and (run[cut].isspace() or run[cut] == "、"):
        cut += 1
    lead = _CONJUNCTION.match(run, cut)
    if lead:
        return lead.end()
    if run[cut : cut + 1] in _LOOSE_CONJUNCTIONS and run[cut + 1 : cut + 2] in _CODE_OPENERS:
        return cut + 1  # …1号和京政发〔…〕: 和 before a province's (or the state's) code
    return cut


def _known_code_cut(run: str) -> int:
    """Offset in `run` of a known code written right after an authority's name.

    山西省科技厅晋科发〔…〕 → 晋科发; joint prefixes (中办、国办发) and unknown codes are kept,
    and so is a name after a name (中国科协 教育部: two issuers, not one name and a code).
    """
    compact = "".join(run.split())
    codes = _codes_after_names_set()
    # The codes are tried longest first; of each length only the one the run ends with can
    # match, so looking its ending up in a set tries the same codes as a scan of every code.
    for size in _code_lengths():
        if size >= len(compact) or compact[-size:] not in codes:
            continue
        head = compact[:-size]
        if len(head) >= 3 and head.endswith(_AUTHORITY_END):
            return _offset_of_nth_visible(run, len(head))
    return 0


@lru_cache(maxsize=1)
def _codes_after_names() -> tuple[str, ...]:
    """Known codes that are not themselves an authority's name, longest first."""
    return tuple(c for c in _codes_longest_first() if not c.endswith(_AUTHORITY_END))


@lru_cache(maxsize=1)
def _codes_after_names_set() -> frozenset[str]:
    return frozenset(_codes_after_names())


@lru_cache(maxsize=1)
def _code_lengths() -> tuple[int, ...]:
    """The lengths of the known codes after names, longest first."""
    return tuple(sorted({len(c) for c in _codes_after_names()}, reverse=True))


@lru_cache(maxsize=1)
def _codes_longest_first() -> tuple[str, ...]:
    return tuple(sorted(load_issuers(), key=len, reverse=True))


def _offset_of_nth_visible(s: str, n: int) -> int:
    """Offset in `s` of its n-th non-space character (white space is not counted)."""
    seen = 0
    for i, ch in enumerate(s):
        if not ch.isspace():
            if seen == n:
                return i
            seen += 1
    return len(s)


def load_issuers() -> dict[str, Issuer]:
    """机关代字 → issuing authority, from data/issuers.csv (users may add rows)."""
    return dict(_issuers())


@lru_cache(maxsize=1)
def _issuers() -> tuple[tuple[str, Issuer], ...]:
    path = resources.files("budgetkg.extract").joinpath("data", "issuers.csv")
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if (r.get("code") or "").strip()]
    return tuple(
        (code, Issuer(code, r["authority"].strip(), r["level"].strip()))
        for r in rows
        for code in [normalize_doc_number(r["code"])]
    )


def lookup_issuer(code: str) -> Issuer | None:
    """The authority behind one 机关代字, by exact match (prefixes such as 晋发 ≠ 晋发改)."""
    return load_issuers().get(normalize_doc_number(code))


def split_issuer_code(code: str) -> tuple[str, ...]:
    """The issuers of a joint number, one code or name each.

    Joint numbers separate their issuers with 、 (中办、国办发); where a wrap or a space was
    dropped instead (中国科协 教育部 → 中国科协教育部), a code that is no known one is split
    when it is wholly made of known authorities' names. Only names are split this way: a
    code such as 晋科规发 is one code, never 晋科规 + 发.
    """
    parts = [p for p in normalize_doc_number(code).split("、") if p]
    return tuple(piece for p in parts for piece in _split_names(p))


def _split_names(code: str) -> tuple[str, ...]:
    if lookup_issuer(code):
        return (code,)
    names = [c for c in _codes_longest_first() if c.endswith(_AUTHORITY_END)]
    return _cover(code, tuple(names)) or (code,)


def _cover(rest: str, names: tuple[str, ...]) -> tuple[str, ...] | None:
    """`rest` as a run of two or more of `names`, longest names first; None when it is not."""
    for name in names:
        if rest == name:
            return (name,)
        if rest.startswith(name):
            tail = _cover(rest[len(name) :], names)
            if tail:
                return (name, *tail)
    return None


# --- levels from names -----------------------------------------------------------------------


def name_level(name: str, ministry: bool = True) -> str | None:
    """national | provincial | municipal | district from how a name begins (policy_levels.csv).

    大同市人民政府 → municipal, 中华人民共和国主席 → national, and (when `ministry`, for an
    issuer's name) 财政部 → national. Only a leading place name of two or three characters
    counts, so that 边远贫困地区… names no place.
    """
    vocab = _level_vocab()
    if name.startswith(tuple(vocab.get("national", {}))):
        return "national"
    rest = name[next((len(p) for p in vocab.get("party", {}) if name.startswith(p)), 0):]
    found = _place_level(rest, vocab)
    if found:
        return found
    ends = tuple(vocab.get("ministry", {}))
    return "national" if ministry and ends and name.endswith(ends) else None


def _place_level(rest: str, vocab: dict[str, dict[str, str]]) -> str | None:
    """The lowest level of the place names `rest` opens with (山西省晋城市 → municipal)."""
    level = None
    for _ in range(3):  # province, city, county at most
        hit = next(((m, kind) for kind, pattern in _place_patterns() for m in [pattern.match(rest)] if m), None)
        if hit is None:
            break
        m, kind = hit
        level = vocab.get("municipality", {}).get(m[0]) or vocab[kind][m["term"]]
        rest = rest[m.end() :]
    return level


@lru_cache(maxsize=1)
def _place_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """A zone after a name of up to eight characters, or a place suffix after two or three."""
    vocab = _level_vocab()
    out = []
    for kind, size in (("zone", "2,8"), ("place", "2,3")):
        terms = sorted(vocab.get(kind, {}), key=len, reverse=True)
        if terms:
            alt = "|".join(map(re.escape, terms))
            out.append((kind, re.compile(rf"[{CJK}]{{{size}}}?(?P<term>{alt})")))
    return tuple(out)


@lru_cache(maxsize=1)
def _level_vocab() -> dict[str, dict[str, str]]:
    """data/policy_levels.csv as kind → {term: level}."""
    text = resources.files("budgetkg.extract").joinpath("data", "policy_levels.csv").read_text("utf-8")
    rows = csv.DictReader(ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
    vocab: dict[str, dict[str, str]] = {}
    for r in rows:
        vocab.setdefault(r["kind"].strip(), {})[r["term"].strip()] = (r["level"] or "").strip()
    return vocab
