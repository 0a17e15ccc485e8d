"""End to end on the corpus: real content, read back from the graph."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import AGREEMENT, CORPUS


def find(records, pattern):
    hits = [r for r in records if re.search(pattern, re.sub(r"\s+", " ", r["text"]))]
    assert hits, pattern
    return hits


@pytest.mark.model
def test_nhs_england_owns_indicative_multi_year_allocations(corpus_records):
    (rec,) = find(corpus_records, r"^Government and NHS England commit to publishing indicative multi-year allocations")
    assert set(rec["owners"]) == {"Government", "NHS England"}
    assert rec["counterparts"] == ["London CCGs"]
    assert rec["modality"] == "commitment"
    assert rec["conditions"] == ["subject to any central need for in-year flexibilities"]
    assert rec["theme"] == "System finances: payment mechanisms and provider support"


@pytest.mark.model
def test_in_return_in_capital_and_estates_answers_the_other_side(corpus_records):
    (ret,) = find(corpus_records, r"^In return, London Partners agree to share and deploy")
    by_id = {r["id"]: r for r in corpus_records}
    targets = [by_id[t] for t in ret["reciprocal_of"]]
    assert len(targets) >= 4
    assert all(t["theme"] == "Capital and estates" for t in targets)
    assert all("London Partners" not in t["owners"] for t in targets)
    assert any("Seeking to agree how best to align capital programmes" in t["text"] for t in targets)


@pytest.mark.model
def test_bullets_inherit_the_owner_of_their_lead_in(corpus_records):
    recs = find(corpus_records, r"^(increasing value|reinvesting disposal|taking fixed costs|significantly improving|identifying joint)")
    assert len(recs) == 5
    assert all(r["owners"] == ["London Partners"] for r in recs)
    assert all(r["counterparts"] == ["national bodies"] for r in recs)  # the other side, inferred


@pytest.mark.model
def test_background_and_descriptions_are_not_commitments(corpus_records):
    texts = " ".join(r["text"] for r in corpus_records)
    assert "In July 2014, the London Enterprise Panel" not in texts  # past event
    assert "Working Capital will support" not in texts  # a programme, not a party
    assert "London will be able to access" not in texts  # an entitlement
    assert "This Devolution Programme Board will provide" not in texts  # what a board does


@pytest.mark.model
def test_governance_stated_and_inferred(corpus_records):
    (estates,) = find(corpus_records, r"^London Partners will work with and through the six newly established")
    assert estates["governance"] == [{"body": "Strategic Partnership Group sub-regional estates boards", "inferred": False}]
    assert "up to 2021" not in estates["deadlines"]  # stated in the next sentence, about the plans
    (hee,) = find(corpus_records, r"^Health Education England \(HEE\) commits")
    assert hee["governance"] == [{"body": "London Health and Social Care Devolution Programme Board", "inferred": True}]
    assert hee["modality"] == "exploration"


@pytest.mark.model
def test_every_quote_slices_back_from_the_source(corpus_records):
    text = AGREEMENT.read_text(encoding="utf-8")
    for r in corpus_records:
        if r["document"] == AGREEMENT.name:
            assert text[r["start"] : r["end"]] == r["text"]


@pytest.mark.model
def test_conditions_and_deadlines(corpus_records):
    (nhse,) = find(corpus_records, r"^NHS England commits to having discussions")
    assert "subject to the production of strategic sustainability plans for London" in nhse["conditions"]
    assert any(c.startswith("once progress has been demonstrated") for c in nhse["conditions"])
    (nwl,) = find(corpus_records, r"^North West London will progress")
    assert nwl["deadlines"] == ["from 2017"]


def _dump_without_run(store) -> bytes:
    """The store as TriG, without the run-metadata graph (it holds the build time)."""
    from graph.namespace import RUN_GRAPH
    from graph.store import memory_store

    copy = memory_store()
    copy.oxigraph().bulk_extend(q for q in store.quads() if q.graph_name != ox.NamedNode(str(RUN_GRAPH)))
    return copy.dump(ox.RdfFormat.TRIG)


@pytest.mark.model
@pytest.mark.slow
def test_two_worker_processes_build_the_same_graph(nlp, corpus_store, tmp_path):
    from graph.pipeline import build

    seen = []
    result, store = build([CORPUS], tmp_path / "store", nlp=nlp, jobs=2, on_document=lambda p: seen.append(p.document.doc_id))
    assert result.rebuilt == 2 and seen == sorted(seen)  # in document order
    assert _dump_without_run(store) == _dump_without_run(corpus_store)  # corpus_store: one process


@pytest.mark.parametrize("jobs", ["0", "-1"])
def test_build_refuses_fewer_than_one_job(jobs, tmp_path):
    from graph.cli import main

    result = CliRunner().invoke(main, ["build", str(CORPUS), "--store", str(tmp_path / "s"), "--jobs", jobs])
    assert result.exit_code == 2
    assert "--jobs" in result.output
    assert not (tmp_path / "s").exists()


def test_a_party_two_documents_define_keeps_each_documents_evidence(nlp, tmp_path):
    """Each document's evidence for a party it defines stays its own: shared evidence
    nodes paired one document's quote with the other's offsets and source."""
    from graph.check import load_shapes, validate
    from graph.pipeline import build

    folder = tmp_path / "docs"
    folder.mkdir()
    name = "the Harbour Development Agency"
    (folder / "a.txt").write_text(f"Ports\n\n{name} will publish a port plan by March 2027.\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"Coastal towns and their harbours\n\nIn return, {name} will fund two berths by 2028.\n",
                                  encoding="utf-8")
    _, store = build([folder], "memory", nlp=nlp, quiet=True)
    party = ox.NamedNode("https://w3id.org/obligraph/id/party/harbour-development-agency")
    evidence = {q.object for q in store.oxigraph().quads_for_pattern(party, ox.NamedNode(
        "https://w3id.org/obligraph/ns#evidence"), None)}
    assert len(evidence) == 2  # one per document
    for ev in evidence:
        selectors = {q.object for q in store.oxigraph().quads_for_pattern(ev, ox.NamedNode(
            "http://www.w3.org/ns/oa#hasSelector"), None)}
        assert len(selectors) == 2  # its own position and quote
    findings = validate(store, load_shapes(), "sparql").findings
    assert not [f for f in findings if f.rule_id == "OBL-011"]


def _described(store, party: ox.NamedNode) -> dict[str, int]:
    """How many triples describe a party (its label, kind, class...), by named graph."""
    counts: dict[str, int] = {}
    for q in store.oxigraph().quads_for_pattern(party, None, None):
        if q.predicate.value != "https://w3id.org/obligraph/ns#evidence":
            counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
    return counts


def test_a_party_many_documents_find_is_described_once_and_follows_its_documents(nlp, tmp_path):
    """A found party is described once, in the parties graph, however many documents
    name it; an incremental build keeps it while one document still names it and
    drops it with the last one."""
    from graph.namespace import PARTIES_GRAPH
    from graph.pipeline import build

    folder = tmp_path / "docs"
    folder.mkdir()
    name = "the Harbour Development Agency"
    (folder / "a.txt").write_text(f"Ports\n\n{name} will publish a port plan by March 2027.\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"Harbours\n\nIn return, {name} will fund two berths by 2028.\n", encoding="utf-8")
    party = ox.NamedNode("https://w3id.org/obligraph/id/party/harbour-development-agency")
    _, memory = build([folder], "memory", nlp=nlp, quiet=True)
    described = _described(memory, party)
    assert list(described) == [str(PARTIES_GRAPH)]
    label = list(memory.oxigraph().quads_for_pattern(party, ox.NamedNode(
        "http://www.w3.org/2004/02/skos/core#prefLabel"), None))
    assert [q.object.value for q in label] == ["Harbour Development Agency"]

    store = tmp_path / "store"
    _, opened = build([folder], store, nlp=nlp, quiet=True)
    assert _described(opened, party) == described
    del opened
    (folder / "a.txt").write_text("Ports\n\nThe council will publish a port plan by March 2027.\n", encoding="utf-8")
    result, opened = build([folder], store, nlp=nlp, quiet=True)
    assert result.rebuilt == 1  # b.txt is not read again, yet its party stays described
    assert _described(opened, party) == described
    del opened
    (folder / "b.txt").unlink()
    _, opened = build([folder], store, nlp=nlp, quiet=True)
    assert _described(opened, party) == {}
