"""Benchmark `obligraph check`: the sparql engine against plain pySHACL, same shapes, same graph.

The graphs are either real ones, ``--graph LABEL=PATH`` (N-Quads written by
``bench_build.py --dump``, or a folder of documents built in memory first), or
synthetic ones that follow docs/graph-shape.md, ``--sizes 10k 100k 1M``
(deterministic from a seed, with a small share of deliberate defects so every
rule has work to do). Each graph is loaded into a memory GraphStore and timed:

- ``sparql``: ``graph.check.validate(store, shapes, engine="sparql")``, the
  engine ``obligraph check`` uses;
- ``pyshacl``: plain ``pyshacl.validate`` on the same shapes and an rdflib
  graph of the union of the named graphs (the conversion is not timed);
- ``pyshacl-engine``: ``validate(engine="pyshacl")``, pySHACL with each
  SPARQL text parsed once (conversion included).

Each measurement runs in its own process, so its memory is its own and a
time cap can stop it: a run still checking after ``--cap`` seconds reports
"did not finish" and is ended, and its time counts as a lower bound. Peak
memory is the peak resident set during the check itself (Linux clear_refs /
VmHWM; else ru_maxrss of the whole run), and of the whole process.

    python bench/bench_check.py --graph 1M=bench/out/graph-corpus-s1-n1000.nq --cap 600
    python bench/bench_check.py --sizes 10k 100k --engines sparql pyshacl
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import random
import resource
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if importlib.util.find_spec("graph") is None:  # not installed: the package beside bench/
    sys.path.insert(0, str(ROOT / "src"))

OBL = "https://w3id.org/obligraph/ns#"
ID = "https://w3id.org/obligraph/id/"
GRAPH = "https://w3id.org/obligraph/graph/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
MODALITIES = ("commitment", "intention", "exploration", "aspiration")
VERBS = ("publish", "review", "fund", "develop", "agree", "explore", "support", "deliver")
NOUNS = ("estates plan", "workforce strategy", "prevention programme", "data-sharing protocol",
         "capital pipeline", "integration pilot", "commissioning framework", "care standard")
DEFECT = 0.01  # share of each kind of defect


def iri(x: str) -> str:
    return f"<{x}>"


def lit(s: object, dt: str | None = None) -> str:
    text = str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"' + (f"^^<{dt}>" if dt else "")


class Quads:
    """N-Quads lines, counted."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, s: str, p: str, o: str, g: str) -> None:
        self.lines.append(f"{s} {p} {o} {g} .\n")

    def __len__(self) -> int:
        return len(self.lines)


def register(q: Quads, rng: random.Random) -> dict[str, list[str]]:
    """A party register: national bodies, London Partners' members, outsiders."""
    g = iri(GRAPH + "register")
    parties: dict[str, list[str]] = {"national": [], "london": [], "outsider": [], "groups": []}
    for group, label, n in (("national-bodies", "national bodies", 6), ("london-partners", "London Partners", 30)):
        node = iri(ID + "party/" + group)
        parties["groups"].append(node)
        q.add(node, iri(RDF + "type"), iri(OBL + "PartyGroup"), g)
        q.add(node, iri(SKOS + "prefLabel"), lit(label), g)
        q.add(node, iri(OBL + "declaredMemberCount"), lit(n, XSD + "integer"), g)
        for i in range(n):
            member = iri(ID + f"party/{group}-member-{i}")
            parties["national" if group == "national-bodies" else "london"].append(member)
            q.add(member, iri(RDF + "type"), iri(OBL + "Party"), g)
            q.add(member, iri(SKOS + "prefLabel"), lit(f"{label.title()} member {i}"), g)
            q.add(member, iri(SKOS + "altLabel"), lit(f"M{group[0].upper()}{i}"), g)
            q.add(member, iri(ORG + "memberOf"), node, g)
    for i in range(5):
        node = iri(ID + f"party/regulator-{i}")
        parties["outsider"].append(node)
        q.add(node, iri(RDF + "type"), iri(OBL + "Party"), g)
        q.add(node, iri(SKOS + "prefLabel"), lit(f"Regulator {i}"), g)
    board = iri(ID + "party/programme-board")
    q.add(board, iri(RDF + "type"), iri(OBL + "GovernanceBody"), g)
    q.add(board, iri(SKOS + "prefLabel"), lit("Programme Board"), g)
    parties["board"] = [board]
    return parties


