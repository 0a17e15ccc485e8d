"""Shared fixtures: the corpus, the spaCy pipeline (loaded once), built graphs, a browser."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
AGREEMENTS = ROOT / "tests" / "agreements"
GOLD = ROOT / "tests" / "gold"
AGREEMENT = CORPUS / "london_health_devolution_agreement_2015.txt"
ANNOUNCEMENT = CORPUS / "london_devolution_announcement_2015.txt"
# The browser tests drive Debian's Chromium through playwright (no browser download).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_sessionfinish(session, exitstatus):
    # A run that collected no test must not pass silently (pytest's exit code 5).
    if exitstatus == 5:
        session.exitstatus = 1


@pytest.fixture(scope="session")
def nlp():
    """The English pipeline with the clause finder, loaded once per session."""
    from graph.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def corpus_store(nlp):
    """The corpus built in memory once per session."""
    from graph.pipeline import build_memory

    return build_memory([CORPUS], nlp=nlp)


@pytest.fixture(scope="session")
def corpus_records(corpus_store):
    """Commitment records of the corpus, read back from the graph."""
    from graph.records import commitment_records

    return commitment_records(corpus_store)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one per test module; the test is skipped without it."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"headless Chromium is not installed at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
