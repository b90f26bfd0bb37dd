"""The store on a SPARQL 1.1 server: Oxigraph server, Virtuoso, or any Query/Update + Graph Store server.

`--store URL` names the server's query endpoint. The update and Graph Store Protocol endpoints
are derived for the servers budgetkg knows (it asks the query endpoint once and reads its
`Server` header), or given by $BUDGETKG_UPDATE_URL and $BUDGETKG_GSP_URL:

| server          | --store                      | update                | Graph Store            |
|-----------------|------------------------------|-----------------------|------------------------|
| Oxigraph server | http://HOST:7878/query       | …/update              | …/store                |
| Virtuoso        | http://HOST:8890/sparql      | …/sparql-auth         | …/sparql-graph-crud-auth |

Credentials come from $BUDGETKG_STORE_USER and $BUDGETKG_STORE_PASSWORD (HTTP Digest or Basic,
as the server asks), never from the URL: a command line is visible to every user in `ps`.
Without credentials Virtuoso's open endpoints (/sparql, /sparql-graph-crud) are used, which
write only when the SPARQL user is granted SPARQL_UPDATE.

Writing keeps the embedded store's protocol (graph/store.py), over HTTP: mark the documents
"being written" in the catalog (one SPARQL Update), replace each named graph with a Graph Store
PUT, then replace the marks by the catalog entries (one SPARQL Update). Opening for writing
removes the graphs still marked, so an ingest killed midway leaves each document wholly in or
absent. On Oxigraph, a batch without blank nodes goes in as one N-Quads POST after one DROP per
graph in the marking update: one request instead of one per document.

Answers are parsed into pyoxigraph terms, so callers read rows as from the embedded store.
Virtuoso's departures from the standard result format (booleans as 1/0, `typed-literal`,
`nodeID://` blank nodes, ASK answered as a one-row table) are mended first, and an answer the
server cut at its row limit (Virtuoso's ResultSetMaxRows, announced in X-SPARQL-MaxRows) is an
error rather than a silently short answer.

The default graph must be the union of the named graphs, as in the embedded store: Virtuoso's
is; Oxigraph server is asked for it per query (`union-default-graph`) unless the query names
its own dataset (FROM); other servers must be configured so.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import pyoxigraph as ox
from budgetkg.graph.store import (
    CATALOG,
    DOCUMENTS_QUERY,
    MARKED_QUERY,
    StoredDocument,
    StoreError,
    as_nquads,
    catalog_update,
    documents_from,
    entry,
    mark,
    unique_graphs,
)
from budgetkg.ontology.namespace import BK

USER_ENV, PASSWORD_ENV = "BUDGETKG_STORE_USER", "BUDGETKG_STORE_PASSWORD"
UPDATE_ENV, GSP_ENV = "BUDGETKG_UPDATE_URL", "BUDGETKG_GSP_URL"
TIMEOUT_S = 600.0  # a bulk PUT or a large export may take minutes; a dead server fails sooner
_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_RDF_FORMATS = {_NTRIPLES: ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
                "application/n-quads": ox.RdfFormat.N_QUADS, "application/rdf+xml": ox.RdfFormat.RDF_XML}
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


@dataclass(frozen=True)
class Endpoints:
    server: str  # "oxigraph", "virtuoso", or "" for a server budgetkg does not know
    query: str
    update: str | None
    gsp: str | None


def endpoints_for(url: str, server_header: str, env: Mapping[str, str], authenticated: bool) -> Endpoints:
    """The endpoints of the server answering at query URL `url` (pure: no network)."""
    name = server_header.lower()
    base = url.rstrip("/")
    update = gsp = None
    if name.startswith("oxigraph"):
        kind, root = "oxigraph", base.removesuffix("/query")
        update, gsp = root + "/update", root + "/store"
    elif name.startswith("virtuoso"):
        kind, root, auth = "virtuoso", base.rsplit("/", 1)[0], "-auth" if authenticated else ""
        update, gsp = base + auth, root + "/sparql-graph-crud" + auth
    else:
        kind = ""
    return Endpoints(kind, url, env.get(UPDATE_ENV) or update, env.get(GSP_ENV) or gsp)


class RemoteStore:
    """A budgetkg graph on a SPARQL 1.1 server; the same methods as GraphStore (graph/store_api.py)."""

    def __init__(self, url: str, *, read_only: bool = False, env: Mapping[str, str] | None = None,
                 batch_nquads: bool | None = None):
        env = os.environ if env is None else env
        self.url, self.read_only = url, read_only
        self._http = _Http(url, env.get(USER_ENV), env.get(PASSWORD_ENV))
        self.endpoints = endpoints_for(url, self._http.server_header(), env, self._http.authenticated)
        # One N-Quads POST per batch where the server takes quads into named graphs (Oxigraph).
        self.batch_nquads = self.endpoints.server == "oxigraph" if batch_nquads is None else batch_nquads
        if not read_only:
            self.recover()

    # --- writing --------------------------------------------------------------------------
    def put_document(self, doc: StoredDocument, ntriples: bytes) -> None:
        """Replace the named graph `doc.graph` by the given N-Triples (see the module doc)."""
        self.put_documents([(doc, ntriples)])

    def put_documents(self, items: Sequence[tuple[StoredDocument, bytes]]) -> None:
        """Replace several documents' graphs: mark all, write each graph, then catalog all."""
        self._check_writable()
        graphs = unique_graphs(items)
        if not graphs:
            return
        batch = [(nt, g) for (_, nt), g in zip(items, graphs) if self.batch_nquads and b"_:" not in nt]
        batched = {g for _, g in batch}
        drops = "".join(f" ; DROP SILENT GRAPH {g}" for g in batched)
        self.update(catalog_update(graphs, [mark(g) for g in graphs]) + drops)
        for (_, nt), graph in zip(items, graphs):
            if graph not in batched:  # blank nodes: a body of its own keeps their labels apart
                self._http.call("PUT", self._gsp(graph.value), nt, _NTRIPLES)
        body = b"".join(as_nquads(nt, g) for nt, g in batch if nt)
        if body:
            self._http.call("POST", self._require(self.endpoints.gsp, GSP_ENV), body, "application/n-quads")
        self.update(catalog_update(graphs, [entry(g, doc) for (doc, _), g in zip(items, graphs)]))

    def delete_document(self, graph_iri: str) -> bool:
        """Remove a document's graph and catalog entry; False when it was not stored."""
        self._check_writable()
        graph = ox.NamedNode(graph_iri)
        known = any(True for _ in self.select(f"SELECT ?p WHERE {{ GRAPH <{CATALOG}> {{ {graph} ?p ?o }} }} LIMIT 1"))
        self.update(catalog_update([graph], [mark(graph)]))
        self._drop(graph_iri)
        self.update(catalog_update([graph], []))
        return known

    def recover(self) -> list[str]:
        """Remove the graphs of writes that did not finish (still marked as being written)."""
        marked = [r["g"] for r in self.select(MARKED_QUERY)]
        for graph in marked:
            self._drop(graph.value)
            self.update(catalog_update([graph], []))
        return [g.value for g in marked]

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update on the server's update endpoint (one request)."""
        self._check_writable()
        if base_iri:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        url = self._require(self.endpoints.update, UPDATE_ENV)
        self._http.call("POST", url, sparql.encode("utf-8"), "application/sparql-update; charset=utf-8")

    def flush(self) -> None:
        """Nothing to do: the server made each request durable before answering it."""

    def optimize(self) -> None:
        """Nothing to do: the server manages its own storage."""

    # --- reading --------------------------------------------------------------------------
    def documents(self) -> list[StoredDocument]:
        """The complete documents, in graph-IRI order."""
        return documents_from(self.select(DOCUMENTS_QUERY))

    def query(self, sparql: str, *, base_iri: str | None = None, use_default_graph_as_union: bool | None = None,
              default_graph: Sequence[ox.NamedNode] | None = None, named_graphs: Sequence[ox.NamedNode] | None = None,
              ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL 1.1 query; the answer is pyoxigraph's own result type, as from GraphStore.

        The keywords are pyoxigraph's Store.query options, sent as the SPARQL Protocol's
        default-graph-uri / named-graph-uri (and a BASE line for `base_iri`), so a caller passes
        the same options to either store."""
        if base_iri:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        dataset = _Dataset(use_default_graph_as_union, default_graph, named_graphs)
        form = query_form(sparql)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return _as_query_triples(self._construct(sparql, dataset))
        body = self._fetch(sparql, _JSON, dataset).read()
        return ox.parse_query_results(standard_json(body, ask=form == "ASK"), format=ox.QueryResultsFormat.JSON)

    def select(self, sparql: str) -> ox.QuerySolutions:
        """A SELECT's rows; `row["var"]` is a pyoxigraph term or None."""
        result = self.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        return result

    def construct(self, sparql: str) -> Iterator[ox.Triple]:
        """A CONSTRUCT's triples, streamed from the server as N-Triples."""
        return self._construct(sparql, _Dataset())

    def _construct(self, sparql: str, dataset: _Dataset) -> Iterator[ox.Triple]:
        response = self._fetch(sparql, _NTRIPLES, dataset)
        media = response.headers.get_content_type()
        if media not in _RDF_FORMATS:
            raise StoreError(f"{self.url}: a CONSTRUCT came back as {media}, not RDF")
        return _closing(ox.parse(response, format=_RDF_FORMATS[media]), response)

    def graph_quads(self, graph_iri: str) -> Iterator[ox.Quad]:
        """The quads of one named graph. A CONSTRUCT, not a Graph Store GET: Virtuoso's GET
        leaves out triples whose subject is a blank node."""
        graph = ox.NamedNode(graph_iri)
        triples = self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        return (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)

    def has_graph(self, graph_iri: str) -> bool:
        """Whether a named graph of that name exists. Oxigraph keeps empty graphs and answers
        `GRAPH <g> {}` by them, as the standard has it; Virtuoso answers that pattern true for
        any IRI and keeps no empty graphs, so elsewhere a graph exists when it holds a triple."""
        graph = ox.NamedNode(graph_iri)
        pattern = "{}" if self.endpoints.server == "oxigraph" else "{ ?s ?p ?o }"
        return bool(self.query(f"ASK {{ GRAPH {graph} {pattern} }}"))

    def quads(self) -> Iterator[ox.Quad]:
        """The catalog and every catalogued graph (not whatever else the server holds)."""
        graphs = [CATALOG] + [r["g"].value for r in self.select(_CATALOGUED)]
        return chain.from_iterable(self.graph_quads(g) for g in graphs)

    def __len__(self) -> int:
        """Statements in the catalog and the catalogued graphs (a server holds others too)."""
        return int(next(iter(self.select(_COUNT)))["n"].value)

    # --- internals ------------------------------------------------------------------------
    def _fetch(self, sparql: str, accept: str, dataset: _Dataset):
        """POST the query (no URL length limit) and return the open response."""
        url, params = self.endpoints.query, [("query", sparql)] + dataset.params()
        if self.endpoints.server == "oxigraph" and dataset.wants_union(sparql):
            url += ("&" if "?" in url else "?") + "union-default-graph"
        body = urllib.parse.urlencode(params).encode("ascii")
        response = self._http.send("POST", url, body, "application/x-www-form-urlencoded", accept=accept)
        cut = response.headers.get("X-SPARQL-MaxRows")
        if cut:
            response.close()
            raise StoreError(f"{self.url}: the server cut the answer at {cut} rows; raise its limit "
                             "(Virtuoso: [SPARQL] ResultSetMaxRows in virtuoso.ini)")
        return response

    def _gsp(self, graph_iri: str) -> str:
        base = self._require(self.endpoints.gsp, GSP_ENV)
        return base + ("&" if "?" in base else "?") + urllib.parse.urlencode({"graph": graph_iri})

    def _drop(self, graph_iri: str) -> None:
        """Graph Store DELETE; a graph that is not there is already gone."""
        self._http.call("DELETE", self._gsp(graph_iri), None, None, missing_ok=True)

    def _require(self, url: str | None, env_name: str) -> str:
        if not url:
            raise StoreError(f"{self.url}: budgetkg does not know this server's endpoints for writing; "
                             f"set ${env_name}")
        return url

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.url}: the store is open read-only")


