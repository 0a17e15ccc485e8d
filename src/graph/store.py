"""Where the graph lives: an embedded Oxigraph store on disk, or one in memory.

The on-disk layout makes every write all-or-nothing. A store folder holds
``CURRENT`` (the name of the live database folder) and the database folders
themselves. A write copies the live database (Oxigraph's backup hard-links
its files, so this is cheap), changes the copy, flushes it, and only then
points ``CURRENT`` at it with an atomic rename. A build killed at any moment
leaves ``CURRENT`` naming the previous, intact database. A lock file refuses a
second writer instead of interleaving two builds.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from graph.errors import QueryError, StoreError
from graph.namespace import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_FLOATS = {XSD + t for t in ("decimal", "double", "float")}

DEFAULT_STORE = ".obligraph"
MEMORY = "memory"


def term_value(term: object) -> object:
    """A SPARQL result term as a plain Python value (IRIs and strings as str)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTS:
                return int(term.value)
            if dt in _FLOATS:
                return float(term.value)
            if dt == XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    return str(term)


def to_term(value: object) -> ox.NamedNode | ox.Literal:
    """A Python value as an RDF term for binding a query parameter.

    Strings become plain literals; pass ``ox.NamedNode`` for IRIs.
    """
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(str(value))


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads in one fixed order, so serialisations are byte-identical."""
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


class GraphStore:
    """A quad store: one named graph per document plus register, ontology, run.

    Args:
        store: The Oxigraph store.
        location: The store folder, or None in memory.
        database: The database folder inside it that ``store`` reads, if read-only.
    """

    def __init__(self, store: ox.Store, location: Path | None = None, database: Path | None = None):
        self._store = store
        self.location = location
        self.database = database  # the database folder opened read-only, when read from a store folder
        # Documents' layouts (graph.layout) when built in memory by this process: doc id -> (sha256, layout).
        self.layouts: dict[str, tuple[str, str]] = {}

    # --- reading -----------------------------------------------------------
    def _run(self, query: str, bindings: Mapping[str, object] | None = None,
             prefixes: Mapping[str, str] | None = None):
        subs = {ox.Variable(k): to_term(v) for k, v in (bindings or {}).items()}
        try:
            return self._store.query(
                query, prefixes={**PREFIXES, **(prefixes or {})}, use_default_graph_as_union=True,
                substitutions=subs or None,
            )
        except SyntaxError as exc:
            raise QueryError(f"the SPARQL query is not valid: {exc}") from exc

    def select(self, query: str, bindings: Mapping[str, object] | None = None) -> list[dict[str, object]]:
        """Run a SELECT query over the union of all graphs.

        Args:
            query: SPARQL 1.1 SELECT; the prefixes of ``namespace.PREFIXES`` are predeclared.
            bindings: Values for variables, bound as RDF terms, never pasted into text.

        Returns:
            One dict per solution, variable name -> plain Python value (None if unbound).
        """
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: term_value(sol[n]) for n in names} for sol in result]

    def select_raw(
        self, query: str, bindings: Mapping[str, object] | None = None, prefixes: Mapping[str, str] | None = None
    ) -> ox.QuerySolutions:
        """Run a SELECT and return Oxigraph's solutions (terms, not values).

        Args:
            prefixes: Prefixes declared on top of ``namespace.PREFIXES``.
        """
        return self._run(query, bindings, prefixes)

    def quads_matching(self, subject=None, predicate=None, obj=None, graph=None) -> list[ox.Quad]:
        """The quads of the named graphs that match a pattern (None matches anything).

        An index look-up here; one bound query on a remote store.
        """
        return [q for q in self._store.quads_for_pattern(subject, predicate, obj, graph)
                if isinstance(q.graph_name, ox.NamedNode)]

    def query(self, query: str, bindings: Mapping[str, object] | None = None):
        """Run any read query: solutions, a boolean, or triples."""
        return self._run(query, bindings)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad, or those of one named graph."""
        g = ox.NamedNode(graph) if graph else None
        return self._store.quads_for_pattern(None, None, None, g)

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._store)

    def dump(self, fmt: ox.RdfFormat, graph: str | None = None) -> bytes:
        """Serialise the whole dataset (or one graph) in a fixed order."""
        quads = sorted_quads(self.quads(graph))
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML):
            items = [q.triple for q in quads]
            return ox.serialize(items, format=fmt, prefixes=PREFIXES) if fmt is ox.RdfFormat.TURTLE else ox.serialize(items, format=fmt)
        if fmt is ox.RdfFormat.TRIG:
            return ox.serialize(quads, format=fmt, prefixes=PREFIXES)
        return ox.serialize(quads, format=fmt)

    def oxigraph(self) -> ox.Store:
        """The underlying Oxigraph store, for engines that query it directly."""
        return self._store

    # --- writing -----------------------------------------------------------
    def apply(self, put: Mapping[str, Iterable[ox.Quad]], remove: Iterable[str] = ()) -> None:
        """Replace named graphs in place (memory stores; disk stores use ``write``)."""
        for g in (*remove, *put):
            node = ox.NamedNode(g)
            if self._store.contains_named_graph(node):
                self._store.remove_graph(node)
        # One bulk load for every graph: each call writes its own set of files, and a
        # store of 1,000 documents loaded one graph at a time held 4,000 of them, which
        # made every later query two to three times slower.
        self._store.bulk_extend(itertools.chain.from_iterable(put.values()))


