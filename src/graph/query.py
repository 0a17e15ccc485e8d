"""Read-only SPARQL over the graph: named questions, safe parameters, bounded runs.

Three layers, each usable alone:

- Named queries: one ``queries/named/<name>.rq`` file each, whose header of
  comment lines gives a title, a plain-English description and the declared
  parameters (``# param: party (party) — the party whose ...``).
  :func:`named_queries` lists them, :func:`load_named_query` reads one.
- Parameters: :func:`bind_parameters` turns what a person typed into RDF terms
  (a party name or alias into the party's IRI, a phrase into a literal) that
  pyoxigraph substitutes for the query's variables (RDF-dev SEP-0007). A value is
  never pasted into query text, so no value can change what a query does.
- Running: :func:`execute` runs one read-only query with a time limit and a
  row limit and returns :class:`Results`.

Time limits. pyoxigraph cannot cancel a running query, so :func:`execute` runs
it where it can be abandoned:

- A store on disk: in a worker process (``python -c`` running :func:`_worker`)
  that opens the live database read-only by path, runs the query and writes the
  row-limited results to its stdout. When the time is up the worker is killed;
  it only read, so nothing is left half-written. A fresh interpreter, rather
  than ``multiprocessing``, means the caller's ``__main__`` is never re-imported
  and no threads are forked, so this works the same from the CLI, the server,
  a notebook or a script; this module imports only pyoxigraph at the top so the
  worker starts in a fraction of a second.
- A store in memory cannot be shared with another process, so the query runs in
  a daemon thread (pyoxigraph releases the GIL while it evaluates). When the
  time is up the caller gets the error at once and the thread is told to stop:
  it does so at the next solution. A query that computes everything before its
  first solution (``ORDER BY``, ``GROUP BY``) runs on in the background until it
  finishes, and its result is dropped; serve memory stores to no one.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import json
import os
import pickle
import re
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.errors import ObligraphError, QueryError

if TYPE_CHECKING:
    from graph.store import GraphStore

# graph.store and graph.namespace (which load rdflib) are imported inside the
# functions that need them: this module is also the query worker's entry point.

DEFAULT_TIMEOUT = 30.0
DEFAULT_LIMIT = 10_000
PARAM_TYPES = ("party", "text", "modality", "theme")


class UpdateRefused(QueryError):
    """A SPARQL Update (or a federated query) was given where only reads are allowed."""


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""


# --- reading query text --------------------------------------------------------
# Comments, string literals and IRIs, in the order SPARQL's grammar reads them
# (SPARQL 1.1 Query, section 19.8, productions STRING_LITERAL*, IRIREF), so a
# keyword inside any of them is never taken for a keyword.
_NOT_CODE = re.compile(
    r"""\#[^\n]*
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\n]|\\.)*"
      | '(?:[^'\\\n]|\\.)*'
      | <[^<>"{}|^`\\\s]*>""",
    re.S | re.X,
)
# The prologue (PREFIX and BASE declarations, section 19.8 [4]-[6]) and the
# first keyword after it, which names the query form or update operation.
_FIRST_KEYWORD = re.compile(r"\s*(?:(?:PREFIX\s*[\w.-]*:|BASE)\s*)*([A-Za-z]+)", re.I)
# SPARQL 1.1 Update, section 3: every operation starts with one of these.
_UPDATE_WORDS = frozenset("INSERT DELETE WITH LOAD CLEAR DROP CREATE ADD MOVE COPY".split())
_SERVICE = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:.-])", re.I)


def _code(text: str) -> str:
    """The query text with comments, strings and IRIs blanked out."""
    return _NOT_CODE.sub(" ", text)


def is_update(text: str) -> bool:
    """True when the text is a SPARQL Update rather than a query.

    The first keyword after the prologue decides (SPARQL 1.1 Update, section 3),
    so ``PREFIX`` lines, comments and words inside strings or IRIs do not count.
    """
    return query_form(text) in _UPDATE_WORDS


def query_form(text: str) -> str | None:
    """The query's form or update's first operation, upper-cased (``SELECT``, ``CONSTRUCT`` ...)."""
    m = _FIRST_KEYWORD.match(_code(text))
    return m.group(1).upper() if m else None


