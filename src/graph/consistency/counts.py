"""Counts (OBL-103, OBL-104): stated counts against lists, each other and declared group sizes.

A number before a plural noun ("five pilots") is checked against the items of
the list it introduces (an item's "(2 pilots)" counts as two) and against the
same count stated elsewhere; a count of a party ("32 CCGs") against the other
counts of it and its ``obl:declaredMemberCount``; and that declared size
against the members the register records.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graph.consistency.corpus import Corpus, Doc
from graph.consistency.finding import ConsistencyFinding, Place, short
from graph.consistency.words import NUMBER, STOP_WORDS, number, singular
from graph.parties import party_iri

_COUNT = re.compile(
    r"(?<![\w.,/%-])(" + NUMBER + r")(?![\w.,/%-]|\s*(?:million|thousand|billion|per\s?cent|percent)\b)", re.I
)
_NOT_COUNT_BEFORE = re.compile(
    r"(?:section|part|annex|clause|page|paragraph|footnote|line|chapter|article|schedule|phase|stage|tier|"
    r"step|level|year|table|figure|item|no|number|version|january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\W*$", re.I,
)
# Compiled once: these run at every number of every document.
_RUN = re.compile(r"\S+")
_TRAILING_PUNCTUATION = re.compile(r"[.,;:!?)]+$")
_PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
_PUNCTUATION = re.compile(r"[^\w\s’'-]")
_PREPOSITIONS = frozenset("of for in to from with at on by per than about over under between into".split())


@dataclass(frozen=True)
class _Stated:
    doc: Doc
    value: int
    noun: str  # singular form of the counted noun, or the party key
    start: int
    end: int


def _number_spans(doc: Doc) -> list[tuple[int, int, int]]:
    """``(start, end, value)`` of each number in the text that may count something: not a year, not a footnote's number."""
    # Found once per document: the checks then ask for the numbers of many
    # stretches of it, and scanning the text again for each took seconds at 1,000 documents.
    notes = {start for _, start, _ in doc.layout.footnotes}
    out = []
    for m in _COUNT.finditer(doc.text):
        value = number(m.group(1))
        if value is None or value < 2 or (1900 <= value <= 2100 and m.group(1).isdigit()) or m.start() in notes:
            continue
        out.append((m.start(), m.end(), value))
    return out


def _numbers(doc: Doc, spans: list[tuple[int, int, int]], start: int, end: int) -> Iterable[tuple[int, int, int]]:
    """The numbers between ``start`` and ``end`` that may count something: not section numbers or "(2 pilots)"."""
    for i in range(bisect.bisect_left(spans, (start,)), len(spans)):
        s, e, value = spans[i]
        if e > end:
            break
        # What stands before the number, within the stretch: "Section 5", "(2 pilots)".
        before = doc.text[max(start, s - 20) : s]
        if _not_a_count_after(before) or before.rstrip().endswith("("):
            continue
        yield value, s, e


_LONGEST_NOT_COUNT_WORD = 9  # "september", "paragraph": the longest word of _NOT_COUNT_BEFORE


def _not_a_count_after(before: str) -> bool:
    """True when the text before a number ends in a word that makes it a label ("Section", "year", "No.")."""
    # The word must end where the text's trailing non-word characters begin, so the
    # search starts a word's length before that point, not at every position.
    end = len(before)
    while end and not (before[end - 1].isalnum() or before[end - 1] == "_"):
        end -= 1
    return _NOT_COUNT_BEFORE.search(before, max(0, end - _LONGEST_NOT_COUNT_WORD)) is not None


def _counts_in(doc: Doc, spans: list[tuple[int, int, int]], start: int, end: int, max_gap: int = 2) -> list[_Stated]:
    """Counts before a plural noun between two offsets ("five pilots", "the five devolution pilots")."""
    out = []
    for value, s, e in _numbers(doc, spans, start, end):
        # The words just after the number, read in place (no copy of the rest of the text).
        for w in itertools.islice(_RUN.finditer(doc.text, e, min(e + 160, end)), max_gap + 1):
            bare = w.group(0).strip("'’‘\"“”")
            word = _TRAILING_PUNCTUATION.sub("", bare)
            if not _PLAIN_WORD.fullmatch(word) or word.lower() in _PREPOSITIONS:
                break
            if word.lower().endswith("s") and not word.lower().endswith("ss") and word.lower() not in STOP_WORDS:
                out.append(_Stated(doc, value, singular(word), s, w.start() + w.group(0).find(word) + len(word)))
                break
            if word != bare:  # punctuation ends the noun phrase
                break
    return out


