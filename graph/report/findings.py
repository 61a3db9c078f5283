"""The findings section of the report: an analysis summary as markdown for an analyst.

In neutral words: it says what each claim rests on, never whether it is true.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import networkx as nx

from graph.analysis.chains import Root
from graph.analysis.profile import rests_on_unnamed
from graph.analysis.summary import LISTED_CLAIMS, TOP_SOURCES
from graph.report.affiliations import render_affiliations
from graph.report.markdown import md_text

__all__ = ["key_findings", "render_findings"]


def _quote(text: str, width: int = 90) -> str:
    text = " ".join(str(text).split())
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return "“" + md_text(text) + "”"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _roots_text(found: Sequence[Root]) -> str:
    if not found:
        return "no source"
    return "; ".join(f"{md_text(r['label'])} ({r.get('role', r['type'])}, {r['kind']})"
                     for r in found)


def _claim_ref(claim: dict[str, Any]) -> str:
    return f"`{claim['claim_id'] or claim['iri']}` {_quote(claim['text'])}"


def _through(G: nx.DiGraph, claim: dict[str, Any]) -> list[str]:
    """The relaying documents every chain of a claim passes through, as node ids."""
    return [d for d in claim["dominators"] if d in G and G.nodes[d].get("type") == "document"]


def _document_phrase(G: nx.DiGraph, node: str) -> str:
    data = G.nodes[node] if node in G else {}
    outlet = data.get("publisher_label")
    published = f", published by {md_text(outlet)}" if outlet else ""
    seen = ("whose text is not in the corpus" if not data.get("has_text")
            else "in the corpus")
    return f"{_quote(data.get('label', node))}{published} ({seen})"


def _own_voice(claims: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims in the outlet's own voice whose every root is the outlet's own voice."""
    return [c for c in claims
            if c["source_kind"] == "author-voice" and c["roots"]
            and all(r["kind"] == "author-voice" for r in c["roots"])]


def _single_sources(G: nx.DiGraph, claims: Sequence[dict[str, Any]]) -> list[
    tuple[Root, tuple[str, ...], list[dict[str, Any]]]
]:
    """Claims with one root, grouped by that root and the documents they all pass through."""
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    first: dict[tuple[str, tuple[str, ...]], Root] = {}
    for c in claims:
        if len(c["roots"]) != 1 or c["source_kind"] == "author-voice":
            continue
        key = (c["roots"][0]["iri"], tuple(_through(G, c)))
        groups.setdefault(key, []).append(c)
        first.setdefault(key, c["roots"][0])
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [(first[key], key[1], members) for key, members in ranked]


def _single_source_line(G: nx.DiGraph, root: Root, through: Sequence[str], count: int) -> str:
    verb = "rests" if count == 1 else "rest"
    who = f"{md_text(root['label'])} ({root['role']}, {root['kind']})"
    if root["type"] == "document":
        who = _document_phrase(G, root["iri"])
    line = f"{_plural(count, 'claim')} {verb} only on {who}"
    through = [d for d in through if d != root["iri"]]  # a source document is not its own relay
    if through:
        line += ", relayed through " + "; ".join(_document_phrase(G, d) for d in through)
    return line


def key_findings(G: nx.DiGraph, summary: dict[str, Any]) -> list[str]:
    """Three sentences an analyst reads first: the largest single source, the outlet's own
    voice, and how independent the claims' support is (markdown, neutral wording)."""
    return _key_findings(G, summary["claims"], _single_sources(G, summary["claims"]))


def _key_findings(G: nx.DiGraph, claims: list[dict[str, Any]], singles: Sequence[
    tuple[Root, tuple[str, ...], list[dict[str, Any]]]
]) -> list[str]:
    out: list[str] = []
    if singles:
        root, through, members = singles[0]
        out.append(_single_source_line(G, root, through, len(members)) + ".")
    own = _own_voice(claims)
    if own:
        outlets = sorted({r["label"] for c in own for r in c["roots"]})
        verb = "is" if len(own) == 1 else "are"
        out.append(f"{_plural(len(own), 'claim')} {verb} in the outlet's own voice "
                   f"({', '.join(md_text(o) for o in outlets)}) and name no other source.")
    if claims:
        most = max(c["independent_roots"] for c in claims)
        single = sum(1 for c in claims if c["independent_roots"] <= 1)
        out.append(f"No claim has more than {_plural(most, 'independent root')}; "
                   f"{single} of {len(claims)} rest on one root or none.")
    return out[:3]


