"""``claimgraph compare``: one story across outlets — aligned claims, copies and drift."""

from __future__ import annotations

import json
from pathlib import Path

import click

__all__ = [
    "COMMANDS",
    "compare_command",
]

_ANNOTATION_SUFFIXES = (".yaml", ".yml")


@click.command("compare")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the story as one JSON object.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the markdown story to this file (replaced atomically) instead of "
              "printing it.")
@click.option("--html", "html_out", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the story view: an offline HTML page of claims by outlet and the "
              "copy graph.")
def compare_command(
    sources: tuple[Path, ...], as_json: bool, out: Path | None, html_out: Path | None
) -> None:
    """Print how one story travelled across outlets.

    SOURCES are annotation folders (or files) of several documents, or one built graph file
    (TriG, N-Quads or JSON-LD keep the named graphs). The story: documents in date order with
    what each cites and copies, the claims carried by several outlets (aligned automatically
    unless the analyst decided with `cluster:`), drift by kind (attribution, mode, scope,
    number, date, only-here), claims that lost their source, and citation cycles.

    Example: claimgraph compare corpus/re-reports --out story.md --html story.html
    """
    from graph.story.markdown import render_story
    from graph.story.model import Story, compute_story, story_of
    from graph.support.atomic import atomic_write_text

    story: Story
    if len(sources) == 1 and sources[0].is_file() and (
        sources[0].suffix.lower() not in _ANNOTATION_SUFFIXES
    ):
        from graph.rdf.affiliations import read_affiliations
        from graph.rdf.rdfio import read_rdf
        from graph.story.from_rdf import story_inputs_from_dataset

        ds = read_rdf(sources[0])
        story = story_of(*story_inputs_from_dataset(ds), affiliations=read_affiliations(ds))
    else:
        from graph.cli.graph_input import note_bundled
        from graph.corpus import bundled_corpus_dir
        from graph.model.annotations import load_corpus

        if not sources:
            note_bundled("Give annotation folders of several documents, or a graph file")
        story = compute_story(load_corpus(sources or (bundled_corpus_dir(),)))
    if html_out is not None:
        from graph.views.story import story_view

        view = story_view(story)
        view.save(html_out)
        click.echo(f"story view: {view.node_count} documents, {len(story.clusters)} rows → "
                   f"{html_out}", err=as_json or out is None)
    if as_json:
        click.echo(json.dumps(story.to_dict(), indent=1, ensure_ascii=False))
        return
    text = render_story(story)
    if out is None:
        click.echo(text, nl=False)
        return
    atomic_write_text(out, text)
    click.echo(
        f"story: {len(story.documents)} documents, {len(story.clusters)} shared claims, "
        f"{len(story.copies)} copies, {len(story.drift)} drift items → {out}"
    )


COMMANDS = (compare_command,)
