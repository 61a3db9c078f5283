"""analyze() against plain reference definitions, on random typed graphs with cycles.

analyze() shares one walk per claim, one reading of each root's predecessors and one relay
graph between all its analyses; here every answer it gives is recomputed the direct way
(networkx's descendants, ancestors, simple paths, node connectivity and simple cycles), claim by
claim, and must be equal, in the same order.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms.connectivity import local_node_connectivity

from graph.analysis import affiliation_groups, analyze, dominators
from graph.analysis.chains import _paths_to_sinks
from graph.analysis.reach import RootIndex, descendants
from graph.model.words import SOURCE_KINDS

RELATIONS = ["attributed_to", "said_by", "relayed_from", "supported_by", "inferred_from"]
KINDS = ["named-person", "vague-collective", "author-voice", "anonymous", ""]
TYPES = ["claim", "agent", "document"]


@st.composite
def typed_graphs(draw: st.DrawFn) -> nx.DiGraph:
    """Claims, agents and documents joined by any relation, cycles and self-loops allowed."""
    n = draw(st.integers(min_value=2, max_value=9))
    names = [f"n{i}" for i in range(n)]
    G = nx.DiGraph()
    for i, name in enumerate(names):
        kind = draw(st.sampled_from(TYPES)) if i else "claim"
        G.add_node(name, type=kind, label=draw(st.sampled_from(["A", "B", name])))
        if kind == "claim":
            G.nodes[name].update(
                source_kind=draw(st.sampled_from(KINDS)), document=f"doc{i % 3}",
                claim_id=f"c{i}", text=f"text {i}",
                claimants=draw(st.lists(st.sampled_from(names), max_size=2)))
        elif kind == "document":
            G.nodes[name].update(publisher_label=draw(st.sampled_from(["", "Courier"])))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.sampled_from(RELATIONS)), max_size=18))
    for a, b, relation in edges:
        G.add_edge(names[a], names[b], relation=relation)
    pairs = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)), max_size=3))
    G.graph["affiliations"] = [{"subject": s, "object": o} for s, o in pairs if s != o]
    G.graph["documents"] = {f"doc{i}": {"label": f"Doc {i}", "publisher_label": f"Outlet {i}"}
                            for i in range(2)}
    return G


def _kind(G: nx.DiGraph, root: str, among: set[str]) -> str:
    """Root kind, read straight off the root's predecessors."""
    node = G.nodes[root]
    if node.get("type") in ("document", "claim"):
        return "document" if node["type"] == "document" else "unsupported"
    rested: list[str] = []
    for p in G.predecessors(root):
        relation = G.edges[p, root].get("relation")
        if relation == "attributed_to":
            rested.append(p)
        elif relation == "said_by":
            rested += [c for c in G.predecessors(p)
                       if G.edges[c, p].get("relation") == "relayed_from"
                       and root in G.nodes[c].get("claimants", ())]
    counts = Counter(G.nodes[c].get("source_kind", "") for c in rested if c in among)
    counts.pop("", None)
    if not counts:
        return "agent"
    order = {k: i for i, k in enumerate(SOURCE_KINDS)}
    return min(counts, key=lambda k: (-counts[k], order.get(k, len(order)), k))


def _roots(G: nx.DiGraph, claim: str) -> list[dict[str, str]]:
    reach = nx.descendants(G, claim)
    among = reach | {claim}
    found = []
    for r in reach:
        if G.out_degree(r):
            continue
        relations = {G.edges[p, r].get("relation") for p in G.predecessors(r) if p in among}
        kind = G.nodes[r]["type"]
        role = kind if kind != "agent" else ("speaker" if "said_by" in relations else "claimant")
        found.append({"iri": r, "label": G.nodes[r]["label"], "kind": _kind(G, r, among),
                      "type": kind, "role": role})
    return sorted(found, key=lambda r: (r["label"], r["iri"]))


def _menger(G: nx.DiGraph, claim: str, group: dict[str, str]) -> int:
    """Vertex-disjoint paths from the claim to a super-sink behind its roots (or their group)."""
    reach = nx.descendants(G, claim)
    H = G.subgraph(reach | {claim}).copy()
    H.remove_edges_from([(u, claim) for u in list(H.predecessors(claim))])
    sink = ("sink",)
    for r in [n for n in reach if G.out_degree(n) == 0]:
        H.add_edge(r, ("group", group[r]) if r in group else sink)
    H.add_edges_from((g, sink) for g in list(H) if isinstance(g, tuple) and g[0] == "group")
    if sink not in H:
        return 0
    return int(local_node_connectivity(H, claim, sink))


def _cycles(G: nx.DiGraph, limit: int) -> list[list[str]]:
    relays = nx.subgraph_view(
        G, filter_edge=lambda u, v: G.edges[u, v].get("relation") != "supported_by")
    numbered = nx.convert_node_labels_to_integers(relays, ordering="sorted", label_attribute="n")
    name = nx.get_node_attributes(numbered, "n")
    out = []
    for cycle in islice(nx.simple_cycles(numbered), limit):
        nodes = [name[n] for n in cycle]
        i = nodes.index(min(nodes))
        out.append(nodes[i:] + nodes[:i])
    return sorted(out)


