"""Recover an agreement's structure: sections, paragraphs, list items, footnotes.

Plain text (and text extracted from PDF) is read line by line: headings are
ALL-CAPITALS lines, enumerated lines ("a) Capital and estates", "1.2 Funding",
"Section F") or Markdown ``#`` lines standing alone; list items start with a
bullet, an enumerator, or (as PDF extraction leaves them) a single space after a
blank line inside a list; footnote bodies follow a separator line or carry the
number of a marker glued to a word ("London1"). Structured formats (HTML, Word)
hand their own heading and list blocks over in ``Document.blocks``.

Each segment's clean text (lines joined, hyphenation undone, footnote markers
removed) keeps an ``OffsetMap`` back to the exact source characters.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from graph.model import Block, Document, OffsetMap, Section, Segment, Structure

_BULLET = re.compile(r"^[ \t\u00a0]*([\u2022\u2023\u25aa\u25cf\u25e6\u00b7\u2043\uf0b7*\-\u2013\u2010])[ \t\u00a0]+")
# Every pattern here runs on every line of untrusted text, so none may backtrack
# more than linearly: "1.2.3" is digit runs joined by single dots (not chunks of
# one to three digits, which split a long number in exponentially many ways),
# and a Markdown heading's closing "#"s are stripped in Python (a lazy title
# followed by "[ \t#]*$" rescans a long run of spaces at every position).
_ENUM = re.compile(
    r"^[ \t\u00a0]*(\(?[a-z]\)|[a-z]\.|\(?[ivxlc]+\)|[ivxlc]+\.|\(?\d{1,3}\)|\d{1,3}\.(?:\d+(?:\.\d+)*\.?)?)[ \t\u00a0]+(?=\S)"
)
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+)$")
_NAMED_HEADING = re.compile(
    r"^[ \t]*((?:Section|Part|Annex|Schedule|Chapter|Appendix|Clause|Article)\s+[A-Z0-9]{1,4}\b\.?)[ \t:\u2013\-]*(.*)$"
)
_NUMBERED_HEADING = re.compile(r"^[ \t]*((?:\d{1,3}\.)+\d{0,3}|\d{1,3}\.?\d*|[a-zA-Z][\).]|\([a-zA-Z]\))[ \t]+(\S.*)$")
_DATE_LINE = re.compile(r"^(?:signed|dated|made|agreed|date|effective)\b", re.I)
_PAGE_NUMBER = re.compile(r"^[ \t]*(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?[ \t]*$", re.I)
_URL_LINE = re.compile(r"^[ \t]*(?:https?://|www\.)\S*[ \t]*$")
_FOOTNOTE_START = re.compile(r"^[ \t]*(\d{1,3})[ \t]+(?=\S)")
_GLUED_MARKER = re.compile(r"(?<=[A-Za-z\)\u2019'])(\d{1,3})(?=[\s.,;:)\u2019'\"]|$)")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9\u00c0-\u024f])")
_WORD_OR_DOT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "no", "nos", "st", "dr", "mr", "mrs", "ms", "para", "paras", "cf", "vs", "approx",
    "incl", "co", "ltd", "plc", "art", "arts", "sec", "ss", "fig", "vol", "p", "pp", "ch", "cl", "op", "rt", "hon",
}
# Prefixes that keep their hyphen when a word is broken across lines after them.
_HYPHEN_PREFIXES = {
    "sub", "co", "re", "pre", "non", "multi", "cross", "inter", "pan", "self", "well", "long", "short", "cost",
    "post", "anti", "semi", "mid", "over", "under", "one", "two", "three", "five", "seven", "ten", "year",
    "place", "high", "low", "joint", "full", "part", "clinically", "financially", "world", "city", "day",
}


@dataclass
class _Line:
    start: int  # source offset of the first character of the line
    end: int  # source offset of the line break (or end of text)
    raw: str
    kind: str = "text"  # text, blank, page, url, separator, heading, item, footnote

    @property
    def stripped(self) -> str:
        return self.raw.strip(" \t\u00a0")


def _md_heading(line: str) -> tuple[int, str] | None:
    """A Markdown heading line's level and title (closing ``#``s and spaces dropped)."""
    m = _MD_HEADING.match(line)
    if not m:
        return None
    rest = m.group(2)
    return len(m.group(1)), rest.rstrip(" \t#") or rest[:1]


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _is_caps_heading(s: str) -> bool:
    if len(s) > 140 or s.endswith((".", ";", ",")):
        return False
    letters = "".join(filter(str.isalpha, s))
    if len(letters) < 4:
        return False
    return sum(map(str.isupper, letters)) / len(letters) >= 0.9


