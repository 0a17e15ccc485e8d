"""Where each party goes in a picture or page: deterministic, and fast at 10,000 parties.

networkx's ``spring_layout`` took 20 s at 2,000 parties and did not finish at
10,000, so only small components get it; larger ones are laid out in linear
time, and the components are packed in rows.
"""

from __future__ import annotations

import math

import networkx as nx

SPRING_MAX = 400  # components larger than this get the radial layout


def node_radius(g: nx.Graph) -> dict[str, float]:
    """Each party's radius in layout units: 0.25 to 0.8, by the square root of commitments owned."""
    top = max((d.get("owned", 0) for _, d in g.nodes(data=True)), default=0) or 1
    return {n: 0.25 + 0.55 * math.sqrt(d.get("owned", 0) / top) for n, d in g.nodes(data=True)}


def party_layout(g: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions for every node, about one unit apart, deterministic and fast.

    Each connected component is laid out on its own: a spring layout up to
    ``SPRING_MAX`` nodes (then pushed apart until no two parties of
    ``node_radius`` overlap), beyond that concentric breadth-first bands around
    its best-connected party (linear time). Components are then packed in rows,
    largest first, so 10,000 parties take well under a second.
    """
    u = nx.Graph()
    u.add_nodes_from(sorted(g))
    u.add_edges_from((a, b) for a, b in g.edges() if a != b)
    radius = node_radius(g)
    comps = sorted((sorted(c) for c in nx.connected_components(u)), key=lambda c: (-len(c), c[0]))
    placed: list[tuple[dict, float]] = []
    for comp in comps:
        if len(comp) == 1:
            local = {comp[0]: (0.0, 0.0)}
        elif len(comp) <= SPRING_MAX:
            sub = u.subgraph(comp)
            local = nx.spring_layout(sub, seed=seed, iterations=80 if len(comp) < 150 else 50, method="force")
            xs, ys = zip(*local.values())
            cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
            spread = max(math.hypot(x - cx, y - cy) for x, y in local.values()) or 1.0
            scale = 1.1 * math.sqrt(len(comp)) / spread  # about one unit of area per node
            local = _separate({n: ((x - cx) * scale, (y - cy) * scale) for n, (x, y) in local.items()}, radius)
        else:
            local = _radial(u, comp)
        placed.append((local, max(math.hypot(x, y) + radius[n] for n, (x, y) in local.items()) + 0.3))
    return _pack(placed)


def _separate(pos: dict[str, tuple[float, float]], radius: dict[str, float], rounds: int = 60) -> dict:
    """Push overlapping parties apart (each pair by half its overlap a round)."""
    import numpy as np

    names = list(pos)
    p = np.array([pos[n] for n in names], dtype=float)
    r = np.array([radius[n] for n in names]) + 0.08
    need = r[:, None] + r[None, :]
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        d = p[:, None, :] - p[None, :, :]
        dist = np.sqrt((d ** 2).sum(axis=2))
        over = np.clip(need - dist, 0.0, None)
        if over.max() < 1e-3:
            break
        dist[dist == 0] = 1e-9
        p += (d / dist[:, :, None] * (over / 2)[:, :, None]).sum(axis=1)
    return {n: (float(x), float(y)) for n, (x, y) in zip(names, p)}


def _radial(u: nx.Graph, comp: list[str]) -> dict[str, tuple[float, float]]:
    """Breadth-first bands around the hub, each band as dense as the rest."""
    root = max(comp, key=lambda n: (u.degree(n), n))
    parent_angle, pos = {root: 0.0}, {root: (0.0, 0.0)}
    layer, inner = [root], 0.5
    while True:
        nxt: list[tuple[float, str]] = []
        for n in layer:
            for m in sorted(u[n]):
                if m not in parent_angle:
                    parent_angle[m] = parent_angle[n]
                    nxt.append((parent_angle[n], m))
        if not nxt:
            return pos
        nxt.sort()
        outer = math.sqrt(inner * inner + len(nxt) / math.pi)
        rings = max(1, round(outer - inner))
        for i, (_, m) in enumerate(nxt):
            angle = 2 * math.pi * (i + 0.5) / len(nxt)
            r = inner + (i % rings + 0.5) * (outer - inner) / rings
            parent_angle[m] = angle
            pos[m] = (r * math.cos(angle), r * math.sin(angle))
        layer, inner = [m for _, m in nxt], outer


def _pack(placed: list[tuple[dict, float]]) -> dict[str, tuple[float, float]]:
    """Rows of components, largest first (shelf packing)."""
    width = max(max((2 * r for _, r in placed), default=1.0), 1.2 * math.sqrt(sum((2 * r) ** 2 for _, r in placed)))
    pos: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for local, r in placed:
        if x > 0 and (x + 2 * r > width or r < row / 6):  # a full row, or much smaller parts start a new one
            x, y, row = 0.0, y - row, 0.0
        cx, cy = x + r, y - r
        pos.update({n: (cx + px, cy + py) for n, (px, py) in local.items()})
        x, row = x + 2 * r, max(row, 2 * r)
    return pos
