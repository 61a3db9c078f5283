"""The projection dataset (graph.rdf.quad_index) gives the projections exactly what the whole
dataset gives them, from N-Quads lines; its terms are those the lines were written from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from graph import pipeline
from graph.corpus import bundled_corpus_dir
from graph.rdf.export_parts import unit_nquads, units_of
from graph.rdf.projection import dependency_graph, entity_graph
from graph.rdf.quad_index import projection_dataset
from graph.sparql.binding import sparql_term

DATA = Path(__file__).parent / "data"
CORPORA = [bundled_corpus_dir()] + [DATA / name for name in (
    "affiliated-roots", "affiliated-outlets", "mayor-relay", "port-estimate", "relay-corpus",
    "story-selk", "hostile-corpus")]


def _described(G: nx.DiGraph) -> tuple[Any, ...]:
    return (sorted(G.nodes(data=True), key=lambda n: n[0]),
            sorted(G.edges(data=True), key=lambda e: (e[0], e[1])), G.graph)


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_projections_read_the_same_from_the_lines(corpus: Path) -> None:
    ds = pipeline.build([corpus], jobs=1).dataset
    lines = [line for names in units_of(ds).values() for line in unit_nquads(ds, names)]
    projected = projection_dataset(lines)
    assert 0 < len(projected) < len(lines)  # only what the projections read is kept
    G = dependency_graph(ds)
    assert _described(dependency_graph(projected)) == _described(G)
    assert _described(entity_graph(projected)) == _described(entity_graph(ds))


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(text, st.sampled_from([None, "en", "de-CH"]),
       st.sampled_from([None, "http://www.w3.org/2001/XMLSchema#date", "urn:x:type"]))
def test_literal_terms_read_back_as_written(value: str, language: str | None,
                                            datatype: str | None) -> None:
    literal = Literal(value, lang=language) if language else Literal(
        value, datatype=URIRef(datatype) if datatype else None)
    line = (f"<urn:x:s> <http://www.w3.org/2000/01/rdf-schema#label> {sparql_term(literal)} "
            "<https://w3id.org/claimgraph/id/graph/a1> .\n")
    (_s, _p, found, _g), = projection_dataset([line]).quads((None, None, None, None))
    assert isinstance(found, Literal)
    assert (str(found), found.language, found.datatype) == (
        str(literal), literal.language, literal.datatype)
    (quad,) = pyoxigraph.parse(line, pyoxigraph.RdfFormat.N_QUADS)  # a second reader agrees
    assert quad.object.value == str(found)


def test_the_projection_dataset_is_read_only() -> None:
    ds = projection_dataset([])
    with pytest.raises(TypeError, match="read-only"):
        ds.graph(URIRef("urn:g")).add((URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")))
