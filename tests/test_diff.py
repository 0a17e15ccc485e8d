"""Commitment-level comparison of two drafts: what was added, removed and changed."""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import AGREEMENT

from graph.diff import Diff, compare, diff_paths, diff_stores, exit_code


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def rec(id_, text, **fields) -> dict:
    """A hand-built commitment record with the keys of records.RECORD_KEYS (plus line)."""
    base = {
        "id": id_, "document": "a.txt", "section": "Funding", "theme": "Funding", "text": text,
        "start": 0, "end": len(text),
        "owners": ["Government"], "counterparts": ["London Partners"], "modality": "commitment", "reciprocal_of": [],
        "conditions": [], "deadlines": [], "governance": [], "line": 1,
    }
    return {**base, **fields}


def kinds(diff: Diff) -> list[tuple[str, ...]]:
    return [(e.status, *(f"{c.field}:{c.kind}" for c in e.changes)) for e in diff.entries]


# --- hand-built records: each kind of change ----------------------------------------
OLD = [
    rec("o1", "Government commits to publishing indicative allocations for CCGs by 2017.", deadlines=["by 2017"]),
    rec("o2", "NHS England commits to discussing devolution of transformation funding with London Partners.",
        owners=["NHS England"], conditions=["subject to the production of plans"]),
    rec("o3", "London Partners will work through the estates boards to produce a capital plan.",
        owners=["London Partners"], counterparts=["national bodies"],
        governance=[{"body": "Estates boards", "inferred": False}]),
    rec("o4", "In return, London Partners agree to share their knowledge and contact networks.",
        owners=["London Partners"], counterparts=["national bodies"], reciprocal_of=["o1"]),
    rec("o5", "The Care Quality Commission commits to discussing registration with London Partners.",
        owners=["Care Quality Commission"], section="Regulation"),
]


def test_identical_records_in_any_order_are_unchanged():
    shuffled = OLD[:]
    random.Random(3).shuffle(shuffled)
    renamed = [{**r, "id": "new-" + r["id"], "reciprocal_of": ["new-" + t for t in r["reciprocal_of"]],
                "start": r["start"] + 500} for r in shuffled]
    d = compare(OLD, renamed)
    assert d.entries == ()
    assert d.unchanged == len(OLD)
    assert exit_code(d) == 0
    assert d.summary().startswith("No changes")


def test_modality_strengthened_and_weakened():
    new = [{**OLD[0], "text": OLD[0]["text"].replace("commits to", "will explore"), "modality": "exploration"}]
    (e,) = compare(OLD[:1], new).entries
    assert (e.status, e.changes[0].field, e.changes[0].kind) == ("changed", "modality", "weakened")
    assert e.changes[0].message == "modality weakened: commitment -> exploration"
    (e,) = compare(new, OLD[:1]).entries
    assert e.changes[0].kind == "strengthened"


def test_deadline_moved_dropped_added():
    moved = [{**OLD[0], "text": OLD[0]["text"].replace("2017", "2019"), "deadlines": ["by 2019"]}]
    assert kinds(compare(OLD[:1], moved)) == [("changed", "deadlines:moved")]
    dropped = [{**OLD[0], "text": OLD[0]["text"].replace(" by 2017", ""), "deadlines": []}]
    assert kinds(compare(OLD[:1], dropped)) == [("changed", "deadlines:dropped")]
    assert kinds(compare(dropped, OLD[:1])) == [("changed", "deadlines:added")]


def test_condition_dropped_and_added():
    new = [{**OLD[1], "text": OLD[1]["text"] + " ", "conditions": []}]
    assert kinds(compare(OLD[1:2], new)) == [("changed", "conditions:dropped")]
    assert kinds(compare(new, OLD[1:2])) == [("changed", "conditions:added")]


def test_owner_and_counterpart_changed():
    new = [{**OLD[1], "owners": ["NHS Improvement"], "text": OLD[1]["text"].replace("NHS England", "NHS Improvement")}]
    (e,) = compare(OLD[1:2], new).entries
    assert [(c.field, c.old, c.new) for c in e.changes] == [("owners", ("NHS England",), ("NHS Improvement",))]
    assert e.changes[0].message == "owner changed: NHS England -> NHS Improvement"
    new = [{**OLD[1], "counterparts": ["providers"]}]
    assert kinds(compare(OLD[1:2], new)) == [("changed", "counterparts:changed")]


