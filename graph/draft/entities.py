"""Entities of one article with their aliases merged, and what a mention of one refers to.

People are grouped by surname ("Professor Russell Strong", "Dr. Strong"), organizations by
acronym and by a shared leading name ("CCP" and "the Chinese Communist Party"; "the Daily Mail"
and "Daily Mail Australia"); "he", "the professor" and "the Australian professor" resolve to the
last person named before them whose title or role fits.

Long because :class:`EntityTable` is one piece of state read in article order: merging an alias
and resolving "he" or "the professor" both depend on every mention seen so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.draft.cues import (
    ANONYMOUS_HEADS,
    DOCUMENT_HEADS,
    MEDIA_WORDS,
    OFFICIAL_WORDS,
    ORG_HEADS,
    ORG_SUFFIXES,
    PERSON_ROLES,
    SPOKES_ROLES,
    TITLES,
)
from graph.draft.items import DraftEntity
from graph.draft.phrases import add_phrases, award_spans, collective_span, is_collective

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["EntityTable", "Speaker", "slug"]

_TYPES = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "WORK_OF_ART": "creative-work",
    "EVENT": "event",
    "LAW": "creative-work",
}
_INSTITUTION = re.compile(
    r"\b(hospital|university|college|school|institute|clinic|centre|center)\b", re.I
)
_TITLE_ROLES = {"dr": "doctor", "dr.": "doctor", "prof": "professor", "prof.": "professor"}
_PLACE_WORDS = frozenset(["province", "region", "state", "county", "district", "prefecture"])
_DETERMINERS = frozenset(["the", "a", "an", "this", "that", "these", "those"])


def slug(text: str, width: int = 60) -> str:
    """An id from a name: lowercase ASCII letters and digits joined by hyphens, cut after a
    whole word at ``width`` characters.

    >>> slug("Daily Mail Australia"), slug("Dr. José Ortega-Gasset")
    ('daily-mail-australia', 'dr-jose-ortega-gasset')
    >>> slug("statistical reports collected by independent organizations", 40)
    'statistical-reports-collected-by'
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(value) > width:
        cut = value[: width + 1]
        value = cut.rsplit("-", 1)[0] if "-" in cut else value[:width]
    return value or "entity"


@dataclass
class _Entity:
    id: str
    type: str
    label: str
    names: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    descriptor: str | None = None
    vague: bool = False
    description: str | None = None


@dataclass(frozen=True)
class Speaker:
    """Who a mention refers to: an entity id and the source kind its claims get.

    ``resolved`` is False when the rules could not name the speaker (an unresolved "he").
    """

    entity: str
    source_kind: str
    resolved: bool = True
    surface: str = ""
    also: tuple[str, ...] = ()  # further claimants named with it ("X and Y said")


