"""What an agreement says about itself: title, date, sides and oversight body.

These facts come from the agreement's own conventions: a "Parties" section
whose list items are the sides, or a sentence naming who the agreement is
"between"; a date line ("Signed on 14 March 2022"); a body said to oversee the
agreement or its programme. Commitments that name no counterpart are owed to
the other side; commitments that name no governance route fall to the
agreement-wide oversight body, marked as inferred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.model import Party, PartyRef, Structure
from graph.qualifiers import _period

_PARTIES_HEADING = re.compile(r"\b(parties|signatories|the parties to)\b", re.I)
_PARTY_LEAD_IN = re.compile(r"\b(parties|signatories|party)\b[^:]*:\s*$", re.I)
_BETWEEN = re.compile(r"\bbetween\b(.{5,300}?)(?:[.;:\n]|$)", re.I | re.S)
_DATE_LINE = re.compile(
    r"\b(?:signed|dated|made|agreed|effective|concluded)(?:\s+(?:on|at|in))?\s+(?:this\s+)?"
    r"((?:\d{1,2}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?)?(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+(?:19|20)\d\d)",
    re.I,
)
_OVERSIGHT = re.compile(r"\b(oversight|oversee|oversees|overseen|overseeing|steer|steering|monitor(?:s|ing)? (?:the )?(?:implementation|delivery|progress))\b", re.I)
_SCOPE = re.compile(r"\b(agreement|framework|memorandum|concordat|devolution|programme|implementation|delivery|deal)\b", re.I)
GENERIC_TITLES = {"introduction", "contents", "table of contents", "summary", "executive summary", "foreword", "parties"}


@dataclass(frozen=True)
class Side:
    """One side of an agreement: the party that stands for it and all its parties."""

    representative: str
    parties: frozenset[str]
    label: str = ""


@dataclass(frozen=True)
class AgreementFacts:
    """Agreement-level facts the extractor and the graph builder share."""

    title: str
    issued: str | None
    sides: tuple[Side, ...]
    oversight: PartyRef | None

    @property
    def signatories(self) -> tuple[str, ...]:
        """Keys of every party named on any side."""
        return tuple(sorted({k for s in self.sides for k in s.parties}))


def _mentions_in(register, text: str, offset: int = 0):
    return [(a + offset, b + offset, p) for a, b, p in register.find_mentions(text)]


def find_title(structure: Structure) -> str:
    """The document's title, else its first non-generic heading, else its file name."""
    doc = structure.document
    if doc.title:
        return doc.title.strip()
    first = structure.segments[0] if structure.segments else None
    if first is not None and first.start < 200 and len(first.text) < 250 and not first.text.endswith((".", ":")):
        if first.kind != "heading" or first.text.lower() not in GENERIC_TITLES:
            return first.text  # a title that runs over two lines reads as a paragraph
    for sec in structure.sections[:2]:
        if sec.title.lower() not in GENERIC_TITLES and sec.start < 400:
            return sec.title
    stem = re.sub(r"[_\-]+", " ", doc.name.rsplit(".", 1)[0]).strip()
    return stem[:1].upper() + stem[1:]


def find_issued(structure: Structure) -> str | None:
    """The date the agreement was signed or made, as an ISO date, if it says."""
    m = _DATE_LINE.search(structure.document.text[:20000])
    if not m:
        return None
    first, _ = _period(m.group(1))
    day = re.match(r"(\d{1,2})", m.group(1))
    return first if not day else first[:8] + f"{int(day.group(1)):02d}"


