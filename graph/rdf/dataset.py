"""Annotation records → an rdflib ``Dataset`` with named graphs.

Graph layout (every IRI minted by :mod:`graph.rdf.vocab`):

* ``id:graph/{doc}`` — the document, the documents it cites, its entities, claims and anchors;
* ``id:graph/{doc}/analyst`` — what an analyst added that the text does not say (publisher, URL,
  date, notes), so it is never mistaken for the article's own words;
* ``id:graph/{doc}/claim/{claim}`` — what one claim asserts, and nothing else; a query over the
  document graphs cannot mistake an allegation for a finding;
* the ontology IRI — the ontology itself, so a store holds the labels of every term.

The default graph stays empty.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import Graph

from graph.model.records import (
    AnnotationFile,
    Claim,
    Corpus,
    Document,
    Entity,
    Quantity,
    claimant_labels,
    iter_claim_links,
    unnamed_authors_label,
)
from graph.rdf.affiliation_triples import add_affiliations
from graph.rdf.ontology_files import read_ontology
from graph.rdf.vocab import (
    CG,
    DCTERMS,
    ENTITY_TYPES,
    MODES,
    OA,
    ONTOLOGY_GRAPH,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    RELATIONS,
    SCHEMA,
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
    drafting_iri,
    entity_iri,
    extractor_iri,
    position_selector_iri,
    quantity_iri,
    quote_selector_iri,
    target_iri,
    unnamed_authors_iri,
)
from graph.support.gc_pause import without_gc
from graph.support.progress import progress

__all__ = [
    "DOCUMENT_CLASSES",
    "MODE_VERBS",
    "build_dataset",
    "claim_label",
    "date_literal",
    "new_dataset",
]

DOCUMENT_CLASSES = {
    "news-article": SCHEMA.NewsArticle,
    "report": SCHEMA.Report,
    "interview": SCHEMA.NewsArticle,
    "statement": SCHEMA.CreativeWork,
    "web-page": SCHEMA.WebPage,
}

# Neutral verbs: a label never says a claim is true.
MODE_VERBS = {
    "direct-quote": "says",
    "reported-speech": "states",
    "author-assertion": "states",
    "hedged": "reports hearing",
    "denial": "denies",
    "inference": "infers",
}


def new_dataset() -> Dataset:
    """An empty dataset with claimgraph's prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


@without_gc
def build_dataset(corpus: Corpus, *, include_ontology: bool = True,
                  only: Collection[str] | None = None) -> Dataset:
    """Build the RDF dataset of a checked corpus. Deterministic: same input, same triples.

    ``only``: the ids of the documents whose graphs to build (each document's graphs are
    self-contained, so they are the same as in the dataset of the whole corpus); by default all.
    """
    ds = new_dataset()
    if include_ontology:
        ontology = ds.graph(ONTOLOGY_GRAPH)
        for triple in read_ontology():
            ontology.add(triple)
    documents = corpus.documents
    files = [f for f in corpus.files if only is None or f.document.id in only]
    for f in progress(files, len(files), "building the graph"):
        doc = f.document
        g = ds.graph(document_graph_iri(doc.id))
        analyst = ds.graph(analyst_graph_iri(doc.id))
        _add_document(g, analyst, doc, cited_by=None)
        for cited in f.cited_documents:
            _add_document(g, analyst, documents.get(cited.id, cited), cited_by=doc, cited=cited)
        # A document of the corpus that claims relay without listing it is still cited: naming
        # it here keeps each document's graphs self-contained (validated, loaded, replaced alone).
        listed = {c.id for c in f.cited_documents}
        for relayed in sorted(_relayed_documents(f) - listed):
            _add_document(g, analyst, documents[relayed], cited_by=doc)
        if doc.drafted_by is not None:
            _add_drafting(g, doc, doc.drafted_by)
        for entity in f.entities:
            _add_entity(g, analyst, entity)
        for claim in f.claims:
            _add_claim(ds, g, analyst, claim, corpus)
        add_affiliations(ds, g, analyst, f.affiliations, corpus.entities)
        if len(analyst):
            g.add((document_iri(doc.id), CG.analystGraph, analyst.identifier))
            g.add((analyst.identifier, RDF.type, CG.AnalystGraph))
            g.add((analyst.identifier, RDFS.label, Literal(f"Analyst's additions: {doc.title}")))
    return ds


def _relayed_documents(f: AnnotationFile) -> set[str]:
    """The documents a file's claims are relayed through or sourced to."""
    relayed = {ref.partition("#")[0] for claim in f.claims for ref in claim.relayed_from}
    return relayed | {c.source_document for c in f.claims if c.source_document is not None}


