"""Path analysis of claims: pure functions over the networkx dependency graph.

Get the graph from :func:`graph.rdf.projection.dependency_graph` (a dataset) or
``graph.open(...).network()`` (any store), then ask: :func:`chains` and :func:`roots` (how a
claim reached the page), :func:`corroboration` (how many independent roots),
:func:`independence` (how many once sources joined by affiliations count as one),
:func:`dominators` (single points of failure), :func:`impact` (what falls if one source
falls), :func:`describe` and :func:`chain_text` (each hop's role: speaker, relaying document,
outlet), :func:`cycles` and
:func:`echo_groups` (circular reporting), :func:`contradictions`, :func:`profile` (a document's
sourcing), or :func:`analyze` for all of them at once. Analyses take a networkx graph and return
plain data; they never touch RDF, stores or files.

>>> import graph
>>> from graph.analysis import analyze
>>> from graph.rdf.projection import dependency_graph
>>> G = dependency_graph(graph.build_dataset(graph.load_corpus([graph.bundled_corpus_dir()])))
>>> result = analyze(G)
>>> len(result["claims"]) == sum(1 for _, d in G.nodes(data=True) if d["type"] == "claim")
True
"""

from __future__ import annotations

from graph.analysis.chains import (
    Hop,
    Root,
    Step,
    chain_text,
    chains,
    describe,
    hops,
    outlet_of,
    resolve_claim,
    root_kind,
    roots,
)
from graph.analysis.contradictions import Contradiction, contradictions
from graph.analysis.corroboration import corroboration, corroboration_by_claim, independent_paths
from graph.analysis.cycles import EchoGroup, cycles, echo_groups
from graph.analysis.dominators import dominators, dominators_by_claim
from graph.analysis.export import to_gexf, to_graphml, to_node_link_json
from graph.analysis.groups import (
    Group,
    Independence,
    affiliation_groups,
    independence,
    independent_groups,
)
from graph.analysis.impact import SourceImpact, claims_lost_if_removed, impact
from graph.analysis.profile import DocumentProfile, profile, rests_on_unnamed
from graph.analysis.summary import analyze

__all__ = [
    "Contradiction",
    "DocumentProfile",
    "EchoGroup",
    "Group",
    "Hop",
    "Independence",
    "Root",
    "SourceImpact",
    "Step",
    "affiliation_groups",
    "analyze",
    "chain_text",
    "chains",
    "claims_lost_if_removed",
    "contradictions",
    "corroboration",
    "corroboration_by_claim",
    "cycles",
    "describe",
    "dominators",
    "dominators_by_claim",
    "echo_groups",
    "hops",
    "impact",
    "independence",
    "independent_groups",
    "independent_paths",
    "outlet_of",
    "profile",
    "resolve_claim",
    "rests_on_unnamed",
    "root_kind",
    "roots",
    "to_gexf",
    "to_graphml",
    "to_node_link_json",
]