def find_sides(structure: Structure, register) -> tuple[Side, ...]:
    """The sides of the agreement from its Parties section or a 'between' sentence."""
    segs = structure.segments
    groups: list[list[str]] = []
    parties_sections = {sec.ordinal for sec in structure.sections if _PARTIES_HEADING.search(sec.title)}
    # 1. A list introduced as the parties ("The Parties to the agreement are:"): one side an item.
    for seg in segs:
        if seg.kind == "list_item" and seg.lead_in is not None and _PARTY_LEAD_IN.search(segs[seg.lead_in].text):
            if not groups or segs[seg.lead_in] is lead:
                lead = segs[seg.lead_in]
                keys = _keys(register, seg.text)
                if keys:
                    groups.append(keys)
    # 2. "This agreement is made between A and B", near the start or in a Parties section.
    if len(groups) < 2:
        groups = []
        for n, seg in enumerate(segs):
            if n >= 12 and seg.section not in parties_sections:
                continue
            m = _BETWEEN.search(seg.text)
            if m:
                groups = [[k] for k in _keys(register, m.group(1))]
                if len(groups) >= 2:
                    break
                groups = []
    sides = []
    for keys in groups:
        rep = _representative(register, keys)
        party = register.parties.get(rep)
        sides.append(Side(rep, frozenset(keys) | {rep}, party.label if party else rep))
    return tuple(sides)


def _keys(register, text: str) -> list[str]:
    out: list[str] = []
    for _, _, p in register.find_mentions(text):
        if p.key not in out:
            out.append(p.key)
    return out


def _representative(register, keys: list[str]) -> str:
    """The party that stands for a side: a group covering the others, if any."""
    if len(keys) == 1:
        return keys[0]
    for k in keys:
        if register.members(k) and all(o == k or o in register.members(k) for o in keys):
            return k
    covering = [
        g.key
        for g in register.parties.values()
        if g.cls == "PartyGroup" and all(k in register.members(g.key) for k in keys)
    ]
    if covering:
        return min(covering, key=lambda g: len(register.members(g)))
    return keys[0]


def collapse(register, keys: list[str], exclude: set[str] = frozenset()) -> list[str]:
    """Name several parties by the smallest group the text defines for exactly them.

    "The parties" of a framework whose text defines "the Administrations" as all
    of them are the Administrations; the other sides of a UK Government
    commitment are "the Devolved Governments" when the text groups them so.
    """
    if len(keys) < 2:
        return keys
    want = set(keys)
    best = None
    for g in register.parties.values():
        if g.cls != "PartyGroup":
            continue
        members = register.members(g.key)
        if want <= members and not (members & exclude) and g.key not in exclude:
            if best is None or len(members) < len(register.members(best)):
                best = g.key
    return [best] if best else keys


def side_of(facts: AgreementFacts, register, key: str) -> int | None:
    """Index of the side a party stands on, through membership and units."""
    family = {key} | set(register.groups_of(key)) | set(register.members(key))
    best = None
    for i, side in enumerate(facts.sides):
        if key in side.parties or side.representative in family:
            return i
        reach = set(side.parties)
        for k in side.parties:
            reach |= set(register.members(k))
        if family & reach and best is None:
            best = i
    return best


def find_oversight(structure: Structure, register) -> PartyRef | None:
    """The body the agreement says oversees it or its programme, if any."""
    best: tuple[int, int, PartyRef] | None = None
    for n, seg in enumerate(structure.segments):
        if seg.kind not in ("paragraph", "list_item"):
            continue
        for a, b in seg.sentences:
            sent = seg.text[a:b]
            if not _OVERSIGHT.search(sent):
                continue
            for s, e, party in register.find_mentions(sent):
                if not is_governance(party):
                    continue
                score = 2 if _SCOPE.search(sent[e:]) else 1
                src = seg.offsets.span(a + s, a + e)
                ref = PartyRef(party.key, party.label, src[0], src[1], True, "R-oversight-statement")
                if best is None or score >= best[0]:
                    best = (score, n, ref)
                break
    return best[2] if best else None


def is_governance(party: Party) -> bool:
    """True for boards, committees and groups that oversee rather than deliver."""
    return party.cls == "GovernanceBody" or party.kind == "governanceBoard" or bool(
        re.search(r"\b(board|committee|steering group|working group|oversight group|forum)s?\b", party.label, re.I)
    )


def agreement_facts(structure: Structure, register) -> AgreementFacts:
    """Title, date, sides and oversight body of one agreement."""
    return AgreementFacts(
        find_title(structure), find_issued(structure), find_sides(structure, register), find_oversight(structure, register)
    )
