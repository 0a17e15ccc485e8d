"""How fast the named queries answer: the embedded Oxigraph store against rdflib's in-memory graph.

On one built store (``--store``, the 1,000-document build of run.py: about a
million triples), for every named query (``obligraph queries``), with
parameter values taken from the graph itself:

- ``embedded``: ``graph.query.execute`` on the store opened read-only, in
  this process, with the parameters already bound: the query alone
  (median of ``--runs``);
- ``as the CLI runs it``: ``graph.query.run_named`` with its default time
  limit, which resolves the party name and runs the query in a fresh worker
  process that opens the store (median of 3);
- ``rdflib``: the same query text, prefixes and bindings on an rdflib
  ``Dataset`` holding the same quads, default graph = union of the named
  graphs (median of up to ``--runs``; one run when a run takes over 10 s;
  stopped at ``--cap`` seconds, then a lower bound).

Row counts of both engines are compared. rdflib runs in a child process
that loads the graph once; a query that passes the cap ends that process,
and a new one goes on with the next query.

    python bench/bench_query.py --store bench/out/store-s1-n1000 --cap 300
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_MS = 100.0


def _log(msg: str) -> None:
    print(f"[bench_query] {msg}", file=sys.stderr, flush=True)


def parameters(store) -> dict[str, str]:
    """Parameter values as a person would type them, chosen from the graph."""
    top_owner = store.select("""
        SELECT ?label (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c obl:owner ?p . ?p skos:prefLabel ?label ; org:memberOf ?g }
        GROUP BY ?label ORDER BY DESC(?n) ?label LIMIT 1""")
    top_owed = store.select("""
        SELECT ?label (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c obl:counterpart ?p . ?p skos:prefLabel ?label }
        GROUP BY ?label ORDER BY DESC(?n) ?label LIMIT 1""")
    top_theme = store.select("""
        SELECT ?theme (COUNT(?c) AS ?n) WHERE { ?c obl:theme ?theme } GROUP BY ?theme ORDER BY DESC(?n) ?theme LIMIT 1""")
    values = {"phrase": "data", "modality": "commitment"}
    if top_owner:
        values["party/owes"] = str(top_owner[0]["label"])
    if top_owed:
        values["party/owed"] = str(top_owed[0]["label"])
    if top_theme:
        values["theme"] = str(top_theme[0]["theme"]).split()[0]
    return values


def _values_for(named, chosen: dict[str, str]) -> dict[str, str]:
    out = {}
    for p in named.parameters:
        out[p.name] = chosen.get(f"{p.name}/{named.name}", chosen.get(p.name, ""))
    return out


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def oxigraph_side(store_dir: Path, runs: int, chosen: dict[str, str]) -> list[dict]:
    """Every named query on the embedded store: the query alone, and as the CLI runs it."""
    from graph.query import bind_parameters, execute, named_queries, run_named
    from graph.store import StoreFolder

    store = StoreFolder(store_dir).open()
    rows = []
    for named in named_queries():
        values = _values_for(named, chosen)
        bindings = bind_parameters(store, values, {p.name: p.type for p in named.parameters})
        times, n = [], 0
        for _ in range(runs):
            t0 = time.perf_counter()
            result = execute(store, named.text, bindings, timeout=None, limit=None)
            times.append(time.perf_counter() - t0)
            n = len(result.rows)
        cli = []
        for _ in range(3):
            t0 = time.perf_counter()
            run_named(store, named.name, values)
            cli.append(time.perf_counter() - t0)
        rows.append({"name": named.name, "values": values, "bindings": {k: str(v) for k, v in bindings.items()},
                     "rows": n, "embedded_ms": _median_ms(times), "embedded_all_ms": [t * 1000 for t in times],
                     "cli_ms": _median_ms(cli)})
        _log(f"{named.name:16s} embedded {rows[-1]['embedded_ms']:9.1f} ms  as the CLI runs it "
             f"{rows[-1]['cli_ms']:8.1f} ms  {n} rows")
    return rows


# --- the rdflib child -----------------------------------------------------------------
def _to_rdflib(text: str):
    """An RDF term from Oxigraph's N-Triples spelling of it."""
    import pyoxigraph as ox

    from graph.check import _to_rdflib as convert

    term = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES))).object
    return convert(term)