def evidence(q: Quads, g: str, node: str, source: str, text: str, start: int, end: int, rng: random.Random) -> None:
    e = node[:-1] + "/evidence>"
    pos, quote = e[:-1] + "/position>", e[:-1] + "/quote>"
    exact = text[start:end]
    if rng.random() < DEFECT:
        exact = exact[:-1] + "?"  # a quote that no longer matches
    q.add(node, iri(OBL + "evidence"), e, g)
    q.add(e, iri(RDF + "type"), iri(OA + "SpecificResource"), g)
    q.add(e, iri(OA + "hasSource"), source, g)
    q.add(e, iri(OA + "hasSelector"), pos, g)
    q.add(e, iri(OA + "hasSelector"), quote, g)
    q.add(pos, iri(RDF + "type"), iri(OA + "TextPositionSelector"), g)
    q.add(pos, iri(OA + "start"), lit(start, XSD + "integer"), g)
    q.add(pos, iri(OA + "end"), lit(end, XSD + "integer"), g)
    q.add(quote, iri(RDF + "type"), iri(OA + "TextQuoteSelector"), g)
    q.add(quote, iri(OA + "exact"), lit(exact), g)
    q.add(quote, iri(OA + "prefix"), lit(text[max(0, start - 20):start]), g)
    q.add(quote, iri(OA + "suffix"), lit(text[end:end + 20]), g)


