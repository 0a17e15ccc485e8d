"""Consistency across documents: names, counts, a summary against its source, signatories."""

from __future__ import annotations

import json
import multiprocessing
import re
from pathlib import Path

import pytest

from conftest import AGREEMENT, ANNOUNCEMENT

from graph.consistency import (
    ConsistencyFinding,
    check_graph,
    consistency_findings,
    consistency_rules,
    report_findings,
    similar_names,
    with_consistency,
)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def of(findings, rule_id):
    return [f for f in findings if f.rule_id == rule_id]


def texts_of(store) -> dict[str, str]:
    rows = store.select("SELECT ?f ?text WHERE { ?a obl:fileName ?f ; obl:sourceText/rdf:value ?text }")
    return {r["f"]: r["text"] for r in rows}


def edited_corpus(tmp_path: Path, edits: dict[Path, list[tuple[str, str]]]) -> Path:
    """A copy of the corpus with some replacements made (each must match exactly once)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for src in (AGREEMENT, ANNOUNCEMENT):
        text = src.read_text(encoding="utf-8")
        for old, new in edits.get(src, []):
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        (folder / src.name).write_text(text, encoding="utf-8")
    return folder


# --- names, without the model ------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Work and Health Unit", "Joint Health and Work Unit"),
        ("Strategic Planning Groups", "Strategic Partnership Groups"),
        ("the Health and Work Unit", "Work and Health Unit"),
        ("Holford District Council", "Holfrod District Council"),  # a slip in the place's name
    ],
)
def test_similar_names(a, b):
    assert similar_names(a, b)
    assert similar_names(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("London Health Board", "London Health Commission"),  # different heads
        ("Clinical Commissioning Groups", "London Clinical Commissioning Groups"),  # just a longer form
        ("Devolution Programme Board", "London Health and Social Care Devolution Programme Board"),
        ("London Partners", "london partners"),  # case only
        ("Local Authorities", "London Boroughs"),  # different words: an alias, not a slip
        ("Better Health for London", "London Health Board"),
        ("Department of Health", "Department for Work and Pensions"),
        ("Holford District Council", "Ockwell District Council"),  # two councils of one kind
        ("Camden Clinical Commissioning Group", "Islington Clinical Commissioning Group"),
    ],
)
def test_not_similar_names(a, b):
    assert not similar_names(a, b)


def test_rule_ids_do_not_collide_with_the_shapes_catalogue():
    from graph.check import load_shapes, rules

    ours = {r.rule_id for r in consistency_rules()}
    assert len(ours) == 8
    assert not ours & {r.rule_id for r in rules(load_shapes())}
    assert {r.severity for r in consistency_rules()} <= {"warning", "info"}


# --- the real corpus ---------------------------------------------------------------
@pytest.fixture(scope="module")
def findings(corpus_store) -> list[ConsistencyFinding]:
    return consistency_findings(corpus_store)


@pytest.mark.model
def test_every_side_quotes_its_source_exactly(findings, corpus_store):
    texts = texts_of(corpus_store)
    assert findings
    for f in findings:
        assert f.severity in ("warning", "info")
        assert len(f.sides) == 2, f
        for side in f.sides:
            if side.document is None:  # the party register
                continue
            text = texts[side.document]
            assert text[side.start : side.end] == side.quote
            assert side.line == text.count("\n", 0, side.start) + 1


@pytest.mark.model
def test_strategic_planning_groups_against_strategic_partnership_group(findings):
    (f,) = [f for f in of(findings, "OBL-102") if "Strategic Planning Groups" in f.left.quote]
    assert f.left.note == "footnote 6"
    assert f.left.document == AGREEMENT.name
    assert flat(f.right.quote) == "Strategic Partnership Group sub-regional estates boards"
    assert f.right.section == "Capital and estates"
    assert f.right.line < f.left.line


@pytest.mark.model
def test_work_and_health_unit_against_joint_health_and_work_unit(findings):
    (f,) = of(findings, "OBL-101")
    assert {f.left.quote, f.right.quote} == {"Joint Health and Work Unit", "Work and Health Unit"}
    assert {f.left.section, f.right.section} == {"Employment and health", "PARTIES"}
    assert "Work and Health Unit" in f.message


@pytest.mark.model
def test_five_pilots_with_two_in_one_item_is_no_false_alarm(findings):
    # "The five pilots are:" lists four items, one of them "(2 pilots)": five in all.
    assert of(findings, "OBL-103") == []
    assert of(findings, "OBL-104") == []


@pytest.mark.model
def test_deficit_funding_claim_is_stronger_than_the_agreement(findings):
    (f,) = of(findings, "OBL-106")
    assert f.left.document == ANNOUNCEMENT.name
    assert flat(f.left.quote) == "the provision of deficit funding to NHS providers"
    assert f.right.document == AGREEMENT.name
    assert f.right.section == "System finances: payment mechanisms and provider support"
    assert "will explore" in f.right.quote and "provider cash" in flat(f.right.quote)
    assert "explore" in f.message


@pytest.mark.model
def test_the_announcements_claims_are_supported(findings):
    assert of(findings, "OBL-105") == []


@pytest.mark.model
def test_sections_the_announcement_leaves_out(findings):
    left_out = {f.left.section for f in of(findings, "OBL-107")}
    assert "Governance arrangements and accountability" in left_out
    # Every section the announcement's bullets name is covered.
    for covered in ("Capital and estates", "System finances: payment mechanisms and provider support",
                    "Provider regulation and inspection", "Workforce and skills", "Transformation", "Public health",
                    "Employment and health"):
        assert covered not in left_out
    for f in of(findings, "OBL-107"):
        assert f.severity == "info"
        assert f.right.document == ANNOUNCEMENT.name
        assert "agreement with London" in f.right.quote


@pytest.mark.model
def test_signatories_named_differently(findings):
    by_quote = {f.left.quote: f for f in of(findings, "OBL-108")}
    assert by_quote["The Chancellor"].right.quote == "HM Treasury"
    assert by_quote["Secretary of State for Health"].right.quote == "Department of Health"
    assert all(f.severity == "info" for f in by_quote.values())


@pytest.mark.model
def test_check_report_gains_the_findings(findings, corpus_store):
    from graph.check import load_shapes, validate

    report = with_consistency(validate(corpus_store, load_shapes()), corpus_store)
    ids = {f.rule_id for f in report.findings}
    assert {"OBL-101", "OBL-102", "OBL-106"} <= ids
    assert {"OBL-101", "OBL-108"} <= {r.rule_id for r in report.rules}
    data = json.loads(report.to_json())
    mine = [f for f in data["findings"] if f["rule_id"] == "OBL-101"]
    assert mine and mine[0]["line"] and mine[0]["value"]  # the other side, quoted
    page = report.to_html()
    assert "Joint Health and Work Unit" in page
    assert len(report_findings(findings)) == len(findings)


@pytest.mark.model
def test_the_whole_check_with_the_rules_in_their_own_process_gives_the_same_report(nlp, tmp_path, monkeypatch):
    import graph.consistency as consistency
    from graph.check import load_shapes, validate
    from graph.pipeline import build

    _, stored = build([AGREEMENT, ANNOUNCEMENT], tmp_path / "store", nlp=nlp)
    shapes = load_shapes()
    one_after_the_other = with_consistency(validate(stored, shapes), stored)
    monkeypatch.setattr(consistency, "SIDE_BY_SIDE_FROM", 1)  # two documents: in a process of their own
    side_by_side = check_graph(stored, shapes)
    assert side_by_side.to_json() == one_after_the_other.to_json()
    assert side_by_side.to_text() == one_after_the_other.to_text()
    assert multiprocessing.active_children() == []


@pytest.mark.model
def test_an_error_in_the_rules_process_reaches_the_caller(nlp, tmp_path, monkeypatch):
    import graph.consistency as consistency
    from graph.check import load_shapes
    from graph.pipeline import build

    _, stored = build([ANNOUNCEMENT], tmp_path / "store", nlp=nlp)
    monkeypatch.setattr(consistency, "SIDE_BY_SIDE_FROM", 1)
    with pytest.raises(ValueError, match="engine must be one of"):
        check_graph(stored, load_shapes(), engine="no-such-engine")
    assert multiprocessing.active_children() == []


# --- edited copies -----------------------------------------------------------------
@pytest.mark.model
def test_a_wrong_count_before_a_list_is_flagged(nlp, tmp_path):
    from graph.pipeline import build_memory

    folder = edited_corpus(tmp_path, {ANNOUNCEMENT: [("The five pilots are:", "The six pilots are:")]})
    found = of(consistency_findings(build_memory([folder], nlp=nlp)), "OBL-103")
    assert len(found) == 1
    (f,) = found
    assert f.left.quote == "six pilots"
    assert f.right.quote.startswith("sub-regional transformation")
    assert flat(f.right.quote).endswith("prevention: Haringey")
    assert "says 6" in f.message and "names 5" in f.message and "(2 pilots)" in f.message


@pytest.mark.model
def test_a_list_that_lost_an_item_is_flagged_against_every_stated_count(nlp, tmp_path):
    from graph.pipeline import build_memory

    folder = edited_corpus(tmp_path, {ANNOUNCEMENT: [("  4. prevention: \u00a0Haringey\n", "")]})
    found = of(consistency_findings(build_memory([folder], nlp=nlp)), "OBL-103")
    quotes = sorted(f.left.quote.lower() for f in found)
    # "the five pilots" (line 20), "Five pilots are being established" (line 40), "The five pilots are:" (line 44)
    assert quotes == ["five pilots", "five pilots", "five pilots"]
    assert all("names 4" in f.message for f in found)


@pytest.mark.model
def test_a_group_counted_differently_across_documents_is_flagged(nlp, tmp_path):
    from graph.pipeline import build_memory

    folder = edited_corpus(tmp_path, {AGREEMENT: [("all 32 CCGs", "all 31 CCGs")]})
    (f,) = of(consistency_findings(build_memory([folder], nlp=nlp)), "OBL-103")
    assert f.left.quote == "31 CCGs" and f.left.document == AGREEMENT.name
    assert f.right.quote == "32 Clinical Commissioning Groups" and f.right.document == ANNOUNCEMENT.name


@pytest.mark.model
def test_an_unsupported_claim_is_flagged(nlp, tmp_path):
    from graph.pipeline import build_memory

    folder = edited_corpus(tmp_path, {ANNOUNCEMENT: [
        ("  • devolving transformation funding\n",
         "  • devolving transformation funding\n  • free prescriptions for every Londoner\n"),
    ]})
    (f,) = of(consistency_findings(build_memory([folder], nlp=nlp)), "OBL-105")
    assert f.left.quote == "free prescriptions for every Londoner"
    assert f.right is not None and f.right.document == AGREEMENT.name  # the closest commitment, quoted


@pytest.mark.model
def test_a_document_as_long_as_the_agreement_is_not_read_as_its_summary(nlp, tmp_path):
    from graph.pipeline import build_memory

    # The announcement with a long closing note: it still names the agreement and
    # holds few commitments, but a summary is short, so its claims are not checked.
    note = "\n\nBackground\n\n" + "This note sets out the history of health services in London. " * 300 + "\n"
    folder = edited_corpus(tmp_path, {})
    path = folder / ANNOUNCEMENT.name
    path.write_text(path.read_text(encoding="utf-8") + note, encoding="utf-8")
    assert 2 * path.stat().st_size > AGREEMENT.stat().st_size
    findings = consistency_findings(build_memory([folder], nlp=nlp))
    assert not [f for f in findings if f.rule_id in ("OBL-105", "OBL-106", "OBL-107")]
    assert of(findings, "OBL-101")  # the other checks still run


@pytest.mark.model
def test_declared_member_count_against_the_members_recorded(nlp, tmp_path):
    from graph.pipeline import build_memory

    register = tmp_path / "extra.ttl"
    register.write_text("""
