"""``graph.open``: every kind of source answers the same questions the same way.

The sources are real: a TriG file the build wrote, the bundled annotation folder, an Oxigraph
folder loaded from that file, and ``claimgraph serve`` started over it as a separate process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import start_endpoint

import graph
from graph.errors import NotFoundError
from graph.rdf.export import to_trig
from graph.rdf.rdfio import read_rdf
from graph.stores import open_store

QUERY = ("claims-by-claimant", {"agent": "russell-strong"})


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("sources")
    trig = folder / "graph.trig"
    trig.write_text(to_trig(graph.build().dataset), encoding="utf-8")
    oxigraph = folder / "store"
    store = open_store(f"oxigraph:{oxigraph}")
    store.replace_graphs(read_rdf(trig))
    store.close()
    served = folder / "served"
    store = open_store(f"oxigraph:{served}")
    store.replace_graphs(read_rdf(trig))
    store.close()
    process, base = start_endpoint("--store", f"oxigraph:{served}", "--workers", "1")
    try:
        yield {
            "built file": str(trig),
            "annotation folder": str(graph.bundled_corpus_dir()),
            "oxigraph folder": str(oxigraph),
            "oxigraph spec": f"oxigraph:{oxigraph}",
            "endpoint": f"{base}sparql",
        }
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def _answers(source: str | None) -> tuple[str, Any, dict[str, Any], int]:
    with graph.open(source) as cg:
        frame = cg.query(QUERY[0], **QUERY[1])
        return cg.source, frame.to_dict("records"), cg.analyze(), cg.network().number_of_edges()


@pytest.fixture(scope="module")
def reference() -> tuple[str, Any, dict[str, Any], int]:
    return _answers(None)


@pytest.mark.parametrize(
    "kind", ["built file", "annotation folder", "oxigraph folder", "oxigraph spec", "endpoint"]
)
def test_every_source_answers_the_same(
    sources: dict[str, str], reference: tuple[str, Any, dict[str, Any], int], kind: str
) -> None:
    source, rows, summary, edges = _answers(sources[kind])
    _, ref_rows, ref_summary, ref_edges = reference
    assert len(rows) > 10
    assert rows == ref_rows
    assert edges == ref_edges
    assert summary == ref_summary
    assert sources[kind].removeprefix("oxigraph:").removesuffix("sparql") in source


def test_the_bundled_article_says_what_it_is(
    reference: tuple[str, Any, dict[str, Any], int],
) -> None:
    assert reference[0] == "the bundled article (thebl-organ-harvesting), built in memory"


def test_the_network_is_the_dependency_graph_of_the_dataset() -> None:
    """The CONSTRUCT loses nothing the projection reads from the whole dataset."""
    from graph.rdf.projection import dependency_graph

    direct = dependency_graph(graph.build().dataset)
    with graph.open() as cg:
        fetched = cg.network()
    assert nx.utils.graphs_equal(direct, fetched)
    assert dict(direct.nodes(data=True)) == dict(fetched.nodes(data=True))


def test_claims_paths_and_views(tmp_path: Path) -> None:
    with graph.open() as cg:
        claims = cg.claims()
        assert len(claims) == 54
        assert list(claims.columns) == ["claim", "document", "id", "text", "source_kind",
                                        "mode", "claimants", "cue", "vague_source"]
        c18 = claims[claims.id == "c18"].iloc[0]
        assert (c18["mode"], c18["source_kind"], c18["cue"]) == ("denial", "named-person", "denies")
        assert claims.vague_source.sum() >= 4
        by_slash = cg.paths("thebl-organ-harvesting/c02")
        assert by_slash == cg.paths("thebl-organ-harvesting#c02") == cg.paths("c02")
        assert by_slash["independent_roots"] >= 1
        assert by_slash["chains"] and by_slash["roots"]
        for kind in ("provenance", "entities", "claim"):
            view = cg.view(kind)
            assert "<iframe srcdoc=" in view._repr_html_()
            saved = view.save(tmp_path / f"{kind}.html")
            assert saved.read_text(encoding="utf-8").startswith("<!")
        assert cg.view("entities").edge_count > 0


def test_an_unknown_source_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file or folder"):
        graph.open(tmp_path / "missing")
    with pytest.raises(NotFoundError, match="no Oxigraph folder"):
        graph.open(f"oxigraph:{tmp_path / 'missing'}")


def test_a_closed_graph_closes_its_store(sources: dict[str, str]) -> None:
    """The Oxigraph folder is free again once the ``with`` block ends: it opens once more."""
    with graph.open(sources["oxigraph folder"]) as cg:
        first = cg.query("claims-by-mode", mode="denial")
    with graph.open(sources["oxigraph folder"]) as again:
        assert again.query("claims-by-mode", mode="denial").equals(first)
    assert list(first["id"]) == ["c18", "c36"]


def test_annotation_files_take_either_claim_reference(tmp_path: Path) -> None:
    """``relayed_from: doc-a/a1`` builds the very graph ``doc-a#a1`` builds."""
    import re
    import shutil

    source = Path(__file__).parent / "data" / "relay-corpus"
    slashed = tmp_path / "relay-corpus"
    shutil.copytree(source, slashed)
    changed = 0
    for path in slashed.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        new = re.sub(r'"(doc-[a-z])#([a-z]\d)"', r'"\1/\2"', text)
        changed += new != text
        path.write_text(new, encoding="utf-8")
    assert changed >= 4
    def quads(path: Path) -> set[tuple[object, ...]]:
        ds = graph.build([path], validate=False).dataset
        return {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in ds.quads()}

    assert quads(slashed) == quads(source)


def test_a_store_is_a_context_manager(tmp_path: Path) -> None:
    """Leaving the block releases an Oxigraph folder's lock: it opens again at once."""
    folder = tmp_path / "store"
    with open_store(f"oxigraph:{folder}") as store:
        store.replace_graphs(graph.build().dataset)
    with open_store(f"oxigraph:{folder}") as again:
        assert len(again.named_graphs()) > 20


def test_compare_tells_the_same_story_from_any_store(tmp_path: Path) -> None:
    """``.compare()`` on a built file and on an Oxigraph folder loaded from it gives the story
    the annotation folders give."""
    from graph.model.annotations import load_corpus
    from graph.story.model import compute_story

    corpus = Path(__file__).parent / "data" / "story-selk"
    expected = compute_story(load_corpus([corpus])).to_dict()
    assert expected["clusters"], "the fixture must hold a story to compare"
    trig = tmp_path / "graph.trig"
    trig.write_text(to_trig(graph.build([corpus]).dataset), encoding="utf-8")
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    store.replace_graphs(read_rdf(trig))
    store.close()
    for source in (str(trig), f"oxigraph:{tmp_path / 'store'}"):
        with graph.open(source) as cg:
            assert cg.compare().to_dict() == expected, source
