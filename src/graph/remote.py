"""The graph on a SPARQL 1.1 server: Oxigraph server, Fuseki, Virtuoso, GraphDB.

``RemoteStore`` reads like ``GraphStore`` and writes through standard HTTP:

- queries through the SPARQL 1.1 Protocol (section 2.1.2, query via URL-encoded
  POST), asking for SPARQL 1.1 Query Results JSON and parsing it with
  pyoxigraph, so rows hold the same plain values as ``GraphStore.select``;
- writes through the SPARQL 1.1 Graph Store HTTP Protocol: ``PUT`` replaces one
  named graph with an N-Triples body (section 5.3), ``DELETE`` drops one (5.4);
- ``update`` through the SPARQL 1.1 Protocol (2.2.1, update via URL-encoded POST).

The protocol has no parameter binding, so ``bindings`` are written into the
query as a ``VALUES`` block at the head of its WHERE clause, each value
serialised as an escaped RDF term (``sparql_term``): a value can never end its
literal or IRI, so it cannot change the query.

Two things depend on the server:

- obligraph's queries read the union of the named graphs as the default graph.
  Nothing is rewritten: start Oxigraph server with ``--union-default-graph``,
  set ``tdb2:unionDefaultGraph true`` on a Fuseki TDB2 dataset (GraphDB and
  Virtuoso already query all graphs when a query names none). ``verify``
  refuses a server that does not, before the first query.
- The Graph Store Protocol URL differs between servers (``/store`` on Oxigraph,
  ``/{dataset}/data`` on Fuseki); see ``docs/team-server.md``.

Redirects are not followed, so credentials never travel to another host.

What a remote build guarantees: each named graph is replaced atomically (one
``PUT`` is one transaction on Oxigraph and Fuseki), but a build replaces
several graphs, one request each. A build that fails half-way leaves some
graphs new and some old, and a reader during a build can see such a mix. The
run graph is written last, so when it shows a build's time, every graph of
that build arrived. Rerun the build after a failure.
"""

from __future__ import annotations

import base64
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from graph import __version__
from graph.errors import QueryError, StoreError
from graph.namespace import PREFIXES, RUN_GRAPH
from graph.store import XSD, GraphStore, sorted_quads, term_value, to_term

DEFAULT_TIMEOUT = 60.0
_RESULTS = "application/sparql-results+json"
_ACCEPT_ANY = f"{_RESULTS}, application/sparql-results+xml;q=0.9, application/n-triples;q=0.9, text/turtle;q=0.8"
_FORM = "application/x-www-form-urlencoded"
# IRIREF (SPARQL 1.1 section 19.8, production [139]) excludes these characters.
_NOT_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGTAG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")  # LANGTAG, production [145]
_VARNAME = re.compile(r"[A-Za-z0-9_]+")  # an ASCII subset of VARNAME, production [166]
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
# Just enough of the SPARQL lexer (section 19.8) to find the WHERE clause's
# brace: skip comments, strings, IRIs and variables, which may hold braces,
# '#' or keywords; keep braces, parentheses and words.
_TOKEN = re.compile(
    r'''
    (?P<skip>
        \#[^\n\r]*                                      # comment
      | """(?:(?:"|"")?(?:[^"\\]|\\.))*"""              # STRING_LITERAL_LONG2
      | \'\'\'(?:(?:'|'')?(?:[^'\\]|\\.))*\'\'\'        # STRING_LITERAL_LONG1
      | "(?:[^"\\\n\r]|\\.)*"                           # STRING_LITERAL2
      | '(?:[^'\\\n\r]|\\.)*'                           # STRING_LITERAL1
      | <[^<>"{}|^`\\\x00-\x20]*>                       # IRIREF
      | [?$]\w*                                         # variable
      | \\.                                             # PN_LOCAL_ESC
    )
    | (?P<brace>[{}()])
    | (?P<word>[^\s{}()<>"'\#?$\\,;]+)
    ''',
    re.X | re.S,
)