@prefix obl:  <https://w3id.org/obligraph/ns#> .
@prefix party: <https://w3id.org/obligraph/id/party/> .
@prefix kind: <https://w3id.org/obligraph/ns/kind/> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
party:estates-pilot-partners a obl:PartyGroup ; skos:prefLabel "Estates Pilot Partners" ;
    obl:partyKind kind:collective ; obl:declaredMemberCount 2 .
party:camden a obl:Party ; skos:prefLabel "Camden" ; obl:partyKind kind:place ;
    org:memberOf party:estates-pilot-partners .
party:enfield a obl:Party ; skos:prefLabel "Enfield" ; obl:partyKind kind:place ;
    org:memberOf party:estates-pilot-partners .
party:barnet a obl:Party ; skos:prefLabel "Barnet" ; obl:partyKind kind:place ;
    org:memberOf party:estates-pilot-partners .
""", encoding="utf-8")
    found = of(consistency_findings(build_memory([AGREEMENT], nlp=nlp, register_files=[register])), "OBL-104")
    (f,) = found
    assert f.severity == "warning"
    assert "Estates Pilot Partners" in f.message and "2 members" in f.message and "3 are recorded" in f.message
    assert f.right.note == "party register: members" and f.right.quote == "Barnet; Camden; Enfield"


# --- layouts kept by the build ------------------------------------------------------
@pytest.fixture(scope="module")
def stored_corpus(nlp, tmp_path_factory):
    from graph.pipeline import build

    folder = tmp_path_factory.mktemp("stored")
    _, stored = build([AGREEMENT, ANNOUNCEMENT], folder / "store", nlp=nlp)
    return stored


def _manifest(stored) -> Path:
    return Path(stored.database).with_suffix(".json")


@pytest.mark.model
def test_the_build_keeps_each_documents_layout_as_segmenting_gives_it(stored_corpus):
    from graph.ingest import read_document
    from graph.layout import Layout
    from graph.segment import segment

    manifest = json.loads(_manifest(stored_corpus).read_text(encoding="utf-8"))
    for path in (AGREEMENT, ANNOUNCEMENT):
        doc = read_document(path)
        entry = manifest[doc.doc_id]
        assert entry["sha256"] == doc.sha256
        kept = Layout.loads(entry["layout"])
        assert kept == Layout.of(segment(doc))
        assert any(p.kind == "list_item" and p.lead_in is not None for p in kept.passages)
        text = doc.text
        assert all(0 <= a < b <= len(text) for p in kept.passages for a, b in p.sentences)


@pytest.mark.model
def test_a_graph_built_in_memory_keeps_its_layouts_too(nlp, corpus_store, monkeypatch):
    import graph.consistency.corpus as corpus_module

    monkeypatch.setattr(corpus_module, "segment", lambda doc: pytest.fail(f"{doc.name} segmented again"))
    assert consistency_findings(corpus_store)


@pytest.mark.model
def test_check_reads_kept_layouts_and_segments_only_a_changed_text(stored_corpus, monkeypatch, tmp_path):
    import shutil

    import graph.consistency.corpus as corpus_module
    from graph.store import StoreFolder

    calls = []
    real = corpus_module.segment
    monkeypatch.setattr(corpus_module, "segment", lambda doc: calls.append(doc.name) or real(doc))
    kept = consistency_findings(stored_corpus)
    assert calls == []  # every layout came from the manifest

    # A copy of the store whose manifest lost one layout and names another text.
    copy = tmp_path / "copy"
    shutil.copytree(stored_corpus.location, copy)
    database = StoreFolder(copy).current
    manifest_path = database.with_suffix(".json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    (first, second) = sorted(manifest)
    del manifest[first]["layout"]
    manifest[second]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    again = consistency_findings(StoreFolder(copy).open())
    assert sorted(calls) == sorted([AGREEMENT.name, ANNOUNCEMENT.name])
    assert [repr(f) for f in again] == [repr(f) for f in kept]

    # A layout whose offsets run past its text, or that is not a layout at all, is not trusted either.
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    original = json.loads(_manifest(stored_corpus).read_text(encoding="utf-8"))
    layout = json.loads(original[first]["layout"])
    layout["passages"][-1][2] = 10**9
    manifest[first] = {**original[first], "layout": json.dumps(layout)}
    manifest[second] = {**original[second], "layout": "[1, 2"}
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    calls.clear()
    again = consistency_findings(StoreFolder(copy).open())
    assert sorted(calls) == sorted([AGREEMENT.name, ANNOUNCEMENT.name])
    assert [repr(f) for f in again] == [repr(f) for f in kept]
