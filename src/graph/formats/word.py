"""Word .docx: body paragraphs and table cells in order, then footnotes.

Headings come from the paragraph style ("Heading N", "Title", or a style based
on one) or its outline level (ECMA-376 Part 1, 17.3.1.20); list items from
numbering (``w:numPr``, 17.3.1.19) or a style whose name holds "List". Tracked
insertions are read and deletions left out, as Word shows the accepted text.
Automatic numbers are not rendered: numbered paragraphs read as bullets.
Footnote marks appear in the text as their number, and each footnote is a
``footnote`` block after the body ("3 The footnote text").
"""

from __future__ import annotations

import re
import zipfile

from graph.errors import InputError
from graph.formats import BlockText, Extracted, short_reason

MAX_UNZIPPED = 200_000_000
MAX_RATIO = 100
# Members smaller than this cannot hurt, whatever their ratio (a blank
# settings part can compress 200:1 and be harmless).
RATIO_FLOOR = 1_000_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"heading\s*(\d)", re.IGNORECASE)
_TRAILING_DIGIT = re.compile(r"(\d)\s*$")


def check_package(path: str, max_bytes: int | None = None) -> None:
    """Refuse a file that is not a Word ZIP package or that would expand too far.

    Sizes are the ones the ZIP central directory declares; Python's zipfile
    stops decompressing a member at its declared size and fails its CRC check
    if more was there, so a member cannot outgrow what is checked here.

    Args:
        path: The file to check.
        max_bytes: Refuse a package whose members add up to more than this
            unzipped (``--max-bytes``: what is read into memory, not the file's size).

    Raises:
        InputError: Not a ZIP package, a zip bomb, over ``max_bytes`` unzipped,
            or a ZIP without ``word/``.
    """
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise InputError("not a Word .docx file (it is not a ZIP package)", path) from None
    except NotImplementedError as exc:  # a damaged header asking for an unknown ZIP version
        raise InputError(f"the Word file is damaged: {short_reason(exc)}", path) from None
    total = sum(member.file_size for member in members)
    bomb = any(
        member.file_size >= RATIO_FLOOR
        and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if total > MAX_UNZIPPED or bomb:
        raise InputError(
            f"refused: the .docx expands to {total / 1e6:.0f} MB (looks like a zip bomb)", path
        )
    if max_bytes is not None and total > max_bytes:
        raise InputError(
            f"the .docx expands to {_mb(total)} MB unzipped, over the limit of {_mb(max_bytes)} MB (--max-bytes)",
            path,
        )
    if not any(member.filename.startswith("word/") for member in members):
        raise InputError("not a Word .docx file (the ZIP package holds no Word document)", path)


def read_docx(path: str, max_bytes: int | None = None) -> Extracted:
    """Read a Word .docx into text with heading, paragraph, list and footnote blocks.

    Args:
        path: The file to read.
        max_bytes: Refuse a package larger than this unzipped.

    Returns:
        The text and blocks; the title from the core properties, else the
        first Title-styled paragraph.

    Raises:
        InputError: Not a .docx, a zip bomb, too big unzipped, damaged, or without text.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_package(path, max_bytes)
    try:
        document = docx.Document(path)
        return _read(document, path)
    except InputError:
        raise
    except PackageNotFoundError:
        raise InputError("not a Word .docx file (the ZIP package holds no Word document)", path)
    except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted input
        raise InputError(f"the Word file is damaged: {short_reason(exc)}", path) from None


def _read(document, path: str) -> Extracted:
    from docx.text.paragraph import Paragraph

    out = BlockText()
    marks: dict[str, str] = {}
    title = _core_title(document)
    body = document.element.body
    for p in _paragraphs(body):
        paragraph = Paragraph(p, document)
        text = _text(p, marks)
        kind, level = _kind(paragraph)
        added = out.add(kind, text, level)
        if added and not title and _style_names(paragraph)[:1] == ["title"]:
            title = out.text[out.blocks[-1].start:].replace("\n", " ")
    for number, note in _footnotes(document, marks):
        out.add("footnote", f"{number} {note}")
    if not out.blocks:
        raise InputError("the Word document has no text", path)
    return Extracted(out.text, title or None, out.blocks, [])


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}".removesuffix(".0")


def _core_title(document) -> str:
    # python-docx makes up core properties titled "Word Document" when the
    # package has none, so read them only when the package has its own.
    package = document.part.package
    if not any(rel.reltype.endswith("/core-properties") for rel in package.rels.values()):
        return ""
    return " ".join((document.core_properties.title or "").split())


def _paragraphs(container):
    """Yield the ``w:p`` elements in reading order, through tables and controls."""
    stack = list(reversed(container))
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag == f"{_W}p":
            yield element
        elif tag in (f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}sdt", f"{_W}sdtContent",
                     f"{_W}customXml"):
            stack.extend(reversed(element))


def _text(p, marks: dict[str, str]) -> str:
    """The visible text of a paragraph; footnote references become numbers."""
    parts = []
    for element in p.iter():
        tag = element.tag
        if tag == f"{_W}t":
            parts.append(element.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}footnoteReference":
            note_id = element.get(f"{_W}id")
            marks.setdefault(note_id, str(len(marks) + 1))
            if element.get(f"{_W}customMarkFollows") not in ("1", "true", "on"):
                parts.append(marks[note_id])
    return "".join(parts)


def _style_names(paragraph) -> list[str]:
    names, style = [], paragraph.style
    while style is not None and len(names) < 10:
        names.append((style.name or "").lower())
        style = style.base_style
    return names


def _kind(paragraph) -> tuple[str, int]:
    names = _style_names(paragraph)
    for name in names:
        if name == "title":
            return "heading", 1
        match = _HEADING_STYLE.fullmatch(name)
        if match:
            return "heading", int(match.group(1))
    ppr = paragraph._p.pPr
    outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if outline is not None and outline.get(f"{_W}val", "9").isdigit():
        level = int(outline.get(f"{_W}val"))
        if level < 9:
            return "heading", level + 1
    num = ppr.find(f"{_W}numPr") if ppr is not None else None
    if num is not None:
        num_id = num.find(f"{_W}numId")
        if num_id is None or num_id.get(f"{_W}val") != "0":
            ilvl = num.find(f"{_W}ilvl")
            value = ilvl.get(f"{_W}val", "0") if ilvl is not None else "0"
            return "list_item", int(value) + 1 if value.isdigit() else 1
    for name in names:
        if "list" in name:
            digit = _TRAILING_DIGIT.search(name)
            return "list_item", int(digit.group(1)) if digit else 1
    return "paragraph", 0


def _footnotes(document, marks: dict[str, str]) -> list[tuple[str, str]]:
    """The referenced footnotes as ``(number, text)``, in number order."""
    from docx.oxml import parse_xml

    part = next(
        (rel.target_part for rel in document.part.rels.values()
         if rel.reltype.endswith("/footnotes") and not rel.is_external),
        None,
    )
    if part is None or not marks:
        return []
    root = parse_xml(part.blob)
    notes = {}
    for note in root.iter(f"{_W}footnote"):
        note_id = note.get(f"{_W}id")
        if note_id in marks:
            paragraphs = (_text(p, {}) for p in note.iter(f"{_W}p"))
            notes[note_id] = "\n".join(t for t in paragraphs if t.strip())
    return sorted(
        ((marks[i], text) for i, text in notes.items()), key=lambda item: int(item[0])
    )
