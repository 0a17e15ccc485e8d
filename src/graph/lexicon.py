"""The extractor's trigger lexicon, read from the SKOS schemes in ontology/.

Each modality concept's ``skos:hiddenLabel`` values are the words that signal
it, so the words the extractor reacts to and the concepts it writes cannot
drift apart. What this module adds is grammar, not vocabulary: which of those
words act on their own as performative verbs ("X commits to"), which are nouns
that carry a commitment ("an offer of", "London Partners' commitment").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import rdflib
from rdflib.namespace import SKOS

from graph.namespace import MODALITY, THEME

# Verbs that perform a commitment when a party says them in the present tense.
PERFORMATIVE = {"commit", "agree", "undertake", "pledge", "promise", "guarantee", "reaffirm", "re-affirm"}
# Nouns that carry an undertaking ("extend an offer of", "its commitment to").
COMMIT_NOUNS = {"commitment", "undertaking", "pledge", "promise", "guarantee", "offer", "invitation"}
ASPIRATION_VERBS = {"aim", "aspire"}
INTENTION_VERBS = {"intend", "seek", "endeavour", "endeavor", "strive"}


def schemes_path() -> Path:
    """The bundled ``schemes.ttl``."""
    return Path(str(files("graph") / "data" / "ontology" / "schemes.ttl"))


@dataclass(frozen=True)
class Lexicon:
    """Words by modality, plus the grammatical classes the clause finder needs."""

    words: dict[str, str]  # lemma or phrase -> modality name
    stems: tuple[tuple[str, str], ...]  # (stem, modality) for derived nouns
    commit_verbs: frozenset[str]
    commit_nouns: frozenset[str]
    aspiration_verbs: frozenset[str]
    aspiration_nouns: frozenset[str]
    intention_verbs: frozenset[str]

    def modality_of_word(self, lemma: str) -> str | None:
        """The modality a word signals ("explore", "discussion") or None."""
        if lemma in self.words:
            return self.words[lemma]
        for stem, modality in self.stems:
            if lemma.startswith(stem):
                return modality
        return None


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read the modality lexicon from the SKOS schemes.

    Args:
        path: A schemes Turtle file; the bundled one by default.

    Returns:
        The lexicon.
    """
    g = rdflib.Graph()
    g.parse(path or schemes_path(), format="turtle")
    words: dict[str, str] = {}
    for concept in g.subjects(SKOS.inScheme, None):
        if not str(concept).startswith(str(MODALITY)):
            continue
        name = str(concept)[len(str(MODALITY)) :]
        for label in g.objects(concept, SKOS.hiddenLabel):
            words[str(label).lower()] = name
    # Derived nouns: "discussion" from "discuss", "engagement" from "engage".
    stems = tuple(
        sorted(
            ((w[:-1] if w.endswith("e") else w, m) for w, m in words.items() if len(w) >= 5 and " " not in w),
            key=lambda s: -len(s[0]),
        )
    )
    by = lambda m: {w for w, mm in words.items() if mm == m}  # noqa: E731
    return Lexicon(
        words,
        stems,
        frozenset(PERFORMATIVE & by("commitment")),
        frozenset(COMMIT_NOUNS),
        frozenset(ASPIRATION_VERBS & (by("aspiration") | by("intention") | {"aim"})),
        frozenset(by("aspiration") | {"aim"}),
        frozenset(INTENTION_VERBS & by("intention")),
    )


@lru_cache(maxsize=4)
def load_themes(path: str | None = None) -> tuple[tuple[str, frozenset[str]], ...]:
    """Theme concepts and their keywords (``skos:hiddenLabel``), in a fixed order."""
    g = rdflib.Graph()
    g.parse(path or schemes_path(), format="turtle")
    out = []
    for concept in sorted(set(g.subjects(SKOS.inScheme, None)), key=str):
        if str(concept).startswith(str(THEME)):
            words = frozenset(str(w).lower() for w in g.objects(concept, SKOS.hiddenLabel))
            words |= frozenset(str(w).lower() for w in g.objects(concept, SKOS.prefLabel))
            out.append((str(concept)[len(str(THEME)) :], words))
    return tuple(out)


def theme_of(heading: str) -> str | None:
    """The theme concept a section heading names, by the most keywords it contains."""
    import re

    low = heading.lower()
    best, score = None, 0
    for name, words in load_themes():
        hits = sum(1 for w in words if re.search(rf"\b{re.escape(w)}\b", low))
        if hits > score:
            best, score = name, hits
    return best
