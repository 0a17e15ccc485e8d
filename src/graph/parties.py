"""The party register: who the parties are, what they are called, how they relate.

A register maps party keys (the slug of a canonical label, the last part of
``id:party/<key>``) to :class:`graph.model.Party` records. It is read from
Turtle (``ontology/parties.ttl`` plus any ``--parties`` files), resolves names
to parties, finds party names in text, answers membership questions, and can be
extended with the parties a document defines for itself (:meth:`discover`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cached_property
from importlib.resources import files
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from graph.errors import RegisterError
from graph.model import Party
from graph.namespace import ID, OBL, ORG, PARTY_KIND

PARTY = Namespace(str(ID) + "party/")
CLASSES = ("Post", "GovernanceBody", "PartyGroup", "Party")  # most specific first
_QUOTES = "\"'‘’“”`«»"
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
# Verbs whose grammatical subject is taken to be a party (ANNOTATION.md, "Counts").
_COMMIT_LEMMAS = frozenset("commit agree undertake pledge promise guarantee reaffirm re-affirm".split())
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


def key_for(label: str) -> str:
    """The register key for a canonical label: lowercase, other runs turned into '-'.

    Raises:
        ValueError: The label holds no letter or digit.
    """
    folded = "".join(c for c in unicodedata.normalize("NFKD", label) if not unicodedata.combining(c))
    key = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not key:
        raise ValueError(f"a party name needs a letter or digit: {label!r}")
    return key


def party_iri(key: str) -> URIRef:
    """The IRI of the party with this key (``id:party/<key>``)."""
    return PARTY[key]


def default_register_path():
    """The bundled register (a symlink to ontology/ in the source tree, a real file when installed)."""
    return files("graph") / "data" / "ontology" / "parties.ttl"


def _norm(name: str) -> str:
    """A name as the register indexes it: spacing, quotes, 'the' and possessives removed."""
    s = re.sub(r"-\s+", "-", " ".join(name.replace("\u00a0", " ").split())).strip(_QUOTES + " ")
    s = re.sub(r"(?:['’]s|(?<=s)['’])$", "", s).strip(_QUOTES + " ")
    return re.sub(r"^the\s+", "", s, flags=re.I).strip(_QUOTES + " ")


def _number_variants(form: str) -> list[str]:
    """The form with its last word made singular, or plural."""
    stem, last = form[: len(form) - len(form.split()[-1])], form.split()[-1]
    if last.endswith("ies"):
        return [stem + last[:-3] + "y"]
    if last.endswith(("ses", "xes", "ches", "shes")):
        return [stem + last[:-2]]
    if last.endswith("s") and not last.endswith("ss"):
        return [stem + last[:-1]]
    if re.search(r"[^aeiou]y$", last):
        return [stem + last[:-1] + "ies"]
    return [stem + last + ("es" if last.endswith(("s", "x", "ch", "sh")) else "s")]


def _org_like(word: str) -> bool:
    w = word.lower().strip(_QUOTES)
    return w in _ORG_WORDS or (w.endswith("s") and (w[:-1] in _ORG_WORDS or w[:-3] + "y" in _ORG_WORDS))


def _head(name: str) -> str:
    """The head noun of a name: its last word before "of/for/on" ("Department for Work")."""
    words = name.split()
    cut = next((i for i, w in enumerate(words) if i and w in ("of", "for", "on")), len(words))
    return words[cut - 1]


def _abbreviation(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&]*[A-Z0-9]s?", word))


def _word_pattern(word: str) -> str:
    # A hyphen may end a line inside a name ("sub-\nregional"); apostrophes come curly or straight.
    return re.sub(r"['’]", "['’]", re.escape(word)).replace(r"\-", r"-\s*")


def _alias_pattern(form: str) -> str:
    """The regex for one label or alias, with the case rules of find_mentions."""
    words = form.split()
    the = words[0].lower() == "the" and len(words) > 1
    core = words[1:] if the else words
    if len(core) > 1:
        return "(?i:" + r"\s+".join(_word_pattern(w) for w in words) + ")"
    word = core[0]
    if _abbreviation(word):
        return (r"[Tt]he\s+" if the else "") + _word_pattern(word)
    # A common word matches only as written, and not where it starts a longer
    # proper name the register lacks ("London Quality Standards").
    first = f"[{word[0]}{word[0].upper()}]" if word[0].islower() else re.escape(word[0])
    guard = r"(?!(?:[ \t]+|[ \t]*\n[ \t]*)(?:(?:of|for)\s+)?[A-Z][A-Za-z])"
    return (r"[Tt]he\s+" if the else "") + first + _word_pattern(word[1:]) + guard


def _trim_name(text: str) -> str | None:
    """A candidate name cut to the name: leading function words and quotes dropped, and
    "A and B" cut to B when A is itself organisation-like. None when no capitalised name is left."""
    words = [w.strip(_QUOTES) for w in text.split()]
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    for i in range(len(words) - 2, 0, -1):
        if words[i].lower() in ("and", "&") and (_org_like(words[i - 1]) or _abbreviation(words[i - 1])):
            return _trim_name(" ".join(words[i + 1 :]))
    name = " ".join(words).strip(_QUOTES + " ,;:")
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


def _overlaps(start: int, end: int, spans) -> bool:
    return any(s < end and start < e for s, e, *_ in spans)


class PartyRegister:
    """Parties by key, with name resolution, mention finding and membership.

    Args:
        parties: Party records by key.
    """

    def __init__(self, parties: dict[str, Party] | None = None):
        self.parties: dict[str, Party] = dict(parties or {})

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None, include_default: bool = True) -> PartyRegister:
        """Read the bundled register and/or register files; later files add to earlier ones.

        Args:
            paths: Register files in Turtle, read in order after the bundled one.
            include_default: Read the bundled ``ontology/parties.ttl`` first.

        Raises:
            RegisterError: A file cannot be read, is not valid Turtle (the message
                names the file and line), declares no parties, or refers to a party
                no file declares.
        """
        sources = ([default_register_path()] if include_default else []) + [Path(p) for p in paths or ()]
        merged: dict[str, dict] = {}
        origin: dict[str, str] = {}
        for source in sources:
            for key, fields in _read_register(source).items():
                into = merged.setdefault(key, {})
                origin.setdefault(key, str(source))
                for name, value in fields.items():
                    old = into.get(name, ())
                    into[name] = tuple(dict.fromkeys((*old, *value))) if isinstance(value, list) else value
        for key, f in merged.items():
            if "label" not in f:
                raise RegisterError(f"party {party_iri(key)} has no skos:prefLabel", origin[key])
        parties = {key: Party(key=key, **f) for key, f in merged.items()}
        for p in parties.values():
            for ref in (*p.member_of, *p.reports_to, *p.head_of, *filter(None, [p.unit_of])):
                if ref not in parties:
                    raise RegisterError(f"party '{p.label}' refers to {party_iri(ref)}, which no register declares")
        return cls(parties)

    def __len__(self) -> int:
        return len(self.parties)

    def __iter__(self) -> Iterator[Party]:
        return iter(self.parties.values())

    def __contains__(self, key: object) -> bool:
        return key in self.parties

    def __getitem__(self, key: str) -> Party:
        return self.parties[key]

    def get(self, key: str) -> Party | None:
        """The party with this key, or None."""
        return self.parties.get(key)

    # --- names ---------------------------------------------------------------
    @cached_property
    def _index(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        exact: dict[str, set[str]] = {}
        folded: dict[str, set[str]] = {}
        for p in self.parties.values():
            for name in (p.label, *p.aliases):
                exact.setdefault(_norm(name), set()).add(p.key)
                folded.setdefault(_norm(name).lower(), set()).add(p.key)
        return exact, folded

    def _lookup(self, form: str) -> str | None:
        exact, folded = self._index
        for keys in (exact.get(form), folded.get(form.lower())):
            # A name the document defined ("the Government" for the Welsh Government)
            # wins over the register's use of the same name.
            if keys and len(keys) > 1:
                keys = {k for k in keys if self.parties[k].discovered}
            if keys and len(keys) == 1:
                return next(iter(keys))
        return None

    def resolve(self, name: str) -> Party | None:
        """The party a name refers to, or None when none or several match.

        Case is ignored, as are a leading "the", a possessive ending, surrounding
        quotes, and line breaks or non-breaking spaces inside the name; the last
        word may be singular or plural when only one party then matches.
        """
        form = _norm(name)
        if not form:
            return None
        key = self._lookup(form)
        if key is None:
            keys = {k for alt in _number_variants(form) if (k := self._lookup(alt))}
            key = keys.pop() if len(keys) == 1 else None
        return self.parties[key] if key else None

    @cached_property
    def _mention_regex(self) -> re.Pattern[str] | None:
        forms = sorted({" ".join(n.split()) for p in self for n in (p.label, *p.aliases)}, key=lambda f: (-len(f), f))
        # Longest names first, since a regex takes the first alternative that matches.
        alternatives = list(dict.fromkeys(_alias_pattern(f) for f in forms if f))
        if not alternatives:
            return None
        # A zero-width search with a capturing lookahead yields a candidate at every
        # word start, so a short name ("the Department") cannot hide a longer one that
        # starts a word later ("Department of Health"). After a name, a footnote digit
        # may follow but not a letter or hyphen ("pan-London").
        return re.compile(r"(?<![\w-])(?=((?:" + "|".join(alternatives) + r"))(?![^\W\d_]|-))")

    def find_mentions(self, text: str) -> list[tuple[int, int, Party]]:
        """Every non-overlapping longest match of a label or alias in the text.

        Multi-word names match in any case and across line breaks; a single-word
        name matches only as written (a lowercase one also with a capital first
        letter), and all-capital abbreviations only exactly.

        Returns:
            ``(start, end, party)`` in text order, end exclusive.
        """
        if self._mention_regex is None:
            return []
        candidates = sorted(((m.start(1), m.end(1)) for m in self._mention_regex.finditer(text)),
                            key=lambda c: (c[0] - c[1], c[0]))
        taken: list[tuple[int, int, Party]] = []
        for start, end in candidates:
            if not _overlaps(start, end, taken) and (party := self.resolve(text[start:end])) is not None:
                taken.append((start, end, party))
        return sorted(taken, key=lambda t: t[0])

    # --- membership ----------------------------------------------------------
    def _walk(self, key: str, step) -> set[str]:
        """Keys reachable from ``key`` (excluded) by repeating ``step(party) -> keys``; cycles are safe."""
        seen, todo = {key}, [key]
        while todo:
            party = self.parties.get(todo.pop())
            for nxt in step(party) if party else ():
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen - {key}

    def members(self, key: str) -> set[str]:
        """Keys of the parties that belong to a group, directly or through its sub-groups."""
        return self._walk(key, lambda g: [p.key for p in self if g.key in p.member_of])

    def groups_of(self, key: str) -> set[str]:
        """Keys of the groups a party belongs to, transitively, and those of the
        organisation it is a unit of (NHS England London Region -> national bodies)."""
        reach = self._walk(key, lambda p: (*p.member_of, *filter(None, [p.unit_of])))
        return {g for k in reach | {key} if k in self.parties for g in self.parties[k].member_of}

    def is_member_or_unit(self, key: str, of_key: str) -> bool:
        """True when ``key`` is ``of_key``, belongs to it (see :meth:`groups_of`) or is a unit of it."""
        units_above = self._walk(key, lambda p: filter(None, [p.unit_of]))
        return key == of_key or of_key in units_above or of_key in self.groups_of(key)

    # --- discovery -----------------------------------------------------------
    def discover(self, structure_text: str, doc_id: str, nlp=None) -> PartyRegister:
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
            structure_text: The document's ingested text; offsets count against it.
            doc_id: The document's id, for evidence.
            nlp: A spaCy pipeline with a parser and entities, or None for the pattern rules only.
        """
        # Same-length flattening keeps offsets valid while names and sentences broken
        # over lines read whole; blank lines stay, so paragraphs stay apart.
        flat = re.sub(r"(?<=\S)([ \t]*)\n(?=[ \t]*\S)", lambda m: m.group(1) + " ", structure_text)
        flat = flat.replace("\u00a0", " ")
        reg = self
        for m in _DEFINITION.finditer(flat):
            reg = reg._define(flat, m, [q for q in re.findall(_QUOTED, m.group(1))], doc_id, "D-definition")
        for m in _ACRONYM.finditer(flat):
            reg = reg._define(flat, m, [m.group(1)], doc_id, "D-acronym")
        for m in _GROUP.finditer(flat):
            reg = reg._group(flat, m, doc_id)
        return reg._parse(flat, doc_id, nlp) if nlp is not None else reg

    def _with(self, party: Party) -> PartyRegister:
        return PartyRegister({**self.parties, party.key: party})

    def _alias(self, party: Party, *aliases: str) -> PartyRegister:
        new = tuple(a for a in aliases if a not in (party.label, *party.aliases))
        return self._with(replace(party, aliases=(*party.aliases, *new))) if new else self

    def _mint(self, label: str, rule: str, evidence: tuple[str, int, int], **fields) -> PartyRegister:
        if (existing := self.parties.get(key_for(label))) is not None:
            return self._alias(existing, label, *fields.get("aliases", ()))  # add, never replace
        names = " ".join((label, *fields.get("aliases", ()))).lower()
        governance = re.search(r"\b(?:board|committee|panel|forum|steering group|working group)s?\b", names)
        kind = {"government": "government", "executive": "government", "department": "governmentDepartment"}
        fields = {"cls": "GovernanceBody" if governance else "Party",
                  "kind": "governanceBoard" if governance else kind.get(_head(label).lower(), "organisation"), **fields}
        party = Party(key=key_for(label), label=label, discovered=True, found_by=rule, evidence=evidence, **fields)
        return self._with(party)

    def _define(self, flat: str, m: re.Match[str], shorts: list[str], doc_id: str, rule: str) -> PartyRegister:
        """``Full Name ("Short")`` or ``Full Name (FN)``: an alias, or a new party."""
        w0 = max(0, m.start() - 200)
        if rule == "D-acronym":
            # Schwartz & Hearst (2003): the shortest run of preceding words that starts with
            # the acronym's first letter and holds all its letters in order.
            words = re.split(r"[.;:()\n]", flat[w0 : m.start()])[-1].split()
            core = shorts[0][:-1] if shorts[0].endswith("s") and shorts[0][:-1].isupper() else shorts[0]
            full = next((_trim_name(" ".join(words[i:])) for i in range(len(words) - 1, -1, -1)
                         if words[i][0] == core[0] and 2 <= len(words) - i <= min(len(core) + 5, 2 * len(core))
                         and _subsequence(core.lower(), " ".join(words[i:]).lower())), None)
        else:
            before = _NAME_AT_END.search(flat[w0 : m.start()])
            full = _trim_name(before.group(1)) if before else None
        if not full:
            return self
        at = re.search(r"\s+".join(map(re.escape, full.split())) + r"\S*\s*$", flat[w0 : m.start()])
        start = w0 + (at.start() if at else 0)
        if flat[max(0, start - 2) : start] == ", ":
            return self  # the "name" ends a list: "Camden, Haringey and Islington ('NCL')"
        return self._name(flat, full, shorts, (doc_id, start, m.end()), rule)

    def _name(self, flat: str, full: str, shorts: list[str], evidence: tuple, rule: str) -> PartyRegister:
        """Give the party called ``full`` the short names a definition gives it, minting it if need be."""
        shorts = [s.strip() for s in shorts if _trim_name(s) or _abbreviation(s.strip())]
        known = self.resolve(full)
        if known is not None or not shorts:
            return self._alias(known, *(s for s in shorts if self.resolve(s) in (None, known))) if known else self
        committed = rf"\s+(?:commits?|agrees?|undertakes?|(?:is|are)\s+committed)\b"
        used = any(re.search(rf"(?<![\w-]){re.escape(s)}{committed}", flat) for s in shorts)
        if not (used or any(_org_like(_head(n)) for n in (full, *shorts))):
            return self
        # The document's definition wins over the register's reading of a short name.
        return self._mint(full, rule, evidence, aliases=tuple(shorts))

    def _group(self, flat: str, m: re.Match[str], doc_id: str) -> PartyRegister:
        """``"X" means A, B and C`` and kin: a group and its members, or an alias."""
        masked = _mask_brackets(flat[m.end() : m.end() + 1500])
        stop = re.search(r"\.(?=\s|$)|[;:]|\n\s*\n|,\s*(?:which|who|whose|that|as|acting|an?)\s|$", masked)
        items = masked[: stop.start()]
        # Cut the list only at separators outside known names, so that
        # "Department for Communities and Local Government" stays whole.
        known = self.find_mentions(items)
        cuts = [c for c in _LIST_SEP.finditer(items) if not _overlaps(c.start(), c.start() + 1, known)]
        bounds = [0, *[x for c in cuts for x in (c.start(), c.end())], len(items)]
        members = []  # (name, count, start)
        for a, b in zip(bounds[::2], bounds[1::2]):
            count = re.match(r"\s*(?:all\s+)?(?:the\s+)?(\d+)\s+", items[a:b])
            text = re.sub(r"\s+members?\s+of\s+.*$", "", items[a + (count.end() if count else 0) : b]).strip()
            if text and (self.resolve(text) or _trim_name(text)):
                members.append((text, int(count.group(1)) if count else None, m.end() + a + items[a:b].find(text)))
        name, reg = _norm(m.group(1) or m.group(2)), self
        if len(members) < 2 and not any(c for _, c, _ in members):
            # One thing, not a collective: "the "MMO" means the Marine Management Organisation".
            if members:
                text, _, at = members[0]
                full = reg.resolve(text).label if reg.resolve(text) else _trim_name(text)
                return reg._name(flat, full, [name], (doc_id, m.start(), at + len(text)), "D-definition")
            if reg.resolve(name) or not (_trim_name(name) and _org_like(name.split()[-1])):
                return reg  # "the "Haven" means the waterway": not a party
            return reg._mint(name, "D-definition", (doc_id, m.start(), m.end() + len(items)))
        if (group := reg.resolve(name)) is None:
            evidence = (doc_id, m.start(), m.end() + len(items))
            reg = reg._mint(name, "D-group", evidence, cls="PartyGroup", kind="collective")
            group = reg.parties[key_for(name)]
        for text, count, at in members:
            if (member := reg.resolve(text)) is None:
                label = _trim_name(text)
                off = at + text.find(label.split()[0])
                reg = reg._mint(label, "D-group-member", (doc_id, off, off + len(label)),
                                cls="PartyGroup" if count else "Party")
                member = reg.parties[key_for(label)]
            changes = {}
            if group.key not in (member.key, *member.member_of):
                changes["member_of"] = (*member.member_of, group.key)
            if count and member.declared_members is None:
                changes["declared_members"] = count
            reg = reg._with(replace(member, **changes)) if changes else reg
        return reg

    def _parse(self, flat: str, doc_id: str, nlp) -> PartyRegister:
        doc = nlp(flat)
        known = self.find_mentions(flat)
        # (start, end, rule, the verb's offset, whether the name may be one word)
        candidates: list[tuple[int, int, str, int, bool]] = []
        for tok in doc:
            if tok.dep_ in ("nsubj", "nsubjpass") and _commits(tok.head):
                for head in (tok, *tok.conjuncts):
                    start, end = _noun_phrase(head)
                    candidates.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "D-subject",
                                       tok.head.idx, head.pos_ == "PROPN" or _abbreviation(head.text)))
        # Plural entity names are kinds of body ("Accountable Care Organisations"), not parties.
        candidates += [(e.start_char, e.end_char, "D-org-entity", e.start_char, False) for e in doc.ents
                       if e.label_ == "ORG" and _org_like(e[-1].text) and e[-1].lower_ in _ORG_WORDS | {"nhs"}]
        reg = self
        for start, end, rule, verb, one_word in candidates:
            label = _trim_name(flat[start:end])
            if label is None or _overlaps(start, end, known) or reg.resolve(label):
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
            if not (_org_like(last) or _abbreviation(last)) and re.search(rf"\b{re.escape(last.lower())}\b", flat):
                continue
            reg = reg._mint(label, rule, (doc_id, end - len(label), end))
        return reg

    # --- writing -------------------------------------------------------------
    def to_graph(self) -> Graph:
        """The register as RDF: the triples of ontology/parties.ttl, for every party.

        Discovered parties also get ``obl:discovered true``; evidence is not written.
        """
        g = Graph()
        for prefix, ns in (("obl", OBL._NS), ("org", ORG), ("skos", SKOS), ("kind", PARTY_KIND), ("party", PARTY)):
            g.bind(prefix, ns)
        for p in self:
            s = party_iri(p.key)
            g.add((s, RDF.type, OBL[p.cls]))
            g.add((s, SKOS.prefLabel, Literal(p.label)))
            g.add((s, OBL.partyKind, PARTY_KIND[p.kind]))
            g.add((s, OBL.foundBy, Literal(p.found_by)))
            for alias in p.aliases:
                g.add((s, SKOS.altLabel, Literal(alias)))
            for prop, keys in ((ORG.memberOf, p.member_of), (ORG.reportsTo, p.reports_to),
                               (ORG.headOf, p.head_of), (ORG.unitOf, filter(None, [p.unit_of]))):
                for k in keys:
                    g.add((s, prop, party_iri(k)))
            if p.declared_members is not None:
                g.add((s, OBL.declaredMemberCount, Literal(p.declared_members)))
            if p.discovered:
                g.add((s, OBL.discovered, Literal(True)))
        return g


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def _commits(verb) -> bool:
    """True when a verb token undertakes something: commit/agree/... or will/shall + verb."""
    return verb.lemma_.lower() in _COMMIT_LEMMAS or any(
        c.dep_ == "aux" and c.lower_ in ("will", "shall") for c in verb.children)


