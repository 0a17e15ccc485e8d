"""Turn one document's extraction into quads of its own named graph.

The parties a document finds that the register lacks are described in the
shared parties graph (:func:`discovered_quads`), once for all documents; the
document's graph keeps the evidence of where it names them.

IRIs are derived from content (document, section title, normalised quote,
ordinal), never from offsets or from what the extractor decided, so a better
extractor keeps the IRIs of the facts it already had right and two builds of
the same text are identical. Every node is an IRI: blank nodes would be
renamed on each build and break byte-identical serialisations.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from graph.extract import Extraction
from graph.model import Commitment, Party, PartyRef, Qualifier, Structure
from graph.namespace import (
    CONDITION_KIND, DEADLINE_KIND, ID, MODALITY, OA, OBL, ONTOLOGY_GRAPH, ORG, PARTIES_GRAPH, PARTY_KIND, PROV,
    REGISTER_GRAPH, ROLE, RUN_GRAPH, THEME, document_graph,
)
from graph.lexicon import theme_of

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_VALUE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
QUOTE_CONTEXT = 32


def _n(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _lit(value) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(f"{value:.2f}", datatype=ox.NamedNode(XSD + "decimal"))
    return ox.Literal(str(value))


def _date(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))


def slug(text: str, limit: int = 60) -> str:
    """A lowercase ASCII slug for IRIs."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:limit].strip("-") or "x"


def normalised(quote: str) -> str:
    """A quote with case and white space folded, for content-derived IRIs."""
    return re.sub(r"\s+", " ", quote).strip().lower()


def party_iri(key: str) -> ox.NamedNode:
    """The IRI of a party."""
    return _n(ID[f"party/{key}"])


def agreement_iri(doc_id: str) -> ox.NamedNode:
    """The IRI of an agreement (a document)."""
    return _n(ID[f"doc/{doc_id}"])


def commitment_iris(structure: Structure, commitments: list[Commitment]) -> list[ox.NamedNode]:
    """Content-derived IRIs of a document's commitments, in order."""
    seen: dict[str, int] = {}
    out = []
    for c in commitments:
        title = structure.sections[c.section].title if c.section >= 0 else ""
        digest = hashlib.sha1(f"{title}\n{normalised(c.quote)}".encode()).hexdigest()[:12]
        base = f"doc/{c.doc_id}/c/{digest}-{c.ordinal}"
        seen[base] = seen.get(base, 0) + 1
        out.append(_n(ID[base if seen[base] == 1 else f"{base}-{seen[base]}"]))
    return out


def section_iris(structure: Structure) -> list[ox.NamedNode]:
    """Content-derived IRIs of a document's sections."""
    seen: dict[str, int] = {}
    out = []
    for sec in structure.sections:
        base = f"doc/{sec.doc_id}/section/{slug(sec.title)}"
        seen[base] = seen.get(base, 0) + 1
        out.append(_n(ID[base if seen[base] == 1 else f"{base}-{seen[base]}"]))
    return out


class _Writer:
    def __init__(self, graph: ox.NamedNode):
        self.graph = graph
        self.quads: list[ox.Quad] = []

    def add(self, s, p, o) -> None:
        self.quads.append(ox.Quad(s, _n(p) if not isinstance(p, ox.NamedNode) else p, o, self.graph))

    def evidence(self, node: ox.NamedNode, text_node: ox.NamedNode, text: str, start: int, end: int,
                 base: str | None = None) -> None:
        """Web Annotation evidence: a position and a quote selector on the source text.

        ``base`` names the evidence nodes when ``node`` is not the document's own (a party
        many documents define): each document's evidence must stay its own.
        """
        ev = _n((base or node.value) + "/evidence")
        pos = _n(ev.value + "/position")
        quote = _n(ev.value + "/quote")
        self.add(node, OBL.evidence, ev)
        self.add(ev, RDF_TYPE, _n(OA.SpecificResource))
        self.add(ev, OA.hasSource, text_node)
        self.add(ev, OA.hasSelector, pos)
        self.add(ev, OA.hasSelector, quote)
        self.add(pos, RDF_TYPE, _n(OA.TextPositionSelector))
        self.add(pos, OA.start, _lit(start))
        self.add(pos, OA.end, _lit(end))
        self.add(quote, RDF_TYPE, _n(OA.TextQuoteSelector))
        self.add(quote, OA.exact, _lit(text[start:end]))
        self.add(quote, OA.prefix, _lit(text[max(0, start - QUOTE_CONTEXT) : start]))
        self.add(quote, OA.suffix, _lit(text[end : end + QUOTE_CONTEXT]))


