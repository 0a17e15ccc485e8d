"""Signatories (OBL-108): who a summary says signed its source, against the source's signatories.

A post named for its department, another name for the same party, or a group
named for its members is worth a note (info); a body that is not a party to the
source at all is a warning.
"""

from __future__ import annotations

from graph.consistency.corpus import Corpus, summary_pairs, title_words
from graph.consistency.finding import ConsistencyFinding, Place, short
from graph.consistency.words import SIGNING, content_words
from graph.parties import PartyRegister


def signatory_findings(corpus: Corpus) -> list[ConsistencyFinding]:
    """OBL-108: who a document says signed another, against that one's signatories."""
    out: list[ConsistencyFinding] = []
    reg = corpus.register
    for summary, source, _ in summary_pairs(corpus):
        signed = corpus.signatories.get(source.iri, set())
        if not signed:
            continue
        title = title_words(source)
        source_forms = {" ".join(source.text[s:e].split()).lower() for s, e, _ in corpus.mentions[source.iri]}
        seen: set[tuple] = set()
        for seg in summary.layout.passages:
            for a, b in seg.sentences if seg.kind != "heading" else [(seg.start, seg.end)]:
                sentence = summary.text[a:b]
                if not SIGNING.search(sentence) or not title <= set(content_words(sentence)):
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
                        q = corpus.first_mention(party.key, prefer=source)
                        if q is None or q.document != source.file:
                            continue
                        out.append(ConsistencyFinding(
                            "OBL-108", "info",
                            f"{summary.file} names the signatory \"{written}\" ({p.describe()}); "
                            f"{source.file} names it \"{short(q.quote)}\" ({q.describe()}).",
                            (p, q), summary.iri,
                        ))
                        continue
                    related = _related_signatory(reg, party.key, signed)
                    if (party.key, written) in seen:
                        continue
                    seen.add((party.key, written))
                    if related:
                        q = corpus.first_mention(related[0], prefer=source)
                        if q is None or q.document != source.file:
                            continue
                        if len(related) > 1:
                            labels = ", ".join(reg[k].label for k in related)
                            how = f"{source.file} names the parties that make it up ({labels})"
                        else:
                            how = (f"{source.file} names \"{short(q.quote)}\" ({q.describe()}), "
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
    """How a party relates to the signatory it stands for, as words for the message."""
    p = reg[key]
    if other in p.head_of:
        return f"headed by the {p.label}"
    if p.unit_of == other:
        return f"which {p.label} is part of"
    return f"which {p.label} belongs to"
