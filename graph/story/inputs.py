"""The documents and claims a story is computed from, taken from checked annotation records.

The analysis reads only these small records, so it does not depend on how a corpus was loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.model.records import Corpus, Quantity, claimant_labels

__all__ = ["StoryClaim", "StoryDoc", "story_inputs"]


@dataclass(frozen=True)
class StoryDoc:
    """A document of the corpus that has its text."""

    id: str
    title: str
    text: str
    date: str | None  # YYYY, YYYY-MM or YYYY-MM-DD as the analyst gave it
    publisher: str | None  # the publisher's label
    cites: frozenset[str]  # documents it names: cited documents and the sources of relayed claims
    path: Path | None = None

    @property
    def outlet(self) -> str:
        """The publisher's name, or the document id when the analyst gave none."""
        return self.publisher or self.id

    @property
    def order_key(self) -> tuple[str, str]:
        """Date order; an undated document sorts after every dated one."""
        return (self.date or "9999", self.id)


@dataclass(frozen=True)
class StoryClaim:
    """One claim in one document, with what the comparison needs of it."""

    key: str  # document#claim
    document: str
    id: str
    text: str
    start: int
    end: int
    claimants: tuple[str, ...]  # labels
    source_kind: str
    mode: str
    cues: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()
    entities: frozenset[str] = frozenset()  # ids of what it is about or mentions
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[str, ...] = ()
    relayed_from: tuple[str, ...] = ()
    cluster: str | None = None  # the analyst's decision, when the annotation file gives one


def story_inputs(corpus: Corpus) -> tuple[list[StoryDoc], list[StoryClaim]]:
    """The documents with text (in date order) and all their claims."""
    entities = corpus.entities
    docs: list[StoryDoc] = []
    claims: list[StoryClaim] = []
    for f in corpus.files:
        d = f.document
        if d.text is None:
            continue
        publisher = d.metadata.publisher
        cites = {c.id for c in f.cited_documents}
        cites |= {r.partition("#")[0] for c in f.claims for r in c.relayed_from}
        docs.append(
            StoryDoc(
                id=d.id,
                title=d.title,
                text=d.text,
                date=d.metadata.date_published,
                publisher=entities[publisher].label if publisher in entities else None,
                cites=frozenset(cites - {d.id}),
                path=f.path,
            )
        )
        for c in f.claims:
            claims.append(
                StoryClaim(
                    key=c.key,
                    document=c.document,
                    id=c.id,
                    text=c.text,
                    start=c.start,
                    end=c.end,
                    claimants=claimant_labels(c, corpus),
                    source_kind=c.source_kind,
                    mode=c.mode,
                    cues=c.cues,
                    hedges=c.hedges,
                    entities=frozenset(c.about) | frozenset(c.mentions),
                    quantities=c.quantities,
                    dates=c.dates,
                    relayed_from=c.relayed_from,
                    cluster=c.cluster,
                )
            )
    docs.sort(key=lambda d: d.order_key)
    return docs, claims
