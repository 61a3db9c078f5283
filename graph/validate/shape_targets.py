"""The SHACL shapes in the form pyshacl runs fastest: each property shape carries its targets.

``ontology/shapes.ttl`` groups property shapes under the node shape of what they describe
(``cgsh:ClaimShape sh:targetClass schema:Claim ; sh:property [...]``), the form people read.
pyshacl evaluates such a nested property shape once per focus node of the node shape, reading
the shape's parameters again each time; the same property shape given the node shape's targets
is evaluated once with all its focus nodes. SHACL defines the same results for both forms (the
property shape's focus node, path, value, message, severity and source shape), and a test checks
that pyshacl gives the same results on every broken dataset of the shapes' tests; the time
saved is in BENCHMARKS.md.

A property shape is moved only where the move cannot change a result: its node shape has
explicit targets, is not a class itself (no implicit class target), is not deactivated and is
not referred to from anywhere else in the shapes; and the property shape is referred to only by
that node shape and has no targets of its own.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from rdflib import Graph
from rdflib.term import Node

from graph.rdf.ontology_files import read_shapes
from graph.rdf.vocab import RDF, RDFS, SH

__all__ = ["read_targeted_shapes", "targeted_property_shapes"]

_TARGETS: Final = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)


def _mentions(shapes: Graph, node: Node) -> int:
    """How many triples of the shapes have ``node`` as object."""
    return sum(1 for _ in shapes.subject_predicates(node))


def _movable_node_shape(shapes: Graph, node_shape: Node) -> bool:
    return (
        _mentions(shapes, node_shape) == 0
        and (node_shape, RDF.type, RDFS.Class) not in shapes
        and shapes.value(node_shape, SH.deactivated) is None
    )


def targeted_property_shapes(shapes: Graph) -> Graph:
    """A copy of ``shapes`` where each property shape of a targeted node shape has its targets.

    The property shape leaves the node shape's ``sh:property`` list; everything else is kept.
    """
    targeted = Graph()
    for prefix, namespace in shapes.namespaces():
        targeted.bind(prefix, namespace, override=True)
    targeted += shapes
    for node_shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = [(p, o) for p in _TARGETS for o in shapes.objects(node_shape, p)]
        if not targets or not _movable_node_shape(shapes, node_shape):
            continue
        for prop in list(shapes.objects(node_shape, SH.property)):
            if _mentions(shapes, prop) != 1 or any(
                shapes.value(prop, p) is not None for p in _TARGETS
            ):
                continue
            targeted.remove((node_shape, SH.property, prop))
            targeted.add((prop, RDF.type, SH.PropertyShape))
            for predicate, target in targets:
                targeted.add((prop, predicate, target))
    return targeted


@cache
def read_targeted_shapes() -> Graph:
    """``shapes.ttl`` with targeted property shapes, as every validation runs it (shared)."""
    return targeted_property_shapes(read_shapes())
