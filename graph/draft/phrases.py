"""Entities that spaCy's named-entity model does not give: awards ("Companion of the Order of
Australia"), collectives ("Chinese surgeons", "hospitals and universities"), a state named by its
nationality ("the Chinese regime", "the Chinese state apparatus") and topics the article keeps
returning to ("forced organ harvesting").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import TYPE_CHECKING, Protocol

from graph.draft.cues import COLLECTIVE_HEADS, PERSON_ROLES, TITLES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["add_phrases", "award_spans", "collective_span", "is_collective"]

_AWARD = re.compile(
    r"\b(?:Companion|Knight|Dame|Officer|Member|Order|Medal|Prize|Award|Cross)"
    r"(?: of(?: the)? (?:St\. )?[A-Z][a-z]+(?: and (?:St\. )?[A-Z][a-z]+)*)+"
)
_STATE_HEADS = frozenset(
    ["regime", "government", "state", "authorities", "apparatus", "administration", "junta"]
)
_WORK_NOUNS = frozenset(
    ["series", "film", "movie", "book", "novel", "show", "documentary", "album", "song", "play"]
)
_FOUNDED_VERBS = frozenset(["establish", "found", "create", "launch", "set", "open", "form"])
_BODY_NOUNS = frozenset(
    ["program", "programme", "registry", "register", "agency", "fund", "foundation", "company",
     "committee", "council", "network", "party", "organization", "organisation", "centre",
     "center", "institute", "union", "charity", "clinic", "unit", "task force", "commission"]
)  # fmt: skip
_TOPIC_MIN_MENTIONS = 2
_RELCL_WORDS = 4  # a relative clause this short stays in a group's descriptor


class _Table(Protocol):
    def named(self, surface: str, start: int, type_: str, key: str | None = None) -> str: ...

    def group(self, span: Span, *, vague: bool, anonymous: bool = False) -> str: ...

    def at(self, start: int, end: int, types: tuple[str, ...] = ()) -> list[str]: ...

    def person(self, name: Span) -> None: ...


def award_spans(text: str) -> list[tuple[int, int]]:
    """Spans of honours written out in full.

    >>> t = "He was made a Companion of the Order of St. Michael and St. George in 1990."
    >>> [t[s:e] for s, e in award_spans(t)]
    ['Companion of the Order of St. Michael and St. George']
    """
    return [m.span() for m in _AWARD.finditer(text)]


def is_collective(token: Token) -> bool:
    """A plural noun naming people or institutions ("surgeons", "human rights groups")."""
    lemma = token.lemma_.lower()
    return token.tag_ in ("NNS", "NNPS") and (lemma in COLLECTIVE_HEADS or lemma in PERSON_ROLES)


def collective_span(root: Token, *, conj: bool = True) -> Span:
    """The descriptor of a collective: its modifiers without the determiner, its conjuncts
    ("hospitals and universities"), a place it comes from ("surgeons from China") and a short
    relative clause ("some surgeons who have repented")."""
    doc = root.doc
    first = root.left_edge.i
    last = root.i
    for child in root.rights:
        if child.is_space or (conj and child.dep_ == "cc"):
            continue
        if conj and child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN"):
            if any(True for _ in child.lefts):
                break  # "organizations and human rights lawyers": a second group of its own
            last = child.i
            continue
        if child.dep_ == "prep" and child.lower_ in ("from", "in") and child.i == last + 1:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ == "PROPN" and pobj.i - child.i <= 3:
                last = pobj.i
            continue
        if child.dep_ == "relcl":
            end = max(
                [child.i] + [c.right_edge.i for c in child.rights if c.dep_ not in ("cc", "conj")]
            )
            between = doc[last + 1 : child.left_edge.i]
            if end - child.left_edge.i < _RELCL_WORDS and all(t.is_space for t in between):
                last = end
        break
    return doc[first : last + 1]


def add_phrases(doc: Doc, table: _Table) -> None:
    """Add the entities of this module's kinds that ``doc`` names."""
    grouped: set[int] = set()
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.i in grouped or not is_collective(root) or root.ent_type_:
            continue
        span = collective_span(root)
        grouped |= {t.i for t in span}
        if len(span) == 1 and root.lemma_.lower() in ("people", "person", "victim", "member"):
            continue  # too generic to be an entity of its own
        if span[0].lower_ in ("these", "those", "this", "that", "them"):
            continue  # a reference back to a group named before
        named = any(t.ent_type_ in ("NORP", "GPE", "ORG") for t in span)
        table.group(span, vague=not named)
    for chunk in doc.noun_chunks:
        nationality = next((t for t in chunk if t.ent_type_ == "NORP"), None)
        if nationality is not None and chunk.root.lemma_.lower() in _STATE_HEADS:
            words = [t for t in chunk if t.pos_ != "DET"]
            surface = doc[words[0].i : chunk.root.i + 1].text
            table.named(
                surface, doc[words[0].i].idx, "organization", key=f"state:{nationality.lower_}"
            )
    _people_with_an_age(doc, table)
    _works_and_bodies(doc, table)
    _topics(doc, table)


