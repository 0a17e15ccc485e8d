"""Ingest: read agreement files into Documents, the text all offsets count against.

Plain text and Markdown are decoded and their line ends unified, nothing more,
so the gold annotations' offsets hold. HTML, Word and PDF files are turned
into text by the readers in :mod:`graph.formats`, which also record structure
hints (headings, list items, footnotes, pages) as blocks.

The file's content decides how a binary format is read, not its name: a PDF
or Word package is recognised by its magic bytes (``%PDF-``, a ZIP holding
``word/``) whatever it is called, and read with a warning when the extension
says otherwise. A file named ``.pdf`` or ``.docx`` that is not one is refused
with an error saying what it looks like instead: text has no magic bytes, and
a "PDF" that is really text or HTML is most often a failed download.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

from graph.errors import InputError
from graph.formats import Extracted
from graph.model import Document

SUPPORTED = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
_FORMATS = {
    ".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
    ".pdf": "pdf", ".docx": "docx",
}
_NAMES = {"txt": "text", "md": "Markdown", "html": "HTML", "pdf": "PDF", "docx": "Word .docx"}
_CHUNK = 1 << 20
_SNIFF = 1024
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)


def collect_paths(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """Expand files and folders into the documents to read.

    Files are taken as given; folders are read recursively in sorted order,
    skipping hidden files and folders (names starting with a dot) and not
    following linked folders. Files of other kinds are skipped with a
    warning, and so is a README in a folder: it describes the folder's
    documents and is not one of them (name it to read it). A file met twice
    is read once.

    Args:
        paths: Files and folders.

    Returns:
        The supported files in order, and warnings naming what was skipped
        and any document ids two files would share.

    Raises:
        InputError: A path does not exist.
    """
    found: list[Path] = []
    warnings: list[str] = []
    seen: set[Path] = set()
    for given in map(Path, paths):
        if not given.exists():
            raise InputError("no such file or folder", str(given))
        candidates = [given] if not given.is_dir() else _walk(given)
        for path in candidates:
            if path.suffix.lower() not in SUPPORTED:
                kind = f"'{path.suffix}' files" if path.suffix else "files without an extension"
                warnings.append(f"{path}: skipped ({kind} are not read)")
                continue
            if path is not given and path.stem.upper() == "README":
                warnings.append(f"{path}: skipped (a README describes its folder; name the file to read it)")
                continue
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                found.append(path)
    by_id: dict[str, list[Path]] = {}
    for path in found:
        by_id.setdefault(slug(path.stem), []).append(path)
    for doc_id, same in by_id.items():
        if len(same) > 1:
            names = ", ".join(map(str, same))
            warnings.append(f"{names}: these files share the document id '{doc_id}'")
    return found, warnings


def _walk(folder: Path) -> list[Path]:
    """Files under ``folder``, hidden ones left out and linked folders not followed."""
    files: list[Path] = []
    pending = [folder]
    while pending:
        for entry in pending.pop().iterdir():
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                if not entry.is_symlink():
                    pending.append(entry)
            elif entry.is_file():
                files.append(entry)
    return sorted(files, key=lambda p: p.relative_to(folder).parts)


def slug(stem: str) -> str:
    """A document id: the lowercase ASCII letter and digit runs joined by ``-``.

    Accented letters lose their accents (``Über`` -> ``uber``); a name with no
    such letters gets ``doc-`` and a hash of the name.
    """
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    runs = re.findall(r"[a-z0-9]+", ascii_stem.lower())
    return "-".join(runs) or "doc-" + hashlib.sha256(stem.encode()).hexdigest()[:8]


def read_document(path: Path, max_bytes: int = 50_000_000, max_pages: int = 2_000) -> Document:
    """Read one agreement file into a Document.

    Args:
        path: A .txt, .md, .markdown, .html, .htm, .pdf or .docx file.
        max_bytes: Refuse files larger than this, before reading them, and
            Word files whose parts add up to more than this unzipped.
        max_pages: Refuse PDFs with more pages than this.

    Returns:
        The document with its text, title, blocks and warnings.

    Raises:
        InputError: The file is missing, too big, empty, of another kind than
            its name says and unreadable as such, damaged, encrypted, or
            without text.
    """
    path = Path(path)
    where = str(path)
    extension = path.suffix.lower()
    if extension not in SUPPORTED:
        supported = ", ".join(sorted(SUPPORTED))
        raise InputError(f"unsupported file type '{path.suffix}' (supported: {supported})", where)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise InputError("no such file", where) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", where) from None
    if path.is_dir():
        raise InputError("this is a folder, not a file", where)
    if stat.st_size > max_bytes:
        raise InputError(_too_big(stat.st_size, max_bytes), where)
    head = _read_head(path, where)
    if not head.strip() and len(head) < _SNIFF:
        raise InputError("the file is empty", where)  # longer ones: after decoding
    declared = _FORMATS[extension]
    actual = _sniff(head, path, declared)
    extracted = _read_as(actual, path, where, max_bytes, max_pages)
    warnings = list(extracted.warnings)
    if actual != declared and {actual, declared} != {"txt", "md"}:
        name = _NAMES[actual]
        warnings.insert(0, f"this is a {name} file despite its {extension} name; read as {name}")
    text = extracted.text
    return Document(
        doc_id=slug(path.stem),
        name=path.name,
        path=where,
        format=actual,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=extracted.title,
        blocks=tuple(extracted.blocks),
        warnings=tuple(warnings),
    )


def _read_as(actual: str, path: Path, where: str, max_bytes: int, max_pages: int) -> Extracted:
    if actual == "pdf":
        from graph.formats.pdf import read_pdf

        return read_pdf(where, max_pages)
    if actual == "docx":
        from graph.formats.word import read_docx

        return read_docx(where, max_bytes)
    data = _read_bytes(path, max_bytes, where)
    if actual == "html":
        from graph.formats.html import read_html

        return read_html(data, where)
    from graph.formats.text import read_text

    return read_text(data, where, markdown=actual == "md")


def _sniff(head: bytes, path: Path, declared: str) -> str:
    """The format the content shows, or an error for a misnamed binary format."""
    if head.startswith(b"%PDF-") or (declared == "pdf" and b"%PDF-" in head):
        return "pdf"
    if head.startswith(_ZIP_MAGIC) and _is_word_package(path):
        return "docx"
    if declared == "pdf":
        looks = _looks_like(head)
        raise InputError(f"not a PDF file (it does not start with %PDF-; {looks})", str(path))
    if declared == "docx":
        if head.startswith(_ZIP_MAGIC):
            return "docx"  # the Word reader says what is wrong with the package
        if head.startswith(_OLE_MAGIC):
            raise InputError(
                "not a Word .docx file (it is an old .doc or a password-protected "
                "document; save it as .docx without a password)",
                str(path),
            )
        raise InputError("not a Word .docx file (it is not a ZIP package)", str(path))
    return declared


def _looks_like(head: bytes) -> str:
    if head.startswith(_ZIP_MAGIC):
        return "it is a ZIP package"
    if _HTML_START.match(head):
        return "it is an HTML page, perhaps a failed download"
    if b"\x00" in head:
        return "it holds binary data"
    return "it looks like text"


def _is_word_package(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as package:
            return any(name.startswith("word/") for name in package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False  # NotImplementedError: a damaged header asks for an unknown ZIP version


def _read_head(path: Path, where: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(_SNIFF)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", where) from None


def _read_bytes(path: Path, limit: int, where: str) -> bytes:
    """Read at most ``limit`` bytes in chunks; a file that grew past it is refused."""
    chunks, size = [], 0
    try:
        with open(path, "rb") as handle:
            while size <= limit:
                chunk = handle.read(min(_CHUNK, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", where) from None
    if size > limit:
        raise InputError(
            f"the file grew past the limit of {_mb(limit)} MB while it was read (--max-bytes)",
            where,
        )
    return b"".join(chunks)


def _too_big(size: int, limit: int) -> str:
    return f"the file is {_mb(size)} MB, over the limit of {_mb(limit)} MB (--max-bytes)"


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}".removesuffix(".0")
