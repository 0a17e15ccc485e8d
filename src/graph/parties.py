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
    "inspectorate regulator ombudsman tribunal police nhs ccg".split()
)
# Words that open a sentence or a noun phrase without being part of a name.
_LEADING = frozenset(
    "the a an this these that those our their its all both each every also further furthermore "
    "however additionally and whereas accordingly together meanwhile finally today now in on at by "
    "under with between".split()
)
# Verbs whose grammatical subject is taken to be a party (ANNOTATION.md, "Counts").
_COMMIT_LEMMAS = frozenset("commit agree undertake pledge promise guarantee reaffirm re-affirm".split())
_MODALS = frozenset({"will", "shall"})
_CAP = r"[A-Z][\w’'&.-]*"
_NAME = rf"{_CAP}(?:\s+(?:(?:of|for|and|the|in|on|&)\s+)*{_CAP})*"
_NAME_AT_END = re.compile(rf"({_NAME})\s*$")
_DEFINITION = re.compile(
    r"\(\s*(?:(?:hereafter|hereinafter)(?:\s+referred\s+to\s+as)?\s+)?(?:the\s+)?"
    r"[\"“‘']([^\"”’'()]{1,60})[\"”’']\s*\)"
)
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Z0-9&]*[A-Z0-9]s?)\s*\)")
_QUOTED = r"[\"“‘']([^\"”’']{1,60})[\"”’']"
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
    """The bundled register: a symlink to ontology/ in the source tree, real files when installed."""
    return files("graph") / "data" / "ontology" / "parties.ttl"


def _norm(name: str) -> str:
    """A name as the register indexes it: spacing, quotes, 'the' and possessives removed."""
    s = re.sub(r"-\s+", "-", " ".join(name.replace("\u00a0", " ").split())).strip(_QUOTES + " ")
    s = re.sub(r"(?:['’]s|(?<=s)['’])$", "", s).strip(_QUOTES + " ")
    return re.sub(r"^the\s+", "", s, flags=re.I)


def _number_variants(form: str) -> list[str]:
    """The form with its last word made singular or plural."""
    head, _, last = form.rpartition(" ")
    pre = head + " " if head else ""
    if last.endswith("ies"):
        alts = [last[:-3] + "y"]
    elif last.endswith(("ses", "xes", "ches", "shes")):
        alts = [last[:-2]]
    elif last.endswith("s") and not last.endswith("ss"):
        alts = [last[:-1]]
    elif re.search(r"[^aeiou]y$", last):
        alts = [last[:-1] + "ies"]
    else:
        alts = [last + ("es" if last.endswith(("s", "x", "ch", "sh")) else "s")]
    return [pre + a for a in alts]


def _org_like(word: str) -> bool:
    w = word.lower().strip(_QUOTES)
    return w in _ORG_WORDS or (w.endswith("s") and (w[:-1] in _ORG_WORDS or w[:-3] + "y" in _ORG_WORDS))


def _abbreviation(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&]*[A-Z0-9]s?", word))


def _word_pattern(word: str) -> str:
    # A hyphen may end a line inside a name ("sub-\nregional"); apostrophes come curly or straight.
    return re.sub(r"['’]", "['’]", re.escape(word)).replace(r"\-", r"-\s*")


def _alias_pattern(form: str) -> str:
    """The regex for one label or alias, with the case rule of find_mentions."""
    words = form.split()
    the = words[0].lower() == "the" and len(words) > 1
    core = words[1:] if the else words
    if len(core) > 1:
        return "(?i:" + r"\s+".join(_word_pattern(w) for w in words) + ")"
    word = core[0]
    if _abbreviation(word):
        pat = _word_pattern(word)
    else:
        # A common word matches only as written, and not as the start of a longer
        # proper name the register lacks ("London Quality Standards").
        first = f"[{word[0]}{word[0].upper()}]" if word[0].islower() else re.escape(word[0])
        pat = first + _word_pattern(word[1:]) + r"(?!(?:[ \t]+|[ \t]*\n[ \t]*)(?:(?:of|for)\s+)?[A-Z][a-z])"
    return (r"[Tt]he\s+" if the else "") + pat


def _trim_name(text: str) -> str | None:
    """A candidate party name cut to its name: leading function words dropped,
    a list "A and B" cut to B when A is itself organisation-like. None if no name is left."""
    words = " ".join(text.replace("\u00a0", " ").split()).strip(_QUOTES + " ,;:").split()
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    for i in range(len(words) - 1, 0, -1):
        if words[i].lower() in ("and", "&") and (_org_like(words[i - 1]) or _abbreviation(words[i - 1])):
            words = [w for w in words[i + 1 :]]
            while words and words[0].lower() in _LEADING:
                words.pop(0)
            break
    if not words or not words[-1][:1].isupper():
        return None
    return " ".join(words)


