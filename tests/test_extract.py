"""Extraction rules on short passages written for these tests, in the language of agreements.

Each passage is a tiny agreement of its own: a title naming the parties, then
the sentences under test. The records are read back from the built graph.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model

TITLE = "Agreement between the Regional Council and the Harbour Board\n\n"


@pytest.fixture(scope="module")
def extract_text(nlp, tmp_path_factory):
    from graph.pipeline import build_memory
    from graph.records import commitment_records

    folder = tmp_path_factory.mktemp("passages")
    count = iter(range(10_000))

    def run(body: str) -> list[dict]:
        path = folder / f"passage_{next(count)}.txt"
        path.write_text(TITLE + body + "\n", encoding="utf-8")
        return commitment_records(build_memory([path], nlp=nlp))

    return run


def _one(records: list[dict], words: str) -> dict:
    found = [r for r in records if words in r["text"]]
    assert len(found) == 1, [r["text"] for r in records]
    return found[0]


def test_will_with_coordinated_owners(extract_text):
    rec = _one(extract_text("The Regional Council and the Harbour Board will publish a joint transport plan by 2027."),
               "joint transport plan")
    assert sorted(rec["owners"]) == ["Harbour Board", "Regional Council"]
    assert rec["modality"] == "commitment" and rec["deadlines"] == ["by 2027"]


@pytest.mark.parametrize(("sentence", "modality"), [
    ("The Harbour Board commits to dredging the main channel.", "commitment"),
    ("The Harbour Board will explore options for a second berth.", "exploration"),
    ("The Harbour Board aims to double freight traffic.", "aspiration"),
    ("The Harbour Board intends to review its tariffs.", "intention"),
])
def test_modality_from_the_verb_and_its_frame(extract_text, sentence, modality):
    rec = _one(extract_text(sentence), sentence.split()[4])
    assert rec["owners"] == ["Harbour Board"] and rec["modality"] == modality


def test_background_and_beliefs_are_not_commitments(extract_text):
    records = extract_text(
        "In 2019 the Regional Council published a freight strategy. "
        "The Harbour Board believes that the port is vital to the region. "
        "The group, which will meet monthly, reports to the Harbour Board."
    )
    assert records == []


def test_a_relative_clause_with_its_own_party_subject(extract_text):
    rec = _one(extract_text("The parties approved the plan which the Regional Council will publish in 2026."),
               "which the Regional Council")
    assert rec["owners"] == ["Regional Council"]


def test_list_items_inherit_the_owner_of_their_lead_in(extract_text):
    records = extract_text(
        "The Harbour Board will:\n\n- maintain the breakwater;\n- publish annual accounts; and\n"
        "- consult the Regional Council on new tariffs."
    )
    assert len(records) == 3
    assert all(r["owners"] == ["Harbour Board"] for r in records)


def test_in_return_links_the_other_sides_commitments(extract_text):
    records = extract_text(
        "Investment\n\nThe Regional Council will fund the new access road. "
        "In return, the Harbour Board will open the quay to local fishing vessels."
    )
    road, quay = _one(records, "access road"), _one(records, "fishing vessels")
    assert quay["reciprocal_of"] == [road["id"]]
    assert quay["counterparts"] == ["Regional Council"]


def test_conditions_split_per_clause(extract_text):
    rec = _one(extract_text(
        "The Regional Council will transfer the budget if the pilot succeeds and if the Harbour Board agrees."
    ), "transfer the budget")
    assert rec["conditions"] == ["if the pilot succeeds", "if the Harbour Board agrees"]


def test_in_exchange_for_names_the_commitment_it_answers(extract_text):
    records = extract_text(
        "Funding\n\nThe Regional Council will fund the harbour data platform for three years.\n\n"
        "Standards\n\nThe Regional Council will review berth charges. "
        "The Harbour Board agrees to adopt the common reporting standard in exchange for the Regional "
        "Council's commitment to fund the harbour data platform."
    )
    fund, adopt = _one(records, "will fund the harbour"), _one(records, "adopt the common")
    assert adopt["reciprocal_of"] == [fund["id"]]


def test_on_the_basis_that_is_a_condition_not_a_link(extract_text):
    records = extract_text(
        "The Harbour Board will maintain the breakwater. The Regional Council will fund the new quay, "
        "on the basis that the Harbour Board meets its running costs."
    )
    quay = _one(records, "new quay")
    assert quay["reciprocal_of"] == []
    assert quay["conditions"] == ["on the basis that the Harbour Board meets its running costs"]


@pytest.mark.parametrize("aside", [", working in partnership with the Harbour Board,", ", together with the Harbour Board,"])
def test_an_owner_named_only_in_the_text_is_its_name_not_the_whole_subject(nlp, tmp_path, aside):
    """A body the agreement does not define still owns its commitment, under its own
    name: the aside after the name is not part of it."""
    from graph.pipeline import build_memory
    from graph.records import commitment_records

    path = tmp_path / "passage.txt"
    path.write_text(TITLE + f"The Coastal Enterprise Agency{aside} will open a new training centre by 2026.\n",
                    encoding="utf-8")
    store = build_memory([path], nlp=nlp)
    rec = _one(commitment_records(store), "training centre")
    assert rec["owners"] == ["Coastal Enterprise Agency"]
    rows = store.select("""SELECT ?label ?exact WHERE {
        ?p obl:discovered true ; skos:prefLabel ?label ; obl:evidence/oa:hasSelector/oa:exact ?exact }""")
    assert {(r["label"], r["exact"]) for r in rows} >= {("Coastal Enterprise Agency", "Coastal Enterprise Agency")}
    assert not [r for r in rows if r["label"].endswith(",")]


@pytest.mark.parametrize(("subject", "owners"), [
    # A department's name lists its subjects; the body after "and the" is a second owner.
    ("The Department for Levelling Up, Housing and Communities and the Greater Manchester Combined Authority",
     ["Department for Levelling Up, Housing and Communities", "Greater Manchester Combined Authority"]),
    # The parser hangs the council inside the department's "for" phrase; it is a body of its own.
    ("The Department for Housing and Communities and Northstead District Council",
     ["Department for Housing and Communities", "Northstead District Council"]),
    # The second body is a party of the agreement.
    ("The Coastal Enterprise Agency and the Harbour Board", ["Coastal Enterprise Agency", "Harbour Board"]),
])
def test_two_bodies_named_only_in_the_text_own_their_commitment(extract_text, subject, owners):
    rec = _one(extract_text(f"{subject} will publish a joint investment plan by 2026."), "joint investment plan")
    assert sorted(rec["owners"]) == sorted(owners)


def test_and_inside_a_department_name_stays_in_the_name(nlp):
    """ "and" before a name of fewer than three words stays in the department's name."""
    from graph.party_discovery import noun_phrase

    doc = nlp("The Ministry of Housing, Communities and Local Government will publish a plan.")
    start, end = noun_phrase(doc[1])
    assert doc[start:end].text == "The Ministry of Housing, Communities and Local Government"
    doc = nlp("The Department for Housing and Communities and Northstead District Council will publish a plan.")
    start, end = noun_phrase(doc[1])
    assert doc[start:end].text == "The Department for Housing and Communities"
