"""``claimgraph build`` and ``claimgraph validate``."""

from __future__ import annotations

from pathlib import Path

import click

from graph import pipeline
from graph.corpus import bundled_corpus_dir
from graph.errors import ValidationError
from graph.pipeline.cache import CACHE_DIR
from graph.rdf.rdfio import count_quads, read_rdf
from graph.validate.checks import check_dataset
from graph.validate.contract import check_store
from graph.validate.problems import raise_for_problems

__all__ = [
    "COMMANDS",
    "build_command",
    "validate_command",
]


@click.command("build")
@click.argument("corpus_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder: new, empty, or a previous build's output (replaced whole, or left as "
    "it was if the build fails). Any other folder is refused.",
)
@click.option("--no-views", is_flag=True, help="Skip the HTML views.")
@click.option("--no-story", is_flag=True,
              help="Skip the comparison across documents (claim clusters, copies, drift): on "
              "large corpora it adds more to the graph than the documents do.")
@click.option("--full", is_flag=True,
              help="Build everything again, ignoring what the previous build in --out holds.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes reading, validating and exporting documents (default: all cores).")
def build_command(
    corpus_dirs: tuple[Path, ...], out: Path, no_views: bool, no_story: bool, full: bool,
    jobs: int | None,
) -> None:
    """Build, validate and export the graph of annotated articles.

    With no CORPUS_DIRS, the bundled article. Writes graph.trig, graph.nq, graph.ttl, graph.nt,
    graph.jsonld, report.md (and views/*.html) into --out, with claimgraph-build.json listing
    what it wrote. A folder that is not a build's output, or that is, holds or is inside an
    input folder, is refused (exit 13) and left as it was. A previous build's output is reused:
    only added, changed and removed documents are read, validated and exported again, with the
    same result as a --full build.

    Example: claimgraph build corpus/my-articles --out out/my-articles
    """
    from graph.pipeline.manifest import check_output_folder

    # Refuse at once, before minutes of building; write_build checks again before it swaps.
    sources = corpus_dirs or (bundled_corpus_dir(),)
    check_output_folder(out, folders=[p for p in sources if p.is_dir()],
                        files=[p for p in sources if not p.is_dir()])
    result = pipeline.build(corpus_dirs or None, story=not no_story,
                            previous=None if full else out, jobs=jobs)
    from graph.pipeline.outputs import extra_outputs

    findings, writers = extra_outputs(views=not no_views)
    written = pipeline.write_build(result, out, findings=findings(result), writers=writers)
    claims = sum(len(f.claims) for f in result.corpus.files)
    # The cache's files are the build's own bookkeeping, not outputs a user opens.
    outputs = [p for p in written if p.relative_to(out).parts[0] != CACHE_DIR]
    cached = ", and its build cache" if len(outputs) < len(written) else ""
    skipped = result.shacl.describe() if result.shacl else ""
    click.echo(
        f"built {claims} claims from {len(result.corpus.files)} document(s), "
        f"{result.quad_count()} triples → {out}/ ({len(outputs)} files{cached})"
        + (f"; {skipped}" if skipped else "")
    )
    reused = len(result.corpus.files) - result.documents_read()
    if reused:
        click.echo(f"{result.documents_read()} document(s) read again, {reused} unchanged "
                   "taken from the previous build", err=True)


@click.command("validate")
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--no-shacl", is_flag=True, help="Check only the interop contract (faster on large files)."
)
@click.option("--store", default=None,
              help="Check a store instead of a file: oxigraph:PATH or http://HOST:PORT/PATH.")
def validate_command(file: Path | None, no_shacl: bool, store: str | None) -> None:
    """Check an RDF file against the SHACL shapes and the interop contract, or check a store.

    Reads Turtle, TriG, N-Triples, N-Quads or JSON-LD (by suffix). Exits 0 when valid,
    7 with one line per problem when not: among them each claim-content triple asserted outside
    its claim graph, and each stored text whose SHA-256 changed. A file holding no triples is not
    valid. With --store, checks those two in the store (SHACL needs the file: validate the
    build's graph.trig).

    Example: claimgraph validate out/graph.trig
    """
    if store is not None:
        if file is not None:
            raise click.UsageError("give a FILE or --store, not both")
        _validate_store(store)
        return
    if file is None:
        raise click.UsageError("give a FILE to check (or --store STORE)")
    data = read_rdf(file)
    triples = count_quads(data)
    if triples == 0:  # nothing to break a shape is not the same as valid
        raise ValidationError(f"{file}: holds no triples; there is nothing to validate")
    problems, counts = check_dataset(data, shacl=not no_shacl)
    raise_for_problems(problems, str(file))
    skipped = counts.describe()
    note = f"; {skipped}" if skipped else ""
    click.echo(f"{file}: valid ({triples} triples{note})")


def _validate_store(spec: str) -> None:
    from graph.stores import open_store

    opened = open_store(spec)
    try:
        raise_for_problems(check_store(opened), spec)
    finally:
        opened.close()
    click.echo(f"{spec}: no claim content outside its claim graph, every stored text matches "
               "its SHA-256 (SHACL checks files)")


COMMANDS = (build_command, validate_command)