def _short_standalone(s: str) -> bool:
    return 0 < len(s) <= 90 and not re.search(r"[.;:,!?\"'\u201d\u2019]$", s)


def _classify(lines: list[_Line], text: str) -> None:
    """Mark page numbers, separators, URLs, footnotes, headings and bullets."""
    markers = {m.group(1) for m in _GLUED_MARKER.finditer(text)}
    in_list = False
    in_notes = False  # inside a block of footnote bodies and their URLs
    prev_text_line = ""
    for i, ln in enumerate(lines):
        s = ln.stripped
        prev = lines[i - 1] if i else None
        prev_blank = prev is None or prev.kind in ("blank", "separator", "page", "url")
        next_blank = i + 1>= len(lines) or not lines[i + 1].stripped
        if not s:
            ln.kind = "separator" if len(ln.raw) >= 20 else "blank"
            in_notes = in_notes or ln.kind == "separator"
            continue
        if _PAGE_NUMBER.match(ln.raw) and prev_blank and next_blank:
            ln.kind = "page"
            continue
        if _URL_LINE.match(ln.raw):
            ln.kind = "url"
            continue
        if prev is not None and prev.kind == "url" and prev.stripped and " " not in s and not ln.raw[:1].isspace():
            ln.kind = "url"  # the rest of a URL broken across lines
            continue
        fm = _FOOTNOTE_START.match(ln.raw)
        if fm and not ln.raw[:1].isspace() and (in_notes or (prev_blank and fm.group(1) in markers)):
            ln.kind = "footnote"
            in_notes = True
            continue
        if in_notes and prev is not None and prev.kind == "footnote" and not ln.raw[:1].isspace():
            ln.kind = "footnote"
            continue
        if in_notes and prev is not None and prev.kind == "url" and not ln.raw[:1].isspace() and fm:
            ln.kind = "footnote"
            continue
        in_notes = False
        if _md_heading(ln.raw):
            ln.kind = "heading"
            in_list = False
            continue
        # A page break can leave an ALL-CAPS heading straight after a paragraph.
        caps = _is_caps_heading(s) and (prev_blank or prev_text_line.endswith((".", ":")))
        if caps or (prev_blank and _NAMED_HEADING.match(s) and _short_standalone(s)):
            ln.kind = "heading"
            in_list = False
            continue
        if (
            prev_blank
            and _NUMBERED_HEADING.match(s)
            and _short_standalone(s)
            and next_blank
            and not _BULLET.match(ln.raw)
        ):
            ln.kind = "heading"
            in_list = False
            continue
        if i > 0 and lines[i - 1].kind == "heading" and not prev_blank and _is_caps_heading(s):
            ln.kind = "heading"  # an ALL-CAPS heading wrapped onto a second line
            continue
        enum = _ENUM.match(ln.raw)
        if enum and (prev_blank or prev.kind in ("item", "numbered")) and not _BULLET.match(ln.raw):
            # "3.4 Each government commits ..." is a numbered clause, not a list item,
            # unless a lead-in ending in ':' has opened a list.
            label = enum.group(1)
            listed = prev_text_line.endswith(":") or (in_list and prev.kind == "item")
            if re.match(r"\d{1,3}\.\d", label) or (label[0].isdigit() and not listed):
                ln.kind = "numbered"
                in_list = False
                prev_text_line = s
                continue
        lettered = enum is not None and re.match(r"\(?(?:[a-z]|[ivx]+)\)", enum.group(1)) is not None
        if _BULLET.match(ln.raw) or (enum and (prev_blank or prev.kind == "item" or (in_list and lettered))):
            ln.kind = "item"
            in_list = True
            prev_text_line = s
            continue
        # PDF extraction leaves a bullet as one leading space after a blank line.
        if prev_blank and ln.raw[:1] in (" ", "\u00a0") and (prev_text_line.endswith(":") or in_list):
            ln.kind = "item"
            in_list = True
            prev_text_line = s
            continue
        if prev_blank and _short_standalone(s) and next_blank and s[:1].isupper() and len(s.split()) >= 2 and not _DATE_LINE.match(s):
            ln.kind = "heading"
            in_list = False
            continue
        if prev_blank:
            in_list = in_list and bool(re.search(r"(;|; and|; or|,|:)$", prev_text_line)) and ln.raw[:1] == " "
        prev_text_line = s


