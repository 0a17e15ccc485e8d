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

Row counts of both engines are compared. Each engine runs in a child
process (bench/measure.py: memory-limited) that opens the graph once; a query
that passes the cap (or fails) ends that process, and a new one goes on with
the next query.

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


_REPORT = threading.Lock()  # the watchdog and the main thread: whoever takes it reports


def _report(line: dict) -> None:
    with _REPORT:
        print(json.dumps(line), flush=True)


def _watchdog(seconds: float, line: dict) -> threading.Timer:
    """Report ``line`` and end the process if not cancelled within ``seconds``."""
    def give_up() -> None:
        if _REPORT.acquire(blocking=False):
            print(json.dumps(line), flush=True)
            os._exit(0)

    timer = threading.Timer(seconds, give_up)
    timer.daemon = True
    timer.start()
    return timer


def _stop(timer: threading.Timer) -> None:
    """Cancel a watchdog, or wait here for it to end the process if it already fired."""
    timer.cancel()
    with _REPORT:
        pass


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def oxigraph_worker(store_dir: Path, names: list[str], chosen: dict[str, str], runs: int, cap: float) -> None:
    """Open the store once, then time each named query; one JSON line per query on stdout."""
    from graph.query import bind_parameters, execute, load_named_query, run_named
    from graph.store import StoreFolder

    store = StoreFolder(store_dir).open()
    for name in names:
        named = load_named_query(name)
        values = _values_for(named, chosen)

        watchdog = _watchdog(cap * (runs + 4), {"name": name, "values": values, "finished": False, "seconds": cap})
        bindings = bind_parameters(store, values, {p.name: p.type for p in named.parameters})
        times, n = [], 0
        for _ in range(runs):
            t0 = time.perf_counter()
            result = execute(store, named.text, bindings, timeout=None, limit=None)
            times.append(time.perf_counter() - t0)
            n = len(result.rows)
            if times[-1] > cap:
                break
        cli = []
        for _ in range(3):
            t0 = time.perf_counter()
            try:
                run_named(store, named.name, values)  # its own 30 s limit, in its own worker process
            except Exception as exc:  # noqa: BLE001 - a timeout is a figure too
                cli.append(None)
                print(f"{name}: as the CLI runs it: {exc}", file=sys.stderr)
                break
            cli.append(time.perf_counter() - t0)
        _stop(watchdog)
        _report({
            "name": name, "values": values, "finished": True, "bindings": {k: str(v) for k, v in bindings.items()},
            "rows": n, "embedded_ms": _median_ms(times), "embedded_all_ms": [t * 1000 for t in times],
            "cli_ms": _median_ms(cli) if None not in cli else None})


def in_children(engine: str, source: Path, names: list[str], spec: dict, runs: int, cap: float) -> tuple[dict[str, dict], dict]:
    """Run an engine's child until every query has a figure (resuming after one that ends it)."""
    sys.path.insert(0, str(HERE))
    from measure import run_measured

    todo = list(names)
    found: dict[str, dict] = {}
    info: dict = {"peak_mb": 0.0}
    while todo:
        cmd = [sys.executable, __file__, "--worker", engine, str(source), json.dumps({**spec, "names": todo}),
               "--runs", str(runs), "--cap", str(cap)]
        m = run_measured(cmd, timeout=cap * (runs + 5) * len(todo) + 1800)
        info["peak_mb"] = max(info["peak_mb"], m.maxrss_mb)
        lines = [json.loads(line) for line in m.stdout.splitlines() if line.startswith("{")]
        for x in lines:
            if "loaded" in x:
                info.update(loaded=x["loaded"], seconds=x["seconds"])
                continue
            found[x["name"]] = x
            what = (f"{x['embedded_ms'] if 'embedded_ms' in x else x['seconds'] * 1000:9.1f} ms  {x.get('rows')} rows"
                    if x["finished"] else x.get("error") or f"did not finish in {cap:.0f} s")
            _log(f"{engine} {x['name']:16s} {what}")
        todo = [n for n in todo if n not in found]
        if todo and (m.returncode != 0 or m.timed_out):
            # The child died inside the next query (memory, a crash): that query fails; go on after it.
            why = "stopped" if m.timed_out else f"failed: {(m.stderr.strip().splitlines() or ['?'])[-1][:120]}"
            if m.maxrss_mb > 0.9 * float(os.environ.get("OBLIGRAPH_BENCH_MEMORY_GB", "12")) * 1024:
                why = f"ran out of memory (limit {os.environ.get('OBLIGRAPH_BENCH_MEMORY_GB', '12')} GB)"
            found[todo[0]] = {"name": todo[0], "finished": False, "error": why}
            _log(f"{engine} {todo[0]:16s} {why}")
            todo = todo[1:]
    return found, info


