"""``claimgraph draft``: raw articles → annotation folders for an analyst to review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click

from graph.errors import InputError
from graph.support.limits import MAX_TEXT_BYTES, read_capped
from graph.support.progress import progress

__all__ = ["COMMANDS", "draft_command"]

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _read(path: Path) -> str:
    try:
        return read_capped(path, MAX_TEXT_BYTES, "article text").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 (byte {exc.start}: {exc.reason})") from None


@click.command("draft")
@click.argument(
    "articles", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("drafts"),
    show_default=True,
    help="Folder that receives one annotation folder per article (named after the file).",
)
@click.option("--publisher", help="The outlet that published the articles (else a placeholder).")
@click.option("--url", help="The article's address (one article only).")
@click.option("--date", "date", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--title", help="The article's title (one article only; else its first line).")
@click.option("--n-process", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes for spaCy's nlp.pipe on large batches.")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace output folders that are not drafts.")
def draft_command(
    articles: tuple[Path, ...],
    out: Path,
    publisher: str | None,
    url: str | None,
    date: str | None,
    title: str | None,
    n_process: int,
    force: bool,
) -> None:
    """Draft the annotation file of each raw article, for an analyst to review.

    Writes OUT/NAME/article.txt (the text, byte for byte) and OUT/NAME/annotations.yaml, which
    `claimgraph build OUT/NAME` accepts as it is. Each claim is marked as drafted, with its
    confidence, in comments; a folder whose draft mark was removed is never overwritten
    without --force.

    Example: claimgraph draft article.txt --publisher "The Example Times" --out drafts
    """
    from graph.draft import Article, SpacyExtractor, write_draft
    from graph.draft.entities import slug

    if len(articles) > 1 and (url or title):
        raise click.UsageError("--url and --title describe one article; give one file")
    if date is not None and not _DATE.match(date):
        raise click.BadParameter(
            f"'{date}' is not YYYY, YYYY-MM or YYYY-MM-DD", param_hint="--date"
        )
    if url is not None and not _URL.match(url):
        raise click.BadParameter(f"'{url}' is not an http(s) address", param_hint="--url")
    names = [slug(p.stem) for p in articles]
    if len(set(names)) != len(names):
        raise InputError("two articles have the same file name; their folders would collide")

    def read_all() -> Iterator[Article]:
        for path, name in zip(articles, names, strict=True):
            yield Article(name, _read(path), title=title, publisher=publisher, url=url, date=date)

    extractor = SpacyExtractor()
    drafts = extractor.draft(read_all(), n_process=n_process)
    for draft in progress(drafts, total=len(articles), description="drafting"):
        folder = write_draft(draft, out / draft.article.id, force=force)
        quotes = sum(1 for c in draft.claims if c.mode == "direct-quote")
        click.echo(
            f"{folder}: {len(draft.claims)} claims ({quotes} quotes, "
            f"{draft.unattributed_quotes} without a speaker), {len(draft.entities)} entities",
            err=True,
        )


COMMANDS = (draft_command,)
