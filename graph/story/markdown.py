"""The story as markdown: documents in date order with what each cites and copies, claim
clusters with the outlets that carry them, drift by kind, and claims that lost their source.

Every text from an article goes through :func:`graph.markdown.md_text`, so it shows as text.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.report.markdown import md_text
from graph.story.drift import DRIFT_KINDS, DriftItem, Span
from graph.story.model import Story

__all__ = ["render_story"]


def _n(count: int, word: str) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") else f"{count} {word}s"


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _quote(text: str, width: int = 90) -> str:
    return f"“{md_text(_short(text, width))}”"


def _span(story: Story, span: Span) -> str:
    doc = next(d for d in story.documents if d.id == span.document)
    return f"{md_text(doc.outlet)} ({md_text(span.claim)}, {span.start}–{span.end})"


def _drift_line(story: Story, item: DriftItem) -> str:
    later = f"{_span(story, item.later)}: {_quote(item.later.text, 70)}"
    if item.earlier is None:
        return f"- {md_text(item.change)}: {later}"
    earlier = f"{_span(story, item.earlier)}: {_quote(item.earlier.text, 70)}"
    point = ""
    if item.before or item.after:
        point = f" — {md_text(item.before or '(none)')} → {md_text(item.after or '(none)')}"
    return f"- **{md_text(item.change)}**{point}\n  - earlier: {earlier}\n  - later: {later}"


def _lines(story: Story) -> Iterable[str]:
    docs = {d.id: d for d in story.documents}
    yield f"# One story across {_n(len(story.documents), 'document')}"
    yield ""
    yield (
        f"{_n(len(story.clusters), 'claim')} carried by more than one document, "
        f"{_n(len(story.copies), 'copy')} ({len(story.uncited_copies())} naming no source), "
        f"{_n(len(story.drift), 'drift item')}, {len(story.lost_source())} where a later version "
        "lost the source. Alignments marked *machine* await an analyst's confirmation "
        "(`cluster:` in the annotation files)."
    )
    yield ""
    yield "## Documents in date order"
    yield ""
    yield "| date | outlet | document | cites | copies text from |"
    yield "|---|---|---|---|---|"
    copies_of: dict[str, list[str]] = {}
    for c in story.copies:
        mark = "" if c.cited else " (uncited)"
        copies_of.setdefault(c.copy, []).append(f"{md_text(docs[c.source].outlet)}{mark}")
    for d in story.documents:
        cites = ", ".join(md_text(docs[c].outlet if c in docs else c) for c in sorted(d.cites))
        yield (
            f"| {md_text(d.date or 'undated')} | {md_text(d.outlet)} | {md_text(d.title)} "
            f"| {cites or '—'} | {', '.join(copies_of.get(d.id, [])) or '—'} |"
        )
    yield ""
    if story.outlet_groups:
        yield "## Outlets that count as one"
        yield ""
        yield ("Outlets joined by an affiliation (one owner, a republishing agreement) count as "
               "one group when a claim's independent roots are counted:")
        yield ""
        for g in story.outlet_groups:
            yield (f"- {', '.join(md_text(o) for o in g.outlets)} — "
                   + "; ".join(md_text(a) for a in g.affiliations))
        yield ""
    yield "## Claims carried by several outlets"
    yield ""
    for cluster in story.clusters:
        first = story.claims[cluster.members[0].claim]
        status = "confirmed by the analyst" if cluster.confirmed else "machine"
        outlets = story.outlets(cluster)
        yield f"### {_quote(first.text)} — {_n(len(outlets), 'document')} ({status})"
        yield ""
        for m in cluster.members:
            claim = story.claims[m.claim]
            doc = docs[claim.document]
            yield (
                f"- {md_text(doc.date or 'undated')} {md_text(doc.outlet)}: {_quote(claim.text)} "
                f"({md_text(', '.join(claim.claimants))}, {md_text(claim.mode)}; "
                f"{m.method} {m.score:.2f})"
            )
        yield ""
    yield "## Drift by kind"
    yield ""
    for kind in DRIFT_KINDS:
        items = [d for d in story.drift if d.kind == kind]
        if not items:
            continue
        yield f"### {kind} ({len(items)})"
        yield ""
        yield from (_drift_line(story, d) for d in items)
        yield ""
    yield "## Claims that lost their source on the way"
    yield ""
    lost = story.lost_source()
    yield from (_drift_line(story, d) for d in lost)
    if not lost:
        yield "None."
    yield ""
    yield "## Copies"
    yield ""
    for c in story.copies:
        order = "" if c.ordered else "; which came first is unknown"
        names = "names its source" if c.cited else "**names no source**"
        yield (
            f"- {md_text(docs[c.copy].outlet)} ← {md_text(docs[c.source].outlet)}: "
            f"{_n(len(c.passages), 'passage')}, {_n(c.words, 'word')}; {names}{order}"
        )
        for p in c.passages:
            text = docs[c.copy].text[p.copy_start : p.copy_end]
            yield (
                f"  - {p.copy_start}–{p.copy_end} ← {p.source_start}–{p.source_end}: "
                f"{_quote(text, 80)}"
            )
    if not story.copies:
        yield "None found."
    yield ""
    if story.cycles:
        yield "## Citation cycles"
        yield ""
        for cycle in story.cycles:
            outlets = [md_text(docs[d].outlet) for d in cycle]
            yield "- " + " → ".join([*outlets, outlets[0]])
        yield ""


def render_story(story: Story) -> str:
    """The story as one markdown document."""
    return "\n".join(_lines(story)).rstrip() + "\n"
