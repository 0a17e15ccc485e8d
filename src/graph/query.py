"""Read-only SPARQL over the graph, and its results as tables people can read."""

from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox

from graph.errors import QueryError
from graph.store import GraphStore, term_value

_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX|BASE)\s+[^\n]*\s+)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I
)


def is_update(text: str) -> bool:
    """True when the text is a SPARQL Update rather than a query."""
    stripped = re.sub(r"#[^\n]*", "", text)
    return bool(_UPDATE.search(stripped))


def run_query(store: GraphStore, text: str, bindings: dict | None = None) -> tuple[list[str], list[dict]]:
    """Run one read-only query.

    Returns:
        Column names and rows of plain values; ASK gives one column ``result``;
        CONSTRUCT/DESCRIBE give ``subject``, ``predicate``, ``object``.

    Raises:
        QueryError: for updates and malformed queries.
    """
    if is_update(text):
        raise QueryError("updates are refused: obligraph query is read-only (use 'obligraph build' to change the graph)")
    result = store.query(text, bindings)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return names, [{n: term_value(sol[n]) for n in names} for sol in result]
    if isinstance(result, ox.QueryBoolean):
        return ["result"], [{"result": bool(result)}]
    rows = [{"subject": term_value(t.subject), "predicate": term_value(t.predicate), "object": term_value(t.object)} for t in result]
    return ["subject", "predicate", "object"], rows


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