def document(q: Quads, n: int, parties: dict[str, list[str]], rng: random.Random) -> None:
    """One agreement: 6 sections of 10 commitments, with evidence, mentions, deadlines."""
    doc = f"d{n:05d}"
    g = iri(GRAPH + "doc/" + doc)
    a = iri(ID + "doc/" + doc)
    base = ID + "doc/" + doc
    lines, plan = [f"Synthetic agreement {n}", "15 December 2015", ""], []
    for s in range(6):
        lines += [f"{s + 1}. Theme {s}"]
        for c in range(10):
            side = rng.choice(("national", "london"))
            owner = rng.choice(parties[side])
            sentence = (f"Party {owner[-6:-1]} will {rng.choice(VERBS)} the {rng.choice(NOUNS)} "
                        f"in area {rng.randrange(1000)} by {rng.randrange(2016, 2025)}.")
            plan.append((s, c, side, owner, len(lines)))
            lines.append(sentence)
        lines.append("")
    text = "\n".join(lines) + "\n"
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    sha = hashlib.sha256(text.encode()).hexdigest()
    t = iri(ID + "text/" + sha)
    sides = [iri(base + "/side/1"), iri(base + "/side/2")]
    q.add(a, iri(RDF + "type"), iri(OBL + "Agreement"), g)
    q.add(a, iri(DCT + "title"), lit(lines[0]), g)
    q.add(a, iri(OBL + "fileName"), lit(f"agreement_{doc}.txt"), g)
    q.add(a, iri(OBL + "sourceText"), t, g)
    q.add(a, iri(DCT + "issued"), lit("2015-12-15", XSD + "date"), g)
    q.add(a, iri(OBL + "oversightBody"), parties["board"][0], g)
    for grp in parties["groups"]:
        q.add(a, iri(OBL + "signatory"), grp, g)
    for sd, grp, label in zip(sides, parties["groups"], ("Government and national bodies", "London Partners")):
        q.add(a, iri(OBL + "side"), sd, g)
        q.add(sd, iri(RDF + "type"), iri(OBL + "Side"), g)
        q.add(sd, iri(RDFS + "label"), lit(label), g)
        q.add(sd, iri(OBL + "sideMember"), grp, g)
    q.add(t, iri(RDF + "type"), iri(OBL + "SourceText"), g)
    q.add(t, iri(OBL + "sha256"), lit(sha), g)
    q.add(t, iri(RDF + "value"), lit(text), g)
    sections = []
    for s in range(6):
        sec = iri(f"{base}/section/theme-{s}")
        sections.append(sec)
        head = lines.index(f"{s + 1}. Theme {s}")
        q.add(sec, iri(RDF + "type"), iri(OBL + "Section"), g)
        q.add(sec, iri(DCT + "title"), lit(f"Theme {s}"), g)
        q.add(sec, iri(DCT + "isPartOf"), a, g)
        q.add(sec, iri(OBL + "ordinal"), lit(s, XSD + "integer"), g)
        q.add(sec, iri(OBL + "level"), lit(1, XSD + "integer"), g)
        evidence(q, g, sec, t, text, starts[head] + 3, starts[head] + len(lines[head]), rng)
    previous: dict[str, str] = {}
    for s, c, side, owner, line in plan:
        node = iri(f"{base}/c/{s:02d}{c:02d}-0")
        other = "london" if side == "national" else "national"
        start, end = starts[line], starts[line] + len(lines[line])
        q.add(node, iri(RDF + "type"), iri(OBL + "Commitment"), g)
        q.add(node, iri(RDFS + "label"), lit(lines[line][:80]), g)
        q.add(node, iri(OBL + "agreement"), a, g)
        q.add(node, iri(OBL + "section"), sections[s], g)
        q.add(node, iri(OBL + "theme"), lit(f"Theme {s}"), g)
        modality = rng.choice(MODALITIES) if rng.random() > DEFECT else "promise"
        q.add(node, iri(OBL + "modality"), iri(f"https://w3id.org/obligraph/ns/modality/{modality}"), g)
        if rng.random() > DEFECT:
            q.add(node, iri(OBL + "owner"), owner, g)
        if rng.random() < DEFECT:
            q.add(node, iri(OBL + "owner"), rng.choice(parties["outsider"]), g)
        if rng.random() > DEFECT:
            counterpart = parties["groups"][0 if other == "national" else 1]
            kind = "counterpart" if rng.random() < 0.5 else "inferredCounterpart"
            q.add(node, iri(OBL + kind), counterpart, g)
        r = rng.random()
        if r > DEFECT:
            kind = "governance" if r < 0.8 else "inferredGovernance"
            q.add(node, iri(OBL + kind), parties["board"][0], g)
        if other in previous and rng.random() < 0.1:
            q.add(node, iri(OBL + "reciprocalOf"), previous[other], g)
        if side in previous and rng.random() < DEFECT:
            q.add(node, iri(OBL + "reciprocalOf"), previous[side], g)
        previous[side] = node
        q.add(node, iri(OBL + "rule"), lit("R-synthetic"), g)
        q.add(node, iri(OBL + "confidence"), lit(0.9, XSD + "decimal"), g)
        q.add(node, iri(OBL + "ordinal"), lit(0, XSD + "integer"), g)
        evidence(q, g, node, t, text, start, end, rng)
        m = iri(f"{base}/c/{s:02d}{c:02d}-0/mention/owner/{owner[-8:-1]}")
        q.add(node, iri(OBL + "mention"), m, g)
        q.add(m, iri(RDF + "type"), iri(OBL + "PartyMention"), g)
        q.add(m, iri(OBL + "role"), iri("https://w3id.org/obligraph/ns/role/owner"), g)
        q.add(m, iri(OBL + "refersTo"), owner, g)
        q.add(m, iri(OBL + "inferred"), lit("false", XSD + "boolean"), g)
        q.add(m, iri(OBL + "rule"), lit("R-subject"), g)
        evidence(q, g, m, t, text, start, start + 11, rng)
        if rng.random() < 0.4:
            dl = iri(f"{base}/c/{s:02d}{c:02d}-0/deadline/0")
            year = lines[line].rsplit(" ", 1)[1].rstrip(".")
            if rng.random() < DEFECT:
                year = "2014"
            q.add(node, iri(OBL + "deadline"), dl, g)
            q.add(dl, iri(RDF + "type"), iri(OBL + "Deadline"), g)
            q.add(dl, iri(OBL + "deadlineKind"), iri("https://w3id.org/obligraph/ns/deadline/by"), g)
            q.add(dl, iri(OBL + "statedAs"), lit(f"by {year}"), g)
            day = "30" if rng.random() < DEFECT else "31"
            q.add(dl, iri(OBL + "notAfter"), lit(f"{year}-12-{day}", XSD + "date"), g)
            evidence(q, g, dl, t, text, end - 8, end - 1, rng)
    for k in range(2):
        p = iri(ID + f"party/{doc}-found-{k}")
        q.add(p, iri(RDF + "type"), iri(OBL + "GovernanceBody"), g)
        q.add(p, iri(SKOS + "prefLabel"), lit(f"Found body {n}-{k}"), g)
        q.add(p, iri(OBL + "discovered"), lit("true", XSD + "boolean"), g)
        q.add(p, iri(OBL + "foundBy"), lit("D-synthetic"), g)
        if k == 0:
            q.add(a, iri(OBL + "definesTerm"), p, g)


