"""Export the graph in standard RDF formats, in a fixed order; import one made elsewhere."""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections import defaultdict
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from graph.errors import InputError
from graph.namespace import GRAPH, RUN_GRAPH
from graph.store import GraphStore, StoreFolder, sorted_quads

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def export_graph(store: GraphStore, fmt: str, include_run: bool = False) -> bytes:
    """Serialise the store; the same graph gives the same bytes.

    Args:
        store: The graph.
        fmt: ``turtle`` (all graphs merged), ``trig``, ``nquads`` or ``jsonld``.
        include_run: Keep the run metadata graph (its time changes every build).
    """
    from graph.namespace import PREFIXES

    quads = [q for q in store.quads() if include_run or q.graph_name != ox.NamedNode(str(RUN_GRAPH))]
    quads = sorted_quads(quads)
    if fmt == "turtle":
        return ox.serialize([q.triple for q in quads], format=FORMATS[fmt], prefixes=PREFIXES)
    if fmt == "jsonld":
        data = json.loads(ox.serialize(quads, format=FORMATS[fmt]).decode("utf-8"))
        context = json.loads((files("graph") / "data" / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
        return json.dumps({"@context": context.get("@context", context), "@graph": data} if isinstance(data, list) else data,
                          ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    if fmt == "trig":
        return ox.serialize(quads, format=FORMATS[fmt], prefixes=PREFIXES)
    return ox.serialize(quads, format=FORMATS[fmt])


IMPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_EXTENSIONS = {
    ".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nq": "nquads", ".nquads": "nquads",
    ".nt": "ntriples", ".ntriples": "ntriples", ".jsonld": "jsonld", ".json": "jsonld",
}


def imported_graph(path: str | os.PathLike[str]) -> str:
    """The named graph that takes a file's triples outside any graph: ``graph/imported/<file stem>``."""
    return str(GRAPH["imported/" + urllib.parse.quote(Path(path).stem, safe="-._~")])


def import_graph(
    store: GraphStore | StoreFolder, path: str | os.PathLike[str], fmt: str | None = None
) -> dict[str, int]:
    """Write the named graphs of an RDF file into the store, replacing graphs of the same name.

    The whole file is parsed before anything is written. Triples outside any
    named graph (all of a Turtle or N-Triples file) go to ``imported_graph(path)``.
    A store folder takes the file in one all-or-nothing write; a remote store
    one graph at a time (see ``graph.remote``).

    Args:
        store: An open store (memory or remote), or a store folder.
        path: A Turtle, TriG, N-Quads, N-Triples or JSON-LD file.
        fmt: One of ``IMPORT_FORMATS``; by default from the file's extension.

    Returns:
        How many quads each graph received, by graph IRI.

    Raises:
        InputError: when the file is missing, its format unknown, its syntax
            bad (naming the line), or it holds no triples.
        StoreError: when the store is locked or cannot be written.
    """
    path = Path(path)
    name = fmt or _EXTENSIONS.get(path.suffix.lower())
    if name not in IMPORT_FORMATS:
        known = ", ".join(IMPORT_FORMATS)
        raise InputError(f"unknown RDF format {name!r}; use one of {known}" if fmt else
                         f"cannot tell the RDF format from the extension; give one of {known}", str(path))
    if not path.is_file():
        raise InputError("no such file", str(path))
    rdf_format = IMPORT_FORMATS[name]
    default = ox.NamedNode(imported_graph(path))
    put: dict[str, list[ox.Quad]] = defaultdict(list)
    try:
        # Fresh blank node labels, so the file's cannot meet the store's.
        for q in ox.parse(path=path, format=rdf_format, rename_blank_nodes=True):
            g = default if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name
            if not isinstance(g, ox.NamedNode):
                raise InputError(f"a graph named by a blank node ({g}) cannot be stored; name it with an IRI",
                                 str(path))
            put[g.value].append(ox.Quad(q.subject, q.predicate, q.object, g))
    except SyntaxError as exc:
        message = re.sub(r"^Parser error [^:]*: ", "", exc.msg if isinstance(exc.msg, str) else str(exc))
        where = f"line {exc.lineno}, column {exc.offset}: " if isinstance(exc.lineno, int) else ""
        raise InputError(f"{where}not valid {rdf_format.name}: {message}", str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file: {exc}", str(path)) from exc
    if not put:
        raise InputError(f"no triples in this {rdf_format.name} file", str(path))
    if isinstance(store, StoreFolder):
        with store.lock():
            store.write(put)
    else:
        store.apply(put)
    return {g: len(quads) for g, quads in sorted(put.items())}
