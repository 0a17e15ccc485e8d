"""How long the party graph takes to read and draw, at 100, 2,000 and 10,000 parties.

Random but deterministic corpora (fixed seed) are written as TriG following
docs/graph-shape.md, loaded into a memory store, read with ``party_graph`` and
drawn to PNG and HTML. For scale, networkx's ``spring_layout`` is timed on the
2,000-party graph in the same run. Prints a Markdown table.

    PYTHONPATH=src python bench/bench_draw.py [--sizes 100,2000,10000] [--out DIR] [--browser]

``--browser`` also opens each HTML page in headless Chromium and times how long
until the graph is on screen and how long one redraw takes while panning (median
of seven). A small drawing first loads matplotlib and its fonts, so the figures
are those of a warm process.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from graph.draw import draw, party_graph
from graph.store import memory_store

KINDS = ("governmentDepartment", "nhsBody", "localAuthority", "ccg", "regulator", "")
THEMES = ("Capital and estates", "Workforce", "Prevention", "Data sharing", "Finance", "Governance")
MODALITIES = ("commitment", "intention", "exploration", "aspiration")
HEAD = """@base <https://w3id.org/obligraph/id/> .
@prefix obl: <https://w3id.org/obligraph/ns#> .
@prefix kind: <https://w3id.org/obligraph/ns/kind/> .
@prefix modality: <https://w3id.org/obligraph/ns/modality/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
"""


def random_corpus(n: int, seed: int = 1) -> str:
    """TriG for ``n`` parties and about ``1.5 n`` commitments between them.

    A few parties own most commitments (a Zipf-like draw), 5% are groups with
    members, one in ten commitments infers its counterpart and one in twenty
    answers another, as in real agreements.
    """
    rng = random.Random(seed)
    out = [HEAD, "<https://w3id.org/obligraph/graph/register> {"]
    groups = [i for i in range(n) if i % 20 == 0]
    for i in range(n):
        cls = "PartyGroup" if i % 20 == 0 else "GovernanceBody" if i % 33 == 1 else "Post" if i % 50 == 2 else "Party"
        kind = KINDS[rng.randrange(len(KINDS))]
        name = f"Party {i} {rng.choice(THEMES)} board"
        line = f'<party/p{i}> a obl:{cls} ; skos:prefLabel "{name}" ; skos:altLabel "P{i}"'
        if kind:
            line += f" ; obl:partyKind kind:{kind}"
        if cls != "PartyGroup" and rng.random() < 0.3:
            line += f" ; org:memberOf <party/p{rng.choice(groups)}>"
        out.append(line + " .")
    out += ["}", "<https://w3id.org/obligraph/graph/doc/bench> {",
            '<doc/bench> a obl:Agreement ; dcterms:title "Benchmark agreement" .']
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n)]
    owners = rng.choices(range(n), weights=weights, k=int(1.5 * n))
    for j, owner in enumerate(owners):
        cp = rng.randrange(n)
        pred = "obl:inferredCounterpart" if rng.random() < 0.1 else "obl:counterpart"
        c = f"<doc/bench/c/{j}-0>"
        out.append(f'{c} a obl:Commitment ; rdfs:label "Commitment {j} of party {owner}" ; obl:agreement <doc/bench> ; '
                   f'obl:theme "{rng.choice(THEMES)}" ; obl:modality modality:{rng.choice(MODALITIES)} ; '
                   f"obl:owner <party/p{owner}> ; {pred} <party/p{cp}> ; obl:evidence <doc/bench/c/{j}-0/evidence>"
                   + (f" ; obl:reciprocalOf <doc/bench/c/{j - 1}-0>" if j and rng.random() < 0.05 else "") + " .")
        out.append(f'<doc/bench/c/{j}-0/evidence> oa:hasSelector <doc/bench/c/{j}-0/evidence/quote> . '
                   f'<doc/bench/c/{j}-0/evidence/quote> a oa:TextQuoteSelector ; '
                   f'oa:exact "Party {owner} will do thing {j} for party {cp} by 2020." .')
    out.append("}")
    return "\n".join(out)


def random_party_graph(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """The party graph of ``random_corpus(n, seed)``."""
    store = memory_store()
    store.oxigraph().load(random_corpus(n, seed).encode("utf-8"), format=ox.RdfFormat.TRIG)
    return party_graph(store)


def _seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _browser_times(page_path: Path) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(page_path.as_uri())
        page.wait_for_function("window.partyGraph && window.partyGraph.ready", timeout=120_000)
        shown = time.perf_counter() - start
        draws = sorted(page.evaluate("""() => new Promise(done => {
            window.partyGraph.panBy(40, 25);
            requestAnimationFrame(() => requestAnimationFrame(() => done(window.partyGraph.drawMs)));
        })""") for _ in range(7))
        browser.close()
    return shown, draws[len(draws) // 2] / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,2000,10000")
    parser.add_argument("--out", type=Path, default=None, help="keep the drawings in this folder")
    parser.add_argument("--browser", action="store_true", help="also time the HTML page in headless Chromium")
    opts = parser.parse_args()
    out = opts.out or Path(tempfile.mkdtemp(prefix="bench_draw_"))
    out.mkdir(parents=True, exist_ok=True)
    header = "| parties | edges | read (party_graph) s | PNG s | HTML s |"
    rule = "| ---: | ---: | ---: | ---: | ---: |"
    if opts.browser:
        header += " page shown s | redraw while panning s |"
        rule += " ---: | ---: |"
    draw(random_party_graph(10), out / "warm_up.png")
    rows, spring_ratio = [header, rule], None
    for n in (int(s) for s in opts.sizes.split(",")):
        store = memory_store()
        store.oxigraph().load(random_corpus(n).encode("utf-8"), format=ox.RdfFormat.TRIG)
        g = None

        def read():
            nonlocal g
            g = party_graph(store)

        t_read = _seconds(read)
        t_png = _seconds(lambda: draw(g, out / f"party_graph_{n}.png"))
        t_html = _seconds(lambda: draw(g, out / f"party_graph_{n}.html"))
        row = f"| {n:,} | {g.number_of_edges():,} | {t_read:.2f} | {t_png:.2f} | {t_html:.2f} |"
        if opts.browser:
            shown, pan = _browser_times(out / f"party_graph_{n}.html")
            row += f" {shown:.2f} | {pan:.3f} |"
        rows.append(row)
        if n == 2000:
            t_spring = _seconds(lambda: nx.spring_layout(g, seed=1))
            spring_ratio = (t_spring, t_png)
    print("\n".join(rows))
    if spring_ratio:
        t_spring, t_png = spring_ratio
        print(f"\nnetworkx spring_layout alone at 2,000 parties: {t_spring:.2f} s, "
              f"{t_spring / t_png:.1f} times the whole PNG drawing ({t_png:.2f} s).")
    print(f"\nDrawings in {out}")


if __name__ == "__main__":
    main()
