"""Unit tests of the HTML views: escaping, offline pages, counts, aggregation, CLI and build."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.rdf.export import to_trig
from graph.rdf.projection import dependency_graph, entity_graph
from graph.views import View, claim_view, entity_view, provenance_view
from graph.views.escape import html_text, plain_text, script_json, shorten, srcdoc

HOSTILE = Path(__file__).parent / "data" / "hostile-corpus"
HOSTILE_SHA256 = "30e165576078b0d7607af29555b452fd14f786cf045e8943119fb7b37049fd4d"
PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    '"><svg onload=window.__pwned=1>',
    '<a href="javascript:window.__pwned=1">',
]


@pytest.fixture(scope="module")
def bundled() -> nx.DiGraph:
    return dependency_graph(graph.build_bundled())


@pytest.fixture(scope="module")
def hostile_ds():  # type: ignore[no-untyped-def]
    return graph.build([HOSTILE]).dataset


# ---------------------------------------------------------------- escaping


@pytest.mark.parametrize("payload", [*PAYLOADS, "<!--", "a\u2028b\u2029c", "&amp;"])
def test_script_json_never_closes_the_script(payload: str) -> None:
    text = script_json({"label": payload, payload: [payload]})
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"label": payload, payload: [payload]}


def test_html_text_escapes_markup_and_quotes() -> None:
    assert html_text('<a href="x">\'') == "&lt;a href=&quot;x&quot;&gt;&#x27;"
    assert html.unescape(html_text(PAYLOADS[0])) == PAYLOADS[0]


def test_srcdoc_round_trips() -> None:
    page = '<p title="a">x & y</p>'
    assert '"' not in srcdoc(page) and "<" not in srcdoc(page)
    assert html.unescape(srcdoc(page)) == page


def test_plain_text_drops_controls_and_bidi_overrides() -> None:
    assert plain_text("a\x00b\x1bc\u202ed\u2066e") == "abcde"
    assert plain_text("x" * 50, 10) == "x" * 9 + "…"
    assert shorten("a  b\nc", 10) == "a b c"


# ---------------------------------------------------------------- pages


def _data(view: View) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', view.html,
                      re.DOTALL)
    assert match
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_page_is_self_contained(bundled: nx.DiGraph) -> None:
    page = provenance_view(bundled).html
    assert "<link" not in page.lower()
    assert not re.search(r"\ssrc\s*=", page, re.IGNORECASE)
    assert "cdn" not in page.lower() and "bootstrap" not in page.lower()
    assert "sourceMappingURL" not in page
    assert "default-src &#x27;none&#x27;" in page
    assert "vis.Network" in page and "Legend" in page


def test_provenance_counts_match_the_graph(bundled: nx.DiGraph) -> None:
    view = provenance_view(bundled)
    attributed = {s for s, _t, d in bundled.edges(data=True) if d["relation"] == "attributed_to"}
    claimant_edges = sum(sum(a in bundled for a in d["claimants"])
                         for n, d in bundled.nodes(data=True)
                         if d["type"] == "claim" and n not in attributed)
    assert view.node_count == bundled.number_of_nodes()
    assert view.edge_count == (bundled.number_of_edges() + len(bundled.graph["contradictions"])
                               + claimant_edges)
    data = _data(view)
    assert len(data["nodes"]) == view.node_count  # type: ignore[arg-type]
    assert len(data["edges"]) == view.edge_count  # type: ignore[arg-type]
    assert view.omitted is None


def test_claim_hover_has_text_claimant_mode_and_corroboration(bundled: nx.DiGraph) -> None:
    data = _data(provenance_view(bundled))
    node = next(n for n in data["nodes"] if n["id"].endswith("/c02"))  # type: ignore[attr-defined]
    tip = dict(node["tip"])
    assert bundled.nodes[node["id"]]["text"] in tip["Text"]
    assert tip["Claimant"] == "Russell Strong"
    assert tip["Mode"] == "reported speech"
    assert tip["Corroboration"] == "1 independent root source"


def test_entity_view_edges_list_their_claims(bundled: nx.DiGraph) -> None:
    ds = graph.build_bundled()
    EG = entity_graph(ds)
    view = entity_view(EG, bundled)
    assert (view.node_count, view.edge_count) == (EG.number_of_nodes(), EG.number_of_edges())
    edge = max(_data(view)["edges"], key=lambda e: e["width"])  # type: ignore[arg-type]
    assert any(row[1].startswith("• “") for row in edge["tip"])


def test_claim_view_marks_single_points_of_failure(bundled: nx.DiGraph) -> None:
    view = claim_view(bundled, "c02")
    data = _data(view)
    # c02, the interview, Russell Strong who said it there, and c03 that supports c02
    assert view.node_count == 4 and view.edge_count == 4
    doc = next(n for n in data["nodes"] if n["kind"] == "document")  # type: ignore[attr-defined]
    assert doc["borderWidth"] == 5
    assert ("single points of failure: Interview with Prof. Russell Strong, Russell Strong"
            in view.html)
    with pytest.raises(graph.NotFoundError):
        claim_view(bundled, "c999")


def test_hostile_fixture_is_what_the_tests_expect() -> None:
    digest = hashlib.sha256((HOSTILE / "article.txt").read_bytes()).hexdigest()
    assert digest == HOSTILE_SHA256


def test_hostile_payloads_never_reach_markup(hostile_ds) -> None:  # type: ignore[no-untyped-def]
    G = dependency_graph(hostile_ds)
    for view in (provenance_view(G), entity_view(entity_graph(hostile_ds), G),
                 claim_view(G, "hostile-gazette#c5")):
        page = view.html
        body = page.split('id="cg-data">', 1)
        for payload in PAYLOADS:
            assert payload not in page
        assert page.count("</script>") == 3  # the page's own three script elements
        assert "window.__pwned" not in body[0].replace("window.__pwned=1", "")
        data = json.dumps(_data(view))
        assert "__pwned" in data  # the payloads are there, as data
        assert "\"href\"" not in data


def test_repr_html_is_an_escaped_iframe(bundled: nx.DiGraph) -> None:
    view = claim_view(bundled, "c02")
    frame = view._repr_html_()
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame
    inner = frame[len('<iframe srcdoc="'):frame.index('" sandbox=')]
    assert '"' not in inner and "<" not in inner
    assert html.unescape(inner) == view.html


def test_save_is_utf8_and_atomic(bundled: nx.DiGraph, tmp_path: Path) -> None:
    out = claim_view(bundled, "c02").save(tmp_path / "v" / "c02.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["c02.html"]


def test_view_command(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "claim.html"
    result = runner.invoke(main, ["view", "--kind", "claim", "--claim",
                                  "thebl-organ-harvesting#c02", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 nodes, 4 edges" in result.output and out.exists()
    trig = tmp_path / "h.trig"
    trig.write_text(to_trig(graph.build([HOSTILE]).dataset), encoding="utf-8")
    result = runner.invoke(main, ["view", str(trig), "--kind", "entities", "--out",
                                  str(tmp_path / "e.html")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["view", "--kind", "claim", "--out", str(out)])
    assert result.exit_code == 0, result.output  # the default claim: its longest chain
    assert "Chains of claim c18" in out.read_text(encoding="utf-8")


def test_build_writes_views(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(HOSTILE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out" / "views").iterdir())
    assert names == ["claim-c3.html", "entities.html", "provenance.html"]  # its longest chain
