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


# The commitment or section a focus node belongs to: itself, or the holder of
# a deadline, condition, mention or evidence. Then where that stands.
_SELF = """SELECT ?node WHERE {
    ?node rdf:type/rdfs:subClassOf* ?type .
    FILTER (?type IN (obl:Commitment, obl:Section))
} LIMIT 1"""
_HOLDER = """SELECT ?node ?anchor WHERE {
    ?anchor obl:deadline|obl:condition|obl:mention|obl:evidence ?node ;
            rdf:type/rdfs:subClassOf* ?type .
    FILTER (?type IN (obl:Commitment, obl:Section))
} LIMIT 1"""
_CONTEXT = """SELECT ?node ?file ?title ?ordinal ?source ?start ?end ?exact WHERE {
    OPTIONAL { ?node obl:agreement|dcterms:isPartOf ?agreement . ?agreement obl:fileName ?file }
    OPTIONAL { ?node obl:section ?inSection }
    BIND (IF(BOUND(?inSection), ?inSection,
             IF(EXISTS { ?node rdf:type/rdfs:subClassOf* obl:Section }, ?node, ?none)) AS ?section)
    OPTIONAL { ?section dcterms:title ?title }
    OPTIONAL { ?section obl:ordinal ?ordinal }
    OPTIONAL {
        ?node obl:evidence ?evidence .
        ?evidence oa:hasSource ?source ; oa:hasSelector ?position , ?quote .
        ?position oa:start ?start ; oa:end ?end .
        ?quote oa:exact ?exact .
    }
} LIMIT 1"""
_DOCUMENT = """SELECT ?node ?file WHERE {
    GRAPH ?g { ?node ?p ?o }
    GRAPH ?g { ?agreement a obl:Agreement ; obl:fileName ?file }
} LIMIT 1"""
_TEXT = "SELECT ?node ?text WHERE { ?node rdf:value ?text }"


def locate(store: GraphStore, raw: Iterable[Finding]) -> tuple[list[Finding], dict[str, str]]:
    """Trace findings back to the text: document, section, quote, offsets, line.

    Args:
        store: The graph the findings are about.
        raw: Findings with rule, severity, message, focus and value only.

    Returns:
        The findings with their places, and each document's text by file name.
    """
    places: dict[str, dict] = {}
    texts: dict[str, str] = {}
    sources: dict[str, str] = {}

    def one(query: str, node: str) -> dict:
        if node.startswith("_:"):
            return {}
        rows = store.select(query, {"node": NamedNode(node)})
        return rows[0] if rows else {}

    def place(focus: str) -> dict:
        if focus not in places:
            anchor = focus if one(_SELF, focus) else one(_HOLDER, focus).get("anchor")
            ctx = one(_CONTEXT, anchor) if anchor else one(_DOCUMENT, focus)
            source = ctx.get("source")
            if source and source not in sources:
                sources[source] = str(one(_TEXT, source).get("text") or "")
            text = sources.get(source, "")
            if ctx.get("file") and text:
                texts[ctx["file"]] = text
            start = ctx.get("start")
            places[focus] = {
                "document": ctx.get("file"),
                "section": ctx.get("title"),
                "section_ordinal": ctx.get("ordinal"),
                "quote": ctx.get("exact"),
                "start": start,
                "end": ctx.get("end"),
                "line": text.count("\n", 0, start) + 1 if text and isinstance(start, int) else None,
            }
        return places[focus]

    return [replace(f, **place(f.focus)) for f in raw], texts


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