@dataclass(frozen=True)
class _Dataset:
    """A query's dataset as pyoxigraph's options name it; by default the union of the named graphs."""

    as_union: bool | None = None
    default_graph: Sequence[ox.NamedNode] | None = None
    named_graphs: Sequence[ox.NamedNode] | None = None

    def params(self) -> list[tuple[str, str]]:
        """SPARQL Protocol parameters (§2.1.4: they override the query's FROM clauses)."""
        return ([("default-graph-uri", g.value) for g in self.default_graph or ()]
                + [("named-graph-uri", g.value) for g in self.named_graphs or ()])

    def wants_union(self, sparql: str) -> bool:
        """Whether to ask for the union default graph: when asked to, or when no dataset is named."""
        if self.as_union is not None:
            return self.as_union
        return not (self.default_graph or self.named_graphs or has_dataset(sparql))


_CATALOGUED = f"SELECT ?g WHERE {{ GRAPH <{CATALOG}> {{ ?g <{BK.sourceFile}> ?src }} }} ORDER BY ?g"
_COUNT = (f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ GRAPH <{CATALOG}> {{ ?s ?p ?o }} }} UNION "
          f"{{ GRAPH <{CATALOG}> {{ ?g <{BK.sourceFile}> ?src }} GRAPH ?g {{ ?s ?p ?o }} }} }}")