def _add_document(
    g: Graph,
    analyst: Graph,
    doc: Document,
    *,
    cited_by: Document | None,
    cited: Document | None = None,
) -> None:
    node = document_iri(doc.id)
    g.add((node, RDF.type, DOCUMENT_CLASSES[doc.type]))
    g.add((node, RDF.type, PROV.Entity))
    g.add((node, RDFS.label, Literal(doc.title)))
    g.add((node, SCHEMA.headline, Literal(doc.title)))
    g.add((node, DCTERMS.identifier, Literal(doc.id)))
    if cited_by is not None:
        g.add((document_iri(cited_by.id), SCHEMA.citation, node))
        if cited is not None and cited.cited_as:
            g.add((node, CG.citedAs, Literal(cited.cited_as)))
        if doc.text is not None:
            return  # a document of the corpus: its own file describes it in full
    if doc.text is not None:
        g.add((node, SCHEMA.text, Literal(doc.text)))
        g.add((node, CG.textSha256, Literal(doc.sha256)))
    for item in doc.furniture:
        g.add((node, CG.furniture, Literal(item)))
    meta = doc.metadata
    if meta.publisher:
        analyst.add((node, SCHEMA.publisher, entity_iri(meta.publisher)))
    if meta.author:
        analyst.add((node, SCHEMA.author, entity_iri(meta.author)))
    if meta.url:
        analyst.add((node, SCHEMA.url, Literal(meta.url, datatype=XSD.anyURI)))
    if meta.date_published:
        analyst.add((node, SCHEMA.datePublished, date_literal(meta.date_published)))
    if meta.note:
        analyst.add((node, SKOS.editorialNote, Literal(meta.note)))


def _add_drafting(g: Graph, doc: Document, drafted_by: str) -> None:
    """Who drafted the document's claims: an extractor (a prov:SoftwareAgent), not an analyst."""
    activity, agent = drafting_iri(doc.id), extractor_iri(drafted_by)
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"Drafting of the claims of “{doc.title}”")))
    g.add((activity, PROV.used, document_iri(doc.id)))
    g.add((activity, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDF.type, PROV.Agent))
    g.add((agent, RDFS.label, Literal(drafted_by)))


def date_literal(value: str) -> Literal:
    """``1980`` → xsd:gYear, ``2021-10`` → xsd:gYearMonth, ``2021-10-24`` → xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


def _add_entity(g: Graph, analyst: Graph, entity: Entity) -> None:
    node = entity_iri(entity.id)
    for cls in ENTITY_TYPES[entity.type]:
        g.add((node, RDF.type, cls))
    g.add((node, RDFS.label, Literal(entity.label)))
    g.add((node, SCHEMA.name, Literal(entity.label)))
    g.add((node, DCTERMS.identifier, Literal(entity.id)))
    for name in entity.names:
        if name != entity.label:
            g.add((node, SCHEMA.alternateName, Literal(name)))
    if entity.descriptor:
        g.add((node, CG.descriptor, Literal(entity.descriptor)))
    if entity.vague:
        g.add((node, CG.isVague, Literal(True)))
    if entity.description:
        g.add((node, SCHEMA.description, Literal(entity.description)))
    for iri in entity.same_as:
        g.add((node, SCHEMA.sameAs, URIRef(iri)))
    if entity.note:
        analyst.add((node, SKOS.editorialNote, Literal(entity.note)))


def claim_label(claim: Claim, claimant_label: str, width: int = 80) -> str:
    """A neutral label: who, a neutral verb, and the claim's opening words."""
    text = " ".join(claim.text.split())
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return f"{claimant_label} {MODE_VERBS[claim.mode]}: “{text}”"


