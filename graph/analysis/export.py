"""The networkx graphs as files other tools read: GraphML, GEXF (Gephi), node-link JSON.

Pure ``to_*`` functions returning text. GraphML and GEXF hold only scalar attributes, so lists
and mappings (a claim's ``claimants``, an entity edge's ``relations``) are written as JSON
strings and ``None`` as an empty string; node-link JSON keeps them as they are.
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

__all__ = ["to_gexf", "to_graphml", "to_node_link_json"]


def _scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _flat(G: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``G`` whose node, edge and graph attributes are all scalars."""
    H = nx.DiGraph()
    H.graph.update({k: _scalar(v) for k, v in G.graph.items()})
    for n, data in G.nodes(data=True):
        H.add_node(str(n), **{k: _scalar(v) for k, v in data.items()})
    for u, v, data in G.edges(data=True):
        H.add_edge(str(u), str(v), **{k: _scalar(x) for k, x in data.items()})
    return H


def to_graphml(G: nx.DiGraph) -> str:
    """GraphML text (yEd, Cytoscape, Gephi).

    >>> import networkx as nx
    >>> G = nx.DiGraph(); G.add_node("c1", claimants=["P", "Q"]); G.add_edge("c1", "P")
    >>> '["P", "Q"]' in to_graphml(G).replace("&quot;", '"')
    True
    """
    buffer = io.BytesIO()
    nx.write_graphml(_flat(G), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def to_gexf(G: nx.DiGraph) -> str:
    """GEXF 1.2 text (Gephi).

    >>> import networkx as nx
    >>> to_gexf(nx.DiGraph([("a", "b")])).startswith("<?xml")
    True
    """
    buffer = io.BytesIO()
    nx.write_gexf(_flat(G), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def to_node_link_json(G: nx.DiGraph) -> str:
    """Node-link JSON (d3, ``networkx.node_link_graph``), attributes kept as they are.

    >>> import json, networkx as nx
    >>> G = nx.DiGraph(); G.add_edge("a", "b", relation="relayed_from")
    >>> json.loads(to_node_link_json(G))["edges"][0]["relation"]
    'relayed_from'
    """
    data = nx.node_link_data(G, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
