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

from graph.analysis.chains import Root, chain_text, chains, outlet_of, roots
from graph.analysis.contradictions import contradictions
from graph.analysis.corroboration import corroboration
from graph.analysis.cycles import cycles, echo_groups
from graph.analysis.dominators import dominators_by_claim
from graph.analysis.impact import impact
from graph.analysis.profile import profile, rests_on_unnamed
from graph.report.markdown import md_text
from graph.support.gc_pause import without_gc

__all__ = [
    "LISTED_CLAIMS",
    "TOP_SOURCES",
    "analyze",
    "key_findings",
    "render_findings",
]

TOP_SOURCES: Final = 10
LISTED_CLAIMS: Final = 12


@without_gc
def analyze(G: nx.DiGraph, *, max_chains: int = 20, max_cycles: int = 100) -> dict[str, Any]:
    """All analyses of a dependency graph, as one JSON-ready object.

    Keys: ``claims`` (each with ``iri``, ``claim_id``, ``document``, ``outlet``, ``text``,
    ``label``, ``source_kind``, ``mode``, ``claimants``, ``relayed``, ``roots`` — a list of
    ``{iri, label, kind, type, role}``, role ``speaker`` for who said it in a relaying document
    —, ``independent_roots``, ``dominators``, ``chains`` — at most ``max_chains`` node lists —,
    ``chain_texts`` (each chain as one line, outlet to root), ``chains_truncated``,
    ``relayed_outlets`` (the other outlets its chains pass through),
    ``relayed_through`` (the relaying documents on its chains: ``iri``, ``label``, ``outlet``,
    ``date_published``, ``url``, ``speakers``), ``supporters`` and ``challengers`` (claims that
    support it, and that deny or contradict it: ``iri``, ``claim_id``, ``text``, ``relation``)),
    ``sources`` (each ``iri``, ``label``, ``type``, ``claims_supported``,
    ``claims_lost_if_removed``, ``claims_lost``; ranked by impact), ``relayed_documents`` (each
    relaying document with its ``outlet``, ``speakers``, ``claims_supported`` and
    ``claims_lost_if_removed``), ``cycles``, ``echo_groups``, ``contradictions`` (each
    ``claim``, ``other``, ``relation`` and both sides' texts and roots), ``documents`` (sourcing
    profiles) and ``totals``.

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
    supporters: dict[str, list[dict[str, str]]] = {c: [] for c in claim_nodes}
    challengers: dict[str, list[dict[str, str]]] = {c: [] for c in claim_nodes}
    for supporter, supported in G.graph.get("supports", ()):
        if supported in supporters and supporter in G:
            supporters[supported].append(_link(G, supporter, "supports"))
    for claim, other, relation in G.graph.get("contradictions", ()):
        if other in challengers and claim in G:
            challengers[other].append(_link(G, claim, relation))
    claims_out: list[dict[str, Any]] = []
    for c in claim_nodes:
        data = G.nodes[c]
        found = chains(G, c, max_paths=max_chains + 1)
        claims_out.append({
            "iri": c,
            "claim_id": data.get("claim_id", ""),
            "document": data.get("document", ""),
            "outlet": outlet_of(G, c),
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
            "chain_texts": [chain_text(G, chain) for chain in found[:max_chains]],
            "chains_truncated": len(found) > max_chains,
            "relayed_through": [
                _relaying(G, d) for d in sorted(nx.descendants(G, c))
                if G.nodes[d].get("type") == "document"
            ],
            "relayed_outlets": _relayed_outlets(G, c, found[:max_chains]),
            "supporters": supporters[c],
            "challengers": challengers[c],
        })
    sources = impact(G, dominators=doms)
    relayed_documents = [
        {**_relaying(G, str(s["iri"])), "claims_supported": s["claims_supported"],
         "claims_lost_if_removed": s["claims_lost_if_removed"]}
        for s in sources if s["type"] == "document"
    ]
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
        "relayed_documents": relayed_documents,
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


def _link(G: nx.DiGraph, claim: str, relation: str) -> dict[str, str]:
    data = G.nodes[claim]
    return {"iri": claim, "claim_id": str(data.get("claim_id", "")),
            "text": str(data.get("text", "")), "relation": relation}


def _relayed_outlets(G: nx.DiGraph, claim: str, found: Sequence[list[str]]) -> list[str]:
    """The outlets, other than the claim's own, whose documents its chains pass through."""
    own = outlet_of(G, claim)
    seen = {outlet_of(G, n) for chain in found for n in chain[1:]}
    return sorted(seen - {own, ""})


def _relaying(G: nx.DiGraph, node: str) -> dict[str, Any]:
    """A relaying document node: what it is, who published it, and who speaks in it."""
    data = G.nodes[node]
    return {"iri": str(data.get("iri") or node), "label": str(data.get("label", node)),
            "outlet": str(data.get("publisher_label") or ""),
            "date_published": str(data.get("date_published") or ""),
            "url": str(data.get("url") or ""),
            "speakers": [str(s) for s in data.get("speaker_labels") or ()]}


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
    if through:
        line += ", relayed through " + "; ".join(_document_phrase(G, d) for d in through)
    return line


def key_findings(G: nx.DiGraph, summary: dict[str, Any]) -> list[str]:
    """Three sentences an analyst reads first: the largest single source, the outlet's own
    voice, and how independent the claims' support is (markdown, neutral wording)."""
    claims: list[dict[str, Any]] = summary["claims"]
    out: list[str] = []
    singles = _single_sources(G, claims)
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
    >>> text = render_findings(G, analyze(G))
    >>> text.splitlines()[0]
    '## Key findings'
    >>> "1 claim rests only on Ana (speaker, named-person), relayed through “An interview”" in text
    True
    """
    claims: list[dict[str, Any]] = summary["claims"]
    by_iri = {c["iri"]: c for c in claims}
    lines = ["## Key findings", ""]
    lines += [f"{i}. {finding}" for i, finding in enumerate(key_findings(G, summary), start=1)]
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

    for root, through, members in _single_sources(G, claims):
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