# --- binding values into query text -------------------------------------------
def sparql_term(value: object) -> str:
    """A Python value or RDF term written as a SPARQL term that cannot end early.

    Literals are STRING_LITERAL_LONG2 (production [159]) with every ``"`` and
    ``\\`` escaped by ECHAR ([160]), so the text can hold quotes, backslashes,
    newlines and braces and still be one literal; IRIs are checked against
    IRIREF ([139]) and language tags against LANGTAG ([145]).

    Args:
        value: A str (a plain literal), int, float, bool, ``ox.NamedNode`` or ``ox.Literal``.

    Raises:
        QueryError: for a blank node, a triple term, or an IRI or tag no SPARQL term can hold.
    """
    term = to_term(value)
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.Literal):
        body = '"""' + "".join(_ECHAR.get(c, c) for c in term.value) + '"""'
        if term.language:
            if getattr(term, "direction", None) is not None or not _LANGTAG.fullmatch(term.language):
                raise QueryError(f"cannot bind a literal with the language tag {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype.value == XSD + "string":
            return body
        return f"{body}^^{_iri(term.datatype.value)}"
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be bound over the SPARQL protocol")


def _iri(value: str) -> str:
    if _NOT_IN_IRI.search(value):
        raise QueryError(f"cannot bind the IRI {value!r}: it holds characters an IRI cannot")
    return f"<{value}>"


def where_clause_start(query: str) -> int:
    """The index just after the ``{`` that opens the query's WHERE clause.

    Skips the prologue, a CONSTRUCT template, and expressions in the SELECT
    clause (which may hold ``EXISTS { }``).

    Raises:
        QueryError: when the query has no WHERE clause to bind into.
    """
    tokens = [m for m in _TOKEN.finditer(query) if m.lastgroup != "skip"]
    form = next((i for i, m in enumerate(tokens) if m.lastgroup == "word" and m.group().upper() in _FORMS), None)
    if form is None:
        raise QueryError("cannot bind values: the text is not a SELECT, CONSTRUCT, DESCRIBE or ASK query")
    i = form + 1
    if tokens[form].group().upper() == "CONSTRUCT" and i < len(tokens):
        if tokens[i].group() == "{":
            depth = 0
            for i in range(i, len(tokens)):
                depth += {"{": 1, "}": -1}.get(tokens[i].group(), 0)
                if depth == 0:
                    break
            i += 1
        elif tokens[i].group().upper() == "WHERE":
            raise QueryError("cannot bind values into a CONSTRUCT WHERE query; write the template out")
    parens = 0
    for m in tokens[i:]:
        parens += {"(": 1, ")": -1}.get(m.group(), 0)
        if m.group() == "{" and parens == 0:
            return m.end()
    raise QueryError("cannot bind values: the query has no WHERE clause")


def bind_values(query: str, bindings: Mapping[str, object] | None) -> str:
    """The query with ``bindings`` joined in as ``VALUES`` at the head of its WHERE clause.

    This equals pre-binding (what pyoxigraph's ``substitutions`` do) for a
    variable of the top-level group pattern, including its OPTIONAL, FILTER
    and EXISTS parts. It differs for a variable used only inside a subquery
    (not joined) or assigned by BIND (an error): obligraph's queries bind
    neither way.

    Raises:
        QueryError: for a variable name or value that cannot be bound.
    """
    if not bindings:
        return query
    names, terms = [], []
    for name, value in bindings.items():
        if not _VARNAME.fullmatch(name):
            raise QueryError(f"cannot bind the variable {name!r}: use letters, digits and _")
        names.append("?" + name)
        terms.append(sparql_term(value))
    at = where_clause_start(query)
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }} "
    return query[:at] + block + query[at:]


def _prologue(prefixes: Mapping[str, str]) -> str:
    # One line, so the server's line numbers in errors match the caller's text.
    return "".join(f"PREFIX {p}: {_iri(iri)} " for p, iri in prefixes.items())


# --- endpoint URLs -------------------------------------------------------------
def endpoint_urls(url: str) -> tuple[str, str, str]:
    """The query, update and graph store URLs of a server base URL.

    ``http://host:7878`` (Oxigraph server) gives ``/query``, ``/update`` and
    ``/store``; a URL ending in ``/query`` or ``/sparql`` keeps it as the query
    URL and replaces that last segment with ``update`` and ``store``. An
    RDF4J/GraphDB repository URL (``.../repositories/{id}``) is its own query
    URL, with ``/statements`` and ``/rdf-graphs/service`` (RDF4J REST API).
    """
    parts = urllib.parse.urlsplit(url.rstrip("/"))
    path = parts.path
    at = lambda p: urllib.parse.urlunsplit(parts._replace(path=p))  # noqa: E731
    head, _, last = path.rpartition("/")
    if head.endswith("/repositories") and last:
        return at(path), at(f"{path}/statements"), at(f"{path}/rdf-graphs/service")
    if last in ("query", "sparql"):
        return at(path), at(f"{head}/update"), at(f"{head}/store")
    return at(f"{path}/query"), at(f"{path}/update"), at(f"{path}/store")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would resend the Authorization header to wherever they point."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx code