def _mask_brackets(text: str) -> str:
    """The text with everything inside (balanced) brackets blanked, offsets kept."""
    out, depth = [], 0
    for ch in text:
        depth += ch == "("
        out.append(" " if depth else ch)
        depth -= ch == ")" and depth > 0
    return "".join(out)


class PartyRegister:
    """Parties by key, with name resolution, mention finding and membership.

    Args:
        parties: Party records by key.
    """

    def __init__(self, parties: dict[str, Party] | None = None):
        self.parties: dict[str, Party] = dict(parties or {})

    # --- reading -------------------------------------------------------------
    @classmethod
    def load(cls, paths: Sequence[Path] | None = None, include_default: bool = True) -> PartyRegister:
        """Read the bundled register and/or register files; later files add to earlier ones.

        Raises:
            RegisterError: A file is missing, is not valid Turtle (the message gives
                the file and line), declares no parties, or refers to an unknown party.
        """
        sources = ([default_register_path()] if include_default else []) + [Path(p) for p in paths or ()]
        merged: dict[str, dict] = {}
        for source in sources:
            for key, fields in _read_register(source).items():
                into = merged.setdefault(key, {"aliases": [], "member_of": [], "reports_to": [], "head_of": []})
                for name, value in fields.items():
                    if isinstance(value, list):
                        into[name] += [v for v in value if v not in into[name]]
                    else:
                        into[name] = value
        parties = {}
        for key, f in merged.items():
            if "label" not in f:
                raise RegisterError(f"party {party_iri(key)} has no skos:prefLabel")
            tuples = {k: tuple(v) for k, v in f.items() if isinstance(v, list)}
            parties[key] = Party(key=key, **{**{k: v for k, v in f.items() if not isinstance(v, list)}, **tuples})
        for p in parties.values():
            for ref in (*p.member_of, *p.reports_to, *p.head_of, *([p.unit_of] if p.unit_of else [])):
                if ref not in parties:
                    raise RegisterError(f"party '{p.label}' refers to {party_iri(ref)}, which is not in the register")
        return cls(parties)

    # --- the mapping ---------------------------------------------------------
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
                form = _norm(name)
                exact.setdefault(form, set()).add(p.key)
                folded.setdefault(form.lower(), set()).add(p.key)
        return exact, folded

    def _lookup(self, form: str) -> str | None:
        exact, folded = self._index
        for keys in (exact.get(form), folded.get(form.lower())):
            if keys and len(keys) == 1:
                return next(iter(keys))
        return None

    def resolve(self, name: str) -> Party | None:
        """The party a name refers to, or None when no party or several match.

        Case is ignored, as are a leading "the", a possessive ending, surrounding
        quotes and line breaks or non-breaking spaces inside the name; the last
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
        forms = {" ".join(n.split()) for p in self.parties.values() for n in (p.label, *p.aliases)}
        alternatives = sorted({_alias_pattern(f) for f in forms if f}, key=lambda a: (-len(a), a))
        if not alternatives:
            return None
        # Zero-width search with a capturing lookahead yields a candidate at every
        # word start, so a short name ("the Department") cannot hide a longer one
        # starting a word later ("Department of Health"); the trailing check lets
        # a footnote digit follow a name but not a letter or a hyphen ("pan-London").
        return re.compile(r"(?<![\w-])(?=((?:" + "|".join(alternatives) + r"))(?![^\W\d_]|-))")

    def find_mentions(self, text: str) -> list[tuple[int, int, Party]]:
        """Every non-overlapping longest match of a label or alias in the text.

        Multi-word names match in any case and across line breaks; a single-word
        name matches only as written (a lowercase one also with a capital first
        letter) and all-capital abbreviations only exactly.

        Returns:
            ``(start, end, party)`` in text order; end is exclusive.
        """
        regex = self._mention_regex
        if regex is None:
            return []
        candidates = [(m.start(1), m.end(1)) for m in regex.finditer(text)]
        taken: list[tuple[int, int, Party]] = []
        for start, end in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
            if any(s < end and start < e for s, e, _ in taken):
                continue
            party = self.resolve(text[start:end])
            if party is not None:
                taken.append((start, end, party))
        return sorted(taken, key=lambda t: t[0])

    # --- membership ----------------------------------------------------------
    def members(self, key: str) -> set[str]:
        """Keys of the parties that belong to a group, directly or through sub-groups."""
        direct: dict[str, list[str]] = {}
        for p in self.parties.values():
            for group in p.member_of:
                direct.setdefault(group, []).append(p.key)
        found, todo = set(), [key]
        while todo:
            for m in direct.get(todo.pop(), ()):
                if m not in found and m != key:
                    found.add(m)
                    todo.append(m)
        return found

    def groups_of(self, key: str) -> set[str]:
        """Keys of the groups a party belongs to, transitively, including the groups
        of the organisation it is a unit of (NHS England London Region -> national bodies)."""
        groups, seen, todo = set(), {key}, [key]
        while todo:
            p = self.parties.get(todo.pop())
            if p is None:
                continue
            groups.update(p.member_of)
            for nxt in (*p.member_of, *([p.unit_of] if p.unit_of else [])):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return groups

    def is_member_or_unit(self, key: str, of_key: str) -> bool:
        """True when ``key`` is ``of_key``, belongs to it (see groups_of) or is a unit of it."""
        if key == of_key or of_key in self.groups_of(key):
            return True
        seen, p = set(), self.parties.get(key)
        while p is not None and p.unit_of and p.unit_of not in seen:
            if p.unit_of == of_key:
                return True
            seen.add(p.unit_of)
            p = self.parties.get(p.unit_of)
        return False

    # --- discovery -----------------------------------------------------------
    def _with(self, party: Party) -> PartyRegister:
        return PartyRegister({**self.parties, party.key: party})

    def _alias(self, party: Party, alias: str) -> PartyRegister:
        return self if alias in party.aliases else self._with(replace(party, aliases=(*party.aliases, alias)))

    def _mint(self, label: str, rule: str, evidence: tuple[str, int, int], **fields) -> PartyRegister:
        if (existing := self.parties.get(key_for(label))) is not None:
            # Same key, yet the name did not resolve (several parties matched it): add, do not replace.
            return self._alias(existing, label) if label != existing.label else self
        last = label.split()[-1].lower().rstrip("s")
        kind = {"government": "government", "department": "governmentDepartment", "ministry": "governmentDepartment"}
        cls = "GovernanceBody" if last in ("board", "committee", "panel", "forum") else "Party"
        fields = {"kind": kind.get(last, "governanceBoard" if cls == "GovernanceBody" else "organisation"),
                  "cls": cls, **fields}
        party = Party(key=key_for(label), label=label, discovered=True, found_by=rule, evidence=evidence, **fields)
        return self._with(party)

    def discover(self, structure_text: str, doc_id: str, nlp=None) -> PartyRegister:
        """A new register extended with the parties a document defines or names itself.

        Rules: ``D-definition`` (``Full Name ("Short")``), ``D-acronym``
        (``Full Name (FN)``; the acronym becomes an alias when the full name is
        known), ``D-group`` and ``D-group-member`` (a named collective and its
        listed members), and with a spaCy pipeline ``D-subject`` (the subject of
        commit/agree/will/undertake/shall) and ``D-org-entity`` (ORG entities with
        an organisation-like last word). Discovered parties have discovered=True,
        found_by the rule and evidence ``(doc_id, start, end)``.

        Args:
            structure_text: The document's ingested text; offsets count against it.
            doc_id: The document's id, for evidence.
            nlp: A spaCy pipeline with a parser, or None to use the pattern rules only.
        """
        # Same-length flattening keeps every offset valid while letting patterns
        # and the parser read names broken over lines.
        flat = structure_text.translate({ord(c): " " for c in "\n\r\t\f\v\u00a0"})
        reg = self
        for m in _DEFINITION.finditer(flat):
            reg = reg._define(flat, m, m.group(1).strip(), doc_id, "D-definition")
        for m in _ACRONYM.finditer(flat):
            reg = reg._define(flat, m, m.group(1), doc_id, "D-acronym")
        for m in _GROUP.finditer(flat):
            reg = reg._group(flat, m, doc_id)
        if nlp is not None:
            reg = reg._discover_with_parser(flat, doc_id, nlp)
        return reg

    def _define(self, flat: str, m: re.Match[str], short: str, doc_id: str, rule: str) -> PartyRegister:
        before = _NAME_AT_END.search(flat[max(0, m.start() - 200) : m.start()])
        if before is None:
            return self
        words = before.group(1).split()
        if rule == "D-acronym":
            # Schwartz & Hearst (2003): the shortest run of preceding words that starts
            # with the acronym's first letter and holds its letters in order.
            core = short[:-1] if short.endswith("s") and not short.isupper() else short
            full = next((" ".join(words[i:]) for i in range(len(words) - 1, -1, -1)
                         if words[i][0] == core[0] and _subsequence(core.lower(), " ".join(words[i:]).lower())
                         and len(words) - i <= len(core) + 3), None)
        else:
            full = _trim_name(before.group(1))
        if not full:
            return self
        window_start = max(0, m.start() - 200)
        at = re.search(r"\s+".join(map(re.escape, full.split())) + r"\S*\s*$", flat[window_start : m.start()])
        start = window_start + (at.start() if at else before.start(1))
        known_full, known_short = self.resolve(full), self.resolve(short)
        if known_full and known_short:
            return self
        if known_full:
            return self._alias(known_full, short)
        if known_short:
            return self._alias(known_short, full)
        used = re.search(rf"(?<![\w-]){re.escape(short)}\s+(?:commits?|agrees?|will|shall|undertakes?|pledges?|"
                         rf"(?:is|are)\s+committed)\b", flat)
        if not (_org_like(full.split()[-1]) or used):
            return self
        return self._mint(full, rule, (doc_id, start, m.end()), aliases=(short,))

    def _group(self, flat: str, m: re.Match[str], doc_id: str) -> PartyRegister:
        name = m.group(1) or m.group(2)
        masked = _mask_brackets(flat[m.end() : m.end() + 1500])
        end = re.search(r"\.(?=\s|$)|;|:|$", masked).start()
        items = masked[:end]
        reg, group = self, self.resolve(name)
        if group is None:
            label = _norm(name)
            reg = reg._mint(label, "D-group", (doc_id, m.start(), m.end() + end), cls="PartyGroup", kind="collective")
            group = reg.parties[key_for(label)]
        # Cut the list at separators that fall outside known names, so that
        # "Department for Communities and Local Government" stays whole.
        known = [(s, e) for s, e, _ in reg.find_mentions(items)]
        cuts = [s for s in _LIST_SEP.finditer(items) if not any(a <= s.start() < b for a, b in known)]
        bounds = [0, *[c for s in cuts for c in (s.start(), s.end())], len(items)]
        for a, b in zip(bounds[::2], bounds[1::2]):
            chunk = items[a:b]
            count = re.match(r"\s*(?:all\s+)?(?:the\s+)?(\d+)\s+", chunk)
            text = re.sub(r"\s+members?\s+of\s+.*$", "", chunk[count.end() if count else 0 :]).strip()
            if not text:
                continue
            member = reg.resolve(text)
            if member is None:
                label = _trim_name(text)
                if label is None:
                    continue
                off = m.end() + a + chunk.find(label.split()[0])
                reg = reg._mint(label, "D-group-member", (doc_id, off, off + len(label)),
                                cls="PartyGroup" if count else "Party")
                member = reg.parties[key_for(label)]
            changes = {}
            if group.key not in member.member_of and member.key != group.key:
                changes["member_of"] = (*member.member_of, group.key)
            if count and member.declared_members is None:
                changes["declared_members"] = int(count.group(1))
            if changes:
                reg = reg._with(replace(member, **changes))
        return reg

    def _discover_with_parser(self, flat: str, doc_id: str, nlp) -> PartyRegister:
        doc = nlp(flat)
        reg = self
        known = [(s, e) for s, e, _ in reg.find_mentions(flat)]
        # (start, end, rule, whether a one-word name is acceptable)
        candidates: list[tuple[int, int, str, bool]] = []
        for tok in doc:
            if tok.dep_ not in ("nsubj", "nsubjpass") or not _commits(tok.head):
                continue
            for head in (tok, *tok.conjuncts):
                if head.pos_ in ("PRON", "DET", "NUM"):
                    continue
                start, end = _noun_phrase(head)
                # A lone word must be an abbreviation or a proper noun that is not a
                # generic one: "The Board will" refers back, it names nothing, and a
                # sentence-initial common noun ("Proposals will") is never a party.
                one_word = _abbreviation(head.text) or (head.pos_ == "PROPN" and not _org_like(head.text))
                candidates.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "D-subject", one_word))
        for ent in doc.ents:
            if ent.label_ == "ORG" and _org_like(ent[-1].text):
                candidates.append((ent.start_char, ent.end_char, "D-org-entity", False))
        for start, end, rule, one_word in candidates:
            label = _trim_name(flat[start:end])
            if label is None or (len(label.split()) == 1 and not one_word):
                continue
            if any(s < end and start < e for s, e in known) or reg.resolve(label):
                continue
            reg = reg._mint(label, rule, (doc_id, end - len(label), end))
        return reg

    # --- writing -------------------------------------------------------------
    def to_graph(self) -> Graph:
        """The register as RDF: exactly the triples of ontology/parties.ttl, for every party."""
        g = Graph()
        for prefix, ns in (("obl", OBL._NS), ("org", ORG), ("skos", SKOS), ("kind", PARTY_KIND), ("party", PARTY)):
            g.bind(prefix, ns)
        for p in self.parties.values():
            s = party_iri(p.key)
            g.add((s, RDF.type, OBL[p.cls]))
            g.add((s, SKOS.prefLabel, Literal(p.label)))
            g.add((s, OBL.partyKind, PARTY_KIND[p.kind]))
            g.add((s, OBL.foundBy, Literal(p.found_by)))
            for alias in p.aliases:
                g.add((s, SKOS.altLabel, Literal(alias)))
            for prop, keys in ((ORG.memberOf, p.member_of), (ORG.reportsTo, p.reports_to), (ORG.headOf, p.head_of)):
                for k in keys:
                    g.add((s, prop, party_iri(k)))
            if p.unit_of:
                g.add((s, ORG.unitOf, party_iri(p.unit_of)))
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
    return verb.lemma_.lower() in _COMMIT_LEMMAS or any(c.lower_ in _MODALS for c in verb.children if c.dep_ == "aux")


def _noun_phrase(head) -> tuple[int, int]:
    """Token span of a subject's name: its left modifiers and an "of/for + Name" tail."""
    start = min([head.i, *(c.left_edge.i for c in head.lefts if c.dep_ in ("compound", "amod", "det", "nmod", "poss"))])
    end = head.i + 1
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for"):
            tail = list(child.subtree)[1:]
            if tail and all(t.text[:1].isupper() or t.lower_ in ("and", "of", "the") for t in tail):
                end = child.right_edge.i + 1
    return start, end


