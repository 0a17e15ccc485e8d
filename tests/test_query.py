"""Asking the graph: named queries, bound parameters, read-only runs, time and row limits."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import QueryError
from graph.query import (
    PARAM_TYPES,
    QueryTimeout,
    UpdateRefused,
    execute,
    is_update,
    load_named_query,
    named_queries,
    parse_named_query,
    query_form,
    resolve_party,
    run_named,
    uses_service,
)
from graph.store import GraphStore, StoreFolder, memory_store

INJECTION = 'x" } ; DROP ALL ; SELECT * { ?s ?p ?o . FILTER("'
ALLOCATIONS = "indicative multi-year allocations"
REQUIRED = {"owes", "owed", "reciprocal", "unanswered", "no-governance", "counts-theme", "counts-modality",
            "counts-party", "timeline", "conditional", "parties", "mentions"}
VALUES = {"party": "NHS England", "phrase": "estates", "theme": "estates", "modality": "commitment"}
# A cross join of every triple with every triple, twice: far too big to finish.
SLOW_STREAMING = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SLOW_BLOCKING = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def table(results) -> list[dict]:
    return results.table()[1]


def named(store, name, **values) -> list[dict]:
    return table(run_named(store, name, values, timeout=None))


def on_disk(store: GraphStore, folder: Path) -> GraphStore:
    """The same graph written to a store folder, as 'obligraph build' leaves it."""
    target = StoreFolder(folder)
    with target.lock():
        target.write({g: list(store.quads(g)) for g in store.graph_names()})
    return target.open()


# --- reading query text ----------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "insert data { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "CLEAR GRAPH <urn:g>",
    "DROP ALL",
    "DROP GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
    "ADD <urn:a> TO <urn:b>",
    "MOVE DEFAULT TO <urn:b>",
    "COPY <urn:a> TO <urn:b>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }",
    "PREFIX ex: <http://example.org/#>\nPREFIX : <urn:x#>\nBASE <http://example.org/>\n  DELETE WHERE { ?s ?p ?o }",
    "# a comment\n# SELECT, in a comment\nDROP ALL",
    "prefix obl:<https://w3id.org/obligraph/ns#> clear default",
])
def test_updates_are_recognised(text):
    assert is_update(text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o }",
    'SELECT ?s WHERE { ?s rdfs:label "insert data into the register" }',
    "SELECT ?s WHERE { ?s rdfs:label 'DROP ALL' }",
    'SELECT ?s WHERE { ?s rdfs:label """multi\nline\nDELETE WHERE""" }',
    "# INSERT DATA { <urn:a> <urn:b> <urn:c> }\nSELECT * WHERE { ?s ?p ?o }",
    "PREFIX insert: <http://example.org/insert#>\nSELECT ?s WHERE { ?s insert:delete ?o }",
    "PREFIX ex: <http://example.org/drop#>\nASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <urn:x>",
    "SELECT ?insert WHERE { ?insert ?delete ?load }",
])
def test_queries_are_not_updates(text):
    assert not is_update(text)


def test_query_form_and_service():
    assert query_form("PREFIX a: <urn:a#>\n# hi\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert uses_service("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert uses_service("select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }")
    assert not uses_service('SELECT ?service WHERE { ?service rdfs:label "SERVICE" . ?s ex:service ?o }')


# --- named query files ---------------------------------------------------------------------
def test_named_queries_are_declared_and_loadable():
    found = {q.name: q for q in named_queries()}
    assert REQUIRED <= set(found)
    for q in found.values():
        assert q.title and q.description and not q.description.startswith("#")
        assert all(p.type in PARAM_TYPES and p.description for p in q.parameters)
        assert load_named_query(q.name) == q
    assert [p.name for p in found["owes"].parameters] == ["party"]
    assert [(p.name, p.type) for p in found["mentions"].parameters] == [("phrase", "text")]


def test_named_query_headers_are_checked():
    good = ("# title: T\n# description: D\n#   continued\n# param: who (party) — the party\n"
            "SELECT ?who WHERE { ?who ?p ?o }")
    q = parse_named_query("t", good)
    assert q.description == "D continued" and q.parameters[0].name == "who"
    with pytest.raises(QueryError, match="title"):
        parse_named_query("t", "# description: D\nSELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="cannot read"):
        parse_named_query("t", "# title: T\n# description: D\n# param: who (person) — x\nSELECT ?who {}")
    with pytest.raises(QueryError, match="does not use"):
        parse_named_query("t", "# title: T\n# description: D\n# param: who (party) — x\nSELECT ?s { ?s ?p ?o }")
    with pytest.raises(QueryError, match="did you mean owes"):
        load_named_query("owez")


# --- a small graph, no model needed --------------------------------------------------------------
TRIG = """
@prefix obl: <https://w3id.org/obligraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:g> {
  <https://w3id.org/obligraph/id/party/a> a obl:Party ; skos:prefLabel "Alpha Agency" ; skos:altLabel "AA" .
  <urn:c1> a obl:Commitment ; rdfs:label "Alpha will publish plans" .
  <urn:c2> a obl:Commitment ; rdfs:label "Alpha will share data" .
}
"""


@pytest.fixture()
def small() -> GraphStore:
    store = memory_store()
    store.oxigraph().load(TRIG.encode(), format=ox.RdfFormat.TRIG)
    return store


def test_limit_truncates_and_says_so(small):
    results = execute(small, "SELECT * WHERE { ?s ?p ?o }", limit=2)
    assert len(results.rows) == 2 and results.truncated
    whole = execute(small, "SELECT * WHERE { ?s ?p ?o }", limit=100)
    assert len(whole.rows) == len(small) and not whole.truncated


def test_results_of_every_form(small):
    assert execute(small, "ASK { ?s a obl:Commitment }").table() == (["result"], [{"result": True}])
    names, rows = execute(small, "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c rdfs:label ?l }").table()
    assert names == ["subject", "predicate", "object"] and len(rows) == 2


def test_bindings_are_terms_not_text(small):
    before = len(small)
    q = "SELECT ?c ?phrase WHERE { ?c rdfs:label ?l FILTER(CONTAINS(?l, ?phrase)) }"
    assert len(execute(small, q, {"phrase": "publish"}).rows) == 1
    assert execute(small, q, {"phrase": INJECTION}).rows == ()
    assert len(small) == before
    with pytest.raises(QueryError, match="must SELECT"):
        execute(small, "SELECT ?c WHERE { ?c rdfs:label ?phrase }", {"phrase": "x"})


def test_party_names_resolve_through_the_graph(small):
    iri = "https://w3id.org/obligraph/id/party/a"
    assert resolve_party(small, "AA") == ox.NamedNode(iri)
    assert resolve_party(small, "the alpha agency") == ox.NamedNode(iri)
    with pytest.raises(QueryError, match=r"no such party: 'Alpha Agncy'; close matches: Alpha Agency"):
        resolve_party(small, "Alpha Agncy")


def test_updates_and_service_are_refused(small):
    before = len(small)
    for text in ("DELETE WHERE { ?s ?p ?o }", "PREFIX ex: <urn:x#>\nDROP ALL",
                 "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        with pytest.raises(UpdateRefused, match="read-only"):
            execute(small, text)
    with pytest.raises(UpdateRefused, match="SERVICE"):
        execute(small, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
    assert len(small) == before


def fill(store: GraphStore, n: int = 300) -> None:
    """Enough triples that a cross join of three runs for minutes."""
    g = ox.NamedNode("urn:g")
    for i in range(n):
        store.oxigraph().add(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)), g))


def test_timeout_in_memory_stops_the_query(small):
    fill(small)
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 1 s and was stopped"):
        execute(small, SLOW_STREAMING, timeout=1, limit=None)
    assert time.monotonic() - start < 3
    deadline = time.monotonic() + 5  # the worker thread stops at its next solution
    while any(t.name == "obligraph-query" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.name == "obligraph-query" for t in threading.enumerate())


def _workers() -> list[int]:
    """Query worker processes that are children of this process (Linux /proc)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid() and b"graph.query import _worker" in cmd:
            found.append(int(pid))
    return found


