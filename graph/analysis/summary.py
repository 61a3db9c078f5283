"""Every analysis for every claim in one pass, and the findings section of the report.

:func:`analyze` computes the roots, independent corroboration, dominators and (bounded) chains of
every claim, the sources ranked by impact, relay cycles, echo groups, contradictions with each
side's roots, and the sourcing profile of each document. The dominator tree is computed once for
the whole graph and each claim's roots once, then shared by every analysis that needs them.
The result is plain JSON-ready data; :func:`render_findings` turns it into markdown for an
analyst, in neutral words: it says what each claim rests on, never whether it is true.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, Final

import networkx as nx

from ..gc_pause import without_gc
from ..markdown import md_text
from .chains import Root, chains, roots
from .contradictions import contradictions
from .corroboration import corroboration
from .cycles import cycles, echo_groups
from .dominators import dominators_by_claim
from .impact import impact
from .profile import profile, rests_on_unnamed

__all__ = ["analyze", "render_findings"]

TOP_SOURCES: Final = 10
LISTED_CLAIMS: Final = 12


@without_gc
def analyze(G: nx.DiGraph, *, max_chains: int = 20, max_cycles: int = 100) -> dict[str, Any]:
    """All analyses of a dependency graph, as one JSON-ready object.

    Keys: ``claims`` (each with ``iri``, ``claim_id``, ``document``, ``text``, ``label``,
    ``source_kind``, ``mode``, ``claimants``, ``relayed``, ``roots`` — a list of ``{iri, label,
    kind, type}`` —, ``independent_roots``, ``dominators``, ``chains`` — at most ``max_chains``
    — and ``chains_truncated``), ``sources`` (each ``iri``, ``label``, ``type``,
    ``claims_supported``, ``claims_lost_if_removed``, ``claims_lost``; ranked by impact),
    ``cycles``, ``echo_groups``, ``contradictions`` (each ``claim``, ``other``, ``relation`` and
    both sides' texts and roots), ``documents`` (sourcing profiles) and ``totals``.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("b1", "a1"), ("a1", "P")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> G.nodes["P"].update(type="agent", label="P")
    >>> result = analyze(G)
    >>> [(c["iri"], c["independent_roots"], c["dominators"]) for c in result["claims"]]
    [('a1', 1, ['P']), ('b1', 1, ['a1', 'P'])]
    """
    claim_nodes = sorted(n for n, d in G.nodes(data=True) if d.get("type") == "claim")
    doms = dominators_by_claim(G)
    roots_by_claim: dict[str, list[Root]] = {c: roots(G, c) for c in claim_nodes}
    claims_out: list[dict[str, Any]] = []
    for c in claim_nodes:
        data = G.nodes[c]
        found = chains(G, c, max_paths=max_chains + 1)
        claims_out.append({
            "iri": c,
            "claim_id": data.get("claim_id", ""),
            "document": data.get("document", ""),
            "text": data.get("text", ""),
            "label": data.get("label", c),
            "source_kind": data.get("source_kind", ""),
            "mode": data.get("mode", ""),
            "claimants": list(data.get("claimants", [])),
            "relayed": any(G.edges[c, t].get("relation") == "relayed_from" for t in G[c]),
            "roots": roots_by_claim[c],
            "independent_roots": corroboration(G, c),
            "dominators": doms.get(c, []),
            "chains": found[:max_chains],
            "chains_truncated": len(found) > max_chains,
        })
    sources = impact(G, dominators=doms)
    by_document: dict[str, list[str]] = {}
    for c in claim_nodes:
        doc = str(G.nodes[c].get("document", ""))
        if doc:
            by_document.setdefault(doc, []).append(c)
    distribution = Counter(c["independent_roots"] for c in claims_out)
    root_kinds = Counter(r["kind"] for rs in roots_by_claim.values() for r in rs)
    return {
        "claims": claims_out,
        "sources": sources,
        "cycles": cycles(G, max_cycles=max_cycles),
        "echo_groups": echo_groups(G, roots_by_claim=roots_by_claim),
        "contradictions": contradictions(G, roots_by_claim=roots_by_claim),
        "documents": [
            profile(G, d, roots_by_claim=roots_by_claim, claims_in=by_document[d])
            for d in sorted(by_document)
        ],
        "totals": {
            "claims": len(claims_out),
            "independent_roots": {str(k): distribution[k] for k in sorted(distribution)},
            "root_kinds": dict(sorted(root_kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
            "unnamed": sum(
                1 for c in claim_nodes if rests_on_unnamed(G, c, roots_by_claim[c])
            ),
            "no_source": sum(1 for c in claim_nodes if not roots_by_claim[c]),
        },
    }


# ------------------------------------------------------------------------------- markdown


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
    return "; ".join(f"{md_text(r['label'])} ({r['kind']})" for r in found)


def _claim_ref(claim: dict[str, Any]) -> str:
    return f"`{claim['claim_id'] or claim['iri']}` {_quote(claim['text'])}"


def render_findings(G: nx.DiGraph, summary: dict[str, Any]) -> str:
    """The markdown section "## What the claims rest on", from :func:`analyze`'s result.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("b1", "D")])
    >>> G.add_node("b1", type="claim", text="x", claim_id="b1", source_kind="named-person")
    >>> G.add_node("D", type="document", label="An interview", has_text=False)
    >>> text = render_findings(G, analyze(G))
    >>> text.splitlines()[0]
    '## What the claims rest on'
    >>> "1 claim rests only on “An interview”" in text
    True
    """
    claims: list[dict[str, Any]] = summary["claims"]
    by_iri = {c["iri"]: c for c in claims}
    lines = ["## What the claims rest on", ""]
    n = len(claims)
    lines.append(
        f"Each of the {_plural(n, 'claim')} is followed back through what it was relayed or "
        "inferred from to its roots: the claimant of a claim that is not relayed, or a document "
        "whose text is not in the corpus. Independent roots count chains that share no node, so "
        "many outlets repeating one source count once. This describes sourcing only; it does not "
        "say whether any claim is true."
    )
    lines.append("")

    single_document: Counter[str] = Counter()
    for c in claims:
        if len(c["roots"]) == 1 and c["roots"][0]["type"] == "document":
            single_document[c["roots"][0]["iri"]] += 1
    for doc, count in sorted(single_document.items(), key=lambda kv: (-kv[1], kv[0])):
        data = G.nodes[doc] if doc in G else {}
        seen = "whose text is not in the corpus" if not data.get("has_text") else "in the corpus"
        verb = "rests" if count == 1 else "rest"
        lines.append(
            f"- **{_plural(count, 'claim')} {verb} only on {_quote(data.get('label', doc))}**, "
            f"a document {seen}; nothing beyond that document can be traced."
        )
    own = [
        c for c in claims
        if c["source_kind"] == "author-voice" and c["roots"]
        and all(r["kind"] == "author-voice" for r in c["roots"])
    ]
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
