"""``claimgraph query``, ``claimgraph load`` and ``claimgraph serve``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graph.cli.graph_input import GRAPH_FILE_HINT, note_bundled
from graph.errors import QueryError

if TYPE_CHECKING:
    from graph.pipeline.published import BuildParts
    from graph.stores import Store
    from graph.stores.loading import LoadSummary
    from graph.stores.oxigraph_load import LoadMethod

__all__ = [
    "COMMANDS",
    "load_command",
    "query_command",
    "serve_command",
]

_STORE_HELP = "memory (default, the bundled article), oxigraph:PATH, or http://HOST:PORT/PATH"


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryError(f"--param takes KEY=VALUE, not {item!r}")
        out[key] = value
    return out


@click.command("query")
@click.argument("name", required=False)
@click.argument("graph_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--graph", "graph_option", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE", help="The RDF file to query (the same as GRAPH_FILE).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter: an id as the annotation file spells it (russell-strong, "
              "c03), a source kind or mode word (anonymous, denial), or an IRI.")
@click.option("--store", default=None, help=_STORE_HELP)
@click.option("--update-url", default=None, help="An HTTP store's update endpoint, if different.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]),
              default="table", show_default=True, help="Output for SELECT/ASK (CONSTRUCT: Turtle).")
@click.option("--list", "list_", is_flag=True, help="List the library's queries and exit.")
def query_command(
    name: str | None,
    graph_file: Path | None,
    graph_option: Path | None,
    params: tuple[str, ...],
    store: str | None,
    update_url: str | None,
    fmt: str,
    list_: bool,
) -> None:
    """Run a named query of the library, a .rq FILE, or - (a query on stdin), on GRAPH_FILE.

    GRAPH_FILE (or --graph FILE) is an RDF file such as out/graph.trig; --store names a store
    instead; with neither, the bundled article (a note on stderr says so). SELECT prints rows,
    ASK true/false, CONSTRUCT Turtle. Parameters are bound as RDF terms, never pasted into the
    query text; a value that names nothing the graph holds is an error, never an empty answer.

    Example: claimgraph query claims-by-source-kind out/graph.trig --param kind=anonymous

    Example: claimgraph query claims-by-claimant --param agent=russell-strong --format csv
    """
    from graph.sparql.library import list_queries, load_query_file, parse_query_text, run_query

    if list_:
        queries = list_queries()
        if fmt == "json":
            click.echo(json.dumps([q.to_json() for q in queries], indent=1, ensure_ascii=False))
            return
        for q in queries:
            args = " ".join(f"--param {p.name}={p.example}" for p in q.params)
            click.echo(f"{q.name}  ({q.form}) {q.title}\n    {q.description}")
            if args:
                click.echo(f"    e.g. claimgraph query {q.name} {args}")
        return
    if not name:
        raise click.UsageError("give a query NAME, a .rq FILE or -, or use --list")
    if name == "-":
        named = parse_query_text(sys.stdin.read(), "stdin")
    elif name.endswith(".rq") or Path(name).is_file():
        named = load_query_file(name)
    else:
        from graph.sparql.library import get_query

        named = get_query(name)
    opened = _open(_graph_file(graph_file, graph_option), store, update_url)
    try:
        result = run_query(named, _params(params), store=opened)
    finally:
        opened.close()
    if result.form in ("construct", "describe"):
        click.echo(result.to_turtle(), nl=False)
    elif fmt == "json":
        click.echo(result.to_json())
    elif fmt == "csv":
        click.echo(result.to_csv(), nl=False)
    elif fmt == "tsv":
        click.echo(result.to_tsv(), nl=False)
    else:
        click.echo(result.to_table())


def _graph_file(positional: Path | None, option: Path | None) -> Path | None:
    if positional is not None and option is not None and positional != option:
        raise click.UsageError("give the graph file once: as GRAPH_FILE or as --graph")
    return positional or option


def _open(graph_file: Path | None, store: str | None, update_url: str | None) -> Store:
    """A memory store holding the graph file, the store named, or the bundled article."""
    from graph.stores import open_store

    if graph_file is not None:
        if store is not None:
            raise click.UsageError("give a graph file or --store, not both")
        from graph.rdf.rdfio import read_rdf

        opened = open_store("memory", dataset=read_rdf(graph_file))
        opened.spec = str(graph_file)  # errors name the file the user gave
        return opened
    if store is None:
        note_bundled(GRAPH_FILE_HINT + " or --store")
    return open_store(store or "memory", update_url=update_url)


@click.command("load")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--store", required=True, help="oxigraph:PATH or http://HOST:PORT/PATH")
@click.option("--update-url", default=None, help="The server's update endpoint, if different.")
@click.option("--graph-store-url", default=None,
              help="The server's Graph Store Protocol endpoint "
              "(Virtuoso: /sparql-graph-crud-auth).")
@click.option("--method", type=click.Choice(["auto", "bulk", "transaction"]), default="auto",
              show_default=True,
              help="How an Oxigraph store is written: one transaction, or pyoxigraph's bulk "
              "loader into a copy that is swapped in (auto: bulk from 16 MiB of input).")
def load_command(
    files: tuple[Path, ...], store: str, update_url: str | None, graph_store_url: str | None,
    method: LoadMethod,
) -> None:
    """Load built graph files into a store, replacing the named graphs they hold.

    Reads TriG, N-Quads, Turtle, N-Triples or JSON-LD (by suffix); with no FILES, the bundled
    article's build. A file that does not parse loads nothing (no other file either); loading a
    document again replaces its graphs. Given one named-graph export of a build (graph.trig,
    graph.nq or graph.jsonld in its output folder), only the documents that changed since the
    last load of a build into the store are replaced, added or removed, in one change; stderr
    says how many of each. Credentials for a server come from CLAIMGRAPH_STORE_USER and
    CLAIMGRAPH_STORE_PASSWORD (CLAIMGRAPH_STORE_AUTH=digest|basic).

    Example: claimgraph load out/graph.trig --store oxigraph:data/store
    """
    if not files:
        note_bundled("Give the files to load (e.g. out/graph.trig)")
    from graph.pipeline.published import build_parts

    parts = build_parts(files) if files else None
    if parts is not None:
        summary = _load_build(parts, store, update_url, graph_store_url, method)
    elif files and store.startswith("oxigraph:"):
        summary = _load_oxigraph(files, store, method)
    else:
        summary = _load_rdflib(files, store, update_url, graph_store_url)
    note = " (a memory store lives only as long as this command)" if store == "memory" else ""
    click.echo(f"loaded {summary.triples} triples into {len(summary.graphs)} graph(s) of {store}"
               + (f", dropped {len(summary.dropped)} stale graph(s)" if summary.dropped else "")
               + note)


def _load_build(parts: BuildParts, store: str, update_url: str | None,
                graph_store_url: str | None, method: LoadMethod) -> LoadSummary:
    """A build's parts: only the documents that changed since the last load are replaced."""
    from graph.stores import open_store
    from graph.stores.incremental import load_build
    from graph.stores.oxigraph import OxigraphStore

    if store.startswith("oxigraph:"):
        opened: Store = OxigraphStore(store[len("oxigraph:"):])
    else:
        opened = open_store(store, update_url=update_url, graph_store_url=graph_store_url)
    try:
        plan, summary = load_build(opened, parts.digests, parts.nquads, method=method)
    finally:
        opened.close()
    for line in plan.describe():
        click.echo(f"claimgraph: {line}", err=True)
    return summary