def _split_credentials(url: str) -> tuple[str, str | None]:
    """The URL without ``user:password@``, and a Basic Authorization header for them."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    host = parts.hostname or ""
    netloc = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), f"Basic {token}"


class RemoteStore(GraphStore):
    """A graph on a SPARQL 1.1 server, read and written over HTTP.

    It is a ``GraphStore`` to every reader (``select``, ``query``, ``quads``,
    ``graph_names``, ``len``, ``dump``) and to ``pipeline.build`` (``apply``),
    but has no local Oxigraph store (``oxigraph()`` raises).

    Args:
        url: The server's base URL (``http://host:7878``) or its query URL
            (``.../query``, ``.../sparql``); ``user:password@`` in it (or in
            an explicit URL) is sent as HTTP Basic authentication, never shown.
        query_url: The SPARQL query service, if not derived from ``url``.
        update_url: The SPARQL update service, if not derived from ``url``.
        store_url: The Graph Store Protocol service, if not derived from ``url``.
        timeout: Seconds to wait for the server on each request.
    """

    def __init__(
        self,
        url: str,
        query_url: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        if not re.match(r"https?://", url, re.I):
            raise StoreError(f"the endpoint must be an http:// or https:// URL, not {url!r}")
        self._store = None
        self.location = None
        self.database = None  # no database folder here: the server holds the graph
        self.layouts: dict[str, tuple[str, str]] = {}
        url, auth = _split_credentials(url)
        derived = endpoint_urls(url)
        self.url = url.rstrip("/")
        urls = []
        for given, default in zip((query_url, update_url, store_url), derived):
            plain, given_auth = _split_credentials(given) if given else (default, None)
            urls.append(plain)
            auth = auth or given_auth
        self.query_url, self.update_url, self.store_url = urls
        self._auth = auth
        self._opener = urllib.request.build_opener(_NoRedirect)
        self.timeout = timeout
        self._verified = False

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    # --- HTTP ------------------------------------------------------------------
    def _send(self, method: str, url: str, what: str, body: bytes | None = None,
              content_type: str | None = None, accept: str | None = None,
              missing_ok: bool = False, timeout: float | None = None) -> tuple[str, bytes]:
        headers = {"User-Agent": f"obligraph/{__version__}"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self._auth:
            headers["Authorization"] = self._auth
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as response:
                cut = response.headers.get("X-Result-Truncated", "")
                if cut.lower().startswith("true"):
                    # obligraph serve's row limit: a part of the graph read as the whole would mislead.
                    raise StoreError(
                        f"the SPARQL endpoint at {url} returned only part of the results ({cut}); raise its row limit"
                    )
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            if missing_ok and exc.code == 404:
                return "", b""
            raise self._refused(exc, url, what) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
                raise StoreError(
                    f"the SPARQL endpoint at {url} gave no answer within {timeout or self.timeout:g} s"
                ) from exc
            raise StoreError(f"cannot reach the SPARQL endpoint at {url}: {reason}") from exc

    def _refused(self, exc: urllib.error.HTTPError, url: str, what: str) -> Exception:
        try:
            detail = " ".join(exc.read(2000).decode("utf-8", "replace").split())[:300]
        except OSError:
            detail = ""
        said = f": {detail}" if detail else ""
        if exc.code == 400 and what in ("query", "update"):
            return QueryError(f"the SPARQL endpoint rejected the {what}{said}")
        if 300 <= exc.code < 400:
            return StoreError(
                f"the SPARQL endpoint at {url} redirects (HTTP {exc.code}) to {exc.headers.get('Location')}; "
                "give that URL instead"
            )
        if exc.code in (401, 403):
            return StoreError(
                f"the SPARQL endpoint at {url} refused access (HTTP {exc.code}); "
                f"give credentials as https://user:password@host/..."
            )
        if exc.code in (404, 405):
            return StoreError(
                f"no SPARQL {what} service at {url} (HTTP {exc.code}); see docs/team-server.md for each server's URLs"
            )
        return StoreError(f"the SPARQL endpoint at {url} failed the {what} (HTTP {exc.code}){said}")

    def _post_query(
        self, text: str, accept: str = _ACCEPT_ANY, prefixes: Mapping[str, str] | None = None,
        default_graphs: Sequence[str] = (), named_graphs: Sequence[str] | None = None, timeout: float | None = None,
    ):
        """SPARQL 1.1 Protocol 2.1.2: the query, URL-encoded, in a POST body.

        A dataset given here goes as ``default-graph-uri``/``named-graph-uri`` (2.1.4).
        """
        form = [("query", _prologue({**PREFIXES, **(prefixes or {})}) + text)]
        form += [("default-graph-uri", g) for g in default_graphs]
        form += [("named-graph-uri", g) for g in named_graphs or ()]
        body = urllib.parse.urlencode(form).encode("ascii")
        ctype, data = self._send("POST", self.query_url, "query", body, _FORM, accept, timeout=timeout)
        results_format = ox.QueryResultsFormat.from_media_type(ctype)
        rdf_format = None if results_format else ox.RdfFormat.from_media_type(ctype)
        try:
            if results_format:
                return ox.parse_query_results(data, results_format)
            if rdf_format:
                return [q.triple for q in ox.parse(data, rdf_format)]
        except SyntaxError as exc:
            raise StoreError(f"the SPARQL endpoint at {self.query_url} answered with broken {ctype}: {exc}") from exc
        raise StoreError(f"the SPARQL endpoint at {self.query_url} answered with {ctype}, not SPARQL results")

    def _graph_url(self, graph: str) -> str:
        # Graph Store Protocol 4.2: indirect identification, ?graph=<encoded IRI>.
        sep = "&" if "?" in self.store_url else "?"
        return f"{self.store_url}{sep}graph={urllib.parse.quote(graph, safe='')}"

    # --- reading -----------------------------------------------------------------
    def verify(self) -> None:
        """Check that the server answers, holds a graph, and reads all graphs by default.

        Raises:
            StoreError: when it cannot be reached, holds no named graph, or
                does not query the union of its named graphs as the default graph.
        """
        if bool(self._post_query("ASK { ?s ?p ?o }")):
            self._verified = True
            return
        if not bool(self._post_query("ASK { GRAPH ?g { ?s ?p ?o } }")):
            raise StoreError(f"no graph at the SPARQL endpoint {self.url}: run 'obligraph build --endpoint URL' first")
        raise StoreError(
            f"the SPARQL endpoint at {self.url} does not query the union of its named graphs by default: "
            "start Oxigraph server with --union-default-graph, or set tdb2:unionDefaultGraph true on the Fuseki dataset"
        )

    def _run(self, query: str, bindings: Mapping[str, object] | None = None, **dataset):
        if not self._verified and not dataset.get("default_graphs") and dataset.get("named_graphs") is None:
            self.verify()
        return self._post_query(bind_values(query, bindings), **dataset)

    def select(self, query: str, bindings: Mapping[str, object] | None = None) -> list[dict[str, object]]:
        """Run a SELECT query over the union of all graphs (see ``GraphStore.select``)."""
        result = self.select_raw(query, bindings)
        names = [v.value for v in result.variables]
        return [{n: term_value(sol[n]) for n in names} for sol in result]

    def select_raw(
        self, query: str, bindings: Mapping[str, object] | None = None, prefixes: Mapping[str, str] | None = None
    ) -> ox.QuerySolutions:
        """Run a SELECT and return pyoxigraph's solutions (terms, not values).

        Args:
            prefixes: Prefixes declared on top of ``namespace.PREFIXES``.
        """
        result = self._run(query, bindings, prefixes=prefixes)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        return result

    def query(
        self,
        query: str,
        bindings: Mapping[str, object] | None = None,
        *,
        prefixes: Mapping[str, str] | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ):
        """Run any read query: solutions, a boolean, or a list of triples.

        Args:
            query: SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE.
            bindings: Values for variables, joined in as ``VALUES`` (see ``bind_values``).
            prefixes: Prefixes declared on top of ``namespace.PREFIXES``.
            default_graphs: Graph IRIs that make up the default graph instead of the union.
            named_graphs: Graph IRIs ``GRAPH`` may read (all when None and no default graphs given).
            timeout: Seconds to wait for the answer, instead of the store's.
        """
        return self._run(query, bindings, prefixes=prefixes, default_graphs=tuple(default_graphs),
                         named_graphs=None if named_graphs is None else tuple(named_graphs), timeout=timeout)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad of the named graphs, or those of one."""
        g = _iri(graph) if graph else "?g"
        result = self._post_query(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}", _RESULTS)
        name = ox.NamedNode(graph) if graph else None
        return iter([ox.Quad(sol["s"], sol["p"], sol["o"], name or sol["g"]) for sol in result])

    def quads_matching(self, subject=None, predicate=None, obj=None, graph=None) -> list[ox.Quad]:
        """The quads of the named graphs that match a pattern (see ``GraphStore.quads_matching``)."""
        terms = {"s": subject, "p": predicate, "o": obj, "g": graph}
        bound = {k: v for k, v in terms.items() if v is not None}
        text = bind_values("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", bound)
        result = self._post_query(text, _RESULTS)
        return [ox.Quad(*(terms[k] or sol[k] for k in "spog")) for sol in result]

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        result = self._post_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", _RESULTS)
        return sorted(sol["g"].value for sol in result if isinstance(sol["g"], ox.NamedNode))

    def __len__(self) -> int:
        result = self._post_query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", _RESULTS)
        return next((int(sol["n"].value) for sol in result), 0)

    def dump(self, fmt: ox.RdfFormat, graph: str | None = None) -> bytes:
        """Serialise the named graphs (or one graph) in a fixed order."""
        quads = sorted_quads(self.quads(graph))
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML):
            triples = [q.triple for q in quads]
            if fmt is ox.RdfFormat.TURTLE:
                return ox.serialize(triples, format=fmt, prefixes=PREFIXES)
            return ox.serialize(triples, format=fmt)
        if fmt is ox.RdfFormat.TRIG:
            return ox.serialize(quads, format=fmt, prefixes=PREFIXES)
        return ox.serialize(quads, format=fmt)

    def oxigraph(self) -> ox.Store:
        """There is no local store behind a SPARQL endpoint.

        Raises:
            StoreError: always.
        """
        raise StoreError(f"this needs a local graph store; the graph at {self.url} is read over SPARQL")

    # --- writing -----------------------------------------------------------------
    def apply(self, put: Mapping[str, Iterable[ox.Quad]], remove: Iterable[str] = ()) -> None:
        """Replace named graphs (Graph Store Protocol PUT) and drop others (DELETE).

        Each graph is replaced atomically, the graphs one after another; the
        run graph last. A graph given no quads is dropped.

        Raises:
            StoreError: when the server cannot be reached or refuses a write.
            ValueError: when a quad names a graph other than its key.
        """
        run = str(RUN_GRAPH)
        order = [g for g in put if g != run]
        for g in order:
            self._put(g, put[g])
        for g in remove:
            self._delete(g)
        if run in put:
            self._put(run, put[run])

    def _put(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        target = ox.NamedNode(graph)
        triples = []
        for q in quads:
            if q.graph_name != target and not isinstance(q.graph_name, ox.DefaultGraph):
                raise ValueError(f"a quad of graph {q.graph_name} was given to write into {graph}")
            triples.append(q.triple)
        if not triples:
            self._delete(graph)
            return
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        self._send("PUT", self._graph_url(graph), "graph store", body, "application/n-triples")

    def _delete(self, graph: str) -> None:
        # Graph Store Protocol 5.4: 404 when there was no such graph, which is fine.
        self._send("DELETE", self._graph_url(graph), "graph store", missing_ok=True)

    def update(self, text: str) -> None:
        """Run a SPARQL 1.1 Update (Protocol 2.2.1, URL-encoded POST).

        Raises:
            QueryError: when the server rejects the update.
            StoreError: when it cannot be reached or refuses the write.
        """
        body = urllib.parse.urlencode({"update": _prologue(PREFIXES) + text}).encode("ascii")
        self._send("POST", self.update_url, "update", body, _FORM)
