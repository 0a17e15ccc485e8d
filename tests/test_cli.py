"""The command line: exit codes, formats, errors, help, and the README."""

from __future__ import annotations

import json
import re
import sys

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.records import RECORD_KEYS

from conftest import AGREEMENT, AGREEMENTS, CORPUS, GOLD, ROOT

COMMANDS = sorted(main.commands)


@pytest.fixture(scope="module")
def built(tmp_path_factory, nlp):
    """A store built once through the CLI."""
    from graph import pipeline

    store = tmp_path_factory.mktemp("store") / ".obligraph"
    original = pipeline.load_nlp
    pipeline.load_nlp = lambda model=None: nlp  # load the model once for the module
    try:
        result = CliRunner().invoke(main, ["build", str(CORPUS), "--store", str(store)])
    finally:
        pipeline.load_nlp = original
    assert result.exit_code == 0, result.output
    return store, result


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [command, "-h"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"obligraph {command}" in readme, command


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "obligraph" in result.output


@pytest.mark.model
def test_build_prints_counts(built):
    _, result = built
    counts = dict(re.findall(r"(\w+): (\d+)", result.stderr))
    assert counts["documents"] == "2" and int(counts["commitments"]) >= 50 and int(counts["triples"]) > 3000
    assert int(counts["parties"]) >= 20 and int(counts["sections"]) >= 13


@pytest.mark.model
def test_commitments_jsonl_has_exactly_the_keys(built):
    store, _ = built
    result = CliRunner().invoke(main, ["commitments", "--store", str(store), "--format", "jsonl"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) >= 50
    for r in records:
        assert tuple(r) == RECORD_KEYS
        assert all(isinstance(g, dict) and set(g) == {"body", "inferred"} for g in r["governance"])


@pytest.mark.model
def test_commitments_csv_and_table(built):
    store, _ = built
    csv_out = CliRunner().invoke(main, ["commitments", "--store", str(store), "--format", "csv"]).output
    assert csv_out.splitlines()[0] == ",".join(RECORD_KEYS)
    table = CliRunner().invoke(main, ["commitments", "--store", str(store)]).output
    assert "NHS England" in table and "modality" in table


@pytest.mark.model
def test_query_formats_and_read_only(built):
    store, _ = built
    q = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a obl:Commitment }"
    for fmt in ("table", "csv", "json", "markdown"):
        result = CliRunner().invoke(main, ["query", q, "--store", str(store), "--format", fmt])
        assert result.exit_code == 0, result.output
    data = json.loads(CliRunner().invoke(main, ["query", q, "--store", str(store), "--format", "json"]).output)
    assert data["rows"][0]["n"] >= 50
    upd = CliRunner().invoke(main, ["query", "DELETE WHERE { ?s ?p ?o }", "--store", str(store)])
    assert upd.exit_code == 2 and "read-only" in upd.stderr
    bad = CliRunner().invoke(main, ["query", "SELECT WHERE {", "--store", str(store)])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1


@pytest.mark.model
def test_evaluate_scores_the_corpus(built):
    store, _ = built
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(GOLD), "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["london_health_devolution_agreement_2015.txt"]
    assert scores["f1"] >= 0.95 and scores["owners"] >= 0.95 and scores["counterparts"] >= 0.90
    assert scores["reciprocal"] >= 0.95


@pytest.mark.model
def test_the_readme_score_table_is_current(nlp, tmp_path, monkeypatch):
    """The README's table is what `evaluate --update README.md` writes today."""
    from graph import pipeline

    monkeypatch.setattr(pipeline, "load_nlp", lambda model=None: nlp)
    readme = tmp_path / "README.md"
    readme.write_text((ROOT / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["evaluate", "--gold", str(GOLD), str(CORPUS), str(AGREEMENTS), "--update", str(readme)]
    )
    assert result.exit_code == 0, result.output
    assert readme.read_text(encoding="utf-8") == (ROOT / "README.md").read_text(encoding="utf-8"), (
        "README.md's score table is stale: run obligraph evaluate --gold tests/gold corpus tests/agreements "
        "--update README.md"
    )


def test_evaluate_update_needs_the_markers(tmp_path):
    from graph.errors import InputError
    from graph.evaluate import with_table

    assert with_table("a\n<!-- scores -->\nold\n<!-- /scores -->\nb\n", "| t |\n") == (
        "a\n<!-- scores -->\n| t |\n<!-- /scores -->\nb\n"
    )
    with pytest.raises(InputError, match="no '<!-- scores -->' line"):
        with_table("no markers\n", "| t |", "NOTES.md")


def test_reading_without_a_store_says_how_to_build(tmp_path):
    result = CliRunner().invoke(main, ["commitments", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "obligraph build" in result.stderr


def test_bad_input_is_one_line_exit_2_and_leaves_the_store(built, tmp_path):
    store, _ = built
    before = (store / "CURRENT").read_text()
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = CliRunner().invoke(main, ["build", str(empty), "--store", str(store)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "empty.txt" in result.stderr
    assert (store / "CURRENT").read_text() == before
    missing = CliRunner().invoke(main, ["build", str(tmp_path / "nope.txt"), "--store", str(store)])
    assert missing.exit_code == 2 and "nope.txt" in missing.stderr


@pytest.mark.model
def test_reading_commands_take_documents_directly(nlp, monkeypatch):
    from graph import pipeline

    monkeypatch.setattr(pipeline, "load_nlp", lambda model=None: nlp)
    doc = AGREEMENTS / "cooperation_agreement_wales_ports.txt"
    result = CliRunner().invoke(main, ["commitments", str(doc), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) >= 20
    assert all(json.loads(line)["document"] == doc.name for line in lines)


@pytest.mark.model
def test_parties_lists_aliases_groups_and_discoveries(built):
    store, _ = built
    rows = json.loads(CliRunner().invoke(main, ["parties", "--store", str(store), "--format", "json"]).output)
    by = {r["label"]: r for r in rows}
    assert "DH" in by["Department of Health"]["aliases"]
    assert "national bodies" in by["NHS England"]["member_of"]
    assert "NHS England" in by["NHS England London Region"]["member_of"]  # a unit of its parent
    assert all(r["found_by"] for r in rows)


def test_parties_discovered_in_an_unseen_agreement(nlp, monkeypatch):
    from graph import pipeline

    monkeypatch.setattr(pipeline, "load_nlp", lambda model=None: nlp)
    doc = AGREEMENTS / "intergovernmental_framework_scotland.md"
    rows = json.loads(CliRunner().invoke(main, ["parties", str(doc), "--format", "json"]).output)
    found = {r["label"]: r for r in rows if r["discovered"]}
    assert "Convention of Scottish Local Authorities" in found
    assert "COSLA" in found["Convention of Scottish Local Authorities"]["aliases"]
    assert {"Scottish Government", "Welsh Government"} <= set(found["Devolved Governments"]["members"])


@pytest.mark.model
def test_export_is_identical_twice_and_parses(built):
    import pyoxigraph as ox

    store, _ = built
    a = CliRunner().invoke(main, ["export", "--store", str(store), "--format", "nquads"]).stdout_bytes
    b = CliRunner().invoke(main, ["export", "--store", str(store), "--format", "nquads"]).stdout_bytes
    assert a == b and len(list(ox.parse(a, format=ox.RdfFormat.N_QUADS))) > 3000


def test_rules_lists_the_catalogue():
    out = CliRunner().invoke(main, ["rules"]).output
    assert "violation" in out and "warning" in out and "info" in out


def test_progress_shows_on_a_terminal_only_and_never_when_quiet(monkeypatch):
    import io

    from graph.progress import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    items = ["a", "b", "c"]
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress(items, False, "reading texts", 3) is items  # not a terminal: silent
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert progress(items, True, "reading texts", 3) is items  # --quiet
    assert list(progress(items, False, "reading texts", 3)) == items
    assert "reading texts" in terminal.getvalue() and "3/3" in terminal.getvalue()


def test_check_takes_quiet(tmp_path):
    result = CliRunner().invoke(main, ["check", str(AGREEMENT), "--quiet", "-o", str(tmp_path / "r.txt")])
    assert result.exit_code in (0, 1), result.output
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").strip()