def _load_oxigraph(files: tuple[Path, ...], store: str, method: LoadMethod) -> LoadSummary:
    """Files parsed by pyoxigraph itself (no rdflib on the way) into an Oxigraph folder."""
    from graph.stores.incremental import LOAD_RECORD_GRAPH
    from graph.stores.oxigraph import OxigraphStore
    from graph.stores.oxigraph_load import read_quads

    incoming = read_quads(files)
    opened = OxigraphStore(store[len("oxigraph:"):])
    try:  # the record of a build's load no longer says what the store holds: it goes
        return opened.replace_quads(incoming, method=method, drop=[str(LOAD_RECORD_GRAPH)])
    finally:
        opened.close()


def _load_rdflib(files: tuple[Path, ...], store: str, update_url: str | None,
                 graph_store_url: str | None) -> LoadSummary:
    from graph.rdf.rdfio import read_rdf
    from graph.stores import open_store
    from graph.stores.loading import merge_for_load

    if files:
        graphs = merge_for_load((f.name, read_rdf(f)) for f in files)
    else:
        from graph.corpus import bundled_corpus_dir
        from graph.model.annotations import load_corpus
        from graph.rdf.dataset import build_dataset

        graphs = merge_for_load([("bundled", build_dataset(load_corpus([bundled_corpus_dir()])))])
    from graph.stores.incremental import LOAD_RECORD_GRAPH
    from graph.stores.memory import MemoryStore
    from graph.stores.sparql_http import HttpStore

    opened = open_store(store, update_url=update_url, graph_store_url=graph_store_url)
    try:  # the record of a build's load no longer says what the store holds: it goes
        if isinstance(opened, MemoryStore | HttpStore):
            return opened.replace_graphs(graphs, drop=[str(LOAD_RECORD_GRAPH)])
        return opened.replace_graphs(graphs)
    finally:
        opened.close()


