"""The graph as a read-only SPARQL 1.1 Protocol endpoint, standard library only.

``/sparql`` answers the query operation of the SPARQL 1.1 Protocol
(https://www.w3.org/TR/sparql11-protocol/, section 2.1): ``GET`` with
``query=``, ``POST`` with ``application/x-www-form-urlencoded`` (``query=``) or
``application/sparql-query``. Results are negotiated from ``Accept``
(RFC 9110, section 12.5.1): SELECT and ASK as SPARQL Results JSON, XML, CSV or
TSV; CONSTRUCT and DESCRIBE as Turtle, N-Triples or RDF/XML. A ``GET`` with no
query returns the SPARQL 1.1 Service Description in Turtle. Queries read the
union of all graphs, unless ``default-graph-uri`` / ``named-graph-uri`` give a
dataset (section 2.1.4).

It is read-only and serves nothing but query results: an update (``update=``,
``application/sparql-update``, or update text as ``query=``) gets 403, and so
does ``SERVICE`` (the server never calls other endpoints); every other path is
404. It listens on 127.0.0.1 unless told otherwise, reads at most ``max_body``
bytes of a request, keeps at most ``limit`` result rows (saying so in the
``X-Result-Truncated`` header), stops each query after ``timeout`` seconds
(:func:`graph.query.execute`: a killed worker process for a store on disk),
and runs at most ``max_queries`` queries at once.
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from graph import __version__
from graph.errors import QueryError
from graph.namespace import PREFIXES
from graph.query import DEFAULT_LIMIT, DEFAULT_TIMEOUT, QueryTimeout, Results, UpdateRefused, execute, query_form
from graph.store import GraphStore, StoreFolder

PATH = "/sparql"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7879
MAX_BODY = 1 << 20  # bytes of a POST body
MAX_QUERIES = 4  # queries evaluated at once; more wait, then get 503

_RESULTS = ox.QueryResultsFormat
# Offers in order of preference: the first is the default for */* or no Accept.
SOLUTION_FORMATS = (
    ("application/sparql-results+json", _RESULTS.JSON),
    ("application/json", _RESULTS.JSON),
    ("application/sparql-results+xml", _RESULTS.XML),
    ("application/xml", _RESULTS.XML),
    ("text/xml", _RESULTS.XML),
    ("text/csv", _RESULTS.CSV),
    ("text/tab-separated-values", _RESULTS.TSV),
)
GRAPH_FORMATS = (
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("text/plain", ox.RdfFormat.N_TRIPLES),
)


def negotiate(accept: str | None, offers):
    """The offer the client prefers, by RFC 9110 section 12.5.1; None when it accepts none.

    Each offer takes the quality of the most specific media range that matches
    it (``text/csv`` before ``text/*`` before ``*/*``); ties go to the earlier offer.
    """
    if not accept or not accept.strip():
        return offers[0]
    ranges = []
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if "/" not in media:
            continue
        q = 1.0
        for p in params:
            key, _, value = p.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    best, best_q = None, 0.0
    for media, fmt in offers:
        kind = media.split("/")[0] + "/*"
        matches = [(3 if r == media else 2 if r == kind else 1, q) for r, q in ranges if r in (media, kind, "*/*")]
        if matches:
            q = max(matches)[1]
            if q > best_q:
                best, best_q = (media, fmt), q
    return best


def _term_json(term) -> dict:
    """A term as SPARQL 1.1 Query Results JSON (section 3.2.2) writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                             "predicate": _term_json(term.predicate),
                                             "object": _term_json(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def results_bytes(results: Results, fmt) -> bytes:
    """Serialise results in a SPARQL results format or an RDF format.

    The kept rows go to pyoxigraph as SPARQL Results JSON and come back in the
    format asked for, so every format is pyoxigraph's own serialisation.
    """
    if results.kind == "triples":
        if fmt is ox.RdfFormat.TURTLE:
            return ox.serialize(list(results.rows), format=fmt, prefixes=PREFIXES)
        return ox.serialize(list(results.rows), format=fmt)
    if results.kind == "boolean":
        doc = {"head": {}, "boolean": bool(results.boolean)}
    else:
        names = results.variables
        doc = {"head": {"vars": list(names)}, "results": {"bindings": [
            {n: _term_json(t) for n, t in zip(names, row) if t is not None} for row in results.rows]}}
    parsed = ox.parse_query_results(json.dumps(doc).encode("utf-8"), format=_RESULTS.JSON)
    return parsed.serialize(format=fmt)


def _service_description(endpoint: str) -> bytes:
    """SPARQL 1.1 Service Description (section 3) of this endpoint, in Turtle."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    formats = "http://www.w3.org/ns/formats/"
    service = ox.BlankNode("service")
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(service, a, ox.NamedNode(sd + "Service")),
        ox.Triple(service, ox.NamedNode(sd + "endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
        ox.Triple(service, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "RDF_XML"):
        triples.append(ox.Triple(service, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(formats + name)))
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"sd": sd, "formats": formats})


class SparqlServer(ThreadingHTTPServer):
    """An HTTP server that answers SPARQL queries over one graph store.

    Attributes:
        store: The graph.
        timeout_seconds: Seconds each query may run.
        limit: Most result rows returned.
        max_body: Most bytes read from a request body.
        quiet: No request log on stderr.
    """

    daemon_threads = True

    def __init__(self, address, store: GraphStore, *, timeout: float, limit: int, max_body: int,
                 max_queries: int, quiet: bool):
        self.store = store
        self.timeout_seconds = timeout
        self.limit = limit
        self.max_body = max_body
        self.quiet = quiet
        self.slots = threading.BoundedSemaphore(max_queries)
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """The endpoint's address, ``http://host:port/sparql``."""
        host, port = self.server_address[:2]
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}{PATH}"


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = f"obligraph/{__version__}"
    timeout = 60  # seconds a client may take to send its request

    # --- protocol (SPARQL 1.1 Protocol, section 2.1) ------------------------------
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlsplit(self.path)
        if url.path != PATH:
            return self._plain(HTTPStatus.NOT_FOUND, f"not found: the SPARQL endpoint is {PATH}")
        params = parse_qs(url.query, keep_blank_values=True)
        if not url.query:
            return self._send(HTTPStatus.OK, "text/turtle; charset=utf-8", _service_description(self.server.url))
        self._answer(params, None)

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path != PATH:
            return self._plain(HTTPStatus.NOT_FOUND, f"not found: the SPARQL endpoint is {PATH}")
        length = self.headers.get("Content-Length")
        if length is None:
            return self._plain(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
        try:
            size = int(length)
        except ValueError:
            return self._plain(HTTPStatus.BAD_REQUEST, "Content-Length is not a number")
        if size < 0 or size > self.server.max_body:
            return self._plain(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                               f"the request body is larger than {self.server.max_body} bytes")
        body = self.rfile.read(size)
        params = parse_qs(url.query, keep_blank_values=True)
        kind = self.headers.get_content_type()
        charset = self.headers.get_content_charset() or "utf-8"
        try:
            text = body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return self._plain(HTTPStatus.BAD_REQUEST, f"the request body is not valid {charset}")
        if kind == "application/sparql-update":
            return self._read_only()
        if kind == "application/x-www-form-urlencoded":
            for key, values in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            return self._answer(params, None)
        if kind == "application/sparql-query":
            return self._answer(params, text)
        return self._plain(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                           "send application/sparql-query or application/x-www-form-urlencoded")

    def _answer(self, params: dict[str, list[str]], text: str | None) -> None:
        if "update" in params:
            return self._read_only()
        if text is None:
            queries = params.get("query", [])
            if len(queries) != 1:
                return self._plain(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            text = queries[0]
        if not text.strip():
            return self._plain(HTTPStatus.BAD_REQUEST, "the query is empty")
        offers = GRAPH_FORMATS if query_form(text) in ("CONSTRUCT", "DESCRIBE") else SOLUTION_FORMATS
        chosen = negotiate(self.headers.get("Accept"), offers)
        if chosen is None:
            return self._plain(HTTPStatus.NOT_ACCEPTABLE,
                               "acceptable formats: " + ", ".join(dict.fromkeys(m for m, _ in offers)))
        if not self.server.slots.acquire(timeout=self.server.timeout_seconds):
            return self._plain(HTTPStatus.SERVICE_UNAVAILABLE, "the endpoint is busy; try again shortly")
        try:
            results = execute(
                self.server.store, text, timeout=self.server.timeout_seconds, limit=self.server.limit,
                default_graphs=params.get("default-graph-uri", []),
                named_graphs=params.get("named-graph-uri"),
            )
        except UpdateRefused as exc:
            return self._plain(HTTPStatus.FORBIDDEN, str(exc).replace("obligraph query", "this endpoint"))
        except QueryTimeout as exc:
            return self._plain(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
        except QueryError as exc:
            return self._plain(HTTPStatus.BAD_REQUEST, str(exc))
        finally:
            self.server.slots.release()
        _, fmt = chosen
        media = fmt.media_type
        if media.startswith("text/") and "charset" not in media:
            media += "; charset=utf-8"
        extra = {"X-Result-Truncated": f"true; limit={self.server.limit}"} if results.truncated else {}
        self._send(HTTPStatus.OK, media, results_bytes(results, fmt), extra)

    # --- responses ------------------------------------------------------------------
    def _read_only(self) -> None:
        self._plain(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")

    def _plain(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _send(self, status: HTTPStatus, media: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Vary", "Accept")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's signature)
        if not self.server.quiet:
            super().log_message(format, *args)


def make_server(
    store: GraphStore | str | os.PathLike[str],
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    limit: int = DEFAULT_LIMIT,
    max_body: int = MAX_BODY,
    max_queries: int = MAX_QUERIES,
    quiet: bool = False,
) -> SparqlServer:
    """A SPARQL endpoint over a store, bound but not yet serving.

    Args:
        store: A store folder (opened read-only), or an open GraphStore.
        host: Address to listen on; 127.0.0.1 (this machine only) by default.
        port: Port to listen on; 0 picks a free one (see ``server.url``).
        timeout: Seconds each query may run.
        limit: Most result rows per query.
        max_body: Most bytes of a POST body.
        max_queries: Queries evaluated at once.
        quiet: No request log on stderr.

    Raises:
        StoreError: when the folder holds no graph.
        OSError: when the address cannot be bound.
    """
    graph = store if isinstance(store, GraphStore) else StoreFolder(Path(store)).open()
    return SparqlServer((host, port), graph, timeout=timeout, limit=limit, max_body=max_body,
                        max_queries=max_queries, quiet=quiet)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(
    store: GraphStore | str | os.PathLike[str],
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    **options,
) -> None:
    """Serve the endpoint until interrupted (Ctrl-C); options as for :func:`make_server`."""
    server = make_server(store, host, port, **options)
    print(f"SPARQL endpoint at {server.url} (read-only); Ctrl-C stops it", file=sys.stderr)
    if not _loopback(host):
        print(f"warning: listening on {host}: anyone who can reach it can read the whole graph "
              "(there is no authentication)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
