"""What the three views share: the View object, sizes, node and edge drawing, support counts."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import networkx as nx

from graph.support.atomic import atomic_write_text
from graph.views.escape import plain_text, shorten, srcdoc
from graph.views.render import FilterGroup, Page, render_page
from graph.views.style import (
    AGENT,
    DOCUMENT,
    ROOT_BORDER,
    SOURCE_KINDS,
    LegendItem,
    LegendSection,
    source_kind_swatch,
)

__all__ = ["IFRAME_HEIGHT", "MAX_NODES", "LinkIndex", "View"]

MAX_NODES: Final = 1500
"""Above this many nodes a claim view keeps the nodes nearest the claim (and says so)."""

IFRAME_HEIGHT: Final = 680

_CHAINS_SHOWN: Final = 4  # chains listed in a claim's hover panel
_CLAIMANT_EDGE: Final = "claimant"
_CLAIMANT_STYLE: Final = ("claimed by", "#9a9a9a")


@dataclass(frozen=True)
class View:
    """One rendered view: the page, and what it draws.

    ``node_count`` and ``edge_count`` are what the page draws when it opens; ``omitted`` says
    in words what was left out, or is ``None``; ``overview`` is true for a page that opens as
    an overview (:mod:`graph.views.overview`), whose parts unfold in the page: nothing is left
    out of it.
    """

    html: str
    title: str
    node_count: int
    edge_count: int
    omitted: str | None = None
    render_seconds: float = 0.0
    overview: bool = False

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8, atomically: the old file or the new, never half)."""
        path = Path(path)
        atomic_write_text(path, self.html)
        return path

    def _repr_html_(self) -> str:
        """Inline display in Jupyter: the page in a sandboxed ``<iframe srcdoc>``; no file."""
        return (f'<iframe srcdoc="{srcdoc(self.html)}" sandbox="allow-scripts" '
                f'style="width:100%;height:{IFRAME_HEIGHT}px;border:1px solid #ddd" '
                f'title="{srcdoc(self.title)}"></iframe>')

    def __repr__(self) -> str:
        return f"<View {self.title!r}: {self.node_count} nodes, {self.edge_count} edges>"


# ---------------------------------------------------------------- support analysis


@dataclass(frozen=True)
class _Support:
    roots: list[str]
    corroboration: int
    dominators: list[str]
    chain_texts: list[str] | None = None  # from analyze(), when given: spares finding them again


def _support(G: nx.DiGraph, claim: str) -> _Support:
    """Roots, independent corroboration and single points of failure, from graph.analysis."""
    from graph.analysis import corroboration, dominators, roots

    return _Support([str(r["iri"]) for r in roots(G, claim)], int(corroboration(G, claim)),
                    [str(d) for d in dominators(G, claim)])


def _supports(G: nx.DiGraph, summary: Mapping[str, Any] | None) -> dict[str, _Support]:
    """Support of every claim: from ``analyze(G)`` output when given, else computed."""
    from graph.analysis import corroboration_by_claim, dominators_by_claim, roots

    if summary is not None and summary.get("claims"):
        return {str(c["iri"]): _Support([str(r["iri"]) for r in c.get("roots") or ()],
                                        int(c.get("independent_roots") or 0),
                                        [str(d) for d in c.get("dominators") or ()],
                                        _chain_texts(c))
                for c in summary["claims"]}
    counts = corroboration_by_claim(G)
    doms = dominators_by_claim(G)
    return {c: _Support([str(r["iri"]) for r in roots(G, c)], int(counts.get(c, 0)),
                        [str(d) for d in doms.get(c, [])]) for c in counts}


def _chain_texts(claim: Mapping[str, Any]) -> list[str] | None:
    """The first chains of an ``analyze()`` claim record as lines, if it holds enough of them."""
    texts = claim.get("chain_texts")
    if texts is None or (len(texts) < _CHAINS_SHOWN and claim.get("chains_truncated")):
        return None
    return [str(t) for t in texts[:_CHAINS_SHOWN]]


# ---------------------------------------------------------------- shared helpers


def _label(G: nx.DiGraph, node: str) -> str:
    if node in G:
        return str(G.nodes[node].get("label") or node)
    return node.rsplit("/", 1)[-1].replace("-", " ")


def _words(key: str) -> str:
    return key.replace("-", " ").replace("_", " ") if key else "unknown"


def _claimants(G: nx.DiGraph, data: Mapping[str, Any]) -> str:
    names = data.get("claimant_labels") or [_label(G, a) for a in data.get("claimants") or ()]
    return ", ".join(str(n) for n in names) or "unknown"


def _source_kind_filter(present: Iterable[str]) -> FilterGroup:
    kinds = set(present)
    options = [(k, s.label) for k, s in SOURCE_KINDS.items() if k in kinds]
    if kinds - set(SOURCE_KINDS):
        options.append(("", "unknown"))
    return FilterGroup("Source kind", "source_kind", tuple(options))