def render_findings(G: nx.DiGraph, summary: dict[str, Any]) -> str:
    """The markdown sections "## Key findings" and "## What the claims rest on", from
    :func:`analyze`'s result.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("b1", "D"), ("D", "S")])
    >>> G.add_node("b1", type="claim", text="x", claim_id="b1", source_kind="named-person",
    ...            claimants=["S"])
    >>> G.add_node("D", type="document", label="An interview", has_text=False,
    ...            publisher_label="Radio")
    >>> G.add_node("S", type="agent", label="Ana")
    >>> G.edges["b1", "D"]["relation"] = "relayed_from"; G.edges["D", "S"]["relation"] = "said_by"
    >>> from graph.analysis import analyze
    >>> text = render_findings(G, analyze(G))
    >>> text.splitlines()[0]
    '## Key findings'
    >>> "1 claim rests only on Ana (speaker, named-person), relayed through “An interview”" in text
    True
    """
    claims: list[dict[str, Any]] = summary["claims"]
    by_iri = {c["iri"]: c for c in claims}
    lines = ["## Key findings", ""]
    singles = _single_sources(G, claims)  # grouped once, for the key findings and the list
    findings = _key_findings(G, claims, singles)
    lines += [f"{i}. {finding}" for i, finding in enumerate(findings, start=1)]
    lines += ["", "## What the claims rest on", ""]
    n = len(claims)
    lines.append(
        f"Each of the {_plural(n, 'claim')} is followed back through what it was relayed, "
        "inferred or supported from to its roots: the claimant of a claim that is not relayed, "
        "or the speaker who said it in the document it was relayed through. Independent roots "
        "count chains that share no node, so many outlets repeating one source count once. "
        "This describes sourcing only; it does not say whether any claim is true."
    )
    lines.append("")

    for root, through, members in singles:
        if through or root["type"] == "document":
            lines.append(f"- **{_single_source_line(G, root, through, len(members))}**.")
    own = _own_voice(claims)
    if own:
        outlets = sorted({r["label"] for c in own for r in c["roots"]})
        verb = "is a statement" if len(own) == 1 else "are statements"
        lines.append(
            f"- **{_plural(len(own), 'claim')} {verb} in the outlet's own voice** "
            f"({', '.join(md_text(o) for o in outlets)}) that name no other source."
        )
    unnamed = [c for c in claims if rests_on_unnamed(G, c["iri"], c["roots"])]
    if unnamed:
        verb = "rests" if len(unnamed) == 1 else "rest"
        lines.append(
            f"- **{_plural(len(unnamed), 'claim')} {verb} on unnamed sources** "
            "(vague collectives or anonymous):"
        )
        for c in unnamed[:LISTED_CLAIMS]:
            lines.append(f"  - {_claim_ref(c)} — {_roots_text(c['roots'])}")
        if len(unnamed) > LISTED_CLAIMS:
            lines.append(f"  - … and {len(unnamed) - LISTED_CLAIMS} more")
    none = [c for c in claims if not c["roots"]]
    if none:
        lines.append(f"- **{_plural(len(none), 'claim')} reach no source at all** (for example a "
                     "relay cycle with no way out):")
        lines += [f"  - {_claim_ref(c)}" for c in none[:LISTED_CLAIMS]]
    distribution = Counter(c["independent_roots"] for c in claims)
    parts = [f"{_plural(distribution[k], 'claim')} with {k}" for k in sorted(distribution)]
    if parts:
        lines.append("- Independent roots per claim: " + ", ".join(parts) + ".")
    lines.append("")

    sources = [s for s in summary["sources"] if s["claims_supported"]][:TOP_SOURCES]
    if sources:
        lines += ["### Sources by impact", "",
                  "Claims lost if removed: claims that would be left with no root at all.", "",
                  "| source | type | claims resting on it | claims lost if removed |",
                  "|---|---|---|---|"]
        for s in sources:
            lines.append(f"| {md_text(s['label'])} | {s['type']} | {s['claims_supported']} | "
                         f"{s['claims_lost_if_removed']} |")
        lines.append("")

    relayed = summary.get("relayed_documents") or []
    if relayed:
        lines += ["### Relayed documents and their outlets", "",
                  "| document | published by | date | speakers | claims resting on it | "
                  "claims lost if removed |", "|---|---|---|---|---|---|"]
        for d in relayed:
            lines.append(
                f"| {md_text(d['label'])} | {md_text(d['outlet'] or 'not recorded')} | "
                f"{md_text(d['date_published'] or '—')} | "
                f"{md_text(', '.join(d['speakers']) or '—')} | {d['claims_supported']} | "
                f"{d['claims_lost_if_removed']} |")
        lines.append("")

    supported = [c for c in claims if c["supporters"]]
    if supported:
        lines += ["### Supporters", "",
                  "A supporting claim counts as corroboration only where it brings a root of "
                  "its own.", ""]
        for c in supported[:LISTED_CLAIMS]:
            ids = ", ".join(f"`{s['claim_id'] or s['iri']}`" for s in c["supporters"])
            lines.append(f"- {_claim_ref(c)} is supported by {ids} — "
                         f"{_plural(c['independent_roots'], 'independent root')}")
        if len(supported) > LISTED_CLAIMS:
            lines.append(f"- … and {len(supported) - LISTED_CLAIMS} more")
        lines.append("")

    pairs = summary["contradictions"]
    if pairs:
        lines += ["### Denials and contradictions", ""]
        for p in pairs:
            verb = "denies" if p["relation"] == "denies" else "is recorded as contradicting"
            one, other = by_iri.get(p["claim"]), by_iri.get(p["other"])
            if one is None or other is None:
                continue
            lines.append(
                f"- {_claim_ref(one)} (rests on: {_roots_text(p['claim_roots'])}) {verb} "
                f"{_claim_ref(other)} (rests on: {_roots_text(p['other_roots'])})"
            )
        lines.append("")

    lines += render_affiliations(summary)
    lines += ["### Circular reporting", ""]
    if summary["cycles"]:
        for cycle in summary["cycles"]:
            names = [by_iri[x]["claim_id"] if x in by_iri else md_text(x) for x in cycle]
            lines.append(f"- Relay cycle: {' → '.join(names)} → {names[0]}")
    else:
        lines.append("- No relay cycles.")
    for group in summary["echo_groups"]:
        lines.append(
            f"- {_plural(len(group['documents']), 'document')} carry "
            f"{_plural(len(group['claims']), 'claim')} that all rest only on "
            f"{_quote(group['root_label'])} ({group['root_kind']}): they repeat one source rather "
            "than corroborate each other."
        )
    lines.append("")
    return "\n".join(lines)
