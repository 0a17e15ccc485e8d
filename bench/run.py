"""Run the obligraph benchmarks and write bench/RESULTS.md.

Generates the corpora (cached in bench/out/ by seed, size and generator
version), runs bench/bench_build.py on them, then bench/bench_check.py,
bench/bench_query.py and bench/bench_draw.py where they exist, and writes their
Markdown to bench/RESULTS.md with the date, the machine, the sizes and, for
each figure, its target. Every ratio is measured in the same run as its baseline.

    python bench/run.py                      # 10 and 100 documents: about 6 minutes on 2 cores
    python bench/run.py --sizes 10,100,1000  # the full run: about 45 minutes on 2 cores

The other scripts are run without arguments; they find the corpora in the
environment: OBLIGRAPH_BENCH_CORPUS (the largest) and OBLIGRAPH_BENCH_CORPORA
(all, separated by os.pathsep).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OTHERS = ("bench_check.py", "bench_query.py", "bench_draw.py")

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
    for mod in ("graph", "spacy", "pyoxigraph", "rdflib"):
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


def run_other(script: Path, env: dict, timeout: float) -> tuple[str, float]:
    """Run another benchmark script; its stdout is Markdown. Failures are reported, not raised."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"*`{script.name}` did not finish within {timeout:.0f} s and was stopped.*\n", time.perf_counter() - t0
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        return f"*`{script.name}` failed (exit {proc.returncode}):*\n\n```\n{tail}\n```\n", took
    return proc.stdout.strip() + "\n", took


