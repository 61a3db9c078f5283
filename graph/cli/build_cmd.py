"""``claimgraph build`` and ``claimgraph validate``."""

from __future__ import annotations

from pathlib import Path

import click

from .. import pipeline
from ..errors import ValidationError
from ..rdfio import count_quads, read_rdf
from ..validate import check_dataset, raise_for_problems

__all__ = ["COMMANDS"]


@click.command("build")
@click.argument("corpus_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder; replaced whole, or left as it was if the build fails.",
)
@click.option("--no-views", is_flag=True, help="Skip the HTML views.")
def build_command(corpus_dirs: tuple[Path, ...], out: Path, no_views: bool) -> None:
    """Build, validate and export the graph of annotated articles.

    With no CORPUS_DIRS, the bundled article. Writes graph.trig, graph.ttl, graph.nt,
    graph.jsonld, report.md (and views/*.html) into --out.

    Example: claimgraph build corpus/my-articles --out out/my-articles
    """
    result = pipeline.build(corpus_dirs or None)
    from ..outputs import extra_outputs

    findings, writers = extra_outputs(views=not no_views)
    written = pipeline.write_build(result, out, findings=findings(result), writers=writers)
    claims = sum(len(f.claims) for f in result.corpus.files)
    skipped = result.shacl.describe() if result.shacl else ""
    click.echo(
        f"built {claims} claims from {len(result.corpus.files)} document(s), "
        f"{count_quads(result.dataset)} triples → {out}/ ({len(written)} files)"
        + (f"; {skipped}" if skipped else "")
    )


@click.command("validate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--no-shacl", is_flag=True, help="Check only the interop contract (faster on large files)."
)
def validate_command(file: Path, no_shacl: bool) -> None:
    """Check an RDF file against the SHACL shapes and the interop contract.

    Reads Turtle, TriG, N-Triples, N-Quads or JSON-LD (by suffix). Exits 0 when valid,
    7 with one line per problem when not (a file holding no triples is not valid).

    Example: claimgraph validate out/graph.trig
    """
    data = read_rdf(file)
    triples = count_quads(data)
    if triples == 0:  # nothing to break a shape is not the same as valid
        raise ValidationError(f"{file}: holds no triples; there is nothing to validate")
    problems, counts = check_dataset(data, shacl=not no_shacl)
    raise_for_problems(problems, str(file))
    skipped = counts.describe()
    note = f"; {skipped}" if skipped else ""
    click.echo(f"{file}: valid ({triples} triples{note})")


COMMANDS = (build_command, validate_command)
