"""Run the obligraph benchmarks and write bench/RESULTS.md.

Generates the corpora (cached in bench/out/ by seed, size and generator
version), then runs, each in its own processes:

1. bench_build.py: build throughput against bare spaCy with one process and
   with ``--jobs`` processes, the graph of each corpus (kept as N-Quads), the
   incremental rebuild on the largest corpus (its store is kept), a profile;
2. bench_check.py: ``check``'s sparql engine against plain pySHACL on the
   graphs of every size and on corpus/ (pySHACL capped at ``--cap`` seconds);
3. bench_query.py: every named query on the largest store against rdflib;
4. bench_commands.py: each command's wall time and peak memory on the
   largest store, and ``check`` on corpus/;
5. bench_draw.py, when present.

and writes their Markdown to bench/RESULTS.md with the date, the machine, the
sizes and a table of every figure beside its target. Every ratio is measured
in the same run as its baseline.

    python bench/run.py                         # 10, 100 and 1,000 documents: about 2 hours on 2 cores
    python bench/run.py --sizes 10,100 --cap 60 # a quick run: about 15 minutes

bench_draw.py is run without arguments; it and the others also find the
corpora in the environment: OBLIGRAPH_BENCH_CORPUS (the largest),
OBLIGRAPH_BENCH_CORPORA (all, separated by os.pathsep) and
OBLIGRAPH_BENCH_STORE (the store of the largest).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OTHERS = ("bench_check.py", "bench_query.py", "bench_commands.py", "bench_draw.py")

sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (bench/generate.py, beside this file)


def _log(msg: str) -> None:
    print(f"[run] {msg}", file=sys.stderr, flush=True)


def _generator_hash() -> str:
    return hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:12]


def corpus(size: int, seed: int, out: Path) -> Path:
    """The generated corpus of ``size`` documents, generated again only when the generator changed."""
    folder = out / f"corpus-s{seed}-n{size}"
    want = {"docs": size, "seed": seed, "generator_hash": _generator_hash()}
    stamp = folder / "cache.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == want:
        _log(f"corpus of {size} documents: cached in {folder}")
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    meta = generate.generate(size, seed, folder)
    stamp.write_text(json.dumps(want, sort_keys=True) + "\n")
    _log(f"corpus of {size} documents: generated in {time.perf_counter() - t0:.1f} s, {meta['words']:,} words")
    return folder


def _dump_store(store: Path, target: Path) -> None:
    """The graph of a store as N-Quads, for bench_check.py (a size whose throughput was not measured)."""
    code = ("import sys, pyoxigraph as ox; from graph.store import StoreFolder; "
            "StoreFolder(sys.argv[1]).open().oxigraph().dump(sys.argv[2], format=ox.RdfFormat.N_QUADS)")
    subprocess.run([sys.executable, "-c", code, str(store), str(target)], cwd=ROOT, check=True)
    _log(f"graph of {store.name} written to {target.name}")


def machine() -> dict:
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    cpu = platform.processor() or ""
    try:
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return {"nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "memory_gb": mem / 2**30, "cpu": cpu, "python": platform.python_version(), "platform": platform.platform()}


def versions() -> dict:
    out = {}
    for mod in ("graph", "spacy", "pyoxigraph", "rdflib", "pyshacl"):
        try:
            out[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - a version is only informative
            out[mod] = "?"
    return out


def git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "?"


def run_other(script: Path, env: dict, timeout: float, args: list[str] = ()) -> tuple[str, float]:
    """Run another benchmark script; its stdout is Markdown. Failures are reported, not raised."""
    t0 = time.perf_counter()
    cmd = [sys.executable, str(script), *args]
    _log(" ".join([script.name, *args]))
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"*`{script.name}` did not finish within {timeout:.0f} s and was stopped.*\n", time.perf_counter() - t0
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        return f"*`{script.name}` failed (exit {proc.returncode}); its log is above in the run's stderr.*\n", took
    return proc.stdout.strip() + "\n", took


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def summary(build: dict, check: dict, query: dict, commands: dict) -> list[str]:
    """The headline figures, each beside its target."""
    rows = ["| figure | measured | target | met |", "|:--|--:|:--|:--|"]
    tp = sorted(build.get("throughput", []), key=lambda t: (t.get("jobs", 1), t["docs"]))
    for t in tp:
        j = t.get("jobs", 1)
        how = f"{'median of ' + str(t['runs']) if t['runs'] > 1 else '1 run'}"
        if j == 1:
            rows.append(f"| build throughput, obligraph ÷ bare spaCy, {t['docs']:,} docs, 1 process ({how}) "
                        f"| {t['ratio_wall']:.2f} wall, {t['ratio_cpu']:.2f} CPU "
                        f"({t['words'] / t['obligraph_wall']:,.0f} vs {t['words'] / t['spacy_wall']:,.0f} words/s) "
                        f"| ≥ 0.8 | {_yes(t['ratio_wall'] >= 0.8)} |")
        else:
            rows.append(f"| build throughput, `--jobs {j}` ÷ spaCy `n_process={j}`, {t['docs']:,} docs ({how}) "
                        f"| {t['ratio_wall']:.2f} wall ({t['words'] / t['obligraph_wall']:,.0f} vs "
                        f"{t['words'] / t['spacy_wall']:,.0f} words/s) | ≥ 0.8 | {_yes(t['ratio_wall'] >= 0.8)} |")
    inc = build.get("incremental")
    if inc:
        rows.append(f"| incremental rebuild ÷ full build, one of {inc['docs']:,} docs changed | {inc['ratio']:.1%} "
                    f"({inc['incremental_wall']:.1f} s vs {inc['full_wall']:.0f} s with {inc.get('jobs', 1)} "
                    f"process{'es' if inc.get('jobs', 1) > 1 else ''}; whole process {inc['ratio_process']:.1%}) "
                    f"| < 5% | {_yes(inc['ratio'] < 0.05)} |")
    crow = [r for r in check.get("rows", []) if r.get("engine") == "sparql" and "seconds" in r]
    for r in crow:
        if r["label"] == "corpus":
            continue
        took = f"{r['seconds']:.2f} s" if r["finished"] else f"did not finish in {r['seconds']:.0f} s"
        big_graph = r["triples"] >= 900_000
        rows.append(f"| check (SHACL rules, sparql engine), {r['label']}: time | {took} "
                    f"({r['triples']:,} triples) | < 15 s at 1M triples | "
                    f"{_yes(r['finished'] and r['seconds'] < 15) if big_graph else ''} |")
        if big_graph:
            rows.append(f"| check (SHACL rules, sparql engine), {r['label']}: peak memory during the check "
                        f"| {r['peak_rss_mb']:,.0f} MB{'' if r['finished'] else ' (until stopped)'} (whole process, "
                        f"graph loaded in memory: {r.get('process_peak_mb', 0):,.0f} MB) | < 2 GB "
                        f"| {_yes(r['finished'] and r['peak_rss_mb'] < 2048)} |")
        ps = next((x for x in check.get("rows", []) if x["label"] == r["label"] and x.get("engine") == "pyshacl"
                   and "seconds" in x), None)
        if ps and r["finished"]:
            bound = "" if ps["finished"] else "> "
            rows.append(f"| check: plain pySHACL ÷ sparql engine, {r['label']} | {bound}{ps['seconds'] / r['seconds']:,.0f}× "
                        f"({bound}{ps['seconds']:,.0f} s vs {r['seconds']:.2f} s) | (none set) | |")
    big = commands.get("large", {}).get("commands", {})
    if "check" in big:
        done = [x for x in big["check"] if x.get("ok", True)]
        wall = statistics.median(x["wall"] for x in done) if done else None
        took = f"{wall:.1f} s" if done else big["check"][-1].get("status", "did not finish")
        rows.append(f"| `obligraph check`, whole command (start-up, rules, consistency, report), "
                    f"{commands['large']['triples']:,} triples | {took} | < 15 s | {_yes(bool(done) and wall < 15)} |")
    corpus = commands.get("corpus")
    if corpus:
        rows.append(f"| `obligraph check`, whole command, corpus/ ({corpus['triples']:,} triples) "
                    f"| {corpus['check_median']:.2f} s (median of {len(corpus['check'])}) | < 2 s "
                    f"| {_yes(corpus['check_median'] < 2)} |")
    qrows = query.get("rows", [])
    if qrows:
        done = [r for r in qrows if r.get("finished")]
        fast = [r for r in done if r["embedded_ms"] < 100]
        worst = max(done, key=lambda r: r["embedded_ms"]) if done else None
        slowest = f"; slowest {worst['name']} {worst['embedded_ms']:,.0f} ms" if worst else ""
        unfinished = len(qrows) - len(done)
        rows.append(f"| named queries on the embedded store, {query['triples']:,} triples: median of each "
                    f"| {len(fast)} of {len(qrows)} under 100 ms{slowest}"
                    f"{f'; {unfinished} did not finish or failed' if unfinished else ''} | each < 100 ms "
                    f"| {_yes(len(fast) == len(qrows))} |")
        cli = [r["cli_ms"] for r in done if r.get("cli_ms") is not None]
        if cli:
            rows.append(f"| named queries as `obligraph query` runs them (party resolved, worker process) "
                        f"| median over the queries {statistics.median(cli):,.0f} ms | (none set) | |")
        rd = query.get("rdflib", {})
        if rd:
            both = [r for r in done if rd.get(r["name"], {}).get("finished")]
            ratios = sorted(rd[r["name"]]["seconds"] * 1000 / r["embedded_ms"] for r in both)
            dnf = sum(1 for x in rd.values() if not x.get("finished") and "error" not in x)
            err = sum(1 for x in rd.values() if "error" in x)
            text = (f"median {statistics.median(ratios):,.0f}× over the {len(both)} both answered" if ratios
                    else "rdflib answered none")
            rows.append(f"| named queries, rdflib ÷ embedded store | {text}; in rdflib {dnf} did not finish in "
                        f"{query.get('cap', 0):.0f} s, {err} failed | (none set) | |")
    peaks = []
    if inc:
        peaks.append((f"build (disk store, {inc['docs']:,} docs, {inc.get('jobs', 1)} process{'es' if inc.get('jobs', 1) > 1 else ''})",
                      inc.get("full_tree_mb", inc["full_maxrss_mb"])))
    one = [t for t in build.get("throughput", []) if t.get("jobs", 1) == 1]
    if one:
        t = max(one, key=lambda t: t["docs"])
        peaks.append((f"build (memory store, {t['docs']:,} docs, 1 process)", t["obligraph_maxrss_mb"]))
    for name, runs in big.items():
        stopped = not any(x.get("ok", True) for x in runs)
        peaks.append((name + (" (until stopped: did not finish)" if stopped else ""), max(x["tree_mb"] for x in runs)))
    size = f"{commands['large']['triples']:,} triples" if commands.get("large") else "the largest corpus"
    for name, mb in peaks:
        rows.append(f"| peak memory, {name}, {size} | {mb:,.0f} MB | < 4 GB at 1M triples | {_yes(mb < 4096)} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="example: python bench/run.py --sizes 10,100 --cap 60")
    ap.add_argument("--sizes", default="10,100,1000", help="corpus sizes in documents (default 10,100,1000)")
    ap.add_argument("--throughput-sizes", default=None,
                    help="sizes whose build throughput is measured against spaCy (default: all); the graph of a "
                         "size left out is that of the incremental test's store")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--runs", type=int, default=3, help="runs on the smallest corpus (default 3)")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                    help="processes for the build with --jobs (default: the CPUs, at most 4)")
    ap.add_argument("--incremental-size", type=int, default=None,
                    help="corpus size for the incremental rebuild (default: the largest)")
    ap.add_argument("--cap", type=float, default=600,
                    help="seconds a check (pySHACL or ours) or a whole command may take (default 600)")
    ap.add_argument("--query-cap", type=float, default=120, help="seconds one query may take in rdflib (default 120)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="generated corpora and raw figures (default bench/out)")
    ap.add_argument("--results", type=Path, default=HERE / "RESULTS.md", help="Markdown to write (default bench/RESULTS.md)")
    ap.add_argument("--other-timeout", type=float, default=6 * 3600, help="seconds allowed to each other bench script")
    ap.add_argument("--skip-others", action="store_true", help="only generation and bench_build")
    ap.add_argument("--reuse-build", action="store_true",
                    help="do not run bench_build again: reuse its figures, graphs and store in --out (said so in RESULTS.md)")
    a = ap.parse_args(argv)
    sizes = sorted({int(s) for s in a.sizes.split(",") if s.strip()})
    started = dt.datetime.now().astimezone()
    t0 = time.perf_counter()
    load_before = os.getloadavg()
    a.out.mkdir(parents=True, exist_ok=True)
    corpora = {n: corpus(n, a.seed, a.out) for n in sizes}
    inc_size = a.incremental_size or sizes[-1]
    if inc_size not in corpora:
        corpora[inc_size] = corpus(inc_size, a.seed, a.out)
    kept = a.out / f"store-s{a.seed}-n{inc_size}"

    build_json = a.out / "bench_build.json"
    cmd = [sys.executable, str(HERE / "bench_build.py"), "--runs", str(a.runs), "--jobs", str(a.jobs),
           "--out", str(a.out), "--json", str(build_json), "--incremental", str(corpora[inc_size]),
           "--dump", str(a.out), "--keep-store", str(kept)]
    measured = sorted({int(s) for s in (a.throughput_sizes or a.sizes).split(",") if s.strip()})
    for n in measured:
        cmd += ["--corpus", str(corpora[n])]
    build_md_file = a.out / "bench_build.md"
    tb = time.perf_counter()
    if a.reuse_build:
        _log(f"bench_build: reusing {build_json} and {build_md_file}")
        build_md = build_md_file.read_text(encoding="utf-8")
        reused = dt.datetime.fromtimestamp(build_json.stat().st_mtime).astimezone()
    else:
        _log("bench_build: " + " ".join(cmd[1:]))
        build_md = subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
        build_md_file.write_text(build_md, encoding="utf-8")
        reused = None
    build_took = time.perf_counter() - tb
    build = _load(build_json)
    for n in sizes:
        if n not in measured and n == inc_size and not a.reuse_build:
            _dump_store(kept, a.out / f"graph-{corpora[n].name}.nq")

    others: list[tuple[str, str, float]] = []
    figures: dict[str, dict] = {}
    if not a.skip_others:
        env = dict(os.environ, OBLIGRAPH_BENCH_CORPUS=str(corpora[sizes[-1]]),
                   OBLIGRAPH_BENCH_CORPORA=os.pathsep.join(str(corpora[n]) for n in sizes),
                   OBLIGRAPH_BENCH_STORE=str(kept))
        graphs = [f"{n:,} docs={a.out / f'graph-{corpora[n].name}.nq'}" for n in sizes]
        args = {
            "bench_check.py": ["--graph", f"corpus={ROOT / 'corpus'}", *[x for g in graphs for x in ("--graph", g)],
                               "--cap", str(a.cap)],
            "bench_query.py": ["--store", str(kept), "--cap", str(a.query_cap)],
            "bench_commands.py": ["--store", str(kept), "--cap", str(a.cap), "--out", str(a.out / "commands")],
        }
        for name in OTHERS:
            script = HERE / name
            if script.is_file():
                extra = list(args.get(name, []))
                if name in args:
                    extra += ["--json", str(a.out / name.replace(".py", ".json"))]
                md, took = run_other(script, env, a.other_timeout, extra)
                others.append((name, md, took))
                figures[name] = _load(a.out / name.replace(".py", ".json")) if name in args else {}
                _log(f"{name}: {took:.0f} s")
    total = time.perf_counter() - t0
    load_after = os.getloadavg()

    m, v = machine(), versions()
    metas = {n: json.loads((corpora[n] / "corpus.json").read_text()) for n in sorted(corpora)}
    expected = {n: sum(1 for _ in open(corpora[n] / "expected.jsonl", encoding="utf-8")) for n in sorted(corpora)}
    lines = [
        "# obligraph benchmark results", "",
        f"- Date: {started:%Y-%m-%d %H:%M %Z}; total run time {total / 60:.0f} min (bench_build {build_took / 60:.0f} min"
        + "".join(f", {n.replace('.py', '')} {t / 60:.0f} min" for n, _, t in others) + ")",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']:.1f} GB memory, {m['platform']}, Python {m['python']}",
        f"- Load average (1 min) at start {load_before[0]:.2f}, at end {load_after[0]:.2f}: other work on the machine "
        "slows wall-clock figures; ratios pair runs made side by side, and CPU-time figures are given too",
        f"- Versions: obligraph {v['graph']}, spaCy {v['spacy']}, pyoxigraph {v['pyoxigraph']}, rdflib {v['rdflib']}, "
        f"pySHACL {v['pyshacl']}; commit {git_state()}",
        f"- Command: `{' '.join(['python bench/run.py', *(argv if argv is not None else sys.argv[1:])])}`",
        *([f"- The build figures were not measured again in this run: they are those of the run that ended "
           f"{reused:%Y-%m-%d %H:%M %Z}, on the same corpora and machine"] if reused else []),
        "",
        "## Targets", "",
        *summary(build, figures.get("bench_check.py", {}), figures.get("bench_query.py", {}),
                 figures.get("bench_commands.py", {})), "",
        *gaps(build, figures), 
        "## Corpora", "",
        f"Generated by `bench/generate.py` (seed {a.seed}, generator version {generate.GENERATOR_VERSION}): invented "
        "agreements of about 5,000 words, plain text (some wrapped as from PDF) and Markdown, in `bench/out/` "
        "(not committed).", "",
        "| docs | words | words per doc | expected commitments | folder |", "|---:|---:|---:|---:|:--|",
        *[f"| {n:,} | {metas[n]['words']:,} | {metas[n]['words'] / n:,.0f} | {expected[n]:,} | `{corpora[n].relative_to(ROOT) if corpora[n].is_relative_to(ROOT) else corpora[n]}` |"
          for n in sorted(corpora)], "",
        "## Build", "", build_md.strip(), "",
    ]
    titles = {"bench_check.py": "Check: sparql engine vs plain pySHACL", "bench_query.py": "Named queries: embedded store vs rdflib",
              "bench_commands.py": "Whole commands: time and peak memory", "bench_draw.py": "Drawing the party graph"}
    for name, md, took in others:
        lines += [f"## {titles.get(name, name)} (`{name}`, {took / 60:.0f} min)", "", md.strip(), ""]
    missing = [n for n in OTHERS if not (HERE / n).is_file()]
    if missing and not a.skip_others:
        lines += ["", f"Not present in this run: {', '.join(f'`{n}`' for n in missing)}.", ""]
    a.results.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    _log(f"wrote {a.results} ({total / 60:.1f} min)")
    return 0


def gaps(build: dict, figures: dict) -> list[str]:
    """Where a target is missed, what causes it (from profiles of these runs; see bench/README.md)."""
    notes = [text for test, text in GAP_NOTES if test(build, figures)]
    return (["## Gaps and their causes", "", *notes, ""] if notes else [])


# Each: (is the target missed in these figures?, why). The explanations come
# from profiling these very benchmarks; a note shows only when its target is missed.
GAP_NOTES: list = []


if __name__ == "__main__":
    sys.exit(main())