# --- SPARQL text and results (pure) ---------------------------------------------------------------
# Strings, IRIs and comments, removed before looking for keywords so that none of them is taken
# for one (an IRI may hold "select", a comment "FROM").
_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                     r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)  # not in a prefixed name


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: which result format to ask the server for."""
    m = _FORM.search(_OPAQUE.sub(" ", sparql))
    if m is None:
        raise SyntaxError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return m.group(1).upper()


def has_dataset(sparql: str) -> bool:
    """The query names its own dataset (FROM / FROM NAMED), which a union default graph would override."""
    return re.search(r"\bFROM\b", _OPAQUE.sub(" ", sparql), re.IGNORECASE) is not None


def standard_json(body: bytes, *, ask: bool = False) -> bytes:
    """SPARQL JSON results as the standard has them, mending Virtuoso's departures."""
    if not any(m in body for m in (b"typed-literal", b"nodeID://", b"__ASK_RETVAL")):
        return body
    data = json.loads(body)
    bindings = data.get("results", {}).get("bindings", [])
    if ask and data.get("head", {}).get("vars") == ["__ASK_RETVAL"]:
        value = bindings[0]["__ASK_RETVAL"]["value"] if bindings else "0"
        return json.dumps({"head": {}, "boolean": value not in ("0", "false")}).encode()
    for binding in bindings:
        for term in binding.values():
            _mend(term)
    return json.dumps(data).encode()