def test_governance_route_dropped():
    new = [{**OLD[2], "text": "London Partners will produce a capital plan.",
            "governance": [{"body": "Devolution Programme Board", "inferred": True}]}]
    (e,) = compare(OLD[2:3], new, ).entries
    (c,) = e.changes
    assert (c.field, c.kind) == ("governance", "dropped")
    assert "Estates boards" in c.message and "inferred" in c.message


def test_reciprocal_link_lost_when_what_it_answered_is_removed():
    new = [r for r in OLD if r["id"] != "o1"]
    new = [{**r, "reciprocal_of": []} if r["id"] == "o4" else r for r in new]
    d = compare(OLD, new)
    assert sorted(kinds(d)) == [("changed", "reciprocal:lost"), ("removed",)]
    changed = next(e for e in d.entries if e.status == "changed")
    assert "Government commits to publishing" in changed.changes[0].message


def test_reciprocal_link_compared_through_the_pairing():
    # The answered commitment is reworded and gets a new ID: the link still holds.
    new = [{**OLD[0], "id": "n1", "text": OLD[0]["text"].replace("publishing", "publishing and updating")},
           {**OLD[3], "id": "n4", "reciprocal_of": ["n1"]}]
    d = compare([OLD[0], OLD[3]], new)
    assert kinds(d) == [("changed", "wording:reworded")]


def test_moved_to_another_section():
    new = OLD[:4] + [{**OLD[4], "section": "Funding"}]
    (e,) = compare(OLD, new).entries
    assert e.changes[0].message == 'moved from section "Regulation" to "Funding"'


def test_section_heading_reworded():
    new = [{**r, "section": "Money"} if r["section"] == "Funding" else r for r in OLD]
    d = compare(OLD, new)
    assert {k for k in kinds(d)} == {("changed", "section:renamed")}
    assert d.entries[0].changes[0].message == 'its section\'s heading changed: "Funding" -> "Money"'


def test_added_and_removed():
    new = OLD[:4] + [rec("n9", "HM Treasury agrees to fund a new hospital in every borough.", owners=["HM Treasury"])]
    d = compare(OLD, new)
    assert sorted(e.status for e in d.entries) == ["added", "removed"]
    assert d.counts() == {"added": 1, "removed": 1, "changed": 0, "unchanged": 4}
    assert exit_code(d) == 1


def test_html_is_self_contained_and_escapes_document_text():
    evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    old = [rec("o1", "Government commits to publishing " + evil, section="<b>Funding</b>")]
    new = [rec("n1", "Government will explore publishing " + evil, modality="exploration", section="<b>Funding</b>",
               owners=["<i>Government</i>"])]
    d = compare(old, new, old_label="<old>", new_label="new & improved")
    page = d.to_html()
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;old&gt;" in page and "new &amp; improved" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)  # loads nothing
    assert "<del>" in page and "<ins>" in page  # the reworded words are marked

    class Texts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.text = []

        def handle_data(self, data):
            self.text.append(data)

    parser = Texts()
    parser.feed(page)
    assert '<script>alert("x")</script>' in "".join(parser.text)  # shown as text, both sides


