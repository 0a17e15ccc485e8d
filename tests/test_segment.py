"""Structure recovery: headings, lists, lead-ins, footnotes, offsets."""

from __future__ import annotations

import hashlib
import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from graph.model import Document
from graph.segment import segment, sentences

from conftest import AGREEMENT, ANNOUNCEMENT


def doc_of(text: str, name: str = "t.txt") -> Document:
    return Document("t", name, name, "txt", text, hashlib.sha256(text.encode()).hexdigest())


def corpus_doc(path) -> Document:
    text = path.read_text(encoding="utf-8")
    return Document(path.stem, path.name, str(path), "txt", text, hashlib.sha256(text.encode()).hexdigest())


def test_corpus_sections_are_the_agreements_headings():
    s = segment(corpus_doc(AGREEMENT))
    titles = [x.title for x in s.sections]
    assert titles[:3] == ["INTRODUCTION", "PARTIES", "CONTEXT AND RELATIONSHIP TO THE LONDON HEALTH AND CARE COLLABORATION AGREEMENT"]
    assert "Capital and estates" in titles and "Governance arrangements and accountability" in titles
    capital = next(x for x in s.sections if x.title == "Capital and estates")
    assert capital.enumerator == "a)" and capital.level == 2


def test_bullets_keep_their_lead_in_across_a_page_break():
    s = segment(corpus_doc(AGREEMENT))
    segs = s.segments
    lead = next(i for i, g in enumerate(segs) if g.text == "London partners are committed to:")
    items = [g for g in segs if g.lead_in == lead]
    assert len(items) == 5
    # The fifth bullet stands after a footnote and a page break in the PDF text.
    assert items[-1].text == "identifying joint opportunities to share estate between health and care."


def test_footnote_markers_are_removed_and_linked():
    s = segment(corpus_doc(AGREEMENT))
    para = next(g for g in s.segments if g.text.startswith("London has a clear vision"))
    assert "London1" not in para.text and "in London, building" in para.text
    assert para.footnotes == ("1", "2", "3")
    assert {n for n, _, _ in s.footnotes} >= {"1", "2", "3", "4", "5", "6", "7"}
    assert not any("http" in g.text for g in s.segments if g.kind != "footnote")


def test_every_segment_maps_back_to_its_source_characters():
    doc = corpus_doc(AGREEMENT)
    for seg in segment(doc).segments:
        for i, ch in enumerate(seg.text):
            src = doc.text[seg.offsets.source(i)]
            # Joins insert a space for a line break; everything else is copied.
            assert ch == src or (ch == " " and src.isspace()) or (ch == " " and src == "\u00a0"), (seg.text, i)


def test_announcement_lists_and_numbered_items():
    s = segment(corpus_doc(ANNOUNCEMENT))
    pilots = [g.text for g in s.segments if g.kind == "list_item" and "pilot" not in g.text and ":" in g.text]
    assert "prevention: Haringey" in pilots


def test_numbered_clauses_are_paragraphs_and_lead_ins_open_lists():
    text = "# Title\n\n## 4. Quota\n\n4.2 In preparing that position, the UK Government will:\n\n- share its mandate;\n- report on each round.\n\n4.3 The parties agree to meet.\n"
    s = segment(doc_of(text, "t.md"))
    kinds = [(g.kind, g.text) for g in s.segments]
    assert ("paragraph", "In preparing that position, the UK Government will:") in kinds
    items = [g for g in s.segments if g.kind == "list_item"]
    assert [i.text for i in items] == ["share its mandate;", "report on each round."]
    assert all(s.segments[i.lead_in].text.endswith("will:") for i in items)
    assert s.sections[1].title == "Quota" and s.sections[1].enumerator == "4."


def test_hyphenation_across_lines():
    s = segment(doc_of("The parties will co-\noperate and pre-\npare a strat-\negy for the joint sub-\nregional plan.\n"))
    assert s.segments[0].text == "The parties will co-operate and pre-pare a strategy for the joint sub-regional plan."


def test_sentences_respect_abbreviations():
    text = "The Board, e.g. the LHB, will meet. No. 5 is next. It ends."
    assert [text[a:b] for a, b in sentences(text)] == ["The Board, e.g. the LHB, will meet.", "No. 5 is next.", "It ends."]


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
_LINES = st.lists(
    st.one_of(st.just(""), st.just(" "), st.just("INTRODUCTION"), st.just(" a bullet;"), st.just("a) Title"),
              st.just("12"), st.just("http://x.org/a"), st.just("1 A footnote."), _TEXT.map(lambda t: t.replace("\n", " "))),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(_LINES)
def test_segments_are_ordered_disjoint_and_slice_back(lines):
    text = "\n".join(lines)
    s = segment(doc_of(text))
    prev_end = 0
    for seg in s.segments:
        assert 0 <= seg.start <= seg.end <= len(text)
        assert seg.start >= prev_end
        prev_end = seg.end
        for i in range(len(seg.text)):
            assert 0 <= seg.offsets.source(i) < len(text)
        # No word character of a segment is invented: each maps to the same character.
        for i, ch in enumerate(seg.text):
            if ch.isalnum():
                assert text[seg.offsets.source(i)] == ch


def test_a_list_label_is_all_an_item_loses():
    text = "The council will:\n\na. publish the plan;\n\nii. consult the board.\n\na. :"
    items = [g for g in segment(doc_of(text)).segments if g.kind == "list_item"]
    assert [g.text for g in items] == ["publish the plan;", "consult the board.", ":"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghij klmnop.,;:", min_size=1, max_size=60), min_size=1, max_size=12))
def test_no_running_text_is_lost(paragraphs):
    # A paragraph opening "a. " or "ii. " is a list item, and that is its label, not
    # running text (test_a_list_label_is_all_an_item_loses below).
    assume(not any(re.match(r"\s*(?:[a-z]|[ivxlc]+)\.\s+\S", p) for p in paragraphs))
    text = "\n\n".join(p.replace("\n", " ") for p in paragraphs)
    s = segment(doc_of(text))
    kept = "".join(ch for g in s.segments for ch in g.text if ch.isalpha())
    assert kept == "".join(ch for ch in text if ch.isalpha())
