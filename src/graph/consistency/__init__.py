"""Consistency across the documents of a corpus: names, counts, summaries, signatories.

The SHACL catalogue checks each node of the graph against its shape; these
checks compare one passage of text with another, reading the source texts back
out of the graph (:mod:`.corpus`). One module per family of rule:

- :mod:`.names` (OBL-101, OBL-102): one body written two similar ways ("Work
  and Health Unit" and "Joint Health and Work Unit"), and a name no register
  knows that looks like a known body's ("Strategic Planning Groups" beside
  "Strategic Partnership Groups").
- :mod:`.counts` (OBL-103, OBL-104): a count stated before a list against the
  items listed (an item's "(2 pilots)" counts as two), the same count stated
  elsewhere, and a group's stated size against ``obl:declaredMemberCount`` and
  its listed members.
- :mod:`.summaries` (OBL-105 to OBL-107): a short document that names another
  one (an announcement of an agreement) is read claim by claim; a claim no
  commitment of the source supports, a claim stronger than the commitment that
  supports it, and a section of the source the summary leaves out are findings.
  :mod:`.support` scores a claim against the source's commitments.
- :mod:`.signatories` (OBL-108): who a summary says signed, against the
  source's signatories.

Every finding (:mod:`.finding`) quotes both sides with their document, section,
line and character offsets; :mod:`.words` holds the word handling they share.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from graph.consistency.corpus import Corpus, load_corpus
from graph.consistency.counts import count_findings
from graph.consistency.finding import ConsistencyFinding, Place, consistency_rules, short
from graph.consistency.names import name_findings
from graph.consistency.signatories import signatory_findings
from graph.consistency.summaries import summary_findings
from graph.consistency.words import similar_names
from graph.store import GraphStore

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from graph.report import Finding, Report

__all__ = [
    "ConsistencyFinding",
    "Place",
    "check_graph",
    "consistency_findings",
    "consistency_rules",
    "report_findings",
    "similar_names",
    "with_consistency",
]


def consistency_findings(store: GraphStore) -> list[ConsistencyFinding]:
    """Inconsistencies within and across the documents of the graph.

    Args:
        store: The graph, as built by ``build`` or ``build_memory``.

    Returns:
        Findings sorted by document, position and rule, each quoting both sides.
    """
    return _findings(load_corpus(store))


def _findings(corpus: Corpus) -> list[ConsistencyFinding]:
    findings = name_findings(corpus) + count_findings(corpus) + summary_findings(corpus) + signatory_findings(corpus)
    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=lambda f: (f.left.document or "~", f.left.start or 0, f.rule_id, f.message))


def report_findings(findings: Iterable[ConsistencyFinding]) -> list[Finding]:
    """The findings as check-report findings: the first side quoted, the second as the value."""
    from graph.report import Finding

    out = []
    for f in findings:
        a, b = f.left, f.right
        other = None
        if b is not None:
            other = f"{b.describe()}: \"{short(b.quote, 300)}\""
        out.append(Finding(
            rule_id=f.rule_id, severity=f.severity, message=f.message, focus=f.focus or "urn:obligraph:corpus",
            document=a.document, section=a.section, quote=a.quote, start=a.start, end=a.end, line=a.line,
            value=other,
        ))
    return out


def with_consistency(report: Report, store: GraphStore) -> Report:
    """A check report with the consistency findings and rules added.

    Args:
        report: What ``check.validate`` returned.
        store: The graph it checked.

    Returns:
        A new report: its findings plus these, its rules plus ``consistency_rules()``.
    """
    corpus = load_corpus(store)
    return _merged(report, corpus, _findings(corpus))


# From this many documents the rules are worth their own process: starting one
# costs about a second, and below this the whole check takes little more.
SIDE_BY_SIDE_FROM = 50


def check_graph(store: GraphStore, shapes: Graph, engine: str = "auto", quiet: bool = True) -> Report:
    """The whole check: the shapes' rules and the consistency checks.

    The same report as ``with_consistency(validate(store, shapes, engine), store)``.
    On a stored graph of many documents the rules run in a second process, on
    the same database, while this one reads the texts: each takes seconds at
    that size and both need a processor (in a thread, the rules would wait for
    Python's lock held by the text checks, and take twice as long).

    Args:
        store: The graph.
        shapes: Shapes from ``check.load_shapes``.
        engine: ``sparql``, ``pyshacl`` or ``auto``, as for ``check.validate``.
        quiet: False for progress bars on stderr while the texts are read (on a terminal only).
    """
    from graph.check import validate

    if store.database is None or _agreements(store) < SIDE_BY_SIDE_FROM:
        corpus = load_corpus(store)
        return _merged(validate(store, shapes, engine), corpus, _findings(corpus))
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no copy of this one's open database
    receive, send = context.Pipe(duplex=False)
    rules = context.Process(target=_validate_stored, args=(str(store.database), shapes, engine, send),
                            name="obligraph-rules", daemon=True)
    rules.start()
    send.close()
    try:
        corpus = load_corpus(store, quiet)
        corpus.find_mentions(quiet)
        findings = _findings(corpus)
        try:
            status, payload = receive.recv()
        except EOFError:  # the process died without a word (killed, out of memory)
            raise RuntimeError(f"the rules' process stopped unexpectedly (exit code {rules.exitcode})") from None
    finally:
        receive.close()
        if rules.is_alive():  # interrupted, or failed here: never leave it running
            rules.terminate()
        rules.join()
    if status == "error":
        raise payload
    return _merged(payload, corpus, findings)


def _agreements(store: GraphStore) -> int:
    rows = store.select("SELECT (COUNT(?a) AS ?n) WHERE { ?a a obl:Agreement }")
    return int(rows[0]["n"]) if rows else 0


def _validate_stored(database: str, shapes: Graph, engine: str, send) -> None:
    """In the rules' process: validate the database read-only and send back the report or the error."""
    import pyoxigraph as ox

    from graph.check import validate

    try:
        reply = ("ok", validate(GraphStore(ox.Store.read_only(database)), shapes, engine))
    except BaseException as exc:  # handed to the caller, which raises it
        reply = ("error", exc)
    try:
        send.send(reply)
    except Exception as exc:  # an error that cannot be pickled still arrives, as its message
        send.send(("error", RuntimeError(f"the rules failed: {exc}")))
    finally:
        send.close()


def _merged(report: Report, corpus: Corpus, findings: list[ConsistencyFinding]) -> Report:
    texts = dict(report.texts)
    for doc in corpus.docs:
        texts.setdefault(doc.file, doc.text)
    have = {r.rule_id for r in report.rules}
    rules = tuple(report.rules) + tuple(r for r in consistency_rules() if r.rule_id not in have)
    return replace(report, findings=tuple(report.findings) + tuple(report_findings(findings)), rules=rules, texts=texts)
