"""The overview views of a large graph: nothing dropped, counts right, neutral, deterministic.

A generated corpus (``scripts/make_corpus.py``) of 14 documents projects to some 600 nodes,
above :data:`graph.views.OVERVIEW_ABOVE`; every claim must be in exactly one part of the
provenance overview and every entity in exactly one group of the entity overview.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.rdf.export import to_trig
from graph.rdf.projection import dependency_graph, entity_graph
from graph.views import OVERVIEW_ABOVE, View, entity_view, provenance_view
from graph.views.expand import Part, pack_part, unpack_part
from tests.conftest import load_script

DOCUMENTS = 14


def make_corpus() -> ModuleType:
    return load_script("make_corpus")


def generated_graphs(folder: Path, documents: int = DOCUMENTS) -> tuple[nx.DiGraph, nx.DiGraph]:
    """The dependency and entity graphs of a generated corpus (built, not validated)."""
    module = make_corpus()
    module.write_corpus(module.generate_corpus(documents, 1), folder)
    ds = graph.build([folder], validate=False, story=False).dataset
    return dependency_graph(ds), entity_graph(ds)


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.DiGraph, nx.DiGraph]:
    return generated_graphs(tmp_path_factory.mktemp("corpus"))


def page_data(view: View) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The page's graph data and its parts, unpacked as the page's script unpacks them."""
    found = re.search(r'id="cg-data">(.*?)</script>', view.html, re.S)
    assert found is not None
    packed = re.search(r'id="cg-parts">(.*?)</script>', view.html, re.S)
    parts = {} if packed is None else {hub: unpack_part(text) for hub, text in
                                       json.loads(packed.group(1)).items()}
    return json.loads(found.group(1)), parts


def claims_of(G: nx.DiGraph) -> set[str]:
    return {n for n, d in G.nodes(data=True) if d.get("type") == "claim"}


def test_the_generated_graph_is_above_the_threshold(graphs: tuple[nx.DiGraph, nx.DiGraph]) -> None:
    G, _E = graphs
    assert OVERVIEW_ABOVE < G.number_of_nodes() < OVERVIEW_ABOVE + 400


def test_provenance_overview_keeps_every_claim_in_one_part(
    graphs: tuple[nx.DiGraph, nx.DiGraph],
) -> None:
    G, _E = graphs
    view = provenance_view(G)
    data, parts = page_data(view)
    assert view.overview and view.omitted is None
    assert "opens as an overview" in view.html
    drawn = {n["id"] for n in data["nodes"]}
    assert not drawn & claims_of(G)  # the overview draws no claim...
    in_parts = Counter(n["id"] for p in parts.values() for n in p["nodes"])
    assert set(in_parts) >= claims_of(G) and max(in_parts.values()) == 1  # ...each is in one part
    # every node of the dependency graph is drawn or in a part: nothing dropped
    assert set(G.nodes) <= drawn | set(in_parts)
    # a document's count is the number of its claims; together, every claim
    documents = Counter(str(G.nodes[c]["document"]) for c in claims_of(G))
    hubs = {n["id"]: n["claims"] for n in data["nodes"] if n["id"] in parts}
    assert hubs == dict(documents)
    assert sum(hubs.values()) == len(claims_of(G))
    assert data["partWord"] == ["document", "documents"]


def test_every_edge_is_drawn_or_unfolds(graphs: tuple[nx.DiGraph, nx.DiGraph]) -> None:
    G, _E = graphs
    full = page_data(provenance_view(G, overview=False))[0]
    data, parts = page_data(provenance_view(G))
    member_edges = Counter((e["from"], e["to"], e["relation"])
                           for p in parts.values() for e in p["edges"])
    plain = Counter((e["from"], e["to"], e["relation"]) for e in data["edges"]
                    if not e.get("counted") and e["relation"] != "published_by")
    assert member_edges + plain == Counter((e["from"], e["to"], e["relation"])
                                           for e in full["edges"])
    # a part's edge to a member of another part names that part, to be drawn to while folded
    hub_of = {n["id"]: hub for hub, p in parts.items() for n in p["nodes"]}
    for p in parts.values():
        for e in p["edges"]:
            assert e.get("via") == hub_of.get(e["to"])