def _mend(term: dict) -> None:
    if term.get("type") == "typed-literal":
        term["type"] = "literal"
    if term.get("datatype") == _BOOLEAN and term["value"] in ("0", "1"):
        term["value"] = "true" if term["value"] == "1" else "false"
    if term.get("type") == "bnode":
        term["value"] = re.sub(r"[^A-Za-z0-9_]", "", term["value"].removeprefix("nodeID://")) or "b"


def _as_query_triples(triples: Iterator[ox.Triple]) -> ox.QueryTriples:
    """Triples as pyoxigraph's CONSTRUCT result type, which the renderers take (graph/results.py)."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _closing(items: Iterator, response) -> Iterator:
    """Yield `items`, then close the response they are read from."""
    try:
        yield from items
    finally:
        response.close()


# --- HTTP -------------------------------------------------------------------------------------------
class _Http:
    """Requests to one server, with its credentials; failures as StoreError or SyntaxError."""

    def __init__(self, url: str, user: str | None, password: str | None):
        parts = urllib.parse.urlsplit(url)
        if parts.username or parts.password:
            raise StoreError(f"{parts.hostname}: put no credentials in the store URL (it shows in `ps`); "
                             f"set ${USER_ENV} and ${PASSWORD_ENV}")
        self.url, self.authenticated = url, bool(user)
        handlers: list[urllib.request.BaseHandler] = []
        if user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password or "")
            handlers += [_PreemptiveDigest(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        self._open = urllib.request.build_opener(*handlers).open

    def server_header(self) -> str:
        """The server's name (its Server header), asked with a query every endpoint answers."""
        body = urllib.parse.urlencode({"query": "ASK {}"}).encode("ascii")
        with self.send("POST", self.url, body, "application/x-www-form-urlencoded", accept=_JSON) as response:
            return response.headers.get("Server", "")

    def call(self, method: str, url: str, body: bytes | None, content_type: str | None, *,
             missing_ok: bool = False) -> None:
        """A request whose answer is only its success (writes)."""
        self.send(method, url, body, content_type, missing_ok=missing_ok).close()

    def send(self, method: str, url: str, body: bytes | None, content_type: str | None, *,
             accept: str | None = None, missing_ok: bool = False):
        """The open response of a successful request."""
        request = urllib.request.Request(url, data=body, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        try:
            return self._open(request, timeout=TIMEOUT_S)
        except urllib.error.HTTPError as exc:
            if missing_ok and exc.code == 404:
                return exc
            raise _failure(method, url, exc) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{url}: cannot reach the SPARQL server: {reason}") from exc


class _PreemptiveDigest(urllib.request.HTTPDigestAuthHandler):
    """HTTP Digest that answers the server's last challenge up front, so that a large body is sent
    once and with credentials: Virtuoso closes the connection on an upload it has not yet
    authenticated, before the client has finished sending it (the 401 never arrives)."""

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr):
        super().__init__(passwords)
        self._challenge: dict | None = None

    def retry_http_digest_auth(self, req, auth):
        _, challenge = auth.split(" ", 1)
        self._challenge = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(challenge)))
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req):
        if self._challenge and not req.has_header("Authorization"):
            answer = self.get_authorization(req, self._challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request


def _failure(method: str, url: str, exc: urllib.error.HTTPError) -> Exception:
    """The error a failed request becomes: the server's own message, and what to do."""
    message = _message(exc.read().decode("utf-8", "replace"))
    where = url.split("?", 1)[0]
    if exc.code == 400:
        return SyntaxError(f"{where}: {message}")
    if exc.code in (401, 403):
        return StoreError(f"{method} {where}: {exc.code} {exc.reason}: {message} "
                          f"(credentials come from ${USER_ENV} and ${PASSWORD_ENV})")
    return StoreError(f"{method} {where}: {exc.code} {exc.reason}: {message}")


def _message(text: str) -> str:
    """A server's error page as one line of text (Virtuoso answers in HTML)."""
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.split())[:500]
