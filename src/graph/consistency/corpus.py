"""The corpus as the consistency checks read it back from the graph.

The checks compare one passage of text with another, so they read the source
texts out of the graph (``obl:SourceText``'s ``rdf:value``), take each one's
layout (passages, sentences, footnotes) from the store's manifest where the
build kept it for that very text, else segment it again
(:func:`graph.segment.segment`), and resolve names with a party register built
from the graph's own parties (so ``--parties`` files count too).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property

from graph.consistency.finding import Place
from graph.consistency.words import content_words
from graph.layout import Layout, fits, stored_layouts
from graph.model import Document, Party
from graph.parties import PARTY, PartyRegister
from graph.progress import progress
from graph.records import commitment_records
from graph.segment import segment
from graph.store import GraphStore

_CLASS = {"Post", "GovernanceBody", "PartyGroup", "Party"}

_DOCS = """SELECT ?a ?file ?title ?text WHERE {
  ?a a obl:Agreement ; obl:fileName ?file ; obl:sourceText ?t . ?t rdf:value ?text .
  OPTIONAL { ?a dcterms:title ?title }
} ORDER BY ?file"""
_SECTIONS = """SELECT ?a ?title ?ordinal ?start WHERE {
  ?s a obl:Section ; dcterms:isPartOf ?a ; dcterms:title ?title ; obl:ordinal ?ordinal ; obl:evidence ?ev .
  ?ev oa:hasSelector ?pos . ?pos a oa:TextPositionSelector ; oa:start ?start .
} ORDER BY ?a ?start"""
_PARTIES = """SELECT ?p ?label ?cls ?n ?discovered WHERE {
  ?p skos:prefLabel ?label ; obl:partyKind ?k ; a ?cls .
  OPTIONAL { ?p obl:declaredMemberCount ?n }
  OPTIONAL { ?p obl:discovered ?discovered }
}"""
_PARTY_LINKS = """SELECT ?p ?rel ?o WHERE {
  ?p obl:partyKind ?k .
  { ?p skos:altLabel ?o BIND("alias" AS ?rel) }
  UNION { ?p org:memberOf ?o BIND("member_of" AS ?rel) }
  UNION { ?p org:unitOf ?o BIND("unit_of" AS ?rel) }
  UNION { ?p org:headOf ?o BIND("head_of" AS ?rel) }
}"""
_COMMITMENT_COUNTS = """SELECT ?file (COUNT(?c) AS ?n) WHERE {
  ?c a obl:Commitment ; obl:agreement ?a . ?a obl:fileName ?file
} GROUP BY ?file"""
_SIGNATORIES = "SELECT ?a ?p WHERE { ?a a obl:Agreement ; obl:signatory ?p }"
_DECLARED = "SELECT ?g ?n WHERE { ?g obl:declaredMemberCount ?n }"
_MEMBERS = """SELECT ?g ?label WHERE {
  ?g obl:declaredMemberCount ?n . ?m org:memberOf ?g ; skos:prefLabel ?label
} ORDER BY ?g ?label"""


@dataclass
class Doc:
    """One document of the corpus: its text, sections, layout and commitment records."""

    iri: str
    file: str
    title: str
    text: str
    sections: list[tuple[int, str]]  # (start, title) in text order
    layout: Layout
    commitment_count: int = 0
    # Reads every document's commitment records from the graph, once, when first called.
    all_records: Callable[[], dict[str, list[dict]]] | None = field(default=None, repr=False, compare=False)

    @property
    def commitments(self) -> list[dict]:
        """This document's commitment records (read from the graph only when a check needs them)."""
        return self.all_records().get(self.file, []) if self.all_records else []

    def section_at(self, offset: int) -> str | None:
        """The title of the section the offset stands in."""
        i = bisect.bisect_right(self._section_starts, offset)
        return self.sections[i - 1][1] if i else None

    @cached_property
    def _section_starts(self) -> list[int]:
        return [start for start, _ in self.sections]

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(m.end() for m in re.finditer("\n", self.text))]

    def line_at(self, offset: int) -> int:
        """The line (from 1) the offset stands on."""
        # Looked up, not counted: OBL-102 places tens of thousands of passages.
        return bisect.bisect_right(self._line_starts, offset)

    def footnote_at(self, offset: int) -> str | None:
        """The footnote the offset stands in ("footnote 6"), or None."""
        for num, start, end in self.layout.footnotes:
            if start <= offset < end:
                return f"footnote {num}"
        return None

    def place(self, start: int, end: int, note: str | None = None) -> Place:
        """The passage from ``start`` to ``end``, with its section, line and footnote."""
        return Place(
            self.file, self.section_at(start), self.line_at(start), start, end,
            self.text[start:end], note or self.footnote_at(start),
        )

    @cached_property
    def headings(self) -> list[tuple[int, int]]:
        """The (start, end) of each heading."""
        return [(p.start, p.end) for p in self.layout.passages if p.kind == "heading"]

    @cached_property
    def heading_words(self) -> list[tuple[int, int, set[str]]]:
        """Each heading with its content words."""
        return [(a, b, set(content_words(self.text[a:b]))) for a, b in self.headings]

    @cached_property
    def sentence_words(self) -> list[tuple[int, int, set[str]]]:
        """Each sentence outside headings with its content words."""
        spans = [span for p in self.layout.passages if p.kind != "heading" for span in p.sentences]
        return [(a, b, set(content_words(self.text[a:b]))) for a, b in spans]

    def in_heading(self, offset: int) -> bool:
        """True when the offset stands in a heading."""
        # Headings come in text order and do not overlap: the one starting last
        # at or before the offset is the only one that can hold it.
        i = bisect.bisect_right(self._heading_starts, offset)
        return i > 0 and offset < self.headings[i - 1][1]

    @cached_property
    def _heading_starts(self) -> list[int]:
        return [a for a, _ in self.headings]


