"""PDF: the text layer page by page, without page numbers and running heads.

pypdf extracts each page's text (its default extraction mode). Where the
page's lines leave a vertical gap wider than its usual line pitch, or the font
size changes, a blank line is put in, so paragraphs come out separated as in
plain text. Lines that are only a page number, and running headers and
footers, are dropped from the top and bottom of each page. Pages are joined
by ``\\n`` (a blank line when the font size changes across the page break, as
for a heading at the top of a page), and each page with text is a ``page``
block.
"""

from __future__ import annotations

import logging
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass

from graph.errors import InputError
from graph.formats import Extracted, short_reason

MIN_CHARS_PER_PAGE = 20
EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be furniture
_EOF_WINDOW = 1024
# Possessive "\s++" and "\s*+": two runs of spaces with nothing between them
# would be split every way before a long line failed to match (quadratic time).
_PAGE_NUMBER = re.compile(
    r"(?:page\s++)?[-\u2013\u2014]?\s*+"
    r"(?:\d{1,4}|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))\s*+[-\u2013\u2014]?"
    r"(?:\s*+(?:of|/)\s*+\d{1,4})?",
    re.IGNORECASE,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LIGATURES = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
})
_JUNK_TITLE = re.compile(r"^(?:untitled|microsoft word - .*|.*\.(?:docx?|pdf|indd|rtf))$", re.I)


@dataclass
class _Line:
    text: str
    y: float | None = None
    size: float = 0.0


def read_pdf(path: str, max_pages: int) -> Extracted:
    """Read the text layer of a PDF.

    Args:
        path: The file to read.
        max_pages: Refuse documents with more pages than this.

    Returns:
        The text, one ``page`` block per page with text, the title from the
        metadata or else the first line.

    Raises:
        InputError: Truncated, damaged, password-protected, too long, or
            without a text layer.
    """
    _check_complete(path)
    with _pypdf_warnings() as problems:
        reader = _open(path)
        count = len(reader.pages)
        if count > max_pages:
            raise InputError(
                f"the PDF has {count} pages, over the limit of {max_pages} (--max-pages)", path
            )
        warnings: list[str] = []
        pages: list[list[_Line]] = []
        for number, page in enumerate(reader.pages, 1):
            try:
                pages.append(_page_lines(page))
            except Exception as exc:  # noqa: BLE001 - one bad page should not lose the rest
                warnings.append(f"page {number}: no text extracted ({short_reason(exc)})")
                pages.append([])
        title = _metadata_title(reader)
    if problems:
        warnings.append(f"the PDF has format errors that were worked around ({problems[0]})")
    if count == 0:
        raise InputError("the PDF has no pages", path)
    chars = sum(len("".join(line.text.split())) for lines in pages for line in lines)
    if chars < MIN_CHARS_PER_PAGE * count:
        raise InputError("the PDF has no text layer (it looks like a scan); run OCR first", path)
    blank = [str(n) for n, lines in enumerate(pages, 1) if not any(x.text.strip() for x in lines)]
    if blank:
        pages_named = f"page{'s' if len(blank) > 1 else ''} {', '.join(blank)}"
        warnings.append(f"no text on {pages_named} (scanned images?); run OCR first")
    return _assemble(_drop_furniture(pages), title, warnings)


def _check_complete(path: str) -> None:
    # ISO 32000-1 section 7.5.5: the file ends with %%EOF; readers accept it
    # within the last 1024 bytes (PDF Reference 1.7, implementation note H.3-18).
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(handle.tell() - _EOF_WINDOW, 0))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise InputError("the PDF is damaged or truncated: it does not end with %%EOF", path)


def _open(path: str):
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise InputError("the PDF is password-protected", path)
        len(reader.pages)
        return reader
    except InputError:
        raise
    except DependencyError as exc:
        raise InputError(f"the PDF cannot be decrypted here: {short_reason(exc)}", path) from None
    except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted input
        raise InputError(f"the PDF is damaged or truncated: {short_reason(exc)}", path) from None


