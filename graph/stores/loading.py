"""What a load does before it writes: graph naming, the content check, which stale graphs go."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph.errors import ValidationError
from graph.rdf.vocab import ID, RELATIONS, is_claim_graph_iri

__all__ = [
    "CONTENT_PREDICATES",
    "LoadSummary",
    "asserted_content_error",
    "dataset_graphs",
    "file_graph_iri",
    "graphs_to_drop",
    "merge_for_load",
    "named_graph_items",
    "refuse_asserted_content",
]





@dataclass(frozen=True)
class LoadSummary:
    """What a load wrote: the graphs replaced, the stale graphs dropped, the triples written."""

    graphs: tuple[str, ...]
    dropped: tuple[str, ...]
    triples: int


def file_graph_iri(name: str) -> URIRef:
    """The named graph that receives the default-graph triples of a file (Turtle, N-Triples)."""
    return URIRef(f"{ID}graph/file/{quote(name, safe='')}")


def named_graph_items(ds: Dataset, name: str = "dataset") -> Iterator[tuple[URIRef, Graph]]:
    """Each non-empty graph of ``ds`` with the name a load stores it under: its own, or for the
    default graph and blank-node graphs the file graph of ``name``. Nothing is copied."""
    for g in ds.graphs():
        if not len(g):
            continue
        ident = g.identifier
        if ident == DATASET_DEFAULT_GRAPH_ID or not isinstance(ident, URIRef):
            ident = file_graph_iri(name)
        yield ident, g


CONTENT_PREDICATES: Final = frozenset(str(p) for p in RELATIONS.values())
"""The relation predicates of a claim's content, which only a claim's graph may assert."""


def asserted_content_error(source: str, graph: str, triple: Sequence[str]) -> ValidationError:
    """The error of a load whose input asserts a claim's content outside a claim graph."""
    return ValidationError(
        f"{source}: asserts a claim's content outside a claim graph (in {graph}): "
        f"{' '.join(triple)} . A store never holds claim content outside its claim graph; a flat "
        "file carries it reified (build it again). Nothing was loaded."
    )


def refuse_asserted_content(source: str, ident: URIRef, g: Graph) -> None:
    """Raise :func:`asserted_content_error` if ``g``, to be stored as ``ident``, asserts a
    claim's content and is not a claim graph."""
    if is_claim_graph_iri(str(ident)):
        return
    for p in RELATIONS.values():
        for s, _, o in g.triples((None, p, None)):
            raise asserted_content_error(source, str(ident), [t.n3() for t in (s, p, o)])


def merge_for_load(parts: Iterable[tuple[str, Dataset]]) -> dict[URIRef, Graph]:
    """Named graphs of parsed files, ready to load; default-graph triples get a per-file graph.

    A file asserting a claim's content outside a claim graph is refused (``ValidationError``)."""
    graphs: dict[URIRef, Graph] = {}
    for name, ds in parts:
        for ident, g in named_graph_items(ds, name):
            refuse_asserted_content(name, ident, g)
            target = graphs.setdefault(ident, Graph(identifier=ident))
            for triple in g:
                target.add(triple)
    return graphs


def graphs_to_drop(existing: Iterable[str], incoming: Iterable[str]) -> list[str]:
    """Stored graphs a load replaces: the incoming graphs, and stale graphs of their documents.

    A document graph ``id:graph/{doc}`` owns every graph under ``id:graph/{doc}/`` (its analyst
    graph and claim graphs); loading a new version drops those the new version no longer has.
    """
    incoming = set(incoming)
    prefixes = tuple(g + "/" for g in incoming if _is_document_graph(g))
    drop = set(incoming)
    drop.update(g for g in existing if g.startswith(prefixes) and prefixes)
    return sorted(drop)


def _is_document_graph(iri: str) -> bool:
    base = f"{ID}graph/"
    return iri.startswith(base) and "/" not in iri[len(base):] and iri != base


def dataset_graphs(dataset: Dataset | Mapping[URIRef, Graph]) -> dict[URIRef, Graph]:
    """Named, non-empty graphs of a dataset (a mapping passes through, checked as
    :func:`merge_for_load` checks files)."""
    if isinstance(dataset, Mapping):
        for ident, g in dataset.items():
            refuse_asserted_content("dataset", ident, g)
        return dict(dataset)
    return merge_for_load([("dataset", dataset)])