# --- the rdflib child -----------------------------------------------------------------
def _to_rdflib(text: str):
    """An RDF term from Oxigraph's N-Triples spelling of it."""
    import pyoxigraph as ox

    from graph.check import _to_rdflib as convert

    term = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES))).object
    return convert(term)


def rdflib_worker(graph_file: Path, names: list[str], bindings: dict[str, dict[str, str]], runs: int, cap: float) -> None:
    """Load the graph once, then run each query in a forked child; one JSON line per query on stdout.

    rdflib is pure Python, so a query past the cap cannot be interrupted from
    inside; a forked child shares the loaded graph (copy-on-write) and is
    simply killed, and the next query starts from the same loaded graph.
    """
    import signal

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
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run the query, report, leave
            os.close(read)
            try:
                times, n = [], 0
                for _ in range(runs):
                    t = time.perf_counter()
                    n = len(list(data.query(text, initNs=PREFIXES, initBindings=init)))
                    times.append(time.perf_counter() - t)
                    if sum(times) + times[-1] > cap or times[-1] > 10:
                        break  # another run would pass the cap, or the median of one is good enough
                line = {"name": name, "finished": True, "seconds": statistics.median(times), "all_seconds": times,
                        "rows": n}
            except Exception as exc:  # noqa: BLE001 - rdflib cannot answer this query: a figure too
                line = {"name": name, "finished": False, "error": f"fails: {type(exc).__name__}: {exc}"[:160]}
            os.write(write, json.dumps(line).encode())
            os._exit(0)
        os.close(write)
        deadline = time.perf_counter() + cap + 5
        while time.perf_counter() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)[0], None
            if done:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        with os.fdopen(read, "rb") as fh:
            answer = fh.read()
        print(answer.decode() if answer else json.dumps({"name": name, "finished": False, "seconds": cap}), flush=True)


def _ox_cell(r: dict, cap: float) -> str:
    if r.get("finished"):
        return f"{r['embedded_ms']:,.1f}"
    return r.get("error") or f"> {cap * 1000:,.0f} (did not finish)"


