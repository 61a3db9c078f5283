"""The story as triples, all in one named graph, ``id:graph/_story`` (:data:`STORY_GRAPH`).

* a ``cg:ClaimCluster`` per cluster, a ``cg:ClusterMembership`` per member (claim, score, method,
  whether an analyst confirmed it);
* ``copy cg:copiedFrom source`` between documents, qualified by a ``cg:TextReuse``
  (a ``prov:Derivation``) with each ``cg:CopiedPassage``'s offsets in both texts and whether the
  copy names its source; ``claim cg:copiedFrom claim`` for claims inside a copied passage;
* a ``cg:Drift`` per drift item, naming the earlier and the later claim.

Nothing here asserts a claim's content: the nodes describe texts and how they relate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final
from urllib.parse import quote

from rdflib import Dataset, Literal, URIRef

from graph.rdf.vocab import CG, ID, PROV, RDF, RDFS, claim_iri, document_iri
from graph.story.model import Story

__all__ = ["STORY_GRAPH", "add_story", "cluster_iri"]

# The underscore keeps it apart from every document's graphs: a document id never starts with one.
STORY_GRAPH: Final = URIRef(f"{ID}graph/_story")


def _mint(*parts: str) -> URIRef:
    return URIRef(str(ID) + "story/" + "/".join(quote(p, safe="") for p in parts))


def cluster_iri(cluster: str) -> URIRef:
    """A claim cluster's node.

    >>> str(cluster_iri("tribune/t1"))
    'https://w3id.org/claimgraph/id/story/cluster/tribune%2Ft1'
    """
    return _mint("cluster", cluster)


def _claim(key: str) -> URIRef:
    doc, _, claim = key.partition("#")
    return claim_iri(doc, claim)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _score(value: float) -> Literal:
    """A score as the build writes numbers: 1 as an integer, 0.807 as a decimal in its canonical
    form, so every store and export gives back the same term (a Turtle writer turns the decimal
    "1" into the integer 1).

    >>> [(str(s), str(s.datatype).rsplit("#", 1)[1]) for s in (_score(1.0), _score(0.80))]
    [('1', 'integer'), ('0.8', 'decimal')]
    """
    exact = Decimal(f"{value:.3f}").normalize()
    return Literal(int(exact)) if exact == exact.to_integral_value() else Literal(exact)


def add_story(ds: Dataset, story: Story) -> URIRef | None:
    """Add the story's graph to ``ds``; None (nothing added) when there is no cluster or copy."""
    if not story.clusters and not story.copies:
        return None
    g = ds.graph(STORY_GRAPH)
    g.add((STORY_GRAPH, RDF.type, CG.StoryGraph))
    title = "Claim clusters, text reuse and drift across documents"
    g.add((STORY_GRAPH, RDFS.label, Literal(title)))
    for cluster in story.clusters:
        node = cluster_iri(cluster.id)
        first = story.claims[cluster.members[0].claim]
        outlets = len(story.outlets(cluster))
        g.add((node, RDF.type, CG.ClaimCluster))
        label = f"Reported in {outlets} documents: “{_short(first.text)}”"
        g.add((node, RDFS.label, Literal(label)))
        g.add((node, CG.analystConfirmed, Literal(cluster.confirmed)))
        for i, m in enumerate(cluster.members, start=1):
            member = _mint("cluster", cluster.id, "member", str(i))
            g.add((node, CG.member, member))
            g.add((member, RDF.type, CG.ClusterMembership))
            g.add((member, CG.memberClaim, _claim(m.claim)))
            g.add((member, CG.alignmentScore, _score(m.score)))
            g.add((member, CG.alignmentMethod, Literal(m.method)))
            g.add((member, CG.analystConfirmed, Literal(m.method == "analyst")))
    for copy in story.copies:
        reuse = _mint("copy", copy.copy, copy.source)
        g.add((document_iri(copy.copy), CG.copiedFrom, document_iri(copy.source)))
        g.add((document_iri(copy.copy), PROV.qualifiedDerivation, reuse))
        g.add((reuse, RDF.type, CG.TextReuse))
        g.add((reuse, RDF.type, PROV.Derivation))
        g.add((reuse, PROV.entity, document_iri(copy.source)))
        g.add((reuse, CG.namesSource, Literal(copy.cited)))
        g.add((reuse, CG.directionKnown, Literal(copy.ordered)))
        for i, p in enumerate(copy.passages, start=1):
            passage = _mint("copy", copy.copy, copy.source, "passage", str(i))
            g.add((reuse, CG.passage, passage))
            g.add((passage, RDF.type, CG.CopiedPassage))
            g.add((passage, CG.copyStart, Literal(p.copy_start)))
            g.add((passage, CG.copyEnd, Literal(p.copy_end)))
            g.add((passage, CG.sourceStart, Literal(p.source_start)))
            g.add((passage, CG.sourceEnd, Literal(p.source_end)))
            g.add((passage, CG.wordCount, Literal(p.words)))
    for copied, source in story.claim_copies:
        g.add((_claim(copied), CG.copiedFrom, _claim(source)))
    for i, d in enumerate(story.drift, start=1):
        node = _mint("drift", str(i))
        g.add((node, RDF.type, CG.Drift))
        g.add((node, CG.driftKind, Literal(d.kind)))
        g.add((node, CG.driftChange, Literal(d.change)))
        if d.cluster is not None:
            g.add((node, CG.inCluster, cluster_iri(d.cluster)))
        if d.earlier is not None:
            g.add((node, CG.earlierClaim, _claim(d.earlier.claim)))
        g.add((node, CG.laterClaim, _claim(d.later.claim)))
        if d.before:
            g.add((node, CG.earlierReading, Literal(d.before)))
        if d.after:
            g.add((node, CG.laterReading, Literal(d.after)))
    return STORY_GRAPH
