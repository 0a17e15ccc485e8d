"""Summaries (OBL-105, OBL-106, OBL-107): a summary's claims against the commitments of its source.

A short document that names another one (an announcement of an agreement) is
read claim by claim: a bullet under a lead-in that says what the source
"covers" or "commits" to, or a sentence that says so. A claim no commitment of
the source supports (OBL-105), a claim stronger than the commitment that
supports it (OBL-106), and a section of the source with commitments the
summary leaves out (OBL-107) are findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.consistency.corpus import Corpus, Doc, summary_pairs
from graph.consistency.finding import ConsistencyFinding, Place, short
from graph.consistency.support import DELIVERY, SUPPORT, Matcher, parts
from graph.consistency.words import SIGNING, WORD

# Words a summary uses to say what an agreement holds ("this commits government to", "cover:").
_CLAIM_CUE = re.compile(
    r"\b(?:commits?|committing|covers?|covering|includes|sets? out|agrees?|provides|pledges?|promises?|undertakes?)\b",
    re.I,
)
_MODALITY_RANK = {"aspiration": 1, "exploration": 2, "intention": 3, "commitment": 4}


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


def _lexicon_modality(text: str) -> str | None:
    """The modality of the last word of the text the lexicon knows, or None."""
    from graph.lexicon import load_lexicon

    lex = load_lexicon()
    found = None
    for w in WORD.findall(text):
        m = lex.modality_of_word(w.lower())
        if m:
            found = m
    return found


def _claims(doc: Doc, scope: list[tuple[int, int]]) -> list[_Claim]:
    """Bullets under a lead-in that says what the source commits to, and sentences that say so."""
    segs = doc.layout.passages
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
        for a, b in seg.sentences:
            sentence = doc.text[a:b]
            cue = _CLAIM_CUE.search(sentence)
            if cue and not SIGNING.search(sentence):
                modality = _lexicon_modality(sentence) or "commitment"
                claims.append(_Claim(a, b, sentence, modality, sentence[cue.start() :]))
    return claims


def _quoted(text: str) -> bool:
    """Reported speech: a paragraph that opens or closes a quotation."""
    quotes = "\"'“”‘’"
    t = text.strip()
    return bool(t) and (t[0] in quotes or t[-1] in quotes)


def summary_findings(corpus: Corpus) -> list[ConsistencyFinding]:
    """OBL-105, OBL-106 and OBL-107: claims of a summary against the commitments of its source."""
    out: list[ConsistencyFinding] = []
    for summary, source, scope in summary_pairs(corpus):
        matcher = Matcher(source, corpus.register)
        covered: set[str] = set()
        claims = _claims(summary, scope)
        for claim in claims:
            score, support = matcher.support(claim.words)
            a = summary.place(claim.start, claim.end)
            if score < SUPPORT:
                near = [_record_place(source, r) for r in support[:1]]
                out.append(ConsistencyFinding(
                    "OBL-105", "warning",
                    f"{summary.file} says \"{short(a.quote, 300)}\" ({a.describe()}), but no commitment of "
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
                    f"{summary.file} claims \"{short(p.quote)}\" ({p.describe()}): \"{words}\" asserts delivery, "
                    f"but {source.file} only {_verb(record['modality'])} ({b.describe()}: \"{short(b.quote)}\").",
                    (p, b), summary.iri,
                ))
            elif _MODALITY_RANK[claim.modality] > _MODALITY_RANK[top["modality"]]:
                b = _record_place(source, top)
                out.append(ConsistencyFinding(
                    "OBL-106", "warning",
                    f"{summary.file} presents \"{short(a.quote)}\" ({a.describe()}) as {_article(claim.modality)}, "
                    f"but {source.file} only {_verb(top['modality'])} ({b.describe()}: \"{short(b.quote)}\").",
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
                f"{summary.file} ({lead.describe()}: \"{short(lead.quote)}\") leaves out the section "
                f"\"{title or '(no section)'}\" of {source.file}, which holds {n} commitment{'s' if n != 1 else ''}.",
                (b, lead), source.iri,
            ))
    return out


def _scope_heading(doc: Doc, scope: list[tuple[int, int]]) -> Place:
    """The heading (or first line) of a summary's scope, to quote it."""
    start = scope[0][0]
    seg = next((s for s in doc.layout.passages if s.start >= start), None)
    if seg is None:
        end = doc.text.find("\n", start)
        return doc.place(start, len(doc.text) if end < 0 else end)
    return doc.place(seg.start, seg.end)


def _stronger(claim: _Claim, matcher: Matcher) -> tuple[str, tuple[int, int], dict] | None:
    """A part of the claim that asserts delivery where its best-matching commitment does not."""
    for a, b in parts(claim.text):
        part = claim.text[a:b]
        words = [w for w in WORD.findall(part) if w.lower() in DELIVERY]
        if not words:
            continue
        best = matcher.ranked(part)
        if not best or best[0][0] < SUPPORT * 0.75:
            continue
        record = best[0][1]
        said = {w.lower() for w in WORD.findall(record["text"])}
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


def _record_place(doc: Doc, record: dict) -> Place:
    return doc.place(int(record["start"]), int(record["end"]))