def _read_register(source) -> dict[str, dict]:
    """Party fields by key from one register file; only the fields the file states."""
    name = str(source)
    try:
        data = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError(f"cannot read the party register: {getattr(exc, 'strerror', None) or exc}", name) from exc
    g = Graph()
    try:
        g.parse(data=data, format="turtle")
    except BadSyntax as exc:
        why = " ".join(str(exc._why).split())
        raise RegisterError(f"line {exc.lines + 1}: not valid Turtle: {why}", name) from exc
    except Exception as exc:  # rdflib raises assorted errors for bad terms
        raise RegisterError(f"not valid Turtle: {' '.join(str(exc).split())}", name) from exc
    typed = {s for c in CLASSES for s in g.subjects(RDF.type, OBL[c])}
    named = {s for s in g.subjects(None, None) if str(s).startswith(str(PARTY))}
    subjects = typed | named
    if not subjects:
        raise RegisterError("declares no parties (subjects typed obl:Party, obl:PartyGroup, "
                            "obl:GovernanceBody or obl:Post)", name)

    def key(iri) -> str:
        if str(iri).startswith(str(PARTY)):
            return str(iri)[len(str(PARTY)) :]
        label = g.value(iri, SKOS.prefLabel)
        return key_for(str(label) if label is not None else str(iri).rstrip("/#").rsplit("/", 1)[-1])

    out: dict[str, dict] = {}
    for s in subjects:
        f: dict = {"aliases": [str(o) for o in g.objects(s, SKOS.altLabel)]}
        if (label := g.value(s, SKOS.prefLabel)) is not None:
            f["label"] = str(label)
        if (cls := next((c for c in CLASSES if (s, RDF.type, OBL[c]) in g), None)) is not None:
            f["cls"] = cls
        if (kind := g.value(s, OBL.partyKind)) is not None:
            f["kind"] = str(kind)[len(str(PARTY_KIND)) :] if str(kind).startswith(str(PARTY_KIND)) else str(kind)
        f["member_of"] = [key(o) for o in g.objects(s, ORG.memberOf)]
        f["member_of"] += [key(o) for o in g.subjects(ORG.hasMember, s)]
        f["reports_to"] = [key(o) for o in g.objects(s, ORG.reportsTo)]
        f["head_of"] = [key(o) for o in g.objects(s, ORG.headOf)]
        if (unit := g.value(s, ORG.unitOf)) is not None:
            f["unit_of"] = key(unit)
        if (count := g.value(s, OBL.declaredMemberCount)) is not None:
            f["declared_members"] = int(count)
        if (found := g.value(s, OBL.foundBy)) is not None:
            f["found_by"] = str(found)
        if (disc := g.value(s, OBL.discovered)) is not None:
            f["discovered"] = bool(disc.toPython())
        out.setdefault(key(s), {}).update(f)
    return out
