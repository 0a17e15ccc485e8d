"""The party graph as one self-contained, offline HTML page.

The page carries its data as JSON in ``<script type="application/json">`` and
its code inline (the vendored d3-force for layout, ``static/party_graph.js`` for
drawing), so it opens from a file or an e-mail attachment without a network.
Text from documents is data: the JSON escapes ``<``, ``>`` and ``&`` so nothing
in it can close the script element, and the page inserts text with
``textContent`` only.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path

import networkx as nx

from graph.draw import kind_colours, summary
from graph.draw_layout import node_radius, party_layout
from graph.namespace import MODALITIES

# Loaded in this order: d3-force needs the other three on the global ``d3``.
VENDORED = ("d3-dispatch.min.js", "d3-quadtree.min.js", "d3-timer.min.js", "d3-force.min.js")
PIXELS_PER_UNIT = 45.0  # layout units (about one per party) to page pixels
_PLACEHOLDER = re.compile(r"\{\{(title|data|scripts)\}\}")


def _static(name: str) -> str:
    return resources.files("graph").joinpath("static", name).read_text(encoding="utf-8")


def script_json(value: object) -> str:
    """JSON safe to embed in an HTML ``<script>`` element (HTML 4.12.1.3 restrictions).

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``,
    so no ``</script>`` or ``<!--`` can appear, and the line separators U+2028 and
    U+2029 are escaped as well; ``JSON.parse`` restores every character.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def page_data(g: nx.MultiDiGraph) -> dict:
    """What the page needs: nodes with positions, edges and one table of commitments."""
    pos = party_layout(g)
    table: dict[str, int] = {}
    records: list[dict] = []

    def ref(rec: dict) -> int:
        if rec["iri"] not in table:
            table[rec["iri"]] = len(records)
            records.append({"iri": rec["iri"], "label": rec["label"], "quote": rec["quote"],
                            "section": rec["section"], "theme": rec["theme"], "modality": rec["modality"],
                            "agreement": rec["agreement_title"] or rec["agreement"], "reciprocal": rec["reciprocal"]})
        return table[rec["iri"]]

    index = {n: i for i, n in enumerate(g)}
    radius = node_radius(g)
    nodes = [{"id": n, "label": d["label"], "aliases": d["aliases"], "kind": d["kind"], "cls": d["cls"],
              "owned": d["owned"], "c": [ref(r) for r in d["commitments"]],
              "r": round(radius[n] * PIXELS_PER_UNIT * 0.8, 1),
              "x": round(pos[n][0] * PIXELS_PER_UNIT, 2), "y": round(-pos[n][1] * PIXELS_PER_UNIT, 2)}
             for n, d in g.nodes(data=True)]
    edges = []
    for u, v, d in g.edges(data=True):
        edge = {"s": index[u], "t": index[v], "kind": d["kind"], "w": d["weight"]}
        if d["kind"] == "commitment":
            edge.update(c=[ref(r) for r in d["commitments"]], ci=[ref(r) for r in d["commitments"] if r["inferred"]],
                        inferred=d["inferred"], reciprocal=d["reciprocal"])
        edges.append(edge)
    themes = sorted({r["theme"] for r in records if r["theme"]})
    modalities = sorted({r["modality"] for r in records if r["modality"]},
                        key=lambda m: (MODALITIES.index(m) if m in MODALITIES else len(MODALITIES), m))
    subtitle = " · ".join(summary(g))
    kinds = [{"key": k, "label": label, "colour": colour} for k, (label, colour) in kind_colours(g).items()]
    return {"nodes": nodes, "edges": edges, "commitments": records, "kinds": kinds, "themes": themes,
            "modalities": modalities, "subtitle": subtitle}


def write_html(g: nx.MultiDiGraph, path: Path, title: str) -> None:
    """Write the interactive page for ``g`` to ``path``."""
    notice = "/* d3-dispatch, d3-quadtree, d3-timer and d3-force (static/README.md):\n" + _static("LICENSE-d3.txt") + "*/"
    scripts = "\n".join([notice, *(_static(name) for name in (*VENDORED, "party_graph.js"))])
    if re.search(r"</script|<!--", scripts, re.IGNORECASE):  # would end the inline script early
        raise RuntimeError("a bundled script contains '</script' or '<!--' and cannot be inlined")
    values = {"title": html.escape(title), "data": script_json(page_data(g)), "scripts": scripts}
    template = resources.files("graph").joinpath("templates", "party_graph.html").read_text(encoding="utf-8")
    # One pass, so a placeholder inside the data is never expanded.
    path.write_text(_PLACEHOLDER.sub(lambda m: values[m.group(1)], template), encoding="utf-8")