@contextmanager
def _pypdf_warnings():
    """Collect what pypdf logs about repairs instead of letting it reach stderr."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(short_reason(Exception(record.getMessage())))

    logger, handler = logging.getLogger("pypdf"), Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def _page_lines(page) -> list[_Line]:
    """The page's lines with the baseline height and font size of each."""
    pieces: list[tuple[str, list, list, float]] = []
    text = page.extract_text(
        visitor_text=lambda t, cm, tm, font, size: pieces.append((t, cm, tm, size))
    )
    if "".join(piece[0] for piece in pieces) != text:
        return [_Line(line) for line in text.split("\n")]
    lines, current = [], _Line("")
    for piece, cm, tm, size in pieces:
        for i, part in enumerate(piece.split("\n")):
            if i:
                lines.append(current)
                current = _Line("")
            if part.strip() and current.y is None:
                # Text rendering matrix = Tm x CTM (ISO 32000-1, 9.4.4).
                current.y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
                current.size = abs(size * scale)
            current.text += part
    lines.append(current)
    for line in lines:
        line.text = _CONTROLS.sub("", line.text.translate(_LIGATURES)).rstrip()
    return [line for line in lines if line.text.strip()]


def _key(line: _Line) -> str:
    return " ".join(re.sub(r"\d", "", line.text).split()).lower()


def _drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop page numbers and lines repeated at the top or bottom of most pages."""
    repeated: list[set[str]] = [set(), set()]
    if len(pages) >= 3:
        needed = max(3, math.ceil(len(pages) / 2))
        for side, zone in enumerate((slice(0, EDGE_LINES), slice(-EDGE_LINES, None))):
            counts: dict[str, int] = {}
            for lines in pages:
                for key in {_key(line) for line in lines[zone]} - {""}:
                    counts[key] = counts.get(key, 0) + 1
            repeated[side] = {key for key, n in counts.items() if n >= needed}

    def furniture(line: _Line, side: int) -> bool:
        return _key(line) in repeated[side] or bool(_PAGE_NUMBER.fullmatch(line.text.strip()))

    kept = []
    for lines in pages:
        top, bottom = 0, len(lines)
        while top < min(EDGE_LINES, bottom) and furniture(lines[top], 0):
            top += 1
        while bottom > max(top, len(lines) - EDGE_LINES) and furniture(lines[bottom - 1], 1):
            bottom -= 1
        kept.append(lines[top:bottom])
    return kept


def _breaks(a: _Line, b: _Line, pitch: float | None) -> bool:
    """Whether a paragraph break shows between two lines: a wide gap or a new size."""
    if a.y is None or b.y is None or not a.size or not b.size:
        return False
    gap = a.y - b.y if pitch else 0.0
    resized = abs(a.size - b.size) > 0.08 * max(a.size, b.size)
    return bool(pitch and gap > 1.3 * pitch) or (resized and (gap > 0 or pitch is None))


def _page_text(lines: list[_Line]) -> str:
    """Join a page's lines, with a blank line where a paragraph break shows.

    The line pitch is the lower quartile of the gaps between lines of one
    size: most gaps on a page are within paragraphs, and on a short page of
    one-line items the few tight gaps still show the pitch.
    """
    gaps = sorted(
        a.y - b.y for a, b in zip(lines, lines[1:])
        if a.y is not None and b.y is not None and a.size and abs(a.size - b.size) < 0.05 * a.size
        and 0.8 * a.size <= a.y - b.y <= 4 * a.size
    )
    pitch = gaps[(len(gaps) - 1) // 4] if gaps else None
    out = [lines[0].text] if lines else []
    for a, b in zip(lines, lines[1:]):
        if pitch and _breaks(a, b, pitch):
            out.append("")
        out.append(b.text)
    return "\n".join(out)


def _assemble(pages: list[list[_Line]], title: str | None, warnings: list[str]) -> Extracted:
    """Join the pages by a line break, or a blank line where the font size changes."""
    from graph.model import Block

    parts, blocks, offset, last = [], [], 0, None
    for number, lines in enumerate(pages, 1):
        text = _page_text(lines)
        if not text:
            continue
        if last is not None:
            parts.append("\n\n" if _breaks(last, lines[0], None) else "\n")
            offset += len(parts[-1])
        parts.append(text)
        blocks.append(Block("page", offset, offset + len(text), page=number))
        offset += len(text)
        last = lines[-1]
    text = "".join(parts)
    if not title:
        first = next((line for line in text.split("\n") if line.strip()), "")
        title = " ".join(first.split())[:200] or None
    return Extracted(text, title, blocks, warnings)


def _metadata_title(reader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:  # noqa: BLE001 - damaged metadata is not worth failing for
        return None
    title = " ".join(str(title or "").split())
    return title if title and not _JUNK_TITLE.match(title) else None
