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

_FY = r"(?:19|20)\d\d\s*[/-]\s*(?:19|20)?\d\d(?!\d)"  # a UK financial year, 2020/21 or 2022-23
_DATE = (
    rf"(?:(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+)?"
    rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTH_RE})\.?\s+|(?:spring|summer|autumn|winter)\s+)?"
    rf"(?:{_FY}|(?:19|20)\d\d)"
)
_DEADLINE_WORDS = {
    "by": r"by|no\s+later\s+than|not\s+later\s+than|before",
    "from": r"from|starting(?:\s+in)?|beginning(?:\s+in)?|as\s+of|with\s+effect\s+from",
    "until": r"until|till|up\s+to|to|through",
    "in": r"in|during|between",
}
_DEADLINE = re.compile(
    r"\b(?P<kw>" + "|".join(f"(?P<{k}>{v})" for k, v in _DEADLINE_WORDS.items()) + rf")\s+(?P<date>{_DATE})"
    rf"(?:\s+(?:and|to)\s+(?P<second>{_DATE}))?\b(?!\s*[/-]\s*\d)",
    re.I,
)
# A date that recurs: "by 1 September each year", "in March of every year".
_YEARLY = re.compile(
    rf"\b(?P<kw>by|before|no\s+later\s+than|on|in)\s+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    rf"(?:{_MONTH_RE})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:of\s+)?(?:each|every)\s+(?:calendar\s+|financial\s+)?year\b",
    re.I,
)
_COUNT = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|twenty-four|sixty|ninety)"
_UNIT = r"(?:(?:working|calendar|business|clear)\s+)?(?:days?|weeks?|months?|years?)"
# A time relative to an event: "within ten working days of its conclusion",
# "no later than six weeks before each round", "at least three months before
# withdrawing". The event runs to the next punctuation, as stated.
_RELATIVE = re.compile(
    rf"\b(?P<kw>within|no\s+later\s+than|not\s+later\s+than|at\s+least|not\s+less\s+than|no\s+less\s+than)"
    rf"\s+(?:the\s+(?:first|next)\s+)?{_COUNT}\s+{_UNIT}"
    rf"(?:\s+(?:of|after|before|from|following|prior\s+to)\s+[^,.;:()]{{1,80}}?(?=\s*(?:[,.;:()]|$)))?",
    re.I,
)
# A stated span of time the action covers: "for its first two years".
_SPAN = re.compile(rf"\bfor\s+(?:the|its|their)\s+(?:first|initial|next)\s+{_COUNT}\s+{_UNIT}", re.I)

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
    fy = re.search(r"((?:19|20)\d\d)\s*[/-]\s*((?:19|20)?\d\d)", low)
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
    """Deadlines in a clean text: (kind, start, end, not_before, not_after).

    Dated deadlines get the period they name; a range ("between 2022-23 and
    2024-25", "from 2017 to 2020") runs from the start of one to the end of
    the other. Recurring dates, times relative to an event and spans of time
    are kept as stated, without dates.
    """
    out = []
    for m in _DEADLINE.finditer(text):
        kind = next(k for k in _DEADLINE_WORDS if m.group(k))
        first, last = _period(m.group("date"))
        if m.group("second"):
            out.append(("in" if kind == "in" else kind, m.start(), m.end(), first, _period(m.group("second"))[1]))
        elif kind == "in" and m.group("kw").lower() == "between":
            continue  # "between 2020 and ..." with no second date is no deadline
        elif kind in ("by", "until"):
            out.append((kind, m.start(), m.end(), None, last))
        elif kind == "from":
            out.append((kind, m.start(), m.end(), first, None))
        else:
            out.append((kind, m.start(), m.end(), first, last))
    for m in _YEARLY.finditer(text):
        kw = m.group("kw").lower()
        out.append(("in" if kw in ("in", "on") else "by", m.start(), m.end(), None, None))
    for m in _RELATIVE.finditer(text):
        out.append(("within" if m.group("kw").lower() == "within" else "by", m.start(), m.end(), None, None))
    for m in _SPAN.finditer(text):
        out.append(("within", m.start(), m.end(), None, None))
    # One phrase, one deadline: "by 1 September each year" is not also "by 1 September".
    out.sort(key=lambda d: (d[1], -d[2]))
    kept: list[tuple[str, int, int, str | None, str | None]] = []
    for d in out:
        if not any(k[1] <= d[1] and d[2] <= k[2] for k in kept):
            kept.append(d)
    return kept


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
            spans.extend(_coordinated(_MARKS[low], t, t.head))
        elif low == "subject" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            spans.append(("subject-to", t.idx, _right(doc[t.i + 1])))
        elif low in ("basis", "condition") and t.i >= 1 and doc[t.i - 1].lower_ in ("the", "on") and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "that":
            on = doc[t.i - 2] if doc[t.i - 1].lower_ == "the" and t.i >= 2 else doc[t.i - 1]
            kind = "on-the-basis-that" if low == "basis" else "provided-that"
            spans.append((kind, on.idx, _right(t)))
    spans = list(dict.fromkeys(spans))  # a conjoined "and if ..." is found from both of its verbs
    # A condition nested inside another ("if ... approaches where ...") is part of it.
    return [c for c in spans if not any(o != c and o[1] <= c[1] and c[2] <= o[2] for o in spans)]


def _coordinated(kind: str, mark, head) -> list[tuple[str, int, int]]:
    """A condition clause, split where it coordinates clauses with subjects of their own.

    "if interventions prove successful and if local organisations agree" and
    "once progress is shown, and the criteria have been met" state two
    conditions each: every conjoined clause with its own subject is one.
    """
    parts = [c for c in head.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
             and any(k.dep_ in ("nsubj", "nsubjpass", "expl") for k in c.children)]
    if not parts:
        return [(kind, mark.idx, _right(head))]
    out = []
    start = mark
    for part in parts:
        first = part.left_edge
        end = first.i - 1
        while end > start.i and (head.doc[end].is_punct or head.doc[end].dep_ == "cc"):
            end -= 1
        out.append((kind, start.idx, head.doc[end].idx + len(head.doc[end])))
        start = first
    out.append((kind, start.idx, _right(parts[-1])))
    return out


def _right(tok) -> int:
    """End of a token's subtree, without trailing punctuation (a bracket opened inside stays)."""
    doc = tok.doc
    first = min(tok.subtree, key=lambda x: x.i)
    last = max(tok.subtree, key=lambda x: x.i)
    while last.i > tok.i and last.is_punct:
        if last.text in ")]" and _opened(doc[first.i:last.i].text, last.text):
            break
        last = doc[last.i - 1]
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if after is not None and after.text in ")]" and _opened(doc[first.i:last.i + 1].text, after.text):
        last = after  # the tokenizer keeps "4.1(a" whole and leaves its ")" to the clause outside
    return last.idx + len(last)


def _opened(text: str, closing: str) -> bool:
    opening = "(" if closing == ")" else "["
    return text.count(opening) > text.count(closing)


def qualifier(kind: str, text: str, start: int, end: int, to_source, nb=None, na=None) -> Qualifier:
    """A Qualifier with the source span of a clean span."""
    s, e = to_source(start, end)
    return Qualifier(kind, re.sub(r"\s+", " ", text[start:end]).strip(), s, e, nb, na)
