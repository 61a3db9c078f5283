"""The vocabulary's words as an analyst writes them: plain strings, no RDF.

Each tuple lists the names an annotation file may use; :mod:`graph.rdf.vocab` maps every one of
them to its IRI (a test checks the two agree, word for word and in order).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "AFFILIATION_ORIGINS",
    "AFFILIATION_RELATIONS",
    "CLAIM_STATUSES",
    "ENTITY_TYPES",
    "LEGACY_RELATIONS",
    "MODES",
    "RELATIONS",
    "SOURCE_KINDS",
    "affiliation_relation",
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

# How one entity speaks for, works for, belongs to or depends on another (an `affiliations`
# entry), each word with the term it is built as: schema.org's where one fits, else claimgraph's.
# Sources joined by any of these are not independent of each other (graph.analysis.groups).
AFFILIATION_RELATIONS: Final = {
    "spokesperson-for": "cg:spokespersonFor",
    "employee-of": "schema:worksFor",
    "member-of": "schema:memberOf",
    "part-of": "schema:parentOrganization",
    "owned-by": "cg:ownedBy",
    "funded-by": "schema:funder",
    "republishes": "cg:republishes",  # an outlet reprinting another's work under an agreement
}

AFFILIATION_ORIGINS: Final = (
    "text",  # the article states it: built as a claim, attributed to its claimant
    "analyst",  # the analyst adds it (with a note): built in the analyst's graph
)

# The namespaces an affiliation relation may be written with in full.
_AFFILIATION_NAMESPACES: Final = {
    "cg": "https://w3id.org/claimgraph/ontology#",
    "schema": "https://schema.org/",
}

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


def affiliation_relation(value: str) -> str | None:
    """The word of an affiliation relation given as its word, its prefixed name or its full
    IRI; None for anything else.

    >>> affiliation_relation("member-of"), affiliation_relation("schema:memberOf")
    ('member-of', 'member-of')
    >>> affiliation_relation("https://schema.org/funder"), affiliation_relation("knows")
    ('funded-by', None)
    """
    if value in AFFILIATION_RELATIONS:
        return value
    for word, curie in AFFILIATION_RELATIONS.items():
        prefix, _, local = curie.partition(":")
        if value in (curie, _AFFILIATION_NAMESPACES[prefix] + local):
            return word
    return None
