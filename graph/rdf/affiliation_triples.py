"""Affiliations built into RDF: who speaks for, works for, belongs to or depends on whom.

A separate module from :mod:`graph.rdf.dataset` because an affiliation is built two ways (a claim
when the text states it, a described statement in the analyst graph when the analyst adds it).
"""

from __future__ import annotations

from rdflib import Dataset, Literal
from rdflib.graph import Graph

from graph.model.records import Affiliation, Entity
from graph.rdf.vocab import (
    AFFILIATION_RELATIONS,
    CG,
    DCTERMS,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    affiliation_iri,
    claim_graph_iri,
    claim_iri,
    document_iri,
    entity_iri,
)

__all__ = ["add_affiliations"]


def add_affiliations(
    ds: Dataset,
    g: Graph,
    analyst: Graph,
    affiliations: tuple[Affiliation, ...],
    entities: dict[str, Entity],
) -> None:
    """Who speaks for, or depends on, whom. The text's affiliation is a claim (built with the
    others): its content goes to its own claim graph only. The analyst's is described, not
    asserted (``rdf:subject``/``rdf:predicate``/``rdf:object``), in the analyst graph."""
    for affiliation in affiliations:
        doc = affiliation.document
        subject, obj = entity_iri(affiliation.subject), entity_iri(affiliation.object)
        predicate = AFFILIATION_RELATIONS[affiliation.relation]
        # Which entities it names, whatever its kind: a query follows these to the groups.
        parties = ((CG.affiliationParty, subject), (CG.affiliationParty, obj))
        if affiliation.claim is not None:
            node = claim_iri(doc, affiliation.claim)
            content = ds.graph(claim_graph_iri(doc, affiliation.claim))
            g.add((node, RDF.type, CG.AffiliationClaim))
            g.add((node, CG.assertionGraph, content.identifier))
            g.add((content.identifier, RDF.type, CG.AssertionGraph))
            content.add((subject, predicate, obj))
            for p, o in parties:
                g.add((node, p, o))
            continue
        node = affiliation_iri(doc, affiliation.id)
        relation = affiliation.relation.replace("-", " ")
        analyst.add((node, RDF.type, CG.Affiliation))
        analyst.add((node, RDFS.label, Literal(
            f"{entities[affiliation.subject].label} {relation} "
            f"{entities[affiliation.object].label} (the analyst's addition)")))
        analyst.add((node, DCTERMS.identifier, Literal(affiliation.id)))
        analyst.add((node, RDF.subject, subject))
        analyst.add((node, RDF.predicate, predicate))
        analyst.add((node, RDF.object, obj))
        analyst.add((node, SCHEMA.appearance, document_iri(doc)))
        for p, o in parties:
            analyst.add((node, p, o))
        if affiliation.note:
            analyst.add((node, SKOS.editorialNote, Literal(affiliation.note)))