def build_document(structure: Structure, extraction: Extraction, discovered: Iterable[Party] = ()) -> list[ox.Quad]:
    """All quads of one document's named graph.

    Args:
        structure: The segmented document.
        extraction: Its commitments and agreement facts.
        discovered: Parties found in this document that the register lacks: their
            evidence here, their description in :func:`discovered_quads`.

    Returns:
        Quads in the document's named graph, in a fixed order.
    """
    doc = structure.document
    w = _Writer(_n(document_graph(doc.doc_id)))
    text = doc.text
    agreement = agreement_iri(doc.doc_id)
    text_node = _n(ID[f"text/{doc.sha256}"])
    facts = extraction.facts
    w.add(agreement, RDF_TYPE, _n(OBL.Agreement))
    w.add(agreement, _n(DCT + "title"), _lit(facts.title))
    w.add(agreement, OBL.fileName, _lit(doc.name))
    w.add(agreement, OBL.sourceText, text_node)
    if facts.issued:
        w.add(agreement, _n(DCT + "issued"), _date(facts.issued))
    w.add(text_node, RDF_TYPE, _n(OBL.SourceText))
    w.add(text_node, OBL.sha256, _lit(doc.sha256))
    w.add(text_node, RDF_VALUE, _lit(text))
    for i, side in enumerate(facts.sides, 1):
        node = _n(ID[f"doc/{doc.doc_id}/side/{i}"])
        w.add(agreement, OBL.side, node)
        w.add(node, RDF_TYPE, _n(OBL.Side))
        w.add(node, RDFS_LABEL, _lit(side.label or f"Side {i}"))
        for key in sorted(side.parties):
            w.add(node, OBL.sideMember, party_iri(key))
            w.add(agreement, OBL.signatory, party_iri(key))
    if facts.oversight:
        w.add(agreement, OBL.oversightBody, party_iri(facts.oversight.key))

    sections = section_iris(structure)
    for sec, node in zip(structure.sections, sections):
        w.add(node, RDF_TYPE, _n(OBL.Section))
        w.add(node, _n(DCT + "title"), _lit(sec.title))
        w.add(node, _n(DCT + "isPartOf"), agreement)
        w.add(node, OBL.ordinal, _lit(sec.ordinal))
        w.add(node, OBL.level, _lit(sec.level))
        w.evidence(node, text_node, text, sec.start, sec.end)

    commitments = extraction.commitments
    iris = commitment_iris(structure, commitments)
    for c, node in zip(commitments, iris):
        _commitment(w, c, node, iris, sections, structure, agreement, text_node)
    for party in sorted(discovered, key=lambda p: p.key):
        if party.evidence:
            # Under the agreement's IRI: a party found in many documents has one piece of
            # evidence in each, and shared evidence nodes would mix their quotes and offsets.
            w.evidence(party_iri(party.key), text_node, text, party.evidence[1], party.evidence[2],
                       base=f"{agreement.value}/party/{party.key}")
    return w.quads


def _commitment(w: _Writer, c: Commitment, node, iris, sections, structure, agreement, text_node) -> None:
    text = structure.document.text
    w.add(node, RDF_TYPE, _n(OBL.Commitment))
    w.add(node, RDFS_LABEL, _lit(_label(c.quote)))
    w.add(node, OBL.agreement, agreement)
    if c.section >= 0:
        w.add(node, OBL.section, sections[c.section])
        title = structure.sections[c.section].title
        w.add(node, OBL.theme, _lit(title))
        concept = theme_of(title)
        if concept:
            w.add(node, OBL.themeConcept, _n(THEME[concept]))
    w.add(node, OBL.modality, _n(MODALITY[c.modality]))
    w.add(node, OBL.rule, _lit(c.rule))
    w.add(node, OBL.confidence, _lit(float(c.confidence)))
    w.add(node, OBL.ordinal, _lit(c.ordinal))
    if c.lead_in:
        w.add(node, OBL.leadIn, _lit(text[c.lead_in[0] : c.lead_in[1]]))
    w.evidence(node, text_node, text, c.start, c.end)
    for role, refs, stated, inferred in (
        ("owner", c.owners, OBL.owner, OBL.owner),
        ("counterpart", c.counterparts, OBL.counterpart, OBL.inferredCounterpart),
        ("governance", c.governance, OBL.governance, OBL.inferredGovernance),
    ):
        for ref in refs:
            _mention(w, node, role, ref, inferred if ref.inferred else stated, text_node, text)
    for target in c.reciprocal_of:
        w.add(node, OBL.reciprocalOf, iris[target])
    for i, q in enumerate(c.conditions):
        k = _n(node.value + f"/condition/{i}")
        w.add(node, OBL.condition, k)
        w.add(k, RDF_TYPE, _n(OBL.Condition))
        w.add(k, OBL.conditionKind, _n(CONDITION_KIND[q.kind]))
        w.add(k, OBL.statedAs, _lit(q.text))
        w.evidence(k, text_node, text, q.start, q.end)
    for i, q in enumerate(c.deadlines):
        _deadline(w, _n(node.value + f"/deadline/{i}"), node, q, text_node, text)


