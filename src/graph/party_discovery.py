"""Discovery of the parties a document defines or names for itself.

:func:`discover` extends a :class:`graph.parties.PartyRegister` with them:
definitions (``Full Name ("Short")``, ``"X" means Y``), acronyms
(``Full Name (FN)``), defined collectives and the members they list, and, given
a spaCy parser, the named subjects of commitment verbs and ORG entities that
end in an organisation word. The register itself is never changed; each step
returns a new one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from graph.lexicon import PERFORMATIVE
from graph.model import Party
from graph.parties import QUOTES, PartyRegister, is_abbreviation, key_for, normal_form, overlaps

# A last word that makes a capitalised phrase look like an organisation.
_ORG_WORDS = frozenset(
    "government authority council board committee group executive commission agency department "
    "office unit partnership alliance trust service england scotland wales ireland ministry "
    "minister convention association assembly parliament panel body forum network foundation "
    "institute corporation company society federation union consortium partner team directorate "
    "inspectorate regulator ombudsman tribunal police enterprise organisation organization nhs ccg".split()
)
# Words that open a sentence or a noun phrase without being part of a name.
_LEADING = frozenset(
    "the a an this these that those our their its all both each every also further furthermore "
    "however additionally and whereas accordingly together meanwhile finally today now in on at by "
    "under with between".split()
)
_GENERIC = frozenset(
    "party parties signatory signatories member members partner partners participant participants".split()
)
_LINKS = frozenset("of for and the in on to at & de y".split())
_CAP = r"[A-Z][\w’'&.-]*"
_NAME_AT_END = re.compile(rf"({_CAP}(?:\s+(?:(?:of|for|and|the|in|on|&)\s+)*{_CAP})*)\s*$")
_QUOTED = r"[\"“‘']([^\"”’'()]{1,60})[\"”’']"
_Q = _QUOTED.replace("(", "(?:", 1)
# (the "Short"), (hereafter "Short"), (“the Port Authority” or “PoMHA”)
_DEFINITION = re.compile(rf"\((\s*(?:(?:hereafter|hereinafter)(?:\s+referred\s+to\s+as)?\s+)?(?:the\s+)?{_Q}"
                         rf"(?:\s*(?:,|or|and)\s*(?:the\s+)?{_Q})*\s*)\)")
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&]{1,7})\s*\)")  # CCGs, COSLA, Defra, PoMHA
_GROUP = re.compile(
    rf"\bThe\s+term\s+{_QUOTED}\s+is\s+used\b[^.]*?\brefer\s+to\s+(?:\(collectively\)\s*)?"
    rf"|(?:\b[Tt]he\s+)?{_QUOTED},?\s+(?:means|comprises|comprising|consists\s+of|consisting\s+of)\s+"
)
_LIST_SEP = re.compile(r",|;|\band\b|\bor\b|&")
# "This Agreement is made between A, B and C": the parties the agreement names as its own.
SIGNED_BETWEEN = re.compile(
    r"\b(?:agreement|memorandum|framework|concordat|deal|accord|protocol|made|entered\s+into|signed)\b"
    r"[^.;:\n]{0,60}?\bbetween\b(?P<names>.{5,300}?)(?:[.;:\n(]|\b(?:for|on|to|in|dated|regarding)\s+(?-i:[a-z])|$)",
    re.I | re.S,
)
_OPENING = 3000  # characters: where an agreement names its parties, if it does at all


def discover(register: PartyRegister, structure_text: str, doc_id: str, nlp=None) -> PartyRegister:
    """A new register extended with the parties a document defines or names itself.

    Rules: ``D-definition`` (``Full Name ("Short")``, ``"X" means Y``),
    ``D-acronym`` (``Full Name (FN)``, an alias of the full name's party when
    that is known), ``D-group`` and ``D-group-member`` (a defined collective
    and the members it lists, with "all 32 X" counts), and with a parser
    ``D-subject`` (the named subject of commit/agree/undertake/will/shall)
    and ``D-org-entity`` (ORG entities ending in an organisation word).
    New parties have discovered=True, found_by the rule and evidence
    ``(doc_id, start, end)``. A name the document defines for itself wins
    over the register's use of it within that document ("the Government").

    Args:
        register: The parties known before reading the document.
        structure_text: The document's ingested text; offsets count against it.
        doc_id: The document's id, for evidence.
        nlp: A spaCy pipeline with a parser and entities, or None for the pattern rules only.
    """
    # Same-length flattening keeps offsets valid while names and sentences broken
    # over lines read whole; blank lines stay, so paragraphs stay apart.
    flat = re.sub(r"(?<=\S)([ \t]*)\n(?=[ \t]*\S)", lambda m: m.group(1) + " ", structure_text)
    flat = flat.replace("\u00a0", " ")
    reg = register
    for m in _DEFINITION.finditer(flat):
        reg = _define(reg, flat, m, [q for q in re.findall(_QUOTED, m.group(1))], doc_id, "D-definition")
    for m in _ACRONYM.finditer(flat):
        reg = _define(reg, flat, m, [m.group(1)], doc_id, "D-acronym")
    for m in _GROUP.finditer(flat):
        reg = _group(reg, flat, m, doc_id)
    for m in SIGNED_BETWEEN.finditer(flat[:_OPENING]):
        reg = _between(reg, flat, m, doc_id)
    return _parse(reg, flat, doc_id, nlp) if nlp is not None else reg


# --- names -----------------------------------------------------------------------
def _org_like(word: str) -> bool:
    w = word.lower().strip(QUOTES)
    return w in _ORG_WORDS or (w.endswith("s") and (w[:-1] in _ORG_WORDS or w[:-3] + "y" in _ORG_WORDS))


def _head(name: str) -> str:
    """The head noun of a name: its last word before "of/for/on" ("Department for Work")."""
    words = name.split()
    cut = next((i for i, w in enumerate(words) if i and w in ("of", "for", "on")), len(words))
    return words[cut - 1]


def trim_name(text: str) -> str | None:
    """A candidate name cut to the name: leading function words and quotes dropped, and
    "A and B" cut to B when A is itself organisation-like. None when no capitalised name is left."""
    words = [w.strip(QUOTES) for w in text.split()]
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    for i in range(len(words) - 2, 0, -1):
        if words[i].lower() in ("and", "&") and (_org_like(words[i - 1]) or is_abbreviation(words[i - 1])):
            return trim_name(" ".join(words[i + 1 :]))
    name = " ".join(words).strip(QUOTES + " ,;:")
    # A name: capitalised words, joined by a few lowercase links ("Department for Work and Pensions").
    ok = name and all(w[:1].isupper() or w[:1].isdigit() or w in _LINKS for w in name.split())
    return name if ok and name.split()[-1][:1].isupper() else None


def _mask_brackets(text: str) -> str:
    """The text with everything inside (balanced) brackets blanked, offsets kept."""
    out, depth = [], 0
    for ch in text:
        depth += ch == "("
        out.append(" " if depth else ch)
        depth -= ch == ")" and depth > 0
    return "".join(out)


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


# --- new registers ---------------------------------------------------------------
def _with(reg: PartyRegister, party: Party) -> PartyRegister:
    return PartyRegister({**reg.parties, party.key: party})


def _alias(reg: PartyRegister, party: Party, *aliases: str) -> PartyRegister:
    new = tuple(a for a in aliases if a not in (party.label, *party.aliases))
    return _with(reg, replace(party, aliases=(*party.aliases, *new))) if new else reg


def _mint(reg: PartyRegister, label: str, rule: str, evidence: tuple[str, int, int], **fields) -> PartyRegister:
    if (existing := reg.parties.get(key_for(label))) is not None:
        return _alias(reg, existing, label, *fields.get("aliases", ()))  # add, never replace
    names = " ".join((label, *fields.get("aliases", ()))).lower()
    governance = re.search(r"\b(?:board|committee|panel|forum|steering group|working group)s?\b", names)
    kind = {"government": "government", "executive": "government", "department": "governmentDepartment"}
    fields = {"cls": "GovernanceBody" if governance else "Party",
              "kind": "governanceBoard" if governance else kind.get(_head(label).lower(), "organisation"), **fields}
    party = Party(key=key_for(label), label=label, discovered=True, found_by=rule, evidence=evidence, **fields)
    return _with(reg, party)


# --- the rules -------------------------------------------------------------------
def _define(reg: PartyRegister, flat: str, m: re.Match[str], shorts: list[str], doc_id: str,
            rule: str) -> PartyRegister:
    """``Full Name ("Short")`` or ``Full Name (FN)``: an alias, or a new party."""
    w0 = max(0, m.start() - 200)
    if rule == "D-acronym":
        # Schwartz & Hearst (2003): the shortest run of preceding words that starts with
        # the acronym's first letter and holds all its letters in order.
        words = re.split(r"[.;:()\n]", flat[w0 : m.start()])[-1].split()
        core = shorts[0][:-1] if shorts[0].endswith("s") and shorts[0][:-1].isupper() else shorts[0]
        full = next((trim_name(" ".join(words[i:])) for i in range(len(words) - 1, -1, -1)
                     if words[i][0] == core[0] and 2 <= len(words) - i <= min(len(core) + 5, 2 * len(core))
                     and _subsequence(core.lower(), " ".join(words[i:]).lower())), None)
    else:
        before = _NAME_AT_END.search(flat[w0 : m.start()])
        full = trim_name(before.group(1)) if before else None
    if not full:
        return reg
    at = re.search(r"\s+".join(map(re.escape, full.split())) + r"\S*\s*$", flat[w0 : m.start()])
    start = w0 + (at.start() if at else 0)
    if flat[max(0, start - 2) : start] == ", ":
        return reg  # the "name" ends a list: "Camden, Haringey and Islington ('NCL')"
    return _name(reg, flat, full, shorts, (doc_id, start, m.end()), rule)


def _name(reg: PartyRegister, flat: str, full: str, shorts: list[str], evidence: tuple, rule: str) -> PartyRegister:
    """Give the party called ``full`` the short names a definition gives it, minting it if need be."""
    shorts = [s.strip() for s in shorts if trim_name(s) or is_abbreviation(s.strip())]
    known = reg.resolve(full)
    if known is not None or not shorts:
        return _alias(reg, known, *(s for s in shorts if reg.resolve(s) in (None, known))) if known else reg
    committed = r"\s+(?:commits?|agrees?|undertakes?|(?:is|are)\s+committed)\b"
    used = any(re.search(rf"(?<![\w-]){re.escape(s)}{committed}", flat) for s in shorts)
    if not (used or any(_org_like(_head(n)) for n in (full, *shorts))):
        return reg
    # The document's definition wins over the register's reading of a short name.
    return _mint(reg, full, rule, evidence, aliases=tuple(shorts))


def _group(reg: PartyRegister, flat: str, m: re.Match[str], doc_id: str) -> PartyRegister:
    """``"X" means A, B and C`` and kin: a group and its members, or an alias."""
    masked = _mask_brackets(flat[m.end() : m.end() + 1500])
    stop = re.search(r"\.(?=\s|$)|[;:]|\n\s*\n|,\s*(?:which|who|whose|that|as|acting|an?)\s|$", masked)
    items = masked[: stop.start()]
    # Cut the list only at separators outside known names, so that
    # "Department for Communities and Local Government" stays whole.
    known = reg.find_mentions(items)
    cuts = [c for c in _LIST_SEP.finditer(items) if not overlaps(c.start(), c.start() + 1, known)]
    bounds = [0, *[x for c in cuts for x in (c.start(), c.end())], len(items)]
    members = []  # (name, count, start)
    for a, b in zip(bounds[::2], bounds[1::2]):
        count = re.match(r"\s*(?:all\s+)?(?:the\s+)?(\d+)\s+", items[a:b])
        text = re.sub(r"\s+members?\s+of\s+.*$", "", items[a + (count.end() if count else 0) : b]).strip()
        if text and (reg.resolve(text) or trim_name(text)):
            members.append((text, int(count.group(1)) if count else None, m.end() + a + items[a:b].find(text)))
    name = normal_form(m.group(1) or m.group(2))
    if len(members) < 2 and not any(c for _, c, _ in members):
        # One thing, not a collective: "the "MMO" means the Marine Management Organisation".
        if members:
            text, _, at = members[0]
            full = reg.resolve(text).label if reg.resolve(text) else trim_name(text)
            return _name(reg, flat, full, [name], (doc_id, m.start(), at + len(text)), "D-definition")
        if reg.resolve(name) or not (trim_name(name) and _org_like(name.split()[-1])):
            return reg  # "the "Haven" means the waterway": not a party
        return _mint(reg, name, "D-definition", (doc_id, m.start(), m.end() + len(items)))
    if (group := reg.resolve(name)) is None:
        evidence = (doc_id, m.start(), m.end() + len(items))
        reg = _mint(reg, name, "D-group", evidence, cls="PartyGroup", kind="collective")
        group = reg.parties[key_for(name)]
    for text, count, at in members:
        if (member := reg.resolve(text)) is None:
            label = trim_name(text)
            off = at + text.find(label.split()[0])
            reg = _mint(reg, label, "D-group-member", (doc_id, off, off + len(label)),
                        cls="PartyGroup" if count else "Party")
            member = reg.parties[key_for(label)]
        changes = {}
        if group.key not in (member.key, *member.member_of):
            changes["member_of"] = (*member.member_of, group.key)
        if count and member.declared_members is None:
            changes["declared_members"] = count
        reg = _with(reg, replace(member, **changes)) if changes else reg
    return reg


def _between(reg: PartyRegister, flat: str, m: re.Match[str], doc_id: str) -> PartyRegister:
    """``D-between``: each organisation the opening "made between A and B" names.

    They sign, so they are parties even when named like a body ("the Harbour Board").
    """
    known = reg.find_mentions(flat)
    start = m.start("names")
    # "and" parts names only after an organisation word or acronym: not "Work and Pensions".
    names = re.sub(r"(?<=(\S))(\s+)and\b",
                   lambda a: a.group(2) + ",  " if _org_like(_last_word(m.group("names"), a.start())) else a.group(0),
                   m.group("names"))
    for part in re.finditer(r"[^,;&]+", names):
        label = trim_name(part.group(0))
        a = start + part.start()
        b = a + len(part.group(0).rstrip())
        if label is None or overlaps(a, b, known) or reg.resolve(label):
            continue
        last = label.split()[-1]
        if not (_org_like(last) or is_abbreviation(last)):
            continue
        reg = _mint(reg, label, "D-between", (doc_id, b - len(label), b), cls="Party", kind="organisation")
    return reg


def _last_word(text: str, end: int) -> str:
    words = text[:end].split()
    return words[-1] if words else ""


def _parse(reg: PartyRegister, flat: str, doc_id: str, nlp) -> PartyRegister:
    """``D-subject`` and ``D-org-entity``: named subjects of commitment verbs, and ORG entities."""
    doc = nlp(flat)
    known = reg.find_mentions(flat)
    # (start, end, rule, the verb's offset, whether the name may be one word)
    candidates: list[tuple[int, int, str, int, bool]] = []
    for tok in doc:
        if tok.dep_ in ("nsubj", "nsubjpass") and _commits(tok.head):
            for head in (tok, *tok.conjuncts):
                start, end = noun_phrase(head)
                candidates.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "D-subject",
                                   tok.head.idx, head.pos_ == "PROPN" or is_abbreviation(head.text)))
    # Plural entity names are kinds of body ("Accountable Care Organisations"), not parties.
    candidates += [(e.start_char, e.end_char, "D-org-entity", e.start_char, False) for e in doc.ents
                   if e.label_ == "ORG" and _org_like(e[-1].text) and e[-1].lower_ in _ORG_WORDS | {"nhs"}]
    for start, end, rule, verb, one_word in candidates:
        label = trim_name(flat[start:end])
        if label is None or overlaps(start, end, known) or reg.resolve(label):
            continue
        line = flat[flat.rfind("\n", 0, start) + 1 : (flat.find("\n", end) + 1 or len(flat) + 1) - 1]
        last = label.split()[-1]
        # Never a heading (in capitals, or a paragraph away from its verb), an ordinary
        # or generic word alone ("Proposals will", "The Board will", "The Parties will"),
        # the tail of a known name ("the Steering Group"), or a head the document also
        # uses in lowercase ("Working Capital").
        if not re.search(r"[a-z]", line) or "\n" in flat[min(start, verb) : max(end, verb)]:
            continue
        if " " not in label and (not one_word or _org_like(last) or last.lower() in _GENERIC):
            continue
        if any(n.lower().endswith(" " + label.lower()) for p in reg for n in (p.label, *p.aliases)):
            continue
        if not (_org_like(last) or is_abbreviation(last)) and re.search(rf"\b{re.escape(last.lower())}\b", flat):
            continue
        reg = _mint(reg, label, rule, (doc_id, end - len(label), end))
    return reg


def _commits(verb) -> bool:
    """True when a verb token undertakes something: commit/agree/... or will/shall + verb."""
    # Its grammatical subject is taken to be a party (ANNOTATION.md, "Counts").
    return verb.lemma_.lower() in PERFORMATIVE or any(
        c.dep_ == "aux" and c.lower_ in ("will", "shall") for c in verb.children)


def noun_phrase(head) -> tuple[int, int]:
    """Token span of a subject's name: its left modifiers and an "of/for + Name" tail.

    The tail may list capitalised words ("Department for Levelling Up, Housing and
    Communities"); it ends where another body begins, which the parser often
    hangs inside it: at "and the ..." or ", the ...", or at "and" before a name of
    three words or more ending in an organisation word ("... and Northstead
    District Council").
    """
    start = min([head.i, *(c.left_edge.i for c in head.lefts if c.dep_ in ("compound", "amod", "det", "nmod", "poss"))])
    end = head.i + 1
    for child in head.rights:
        tail = _own_tail(list(child.subtree)[1:])
        if child.dep_ == "prep" and child.lower_ in ("of", "for") and tail and all(
                t.text[:1].isupper() or t.lower_ in ("and", "of", "the") or t.text == "," for t in tail):
            end = tail[-1].i + 1
    return start, end


def _own_tail(tail: list) -> list:
    """The part of an "of/for" tail before another body's name starts, without a dangling "and" or comma."""
    for i, t in enumerate(tail):
        rest = tail[i + 1 :]
        if t.lower_ in ("and", ",") and rest and rest[0].lower_ == "the":
            tail = tail[:i]
            break
        if t.lower_ == "and" and len(rest) >= 3 and all(r.text[:1].isupper() for r in rest) and _org_like(rest[-1].text):
            tail = tail[:i]
            break
    while tail and tail[-1].lower_ in ("and", ",", "the"):
        tail = tail[:-1]
    return tail