def _source_kind_legend(present: Iterable[str]) -> LegendSection:
    kinds = set(present)
    return LegendSection("Claim colour = source kind", tuple(
        LegendItem(s.label, s.color) for k, s in SOURCE_KINDS.items() if k in kinds or not kinds
    ))


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _provenance_node(
    G: nx.DiGraph,
    node: str,
    data: Mapping[str, Any],
    support: Mapping[str, _Support],
    corroboration: Mapping[str, int],
    roots: set[str],
    links: LinkIndex,
) -> dict[str, Any]:
    kind = str(data.get("type") or "")
    label = plain_text(data.get("label") or node, 300)
    is_root = node in roots
    border_width = 4.0 if is_root else 1.5
    root_note = [("Root source", "yes: nothing beyond it can be seen")] if is_root else []
    if kind == "claim":
        swatch = source_kind_swatch(str(data.get("source_kind") or ""))
        short = plain_text(data.get("claim_id") or "", 40)
        text = plain_text(data.get("text") or "", 4000)
        rest = support[node]
        # A machine-drafted claim says so first, and its drawn label starts with "draft".
        draft = [("Draft", "drafted by an extractor; no analyst has reviewed it")] if data.get(
            "draft") else []
        tip = [
            *draft,
            ("Claim", f"{short} ({_label_of_document(G, data)})"),
            ("Text", f"“{text}”"),
            ("Claimant", _claimants(G, data)),
            ("Mode", _words(str(data.get("mode") or ""))),
            ("Source kind", _words(str(data.get("source_kind") or ""))),
            ("Corroboration", _plural(corroboration[node], "independent root source")),
            ("Rests on", ", ".join(plain_text(_label(G, r), 200) for r in rest.roots
                                   if r != node) or "nothing recorded"),
            *(_chain_rows(G, node) if rest.chain_texts is None else
              [("Chain", plain_text(t, 400)) for t in rest.chain_texts]),
            *_link_rows(G, node, links),
        ]
        drawn_claim = f"{'draft ' if draft else ''}{short} {shorten(text, 28)}".strip()
        return {
            "id": node, "label": drawn_claim, "shape": "dot",
            "size": 9, "color": {"background": swatch.color, "border": "#333333",
                                 "highlight": {"background": swatch.color, "border": "#000000"}},
            "borderWidth": border_width, "tip": tip, "kind": "claim",
            "source_kind": str(data.get("source_kind") or ""),
            "search": f"{short} {label} {text}",
        }
    swatch = DOCUMENT if kind == "document" else AGENT
    if kind == "document":
        tip = [("Document", label), ("Text held", "yes" if data.get("has_text") else "no")]
        tip += [(heading, plain_text(str(value), 300)) for heading, value in (
            ("Published by (outlet)", data.get("publisher_label")),
            ("Date", data.get("date_published")), ("URL", data.get("url")),
            ("Speakers in it", ", ".join(data.get("speaker_labels") or ()))) if value]
    else:
        tip = [("Claimant", label), ("Type", _words(str(data.get("entity_type") or ""))),
               ("Vague collective", "yes" if data.get("vague") else "no")]
    tip += [*root_note, ("Claims resting on it", str(G.in_degree(node)))]
    drawn = shorten(label, 42)
    outlet = plain_text(data.get("publisher_label") or "", 80)
    if kind == "document" and outlet:
        drawn += f"\n({shorten(outlet, 40)})"  # which outlet published the relaying document
    item: dict[str, Any] = {
        "id": node, "label": drawn, "shape": swatch.shape,
        "size": 16 if kind == "document" else 14,
        "color": {"background": swatch.color, "border": ROOT_BORDER if is_root else swatch.border},
        "borderWidth": border_width, "tip": tip, "kind": kind or "agent", "search": label,
        "font": {"size": 15, "face": "sans-serif", "bold": {"mod": "bold"}},
    }
    if data.get("vague"):
        item["shapeProperties"] = {"borderDashes": [4, 3]}
    return item


def _chain_rows(G: nx.DiGraph, claim: str, limit: int = _CHAINS_SHOWN) -> list[tuple[str, str]]:
    """A claim's chains as lines, outlet to root (the first few)."""
    from graph.analysis import chain_text, chains

    return [("Chain", plain_text(chain_text(G, c), 400))
            for c in chains(G, claim, max_paths=limit)]


LinkIndex = dict[str, list[tuple[str, str]]]


def _link_index(G: nx.DiGraph) -> LinkIndex:
    """Claim → (other claim, relation) for each claim that supports, denies or contradicts it."""
    index: LinkIndex = defaultdict(list)
    for s, t in G.graph.get("supports", ()):
        index[t].append((s, "supports"))
    for c, t, relation in G.graph.get("contradictions", ()):
        index[t].append((c, relation))
    return index


def _link_rows(G: nx.DiGraph, claim: str, index: LinkIndex) -> list[tuple[str, str]]:
    """The claims that support a claim (supporters), and those that deny or contradict it."""
    def name(c: str) -> str:
        return plain_text(f"{G.nodes[c].get('claim_id') or c} “"
                          f"{shorten(str(G.nodes[c].get('text') or ''), 60)}”", 200)

    linked = [(c, r) for c, r in index.get(claim, ()) if c in G]
    supporters = [name(c) for c, r in linked if r == "supports"]
    challengers = [f"{name(c)} ({r})" for c, r in linked if r != "supports"]
    rows = [("Supported by", "; ".join(supporters))] if supporters else []
    return rows + ([("Challenged by", "; ".join(challengers))] if challengers else [])


def _label_of_document(G: nx.DiGraph, data: Mapping[str, Any]) -> str:
    doc = str(data.get("document") or "")
    described = (G.graph.get("documents") or {}).get(doc) or {}
    return plain_text(described.get("label") or _label(G, doc) or "unknown document", 300)


def _edge(s: Any, t: Any, label: str, color: str, *, dashes: bool, width: float,
          relation: str, tip: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "from": s, "to": t, "label": plain_text(label, 80),
        "color": {"color": color, "highlight": "#000000"}, "dashes": dashes, "width": width,
        "relation": relation,
    }
    if tip is not None:
        item["tip"] = tip
    return item


def _finish(page: Page, started: float) -> View:
    html = render_page(page)
    return View(html=html, title=page.title, node_count=len(page.nodes),
                edge_count=len(page.edges), omitted=None if page.parts else page.notice,
                render_seconds=time.perf_counter() - started, overview=bool(page.parts))
