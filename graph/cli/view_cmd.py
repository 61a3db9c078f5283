"""``claimgraph view``: one interactive HTML view, written where the user says."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = [
    "COMMANDS",
    "view_command",
]


@click.command("view")
@click.argument("graph_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--kind", type=click.Choice(["provenance", "entities", "claim"]),
              default="provenance", show_default=True, help="Which view to draw.")
@click.option("--claim", "claim", metavar="ID",
              help="For --kind claim: a claim IRI, a short id (c01) or doc-id/c01; by default "
              "the claim with the longest chain, then the most links.")
@click.option("--overview/--all", "overview", default=None,
              help="Provenance and entities: open as an overview (documents or groups with "
              "their counts, a click shows their claims) or draw every node; by default an "
              "overview past 500 nodes.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The HTML file to write (replaced atomically).")
def view_command(graph_file: Path | None, kind: str, claim: str | None,
                 overview: bool | None, out: Path) -> None:
    """Write an offline, interactive HTML view of a graph.

    With no GRAPH_FILE, the bundled article is built (and a note on stderr says so); otherwise
    the RDF file is read (TriG, Turtle, N-Triples, N-Quads or JSON-LD). The page needs no
    network to open.

    A large graph (past 500 nodes) opens as an overview: documents with their claim counts,
    outlets and root sources (entities: groups by type and outlet); a click on a document or
    group shows what it holds.

    Example: claimgraph view out/graph.trig --kind claim --claim c02 --out c02.html
    """
    from graph import views
    from graph.cli.graph_input import read_graph
    from graph.rdf.projection import dependency_graph, entity_graph

    dataset = read_graph(graph_file)
    G = dependency_graph(dataset)
    if kind == "provenance":
        view = views.provenance_view(G, overview=overview)
    elif kind == "entities":
        view = views.entity_view(entity_graph(dataset), G, overview=overview)
    else:
        chosen = claim or views.default_claim(G)
        if chosen is None:
            raise click.UsageError("the graph holds no claim to draw")
        view = views.claim_view(G, chosen)
    view.save(out)
    left = f"; {view.omitted}" if view.omitted else ""
    if view.overview:
        left = "; an overview: click a document or group in the page to show what it holds"
    click.echo(f"{kind} view: {view.node_count} nodes, {view.edge_count} edges → {out}{left}")


COMMANDS = (view_command,)
