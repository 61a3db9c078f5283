"""What a draft is made of: frozen records with character offsets into the article text.

Every record that names text carries its offsets (Python ``str`` indices), so the writer can
check that each quoted span is really in the article before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.model.records import Quantity

__all__ = [
    "Article",
    "CitedDocument",
    "Draft",
    "DraftAffiliation",
    "DraftClaim",
    "DraftEntity",
]


@dataclass(frozen=True)
class Article:
    """A raw article to draft, with what the text itself does not say."""

    id: str
    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class DraftEntity:
    """A person, organization, place, group, work or topic the article names.

    ``names`` are surface forms exactly as written; a group's ``descriptor`` is its phrase.
    """

    id: str
    type: str
    label: str
    names: tuple[str, ...] = ()
    descriptor: str | None = None
    vague: bool = False
    description: str | None = None


@dataclass(frozen=True)
class CitedDocument:
    """A document the article relays ("the Daily Mail reported"), cited by ``cited_as``."""

    id: str
    title: str
    cited_as: str
    publisher: str | None = None
    type: str = "news-article"


@dataclass(frozen=True)
class DraftClaim:
    """One drafted claim: ``article.text[start:end]``, its claimant(s), kind, mode and cues.

    A claim that comes from a document has ``source_document`` and no claimant unless the text
    names who wrote the document.

    ``confidence`` (0–1) says how sure the rules are of the attribution; ``why`` says which rule
    made the claim, for the reviewer.
    """

    start: int
    end: int
    text: str
    claimants: tuple[str, ...]
    source_kind: str
    mode: str
    confidence: float
    why: str
    cues: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    relayed_from: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[str, ...] = ()
    denies: tuple[int, ...] = ()  # indices into Draft.claims
    speaker_resolved: bool = True
    # the cited document the claim comes from ("according to a leaked estimate"); its
    # ``claimants`` are then empty unless the text names the document's author
    source_document: str | None = None


@dataclass(frozen=True)
class DraftAffiliation:
    """One affiliation the text states ("a spokesperson for X", "X's office", "an official at
    X", "a researcher at X"): ``article.text[start:end]`` says ``subject relation object``
    (entity ids; ``relation`` a word of :data:`graph.model.words.AFFILIATION_RELATIONS`)."""

    start: int
    end: int
    text: str
    subject: str
    relation: str
    object: str
    why: str
    confidence: float = 0.5


@dataclass(frozen=True)
class Draft:
    """The draft annotation of one article; :func:`graph.draft.render_draft` writes it."""

    article: Article
    publisher: str
    extractor: str
    entities: tuple[DraftEntity, ...]
    claims: tuple[DraftClaim, ...]
    cited_documents: tuple[CitedDocument, ...] = ()
    furniture: tuple[str, ...] = ()
    title: str = ""  # the given title, else the headline line, else the article's id
    affiliations: tuple[DraftAffiliation, ...] = ()  # stated in the text, the outlet's voice

    @property
    def unattributed_quotes(self) -> int:
        """Direct quotes whose speaker the rules could not name."""
        return sum(1 for c in self.claims if c.mode == "direct-quote" and not c.speaker_resolved)
