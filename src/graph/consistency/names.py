"""Names (OBL-101, OBL-102): one body written two ways, and unknown names close to known ones.

"Work and Health Unit" and "Joint Health and Work Unit" both resolving to one
party is OBL-101; "Strategic Planning Groups", which no register knows, beside
"Strategic Partnership Groups", which it does, is OBL-102.
"""

from __future__ import annotations

import re
from collections import defaultdict

from graph.consistency.corpus import Corpus, Doc
from graph.consistency.finding import ConsistencyFinding, short
from graph.consistency.words import name_tokens, title_case, variant

_CAP_WORD = r"[A-Z][A-Za-z’'&-]*"
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
# Two capitalised words or more: a single word is never a name to compare (and
# most capitalised words stand alone, at the start of a sentence).
_CAP_PHRASE = re.compile(rf"{_CAP_WORD}(?:{_GAP}(?:(?:of|for|and|the|on|in|&){_GAP})?{_CAP_WORD})+")


def name_findings(corpus: Corpus) -> list[ConsistencyFinding]:
    """OBL-101 and OBL-102: similar names of one body, and unknown names close to known ones."""
    out: list[ConsistencyFinding] = []
    forms: dict[str, dict[tuple[str, ...], tuple[Doc, int, int]]] = defaultdict(dict)  # party -> form -> first place
    for doc in corpus.docs:
        for start, end, party in corpus.mentions[doc.iri]:
            written = " ".join(doc.text[start:end].split())
            if doc.in_heading(start) or not title_case(written):
                continue
            forms[party.key].setdefault(name_tokens(written), (doc, start, end))
    order = {doc.iri: i for i, doc in enumerate(corpus.docs)}
    for key, seen in sorted(forms.items()):
        items = sorted(seen.items(), key=lambda kv: (order[kv[1][0].iri], kv[1][1]))
        for i, (fa, (da, sa, ea)) in enumerate(items):
            for fb, (db, sb, eb) in items[i + 1 :]:
                if variant(fa, fb):
                    a, b = da.place(sa, ea), db.place(sb, eb)
                    label = corpus.register[key].label
                    out.append(ConsistencyFinding(
                        "OBL-101", "warning",
                        f"One body, two names: \"{short(b.quote)}\" ({b.describe()}) and "
                        f"\"{short(a.quote)}\" ({a.describe()}) "
                        f"both name {label}; use one name throughout.",
                        (b, a), db.iri,
                    ))
    # Capitalised names that resolve to no party, against the names of parties the corpus mentions.
    mentioned = {p.key for doc in corpus.docs for _, _, p in corpus.mentions[doc.iri]}
    names = [(key, n) for key in sorted(mentioned) for n in (corpus.register[key].label, *corpus.register[key].aliases)]
    tokens = {(key, n): name_tokens(n) for key, n in names}
    # Similar names share their head noun (the last word): each phrase is compared
    # with the names of its head only, not with every name of the corpus.
    by_head: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, n in names:
        if tokens[(key, n)]:
            by_head[tokens[(key, n)][-1]].append((key, n))
    # Similar names also share a word besides the head: each name is listed under
    # (head, word) for its other words, so a phrase meets only the names that share
    # one (at 1,000 documents, a council was otherwise compared with every council).
    sharing: dict[tuple[str, str], list[int]] = defaultdict(list)  # (head, word) -> places in by_head[head]
    for head, listed in by_head.items():
        for i, (key, n) in enumerate(listed):
            for word in set(tokens[(key, n)][:-1]) - {head}:
                sharing[(head, word)].append(i)
    reported: set[tuple] = set()
    # The same phrases recur from document to document: whether one is a known name,
    # and which names it is close to, is worked out once per phrase.
    unknown_tokens: dict[str, tuple[str, ...] | None] = {}
    close: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for doc in corpus.docs:
        for m in _CAP_PHRASE.finditer(doc.text):
            start, end = m.span()
            if doc.in_heading(start) or corpus.mentioned_at(doc, start, end):
                continue
            phrase = " ".join(m.group(0).split())
            if phrase not in unknown_tokens:
                ut = name_tokens(phrase)
                named = len(ut) < 2 or corpus.register.resolve(phrase) is not None
                unknown_tokens[phrase] = None if named else ut
            ut = unknown_tokens[phrase]
            if ut is None:
                continue
            if ut not in close:
                head, listed = ut[-1], by_head.get(ut[-1], [])
                # In by_head's order, as before: the first of a party's names to match is the one reported.
                near = sorted({i for word in set(ut[:-1]) - {head} for i in sharing.get((head, word), ())})
                close[ut] = [listed[i] for i in near if variant(ut, tokens[listed[i]])]
            for key, n in close[ut]:
                if (ut, key) in reported:
                    continue
                reported.add((ut, key))
                known = corpus.first_mention(key, prefer=doc)
                unknown = doc.place(start, end)
                label = corpus.register[key].label
                also = "" if n == label else f" (\"{n}\" is a name of {label})"
                out.append(ConsistencyFinding(
                    "OBL-102", "warning",
                    f"Similar names: \"{phrase}\" ({unknown.describe()}) is close to \"{n}\"{also}"
                    + (f", written \"{short(known.quote)}\" at {known.describe()}" if known else "")
                    + ". One body under two names, or two different bodies? Name it consistently, or define both.",
                    (unknown, known) if known else (unknown,), doc.iri,
                ))
    return out