def _dehyphenate(first: str, second: str, words: _Words) -> bool:
    """True when a hyphen at a line break only splits one word."""
    a = re.search(r"([A-Za-z]+)-$", first)
    b = re.match(r"([a-z]+)", second)
    if not a or not b:
        return False
    left, right = a.group(1), b.group(1)
    runs, hyphenated = words.index
    if (left, right) in hyphenated:  # the text writes "left-right" elsewhere
        return False
    if left + right in runs:  # ... or "leftright"
        return True
    return left.lower() not in _HYPHEN_PREFIXES


class _Words:
    """A text's words (runs of ``\\w``) and the pairs of them it joins by one hyphen.

    A word of letters stands alone in the text (``\\bword\\b``) exactly when
    it is one of these runs, so one pass over the text, made on first use,
    answers what a search of the whole text at every hyphen ending a line did
    (in time quadratic in the length of a text with many of them).
    """

    def __init__(self, text: str) -> None:
        self.text = text

    @functools.cached_property
    def index(self) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
        runs = list(re.finditer(r"\w+", self.text))
        pairs = frozenset(
            (a.group(), b.group()) for a, b in zip(runs, runs[1:])
            if b.start() == a.end() + 1 and self.text[a.end()] == "-"
        )
        return frozenset(m.group() for m in runs), pairs


def _clean(
    text: str, pieces: list[tuple[int, int]], markers: set[str], words: _Words
) -> tuple[str, list[int], list[str]]:
    """Join source pieces (line spans) into clean text with per-character offsets."""
    # Whole pieces are copied (and their positions extended by a range), not one
    # character at a time: re-segmenting 1,000 documents for a check spent most
    # of its time in per-character appends.
    out: list[str] = []
    pos: list[int] = []
    for a, b in pieces:
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip(" \t\u00a0"))
        seg_start = a + lead
        seg = seg.strip(" \t\u00a0")
        if not seg:
            continue
        if out:
            prev = "".join(out[-40:])[-40:]
            if prev.endswith("-") and _dehyphenate(prev, seg, words):
                out[-1] = out[-1][:-1]
                pos.pop()
            elif not prev.endswith("-") or not seg[:1].islower():
                out.append(" ")
                pos.append(max(seg_start - 1, 0))
        out.append(seg.translate(_TO_SPACE))
        pos.extend(range(seg_start, seg_start + len(seg)))
    clean = "".join(out)
    refs: list[str] = []
    # Footnote markers glued to words ("London1") are taken out of the text.
    for m in reversed(list(_GLUED_MARKER.finditer(clean))):
        if m.group(1) in markers:
            refs.append(m.group(1))
            del pos[m.start() : m.end()]
            clean = clean[: m.start()] + clean[m.end() :]
    clean, pos = _collapse_spaces(clean, pos)
    return clean, pos, sorted(set(refs), key=int)


_TO_SPACE = str.maketrans({"\u00a0": " ", "\t": " "})
# Spaces that follow a space, or lead the text: what collapsing drops.
_EXTRA_SPACES = re.compile(r"^ +|(?<= ) +")


