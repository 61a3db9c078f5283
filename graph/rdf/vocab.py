"""Namespaces, the closed claimgraph vocabulary, and IRI minting. Nothing else.

Every IRI is a pure function of ids an analyst wrote, so building twice gives identical files
and the same entity id in two annotation files is the same node.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

from graph.model.words import is_valid_id

__all__ = [
    "AFFILIATION_RELATIONS",
    "CG",
    "CLAIM_GRAPH_PATTERN",
    "DCTERMS",
    "ENTITY_TYPES",
    "ID",
    "MODES",
    "OA",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RELATIONS",
    "SCHEMA",
    "SH",
    "SKOS",
    "SOURCE_KINDS",
    "XSD",
    "affiliation_iri",
    "analyst_graph_iri",
    "anchor_iri",
    "attribution_iri",
    "claim_graph_iri",
    "claim_iri",
    "document_graph_iri",
    "document_iri",
    "drafting_iri",
    "entity_iri",
    "extractor_iri",
    "is_claim_graph_iri",
    "is_valid_id",
    "position_selector_iri",
    "quantity_iri",
    "quote_selector_iri",
    "target_iri",
    "unnamed_authors_iri",
]

SCHEMA: Final = Namespace("https://schema.org/")
OA: Final = Namespace("http://www.w3.org/ns/oa#")
ONTOLOGY_IRI: Final = URIRef("https://w3id.org/claimgraph/ontology")
ONTOLOGY_GRAPH: Final = ONTOLOGY_IRI
ID: Final = Namespace("https://w3id.org/claimgraph/id/")


class CG(DefinedNamespace):
    """The claimgraph ontology: only what schema.org, PROV-O and Web Annotation do not have.

    Closed: a misspelt term raises ``AttributeError`` instead of minting a new IRI.
    """

    _NS = Namespace("https://w3id.org/claimgraph/ontology#")
    _fail = True

    # classes
    Group: URIRef  # a collective that is not an organisation ("Chinese surgeons")
    Topic: URIRef  # a subject of claims whose existence the graph does not assert
    Award: URIRef  # an honour or award
    SourceKind: URIRef
    AttributionMode: URIRef
    AssertionGraph: URIRef  # a claim's own named graph of content triples
    AnalystGraph: URIRef  # a named graph of what an analyst added, not the text
    DraftClaim: URIRef  # a claim an extractor wrote and no analyst has reviewed yet
    AffiliationClaim: URIRef  # a claim that one agent speaks for or depends on another
    Affiliation: URIRef  # an affiliation an analyst records (reified, with a note)
    # concept schemes
    sourceKinds: URIRef
    attributionModes: URIRef
    # source kinds
    NamedPerson: URIRef
    NamedOrganization: URIRef
    DocumentSource: URIRef
    VagueCollective: URIRef
    Anonymous: URIRef
    AuthorVoice: URIRef
    OfficialStatement: URIRef
    # attribution modes
    DirectQuote: URIRef
    ReportedSpeech: URIRef
    AuthorAssertion: URIRef
    Hedged: URIRef
    Denial: URIRef
    Inference: URIRef
    # claim properties
    sourceKind: URIRef
    attributionMode: URIRef
    cue: URIRef
    hedge: URIRef
    assertionGraph: URIRef
    contentStatement: URIRef  # flat exports: one triple of the claim's graph, reified
    confidence: URIRef  # a drafted claim: the extractor's confidence in its reading, 0 to 1
    quantity: URIRef
    date: URIRef
    # claim-to-claim relations
    supports: URIRef
    contradicts: URIRef
    denies: URIRef
    inferredFrom: URIRef
    partOf: URIRef
    # documents
    textSha256: URIRef
    analystGraph: URIRef
    furniture: URIRef
    citedAs: URIRef
    # agents and groups
    descriptor: URIRef
    isVague: URIRef
    # results of path analysis (written to their own named graph)
    independentRootCount: URIRef
    # quantities
    rateUnit: URIRef
    phrase: URIRef
    approximate: URIRef
    # relations a claim may assert between entities (content of an assertion graph)
    performed: URIRef
    trained: URIRef
    refusedToTrain: URIRef
    accuses: URIRef
    persecutes: URIRef
    harvestsOrgansFrom: URIRef
    participatesIn: URIRef
    supervises: URIRef
    coversUp: URIRef
    victimOf: URIRef
    depicts: URIRef
    # affiliations (graph.analysis.groups): who speaks for, or depends on, whom
    spokespersonFor: URIRef
    ownedBy: URIRef
    republishes: URIRef
    affiliationParty: URIRef  # an entity an affiliation (claim or the analyst's) names
    # one story across documents (graph.story), in the named graph id:graph/_story; these
    # describe texts and how they relate, never whether a claim is true
    StoryGraph: URIRef  # the named graph of claim clusters, copies and drift
    ClaimCluster: URIRef  # claims in different documents that report the same thing
    ClusterMembership: URIRef  # one claim's place in a cluster, with its score and method
    TextReuse: URIRef  # a prov:Derivation found by shared passages, not stated by the text
    CopiedPassage: URIRef
    Drift: URIRef  # one change between two versions of a claim
    member: URIRef
    memberClaim: URIRef
    alignmentScore: URIRef
    alignmentMethod: URIRef
    analystConfirmed: URIRef
    copiedFrom: URIRef  # shared text, as found: distinct from a citation or prov:wasDerivedFrom
    namesSource: URIRef
    directionKnown: URIRef
    passage: URIRef
    copyStart: URIRef
    copyEnd: URIRef
    sourceStart: URIRef
    sourceEnd: URIRef
    wordCount: URIRef
    driftKind: URIRef
    driftChange: URIRef
    inCluster: URIRef
    earlierClaim: URIRef
    laterClaim: URIRef
    earlierReading: URIRef
    laterReading: URIRef


SOURCE_KINDS: Final[dict[str, URIRef]] = {
    "named-person": CG.NamedPerson,
    "named-organization": CG.NamedOrganization,
    "document": CG.DocumentSource,
    "vague-collective": CG.VagueCollective,
    "anonymous": CG.Anonymous,
    "author-voice": CG.AuthorVoice,
    "official-statement": CG.OfficialStatement,
}

MODES: Final[dict[str, URIRef]] = {
    "direct-quote": CG.DirectQuote,
    "reported-speech": CG.ReportedSpeech,
    "author-assertion": CG.AuthorAssertion,
    "hedged": CG.Hedged,
    "denial": CG.Denial,
    "inference": CG.Inference,
}

# Entity type in an annotation file -> the RDF classes its node gets.
ENTITY_TYPES: Final[dict[str, tuple[URIRef, ...]]] = {
    "person": (SCHEMA.Person, PROV.Agent),
    "organization": (SCHEMA.Organization, PROV.Agent),
    "group": (CG.Group, PROV.Agent),
    "place": (SCHEMA.Place,),
    "creative-work": (SCHEMA.CreativeWork,),
    "award": (CG.Award,),
    "event": (SCHEMA.Event,),
    "topic": (CG.Topic,),
}

# Relation names an annotation file may use in a claim's `relations`, and their predicates.
RELATIONS: Final[dict[str, URIRef]] = {
    "schema:award": SCHEMA.award,
    "schema:founder": SCHEMA.founder,
    "schema:location": SCHEMA.location,
    "schema:containedInPlace": SCHEMA.containedInPlace,
    "schema:nationality": SCHEMA.nationality,
    "schema:memberOf": SCHEMA.memberOf,
    "schema:affiliation": SCHEMA.affiliation,
    "schema:worksFor": SCHEMA.worksFor,
    "schema:funder": SCHEMA.funder,
    "schema:productionCompany": SCHEMA.productionCompany,
    "schema:knows": SCHEMA.knows,
    "cg:performed": CG.performed,
    "cg:trained": CG.trained,
    "cg:refusedToTrain": CG.refusedToTrain,
    "cg:accuses": CG.accuses,
    "cg:persecutes": CG.persecutes,
    "cg:harvestsOrgansFrom": CG.harvestsOrgansFrom,
    "cg:participatesIn": CG.participatesIn,
    "cg:supervises": CG.supervises,
    "cg:coversUp": CG.coversUp,
    "cg:victimOf": CG.victimOf,
    "cg:depicts": CG.depicts,
}

# Affiliation words of an annotation file (graph.model.words) and the predicates they are built as.
AFFILIATION_RELATIONS: Final[dict[str, URIRef]] = {
    "spokesperson-for": CG.spokespersonFor,
    "employee-of": SCHEMA.worksFor,
    "member-of": SCHEMA.memberOf,
    "part-of": SCHEMA.parentOrganization,
    "owned-by": CG.ownedBy,
    "funded-by": SCHEMA.funder,
    "republishes": CG.republishes,
}

PREFIXES: Final[dict[str, str]] = {
    "cg": str(CG._NS),
    "id": str(ID),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "oa": str(OA),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "dcterms": str(DCTERMS),
    "sh": str(SH),
}

def _mint(*parts: str) -> URIRef:
    return URIRef(str(ID) + "/".join(quote(p, safe="") for p in parts))


def document_iri(doc: str) -> URIRef:
    """The document node.

    >>> str(document_iri("thebl"))
    'https://w3id.org/claimgraph/id/doc/thebl'
    """
    return _mint("doc", doc)


def entity_iri(entity: str) -> URIRef:
    """A person, organisation, group, place, work, award, event or topic (corpus-wide id)."""
    return _mint("entity", entity)


def claim_iri(doc: str, claim: str) -> URIRef:
    """One claim as it appears in one document."""
    return _mint("claim", doc, claim)


def anchor_iri(doc: str, claim: str) -> URIRef:
    """The oa:Annotation anchoring a claim to its text."""
    return _mint("claim", doc, claim, "anchor")


def target_iri(doc: str, claim: str) -> URIRef:
    return _mint("claim", doc, claim, "target")


def position_selector_iri(doc: str, claim: str) -> URIRef:
    return _mint("claim", doc, claim, "position")


def quote_selector_iri(doc: str, claim: str) -> URIRef:
    return _mint("claim", doc, claim, "quote")


def attribution_iri(doc: str, claim: str, agent: str) -> URIRef:
    """The prov:Attribution of a claim to one of its claimants, carrying the cue phrase."""
    return _mint("claim", doc, claim, "attribution", agent)


def unnamed_authors_iri(doc: str) -> URIRef:
    """The agent a claim sourced to a document is attributed to when the text names no author:
    whoever wrote that document, as vague as the text leaves it.

    >>> str(unnamed_authors_iri("leaked-estimate"))
    'https://w3id.org/claimgraph/id/doc/leaked-estimate/authors'
    """
    return _mint("doc", doc, "authors")


def quantity_iri(doc: str, claim: str, index: int) -> URIRef:
    return _mint("claim", doc, claim, "quantity", str(index))


def drafting_iri(doc: str) -> URIRef:
    """The prov:Activity of an extractor drafting a document's claims."""
    return _mint("doc", doc, "drafting")


