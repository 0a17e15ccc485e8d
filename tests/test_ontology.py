"""The vocabulary, concept schemes, alignments and JSON-LD context in ontology/."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS

import graph
from graph.namespace import (
    CONDITION_KIND,
    DEADLINE_KIND,
    MODALITIES,
    MODALITY,
    OBL,
    ORG,
    PARTY_KIND,
    PREFIXES,
    PROV,
    ROLE,
    ROLES,
    THEME,
    TIME,
)

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
OA_SPECIFIC_RESOURCE = URIRef("http://www.w3.org/ns/oa#SpecificResource")
DECLARING_TYPES = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                   RDF.Property)


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return Graph().parse(ONTOLOGY / "obligraph.ttl")


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return Graph().parse(ONTOLOGY / "schemes.ttl")


def obl_terms() -> set[URIRef]:
    return {OBL[name] for name in OBL.__annotations__}


def declared(g: Graph) -> set[URIRef]:
    return {s for t in DECLARING_TYPES for s in g.subjects(RDF.type, t) if str(s).startswith(str(OBL._NS))}


def test_namespace_terms_equal_declared_terms(vocab):
    assert declared(vocab) == obl_terms()


def test_no_undeclared_obl_term_is_used(vocab):
    used = {t for triple in vocab for t in triple if isinstance(t, URIRef) and str(t).startswith(str(OBL._NS))}
    assert used <= obl_terms()


def test_every_term_has_an_english_label_and_definition(vocab):
    for term in obl_terms():
        assert any(isinstance(v, Literal) and v.language == "en" for v in vocab.objects(term, RDFS.label)), term
        assert any(isinstance(v, Literal) and v.language == "en" for v in vocab.objects(term, SKOS.definition)), term


def test_ontology_header(vocab):
    (onto,) = vocab.subjects(RDF.type, OWL.Ontology)
    assert vocab.value(onto, DCTERMS.title) is not None
    assert str(vocab.value(onto, OWL.versionInfo)) == graph.__version__


def test_no_blank_nodes_so_serialisation_is_stable(vocab, schemes):
    for g in (vocab, schemes):
        assert not [t for triple in g for t in triple if isinstance(t, BNode)]


@pytest.mark.parametrize(
    ("cls", "parent"),
    [
        (OBL.Party, ORG.Organization),
        (OBL.PartyGroup, ORG.OrganizationalCollaboration),
        (OBL.PartyGroup, OBL.Party),
        (OBL.GovernanceBody, OBL.Party),
        (OBL.Post, ORG.Post),
        (OBL.Agreement, PROV.Entity),
        (OBL.Agreement, FOAF.Document),
        (OBL.SourceText, PROV.Entity),
        (OBL.ExtractionRun, PROV.Activity),
        (OBL.Deadline, TIME.Interval),
        (ORG.OrganizationalUnit, ORG.Organization),
        (ORG.FormalOrganization, ORG.Organization),
        (ORG.OrganizationalCollaboration, ORG.Organization),
    ],
)
def test_alignment_to_standard_vocabularies(vocab, cls, parent):
    assert (cls, RDFS.subClassOf, parent) in vocab


def test_evidence_is_a_web_annotation(vocab):
    assert vocab.value(OBL.evidence, RDFS.range) == OA_SPECIFIC_RESOURCE


def test_stated_and_inferred_roles_are_distinct_properties(vocab):
    for stated, inferred in ((OBL.counterpart, OBL.inferredCounterpart), (OBL.governance, OBL.inferredGovernance)):
        assert (inferred, RDFS.subPropertyOf, stated) not in vocab
        assert vocab.value(inferred, RDFS.domain) == vocab.value(stated, RDFS.domain) == OBL.Commitment


def test_every_concept_has_label_definition_and_scheme(schemes):
    concepts = set(schemes.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for c in concepts:
        assert schemes.value(c, SKOS.prefLabel) is not None, c
        assert schemes.value(c, SKOS.definition) is not None, c
        scheme = schemes.value(c, SKOS.inScheme)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in schemes, c
        assert (scheme, SKOS.hasTopConcept, c) in schemes, c


def concepts_of(schemes: Graph, ns) -> set[str]:
    return {str(c)[len(str(ns)) :] for c in schemes.subjects(RDF.type, SKOS.Concept) if str(c).startswith(str(ns))}


def hidden(schemes: Graph, concept: URIRef) -> set[str]:
    return {str(v) for v in schemes.objects(concept, SKOS.hiddenLabel)}


def test_scheme_contents(schemes):
    assert concepts_of(schemes, MODALITY) == set(MODALITIES)
    assert concepts_of(schemes, ROLE) == set(ROLES)
    assert concepts_of(schemes, CONDITION_KIND) == {
        "subject-to", "once", "if", "provided-that", "where", "on-the-basis-that", "unless", "as-long-as", "when"}
    assert concepts_of(schemes, DEADLINE_KIND) == {"by", "from", "until", "in", "within"}
    assert concepts_of(schemes, PARTY_KIND) == {
        "governmentDepartment", "executiveAgency", "nhsBody", "regulator", "localAuthority", "ccg",
        "governanceBoard", "post", "collective", "government", "publicBody", "place", "programme",
        "provider", "organisation"}
    themes = concepts_of(schemes, THEME)
    assert 15 <= len(themes) <= 20
    assert all(hidden(schemes, THEME[t]) for t in themes)


def test_modality_prefLabels_are_the_names(schemes):
    for name in MODALITIES:
        assert str(schemes.value(MODALITY[name], SKOS.prefLabel)) == name


def test_trigger_lexicon(schemes):
    assert {"commit", "agree", "will", "shall", "re-affirm"} <= hidden(schemes, MODALITY.commitment)
    assert {"seek", "intend", "work towards"} <= hidden(schemes, MODALITY.intention)
    # "aim" sits in one modality; the gold treats "aims to" as aspiration (ANNOTATION.md is ambiguous).
    assert sum("aim" in hidden(schemes, MODALITY[m]) for m in MODALITIES) == 1
    assert {"explore", "discuss", "consider", "look at"} <= hidden(schemes, MODALITY.exploration)
    assert {"aspiration", "ambition", "vision"} <= hidden(schemes, MODALITY.aspiration)
    assert hidden(schemes, CONDITION_KIND["provided-that"]) == {"provided that", "providing that", "on condition that"}
    assert hidden(schemes, CONDITION_KIND["as-long-as"]) == {"as long as", "so long as"}
    assert hidden(schemes, DEADLINE_KIND["from"]) == {"from", "starting", "beginning", "as of", "with effect from"}
    assert hidden(schemes, DEADLINE_KIND["until"]) == {"until", "up to", "to", "through", "till"}
    # One trigger word, one concept: otherwise the extractor could not decide.
    for ns in (MODALITY, CONDITION_KIND, DEADLINE_KIND):
        words = [w for c in schemes.subjects(RDF.type, SKOS.Concept) if str(c).startswith(str(ns))
                 for w in hidden(schemes, c)]
        assert len(words) == len(set(words)), ns


def test_corpus_headings_map_to_themes(schemes):
    def themes_for(heading: str) -> set[str]:
        words = heading.lower()
        return {str(c) for c in schemes.subjects(RDF.type, SKOS.Concept) if str(c).startswith(str(THEME))
                and any(f" {k} " in f" {words} " for k in hidden(schemes, c))}

    assert themes_for("Capital and estates") == {str(THEME["capital-and-estates"])}
    assert str(THEME["regulation-and-inspection"]) in themes_for("Provider regulation and inspection")
    assert str(THEME["workforce-and-skills"]) in themes_for("Workforce and skills")
    assert str(THEME["public-health-and-prevention"]) in themes_for("Public health")


def test_alignments_are_separate_and_loose():
    g = Graph().parse(ONTOLOGY / "alignments.ttl")
    assert (OBL.Commitment, SKOS.closeMatch, URIRef("http://www.w3.org/ns/odrl/2/Duty")) in g
    assert (OBL.owner, SKOS.closeMatch, URIRef("http://www.w3.org/ns/odrl/2/assignee")) in g
    assert (OBL.counterpart, SKOS.closeMatch, URIRef("http://www.w3.org/ns/odrl/2/assigner")) in g
    assert (OBL.reciprocalOf, SKOS.relatedMatch, URIRef("https://w3id.org/valueflows/ont/vf#reciprocalClauseOf")) in g
    # Alignment only: no entailing axioms into foreign vocabularies.
    assert not set(g.triples((None, RDFS.subClassOf, None))) and not set(g.triples((None, OWL.equivalentClass, None)))
    assert not set(Graph().parse(ONTOLOGY / "obligraph.ttl").triples((None, OWL.imports, None)))


def test_json_ld_context_has_the_prefixes():
    context = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context == PREFIXES


def test_ontology_ships_inside_the_package():
    bundled = files("graph") / "data" / "ontology"
    for name in ("obligraph.ttl", "schemes.ttl", "parties.ttl", "alignments.ttl", "context.jsonld"):
        assert (bundled / name).read_bytes() == (ONTOLOGY / name).read_bytes(), name
