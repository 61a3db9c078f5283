"""One story across many outlets: the same claim aligned across documents, who copied whom,
and how each claim drifted on the way.

Modules, one job each:

* :mod:`.inputs` — the documents and claims the analysis reads (from checked annotation records);
* :mod:`.from_rdf` — the same inputs read back from a built graph file;
* :mod:`.text` — words, numbers and normal forms of a text;
* :mod:`.align` — claim clusters: MinHash LSH blocking, then token, entity and number scoring;
  the analyst's ``cluster`` decisions in the annotation files win;
* :mod:`.copies` — shared passages between document texts, with spans, ordered by date;
* :mod:`.drift` — what changed from a cluster's earliest version to each later one, by kind;
* :mod:`.model` — the whole story as plain data (:func:`compute_story`);
* :mod:`.rdf` — the story as triples in its own named graph, ``id:graph/_story``;
* :mod:`.markdown` — the story as a markdown report.

Everything here describes texts: a cluster says that several documents carry the same claim,
never that the claim is true; a machine alignment says so until an analyst confirms it.
"""

from __future__ import annotations

from graph.story.align import Cluster, Member, align_claims
from graph.story.copies import Copy, Passage, find_copies
from graph.story.drift import DRIFT_KINDS, DriftItem, Span, find_drift
from graph.story.inputs import StoryClaim, StoryDoc, story_inputs
from graph.story.model import Story, compute_story

__all__ = [
    "DRIFT_KINDS",
    "Cluster",
    "Copy",
    "DriftItem",
    "Member",
    "Passage",
    "Span",
    "Story",
    "StoryClaim",
    "StoryDoc",
    "align_claims",
    "compute_story",
    "find_copies",
    "find_drift",
    "story_inputs",
]
