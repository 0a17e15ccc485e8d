"""How well the commitments of a source support a claim: weighted word overlap.

:class:`Matcher` scores a claim against each commitment of the source, read
with its paragraph and section; a claim is supported when the best commitments
hold at least :data:`SUPPORT` of its weighted words.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from graph.consistency.corpus import Doc
from graph.consistency.words import content_words, stem
from graph.parties import PartyRegister

SUPPORT = 0.33  # share of a claim's weighted words a commitment must hold to support it
# Words of a claim that assert delivery rather than talk about it.
DELIVERY = frozenset(
    "provision provide provides providing deliver delivers delivering delivery guarantee guarantees guaranteeing "
    "transfer transfers transferring give gives giving".split()
)


class Matcher:
    """Weighted word overlap between a claim and the commitments of the source.

    A commitment is read with its paragraph (and a bullet with its lead-in), since
    the sentences around it say what it covers. Commitments are ranked first by
    how well their whole section matches (a summary's bullets follow the source's
    sections), then by their own words and their paragraph's.
    """

    def __init__(self, source: Doc, register: PartyRegister):
        self.register = register
        self.records = source.commitments
        segs = [s for s in source.layout.passages if s.kind in ("paragraph", "list_item")]
        self.own, self.around = [], []
        for r in self.records:
            own = set(content_words(r["text"])) | set(content_words(r.get("section") or ""))
            seg = next((s for s in segs if s.start <= r["start"] < s.end), None)
            context = source.text[seg.start : seg.end] if seg else ""
            if seg is not None and seg.lead_in is not None:
                lead = source.layout.passages[seg.lead_in]
                context += " " + source.text[lead.start : lead.end]
            self.own.append(own)
            self.around.append(own | set(content_words(context)))
        self.idf = _idf(self.around)
        # Each section's words with their counts, for ranking.
        bounds = [start for start, _ in source.sections] + [len(source.text)]
        self.sections: dict[str | None, dict[str, int]] = {}
        for (start, title), end in zip(source.sections, bounds[1:]):
            counts: dict[str, int] = defaultdict(int)
            for w in content_words(source.text[start:end]):
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
        words = set(content_words(text)) - {stem(w) for w in DELIVERY}
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
        records = [r for score, r in ranked[:3] if score >= SUPPORT] or [ranked[0][1]]
        pieces = [text[a:b] for a, b in parts(text) if len(content_words(text[a:b])) >= 2]
        if len(pieces) > 1 and all(self.ranked(p) for p in pieces):
            tops = [self.ranked(p)[0] for p in pieces if self.ranked(p)]
            if min(score for score, _ in tops) > best:
                best = min(score for score, _ in tops)
                records = list(dict.fromkeys(r["id"] for _, r in tops))
                records = [r for r in self.records if r["id"] in records]
        return best, records


def _idf(bags: list[set[str]]) -> dict[str, float]:
    """Inverse document frequency of each word over the bags; an unseen word weighs most."""
    n = len(bags) or 1
    df: dict[str, int] = defaultdict(int)
    for bag in bags:
        for w in bag:
            df[w] += 1
    return defaultdict(lambda: math.log(n + 1), {w: math.log((n + 1) / c) for w, c in df.items()})


def parts(text: str) -> list[tuple[int, int]]:
    """The coordinated parts of a claim ("A and B, and the provision of C"), as offsets."""
    out, pos = [], 0
    for m in re.finditer(r",\s*(?:and\s+)?|;\s*|\s+and\s+", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]
