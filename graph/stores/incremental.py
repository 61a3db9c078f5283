"""Loading a build into a store it was loaded into before: only what changed is replaced.

A build's output folder holds, besides its export files, one N-Quads part per *unit*: each
document (its graph, analyst graph and claim graphs), the ontology and the story
(:mod:`graph.pipeline.published`); its manifest gives each part's sha256. A load of such a build
records those digests in the store itself, in the graph ``id:graph/_load``
(``<unit's graph> schema:sha256 "…"``), in the same transaction as the data. The next load of a
build compares: units whose digest changed are replaced (every graph of theirs dropped, the new
ones written), new units added, units the build no longer has removed, and the rest left alone —
all in one change, so the store equals a fresh load of the same build.

A load of any other file cannot say what it changed in a unit's terms, so it drops the record:
the next build's load replaces every unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from rdflib import URIRef

from graph.errors import StoreError
from graph.rdf.export_parts import unit_graph, unit_key
from graph.rdf.vocab import ID, SCHEMA
from graph.sparql.binding import sparql_term

if TYPE_CHECKING:
    from graph.stores import Store
    from graph.stores.loading import LoadSummary
    from graph.stores.oxigraph_load import LoadMethod

__all__ = [
    "LOAD_RECORD_GRAPH",
    "LoadPlan",
    "load_build",
    "plan_load",
    "read_load_record",
    "record_nquads",
]

LOAD_RECORD_GRAPH: Final = URIRef(f"{ID}graph/_load")
_RECORD_QUERY: Final = (
    "# What the last load of a build recorded: each unit's graph and the sha256 of its part.\n"
    f"SELECT ?g ?sha WHERE {{ GRAPH {sparql_term(LOAD_RECORD_GRAPH)} "
    f"{{ ?g {sparql_term(SCHEMA.sha256)} ?sha }} }}"
)


def record_nquads(digests: Mapping[str, str]) -> bytes:
    """The load record of a build whose units have these digests, as N-Quads."""
    graph = sparql_term(LOAD_RECORD_GRAPH)
    predicate = sparql_term(SCHEMA.sha256)
    return "".join(f"<{unit_graph(key)}> {predicate} \"{sha}\" {graph} .\n"
                   for key, sha in sorted(digests.items())).encode("utf-8")


def read_load_record(store: Store) -> dict[str, str]:
    """The record of the last build loaded into ``store``: unit key -> sha256 (empty: none)."""
    result = store.query(_RECORD_QUERY)
    return {unit_key(str(g)): str(sha) for g, sha in result.rows if g is not None}


@dataclass(frozen=True)
class LoadPlan:
    """Which units a load replaces, adds, removes and leaves alone."""

    replaced: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]

    def describe(self) -> list[str]:
        """One line per kind, documents apart from the shared graphs (ontology, story)."""

        def documents(keys: Iterable[str]) -> int:
            return sum(1 for k in keys if ":" not in k)

        lines = [f"{documents(self.replaced)} document(s) replaced",
                 f"{documents(self.added)} document(s) added",
                 f"{documents(self.removed)} document(s) removed",
                 f"{documents(self.unchanged)} document(s) unchanged"]
        shared = sorted(k for k in (*self.replaced, *self.added, *self.removed) if ":" in k)
        if shared:
            lines.append(f"{len(shared)} shared graph(s) changed: {', '.join(shared)}")
        return lines


def plan_load(digests: Mapping[str, str], record: Mapping[str, str]) -> LoadPlan:
    """Compare a build's units with what the store's record says was loaded.

    >>> plan_load({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"})
    LoadPlan(replaced=('b',), added=('c',), removed=('d',), unchanged=('a',))
    """
    return LoadPlan(
        tuple(sorted(k for k in digests if k in record and record[k] != digests[k])),
        tuple(sorted(k for k in digests if k not in record)),
        tuple(sorted(k for k in record if k not in digests)),
        tuple(sorted(k for k in digests if record.get(k) == digests[k])),
    )


def load_build(
    store: Store,
    digests: Mapping[str, str],
    nquads: Callable[[str], bytes],
    *,
    method: LoadMethod = "auto",
) -> tuple[LoadPlan, LoadSummary]:
    """Load a build whose units have ``digests`` (``nquads(key)``: a unit's N-Quads) into
    ``store``, replacing only the units that changed since the build recorded in it (every unit
    when there is none), in one change."""
    from graph.stores.oxigraph import OxigraphStore

    record = read_load_record(store)
    held = store.named_graphs()
    plan = plan_load(digests, record)
    if not record:  # nothing recorded: what the store holds of these units is of unknown age
        there = {unit_key(g) for g in held}
        plan = LoadPlan(tuple(k for k in plan.added if k in there),
                        tuple(k for k in plan.added if k not in there), (), ())
    changing = set(plan.replaced) | set(plan.removed)
    drop = [g for g in held if unit_key(g) in changing]
    text = b"".join(nquads(k) for k in (*plan.replaced, *plan.added)) + record_nquads(digests)
    if isinstance(store, OxigraphStore):
        from graph.stores.oxigraph_load import nquads_quads

        return plan, store.replace_quads(nquads_quads(text), method=method, drop=drop,
                                         held=held)
    from graph.rdf.rdfio import parse_rdf_text
    from graph.stores.loading import merge_for_load
    from graph.stores.memory import MemoryStore
    from graph.stores.sparql_http import HttpStore

    if not isinstance(store, MemoryStore | HttpStore):
        raise StoreError(f"{store.spec}: this store cannot be loaded from a build's parts")
    graphs = merge_for_load([("build", parse_rdf_text(text.decode("utf-8"), "nquads"))])
    return plan, store.replace_graphs(graphs, drop=drop)