def rdflib_worker(graph_file: Path, names: list[str], bindings: dict[str, dict[str, str]], runs: int, cap: float) -> None:
    """Load the graph once, then run each query; one JSON line per query on stdout."""
    from rdflib import Dataset

    from graph.namespace import PREFIXES
    from graph.query import load_named_query

    t0 = time.perf_counter()
    data = Dataset(default_union=True)
    data.parse(str(graph_file), format="nquads")
    print(json.dumps({"loaded": len(data), "seconds": time.perf_counter() - t0}), flush=True)
    for name in names:
        text = load_named_query(name).text
        init = {k: _to_rdflib(v) for k, v in bindings.get(name, {}).items()}

        def give_up(name=name) -> None:
            print(json.dumps({"name": name, "finished": False, "seconds": cap}), flush=True)
            os._exit(0)

        times, n = [], 0
        try:
            for _ in range(runs):
                watchdog = threading.Timer(cap, give_up)
                watchdog.daemon = True
                watchdog.start()
                t = time.perf_counter()
                try:
                    n = len(list(data.query(text, initNs=PREFIXES, initBindings=init)))
                finally:
                    watchdog.cancel()
                times.append(time.perf_counter() - t)
                if times[-1] > 10:
                    break
        except Exception as exc:  # noqa: BLE001 - rdflib cannot answer this query: a figure too
            print(json.dumps({"name": name, "finished": False, "error": f"fails: {type(exc).__name__}: {exc}"[:160]}),
                  flush=True)
            continue
        print(json.dumps({"name": name, "finished": True, "seconds": statistics.median(times),
                          "all_seconds": times, "rows": n}), flush=True)


def rdflib_side(graph_file: Path, rows: list[dict], runs: int, cap: float) -> tuple[dict[str, dict], dict]:
    """Run the rdflib child until every query has a figure."""
    sys.path.insert(0, str(HERE))
    from measure import run_measured

    todo = [r["name"] for r in rows]
    bindings = {r["name"]: r["bindings"] for r in rows}  # N-Triples spelling of each bound term
    found: dict[str, dict] = {}
    load: dict = {}
    while todo:
        spec = json.dumps({"names": todo, "bindings": bindings})
        cmd = [sys.executable, __file__, "--rdflib-worker", str(graph_file), spec, "--runs", str(runs), "--cap", str(cap)]
        m = run_measured(cmd, timeout=cap * (runs + 1) * len(todo) + 1800)
        lines = [json.loads(line) for line in m.stdout.splitlines() if line.startswith("{")]
        if lines and "loaded" in lines[0]:
            load = {**lines[0], "peak_mb": max(load.get("peak_mb", 0), m.maxrss_mb)}
        got = [x for x in lines if "name" in x]
        for x in got:
            found[x["name"]] = x
            _log(f"rdflib {x['name']:16s} " + (f"{x['seconds'] * 1000:9.1f} ms  {x.get('rows')} rows"
                                                if x["finished"] else x.get("error") or f"did not finish in {cap:.0f} s"))
        if not got:  # the child failed before answering anything: say so for the rest
            why = "failed: " + ((m.stderr.strip().splitlines() or ["?"])[-1])
            for name in todo:
                found[name] = {"name": name, "finished": False, "error": why}
            break
        todo = [n for n in todo if n not in found]
    return found, load


