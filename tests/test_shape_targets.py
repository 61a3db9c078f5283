"""Property shapes get their node shape's targets only where that cannot change a result."""

from __future__ import annotations

from rdflib import Graph, URIRef

from graph.rdf.vocab import RDF, SH
from graph.validate.shape_targets import read_targeted_shapes, targeted_property_shapes

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
"""


def _iri(name: str) -> URIRef:
    return URIRef("https://example.org/" + name)


def _targeted(turtle: str) -> Graph:
    return targeted_property_shapes(Graph().parse(data=PREFIXES + turtle, format="turtle"))


def _nested(shapes: Graph) -> int:
    return len(list(shapes.triples((None, SH.property, None))))


def test_a_property_shape_takes_every_target_of_its_node_shape() -> None:
    shapes = _targeted("""
        ex:S a sh:NodeShape ; sh:targetClass ex:A, ex:B ; sh:targetObjectsOf ex:p ;
            sh:message "S" ; sh:property ex:P .
        ex:P sh:path ex:q ; sh:minCount 1 .
    """)
    assert _nested(shapes) == 0
    assert (_iri("P"), RDF.type, SH.PropertyShape) in shapes
    targets = set(shapes.predicate_objects(_iri("P")))
    assert {(SH.targetClass, _iri("A")), (SH.targetClass, _iri("B")),
            (SH.targetObjectsOf, _iri("p"))} <= targets
    assert (_iri("S"), SH.message, None) in shapes  # the node shape itself is kept


def test_a_property_shape_shared_by_two_node_shapes_stays_nested() -> None:
    shapes = _targeted("""
        ex:S1 a sh:NodeShape ; sh:targetClass ex:A ; sh:property ex:P .
        ex:S2 a sh:NodeShape ; sh:targetClass ex:B ; sh:property ex:P .
        ex:P sh:path ex:q ; sh:minCount 1 .
    """)
    assert _nested(shapes) == 2
    assert shapes.value(_iri("P"), SH.targetClass) is None


def test_node_shapes_that_could_change_meaning_are_left_alone() -> None:
    shapes = _targeted("""
        ex:Used a sh:NodeShape ; sh:targetClass ex:A ;
            sh:property [ sh:path ex:q ; sh:minCount 1 ] .
        ex:Other a sh:NodeShape ; sh:targetClass ex:B ; sh:node ex:Used .
        ex:Off a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ;
            sh:property [ sh:path ex:q ; sh:minCount 1 ] .
        ex:Klass a sh:NodeShape, rdfs:Class ; sh:targetClass ex:D ;
            sh:property [ sh:path ex:q ; sh:minCount 1 ] .
        ex:Untargeted a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .
        ex:OwnTargets a sh:NodeShape ; sh:targetClass ex:E ; sh:property ex:T .
        ex:T sh:path ex:q ; sh:targetClass ex:F .
    """)
    assert _nested(shapes) == 5
    assert set(shapes.objects(_iri("T"), SH.targetClass)) == {_iri("F")}


def test_every_property_shape_of_the_bundled_shapes_is_targeted() -> None:
    """Otherwise pyshacl would still walk those one focus node at a time."""
    shapes = read_targeted_shapes()
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        if shapes.value(node_shape, SH.targetClass) or shapes.value(node_shape, SH.targetObjectsOf):
            assert shapes.value(node_shape, SH.property) is None, node_shape
    assert len(set(shapes.subjects(RDF.type, SH.PropertyShape))) >= 40
