"""The ontology (claimgraph.ttl), the SHACL shapes (shapes.ttl) and their generated reference.

The SHACL tests build small datasets by hand, laid out as the build lays them out (document graph,
analyst graph, one graph per claim, ontology graph), and validate the union of their named graphs
with pyshacl, without inference, as graph/validate/ does.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from pyshacl import validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from graph.rdf.vocab import (
    CG,
    DCTERMS,
    ENTITY_TYPES,
    MODES,
    OA,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    OWL,
    PROV,
    RDF,
    RDFS,
    RELATIONS,
    SCHEMA,
    SH,
    SKOS,
    SOURCE_KINDS,
    XSD,
    analyst_graph_iri,
    anchor_iri,
    attribution_iri,
    claim_graph_iri,
    claim_iri,
    document_graph_iri,
    document_iri,
    entity_iri,
    position_selector_iri,
    quantity_iri,
    quote_selector_iri,
    target_iri,
)

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "claimgraph.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
REFERENCE_FILE = ROOT / "docs" / "ontology.md"
CG_NS = str(CG._NS)
CG_TERMS = sorted(CG.__annotations__)


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@cache
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def make_reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_reference", ROOT / "scripts" / "make_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_reference", module)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------------------------
# The ontology
# --------------------------------------------------------------------------------------------


def test_turtle_files_parse() -> None:
    assert len(ontology()) > 100
    assert len(shapes()) > 100
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology()
    for predicate in (RDFS.label, RDFS.comment, OWL.versionInfo):
        assert ontology().value(ONTOLOGY_IRI, predicate) is not None, predicate


def test_ontology_has_no_blank_nodes() -> None:
    """The ontology graph is part of every build, whose files must be byte-identical."""
    assert not any(isinstance(node, BNode) for triple in ontology() for node in triple)


def test_ontology_comment_says_claim_content_lives_in_its_own_graph() -> None:
    comment = str(ontology().value(ONTOLOGY_IRI, RDFS.comment))
    assert "named graph" in comment
    assert "cg:AssertionGraph" in comment


@pytest.mark.parametrize("name", CG_TERMS)
def test_every_vocab_term_is_declared_labelled_and_defined(name: str) -> None:
    term = getattr(CG, name)
    g = ontology()
    assert list(g.objects(term, RDF.type)), f"cg:{name} is not declared in claimgraph.ttl"
    labels = list(g.objects(term, RDFS.label))
    assert len(labels) == 1 and str(labels[0]).strip(), f"cg:{name} needs one rdfs:label"
    definitions = list(g.objects(term, SKOS.definition))
    assert len(definitions) == 1, f"cg:{name} needs one skos:definition"
    text = str(definitions[0])
    assert text[0].isupper() and text.endswith("."), f"cg:{name}: definition is not a sentence"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in g
    assert (term, RDFS.comment, None) not in g, "definitions use skos:definition only"


def test_no_orphan_terms_in_the_ontology() -> None:
    declared = {
        str(s)[len(CG_NS) :]
        for s in ontology().subjects(RDF.type, None)
        if str(s).startswith(CG_NS)
    }
    mentioned = {
        str(node)[len(CG_NS) :]
        for triple in ontology()
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(CG_NS)
    }
    assert declared == set(CG_TERMS)
    assert mentioned <= set(CG_TERMS)


def test_every_term_has_exactly_one_kind() -> None:
    kinds = {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        SKOS.ConceptScheme,
        SKOS.Concept,
    }
    for name in CG_TERMS:
        types = set(ontology().objects(getattr(CG, name), RDF.type)) & kinds
        assert len(types) == 1, (name, types)


def test_class_alignments() -> None:
    g = ontology()
    expected = {
        CG.Group: PROV.Agent,
        CG.Topic: SKOS.Concept,
        CG.Award: SCHEMA.Intangible,
        CG.SourceKind: SKOS.Concept,
        CG.AttributionMode: SKOS.Concept,
    }
    for cls, parent in expected.items():
        assert (cls, RDFS.subClassOf, parent) in g, cls
    for cls in (CG.AssertionGraph, CG.AnalystGraph):
        assert (cls, RDF.type, OWL.Class) in g


def test_property_alignments() -> None:
    g = ontology()
    assert (CG.denies, RDFS.subPropertyOf, CG.contradicts) in g
    # An inference between claims is not a reporting step: chains follow prov:wasDerivedFrom+.
    supers = set(g.transitive_objects(CG.inferredFrom, RDFS.subPropertyOf))
    assert PROV.wasDerivedFrom not in supers
    for claim_relation in (CG.supports, CG.contradicts, CG.denies, CG.inferredFrom, CG.partOf):
        assert (claim_relation, RDFS.domain, SCHEMA.Claim) in g
        assert (claim_relation, RDFS.range, SCHEMA.Claim) in g


@pytest.mark.parametrize(
    ("mapping", "scheme", "cls"),
    [
        (SOURCE_KINDS, CG.sourceKinds, CG.SourceKind),
        (MODES, CG.attributionModes, CG.AttributionMode),
    ],
)
def test_concept_schemes_match_the_annotation_keys(
    mapping: dict[str, URIRef], scheme: URIRef, cls: URIRef
) -> None:
    g = ontology()
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    members = set(g.subjects(SKOS.inScheme, scheme))
    assert members == set(mapping.values())
    assert set(g.objects(scheme, SKOS.hasTopConcept)) == members
    for key, concept in mapping.items():
        assert [str(n) for n in g.objects(concept, SKOS.notation)] == [key]
        assert (concept, RDF.type, SKOS.Concept) in g
        assert (concept, RDF.type, cls) in g
        assert g.value(concept, SKOS.prefLabel) is not None
        assert g.value(concept, SKOS.definition) is not None


def test_seven_source_kinds_and_six_modes() -> None:
    assert len(SOURCE_KINDS) == 7
    assert len(MODES) == 6


@pytest.mark.parametrize("key", sorted(k for k, v in RELATIONS.items() if str(v).startswith(CG_NS)))
def test_relation_predicates_are_neutral_object_properties(key: str) -> None:
    g = ontology()
    predicate = RELATIONS[key]
    assert (predicate, RDF.type, OWL.ObjectProperty) in g
    # A reasoner must not type an entity from what someone alleges about it.
    assert (predicate, RDFS.domain, None) not in g
    assert (predicate, RDFS.range, None) not in g
    definition = str(g.value(predicate, SKOS.definition))
    assert "as asserted by some claim" in definition
    assert "assertion graph" in definition


def test_claim_properties_point_at_the_schemes() -> None:
    g = ontology()
    assert (CG.sourceKind, RDFS.range, CG.SourceKind) in g
    assert (CG.attributionMode, RDFS.range, CG.AttributionMode) in g
    assert (CG.assertionGraph, RDFS.range, CG.AssertionGraph) in g
    assert (CG.analystGraph, RDFS.range, CG.AnalystGraph) in g
    assert (CG.quantity, RDFS.range, SCHEMA.QuantitativeValue) in g


# --------------------------------------------------------------------------------------------
# The shapes
# --------------------------------------------------------------------------------------------

TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)


def test_every_node_shape_has_a_target_and_a_message() -> None:
    g = shapes()
    node_shapes = set(g.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) >= 10
    for shape in node_shapes:
        assert any((shape, t, None) in g for t in TARGETS), f"{shape} has no target"
        assert (shape, SH.message, None) in g, f"{shape} has no sh:message"


def test_every_property_shape_has_a_message() -> None:
    g = shapes()
    property_shapes = set(g.subjects(SH.path, None))
    assert len(property_shapes) >= 30
    for prop in property_shapes:
        assert (prop, SH.message, None) in g, f"property shape on {g.value(prop, SH.path)}"


def test_shapes_mention_only_declared_cg_terms() -> None:
    mentioned = {
        str(node)[len(CG_NS) :]
        for triple in shapes()
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(CG_NS)
    }
    assert mentioned
    assert mentioned <= set(CG_TERMS)


def test_shapes_do_not_use_the_ontology_namespace_for_shapes() -> None:
    for shape in shapes().subjects(RDF.type, SH.NodeShape):
        assert not str(shape).startswith(CG_NS)


def _label_targets() -> set[URIRef]:
    g = shapes()
    found: set[URIRef] = set()
    for prop in g.subjects(SH.path, RDFS.label):
        for shape in g.subjects(SH.property, prop):
            if (prop, SH.minCount, None) in g:
                found |= {c for c in g.objects(shape, SH.targetClass) if isinstance(c, URIRef)}
    return found


def test_every_entity_class_must_have_a_label() -> None:
    needed = {cls for classes in ENTITY_TYPES.values() for cls in classes}
    assert needed <= _label_targets()


def test_sh_in_lists_match_the_vocabulary() -> None:
    g = shapes()
    lists: dict[object, set[object]] = {}
    for prop, head in g.subject_objects(SH["in"]):
        lists[g.value(prop, SH.path)] = set(Collection(g, head))
    assert lists[CG.sourceKind] == set(SOURCE_KINDS.values())
    assert lists[CG.attributionMode] == set(MODES.values())


# --------------------------------------------------------------------------------------------
# SHACL really bites: a hand-built valid dataset, then broken copies
# --------------------------------------------------------------------------------------------

DOC = "example-interview"
TEXT = (
    'Dr. Ana Ruiz said the clinic opened in 1999. "We treat 200 patients a week," she said.\n'
    "Officials denied the report.\n"
)
SHA = "0" * 63 + "a"


def _anchor(g: Graph, claim_id: str, text: str, prefix_len: int = 10) -> None:
    claim = claim_iri(DOC, claim_id)
    start = TEXT.index(text)
    end = start + len(text)
    anchor, target = anchor_iri(DOC, claim_id), target_iri(DOC, claim_id)
    pos, quote = position_selector_iri(DOC, claim_id), quote_selector_iri(DOC, claim_id)
    g.add((anchor, RDF.type, OA.Annotation))
    g.add((anchor, OA.hasBody, claim))
    g.add((anchor, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, document_iri(DOC)))
    g.add((target, OA.hasSelector, pos))
    g.add((target, OA.hasSelector, quote))
    g.add((pos, RDF.type, OA.TextPositionSelector))
    g.add((pos, OA.start, Literal(start)))
    g.add((pos, OA.end, Literal(end)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(text)))
    g.add((quote, OA.prefix, Literal(TEXT[max(0, start - prefix_len) : start])))
    g.add((quote, OA.suffix, Literal(TEXT[end : end + prefix_len])))


def _entity(g: Graph, entity_id: str, kind: str, label: str) -> URIRef:
    node = entity_iri(entity_id)
    for cls in ENTITY_TYPES[kind]:
        g.add((node, RDF.type, cls))
    g.add((node, RDFS.label, Literal(label)))
    g.add((node, SCHEMA.name, Literal(label)))
    g.add((node, DCTERMS.identifier, Literal(entity_id)))
    return node


def _claim(
    g: Graph,
    claim_id: str,
    text: str,
    claimant: URIRef,
    kind: str,
    mode: str,
    cue: str,
    claimant_label: str,
) -> URIRef:
    claim = claim_iri(DOC, claim_id)
    attribution = attribution_iri(DOC, claim_id, str(claimant).rsplit("/", 1)[1])
    g.add((claim, RDF.type, SCHEMA.Claim))
    g.add((claim, RDF.type, PROV.Entity))
    g.add((claim, RDFS.label, Literal(f"{claimant_label} states: “{text}”")))
    g.add((claim, SCHEMA.text, Literal(text)))
    g.add((claim, DCTERMS.identifier, Literal(claim_id)))
    g.add((claim, SCHEMA.appearance, document_iri(DOC)))
    g.add((claim, PROV.wasAttributedTo, claimant))
    g.add((claim, PROV.qualifiedAttribution, attribution))
    g.add((claim, CG.sourceKind, SOURCE_KINDS[kind]))
    g.add((claim, CG.attributionMode, MODES[mode]))
    g.add((attribution, RDF.type, PROV.Attribution))
    g.add((attribution, PROV.agent, claimant))
    g.add((attribution, CG.cue, Literal(cue)))
    _anchor(g, claim_id, text)
    return claim


def valid_dataset() -> Dataset:
    """One document with three claims, laid out as graph/rdf/dataset.py lays it out."""
    ds = Dataset()
    ds.graph(ONTOLOGY_GRAPH).parse(ONTOLOGY_FILE, format="turtle")
    g = ds.graph(document_graph_iri(DOC))
    analyst = ds.graph(analyst_graph_iri(DOC))
    doc = document_iri(DOC)
    cited = document_iri("example-radio-interview")
    g.add((doc, RDF.type, SCHEMA.NewsArticle))
    g.add((doc, RDF.type, PROV.Entity))
    g.add((doc, RDFS.label, Literal("An interview with Ana Ruiz")))
    g.add((doc, SCHEMA.headline, Literal("An interview with Ana Ruiz")))
    g.add((doc, SCHEMA.text, Literal(TEXT)))
    g.add((doc, CG.textSha256, Literal(SHA)))
    g.add((doc, DCTERMS.identifier, Literal(DOC)))
    g.add((doc, CG.furniture, Literal("Officials")))
    g.add((doc, SCHEMA.citation, cited))
    g.add((doc, CG.analystGraph, analyst_graph_iri(DOC)))
    g.add((analyst_graph_iri(DOC), RDF.type, CG.AnalystGraph))
    g.add((cited, RDF.type, SCHEMA.NewsArticle))
    g.add((cited, RDF.type, PROV.Entity))
    g.add((cited, RDFS.label, Literal("Radio interview with Ana Ruiz")))
    g.add((cited, SCHEMA.headline, Literal("Radio interview with Ana Ruiz")))
    g.add((cited, DCTERMS.identifier, Literal("example-radio-interview")))
    g.add((cited, CG.citedAs, Literal("the report")))

    ana = _entity(g, "ana-ruiz", "person", "Ana Ruiz")
    g.add((ana, SCHEMA.alternateName, Literal("Dr. Ana Ruiz")))
    g.add((ana, SCHEMA.sameAs, URIRef("https://www.wikidata.org/entity/Q4115189")))
    clinic = _entity(g, "the-clinic", "organization", "the clinic")
    officials = _entity(g, "officials", "group", "officials")
    g.add((officials, CG.descriptor, Literal("Officials")))
    g.add((officials, CG.isVague, Literal(True)))
    times = _entity(g, "example-times", "organization", "The Example Times")
    _entity(g, "clinic-opening", "event", "the opening of the clinic")
    _entity(g, "patient-care", "topic", "patient care")

    c1 = _claim(
        g,
        "c1",
        "the clinic opened in 1999",
        ana,
        "named-person",
        "reported-speech",
        "said",
        "Ana Ruiz",
    )
    g.add((c1, SCHEMA.about, clinic))
    g.add((c1, CG.date, Literal("1999", datatype=XSD.gYear)))
    g.add((c1, PROV.wasDerivedFrom, cited))
    g.add((c1, PROV.wasQuotedFrom, cited))
    g.add((c1, CG.assertionGraph, claim_graph_iri(DOC, "c1")))
    g.add((claim_graph_iri(DOC, "c1"), RDF.type, CG.AssertionGraph))
    ds.graph(claim_graph_iri(DOC, "c1")).add((ana, CG.performed, clinic))

    c2 = _claim(
        g,
        "c2",
        "We treat 200 patients a week,",
        ana,
        "named-person",
        "direct-quote",
        "she said",
        "Ana Ruiz",
    )
    q1, q2 = quantity_iri(DOC, "c2", 0), quantity_iri(DOC, "c2", 1)
    g.add((c2, CG.quantity, q1))
    g.add((c2, CG.quantity, q2))
    g.add((q1, RDF.type, SCHEMA.QuantitativeValue))
    g.add((q1, SCHEMA.value, Literal(200)))
    g.add((q1, SCHEMA.unitText, Literal("patients")))
    g.add((q1, CG.rateUnit, Literal("week")))
    g.add((q1, CG.phrase, Literal("200 patients a week")))
    g.add((q2, RDF.type, SCHEMA.QuantitativeValue))
    g.add((q2, SCHEMA.minValue, Literal(150)))
    g.add((q2, SCHEMA.maxValue, Literal(250)))
    g.add((q2, SCHEMA.unitText, Literal("patients")))
    g.add((q2, CG.approximate, Literal(True)))

    c3 = _claim(
        g,
        "c3",
        "Officials denied the report.",
        officials,
        "vague-collective",
        "denial",
        "denied",
        "officials",
    )
    g.add((c3, CG.denies, c1))
    g.add((c3, CG.hedge, Literal("the report")))

    for node in (doc, cited):
        analyst.add((node, SCHEMA.publisher, times))
        analyst.add((node, SCHEMA.datePublished, Literal("2021-10-24", datatype=XSD.date)))
    analyst.add((doc, SCHEMA.url, Literal("https://example.org/interview", datatype=XSD.anyURI)))
    analyst.add((doc, SKOS.editorialNote, Literal("The date comes from the index page.")))
    analyst.add((c1, SKOS.editorialNote, Literal("Checked against the radio transcript.")))
    return ds


def union(ds: Dataset) -> Graph:
    """The union of all named graphs, as one plain graph (pyshacl validates a Dataset per graph)."""
    merged = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def shacl_messages(ds: Dataset, *, advanced: bool = False) -> tuple[bool, list[str]]:
    conforms, results, _ = validate(
        data_graph=union(ds), shacl_graph=shapes(), inference="none", advanced=advanced
    )
    messages = sorted(str(m) for m in results.objects(None, SH.resultMessage))
    return bool(conforms), messages


@pytest.mark.parametrize("advanced", [False, True])
def test_the_valid_dataset_conforms(advanced: bool) -> None:
    conforms, messages = shacl_messages(valid_dataset(), advanced=advanced)
    assert conforms, messages
    assert messages == []


def test_the_bundled_corpus_conforms() -> None:
    from graph.pipeline.run import build

    dataset = build(validate=False).dataset
    assert len(set(union(dataset).subjects(RDF.type, SCHEMA.Claim))) >= 10
    conforms, messages = shacl_messages(dataset, advanced=True)
    assert conforms, messages


def _doc_graph(ds: Dataset) -> Graph:
    return ds.graph(document_graph_iri(DOC))


def _set(ds: Dataset, s: URIRef, p: URIRef, o: Literal | URIRef) -> None:
    g = _doc_graph(ds)
    g.remove((s, p, None))
    g.add((s, p, o))


C1 = claim_iri(DOC, "c1")
ANA = entity_iri("ana-ruiz")
POS1 = position_selector_iri(DOC, "c1")
Q1 = quantity_iri(DOC, "c2", 0)
Q2 = quantity_iri(DOC, "c2", 1)
TARGET1 = target_iri(DOC, "c1")


def no_text(ds: Dataset) -> None:
    _doc_graph(ds).remove((C1, SCHEMA.text, None))


def two_source_kinds(ds: Dataset) -> None:
    _doc_graph(ds).add((C1, CG.sourceKind, CG.AuthorVoice))


def unknown_mode(ds: Dataset) -> None:
    _set(ds, C1, CG.attributionMode, URIRef(CG_NS + "Rumour"))


def source_kind_that_is_a_mode(ds: Dataset) -> None:
    _set(ds, C1, CG.sourceKind, CG.Hedged)


def start_after_end(ds: Dataset) -> None:
    _set(ds, POS1, OA.start, Literal(40))
    _set(ds, POS1, OA.end, Literal(30))


def start_equals_end(ds: Dataset) -> None:
    start = _doc_graph(ds).value(POS1, OA.start)
    assert isinstance(start, Literal)
    _set(ds, POS1, OA.end, Literal(start.toPython()))


def negative_start(ds: Dataset) -> None:
    _set(ds, POS1, OA.start, Literal(-1))


def string_offsets(ds: Dataset) -> None:
    _set(ds, POS1, OA.end, Literal("43"))


def group_without_descriptor(ds: Dataset) -> None:
    _doc_graph(ds).remove((entity_iri("officials"), CG.descriptor, None))


def quantity_without_value(ds: Dataset) -> None:
    _doc_graph(ds).remove((Q1, SCHEMA.value, None))


def quantity_with_value_and_range(ds: Dataset) -> None:
    _doc_graph(ds).add((Q1, SCHEMA.maxValue, Literal(300)))


def quantity_min_above_max(ds: Dataset) -> None:
    _set(ds, Q2, SCHEMA.minValue, Literal(500))


def quantity_without_unit(ds: Dataset) -> None:
    _doc_graph(ds).remove((Q2, SCHEMA.unitText, None))


def agent_without_label(ds: Dataset) -> None:
    _doc_graph(ds).remove((ANA, RDFS.label, None))


def claim_without_anchor(ds: Dataset) -> None:
    _doc_graph(ds).remove((anchor_iri(DOC, "c1"), OA.hasBody, None))


def claim_without_claimant(ds: Dataset) -> None:
    _doc_graph(ds).remove((C1, PROV.wasAttributedTo, None))


def qualified_attribution_to_someone_else(ds: Dataset) -> None:
    _set(ds, attribution_iri(DOC, "c1", "ana-ruiz"), PROV.agent, entity_iri("officials"))


def two_position_selectors(ds: Dataset) -> None:
    g = _doc_graph(ds)
    extra = BNode()
    g.add((TARGET1, OA.hasSelector, extra))
    g.add((extra, RDF.type, OA.TextPositionSelector))
    g.add((extra, OA.start, Literal(0)))
    g.add((extra, OA.end, Literal(3)))


def no_quote_selector(ds: Dataset) -> None:
    _doc_graph(ds).remove((TARGET1, OA.hasSelector, quote_selector_iri(DOC, "c1")))


def document_without_label(ds: Dataset) -> None:
    _doc_graph(ds).remove((document_iri("example-radio-interview"), RDFS.label, None))


def document_without_hash(ds: Dataset) -> None:
    _doc_graph(ds).remove((document_iri(DOC), CG.textSha256, None))


def entity_without_label(ds: Dataset) -> None:
    _doc_graph(ds).remove((entity_iri("patient-care"), RDFS.label, None))


def claimant_not_listed(ds: Dataset) -> None:
    """An id in `claimant:` that names no entity: only the objects-of target reaches it."""
    _set(ds, C1, PROV.wasAttributedTo, entity_iri("nobody-listed"))


def date_as_plain_string(ds: Dataset) -> None:
    _set(ds, C1, CG.date, Literal("1999"))


BROKEN: list[tuple[Callable[[Dataset], None], str]] = [
    (no_text, "exactly one non-empty text"),
    (two_source_kinds, "exactly one known source kind"),
    (unknown_mode, "exactly one known attribution mode"),
    (source_kind_that_is_a_mode, "exactly one known source kind"),
    (start_after_end, "before its end"),
    (start_equals_end, "before its end"),
    (negative_start, "at least 0"),
    (string_offsets, "one integer end"),
    (group_without_descriptor, "`descriptor:`"),
    (quantity_without_value, "either one `value:` or a range"),
    (quantity_with_value_and_range, "either one `value:` or a range"),
    (quantity_min_above_max, "not greater than its `max:`"),
    (quantity_without_unit, "exactly one unit"),
    (agent_without_label, "needs a human label"),
    (agent_without_label, "claimant has no label"),
    (claim_without_anchor, "anchored to the article text"),
    (claim_without_claimant, "must be attributed to a claimant"),
    (qualified_attribution_to_someone_else, "same agent as its claimant"),
    (two_position_selectors, "exactly one text position"),
    (no_quote_selector, "exactly one text quote"),
    (document_without_label, "Every document needs a human label"),
    (document_without_hash, "SHA-256"),
    (entity_without_label, "Every entity needs a human label"),
    (date_as_plain_string, "YYYY, YYYY-MM or YYYY-MM-DD"),
    (claimant_not_listed, "Every claimant, publisher and author needs a human label"),
]


@pytest.mark.parametrize(("breakage", "expected"), BROKEN, ids=[f"{f.__name__}" for f, _ in BROKEN])
def test_shacl_refuses_a_broken_dataset(breakage: Callable[[Dataset], None], expected: str) -> None:
    ds = valid_dataset()
    breakage(ds)
    conforms, messages = shacl_messages(ds)
    assert not conforms
    assert any(expected in m for m in messages), messages


def _stable(g: Graph, node: Node | None) -> str:
    """A term as text that does not depend on blank node labels (which differ per parse)."""
    if not isinstance(node, BNode):
        return str(node)
    if g.value(node, RDF.first) is not None:
        return "(" + " ".join(_stable(g, item) for item in Collection(g, node)) + ")"
    fields = sorted(f"{p} {_stable(g, o)}" for p, o in g.predicate_objects(node))
    return "[" + "; ".join(fields) + "]"


def _results(data: Graph, shapes_graph: Graph) -> tuple[bool, set[tuple[str, ...]]]:
    """Every result with all that an analyst or a tool could read from it."""
    conforms, report, _ = validate(
        data_graph=data, shacl_graph=shapes_graph, inference="none", advanced=True
    )
    fields = (SH.focusNode, SH.resultPath, SH.value, SH.resultMessage, SH.resultSeverity,
              SH.sourceConstraintComponent)
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        source = report.value(result, SH.sourceShape)
        found.add((
            *(_stable(report, report.value(result, field)) for field in fields),
            # the source shape by what it says (a targeted one also carries its targets)
            _stable(shapes_graph, shapes_graph.value(source, SH.path)),
            str(shapes_graph.value(source, SH.message)),
        ))
    return bool(conforms), found


@pytest.mark.parametrize(("breakage", "expected"), BROKEN, ids=[f"{f.__name__}" for f, _ in BROKEN])
def test_targeted_property_shapes_give_the_same_results(
    breakage: Callable[[Dataset], None], expected: str
) -> None:
    """The form every build runs (graph.validate.shape_targets) finds exactly what shapes.ttl
    finds."""
    from graph.validate.shape_targets import read_targeted_shapes

    ds = valid_dataset()
    breakage(ds)
    data = union(ds)
    as_written = _results(data, shapes())
    assert not as_written[0]
    assert any(expected in result[3] for result in as_written[1])
    assert _results(data, read_targeted_shapes()) == as_written


def test_facts_split_across_named_graphs_are_joined() -> None:
    """The shapes see the union: a label in another named graph still counts."""
    ds = valid_dataset()
    g = _doc_graph(ds)
    g.remove((ANA, RDFS.label, None))
    ds.graph(analyst_graph_iri(DOC)).add((ANA, RDFS.label, Literal("Ana Ruiz")))
    conforms, messages = shacl_messages(ds)
    assert conforms, messages


# --------------------------------------------------------------------------------------------
# The generated reference
# --------------------------------------------------------------------------------------------


def test_reference_is_in_step() -> None:
    module = make_reference()
    expected = module.render_reference(module.load_sources())
    assert REFERENCE_FILE.read_text(encoding="utf-8") == expected, (
        "docs/ontology.md is out of date: run python scripts/make_reference.py"
    )


def test_reference_is_deterministic_and_complete() -> None:
    module = make_reference()
    first = module.render_reference(module.load_sources())
    reparsed = Graph()
    for triple in module.load_sources():
        reparsed.add(triple)
    assert module.render_reference(reparsed) == first
    for name in CG_TERMS:
        assert f"### `cg:{name}`" in first, name
    for shape in shapes().subjects(RDF.type, SH.NodeShape):
        assert f"### `cgsh:{str(shape).rsplit('#', 1)[1]}`" in first


def test_reference_check_mode(tmp_path: Path) -> None:
    module = make_reference()
    stale = tmp_path / "ontology.md"
    stale.write_text("stale\n", encoding="utf-8")
    assert module.main(["--check", "--output", str(stale)]) == 1
    assert module.main(["--output", str(stale)]) == 0
    assert module.main(["--check", "--output", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == REFERENCE_FILE.read_text(encoding="utf-8")
