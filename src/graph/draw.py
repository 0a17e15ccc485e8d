"""The party graph: who owes commitments to whom, as a network to look at or export.

``party_graph`` reads the RDF graph through the SPARQL of ``queries/party_*.rq``
(never the extractor's Python objects) and returns a networkx ``MultiDiGraph``;
``draw`` writes it as an interactive HTML page, a PNG or SVG picture, or GraphML,
GEXF or DOT for other tools. Pictures and pages share one layout
(``draw_layout.party_layout``) that stays fast at ten thousand parties.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path

import networkx as nx

from graph.errors import QueryError
from graph.namespace import MODALITIES
from graph.store import GraphStore

FORMATS = ("html", "png", "svg", "graphml", "gexf", "dot")
# The classes of party; one typed with several is shown as the most specific.
_CLASS_RANK = {"PartyGroup": 0, "GovernanceBody": 1, "Post": 2, "Party": 3}


def load_query(name: str) -> str:
    """The text of ``queries/{name}.rq``."""
    return resources.files("graph").joinpath("queries", f"{name}.rq").read_text(encoding="utf-8")


def local_name(iri: str | None) -> str:
    """The last segment of an IRI (``.../kind/governmentDepartment`` -> ``governmentDepartment``)."""
    if not iri:
        return ""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@functools.lru_cache(maxsize=256)
def _humanise(name: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name).replace("_", " ").replace("-", " ")
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words.split())
    return text[:1].upper() + text[1:]


# Qualitative colours for party kinds (matplotlib's tab20 without orange, which marks
# reciprocity, and grey, which marks an unknown kind): strong shades first, then light.
PALETTE = ("#1F77B4", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#BCBD22", "#17BECF",
           "#AEC7E8", "#98DF8A", "#FF9896", "#C5B0D5", "#C49C94", "#F7B6D2", "#DBDB8D", "#9EDAE5")
NO_KIND = "#B0B0B0"
RECIPROCAL = "#E07B00"
STATED = "#33415C"
MEMBERSHIP = "#9AA0A6"


def kind_colours(g: nx.Graph) -> dict[str, tuple[str, str]]:
    """Party kind -> (label, colour), in a fixed order so every format agrees."""
    kinds = sorted({(d["kind"], d["kind_label"]) for _, d in g.nodes(data=True)}, key=lambda k: (k[0] == "", k[0]))
    out, i = {}, 0
    for kind, label in kinds:
        if kind:
            out[kind] = (label or _humanise(kind), PALETTE[i % len(PALETTE)])
            i += 1
        else:
            out[kind] = ("kind not stated", NO_KIND)
    return out


def _parties(store: GraphStore) -> dict[str, dict]:
    parties: dict[str, dict] = {}
    for row in sorted(store.select(load_query("party_nodes")), key=lambda r: tuple(str(v) for v in r.values())):
        iri, cls = row["party"], local_name(row["class"])
        p = parties.setdefault(iri, {"label": None, "kind": "", "kind_label": "", "cls": cls, "aliases": set()})
        if _CLASS_RANK[cls] < _CLASS_RANK[p["cls"]]:
            p["cls"] = cls
        if row["label"] and p["label"] is None:
            p["label"] = row["label"]
        if row["kind"] and not p["kind"]:
            p["kind"] = local_name(row["kind"])
            p["kind_label"] = row["kindLabel"] or _humanise(p["kind"])
    for row in store.select(load_query("party_labels")):
        if row["party"] in parties:
            parties[row["party"]]["aliases"].add(row["label"])
    return parties


def _commitments(store: GraphStore) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for row in sorted(store.select(load_query("party_commitments")), key=lambda r: tuple(str(v) for v in r.values())):
        rec = found.setdefault(row["commitment"], {"iri": row["commitment"]})
        for key, col in (("label", "label"), ("theme", "theme"), ("section", "section"), ("quote", "quote"),
                         ("agreement", "agreement"), ("agreement_title", "agreementTitle"), ("start", "start")):
            if rec.get(key) is None and row[col] is not None:
                rec[key] = row[col]
        if rec.get("modality") is None and row["modality"]:
            rec["modality"] = local_name(row["modality"])
    for rec in found.values():
        for key in ("label", "theme", "section", "quote", "agreement", "agreement_title", "modality"):
            rec[key] = rec.get(key) or ""
        rec["start"] = rec.get("start") if isinstance(rec.get("start"), int) else -1
    return found


def _corpus_name(store: GraphStore) -> str:
    names = sorted({r["title"] or r["fileName"] or local_name(r["agreement"])
                    for r in store.select(load_query("party_agreements"))})
    if len(names) > 2:
        return f"{names[0]}; {names[1]} and {len(names) - 2} more"
    return "; ".join(names)


def _order(rec: dict) -> tuple:
    """Document order; commitments without a recorded position last."""
    return (rec["agreement"], rec["start"] < 0, rec["start"], rec["iri"])


def match_party(g: nx.MultiDiGraph, name: str) -> list[str]:
    """The parties of ``g`` that go by ``name`` (preferred label or any alias, any case).

    Raises:
        QueryError: when no party goes by that name; the message suggests close ones.
    """
    want = name.strip().casefold()
    hits = sorted(n for n, d in g.nodes(data=True)
                  if want == n.casefold() or want in {a.casefold() for a in [d["label"], *d["aliases"]]})
    if not hits:
        names = sorted({a for _, d in g.nodes(data=True) for a in [d["label"], *d["aliases"]]})
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise QueryError(f"no party is called {name!r}{hint}")
    return hits


def party_graph(
    store: GraphStore, party: str | None = None, theme: str | None = None, modality: str | None = None
) -> nx.MultiDiGraph:
    """Who owes commitments to whom, read from the RDF graph with SPARQL.

    Nodes are parties (id = IRI) with ``label``, ``aliases``, ``kind``, ``cls``,
    ``is_group``, ``owned`` (commitments owned that pass the filters) and
    ``commitments`` (their records). Edges ``owner -> counterpart`` of kind
    ``commitment`` aggregate every commitment between the pair: ``weight``,
    ``themes``, ``modalities``, ``inferred`` (all of them only infer the
    counterpart), ``reciprocal`` (one answers or is answered by another) and
    ``commitments`` (records with iri, label, quote, section, theme, modality,
    agreement). Edges ``member -> group`` of kind ``member`` (org:memberOf) and
    ``unit -> parent`` of kind ``unit`` (org:unitOf) show structure.

    Args:
        store: The graph to read.
        party: Keep only this party's edges and neighbours; matched against its
            preferred label and aliases, ignoring case.
        theme: Keep only commitments whose theme contains this, ignoring case.
        modality: Keep only commitments of this modality (``commitment``,
            ``intention``, ``exploration``, ``aspiration``).

    Returns:
        The graph; ``g.graph`` holds ``title``, ``corpus`` and ``filters``.

    Raises:
        QueryError: for an unknown modality or a party name nobody goes by.
    """
    party, theme, modality = (v if v and v.strip() else None for v in (party, theme, modality))
    if modality is not None and local_name(modality).lower() not in MODALITIES:
        raise QueryError(f"unknown modality {modality!r}: choose one of {', '.join(MODALITIES)}")
    parties = _parties(store)
    records = _commitments(store)
    keep = {iri for iri, rec in records.items()
            if (theme is None or theme.casefold() in rec["theme"].casefold())
            and (modality is None or rec["modality"] == local_name(modality).lower())}
    owned: dict[str, set[str]] = defaultdict(set)
    pairs: dict[tuple[str, str], dict[str, bool]] = defaultdict(dict)
    for row in store.select(load_query("party_edges")):
        c, owner, cp = row["commitment"], row["owner"], row["counterpart"]
        if c not in keep:
            continue
        owned[owner].add(c)
        if cp is not None:
            pairs[(owner, cp)][c] = pairs[(owner, cp)].get(c, False) or bool(row["stated"])
    answering = {v for r in store.select(load_query("party_reciprocal")) for v in (r["commitment"], r["answers"])}
    for iri, rec in records.items():
        rec["reciprocal"] = iri in answering

    corpus = _corpus_name(store)
    filters = ", ".join(f"{k} {v!r}" for k, v in (("party", party), ("theme", theme), ("modality", modality)) if v)
    g = nx.MultiDiGraph(title=f"Who owes what to whom: {corpus}" if corpus else "Who owes what to whom",
                        corpus=corpus, filters=filters)
    involved = set(owned) | {p for pair in pairs for p in pair}
    for iri in sorted(set(parties) | involved):
        p = parties.get(iri) or {"label": None, "kind": "", "kind_label": "", "cls": "Party", "aliases": set()}
        g.add_node(iri, label=p["label"] or local_name(iri), aliases=sorted(p["aliases"] - {p["label"]}),
                   kind=p["kind"], kind_label=p["kind_label"], cls=p["cls"], is_group=p["cls"] == "PartyGroup",
                   owned=len(owned[iri]), commitments=sorted((records[c] for c in owned[iri]), key=_order))
    for row in sorted(store.select(load_query("party_links")), key=lambda r: (r["member"], r["group"], r["kind"])):
        if row["member"] in g and row["group"] in g and row["member"] != row["group"]:
            g.add_edge(row["member"], row["group"], key=row["kind"], kind=row["kind"], weight=1)
    for (owner, cp), stated in sorted(pairs.items()):
        recs = sorted((dict(records[c], inferred=not s) for c, s in stated.items()), key=_order)
        g.add_edge(owner, cp, key="commitment", kind="commitment", weight=len(recs),
                   themes=sorted({r["theme"] for r in recs if r["theme"]}),
                   modalities=sorted({r["modality"] for r in recs if r["modality"]}),
                   inferred=not any(stated.values()), reciprocal=any(c in answering for c in stated),
                   commitments=recs)

    if party is not None:
        hits = set(match_party(g, party))
        edges = [(u, v, k) for u, v, k in g.edges(keys=True) if u in hits or v in hits]
        g = _subgraph(g, hits | {n for u, v, _ in edges for n in (u, v)}, edges)
    elif theme is not None or modality is not None:
        nodes = {n for n, d in g.nodes(data=True) if d["owned"]} | {
            n for u, v, d in g.edges(data=True) if d["kind"] == "commitment" for n in (u, v)}
        g = _subgraph(g, nodes, [(u, v, k) for u, v, k in g.edges(keys=True) if u in nodes and v in nodes])
    return g


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def summary(g: nx.MultiDiGraph) -> list[str]:
    """The counts a picture or page states under its title, and the filters applied."""
    links = sum(1 for _, _, d in g.edges(data=True) if d["kind"] == "commitment")
    shown = {c["iri"] for _, d in g.nodes(data=True) for c in d["commitments"]}
    shown |= {c["iri"] for _, _, d in g.edges(data=True) for c in d.get("commitments", ())}
    parts = [_count(g.number_of_nodes(), "party", "parties"), _count(links, "owner-to-counterpart link"),
             _count(len(shown), "commitment")]
    return parts + ([f"only {g.graph['filters']}"] if g.graph.get("filters") else [])


def _subgraph(g: nx.MultiDiGraph, nodes: set[str], edges: list[tuple[str, str, str]]) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph(**g.graph)
    out.add_nodes_from((n, g.nodes[n]) for n in sorted(nodes))
    out.add_edges_from((u, v, k, g.edges[u, v, k]) for u, v, k in edges)
    return out


# --- writing ------------------------------------------------------------------


def draw(g: nx.MultiDiGraph, path: Path | str, fmt: str | None = None, title: str | None = None) -> Path:
    """Write the party graph to ``path`` in the format its extension (or ``fmt``) names.

    Args:
        g: A graph from ``party_graph``.
        path: The file to write.
        fmt: One of ``FORMATS``; by default taken from the file extension.
        title: The heading; by default ``g.graph["title"]``, which names the corpus.

    Returns:
        The path written.

    Raises:
        QueryError: when the format is not one of ``FORMATS``.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise QueryError(f"cannot draw as {fmt or 'a file without an extension'!r}: choose one of {', '.join(FORMATS)}")
    title = title or g.graph.get("title") or "Who owes what to whom"
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        from graph.draw_html import write_html

        write_html(g, path, title)
    elif fmt in ("png", "svg"):
        from graph.draw_image import write_image

        write_image(g, path, fmt, title)
    elif fmt == "graphml":
        nx.write_graphml(flatten(g, title), path)
    elif fmt == "gexf":
        nx.write_gexf(flatten(g, title), path)
    else:
        path.write_text(to_dot(g, title), encoding="utf-8")
    return path


