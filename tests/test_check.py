"""The rule catalogue, both check engines and the report formats.

Rule tests follow the W3C data-shapes test suite: ``tests/shapes/manifest.ttl``
lists, for every rule, a valid and a broken change to the valid agreement
``tests/shapes/base.trig`` and the report each must give. Findings are
compared by rule ID, focus node and severity, never by message text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from graph.check import (
    SHAPES,
    Rule,
    Unsupported,
    compile_shapes,
    load_shapes,
    meta_validate,
    path_to_sparql,
    rules,
    validate,
)
from graph.errors import ShapesError
from graph.report import Finding, Report, exit_code
from graph.store import GraphStore, memory_store

HERE = Path(__file__).resolve().parent / "shapes"
SH = Namespace("http://www.w3.org/ns/shacl#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
OBT = Namespace("https://w3id.org/obligraph/test#")
ID = "https://w3id.org/obligraph/id/"
SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


# --- fixtures ----------------------------------------------------------------
@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def store_with(*changes: str) -> GraphStore:
    """The valid base agreement, changed by SPARQL Updates."""
    store = memory_store()
    store.oxigraph().bulk_extend(ox.parse(path=str(HERE / "base.trig"), format=ox.RdfFormat.TRIG))
    for change in changes:
        store.oxigraph().update(change)
    return store


def _manifest() -> list[tuple[str, Path, set[tuple[str, str, str]]]]:
    g = Graph().parse(HERE / "manifest.ttl", publicID=(HERE / "manifest.ttl").as_uri())
    cases = []
    for entry in g.items(g.value(URIRef((HERE / "manifest.ttl").as_uri()), MF.entries)):
        action, result = g.value(entry, MF.action), g.value(entry, MF.result)
        change = Path(URIRef(g.value(action, OBT.change)).replace("file://", ""))
        expected = {
            (str(g.value(r, SH.sourceShape)).split("#")[1], str(g.value(r, SH.focusNode)),
             SEVERITY[g.value(r, SH.resultSeverity)])
            for r in g.objects(result, SH.result)
        }
        assert g.value(result, SH.conforms) == Literal(not expected)
        cases.append((str(entry).split("#")[1], change, expected))
    return cases


CASES = _manifest()


def found(report: Report) -> set[tuple[str, str, str]]:
    return {(f.rule_id, f.focus, f.severity) for f in report.findings}


def exact(report: Report) -> list[tuple[str, str, str, str]]:
    return sorted((f.rule_id, f.focus, f.severity, f.value or "") for f in report.findings)


# --- the catalogue -------------------------------------------------------------
def test_shapes_pass_meta_shacl(shapes):
    import pyshacl

    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text
    meta_validate(shapes)


def test_catalogue_has_stable_ids_and_plain_metadata(shapes):
    catalogue = rules(shapes)
    ids = [r.rule_id for r in catalogue]
    assert ids == sorted(set(ids))
    for r in catalogue:
        assert re.fullmatch(r"OBL-\d{3}", r.rule_id)
        assert r.shape == str(SHAPES[r.rule_id])
        assert r.severity in ("violation", "warning", "info")
        assert r.name and r.message and r.description
    retired = [r for r in catalogue if not r.active]
    assert [r.rule_id for r in retired] == ["OBL-090"]


def test_every_active_rule_has_a_valid_and_a_broken_example(shapes):
    names = {name for name, _, _ in CASES}
    for r in rules(shapes):
        if r.active:
            assert {f"{r.rule_id}-valid", f"{r.rule_id}-broken"} <= names, r.rule_id


def test_bundled_rules_all_compile_to_sparql(shapes):
    queries = compile_shapes(shapes)
    assert {q.rule.rule_id for q in queries} == {r.rule_id for r in rules(shapes) if r.active}


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_base_agreement_conforms(shapes, engine):
    report = validate(store_with(), shapes, engine)
    assert report.conforms, report.to_text()
    assert report.engine == engine


# --- each rule: a valid and a broken example -----------------------------------
@pytest.mark.parametrize("name,change,expected", CASES, ids=[c[0] for c in CASES])
def test_rule_example(shapes, name, change, expected):
    report = validate(store_with(change.read_text(encoding="utf-8")), shapes, "sparql")
    assert found(report) == expected
    if name.endswith("-broken"):
        assert expected and {rule for rule, _, _ in expected} == {name.rsplit("-", 1)[0]}


@pytest.mark.parametrize("name,change,expected", CASES, ids=[c[0] for c in CASES])
def test_engines_agree(shapes, name, change, expected):
    store = store_with(change.read_text(encoding="utf-8"))
    sparql, pyshacl = validate(store, shapes, "sparql"), validate(store, shapes, "pyshacl")
    assert exact(sparql) == exact(pyshacl)
    assert found(pyshacl) == expected


def test_target_class_includes_subclasses(shapes):
    store = store_with("""
        PREFIX obl: <https://w3id.org/obligraph/ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        INSERT DATA { GRAPH <https://w3id.org/obligraph/graph/ontology> {
            <https://example.org/ns#PilotCommitment> rdfs:subClassOf obl:Commitment } } ;
        DELETE DATA { GRAPH <https://w3id.org/obligraph/graph/doc/demo> {
            <https://w3id.org/obligraph/id/doc/demo/c/c5> a obl:Commitment ;
                obl:owner <https://w3id.org/obligraph/id/party/department-of-health>,
                          <https://w3id.org/obligraph/id/party/london-partners> } } ;
        INSERT DATA { GRAPH <https://w3id.org/obligraph/graph/doc/demo> {
            <https://w3id.org/obligraph/id/doc/demo/c/c5> a <https://example.org/ns#PilotCommitment> } }
    """)
    expected = {("OBL-001", ID + "doc/demo/c/c5", "violation")}
    for engine in ("sparql", "pyshacl"):
        report = validate(store, shapes, engine)
        assert found(report) == expected
        assert report.findings[0].section == "Capital and estates"  # still traced to its text


def test_a_deactivated_rule_raises_nothing(shapes):
    # The base agreement has joint commitments, which the retired OBL-090 reported.
    store = store_with()
    assert not [f for f in validate(store, shapes).findings if f.rule_id == "OBL-090"]
    revived = Graph() + shapes
    revived.remove((SHAPES["OBL-090"], SH.deactivated, None))
    for engine in ("sparql", "pyshacl"):
        hits = {f.focus for f in validate(store, revived, engine).findings if f.rule_id == "OBL-090"}
        assert hits == {ID + "doc/demo/c/c5", ID + "doc/demo/c/c6"}


# --- user shapes ---------------------------------------------------------------
LOCAL_RULE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix obl: <https://w3id.org/obligraph/ns#> .
@prefix local: <https://example.org/rules#> .
local:LOCAL-001 a sh:PropertyShape ;
    sh:name "Commitments are found by the bullet rule" ;
    sh:description "A local policy for this test." ;
    sh:message "This commitment was not found by the bullet rule." ;
    sh:severity sh:Info ;
    sh:targetClass obl:Commitment ;
    sh:path obl:rule ;
    sh:hasValue "R-bullet" .
"""


def test_user_shapes_dir_adds_a_rule(shapes, tmp_path):
    (tmp_path / "local.ttl").write_text(LOCAL_RULE, encoding="utf-8")
    extended = load_shapes([tmp_path])
    local = [r for r in rules(extended) if r.rule_id == "LOCAL-001"]
    assert local == [Rule("LOCAL-001", "Commitments are found by the bullet rule", "info",
                          "This commitment was not found by the bullet rule.", "A local policy for this test.",
                          True, "https://example.org/rules#LOCAL-001")]
    for engine in ("sparql", "pyshacl"):
        report = validate(store_with(), extended, engine)
        assert {f.rule_id for f in report.findings} == {"LOCAL-001"}
        assert len(report.findings) == 6
    assert exit_code(report, "violation") == 0 and exit_code(report, "info") == 1


def test_shapes_outside_the_sparql_subset_run_on_pyshacl(tmp_path):
    (tmp_path / "pattern.ttl").write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix obl: <https://w3id.org/obligraph/ns#> .
        <https://example.org/rules#LOCAL-002> a sh:PropertyShape ;
            sh:message "The rule name is not in house style." ;
            sh:targetClass obl:Commitment ; sh:path obl:rule ; sh:pattern "^R-bullet$" .
    """, encoding="utf-8")
    extended = load_shapes([tmp_path])
    with pytest.raises(Unsupported):
        compile_shapes(extended)
    report = validate(store_with(), extended)
    assert report.engine == "pyshacl"
    assert {f.rule_id for f in report.findings} == {"LOCAL-002"}
    with pytest.raises(ShapesError, match="sparql engine"):
        validate(store_with(), extended, "sparql")


def test_bad_turtle_names_file_and_line(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<urn:x> a sh:NodeShape\n<urn:y> a sh:NodeShape .\n")
    with pytest.raises(ShapesError, match=r"broken\.ttl: line 4: not valid Turtle"):
        load_shapes([tmp_path])


def test_invalid_shacl_and_empty_dirs_are_errors(tmp_path):
    with pytest.raises(ShapesError, match="no shapes"):
        load_shapes([tmp_path])
    (tmp_path / "bad.ttl").write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/rules#LOCAL-003> a sh:PropertyShape ;
            sh:targetClass <urn:C> ; sh:path <urn:p> ; sh:minCount "one" .
    """)
    with pytest.raises(ShapesError, match="not valid SHACL"):
        load_shapes([tmp_path])


def test_paths_compile_to_sparql_property_paths():
    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> .
        ex:s sh:path ( ex:a [ sh:alternativePath ( ex:b [ sh:inversePath ex:c ] ) ] [ sh:zeroOrMorePath ex:d ] ) .
    """, format="turtle")
    path = g.value(URIRef("http://ex/s"), SH.path)
    assert path_to_sparql(g, path) == "(<http://ex/a>/(<http://ex/b>|^(<http://ex/c>))/(<http://ex/d>)*)"


# --- where findings are ------------------------------------------------------------
def test_findings_are_traced_to_their_text(shapes):
    text = (HERE / "base.trig").read_text(encoding="utf-8")
    source = text.split('rdf:value """', 1)[1].split('"""', 1)[0]
    changes = [(HERE / f"{n}.broken.ru").read_text() for n in ("OBL-011", "OBL-021", "OBL-040", "OBL-032", "OBL-031")]
    report = validate(store_with(*changes), shapes)
    by_rule = {f.rule_id: f for f in report.findings}
    # A mention's evidence is reported with its commitment's sentence.
    f = by_rule["OBL-011"]
    assert f.focus == ID + "doc/demo/c/c4/mention/governance/programme-board"
    assert (f.document, f.section, f.line) == ("demo_agreement.txt", "Workforce", 11)
    assert f.quote == source[f.start:f.end] == "The Mayor of London will convene a workforce summit \u2014 reporting to the Programme Board."
    assert by_rule["OBL-021"].line == 5 and by_rule["OBL-021"].value == "2014-12-31"
    assert (by_rule["OBL-040"].quote, by_rule["OBL-040"].line) == ("Workforce", 9)
    assert by_rule["OBL-032"].document == "demo_agreement.txt" and by_rule["OBL-032"].quote is None
    assert by_rule["OBL-031"].document is None  # a register party
    assert "London Partners is said to have 32 members, but 2 are listed." == by_rule["OBL-031"].message
    # Sorted by document, section, position, rule; findings outside documents last.
    assert [f.rule_id for f in report.findings] == ["OBL-032", "OBL-021", "OBL-040", "OBL-011", "OBL-031"]
    assert report.texts["demo_agreement.txt"] == source


# --- report formats ---------------------------------------------------------------
@pytest.fixture(scope="module")
def broken_report(shapes) -> Report:
    changes = [(HERE / f"{n}.broken.ru").read_text() for n in ("OBL-002", "OBL-005", "OBL-032")]
    return validate(store_with(*changes), shapes)


def test_text_report_groups_and_quotes(broken_report):
    text = broken_report.to_text()
    assert text.startswith("obligraph check: 1 violation, 1 warning, 1 info")
    assert "demo_agreement.txt\n  (no section)\n    OBL-032 info:" in text
    assert "  Workforce\n" in text
    assert '"The Mayor of London will convene a workforce summit \u2014 reporting to the Programme Board."' in text
    assert "line 11, characters 407-494" in text
    assert "Care Quality Commission makes this commitment but is not a party to the agreement." in text


def test_json_report(broken_report):
    data = json.loads(broken_report.to_json())
    assert data["conforms"] is False and data["engine"] == "sparql"
    assert data["counts"] == {"violation": 1, "warning": 1, "info": 1}
    first = {f["rule_id"]: f for f in data["findings"]}["OBL-002"]
    assert (first["line"], first["start"], first["end"], first["severity"]) == (11, 407, 494, "violation")
    assert {r["rule_id"] for r in data["rules"]} >= {"OBL-001", "OBL-090"}


def test_turtle_report_is_a_shacl_validation_report(broken_report):
    g = Graph().parse(data=broken_report.to_turtle(), format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms) == Literal(False)
    results = list(g.objects(report, SH.result))
    assert len(results) == 3
    shapes_seen = {g.value(r, SH.sourceShape) for r in results}
    assert shapes_seen == {SHAPES["OBL-002"], SHAPES["OBL-005"], SHAPES["OBL-032"]}
    for r in results:
        assert (r, RDF.type, SH.ValidationResult) in g
        assert g.value(r, SH.focusNode) and g.value(r, SH.resultSeverity) and g.value(r, SH.resultMessage)


def test_turtle_report_of_a_conforming_graph(shapes):
    g = Graph().parse(data=validate(store_with(), shapes).to_turtle(), format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms) == Literal(True)
    assert not list(g.objects(report, SH.result))


HOSTILE = '<script>alert(1)</script> "onerror=alert(2) </style><img src=x onerror=alert(3)>'


def test_html_escapes_document_text():
    text = f"Heading\nThe board will {HOSTILE} by 2020.\n"
    start = text.index("The board")
    end = text.index("\n", start)
    finding = Finding(
        rule_id="OBL-005", severity="warning", message=f"{HOSTILE} makes this commitment but is not a party.",
        focus=ID + "doc/x/c/1", document=f"{HOSTILE}.txt", section=HOSTILE, quote=text[start:end],
        start=start, end=end, line=2, value=HOSTILE,
    )
    page = Report((finding,), engine="sparql", texts={f"{HOSTILE}.txt": text}).to_html()
    assert "<script>" not in page and "</style><img" not in page and '"onerror' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>The board will &lt;script&gt;" in page
    assert page.count("<style>") == 1 and page.count("</style>") == 1
    assert "<img" not in page
    # Self-contained: no scripts, and no tag that loads anything.
    assert not re.search(r"<(script|link|iframe|img)\b|<[^>]*\b(src|href)=", page)


def test_html_report_of_a_graph(broken_report, shapes):
    page = broken_report.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert '<span class="n">1</span> violation' in page and '<span class="n">1</span> warning' in page
    assert "<h2>demo_agreement.txt</h2>" in page and "<h3>Workforce</h3>" in page
    assert "<mark>The Mayor of London will convene a workforce summit \u2014 reporting to the Programme Board.</mark>" in page
    # A hostile party name reaches the page through a message placeholder.
    store = store_with("""INSERT DATA { GRAPH <https://w3id.org/obligraph/graph/doc/demo> {
        <https://w3id.org/obligraph/id/party/evil> a <https://w3id.org/obligraph/ns#Party> ;
            <http://www.w3.org/2004/02/skos/core#prefLabel> "<script>alert(1)</script>" ;
            <https://w3id.org/obligraph/ns#discovered> true } }""")
    page = validate(store, shapes).to_html()
    assert "<script>" not in page and "&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; is referred to" in page


# --- exit codes ----------------------------------------------------------------------
def _report(*severities: str) -> Report:
    return Report(tuple(Finding(f"OBL-{i:03d}", s, "m", f"urn:x:{i}") for i, s in enumerate(severities)))


@pytest.mark.parametrize("severities,fail_on,code", [
    ((), "violation", 0), ((), "info", 0),
    (("info",), "violation", 0), (("info",), "warning", 0), (("info",), "info", 1),
    (("warning",), "violation", 0), (("warning",), "warning", 1), (("warning",), "info", 1),
    (("violation",), "violation", 1), (("violation",), "warning", 1), (("violation",), "info", 1),
    (("info", "warning"), "violation", 0),
])
def test_fail_on(severities, fail_on, code):
    assert exit_code(_report(*severities), fail_on) == code


def test_fail_on_rejects_unknown_levels():
    with pytest.raises(ValueError):
        exit_code(_report(), "error")
    assert _report().conforms and not _report("info").conforms


# --- the corpus ---------------------------------------------------------------------
@pytest.mark.model
def test_engines_agree_on_the_corpus(corpus_store, shapes):
    sparql = validate(corpus_store, shapes, "sparql")
    pyshacl = validate(corpus_store, shapes, "pyshacl")
    assert exact(sparql) == exact(pyshacl)
    assert sparql.findings, "the corpus is expected to raise at least the inferred-governance warnings"
    for f in sparql.findings:
        if f.rule_id not in ("OBL-030", "OBL-031"):  # register groups belong to no document
            assert f.document, f
        if f.start is not None:
            assert sparql.texts[f.document][f.start:f.end] == f.quote
