"""The graph on a SPARQL 1.1 server: a real Oxigraph server started on 127.0.0.1.

The binding tests at the top need no server: they run the rewritten query on
an in-memory pyoxigraph store and compare it with pyoxigraph's own binding.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import QueryError, StoreError
from graph.namespace import ONTOLOGY_GRAPH, PREFIXES, REGISTER_GRAPH, RUN_GRAPH
from graph.remote import RemoteStore, bind_values, endpoint_urls, sparql_term

from conftest import AGREEMENT

EX = "http://example.com/"
HOSTILE = [
    'plain',
    'a "quoted" word',
    'ends with a quote"',
    'x""" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o #',
    "x''' } DROP ALL #",
    "back\\slash and a trailing backslash\\",
    "\\\" escaped quote from the start",
    "a literal \\u0022 codepoint escape and \\U0000007D",
    "new\nline\r\nand\ttab } ) .",
    '"""',
    "\\",
    "# not a comment\n} UNION { ?s ?p ?o }",
    "unicode: Łódź — 東京 \u2028 \U0001F600",
]


def _dataset(values: list[str]) -> ox.Store:
    store = ox.Store()
    for i, v in enumerate(values):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "label"), ox.Literal(v), ox.NamedNode(EX + "g")))
    return store


def _rows(result) -> list[tuple]:
    names = [v.value for v in result.variables]
    return sorted(tuple(str(sol[n]) for n in names) for sol in result)


# --- binding without a server ---------------------------------------------------
# pyoxigraph binds only variables of the projection, so each SELECT projects ?label.
QUERIES = [
    "SELECT ?s ?label WHERE { ?s <http://example.com/label> ?label }",
    "SELECT * { ?s <http://example.com/label> ?label }",
    # braces, '#' and keywords inside comments, strings and IRIs
    '# SELECT { }\nSELECT ?s ?label FROM <http://example.com/g#x> WHERE { ?s <http://example.com/label> ?label '
    'FILTER (?label != "} SELECT {" && ?label != \'\'\'#{\'\'\') }',
    # EXISTS in the projection comes before the WHERE clause
    "SELECT ?label ?s (EXISTS { ?s ?p ?label } AS ?e) WHERE { ?s <http://example.com/label> ?label }",
    # a sub-select, OPTIONAL with a FILTER on the bound variable, NOT EXISTS
    "SELECT ?s ?n ?label WHERE { ?s <http://example.com/label> ?l OPTIONAL { ?s ?p ?o FILTER (?o = ?label) } "
    "FILTER NOT EXISTS { ?s <http://example.com/none> ?label } "
    "{ SELECT (COUNT(*) AS ?n) WHERE { ?x ?y ?z } } FILTER (?l = ?label) }",
    "ASK { ?s <http://example.com/label> ?label }",
    "CONSTRUCT { ?s <http://example.com/has> ?label . ?s <http://example.com/c> (1 2) } "
    "WHERE { ?s <http://example.com/label> ?label }",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("value", HOSTILE[:6])
def test_values_bind_like_substitution(query, value):
    store = _dataset(HOSTILE)
    label = {ox.Variable("label"): ox.Literal(value)}
    expected = store.query(query, use_default_graph_as_union=True, substitutions=label)
    got = store.query(bind_values(query, {"label": value}), use_default_graph_as_union=True)
    if isinstance(expected, ox.QueryBoolean):
        assert bool(got) == bool(expected) is True
    elif isinstance(expected, ox.QuerySolutions):
        rows = _rows(expected)
        assert len(rows) == 1 and _rows(got) == rows
    else:
        blank = lambda triples: sorted(re.sub(r"_:\w+", "_:b", str(t)) for t in triples)  # noqa: E731
        triples = blank(got)
        assert triples == blank(expected) and len(triples) == 6  # ?label's triple and a two-item list


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_string_stays_one_literal(value):
    store = _dataset(HOSTILE)
    rows = _rows(store.query(bind_values("SELECT ?s ?label WHERE { ?s ?p ?label }", {"label": value}),
                             use_default_graph_as_union=True))
    assert rows == [(f"<{EX}s{HOSTILE.index(value)}>", str(ox.Literal(value)))]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["", "en", "en-GB"]))
def test_any_text_round_trips_as_a_literal(text, lang):
    literal = ox.Literal(text, language=lang) if lang else ox.Literal(text)
    query = bind_values("SELECT ?v WHERE { BIND (true AS ?t) }", {"v": literal})
    (sol,) = list(ox.Store().query(query))
    assert sol["v"] == literal


