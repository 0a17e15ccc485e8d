"""Consistency across the documents of a corpus: names, counts, summaries, signatories.

The SHACL catalogue checks each node of the graph against its shape; these
checks compare one passage of text with another, so they read the source
texts back out of the graph (``obl:SourceText``'s ``rdf:value``), re-derive
their structure with :func:`graph.segment.segment`, and resolve names with a
party register built from the graph's own parties (so ``--parties`` files
count too).

- Names: one body written two similar ways ("Work and Health Unit" and "Joint
  Health and Work Unit"), and a name no register knows that looks like a known
  body's ("Strategic Planning Groups" beside "Strategic Partnership Groups").
- Counts: a count stated before a list against the items listed (an item's
  "(2 pilots)" counts as two), the same count stated elsewhere, and a group's
  stated size against ``obl:declaredMemberCount`` and its listed members.
- Summaries: a short document that names another one (an announcement of an
  agreement) is read claim by claim; a claim no commitment of the source
  supports, a claim stronger than the commitment that supports it, and a
  section of the source the summary leaves out are findings.
- Signatories: who a summary says signed, against the source's signatories.

Every finding quotes both sides with their document, section, line and
character offsets.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from graph.model import Document, Party, Structure
from graph.parties import PartyRegister
from graph.records import commitment_records
from graph.segment import segment
from graph.store import GraphStore

if TYPE_CHECKING:  # pragma: no cover
    from graph.check import Rule
    from graph.report import Finding, Report

_SHAPES = "https://w3id.org/obligraph/shapes#"
_PARTY = "https://w3id.org/obligraph/id/party/"
_CLASS = {"Post", "GovernanceBody", "PartyGroup", "Party"}

# rule id -> (name, severity, message, description)
_CATALOGUE = {
    "OBL-101": ("One body, several names", "warning", "A body is named in two similar but different ways",
                "The same party is written two ways that differ by more than case or abbreviation "
                "(for example a word added or the word order changed), within a document or across documents."),
    "OBL-102": ("Similar names", "warning", "A name no register knows is close to a known body's name",
                "A capitalised name that resolves to no party looks like the name of a party the corpus "
                "mentions: either one body under two names, or two bodies with confusingly similar names."),
    "OBL-103": ("Count against list", "warning", "A stated count does not match what is listed or stated elsewhere",
                "A number before a plural noun (\"five pilots\", \"32 CCGs\") against the items of the list it "
                "introduces (\"(2 pilots)\" counts as two), the same count stated elsewhere, and the group's "
                "declared member count."),
    "OBL-104": ("Declared members", "warning", "A group's declared member count differs from its listed members",
                "obl:declaredMemberCount against the parties recorded as members (org:memberOf) of the group."),
    "OBL-105": ("Unsupported claim", "warning", "A summary claims something no commitment of its source says",
                "A claim of a summary or announcement (a bullet under \"covers\" or \"commits\", or a sentence "
                "saying what the agreement commits to) that matches no commitment of the agreement it describes."),
    "OBL-106": ("Claim stronger than source", "warning", "A summary claims more than its source commits to",
                "A claim whose wording asserts delivery (\"provision of\", \"provide\") or whose lead-in asserts a "
                "stronger modality than the commitment of the source that supports it."),
    "OBL-107": ("Section left out", "info", "A section of the source with commitments is not in its summary",
                "A section of the agreement holding commitments that no claim of the summary matches."),
    "OBL-108": ("Signatory named differently", "info", "A signatory is named differently in two documents",
                "Who a document says signed another, against the signatories the other states: a post for its "
                "department, another name for the same party, or a body that is not a party (warning)."),
}

_STOP = frozenset(
    "a an the of for and or to in on at by with from into as is are be been being this that these those it its "
    "their they them we our us which who whom whose will would shall should can could may might must have has had "
    "do does did not no any all both each other such than then there here so also including include includes "
    "through via within without between across over under up per where when while what how how about".split()
)
_NAME_LINKS = frozenset("of for and the on in &".split())
_LEADING = frozenset(
    "the a an all both each any this these those our their its in on by with under given although while once "
    "if as at from and or but however additionally".split()
)
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(_NUMBER_WORDS) + r")"
_COUNT = re.compile(
    r"(?<![\w.,/%-])(" + _NUMBER + r")(?![\w.,/%-]|\s*(?:million|thousand|billion|per\s?cent|percent)\b)", re.I
)
_NOT_COUNT_BEFORE = re.compile(
    r"(?:section|part|annex|clause|page|paragraph|footnote|line|chapter|article|schedule|phase|stage|tier|"
    r"step|level|year|table|figure|item|no|number|version|january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\W*$", re.I,
)
_PREPOSITIONS = frozenset("of for in to from with at on by per than about over under between into".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_CAP_WORD = r"[A-Z][A-Za-z’'&-]*"
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_CAP_PHRASE = re.compile(rf"{_CAP_WORD}(?:{_GAP}(?:(?:of|for|and|the|on|in|&){_GAP})?{_CAP_WORD})*")
# Words of a claim that assert delivery rather than talk about it.
_DELIVERY = frozenset(
    "provision provide provides providing deliver delivers delivering delivery guarantee guarantees guaranteeing "
    "transfer transfers transferring give gives giving".split()
)
# Words a summary uses to say what an agreement holds ("this commits government to", "cover:").
_CLAIM_CUE = re.compile(
    r"\b(?:commits?|committing|covers?|covering|includes|sets? out|agrees?|provides|pledges?|promises?|undertakes?)\b",
    re.I,
)
_SIGN = re.compile(r"\bsign(?:s|ed|ing|atory|atories)?\b", re.I)
# Words the agreements in this field use for one idea; matching folds each to its first word.
_RELATED = (
    ("money", "fund", "funding", "funds", "cash", "money", "monies", "budget", "budgets", "grant", "grants"),
    ("finance", "financial", "finances", "fiscal", "deficit", "deficits", "recovery", "balance", "surplus"),
    ("estate", "estates", "asset", "assets", "land", "property"),
    ("regulation", "regulation", "regulate", "regulatory", "regulator", "inspection", "registration", "licensing",
     "licence", "license"),
    ("workforce", "workforce", "staff", "staffing"),
    ("employment", "employment", "jobs", "job", "unemployed", "labour"),
    ("devolve", "devolve", "devolving", "devolved", "devolution"),
)
_CONCEPT = {w: group[0] for group in _RELATED for w in group[1:]}
_MODALITY_RANK = {"aspiration": 1, "exploration": 2, "intention": 3, "commitment": 4}
_SUPPORT = 0.33  # share of a claim's weighted words a commitment must hold to support it


# --- records ------------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """One side of a finding: a quoted passage and where it stands.

    Attributes:
        document: File name of the document, or None for the party register.
        section: Title of the section it stands in, if any.
        line: 1-based line of ``start``.
        start: Offset of the quote in the source text (code points).
        end: Offset just past the quote.
        quote: The words, as written in the source.
        note: Where else it is ("footnote 6", "party register").
    """

    document: str | None
    section: str | None
    line: int | None
    start: int | None
    end: int | None
    quote: str
    note: str | None = None

    def describe(self) -> str:
        """Where it is, in words: 'agreement.txt, line 12 (footnote 6)'."""
        where = [self.document or "party register"]
        if self.line is not None:
            where.append(f"line {self.line}")
        text = ", ".join(where)
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class ConsistencyFinding:
    """One inconsistency between two passages (or a passage and the register).

    Attributes:
        rule_id: ``OBL-101`` ... ``OBL-108``.
        severity: ``warning`` or ``info``.
        message: What is inconsistent, in plain English.
        sides: The passages compared, first the one the finding is about.
        focus: IRI of the node it concerns (the document of the first side).
    """

    rule_id: str
    severity: str
    message: str
    sides: tuple[Place, ...]
    focus: str = ""

    @property
    def left(self) -> Place:
        """The passage the finding is about."""
        return self.sides[0]

    @property
    def right(self) -> Place | None:
        """The passage it is compared with."""
        return self.sides[1] if len(self.sides) > 1 else None

    def to_dict(self) -> dict:
        """A plain dict for JSON."""
        return asdict(self)


def consistency_rules() -> list[Rule]:
    """The rules of this module, for ``obligraph rules`` and the check report."""
    from graph.check import Rule

    return [Rule(rid, name, sev, msg, desc, True, _SHAPES + rid) for rid, (name, sev, msg, desc) in _CATALOGUE.items()]


# --- the corpus as read back from the graph --------------------------------------------
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
_SIGNATORIES = "SELECT ?a ?p WHERE { ?a a obl:Agreement ; obl:signatory ?p }"


@dataclass
class _Doc:
    iri: str
    file: str
    title: str
    text: str
    sections: list[tuple[int, str]]  # (start, title) in text order
    structure: Structure
    commitments: list[dict] = field(default_factory=list)

    def section_at(self, offset: int) -> str | None:
        title = None
        for start, t in self.sections:
            if start > offset:
                break
            title = t
        return title

    def footnote_at(self, offset: int) -> str | None:
        for num, start, end in self.structure.footnotes:
            if start <= offset < end:
                return f"footnote {num}"
        return None

    def place(self, start: int, end: int, note: str | None = None) -> Place:
        return Place(
            self.file, self.section_at(start), self.text.count("\n", 0, start) + 1, start, end,
            self.text[start:end], note or self.footnote_at(start),
        )

    @cached_property
    def headings(self) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self.structure.segments if s.kind == "heading"]

    @cached_property
    def heading_words(self) -> list[tuple[int, int, set[str]]]:
        return [(a, b, set(_content(self.text[a:b]))) for a, b in self.headings]

    @cached_property
    def sentence_words(self) -> list[tuple[int, int, set[str]]]:
        spans = [span for seg in self.structure.segments if seg.kind != "heading" for span in _sentences(seg)]
        return [(a, b, set(_content(self.text[a:b]))) for a, b in spans]

    def in_heading(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self.headings)


@dataclass
class _Corpus:
    docs: list[_Doc]
    register: PartyRegister
    signatories: dict[str, set[str]]  # document IRI -> party keys

    @cached_property
    def mentions(self) -> dict[str, list[tuple[int, int, Party]]]:
        return {d.iri: self.register.find_mentions(d.text) for d in self.docs}


def _load(store: GraphStore) -> _Corpus:
    sections: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in store.select(_SECTIONS):
        sections[row["a"]].append((int(row["start"]), str(row["title"])))
    records = defaultdict(list)
    for r in commitment_records(store):
        records[r["document"]].append(r)
    docs = []
    for row in store.select(_DOCS):
        text = str(row["text"])
        file = str(row["file"])
        doc = Document(
            doc_id=row["a"].rsplit("/", 1)[-1], name=file, path=file, format="txt", text=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        )
        docs.append(_Doc(row["a"], file, str(row.get("title") or file), text, sorted(sections[row["a"]]),
                         segment(doc), records[file]))
    signatories: dict[str, set[str]] = defaultdict(set)
    for row in store.select(_SIGNATORIES):
        signatories[row["a"]].add(_key(row["p"]))
    return _Corpus(docs, _register(store), signatories)


def _key(iri: str) -> str:
    return iri[len(_PARTY):] if iri.startswith(_PARTY) else iri.rsplit("/", 1)[-1]


def _register(store: GraphStore) -> PartyRegister:
    """The parties the graph holds (register and discovered), as a register for finding names."""
    fields: dict[str, dict] = {}
    for row in store.select(_PARTIES):
        if not str(row["p"]).startswith(_PARTY):
            continue
        cls = str(row["cls"]).rsplit("#", 1)[-1]
        f = fields.setdefault(_key(row["p"]), {"label": str(row["label"]), "cls": "Party", "aliases": [],
                                               "member_of": [], "head_of": [], "unit_of": None})
        if cls in _CLASS and (f["cls"] == "Party" or cls != "Party"):
            f["cls"] = cls
        if row.get("n") is not None:
            f["declared_members"] = int(row["n"])
        if row.get("discovered"):
            f["discovered"] = True
    for row in store.select(_PARTY_LINKS):
        f = fields.get(_key(row["p"]))
        if f is None:
            continue
        if row["rel"] == "alias":
            f["aliases"].append(str(row["o"]))
        elif row["rel"] == "unit_of":
            f["unit_of"] = _key(row["o"])
        else:
            f[row["rel"]].append(_key(row["o"]))
    parties = {}
    for key, f in fields.items():
        f["aliases"] = tuple(sorted(set(f["aliases"]) - {f["label"]}))
        f["member_of"] = tuple(sorted(set(f["member_of"])))
        f["head_of"] = tuple(sorted(set(f["head_of"])))
        parties[key] = Party(key=key, **f)
    return PartyRegister(parties)


# --- words ----------------------------------------------------------------------------
def _singular(word: str) -> str:
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s?$", "", w)
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _stem(word: str) -> str:
    """A crude stem: plural, possessive and common suffixes off, related words folded together."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s?$", "", w)
    if w in _CONCEPT:
        return _CONCEPT[w]
    w = _singular(w)
    if w in _CONCEPT:
        return _CONCEPT[w]
    for suffix in ("ational", "ations", "ation", "tions", "tion", "ments", "ment", "ings", "ing", "ions", "ion",
                   "ised", "ized", "ise", "ize", "ate", "ed", "er", "al", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":  # committ -> commit
                w = w[:-1]
            break
    return w[:-1] if w.endswith("e") and len(w) > 4 else w


def _content(text: str) -> list[str]:
    words = (part for w in _WORD.findall(text) for part in w.split("-"))
    return [_stem(w) for w in words if w.lower() not in _STOP and len(w) > 1]


def _name_tokens(name: str) -> tuple[str, ...]:
    """A name's words for comparing names: lower case, singular, link words out."""
    words = [w for w in re.split(r"[\s/]+", name) if w]
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    bare = (w.strip("'’‘\"“”(),.;:") for w in words if w.lower() not in _NAME_LINKS)
    return tuple(_singular(w) for w in bare if w)


def _title_case(name: str) -> bool:
    words = [w for w in name.split() if w.lower() not in _NAME_LINKS]
    return len(words) >= 2 and all(w[:1].isupper() for w in words) and not all(w.isupper() for w in words)


def _contiguous(short: Sequence[str], long: Sequence[str]) -> bool:
    n = len(short)
    return any(tuple(long[i : i + n]) == tuple(short) for i in range(len(long) - n + 1))


def similar_names(a: str, b: str) -> bool:
    """True when two names look like one body written two ways.

    They share their head noun and at least two other words, differ by at most
    one word on each side (or only in word order), and neither is just the other
    with words before or after it ("Clinical Commissioning Groups" in "London
    Clinical Commissioning Groups"). Case, plurals, "the" and link words
    ("and", "of") do not count.

    Example: "Work and Health Unit" and "Joint Health and Work Unit" are similar;
    "London Health Board" and "London Health Commission" are not.
    """
    return _variant(_name_tokens(a), _name_tokens(b))


def _variant(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two names close enough to be one body written two ways, and not just a longer form of one."""
    if a == b or len(a) < 2 or len(b) < 2 or a[-1] != b[-1]:
        return False
    sa, sb = set(a), set(b)
    if len(sa & sb) < 2 or _contiguous(a, b) or _contiguous(b, a):
        return False
    return len(sa ^ sb) <= 2 and len(sa - sb) <= 1 and len(sb - sa) <= 1


def _number(token: str) -> int | None:
    t = token.lower().replace(",", "")
    if t in _NUMBER_WORDS:
        return _NUMBER_WORDS[t]
    return int(t) if t.isdigit() else None


# --- names --------------------------------------------------------------------------
def _name_findings(corpus: _Corpus) -> list[ConsistencyFinding]:
    """OBL-101 and OBL-102: similar names of one body, and unknown names close to known ones."""
    out: list[ConsistencyFinding] = []
    forms: dict[str, dict[tuple[str, ...], tuple[_Doc, int, int]]] = defaultdict(dict)  # party -> form -> first place
    for doc in corpus.docs:
        for start, end, party in corpus.mentions[doc.iri]:
            written = " ".join(doc.text[start:end].split())
            if doc.in_heading(start) or not _title_case(written):
                continue
            forms[party.key].setdefault(_name_tokens(written), (doc, start, end))
    for key, seen in sorted(forms.items()):
        items = sorted(seen.items(), key=lambda kv: (corpus.docs.index(kv[1][0]), kv[1][1]))
        for i, (fa, (da, sa, ea)) in enumerate(items):
            for fb, (db, sb, eb) in items[i + 1 :]:
                if _variant(fa, fb):
                    a, b = da.place(sa, ea), db.place(sb, eb)
                    label = corpus.register[key].label
                    out.append(ConsistencyFinding(
                        "OBL-101", "warning",
                        f"One body, two names: \"{_short(b.quote)}\" ({b.describe()}) and "
                        f"\"{_short(a.quote)}\" ({a.describe()}) "
                        f"both name {label}; use one name throughout.",
                        (b, a), db.iri,
                    ))
    # Capitalised names that resolve to no party, against the names of parties the corpus mentions.
    mentioned = {p.key for doc in corpus.docs for _, _, p in corpus.mentions[doc.iri]}
    names = [(key, n) for key in sorted(mentioned) for n in (corpus.register[key].label, *corpus.register[key].aliases)]
    tokens = {(key, n): _name_tokens(n) for key, n in names}
    reported: set[tuple] = set()
    for doc in corpus.docs:
        spans = [(s, e) for s, e, _ in corpus.mentions[doc.iri]]
        for m in _CAP_PHRASE.finditer(doc.text):
            start, end = m.span()
            if doc.in_heading(start) or any(s < end and start < e for s, e in spans):
                continue
            phrase = " ".join(m.group(0).split())
            ut = _name_tokens(phrase)
            if len(ut) < 2 or corpus.register.resolve(phrase) is not None:
                continue
            for key, n in names:
                if (ut, key) in reported or not _variant(ut, tokens[(key, n)]):
                    continue
                reported.add((ut, key))
                known = _first_mention(corpus, key, prefer=doc)
                unknown = doc.place(start, end)
                label = corpus.register[key].label
                also = "" if n == label else f" (\"{n}\" is a name of {label})"
                out.append(ConsistencyFinding(
                    "OBL-102", "warning",
                    f"Similar names: \"{phrase}\" ({unknown.describe()}) is close to \"{n}\"{also}"
                    + (f", written \"{_short(known.quote)}\" at {known.describe()}" if known else "")
                    + ". One body under two names, or two different bodies? Name it consistently, or define both.",
                    (unknown, known) if known else (unknown,), doc.iri,
                ))
    return out


def _first_mention(corpus: _Corpus, key: str, prefer: _Doc | None = None) -> Place | None:
    order = ([prefer] if prefer else []) + [d for d in corpus.docs if d is not prefer]
    for doc in order:
        for start, end, party in corpus.mentions[doc.iri]:
            if party.key == key and not doc.in_heading(start):
                return doc.place(start, end)
    return None


# --- counts -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Stated:
    doc: _Doc
    value: int
    noun: str  # singular form of the counted noun, or the party key
    start: int
    end: int


def _numbers(doc: _Doc, text_start: int, text: str) -> Iterable[tuple[int, re.Match]]:
    """Numbers that may count something: not years, footnote numbers, section numbers or "(2 pilots)"."""
    notes = {start for _, start, _ in doc.structure.footnotes}
    for m in _COUNT.finditer(text):
        value = _number(m.group(1))
        if value is None or value < 2 or (1900 <= value <= 2100 and m.group(1).isdigit()):
            continue
        before = text[max(0, m.start() - 20) : m.start()]
        if _NOT_COUNT_BEFORE.search(before) or before.rstrip().endswith("(") or text_start + m.start() in notes:
            continue
        yield value, m


def _counts_in(doc: _Doc, text_start: int, text: str, max_gap: int = 2) -> list[_Stated]:
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
            if word.lower().endswith("s") and not word.lower().endswith("ss") and word.lower() not in _STOP:
                end = m.end() + w.start() + w.group(0).find(word) + len(word)
                out.append(_Stated(doc, value, _singular(word), text_start + m.start(1), text_start + end))
                break
            if word != bare:  # punctuation ends the noun phrase
                break
    return out


def _count_findings(corpus: _Corpus, declared: dict[str, int], members: dict[str, list[str]]) -> list[ConsistencyFinding]:
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
                        f"\"{_short(a.quote)}\" ({a.describe()}) says {stated.value}, but the list that follows names "
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
                    f"\"{_short(a.quote)}\" ({a.describe()}) says {stated.value}, but the list at {b.describe()} "
                    f"names {counted}.",
                    (a, b), doc.iri,
                ))
    # Counts of a party ("32 CCGs", "six ... estates boards"): against each other and the declared size.
    party_counts = _party_counts(corpus)
    by_party: dict[str, list[_Stated]] = defaultdict(list)
    for s in party_counts:
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
                    f"\"{_short(a.quote)}\" ({a.describe()}) counts {s.value} {label}, but "
                    + (f"\"{_short(b.quote)}\" ({b.describe()}) counts {expected}" if agreeing
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
                        f"\"{_short(a.quote)}\" ({a.describe()}) counts {s.value} {label}, but \"{_short(b.quote)}\" "
                        f"({b.describe()}) counts {other.value}.",
                        (a, b), s.doc.iri,
                    ))
    for key, n in sorted(declared.items()):
        listed_members = members.get(key, [])
        if listed_members and len(listed_members) != n:
            label = corpus.register[key].label if key in corpus.register else key
            stated = next(iter(by_party.get(key, [])), None)
            a = stated.doc.place(stated.start, stated.end) if stated else _register_place(label, n)
            b = Place(None, None, None, None, None, "; ".join(listed_members), "party register: members")
            out.append(ConsistencyFinding(
                "OBL-104", "warning" if len(listed_members) > n else "info",
                f"{label} is declared to have {n} members, but {len(listed_members)} are recorded as its members: "
                f"{'; '.join(listed_members)}.",
                (a, b), stated.doc.iri if stated else _PARTY + key,
            ))
    return out


def _register_place(label: str, count: int) -> Place:
    return Place(None, None, None, None, None, f"{label}: declared member count {count}", "party register")


def _item_weight(item: str, noun: str) -> int:
    """How many of the counted things one list item names: "(2 pilots)" is two."""
    for m in re.finditer(r"\(\s*(" + _NUMBER + r")\s+([A-Za-z-]+)\s*\)", item, re.I):
        if _singular(m.group(2)) == noun:
            return _number(m.group(1)) or 1
    return 1


def _weights_note(doc: _Doc, items, noun: str) -> str:
    heavy = [doc.text[s.start : s.end] for s in items if _item_weight(doc.text[s.start : s.end], noun) != 1]
    return "".join(f"; \"{' '.join(h.split())}\" counted as {_item_weight(h, noun)}" for h in heavy)


def _party_counts(corpus: _Corpus) -> list[_Stated]:
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


# --- summaries ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Claim:
    start: int
    end: int
    text: str
    modality: str  # what the claim asserts, from its lead-in or its own verbs
    gist: str = ""  # the words that say what is claimed (a sentence from its cue on)

    @property
    def words(self) -> str:
        return self.gist or self.text


def _summary_pairs(corpus: _Corpus) -> list[tuple[_Doc, _Doc, list[tuple[int, int]]]]:
    """(summary, source, scope) for each document that summarises another.

    A summary holds few commitments of its own and names the source by its title's
    words in one heading or sentence; its scope is the sections whose heading names
    the source (the whole document when none does).
    """
    out = []
    for s in corpus.docs:
        best = None
        for t in corpus.docs:
            if t is s or len(s.commitments) > max(3, len(t.commitments) // 5) or len(t.commitments) < 3:
                continue
            title = {w for w in _content(t.title) if not w.isdigit()}
            if len(title) < 2:
                continue
            headings = [(a, b) for a, b, words in s.heading_words if title <= words]
            named = headings or [(a, b) for a, b, words in s.sentence_words if title <= words]
            if named and (best is None or len(t.commitments) > len(best[1].commitments)):
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


def _sentences(seg) -> list[tuple[int, int]]:
    spans = seg.sentences or ((0, len(seg.text)),)
    return [seg.offsets.span(a, b) for a, b in spans]


def _lexicon_modality(text: str) -> str | None:
    from graph.lexicon import load_lexicon

    lex = load_lexicon()
    found = None
    for w in _WORD.findall(text):
        m = lex.modality_of_word(w.lower())
        if m:
            found = m
    return found


def _claims(doc: _Doc, scope: list[tuple[int, int]]) -> list[_Claim]:
    """Bullets under a lead-in that says what the source commits to, and sentences that say so."""
    segs = doc.structure.segments
    inside = lambda a: any(x <= a < y for x, y in scope)  # noqa: E731
    claims = []
    leads = {s.lead_in for s in segs if s.kind == "list_item" and s.lead_in is not None}
    for idx, seg in enumerate(segs):
        if seg.kind not in ("paragraph", "list_item") or not inside(seg.start):
            continue
        text = doc.text[seg.start : seg.end]
        if idx in leads or _quoted(text):
            continue
        if seg.kind == "list_item" and seg.lead_in is not None:
            lead = segs[seg.lead_in]
            lead_text = doc.text[lead.start : lead.end]
            if _CLAIM_CUE.search(lead_text):
                claims.append(_Claim(seg.start, seg.end, text, _lexicon_modality(lead_text) or "commitment"))
            continue
        for a, b in _sentences(seg):
            sentence = doc.text[a:b]
            cue = _CLAIM_CUE.search(sentence)
            if cue and not _SIGN.search(sentence):
                modality = _lexicon_modality(sentence) or "commitment"
                claims.append(_Claim(a, b, sentence, modality, sentence[cue.start() :]))
    return claims


def _quoted(text: str) -> bool:
    """Reported speech: a paragraph that opens or closes a quotation."""
    quotes = "\"'“”‘’"
    t = text.strip()
    return bool(t) and (t[0] in quotes or t[-1] in quotes)


class _Matcher:
    """Weighted word overlap between a claim and the commitments of the source.

    A commitment is read with its paragraph (and a bullet with its lead-in), since
    the sentences around it say what it covers. Commitments are ranked first by
    how well their whole section matches (a summary's bullets follow the source's
    sections), then by their own words and their paragraph's.
    """

    def __init__(self, source: _Doc, register: PartyRegister):
        self.register = register
        self.records = source.commitments
        segs = [s for s in source.structure.segments if s.kind in ("paragraph", "list_item")]
        self.own, self.around = [], []
        for r in self.records:
            own = set(_content(r["text"])) | set(_content(r.get("section") or ""))
            seg = next((s for s in segs if s.start <= r["start"] < s.end), None)
            context = source.text[seg.start : seg.end] if seg else ""
            if seg is not None and seg.lead_in is not None:
                lead = source.structure.segments[seg.lead_in]
                context += " " + source.text[lead.start : lead.end]
            self.own.append(own)
            self.around.append(own | set(_content(context)))
        self.idf = _idf(self.around)
        # Each section's words with their counts, for ranking.
        bounds = [start for start, _ in source.sections] + [len(source.text)]
        self.sections: dict[str | None, dict[str, int]] = {}
        for (start, title), end in zip(source.sections, bounds[1:]):
            counts: dict[str, int] = defaultdict(int)
            for w in _content(source.text[start:end]):
                counts[w] += 1
            self.sections[title] = counts
        self.section_idf = _idf([set(c) for c in self.sections.values()])

    def _share(self, words: set[str], bag: set[str]) -> float:
        total = sum(self.idf[w] for w in words)
        return sum(self.idf[w] for w in words & bag) / total if total else 0.0

    def _section(self, words: set[str], title: str | None) -> float:
        counts = self.sections.get(title, {})
        total = sum(self.section_idf[w] for w in words)
        got = sum(self.section_idf[w] * counts[w] / (counts[w] + 1) for w in words if counts.get(w))
        return got / total if total else 0.0

    def ranked(self, text: str) -> list[tuple[float, dict]]:
        """Commitments with the share of the text's weighted words they hold, best first.

        Party names and words of delivery do not count: a claim is matched on what
        it says is done, not on who does it or how firmly.
        """
        for start, end, _ in reversed(self.register.find_mentions(text)):
            text = text[:start] + " " * (end - start) + text[end:]
        words = set(_content(text)) - {_stem(w) for w in _DELIVERY}
        if not words:
            return []
        scored = []
        for own, around, r in zip(self.own, self.around, self.records):
            score = 0.3 * self._share(words, own) + 0.7 * self._share(words, around)
            scored.append((score, self._section(words, r["section"]), r))
        scored.sort(key=lambda x: (-(x[0] + x[1]), x[2]["start"]))
        return [(score, r) for score, _, r in scored]

    def support(self, text: str) -> tuple[float, list[dict]]:
        """How well the commitments support a claim, and the ones that do.

        A claim of several coordinated parts ("aligning A and removing B") is
        supported when the whole is, or when every part with two or more words is.
        """
        ranked = self.ranked(text)
        if not ranked:
            return 0.0, []
        best = max(score for score, _ in ranked[:3])
        records = [r for score, r in ranked[:3] if score >= _SUPPORT] or [ranked[0][1]]
        parts = [text[a:b] for a, b in _parts(text) if len(_content(text[a:b])) >= 2]
        if len(parts) > 1 and all(self.ranked(p) for p in parts):
            tops = [self.ranked(p)[0] for p in parts if self.ranked(p)]
            if min(score for score, _ in tops) > best:
                best = min(score for score, _ in tops)
                records = list(dict.fromkeys(r["id"] for _, r in tops))
                records = [r for r in self.records if r["id"] in records]
        return best, records


def _idf(bags: list[set[str]]) -> dict[str, float]:
    import math

    n = len(bags) or 1
    df: dict[str, int] = defaultdict(int)
    for bag in bags:
        for w in bag:
            df[w] += 1
    return defaultdict(lambda: math.log(n + 1), {w: math.log((n + 1) / c) for w, c in df.items()})


def _parts(text: str) -> list[tuple[int, int]]:
    """The coordinated parts of a claim ("A and B, and the provision of C"), as offsets."""
    out, pos = [], 0
    for m in re.finditer(r",\s*(?:and\s+)?|;\s*|\s+and\s+", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _summary_findings(corpus: _Corpus) -> list[ConsistencyFinding]:
    """OBL-105, OBL-106 and OBL-107: claims of a summary against the commitments of its source."""
    out: list[ConsistencyFinding] = []
    for summary, source, scope in _summary_pairs(corpus):
        matcher = _Matcher(source, corpus.register)
        covered: set[str] = set()
        claims = _claims(summary, scope)
        for claim in claims:
            score, support = matcher.support(claim.words)
            a = summary.place(claim.start, claim.end)
            if score < _SUPPORT:
                near = [_record_place(source, r) for r in support[:1]]
                out.append(ConsistencyFinding(
                    "OBL-105", "warning",
                    f"{summary.file} says \"{_short(a.quote, 300)}\" ({a.describe()}), but no commitment of "
                    f"{source.file} says so" + (f"; the closest is at {near[0].describe()}." if near else "."),
                    (a, *near), summary.iri,
                ))
                continue
            covered.update(r["section"] or "" for r in support)
            top = max(support, key=lambda r: _MODALITY_RANK[r["modality"]])
            stronger = _stronger(claim, matcher)
            if stronger is not None:
                words, part, record = stronger
                b = _record_place(source, record)
                p = summary.place(claim.start + part[0], claim.start + part[1])
                out.append(ConsistencyFinding(
                    "OBL-106", "warning",
                    f"{summary.file} claims \"{_short(p.quote)}\" ({p.describe()}): \"{words}\" asserts delivery, "
                    f"but {source.file} only {_verb(record['modality'])} ({b.describe()}: \"{_short(b.quote)}\").",
                    (p, b), summary.iri,
                ))
            elif _MODALITY_RANK[claim.modality] > _MODALITY_RANK[top["modality"]]:
                b = _record_place(source, top)
                out.append(ConsistencyFinding(
                    "OBL-106", "warning",
                    f"{summary.file} presents \"{_short(a.quote)}\" ({a.describe()}) as {_article(claim.modality)}, "
                    f"but {source.file} only {_verb(top['modality'])} ({b.describe()}: \"{_short(b.quote)}\").",
                    (a, b), summary.iri,
                ))
        sections = []
        for r in source.commitments:
            if (r["section"] or "") not in covered and r["section"] not in [s for s, _ in sections]:
                sections.append((r["section"], r))
        if not claims:
            continue
        lead = _scope_heading(summary, [next(x for x in scope if x[0] <= claims[0].start < x[1])])
        for title, first in sections:
            b = _record_place(source, first)
            n = sum(1 for r in source.commitments if r["section"] == title)
            out.append(ConsistencyFinding(
                "OBL-107", "info",
                f"{summary.file} ({lead.describe()}: \"{_short(lead.quote)}\") leaves out the section "
                f"\"{title or '(no section)'}\" of {source.file}, which holds {n} commitment{'s' if n != 1 else ''}.",
                (b, lead), source.iri,
            ))
    return out


def _scope_heading(doc: _Doc, scope: list[tuple[int, int]]) -> Place:
    """The heading (or first line) of a summary's scope, to quote it."""
    start = scope[0][0]
    seg = next((s for s in doc.structure.segments if s.start >= start), None)
    if seg is None:
        end = doc.text.find("\n", start)
        return doc.place(start, len(doc.text) if end < 0 else end)
    return doc.place(seg.start, seg.end)


def _stronger(claim: _Claim, matcher: _Matcher) -> tuple[str, tuple[int, int], dict] | None:
    """A part of the claim that asserts delivery where its best-matching commitment does not."""
    for a, b in _parts(claim.text):
        part = claim.text[a:b]
        words = [w for w in _WORD.findall(part) if w.lower() in _DELIVERY]
        if not words:
            continue
        best = matcher.ranked(part)
        if not best or best[0][0] < _SUPPORT * 0.75:
            continue
        record = best[0][1]
        said = {w.lower() for w in _WORD.findall(record["text"])}
        if record["modality"] != "commitment" and not any(w.lower() in said for w in words):
            return words[0], (a, b), record
    return None


def _article(modality: str) -> str:
    return ("an " if modality[0] in "aeiou" else "a ") + modality


def _verb(modality: str) -> str:
    return {
        "exploration": "commits to explore",
        "intention": "states an intention",
        "aspiration": "states an aspiration",
        "commitment": "commits",
    }[modality]


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def _record_place(doc: _Doc, record: dict) -> Place:
    return doc.place(int(record["start"]), int(record["end"]))


# --- signatories ---------------------------------------------------------------------
def _signatory_findings(corpus: _Corpus) -> list[ConsistencyFinding]:
    """OBL-108: who a document says signed another, against that one's signatories."""
    out: list[ConsistencyFinding] = []
    reg = corpus.register
    for summary, source, _ in _summary_pairs(corpus):
        signed = corpus.signatories.get(source.iri, set())
        if not signed:
            continue
        title = {w for w in _content(source.title) if not w.isdigit()}
        source_forms = {" ".join(source.text[s:e].split()).lower() for s, e, _ in corpus.mentions[source.iri]}
        seen: set[tuple] = set()
        for seg in summary.structure.segments:
            for a, b in _sentences(seg) if seg.kind != "heading" else [(seg.start, seg.end)]:
                sentence = summary.text[a:b]
                if not _SIGN.search(sentence) or not title <= set(_content(sentence)):
                    continue
                for start, end, party in corpus.mentions[summary.iri]:
                    if not (a <= start < b):
                        continue
                    written = " ".join(summary.text[start:end].split())
                    p = summary.place(start, end)
                    if party.key in signed:
                        if written.lower() in source_forms or (party.key, written) in seen:
                            continue
                        seen.add((party.key, written))
                        q = _first_mention(corpus, party.key, prefer=source)
                        if q is None or q.document != source.file:
                            continue
                        out.append(ConsistencyFinding(
                            "OBL-108", "info",
                            f"{summary.file} names the signatory \"{written}\" ({p.describe()}); "
                            f"{source.file} names it \"{_short(q.quote)}\" ({q.describe()}).",
                            (p, q), summary.iri,
                        ))
                        continue
                    related = _related_signatory(reg, party.key, signed)
                    if (party.key, written) in seen:
                        continue
                    seen.add((party.key, written))
                    if related:
                        q = _first_mention(corpus, related[0], prefer=source)
                        if q is None or q.document != source.file:
                            continue
                        if len(related) > 1:
                            labels = ", ".join(reg[k].label for k in related)
                            how = f"{source.file} names the parties that make it up ({labels})"
                        else:
                            how = (f"{source.file} names \"{_short(q.quote)}\" ({q.describe()}), "
                                   f"{_relation(reg, party.key, related[0])}")
                        out.append(ConsistencyFinding(
                            "OBL-108", "info",
                            f"{summary.file} names \"{written}\" as a party ({p.describe()}); {how}.",
                            (p, q), summary.iri,
                        ))
                    else:
                        names = ", ".join(sorted(reg[k].label for k in signed if k in reg))
                        out.append(ConsistencyFinding(
                            "OBL-108", "warning",
                            f"{summary.file} names \"{written}\" as a party ({p.describe()}), but {reg[party.key].label} "
                            f"is not a party to {source.file} (its parties: {names}).",
                            (p, Place(source.file, None, None, None, None, names, "signatories")), summary.iri,
                        ))
    return out


def _related_signatory(reg: PartyRegister, key: str, signed: set[str]) -> list[str]:
    """The signatories a party stands for: the body a post heads or a unit belongs to, or a group's members."""
    p = reg.get(key)
    if p is None:
        return []
    for other in (*p.head_of, *filter(None, [p.unit_of])):
        if other in signed:
            return [other]
    up = [o for o in sorted(signed) if reg.is_member_or_unit(key, o)]
    if up:
        return up[:1]
    return [o for o in sorted(signed, key=lambda k: reg[k].label if k in reg else k) if reg.is_member_or_unit(o, key)]


def _relation(reg: PartyRegister, key: str, other: str) -> str:
    p = reg[key]
    if other in p.head_of:
        return f"headed by the {p.label}"
    if p.unit_of == other:
        return f"which {p.label} is part of"
    return f"which {p.label} belongs to"


# --- the entry points -----------------------------------------------------------------
_DECLARED = "SELECT ?g ?n WHERE { ?g obl:declaredMemberCount ?n }"
_MEMBERS = """SELECT ?g ?label WHERE {
  ?g obl:declaredMemberCount ?n . ?m org:memberOf ?g ; skos:prefLabel ?label
} ORDER BY ?g ?label"""


def consistency_findings(store: GraphStore) -> list[ConsistencyFinding]:
    """Inconsistencies within and across the documents of the graph.

    Args:
        store: The graph, as built by ``build`` or ``build_memory``.

    Returns:
        Findings sorted by document, position and rule, each quoting both sides.
    """
    corpus = _load(store)
    declared = {_key(r["g"]): int(r["n"]) for r in store.select(_DECLARED)}
    members: dict[str, list[str]] = defaultdict(list)
    for r in store.select(_MEMBERS):
        members[_key(r["g"])].append(str(r["label"]))
    findings = (
        _name_findings(corpus)
        + _count_findings(corpus, declared, members)
        + _summary_findings(corpus)
        + _signatory_findings(corpus)
    )
    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=lambda f: (f.left.document or "~", f.left.start or 0, f.rule_id, f.message))


def report_findings(findings: Iterable[ConsistencyFinding]) -> list[Finding]:
    """The findings as check-report findings: the first side quoted, the second as the value."""
    from graph.report import Finding

    out = []
    for f in findings:
        a, b = f.left, f.right
        other = None
        if b is not None:
            other = f"{b.describe()}: \"{_short(b.quote, 300)}\""
        out.append(Finding(
            rule_id=f.rule_id, severity=f.severity, message=f.message, focus=f.focus or "urn:obligraph:corpus",
            document=a.document, section=a.section, quote=a.quote, start=a.start, end=a.end, line=a.line,
            value=other,
        ))
    return out


def with_consistency(report: Report, store: GraphStore) -> Report:
    """A check report with the consistency findings and rules added.

    Args:
        report: What ``check.validate`` returned.
        store: The graph it checked.

    Returns:
        A new report: its findings plus these, its rules plus ``consistency_rules()``.
    """
    findings = consistency_findings(store)
    texts = dict(report.texts)
    for row in store.select(_DOCS):
        texts.setdefault(str(row["file"]), str(row["text"]))
    have = {r.rule_id for r in report.rules}
    rules = tuple(report.rules) + tuple(r for r in consistency_rules() if r.rule_id not in have)
    return replace(report, findings=tuple(report.findings) + tuple(report_findings(findings)), rules=rules, texts=texts)
