"""The SPARQL 1.1 Protocol endpoint: standard clients, formats, read-only, bounds."""

from __future__ import annotations

import csv
import http.client
import io
import json
import threading
import time
import urllib.parse

import pyoxigraph as ox
import pytest

from graph.query import execute
from graph.serve import GRAPH_FORMATS, SOLUTION_FORMATS, make_server, negotiate
from graph.store import StoreFolder

# A small graph in the shape obligraph builds (docs/graph-shape.md), plus filler
# triples so that a cross join takes far longer than the server's time limit.
TRIG = """
@prefix obl: <https://w3id.org/obligraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix party: <https://w3id.org/obligraph/id/party/> .
@prefix modality: <https://w3id.org/obligraph/ns/modality/> .
<https://w3id.org/obligraph/graph/register> {
  party:dh a obl:Party ; skos:prefLabel "Department of Health" ; skos:altLabel "DH" ; org:memberOf party:nb .
  party:nb a obl:PartyGroup ; skos:prefLabel "national bodies" .
  party:lp a obl:PartyGroup ; skos:prefLabel "London Partners" .
}
<https://w3id.org/obligraph/graph/doc/a> {
  <urn:c1> a obl:Commitment ; rdfs:label "DH will publish allocations" ; obl:owner party:dh ;
    obl:counterpart party:lp ; obl:modality modality:commitment ; obl:theme "Finance" .
  <urn:c2> a obl:Commitment ; rdfs:label "National bodies will explore flexibilities" ; obl:owner party:nb ;
    obl:inferredCounterpart party:lp ; obl:modality modality:exploration ; obl:theme "Public health" .
  <urn:c3> a obl:Commitment ; rdfs:label "London Partners agree to share learning" ; obl:owner party:lp ;
    obl:counterpart party:nb ; obl:modality modality:commitment ; obl:reciprocalOf <urn:c1> .
}
"""
FILLER = 300
LIMIT = 100
COUNT = "SELECT ?c ?label WHERE { ?c a obl:Commitment ; rdfs:label ?label } ORDER BY ?c"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The fixture graph in a store folder, as 'obligraph build' leaves one."""
    dataset = ox.Store()
    dataset.load(TRIG.encode(), format=ox.RdfFormat.TRIG)
    filler = ox.NamedNode("https://w3id.org/obligraph/graph/doc/filler")
    for i in range(FILLER):
        dataset.add(ox.Quad(ox.NamedNode(f"urn:x{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)), filler))
    folder = StoreFolder(tmp_path_factory.mktemp("served") / ".obligraph")
    with folder.lock():
        graphs = {q.graph_name.value for q in dataset}
        folder.write({g: list(dataset.quads_for_pattern(None, None, None, ox.NamedNode(g))) for g in graphs})
    return folder.open()


@pytest.fixture(scope="module")
def server(store):
    srv = make_server(store.location, "127.0.0.1", 0, timeout=3, limit=LIMIT, quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def request(server, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def local_count(store, text=COUNT) -> int:
    return len(execute(store, text, timeout=None).rows)


# --- content negotiation (no server needed) ---------------------------------------------------------
def test_negotiation_follows_quality_and_specificity():
    assert negotiate(None, SOLUTION_FORMATS)[0] == "application/sparql-results+json"
    assert negotiate("*/*", SOLUTION_FORMATS)[0] == "application/sparql-results+json"
    assert negotiate("text/csv;q=0.9, application/sparql-results+json;q=0.5", SOLUTION_FORMATS)[0] == "text/csv"
    assert negotiate("text/*, text/csv;q=0.1", SOLUTION_FORMATS)[0] == "text/xml"
    xml_first = "application/sparql-results+xml, */*;q=0.1"
    assert negotiate(xml_first, SOLUTION_FORMATS)[0] == "application/sparql-results+xml"
    assert negotiate("image/png", SOLUTION_FORMATS) is None
    assert negotiate("application/json;q=0", SOLUTION_FORMATS[1:2]) is None
    assert negotiate("application/n-triples", GRAPH_FORMATS)[0] == "application/n-triples"
    assert negotiate("text/turtle;q=0.5, application/rdf+xml", GRAPH_FORMATS)[0] == "application/rdf+xml"


# --- the endpoint -------------------------------------------------------------------------------------
@pytest.mark.server
def test_listens_on_loopback_only(server):
    assert server.server_address[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/sparql")


@pytest.mark.server
def test_sparqlwrapper_in_every_result_format(server, store):
    from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper

    expected = local_count(store)
    assert expected == 3
    counts = {}
    for fmt in (JSON, XML, CSV, TSV):
        client = SPARQLWrapper(server.url)
        client.setQuery(COUNT)
        client.setReturnFormat(fmt)
        result = client.query()
        data = result.convert()
        if fmt == JSON:
            counts[fmt] = len(data["results"]["bindings"])
            assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
        elif fmt == XML:
            counts[fmt] = len(data.getElementsByTagName("result"))
        else:
            text = data.decode("utf-8")
            rows = list(csv.reader(io.StringIO(text), delimiter="," if fmt == CSV else "\t"))
            assert rows[0] == (["c", "label"] if fmt == CSV else ["?c", "?label"])
            counts[fmt] = len(rows) - 1
    assert set(counts.values()) == {expected}
    client = SPARQLWrapper(server.url)
    client.setQuery(COUNT)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    assert len(client.query().convert()["results"]["bindings"]) == expected


@pytest.mark.server
def test_rdflib_sparqlstore(server, store):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(server.url))  # XML results, RDF/XML graphs
    prefixes = "PREFIX obl: <https://w3id.org/obligraph/ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    assert len(list(remote.query(prefixes + COUNT))) == local_count(store)
    as_json = Graph(store=SPARQLStore(server.url, returnFormat="json"))
    assert len(list(as_json.query(prefixes + COUNT))) == local_count(store)
    owners = "SELECT ?c ?o WHERE { ?c obl:owner ?o }"
    assert len(list(remote.query(prefixes + owners))) == local_count(store, owners)
    construct = "CONSTRUCT { ?c ?p ?o } WHERE { ?c a obl:Commitment ; ?p ?o }"
    assert len(remote.query(prefixes + construct).graph) == local_count(store, construct)
    assert remote.query(prefixes + "ASK { ?c obl:reciprocalOf ?d }").askAnswer is True


@pytest.mark.server
def test_get_post_form_and_direct_post_agree(server):
    encoded = urllib.parse.urlencode({"query": COUNT})
    accept = {"Accept": "application/sparql-results+json"}
    status, _, got = request(server, "GET", "/sparql?" + encoded, headers=accept)
    assert status == 200
    form = request(server, "POST", "/sparql", encoded,
                   {**accept, "Content-Type": "application/x-www-form-urlencoded"})
    direct = request(server, "POST", "/sparql", COUNT.encode(),
                     {**accept, "Content-Type": "application/sparql-query"})
    assert form[0] == direct[0] == 200 and json.loads(form[2]) == json.loads(direct[2]) == json.loads(got)


@pytest.mark.server
def test_ask_and_construct_formats(server):
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"}
    status, headers, body = request(server, "POST", "/sparql", b"ASK { ?s ?p ?o }", headers)
    assert status == 200 and b"<boolean>true</boolean>" in body
    q = urllib.parse.urlencode({"query": "CONSTRUCT { ?c a obl:Commitment } WHERE { ?c a obl:Commitment }"})
    for accept, media in (("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples")):
        status, headers, body = request(server, "GET", "/sparql?" + q, headers={"Accept": accept})
        assert status == 200 and headers["Content-Type"].startswith(media)
        graph = ox.parse(body, format=ox.RdfFormat.from_media_type(media))
        assert len(list(graph)) == 3
    assert request(server, "GET", "/sparql?" + q, headers={"Accept": "text/csv"})[0] == 406


@pytest.mark.server
def test_updates_are_forbidden(server, store):
    before = local_count(store, "SELECT * WHERE { ?s ?p ?o }")
    drop = "DROP ALL"
    cases = [
        ("POST", "/sparql", urllib.parse.urlencode({"update": drop}), "application/x-www-form-urlencoded"),
        ("POST", "/sparql", drop, "application/sparql-update"),
        ("POST", "/sparql", urllib.parse.urlencode({"query": drop}), "application/x-www-form-urlencoded"),
        ("POST", "/sparql", "PREFIX ex: <urn:x#>\nINSERT DATA { ex:a ex:b ex:c }", "application/sparql-query"),
        ("GET", "/sparql?" + urllib.parse.urlencode({"update": drop}), None, None),
    ]
    for method, path, body, kind in cases:
        status, headers, text = request(server, method, path, body, {"Content-Type": kind} if kind else {})
        assert status == 403, (path, body, text)
        assert headers["Content-Type"].startswith("text/plain") and b"read-only" in text
    assert request(server, "POST", "/update", drop, {"Content-Type": "application/sparql-update"})[0] == 404
    assert local_count(store, "SELECT * WHERE { ?s ?p ?o }") == before


@pytest.mark.server
def test_nothing_but_the_endpoint(server):
    for path in ("/../../etc/passwd", "/sparql/../../etc/passwd", "/", "/update", "/sparql/", "/static/x.js",
                 "/%2e%2e/%2e%2e/etc/passwd"):
        status, _, body = request(server, "GET", path)
        assert status == 404, path
        assert b"root:" not in body
    status, _, body = request(server, "GET", "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}))
    assert status == 403 and b"SERVICE" in body


@pytest.mark.server
def test_service_description(server):
    status, headers, body = request(server, "GET", "/sparql")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    endpoint = [t.object.value for t in triples if t.predicate.value.endswith("#endpoint")]
    assert endpoint == [server.url]


@pytest.mark.server
def test_bad_requests(server):
    assert request(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": "SELECT WHERE {"}))[0] == 400
    both = urllib.parse.urlencode([("query", COUNT), ("query", COUNT)])
    assert request(server, "GET", "/sparql?" + both)[0] == 400
    assert request(server, "POST", "/sparql", COUNT, {"Content-Type": "text/plain"})[0] == 415
    accept_png = {"Accept": "image/png"}
    assert request(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": COUNT}), headers=accept_png)[0] == 406


@pytest.mark.server
def test_body_size_is_bounded(server):
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=30)
    conn.putrequest("POST", "/sparql")
    conn.putheader("Content-Type", "application/sparql-query")
    conn.putheader("Content-Length", str(server.max_body + 1))
    conn.endheaders()
    response = conn.getresponse()  # refused before the body is read
    assert response.status == 413
    conn.close()


@pytest.mark.server
def test_rows_are_bounded_and_marked(server, store):
    q = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
    accept = {"Accept": "application/sparql-results+json"}
    status, headers, body = request(server, "GET", "/sparql?" + q, headers=accept)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == LIMIT
    assert headers["X-Result-Truncated"] == f"true; limit={LIMIT}"
    assert local_count(store, "SELECT * WHERE { ?s ?p ?o }") > LIMIT


@pytest.mark.server
def test_a_slow_query_is_stopped(server):
    start = time.monotonic()
    status, _, body = request(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": SLOW}))
    assert status == 503 and b"stopped" in body
    assert time.monotonic() - start < 10
    assert request(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": COUNT}))[0] == 200


@pytest.mark.server
def test_a_dataset_given_with_the_request(server):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?c a obl:Commitment }"
    params = urllib.parse.urlencode({"query": q, "default-graph-uri": "https://w3id.org/obligraph/graph/register"})
    status, _, body = request(server, "GET", "/sparql?" + params)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"
    params = urllib.parse.urlencode({"query": q, "default-graph-uri": "https://w3id.org/obligraph/graph/doc/a"})
    assert json.loads(request(server, "GET", "/sparql?" + params)[2])["results"]["bindings"][0]["n"]["value"] == "3"
