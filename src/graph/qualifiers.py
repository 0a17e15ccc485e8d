"""Conditions and deadlines stated on a commitment, kept as stated and normalised.

Deadline dates are read as periods: "by 2020" ends on 2020-12-31, "from 2017"
starts on 2017-01-01, "to 2020/21" ends with the UK financial year on
2021-03-31, "in January 2016" is that month.
"""

from __future__ import annotations

import calendar
import re

from graph.model import Qualifier

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 2)}
_MONTH_RE = "|".join(sorted((m for m in _MONTHS), key=len, reverse=True))

_DATE = (
    rf"(?:(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+)?"
    rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTH_RE})\.?\s+|(?:spring|summer|autumn|winter)\s+)?"
    rf"(?:19|20)\d\d(?:\s*/\s*(?:19|20)?\d\d)?"
)
_DEADLINE_WORDS = {
    "by": r"by|no\s+later\s+than|before",
    "from": r"from|starting(?:\s+in)?|beginning(?:\s+in)?|as\s+of|with\s+effect\s+from",
    "until": r"until|till|up\s+to|to|through",
    "in": r"in|during",
}
_DEADLINE = re.compile(
    r"\b(?P<kw>" + "|".join(f"(?P<{k}>{v})" for k, v in _DEADLINE_WORDS.items()) + rf")\s+(?P<date>{_DATE})\b",
    re.I,
)
_WITHIN = re.compile(
    r"\bwithin\s+(?:\w+\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|twenty-four)"
    r"\s+(?:days?|weeks?|months?|years?)(?:\s+of\s+[\w\s]{1,40}?(?=[,.;]|$))?",
    re.I,
)

# Subordinators that open a condition clause, by condition kind.
_MARKS = {
    "if": "if", "once": "once", "unless": "unless", "where": "where", "wherever": "where",
    "when": "when", "whenever": "when", "provided": "provided-that", "providing": "provided-that",
}

def _year(text: str) -> int:
    return int(re.search(r"(?:19|20)\d\d", text).group(0))


def _period(date: str) -> tuple[str, str]:
    """The first and last day of the period a stated date names."""
    low = date.lower()
    fy = re.search(r"((?:19|20)\d\d)\s*/\s*((?:19|20)?\d\d)", low)
    if fy:
        start = int(fy.group(1))
        return f"{start}-04-01", f"{start + 1}-03-31"
    year = _year(low)
    month = next((n for name, n in _MONTHS.items() if re.search(rf"\b{name}\b", low)), None)
    season = next((s for s in _SEASONS if s in low), None)
    day = re.match(r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s", low)
    if month and day:
        d = min(int(day.group(1)), calendar.monthrange(year, month)[1])
        return f"{year}-{month:02d}-{d:02d}", f"{year}-{month:02d}-{d:02d}"
    if month:
        return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    if season:
        a, b = _SEASONS[season]
        end_year = year + 1 if b < a else year
        return f"{year}-{a:02d}-01", f"{end_year}-{b:02d}-{calendar.monthrange(end_year, b)[1]:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def deadlines(text: str) -> list[tuple[str, int, int, str | None, str | None]]:
    """Deadlines in a clean text: (kind, start, end, not_before, not_after)."""
    out = []
    for m in _DEADLINE.finditer(text):
        kind = next(k for k in _DEADLINE_WORDS if m.group(k))
        first, last = _period(m.group("date"))
        if kind == "by":
            out.append((kind, m.start(), m.end(), None, last))
        elif kind == "from":
            out.append((kind, m.start(), m.end(), first, None))
        elif kind == "until":
            out.append((kind, m.start(), m.end(), None, last))
        else:
            out.append((kind, m.start(), m.end(), first, last))
    for m in _WITHIN.finditer(text):
        out.append(("within", m.start(), m.end(), None, None))
    return sorted(out, key=lambda d: d[1])


def conditions(doc) -> list[tuple[str, int, int]]:
    """Conditions in a parsed sentence: (kind, start, end) character spans.

    A condition is an adverbial clause opened by a subordinator ("if", "once",
    "where", "provided that") and governed by a verb, or a "subject to ..." /
    "on the basis that ..." / "on condition that ..." phrase. Its extent is
    the clause's subtree in the parse, so it stops where the clause stops.
    """
    spans: list[tuple[str, int, int]] = []
    for t in doc:
        low = t.lower_
        if low in ("provided", "providing") and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "that":
            verb = doc[t.i + 1].head
            spans.append(("provided-that", t.idx, _right(verb if verb.i > t.i else doc[t.i + 1])))
            continue
        if low in _MARKS and t.dep_ in ("mark", "advmod") and t.head.dep_ in ("advcl", "conj", "ROOT", "ccomp") and t.head.pos_ in ("VERB", "AUX"):
            if t.head.i < t.i:
                continue
            if low in ("provided", "providing") and (t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "that"):
                continue
            spans.append((_MARKS[low], t.idx, _right(t.head)))
        elif low == "subject" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            spans.append(("subject-to", t.idx, _right(doc[t.i + 1])))
        elif low in ("basis", "condition") and t.i >= 1 and doc[t.i - 1].lower_ in ("the", "on") and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "that":
            on = doc[t.i - 2] if doc[t.i - 1].lower_ == "the" and t.i >= 2 else doc[t.i - 1]
            kind = "on-the-basis-that" if low == "basis" else "provided-that"
            spans.append((kind, on.idx, _right(t)))
    # A condition nested inside another ("if ... approaches where ...") is part of it.
    return [c for c in spans if not any(o != c and o[1] <= c[1] and c[2] <= o[2] for o in spans)]


def _right(tok) -> int:
    """End of a token's subtree, without trailing punctuation."""
    last = max(tok.subtree, key=lambda x: x.i)
    while last.i > tok.i and last.is_punct:
        last = tok.doc[last.i - 1]
    return last.idx + len(last)


def qualifier(kind: str, text: str, start: int, end: int, to_source, nb=None, na=None) -> Qualifier:
    """A Qualifier with the source span of a clean span."""
    s, e = to_source(start, end)
    return Qualifier(kind, re.sub(r"\s+", " ", text[start:end]).strip(), s, e, nb, na)
