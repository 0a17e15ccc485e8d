"""Frozen records passed between the stages of the pipeline.

Every record carries the document id and character offsets (code points, end
exclusive) into the document's ingested text, so each triple and finding can
be traced back to the characters that state it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Block:
    """A structure hint from a structured format (HTML, Word, Markdown, PDF page).

    Attributes:
        kind: ``heading``, ``paragraph``, ``list_item``, ``footnote`` or ``page``.
        start: Offset of the block's first character in the ingested text.
        end: Offset just past its last character.
        level: Heading level (1 = top) or list nesting depth.
        page: 1-based page number for paged formats, else 0.
    """

    kind: str
    start: int
    end: int
    level: int = 0
    page: int = 0


@dataclass(frozen=True)
class Document:
    """A document as ingested: its exact text and where it came from.

    Attributes:
        doc_id: Stable slug of the file name, used in IRIs.
        name: The file name as given.
        path: The path it was read from.
        format: ``txt``, ``md``, ``html``, ``pdf`` or ``docx``.
        text: The ingested text all offsets count against.
        sha256: Hex SHA-256 of ``text`` encoded as UTF-8.
        title: The title found in the document, if any.
        blocks: Structure hints from the source format (empty for plain text).
        warnings: What the reader noticed but could work around.
    """

    doc_id: str
    name: str
    path: str
    format: str
    text: str
    sha256: str
    title: str | None = None
    blocks: tuple[Block, ...] = ()
    warnings: tuple[str, ...] = ()


class _Shift:
    """``positions[i] - i`` for each i, read on demand: how far a character has moved."""

    def __init__(self, positions: list[int]) -> None:
        self.positions = positions

    def __getitem__(self, i: int) -> int:
        return self.positions[i] - i


@dataclass(frozen=True)
class OffsetMap:
    """Maps positions in a cleaned text back to positions in the source text.

    Stored as runs ``(clean_start, source_start, length)`` of characters copied
    one to one; a character the cleaning inserted (a space for a line break)
    maps to the source position of what it replaced.
    """

    runs: tuple[tuple[int, int, int], ...]

    @classmethod
    def from_positions(cls, positions: list[int]) -> OffsetMap:
        """Compress a list of source positions, one per character, into runs.

        The positions must rise strictly, as they do for text read forward.
        Then ``positions[i] - i`` never falls and is constant within a run, so
        each run's end is found by bisection instead of a step per character
        (which took a third of the time of segmenting a document).
        """
        shift = _Shift(positions)
        runs: list[tuple[int, int, int]] = []
        c = 0
        while c < len(positions):
            end = bisect_right(shift, positions[c] - c, c, len(positions))
            runs.append((c, positions[c], end - c))
            c = end
        return cls(tuple(runs))

    @cached_property
    def _starts(self) -> list[int]:
        return [run[0] for run in self.runs]

    def source(self, clean: int) -> int:
        """Source offset of the clean character at ``clean``."""
        if not self.runs:
            return clean
        i = max(bisect_right(self._starts, clean) - 1, 0)
        c0, s0, n = self.runs[i]
        return s0 + min(max(clean - c0, 0), n - 1)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span of the clean span ``[start, end)`` (end exclusive)."""
        if end <= start:
            s = self.source(start)
            return s, s
        return self.source(start), self.source(end - 1) + 1


@dataclass(frozen=True)
class Section:
    """A heading and the part of the document it governs.

    Attributes:
        doc_id: The document.
        ordinal: 0-based position among the document's sections.
        title: The heading as written, enumerator removed, lines joined.
        enumerator: ``a)``, ``1.2``, ``Section F`` or empty.
        level: 1 for top-level headings.
        start: Offset of the heading's first character.
        end: Offset just past the heading.
    """

    doc_id: str
    ordinal: int
    title: str
    enumerator: str
    level: int
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """A paragraph, list item, heading or footnote with its clean text.

    Attributes:
        doc_id: The document.
        kind: ``heading``, ``paragraph``, ``list_item`` or ``footnote``.
        start: Source offset of the first character.
        end: Source offset just past the last character.
        text: Clean text: lines joined, hyphenation and footnote markers removed.
        offsets: Maps ``text`` positions back to source offsets.
        section: Ordinal of the section it stands in (-1 before any heading).
        sentences: Clean-text spans of its sentences.
        lead_in: For a list item, the segment index of its lead-in paragraph.
        level: Heading level or list depth.
        page: Page number for paged formats, else 0.
        footnotes: Footnote numbers referred to from this segment.
    """

    doc_id: str
    kind: str
    start: int
    end: int
    text: str
    offsets: OffsetMap
    section: int = -1
    sentences: tuple[tuple[int, int], ...] = ()
    lead_in: int | None = None
    level: int = 0
    page: int = 0
    footnotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Structure:
    """A segmented document: its sections and segments in text order."""

    document: Document
    sections: tuple[Section, ...]
    segments: tuple[Segment, ...]
    footnotes: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class PartyRef:
    """A party as it takes part in one commitment.

    Attributes:
        key: The party's register key (the last part of its IRI).
        label: The party's canonical label.
        start: Source offset of the words that name it (-1 when inferred).
        end: Source offset just past them (-1 when inferred).
        inferred: True when the text does not name it here.
        rule: The rule that found it.
    """

    key: str
    label: str
    start: int = -1
    end: int = -1
    inferred: bool = False
    rule: str = ""


