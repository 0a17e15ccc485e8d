"""Findings of a compliance check and the ways to show them.

A ``Report`` holds the findings of ``check.validate`` and renders them as
plain text (for a terminal), JSON (for programs), Turtle (a SHACL
``sh:ValidationReport``, SHACL 3.6) and a self-contained HTML page (for
people: no scripts, no external resources, every piece of document text
escaped).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from importlib.resources import files
from string import Template
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode

if TYPE_CHECKING:  # pragma: no cover
    from graph.check import Rule
    from graph.store import GraphStore

SEVERITIES = ("violation", "warning", "info")
_RANK = {"info": 1, "warning": 2, "violation": 3}
_SHAPES = "https://w3id.org/obligraph/shapes#"
_SH = "http://www.w3.org/ns/shacl#"
_PASSAGE = 240  # characters of passage shown either side of a quote, at most


@dataclass(frozen=True)
class Finding:
    """One thing a rule found, traced back to the text it concerns.

    Attributes:
        rule_id: The rule that found it (``OBL-001``).
        severity: ``violation``, ``warning`` or ``info``.
        message: What is wrong, in plain English.
        focus: IRI of the node the rule was checking.
        document: File name of the agreement it belongs to, if any.
        section: Title of the section it stands in, if any.
        quote: The commitment's or section's source sentence, from its evidence.
        start: Offset of the quote in the source text (code points).
        end: Offset just past the quote.
        line: 1-based line of ``start`` in the source text.
        value: The offending value (an IRI or a literal's text), if any.
        section_ordinal: Position of the section in its document, for sorting.
        component: The SHACL constraint component that reported it.
        value_term: ``value`` as an N-Triples term, so Turtle keeps its datatype.
    """

    rule_id: str
    severity: str
    message: str
    focus: str
    document: str | None = None
    section: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    line: int | None = None
    value: str | None = None
    section_ordinal: int | None = None
    component: str | None = None
    value_term: str | None = None


def _order(f: Finding) -> tuple:
    return (
        f.document is None,
        f.document or "",
        -1 if f.section_ordinal is None else f.section_ordinal,
        -1 if f.start is None else f.start,
        f.rule_id,
        f.focus,
        f.value or "",
    )


def _plural(n: int, word: str) -> str:
    if word == "info":
        return f"{n} info"
    return f"{n} {word}" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class Report:
    """The result of checking a graph.

    Attributes:
        findings: Sorted by document, section, position in the text, rule ID.
        rules: The rules checked (active and retired).
        engine: ``sparql`` or ``pyshacl``.
        texts: Each document's full source text by file name (for passages).
    """

    findings: tuple[Finding, ...] = ()
    rules: tuple[Rule, ...] = ()
    engine: str = ""
    texts: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "findings", tuple(sorted(self.findings, key=_order)))

    @property
    def conforms(self) -> bool:
        """True when no rule found anything (SHACL 3.6.1: no validation results)."""
        return not self.findings

    def counts(self) -> dict[str, int]:
        """Number of findings per severity."""
        return {s: sum(f.severity == s for f in self.findings) for s in SEVERITIES}

    def summary(self) -> str:
        """One line: the verdict and the counts."""
        active = sum(r.active for r in self.rules)
        if self.conforms:
            return f"No findings: the graph passes all {active} active rules."
        c = self.counts()
        parts = ", ".join(_plural(c[s], s) for s in SEVERITIES)
        return f"{parts} from {active} active rules."

    # --- renderers ---------------------------------------------------------
    def to_text(self) -> str:
        """Findings grouped by document and section, each with its quote and place."""
        out = ["obligraph check: " + self.summary()]
        for doc, sections in _grouped(self.findings):
            out += ["", doc]
            for section, items in sections:
                out.append(f"  {section}")
                for f in items:
                    out.append(f"    {f.rule_id} {f.severity}: {f.message}")
                    if f.quote:
                        out.append(f"      \"{_shorten(' '.join(f.quote.split()))}\"")
                    if f.line is not None:
                        out.append(f"      line {f.line}, characters {f.start}-{f.end}")
                    if f.value is not None and f.value != f.focus:
                        out.append(f"      value: {f.value}")
        return "\n".join(out) + "\n"

    def to_json(self) -> str:
        """The report as JSON: verdict, counts, rules and findings."""
        data = {
            "conforms": self.conforms,
            "engine": self.engine,
            "counts": self.counts(),
            "rules": [asdict(r) for r in self.rules],
            "findings": [asdict(f) for f in self.findings],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def to_turtle(self) -> str:
        """The report as a SHACL validation report (SHACL 3.6) in Turtle."""
        from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

        sh = Namespace(_SH)
        shapes = {r.rule_id: r.shape for r in self.rules}
        g = Graph()
        g.bind("sh", sh)
        g.bind("shapes", _SHAPES)
        root = BNode("report")
        g.add((root, RDF.type, sh.ValidationReport))
        g.add((root, sh.conforms, Literal(self.conforms)))
        for i, f in enumerate(self.findings):
            r = BNode(f"r{i}")
            g.add((root, sh.result, r))
            g.add((r, RDF.type, sh.ValidationResult))
            g.add((r, sh.focusNode, _node(f.focus)))
            g.add((r, sh.resultSeverity, sh[f.severity.capitalize()]))
            g.add((r, sh.sourceShape, URIRef(shapes.get(f.rule_id) or _SHAPES + f.rule_id)))
            g.add((r, sh.resultMessage, Literal(f.message)))
            if f.component:
                g.add((r, sh.sourceConstraintComponent, URIRef(f.component)))
            if f.value_term:
                term = Graph().parse(data=f"<urn:s> <urn:p> {f.value_term} .", format="nt").value(URIRef("urn:s"), URIRef("urn:p"))
                g.add((r, sh.value, term))
        return g.serialize(format="turtle")

    def to_html(self) -> str:
        """A self-contained page: counts, then findings next to their passages."""
        esc = _esc
        counts = self.counts()
        cells = "".join(
            f'<div class="count sev-{s}"><span class="n">{counts[s]}</span> {esc(_plural(counts[s], s).split(" ", 1)[1])}</div>'
            for s in SEVERITIES
        )
        body: list[str] = []
        for doc, sections in _grouped(self.findings):
            body.append(f'<section class="doc"><h2>{esc(doc)}</h2>')
            for section, items in sections:
                body.append(f"<h3>{esc(section)}</h3>")
                body.extend(self._html_finding(f) for f in items)
            body.append("</section>")
        if not self.findings:
            body.append('<p class="none">No findings.</p>')
        rules = "".join(
            f"<tr><td><code>{esc(r.rule_id)}</code></td><td>{esc(r.name)}</td>"
            f"<td>{esc(r.severity if r.active else 'retired')}</td><td>{esc(r.description)}</td></tr>"
            for r in self.rules
        )
        page = Template(files("graph").joinpath("templates", "report.html").read_text(encoding="utf-8"))
        return page.substitute(
            verdict=esc(self.summary()),
            verdict_class="pass" if self.conforms else "fail",
            counts=cells,
            body="\n".join(body),
            rules=rules,
            engine=esc(self.engine),
        )

    def _html_finding(self, f: Finding) -> str:
        esc = _esc
        parts = [
            f'<article class="finding sev-{esc(f.severity)}">',
            f'<p class="head"><span class="badge">{esc(f.severity)}</span> '
            f"<code>{esc(f.rule_id)}</code> {esc(f.message)}</p>",
        ]
        text = self.texts.get(f.document or "")
        if text and f.start is not None and f.end is not None and 0 <= f.start <= f.end <= len(text):
            a = max(text.rfind("\n", 0, f.start) + 1, f.start - _PASSAGE)
            b = text.find("\n", f.end)
            b = min(len(text) if b < 0 else b, f.end + _PASSAGE)
            parts.append(
                f'<blockquote class="passage">{esc(text[a:f.start])}<mark>{esc(text[f.start:f.end])}</mark>'
                f"{esc(text[f.end:b])}</blockquote>"
            )
            if f.quote is not None and f.quote != text[f.start:f.end]:
                parts.append(f'<p class="quoted">Quoted in the graph as: &ldquo;{esc(f.quote)}&rdquo;</p>')
        elif f.quote:
            parts.append(f'<blockquote class="passage"><mark>{esc(f.quote)}</mark></blockquote>')
        where = []
        if f.line is not None:
            where.append(f"line {f.line}, characters {f.start}&ndash;{f.end}")
        if f.value is not None and f.value != f.focus:
            where.append(f"value: {esc(f.value)}")
        where.append(f"node: {esc(f.focus)}")
        parts.append(f'<p class="where">{" &middot; ".join(where)}</p></article>')
        return "\n".join(parts)


def exit_code(report: Report, fail_on: str = "violation") -> int:
    """The exit status of ``obligraph check``.

    Args:
        report: The check's report.
        fail_on: ``violation``, ``warning`` or ``info``: the least severe
            finding that makes the check fail.

    Returns:
        1 if any finding is of that severity or worse, else 0.

    Raises:
        ValueError: for an unknown ``fail_on``.
    """
    if fail_on not in _RANK:
        raise ValueError(f"fail_on must be one of {', '.join(SEVERITIES)}, not {fail_on!r}")
    return int(any(_RANK[f.severity] >= _RANK[fail_on] for f in report.findings))


_OBL = "https://w3id.org/obligraph/ns#"
_DCT = "http://purl.org/dc/terms/"
_OA = "http://www.w3.org/ns/oa#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ANCHOR_CLASSES = """SELECT ?class WHERE {
    { ?class rdfs:subClassOf* obl:Commitment } UNION { ?class rdfs:subClassOf* obl:Section }
}"""


def locate(store: GraphStore, raw: Iterable[Finding]) -> tuple[list[Finding], dict[str, str]]:
    """Trace findings back to the text: document, section, quote, offsets, line.

    A finding about a commitment or section is placed by its own evidence; one
    about a deadline, condition, mention or evidence by the commitment holding
    it; any other node (a party found in a document) by the document graph it
    is stated in. Uses index look-ups per finding, so the cost grows with the
    number of findings, not the size of the graph.

    Args:
        store: The graph the findings are about.
        raw: Findings with rule, severity, message, focus and value only.

    Returns:
        The findings with their places, and each document's text by file name.
    """
    anchors = {NamedNode(row["class"]) for row in store.select(_ANCHOR_CLASSES) if row["class"]}
    anchors |= {NamedNode(_OBL + "Commitment"), NamedNode(_OBL + "Section")}
    places: dict[str, dict] = {}
    texts: dict[str, str] = {}
    seen: dict[tuple, list] = {}  # findings share sections and sources: ask a remote store once

    def objects(s, p: str) -> list:
        if (s, p) not in seen:
            seen[s, p] = sorted({q.object for q in store.quads_matching(s, NamedNode(p))}, key=str)
        return seen[s, p]

    def first(s, p: str):
        found = objects(s, p) if s is not None else []
        return found[0] if found else None

    def is_anchor(node) -> bool:
        return any(t in anchors for t in objects(node, _RDF + "type"))

    def anchor_of(node):
        if is_anchor(node):
            return node
        for link in ("deadline", "condition", "mention", "evidence"):
            for q in store.quads_matching(None, NamedNode(_OBL + link), node):
                if is_anchor(q.subject):
                    return q.subject
        return None

    def document_of(node):
        for graph in sorted({q.graph_name for q in store.quads_matching(node)}, key=str):
            for a in store.quads_matching(None, NamedNode(_RDF + "type"), NamedNode(_OBL + "Agreement"), graph):
                return first(a.subject, _OBL + "fileName")
        return None

    def place(focus: str) -> dict:
        node = NamedNode(focus) if not focus.startswith("_:") else None
        anchor = anchor_of(node) if node is not None else None
        if anchor is None:
            file = document_of(node) if node is not None else None
            return {"document": None if file is None else file.value}
        agreement = first(anchor, _OBL + "agreement") or first(anchor, _DCT + "isPartOf")
        file = first(agreement, _OBL + "fileName")
        section = first(anchor, _OBL + "section") or (anchor if first(anchor, _DCT + "title") else None)
        title, ordinal = first(section, _DCT + "title"), first(section, _OBL + "ordinal")
        out = {"document": file and file.value, "section": title and title.value,
               "section_ordinal": int(ordinal.value) if ordinal is not None else None}
        evidence = first(anchor, _OBL + "evidence")
        selectors = objects(evidence, _OA + "hasSelector") if evidence is not None else []
        start = next((first(s, _OA + "start") for s in selectors if first(s, _OA + "start") is not None), None)
        end = next((first(s, _OA + "end") for s in selectors if first(s, _OA + "end") is not None), None)
        exact = next((first(s, _OA + "exact") for s in selectors if first(s, _OA + "exact") is not None), None)
        source = first(evidence, _OA + "hasSource")
        text = first(source, _RDF + "value")
        if exact is not None:
            out["quote"] = exact.value
        if start is not None and end is not None:
            out["start"], out["end"] = int(start.value), int(end.value)
            if text is not None:
                out["line"] = text.value.count("\n", 0, out["start"]) + 1
        if file is not None and text is not None:
            texts[file.value] = text.value
        return out

    for f in raw:
        if f.focus not in places:
            places[f.focus] = place(f.focus)
    return [replace(f, **places[f.focus]) for f in raw], texts


def _grouped(findings: Iterable[Finding]) -> list[tuple[str, list[tuple[str, list[Finding]]]]]:
    """Findings (already sorted) grouped by document, then by section."""
    out: list[tuple[str, list[tuple[str, list[Finding]]]]] = []
    for f in findings:
        doc = f.document or "Party register and other findings not tied to one document"
        section = f.section or "(no section)"
        if not out or out[-1][0] != doc:
            out.append((doc, []))
        sections = out[-1][1]
        if not sections or sections[-1][0] != section:
            sections.append((section, []))
        sections[-1][1].append(f)
    return out


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _shorten(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _node(value: str):
    from rdflib import BNode, URIRef

    return BNode(value[2:]) if value.startswith("_:") else URIRef(value)
