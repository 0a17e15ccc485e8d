"""The graph store: all-or-nothing writes, a lock, incremental builds, identical rebuilds."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time

import pyoxigraph as ox
import pytest

from graph.errors import StoreError
from graph.exchange import export_graph
from graph.namespace import document_graph
from graph.pipeline import build
from graph.records import commitment_records
from graph.store import StoreFolder

from conftest import AGREEMENTS, ANNOUNCEMENT, CORPUS, ROOT

G = "https://w3id.org/obligraph/graph/doc/x"


def quad(s: str, graph: str = G) -> ox.Quad:
    return ox.Quad(ox.NamedNode("http://e/" + s), ox.NamedNode("http://e/p"), ox.Literal(s), ox.NamedNode(graph))


def test_write_replaces_graphs_and_keeps_the_rest(tmp_path):
    folder = StoreFolder(tmp_path / "s")
    with folder.lock():
        folder.write({G: [quad("a"), quad("b")], G + "2": [quad("c", G + "2")]})
    with folder.lock():
        folder.write({G: [quad("d")]})
    store = folder.open()
    assert len(store) == 2 and store.graph_names() == [G, G + "2"]
    with folder.lock():
        folder.write({}, remove=[G + "2"])
    assert folder.open().graph_names() == [G]
    assert len(list((tmp_path / "s").glob("db-*"))) == 1  # old databases are swept


def test_a_second_writer_is_refused(tmp_path):
    folder = StoreFolder(tmp_path / "s")
    with folder.lock():
        with pytest.raises(StoreError, match="another obligraph build"):
            with StoreFolder(tmp_path / "s").lock():
                pass


def test_a_concurrent_build_process_is_refused(tmp_path):
    folder = StoreFolder(tmp_path / "s")
    code = "import sys; from graph.store import StoreFolder\ntry:\n  StoreFolder(sys.argv[1]).lock().__enter__()\nexcept Exception as e:\n  print(e); sys.exit(3)"
    with folder.lock():
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s")], capture_output=True, text=True)
    assert out.returncode == 3 and "another obligraph build" in out.stdout


def test_a_build_killed_midway_leaves_the_previous_graph(tmp_path):
    folder = StoreFolder(tmp_path / "s")
    with folder.lock():
        folder.write({G: [quad("a")]})
    # A writer that dies after copying the database but before switching CURRENT.
    script = textwrap.dedent(
        f"""
        import os, pyoxigraph as ox
        from graph.store import StoreFolder, GraphStore
        f = StoreFolder({str(tmp_path / 's')!r})
        with f.lock():
            new = f.path / "db-999"
            ox.Store.read_only(str(f.current)).backup(str(new))
            s = ox.Store(str(new))
            s.add(ox.Quad(ox.NamedNode("http://e/z"), ox.NamedNode("http://e/p"), ox.Literal("z"), ox.NamedNode({G!r})))
            os._exit(9)
        """
    )
    assert subprocess.run([sys.executable, "-c", script]).returncode == 9
    store = folder.open()
    assert len(store) == 1  # the half-written copy is not what CURRENT names
    with folder.lock():
        folder.write({G: [quad("b")]})  # and the next write sweeps it away
    assert not (tmp_path / "s" / "db-999").exists()


@pytest.mark.model
@pytest.mark.slow
def test_kill_a_real_build_process_at_random_moments(tmp_path, nlp):
    store = tmp_path / "s"
    build([ANNOUNCEMENT], store, nlp=nlp)
    before = sorted(str(q) for q in StoreFolder(store).open().quads())
    for delay in (0.5, 1.5, 3.0):
        p = subprocess.Popen([sys.executable, "-m", "graph", "build", str(CORPUS), "--store", str(store), "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        time.sleep(delay)
        p.kill()
        p.wait()
        after = StoreFolder(store).open()
        quads = sorted(str(q) for q in after.quads())
        # Either the old graph, or (if the build finished first) the complete new one.
        assert quads == before or len(commitment_records(after)) >= 50


@pytest.mark.model
def test_incremental_build_reads_only_what_changed(tmp_path, nlp):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(ANNOUNCEMENT, docs)
    shutil.copy(AGREEMENTS / "cooperation_agreement_wales_ports.txt", docs)
    store = tmp_path / "s"
    first, _ = build([docs], store, nlp=nlp)
    assert first.rebuilt == 2
    again, _ = build([docs], store, nlp=nlp)
    assert again.rebuilt == 0 and again.removed == 0
    (docs / ANNOUNCEMENT.name).write_text(ANNOUNCEMENT.read_text(encoding="utf-8") + "\nLondon Partners commit to meet.\n", encoding="utf-8")
    changed, graph = build([docs], store, nlp=nlp)
    assert changed.rebuilt == 1
    assert any("commit to meet" in r["text"] for r in commitment_records(graph))
    (docs / ANNOUNCEMENT.name).unlink()
    gone, graph = build([docs], store, nlp=nlp)
    assert gone.removed == 1 and gone.rebuilt == 0
    assert str(document_graph("london-devolution-announcement-2015")) not in graph.graph_names()


@pytest.mark.model
def test_two_builds_are_byte_identical(tmp_path, nlp):
    a = build([CORPUS], tmp_path / "a", nlp=nlp)[1]
    b = build([CORPUS], tmp_path / "b", nlp=nlp)[1]
    for fmt in ("turtle", "trig", "nquads"):
        assert export_graph(a, fmt) == export_graph(b, fmt)
    assert commitment_records(a) == commitment_records(b)