def _collapse_spaces(clean: str, pos: list[int]) -> tuple[str, list[int]]:
    if "  " not in clean and not clean.startswith(" "):
        text = clean.rstrip()
        return text, pos[: len(text)]
    parts: list[str] = []
    kept: list[int] = []
    last = 0
    for m in _EXTRA_SPACES.finditer(clean):
        parts.append(clean[last : m.start()])
        kept.extend(pos[last : m.start()])
        last = m.end()
    parts.append(clean[last:])
    kept.extend(pos[last:])
    text = "".join(parts).rstrip()
    return text, kept[: len(text)]


def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of a clean text, not splitting after common abbreviations."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        word = _word_before(text, start, m.start())
        if word and (word.lower().rstrip(".") in _ABBREVIATIONS or len(word) == 1):
            continue
        end = m.end() - len(m.group(0)) + len(m.group(0).rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return tuple(spans)


def _word_before(text: str, start: int, stop: int) -> str:
    """The run of ASCII letters and dots that ends just before a full stop at ``stop``.

    Reads back from the stop, no further than ``start``: what
    ``re.search(r"([A-Za-z.]+)\\.$", text[start:stop + 1])`` finds, without
    scanning the whole sentence again at every abbreviation it skips.
    """
    if text[stop] != ".":
        return ""
    i = stop
    while i > start and text[i - 1] in _WORD_OR_DOT:
        i -= 1
    return text[i:stop]


def _heading_parts(s: str) -> tuple[str, str, int]:
    """Split a heading line into (enumerator, title, level)."""
    md = _md_heading(s)
    if md:
        level, title = md[0], md[1].strip()
        num = _NUMBERED_HEADING.match(title)
        if num and len(num.group(1)) <= 6:
            return num.group(1), num.group(2).strip(), level
        return "", title, level
    named = _NAMED_HEADING.match(s)
    if named and _short_standalone(s):
        return named.group(1).strip(), (named.group(2) or named.group(1)).strip(), 1
    num = _NUMBERED_HEADING.match(s)
    if num and not _is_caps_heading(s):
        enum = num.group(1)
        depth = enum.strip(".").count(".") + 1 if enum[0].isdigit() else 2
        return enum, num.group(2).strip(), depth
    return "", s.strip(), 1


def segment(doc: Document) -> Structure:
    """Split a document into sections and segments with exact offsets.

    Args:
        doc: The ingested document.

    Returns:
        Its structure: sections, segments (text order) and footnotes.
    """
    if any(b.kind != "page" for b in doc.blocks):
        return _segment_blocks(doc)
    text = doc.text
    words = _Words(text)
    lines = _lines(text)
    _classify(lines, text)
    markers = {ln.stripped.split()[0] for ln in lines if ln.kind == "footnote" and _FOOTNOTE_START.match(ln.raw)}
    pages = [b for b in doc.blocks if b.kind == "page"]

    sections: list[Section] = []
    segments: list[Segment] = []
    footnotes: list[tuple[str, int, int]] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.kind in ("blank", "separator", "page", "url"):
            i += 1
            continue
        j = i + 1
        if ln.kind == "heading":
            while j < len(lines) and lines[j].kind == "heading" and lines[j - 1].stripped and _is_caps_heading(
                lines[j].stripped
            ) and _is_caps_heading(ln.stripped):
                j += 1
            enum, title, level = _heading_parts(" ".join(l.stripped for l in lines[i:j]))
            pieces = [(l.start, l.end) for l in lines[i:j]]
            clean, pos, _ = _clean(text, pieces, set(), words)
            title = re.sub(r"\s+", " ", title)
            start, end = pos[0], pos[-1] + 1
            sections.append(Section(doc.doc_id, len(sections), title, enum, level, start, end))
            segments.append(_make(doc, "heading", clean, pos, [], len(sections) - 1, pages, level=level))
            i = j
            continue
        if ln.kind == "footnote":
            while j < len(lines) and lines[j].kind == "footnote" and not _FOOTNOTE_START.match(lines[j].raw):
                j += 1
            clean, pos, _ = _clean(text, [(l.start, l.end) for l in lines[i:j]], set(), words)
            num = clean.split()[0]
            footnotes.append((num, pos[0], pos[-1] + 1))
            segments.append(_make(doc, "footnote", clean, pos, [], len(sections) - 1, pages))
            i = j
            continue
        # paragraph or list item: runs until a blank line, heading, item, or footnote
        kind = "list_item" if ln.kind == "item" else "paragraph"
        while j < len(lines) and lines[j].kind == "text" and lines[j].stripped:
            j += 1
        pieces = [(l.start, l.end) for l in lines[i:j]]
        if ln.kind in ("item", "numbered"):
            m = _BULLET.match(ln.raw) or _ENUM.match(ln.raw)
            pieces[0] = (ln.start + (m.end() if m else 0), pieces[0][1])
        clean, pos, refs = _clean(text, pieces, markers, words)
        if clean:
            lead = None
            if kind == "list_item":
                lead = _lead_in(segments)
            segments.append(_make(doc, kind, clean, pos, refs, len(sections) - 1, pages, lead_in=lead))
        i = j
    return Structure(doc, tuple(sections), tuple(segments), tuple(footnotes))


def _lead_in(segments: list[Segment]) -> int | None:
    """The paragraph ending in ':' that introduces the list item about to be added."""
    for k in range(len(segments) - 1, -1, -1):
        seg = segments[k]
        if seg.kind == "footnote":
            continue
        if seg.kind == "list_item":
            return k if seg.text.rstrip().endswith(":") else seg.lead_in
        if seg.kind == "paragraph" and seg.text.rstrip().endswith(":"):
            return k
        return None
    return None


def _make(doc, kind, clean, pos, refs, section, pages, level=0, lead_in=None) -> Segment:
    start, end = pos[0], pos[-1] + 1
    page = next((p.page for p in pages if p.start <= start < p.end), 0)
    return Segment(
        doc.doc_id, kind, start, end, clean, OffsetMap.from_positions(pos), section,
        sentences(clean) if kind in ("paragraph", "list_item") else ((0, len(clean)),),
        lead_in, level, page, tuple(refs),
    )


def _segment_blocks(doc: Document) -> Structure:
    """Segment a structured document from the blocks its reader found."""
    text = doc.text
    words = _Words(text)
    sections: list[Section] = []
    segments: list[Segment] = []
    footnotes: list[tuple[str, int, int]] = []
    pages = [b for b in doc.blocks if b.kind == "page"]
    # Footnote blocks start with their number; markers glued to words point at them.
    markers = {text[b.start : b.end].split(maxsplit=1)[0] for b in doc.blocks if b.kind == "footnote" and text[b.start : b.end].strip()}
    for block in sorted((b for b in doc.blocks if b.kind != "page"), key=lambda b: b.start):
        notes = markers if block.kind in ("paragraph", "list_item") else set()
        clean, pos, refs = _clean(text, _block_lines(text, block), notes, words)
        if not clean:
            continue
        if block.kind == "heading":
            enum, title, _ = _heading_parts(clean)
            sections.append(Section(doc.doc_id, len(sections), title, enum, block.level or 1, pos[0], pos[-1] + 1))
            segments.append(_make(doc, "heading", clean, pos, [], len(sections) - 1, pages, level=block.level))
        elif block.kind == "footnote":
            footnotes.append((clean.split()[0], pos[0], pos[-1] + 1))
            segments.append(_make(doc, "footnote", clean, pos, [], len(sections) - 1, pages))
        else:
            kind = "list_item" if block.kind == "list_item" else "paragraph"
            lead = _lead_in(segments) if kind == "list_item" else None
            segments.append(_make(doc, kind, clean, pos, refs, len(sections) - 1, pages, block.level, lead))
    return Structure(doc, tuple(sections), tuple(segments), tuple(footnotes))


def _block_lines(text: str, block: Block) -> list[tuple[int, int]]:
    out, pos = [], block.start
    for part in text[block.start : block.end].split("\n"):
        out.append((pos, pos + len(part)))
        pos += len(part) + 1
    return out
