"""The vocabulary's words as an analyst writes them: plain strings, no RDF.

Each tuple lists the names an annotation file may use; :mod:`graph.rdf.vocab` maps every one of
them to its IRI (a test checks the two agree, word for word and in order).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["CLAIM_STATUSES", "ENTITY_TYPES", "MODES", "RELATIONS", "SOURCE_KINDS", "is_valid_id"]

# In this order everywhere they are listed (reports, views, analysis ranking).
SOURCE_KINDS: Final = (
    "named-person",
    "named-organization",
    "document",
    "vague-collective",
    "anonymous",
    "author-voice",
    "official-statement",
)

CLAIM_STATUSES: Final = (
    "reviewed",  # written or read by an analyst (the default)
    "draft",  # written by an extractor; nobody has read it yet
)

MODES: Final = (
    "direct-quote",
    "reported-speech",
    "author-assertion",
    "hedged",
    "denial",
    "inference",
)

ENTITY_TYPES: Final = (
    "person",
    "organization",
    "group",
    "place",
    "creative-work",
    "award",
    "event",
    "topic",
)

# Relation names a claim's `relations` may use.
RELATIONS: Final = (
    "schema:award",
    "schema:founder",
    "schema:location",
    "schema:containedInPlace",
    "schema:nationality",
    "schema:memberOf",
    "schema:affiliation",
    "schema:worksFor",
    "schema:funder",
    "schema:productionCompany",
    "schema:knows",
    "cg:established",
    "cg:performed",
    "cg:trained",
    "cg:refusedToTrain",
    "cg:accuses",
    "cg:persecutes",
    "cg:harvestsOrgansFrom",
    "cg:participatesIn",
    "cg:supervises",
    "cg:coversUp",
    "cg:funds",
    "cg:victimOf",
    "cg:depicts",
)

_ID_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")


def is_valid_id(value: str) -> bool:
    """True for an id an analyst may give: lowercase letters, digits, ``.``, ``_``, ``-``.

    >>> is_valid_id("russell-strong"), is_valid_id("Russell Strong")
    (True, False)
    """
    return bool(_ID_PATTERN.match(value))