def flatten(g: nx.MultiDiGraph, title: str | None = None) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings, numbers or booleans (GraphML, GEXF).

    ``themes`` and ``modalities`` are joined with ``;``; other lists and records
    (``aliases``, ``commitments``) become JSON strings.
    """
    def flat(data: dict) -> dict:
        out = {}
        for k, v in data.items():
            if k in ("themes", "modalities"):
                out[k] = ";".join(v)
            elif isinstance(v, (list, dict, tuple, set)):
                out[k] = json.dumps(v, ensure_ascii=False, sort_keys=True)
            else:
                out[k] = "" if v is None else v
        return out

    out = nx.MultiDiGraph(**flat(dict(g.graph, **({"title": title} if title else {}))))
    out.add_nodes_from((n, flat(d)) for n, d in g.nodes(data=True))
    out.add_edges_from((u, v, k, flat(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return out


def _dot_str(text: object) -> str:
    s = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n") + '"'


_DOT_SHAPE = {"Party": "ellipse", "PartyGroup": "box", "GovernanceBody": "diamond", "Post": "triangle"}


def to_dot(g: nx.MultiDiGraph, title: str) -> str:
    """Graphviz DOT text: node shape by class, edge width by commitments,
    dashed for inferred counterparts, orange for reciprocal, dotted for membership."""
    q = _dot_str
    lines = [f"digraph {q('party graph')} {{",
             f"  graph [label={q(title)}, labelloc=t, fontsize=20, overlap=false, splines=true];",
             '  node [style=filled, fillcolor="#e8eef7", fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    for n, d in g.nodes(data=True):
        tip = f"{d['label']}: owns {d['owned']} commitment{'s' * (d['owned'] != 1)}"
        lines.append(f"  {q(n)} [label={q(d['label'])}, shape={_DOT_SHAPE.get(d['cls'], 'ellipse')}, "
                     f"tooltip={q(tip)}, kind={q(d['kind'])}, owned={d['owned']}];")
    for u, v, d in g.edges(data=True):
        if d["kind"] == "commitment":
            attrs = [f"label={q(d['weight'])}", f"penwidth={1 + math.log2(d['weight']):.2f}",
                     f"style={'dashed' if d['inferred'] else 'solid'}",
                     f"color={q('#d95f02' if d['reciprocal'] else '#4a5568')}",
                     f"tooltip={q('; '.join(c['label'] for c in d['commitments'][:10]))}"]
        else:
            attrs = [f"label={q(d['kind'])}", f"style={'dotted' if d['kind'] == 'member' else 'dashed'}",
                     'color="#9aa0a6"', "arrowhead=empty"]
        lines.append(f"  {q(u)} -> {q(v)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
