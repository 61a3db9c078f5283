"""What a check finds (:class:`Problem`), what SHACL counted, and reading a dataset as one graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from graph.errors import ValidationError
from graph.rdf.vocab import CG, DCTERMS, RDF, SCHEMA

if TYPE_CHECKING:
    pass

__all__ = [
    "Fail",
    "Problem",
    "ShaclCounts",
    "raise_for_problems",
    "union_of",
    "union_view",
]
Fail = Callable[[Node, str], None]


@dataclass(frozen=True)
class Problem:
    """One break of the shapes or the contract: which node, and what is wrong with it."""

    focus: str
    message: str
    check: str  # "shacl" or "contract"

    def __str__(self) -> str:
        return f"{self.focus}: {self.message}"


@dataclass(frozen=True)
class ShaclCounts:
    """What SHACL did with the documents of one validation."""

    checked: int  # documents (or other graphs checked on their own) SHACL checked
    unchanged: int  # documents not checked: they passed before exactly as they are now

    def __add__(self, other: ShaclCounts) -> ShaclCounts:
        return ShaclCounts(self.checked + other.checked, self.unchanged + other.unchanged)

    def describe(self) -> str:
        """A short phrase for the command line; empty when every document was checked."""
        if not self.unchanged:
            return ""
        return (f"SHACL checked {self.checked} document(s); {self.unchanged} unchanged since "
                "they passed")


def union_of(data: Graph | Dataset) -> Graph:
    """All triples of all graphs, as one graph (a Dataset's named graphs included)."""
    if isinstance(data, Dataset):
        union = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return data


def _name(g: Graph, node: Node) -> str:
    ident = g.value(node, DCTERMS.identifier)
    doc = g.value(node, SCHEMA.appearance)
    if ident is not None and doc is not None:
        doc_id = g.value(doc, DCTERMS.identifier)
        analysts = any(True for _t in g.triples((node, RDF.type, CG.Affiliation)))
        what = "affiliation" if analysts else "claim"
        return f"{what} '{ident}' of '{doc_id}'"
    if ident is not None:
        return f"'{ident}'"
    return str(node)


def union_view(data: Graph | Dataset) -> Graph:
    """All graphs of ``data`` read as one, without copying a triple (a Graph is itself)."""
    if isinstance(data, Dataset):
        return Dataset(store=data.store, default_union=True)
    return data


def _has_named_graphs(ds: Dataset) -> bool:
    """False for a flat file (Turtle, N-Triples): it cannot keep a claim's graph apart."""
    return any(len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID for g in ds.graphs())


def raise_for_problems(problems: list[Problem], what: str, *, shown: int = 20) -> None:
    """Raise one ``ValidationError`` listing the first problems, or return if there are none."""
    if not problems:
        return
    lines = [f"  - {p}" for p in problems[:shown]]
    if len(problems) > shown:
        lines.append(f"  … and {len(problems) - shown} more")
    raise ValidationError(
        f"{what} breaks {len(problems)} rule(s) of the claimgraph model:\n" + "\n".join(lines),
        [str(p) for p in problems],
    )
