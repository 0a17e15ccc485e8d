"""HTML: the text of the page's block elements, one block per paragraph.

The ingested text is built from the parsed page, not copied from the source:
blocks are joined by a blank line, whitespace inside a block collapses to one
space (as a browser renders ``white-space: normal``, CSS Text Module Level 3
section 4), no-break spaces become plain spaces, soft hyphens
are dropped, ``<br>`` stays a line break and ``<pre>`` keeps its lines. List
items get a ``• `` bullet before their block; items of a footnote list (an
element whose class names a footnote or endnote, or with a ``doc-footnote``
role) become ``footnote`` blocks that start with their number, as printed
footnotes do.
"""

from __future__ import annotations

import re

from graph.errors import InputError
from graph.formats import BlockText, Extracted, clean_inline

DROPPED = ("script", "style", "nav", "head", "noscript", "template")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr "
    "html li main menu ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_LISTS = frozenset(("ul", "ol", "menu"))
_HEADING = re.compile(r"h([1-6])")
_NOTE_ROLES = frozenset(("doc-footnote", "doc-endnote", "doc-footnotes", "doc-endnotes"))
_SOURCE_SPACE = re.compile(r"[ \t\n\r\f]+")
_ENCODING_NAME = re.compile(r"[\w.:()+-]+", re.ASCII)


def read_html(data: bytes, path: str) -> Extracted:
    """Read an HTML page into text with heading, paragraph, list and footnote blocks.

    Args:
        data: The page's bytes; the encoding comes from a byte order mark or
            the page's declaration, else UTF-8 when the bytes are UTF-8, else
            it is detected.
        path: The file's path, for errors.

    Returns:
        The text and blocks; the title from ``<title>``, else the first ``<h1>``.

    Raises:
        InputError: The page has no text.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml", **_encoding(data))
    title = clean_inline(soup.title.get_text(" ")) if soup.title else ""
    warnings = []
    if soup.contains_replacement_characters:
        warnings.append("some characters could not be decoded and were replaced with U+FFFD")
    for element in soup.find_all(DROPPED):
        element.decompose()
    for element in soup.find_all(hidden=True):
        element.decompose()
    out = _Walker().walk(soup)
    if not out.blocks:
        raise InputError("the HTML page has no text", path)
    if not title:
        first_h1 = next((b for b in out.blocks if b.kind == "heading" and b.level == 1), None)
        title = out.text[first_h1.start:first_h1.end].replace("\n", " ") if first_h1 else ""
    return Extracted(out.text, title or None, out.blocks, warnings)


def _encoding(data: bytes) -> dict:
    """How Beautiful Soup is to decode the page: its own way, unless nothing usable is declared.

    Beautiful Soup guesses an undeclared encoding before it tries UTF-8, and a
    guess can lose the page: one stray control character (U+000E) reads as
    ISO-2022-KR and leaves no text, a rare character as CP932 garbles it. So,
    as for plain text (:func:`graph.formats.text.decode`), bytes that are
    valid UTF-8 and declare nothing are read as UTF-8. A declared name with
    characters no encoding name has (``charset="utf-8\\x00"``) counts as
    undeclared: lxml raised ValueError on it.
    """
    from bs4.dammit import EncodingDetector

    if EncodingDetector.strip_byte_order_mark(data)[1]:
        return {}
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    if declared and _ENCODING_NAME.fullmatch(declared):
        return {}
    ignored = {"exclude_encodings": [declared]} if declared else {}
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return ignored
    return {"from_encoding": "utf-8", **ignored}


def _is_footnote(element) -> bool:
    classes = element.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    if any("footnote" in c.lower() or "endnote" in c.lower() for c in classes):
        return True
    if element.get("role") in _NOTE_ROLES:
        return True
    return "footnote" in (element.get("epub:type") or "") or "endnote" in (
        element.get("epub:type") or ""
    )


class _Open:
    """A block element being walked; it inherits what its ancestors set."""

    __slots__ = ("kind", "level", "lists", "note", "pre", "owner", "emitted", "tag")

    def __init__(self, tag, parent: _Open | None):
        heading = _HEADING.fullmatch(tag.name)
        lists = parent.lists if parent else 0
        self.kind = "heading" if heading else "list_item" if tag.name == "li" else None
        self.level = int(heading.group(1)) if heading else max(lists, 1) if self.kind else 0
        self.lists = lists + (tag.name in _LISTS)
        self.note = _is_footnote(tag) or bool(parent and parent.note)
        self.pre = tag.name == "pre" or bool(parent and parent.pre)
        self.owner = self if self.kind else parent.owner if parent else None
        self.emitted = False
        self.tag = tag

    def number(self) -> str:
        """The item's number in its list, as a footnote list shows it."""
        start = self.tag.parent.get("start", "1") if self.tag.parent else "1"
        before = sum(1 for _ in self.tag.find_previous_siblings("li"))
        return str((int(start) if str(start).isdigit() else 1) + before)


class _Walker:
    """Walks the tree without recursion, so deep nesting cannot overflow."""

    def __init__(self) -> None:
        self.out = BlockText()
        self.buffer: list[str] = []
        self.open: list[_Open] = []

    def walk(self, root) -> BlockText:
        from bs4 import NavigableString, Tag
        from bs4.element import PreformattedString

        stack: list[tuple[bool, object]] = [(False, child) for child in reversed(root.contents)]
        while stack:
            leaving, node = stack.pop()
            if leaving:
                self._flush()
                self.open.pop()
            elif isinstance(node, Tag):
                if node.name == "br":
                    self.buffer.append("\n")
                    continue
                if node.name in _BLOCK_TAGS:
                    self._flush()
                    self.open.append(_Open(node, self.open[-1] if self.open else None))
                    stack.append((True, node))
                stack.extend((False, child) for child in reversed(node.contents))
            elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
                in_pre = self.open and self.open[-1].pre
                self.buffer.append(str(node) if in_pre else _SOURCE_SPACE.sub(" ", node))
        self._flush()
        return self.out

    def _flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer.clear()
        if not text.strip():
            return
        inner = self.open[-1] if self.open else None
        if inner and inner.pre:
            text = re.sub(r"\n\s*\n", "\n", text)
        owner = inner.owner if inner else None
        if inner and inner.note:
            if owner and owner.kind == "list_item" and not owner.emitted:
                owner.emitted = True
                number = owner.number()
                if not re.match(rf"\s*{number}(?!\d)", text):
                    text = f"{number} {text.lstrip()}"
            self.out.add("footnote", text)
        elif owner is None:
            self.out.add("paragraph", text)
        elif owner.kind == "heading":
            self.out.add("heading", text, owner.level)
        elif owner.emitted:
            self.out.add("paragraph", text)
        else:
            owner.emitted = self.out.add("list_item", text, owner.level)