def summary(build: dict, sizes: list[int]) -> list[str]:
    """The headline figures, each beside its target."""
    rows = ["| figure | measured | target | met |", "|:--|--:|:--|:--|"]
    for t in build.get("throughput", []):
        ok = "yes" if t["ratio_wall"] >= 0.8 else "**no**"
        rows.append(f"| build throughput, obligraph ÷ bare spaCy, {t['docs']} docs ({'median of ' + str(t['runs']) if t['runs'] > 1 else '1 run'}) "
                    f"| {t['ratio_wall']:.2f} wall, {t['ratio_cpu']:.2f} CPU "
                    f"({t['words'] / t['obligraph_wall']:,.0f} vs {t['words'] / t['spacy_wall']:,.0f} words/s) | ≥ 0.8 | {ok} |")
    inc = build.get("incremental")
    if inc:
        ok = "yes" if inc["ratio"] < 0.05 else "**no**"
        rows.append(f"| incremental rebuild ÷ full build, one of {inc['docs']} docs changed | {inc['ratio']:.1%} "
                    f"({inc['incremental_wall']:.1f} s vs {inc['full_wall']:.1f} s; whole process {inc['ratio_process']:.1%}) "
                    f"| < 5% | {ok} |")
    tp = build.get("throughput", [])
    if tp:
        big = tp[-1]
        peak = max([big["obligraph_maxrss_mb"]] + ([inc["full_maxrss_mb"]] if inc and inc["docs"] == big["docs"] else []))
        rows.append(f"| peak memory of build, {big['docs']} docs | {peak:,.0f} MB | (none set) | |")
        if len(tp) >= 2:
            a, b = tp[0], tp[-1]
            per = (b["triples"] - a["triples"]) / (b["docs"] - a["docs"])
            at1000 = a["triples"] + per * (1000 - a["docs"])
            measured = next((t["triples"] for t in tp if t["docs"] == 1000), None)
            label = f"{measured:,} (measured)" if measured else f"{at1000:,.0f} (extrapolated from {a['docs']} and {b['docs']})"
            rows.append(f"| triples at 1,000 docs | {label} | about 1,000,000 | "
                        f"{'yes' if 0.8e6 <= (measured or at1000) <= 1.25e6 else '**no**'} |")
        r = big.get("recall") or {}
        if r:
            rows.append(f"| recall of generated commitments, {big['docs']} docs (sanity, not gold) | "
                        f"{r['found'] / max(1, r['expected']):.1%} found, {r['owners_ok'] / max(1, r['expected']):.1%} with the intended owners "
                        f"| (none set) | |")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="example: python bench/run.py --sizes 10,100")
    ap.add_argument("--sizes", default="10,100", help="corpus sizes in documents (default 10,100; full run 10,100,1000)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--runs", type=int, default=3, help="runs on the smallest corpus (default 3)")
    ap.add_argument("--incremental-size", type=int, default=None,
                    help="corpus size for the incremental rebuild (default: the largest; 1,000 adds ~13 min on 2 cores)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="generated corpora and raw figures (default bench/out)")
    ap.add_argument("--results", type=Path, default=HERE / "RESULTS.md", help="Markdown to write (default bench/RESULTS.md)")
    ap.add_argument("--other-timeout", type=float, default=600, help="seconds allowed to each other bench script")
    ap.add_argument("--skip-others", action="store_true", help="only generation and bench_build")
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

    build_json = a.out / "bench_build.json"
    cmd = [sys.executable, str(HERE / "bench_build.py"), "--runs", str(a.runs), "--out", str(a.out),
           "--json", str(build_json), "--incremental", str(corpora[inc_size])]
    for n in sizes:
        cmd += ["--corpus", str(corpora[n])]
    _log("bench_build: " + " ".join(cmd[1:]))
    tb = time.perf_counter()
    build_md = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=False, stdout=subprocess.PIPE, text=True).stdout
    build_took = time.perf_counter() - tb
    build = json.loads(build_json.read_text())

    others: list[tuple[str, str, float]] = []
    if not a.skip_others:
        env = dict(os.environ, OBLIGRAPH_BENCH_CORPUS=str(corpora[sizes[-1]]),
                   OBLIGRAPH_BENCH_CORPORA=os.pathsep.join(str(corpora[n]) for n in sizes))
        for name in OTHERS:
            script = HERE / name
            if script.is_file():
                _log(f"{name} ...")
                md, took = run_other(script, env, a.other_timeout)
                others.append((name, md, took))
                _log(f"{name}: {took:.0f} s")
    total = time.perf_counter() - t0
    load_after = os.getloadavg()

    m, v = machine(), versions()
    metas = {n: json.loads((corpora[n] / "corpus.json").read_text()) for n in sorted(corpora)}
    expected = {n: sum(1 for _ in open(corpora[n] / "expected.jsonl", encoding="utf-8")) for n in sorted(corpora)}
    lines = [
        "# obligraph benchmark results", "",
        f"- Date: {started:%Y-%m-%d %H:%M %Z}; total run time {total / 60:.1f} min (bench_build {build_took / 60:.1f} min)",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']:.1f} GB memory, {m['platform']}, Python {m['python']}",
        f"- Load average (1 min) at start {load_before[0]:.2f}, at end {load_after[0]:.2f}: other work on the machine "
        "slows wall-clock figures; ratios pair runs made side by side, and CPU-time figures are given too",
        f"- Versions: obligraph {v['graph']}, spaCy {v['spacy']}, pyoxigraph {v['pyoxigraph']}, rdflib {v['rdflib']}; "
        f"commit {git_state()}",
        f"- Command: `{' '.join(['python bench/run.py', *(argv if argv is not None else sys.argv[1:])])}`",
        "",
        "## Targets", "",
        *summary(build, sizes), "",
        "## Corpora", "",
        f"Generated by `bench/generate.py` (seed {a.seed}, generator version {generate.GENERATOR_VERSION}): invented "
        "agreements of about 5,000 words, plain text (some wrapped as from PDF) and Markdown, in `bench/out/` "
        "(not committed).", "",
        "| docs | words | words per doc | expected commitments | folder |", "|---:|---:|---:|---:|:--|",
        *[f"| {n} | {metas[n]['words']:,} | {metas[n]['words'] / n:,.0f} | {expected[n]:,} | `{corpora[n].relative_to(ROOT) if corpora[n].is_relative_to(ROOT) else corpora[n]}` |"
          for n in sorted(corpora)], "",
        "## Build", "", build_md.strip(), "",
    ]
    for name, md, took in others:
        lines += [f"## {name} ({took:.0f} s)", "", md.strip(), ""]
    missing = [n for n in OTHERS if not (HERE / n).is_file()]
    if missing and not a.skip_others:
        lines += ["", f"Not present in this run: {', '.join(f'`{n}`' for n in missing)}.", ""]
    a.results.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    _log(f"wrote {a.results} ({total / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
