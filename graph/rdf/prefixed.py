"""IRIs as prefixed names of the project's prefixes (:data:`graph.rdf.vocab.PREFIXES`), where the
local name is one every Turtle, TriG and JSON-LD reader takes as it is."""

from __future__ import annotations

import functools
import re
from typing import Final

from graph.rdf.vocab import PREFIXES

__all__ = ["prefixed", "scheme_prefix"]

# A local name every Turtle reader takes after a prefix (a safe subset of PN_LOCAL); JSON-LD
# takes any suffix, but the same rule keeps the two files alike.
_LOCAL: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# Longest namespace first: one namespace may start another.
_NAMESPACES: Final = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


@functools.lru_cache(maxsize=65536)
def prefixed(iri: str) -> tuple[str, str] | None:
    """``(prefix, local name)`` of ``iri`` if a project prefix fits it, else ``None``.

    >>> prefixed("https://w3id.org/claimgraph/ontology#Group")
    ('cg', 'Group')
    >>> prefixed("https://w3id.org/claimgraph/id/entity/ccp") is None  # a '/' in the local name
    True
    """
    for ns, prefix in _NAMESPACES:
        if iri.startswith(ns) and _LOCAL.fullmatch(iri, len(ns)):
            return prefix, iri[len(ns):]
    return None


def scheme_prefix(iri: str) -> str | None:
    """The project prefix that ``iri``'s scheme spells, if any: ``schema`` for ``schema:x``. A
    reader given the prefixes would take such an absolute IRI for a prefixed name.

    >>> scheme_prefix("schema:name"), scheme_prefix("https://schema.org/name")
    ('schema', None)
    """
    scheme = iri.partition(":")[0]
    return scheme if scheme in PREFIXES and scheme != iri else None
