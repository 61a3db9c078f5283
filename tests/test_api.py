"""The public API: what `graph.__all__` promises exists, and a notebook needs two lines."""

from __future__ import annotations

import graph


def test_everything_exported_exists() -> None:
    for name in graph.__all__:
        assert hasattr(graph, name), name


def test_exported_names_are_sorted_and_unique() -> None:
    assert sorted(set(graph.__all__)) == sorted(graph.__all__)


def test_two_lines_from_a_notebook() -> None:
    ds = graph.build_bundled()
    claims = {
        str(s)
        for s, _, _, _ in ds.quads(
            (None, graph.rdf.vocab.RDF.type, graph.rdf.vocab.SCHEMA.Claim, None)
        )
    }
    assert len(claims) == 54


def test_errors_share_one_base_with_distinct_exit_codes() -> None:
    errors = [getattr(graph, n) for n in graph.__all__ if n.endswith("Error")]
    assert all(issubclass(e, graph.ClaimgraphError) for e in errors)
    codes = {e.exit_code for e in errors if e is not graph.ClaimgraphError}
    assert len(codes) == len(errors) - 1
