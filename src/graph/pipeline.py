"""The whole flow: documents -> ingest -> segment -> extract -> build -> store.

    docs = read(paths)
    for doc in docs:
        structure = segment(doc)
        register_d = register.discover(doc.text, doc.doc_id)
        extraction = extract(structure, nlp, register_d)
        quads = build_document(structure, extraction, discovered)
    store.write(document graphs + parties found + register + ontology + run)

``build`` is incremental on disk: a document whose text, tool version, model
and register are unchanged keeps its named graph; a document that is gone
loses it; everything is written in one all-or-nothing step. The parties the
documents found are described once, in the shared parties graph, rebuilt on
each build from every document's own list (kept in the store's manifest for
the documents not read again).

With ``jobs`` above 1, documents are segmented, extracted and built in worker
processes (each loads the pipeline once) and come back in their order, so the
graph is the same, quad for quad, as with one process; only the parent writes.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph import __version__
from graph.errors import InputError, StoreError
from graph.ingest import collect_paths, read_document
from graph.layout import Layout
from graph.model import Document, Structure
from graph.namespace import ONTOLOGY_GRAPH, PARTIES_GRAPH, REGISTER_GRAPH, RUN_GRAPH, document_graph
from graph.parties import PartyRegister
from graph.progress import progress
from graph.segment import segment
from graph.store import GraphStore, StoreFolder, memory_store, sorted_quads

if TYPE_CHECKING:
    from graph.extract import Extraction

# graph.extract and graph.build (which load spaCy, a second of start-up) are
# imported where a build needs them, so that the reading commands start fast.

DEFAULT_CORPUS = "corpus"


@dataclass
class Processed:
    """One document through every stage."""

    document: Document
    structure: Structure
    extraction: Extraction
    quads: list[ox.Quad]  # the document's named graph
    parties: list[ox.Quad]  # its share of the parties graph


@dataclass
class BuildResult:
    """What a build did, for the counts it prints."""

    documents: int = 0
    rebuilt: int = 0
    removed: int = 0
    sections: int = 0
    parties: int = 0
    commitments: int = 0
    triples: int = 0
    warnings: list[str] = field(default_factory=list)
    processed: list[Processed] = field(default_factory=list)


def read(
    paths: Sequence[str | Path], max_bytes: int | None = None, max_pages: int | None = None
) -> tuple[list[Document], list[str]]:
    """Read every document under the given paths; fail before anything is written.

    Raises:
        InputError: when a path is missing, or a file cannot be read.
    """
    files, warnings = collect_paths([Path(p) for p in paths])
    if not files:
        raise InputError("no documents to read (.txt, .md, .html, .pdf or .docx)", ", ".join(map(str, paths)))
    docs: list[Document] = []
    seen: dict[str, int] = {}
    limits = {k: v for k, v in (("max_bytes", max_bytes), ("max_pages", max_pages)) if v}  # else its defaults
    for f in files:
        doc = read_document(f, **limits)
        warnings.extend(f"{f}: {w}" for w in doc.warnings)
        if doc.doc_id in seen:
            # Two files with one name in different folders: keep both, apart.
            suffix = hashlib.sha1(str(f).encode()).hexdigest()[:6]
            doc = Document(**{**doc.__dict__, "doc_id": f"{doc.doc_id}-{suffix}"})
        seen[doc.doc_id] = 1
        docs.append(doc)
    return docs, warnings


def load_nlp(model: str | None = None):
    """The spaCy pipeline a build uses (``graph.extract.load_nlp``)."""
    from graph.extract import load_nlp as load

    return load(model)


def process(doc: Document, nlp, register: PartyRegister) -> Processed:
    """Segment, extract and build one document."""
    from graph.build import build_document, discovered_quads
    from graph.extract import extract

    structure = segment(doc)
    local = register.discover(doc.text, doc.doc_id)
    extraction = extract(structure, nlp, local)
    discovered = {p.key: p for p in local.parties.values() if p.discovered and p.key not in register.parties}
    for key, party in extraction.discovered.items():
        discovered.setdefault(key, party)
    quads = build_document(structure, extraction, discovered.values())
    return Processed(doc, structure, extraction, quads, discovered_quads(discovered.values()))


def fingerprint(nlp, register: PartyRegister) -> str:
    """What else a document's graph depends on: tool, model and register."""
    reg = register.to_graph().serialize(format="nt", encoding="utf-8")
    lines = sorted(reg.decode("utf-8").splitlines())
    meta = f"{__version__}|{nlp.meta.get('name')}|{nlp.meta.get('version')}|" + "\n".join(lines)
    return hashlib.sha256(meta.encode()).hexdigest()


