"""Export and import: every format round-trips, exports are byte-identical, bad files say where."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.errors import InputError, StoreError
from graph.exchange import FORMATS, export_graph, import_graph, imported_graph
from graph.namespace import RUN_GRAPH
from graph.store import StoreFolder, memory_store

from conftest import AGREEMENT

EXTENSION = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "jsonld": "jsonld"}
EX = "http://example.com/"


@pytest.fixture(scope="module")
def built(nlp):
    from graph.pipeline import build_memory

    return build_memory([AGREEMENT], nlp=nlp)


def nquads(store, drop_run: bool = True) -> list[str]:
    run = ox.NamedNode(str(RUN_GRAPH))
    return sorted(str(q) for q in store.quads() if not (drop_run and q.graph_name == run))


def triples(store) -> list[str]:
    return sorted({str(q.triple) for q in store.quads() if q.graph_name != ox.NamedNode(str(RUN_GRAPH))})


@pytest.mark.model
@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_a_dataset_export_imports_back_the_same(tmp_path, built, fmt):
    path = tmp_path / f"graph.{EXTENSION[fmt]}"
    path.write_bytes(export_graph(built, fmt))
    store = memory_store()
    counts = import_graph(store, path)
    assert nquads(store) == nquads(built)
    assert sorted(counts) == store.graph_names() == [g for g in built.graph_names() if g != str(RUN_GRAPH)]
    assert sum(counts.values()) == len(store)


@pytest.mark.model
def test_a_turtle_export_imports_into_one_graph_named_for_the_file(tmp_path, built):
    path = tmp_path / "from elsewhere.ttl"
    path.write_bytes(export_graph(built, "turtle"))
    store = memory_store()
    assert list(import_graph(store, path)) == ["https://w3id.org/obligraph/graph/imported/from%20elsewhere"]
    assert store.graph_names() == [imported_graph(path)]
    assert sorted(str(q.triple) for q in store.quads()) == triples(built)


@pytest.mark.model
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_exports_are_byte_identical(built, nlp, fmt):
    from graph.pipeline import build_memory

    first = export_graph(built, fmt)
    assert export_graph(built, fmt) == first
    assert export_graph(build_memory([AGREEMENT], nlp=nlp), fmt) == first  # a second build of the same text


@pytest.mark.model
def test_import_replaces_graphs_of_the_same_name(tmp_path, built):
    path = tmp_path / "graph.nq"
    path.write_bytes(export_graph(built, "nquads"))
    store = memory_store()
    import_graph(store, path)
    import_graph(store, path)
    assert nquads(store) == nquads(built)


@pytest.mark.model
def test_import_into_a_store_folder(tmp_path, built):
    path = tmp_path / "graph.trig"
    path.write_bytes(export_graph(built, "trig"))
    folder = StoreFolder(tmp_path / ".obligraph")
    import_graph(folder, path)
    assert nquads(folder.open()) == nquads(built)


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_TRIG = f"<{EX}g> {{ <{EX}s> <{EX}p> <{EX}o> }}\n"


def test_a_bad_file_changes_nothing_in_a_store_folder(tmp_path):
    folder = StoreFolder(tmp_path / ".obligraph")
    import_graph(folder, _write(tmp_path, "good.trig", GOOD_TRIG))
    before = folder.current
    bad = _write(tmp_path, "bad.trig", GOOD_TRIG + f"<{EX}h> {{ <{EX}s> <{EX}p> <{EX}o> .\n")
    with pytest.raises(InputError):
        import_graph(folder, bad)
    assert folder.current == before
    assert folder.open().graph_names() == [f"{EX}g"]


def test_a_locked_store_folder_refuses_the_import(tmp_path):
    folder = StoreFolder(tmp_path / ".obligraph")
    with folder.lock(), pytest.raises(StoreError, match="another obligraph build"):
        import_graph(folder, _write(tmp_path, "good.trig", GOOD_TRIG))


@pytest.mark.parametrize(("name", "text", "line"), [
    ("bad.ttl", f"@prefix ex: <{EX}> .\nex:a ex:b ex:c .\n\nex:a ex:b \"unterminated .\n", 4),
    ("bad.nq", f"<{EX}a> <{EX}b> <{EX}c> <{EX}g> .\n<{EX}a> <{EX}b> .\n", 2),
    ("bad.nt", f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> <{EX}c> <{EX}g> .\n", 2),
    ("bad.trig", f"<{EX}g> {{\n  <{EX}a> <{EX}b> <{EX}c> .\n  <{EX}a> <{EX}b> }}\n", 3),
    ("relative.ttl", "<a> <b> <c> .\n", 1),
])
def test_bad_syntax_names_the_file_and_line(tmp_path, name, text, line):
    path = _write(tmp_path, name, text)
    store = memory_store()
    with pytest.raises(InputError, match=rf"^{path}: line {line}, column \d+: not valid "):
        import_graph(store, path)
    assert len(store) == 0  # parsed whole before anything is written


def test_bad_json_ld_names_the_file(tmp_path):
    path = _write(tmp_path, "bad.jsonld", '{"@id": 3}')
    with pytest.raises(InputError, match=rf"^{path}: not valid JSON-LD"):
        import_graph(memory_store(), path)


def test_files_that_cannot_be_imported(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        import_graph(memory_store(), tmp_path / "missing.ttl")
    with pytest.raises(InputError, match="cannot tell the RDF format"):
        import_graph(memory_store(), _write(tmp_path, "graph.txt", GOOD_TRIG))
    with pytest.raises(InputError, match="unknown RDF format 'rdfxml'"):
        import_graph(memory_store(), _write(tmp_path, "graph.rdf", ""), fmt="rdfxml")
    with pytest.raises(InputError, match="no triples"):
        import_graph(memory_store(), _write(tmp_path, "empty.ttl", "# nothing\n"))


def test_the_format_can_be_given(tmp_path):
    store = memory_store()
    assert import_graph(store, _write(tmp_path, "graph.txt", GOOD_TRIG), fmt="trig") == {f"{EX}g": 1}


def test_blank_nodes_of_two_files_stay_apart(tmp_path):
    store = memory_store()
    for name in ("one.ttl", "two.ttl"):
        import_graph(store, _write(tmp_path, name, f"_:b <{EX}p> <{EX}{name}> .\n"))
    subjects = {q.subject for q in store.quads()}
    assert len(subjects) == 2 and all(isinstance(s, ox.BlankNode) for s in subjects)