def test_timeout_on_disk_kills_the_worker(small, tmp_path):
    fill(small)
    disk = on_disk(small, tmp_path / "store")
    assert execute(disk, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value == str(len(small))
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 2 s and was stopped"):
        execute(disk, SLOW_BLOCKING, timeout=2)
    assert time.monotonic() - start < 8
    if Path("/proc").is_dir():
        assert _workers() == []


# --- the corpus ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_disk(corpus_store, tmp_path_factory) -> GraphStore:
    return on_disk(corpus_store, tmp_path_factory.mktemp("corpus") / ".obligraph")


@pytest.fixture(scope="module")
def commitments(corpus_store) -> dict[str, str]:
    rows = corpus_store.select(
        "SELECT ?c ?text WHERE { ?c a obl:Commitment ; obl:evidence/oa:hasSelector ?q . "
        "?q a oa:TextQuoteSelector ; oa:exact ?text }")
    return {r["c"]: r["text"] for r in rows}


@pytest.mark.model
@pytest.mark.parametrize("query", sorted(q.name for q in named_queries()))
def test_every_named_query_answers_on_the_corpus(corpus_store, query):
    q = load_named_query(query)
    rows = named(corpus_store, query, **{p.name: VALUES[p.name] for p in q.parameters})
    assert rows, f"{query} found nothing in the corpus"
    assert all(p.name not in rows[0] for p in q.parameters)  # parameters are not echoed back


@pytest.mark.model
def test_owes_directly_and_through_groups(corpus_store):
    rows = named(corpus_store, "owes", party="NHS England")
    direct = [r for r in rows if ALLOCATIONS in r["text"]]
    assert len(direct) == 1 and direct[0]["how"] == "direct"
    assert "NHS England" in direct[0]["owners"] and "London CCGs" in direct[0]["counterparts"]
    through = [r for r in rows if r["how"].startswith("through") and "national bodies" in r["how"]]
    assert through and all("national bodies" in r["owners"] for r in through)
    assert all("NHS England" not in r["owners"].split("; ") for r in through)
    assert len({r["commitment"] for r in rows}) == len(rows)  # one row per commitment


@pytest.mark.model
def test_owes_through_a_unit(corpus_store):
    # NHS England London Region is a unit of NHS England: what NHS England owes binds it.
    rows = named(corpus_store, "owes", party="NHS England London Region")
    assert any(ALLOCATIONS in r["text"] and r["how"] == "through NHS England" for r in rows)


@pytest.mark.model
def test_any_alias_gives_the_same_answer(corpus_store):
    answers = [named(corpus_store, "owes", party=name)
               for name in ("DH", "Department of Health", "the Department of Health", "department of health")]
    assert answers[0] and all(a == answers[0] for a in answers)
    assert any(r["how"] == "direct" for r in answers[0])


@pytest.mark.model
def test_owed_to_a_party_says_stated_or_inferred(corpus_store):
    rows = named(corpus_store, "owed", party="London CCGs")
    mine = [r for r in rows if ALLOCATIONS in r["text"]]
    assert len(mine) == 1 and mine[0]["how"] == "direct" and mine[0]["basis"] == "stated"
    assert any(r["how"] == "through London Partners" for r in rows)
    assert {r["basis"] for r in rows} == {"stated", "inferred"}


@pytest.mark.model
def test_no_governance_lists_all_but_the_governed(corpus_store, commitments):
    governed = {r["c"] for r in corpus_store.select("SELECT DISTINCT ?c WHERE { ?c obl:governance ?b }")}
    rows = named(corpus_store, "no-governance")
    assert {r["commitment"] for r in rows} == set(commitments) - governed
    assert len(governed) == 1 and "estates boards" in commitments[governed.pop()]
    assert all("estates boards" not in r["text"] for r in rows)


@pytest.mark.model
def test_timeline_runs_from_earliest(corpus_store):
    stated = [r["stated"] for r in named(corpus_store, "timeline")]
    assert "from 2017" in stated and "by 2020" in stated
    assert stated.index("from 2017") < stated.index("by 2020")
    dates = [r["date"] for r in named(corpus_store, "timeline") if r["date"]]
    assert dates == sorted(dates)


@pytest.mark.model
def test_mentions_a_phrase_in_any_case(corpus_store, commitments):
    rows = named(corpus_store, "mentions", phrase="ESTATES")
    expected = {c for c, text in commitments.items() if "estates" in text.lower()}
    assert expected and {r["commitment"] for r in rows} == expected


@pytest.mark.model
def test_counts_add_up(corpus_store, commitments):
    for query in ("counts-theme", "counts-modality"):
        assert sum(r["commitments"] for r in named(corpus_store, query)) == len(commitments)
    theme = named(corpus_store, "counts-theme")
    assert all(r["commitments"] == r["firm"] + r["intention"] + r["exploration"] + r["aspiration"] for r in theme)
    parties = {r["party"]: r for r in named(corpus_store, "counts-party")}
    assert parties["NHS England"]["owes_count"] >= 1 and parties["London Partners"]["owes_count"] >= 10


@pytest.mark.model
def test_reciprocal_and_unanswered_partition(corpus_store, commitments):
    pairs = named(corpus_store, "reciprocal")
    answered = {r["in_return_for"] for r in pairs}
    assert pairs and all(r["text"] and r["in_return_for_text"] for r in pairs)
    unanswered = {r["commitment"] for r in named(corpus_store, "unanswered")}
    assert unanswered == set(commitments) - answered


@pytest.mark.model
def test_conditions_and_parties(corpus_store):
    conditions = named(corpus_store, "conditional")
    assert any(r["condition"].startswith("subject to") and ALLOCATIONS in r["text"] for r in conditions)
    parties = {r["label"]: r for r in named(corpus_store, "parties")}
    assert "DH" in parties["Department of Health"]["aliases"]
    assert "national bodies" in parties["NHS England"]["member_of"]
    assert "NHS England" in parties["national bodies"]["members"]


@pytest.mark.model
def test_theme_and_modality_parameters(corpus_store):
    rows = named(corpus_store, "theme", theme="capital and estates")
    assert rows and all("estates" in r["heading"].lower() for r in rows)
    intentions = named(corpus_store, "modality", modality="Intention")
    counts = {r["modality"]: r["commitments"] for r in named(corpus_store, "counts-modality")}
    assert intentions and len(intentions) == counts["intention"]
    with pytest.raises(QueryError, match="no such modality"):
        named(corpus_store, "modality", modality="promise")
    with pytest.raises(QueryError, match="no commitment has the theme"):
        named(corpus_store, "theme", theme="space travel")


@pytest.mark.model
def test_injection_through_a_party_name(corpus_store):
    before = len(corpus_store)
    with pytest.raises(QueryError) as caught:
        named(corpus_store, "owes", party=INJECTION)
    assert str(caught.value).startswith("no such party") and "\n" not in str(caught.value)
    assert len(corpus_store) == before


@pytest.mark.model
def test_injection_through_a_text_parameter(corpus_store):
    before = len(corpus_store)
    assert named(corpus_store, "mentions", phrase=INJECTION) == []
    assert len(corpus_store) == before


@pytest.mark.model
def test_parameters_are_checked(corpus_store):
    with pytest.raises(QueryError, match="needs --party"):
        run_named(corpus_store, "owes", {})
    with pytest.raises(QueryError, match="takes --party, not --phrase"):
        run_named(corpus_store, "owes", {"party": "DH", "phrase": "x"})


@pytest.mark.model
def test_update_refused_on_the_corpus(corpus_store):
    before = len(corpus_store)
    with pytest.raises(UpdateRefused):
        execute(corpus_store, "PREFIX obl: <https://w3id.org/obligraph/ns#>\nDELETE WHERE { ?c a obl:Commitment }")
    assert len(corpus_store) == before


@pytest.mark.model
def test_timeout_ends_a_cross_join_over_the_corpus(corpus_store, corpus_disk):
    for store, text in ((corpus_store, SLOW_STREAMING), (corpus_disk, SLOW_BLOCKING)):
        start = time.monotonic()
        with pytest.raises(QueryTimeout, match="stopped"):
            execute(store, text, timeout=1.5, limit=None)
        assert time.monotonic() - start < 6


def _unordered(rows: list[dict]) -> list[dict]:
    # GROUP_CONCAT's order is unspecified (SPARQL 1.1, section 18.5.1.7): compare its lists as sets.
    lists = ("owners", "counterparts", "how")
    return [{k: frozenset(v.replace(", ", "; ").split("; ")) if k in lists and v else v for k, v in r.items()}
            for r in rows]


@pytest.mark.model
def test_disk_and_memory_agree(corpus_store, corpus_disk):
    for query in ("owes", "no-governance", "timeline"):
        values = {"party": "NHS England"} if query == "owes" else {}
        disk = table(run_named(corpus_disk, query, values))
        assert _unordered(disk) == _unordered(named(corpus_store, query, **values))


# --- the command line --------------------------------------------------------------------------------
def test_cli_queries_lists_every_named_query():
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0
    for q in named_queries():
        assert q.name in result.output
    assert "owes --party PARTY" in result.output and "mentions --phrase TEXT" in result.output
    data = json.loads(CliRunner().invoke(main, ["queries", "--format", "json"]).output)
    assert {d["name"] for d in data} >= REQUIRED
    full = CliRunner().invoke(main, ["queries", "owes"])
    assert full.exit_code == 0 and "org:memberOf" in full.output
    assert CliRunner().invoke(main, ["queries", "nope"]).exit_code == 2


@pytest.mark.model
def test_cli_named_query_with_party(corpus_disk):
    store = str(corpus_disk.location)
    result = CliRunner().invoke(main, ["query", "owes", "--party", "NHS England", "--store", store, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert any(ALLOCATIONS in r["text"] and r["how"] == "direct" for r in rows)
    same = CliRunner().invoke(main, ["query", "owes", "-p", "party=NHSE", "--store", store, "--format", "json"])
    assert json.loads(same.output)["rows"] == rows
    csv_out = CliRunner().invoke(main, ["query", "mentions", "--phrase", "estates", "--store", store,
                                        "--format", "csv"])
    assert csv_out.exit_code == 0 and csv_out.output.splitlines()[0].startswith("owners,")


@pytest.mark.model
def test_cli_errors_are_one_line(corpus_disk):
    store = str(corpus_disk.location)
    cases = [
        (["query", "owes", "--party", "NHS Englnd"], "close matches: NHS England"),
        (["query", "owes", "--party", INJECTION], "no such party"),
        (["query", "owes"], "needs --party"),
        (["query", "owez"], "did you mean owes"),
        (["query", "DROP ALL"], "read-only"),
        (["query", SLOW_BLOCKING, "--timeout", "1"], "longer than 1 s and was stopped"),
    ]
    for args, message in cases:
        result = CliRunner().invoke(main, [*args, "--store", store])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr


@pytest.mark.model
def test_cli_ad_hoc_from_file_and_stdin_with_limit(corpus_disk, tmp_path):
    store = str(corpus_disk.location)
    q = tmp_path / "q.rq"
    q.write_text("SELECT ?c WHERE { ?c a obl:Commitment }", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "--file", str(q), "--store", store, "--limit", "3", "--format", "csv"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 4
    assert "showing the first 3 rows" in result.stderr
    piped = CliRunner().invoke(main, ["query", "-", "--store", store, "--format", "csv"],
                               input="ASK { ?c a obl:Commitment }")
    assert piped.exit_code == 0 and piped.stdout.splitlines() == ["result", "true"]
    bound = CliRunner().invoke(main, ["query", "SELECT ?party ?l WHERE { ?party skos:prefLabel ?l }",
                                      "--party", "DH", "--store", store, "--format", "csv"])
    assert bound.exit_code == 0 and "Department of Health" in bound.stdout
