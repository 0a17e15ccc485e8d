"""Export the graph in standard RDF formats, in a fixed order."""

from __future__ import annotations

import json
from importlib.resources import files

import pyoxigraph as ox

from graph.namespace import RUN_GRAPH
from graph.store import GraphStore, sorted_quads

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