def ontology(q: Quads) -> None:
    """The ontology graph as the builder writes it (obligraph.ttl and schemes.ttl)."""
    import pyoxigraph as ox

    g = iri(GRAPH + "ontology")
    folder = ROOT / "ontology"
    for name in ("obligraph.ttl", "schemes.ttl"):
        if (folder / name).exists():
            for t in ox.parse(path=str(folder / name), format=ox.RdfFormat.TURTLE):
                if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode):
                    q.add(str(t.subject), str(t.predicate), str(t.object), g)


def generate(target: int, seed: int) -> bytes:
    """N-Quads of about ``target`` triples."""
    rng = random.Random(seed)
    q = Quads()
    ontology(q)
    parties = register(q, rng)
    n = 0
    while len(q) < target:
        document(q, n, parties, rng)
        n += 1
    return "".join(q.lines).encode()


# --- measuring ---------------------------------------------------------------
TARGET_SECONDS = 15.0  # a 1,000,000-triple graph
TARGET_MB = 2048
TARGET_CORPUS_SECONDS = 2.0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_mb(reset: bool) -> float:
    if reset:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(source: str, seed: int):
    """A memory GraphStore of a size ("100k"), an N-Quads/TriG file, or a folder of documents."""
    import pyoxigraph as ox

    from graph.store import memory_store

    path = Path(source)
    if path.is_dir():
        from graph.pipeline import build

        return build([path], "memory", quiet=True)[1]
    store = memory_store()
    if path.is_file():
        fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.N_QUADS
        store.oxigraph().bulk_load(path=str(path), format=fmt)
    else:
        store.oxigraph().bulk_load(generate(parse_size(source), seed), format=ox.RdfFormat.N_QUADS)
    return store