def _deadline(w: _Writer, k, node, q: Qualifier, text_node, text: str) -> None:
    w.add(node, OBL.deadline, k)
    w.add(k, RDF_TYPE, _n(OBL.Deadline))
    w.add(k, OBL.deadlineKind, _n(DEADLINE_KIND[q.kind]))
    w.add(k, OBL.statedAs, _lit(q.text))
    if q.not_before:
        w.add(k, OBL.notBefore, _date(q.not_before))
    if q.not_after:
        w.add(k, OBL.notAfter, _date(q.not_after))
    w.evidence(k, text_node, text, q.start, q.end)


def _mention(w: _Writer, node, role: str, ref: PartyRef, prop, text_node, text: str) -> None:
    party = party_iri(ref.key)
    w.add(node, prop, party)
    m = _n(node.value + f"/mention/{role}/{ref.key}")
    w.add(node, OBL.mention, m)
    w.add(m, RDF_TYPE, _n(OBL.PartyMention))
    w.add(m, OBL.role, _n(ROLE[role]))
    w.add(m, OBL.refersTo, party)
    w.add(m, OBL.inferred, _lit(ref.inferred))
    w.add(m, OBL.rule, _lit(ref.rule))
    if ref.start >= 0 and ref.end > ref.start:
        w.evidence(m, text_node, text, ref.start, ref.end)


def _label(quote: str) -> str:
    flat = re.sub(r"\s+", " ", quote).strip()
    return flat if len(flat) <= 100 else flat[:97].rstrip() + "..."


PARTY_CLASSES = {"Party": OBL.Party, "PartyGroup": OBL.PartyGroup, "GovernanceBody": OBL.GovernanceBody, "Post": OBL.Post}


def discovered_quads(parties: Iterable[Party]) -> list[ox.Quad]:
    """The description of parties a document found, as quads of the shared parties graph."""
    w = _Writer(_n(PARTIES_GRAPH))
    for party in sorted(parties, key=lambda p: p.key):
        party_quads(w, party)
    return w.quads


def party_quads(w: _Writer, party: Party) -> None:
    """The register triples of one party (used for discovered parties)."""
    node = party_iri(party.key)
    w.add(node, RDF_TYPE, _n(PARTY_CLASSES.get(party.cls, OBL.Party)))
    w.add(node, _n(SKOS + "prefLabel"), _lit(party.label))
    for alias in sorted(set(party.aliases)):
        w.add(node, _n(SKOS + "altLabel"), _lit(alias))
    w.add(node, OBL.partyKind, _n(PARTY_KIND[party.kind]))
    for g in party.member_of:
        w.add(node, _n(ORG.memberOf), party_iri(g))
    if party.unit_of:
        w.add(node, _n(ORG.unitOf), party_iri(party.unit_of))
    if party.declared_members is not None:
        w.add(node, OBL.declaredMemberCount, _lit(party.declared_members))
    w.add(node, OBL.discovered, _lit(party.discovered))
    w.add(node, OBL.foundBy, _lit(party.found_by))


def rdflib_to_quads(graph, named: str) -> list[ox.Quad]:
    """An rdflib graph's triples as quads of one named graph (via N-Triples)."""
    data = graph.serialize(format="nt", encoding="utf-8")
    g = ox.NamedNode(named)
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def ontology_quads() -> list[ox.Quad]:
    """The vocabulary and concept schemes, for the ontology graph."""
    base = Path(str(files("graph") / "data" / "ontology"))
    g = ox.NamedNode(str(ONTOLOGY_GRAPH))
    quads = []
    for name in ("obligraph.ttl", "schemes.ttl"):
        for t in ox.parse(path=str(base / name), format=ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(t.subject, t.predicate, t.object, g))
    return quads


def register_quads(register) -> list[ox.Quad]:
    """The party register, for the register graph."""
    return rdflib_to_quads(register.to_graph(), str(REGISTER_GRAPH))


def run_quads(tool_version: str, model_name: str, model_version: str, started: str) -> list[ox.Quad]:
    """Run metadata, kept in its own graph so it never breaks identical rebuilds."""
    w = _Writer(_n(RUN_GRAPH))
    run = _n(ID["run/latest"])
    w.add(run, RDF_TYPE, _n(OBL.ExtractionRun))
    w.add(run, OBL.toolVersion, _lit(tool_version))
    w.add(run, OBL.modelName, _lit(model_name))
    w.add(run, OBL.modelVersion, _lit(model_version))
    w.add(run, _n(PROV.startedAtTime), ox.Literal(started, datatype=ox.NamedNode(XSD + "dateTime")))
    return w.quads