def memory_store() -> GraphStore:
    """A throwaway store kept in memory."""
    return GraphStore(ox.Store())


class StoreFolder:
    """The on-disk store folder (``.obligraph/`` by default)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)

    @property
    def current(self) -> Path | None:
        """The live database folder, or None when nothing was built yet."""
        pointer = self.path / "CURRENT"
        if not pointer.is_file():
            return None
        db = self.path / pointer.read_text(encoding="utf-8").strip()
        return db if db.is_dir() else None

    def exists(self) -> bool:
        """True when a graph has been built here."""
        return self.current is not None

    def open(self) -> GraphStore:
        """Open the live database read-only.

        Raises:
            StoreError: when no graph has been built in this folder.
        """
        db = self.current
        if db is None:
            raise StoreError(
                f"no graph in {self.path}: run 'obligraph build' first, or pass documents to read directly"
            )
        try:
            return GraphStore(ox.Store.read_only(str(db)), self.path, db)
        except OSError as exc:
            raise StoreError(f"cannot open the graph store: {exc}", str(self.path)) from exc

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the write lock; a second writer is refused at once.

        Raises:
            StoreError: when another build holds the lock.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        fh = open(self.path / "LOCK", "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.close()
            raise StoreError(
                f"another obligraph build is writing to {self.path}; wait for it to finish"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()

    def write(self, put: Mapping[str, Iterable[ox.Quad]], remove: Iterable[str] = ()) -> None:
        """Replace some named graphs and remove others, all or nothing.

        Must be called inside ``lock()``.
        """
        old = self.current
        new = self.path / f"db-{time.time_ns()}"
        if old is not None:
            src = ox.Store.read_only(str(old))
            src.backup(str(new))
            del src
        store = GraphStore(ox.Store(str(new)))
        store.apply(put, remove)
        store.oxigraph().flush()
        # Compacted, the database answers queries 1.5 to 3 times faster: a
        # look-up searches a few sorted files instead of dozens (at 1,000
        # documents: 37 files down to 10, 3 s once per build).
        store.oxigraph().optimize()
        del store
        tmp = self.path / "CURRENT.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(new.name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path / "CURRENT")
        self._sweep(keep=new)

    def _sweep(self, keep: Path) -> None:
        # Older databases and ones left by killed builds are no longer named by
        # CURRENT; remove them so the folder does not grow without bound.
        for child in self.path.glob("db-*"):
            if child.is_dir() and child != keep:
                shutil.rmtree(child, ignore_errors=True)
            elif child.suffix == ".json" and child.stem != keep.name:
                child.unlink(missing_ok=True)
