"""``claimgraph rehash``: record a corrected article's new SHA-256; list what no longer matches."""

from __future__ import annotations

from pathlib import Path

import click

from graph.errors import AnnotationError

__all__ = ["COMMANDS", "rehash_command"]


@click.command("rehash")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
def rehash_command(sources: tuple[Path, ...]) -> None:
    """After correcting an article's text, record its new SHA-256 in its annotation file.

    SOURCES are annotation files or folders of them. Only the sha256 value changes; every claim
    (or name, cue…) the corrected text no longer holds is then listed with its line, and the
    command exits 3 until they are fixed.

    Example: claimgraph rehash corpus/my-article
    """
    from graph.model.annotations import annotation_files
    from graph.model.rehash import rehash_file

    paths = [p for s in sources for p in (annotation_files(s) if s.is_dir() else [s])]
    left: list[AnnotationError] = []
    for path in paths:
        done = rehash_file(path)
        state = f"sha256 {done.old[:12]}… → {done.new[:12]}…" if done.changed else "unchanged"
        click.echo(f"{path}: {state}; {len(done.problems) or 'no'} problem(s) to review")
        left.extend(done.problems)
    if left:  # each problem names its own file and line
        listed = "\n".join(f"  {p}" for p in left)
        raise AnnotationError(f"{len(left)} problem(s) to review:\n{listed}")


COMMANDS = (rehash_command,)
