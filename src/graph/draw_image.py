"""The party graph as a still picture (PNG or SVG) with matplotlib's Agg renderer.

Meant to be read without zooming: node size tells how many commitments a party
owns, colour its kind and shape its class; solid edges name the counterpart,
dashed ones infer it, orange ones carry reciprocal commitments; labels are
placed so they never overlap, and only the parties owning most get one when
there are many. Output is byte-identical from run to run.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import networkx as nx

from graph.draw import MEMBERSHIP, RECIPROCAL, STATED, kind_colours, summary
from graph.draw_layout import node_radius, party_layout

_MARKERS = {"Party": ("o", "party"), "PartyGroup": ("h", "group of parties"),
            "GovernanceBody": ("D", "governance body"), "Post": ("^", "post (office holder)")}
FIG_WIDTH = 16.0  # inches; the plot takes the left three quarters, the legend the rest
PLOT_SHARE = 0.75


def _label_budget(n: int) -> int:
    return n if n <= 60 else 40 if n <= 2000 else 25


def write_image(g: nx.MultiDiGraph, path: Path, fmt: str, title: str) -> None:
    """Draw ``g`` to ``path`` as ``png`` or ``svg``."""
    import matplotlib as mpl
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    style = {"svg.hashsalt": "obligraph", "svg.fonttype": "none", "font.family": "DejaVu Sans",
             "path.simplify": True}
    with mpl.rc_context(style):
        nodes = list(g)
        pos = party_layout(g)
        xy = np.array([pos[n] for n in nodes], dtype=float).reshape(-1, 2)
        lo = xy.min(axis=0) - 1.5 if len(nodes) else np.array([-1.0, -1.0])
        hi = xy.max(axis=0) + 1.5 if len(nodes) else np.array([1.0, 1.0])
        span = hi - lo
        plot_w = FIG_WIDTH * PLOT_SHARE - 0.4
        plot_h = min(max(plot_w * span[1] / span[0], 6.0), 14.0)
        fig = Figure(figsize=(FIG_WIDTH, plot_h + 1.4))
        FigureCanvasAgg(fig)
        top = plot_h / (plot_h + 1.4)
        ax = fig.add_axes((0.01, 0.01, PLOT_SHARE - 0.01, top - 0.01))
        ax.set_axis_off()
        # Equal scale on both axes without a draw pass: widen the shorter side.
        box_w, box_h = (PLOT_SHARE - 0.01) * FIG_WIDTH, (top - 0.01) * (plot_h + 1.4)
        centre = (lo + hi) / 2
        units = max(span[0] / box_w, span[1] / box_h)
        ax.set_xlim(centre[0] - units * box_w / 2, centre[0] + units * box_w / 2)
        ax.set_ylim(centre[1] - units * box_h / 2, centre[1] + units * box_h / 2)
        ppu = 72.0 / units  # points per layout unit

        top_owned = max((g.nodes[n]["owned"] for n in nodes), default=1) or 1
        size = node_radius(g)
        points = min(ppu, 28.0)  # parties never grow past 22 points, however few there are
        radius_pt = np.maximum(np.array([size[n] for n in nodes]) * points, 1.2)
        radius = radius_pt / ppu  # in layout units
        index = {n: i for i, n in enumerate(nodes)}
        colours = kind_colours(g)
        dense = len(nodes) > 2000

        # Edges: membership under commitments under nodes.
        width = min(max(0.09 * ppu, 0.35), 1.3)
        alpha = 0.85 if len(nodes) <= 300 else 0.55 if not dense else 0.3
        pairs = {(u, v) for u, v, d in g.edges(data=True) if d["kind"] == "commitment"}
        top_w = max((d["weight"] for _, _, d in g.edges(data=True) if d["kind"] == "commitment"), default=1)
        groups: dict[tuple, list] = {}
        heads: list[tuple] = []
        loops: list = []
        for u, v, d in g.edges(data=True):
            if u == v:  # commitments a party makes with itself (joint ones among a group's members)
                if d["kind"] == "commitment" and not dense:
                    loops.append((xy[index[u]] + radius[index[u]] * 0.75, radius[index[u]] * 0.6, d))
                continue
            a, b = xy[index[u]], xy[index[v]]
            vec = b - a
            dist = float(np.hypot(*vec)) or 1.0
            unit = vec / dist
            if d["kind"] == "commitment" and (v, u) in pairs:  # both directions: shift each to its right
                a, b = a + np.array([unit[1], -unit[0]]) * 0.15, b + np.array([unit[1], -unit[0]]) * 0.15
            if dist <= radius[index[u]] + radius[index[v]]:
                continue
            start, end = a + unit * radius[index[u]], b - unit * radius[index[v]]
            if d["kind"] == "commitment":
                lw = width * (1 + 2.2 * math.sqrt(d["weight"] / top_w))
                colour = RECIPROCAL if d["reciprocal"] else STATED
                if not dense:
                    head = max(4.5, 2.6 * lw) / ppu
                    if head * 1.5 < dist:
                        tip, back = end, end - unit * head
                        side = np.array([-unit[1], unit[0]]) * head * 0.45
                        heads.append(((tip, back + side, back - side), colour))
                        end = back
                key = (2, colour, "--" if d["inferred"] else "-")
            else:
                lw, key = width * 0.8, (1, MEMBERSHIP, ":" if d["kind"] == "member" else "-.")
            groups.setdefault(key, []).append(((start, end), lw))
        for (z, colour, ls), segs in sorted(groups.items()):
            ax.add_collection(LineCollection([s for s, _ in segs], linewidths=[w for _, w in segs], colors=colour,
                                             linestyles=ls, alpha=alpha if z == 2 else 0.7, zorder=z))
        for centre, r, d in loops:
            ax.add_patch(Circle(tuple(centre), r, fill=False, zorder=2, alpha=alpha, linewidth=width * 1.5,
                                edgecolor=RECIPROCAL if d["reciprocal"] else STATED,
                                linestyle="--" if d["inferred"] else "-"))
        if heads:
            ax.add_collection(PolyCollection([h for h, _ in heads], facecolors=[c for _, c in heads],
                                             edgecolors="none", alpha=alpha, zorder=2))

        # Nodes: one scatter per class (marker shape), coloured by kind.
        for cls, (marker, _) in _MARKERS.items():
            idx = [i for i, n in enumerate(nodes) if g.nodes[n]["cls"] == cls]
            if idx:
                size = (2 * radius_pt[idx]) ** 2 * (1.0 if marker == "o" else 1.25)  # polygons look smaller
                ax.scatter(xy[idx, 0], xy[idx, 1], s=size, marker=marker, zorder=3, linewidths=0.6 if not dense else 0,
                           c=[colours[g.nodes[nodes[i]]["kind"]][1] for i in idx], edgecolors="white")

        labelled = _place_labels(fig, ax, g, nodes, xy, radius_pt)
        if not nodes:
            ax.text(0.5, 0.5, "No parties match these filters.", transform=ax.transAxes, ha="center",
                    fontsize=14, color="#555555")

        # Title, summary line and legend.
        fig.text(0.01, 1 - 0.35 / (plot_h + 1.4), textwrap.shorten(title, 150, placeholder=" ..."),
                 fontsize=16, fontweight="bold", va="top")
        facts = summary(g)
        if labelled < len(nodes):
            facts.append(f"names shown for {labelled} of the parties owning most")
        alone = sum(1 for n in nodes if g.degree(n) == 0)
        if alone and alone < len(nodes):
            facts.append(f"{alone} with no link to another party (lowest rows)")
        fig.text(0.01, 1 - 0.85 / (plot_h + 1.4), " · ".join(facts), fontsize=11, color="#444444", va="top")
        _legend(fig.add_axes((PLOT_SHARE, 0.01, 1 - PLOT_SHARE - 0.01, top - 0.01)), g, colours, top_owned,
                lambda v: 2 * max(1.2, (0.25 + 0.55 * math.sqrt(v / top_owned)) * points))
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(path, format=fmt, dpi=150, metadata=metadata, facecolor="white")


def _legend(ax, g, colours, top_owned: float, diameter_of) -> None:
    """Draw the legend by hand, in points from the top, so rows never overlap."""
    bbox = ax.get_position()
    width, height = bbox.width * FIG_WIDTH * 72, bbox.height * ax.figure.get_figheight() * 72
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    y = 0.0
    sizes = sorted({1, max(1, round(top_owned / 2)), int(top_owned)})
    indent = max(34.0, 20 + diameter_of(sizes[-1]) / 2)

    def row(text: str, step: float = 17.0, bold: bool = False) -> float:
        nonlocal y
        y += step / 2
        ax.text(indent if not bold else 0, y, text, fontsize=10, va="center", fontweight="bold" if bold else "normal")
        here = y
        y += step / 2
        return here

    present = {d["kind"] for _, d in g.nodes(data=True)}
    row("Party kind (colour)", 22, bold=True)
    for kind, (label, colour) in colours.items():
        if kind in present:
            ax.scatter([14], [row(label)], s=90, c=colour, marker="o", clip_on=False)
    row("Party class (shape)", 26, bold=True)
    classes = {d["cls"] for _, d in g.nodes(data=True)}
    for cls, (marker, name) in _MARKERS.items():
        if cls in classes:
            ax.scatter([14], [row(name)], s=90, c="#777777", marker=marker, clip_on=False)
    row("Commitments owned (size)", 26, bold=True)
    for value in sizes:
        diameter = diameter_of(value)
        ax.scatter([14], [row(f"owns {value}", max(17.0, diameter + 5))], s=diameter ** 2, c="#999999", clip_on=False)
    row("Links (owner to counterpart)", 26, bold=True)
    for label, colour, ls, lw in (("counterpart named", STATED, "-", 2.0),
                                  ("counterpart inferred (other side)", STATED, "--", 2.0),
                                  ("reciprocal (given in return)", RECIPROCAL, "-", 2.0),
                                  ("member of a group", MEMBERSHIP, ":", 1.5),
                                  ("unit of an organisation", MEMBERSHIP, "-.", 1.5)):
        at = row(label)
        ax.plot([2, 28], [at, at], color=colour, linestyle=ls, linewidth=lw, clip_on=False)


def _place_labels(fig, ax, g, nodes, xy, radius_pt) -> int:
    """Label the most important parties where the label overlaps no other label or node."""
    import numpy as np
    from matplotlib.transforms import offset_copy

    if not nodes:
        return 0
    renderer = fig.canvas.get_renderer()
    px = fig.dpi / 72.0
    screen = ax.transData.transform(xy)
    r_px = radius_pt * px
    obstacles = np.column_stack([screen - r_px[:, None], screen + r_px[:, None]]) if len(nodes) <= 3000 else None
    frame = ax.get_window_extent(renderer)
    degree = dict(g.degree())
    order = sorted(range(len(nodes)), key=lambda i: (-g.nodes[nodes[i]]["owned"], -degree[nodes[i]],
                                                       g.nodes[nodes[i]]["label"]))
    size = 9 if len(nodes) <= 100 else 8 if len(nodes) <= 2000 else 7
    placed: list[tuple[float, float, float, float]] = []
    count = 0
    for rank, i in enumerate(order[: _label_budget(len(nodes))]):
        text = "\n".join(textwrap.wrap(g.nodes[nodes[i]]["label"], 28, max_lines=2, placeholder=" ...",
                                        break_long_words=False)) or "?"
        gap = radius_pt[i] + 2.5
        # Measure once; every candidate box is then the same size, shifted by its offset and alignment.
        t = ax.text(xy[i, 0], xy[i, 1], text, fontsize=size, zorder=4, color="#111111",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
        bb = t.get_window_extent(renderer)
        w, h = bb.width * 1.04 + 2 * px, bb.height * 1.1 + 2 * px
        # The parties owning most keep their name even where it must cover a small node.
        spots = [(*s, True) for s in _spots(gap)] + [(*s, False) for s in _spots(gap) if rank < 8 and not s[4]]
        for dx, dy, ha, va, far, avoid_nodes in spots:
            x0 = screen[i, 0] + dx * px - {"left": 0.0, "center": w / 2, "right": w}[ha]
            y0 = screen[i, 1] + dy * px - {"bottom": 0.0, "center": h / 2, "top": h}[va]
            box = (x0, y0, x0 + w, y0 + h)
            inside = frame.x0 <= box[0] and box[2] <= frame.x1 and frame.y0 <= box[1] and box[3] <= frame.y1
            clash = any(box[0] < p[2] and p[0] < box[2] and box[1] < p[3] and p[1] < box[3] for p in placed)
            if inside and not clash and avoid_nodes and obstacles is not None:
                hit = ((obstacles[:, 0] < box[2]) & (box[0] < obstacles[:, 2])
                       & (obstacles[:, 1] < box[3]) & (box[1] < obstacles[:, 3]))
                hit[i] = False
                clash = bool(hit.any())
            if inside and not clash:
                t.set(ha=ha, va=va, transform=offset_copy(ax.transData, fig=fig, x=dx, y=dy, units="points"))
                placed.append(box)
                count += 1
                if far:  # a thin leader line from the node to its label
                    ax.annotate("", xy=(xy[i, 0], xy[i, 1]), xytext=(dx, dy), textcoords="offset points",
                                xycoords="data", zorder=4, arrowprops={"arrowstyle": "-", "color": "#666666",
                                                                        "lw": 0.6, "shrinkA": 0,
                                                                        "shrinkB": radius_pt[i]})
                break
        else:
            t.remove()
    return count


def _spots(gap: float):
    """Candidate label offsets (points) around a node: beside it first, then farther out with a leader line."""
    for d, far in ((gap, False), (gap + 9, False), (gap + 24, True), (gap + 42, True)):
        c = d * 0.75
        yield d, 0, "left", "center", far
        yield -d, 0, "right", "center", far
        yield 0, d, "center", "bottom", far
        yield 0, -d, "center", "top", far
        yield c, c, "left", "bottom", far
        yield -c, c, "right", "bottom", far
        yield c, -c, "left", "top", far
        yield -c, -c, "right", "top", far