# --- worker processes ----------------------------------------------------------
# Each worker rebuilds the parent's very pipeline from its config and weights
# (spaCy's own serialisation), so it needs no model name and gives the same
# parses; the clause finder comes back through its registered factory.
_WORKER: dict[str, object] = {}


def _start_worker(lang: str, config, weights: bytes, register: PartyRegister) -> None:
    import spacy

    from graph import clauses  # noqa: F401  (registers the obligraph_clauses factory)

    nlp = spacy.util.get_lang_class(lang).from_config(config)
    _WORKER["nlp"] = nlp.from_bytes(weights)
    _WORKER["register"] = register


def _process_in_worker(doc: Document) -> Processed:
    return process(doc, _WORKER["nlp"], _WORKER["register"])


def process_all(docs: Sequence[Document], nlp, register: PartyRegister, jobs: int = 1) -> Iterator[Processed]:
    """Process documents in order, in this process or in ``jobs`` worker processes.

    Args:
        docs: The documents to process.
        nlp: The loaded pipeline; workers get a copy of it.
        register: The party register.
        jobs: Worker processes; 1 processes every document here.

    Yields:
        Each document's ``Processed``, in the order of ``docs``.
    """
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    jobs = min(jobs, len(docs))
    if jobs <= 1:
        for doc in docs:
            yield process(doc, nlp, register)
        return
    # 'spawn': a fresh interpreter per worker, never a fork of a process that
    # holds spaCy's and Oxigraph's threads and locks.
    context = multiprocessing.get_context("spawn")
    args = (nlp.config["nlp"]["lang"], nlp.config, nlp.to_bytes(), register)
    with context.Pool(jobs, initializer=_start_worker, initargs=args) as pool:
        yield from pool.imap(_process_in_worker, docs)


def build(
    paths: Sequence[str | Path],
    store: str | Path | GraphStore | None = None,
    register_files: Sequence[Path] = (),
    model: str | None = None,
    nlp=None,
    quiet: bool = True,
    max_bytes: int | None = None,
    max_pages: int | None = None,
    on_document: Callable[[Processed], None] | None = None,
    jobs: int = 1,
) -> tuple[BuildResult, GraphStore]:
    """Build (or update) the graph of the documents under ``paths``.

    Args:
        paths: Files and folders to read.
        store: A store folder, ``"memory"``, or an open GraphStore; default ``.obligraph``.
        register_files: Extra party register files (Turtle).
        model: spaCy model name; the pinned English model by default.
        nlp: An already loaded pipeline (overrides ``model``).
        quiet: No progress bar.
        max_bytes: Refuse documents larger than this (a .docx: also unzipped).
        max_pages: Refuse PDFs with more pages than this.
        on_document: Called with each processed document.
        jobs: Worker processes that extract documents; the graph is the same
            whatever their number.

    Returns:
        The counts and the store, open for reading.

    Raises:
        InputError, RegisterError, StoreError, ModelError: on bad input; the
            existing graph is then left as it was.
        ValueError: when ``jobs`` is below 1.
    """
    from graph.build import ontology_quads, register_quads, run_quads

    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    docs, warnings = read(paths, max_bytes, max_pages)
    register = PartyRegister.load(list(register_files))
    nlp = nlp or load_nlp(model)
    fp = fingerprint(nlp, register)
    result = BuildResult(documents=len(docs), warnings=warnings)
    shared = {
        str(ONTOLOGY_GRAPH): ontology_quads(),
        str(REGISTER_GRAPH): register_quads(register),
        str(RUN_GRAPH): run_quads(
            __version__, str(nlp.meta.get("name")), str(nlp.meta.get("version")),
            _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        ),
    }
    if is_endpoint(store):
        store = _remote(str(store))
    if isinstance(store, GraphStore) or store == "memory":
        target = store if isinstance(store, GraphStore) else memory_store()
        put = dict(shared)
        found: list[ox.Quad] = []
        for p in progress(process_all(docs, nlp, register, jobs), quiet, "extracting", len(docs)):
            put[str(document_graph(p.document.doc_id))] = p.quads
            target.layouts[p.document.doc_id] = (p.document.sha256, Layout.of(p.structure).dumps())
            found.extend(p.parties)
            _count(result, p, on_document)
        put[str(PARTIES_GRAPH)] = _parties_graph(q.triple for q in found)
        # Documents no longer given lose their graphs, as in a store folder.
        prefix = str(document_graph(""))
        gone = [g for g in target.graph_names() if g.startswith(prefix) and g not in put]
        result.removed = len(gone)
        target.apply(put, gone)
        result.triples = len(target)
        return result, target
    folder = StoreFolder(store or ".obligraph")
    with folder.lock():
        manifest = _manifest(folder)
        wanted = {d.doc_id: {"sha256": d.sha256, "fingerprint": fp} for d in docs}
        put = dict(shared)
        # A store written before the parties graph existed has no list of parties
        # per document: its documents are read again.
        todo = [d for d in docs if not _current(manifest.get(d.doc_id), wanted[d.doc_id])]
        for p in progress(process_all(todo, nlp, register, jobs), quiet, "extracting", len(todo)):
            put[str(document_graph(p.document.doc_id))] = p.quads
            wanted[p.document.doc_id]["parties"] = _nt_lines(p.parties)
            wanted[p.document.doc_id]["layout"] = Layout.of(p.structure).dumps()
            _count(result, p, on_document)
        for doc_id, entry in wanted.items():
            if "parties" not in entry:  # not read again: what the store's manifest recorded
                entry["parties"] = manifest[doc_id]["parties"]
                if "layout" in manifest[doc_id]:  # absent from stores built before layouts were kept
                    entry["layout"] = manifest[doc_id]["layout"]
        put[str(PARTIES_GRAPH)] = _parties_graph(ox.parse(
            "\n".join(line for e in wanted.values() for line in e["parties"]), format=ox.RdfFormat.N_TRIPLES))
        gone = [str(document_graph(k)) for k in manifest if k not in wanted]
        result.removed = len(gone)
        folder.write(put, gone)
        _write_manifest(folder, wanted)
    opened = folder.open()
    result.triples = len(opened)
    return result, opened


