"""The benchmark corpus generator (bench/generate.py): deterministic, the right size, readable.

No spaCy: the segmenter alone must find the structure the generator wrote.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from graph.ingest import read_document
from graph.segment import segment

ROOT = Path(__file__).resolve().parent.parent
DOCS = 8


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _load_generator()


@pytest.fixture(scope="module")
def corpus(gen, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    gen.generate(DOCS, 1, out)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md"))


def test_same_seed_gives_the_same_bytes(gen, corpus, tmp_path):
    gen.generate(DOCS, 1, tmp_path)
    assert _files(tmp_path) == _files(corpus)


def test_another_seed_gives_other_documents(gen, corpus, tmp_path):
    gen.generate(2, 2, tmp_path)
    assert _documents(tmp_path)[0].read_bytes() != _documents(corpus)[0].read_bytes()


def test_a_document_depends_only_on_seed_and_index(gen, corpus, tmp_path):
    gen.generate(3, 1, tmp_path)
    for p in _documents(tmp_path):
        assert p.read_bytes() == (corpus / p.name).read_bytes()


def test_the_requested_number_of_documents_of_about_5000_words(corpus):
    docs = _documents(corpus)
    assert len(docs) == DOCS
    assert {p.suffix for p in docs} == {".txt", ".md"}
    for p in docs:
        words = len(p.read_text(encoding="utf-8").split())
        assert 4000 <= words <= 6000, (p.name, words)


def test_the_segmenter_finds_headings_and_list_items(corpus):
    for p in _documents(corpus):
        structure = segment(read_document(p))
        kinds = [s.kind for s in structure.segments]
        assert len(structure.sections) >= 8, p.name
        assert kinds.count("list_item") >= 3, p.name
        assert kinds.count("paragraph") >= 40, p.name
        titles = " ".join(s.title.lower() for s in structure.sections)
        assert "parties" in titles and "governance" in titles, p.name


def test_expected_commitments_are_sentences_of_their_documents(corpus):
    rows = [json.loads(line) for line in (corpus / "expected.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["document"] for r in rows} == {p.name for p in _documents(corpus)}
    texts = {p.name: " ".join(p.read_text(encoding="utf-8").split()) for p in _documents(corpus)}
    for r in rows:
        assert r["owners"] and all(isinstance(o, str) and o for o in r["owners"])
        sentence = " ".join(r["sentence"].split())
        assert sentence in texts[r["document"]], sentence


def test_commitments_come_in_many_phrasings(gen, tmp_path):
    gen.generate(30, 3, tmp_path)
    rows = [json.loads(line) for line in (tmp_path / "expected.jsonl").read_text(encoding="utf-8").splitlines()]
    frames = {re.sub(r"\+route$", "", r["frame"]) for r in rows}
    assert len(frames) >= 15, frames
    assert any(f.startswith("bullet-") for f in frames)
