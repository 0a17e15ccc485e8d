"""Readers that turn one file format into text plus structure hints.

Each reader returns an :class:`Extracted`; :func:`graph.ingest.read_document`
wraps it into a :class:`graph.model.Document`. Readers raise
:class:`graph.errors.InputError` with the path for anything a user must fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.model import Block

BULLET = "\u2022 "

# Whitespace inside a block of HTML or Word text: runs collapse to one space.
# U+00A0 (no-break space) counts as a space; U+00AD (soft hyphen) is dropped.
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass
class Extracted:
    """What a reader found: the text all offsets count against, and hints."""

    text: str
    title: str | None = None
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def clean_inline(text: str) -> str:
    """Collapse spaces in a block's text; keep hard line breaks as ``\\n``."""
    text = _SPACES.sub(" ", text.replace("\u00ad", ""))
    lines = (line.strip(" ") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class BlockText:
    """Builds a text from blocks joined by a blank line, recording offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []

    def add(self, kind: str, text: str, level: int = 0) -> bool:
        """Append one block; list items get a bullet the block starts after.

        Returns:
            False when the text was only whitespace and nothing was added.
        """
        text = clean_inline(text)
        if not text:
            return False
        if self._parts:
            self._parts.append("\n\n")
            self._length += 2
        if kind == "list_item":
            self._parts.append(BULLET)
            self._length += len(BULLET)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        self.blocks.append(Block(kind, start, self._length, level=level))
        return True

    @property
    def text(self) -> str:
        """The text so far."""
        return "".join(self._parts)


def short_reason(exc: BaseException) -> str:
    """The first line of an exception's message, short enough for one line."""
    lines = str(exc).strip().splitlines()
    reason = lines[0] if lines else ""
    reason = reason or type(exc).__name__
    return reason if len(reason) <= 100 else reason[:97] + "..."