@settings(max_examples=300, deadline=None)
@given(typed_graphs(), st.integers(1, 3), st.integers(1, 4))
def test_analyze_equals_the_direct_definitions(G: nx.DiGraph, max_chains: int,
                                               max_cycles: int) -> None:
    result = analyze(G, max_chains=max_chains, max_cycles=max_cycles)
    group = {m: g["id"] for g in affiliation_groups(G.graph["affiliations"]) for m in g["members"]}
    claims = sorted(n for n, d in G.nodes(data=True) if d["type"] == "claim")
    assert [c["iri"] for c in result["claims"]] == claims
    for c in result["claims"]:
        claim = c["iri"]
        reach = nx.descendants(G, claim)
        sinks = {n for n in reach if G.out_degree(n) == 0}
        paths = [list(p) for p in nx.all_simple_paths(G, claim, sinks)] if sinks else []
        assert c["roots"] == _roots(G, claim)
        assert c["chains"] == paths[:max_chains]
        assert c["chains_truncated"] == (len(paths) > max_chains)
        assert c["independent_roots"] == _menger(G, claim, {})
        assert c["independent_groups"] == _menger(G, claim, group)
        assert c["dominators"] == dominators(G, claim)
        assert [d["iri"] for d in c["relayed_through"]] == sorted(
            d for d in reach if G.nodes[d]["type"] == "document")
    for s in result["sources"]:
        assert s["claims_supported"] == sum(
            1 for a in nx.ancestors(G, s["iri"]) if G.nodes[a]["type"] == "claim")
    assert result["cycles"] == _cycles(G, max_cycles)


@settings(max_examples=200, deadline=None)
@given(typed_graphs(), st.data())
def test_root_index_answers_for_any_set_of_claims(G: nx.DiGraph, data: st.DataObject) -> None:
    """Whichever side the index walks (the root's claims or ``among``), the kind and role are
    the direct ones; and one walk finds what networkx's descendants find."""
    index = RootIndex(G)
    for node in G:
        assert descendants(G, node) == nx.descendants(G, node)
        among = set(data.draw(st.lists(st.sampled_from(sorted(G)), max_size=6)))
        assert index.kind(node, among) == _kind(G, node, among)
        relations = {G.edges[p, node].get("relation") for p in G.predecessors(node) if p in among}
        expected = "speaker" if "said_by" in relations else "claimant"
        kind = G.nodes[node]["type"]
        assert index.role(node, among) == (expected if kind == "agent" else kind)


def test_a_claim_resting_twice_on_a_root_counts_twice_for_its_kind() -> None:
    """c1 (anonymous) rests on R as its claimant and as the speaker of a document it is relayed
    through; c2 (named-person, first in the order of kinds) once: R's kind is c1's."""
    G = nx.DiGraph()
    G.add_node("R", type="agent", label="R")
    G.add_node("D", type="document", label="D")
    G.add_node("c1", type="claim", source_kind="anonymous", claimants=["R"])
    G.add_node("c2", type="claim", source_kind="named-person", claimants=["R"])
    G.add_edge("c1", "R", relation="attributed_to")
    G.add_edge("c1", "D", relation="relayed_from")
    G.add_edge("D", "R", relation="said_by")
    G.add_edge("c2", "R", relation="attributed_to")
    everything = set(G)
    assert _kind(G, "R", everything) == "anonymous"
    assert RootIndex(G).kind("R", everything) == "anonymous"
    assert RootIndex(G).kind("R", {"c2"}) == "named-person"


@st.composite
def dense_cycles(draw: st.DrawFn) -> nx.DiGraph:
    """Dense relay cycles with few ways out: where the walk must prune to stay cheap."""
    n = draw(st.integers(min_value=2, max_value=8))
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    chosen = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    G = nx.DiGraph((f"n{a}", f"n{b}") for (a, b), keep in zip(pairs, chosen, strict=True) if keep)
    G.add_nodes_from(f"n{i}" for i in range(n))
    exits = draw(st.lists(st.integers(0, n - 1), max_size=2))
    G.add_edges_from((f"n{a}", f"out{a}") for a in exits)
    return G


@settings(max_examples=300, deadline=None)
@given(dense_cycles(), st.integers(0, 40))
def test_the_pruned_walk_yields_networkxs_simple_paths_in_its_order(
    G: nx.DiGraph, plain_steps: int
) -> None:
    """However early the walk starts skipping nodes with no way out, it yields every simple
    path to a sink, in ``nx.all_simple_paths``'s order."""
    for node in sorted(G):
        reach = nx.descendants(G, node)
        sinks = {n for n in reach if G.out_degree(n) == 0}
        expected = [list(p) for p in nx.all_simple_paths(G, node, sinks)] if sinks else []
        walked = list(_paths_to_sinks(G, node, sinks, plain_steps=plain_steps)) if sinks else []
        assert walked == expected
