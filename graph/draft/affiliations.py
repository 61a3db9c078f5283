"""Affiliations the text states in a noun phrase, drafted for review.

Four constructions, read from spaCy's parse, each anchored to its exact phrase:

* "a spokesperson for X" (spokesman, spokeswoman) — ``spokesperson-for X``;
* "X's office" — the office ``spokesperson-for`` X when X is a person, ``part-of`` X otherwise;
* "an official at X" — ``employee-of X``;
* "a researcher at X" — ``employee-of X``; so is any job a named person is given beside their
  name ("Alan Pike, a hydrologist at X").

The subject is the person the phrase describes when the text names them beside it ("Tomas
Reyes, a researcher at Coastline University"), else an entity for the phrase itself, which
stays as vague as the text is. The outlet states the phrase, so each is drafted in its voice.
"""

from __future__ import annotations

from typing import Final

from spacy.tokens import Doc, Span, Token

from graph.draft.entities import EntityTable
from graph.draft.items import DraftAffiliation

__all__ = ["find_affiliations"]

_SPOKES: Final = frozenset({"spokesperson", "spokesman", "spokeswoman"})
_STAFF: Final = frozenset({"official", "researcher"})
_AT: Final = frozenset({"at", "with"})
_WHY: Final = {"spokesperson": "a spokesperson for X", "spokesman": "a spokesman for X",
               "spokeswoman": "a spokeswoman for X", "official": "an official at X",
               "researcher": "a researcher at X", "occupation": "<name>, a <job> at X"}


def _object_of(head: Token, preps: frozenset[str]) -> Token | None:
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return None


def _phrase(doc: Doc, head: Token, last: Token) -> Span:
    """From the head's left edge (its determiner) to the end of ``last``'s subtree."""
    return doc[head.left_edge.i : last.right_edge.i + 1]


def _named_beside(table: EntityTable, head: Token) -> str | None:
    """The person an apposition names: "Tomas Reyes, a researcher at …" or "…, Ana Ruiz"."""
    other = head.head if head.dep_ == "appos" else next(
        (c for c in head.children if c.dep_ == "appos"), None)
    if other is None or other.ent_type_ != "PERSON":
        return None
    found = table.resolve(other)
    return found.entity if found is not None else None


def _unnamed(table: EntityTable, phrase: Span, type_: str) -> str:
    """An entity for a describing phrase ("an official at X"): as vague as the text is."""
    ident = table.named(phrase.text, phrase.start_char, type_)
    table.get(ident).vague = True
    return ident


def _entity(table: EntityTable, token: Token) -> str | None:
    found = table.resolve(token)
    if found is None or table.get(found.entity).type in ("place", "group"):
        return None
    return found.entity


def _occupation_beside_name(table: EntityTable, token: Token) -> bool:
    """Any job a named person is described by, at an organization: "Alan Pike, a hydrologist at
    Ridgeford University" (the noun is in apposition to the name and takes "at"/"with")."""
    return (token.pos_ == "NOUN" and token.lemma_.lower() not in _SPOKES | _STAFF
            and _named_beside(table, token) is not None and _object_of(token, _AT) is not None)


def find_affiliations(doc: Doc, table: EntityTable) -> list[DraftAffiliation]:
    """The affiliations stated by the four constructions (see the module docstring), in text
    order; new entities for unnamed subjects are added to ``table``."""
    found: list[DraftAffiliation] = []
    for token in doc:
        lemma = token.lemma_.lower()
        if _occupation_beside_name(table, token):
            lemma = "occupation"
        if lemma in _SPOKES or lemma in _STAFF or lemma == "occupation":
            target = _object_of(token, frozenset({"for"}) if lemma in _SPOKES else _AT)
            if target is None:
                continue
            obj = _entity(table, target)
            if obj is None:
                continue
            phrase = _phrase(doc, token, target)
            subject = _named_beside(table, token) or _unnamed(table, phrase, "person")
            relation = "spokesperson-for" if lemma in _SPOKES else "employee-of"
            why = f"affiliation: “{_WHY[lemma]}”"
        elif token.lower_ == "office":
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
            if owner is None:
                continue
            obj = _entity(table, owner)
            if obj is None:
                continue
            phrase = doc[owner.left_edge.i : token.i + 1]
            subject = _unnamed(table, phrase, "organization")
            relation = ("spokesperson-for" if table.get(obj).type == "person" else "part-of")
            why = "affiliation: “X's office”"
        else:
            continue
        if subject != obj:
            found.append(DraftAffiliation(phrase.start_char, phrase.end_char, phrase.text,
                                          subject, relation, obj, why))
    return found
