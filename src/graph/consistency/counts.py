"""Counts (OBL-103, OBL-104): stated counts against lists, each other and declared group sizes.

A number before a plural noun ("five pilots") is checked against the items of
the list it introduces (an item's "(2 pilots)" counts as two) and against the
same count stated elsewhere; a count of a party ("32 CCGs") against the other
counts of it and its ``obl:declaredMemberCount``; and that declared size
against the members the register records.
"""

from __future__ import annotations

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
_PREPOSITIONS = frozenset("of for in to from with at on by per than about over under between into".split())


@dataclass(frozen=True)
class _Stated:
    doc: Doc
    value: int
    noun: str  # singular form of the counted noun, or the party key
    start: int
    end: int


def _numbers(doc: Doc, text_start: int, text: str) -> Iterable[tuple[int, re.Match]]:
    """Numbers that may count something: not years, footnote numbers, section numbers or "(2 pilots)"."""
    notes = {start for _, start, _ in doc.structure.footnotes}
    for m in _COUNT.finditer(text):
        value = number(m.group(1))
        if value is None or value < 2 or (1900 <= value <= 2100 and m.group(1).isdigit()):
            continue
        before = text[max(0, m.start() - 20) : m.start()]
        if _NOT_COUNT_BEFORE.search(before) or before.rstrip().endswith("(") or text_start + m.start() in notes:
            continue
        yield value, m


def _counts_in(doc: Doc, text_start: int, text: str, max_gap: int = 2) -> list[_Stated]:
    """Counts before a plural noun in a stretch of source text ("five pilots", "the five devolution pilots")."""
    out = []
    for value, m in _numbers(doc, text_start, text):
        rest = text[m.end() :]
        words = list(re.finditer(r"\S+", rest[:160]))
        for w in words[: max_gap + 1]:
            bare = w.group(0).strip("'’‘\"“”")
            word = re.sub(r"[.,;:!?)]+$", "", bare)
            if not re.fullmatch(r"[A-Za-z][A-Za-z-]*", word) or word.lower() in _PREPOSITIONS:
                break
            if word.lower().endswith("s") and not word.lower().endswith("ss") and word.lower() not in STOP_WORDS:
                end = m.end() + w.start() + w.group(0).find(word) + len(word)
                out.append(_Stated(doc, value, singular(word), text_start + m.start(1), text_start + end))
                break
            if word != bare:  # punctuation ends the noun phrase
                break
    return out


def count_findings(corpus: Corpus) -> list[ConsistencyFinding]:
    """OBL-103 and OBL-104: counts against lists, against each other, against declared sizes."""
    out: list[ConsistencyFinding] = []
    for doc in corpus.docs:
        segs = doc.structure.segments
        listed: dict[str, tuple[int, _Stated, list]] = {}
        for idx, seg in enumerate(segs):
            items = [s for s in segs if s.kind == "list_item" and s.lead_in == idx]
            if not items:
                continue
            for stated in _counts_in(doc, seg.start, doc.text[seg.start : seg.end], max_gap=3):
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
        for stated in _counts_in(doc, 0, doc.text):
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
    for s in _party_counts(corpus):
        by_party[s.noun].append(s)
    for key, stated in sorted(by_party.items()):
        expected = declared.get(key)
        label = corpus.register[key].label
        for s in stated:
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
                later = [o for o in stated if (o.doc.iri, o.start) > (s.doc.iri, s.start)]
                other = next((o for o in later if o.value != s.value), None)
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


def _party_counts(corpus: Corpus) -> list[_Stated]:
    """Numbers just before a party's name that count it ("all 32 CCGs"), in document order."""
    out = []
    for doc in corpus.docs:
        mentions = corpus.mentions[doc.iri]
        for value, m in _numbers(doc, 0, doc.text):
            for start, end, party in mentions:
                if start < m.end():
                    continue
                between = doc.text[m.end() : start]
                words = between.split()
                # Only modifiers between the number and the name: "all 32 CCGs", "six newly established ... boards".
                punctuated = re.search(r"[^\w\s’'-]", between)
                if len(words) > 4 or punctuated or any(w.lower() in _PREPOSITIONS for w in words):
                    break
                plural = doc.text[start:end].rstrip().endswith("s")
                if party.cls == "PartyGroup" or party.declared_members is not None or plural:
                    out.append(_Stated(doc, value, party.key, m.start(1), end))
                break
    return out
