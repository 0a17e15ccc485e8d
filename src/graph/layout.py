"""A document's passages as source spans: what reading it again needs of its structure.

The cross-document checks read each document's paragraphs, list items (with
their lead-ins), headings, footnotes and sentences. Segmenting a thousand
documents again at every check took about ten seconds, so ``build`` keeps each
document's layout in the store's manifest (and on a graph built in memory),
beside the text's SHA-256, and a check reads it back (:func:`stored_layouts`)
for every document whose text is unchanged. A layout holds offsets into the
source text only, never text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from graph.model import Structure


@dataclass(frozen=True)
class Passage:
    """A paragraph, list item, heading or footnote, by its place in the source text.

    Attributes:
        kind: ``heading``, ``paragraph``, ``list_item`` or ``footnote``.
        start: Source offset of its first character.
        end: Source offset just past its last character.
        lead_in: For a list item, the index of the passage that introduces it.
        sentences: The source span of each sentence (the whole passage when it has none).
    """

    kind: str
    start: int
    end: int
    lead_in: int | None
    sentences: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Layout:
    """A document's passages in text order, and its footnotes as ``(number, start, end)``."""

    passages: tuple[Passage, ...]
    footnotes: tuple[tuple[str, int, int], ...]

    @classmethod
    def of(cls, structure: Structure) -> Layout:
        """The layout of a segmented document."""
        passages = []
        for seg in structure.segments:
            spans = seg.sentences or ((0, len(seg.text)),)
            passages.append(Passage(seg.kind, seg.start, seg.end, seg.lead_in,
                                    tuple(seg.offsets.span(a, b) for a, b in spans)))
        return cls(tuple(passages), tuple(structure.footnotes))

    def dumps(self) -> str:
        """One line of JSON, as the manifest keeps it."""
        return json.dumps({
            "passages": [[p.kind, p.start, p.end, p.lead_in, [x for span in p.sentences for x in span]]
                         for p in self.passages],
            "footnotes": [list(f) for f in self.footnotes],
        }, separators=(",", ":"))

    @classmethod
    def loads(cls, data: str) -> Layout:
        """The layout :meth:`dumps` wrote.

        Raises:
            ValueError: when the data is not such a layout.
        """
        try:
            raw = json.loads(data)
            passages = tuple(
                Passage(str(kind), int(start), int(end), None if lead is None else int(lead),
                        tuple((int(flat[i]), int(flat[i + 1])) for i in range(0, len(flat) - 1, 2)))
                for kind, start, end, lead, flat in raw["passages"]
            )
            footnotes = tuple((str(num), int(start), int(end)) for num, start, end in raw["footnotes"])
        except (TypeError, KeyError, ValueError) as exc:
            raise ValueError(f"not a stored layout: {exc}") from exc
        return cls(passages, footnotes)


def fits(layout: Layout, length: int) -> bool:
    """True when every span of the layout lies within a text of this length, and each lead-in is a passage."""
    spans = [(p.start, p.end) for p in layout.passages] + [s for p in layout.passages for s in p.sentences]
    spans += [(start, end) for _, start, end in layout.footnotes]
    return all(0 <= a <= b <= length for a, b in spans) and all(
        p.lead_in is None or 0 <= p.lead_in < len(layout.passages) for p in layout.passages)


def stored_layouts(store) -> dict[str, tuple[str, str]]:
    """Each document's kept layout and the SHA-256 of the text it was made from, by document id.

    From the manifest ``build`` wrote beside a stored graph's database, and from
    a graph built in memory in this process; empty for a graph read from a
    server, and for a store built before layouts were kept (its documents are
    then segmented again).

    Args:
        store: A GraphStore (or RemoteStore).
    """
    found: dict[str, tuple[str, str]] = {}
    database = getattr(store, "database", None)
    if database is not None:
        try:
            manifest = json.loads(Path(database).with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        found = {doc_id: (entry["sha256"], entry["layout"]) for doc_id, entry in manifest.items()
                 if isinstance(entry, dict) and isinstance(entry.get("layout"), str) and "sha256" in entry}
    found.update(getattr(store, "layouts", {}))
    return found