def _noun_phrase(head) -> tuple[int, int]:
    """Token span of a subject's name: its left modifiers and an "of/for + Name" tail."""
    start = min([head.i, *(c.left_edge.i for c in head.lefts if c.dep_ in ("compound", "amod", "det", "nmod", "poss"))])
    end = head.i + 1
    for child in head.rights:
        tail = list(child.subtree)[1:]
        if child.dep_ == "prep" and child.lower_ in ("of", "for") and tail and all(
                t.text[:1].isupper() or t.lower_ in ("and", "of", "the") for t in tail):
            end = child.right_edge.i + 1
    return start, end


def _read_register(source) -> dict[str, dict]:
    """Party fields by key from one register file, only those the file states."""
    name = str(source)
    try:
        data = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError(f"cannot read the party register: {getattr(exc, 'strerror', None) or exc}", name) from exc
    g = Graph()
    try:
        g.parse(data=data, format="turtle")
    except BadSyntax as exc:
        raise RegisterError(f"line {exc.lines + 1}: not valid Turtle: {' '.join(str(exc._why).split())}", name) from exc
    except Exception as exc:  # rdflib raises assorted errors for malformed terms
        raise RegisterError(f"not valid Turtle: {' '.join(str(exc).split())}", name) from exc
    subjects = {s for c in CLASSES for s in g.subjects(RDF.type, OBL[c])}
    subjects |= {s for s in g.subjects() if str(s).startswith(str(PARTY))}
    if not subjects:
        raise RegisterError("declares no parties (subjects typed obl:Party, obl:PartyGroup, "
                            "obl:GovernanceBody or obl:Post)", name)

    def key(iri) -> str:
        if str(iri).startswith(str(PARTY)):
            return str(iri)[len(str(PARTY)) :]
        label = g.value(iri, SKOS.prefLabel)
        return key_for(str(label) if label is not None else str(iri).rstrip("/#").rsplit("/", 1)[-1])

    def local(iri) -> str:
        return str(iri)[len(str(PARTY_KIND)) :] if str(iri).startswith(str(PARTY_KIND)) else str(iri)

    out: dict[str, dict] = {}
    for s in subjects:
        f: dict = {
            "aliases": [str(o) for o in g.objects(s, SKOS.altLabel)],
            "member_of": [key(o) for o in g.objects(s, ORG.memberOf)] + [key(o) for o in g.subjects(ORG.hasMember, s)],
            "reports_to": [key(o) for o in g.objects(s, ORG.reportsTo)],
            "head_of": [key(o) for o in g.objects(s, ORG.headOf)],
        }
        cls = next((c for c in CLASSES if (s, RDF.type, OBL[c]) in g), None)
        for field, value in (("label", g.value(s, SKOS.prefLabel)), ("cls", cls), ("kind", g.value(s, OBL.partyKind)),
                             ("unit_of", g.value(s, ORG.unitOf)),
                             ("declared_members", g.value(s, OBL.declaredMemberCount)),
                             ("found_by", g.value(s, OBL.foundBy)), ("discovered", g.value(s, OBL.discovered))):
            if value is not None:
                convert = {"kind": local, "unit_of": key, "declared_members": int,
                           "discovered": lambda v: bool(v.toPython())}.get(field, str)
                f[field] = convert(value)
        out.setdefault(key(s), {}).update(f)
    return out
