"""The markdown report of a build: what the article claims, who says it, how it is sourced."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .markdown import md_text
from .records import Claim, Corpus

__all__ = ["render_report"]


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(md_text(v) for v in row) + " |" for row in rows]
    return out


def _by_count(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _sourcing(claim: Claim, corpus: Corpus) -> str:
    documents = corpus.documents
    parts = []
    for ref in claim.relayed_from:
        doc_id, _, claim_id = ref.partition("#")
        title = documents[doc_id].title if doc_id in documents else doc_id
        parts.append(f"relayed from “{title}”" + (f" (claim {claim_id})" if claim_id else ""))
    if claim.inferred_from:
        parts.append("inferred from " + ", ".join(claim.inferred_from))
    return "; ".join(parts) or "—"


def render_report(corpus: Corpus, *, findings: str | None = None) -> str:
    """Counts by source kind and mode, then every claim in article order, per document."""
    entities = corpus.entities
    claims = [c for f in corpus.files for c in f.claims]
    lines = ["# claimgraph report", ""]
    lines.append(
        f"{len(corpus.files)} document(s), {len(claims)} claims, {len(entities)} entities. "
        "The graph records who claims what; it does not say whether any claim is true."
    )
    lines.append("")
    by_kind = Counter(c.source_kind for c in claims)
    by_mode = Counter(c.mode for c in claims)
    lines += ["## Claims by source kind", ""]
    lines += _table(["source kind", "claims"], _by_count(by_kind))
    lines += ["", "## Claims by attribution mode", ""]
    lines += _table(["mode", "claims"], _by_count(by_mode))
    lines.append("")
    if findings:
        lines += [findings.rstrip(), ""]
    for f in corpus.files:
        doc = f.document
        lines += [
            f"## {md_text(doc.title)}",
            "",
            f"Document `{doc.id}`, {len(f.claims)} claims, in article order.",
            "",
        ]
        rows = []
        for c in sorted(f.claims, key=lambda c: (c.start, c.end)):
            who = " and ".join(
                entities[e].label + (" (vague)" if entities[e].vague else "") for e in c.claimants
            )
            cue = "; ".join(c.cues) or "—"
            rows.append([c.id, c.text, who, c.source_kind, c.mode, cue, _sourcing(c, corpus)])
        lines += _table(["id", "claim", "claimant", "source kind", "mode", "cue", "sourcing"], rows)
        lines.append("")
    return "\n".join(lines)