def uses_service(text: str) -> bool:
    """True when the query calls another endpoint (``SERVICE``, SPARQL 1.1 Federated Query)."""
    return bool(_SERVICE.search(_code(text)))


# --- named queries -------------------------------------------------------------
@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a named query.

    Attributes:
        name: The parameter's name, also the query variable it binds (``?party``).
        type: ``party`` (bound as the party's IRI), ``text`` (a literal),
            ``modality`` (the modality concept's IRI) or ``theme`` (a literal
            matched against section themes and theme concepts).
        description: What it means, in plain English.
    """

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A question the graph answers, read from ``queries/named/<name>.rq``.

    Attributes:
        name: The file name without ``.rq``.
        title: A one-line title.
        description: What it answers, in plain English.
        parameters: The declared parameters, in file order.
        text: The whole file, header included (comments are valid SPARQL).
    """

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str


_HEADER_FIELD = re.compile(r"#\s?(title|description|param):\s*(.*)$")
_PARAM = re.compile(
    rf"(?P<name>[a-z][a-z0-9_]*)\s*\((?P<type>{'|'.join(PARAM_TYPES)})\)\s*(?:—|–|--?)\s*(?P<description>.+)$"
)


def parse_named_query(name: str, text: str) -> NamedQuery:
    """A named query from its file text: the header's fields and the query.

    The header is the run of comment lines at the top: ``# title: ...``,
    ``# description: ...`` and ``# param: NAME (TYPE) — DESCRIPTION``; a comment
    line indented further continues the field above it.

    Raises:
        QueryError: when the header lacks a title or description, or declares a
            parameter badly or one the query does not use.
    """
    fields: dict[str, str] = {}
    params: list[str] = []
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER_FIELD.match(line)
        if m:
            key, value = m.groups()
            if key == "param":
                params.append(value.strip())
            else:
                fields[key] = value.strip()
            last = key
        elif last and line[1:].strip():
            if last == "param":
                params[-1] += " " + line[1:].strip()
            else:
                fields[last] += " " + line[1:].strip()
    if not fields.get("title") or not fields.get("description"):
        raise QueryError(f"named query '{name}' needs '# title:' and '# description:' header lines")
    declared = []
    for p in params:
        m = _PARAM.match(p)
        if not m:
            raise QueryError(
                f"named query '{name}': cannot read '# param: {p}' (want NAME (TYPE) — DESCRIPTION, "
                f"TYPE one of {', '.join(PARAM_TYPES)})"
            )
        if not re.search(rf"[?$]{m['name']}\b", _code(text)):
            raise QueryError(f"named query '{name}' declares ?{m['name']} but does not use it")
        declared.append(Parameter(m["name"], m["type"], m["description"].strip()))
    return NamedQuery(name, fields["title"], fields["description"], tuple(declared), text)


def _named_folder():
    return files("graph") / "queries" / "named"


def named_queries() -> list[NamedQuery]:
    """Every bundled named query, sorted by name."""
    found = [f for f in _named_folder().iterdir() if f.name.endswith(".rq")]
    return [parse_named_query(f.name[:-3], f.read_text(encoding="utf-8")) for f in sorted(found, key=lambda f: f.name)]


def named_query_names() -> list[str]:
    """The names of the bundled named queries, sorted."""
    return sorted(f.name[:-3] for f in _named_folder().iterdir() if f.name.endswith(".rq"))


def load_named_query(name: str) -> NamedQuery:
    """The bundled named query called ``name``.

    Raises:
        QueryError: when there is none, naming the closest ones.
    """
    names = named_query_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; 'obligraph queries' lists them"
        raise QueryError(f"no named query '{_shown(name)}'{hint}")
    return parse_named_query(name, (_named_folder() / f"{name}.rq").read_text(encoding="utf-8"))


def looks_like_name(text: str) -> bool:
    """True when a query argument is a name (``owes``) rather than SPARQL text."""
    return bool(re.fullmatch(r"[A-Za-z][\w-]*", text.strip()))


# --- parameters ------------------------------------------------------------------
def _shown(value: str, width: int = 60) -> str:
    """A value as an error message may show it: on one line, cut to ``width``."""
    flat = " ".join(value.split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


_GRAPH_PARTIES = """
SELECT ?party ?name ?preferred ?discovered WHERE {
  VALUES ?class { obl:Party obl:PartyGroup obl:GovernanceBody obl:Post }
  ?party a ?class .
  { ?party skos:prefLabel ?name . BIND(true AS ?preferred) }
  UNION { ?party skos:altLabel ?name . BIND(false AS ?preferred) }
  OPTIONAL { ?party obl:discovered ?d }
  BIND(COALESCE(?d, false) AS ?discovered)
}
"""


def _graph_register(store: GraphStore):
    """The parties the graph itself names (register and discovered), as a register.

    Returns:
        The register, and each party key's IRI.
    """
    from graph.model import Party
    from graph.parties import PartyRegister

    labels: dict[str, str] = {}
    aliases: dict[str, list[str]] = {}
    discovered: dict[str, bool] = {}
    for row in store.select(_GRAPH_PARTIES):
        iri, name = row["party"], str(row["name"])
        if row["preferred"] and iri not in labels:
            labels[iri] = name
        elif not row["preferred"]:
            aliases.setdefault(iri, []).append(name)
        discovered[iri] = discovered.get(iri, False) or bool(row["discovered"])
    iris = {iri.rstrip("/").rsplit("/", 1)[-1]: iri for iri in labels}  # id:party/<key>
    parties = {
        key: Party(key=key, label=labels[iri], aliases=tuple(dict.fromkeys(aliases.get(iri, ()))),
                   discovered=discovered[iri])
        for key, iri in iris.items()
    }
    return PartyRegister(parties), iris


@functools.cache
def _bundled_register():
    from graph.parties import PartyRegister

    return PartyRegister.load()


def resolve_party(store: GraphStore, name: str) -> ox.NamedNode:
    """The IRI of the party a name or alias refers to.

    Names resolve as the extractor resolves them (:meth:`PartyRegister.resolve`:
    case, a leading "the", possessives and plurals do not matter), first against
    the parties the graph names (the register it was built with and the parties
    its documents define), then against the bundled register.

    Raises:
        QueryError: when no party, or more than one, goes by that name; the
            message lists the closest names.
    """
    register, iris = _graph_register(store)
    party = register.resolve(name)
    if party is not None:
        return ox.NamedNode(iris[party.key])
    bundled = _bundled_register().resolve(name)
    if bundled is not None and bundled.key in iris:
        return ox.NamedNode(iris[bundled.key])
    names = sorted({n for p in register for n in (p.label, *p.aliases)})
    same = sorted({p.label for p in register for n in (p.label, *p.aliases) if n.lower() == name.strip().lower()})
    if len(same) > 1:
        raise QueryError(f"'{_shown(name)}' names several parties ({'; '.join(same)}); give the full name")
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.6)
    wanted = name.strip().lower()
    close += [n for n in names if wanted and wanted in n.lower() and n not in close][: 5 - len(close)]
    hint = f"; close matches: {', '.join(close)}" if close else "; 'obligraph query parties' lists them"
    raise QueryError(f"no such party: '{_shown(name)}'{hint}")


def _modality(value: str) -> ox.NamedNode:
    from graph.namespace import MODALITIES, MODALITY

    word = value.strip().lower()
    if word not in MODALITIES:
        close = difflib.get_close_matches(word, MODALITIES, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise QueryError(f"no such modality: '{_shown(value)}'; {hint}choose one of {', '.join(MODALITIES)}")
    return ox.NamedNode(str(MODALITY[word]))


_THEMES = """
SELECT DISTINCT ?theme WHERE {
  { ?c obl:theme ?theme }
  UNION { ?c obl:themeConcept/(skos:prefLabel|skos:altLabel|skos:hiddenLabel) ?label . BIND(STR(?label) AS ?theme) }
}
"""


def _theme(store: GraphStore, value: str) -> ox.Literal:
    themes = [str(r["theme"]) for r in store.select(_THEMES)]
    wanted = value.strip().lower()
    if not wanted or not any(wanted in t.lower() for t in themes):
        close = difflib.get_close_matches(value, themes, n=3, cutoff=0.5)
        listed = close or sorted(set(themes), key=str.lower)[:8]
        raise QueryError(f"no commitment has the theme '{_shown(value)}'; themes include: {'; '.join(listed)}")
    return ox.Literal(value.strip())


def bind_parameters(
    store: GraphStore, values: Mapping[str, str], types: Mapping[str, str]
) -> dict[str, ox.NamedNode | ox.Literal]:
    """Typed RDF terms for parameter values, to be substituted for query variables.

    Args:
        store: The graph, to resolve party names and check themes against.
        values: Parameter name -> the value as typed.
        types: Parameter name -> ``party``, ``text``, ``modality`` or ``theme``.

    Returns:
        Variable name -> term: a party's ``NamedNode``, a modality concept's
        ``NamedNode``, or a plain ``Literal``.

    Raises:
        QueryError: for an unknown party, modality or theme.
    """
    out: dict[str, ox.NamedNode | ox.Literal] = {}
    for name, value in values.items():
        kind = types.get(name, "text")
        if kind == "party":
            out[name] = resolve_party(store, value)
        elif kind == "modality":
            out[name] = _modality(value)
        elif kind == "theme":
            out[name] = _theme(store, value)
        else:
            out[name] = ox.Literal(value)
    return out


# --- running -----------------------------------------------------------------------
@dataclass(frozen=True)
class Results:
    """What a query gave back, at most ``limit`` rows of it.

    Attributes:
        kind: ``solutions`` (SELECT), ``boolean`` (ASK) or ``triples`` (CONSTRUCT, DESCRIBE).
        variables: The SELECT variables, in order.
        rows: Tuples of terms (``None`` where unbound), one per solution, in the
            order of ``variables``; or ``ox.Triple`` for graph results.
        boolean: The answer of an ASK.
        truncated: True when the query had more rows than were kept.
        hidden: Variables left out of :meth:`table` (a named query's parameters).
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple = ()
    boolean: bool | None = None
    truncated: bool = False
    hidden: frozenset[str] = field(default_factory=frozenset)

    def table(self) -> tuple[list[str], list[dict]]:
        """Column names and rows of plain Python values, for :func:`format_results`.

        ASK gives one column ``result``; CONSTRUCT/DESCRIBE give ``subject``,
        ``predicate``, ``object``.
        """
        from graph.store import term_value

        if self.kind == "boolean":
            return ["result"], [{"result": bool(self.boolean)}]
        if self.kind == "triples":
            names = ["subject", "predicate", "object"]
            return names, [{"subject": term_value(t.subject), "predicate": term_value(t.predicate),
                            "object": term_value(t.object)} for t in self.rows]
        keep = [i for i, v in enumerate(self.variables) if v not in self.hidden]
        names = [self.variables[i] for i in keep]
        return names, [{self.variables[i]: term_value(row[i]) for i in keep} for row in self.rows]


@dataclass(frozen=True)
class _Request:
    """One query as the evaluator needs it; picklable, for the worker process."""

    text: str
    prefixes: dict[str, str]
    bindings: dict[str, ox.NamedNode | ox.Literal]
    limit: int | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] | None = None


def _evaluate(store: ox.Store, request: _Request, cancel: threading.Event | None = None) -> Results:
    """Run the query on an Oxigraph store and keep at most ``request.limit`` rows."""
    try:
        if request.default_graphs or request.named_graphs is not None:
            # A dataset given with the request (SPARQL 1.1 Protocol, section 2.1.4).
            dataset = {"default_graph": [ox.NamedNode(g) for g in request.default_graphs],
                       "named_graphs": [ox.NamedNode(g) for g in request.named_graphs or ()]}
        else:
            dataset = {"use_default_graph_as_union": True}
        result = store.query(
            request.text, prefixes=request.prefixes,
            substitutions={ox.Variable(k): v for k, v in request.bindings.items()} or None, **dataset,
        )
        return _collect(result, request, cancel)
    except SyntaxError as exc:
        raise QueryError(f"the SPARQL query is not valid: {exc}") from exc
    except (RuntimeError, ValueError, OSError) as exc:
        m = re.search(r"variable \?(\w+) in its SELECT projection", str(exc))
        if m:
            raise QueryError(
                f"the value given for ?{m.group(1)} cannot be bound: the query must SELECT ?{m.group(1)}"
            ) from exc
        raise QueryError(f"the query failed: {_shown(str(exc), 200)}") from exc


def _collect(result, request: _Request, cancel: threading.Event | None = None) -> Results:
    """Solutions, a boolean or triples as ``Results``, keeping at most ``request.limit`` rows."""
    if isinstance(result, ox.QueryBoolean):
        return Results("boolean", boolean=bool(result))
    rows = []
    kind = "solutions" if isinstance(result, ox.QuerySolutions) else "triples"
    variables = tuple(v.value for v in result.variables) if kind == "solutions" else ()
    for item in result:
        if cancel is not None and cancel.is_set():
            break
        if request.limit is not None and len(rows) >= request.limit:
            return Results(kind, variables, tuple(rows), truncated=True)
        rows.append(tuple(item[v] for v in variables) if kind == "solutions" else item)
    return Results(kind, variables, tuple(rows))


def _worker() -> None:
    """The worker process: read ``(database, _Request)`` on stdin, answer on stdout.

    The answer is the pickled ``("ok", Results)`` or ``("error", message)``.
    """
    database, request = pickle.load(sys.stdin.buffer)
    try:
        reply = ("ok", _evaluate(ox.Store.read_only(database), request))
    except ObligraphError as exc:
        reply = ("error", str(exc))
    except Exception as exc:  # anything else still reaches the parent as one line
        reply = ("error", f"the query failed: {_shown(str(exc), 200)}")
    sys.stdout.buffer.write(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


def _timed_out(timeout: float) -> QueryTimeout:
    return QueryTimeout(
        f"the query ran longer than {timeout:g} s and was stopped; narrow it (a LIMIT, fewer joins) or allow more time"
    )


def _in_process(database: str, request: _Request, timeout: float) -> Results:
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parent.parent)  # so the worker imports this very package
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    worker = subprocess.Popen(
        [sys.executable, "-c", "from graph.query import _worker; _worker()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    try:
        out, err = worker.communicate(pickle.dumps((database, request)), timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.communicate()
        raise _timed_out(timeout) from None
    finally:
        if worker.poll() is None:  # interrupted (Ctrl-C): never leave a worker behind
            worker.kill()
            worker.wait()
    try:
        status, payload = pickle.loads(out)
    except Exception:
        last = (err.decode("utf-8", "replace").strip().splitlines() or [f"exit code {worker.returncode}"])[-1]
        raise QueryError(f"the query worker stopped unexpectedly: {_shown(last, 200)}") from None
    if status == "error":
        raise QueryError(payload)
    return payload


def _in_thread(store: ox.Store, request: _Request, timeout: float) -> Results:
    cancel = threading.Event()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["results"] = _evaluate(store, request, cancel)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=work, name="obligraph-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        cancel.set()
        raise _timed_out(timeout)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["results"]  # type: ignore[return-value]


def execute(
    store: GraphStore,
    text: str,
    bindings: Mapping[str, object] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int | None = DEFAULT_LIMIT,
    allow_service: bool = False,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] | None = None,
) -> Results:
    """Run one read-only query, by default over the union of the graph's named graphs.

    Args:
        store: The graph.
        text: SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE; the prefixes of
            ``namespace.PREFIXES`` are predeclared.
        bindings: Variable name -> value, substituted as RDF terms (SEP-0007),
            never pasted into the text; each must be a SELECT variable.
        timeout: Seconds before the query is stopped; None runs it here with no limit.
        limit: Most rows kept; ``Results.truncated`` says when there were more.
        allow_service: Let ``SERVICE`` call other endpoints (never for a server).
        default_graphs: Graph IRIs that make up the default graph instead of the union.
        named_graphs: Graph IRIs ``GRAPH`` may read (all when None).

    Raises:
        UpdateRefused: for a SPARQL Update, or ``SERVICE`` unless allowed.
        QueryTimeout: when the time runs out.
        QueryError: for a malformed query or one that fails.
    """
    from graph.namespace import PREFIXES
    from graph.store import StoreFolder, to_term

    if is_update(text):
        raise UpdateRefused(
            "updates are refused: obligraph query is read-only (use 'obligraph build' to change the graph)"
        )
    if not allow_service and uses_service(text):
        raise UpdateRefused("federated queries (SERVICE) are refused: only this graph is read")
    request = _Request(
        text, dict(PREFIXES), {k: to_term(v) for k, v in (bindings or {}).items()}, limit,
        tuple(default_graphs), None if named_graphs is None else tuple(named_graphs),
    )
    if getattr(store, "query_url", None):  # a RemoteStore: the server runs it, within our timeout
        result = store.query(text, request.bindings, default_graphs=request.default_graphs,
                             named_graphs=request.named_graphs, timeout=timeout)
        return _collect(result, request)
    if timeout is None:
        return _evaluate(store.oxigraph(), request)
    database = StoreFolder(store.location).current if store.location is not None else None
    if database is not None:
        return _in_process(str(database), request, timeout)
    return _in_thread(store.oxigraph(), request, timeout)


def run_named(
    store: GraphStore,
    name: str,
    values: Mapping[str, str],
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int | None = DEFAULT_LIMIT,
) -> Results:
    """Answer a named query with the given parameter values.

    Args:
        store: The graph.
        name: The named query (``owes``, ``timeline`` ...).
        values: Parameter name -> value as typed (a party by any name or alias).

    Returns:
        The results, with the parameter variables hidden from :meth:`Results.table`.

    Raises:
        QueryError: for an unknown query, a missing or unknown parameter, or a
            value that names no party, modality or theme.
    """
    named = load_named_query(name)
    declared = {p.name: p.type for p in named.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        takes = ", ".join(f"--{p}" for p in declared) or "no parameters"
        raise QueryError(f"'{name}' takes {takes}, not {', '.join('--' + u for u in unknown)}")
    missing = [p for p in named.parameters if p.name not in values]
    if missing:
        raise QueryError(f"'{name}' needs --{missing[0].name}: {missing[0].description}")
    bindings = bind_parameters(store, values, declared)
    results = execute(store, named.text, bindings, timeout=timeout, limit=limit)
    return replace(results, hidden=frozenset(declared))


def run_query(
    store: GraphStore, text: str, bindings: dict | None = None, *,
    timeout: float | None = None, limit: int | None = None,
) -> tuple[list[str], list[dict]]:
    """Run one read-only query and return it as a table.

    Returns:
        Column names and rows of plain values; ASK gives one column ``result``;
        CONSTRUCT/DESCRIBE give ``subject``, ``predicate``, ``object``.

    Raises:
        QueryError: for updates and malformed queries.
    """
    return execute(store, text, bindings, timeout=timeout, limit=limit, allow_service=True).table()


# --- results as text ---------------------------------------------------------------
def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return re.sub(r"\s+", " ", str(v))


def format_results(names: list[str], rows: list[dict], fmt: str) -> str:
    """Results as ``table``, ``csv``, ``json`` or ``markdown`` text."""
    if fmt == "json":
        return json.dumps({"columns": names, "rows": rows}, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        for r in rows:
            w.writerow([_cell(r.get(n)) for n in names])
        return buf.getvalue()
    cells = [[_cell(r.get(n)) for n in names] for r in rows]
    if fmt == "markdown":
        esc = lambda s: s.replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(names) + " |", "|" + "|".join("---" for _ in names) + "|"]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    widths = [min(60, max([len(n)] + [len(c[i]) for c in cells])) for i, n in enumerate(names)]
    fit = lambda s, w: s if len(s) <= w else s[: w - 1] + "\u2026"  # noqa: E731
    out = ["  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    out += ["  ".join(fit(c, w).ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
