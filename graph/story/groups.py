"""Outlets that count as one: the story's outlets that affiliations (one owner, a republishing
agreement) join into one independence group, with the affiliations that did and who asserts them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.analysis.groups import affiliation_groups
from graph.model.records import Corpus
from graph.report.affiliations import affiliation_text
from graph.story.inputs import StoryDoc

__all__ = ["OutletGroup", "corpus_affiliations", "outlet_groups"]


@dataclass(frozen=True)
class OutletGroup:
    """Outlets of the story (labels, in date order) that one group of affiliations joins."""

    outlets: tuple[str, ...]
    members: tuple[str, ...]  # every entity of the group, outlets or not (an owner), by label
    affiliations: tuple[str, ...]  # each affiliation that joined them, and who asserts it


def corpus_affiliations(corpus: Corpus) -> list[dict[str, Any]]:
    """A corpus's affiliation records in the shape :func:`graph.rdf.affiliations.read_affiliations`
    gives (entity ids where that gives IRIs), so a story reads them alike from files or a graph."""
    entities, claims = corpus.entities, corpus.claims
    out = []
    for a in corpus.affiliations:
        claim = claims.get(f"{a.document}#{a.claim}") if a.claim else None
        out.append({
            "iri": a.id, "id": a.id, "document": a.document,
            "subject": a.subject, "subject_label": entities[a.subject].label,
            "relation": a.relation, "relation_label": a.relation.replace("-", " "),
            "object": a.object, "object_label": entities[a.object].label,
            "origin": a.origin,
            "asserted_by": ([entities[c].label for c in claim.claimants] if claim else
                            ["the analyst"]),
            "claimants": list(claim.claimants) if claim else [],
            "draft": bool(claim and claim.status == "draft"),
            "note": a.note or (claim.note if claim else None) or "",
        })
    return out


def outlet_groups(
    docs: Sequence[StoryDoc], affiliations: Iterable[Mapping[str, Any]]
) -> list[OutletGroup]:
    """The groups that join two or more of the story's outlets (matched by label).

    >>> doc = lambda i, outlet: StoryDoc(i, i, "", "2025", outlet, frozenset())
    >>> [g.outlets for g in outlet_groups(
    ...     [doc("a", "Courier"), doc("b", "Post"), doc("c", "Weekly")],
    ...     [{"subject": "courier", "subject_label": "Courier", "object": "owner",
    ...       "object_label": "Owner", "relation_label": "owned by", "origin": "analyst",
    ...       "id": "x", "note": ""},
    ...      {"subject": "post", "subject_label": "Post", "object": "owner",
    ...       "object_label": "Owner", "relation_label": "owned by", "origin": "analyst",
    ...       "id": "y", "note": ""}])]
    [('Courier', 'Post')]
    """
    order = list(dict.fromkeys(d.outlet for d in docs))
    found = []
    for group in affiliation_groups(affiliations):
        outlets = tuple(o for o in order if o in group["labels"])
        if len(outlets) >= 2:
            found.append(OutletGroup(
                outlets=outlets, members=tuple(group["labels"]),
                affiliations=tuple(affiliation_text(a) for a in group["affiliations"])))
    return found
