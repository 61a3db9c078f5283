"""Drafting: a raw article → an annotation file an analyst reviews (spaCy + our rules).

One job per module: ``quotes`` (quote marks), ``speakers`` (who said a quote), ``reported``
(reported speech, denials, hearsay, "according to", relays), ``author`` (the outlet's own voice),
``entities`` (entities, aliases, what "he" or "the professor" refers to), ``phrases`` (entities
the entity model misses: collectives, awards, states, topics), ``quantities`` (numbers, ranges,
rates, dates), ``furniture`` (page furniture), ``relations`` (denial links), ``syntax`` (readings
of the parse), ``cues`` (the word lists), ``items`` (the records), ``assemble`` (the rules in
order), ``extractor`` (the backend interface), ``model`` (which spaCy model), ``writer`` (the
YAML). Nothing here imports spaCy until a draft is made.
"""

from __future__ import annotations

from graph.draft.extractor import RULES_VERSION, Extractor, SpacyExtractor
from graph.draft.items import Article, CitedDocument, Draft, DraftClaim, DraftEntity
from graph.draft.model import DEFAULT_MODELS, ModelNotInstalledError, load_model
from graph.draft.writer import is_draft_folder, render_draft, write_draft

__all__ = [
    "DEFAULT_MODELS",
    "RULES_VERSION",
    "Article",
    "CitedDocument",
    "Draft",
    "DraftClaim",
    "DraftEntity",
    "Extractor",
    "ModelNotInstalledError",
    "SpacyExtractor",
    "is_draft_folder",
    "load_model",
    "render_draft",
    "write_draft",
]