def test_count_edges_say_how_many_claims_and_nothing_else(
    graphs: tuple[nx.DiGraph, nx.DiGraph],
) -> None:
    G, _E = graphs
    data, parts = page_data(provenance_view(G))
    counted = [e for e in data["edges"] if e.get("counted")]
    assert counted
    for e in counted:
        assert re.fullmatch(r"[\d,]+ claims?", e["label"]), e["label"]
        members = {n["id"] for n in parts[e["from"]]["nodes"]}
        assert 1 <= e["claims"] <= len(members)
        heading, relations = e["tip"][0]
        assert heading.startswith(e["label"] + " of the document ")
        assert sum(int(part.rsplit(": ", 1)[1]) for part in relations.split(", ")) >= e["claims"]
    outlets = {e["to"] for e in data["edges"] if e["relation"] == "published_by"}
    assert outlets and outlets <= {n["id"] for n in data["nodes"]}


def test_overview_is_chosen_by_size_or_by_the_caller(
    graphs: tuple[nx.DiGraph, nx.DiGraph],
) -> None:
    G, _E = graphs
    everything = provenance_view(G, overview=False)
    assert everything.node_count >= G.number_of_nodes() and not everything.overview
    assert 'id="cg-parts"' not in everything.html
    assert not provenance_view(G, overview_above=G.number_of_nodes()).overview
    small = provenance_view(G, overview_above=10)
    assert small.node_count < G.number_of_nodes() and 'id="cg-parts"' in small.html


def test_entity_overview_groups_every_entity_once(graphs: tuple[nx.DiGraph, nx.DiGraph]) -> None:
    G, E = graphs
    assert E.number_of_nodes() <= OVERVIEW_ABOVE  # this corpus is small for entities
    view = entity_view(E, G, overview_above=20)
    data, parts = page_data(view)
    assert data["partWord"] == ["group", "groups"]
    grouped = Counter(n["id"] for p in parts.values() for n in p["nodes"])
    assert set(grouped) == set(E.nodes) and max(grouped.values()) == 1
    assert sum(n["entities"] for n in data["nodes"]) == E.number_of_nodes()
    assert all(n["entities"] == len(parts[n["id"]]["nodes"]) for n in data["nodes"])
    assert sum(len(p["edges"]) for p in parts.values()) == E.number_of_edges()
    for e in data["edges"]:
        assert re.fullmatch(r"[\d,]+ claims?", e["label"]) and e["counted"]
        assert "some claim says so" in e["tip"][1][1]
    assert view.overview
    assert not entity_view(E, G).overview  # below the threshold: every entity drawn


def test_overview_pages_are_deterministic(graphs: tuple[nx.DiGraph, nx.DiGraph]) -> None:
    G, E = graphs
    assert provenance_view(G).html == provenance_view(G).html
    assert entity_view(E, G, overview=True).html == entity_view(E, G, overview=True).html


def test_packed_part_round_trips_and_cannot_end_the_script() -> None:
    part = Part("d", [{"id": "c1", "label": "</script><script>alert(1)</script>\u2028"}], [])
    packed = pack_part(part)
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", packed)
    assert unpack_part(packed)["nodes"] == part.nodes
    assert pack_part(part) == packed


def test_view_command_overview_and_all(tmp_path: Path) -> None:
    module = make_corpus()
    module.write_corpus(module.generate_corpus(DOCUMENTS, 1), tmp_path / "corpus")
    trig = tmp_path / "graph.trig"
    trig.write_text(to_trig(graph.build([tmp_path / "corpus"], validate=False,
                                        story=False).dataset), encoding="utf-8")
    runner = CliRunner()
    for flag, folded in (([], True), (["--all"], False)):
        out = tmp_path / f"provenance{flag}.html"
        result = runner.invoke(main, ["view", str(trig), *flag, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert ('id="cg-parts"' in out.read_text(encoding="utf-8")) is folded
    result = runner.invoke(main, ["view", str(trig), "--kind", "entities", "--overview",
                                  "--out", str(tmp_path / "e.html")])
    assert result.exit_code == 0, result.output
    assert 'id="cg-parts"' in (tmp_path / "e.html").read_text(encoding="utf-8")


def test_story_view_past_its_columns_lists_the_documents_of_each_claim(tmp_path: Path) -> None:
    from graph.views.story import story_view

    module = make_corpus()
    module.write_corpus(module.generate_corpus(DOCUMENTS, 1), tmp_path / "corpus")
    story = graph.build([tmp_path / "corpus"], validate=False).story
    assert story is not None and story.clusters
    wide, listed = story_view(story), story_view(story, columns_max=5)
    assert wide.html.count("<tr>") == listed.html.count("<tr>")  # one row per claim, in both
    body = listed.html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = body.split("</tr>")[:-1]
    assert len(rows) == len(story.clusters)
    for row, cluster in zip(rows, story.clusters, strict=True):
        documents = {story.claims[key].document for key in cluster.claims}
        assert row.count('<li class="cg-') == len(documents)
    assert 'class="cg-absent"' not in listed.html and 'class="cg-absent"' in wide.html
