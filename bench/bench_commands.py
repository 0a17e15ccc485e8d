"""Whole ``obligraph`` commands as a user runs them: wall time and peak memory.

Each command runs as a child process (``python -m graph ...``) measured by
bench/measure.py: wall time, ``ru_maxrss`` (the largest process: the command
or a worker it started, such as the query's) and the sampled peak of all its
processes together.

- on the corpus (``corpus/``, built once into a store in ``--out``):
  ``obligraph check``, median of ``--runs`` (target: under 2 s);
- on the large store (``--store``, the 1,000-document build of run.py):
  ``check``, ``query`` (a named query with a party, and one without),
  ``draw`` (HTML and PNG) and ``export`` (TriG), each once, or ``--runs``
  times for check (target: under 15 s for a million triples; every command
  under 4 GB). ``build`` is measured by bench_build.py.

    python bench/bench_commands.py --store bench/out/store-s1-n1000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from measure import run_measured  # noqa: E402

TARGET_CORPUS_S = 2.0
TARGET_CHECK_S = 15.0
TARGET_MB = 4096


def _log(msg: str) -> None:
    print(f"[bench_commands] {msg}", file=sys.stderr, flush=True)


CAP = 600.0


def obligraph(args: list[str]) -> dict:
    """One command, stopped after CAP seconds; exit 1 (findings) counts as done."""
    m = run_measured([sys.executable, "-m", "graph", *args], timeout=CAP, cwd=ROOT)
    ok = not m.timed_out and m.returncode in (0, 1)
    tail = (m.stderr.strip().splitlines() or [""])[-1]
    status = "" if ok else ("did not finish in {:.0f} s".format(CAP) if m.timed_out else f"failed (exit {m.returncode}): {tail[:120]}")
    _log(f"obligraph {' '.join(args)}: {m.wall:.2f} s, {m.maxrss_mb:.0f} MB (all processes {m.tree_peak_mb:.0f} MB) {status}")
    return {"args": args, "wall": m.wall, "cpu": m.cpu, "maxrss_mb": m.maxrss_mb, "tree_mb": m.tree_peak_mb,
            "exit": m.returncode, "ok": ok, "status": status, "stderr_tail": tail}


def _repeat(args: list[str], runs: int) -> list[dict]:
    out = []
    for _ in range(runs):
        out.append(obligraph(args))
        if not out[-1]["ok"]:
            break
    return out


def _party(store: Path) -> str:
    from graph.store import StoreFolder

    rows = StoreFolder(store).open().select("""
        SELECT ?label (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c obl:owner ?p . ?p skos:prefLabel ?label ; org:memberOf ?g }
        GROUP BY ?label ORDER BY DESC(?n) ?label LIMIT 1""")
    return str(rows[0]["label"]) if rows else "Government"


def _triples(store: Path) -> int:
    from graph.store import StoreFolder

    return len(StoreFolder(store).open())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=None, help="the large store (default $OBLIGRAPH_BENCH_STORE)")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="the small corpus (default corpus/)")
    ap.add_argument("--runs", type=int, default=5, help="runs of check (median)")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "commands", help="stores and outputs go here")
    ap.add_argument("--cap", type=float, default=CAP, help="seconds a command may take (default 600)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    a = ap.parse_args()
    globals()["CAP"] = a.cap
    store = a.store or (Path(os.environ["OBLIGRAPH_BENCH_STORE"]) if os.environ.get("OBLIGRAPH_BENCH_STORE") else None)
    a.out.mkdir(parents=True, exist_ok=True)
    results: dict = {}

    small = a.out / "store-corpus"
    build = obligraph(["build", str(a.corpus), "--store", str(small), "-q"])
    checks = [obligraph(["check", "--store", str(small), "-o", str(a.out / "corpus-report.txt")]) for _ in range(a.runs)]
    results["corpus"] = {"triples": _triples(small), "build": build, "check": checks,
                         "check_median": statistics.median(c["wall"] for c in checks)}

    if store is not None:
        party = _party(store)
        runs = {
            "check": _repeat(["check", "--store", str(store), "-o", str(a.out / "report.txt")], max(1, a.runs // 2)),
            "query owes": [obligraph(["query", "owes", "--party", party, "--store", str(store), "--format", "csv"])],
            "query counts-theme": [obligraph(["query", "counts-theme", "--store", str(store)])],
            "draw (HTML)": [obligraph(["draw", "--store", str(store), "-o", str(a.out / "party_graph.html")])],
            "draw (PNG)": [obligraph(["draw", "--store", str(store), "-o", str(a.out / "party_graph.png")])],
            "export (TriG)": [obligraph(["export", "--store", str(store), "-o", str(a.out / "export.trig")])],
        }
        (a.out / "export.trig").unlink(missing_ok=True)
        results["large"] = {"store": str(store), "triples": _triples(store), "party": party, "commands": runs}
    if a.json:
        a.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(markdown(results))
    return 0


def markdown(results: dict) -> str:
    c = results["corpus"]
    walls = ", ".join(f"{x['wall']:.2f}" for x in c["check"])
    out = [f"Each command is stopped after {CAP:.0f} s.", "",
           f"`obligraph check` on the corpus (`corpus/`, {c['triples']:,} triples, stored), the whole command "
           f"(start-up, SHACL rules, cross-document consistency, report): median **{c['check_median']:.2f} s** "
           f"of {len(c['check'])} runs ({walls} s); peak {max(x['maxrss_mb'] for x in c['check']):,.0f} MB. "
           f"Target under {TARGET_CORPUS_S:g} s: {'met' if c['check_median'] < TARGET_CORPUS_S else '**not met**'}.", ""]
    large = results.get("large")
    if large:
        out += [f"On the store of the largest corpus ({large['triples']:,} triples); `query owes --party "
                f"\"{large['party']}\"`. Wall = the whole command; largest process = `ru_maxrss` (the command, or "
                "the worker process it starts); all processes = sampled peak of their sum.", "",
                "| command | runs | wall (s), median | largest process (MB) | all processes (MB) | target < 4 GB |",
                "|:--|--:|--:|--:|--:|:--|"]
        for name, runs in large["commands"].items():
            peak = max(r["maxrss_mb"] for r in runs)
            tree = max(r["tree_mb"] for r in runs)
            done = [r for r in runs if r["ok"]]
            wall = f"{statistics.median(r['wall'] for r in done):.2f}" if done else runs[-1]["status"]
            note = "" if done else " (until stopped)"
            out.append(f"| obligraph {name} | {len(runs)} | {wall} | {peak:,.0f}{note} | {tree:,.0f}{note} "
                       f"| {'yes' if tree < TARGET_MB else '**no**'} |")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
