"""Check a commitment graph against the rule catalogue (SHACL shapes).

Two engines give the same findings. ``sparql`` compiles each shape into one
SPARQL SELECT over all its focus nodes and runs it on the Oxigraph store: it
covers the SHACL subset the catalogue uses (targets: class, subjects-of,
objects-of, node; paths of SHACL 2.3.1; min/max count, class, datatype,
hasValue, in; SPARQL-based constraints of SHACL 5). ``pyshacl`` runs full
SHACL through pySHACL on an rdflib copy of the graph; it is much slower
because it runs SPARQL constraints once per focus node. ``auto`` takes
``sparql`` whenever every active shape fits the subset.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, XSD

from graph.errors import ShapesError
from graph.report import Finding, Report, locate
from graph.store import GraphStore

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("https://w3id.org/obligraph/shapes#")
OBL = "https://w3id.org/obligraph/ns#"
ENGINES = ("auto", "sparql", "pyshacl")
_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_META = {SH.name, SH.description, SH.severity, SH.message, SH.deactivated, SH.order, SH.group}
_CORE = {SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.hasValue, SH["in"]}
_CASTS = {XSD[t] for t in ("string", "boolean", "integer", "decimal", "float", "double", "dateTime", "date", "time")}
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.I)


@dataclass(frozen=True)
class Rule:
    """One rule of the catalogue: a named shape.

    Attributes:
        rule_id: Stable ID (``OBL-001``): dcterms:identifier, else the IRI's fragment.
        name: Short title (sh:name or rdfs:label).
        severity: ``violation``, ``warning`` or ``info``.
        message: What a finding says (sh:message).
        description: What the rule checks and why (sh:description or rdfs:comment).
        active: False for retired rules (sh:deactivated true).
        shape: The shape's IRI.
    """

    rule_id: str
    name: str
    severity: str
    message: str
    description: str
    active: bool
    shape: str = ""


class Unsupported(Exception):
    """A shape uses SHACL the sparql engine does not compile."""


# --- loading ---------------------------------------------------------------
def load_shapes(extra_dirs: Sequence[Path] = ()) -> Graph:
    """The bundled rule catalogue plus the shapes in ``extra_dirs``.

    Args:
        extra_dirs: Folders of ``*.ttl`` shapes files (or single files) to add.

    Returns:
        One rdflib graph holding every shape.

    Raises:
        ShapesError: when a file is not valid Turtle (naming file and line),
            a folder holds no shapes, or the added shapes are not valid SHACL.
    """
    shapes = Graph()
    bundled = files("graph") / "data" / "shapes"
    for item in sorted(bundled.iterdir(), key=lambda t: t.name):
        if item.name.endswith(".ttl"):
            _parse(shapes, item.read_text(encoding="utf-8"), f"shapes/{item.name}")
    for folder in map(Path, extra_dirs):
        paths = [folder] if folder.is_file() else sorted(folder.glob("*.ttl"))
        if not paths:
            raise ShapesError("no shapes (*.ttl files) found here", str(folder))
        for path in paths:
            _parse(shapes, path.read_text(encoding="utf-8"), str(path))
    if extra_dirs:
        meta_validate(shapes)
    rules(shapes)  # fail early on unnamed rules, duplicate IDs, odd severities
    return shapes


def _parse(graph: Graph, text: str, name: str) -> None:
    try:
        part = Graph().parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises BadSyntax and several others
        line = getattr(exc, "lines", None)
        why = getattr(exc, "_why", None) or str(exc).splitlines()[0]
        where = f"line {line + 1}: " if isinstance(line, int) else ""
        raise ShapesError(f"{where}not valid Turtle: {why}", name) from exc
    graph += part
    for prefix, ns in part.namespaces():
        graph.bind(prefix, ns, override=False)


def meta_validate(shapes: Graph) -> None:
    """Check the shapes themselves against SHACL's shapes for shapes (SHACL Appendix C).

    Raises:
        ShapesError: when they are not valid SHACL, naming the first problem.
    """
    from pyshacl.entrypoints import meta_validate as shacl_shacl

    conforms, results, _ = shacl_shacl(shapes)
    if not conforms:
        result = next(iter(results.subjects(RDF.type, SH.ValidationResult)))
        node, why = results.value(result, SH.focusNode), results.value(result, SH.resultMessage)
        raise ShapesError(f"the shapes are not valid SHACL: {node}: {why}")


# --- the catalogue ----------------------------------------------------------
def _top_shapes(shapes: Graph) -> list:
    nested = {o for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape) for o in shapes.objects(None, p)}
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    for t in _TARGETS:
        found |= set(shapes.subjects(t, None))
    return sorted(s for s in found if s not in nested and (None, RDF.first, s) not in shapes)


def _text(shapes: Graph, node, *preds) -> str:
    for p in preds:
        values = list(shapes.objects(node, p))
        for v in sorted(values, key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v))):
            return str(v)
    return ""


def rules(shapes: Graph) -> list[Rule]:
    """The rules of a shapes graph, active and retired, sorted by ID.

    Raises:
        ShapesError: for a rule without an IRI, a duplicate rule ID or an unknown severity.
    """
    out: dict[str, Rule] = {}
    for shape in _top_shapes(shapes):
        if not isinstance(shape, URIRef):
            raise ShapesError("every rule must be a named shape (an IRI), not a blank node")
        rule_id = _text(shapes, shape, DCTERMS.identifier) or re.split(r"[#/]", str(shape))[-1]
        severity = shapes.value(shape, SH.severity) or SH.Violation
        if severity not in _SEVERITY:
            raise ShapesError(f"rule {rule_id}: severity must be sh:Violation, sh:Warning or sh:Info")
        if rule_id in out:
            raise ShapesError(f"two shapes have the rule ID {rule_id}: {out[rule_id].shape} and {shape}")
        out[rule_id] = Rule(
            rule_id=rule_id,
            name=_text(shapes, shape, SH.name, RDFS.label),
            severity=_SEVERITY[severity],
            message=_text(shapes, shape, SH.message),
            description=_text(shapes, shape, SH.description, RDFS.comment),
            active=not _deactivated(shapes, shape),
            shape=str(shape),
        )
    return sorted(out.values(), key=lambda r: r.rule_id)


def _deactivated(shapes: Graph, node) -> bool:
    return shapes.value(node, SH.deactivated) == Literal(True)


# --- compiling shapes to SPARQL --------------------------------------------
@dataclass(frozen=True)
class _Query:
    rule: Rule
    sparql: str
    severity: str
    message: str
    component: str
    node_shape: bool  # the value node is the focus node when ?value is unbound
    prefixes: tuple[tuple[str, str], ...] = ()


def compile_shapes(shapes: Graph) -> list[_Query]:
    """One SPARQL SELECT per constraint of every active rule.

    Raises:
        Unsupported: when a rule uses SHACL outside the compiled subset.
    """
    out: list[_Query] = []
    for rule in rules(shapes):
        if not rule.active:
            continue
        shape = URIRef(rule.shape)
        if (shape, RDF.type, RDFS.Class) in shapes:
            raise Unsupported(f"{rule.rule_id}: implicit class targets")
        focus = _focus(shapes, shape)
        parts = [shape] + [p for p in shapes.objects(shape, SH.property) if not _deactivated(shapes, p)]
        for part in parts:
            _check_keys(shapes, part, nested=part is not shape, rule=rule)
            severity = _SEVERITY.get(shapes.value(part, SH.severity) or SH.Violation, "violation")
            message = _text(shapes, part, SH.message) or rule.message
            for sparql, component, node_shape in _constraints(shapes, part, focus, rule):
                out.append(_Query(rule, sparql, severity, message, str(component), node_shape))
        for c in shapes.objects(shape, SH.sparql):
            if _deactivated(shapes, c):
                continue
            message = _text(shapes, shape, SH.message) or _text(shapes, c, SH.message) or rule.message
            sparql, prefixes = _sparql_constraint(shapes, c, focus, rule)
            out.append(_Query(rule, sparql, rule.severity, message, str(SH.SPARQLConstraintComponent), True, prefixes))
    return out


def _check_keys(shapes: Graph, node, nested: bool, rule: Rule) -> None:
    allowed = _META | _CORE | {SH.path} | ({SH.property, SH.sparql} | set(_TARGETS) if not nested else set())
    for p in set(shapes.predicates(node, None)):
        if str(p).startswith(str(SH)) and p not in allowed:
            raise Unsupported(f"{rule.rule_id}: {shapes.qname(p)}")


def _focus(shapes: Graph, shape) -> str:
    """A group pattern binding ?this to each focus node once (SHACL 2.1.3)."""
    branches = []
    for c in shapes.objects(shape, SH.targetClass):
        branches.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {c.n3()} .")
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        branches.append(f"?this {p.n3()} [] .")
    for p in shapes.objects(shape, SH.targetObjectsOf):
        branches.append(f"[] {p.n3()} ?this .")
    for n in shapes.objects(shape, SH.targetNode):
        branches.append(f"BIND ({n.n3()} AS ?this)")
    if not branches:
        branches = ["FILTER (false)"]
    union = " UNION ".join("{ " + b + " }" for b in branches)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def path_to_sparql(shapes: Graph, path) -> str:
    """A SHACL property path (SHACL 2.3.1) as a SPARQL property path."""
    if isinstance(path, URIRef):
        return path.n3()
    if (path, RDF.first, None) in shapes:
        return "(" + "/".join(path_to_sparql(shapes, p) for p in Collection(shapes, path)) + ")"
    for key, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                     (SH.zeroOrOnePath, "({})?")):
        inner = shapes.value(path, key)
        if inner is not None:
            return fmt.format(path_to_sparql(shapes, inner))
    alt = shapes.value(path, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(path_to_sparql(shapes, p) for p in Collection(shapes, alt)) + ")"
    raise Unsupported(f"path {path}")


def _constraints(shapes: Graph, node, focus: str, rule: Rule) -> Iterable[tuple[str, URIRef, bool]]:
    """SPARQL for each core constraint of one shape (SHACL 4)."""
    p = shapes.value(node, SH.path)
    path = path_to_sparql(shapes, p) if p is not None else None
    # Value nodes: the focus node itself for a node shape, else the path's values.
    values = f"?this {path} ?value ." if path else "BIND (?this AS ?value)"
    for n in shapes.objects(node, SH.minCount):
        if path is None:
            raise ShapesError(f"rule {rule.rule_id}: sh:minCount needs sh:path")
        if int(n) > 0:
            yield (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this "
                   f"HAVING (COUNT(DISTINCT ?value) < {int(n)})", SH.MinCountConstraintComponent, False)
    for n in shapes.objects(node, SH.maxCount):
        if path is None:
            raise ShapesError(f"rule {rule.rule_id}: sh:maxCount needs sh:path")
        yield (f"SELECT ?this WHERE {{ {focus} ?this {path} ?value }} GROUP BY ?this "
               f"HAVING (COUNT(DISTINCT ?value) > {int(n)})", SH.MaxCountConstraintComponent, False)
    for c in shapes.objects(node, SH["class"]):
        yield (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} FILTER NOT EXISTS "
               f"{{ ?value <{RDF.type}>/<{RDFS.subClassOf}>* {c.n3()} }} }}", SH.ClassConstraintComponent, True)
    for d in shapes.objects(node, SH.datatype):
        wellformed = f"COALESCE(isLiteral({d.n3()}(STR(?value))), false)" if d in _CASTS else "true"
        test = f"isLiteral(?value) && DATATYPE(?value) = {d.n3()} && {wellformed}"
        yield (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} FILTER (!({test})) }}",
               SH.DatatypeConstraintComponent, True)
    for v in shapes.objects(node, SH.hasValue):
        # MINUS, not FILTER NOT EXISTS: Oxigraph evaluates the latter per row, from scratch.
        test = f"MINUS {{ ?this {path} {v.n3()} }}" if path else f"FILTER (!sameTerm(?this, {v.n3()}))"
        yield f"SELECT ?this WHERE {{ {focus} {test} }}", SH.HasValueConstraintComponent, False
    for lst in shapes.objects(node, SH["in"]):
        members = " || ".join(f"sameTerm(?value, {m.n3()})" for m in Collection(shapes, lst)) or "false"
        yield (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} FILTER (!({members})) }}",
               SH.InConstraintComponent, True)


def _sparql_constraint(shapes: Graph, c, focus: str, rule: Rule) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A SPARQL-based constraint (SHACL 5.3) run once with $this as a variable.

    The focus nodes are joined in at the head of the query's top-level group,
    which equals SHACL's pre-binding (5.3.1.1) when $this is bound by that group.
    """
    select = shapes.value(c, SH.select)
    if select is None:
        raise Unsupported(f"{rule.rule_id}: sh:sparql without sh:select")
    query = str(select)
    head, brace, body = re.split(r"(\{)", query, maxsplit=1) if "{" in query else (query, "", "")
    if re.search(r"\$(shapesGraph|currentShape|PATH)\b", query) or not brace:
        raise Unsupported(f"{rule.rule_id}: pre-bound variables other than $this")
    if not re.search(r"[?$]this\b|\*", head.split("WHERE")[0].split("where")[0]):
        raise Unsupported(f"{rule.rule_id}: the SELECT does not project $this")
    if _AGGREGATE.search(query) and not re.search(r"GROUP\s+BY\s+[^{}]*[?$]this\b", query, re.I):
        raise Unsupported(f"{rule.rule_id}: aggregates not grouped by $this")
    prefixes: dict[str, str] = {}
    for decl_node in shapes.objects(c, SH.prefixes):
        for decl in shapes.objects(decl_node, SH.declare):
            prefixes[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
    compiled = f"{head}{{ {focus} {body}"
    try:
        ox.Store().query(compiled, prefixes=prefixes)
    except SyntaxError as exc:
        raise ShapesError(f"rule {rule.rule_id}: the SPARQL query is not valid: {exc}") from exc
    return compiled, tuple(sorted(prefixes.items()))


# --- running ---------------------------------------------------------------
def validate(store: GraphStore, shapes: Graph, engine: str = "auto") -> Report:
    """Check a graph against the shapes.

    Args:
        store: The graph (the union of its named graphs is checked).
        shapes: Shapes from ``load_shapes``.
        engine: ``sparql``, ``pyshacl`` or ``auto``.

    Returns:
        The report: one finding per rule, focus node and offending value.

    Raises:
        ShapesError: when ``engine`` is ``sparql`` and a rule uses SHACL it cannot compile.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    catalogue = rules(shapes)
    if engine in ("auto", "sparql"):
        try:
            queries = compile_shapes(shapes)
            engine = "sparql"
        except Unsupported as exc:
            if engine == "sparql":
                raise ShapesError(f"the sparql engine cannot run rule {exc}; use the pyshacl engine") from exc
            engine = "pyshacl"
    raw = _run_sparql(store, queries) if engine == "sparql" else _run_pyshacl(store, shapes, catalogue)
    findings, texts = locate(store, raw)
    return Report(tuple(findings), tuple(catalogue), engine, texts)


def _value(term) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _fill(message: str, row: dict[str, str]) -> str:
    return re.sub(r"\{[?$](\w+)\}", lambda m: row.get(m.group(1), m.group(0)), message)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: dict[tuple, Finding] = {}
    for f in findings:
        seen.setdefault((f.rule_id, f.focus, f.value), f)
    return list(seen.values())


def _run_sparql(store: GraphStore, queries: list[_Query]) -> list[Finding]:
    out = []
    for q in queries:
        solutions = store.select_raw(q.sparql, prefixes=dict(q.prefixes))
        names = [v.value for v in solutions.variables]
        for sol in solutions:
            terms = {n: sol[n] for n in names if sol[n] is not None}
            focus = terms.get("this")
            if focus is None:
                continue
            value = terms.get("value", focus if q.node_shape else None)
            row = {n: _value(t) for n, t in terms.items()}
            out.append(Finding(
                rule_id=q.rule.rule_id, severity=q.severity, message=_fill(q.message, row), focus=_value(focus),
                value=None if value is None else _value(value), component=q.component,
                value_term=None if value is None else str(value),
            ))
    return _dedupe(out)


def _run_pyshacl(store: GraphStore, shapes: Graph, catalogue: list[Rule]) -> list[Finding]:
    """Full SHACL through pySHACL on the union of the named graphs."""
    import pyshacl

    data = _PreparedQueryGraph()
    quiet = logging.getLogger("rdflib.term")  # ill-typed literals are findings, not log noise
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        for q in store.quads():
            data.add(tuple(_to_rdflib(t) for t in (q.subject, q.predicate, q.object)))
    finally:
        quiet.setLevel(level)
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", inplace=True)
    by_shape = {URIRef(r.shape): r for r in catalogue}
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(r, SH.sourceShape)
        while shape not in by_shape:
            parent = shapes.value(predicate=SH.property, object=shape)
            if parent is None:
                raise ShapesError(f"pySHACL reported a result of an unknown shape {shape}")
            shape = parent
        value = results.value(r, SH.value)
        focus = results.value(r, SH.focusNode)
        out.append(Finding(
            rule_id=by_shape[shape].rule_id,
            severity=_SEVERITY[results.value(r, SH.resultSeverity)],
            message=str(results.value(r, SH.resultMessage) or by_shape[shape].message),
            focus=str(focus) if not isinstance(focus, BNode) else "_:" + str(focus),
            value=None if value is None else str(value),
            component=str(results.value(r, SH.sourceConstraintComponent)),
            value_term=None if value is None else str(_to_ox(value)),
        ))
    return _dedupe(out)


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once.

    pySHACL runs a SPARQL constraint once per focus node with the same text,
    and rdflib parsing that text each time costs most of pySHACL's run time.
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepare(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=256)
def _prepare(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def _to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))


def _to_ox(term):
    if not isinstance(term, Literal):
        return ox.BlankNode(str(term)) if isinstance(term, BNode) else ox.NamedNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