def _people_with_an_age(doc: Doc, table: _Table) -> None:
    """A name the entity model missed is a person when an age follows it ("Doreen Ashby, 71,")
    or a title comes before it ("Mayor Ana Ruiz")."""
    for token in doc[:-1]:
        if token.ent_type_ or token.pos_ != "PROPN" or not token.text[:1].isupper():
            continue
        before = doc[token.i - 1] if token.i > 0 else None
        titled = before is not None and before.lower_ in TITLES
        if token.lower_ in TITLES or (
            before is not None and before.pos_ == "PROPN" and not before.ent_type_ and not titled
        ):
            continue  # a title, or not the first word of the name
        last = token.i
        while last + 1 < len(doc) and doc[last + 1].pos_ == "PROPN" and not doc[last + 1].ent_type_:
            last += 1
        after = doc[last + 1 : last + 4]
        aged = (
            len(after) == 3 and (after[0].text, after[2].text) == (",", ",") and after[1].like_num
        )
        if 1 <= last - token.i <= 2 and (aged or titled):
            table.person(doc[token.i : last + 1])


def _works_and_bodies(doc: Doc, table: _Table) -> None:
    """ "the Squid Game, a Netflix series": a creative work; "established an organ transplant
    program": an organization; "House Christians" split by the entity model: one group."""
    for token in doc:
        if token.dep_ == "appos" and token.lemma_.lower() in _WORK_NOUNS:
            head = token.head
            if head.pos_ == "PROPN" and not head.ent_type_:
                first = min([head.i] + [c.i for c in head.lefts if c.dep_ == "compound"])
                span = doc[first : head.i + 1]
                table.named(span.text, span.start_char, "creative-work")
        if (
            token.dep_ == "dobj"
            and token.head.lemma_.lower() in _FOUNDED_VERBS
            and token.lemma_.lower() in _BODY_NOUNS
            and not token.ent_type_
        ):
            first = min([token.i] + [c.i for c in token.lefts if c.dep_ in ("compound", "amod")])
            span = doc[first : token.i + 1]
            if len(span) > 1:
                table.named(span.text, span.start_char, "organization")
    ents = list(doc.ents)
    for before, after in itertools.pairwise(ents):
        if (
            len(before) == 1
            and before.end == after.start
            and after.label_ == "NORP"
            and after[-1].tag_ in ("NNPS", "NNS")
        ):
            table.group(doc[before.start : after.end], vague=False)


def _topics(doc: Doc, table: _Table) -> None:
    """Noun phrases of two words or more, named at least twice, that no other entity covers."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, tuple[str, int]] = {}
    for chunk in doc.noun_chunks:
        words = [t for t in chunk if t.pos_ not in ("DET", "PRON", "NUM") and not t.is_punct]
        root = chunk.root
        if len(words) < 2 or root.pos_ != "NOUN" or root.ent_type_ or words[0].i > root.i:
            continue
        if root.lemma_.lower() in PERSON_ROLES or is_collective(root):
            continue
        span = doc[words[0].i : root.i + 1]
        if any(t.ent_type_ for t in span):
            continue
        key = " ".join(t.lemma_.lower() for t in span)
        counts[key] += 1
        first_seen.setdefault(key, (span.text, span.start_char))
    for key, n in counts.items():
        surface, start = first_seen[key]
        if n >= _TOPIC_MIN_MENTIONS and not table.at(start, start + len(surface)):
            table.named(surface, start, "topic", key=f"topic:{key}")
