"""``claimgraph paths``, ``claimgraph analyze`` and ``claimgraph export-network``."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import click
import networkx as nx
from rdflib import Dataset

from graph.cli.graph_input import read_graph
from graph.support.atomic import atomic_write_text

__all__ = [
    "COMMANDS",
    "analyze_command",
    "export_network_command",
    "paths_command",
]

_GRAPH_FILE = click.argument(
    "graph_file", required=False, type=click.Path(path_type=Path, dir_okay=False)
)


def _dataset(graph_file: Path | None) -> Dataset:
    """The dataset of an RDF file, or of the bundled article (built, validated, and said so)."""
    return read_graph(graph_file)


def _dependency_graph(graph_file: Path | None) -> nx.DiGraph:
    from graph.rdf.projection import dependency_graph

    return dependency_graph(_dataset(graph_file))


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _name(G: nx.DiGraph, node: str, role: str | None = None) -> str:
    """A node as one phrase: a claim by its id and text, anything else by label and role."""
    from graph.analysis import outlet_of

    data = G.nodes[node]
    outlet = outlet_of(G, node)
    if data.get("type") == "claim":
        text = f"claim {data.get('claim_id') or node} “{_short(str(data.get('text', '')), 80)}”"
        where = [role] if role and role != "claim" else []
        where += [outlet] if outlet else []
        return text + (f" [{', '.join(where)}]" if where else "")
    what = role or str(data.get("type", ""))
    if data.get("type") == "document":
        what = role or "document"
        if outlet:
            what += f", published by {outlet}"
    return f"{data.get('label', node)} [{what}]"


def _linked(G: nx.DiGraph, links: list[tuple[str, str]]) -> str:
    return "; ".join(f"{_name(G, c)} ({relation})" for c, relation in links) or "none"


@click.command("paths")
@click.argument("claim")
@_GRAPH_FILE
@click.option("--max-paths", type=click.IntRange(min=1), default=50, show_default=True,
              help="Print at most this many chains.")
def paths_command(claim: str, graph_file: Path | None, max_paths: int) -> None:
    """Print each reporting chain of a claim, hop by hop, down to its roots.

    CLAIM is a claim IRI, DOCUMENT-ID/CLAIM-ID (DOCUMENT-ID#CLAIM-ID also works), or a claim
    id used by one document only.
    GRAPH_FILE is an RDF file (TriG keeps the named graphs); without it, the bundled article.

    Example: claimgraph paths c02
    """
    from graph.analysis import (
        chain_text,
        chains,
        corroboration,
        describe,
        dominators,
        resolve_claim,
        roots,
    )
    from graph.analysis.groups import independence

    G = _dependency_graph(graph_file)
    node = resolve_claim(G, claim)
    found = chains(G, node, max_paths=max_paths + 1)
    click.echo(_name(G, node))
    click.echo(f"  {node}")
    if not found:
        click.echo("No chain reaches a source: the claim rests on nothing the graph holds.")
    for i, chain in enumerate(found[:max_paths], start=1):
        steps = describe(G, chain)
        click.echo(f"Chain {i}: {len(chain) - 1} hop(s) to "
                   f"{_name(G, chain[-1], steps[-1]['role'])}")
        click.echo(f"  {chain_text(G, chain)}")
        for before, after in pairwise(steps):
            label = str(G.edges[before["iri"], after["iri"]].get("label", after["relation"]))
            click.echo(f"  {_name(G, before['iri'], before['role'])}")
            click.echo(f"    └─ {label} → {_name(G, after['iri'], after['role'])}")
    if len(found) > max_paths:
        click.echo(f"(more than {max_paths} chains; showing the first {max_paths})")
    rs = roots(G, node)
    click.echo("Roots: " + ("; ".join(f"{r['label']} ({r['role']}, {r['kind']})" for r in rs)
                            or "none"))
    click.echo(f"Independent roots: {corroboration(G, node)}")
    if G.graph.get("affiliations"):
        from graph.report.affiliations import independence_line

        click.echo(independence_line(independence(G, node)))
    doms = dominators(G, node)
    click.echo("Every chain passes through: " + ("; ".join(_name(G, d) for d in doms) or "nothing"))
    supporters = [(s, "supports") for s, t in G.graph.get("supports", ()) if t == node]
    challengers = [(c, r) for c, t, r in G.graph.get("contradictions", ()) if t == node]
    click.echo("Supported by: " + _linked(G, supporters))
    click.echo("Challenged by: " + _linked(G, challengers))


@click.command("analyze")
@_GRAPH_FILE
@click.option("--json", "as_json", is_flag=True, help="Print the full result as one JSON object.")
@click.option("--rdf", "rdf_out", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write roots and corroboration counts as TriG, in a named graph of their "
              "own with PROV provenance.")
def analyze_command(graph_file: Path | None, as_json: bool, rdf_out: Path | None) -> None:
    """Analyse what every claim rests on: roots, independent roots, single points of failure.

    Prints the findings as markdown, or with --json one object with claims (roots,
    independent_roots, dominators, chains), sources ranked by impact, cycles, echo groups,
    contradictions and document profiles. Without GRAPH_FILE, the bundled article.

    Example: claimgraph analyze out/graph.trig --json > analysis.json

    Example: claimgraph analyze out/graph.trig --rdf out/analysis.trig
    """
    from datetime import UTC, datetime

    from graph.analysis import analyze
    from graph.rdf.analysis_results import analysis_dataset, source_graphs
    from graph.rdf.export import to_trig
    from graph.rdf.projection import dependency_graph
    from graph.report.findings import render_findings

    ds = _dataset(graph_file)
    started = datetime.now(UTC)
    G = dependency_graph(ds)
    summary = analyze(G)
    if rdf_out is not None:
        results = analysis_dataset(
            summary, used=source_graphs(ds), started=started, ended=datetime.now(UTC)
        )
        atomic_write_text(rdf_out, to_trig(results))
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        click.echo(render_findings(G, summary))


@click.command("export-network")
@_GRAPH_FILE
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json"]), required=True,
              help="GraphML, GEXF (Gephi) or node-link JSON.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The file to write (replaced atomically).")
@click.option("--graph", "which", type=click.Choice(["dependency", "entities"]),
              default="dependency", show_default=True,
              help="The claim dependency graph, or the graph of entities the claims relate.")
def export_network_command(graph_file: Path | None, fmt: str, out: Path, which: str) -> None:
    """Write the dependency or entity network for Gephi, yEd, Cytoscape or d3.

    Example: claimgraph export-network out/graph.trig --format gexf --out network.gexf
    """
    from graph.analysis import corroboration_by_claim, to_gexf, to_graphml, to_node_link_json
    from graph.rdf.projection import dependency_graph, entity_graph

    ds = _dataset(graph_file)
    G = dependency_graph(ds)
    if which == "entities":
        G = entity_graph(ds, corroboration=corroboration_by_claim(G))
    writer = {"graphml": to_graphml, "gexf": to_gexf, "json": to_node_link_json}[fmt]
    atomic_write_text(out, writer(G))
    click.echo(f"wrote {G.number_of_nodes()} nodes and {G.number_of_edges()} edges → {out}")


COMMANDS = (paths_command, analyze_command, export_network_command)