def test_typed_values_and_iris():
    assert sparql_term(3) == '"""3"""^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert sparql_term(True) == '"""true"""^^<http://www.w3.org/2001/XMLSchema#boolean>'
    assert sparql_term(ox.NamedNode(EX + "a")) == f"<{EX}a>"
    assert sparql_term(ox.Literal("chat", language="fr")) == '"""chat"""@fr'


@pytest.mark.parametrize("bindings", [{"x } DROP ALL #": 1}, {"": 1}, {"x": ox.BlankNode("b")}])
def test_what_cannot_be_bound_is_refused(bindings):
    with pytest.raises(QueryError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", bindings)


def test_iris_cannot_hold_what_ends_them():
    with pytest.raises(ValueError):
        ox.NamedNode(EX + "> } DROP ALL #")  # pyoxigraph refuses it first
    from graph.remote import _iri

    with pytest.raises(QueryError):
        _iri(EX + "> } DROP ALL #")


@pytest.mark.parametrize("query", ["CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <http://example.com/a>", "INSERT DATA {}"])
def test_queries_without_a_where_clause_to_bind_into(query):
    with pytest.raises(QueryError):
        bind_values(query, {"s": 1})


@pytest.mark.parametrize(("url", "expected"), [
    ("http://h:7878", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
    ("http://h:7878/", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
    ("http://h:7878/query", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
    ("https://h/ds/sparql", ("https://h/ds/sparql", "https://h/ds/update", "https://h/ds/store")),
    ("http://h:3030/ds", ("http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/store")),
    ("http://h:7200/repositories/obl", ("http://h:7200/repositories/obl", "http://h:7200/repositories/obl/statements",
                                        "http://h:7200/repositories/obl/rdf-graphs/service")),
])
def test_endpoint_urls(url, expected):
    assert endpoint_urls(url) == expected


def test_explicit_urls_and_credentials():
    store = RemoteStore("https://ann:s%3Acret@h:3030/ds/query", store_url="https://h:3030/ds/data")
    assert (store.query_url, store.update_url, store.store_url) == (
        "https://h:3030/ds/query", "https://h:3030/ds/update", "https://h:3030/ds/data")
    assert "s:cret" not in repr(store) and "ann" not in store.url
    assert store._auth == "Basic YW5uOnM6Y3JldA=="  # ann:s:cret


def test_only_http_urls():
    with pytest.raises(StoreError, match="http"):
        RemoteStore("ftp://h/query")


def test_an_unreachable_endpoint_is_one_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    store = RemoteStore(f"http://127.0.0.1:{port}", timeout=5)
    with pytest.raises(StoreError, match=rf"cannot reach the SPARQL endpoint at http://127.0.0.1:{port}/query"):
        store.select("SELECT * WHERE { ?s ?p ?o }")


@contextmanager
def _recorder(status: int = 200, headers: dict | None = None, body: bytes = b'{"head": {}, "boolean": true}'):
    """A one-thread HTTP server that answers every request alike and records it."""
    import http.server
    import threading

    seen: list[tuple[str, str, dict]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.do_GET()

        def do_GET(self):  # noqa: N802
            seen.append((self.command, self.path, dict(self.headers)))
            self.send_response(status)
            for k, v in {"Content-Type": "application/sparql-results+json", **(headers or {})}.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_credentials_go_as_basic_auth_and_never_follow_a_redirect():
    with _recorder() as (url, seen):
        store = RemoteStore(url.replace("http://", "http://ann:secret@"))
        assert bool(store.query("ASK { }"))
        assert len(seen) == 2  # verify's ASK first, then the query
        for method, path, headers in seen:
            assert (method, path) == ("POST", "/query")
            assert headers["Authorization"] == "Basic YW5uOnNlY3JldA=="
    with _recorder() as (elsewhere, taken), _recorder(302, {"Location": elsewhere + "/query"}) as (url, seen):
        store = RemoteStore(url.replace("http://", "http://ann:secret@"))
        with pytest.raises(StoreError, match="redirects \\(HTTP 302\\)") as info:
            store.query("ASK { }")
        assert "secret" not in str(info.value)
        assert len(seen) == 1 and taken == []


def test_results_cut_short_are_refused():
    """``obligraph serve`` says when it kept only ``limit`` rows; part of a graph is not the graph."""
    with _recorder(headers={"X-Result-Truncated": "true; limit=10"}) as (url, _):
        with pytest.raises(StoreError, match="only part of the results"):
            RemoteStore(url + "/sparql").query("ASK { }")


def test_a_silent_endpoint_times_out():
    with socket.socket() as listener:  # accepts connections, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        store = RemoteStore(f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=0.5)
        with pytest.raises(StoreError, match=r"gave no answer within 0.5 s"):
            store.query("ASK { }")


# --- a real Oxigraph server -------------------------------------------------------
def _oxigraph() -> str:
    local = Path(sys.executable).parent / "oxigraph"  # the binary, not a version manager's shim
    found = str(local) if local.is_file() else shutil.which("oxigraph")
    if not found:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serve(location: Path, union: bool = True):
    """An Oxigraph server on an ephemeral port, stopped however the tests end."""
    exe = _oxigraph()
    log = location.with_suffix(".log")
    for _ in range(3):  # the free port may be taken before the server binds it
        port = _free_port()
        args = [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
        with open(log, "wb") as out:
            proc = subprocess.Popen(args + (["--union-default-graph"] if union else []), stdout=out, stderr=out)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while proc.poll() is None and time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2).close()
                    break
                except (urllib.error.URLError, OSError):
                    time.sleep(0.1)
            else:
                if proc.poll() is not None and b"in use" in log.read_bytes():
                    continue
                pytest.fail(f"the Oxigraph server did not start: {log.read_text(errors='replace')}")
            yield url
            return
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    pytest.fail("no free port for the Oxigraph server")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with _serve(tmp_path_factory.mktemp("oxigraph") / "db") as url:
        yield url


@pytest.fixture(scope="module")
def memory(nlp):
    from graph.pipeline import build_memory

    return build_memory([AGREEMENT], nlp=nlp)


@pytest.fixture(scope="module")
def remote(server, nlp):
    from graph.pipeline import build

    result, store = build([AGREEMENT], store=RemoteStore(server), nlp=nlp)
    assert result.commitments > 0 and result.triples == len(store)
    return store


def _nquads(store, drop_run: bool = True) -> list[str]:
    run = ox.NamedNode(str(RUN_GRAPH))
    return sorted(str(q) for q in store.quads() if not (drop_run and q.graph_name == run))


@pytest.mark.server
@pytest.mark.model
def test_build_puts_the_named_graphs_on_the_server(remote, memory, server):
    fresh = RemoteStore(server + "/query")  # another client, through the query URL
    assert fresh.graph_names() == remote.graph_names() == memory.graph_names()
    assert len(fresh) == len(memory)
    assert _nquads(fresh) == _nquads(memory)


@pytest.mark.server
@pytest.mark.model
def test_commitment_records_equal_the_memory_build(remote, memory):
    from graph.records import commitment_records

    expected = commitment_records(memory)
    assert expected and commitment_records(remote) == expected


@pytest.mark.server
@pytest.mark.model
def test_party_graph_equals_the_memory_build(remote, memory):
    from graph.draw import party_graph

    here, there = party_graph(memory), party_graph(remote)
    assert here.number_of_nodes() > 0
    assert dict(there.nodes(data=True)) == dict(here.nodes(data=True))
    assert sorted(there.edges(keys=True)) == sorted(here.edges(keys=True))


def _answer(result) -> object:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        return [v.value for v in result.variables], _rows(result)
    return sorted(str(t) for t in result)


@pytest.mark.server
@pytest.mark.model
@pytest.mark.parametrize("text", [
    "SELECT ?c ?label ?start WHERE { ?c a obl:Commitment ; rdfs:label ?label ; "
    "obl:evidence/oa:hasSelector/oa:start ?start }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "ASK { ?c a obl:Commitment }",
    "CONSTRUCT { ?c a obl:Commitment } WHERE { ?c a obl:Commitment }",
    "DESCRIBE ?p WHERE { ?p skos:prefLabel \"NHS England\" }",
])
def test_queries_of_every_form(remote, memory, text):
    expected = _answer(memory.oxigraph().query(text, prefixes=PREFIXES, use_default_graph_as_union=True))
    assert expected and _answer(remote.query(text)) == expected


@pytest.mark.server
@pytest.mark.model
def test_a_dataset_given_with_the_query(remote, memory):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for graphs in ([str(REGISTER_GRAPH)], [str(REGISTER_GRAPH), str(ONTOLOGY_GRAPH)]):
        here = memory.oxigraph().query(text, default_graph=[ox.NamedNode(g) for g in graphs], named_graphs=[])
        assert _answer(remote.query(text, default_graphs=graphs)) == _answer(here)
    none = remote.query("SELECT ?g WHERE { GRAPH ?g { } }", default_graphs=[str(REGISTER_GRAPH)])
    assert list(none) == []  # a default graph given and no named graphs: GRAPH reads none (Protocol 2.1.4)
    with pytest.raises(QueryError, match="rejected the query"):
        remote.select("SELECT ?c WHERE { ?c a obl:Commitment")


@pytest.mark.server
@pytest.mark.model
def test_obligraph_query_runs_against_the_server(remote, memory):
    from graph.query import run_query

    text = "SELECT ?c WHERE { ?c a obl:Commitment } ORDER BY ?c"
    assert run_query(remote, text) == run_query(memory, text)


@pytest.mark.server
@pytest.mark.model
def test_the_rule_queries_give_the_same_findings(remote, memory):
    """Each compiled shape runs on the server as on the embedded store."""
    from graph.check import compile_shapes, load_shapes

    queries = compile_shapes(load_shapes())
    assert queries
    db = memory.oxigraph()
    for q in queries:
        here = db.query(q.sparql, use_default_graph_as_union=True, prefixes=dict(q.prefixes))
        assert _rows(remote.select_raw(q.sparql, prefixes=dict(q.prefixes))) == _rows(here), q.rule.rule_id


@pytest.mark.server
@pytest.mark.model
def test_findings_are_traced_to_the_text_over_sparql(remote, memory):
    """Tracing binds each finding's node: many bound queries on real data."""
    from graph.check import load_shapes, validate
    from graph.report import locate

    findings = list(validate(memory, load_shapes(), engine="sparql").findings)
    assert findings
    assert locate(remote, findings) == locate(memory, findings)


@pytest.mark.server
@pytest.mark.model
def test_check_runs_against_the_server(remote, memory):
    from graph.check import load_shapes, validate

    shapes = load_shapes()
    assert validate(remote, shapes, engine="sparql").findings == validate(memory, shapes, engine="sparql").findings


@pytest.mark.server
@pytest.mark.model
def test_rebuilding_replaces_the_graphs(remote, memory, nlp):
    from graph.pipeline import build

    before = len(remote)
    build([AGREEMENT], store=remote, nlp=nlp)
    assert len(remote) == before
    assert _nquads(remote) == _nquads(memory)
    assert len(list(remote.quads(str(RUN_GRAPH)))) == len(list(memory.quads(str(RUN_GRAPH))))


@pytest.mark.server
def test_hostile_bindings_cannot_inject(tmp_path):
    g = EX + "g"
    with _serve(tmp_path / "db") as url:
        store = RemoteStore(url)
        store.apply({g: list(_dataset(HOSTILE).quads_for_pattern(None, None, None))})
        assert len(store) == len(HOSTILE)
        query = "SELECT ?s WHERE { ?s <http://example.com/label> ?label }"
        for i, value in enumerate(HOSTILE):
            assert store.select(query, {"label": value}) == [{"s": f"{EX}s{i}"}], value
            assert store.select(query, {"label": value + " "}) == []
        with pytest.raises(QueryError):
            store.select(query, {"label } DROP ALL": "x"})
        assert len(store) == len(HOSTILE)
        assert sorted(r["label"] for r in store.select("SELECT ?label WHERE { ?s ?p ?label }")) == sorted(HOSTILE)


@pytest.mark.server
def test_writes_replace_and_remove_graphs(tmp_path):
    a, b = EX + "a", EX + "b"
    def quad(o: str, g: str) -> ox.Quad:
        return ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal(o), ox.NamedNode(g))

    with _serve(tmp_path / "db") as url:
        store = RemoteStore(url)
        store.apply({a: [quad("1", a), quad("2", a)], b: [quad("3", b)]})
        store.apply({a: [quad("4", a)]}, remove=[b, EX + "never-there"])
        assert store.graph_names() == [a]
        assert [q.object.value for q in store.quads(a)] == ["4"]
        store.update(f"INSERT DATA {{ GRAPH <{b}> {{ <{EX}s> <{EX}p> 5 }} }}")
        assert store.select("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o") == [{"o": "4"}, {"o": 5}]
        store.apply({b: []})  # no quads: the graph is dropped
        assert store.graph_names() == [a]
        with pytest.raises(ValueError):
            store.apply({a: [quad("6", b)]})


@pytest.mark.server
def test_a_server_without_the_union_default_graph_is_refused(tmp_path):
    g = EX + "g"
    with _serve(tmp_path / "db", union=False) as url:
        store = RemoteStore(url)
        with pytest.raises(StoreError, match="no graph at the SPARQL endpoint"):
            store.select("SELECT * WHERE { ?s ?p ?o }")
        s, p, o = (ox.NamedNode(EX + x) for x in "spo")
        store.apply({g: [ox.Quad(s, p, o, ox.NamedNode(g))]})
        with pytest.raises(StoreError, match="--union-default-graph"):
            store.select("SELECT * WHERE { ?s ?p ?o }")
        assert store.graph_names() == [g]  # reading by graph needs no union


@pytest.mark.server
def test_a_wrong_store_url_says_so(server):
    store = RemoteStore(server, store_url=server + "/nowhere")
    with pytest.raises(StoreError, match=r"no SPARQL graph store service at .*/nowhere"):
        store.apply({EX + "g": [ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "o"))]})


@pytest.mark.server
@pytest.mark.model
def test_import_an_export_into_a_server(tmp_path, memory):
    from graph.exchange import export_graph, import_graph

    path = tmp_path / "graph.trig"
    path.write_bytes(export_graph(memory, "trig"))
    with _serve(tmp_path / "db") as url:
        store = RemoteStore(url)
        counts = import_graph(store, path)
        assert sum(counts.values()) == len(store)
        assert _nquads(store) == _nquads(memory)


# --- the command line against a server ----------------------------------------------
@pytest.fixture(scope="module")
def cli_server(tmp_path_factory, nlp, monkeypatch_module):
    """A fresh server holding the corpus, built by ``obligraph build --endpoint``."""
    from click.testing import CliRunner

    from graph import pipeline
    from graph.cli import main

    monkeypatch_module.setattr(pipeline, "load_nlp", lambda model=None: nlp)
    with _serve(tmp_path_factory.mktemp("cli") / "db") as url:
        result = CliRunner().invoke(main, ["build", str(AGREEMENT), "--endpoint", url])
        assert result.exit_code == 0, result.output
        yield url, result


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def _cli(*args, env=None):
    from click.testing import CliRunner

    from graph.cli import main

    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.server
@pytest.mark.model
def test_cli_build_check_query_draw_against_a_server(cli_server, memory, tmp_path):
    url, built = cli_server
    assert f"graph stored in {url}" in built.stderr
    local = tmp_path / "local"
    assert _cli("build", str(AGREEMENT), "--store", str(local)).exit_code == 0
    for args in (["commitments", "--format", "jsonl"], ["parties", "--format", "json"],
                 ["query", "SELECT ?c WHERE { ?c a obl:Commitment } ORDER BY ?c", "--format", "csv"],
                 ["query", "owes", "--party", "London partners"]):
        there, here = _cli(*args, "--endpoint", url), _cli(*args, "--store", str(local))
        assert there.exit_code == here.exit_code == 0, there.output
        assert there.stdout == here.stdout and there.stdout.strip(), args
    there = _cli("check", "--format", "json", "--endpoint", url)
    here = _cli("check", "--format", "json", "--store", str(local))
    assert there.exit_code == here.exit_code
    assert json.loads(there.stdout)["findings"] == json.loads(here.stdout)["findings"]
    svg = tmp_path / "parties.svg"
    assert _cli("draw", "-o", str(svg), env={"OBLIGRAPH_ENDPOINT": url}).exit_code == 0
    assert svg.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))


@pytest.mark.server
@pytest.mark.model
def test_cli_import_into_a_server_and_serve_refuses_it(cli_server, tmp_path):
    url, _ = cli_server
    exported = tmp_path / "graph.trig"
    assert _cli("export", "--format", "trig", "-o", str(exported), "--endpoint", url).exit_code == 0
    extra = tmp_path / "note.ttl"
    extra.write_text('<https://example.org/n> <http://www.w3.org/2000/01/rdf-schema#label> "a note" .\n', encoding="utf-8")
    result = _cli("import", str(extra), "--endpoint", url)
    assert result.exit_code == 0, result.output
    assert "imported 1 quads into 1 graphs" in result.stderr
    assert "imported/note" in " ".join(RemoteStore(url).graph_names())
    refused = _cli("serve", "--endpoint", url)
    assert refused.exit_code == 2 and "already served over SPARQL" in refused.output
