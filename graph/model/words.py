"""The vocabulary's words as an analyst writes them: plain strings, no RDF.

Each tuple lists the names an annotation file may use; :mod:`graph.rdf.vocab` maps every one of
them to its IRI (a test checks the two agree, word for word and in order).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "CLAIM_STATUSES",
    "ENTITY_TYPES",
    "LEGACY_RELATIONS",
    "MODES",
    "RELATIONS",
    "SOURCE_KINDS",
    "is_valid_id",
]

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

# The project's own relation words (a claim's `relations` may also use any schema.org property or
# a declared vocabulary: graph.model.predicates).
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
    "cg:performed",
    "cg:trained",
    "cg:refusedToTrain",
    "cg:accuses",
    "cg:persecutes",
    "cg:harvestsOrgansFrom",
    "cg:participatesIn",
    "cg:supervises",
    "cg:coversUp",
    "cg:victimOf",
    "cg:depicts",
)

# Words the ontology once defined and schema.org has: old files keep building, each written as
# the standard property (True: with subject and object swapped, "A funds B" is "B funder A").
LEGACY_RELATIONS: Final[dict[str, tuple[str, bool]]] = {
    "cg:established": ("schema:founder", True),
    "cg:funds": ("schema:funder", True),
}

_ID_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")


def is_valid_id(value: str) -> bool:
    """True for an id an analyst may give: lowercase letters, digits, ``.``, ``_``, ``-``.

    >>> is_valid_id("russell-strong"), is_valid_id("Russell Strong")
    (True, False)
    """
    return bool(_ID_PATTERN.match(value))