class EntityTable:
    """The entities of one parsed article; grows as the rules meet speakers and groups."""

    UNKNOWN = "unidentified-speaker"

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        self._entities: dict[str, _Entity] = {}
        self._order: list[str] = []
        self._by_surname: dict[str, str] = {}
        self._keys: dict[str, str] = {}  # merge keys of entities made by graph.draft.phrases
        self._quoted: list[tuple[int, int]] = []
        self._subjects: list[tuple[int, str]] = []  # (offset, person) of people as subjects
        awards = award_spans(doc.text)
        for start, end in awards:
            self.named(doc.text[start:end], start, "award")
        ents = list(doc.ents)
        for i, ent in enumerate(ents):  # "St. George" inside an award is no place
            if any(ent.start_char < e and s < ent.end_char for s, e in awards):
                continue
            following = ents[i + 1] if i + 1 < len(ents) else None
            if (
                len(ent) == 1
                and following is not None
                and following.start == ent.end
                and following.label_ == "NORP"
                and following[-1].tag_ in ("NNPS", "NNS")
            ):
                continue  # "House" of "House Christians": graph.draft.phrases groups them
            self._add_ent(ent)
        add_phrases(doc, self)

    # ----------------------------------------------------------------- building

    def _new(self, base: str, type_: str, label: str) -> _Entity:
        ident, n = slug(base), 2
        while ident in self._entities or ident == self.UNKNOWN:
            ident, n = f"{slug(base)}-{n}", n + 1
        entity = _Entity(ident, type_, label)
        self._entities[ident] = entity
        self._order.append(ident)
        return entity

    def _mention(self, entity: _Entity, surface: str, start: int) -> None:
        if surface and surface not in entity.names:
            entity.names.append(surface)
        entity.mentions.append((start, start + len(surface)))

    def _add_ent(self, ent: Span) -> None:
        label = ent.label_
        if label not in _TYPES:
            if label == "NORP" and ent[-1].tag_ in ("NNPS", "NNS"):
                self.group(ent, vague=False)
            return
        tokens = [t for t in ent if not (t.i == ent.start and t.lower_ in _DETERMINERS)]
        while tokens and tokens[-1].is_space:  # "Bayside Courier\n\n" ends a byline's line
            tokens.pop()
        while tokens and tokens[0].is_space:
            tokens.pop(0)
        if not tokens or (tokens[-1].tag_ in ("NNPS", "NNS") and label != "GPE"):
            if tokens and label in ("ORG", "PERSON"):
                self.group(ent, vague=False)  # "Muslim Uighurs", "Hong Kongers"
            return
        if ent.start > 0 and self._doc[ent.start - 1].lower_ in ("st.", "st", "saint"):
            return  # "St. Michael" is part of a name, not a person
        core = self._doc[tokens[0].i : tokens[-1].i + 1]
        before = self._doc[ent.start - 1] if ent.start > 0 else None
        # "Mr Penhale", "Council leader Priti Anand": a title or a role makes a name a person
        titled = before is not None and (
            before.lower_ in TITLES or (before.dep_ == "compound" and before.lemma_ in PERSON_ROLES)
        )
        if label == "PERSON" and core[-1].lower_ in ORG_SUFFIXES:
            label = "ORG"  # "Hallam Homes" is a company
        # "Flannery" tagged as an organization after "John Flannery": the same person
        known = len(core) == 1 and core.text in self._by_surname
        if label == "PERSON" or ((titled or known) and label in ("GPE", "ORG", "LOC", "NORP")):
            common = len(core) == 1 and (
                core[0].lower_ in PERSON_ROLES or core[0].lower_.endswith(("mother", "father"))
            )
            if not common and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in core):
                self.person(core)  # not "runaway lorry" or "Grandmother"
            return
        type_ = _TYPES[label]
        if label == "FAC" and _INSTITUTION.search(core.text):
            type_ = "organization"
        label = core.text
        if type_ == "place" and len(core) > 1 and core[-1].lower_ in _PLACE_WORDS:
            label = core[:-1].text  # "Xinjiang province" is the place Xinjiang
        entity = self._match_named(label, type_) or self._new(label, type_, label)
        self._mention(entity, core.text, core.start_char)

    def person(self, name: Span) -> None:
        """A person named ``name`` (a title before it is kept as part of the surface form)."""
        first = name.start
        while first > 0 and self._doc[first - 1].lower_ in TITLES:
            first -= 1
        while len(name) > 1 and name[0].lower_ in TITLES:  # "Mr Penhale" tagged whole
            name = name[1:]
        titles = {
            _TITLE_ROLES.get(t.lower_, t.lower_.rstrip(".")) for t in self._doc[first : name.start]
        }
        surname = name[-1].text
        ident = self._by_surname.get(surname)
        gender = _gender(titles)
        if (
            ident is not None
            and gender
            and _gender(self._entities[ident].roles) not in ("", gender)
        ):
            ident = self._by_surname.get(f"{surname} {gender}")  # "Mr Penhale", not "Mrs Penhale"
            surname = f"{surname} {gender}"
        if ident is None:
            entity = self._new(name.text, "person", name.text)
            self._by_surname[surname] = entity.id
            self._by_surname.setdefault(name[-1].text, entity.id)
        else:
            entity = self._entities[ident]
            if len(name.text) > len(entity.label):
                entity.label = name.text
        entity.roles |= titles | _roles_beside(name)
        self._mention(entity, self._doc[first : name.end].text, self._doc[first].idx)
        if name[-1].dep_ in _SUBJECT_DEPS:
            self._subjects.append((self._doc[first].idx, entity.id))

    def _match_named(self, text: str, type_: str) -> _Entity | None:
        """An entity of the same type this name is an alias of (acronym, shared leading words)."""
        words = text.split()
        for ident in self._order:
            entity = self._entities[ident]
            if entity.type != type_:
                continue
            for name in [entity.label, *entity.names]:
                other = name.split()
                if name.lower() == text.lower() or _acronym(text, name) or _acronym(name, text):
                    return entity
                shorter, longer = sorted((words, other), key=len)
                if len(shorter) >= 2 and longer[: len(shorter)] == shorter:
                    if len(text) > len(entity.label):
                        entity.label = text
                    return entity
        return None

    def group(self, span: Span, *, vague: bool, anonymous: bool = False) -> str:
        """The group entity for a descriptor phrase (made on first sight).

        A leading "the" is not part of the descriptor: "the Chinese doctors" and "Chinese
        doctors" are one group.
        """
        while len(span) > 1 and span[0].lower_ == "the":
            span = span[1:]
        descriptor = span.text.strip()
        key = " ".join(descriptor.lower().split())
        for ident in self._order:
            entity = self._entities[ident]
            if (
                entity.type == "group"
                and " ".join((entity.descriptor or "").lower().split()) == key
            ):
                entity.mentions.append((span.start_char, span.end_char))
                return ident
        label = " ".join(descriptor.split())
        label = label[0].upper() + label[1:]
        entity = self._new(label, "group", label + (" (unnamed)" if vague else ""))
        entity.descriptor = descriptor
        entity.vague = vague or anonymous
        entity.mentions.append((span.start_char, span.end_char))
        return entity.id

    def named(self, surface: str, start: int, type_: str, key: str | None = None) -> str:
        """The entity of ``type_`` called ``surface`` at ``start`` (one per ``key``, if given)."""
        key = key or surface.lower()
        for ident in self._order:
            entity = self._entities[ident]
            if entity.type == type_ and self._keys.get(ident, entity.label.lower()) == key:
                self._mention(entity, surface, start)
                return ident
        entity = self._new(surface, type_, surface)
        self._keys[entity.id] = key
        self._mention(entity, surface, start)
        return entity.id

    def placeholder(self, ident: str, type_: str, label: str, description: str) -> str:
        """An entity the text does not name (the publisher to fill in, an unknown speaker)."""
        if ident not in self._entities:
            entity = _Entity(ident, type_, label, description=description)
            self._entities[ident] = entity
            self._order.append(ident)
        return ident

    def organization(self, name: str) -> str:
        """The organization called ``name`` (an entity of the text when it names it)."""
        found = self._match_named(name, "organization")
        if found is not None:
            return found.id
        entity = self._new(name, "organization", name)
        return entity.id

    def add_alias(self, ident: str, surface: str, start: int) -> None:
        if ident in self._entities:
            self._mention(self._entities[ident], surface, start)

    # ------------------------------------------------------------------ reading

    def get(self, ident: str) -> _Entity:
        return self._entities[ident]

    def is_media(self, ident: str) -> bool:
        entity = self._entities.get(ident)
        if entity is None or entity.type != "organization":
            return False
        words = {w.lower().strip(".") for n in [entity.label, *entity.names] for w in n.split()}
        return bool(words & MEDIA_WORDS)

    def kind_of(self, ident: str) -> str:
        """The source kind of what ``ident`` says."""
        entity = self._entities[ident]
        if entity.type == "person":
            return "named-person"
        if entity.type == "group":
            return "vague-collective" if entity.vague else "named-organization"
        words = {w.lower() for n in [entity.label, *entity.names] for w in n.split()}
        if entity.type == "place" or words & OFFICIAL_WORDS:
            return "official-statement"
        return "named-organization"

    def at(self, start: int, end: int, types: tuple[str, ...] = ()) -> list[str]:
        """Entities with a mention overlapping ``[start, end)``, in order of first mention."""
        found: list[tuple[int, str]] = []
        for ident in self._order:
            entity = self._entities[ident]
            if types and entity.type not in types:
                continue
            hits = [s for s, e in entity.mentions if s < end and e > start]
            if hits:
                found.append((min(hits), ident))
        return [ident for _, ident in sorted(found)]

    def _recent_subject(self, pronoun: Token, not_gender: str) -> str | None:
        """The person last the subject of a clause in this or the previous sentence: "The
        reader said he …" and "And he noted …" are the reader, not a name said in between."""
        sentence = pronoun.sent
        previous = self._doc[sentence.start - 1].sent if sentence.start > 0 else sentence
        since = previous.start_char
        for offset, ident in reversed(self._subjects):
            if offset >= pronoun.idx:
                continue
            if offset < since:
                break
            if any(a <= offset < b for a, b in self._quoted):
                continue
            if not (not_gender and _gender(self._entities[ident].roles) == not_gender):
                return ident
        return None

    def set_quoted(self, spans: list[tuple[int, int]]) -> None:
        """Spans of direct quotes: a name said inside one is not what a later "he" refers to."""
        self._quoted = spans

    def last_before(
        self, offset: int, types: tuple[str, ...], role: str | None = None, not_gender: str = ""
    ) -> str | None:
        """The entity of these types mentioned last before ``offset`` (with ``role`` if any,
        and not of the gender ``not_gender`` by its title), outside quotes where one is."""
        found = self._last_before(offset, types, role, not_gender, outside_quotes=True)
        return found or self._last_before(offset, types, role, not_gender, outside_quotes=False)

    def _last_before(
        self,
        offset: int,
        types: tuple[str, ...],
        role: str | None,
        not_gender: str,
        *,
        outside_quotes: bool,
    ) -> str | None:
        best: tuple[int, str] | None = None
        for ident in self._order:
            entity = self._entities[ident]
            if entity.type not in types or (role is not None and role not in entity.roles):
                continue
            if not_gender and _gender(entity.roles) == not_gender:
                continue
            for s, _ in entity.mentions:
                if outside_quotes and any(a <= s < b for a, b in self._quoted):
                    continue
                if s < offset and (best is None or s > best[0]):
                    best = (s, ident)
        return best[1] if best else None

    def resolve(self, head: Token, within: tuple[int, int] | None = None) -> Speaker | None:
        """Who the noun phrase headed by ``head`` refers to, as a speaker."""
        doc = self._doc
        named = bool(head.ent_type_)  # "WHO" the organization is no relative pronoun
        if not named and head.lower_ in ("who", "that", "which") and head.head.i != head.i:
            return self.resolve(head.head.head if head.head.dep_ == "relcl" else head.head)
        phrase = _phrase(head, within)
        for child in head.children:  # "the cabinet member for transport, Gerald Fynn,"
            if child.dep_ == "appos" and (
                child.ent_type_ == "PERSON" or _looks_like_a_name(_phrase(child, None), child)
            ):
                return self.resolve(child)
        if _is_spokes(head):  # "a spokesman for the authority": the authority speaks
            for prep in head.children:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                spoken_for = self.resolve(pobj) if pobj is not None else None
                if spoken_for is not None and self._entities[spoken_for.entity].type != "group":
                    return Speaker(spoken_for.entity, "official-statement", surface=phrase.text)
        if head.pos_ == "PRON" and not named:
            if head.lower_ in ("he", "she", "him", "her"):
                wrong = "f" if head.lower_ in ("he", "him") else "m"
                person = self._recent_subject(head, wrong) or self.last_before(
                    head.idx, ("person",), not_gender=wrong
                )
                if person is not None:
                    if head.dep_ in _SUBJECT_DEPS:
                        self._subjects.append((head.idx, person))
                    return Speaker(person, "named-person", surface=head.text)
            if head.lower_ in ("they", "them"):  # the group or body named last, outside quotes
                body = self.last_before(head.idx, ("group", "organization"))
                if body is not None and body not in (EntityTable.UNKNOWN, "publisher"):
                    kind = self.kind_of(body)
                    return Speaker(body, kind, surface=head.text)
            if head.lower_ == "it" and any(t.dep_ == "auxpass" for t in head.head.children):
                return self._anonymous(head)
            return None
        for types in (("person",), ("organization",), ("place",)):
            hits = self.at(phrase.start_char, phrase.end_char, types)
            if (hits and (head.pos_ == "PROPN" or named)) or (
                hits and types != ("person",) and _is_spokes(head)
            ):
                ident = hits[-1] if types == ("person",) else hits[0]
                if self._entities[ident].type == "place":
                    ident = self._state_of(ident)
                kind = "official-statement" if _is_spokes(head) else self.kind_of(ident)
                return Speaker(ident, kind, surface=phrase.text)
        if head.pos_ == "PROPN" and head.text in self._by_surname:
            return Speaker(self._by_surname[head.text], "named-person", surface=head.text)
        if _looks_like_a_name(phrase, head):  # "…,” Wolff said.": people speak more than firms
            self.person(phrase)
            also = tuple(  # "Buresh and other superintendents said"
                self.group(collective_span(c), vague=True)
                for c in head.conjuncts
                if c.i > head.i and is_collective(c)
            )
            person = self._by_surname[head.text]
            return Speaker(person, "named-person", surface=phrase.text, also=also)
        named = head.ent_type_ not in ("", "PERSON") or not head.is_sent_start
        if head.pos_ == "PROPN" and named and head.tag_ != "NNPS":
            org = self.organization(phrase.text)
            return Speaker(org, self.kind_of(org), surface=phrase.text)
        lemma = head.lemma_.lower()
        definite = any(t.lower_ in ("the", "his", "her", "its", "their") for t in head.lefts)
        plural = head.tag_ in ("NNS", "NNPS")
        # A definite description that speaks is a person, unless it names a body or a text.
        role = lemma in PERSON_ROLES or not (lemma in ORG_HEADS or lemma in DOCUMENT_HEADS)
        if definite and not plural and role and head.pos_ == "NOUN":
            person = self.last_before(head.idx, ("person",), role=lemma) or self.last_before(
                head.idx, ("person",)
            )
            if person is not None:
                surface = doc[phrase.start : head.i + 1].text
                self.add_alias(person, surface, doc[phrase.start].idx)
                if head.dep_ in _SUBJECT_DEPS:
                    self._subjects.append((head.idx, person))
                return Speaker(person, "named-person", surface=surface)
        found = self._org_by_word(lemma, head.idx) if definite and not plural else None
        # "the company said": the last one named; "the harbour authority" says which body it is,
        # so it is not taken for whichever organization came last
        qualified = any(c.dep_ in ("compound", "amod") for c in head.lefts)
        if found is None and definite and not plural and lemma in ORG_HEADS and not qualified:
            found = self._last_org(head.idx)
        if found is not None:
            return Speaker(found, self.kind_of(found), surface=phrase.text)
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        anonymous = not plural and (lemma in ANONYMOUS_HEADS or not definite)
        if anonymous or lemma in ("source", "sources"):
            return self._anonymous(head, phrase)
        group = collective_span(head) if is_collective(head) else _phrase(head, within, conj=True)
        official = lemma in OFFICIAL_WORDS or lemma == "police"
        ident = self.group(group, vague=not official)
        kind = "official-statement" if official else "vague-collective"
        also = tuple(  # "independent organizations and human rights lawyers": two claimants
            self.group(collective_span(c), vague=True)
            for c in head.conjuncts
            if c.i > group.end - 1 and is_collective(c)
        )
        return Speaker(ident, kind, surface=group.text, also=also)

    def _anonymous(self, head: Token, phrase: Span | None = None) -> Speaker:
        if phrase is None or head.pos_ == "PRON":
            ident = self.placeholder(
                "unnamed-sources", "group", "Unnamed sources (agentless attribution)", ""
            )
            entity = self._entities[ident]
            entity.descriptor = entity.descriptor or head.head.text
            entity.vague = True
            entity.mentions.append((head.idx, head.idx + len(head.text)))
            return Speaker(ident, "anonymous", surface=head.text)
        ident = self.group(phrase, vague=True, anonymous=True)
        return Speaker(ident, "anonymous", surface=phrase.text)

    def _org_by_word(self, lemma: str, before: int) -> str | None:
        for ident in reversed(self._order):
            entity = self._entities[ident]
            if (
                entity.type == "organization"
                and any(lemma in n.lower().split() for n in [entity.label, *entity.names])
                and any(s < before for s, _ in entity.mentions)
            ):
                return ident
        return None

    def _last_org(self, before: int) -> str | None:
        """The organization named last before ``before`` that is not a news outlet."""
        best: tuple[int, str] | None = None
        for ident in self._order:
            entity = self._entities[ident]
            if entity.type != "organization" or self.is_media(ident) or ident in self._keys:
                continue
            for s, _ in entity.mentions:
                if s < before and (best is None or s > best[0]):
                    best = (s, ident)
        return best[1] if best else None

    def _state_of(self, place: str) -> str:
        """A place that speaks ("China said") speaks as its state: an organization entity."""
        label = self._entities[place].label
        ident = f"{place}-state"
        if ident not in self._entities:
            self.placeholder(
                ident, "organization", f"{label} (the state, as the text names it)",
                f"The text names the place {label} as a speaker.",
            )  # fmt: skip
        return ident

    def entities(self) -> tuple[DraftEntity, ...]:
        out = []
        for ident in self._order:
            e = self._entities[ident]
            names = tuple(n for n in e.names if n) if e.type != "group" else ()
            out.append(
                DraftEntity(e.id, e.type, e.label, names, e.descriptor, e.vague, e.description)
            )
        return tuple(out)