def worker(source: str, engine: str, seed: int, cap: float) -> dict:
    from graph.check import load_shapes, validate

    store = _load(source, seed)
    shapes = load_shapes()
    triples = len(store)
    if engine == "pyshacl":
        from rdflib import Graph

        from graph.check import _to_rdflib

        graph = Graph()
        for quad in store.quads():
            graph.add(tuple(_to_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
        store = None  # only the rdflib graph is checked; let Oxigraph's copy go
    reset = _reset_peak()

    def give_up() -> None:  # the main thread may be deep in pySHACL: report and leave from here
        if report.acquire(blocking=False):
            print(json.dumps({"triples": triples, "engine": engine, "seconds": cap, "findings": None,
                              "peak_rss_mb": _peak_mb(reset), "finished": False}), flush=True)
            os._exit(0)

    report = threading.Lock()  # whoever takes it reports: the watchdog, or the main thread below

    watchdog = threading.Timer(cap, give_up)
    watchdog.daemon = True
    t0 = time.perf_counter()
    watchdog.start()
    if engine == "pyshacl":
        import pyshacl
        from rdflib import RDF, Namespace

        _, results, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", inplace=True)
        findings = len(set(results.subjects(RDF.type, Namespace("http://www.w3.org/ns/shacl#").ValidationResult)))
    else:
        findings = len(validate(store, shapes, "pyshacl" if engine == "pyshacl-engine" else "sparql").findings)
    seconds = time.perf_counter() - t0
    watchdog.cancel()
    report.acquire()  # blocks forever if the watchdog already reported: it is ending the process
    return {"triples": triples, "engine": engine, "seconds": seconds, "findings": findings,
            "peak_rss_mb": _peak_mb(reset), "finished": True}


def parse_size(text: str) -> int:
    text = text.lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * scale)


def _fmt_s(r: dict) -> str:
    return f"{r['seconds']:.2f}" if r["finished"] else f"> {r['seconds']:.0f} (did not finish)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", action="append", default=[], metavar="LABEL=PATH",
                    help="a real graph: N-Quads file or folder of documents (repeatable)")
    ap.add_argument("--sizes", nargs="+", default=None, help="synthetic graphs of these triple counts, e.g. 10k 100k 1M")
    ap.add_argument("--engines", nargs="+", default=["sparql", "pyshacl", "pyshacl-engine"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cap", type=float, default=600, help="seconds a check may take before it counts as not finished")
    ap.add_argument("--runs", type=int, default=3, help="runs of the sparql engine per graph (median)")
    ap.add_argument("--pyshacl-engine-max", default="20k", help="largest graph to try the pyshacl engine on")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument("--worker", nargs=2, metavar=("SOURCE", "ENGINE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.seed, args.cap)))
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from measure import run_measured

    graphs = [tuple(g.split("=", 1)) for g in args.graph]
    if args.sizes or not graphs:
        graphs += [(size, size) for size in args.sizes or ["10k", "100k"]]
    rows = []
    for label, source in graphs:
        triples = None
        for engine in args.engines:
            if engine == "pyshacl-engine" and triples and triples > parse_size(args.pyshacl_engine_max):
                continue  # pySHACL again, a little faster: past a size it would only repeat the cap
            results = []
            for _ in range(args.runs if engine == "sparql" else 1):
                cmd = [sys.executable, __file__, "--worker", source, engine, "--seed", str(args.seed),
                       "--cap", str(args.cap)]
                # The worker ends itself at --cap; this kill also covers loading, which the cap does not.
                m = run_measured(cmd, timeout=args.cap + 1800)
                if m.timed_out or m.returncode != 0 or not m.stdout.strip():
                    why = "was stopped" if m.timed_out else "failed: " + (m.stderr.strip().splitlines() or ["?"])[-1]
                    results.append({"engine": engine, "error": why})
                    break
                r = json.loads(m.stdout.strip().splitlines()[-1])
                r.update(process_peak_mb=m.maxrss_mb, process_wall=m.wall)
                results.append(r)
                print(f"[bench_check] {label} {engine}: {_fmt_s(r)} s, peak {r['peak_rss_mb']:.0f} MB "
                      f"(process {m.maxrss_mb:.0f} MB, {m.wall:.0f} s)", file=sys.stderr, flush=True)
                if not r["finished"]:
                    break
            ok = [r for r in results if "error" not in r]
            row = dict(sorted(ok, key=lambda r: r["seconds"])[len(ok) // 2]) if ok else results[-1]
            row.update(label=label, source=source, runs=len(ok), all_seconds=[r["seconds"] for r in ok])
            rows.append(row)
            if engine == "sparql":
                triples = row.get("triples")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "cap": args.cap}, indent=1), encoding="utf-8")
    print(markdown(rows, args.cap))


def markdown(rows: list[dict], cap: float) -> str:
    out = [f"Shapes: the bundled catalogue (`obligraph rules`). Time of the check alone, graph already loaded; "
           f"sparql: median of its runs. pySHACL runs are stopped after {cap:.0f} s; their time is then a lower "
           "bound, and so is the ratio. Peak during check: the peak resident set while checking (graph and "
           "interpreter included); process: the whole worker, loading included.", "",
           "| graph | triples | engine | check time (s) | pySHACL ÷ sparql | findings | peak during check (MB) | process peak (MB) |",
           "|:--|---:|:--|---:|---:|---:|---:|---:|"]
    by_label: dict[str, dict] = {}
    for r in rows:
        if r.get("engine") == "sparql" and "seconds" in r:
            by_label[r["label"]] = r
    for r in rows:
        if "error" in r:
            out.append(f"| {r['label']} | | {r['engine']} | {r['error']} | | | | |")
            continue
        base = by_label.get(r["label"])
        ratio = ""
        if r["engine"] != "sparql" and base:
            ratio = ("" if r["finished"] else "> ") + f"{r['seconds'] / base['seconds']:,.0f}×"
        findings = r["findings"] if r["findings"] is not None else ""
        out.append(f"| {r['label']} | {r['triples']:,} | {r['engine']} | {_fmt_s(r)} | {ratio} | {findings} "
                   f"| {r['peak_rss_mb']:,.0f} | {r.get('process_peak_mb', 0):,.0f} |")
    return "\n".join(out)


if __name__ == "__main__":
    main()
