"""Records as pandas DataFrames, for notebooks; pandas is imported only when needed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.model.records import Corpus, claimant_labels

if TYPE_CHECKING:
    import pandas

__all__ = ["claims_frame", "entities_frame"]


def claims_frame(corpus: Corpus) -> pandas.DataFrame:
    """One row per claim, in article order: who claims it, how, and what it was relayed through.

    >>> import graph
    >>> frame = claims_frame(graph.build().corpus)
    >>> list(frame.columns[:4])
    ['document', 'id', 'text', 'claimant']
    """
    import pandas

    entities = corpus.entities
    rows = []
    for f in corpus.files:
        for c in sorted(f.claims, key=lambda c: (c.start, c.end)):
            rows.append(
                {
                    "document": c.document,
                    "id": c.id,
                    "text": c.text,
                    "claimant": " and ".join(claimant_labels(c, corpus)),
                    # a document's unnamed author(s) are as vague as a source gets
                    "vague_source": any(entities[e].vague for e in c.claimants)
                    or not c.claimants,
                    "source_kind": c.source_kind,
                    "mode": c.mode,
                    "cue": "; ".join(c.cues),
                    "hedges": "; ".join(c.hedges),
                    "relayed_from": "; ".join(c.relayed_from),
                    "start": c.start,
                    "end": c.end,
                    "status": c.status,  # "draft" until an analyst reviews what an extractor wrote
                    "confidence": c.confidence,
                }
            )
    return pandas.DataFrame(rows)


def entities_frame(corpus: Corpus) -> pandas.DataFrame:
    """One row per entity: id, type, label, vague, and how many claims each is claimant of."""
    import pandas

    claimant_of: dict[str, int] = {}
    for f in corpus.files:
        for c in f.claims:
            for e in c.claimants:
                claimant_of[e] = claimant_of.get(e, 0) + 1
    rows = [
        {
            "id": e.id,
            "type": e.type,
            "label": e.label,
            "vague": e.vague,
            "claims_made": claimant_of.get(e.id, 0),
        }
        for e in sorted(corpus.entities.values(), key=lambda e: e.id)
    ]
    return pandas.DataFrame(rows)