_SUBJECT_DEPS = ("nsubj", "nsubjpass")


def _roles_beside(name: Span) -> set[str]:
    """Role nouns in apposition to a name or before it: "A reader, Paolo Singer", "the
    Minnesota dentist, Dr. Walter Palmer", "striker Kyle Mensah"."""
    root = name[-1]
    roles = {c.lemma_.lower() for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"}
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        roles.add(root.head.lemma_.lower())
    roles |= {c.lemma_.lower() for c in root.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"}
    return roles


def _looks_like_a_name(phrase: Span, head: Token) -> bool:
    """A speaker of one to three capitalised words, not tagged as an organization and with no
    word that makes it one ("Wolff", "Nate Crowden"), is taken for a person."""
    words = [t for t in phrase if not t.is_punct]
    return (
        head.pos_ == "PROPN"
        and head.tag_ != "NNPS"
        and head.ent_type_ in ("", "PERSON", "GPE", "NORP")
        and 1 <= len(words) <= 3
        and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words)
        and not any(
            t.lower_ in ORG_SUFFIXES or t.lower_ in OFFICIAL_WORDS or t.lower_ in MEDIA_WORDS
            for t in words
        )
    )


def _gender(titles: set[str]) -> str:
    """ "m" or "f" when a title says so ("Mr", "Mrs"), else ""."""
    if titles & {"mr", "sir", "lord", "king", "prince", "father"}:
        return "m"
    if titles & {"mrs", "ms", "miss", "dame", "lady", "queen", "princess"}:
        return "f"
    return ""


def _acronym(short: str, long: str) -> bool:
    """True when ``short`` is the initials of ``long`` ("CCP", "Chinese Communist Party")."""
    if not (2 <= len(short) <= 6 and short.isupper() and short.isalpha()):
        return False
    words = [
        w for w in re.split(r"[\s-]+", long) if w and w.lower() not in ("of", "the", "and", "for")
    ]
    return len(words) == len(short) and "".join(w[0].upper() for w in words) == short


def _is_spokes(head: Token) -> bool:
    return head.lemma_.lower() in SPOKES_ROLES


def _phrase(head: Token, within: tuple[int, int] | None, *, conj: bool = False) -> Span:
    """The noun phrase of ``head``: its left modifiers and a short right part, no apposition
    (with ``conj``, its conjuncts too: "independent organizations and human rights lawyers")."""
    doc = head.doc
    left = head.left_edge.i
    right = head.i
    stops = (
        ("appos", "punct", "relcl", "acl")
        if conj
        else ("appos", "punct", "cc", "conj", "relcl", "acl")
    )
    for child in head.rights:
        if child.dep_ in stops or child.text in (",", "“", '"'):
            break
        right = child.right_edge.i
    if right - left > 14:
        right = head.i
    if within is not None:
        while left < right and doc[left].idx < within[0]:
            left += 1
        while right > left and doc[right].idx >= within[1]:
            right -= 1
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    return doc[left : right + 1]