@dataclass
class Corpus:
    """The documents, the graph's parties as a register, and what the graph states about them."""

    docs: list[Doc]
    register: PartyRegister
    signatories: dict[str, set[str]]  # document IRI -> party keys
    declared: dict[str, int] = field(default_factory=dict)  # party key -> obl:declaredMemberCount
    members: dict[str, list[str]] = field(default_factory=dict)  # party key -> labels of its members

    @cached_property
    def mentions(self) -> dict[str, list[tuple[int, int, Party]]]:
        """Each document's party names: (start, end, party) by document IRI."""
        return self.find_mentions()

    def find_mentions(self, quiet: bool = True) -> dict[str, list[tuple[int, int, Party]]]:
        """Find every document's party names now (with a progress bar unless ``quiet``); kept as :attr:`mentions`."""
        found = {d.iri: self.register.find_mentions(d.text)
                 for d in progress(self.docs, quiet, "finding names", len(self.docs))}
        self.__dict__["mentions"] = found  # where cached_property keeps it
        return found

    @cached_property
    def _mention_ends(self) -> dict[str, list[int]]:
        # Mentions do not overlap and come in text order, so their ends are sorted too.
        return {iri: [end for _, end, _ in found] for iri, found in self.mentions.items()}

    def mentioned_at(self, doc: Doc, start: int, end: int) -> bool:
        """True when a party's name in ``doc`` overlaps ``start``-``end``."""
        found = self.mentions[doc.iri]
        i = bisect.bisect_right(self._mention_ends[doc.iri], start)  # the first mention ending after start
        return i < len(found) and found[i][0] < end

    @cached_property
    def _first_mentions(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Each document's first mention of each party outside headings: key -> (start, end)."""
        out: dict[str, dict[str, tuple[int, int]]] = {}
        for doc in self.docs:
            first = out[doc.iri] = {}
            for start, end, party in self.mentions[doc.iri]:
                if party.key not in first and not doc.in_heading(start):
                    first[party.key] = (start, end)
        return out

    @cached_property
    def _first_doc(self) -> dict[str, Doc]:
        """The first document (in corpus order) that names each party outside a heading."""
        out: dict[str, Doc] = {}
        for doc in self.docs:
            for key in self._first_mentions[doc.iri]:
                out.setdefault(key, doc)
        return out

    @cached_property
    def summary_pairs(self) -> list[tuple[Doc, Doc, list[tuple[int, int]]]]:
        """(summary, source, scope) for each document that summarises another (see :func:`summary_pairs`)."""
        # Kept: the summary checks and the signatory checks both read them.
        return _summary_pairs(self)

    def first_mention(self, key: str, prefer: Doc | None = None) -> Place | None:
        """Where a party is first named outside a heading, looking in ``prefer`` first."""
        # Looked up, not searched: at 1,000 documents OBL-102 asks this 120,000 times,
        # and walking the documents each time took 37 s.
        if prefer is not None and (span := self._first_mentions[prefer.iri].get(key)) is not None:
            return prefer.place(*span)
        doc = self._first_doc.get(key)
        return doc.place(*self._first_mentions[doc.iri][key]) if doc is not None else None


def load_corpus(store: GraphStore, quiet: bool = True) -> Corpus:
    """The documents, parties, signatories and declared group sizes of the graph.

    Args:
        store: The graph.
        quiet: False for a progress bar on stderr (on a terminal only).
    """
    sections: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in store.select(_SECTIONS):
        sections[row["a"]].append((int(row["start"]), str(row["title"])))
    # Only a summary and its source need their commitments' records, which take
    # seconds to read at 1,000 documents; the rest need how many there are.
    counts = {str(r["file"]): int(r["n"]) for r in store.select(_COMMITMENT_COUNTS)}

    @cache
    def all_records() -> dict[str, list[dict]]:
        records = defaultdict(list)
        for r in commitment_records(store):
            records[r["document"]].append(r)
        return records

    stored = stored_layouts(store)
    docs = []
    rows = store.select(_DOCS)
    for row in progress(rows, quiet, "reading texts", len(rows)):
        text = str(row["text"])
        file = str(row["file"])
        layout = _layout(row["a"].rsplit("/", 1)[-1], file, text, stored)
        docs.append(Doc(row["a"], file, str(row.get("title") or file), text, sorted(sections[row["a"]]),
                        layout, counts.get(file, 0), all_records))
    signatories: dict[str, set[str]] = defaultdict(set)
    for row in store.select(_SIGNATORIES):
        signatories[row["a"]].add(party_key(row["p"]))
    declared = {party_key(r["g"]): int(r["n"]) for r in store.select(_DECLARED)}
    members: dict[str, list[str]] = defaultdict(list)
    for r in store.select(_MEMBERS):
        members[party_key(r["g"])].append(str(r["label"]))
    return Corpus(docs, _register(store), signatories, declared, members)


def _layout(doc_id: str, file: str, text: str, stored: dict[str, tuple[str, str]]) -> Layout:
    """The document's layout as the build stored it for this very text, else segmented now."""
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    kept = stored.get(doc_id)
    if kept is not None and kept[0] == sha256:
        try:
            layout = Layout.loads(kept[1])
        except ValueError:
            layout = None  # a damaged manifest entry: segmented again, as below
        if layout is not None and fits(layout, len(text)):
            return layout
    doc = Document(doc_id=doc_id, name=file, path=file, format="txt", text=text, sha256=sha256)
    return Layout.of(segment(doc))


def party_key(iri: str) -> str:
    """The register key of a party IRI (``id:party/<key>``), else the IRI's last part."""
    return iri[len(PARTY):] if iri.startswith(PARTY) else iri.rsplit("/", 1)[-1]


def _register(store: GraphStore) -> PartyRegister:
    """The parties the graph holds (register and discovered), as a register for finding names."""
    fields: dict[str, dict] = {}
    for row in store.select(_PARTIES):
        if not str(row["p"]).startswith(PARTY):
            continue
        cls = str(row["cls"]).rsplit("#", 1)[-1]
        f = fields.setdefault(party_key(row["p"]), {"label": str(row["label"]), "cls": "Party", "aliases": [],
                                                    "member_of": [], "head_of": [], "unit_of": None})
        if cls in _CLASS and (f["cls"] == "Party" or cls != "Party"):
            f["cls"] = cls
        if row.get("n") is not None:
            f["declared_members"] = int(row["n"])
        if row.get("discovered"):
            f["discovered"] = True
    for row in store.select(_PARTY_LINKS):
        f = fields.get(party_key(row["p"]))
        if f is None:
            continue
        if row["rel"] == "alias":
            f["aliases"].append(str(row["o"]))
        elif row["rel"] == "unit_of":
            f["unit_of"] = party_key(row["o"])
        else:
            f[row["rel"]].append(party_key(row["o"]))
    parties = {}
    for key, f in fields.items():
        f["aliases"] = tuple(sorted(set(f["aliases"]) - {f["label"]}))
        f["member_of"] = tuple(sorted(set(f["member_of"])))
        f["head_of"] = tuple(sorted(set(f["head_of"])))
        parties[key] = Party(key=key, **f)
    return PartyRegister(parties)


def summary_pairs(corpus: Corpus) -> list[tuple[Doc, Doc, list[tuple[int, int]]]]:
    """(summary, source, scope) for each document that summarises another, worked out once per corpus."""
    return corpus.summary_pairs


def _summary_pairs(corpus: Corpus) -> list[tuple[Doc, Doc, list[tuple[int, int]]]]:
    """(summary, source, scope) for each document that summarises another.

    A summary is under half as long as its source, holds few commitments of its
    own, and names the source by its title's words in one heading or sentence;
    its scope is the sections whose heading names the source (the whole document
    when none does).
    """
    out = []
    # A source has at least three commitments and a title of two words or more;
    # each title's words are worked out once, not once per pair of documents.
    sources = [(t, title) for t in corpus.docs if t.commitment_count >= 3 and len(title := title_words(t)) >= 2]
    for s in corpus.docs:
        best = None
        for t, title in sources:
            # A summary is short: under half its source's length, and with few commitments of its own.
            if t is s or len(s.text) * 2 > len(t.text) or s.commitment_count > max(3, t.commitment_count // 5):
                continue
            headings = [(a, b) for a, b, words in s.heading_words if title <= words]
            named = headings or [(a, b) for a, b, words in s.sentence_words if title <= words]
            if named and (best is None or t.commitment_count > best[1].commitment_count):
                best = (s, t, headings)
        if best:
            s, t, headings = best
            if headings:
                scope = []
                starts = [a for a, _ in s.sections] + [len(s.text)]
                for a, _ in headings:
                    nxt = next((x for x in starts if x > a), len(s.text))
                    scope.append((a, nxt))
            else:
                scope = [(0, len(s.text))]
            out.append((s, t, scope))
    return out


def title_words(doc: Doc) -> set[str]:
    """The content words of a document's title, numbers left out: what naming the document takes."""
    return {w for w in content_words(doc.title) if not w.isdigit()}