def count_findings(corpus: Corpus) -> list[ConsistencyFinding]:
    """OBL-103 and OBL-104: counts against lists, against each other, against declared sizes."""
    out: list[ConsistencyFinding] = []
    numbers = {doc.iri: _number_spans(doc) for doc in corpus.docs}
    for doc in corpus.docs:
        spans = numbers[doc.iri]
        segs = doc.layout.passages
        listed: dict[str, tuple[int, _Stated, list]] = {}
        items_of: dict[int, list] = defaultdict(list)  # lead-in's index -> its list items, in order
        for s in segs:
            if s.kind == "list_item" and s.lead_in is not None:
                items_of[s.lead_in].append(s)
        for idx, items in sorted(items_of.items()):
            seg = segs[idx]
            for stated in _counts_in(doc, spans, seg.start, seg.end, max_gap=3):
                counted = sum(_item_weight(doc.text[s.start : s.end], stated.noun) for s in items)
                listed.setdefault(stated.noun, (counted, stated, items))
                if counted != stated.value:
                    a = doc.place(stated.start, stated.end)
                    b = doc.place(items[0].start, items[-1].end)
                    out.append(ConsistencyFinding(
                        "OBL-103", "warning",
                        f"\"{short(a.quote)}\" ({a.describe()}) says {stated.value}, but the list that follows names "
                        f"{counted} ({len(items)} items{_weights_note(doc, items, stated.noun)}).",
                        (a, b), doc.iri,
                    ))
        # The same count stated elsewhere in the document, against the list.
        for stated in _counts_in(doc, spans, 0, len(doc.text)):
            if stated.noun not in listed or doc.in_heading(stated.start):
                continue
            counted, lead, items = listed[stated.noun]
            if stated.value != counted and not (lead.start <= stated.start < lead.end):
                a = doc.place(stated.start, stated.end)
                b = doc.place(items[0].start, items[-1].end)
                out.append(ConsistencyFinding(
                    "OBL-103", "warning",
                    f"\"{short(a.quote)}\" ({a.describe()}) says {stated.value}, but the list at {b.describe()} "
                    f"names {counted}.",
                    (a, b), doc.iri,
                ))
    # Counts of a party ("32 CCGs", "six ... estates boards"): against each other and the declared size.
    declared = corpus.declared
    by_party: dict[str, list[_Stated]] = defaultdict(list)
    for s in _party_counts(corpus, numbers):
        by_party[s.noun].append(s)
    for key, stated in sorted(by_party.items()):
        expected = declared.get(key)
        label = corpus.register[key].label
        next_different = _next_different(stated)
        for i, s in enumerate(stated):
            a = s.doc.place(s.start, s.end)
            if expected is not None and s.value != expected:
                agreeing = next((o for o in stated if o.value == expected), None)
                b = agreeing.doc.place(agreeing.start, agreeing.end) if agreeing else _register_place(label, expected)
                out.append(ConsistencyFinding(
                    "OBL-103", "warning",
                    f"\"{short(a.quote)}\" ({a.describe()}) counts {s.value} {label}, but "
                    + (f"\"{short(b.quote)}\" ({b.describe()}) counts {expected}" if agreeing
                       else f"the party register declares {expected}") + ".",
                    (a, b), s.doc.iri,
                ))
            elif expected is None:
                other = next_different[i]
                if other is not None:
                    b = other.doc.place(other.start, other.end)
                    out.append(ConsistencyFinding(
                        "OBL-103", "warning",
                        f"\"{short(a.quote)}\" ({a.describe()}) counts {s.value} {label}, but \"{short(b.quote)}\" "
                        f"({b.describe()}) counts {other.value}.",
                        (a, b), s.doc.iri,
                    ))
    for key, n in sorted(declared.items()):
        listed_members = corpus.members.get(key, [])
        if listed_members and len(listed_members) != n:
            label = corpus.register[key].label if key in corpus.register else key
            stated = next(iter(by_party.get(key, [])), None)
            a = stated.doc.place(stated.start, stated.end) if stated else _register_place(label, n)
            b = Place(None, None, None, None, None, "; ".join(listed_members), "party register: members")
            out.append(ConsistencyFinding(
                "OBL-104", "warning" if len(listed_members) > n else "info",
                f"{label} is declared to have {n} members, but {len(listed_members)} are recorded as its members: "
                f"{'; '.join(listed_members)}.",
                (a, b), stated.doc.iri if stated else str(party_iri(key)),
            ))
    return out


def _next_different(stated: list[_Stated]) -> list[_Stated | None]:
    """For each count, the first count after it in reading order with another value, or None.

    Worked back from the end in one pass: a party counted thousands of times
    across a corpus made a scan of the later counts for each count quadratic.
    """
    out: list[_Stated | None] = [None] * len(stated)
    for i in range(len(stated) - 2, -1, -1):
        nxt = stated[i + 1]
        out[i] = nxt if nxt.value != stated[i].value else out[i + 1]
    return out


def _register_place(label: str, count: int) -> Place:
    return Place(None, None, None, None, None, f"{label}: declared member count {count}", "party register")


def _item_weight(item: str, noun: str) -> int:
    """How many of the counted things one list item names: "(2 pilots)" is two."""
    for m in re.finditer(r"\(\s*(" + NUMBER + r")\s+([A-Za-z-]+)\s*\)", item, re.I):
        if singular(m.group(2)) == noun:
            return number(m.group(1)) or 1
    return 1


def _weights_note(doc: Doc, items, noun: str) -> str:
    heavy = [doc.text[s.start : s.end] for s in items if _item_weight(doc.text[s.start : s.end], noun) != 1]
    return "".join(f"; \"{' '.join(h.split())}\" counted as {_item_weight(h, noun)}" for h in heavy)


def _party_counts(corpus: Corpus, numbers: dict[str, list[tuple[int, int, int]]]) -> list[_Stated]:
    """Numbers just before a party's name that count it ("all 32 CCGs"), in document order."""
    out = []
    for doc in corpus.docs:
        mentions = corpus.mentions[doc.iri]
        starts = [start for start, _, _ in mentions]
        for value, n_start, n_end in _numbers(doc, numbers[doc.iri], 0, len(doc.text)):
            # Only the first name after the number can be what it counts.
            i = bisect.bisect_left(starts, n_end)
            if i == len(mentions):
                continue
            start, end, party = mentions[i]
            between = doc.text[n_end : start]
            words = between.split()
            # Only modifiers between the number and the name: "all 32 CCGs", "six newly established ... boards".
            punctuated = _PUNCTUATION.search(between)
            if len(words) > 4 or punctuated or any(w.lower() in _PREPOSITIONS for w in words):
                continue
            plural = doc.text[start:end].rstrip().endswith("s")
            if party.cls == "PartyGroup" or party.declared_members is not None or plural:
                out.append(_Stated(doc, value, party.key, n_start, end))
    return out
