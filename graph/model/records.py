"""The records an annotation file becomes: frozen, checked when built, free of YAML and RDF.

Loading (:mod:`graph.model.annotations`) builds them; the RDF build and the reports read them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

__all__ = [
    "CLAIM_LINKS",
    "Affiliation",
    "AnnotationFile",
    "Claim",
    "Corpus",
    "Document",
    "DocumentMetadata",
    "Entity",
    "Quantity",
    "Relation",
    "claimant_labels",
    "iter_claim_links",
    "resolve_claim_ref",
    "unnamed_authors_label",
]

# Claim-to-claim link fields of an annotation file, in the order the format lists them.
CLAIM_LINKS = ("supports", "contradicts", "denies", "inferred_from", "part_of")


@dataclass(frozen=True)
class Quantity:
    """A number a claim states: an exact ``value`` or a ``minimum``–``maximum`` range."""

    unit: str
    value: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    per: str | None = None
    approximate: bool = False
    text: str | None = None


@dataclass(frozen=True)
class Relation:
    """A relation between two entities that a claim asserts (never a fact of the graph).

    ``predicate`` is the word as written (``schema:alumniOf``, ``foaf:knows``); ``iri`` is its
    full IRI, resolved with the file's ``prefixes``.
    """

    subject: str
    predicate: str
    object: str
    iri: str = ""


@dataclass(frozen=True)
class Claim:
    """One claim as it appears in one document, anchored at ``text[start:end]``."""

    id: str
    document: str
    text: str
    start: int
    end: int
    prefix: str
    suffix: str
    claimants: tuple[str, ...]
    source_kind: str
    mode: str
    line: int
    cues: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    relayed_from: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    supports: tuple[str, ...] = ()
    contradicts: tuple[str, ...] = ()
    denies: tuple[str, ...] = ()
    inferred_from: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    note: str | None = None
    cluster: str | None = None  # the analyst's alignment across documents (graph.story)
    status: str = "reviewed"  # "draft": written by an extractor, not yet read by an analyst
    confidence: float | None = None  # the extractor's own confidence in a draft, 0 to 1
    # ``source: {kind: document, document: …}``: the document the claim comes from. With no
    # claimant, the claim is attributed to that document's unnamed author(s).
    source_document: str | None = None

    @property
    def claimant(self) -> str:
        """The first claimant (most claims have exactly one); ``""`` for a claim sourced to a
        document whose author the text does not name."""
        return self.claimants[0] if self.claimants else ""

    @property
    def key(self) -> str:
        """``document#claim``: the claim's corpus-wide id."""
        return f"{self.document}#{self.id}"


@dataclass(frozen=True)
class Entity:
    """A person, organisation, group, place, work, award, event or topic."""

    id: str
    type: str
    label: str
    names: tuple[str, ...] = ()
    descriptor: str | None = None
    vague: bool = False
    description: str | None = None
    same_as: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class DocumentMetadata:
    """What an analyst added about a document that its text does not say."""

    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    date_published: str | None = None
    note: str | None = None

    def is_empty(self) -> bool:
        return not any((self.publisher, self.author, self.url, self.date_published, self.note))


@dataclass(frozen=True)
class Document:
    """A document: with ``text`` when it is in the corpus, without when it is only cited."""

    id: str
    title: str
    type: str = "news-article"
    text: str | None = None
    sha256: str | None = None
    metadata: DocumentMetadata = field(default_factory=DocumentMetadata)
    furniture: tuple[str, ...] = ()
    cited_as: str | None = None
    drafted_by: str | None = None  # the extractor (name and version) that drafted its claims


@dataclass(frozen=True)
class Affiliation:
    """One entity speaking for, working for, belonging to or depending on another.

    ``relation`` is a word of :data:`graph.model.words.AFFILIATION_RELATIONS`, read as
    ``subject relation object`` ("mayors-office spokesperson-for mayor"). ``origin`` says where
    it comes from: ``"text"`` — the article states it, and it is built as the claim ``claim``
    (the id of a record in the file's ``claims``, anchored and attributed like any claim) — or
    ``"analyst"`` — the analyst adds it, with ``note`` saying why.
    """

    id: str
    document: str
    subject: str
    relation: str
    object: str
    origin: str
    line: int
    claim: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class AnnotationFile:
    """One annotation file: its document, the documents it cites, entities and claims."""

    path: Path
    document: Document
    cited_documents: tuple[Document, ...]
    entities: tuple[Entity, ...]
    claims: tuple[Claim, ...]  # a stated affiliation's claim included, after the file's claims
    affiliations: tuple[Affiliation, ...] = ()


@dataclass(frozen=True)
class Corpus:
    """Annotation files checked together: cross-document references all resolve."""

    files: tuple[AnnotationFile, ...]

    # Derived once per corpus (the report asks for them once per claim); treat them as read-only.
    @cached_property
    def documents(self) -> dict[str, Document]:
        """Every document by id; a document with text wins over a cited stub of it."""
        found: dict[str, Document] = {}
        for f in self.files:
            for cited in f.cited_documents:
                found.setdefault(cited.id, cited)
        for f in self.files:
            found[f.document.id] = f.document
        return found

    @cached_property
    def entities(self) -> dict[str, Entity]:
        found: dict[str, Entity] = {}
        for f in self.files:
            for e in f.entities:
                found.setdefault(e.id, e)
        return found

    @cached_property
    def claims(self) -> dict[str, Claim]:
        """Every claim by its ``document#claim`` key."""
        return {c.key: c for f in self.files for c in f.claims}

    @cached_property
    def affiliations(self) -> tuple[Affiliation, ...]:
        """Every affiliation of every file, in file order."""
        return tuple(a for f in self.files for a in f.affiliations)


def resolve_claim_ref(claim: Claim, ref: str) -> str:
    """``c2`` in the claim's own document, or ``doc#c2``, as a corpus-wide key."""
    return ref if "#" in ref else f"{claim.document}#{ref}"


def iter_claim_links(claim: Claim) -> Iterator[tuple[str, str]]:
    """(relation, target key) for each claim-to-claim link of a claim."""
    for key in CLAIM_LINKS:
        for ref in getattr(claim, key):
            yield key, resolve_claim_ref(claim, ref)


def unnamed_authors_label(document: Document) -> str:
    """The label of whoever wrote a document the text cites without naming its author.

    >>> unnamed_authors_label(Document("leak", "Leaked estimate"))
    'the unnamed author(s) of “Leaked estimate”'
    """
    return f"the unnamed author(s) of “{document.title}”"


def claimant_labels(claim: Claim, corpus: Corpus) -> tuple[str, ...]:
    """Who a claim is attributed to, by label: its claimants, or the unnamed author(s) of the
    document it is sourced to when the text names none."""
    if claim.claimants or claim.source_document is None:
        return tuple(corpus.entities[e].label for e in claim.claimants)
    return (unnamed_authors_label(corpus.documents[claim.source_document]),)