def extractor_iri(drafted_by: str) -> URIRef:
    """The prov:SoftwareAgent named by an annotation file's ``drafted_by`` (name and version)."""
    return _mint("extractor", drafted_by)


def affiliation_iri(doc: str, affiliation: str) -> URIRef:
    """An affiliation the analyst records for a document (a stated one is a claim)."""
    return _mint("affiliation", doc, affiliation)


def document_graph_iri(doc: str) -> URIRef:
    """The named graph holding a document, its claims, anchors and entities."""
    return _mint("graph", doc)


def analyst_graph_iri(doc: str) -> URIRef:
    """The named graph holding what an analyst added about a document (not in its text)."""
    return _mint("graph", doc, "analyst")


def claim_graph_iri(doc: str, claim: str) -> URIRef:
    """The named graph holding what one claim asserts (its content triples)."""
    return _mint("graph", doc, "claim", claim)


CLAIM_GRAPH_PATTERN: Final = re.escape(str(ID)) + r"graph/[^/]+/claim/[^/]+"
"""A regular expression matching the whole IRI of a claim's graph (see :func:`claim_graph_iri`)."""
_CLAIM_GRAPH: Final = re.compile(CLAIM_GRAPH_PATTERN)


def is_claim_graph_iri(iri: str) -> bool:
    """Whether ``iri`` names a claim's own graph (as :func:`claim_graph_iri` mints them).

    >>> is_claim_graph_iri(str(claim_graph_iri("thebl", "c1"))), is_claim_graph_iri(
    ...     str(document_graph_iri("thebl")))
    (True, False)
    """
    return bool(_CLAIM_GRAPH.fullmatch(iri))
