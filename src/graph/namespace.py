"""Every IRI obligraph writes, spelled once.

The terms of ``OBL`` must equal the classes and properties declared in
``ontology/obligraph.ttl``; ``tests/test_ontology.py`` keeps them equal, so code
and ontology cannot drift. Concept schemes (modality, roles, condition and
deadline kinds, party kinds, themes) live in their own namespaces so a concept
never shares a name with a class.

The graph, in brief (see ``ontology/README.md`` for the worked example):

- ``obl:Agreement`` (a document): ``dcterms:title``, ``obl:fileName``,
  ``obl:sourceText`` -> ``obl:SourceText`` (``rdf:value`` the exact text,
  ``obl:sha256``), ``obl:signatory`` -> party, ``obl:side`` -> ``obl:Side``
  (``obl:sideMember`` -> party), ``obl:oversightBody`` -> agreement-wide body.
- ``obl:Section``: ``dcterms:title``, ``dcterms:isPartOf`` agreement,
  ``obl:ordinal``, ``obl:level``, ``obl:evidence``.
- ``obl:Commitment``: ``obl:agreement``, ``obl:section``, ``obl:theme`` (literal)
  and ``obl:themeConcept``, ``obl:modality`` -> concept, ``obl:owner``,
  ``obl:counterpart`` (stated) or ``obl:inferredCounterpart``,
  ``obl:governance`` (stated) or ``obl:inferredGovernance``,
  ``obl:reciprocalOf`` -> commitment, ``obl:condition`` -> ``obl:Condition``,
  ``obl:deadline`` -> ``obl:Deadline``, ``obl:mention`` -> ``obl:PartyMention``,
  ``obl:evidence``, ``obl:rule``, ``obl:confidence``, ``obl:ordinal``.
- ``obl:PartyMention``: ``obl:role`` -> role concept, ``obl:refersTo`` party,
  ``obl:inferred`` boolean, ``obl:rule``, ``obl:evidence`` when stated.
- Evidence is an ``oa:SpecificResource`` with ``oa:hasSource`` the source text
  and two selectors, ``oa:TextPositionSelector`` and ``oa:TextQuoteSelector``.
- Parties: ``obl:Party`` / ``obl:PartyGroup`` / ``obl:GovernanceBody`` /
  ``obl:Post`` with ``skos:prefLabel``, ``skos:altLabel``, ``obl:partyKind``,
  ``org:memberOf``, ``org:unitOf``, ``org:reportsTo``, ``org:headOf``,
  ``obl:declaredMemberCount``, ``obl:discovered``, ``obl:foundBy``.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/obligraph/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")


class OBL(DefinedNamespace):
    """The obligraph vocabulary (``ontology/obligraph.ttl``)."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # Classes
    Agreement: URIRef
    SourceText: URIRef
    Section: URIRef
    Side: URIRef
    Party: URIRef
    PartyGroup: URIRef
    GovernanceBody: URIRef
    Post: URIRef
    Place: URIRef
    Pilot: URIRef
    Commitment: URIRef
    PartyMention: URIRef
    Condition: URIRef
    Deadline: URIRef
    ExtractionRun: URIRef

    # Agreement and text
    fileName: URIRef
    sourceText: URIRef
    sha256: URIRef
    signatory: URIRef
    side: URIRef
    sideMember: URIRef
    oversightBody: URIRef
    definesTerm: URIRef

    # Structure
    ordinal: URIRef
    level: URIRef
    evidence: URIRef
    line: URIRef

    # Commitments
    agreement: URIRef
    section: URIRef
    theme: URIRef
    themeConcept: URIRef
    modality: URIRef
    owner: URIRef
    counterpart: URIRef
    inferredCounterpart: URIRef
    governance: URIRef
    inferredGovernance: URIRef
    reciprocalOf: URIRef
    condition: URIRef
    deadline: URIRef
    mention: URIRef
    leadIn: URIRef
    rule: URIRef
    confidence: URIRef

    # Mentions, conditions, deadlines
    role: URIRef
    refersTo: URIRef
    inferred: URIRef
    conditionKind: URIRef
    deadlineKind: URIRef
    statedAs: URIRef
    notBefore: URIRef
    notAfter: URIRef

    # Parties
    partyKind: URIRef
    declaredMemberCount: URIRef
    discovered: URIRef
    foundBy: URIRef

    # Run metadata
    toolVersion: URIRef
    modelName: URIRef
    modelVersion: URIRef


# Concept schemes: each concept's skos:prefLabel / skos:altLabel double as the
# extractor's trigger lexicon where that applies (ontology/schemes.ttl).
MODALITY = Namespace(BASE + "ns/modality/")
ROLE = Namespace(BASE + "ns/role/")
CONDITION_KIND = Namespace(BASE + "ns/condition/")
DEADLINE_KIND = Namespace(BASE + "ns/deadline/")
PARTY_KIND = Namespace(BASE + "ns/kind/")
THEME = Namespace(BASE + "ns/theme/")

MODALITIES = ("commitment", "intention", "exploration", "aspiration")
ROLES = ("owner", "counterpart", "governance")

# Named graphs: one per document, and these for everything else.
ONTOLOGY_GRAPH = GRAPH["ontology"]
REGISTER_GRAPH = GRAPH["register"]
RUN_GRAPH = GRAPH["run"]
# Parties found in the documents, each described once however many documents
# name it: a description restated in every document's graph is returned once
# per copy by queries over the union of the graphs, and joins multiply them.
# Each document's graph keeps its own evidence of the party.
PARTIES_GRAPH = GRAPH["parties"]


def document_graph(doc_id: str) -> URIRef:
    """The named graph that holds everything read from one document."""
    return GRAPH["doc/" + doc_id]


PREFIXES = {
    "obl": str(OBL._NS),
    "id": str(ID),
    "org": str(ORG),
    "oa": str(OA),
    "prov": str(PROV),
    "time": str(TIME),
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "modality": str(MODALITY),
    "role": str(ROLE),
    "condkind": str(CONDITION_KIND),
    "dlkind": str(DEADLINE_KIND),
    "kind": str(PARTY_KIND),
    "theme": str(THEME),
}
