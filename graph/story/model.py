"""The story of a corpus as plain data: documents in date order, claim clusters, copies, drift,
citation cycles, and the claims that lost their source on the way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from graph.model.records import Corpus
from graph.story.align import THRESHOLD, Cluster, _align
from graph.story.copies import MIN_WORDS, Copy, find_copies
from graph.story.drift import DriftItem, _find_drift
from graph.story.groups import OutletGroup, corpus_affiliations, outlet_groups
from graph.story.inputs import StoryClaim, StoryDoc, story_inputs
from graph.story.text import TextMemo

__all__ = [
    "LOST_SOURCE",
    "Story",
    "claim_copies",
    "compute_story",
    "story_of",
    "story_order",
]

# Attribution changes after which a reader can no longer tell who first said it.
LOST_SOURCE = frozenset(
    {
        "source dropped: now the outlet's own voice",
        "source made agentless",
        "source made vague",
        "source moved to another claim",
        "outlet replaced by a vague source",
        "cue dropped",
        "relay dropped",
    }
)


@dataclass(frozen=True)
class Story:
    """What a corpus tells about one story's travel across outlets."""

    documents: tuple[StoryDoc, ...]  # date order, undated last
    claims: dict[str, StoryClaim]  # by document#claim
    clusters: tuple[Cluster, ...]
    copies: tuple[Copy, ...]
    claim_copies: tuple[tuple[str, str], ...]  # (copy's claim, source's claim), both document#claim
    drift: tuple[DriftItem, ...]
    cycles: tuple[tuple[str, ...], ...]  # documents that cite each other round a cycle
    # outlets that affiliations join (one owner, a republishing agreement): they count once
    outlet_groups: tuple[OutletGroup, ...] = ()

    def outlets(self, cluster: Cluster) -> list[str]:
        """The documents carrying a cluster, in date order, each once."""
        seen: dict[str, None] = {}
        for key in cluster.claims:
            seen.setdefault(self.claims[key].document, None)
        return list(seen)

    def lost_source(self) -> list[DriftItem]:
        """Drift items where a later version no longer says who the source was."""
        return [d for d in self.drift if d.kind == "attribution" and d.change in LOST_SOURCE]

    def uncited_copies(self) -> list[Copy]:
        return [c for c in self.copies if not c.cited]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: lists and dicts of strings and numbers (no article texts)."""
        return {
            "documents": [
                {"id": d.id, "title": d.title, "date": d.date, "outlet": d.outlet,
                 "cites": sorted(d.cites)}
                for d in self.documents
            ],
            "clusters": [
                {"id": c.id, "confirmed": c.confirmed, "outlets": self.outlets(c),
                 "members": [asdict(m) for m in c.members]}
                for c in self.clusters
            ],
            "copies": [asdict(c) | {"words": c.words} for c in self.copies],
            "claim_copies": [list(p) for p in self.claim_copies],
            "drift": [asdict(d) for d in self.drift],
            "lost_source": [asdict(d) for d in self.lost_source()],
            "cycles": [list(c) for c in self.cycles],
            "outlet_groups": [asdict(g) for g in self.outlet_groups],
        }


def claim_copies(
    clusters: Sequence[Cluster], copies: Sequence[Copy], claims: dict[str, StoryClaim]
) -> list[tuple[str, str]]:
    """Claims copied along each document copy: a copy's claim inside a copied passage, aligned
    with a claim of the source."""
    cluster_of = {k: i for i, c in enumerate(clusters) for k in c.claims}
    by_doc: dict[str, list[StoryClaim]] = {}
    # a document's clustered claims by cluster: only a source's claim of the same cluster counts
    by_doc_cluster: dict[tuple[str, int], list[StoryClaim]] = {}
    for c in claims.values():
        if c.key in cluster_of:
            by_doc.setdefault(c.document, []).append(c)
            by_doc_cluster.setdefault((c.document, cluster_of[c.key]), []).append(c)
    pairs = []
    for copy in copies:
        if not copy.ordered:
            continue  # which text came first is unknown: no claim rests on the other
        for claim in by_doc.get(copy.copy, []):
            sources = by_doc_cluster.get((copy.source, cluster_of[claim.key]))
            if not sources:
                continue
            for p in copy.passages:
                if not (p.copy_start < claim.end and claim.start < p.copy_end):
                    continue
                # the source's claim of the same cluster at the same place in the source text
                for source in sources:
                    if p.source_start < source.end and source.start < p.source_end:
                        pairs.append((claim.key, source.key))
    return sorted(set(pairs))


def _cycles(docs: Sequence[StoryDoc]) -> list[tuple[str, ...]]:
    import networkx as nx

    g = nx.DiGraph()
    known = {d.id for d in docs}
    g.add_edges_from(sorted((d.id, c) for d in docs for c in d.cites if c in known))
    found = []
    for cycle in nx.simple_cycles(g, length_bound=8):
        first = cycle.index(min(cycle))  # the same cycle always starts at the same document
        found.append(tuple(cycle[first:] + cycle[:first]))
    return sorted(found)


def story_order(docs: Sequence[StoryDoc], claims: Sequence[StoryClaim]
                ) -> tuple[list[StoryDoc], list[StoryClaim]]:
    """The documents in date order and the claims in their documents' order, then by place:
    the one order a story reads its inputs in."""
    docs = sorted(docs, key=lambda d: d.order_key)
    place = {d.id: i for i, d in enumerate(docs)}
    return docs, sorted(claims, key=lambda c: (place.get(c.document, len(place)), c.start, c.key))


def story_of(
    docs: Sequence[StoryDoc],
    claims: Sequence[StoryClaim],
    *,
    threshold: float = THRESHOLD,
    min_words: int = MIN_WORDS,
    seed: int = 1,
    affiliations: Sequence[Mapping[str, Any]] = (),
) -> Story:
    """The story of these documents and claims (see :func:`compute_story`); ``affiliations``
    (records of :func:`graph.rdf.affiliations.read_affiliations`) group its outlets."""
    docs, claims = story_order(docs, claims)
    texts = TextMemo()  # the words of each claim text, for alignment and drift alike
    clusters = _align(docs, claims, threshold, seed, texts)
    copies = find_copies(docs, min_words=min_words)
    by_key = {c.key: c for c in claims}
    return Story(
        documents=tuple(docs),
        claims=by_key,
        clusters=tuple(clusters),
        copies=tuple(copies),
        claim_copies=tuple(claim_copies(clusters, copies, by_key)),
        drift=tuple(_find_drift(docs, claims, clusters, texts)),
        cycles=tuple(_cycles(docs)),
        outlet_groups=tuple(outlet_groups(docs, affiliations)),
    )


def compute_story(corpus: Corpus, *, seed: int = 1) -> Story:
    """Align, find copies and drift across the documents of a checked corpus.

    >>> from graph.model.annotations import load_corpus
    >>> from graph.corpus import bundled_corpus_dir
    >>> story = compute_story(load_corpus([bundled_corpus_dir()]))
    >>> len(story.documents), story.clusters, story.copies
    (1, (), ())
    """
    docs, claims = story_inputs(corpus)
    return story_of(docs, claims, seed=seed, affiliations=corpus_affiliations(corpus))