def _count(result: BuildResult, p: Processed, hook) -> None:
    result.rebuilt += 1
    result.sections += len(p.structure.sections)
    result.commitments += len(p.extraction.commitments)
    result.processed.append(p)
    if hook:
        hook(p)


def _current(entry: dict | None, wanted: dict) -> bool:
    """True when a document's graph in the store was built from this text, tool, model and register."""
    return entry is not None and "parties" in entry and all(entry.get(k) == v for k, v in wanted.items())


def _nt_lines(quads: Sequence[ox.Quad]) -> list[str]:
    """Quads' triples as N-Triples lines, as the manifest keeps them."""
    return ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines()


def _parties_graph(triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    """The parties graph: each triple once, in a fixed order, however many documents found the party."""
    graph = ox.NamedNode(str(PARTIES_GRAPH))
    return sorted_quads({ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples})


def _manifest(folder: StoreFolder) -> dict:
    db = folder.current
    if db is None:
        return {}
    path = db.with_suffix(".json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _write_manifest(folder: StoreFolder, wanted: dict) -> None:
    db = folder.current
    if db is None:
        raise StoreError("the store was not written", str(folder.path))
    db.with_suffix(".json").write_text(json.dumps(wanted, sort_keys=True, indent=1), encoding="utf-8")


def build_memory(paths: Sequence[str | Path], nlp=None, register_files: Sequence[Path] = ()) -> GraphStore:
    """Build the graph of some documents in memory (tests, one-off reads)."""
    return build(paths, "memory", register_files, nlp=nlp)[1]


def open_graph(
    paths: Sequence[str | Path] = (), store: str | Path | None = None, register_files: Sequence[Path] = (), model: str | None = None
) -> GraphStore:
    """The graph a reading command works on: built in memory from documents, or the store.

    Raises:
        StoreError: with neither documents nor a built store, saying how to build one.
    """
    if paths:
        return build(paths, "memory", register_files, model=model)[1]
    if is_endpoint(store):
        return _remote(str(store))
    return StoreFolder(store or ".obligraph").open()


def is_endpoint(store: object) -> bool:
    """Whether a ``--store``/``--endpoint`` value names a SPARQL server rather than a folder."""
    return isinstance(store, str) and store.lower().startswith(("http://", "https://"))


def _remote(url: str) -> GraphStore:
    from graph.remote import RemoteStore

    return RemoteStore(url)


def store_for_writing(store: str | Path | None) -> GraphStore | StoreFolder:
    """Where a command that adds to the graph writes: a SPARQL server or a store folder."""
    if is_endpoint(store):
        return _remote(str(store))
    if store == "memory":
        raise StoreError("a 'memory' store would be thrown away at once; give a store folder or --endpoint")
    return StoreFolder(store or ".obligraph")


def count_parties(store: GraphStore) -> int:
    """How many distinct parties the graph knows."""
    rows = store.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p skos:prefLabel ?l . ?p obl:partyKind ?k }")
    return int(rows[0]["n"]) if rows else 0
