"""Plain text and Markdown: the bytes decoded, line ends unified, nothing else.

The gold annotations count offsets against exactly this text, so the reader
never trims, re-wraps or normalises Unicode.
"""

from __future__ import annotations

import codecs
import re

from graph.errors import InputError
from graph.formats import Extracted

# Byte order marks of encodings other than UTF-8, longest first (UTF-32 LE
# starts with the UTF-16 LE mark).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf_32"),
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)
# Unicode category Cc except tab, line feed, vertical tab, form feed, return.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.30


def read_text(data: bytes, path: str, markdown: bool = False) -> Extracted:
    """Decode a text file and unify its line ends.

    Args:
        data: The file's bytes.
        path: The file's path, for errors.
        markdown: Take the title from a leading ``# `` heading.

    Returns:
        The text with ``\\r\\n`` and lone ``\\r`` turned into ``\\n``, no blocks.

    Raises:
        InputError: The file is empty or holds binary content.
    """
    text, warnings = decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("the file is empty", path)
    if _looks_binary(text):
        raise InputError("this is not a text file (binary content)", path)
    return Extracted(text, _markdown_title(text) if markdown else None, [], warnings)


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (BOM stripped), else as the detected encoding.

    A file that is not valid UTF-8 goes to charset-normalizer. Short Western
    texts often read equally cleanly in several code pages (cp1250 and cp1252
    share the curly quotes and dashes), so among the cleanest readings the
    Windows-1252 one is preferred: it is what Windows tools save English in,
    and what WHATWG Encoding section 4.2 maps latin-1 labels to.

    Returns:
        The text and a warning naming the encoding when it was not UTF-8.

    Raises:
        InputError: No encoding reads the bytes as text.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    else:
        for bom, encoding in _BOMS:
            if data.startswith(bom):
                try:
                    return data.decode(encoding), [f"decoded as {encoding} (not UTF-8)"]
                except UnicodeDecodeError:
                    break
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    encoding = _detect(data)
    if encoding is None:
        raise InputError("this is not a text file (binary content)", path)
    return data.decode(encoding), [f"decoded as {encoding} (not UTF-8)"]


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(match.chaos for match in matches)
    cleanest = [match for match in matches if match.chaos <= best + 0.01]
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and any(
        match.encoding == "cp1252" or str(match) == western for match in cleanest
    ):
        return "cp1252"
    return matches[0].encoding


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = len(text) - len(_CONTROLS.sub("", text))
    return controls > _MAX_CONTROL_SHARE * len(text)


def _markdown_title(text: str) -> str | None:
    for line in text.split("\n"):
        if line.strip():
            if line.startswith("# "):
                return line[2:].strip().rstrip("#").strip() or None
            return None
    return None