@click.command("serve")
@click.option("--store", default="memory", show_default=True, help="memory or oxigraph:PATH")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port (0: any free).")
@click.option("--timeout", default=10.0, show_default=True, type=float,
              help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", default=10000, show_default=True, type=int,
              help="Larger results are refused with an error, never cut silently.")
@click.option("--workers", default=2, show_default=True, type=int,
              help="Fast worker processes: queries answered at the same time.")
@click.option("--slow-lane", default=4, show_default=True, type=click.IntRange(min=0),
              help="Queries past their fast budget that may run on, on idle CPU time only, until "
              "the time limit; more get 503.")
@click.option("--fast-budget", default=0.1, show_default=True,
              type=click.FloatRange(min=0.005), metavar="SECONDS",
              help="CPU time a query may use on a fast worker before it leaves for the slow lane.")
@click.option("--busy-budget", default=0.03, show_default=True,
              type=click.FloatRange(min=0.005), metavar="SECONDS",
              help="The fast budget while other queries wait for a worker (at most --fast-budget).")
@click.option("--inline-budget", default=0.002, show_default=True,
              type=click.FloatRange(min=0.0), metavar="SECONDS",
              help="A text a worker answered within this CPU time is answered in the server "
              "itself from then on (0: every query goes to a worker).")
@click.option("--max-memory", default=512, show_default=True, type=click.IntRange(min=0),
              metavar="MB", help="Memory a worker may add while running a query (0: no cap).")
@click.option("--cors", default=None, metavar="ORIGIN",
              help="Let web pages from this one origin (e.g. https://yasgui.example) read answers; "
              "by default no other site's page may.")
@click.option("--views", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="A folder of HTML views to serve under /views/.")
@click.option("--engine", type=click.Choice(["pool", "oxigraph"]), default="pool",
              show_default=True,
              help="What answers checked queries: our worker processes, or Oxigraph's own server "
              "(pip install oxigraph) on a loopback port; docs/endpoint.md compares them.")
def serve_command(
    store: str, host: str, port: int, timeout: float, max_rows: int, workers: int,
    slow_lane: int, fast_budget: float, busy_budget: float, inline_budget: float,
    max_memory: int,
    cors: str | None, views: Path | None, engine: str,
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint at /sparql, the query library and HTML views.

    Updates, LOAD and SERVICE are refused; each query has a time limit, a row cap and a memory
    cap, and long queries run in a capped slow lane so they never hold up short ones.

    Example: claimgraph serve --store oxigraph:data/store --port 8000 --views out/views
    """
    from graph.serve.config import ServeConfig
    from graph.serve.handler import serve_forever

    config = ServeConfig(store=store, host=host, port=port, timeout=timeout, max_rows=max_rows,
                         workers=workers, slow_lane=slow_lane, fast_budget=fast_budget,
                         busy_budget=busy_budget, inline_budget=inline_budget,
                         max_memory=max_memory,
                         cors=cors, views=views, engine=engine)

    def announce(url: str) -> None:
        click.echo(f"serving {url}sparql", err=True)
        if store == "memory":  # after the address: scripts read that first line
            note_bundled("Load a graph with claimgraph load and give --store oxigraph:PATH")

    serve_forever(config, announce=announce)


COMMANDS = (query_command, load_command, serve_command)