def markdown(rows: list[dict], rd: dict[str, dict], load: dict, triples: int, cap: float, runs: int) -> str:
    out = [f"Store: {triples:,} triples, on disk. Embedded = the query alone on the store opened read-only in "
           f"the same process, parameters bound (median of {runs}); as the CLI runs it = `run_named` with its "
           "30 s time limit: the party name resolved against the graph, then the query in a fresh worker process "
           "that opens the store (median of 3). rdflib = the same text and bindings on an rdflib `Dataset` with the "
           f"same quads, default graph = union (median of up to {runs} runs within {cap:.0f} s; a query is stopped "
           f"at {cap:.0f} s). "
           f"rdflib loaded the graph in {load.get('seconds', 0):.0f} s; its process peaked at "
           f"{load.get('peak_mb', 0):,.0f} MB.", "",
           "| query | parameters | rows (Oxigraph / rdflib) | embedded (ms) | as the CLI runs it (ms) | rdflib (ms) "
           "| rdflib ÷ embedded | target < 100 ms |",
           "|:--|:--|--:|--:|--:|--:|--:|:--|"]
    for r in rows:
        x = rd.get(r["name"], {})
        ours = f"{r['rows']:,}" if r.get("finished") else "?"
        if x.get("finished"):
            rms = f"{x['seconds'] * 1000:,.0f}"
            ratio = f"{x['seconds'] * 1000 / r['embedded_ms']:,.0f}×" if r.get("finished") else ""
            counts = f"{ours} / {x['rows']:,}" + ("" if r.get("finished") and x["rows"] == r["rows"] else " (differ)")
        elif "error" in x:
            rms, ratio, counts = x["error"], "", f"{ours} / ?"
        elif x:
            rms = f"> {cap * 1000:,.0f} (did not finish)"
            ratio = f"> {cap * 1000 / r['embedded_ms']:,.0f}×" if r.get("finished") else ""
            counts = f"{ours} / ?"
        else:
            rms, ratio, counts = "not run", "", f"{ours} / ?"
        params = ", ".join(f"{k}={v!r}" for k, v in r.get("values", {}).items()) or "—"
        ok = "yes" if r.get("finished") and r["embedded_ms"] < TARGET_MS else "**no**"
        cli = f"{r['cli_ms']:,.0f}" if r.get("cli_ms") is not None else ("> 30,000" if r.get("finished") else "")
        out.append(f"| {r['name']} | {params} | {counts} | {_ox_cell(r, cap)} | {cli} | {rms} | {ratio} | {ok} |")
    done = [r for r in rows if r.get("finished")]
    if done:
        emb = sorted(r["embedded_ms"] for r in done)
        out += ["", f"Median over the queries of the embedded medians: {statistics.median(emb):,.1f} ms; slowest "
                    f"{max(done, key=lambda r: r['embedded_ms'])['name']} {emb[-1]:,.0f} ms."]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=None, help="store folder (default $OBLIGRAPH_BENCH_STORE)")
    ap.add_argument("--runs", type=int, default=5, help="runs per query (median)")
    ap.add_argument("--cap", type=float, default=300, help="seconds one run of one query may take")
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="where the N-Quads copy for rdflib goes")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument("--worker", nargs=3, metavar=("ENGINE", "SOURCE", "SPEC"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        engine, source, spec = a.worker[0], Path(a.worker[1]), json.loads(a.worker[2])
        if engine == "oxigraph":
            oxigraph_worker(source, spec["names"], spec["chosen"], a.runs, a.cap)
        else:
            rdflib_worker(source, spec["names"], spec["bindings"], a.runs, a.cap)
        return 0
    store_dir = a.store or (Path(os.environ["OBLIGRAPH_BENCH_STORE"]) if os.environ.get("OBLIGRAPH_BENCH_STORE") else None)
    if store_dir is None:
        ap.error("give --store DIR (or set OBLIGRAPH_BENCH_STORE)")
    import pyoxigraph as ox

    from graph.query import named_query_names
    from graph.store import StoreFolder

    store = StoreFolder(store_dir).open()
    triples = len(store)
    chosen = parameters(store)
    names = named_query_names()
    _log(f"{triples:,} triples; parameters {chosen}")
    ox_found, _ = in_children("oxigraph", store_dir, names, {"chosen": chosen}, a.runs, a.cap)
    rows = [ox_found[n] for n in names]
    rd, load = {}, {}
    if not a.no_rdflib:
        a.out.mkdir(parents=True, exist_ok=True)
        copy = a.out / "bench-query-graph.nq"
        store.oxigraph().dump(str(copy), format=ox.RdfFormat.N_QUADS)
        bindings = {r["name"]: r.get("bindings") for r in rows if r.get("bindings") is not None}
        try:
            rd, load = in_children("rdflib", copy, [n for n in names if n in bindings], {"bindings": bindings}, a.runs, a.cap)
        finally:
            copy.unlink(missing_ok=True)
    if a.json:
        a.json.write_text(json.dumps({"triples": triples, "rows": rows, "rdflib": rd, "rdflib_load": load,
                                      "cap": a.cap, "runs": a.runs}, indent=1), encoding="utf-8")
    print(markdown(rows, rd, load, triples, a.cap, a.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
