"""Invariants of the path analyses on small random graphs built directly as networkx DiGraphs."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms.connectivity import local_node_connectivity

from graph.analysis import (
    chains,
    claims_lost_if_removed,
    corroboration,
    dominators,
    dominators_by_claim,
    impact,
    independent_paths,
    roots,
)

KINDS = ["named-person", "vague-collective", "author-voice", "official-statement"]


def _typed(G: nx.DiGraph, kinds: list[int]) -> nx.DiGraph:
    """Sinks become agents, everything else claims, as the projection would type them."""
    for i, n in enumerate(sorted(G)):
        if G.out_degree(n) == 0:
            G.nodes[n].update(type="agent", label=f"agent {n}", entity_type="person", vague=False)
        else:
            G.nodes[n].update(type="claim", label=f"claim {n}", text=f"text {n}", claim_id=f"c{n}",
                              document=f"doc{i % 3}", mode="reported-speech",
                              source_kind=KINDS[kinds[i % len(kinds)] % len(KINDS)], claimants=[])
    return G


@st.composite
def dags(draw: st.DrawFn) -> nx.DiGraph:
    n = draw(st.integers(min_value=2, max_value=9))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    G = nx.DiGraph()
    G.add_nodes_from(f"n{i}" for i in range(n))
    G.add_edges_from((f"n{i}", f"n{j}") for (i, j), keep in zip(pairs, chosen, strict=True) if keep)
    kinds = draw(st.lists(st.integers(0, 3), min_size=1, max_size=4))
    return _typed(G, kinds)


@st.composite
def digraphs(draw: st.DrawFn) -> nx.DiGraph:
    """Any small digraph, cycles allowed (relay cycles happen)."""
    n = draw(st.integers(min_value=2, max_value=7))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=14))
    G = nx.DiGraph()
    G.add_nodes_from(f"n{i}" for i in range(n))
    G.add_edges_from((f"n{a}", f"n{b}") for a, b in edges if a != b)
    return _typed(G, [0, 1])


def _claims(G: nx.DiGraph) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d["type"] == "claim"]


def _reaches_a_root(G: nx.DiGraph, claim: str, original_roots: set[str]) -> bool:
    return bool(nx.descendants(G, claim) & original_roots)


@settings(max_examples=100, deadline=None)
@given(dags())
def test_independent_roots_bounded_by_roots_and_equal_to_menger(G: nx.DiGraph) -> None:
    H = G.copy()
    sink = ("sink",)
    H.add_edges_from((r, sink) for r in G if G.out_degree(r) == 0)
    for claim in _claims(G):
        count = corroboration(G, claim)
        assert 0 <= count <= len(roots(G, claim))
        assert count == local_node_connectivity(H, claim, sink)
        paths = independent_paths(G, claim)
        inner = [n for p in paths for n in p[1:]]
        assert len(inner) == len(set(inner))  # vertex-disjoint, distinct roots
        assert all(nx.is_path(G, p) and G.out_degree(p[-1]) == 0 for p in paths)


@settings(max_examples=100, deadline=None)
@given(digraphs())
def test_removing_the_dominators_leaves_no_root(G: nx.DiGraph) -> None:
    original_roots = {n for n in G if G.out_degree(n) == 0}
    shared = dominators_by_claim(G)
    for claim in _claims(G):
        doms = dominators(G, claim)
        assert shared[claim] == doms
        if not doms:
            continue
        without = G.copy()
        without.remove_nodes_from(doms)
        assert not _reaches_a_root(without, claim, original_roots - set(doms))
        for node in nx.descendants(G, claim) - set(doms):  # any other single node is not needed
            single = G.copy()
            single.remove_node(node)
            assert _reaches_a_root(single, claim, original_roots - {node})


@settings(max_examples=100, deadline=None)
@given(dags(), st.data())
def test_a_parallel_independent_path_never_lowers_the_count(
    G: nx.DiGraph, data: st.DataObject
) -> None:
    claims = _claims(G)
    if not claims:
        return
    claim = data.draw(st.sampled_from(sorted(claims)))
    before = corroboration(G, claim)
    H = G.copy()
    H.add_node("relay", type="claim", source_kind="named-person", label="relay")
    H.add_node("new-root", type="agent", label="new root")
    H.add_edge(claim, "relay")
    H.add_edge("relay", "new-root")
    after = corroboration(H, claim)
    assert after >= before
    assert after == before + 1


@settings(max_examples=100, deadline=None)
@given(digraphs())
def test_impact_from_dominators_matches_removal(G: nx.DiGraph) -> None:
    for source in impact(G, include_claims=True):
        assert source["claims_lost"] == claims_lost_if_removed(G, source["iri"])
        assert source["claims_lost_if_removed"] == len(source["claims_lost"])


@st.composite
def cyclic_graphs(draw: st.DrawFn) -> nx.DiGraph:
    """Any directed graph, cycles included (copies and relays between documents form them)."""
    n = draw(st.integers(min_value=2, max_value=9))
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    chosen = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    G = nx.DiGraph()
    G.add_nodes_from(f"n{i}" for i in range(n))
    G.add_edges_from((f"n{a}", f"n{b}") for (a, b), keep in zip(pairs, chosen, strict=True) if keep)
    nx.set_node_attributes(G, "claim", "type")
    return G


@given(cyclic_graphs())
@settings(max_examples=200, deadline=None)
def test_chains_are_networkxs_simple_paths_in_its_order(G: nx.DiGraph) -> None:
    """chains() walks the graph itself (networkx's walk re-checked every target at each step);
    what it lists, and in which order, is what ``nx.all_simple_paths`` lists."""
    for claim in G:
        reach = nx.descendants(G, claim)
        sinks = {n for n in reach if G.out_degree(n) == 0}
        expected = [list(p) for p in nx.all_simple_paths(G, claim, sinks)][:50] if sinks else []
        assert chains(G, claim, max_paths=50) == expected
