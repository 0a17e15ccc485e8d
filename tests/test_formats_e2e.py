"""The same agreement as PDF, Word and HTML yields the same commitments as its text."""

from __future__ import annotations

import re
import sys

import pytest

from graph.pipeline import build_memory
from graph.records import commitment_records

from conftest import AGREEMENT, ROOT

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
from make_formats import write_docx, write_html, write_pdf  # noqa: E402

pytestmark = pytest.mark.model


def _key(text: str) -> str:
    # Renderings change quotes, dashes and line breaks, not words.
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"}))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()[:60]


def _summary(store) -> dict[str, tuple]:
    return {_key(r["text"]): (tuple(sorted(r["owners"])), r["modality"]) for r in commitment_records(store)}


@pytest.fixture(scope="module")
def from_text(nlp):
    return _summary(build_memory([AGREEMENT], nlp=nlp))


@pytest.mark.parametrize("writer,suffix", [(write_docx, ".docx"), (write_html, ".html"), (write_pdf, ".pdf")])
def test_each_format_gives_the_same_commitments(tmp_path, nlp, from_text, writer, suffix):
    path = writer(AGREEMENT.read_text(encoding="utf-8"), tmp_path / f"agreement{suffix}")
    got = _summary(build_memory([path], nlp=nlp))
    same = {k for k in from_text if k in got and got[k] == from_text[k]}
    # PDF layout loses a paragraph break or two; the rest must match exactly.
    need = 0.9 if suffix == ".pdf" else 0.95
    assert len(same) >= need * len(from_text), sorted(set(from_text) - same)[:10]
    assert len(got) <= len(from_text) + 3
