"""The markdown report of a build: what the article claims, who says it, how it is sourced.

It opens with each document's publisher, date and URL and the outlets whose documents it
relays, then the findings of the path analysis (key findings first), then counts and every claim.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from graph.model.records import Claim, Corpus, Document, claimant_labels, resolve_claim_ref
from graph.report.markdown import md_text

__all__ = ["render_report"]


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(md_text(v) for v in row) + " |" for row in rows]
    return out


def _by_count(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _outlet(document: Document, corpus: Corpus) -> str | None:
    publisher = document.metadata.publisher
    if publisher is None:
        return None
    entity = corpus.entities.get(publisher)
    return entity.label if entity is not None else publisher


def _sourcing(claim: Claim, corpus: Corpus, linked: dict[str, dict[str, list[str]]]) -> str:
    documents = corpus.documents
    parts = []
    for ref in claim.relayed_from:
        doc_id, _, claim_id = ref.partition("#")
        doc = documents.get(doc_id)
        title = doc.title if doc is not None else doc_id
        outlet = _outlet(doc, corpus) if doc is not None else None
        parts.append(f"relayed from “{title}”" + (f" ({outlet})" if outlet else "")
                     + (f" (claim {claim_id})" if claim_id else ""))
    if claim.inferred_from:
        parts.append("inferred from " + ", ".join(claim.inferred_from))
    for relation, phrase in _LINKED_BY.items():
        if linked.get(claim.key, {}).get(relation):
            parts.append(f"{phrase} " + ", ".join(linked[claim.key][relation]))
    return "; ".join(parts) or "—"


# Links a claim receives, and how its row names them: supporters and challengers.
_LINKED_BY = {"supports": "supported by", "denies": "denied by",
              "contradicts": "contradicted by"}


def _linked(corpus: Corpus) -> dict[str, dict[str, list[str]]]:
    """Claim key → relation → the ids of the claims that support, deny or contradict it."""
    found: dict[str, dict[str, list[str]]] = {}
    for claim in corpus.claims.values():
        for relation in _LINKED_BY:
            for ref in getattr(claim, relation):
                key = resolve_claim_ref(claim, ref)
                shown = claim.id if key.partition("#")[0] == claim.document else claim.key
                found.setdefault(key, {}).setdefault(relation, []).append(shown)
    return found


def _opening(corpus: Corpus) -> list[str]:
    """Each document's publisher, date and URL, and the documents and outlets it relays."""
    lines: list[str] = []
    for f in corpus.files:
        doc, meta = f.document, f.document.metadata
        facts = [f"published by {_outlet(doc, corpus) or 'an outlet not recorded'}",
                 f"date: {meta.date_published or 'not recorded'}",
                 f"URL: {meta.url or 'not recorded'}"]
        lines.append(f"**{md_text(doc.title)}** — " + md_text(" · ".join(facts)) + ".")
        relayed: list[str] = []
        for ref in dict.fromkeys(r.partition("#")[0] for c in f.claims for r in c.relayed_from):
            cited = corpus.documents.get(ref)
            if cited is None or ref == doc.id:
                continue
            outlet = _outlet(cited, corpus)
            when = cited.metadata.date_published
            detail = ", ".join(x for x in (outlet or "outlet not recorded", when) if x)
            relayed.append(f"“{cited.title}” ({detail})")
        if relayed:
            lines.append("It relays " + md_text("; ".join(relayed)) + ".")
        drafts = sum(c.status == "draft" for c in f.claims)
        if drafts:
            by = f" by {doc.drafted_by}" if doc.drafted_by else ""
            lines.append(md_text(f"{drafts} of its {len(f.claims)} claims were drafted{by} and "
                                 "are not yet reviewed by an analyst (marked “draft” below)."))
        lines.append("")
    return lines


def render_report(corpus: Corpus, *, findings: str | None = None) -> str:
    """Publisher, date, URL and relayed outlets; the findings; counts; every claim.

    ``findings`` is the markdown of :func:`graph.analysis.render_findings` (it opens with the
    key findings), placed right after the opening.
    """
    entities = corpus.entities
    claims = [c for f in corpus.files for c in f.claims]
    lines = ["# claimgraph report", ""]
    lines += _opening(corpus)
    lines.append(
        f"{len(corpus.files)} document(s), {len(claims)} claims, {len(entities)} entities. "
        "The graph records who claims what; it does not say whether any claim is true."
    )
    lines.append("")
    if findings:
        lines += [findings.rstrip(), ""]
    by_kind = Counter(c.source_kind for c in claims)
    by_mode = Counter(c.mode for c in claims)
    lines += ["## Claims by source kind", ""]
    lines += _table(["source kind", "claims"], _by_count(by_kind))
    lines += ["", "## Claims by attribution mode", ""]
    lines += _table(["mode", "claims"], _by_count(by_mode))
    lines.append("")
    linked = _linked(corpus)
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
            ) or " and ".join(f"{label} (vague)" for label in claimant_labels(c, corpus))
            cue = "; ".join(c.cues) or "—"
            sourcing = _sourcing(c, corpus, linked)
            shown = f"{c.id} (draft)" if c.status == "draft" else c.id
            rows.append([shown, c.text, who, c.source_kind, c.mode, cue, sourcing])
        lines += _table(["id", "claim", "claimant", "source kind", "mode", "cue", "sourcing"], rows)
        lines.append("")
    return "\n".join(lines)
