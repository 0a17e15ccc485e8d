"""The party register: who the parties are, what they are called, how they relate.

A register maps party keys (the slug of a canonical label, the last part of
``id:party/<key>``) to :class:`graph.model.Party` records. It is read from
Turtle (``ontology/parties.ttl`` plus any ``--parties`` files), resolves names
to parties, finds party names in text, and answers membership questions. The
parties a document defines for itself are found by :mod:`graph.party_discovery`
(:meth:`PartyRegister.discover`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator, Sequence
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
QUOTES = "\"'‘’“”`«»"  # stripped from the ends of a name
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")
# The letters a word starts with, where a name may start (not inside a word or after a hyphen).
_WORD_LETTERS = re.compile(r"(?<![\w-])[^\W\d_]+")


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


def normal_form(name: str) -> str:
    """A name as the register indexes it: spacing, quotes, 'the' and possessives removed."""
    s = re.sub(r"-\s+", "-", " ".join(name.replace("\u00a0", " ").split())).strip(QUOTES + " ")
    s = re.sub(r"(?:['’]s|(?<=s)['’])$", "", s).strip(QUOTES + " ")
    return re.sub(r"^the\s+", "", s, flags=re.I).strip(QUOTES + " ")


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


def is_abbreviation(word: str) -> bool:
    """True for an all-capital abbreviation, plural or not ("NHS", "CCGs", "A&E")."""
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
    if is_abbreviation(word):
        return (r"[Tt]he\s+" if the else "") + _word_pattern(word)
    # A common word matches only as written, and not where it starts a longer
    # proper name the register lacks ("London Quality Standards").
    first = f"[{word[0]}{word[0].upper()}]" if word[0].islower() else re.escape(word[0])
    guard = r"(?!(?:[ \t]+|[ \t]*\n[ \t]*)(?:(?:of|for)\s+)?[A-Z][A-Za-z])"
    return (r"[Tt]he\s+" if the else "") + first + _word_pattern(word[1:]) + guard


def overlaps(start: int, end: int, spans) -> bool:
    """True when ``start``-``end`` overlaps one of the spans (tuples that begin with start and end)."""
    return any(s < end and start < e for s, e, *_ in spans)


class PartyRegister:
    """Parties by key, with name resolution, mention finding and membership.

    Args:
        parties: Party records by key.
    """

    def __init__(self, parties: dict[str, Party] | None = None):
        self.parties: dict[str, Party] = dict(parties or {})
        # A register does not change once made, and the same names recur in every
        # document: each written form is resolved once (see resolve).
        self._resolved: dict[str, Party | None] = {}

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
                exact.setdefault(normal_form(name), set()).add(p.key)
                folded.setdefault(normal_form(name).lower(), set()).add(p.key)
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
        if name not in self._resolved:
            self._resolved[name] = self._resolve(name)
        return self._resolved[name]

    def _resolve(self, name: str) -> Party | None:
        form = normal_form(name)
        if not form:
            return None
        key = self._lookup(form)
        if key is None:
            keys = {k for alt in _number_variants(form) if (k := self._lookup(alt))}
            key = keys.pop() if len(keys) == 1 else None
        return self.parties[key] if key else None

    @cached_property
    def _mention_patterns(self) -> tuple[dict[str, re.Pattern[str]], re.Pattern[str] | None]:
        """The names' patterns grouped by the letters their first word starts with.

        One alternation of every name, tried at every word of a text, cost time in
        proportion to words times names: minutes for a corpus of a thousand
        documents, each bringing its own parties. A name can match only where a
        word starts with its first word's letters, so each word tries that group
        alone. Names that start with no letter are tried everywhere, as before.
        """
        forms = sorted({" ".join(n.split()) for p in self for n in (p.label, *p.aliases)}, key=lambda f: (-len(f), f))
        # Longest names first, since a regex takes the first alternative that matches.
        groups: dict[str, dict[str, None]] = {}
        for f in forms:
            if f:
                lead = _LEADING_LETTERS.match(f)
                groups.setdefault(lead.group(0).lower() if lead else "", {})[_alias_pattern(f)] = None
        # After a name, a footnote digit may follow but not a letter or hyphen ("pan-London").
        by_letters = {k: re.compile("(?:" + "|".join(v) + r")(?![^\W\d_]|-)") for k, v in groups.items() if k}
        other = None
        if "" in groups:
            # A zero-width search with a capturing lookahead yields a candidate at every
            # position, so a short name cannot hide a longer one that starts later.
            other = re.compile(r"(?<![\w-])(?=((?:" + "|".join(groups[""]) + r"))(?![^\W\d_]|-))")
        return by_letters, other

    def find_mentions(self, text: str) -> list[tuple[int, int, Party]]:
        """Every non-overlapping longest match of a label or alias in the text.

        Multi-word names match in any case and across line breaks; a single-word
        name matches only as written (a lowercase one also with a capital first
        letter), and all-capital abbreviations only exactly.

        Returns:
            ``(start, end, party)`` in text order, end exclusive.
        """
        by_letters, other = self._mention_patterns
        found: list[tuple[int, int]] = []
        if by_letters:
            for word in _WORD_LETTERS.finditer(text):
                pattern = by_letters.get(word.group(0).lower())
                if pattern is not None and (m := pattern.match(text, word.start())):
                    found.append((word.start(), m.end()))
        if other is not None:
            found.extend((m.start(1), m.end(1)) for m in other.finditer(text))
        candidates = sorted(found, key=lambda c: (c[0] - c[1], c[0]))
        # Taken names never overlap, so kept in text order their ends rise too and
        # one bisection finds the only neighbours a candidate could overlap (a
        # scan of every taken name made a long document's search quadratic).
        starts: list[int] = []
        taken: list[tuple[int, int, Party]] = []
        for start, end in candidates:
            i = bisect.bisect_left(starts, end)  # taken names starting before this one ends
            if i and taken[i - 1][1] > start:
                continue
            if (party := self.resolve(text[start:end])) is not None:
                starts.insert(i, start)
                taken.insert(i, (start, end, party))
        return taken

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

        See :func:`graph.party_discovery.discover` for the rules.

        Args:
            structure_text: The document's ingested text; offsets count against it.
            doc_id: The document's id, for evidence.
            nlp: A spaCy pipeline with a parser and entities, or None for the pattern rules only.
        """
        # Imported here: party_discovery builds on this module.
        from graph.party_discovery import discover

        return discover(self, structure_text, doc_id, nlp)

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
