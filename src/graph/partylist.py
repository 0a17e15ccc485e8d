"""Every party the graph knows, with aliases, groups, members and provenance."""

from __future__ import annotations

from collections import defaultdict

from graph.store import GraphStore

_PARTIES = """
SELECT ?p ?label ?kind ?found ?discovered WHERE {
  ?p skos:prefLabel ?label ; obl:partyKind ?k .
  OPTIONAL { ?k skos:prefLabel ?kl }
  BIND(COALESCE(?kl, REPLACE(STR(?k), "^.*/", "")) AS ?kind)
  OPTIONAL { ?p obl:foundBy ?f }
  OPTIONAL { ?p obl:discovered ?d }
  BIND(COALESCE(?f, "register") AS ?found)
  BIND(COALESCE(?d, false) AS ?discovered)
}
"""
_LINKS = """
SELECT ?p ?rel ?o WHERE {
  { ?p skos:altLabel ?o . BIND("alias" AS ?rel) }
  UNION { ?p org:memberOf ?g . ?g skos:prefLabel ?o . BIND("member_of" AS ?rel) }
  UNION { ?m org:memberOf ?p . ?m skos:prefLabel ?o . BIND("members" AS ?rel) }
  UNION { ?p org:unitOf ?g . ?g skos:prefLabel ?o . BIND("unit_of" AS ?rel) }
}
"""


def party_rows(store: GraphStore) -> list[dict]:
    """One row per party, sorted by label."""
    links: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in store.select(_LINKS):
        links[row["p"]][row["rel"]].add(row["o"])
    rows = {}
    for r in store.select(_PARTIES):
        p = r["p"]
        if p in rows:
            continue
        l = links[p]
        rows[p] = {
            "id": p,
            "label": r["label"],
            "kind": r["kind"],
            "aliases": sorted(l["alias"]),
            "member_of": sorted(l["member_of"] | l["unit_of"]),
            "members": sorted(l["members"]),
            "found_by": r["found"],
            "discovered": bool(r["discovered"]),
        }
    return sorted(rows.values(), key=lambda x: x["label"].lower())