def markdown(rows: list[dict], rd: dict[str, dict], load: dict, triples: int, cap: float, runs: int) -> str:
    out = [f"Store: {triples:,} triples (the 1,000-document build). Embedded = the query alone on the store on disk, "
           f"opened read-only in the same process, parameters bound (median of {runs}); as the CLI runs it = "
           "`run_named` with its time limit: the party name resolved against the graph, then the query in a fresh "
           "worker process that opens the store (median of 3). rdflib = the same text and bindings on an rdflib "
           f"`Dataset` with the same quads, default graph = union (median of up to {runs}; stopped at {cap:.0f} s). "
           f"rdflib loaded the graph in {load.get('seconds', 0):.0f} s, {load.get('peak_mb', 0):,.0f} MB.", "",
           "| query | parameters | rows (Oxigraph / rdflib) | embedded (ms) | as the CLI runs it (ms) | rdflib (ms) "
           "| rdflib ÷ embedded | target < 100 ms |",
           "|:--|:--|--:|--:|--:|--:|--:|:--|"]
    for r in rows:
        x = rd.get(r["name"], {})
        if x.get("finished"):
            rms, ratio = f"{x['seconds'] * 1000:,.0f}", f"{x['seconds'] * 1000 / r['embedded_ms']:,.0f}×"
            counts = f"{r['rows']:,} / {x['rows']:,}" + ("" if x["rows"] == r["rows"] else " (differ)")
        elif "error" in x:
            rms, ratio, counts = x["error"], "", f"{r['rows']:,} / ?"
        else:
            rms, ratio, counts = f"> {cap * 1000:,.0f} (did not finish)", f"> {cap * 1000 / r['embedded_ms']:,.0f}×", f"{r['rows']:,} / ?"
        params = ", ".join(f"{k}={v!r}" for k, v in r["values"].items()) or "—"
        ok = "yes" if r["embedded_ms"] < TARGET_MS else "**no**"
        out.append(f"| {r['name']} | {params} | {counts} | {r['embedded_ms']:,.1f} | {r['cli_ms']:,.0f} | {rms} | {ratio} | {ok} |")
    emb = sorted(r["embedded_ms"] for r in rows)
    out += ["", f"Median over the queries of the embedded medians: {statistics.median(emb):,.1f} ms; slowest "
                f"{max(rows, key=lambda r: r['embedded_ms'])['name']} {emb[-1]:,.0f} ms."]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=None, help="store folder (default $OBLIGRAPH_BENCH_STORE)")
    ap.add_argument("--runs", type=int, default=5, help="runs per query (median)")
    ap.add_argument("--cap", type=float, default=300, help="seconds one rdflib run may take")
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="where the N-Quads copy for rdflib goes")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument("--rdflib-worker", nargs=2, metavar=("FILE", "SPEC"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.rdflib_worker:
        spec = json.loads(a.rdflib_worker[1])
        rdflib_worker(Path(a.rdflib_worker[0]), spec["names"], spec["bindings"], a.runs, a.cap)
        return 0
    store_dir = a.store or (Path(os.environ["OBLIGRAPH_BENCH_STORE"]) if os.environ.get("OBLIGRAPH_BENCH_STORE") else None)
    if store_dir is None:
        ap.error("give --store DIR (or set OBLIGRAPH_BENCH_STORE)")
    import pyoxigraph as ox

    from graph.store import StoreFolder

    store = StoreFolder(store_dir).open()
    triples = len(store)
    chosen = parameters(store)
    _log(f"{triples:,} triples; parameters {chosen}")
    rows = oxigraph_side(store_dir, a.runs, chosen)
    rd, load = {}, {}
    if not a.no_rdflib:
        a.out.mkdir(parents=True, exist_ok=True)
        copy = a.out / "bench-query-graph.nq"
        store.oxigraph().dump(str(copy), format=ox.RdfFormat.N_QUADS)
        try:
            rd, load = rdflib_side(copy, rows, a.runs, a.cap)
        finally:
            copy.unlink(missing_ok=True)
    if a.json:
        a.json.write_text(json.dumps({"triples": triples, "rows": rows, "rdflib": rd, "rdflib_load": load,
                                      "cap": a.cap, "runs": a.runs}, indent=1), encoding="utf-8")
    print(markdown(rows, rd, load, triples, a.cap, a.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
