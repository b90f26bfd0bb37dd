"""What a query may do on a public endpoint: no SERVICE calls, no LOAD, nothing remote.

pyoxigraph evaluates SERVICE by calling the remote endpoint over HTTP (and LOAD fetches a URL),
so a query naming another host would make this server a proxy into its network. The check runs
before the store sees the query and must not be fooled by the keyword's spelling, by a comment or
string literal that only looks like it, or by text the engine reads differently:

1. `\\uXXXX` escapes are expanded first (SPARQL allows them anywhere), keywords are matched
   case-insensitively, and a query whose text does not contain the letters `service` (or `load`)
   at all cannot call one: it passes at once. That is nearly every query.
2. Otherwise the query is parsed by a full SPARQL 1.1 grammar (rdflib's) and refused when the
   parse tree has a SERVICE pattern or a LOAD operation. Words in strings, comments, IRIs and
   prefixed names are then rightly ignored.
3. When that grammar cannot parse a query the engine might still accept, a lexer strips strings
   and comments only (IRIs and names are kept) and refuses on any SERVICE/LOAD word left: a
   false refusal is possible there; a missed call is not.

FROM and FROM NAMED never leave the store in Oxigraph (they name the store's own graphs), so
they are allowed; `has_dataset_clause` finds them so the router can respect them.
"""

from __future__ import annotations

import re

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue


class Refused(Exception):
    """The request asks for something this endpoint does not do; the message says what."""


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Strings (long first), comments, and a backslash escape in a prefixed name (ex:a\#b).
_OPAQUE = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|#[^\n\r]*"
    r"|\\.",
    re.DOTALL,
)
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = r"(?<![\w:?$\-]){}(?![\w:\-])"
_SERVICE = re.compile(_WORD.format("SERVICE"), re.IGNORECASE)
_LOAD = re.compile(_WORD.format("LOAD"), re.IGNORECASE)
_FROM = re.compile(_WORD.format("FROM"), re.IGNORECASE)
_REFUSE_SERVICE = ("SERVICE (federated query) is disabled on this endpoint: "
                   "queries run on this store only")
_REFUSE_LOAD = "LOAD is disabled on this endpoint: it fetches documents from the network"


def check_query(text: str) -> None:
    """Raise Refused when the query could call another service."""
    _check(text, parseQuery, {"ServiceGraphPattern": _REFUSE_SERVICE})


def check_update(text: str) -> None:
    """Raise Refused when the update could call another service or fetch a document."""
    _check(text, parseUpdate, {"ServiceGraphPattern": _REFUSE_SERVICE, "Load": _REFUSE_LOAD})


def has_dataset_clause(text: str) -> bool:
    """Whether the query has FROM / FROM NAMED (outside strings, comments and IRIs)."""
    if not re.search("from", text, re.IGNORECASE):
        return False
    return bool(_FROM.search(_IRIREF.sub(" ", strip_opaque(text))))


def _check(text: str, parse, forbidden: dict[str, str]) -> None:
    unescaped = unescape(text)
    words = [w for w in (("service", "ServiceGraphPattern"), ("load", "Load")) if w[1] in forbidden]
    if not any(re.search(w, unescaped, re.IGNORECASE) for w, _ in words):
        return
    try:
        tree = parse(unescaped)
    except (ParseBaseException, ValueError, TypeError, RecursionError):
        _lexical_check(unescaped, forbidden)
        return
    found = _node_names(tree, set()) & set(forbidden)
    if found:
        raise Refused(forbidden[min(found)])


def _lexical_check(text: str, forbidden: dict[str, str]) -> None:
    """The fallback of step 3: any SERVICE/LOAD word outside strings and comments refuses."""
    visible = strip_opaque(text)
    if "ServiceGraphPattern" in forbidden and _SERVICE.search(visible):
        raise Refused(_REFUSE_SERVICE + " (the query names SERVICE and could not be checked further)")
    if "Load" in forbidden and _LOAD.search(visible):
        raise Refused(_REFUSE_LOAD)


def unescape(text: str) -> str:
    """Expand SPARQL's \\uXXXX and \\UXXXXXXXX codepoint escapes."""
    def codepoint(m: re.Match) -> str:
        value = int(m.group(1) or m.group(2), 16)
        return chr(value) if value <= 0x10FFFF else m.group(0)
    return _ESCAPE.sub(codepoint, text)


def strip_opaque(text: str) -> str:
    """The text with strings, comments and escaped characters blanked out.

    An IRI is kept whole (a `#` inside it is not a comment), so a quote inside an IRI is not
    taken for the start of a string either.
    """
    out, pos = [], 0
    for m in re.finditer(r"<|'|\"|#|\\", text):
        if m.start() < pos:
            continue
        out.append(text[pos:m.start()])
        iri = _IRIREF.match(text, m.start()) if m.group() == "<" else None
        if iri:
            out.append(iri.group())
            pos = iri.end()
        elif m.group() == "<":
            out.append("<")
            pos = m.end()
        else:
            opaque = _OPAQUE.match(text, m.start())
            if opaque:
                out.append(" ")
                pos = opaque.end()
            else:  # an unclosed quote hides nothing: it stays, and so does what follows
                out.append(m.group())
                pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _node_names(node, acc: set[str]) -> set[str]:
    """Names of every rule in an rdflib parse tree."""
    if isinstance(node, CompValue):
        acc.add(node.name)
        for value in node.values():
            _node_names(value, acc)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            _node_names(value, acc)
    elif isinstance(node, dict):
        for value in node.values():
            _node_names(value, acc)
    return acc
