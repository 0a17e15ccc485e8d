"""Commitment records read back from the graph with SPARQL.

What ``obligraph commitments`` prints and ``evaluate`` scores is what the graph
really holds, not what the extractor's Python objects said.
"""

from __future__ import annotations

import re
from collections import defaultdict
from importlib.resources import files

from graph.store import GraphStore

RECORD_KEYS = (
    "id", "document", "section", "theme", "text", "start", "end", "owners", "counterparts",
    "modality", "reciprocal_of", "conditions", "deadlines", "governance",
)


def load_query(name: str) -> str:
    """The text of a bundled ``queries/<name>.rq``."""
    return (files("graph") / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def commitment_records(store: GraphStore) -> list[dict]:
    """One record per commitment, with exactly the keys of ``RECORD_KEYS``."""
    base = store.select(load_query("commitments"))
    roles: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(load_query("commitment_parties")):
        roles[row["c"]][row["role"]].append((row["label"], bool(row["inferred"])))
    details: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(load_query("commitment_details")):
        details[row["c"]][row["field"]].append(row["value"])
    out = []
    for row in base:
        c = row["c"]
        r = roles[c]
        out.append(
            {
                "id": c,
                "document": row["document"],
                "section": row.get("section"),
                "theme": row.get("theme"),
                "text": row["text"],
                "start": row["start"],
                "end": row["end"],
                "owners": [label for label, _ in r["owner"]],
                "counterparts": [label for label, _ in r["counterpart"]],
                "modality": row["modality"],
                "reciprocal_of": details[c]["reciprocal_of"],
                "conditions": details[c]["conditions"],
                "deadlines": details[c]["deadlines"],
                "governance": [{"body": label, "inferred": inferred} for label, inferred in r["governance"]],
            }
        )
    return out


def one_line(text: str) -> str:
    """Source text with its line breaks folded, for tables."""
    return re.sub(r"\s+", " ", text).strip()
