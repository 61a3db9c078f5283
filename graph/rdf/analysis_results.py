"""Computed roots and independent-root counts as RDF, in a named graph of their own.

The results never mix with what the articles say or what an analyst wrote: they go into
``id:graph/analysis`` (:data:`ANALYSIS_GRAPH`), which carries its own PROV provenance::

    id:graph/analysis  prov:wasGeneratedBy  ?activity .
    ?activity  a prov:Activity ; rdfs:label "claimgraph path analysis" ;
        prov:startedAtTime ?t0 ; prov:endedAtTime ?t1 ;
        prov:used ?sourceGraph .                       # each named graph the analysis read
    ?claim  prov:wasInfluencedBy ?root ;               # every root the claim rests on
        prov:qualifiedInfluence [ a prov:Influence ; prov:influencer ?root ;
                                  dcterms:type ?kind ] ;  # a concept of cg:sourceKinds
        cg:independentRootCount ?n .                   # xsd:nonNegativeInteger

``cg:independentRootCount`` is the one term PROV and schema.org do not offer; it is declared in
``ontology/claimgraph.ttl``.
A root of kind ``unsupported`` (a claim with no source) gets no ``dcterms:type``.

This module only builds a Dataset from :func:`graph.analysis.analyze`'s plain result; writing
it to a file is the caller's business.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Final

from rdflib import BNode, Dataset, Literal, URIRef

from graph.rdf.vocab import CG, DCTERMS, ID, PREFIXES, PROV, RDF, RDFS, SCHEMA, SOURCE_KINDS, XSD

__all__ = ["ANALYSIS_GRAPH", "INDEPENDENT_ROOT_COUNT", "analysis_dataset", "source_graphs"]

ANALYSIS_GRAPH: Final = URIRef(str(ID) + "graph/analysis")
INDEPENDENT_ROOT_COUNT: Final = CG.independentRootCount


def source_graphs(ds: Dataset) -> list[str]:
    """The named graphs that describe claims (the graphs an analysis reads), sorted.

    >>> import graph
    >>> ds = graph.build_dataset(graph.load_corpus([graph.bundled_corpus_dir()]))
    >>> source_graphs(ds)
    ['https://w3id.org/claimgraph/id/graph/thebl-organ-harvesting']
    """
    return sorted({str(g) for _s, _p, _o, g in ds.quads((None, RDF.type, SCHEMA.Claim, None))})


def _timestamp(value: datetime) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def analysis_dataset(
    summary: Mapping[str, Any],
    *,
    used: Iterable[str],
    started: datetime,
    ended: datetime,
    graph_iri: URIRef = ANALYSIS_GRAPH,
) -> Dataset:
    """A Dataset holding one named graph: the roots and counts of ``summary``, with provenance.

    ``summary`` is :func:`graph.analysis.analyze`'s result; ``used`` names the graphs it read
    (see :func:`source_graphs`); ``started``/``ended`` bound the analysis run (give them
    timezone-aware).

    >>> from datetime import datetime, timezone
    >>> summary = {"claims": [{"iri": "https://example.org/c1", "independent_roots": 1,
    ...     "roots": [{"iri": "https://example.org/P", "kind": "named-person"}]}]}
    >>> t = datetime(2024, 1, 1, tzinfo=timezone.utc)
    >>> ds = analysis_dataset(summary, used=["https://example.org/g"], started=t, ended=t)
    >>> g = ds.graph(ANALYSIS_GRAPH)
    >>> int(g.value(URIRef("https://example.org/c1"), INDEPENDENT_ROOT_COUNT))
    1
    """
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    g = ds.graph(graph_iri)
    activity = URIRef(f"{graph_iri}/activity/{started.strftime('%Y%m%dT%H%M%S%f')}")
    g.add((graph_iri, PROV.wasGeneratedBy, activity))
    g.add((graph_iri, RDFS.label, Literal("claimgraph path analysis results")))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal("claimgraph path analysis")))
    g.add((activity, PROV.startedAtTime, _timestamp(started)))
    g.add((activity, PROV.endedAtTime, _timestamp(ended)))
    for source in sorted(set(used)):
        g.add((activity, PROV.used, URIRef(source)))
    for claim in summary.get("claims", []):
        node = URIRef(claim["iri"])
        g.add((node, INDEPENDENT_ROOT_COUNT,
               Literal(int(claim["independent_roots"]), datatype=XSD.nonNegativeInteger)))
        for root in claim.get("roots", []):
            target = URIRef(root["iri"])
            g.add((node, PROV.wasInfluencedBy, target))
            influence = BNode()
            g.add((node, PROV.qualifiedInfluence, influence))
            g.add((influence, RDF.type, PROV.Influence))
            g.add((influence, PROV.influencer, target))
            kind = SOURCE_KINDS.get(root.get("kind", ""))
            if kind is not None:
                g.add((influence, DCTERMS.type, kind))
    return ds
