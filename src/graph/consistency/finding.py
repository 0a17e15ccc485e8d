"""What the consistency checks report: the rule catalogue and the finding records.

A finding quotes both passages it compares, each as a :class:`Place` (document,
section, line, character offsets), so a report can show them side by side.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from graph.check import Rule

# rule id -> (name, severity, message, description)
CATALOGUE = {
    "OBL-101": ("One body, several names", "warning", "A body is named in two similar but different ways",
                "The same party is written two ways that differ by more than case or abbreviation "
                "(for example a word added or the word order changed), within a document or across documents."),
    "OBL-102": ("Similar names", "warning", "A name no register knows is close to a known body's name",
                "A capitalised name that resolves to no party looks like the name of a party the corpus "
                "mentions: either one body under two names, or two bodies with confusingly similar names."),
    "OBL-103": ("Count against list", "warning", "A stated count does not match what is listed or stated elsewhere",
                "A number before a plural noun (\"five pilots\", \"32 CCGs\") against the items of the list it "
                "introduces (\"(2 pilots)\" counts as two), the same count stated elsewhere, and the group's "
                "declared member count."),
    "OBL-104": ("Declared members", "warning", "A group's declared member count differs from its listed members",
                "obl:declaredMemberCount against the parties recorded as members (org:memberOf) of the group."),
    "OBL-105": ("Unsupported claim", "warning", "A summary claims something no commitment of its source says",
                "A claim of a summary or announcement (a bullet under \"covers\" or \"commits\", or a sentence "
                "saying what the agreement commits to) that matches no commitment of the agreement it describes."),
    "OBL-106": ("Claim stronger than source", "warning", "A summary claims more than its source commits to",
                "A claim whose wording asserts delivery (\"provision of\", \"provide\") or whose lead-in asserts a "
                "stronger modality than the commitment of the source that supports it."),
    "OBL-107": ("Section left out", "info", "A section of the source with commitments is not in its summary",
                "A section of the agreement holding commitments that no claim of the summary matches."),
    "OBL-108": ("Signatory named differently", "info", "A signatory is named differently in two documents",
                "Who a document says signed another, against the signatories the other states: a post for its "
                "department, another name for the same party, or a body that is not a party (warning)."),
}


@dataclass(frozen=True)
class Place:
    """One side of a finding: a quoted passage and where it stands.

    Attributes:
        document: File name of the document, or None for the party register.
        section: Title of the section it stands in, if any.
        line: 1-based line of ``start``.
        start: Offset of the quote in the source text (code points).
        end: Offset just past the quote.
        quote: The words, as written in the source.
        note: Where else it is ("footnote 6", "party register").
    """

    document: str | None
    section: str | None
    line: int | None
    start: int | None
    end: int | None
    quote: str
    note: str | None = None

    def describe(self) -> str:
        """Where it is, in words: 'agreement.txt, line 12 (footnote 6)'."""
        where = [self.document or "party register"]
        if self.line is not None:
            where.append(f"line {self.line}")
        text = ", ".join(where)
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class ConsistencyFinding:
    """One inconsistency between two passages (or a passage and the register).

    Attributes:
        rule_id: ``OBL-101`` ... ``OBL-108``.
        severity: ``warning`` or ``info``.
        message: What is inconsistent, in plain English.
        sides: The passages compared, first the one the finding is about.
        focus: IRI of the node it concerns (the document of the first side).
    """

    rule_id: str
    severity: str
    message: str
    sides: tuple[Place, ...]
    focus: str = ""

    @property
    def left(self) -> Place:
        """The passage the finding is about."""
        return self.sides[0]

    @property
    def right(self) -> Place | None:
        """The passage it is compared with."""
        return self.sides[1] if len(self.sides) > 1 else None

    def to_dict(self) -> dict:
        """A plain dict for JSON."""
        return asdict(self)


def consistency_rules() -> list[Rule]:
    """The consistency rules, for ``obligraph rules`` and the check report."""
    from graph.check import SHAPES, Rule

    return [Rule(rid, name, sev, msg, desc, True, str(SHAPES[rid]))
            for rid, (name, sev, msg, desc) in CATALOGUE.items()]


def short(text: str, limit: int = 160) -> str:
    """A quote on one line for a message, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"
