"""Stable, readable IRIs for everything the mapping writes.

An IRI is built from what identifies the thing, never from a counter or a hash of the run, so
the same department, project, policy or indicator gets the same IRI on every run and in every
document that names it. IRIs are IRIs (RFC 3987), not URIs: Chinese stays Chinese, so
https://budgetkg.org/id/policy/晋政办发〔2021〕42号 reads as what it names. Only characters an IRI
path segment cannot hold (/ ? # % space, controls, quotes …) are percent-encoded.

Names are compared the way the scorer compares text: NFKC width folding, white space removed,
so 区域创新发展联合基金（山西） and 区域创新发展联合基金(山西) are one project. A missing part
of a key is written `_`.
"""

from __future__ import annotations

import string
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from budgetkg.extract import policies
from budgetkg.extract.model import Citation

BASE = "https://budgetkg.org/id/"
GRAPH_BASE = "https://budgetkg.org/graph/"
MISSING = "_"

# ASCII kept as is: unreserved characters and the sub-delimiters that read naturally in names.
_SAFE_ASCII = frozenset(string.ascii_letters + string.digits + "-._~()!*,;=:@+")
# Invisible or layout characters are encoded even where RFC 3987 would allow them.
_ENCODED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zs", "Zl", "Zp"})


def _ucschar(cp: int) -> bool:
    """RFC 3987 ucschar: the non-ASCII code points an IRI path may hold literally."""
    if 0xA0 <= cp <= 0xD7FF or 0xF900 <= cp <= 0xFDCF or 0xFDF0 <= cp <= 0xFFEF:
        return True
    if 0xE0000 <= cp < 0xE1000:  # plane 14 holds ucschar only from E1000 (tags, selectors: not)
        return False
    return 0x10000 <= cp < 0xF0000 and (cp & 0xFFFF) < 0xFFFE


def _keep(ch: str) -> bool:
    if ch in _SAFE_ASCII:
        return True
    return _ucschar(ord(ch)) and unicodedata.category(ch) not in _ENCODED_CATEGORIES


def _encode(text: str) -> str:
    """Percent-encode (UTF-8) every character a readable path segment should not hold."""
    out = "".join(ch if _keep(ch) else "".join(f"%{b:02X}" for b in ch.encode()) for ch in text)
    return out.replace(".", "%2E") if not out.strip(".") else out  # no "." or ".." segments


@lru_cache(maxsize=1 << 16)
def key(text: str | int | None) -> str:
    """One path segment for a name: width-folded, without white space, encoded where needed.

    >>> key("区域创新发展联合基金（山西）")
    '区域创新发展联合基金(山西)'
    >>> key("a/b c?")
    'a%2Fbc%3F'
    >>> key(None)
    '_'
    """
    if text is None:
        return MISSING
    folded = "".join(unicodedata.normalize("NFKC", str(text)).split())
    return _encode(folded) if folded else MISSING


@lru_cache(maxsize=1 << 12)
def document_key(source: str) -> str:
    """A document is named by its file name as given: no folding, so distinct files stay distinct."""
    return _encode(source) or MISSING


def graph_iri(source: str) -> str:
    """The named graph that holds one disclosure's facts."""
    return GRAPH_BASE + document_key(source)


def document_iri(source: str) -> str:
    return BASE + "doc/" + document_key(source)


def span_iri(source: str, table: str, line: int | None, end_line: int | None) -> str:
    """A run of lines in one table of one document: …/doc/<file>/<table>/L12-30."""
    base = f"{document_iri(source)}/{table}"
    if line is None:
        return base + "/span"
    if end_line is None or end_line == line:
        return f"{base}/L{line}"
    return f"{base}/L{line}-{end_line}"


def org_iri(name: str) -> str:
    """Departments, units and issuing authorities are keyed by name: budget codes repeat
    across governments (203 in one province is another department in the next)."""
    return BASE + "org/" + key(name)


def project_iri(department: str | None, year: int | None, name: str) -> str:
    """A project is one department's, for one budget year: funds and targets are per year."""
    return f"{BASE}project/{key(department)}/{key(year)}/{key(name)}"


def policy_iri(policy: str) -> str:
    return BASE + "policy/" + key(policy)


def policy_key(citation: Citation) -> str | None:
    """What identifies the cited document, from the citation alone (extract.policies): its
    number in GB/T 9704 form, else its title's match key; None when it names neither.

    Taken per citation, so a document gets one IRI whichever disclosure cites it. Joining a
    title-only citation to a numbered one needs the whole corpus (policies.resolve_policies)
    and is not this function's job. A title cut off by the page (《山西省科技创新…) would
    merge every document it begins, so a truncated citation without a number names none.
    """
    if citation.truncated and not citation.doc_number:
        return None
    try:
        return policies.policy_key(citation)
    except policies.NoIdentity:
        return None


def indicator_iri(*path: str | None) -> str:
    """A level-1, -2 or -3 indicator by its path: …/indicator/产出/数量/新立项项目数量."""
    return BASE + "indicator/" + "/".join(key(p) for p in path)


def function_class_iri(code: str) -> str:
    return BASE + "function-class/" + key(code)


def child(parent: str, *segments: str | int | None) -> str:
    """A node that only exists as part of another: a project's KPI, funds or citation."""
    return parent + "/" + "/".join(key(s) for s in segments)


def to_uri(iri_text: str) -> str:
    """The URI form of an IRI (RFC 3987 §3.1), for a tool that accepts only ASCII.

    >>> to_uri("https://budgetkg.org/id/org/科技厅")
    'https://budgetkg.org/id/org/%E7%A7%91%E6%8A%80%E5%8E%85'
    """
    return quote(iri_text, safe=":/?#[]@!$&'()*+,;=%~")