def test_json_is_machine_readable():
    new = [{**OLD[0], "modality": "exploration"}]
    data = json.loads(compare(OLD[:1], new).to_json())
    assert data["changed"] is True
    assert data["counts"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": 0}
    (entry,) = data["entries"]
    assert entry["status"] == "changed"
    assert entry["changes"] == [{"field": "modality", "kind": "weakened", "old": ["commitment"], "new": ["exploration"],
                                 "message": "modality weakened: commitment -> exploration"}]
    assert entry["old"]["text"] == OLD[0]["text"] and entry["new"]["line"] == 1


def test_render_refuses_an_unknown_format():
    with pytest.raises(ValueError):
        compare([], []).render("pdf")


# --- a second draft of the corpus agreement -----------------------------------------
WEAKENED = ("Government and NHS England commit to publishing indicative multi-year allocations for",
            "Government and NHS England will explore publishing indicative multi-year allocations for")
MOVED = ("seven days a week by 2020.", "seven days a week by 2022.")
DROPPED = ("Government commits to engaging with London partners to explore the scope for policy \n"
           "and regulatory flexibilities which would support improving public health.  \n", "")
RENAMED = [("Health Education England (HEE) commits", "Health Workforce England (HWE) commits"),
           ("set out in HEE’s Mandate", "set out in HWE’s Mandate")]


def swap_sections(text: str, first: str, second: str, after: str) -> str:
    a, b, c = text.index(first), text.index(second), text.index(after)
    return text[:a] + text[b:c] + text[a:b] + text[c:]


def write_draft(folder: Path, edits, reorder: bool) -> Path:
    text = AGREEMENT.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    if reorder:
        text = swap_sections(text, "d) Workforce and skills", "e) Transformation", "f) Public health")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "london_health_devolution_agreement_2015_v2.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def agreement_store(nlp):
    from graph.pipeline import build_memory

    return build_memory([AGREEMENT], nlp=nlp)


@pytest.fixture(scope="module")
def second_draft(nlp, agreement_store, tmp_path_factory):
    from graph.pipeline import build_memory

    path = write_draft(tmp_path_factory.mktemp("draft2"), [WEAKENED, MOVED, DROPPED, *RENAMED], reorder=True)
    return path, diff_stores(agreement_store, build_memory([path], nlp=nlp), str(AGREEMENT), str(path))


@pytest.mark.model
def test_second_draft_reports_each_change_and_nothing_else(second_draft):
    _, d = second_draft
    got = sorted(
        (e.status, flat((e.old or e.new)["text"])[:40], tuple((c.field, c.kind, c.old, c.new) for c in e.changes))
        for e in d.entries
    )
    assert got == sorted([
        ("changed", "Government and NHS England commit to pub",
         (("modality", "weakened", ("commitment",), ("exploration",)),)),
        ("changed", "The London system is committed to improv",
         (("deadlines", "moved", ("by 2020",), ("by 2022",)),)),
        ("removed", "Government commits to engaging with Lond", ()),
        ("changed", "Health Education England (HEE) commits t",
         (("owners", "changed", ("Health Education England",), ("Health Workforce England",)),)),
    ])
    assert d.unchanged == d.old_count - 4
    assert d.new_count == d.old_count - 1
    assert exit_code(d) == 1


@pytest.mark.model
def test_second_draft_quotes_both_sides_with_their_places(second_draft):
    path, d = second_draft
    old_text = AGREEMENT.read_text(encoding="utf-8")
    new_text = path.read_text(encoding="utf-8")
    for e in d.entries:
        if e.old:
            assert old_text[e.old["start"] : e.old["end"]] == e.old["text"]
            assert e.old["line"] == old_text.count("\n", 0, e.old["start"]) + 1
        if e.new:
            assert new_text[e.new["start"] : e.new["end"]] == e.new["text"]
            assert e.new["line"] == new_text.count("\n", 0, e.new["start"]) + 1
    renamed = next(e for e in d.entries if e.changes and e.changes[0].field == "owners")
    assert renamed.old["section"] == renamed.new["section"] == "Workforce and skills"
    assert renamed.new["line"] > renamed.old["line"]  # its section now comes after Transformation


@pytest.mark.model
def test_second_draft_text_json_and_html(second_draft):
    _, d = second_draft
    text = d.to_text()
    assert text.startswith("obligraph diff: 0 added, 1 removed, 3 changed,")
    for line in ("modality weakened: commitment -> exploration", 'deadline moved: "by 2020" -> "by 2022"',
                 "owner changed: Health Education England -> Health Workforce England", "REMOVED: Public health"):
        assert line in text
    data = json.loads(d.to_json())
    assert data["counts"]["changed"] == 3 and data["counts"]["removed"] == 1
    page = d.to_html()
    assert page.count('class="entry st-changed"') == 3 and page.count('class="entry st-removed"') == 1
    assert "<del>commit to</del>" in page and "<ins>will explore</ins>" in page


@pytest.mark.model
def test_reordering_sections_alone_changes_nothing(nlp, agreement_store, tmp_path):
    from graph.pipeline import build_memory

    path = write_draft(tmp_path, [], reorder=True)
    d = diff_stores(agreement_store, build_memory([path], nlp=nlp))
    assert d.entries == ()
    assert d.unchanged == d.old_count == d.new_count
    assert exit_code(d) == 0


@pytest.mark.model
def test_diff_paths_compares_folders(nlp, tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    (old / AGREEMENT.name).write_text(AGREEMENT.read_text(encoding="utf-8"), encoding="utf-8")
    new = write_draft(tmp_path / "new", [MOVED], reorder=False).parent
    d = diff_paths([old], [new], nlp=nlp)
    assert kinds(d) == [("changed", "deadlines:moved")]
    assert d.old_label == str(old) and d.new_label == str(new)