@dataclass(frozen=True)
class Qualifier:
    """A condition or deadline as stated, with its normalised reading.

    Attributes:
        kind: Condition kind (``subject-to``, ``once``, ``if`` ...) or deadline
            kind (``by``, ``from``, ``until``, ``in``, ``within``).
        text: The words as stated ("by 2020").
        start: Source offset of the first character.
        end: Source offset just past the last.
        not_before: ISO date the period starts, for deadlines.
        not_after: ISO date the period ends, for deadlines.
    """

    kind: str
    text: str
    start: int
    end: int
    not_before: str | None = None
    not_after: str | None = None


@dataclass(frozen=True)
class Commitment:
    """One commitment as ANNOTATION.md defines it.

    Attributes:
        doc_id: The document.
        section: Ordinal of its section (-1 when before any heading).
        start: Source offset of its text.
        end: Source offset just past it.
        quote: ``document.text[start:end]``.
        ordinal: Position among the commitments sharing this span.
        owners: Who undertakes it.
        counterparts: To or with whom.
        governance: The body overseeing it.
        modality: ``commitment``, ``intention``, ``exploration`` or ``aspiration``.
        conditions: Conditions stated on it.
        deadlines: Dates or periods stated on it.
        reciprocal: True when introduced as the return for others ("In return").
        reciprocal_of: Indices, in the document's commitment list, of the
            commitments it answers.
        trigger: Source span of the words that make it a commitment.
        rule: The rule that found it.
        confidence: How sure the rule is, 0 to 1.
        lead_in: Source span of the lead-in of a bullet, if any.
    """

    doc_id: str
    section: int
    start: int
    end: int
    quote: str
    ordinal: int
    owners: tuple[PartyRef, ...]
    counterparts: tuple[PartyRef, ...]
    governance: tuple[PartyRef, ...]
    modality: str
    conditions: tuple[Qualifier, ...] = ()
    deadlines: tuple[Qualifier, ...] = ()
    reciprocal: bool = False
    reciprocal_of: tuple[int, ...] = ()
    trigger: tuple[int, int] = (0, 0)
    rule: str = ""
    confidence: float = 0.0
    lead_in: tuple[int, int] | None = None
    decisions: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Party:
    """An organisation, group, post or governance body.

    Attributes:
        key: Stable slug of the canonical label; the IRI is ``id:party/<key>``.
        label: Canonical name.
        kind: Party kind concept name (``governmentDepartment``, ``nhsBody`` ...).
        cls: ``Party``, ``PartyGroup``, ``GovernanceBody`` or ``Post``.
        aliases: Other names and abbreviations that resolve to it.
        member_of: Keys of the groups it belongs to.
        unit_of: Key of the organisation it is a unit of, if any.
        reports_to: Keys of the bodies it is accountable to.
        head_of: Keys of the bodies a post heads.
        declared_members: Member count the text declares ("all 32 CCGs"), or None.
        discovered: True when found in a document rather than the register.
        found_by: How it was found (``register``, a discovery rule id).
        evidence: ``(doc_id, start, end)`` of the text that defines it, if any.
    """

    key: str
    label: str
    kind: str = "organisation"
    cls: str = "Party"
    aliases: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    unit_of: str | None = None
    reports_to: tuple[str, ...] = ()
    head_of: tuple[str, ...] = ()
    declared_members: int | None = None
    discovered: bool = False
    found_by: str = "register"
    evidence: tuple[str, int, int] | None = None