def _add_claim(
    ds: Dataset,
    g: Graph,
    analyst: Graph,
    claim: Claim,
    corpus: Corpus,
) -> None:
    doc, cid = claim.document, claim.id
    node = claim_iri(doc, cid)
    doc_node = document_iri(doc)
    g.add((node, RDF.type, SCHEMA.Claim))
    g.add((node, RDF.type, PROV.Entity))
    who = " and ".join(claimant_labels(claim, corpus))
    label = claim_label(claim, who)
    g.add((node, RDFS.label, Literal(f"Draft: {label}" if claim.status == "draft" else label)))
    g.add((node, SCHEMA.text, Literal(claim.text)))
    g.add((node, DCTERMS.identifier, Literal(cid)))
    g.add((node, SCHEMA.appearance, doc_node))
    g.add((node, CG.sourceKind, SOURCE_KINDS[claim.source_kind]))
    if claim.status == "draft":  # an extractor's reading until an analyst reviews it
        g.add((node, RDF.type, CG.DraftClaim))
        g.add((node, PROV.wasGeneratedBy, drafting_iri(doc)))
        if claim.confidence is not None:
            g.add((node, CG.confidence, Literal(Decimal(repr(claim.confidence)))))
    g.add((node, CG.attributionMode, MODES[claim.mode]))

    agents = [(c, entity_iri(c)) for c in claim.claimants]
    if claim.source_document is not None:
        agents = agents or [_add_unnamed_authors(g, corpus.documents[claim.source_document])]
        g.add((node, PROV.wasDerivedFrom, document_iri(claim.source_document)))
        g.add((node, PROV.hadPrimarySource, document_iri(claim.source_document)))
    for key, agent in agents:
        attribution = attribution_iri(doc, cid, key)
        g.add((node, PROV.wasAttributedTo, agent))
        g.add((node, PROV.qualifiedAttribution, attribution))
        g.add((attribution, RDF.type, PROV.Attribution))
        g.add((attribution, PROV.agent, agent))
        for cue in claim.cues:
            g.add((attribution, CG.cue, Literal(cue)))
    for hedge in claim.hedges:
        g.add((node, CG.hedge, Literal(hedge)))
    for about in claim.about:
        g.add((node, SCHEMA.about, entity_iri(about)))
    for mention in claim.mentions:
        g.add((node, SCHEMA.mentions, entity_iri(mention)))
    # Entities named in the claim's content are mentioned by it too: this is also the index that
    # lets a query find an entity's claimed relations without scanning every assertion graph.
    named = {e for rel in claim.relations for e in (rel.subject, rel.object)}
    for entity in sorted(named - set(claim.about) - set(claim.mentions)):
        g.add((node, SCHEMA.mentions, entity_iri(entity)))

    for source in claim.relayed_from:
        source_doc, _, source_claim = source.partition("#")
        g.add((node, PROV.wasDerivedFrom, document_iri(source_doc)))
        if source_claim:
            g.add((node, PROV.wasDerivedFrom, claim_iri(source_doc, source_claim)))
        if claim.mode == "direct-quote":
            g.add((node, PROV.wasQuotedFrom, document_iri(source_doc)))

    for index, quantity in enumerate(claim.quantities, start=1):
        q = quantity_iri(doc, cid, index)
        g.add((node, CG.quantity, q))
        _add_quantity(g, q, quantity)
    for date in claim.dates:
        g.add((node, CG.date, date_literal(date)))

    for relation, target_key in iter_claim_links(claim):
        target_doc, _, target_claim = target_key.partition("#")
        predicate = {
            "supports": CG.supports,
            "contradicts": CG.contradicts,
            "denies": CG.denies,
            "inferred_from": CG.inferredFrom,
            "part_of": CG.partOf,
        }[relation]
        g.add((node, predicate, claim_iri(target_doc, target_claim)))

    if claim.relations:
        content = ds.graph(claim_graph_iri(doc, cid))
        g.add((node, CG.assertionGraph, content.identifier))
        g.add((content.identifier, RDF.type, CG.AssertionGraph))
        for rel in claim.relations:
            predicate = URIRef(rel.iri) if rel.iri else RELATIONS[rel.predicate]
            content.add((entity_iri(rel.subject), predicate, entity_iri(rel.object)))

    if claim.note:
        analyst.add((node, SKOS.editorialNote, Literal(claim.note)))

    _add_anchor(g, claim, doc_node)


def _add_unnamed_authors(g: Graph, source: Document) -> tuple[str, URIRef]:
    """Whoever wrote a document the text cites without naming its author: an agent exactly as
    vague as the text, so a claim from "a leaked estimate" needs no invented claimant."""
    agent = unnamed_authors_iri(source.id)
    g.add((agent, RDF.type, PROV.Agent))
    g.add((agent, RDFS.label, Literal(unnamed_authors_label(source))))
    g.add((agent, CG.isVague, Literal(True)))
    g.add((document_iri(source.id), SCHEMA.author, agent))
    return f"{source.id}.authors", agent


def _number(value: float) -> Literal:
    if value.is_integer():
        return Literal(int(value))
    return Literal(Decimal(repr(value)))


def _add_quantity(g: Graph, q: URIRef | BNode, quantity: Quantity) -> None:
    g.add((q, RDF.type, SCHEMA.QuantitativeValue))
    if quantity.value is not None:
        g.add((q, SCHEMA.value, _number(quantity.value)))
    if quantity.minimum is not None:
        g.add((q, SCHEMA.minValue, _number(quantity.minimum)))
    if quantity.maximum is not None:
        g.add((q, SCHEMA.maxValue, _number(quantity.maximum)))
    unit = quantity.unit if quantity.per is None else f"{quantity.unit} per {quantity.per}"
    g.add((q, SCHEMA.unitText, Literal(unit)))
    if quantity.per is not None:
        g.add((q, CG.rateUnit, Literal(quantity.per)))
    if quantity.approximate:
        g.add((q, CG.approximate, Literal(True)))
    if quantity.text is not None:
        g.add((q, CG.phrase, Literal(quantity.text)))


def _add_anchor(g: Graph, claim: Claim, doc_node: URIRef) -> None:
    doc, cid = claim.document, claim.id
    anchor, target = anchor_iri(doc, cid), target_iri(doc, cid)
    position, quote = position_selector_iri(doc, cid), quote_selector_iri(doc, cid)
    g.add((anchor, RDF.type, OA.Annotation))
    g.add((anchor, OA.hasBody, claim_iri(doc, cid)))
    g.add((anchor, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, doc_node))
    g.add((target, OA.hasSelector, position))
    g.add((target, OA.hasSelector, quote))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(claim.start)))
    g.add((position, OA.end, Literal(claim.end)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(claim.text)))
    g.add((quote, OA.prefix, Literal(claim.prefix)))
    g.add((quote, OA.suffix, Literal(claim.suffix)))
