"""Generate a synthetic corpus of annotated news articles, for tests and benchmarks.

Usage::

    python scripts/make_corpus.py --documents 50 --seed 1 --out corpus/synthetic

Every document is a ``.txt`` of generated sentences and a ``.yaml`` in the annotation format of
``docs/annotation-format.md`` (sha256 computed). The world is invented: people, outlets,
organisations, places and stories are made of generated names; nothing refers to real people or
events. Each document carries about 40 claims: direct quotes, reported speech, the outlet's own
voice, vague collectives and anonymous sources, denials, inferences, quantities, dates and
relations. A few original interviews and cited reports are relayed by many outlets, claim by claim
(``relayed_from: doc#claim``) or document by document (``cited_documents``); outlets relay each
other in chains, and a few pairs of documents relay each other's claims (circular reporting).

The output is a pure function of ``(documents, seed)``: :func:`generate_corpus` returns the file
contents by relative path, byte-identical for the same arguments.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

__all__ = ["CLAIMS_PER_DOCUMENT", "generate_corpus", "main", "write_corpus"]

CLAIMS_PER_DOCUMENT: Final = 40
MONTHS: Final = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
FIRST_NAMES: Final = (
    "Ada", "Bruno", "Calla", "Dario", "Edda", "Felix", "Greta", "Hugo", "Ilse", "Jonas", "Kaja",
    "Lorin", "Mira", "Nils", "Oona", "Pavel", "Quilla", "Rafe", "Saskia", "Teodor", "Ulla",
    "Vesna", "Wim", "Xenia", "Yara", "Zeno", "Anouk", "Bram", "Cosima", "Dag", "Elin", "Fenna",
)
SURNAME_HEADS: Final = (
    "Al", "Bren", "Cor", "Dal", "Ember", "Fen", "Gal", "Hal", "Isk", "Jor", "Kel", "Lor", "Mar",
    "Nor", "Ost", "Pel", "Quen", "Ros", "Sel", "Tor", "Ul", "Vas", "Wen", "Yor", "Zel", "Thrim",
)
SURNAME_TAILS: Final = (
    "dane", "vik", "moor", "wick", "holt", "stad", "vane", "mark", "brook", "rind", "tov", "lenz",
    "grave", "worth", "quist", "sby",
)
PLACE_HEADS: Final = (
    "Vel", "Orr", "Brenn", "Kast", "Lum", "Mor", "Nether", "Quar", "Sal", "Tarn", "Ves", "Wyn",
    "Ald", "Cray", "Dun", "Eld", "Fal", "Grim", "Holm", "Ivel",
)
PLACE_TAILS: Final = (
    "mont", "haven", "moor", "by", "ford", "wick", "stead", "port", "dale", "mere", "holm",
    "gard",
)
REGIONS: Final = ("Dravonia", "Ostmark Vale", "the Selvane Coast", "Upper Kell", "Marrowland")
OUTLET_FORMS: Final = (
    "The {p} Courier", "{p} Herald", "The {p} Ledger", "{p} Evening Post", "The {p} Sentinel",
    "{p} Radio", "The {p} Dispatch", "{p} Gazette", "{p} Daily", "The {p} Observer",
)
ORG_FORMS: Final = (
    "{p} Water Authority", "{s} Engineering", "{p} Port Authority", "{s} Institute",
    "{p} General Hospital", "{p} Transit Company", "{s} and Partners", "{p} Harbour Board",
    "{s} Foundation", "{p} Grain Cooperative", "Ministry of Works of {r}", "{s} Consulting",
)
FACILITIES: Final = (
    "north sluice", "east pumping station", "grain silo", "harbour crane", "ferry terminal",
    "filtration plant", "old bridge", "river lock", "maternity ward", "signal box", "sea wall",
    "cold store", "rail depot", "water tower", "boiler house", "dry dock",
)
TOPIC_FORMS: Final = (
    "the {p} sluice dispute", "the {p} harbour inquiry", "the {p} ferry contract",
    "the {p} water shortage", "the {p} hospital closures", "the {p} rail depot fire",
    "the {p} grain audit", "the {p} bridge inspections",
)
GROUP_FORMS: Final = (
    ("residents of {p}", "Residents of {p} (unnamed)"),
    ("several engineers in {p}", "Engineers in {p} (unnamed)"),
    ("fishermen in {p}", "Fishermen in {p} (unnamed)"),
    ("some nurses in {p}", "Nurses in {p} (unnamed)"),
    ("union representatives in {p}", "Union representatives in {p} (unnamed)"),
    ("shopkeepers in {p}", "Shopkeepers in {p} (unnamed)"),
)
ANON_FORMS: Final = (
    "a person familiar with {t}", "an official who asked not to be named in {p}",
    "a source close to {t}", "an engineer who declined to be identified in {p}",
)


# ----------------------------------------------------------------------------- the world


@dataclass(frozen=True)
class Ent:
    """An entity of the invented world (corpus-wide: one id, one type, one label)."""

    id: str
    type: str
    label: str
    short: str = ""
    descriptor: str = ""
    vague: bool = False

    def surface(self) -> str:
        """How the text names it: a group by its descriptor, anyone else by its label."""
        return self.descriptor or self.label


@dataclass
class Story:
    """One news story: a topic, a place, the organisations and people involved."""

    index: int
    topic: Ent
    place: Ent
    region: Ent
    orgs: list[Ent]
    people: list[Ent]
    groups: list[Ent]
    anons: list[Ent]
    reports: list[tuple[str, str, Ent, str]]  # (doc id, title, author org, cited phrase)


@dataclass
class World:
    places: list[Ent]
    regions: list[Ent]
    outlets: list[Ent]
    stories: list[Story]


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in out.split("-") if part)


def _unique_names(rng: random.Random, count: int, make: Callable[[], str]) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen.setdefault(make(), None)
    return list(seen)


def _make_world(rng: random.Random, documents: int) -> World:
    n_stories = max(1, min(documents, 1 + documents // 12))
    n_outlets = max(3, min(60, 3 + documents // 6))
    place_names = _unique_names(
        rng, n_stories + n_outlets + 4, lambda: rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)
    )
    places = [Ent(f"place-{_slug(p)}", "place", p) for p in place_names]
    regions = [Ent(f"region-{_slug(r)}", "place", r.removeprefix("the ")) for r in REGIONS]
    outlet_labels: dict[str, None] = {}
    for p in place_names[n_stories:]:
        if len(outlet_labels) == n_outlets:
            break
        outlet_labels.setdefault(rng.choice(OUTLET_FORMS).format(p=p), None)
    outlets = [Ent(f"outlet-{_slug(o)}", "organization", o) for o in outlet_labels]
    person_names = _unique_names(
        rng,
        n_stories * 6,
        lambda: f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAME_HEADS)}{rng.choice(SURNAME_TAILS)}",
    )
    used_orgs: dict[str, None] = {}
    stories = []
    for index in range(n_stories):
        place = places[index]
        region = regions[index % len(regions)]
        topic_label = rng.choice(TOPIC_FORMS).format(p=place.label)
        topic = Ent(f"topic-{index + 1:03d}-{_slug(topic_label)}", "topic", topic_label)
        orgs: list[Ent] = []
        while len(orgs) < 4:
            surname = rng.choice(SURNAME_HEADS) + rng.choice(SURNAME_TAILS)
            label = rng.choice(ORG_FORMS).format(p=place.label, s=surname, r=region.label)
            if label in used_orgs:
                continue
            used_orgs[label] = None
            orgs.append(Ent(f"org-{_slug(label)}", "organization", label))
        people = []
        for name in person_names[index * 6 : index * 6 + 6]:
            surname = name.split()[-1]
            title = rng.choice(("Dr.", "Ms.", "Mr.", "Professor", "Engineer"))
            person = Ent(f"person-{_slug(name)}", "person", name, short=f"{title} {surname}")
            people.append(person)
        groups = []
        for descriptor, label in rng.sample(GROUP_FORMS, 3):
            d = descriptor.format(p=place.label)
            groups.append(Ent(f"group-{index + 1:03d}-{_slug(d)}", "group",
                              label.format(p=place.label), descriptor=d, vague=True))
        anons = []
        for k, form in enumerate(rng.sample(ANON_FORMS, 2), start=1):
            d = form.format(t=topic_label, p=place.label)
            anons.append(Ent(f"anon-{index + 1:03d}-{k}", "group",
                             f"Unnamed source {k} on {topic_label}", descriptor=d, vague=True))
        reports = []
        for k, author in enumerate(rng.sample(orgs, 2), start=1):
            kind = rng.choice(("an audit", "a technical review", "a safety report"))
            phrase = f"{kind} by {author.label}"
            title = f"{kind.split(' ', 1)[1].capitalize()} on {topic_label} ({author.label})"
            reports.append((f"report-{index + 1:03d}-{k}", title, author, phrase))
        stories.append(Story(index, topic, place, region, orgs, people, groups, anons, reports))
    return World(places, regions, outlets, stories)


# ----------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class Fact:
    """What a claim says: a clause (with a quotable form) and its structured content."""

    clause: str
    gist: str
    about: tuple[str, ...]
    entities: tuple[Ent, ...]
    quantities: tuple[dict[str, Any], ...] = ()
    dates: tuple[str, ...] = ()
    relations: tuple[tuple[str, str, str], ...] = ()


def _when(rng: random.Random) -> tuple[str, str]:
    year = rng.randint(1996, 2023)
    if rng.random() < 0.5:
        return str(year), str(year)
    month = rng.randint(1, 12)
    return f"{MONTHS[month - 1]} {year}", f"{year}-{month:02d}"


def _fact(rng: random.Random, story: Story) -> Fact:
    """One invented statement about a story, with numbers and dates that keep it distinct."""
    org, org2 = rng.sample(story.orgs, 2)
    person, person2 = rng.sample(story.people, 2)
    place, region, topic = story.place, story.region, story.topic
    facility = rng.choice(FACILITIES)
    n = rng.randint(3, 9800)
    when, date = _when(rng)
    kind = rng.randrange(12)
    if kind == 0:
        return Fact(f"{org.label} closed the {facility} in {place.label} in {when}",
                    f"the closure of the {facility} in {when}", (org.id, place.id), (org, place),
                    dates=(date,), relations=((org.id, "schema:location", place.id),))
    if kind == 1:
        return Fact(f"{person.label} has worked for {org.label} since {when}",
                    f"the employment of {person.label} since {when}", (person.id,), (person, org),
                    dates=(date,), relations=((person.id, "schema:worksFor", org.id),))
    if kind == 2:
        phrase = f"{n} inspections of the {facility}"
        return Fact(f"{org.label} paid for {phrase} a year",
                    f"the figure of {n} inspections", (org.id,), (org,),
                    quantities=({"value": n, "unit": "inspections", "per": "year",
                                 "text": phrase},))
    if kind == 3:
        return Fact(f"{org.label} was established by {org2.label} in {when}",
                    f"the founding of {org.label} in {when}", (org.id,), (org, org2),
                    dates=(date,), relations=((org2.id, "cg:established", org.id),))
    if kind == 4:
        days = rng.randint(2, 90)
        phrase = f"more than {n} households in {place.label}"
        return Fact(f"{phrase} lost water for {days} days after the {facility} failed",
                    f"the outage of {days} days", (place.id, topic.id), (place, topic),
                    quantities=({"min": n, "unit": "households", "text": phrase},
                                {"value": days, "unit": "days", "text": f"{days} days"}))
    if kind == 5:
        phrase = f"{n} thousand crowns"
        return Fact(f"{org2.label} paid {phrase} to {org.label} for the {facility} in {when}",
                    f"a payment of {n} thousand crowns", (org.id, org2.id), (org, org2),
                    quantities=({"value": n * 1000, "unit": "crowns", "text": phrase},),
                    dates=(date,), relations=((org2.id, "cg:funds", org.id),))
    if kind == 6:
        phrase = f"hundreds of workers at the {facility}"
        return Fact(f"{org.label} dismissed {phrase} in {when}",
                    f"the dismissals at the {facility} in {when}", (org.id,), (org,),
                    quantities=({"min": 100, "unit": "workers", "approximate": True,
                                 "text": phrase},), dates=(date,))
    if kind == 7:
        return Fact(f"{person.label} supervised the {facility} programme of {org.label} "
                    f"until {when}", f"the supervision of the {facility} until {when}",
                    (person.id, org.id), (person, org), dates=(date,),
                    relations=((person.id, "cg:supervises", org.id),))
    if kind == 8:
        phrase = f"{n} warnings"
        return Fact(f"{person.label} accused {org.label} of ignoring {phrase} about the "
                    f"{facility}", f"the {n} ignored warnings", (org.id,), (person, org),
                    quantities=({"value": n, "unit": "warnings", "text": phrase},),
                    relations=((person.id, "cg:accuses", org.id),))
    if kind == 9:
        return Fact(f"{org.label} kept {n} safety reports on {topic.label} from the public",
                    f"the {n} withheld safety reports", (org.id, topic.id), (org, topic),
                    quantities=({"value": n, "unit": "safety reports",
                                 "text": f"{n} safety reports"},),
                    relations=((org.id, "cg:coversUp", topic.id),))
    if kind == 10:
        return Fact(f"{person.label} has known {person2.label} since {when}",
                    f"the acquaintance of {person.label} and {person2.label}",
                    (person.id, person2.id), (person, person2), dates=(date,),
                    relations=((person.id, "schema:knows", person2.id),))
    return Fact(f"{place.label} has belonged to the district of {region.label} since {when}",
                f"the district boundary of {place.label} since {when}", (place.id,),
                (place, region), dates=(date,),
                relations=((place.id, "schema:containedInPlace", region.id),))


def _fact_variant(rng: random.Random, fact: Fact) -> Fact:
    """The same statement with a different figure: a conflicting account."""
    for q in fact.quantities:
        old = q.get("value", q.get("min"))
        if old is None or "approximate" in q:
            continue
        shown = str(old // 1000 if q["unit"] == "crowns" else old)
        new = int(shown) + rng.randint(1, 500)
        new_q = dict(q)
        new_q["text"] = q["text"].replace(shown, str(new), 1)
        key = "value" if "value" in q else "min"
        new_q[key] = new * 1000 if q["unit"] == "crowns" else new
        clause = fact.clause.replace(q["text"], new_q["text"], 1)
        quantities = tuple(new_q if x is q else x for x in fact.quantities)
        return Fact(clause, fact.gist.replace(shown, str(new), 1), fact.about, fact.entities,
                    quantities, fact.dates, fact.relations)
    return fact


# ----------------------------------------------------------------------------- planning


@dataclass
class PlannedClaim:
    """One claim of a document, before its sentence is written."""

    id: str
    kind: str
    fact: Fact
    claimant: Ent
    relayed_from: list[str] = field(default_factory=list)
    via: Ent | None = None
    report: tuple[str, str, Ent, str] | None = None
    denies: list[str] = field(default_factory=list)
    contradicts: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    inferred_from: list[str] = field(default_factory=list)
    speaker_form: str = ""


@dataclass
class PlannedDoc:
    index: int
    id: str
    story: Story
    outlet: Ent
    type: str
    date: str
    claims: list[PlannedClaim] = field(default_factory=list)


@dataclass(frozen=True)
class Relayable:
    """A claim later documents can relay: where it is, what it says, who said it."""

    key: str
    doc: PlannedDoc
    claim: PlannedClaim


def _doc_id(index: int) -> str:
    return f"doc-{index:04d}"


def _plan(rng: random.Random, world: World, documents: int) -> list[PlannedDoc]:
    docs: list[PlannedDoc] = []
    pool: dict[int, list[Relayable]] = {s.index: [] for s in world.stories}
    lead_outlets = world.outlets[: max(2, len(world.outlets) // 5)]
    for index in range(1, documents + 1):
        story = world.stories[(index - 1) % len(world.stories)]
        first = not pool[story.index]
        outlet = rng.choice(lead_outlets if first else world.outlets)
        year = rng.randint(2020, 2024)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        doc = PlannedDoc(index, _doc_id(index), story, outlet,
                         "interview" if first else "news-article", date)
        _plan_claims(rng, doc, pool[story.index], first)
        docs.append(doc)
        for claim in doc.claims:
            if claim.kind in ("quote", "speech", "relay-person", "relay-outlet"):
                pool[story.index].append(Relayable(f"{doc.id}#{claim.id}", doc, claim))
    _add_cycles(rng, docs)
    return docs


def _plan_claims(rng: random.Random, doc: PlannedDoc, pool: list[Relayable], first: bool) -> None:
    """About 40 claims; no statement twice in one document, so every claim's text is unique."""
    story = doc.story
    target = CLAIMS_PER_DOCUMENT + rng.randint(-3, 3)
    interviewee = rng.choice(story.people)
    weights = (
        {"quote": 20, "speech": 5, "author": 6, "vague": 3, "anon": 2, "report": 2, "deny": 1,
         "infer": 1, "confirm": 1}
        if first else
        {"quote": 3, "speech": 4, "author": 7, "vague": 3, "anon": 2, "report": 4,
         "relay-person": 9, "relay-outlet": 4, "deny": 2, "infer": 1, "counter": 1,
         "confirm": 1}
    )
    kinds = list(weights)
    clauses: set[str] = set()
    gists: set[str] = set()
    claims = doc.claims

    def fresh() -> Fact:
        for _ in range(50):
            fact = _fact(rng, story)
            if fact.clause not in clauses and fact.gist not in gists:
                return fact
        raise RuntimeError(f"{doc.id}: cannot find a new statement")  # pragma: no cover

    def add(claim: PlannedClaim, *, gist: bool = False) -> None:
        claims.append(claim)
        clauses.add(claim.fact.clause)
        if gist:
            gists.add(claim.fact.gist)

    while len(claims) < target:
        kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
        cid = f"c{len(claims) + 1:03d}"
        if kind in ("relay-person", "relay-outlet", "counter"):
            choices = [r for r in pool if r.claim.fact.clause not in clauses
                       and r.claim.fact.gist not in gists]
            if kind == "relay-outlet":
                choices = [r for r in choices if r.doc.outlet.id != doc.outlet.id]
            if not choices:
                continue
            # Recent documents are relayed most: outlets pick up what is circulating; a few old
            # originals keep coming back.
            if rng.random() < 0.3:
                source = rng.choice(choices)
            else:
                source = choices[-1 - min(len(choices) - 1, int(rng.expovariate(0.15)))]
            upstream = source.claim
            if kind == "counter":
                variant = _fact_variant(rng, upstream.fact)
                if variant.clause in clauses or variant is upstream.fact:
                    continue
                add(PlannedClaim(cid, "counter", variant, rng.choice(story.people),
                                 contradicts=[source.key]))
            elif kind == "relay-person" and upstream.claimant.type == "person":
                add(PlannedClaim(cid, kind, upstream.fact, upstream.claimant,
                                 relayed_from=[source.key], via=source.doc.outlet))
            else:
                add(PlannedClaim(cid, "relay-outlet", upstream.fact, source.doc.outlet,
                                 relayed_from=[source.key]))
            continue
        if kind in ("deny", "confirm"):
            local = [(c.id, c.fact) for c in claims
                     if c.kind in ("quote", "speech", "relay-person") and c.fact.gist not in gists]
            remote = [(r.key, r.claim.fact) for r in pool[-200:] if r.claim.fact.gist not in gists
                      and r.claim.fact.clause not in clauses]
            if kind == "confirm":
                remote = []
            if not local and not remote:
                continue
            ref, fact = rng.choice(local if local and (rng.random() < 0.5 or not remote)
                                   else remote)
            if kind == "deny":
                who = rng.choice([e for e in fact.entities if e.type == "organization"]
                                 or story.orgs)
                add(PlannedClaim(cid, "deny", fact, who, denies=[ref]), gist=True)
            else:
                add(PlannedClaim(cid, "confirm", fact, rng.choice(story.people),
                                 supports=[ref]), gist=True)
            continue
        if kind == "infer":
            basis = [c.id for c in claims if c.kind in ("quote", "speech", "author")]
            if not basis:
                continue
            add(PlannedClaim(cid, "infer", fresh(), doc.outlet,
                             inferred_from=rng.sample(basis, min(2, len(basis)))))
            continue
        fact = fresh()
        if kind == "quote":
            add(PlannedClaim(cid, kind, fact, interviewee if first else rng.choice(story.people)))
        elif kind == "speech":
            add(PlannedClaim(cid, kind, fact, rng.choice(story.people)))
        elif kind == "author":
            add(PlannedClaim(cid, kind, fact, doc.outlet))
        elif kind == "vague":
            add(PlannedClaim(cid, kind, fact, rng.choice(story.groups)))
        elif kind == "anon":
            add(PlannedClaim(cid, kind, fact, rng.choice(story.anons)))
        else:
            report = rng.choice(story.reports)
            add(PlannedClaim(cid, "report", fact, report[2], relayed_from=[report[0]],
                             report=report))


def _add_cycles(rng: random.Random, docs: list[PlannedDoc]) -> None:
    """A few pairs of articles that relay each other's claim: circular reporting."""
    by_story: dict[int, list[PlannedDoc]] = {}
    for d in docs:
        if d.type == "news-article":
            by_story.setdefault(d.story.index, []).append(d)
    pairs = [
        (a, b)
        for articles in by_story.values()
        for a, b in itertools.pairwise(articles)
        if a.outlet.id != b.outlet.id
    ]
    for a, b in rng.sample(pairs, min(len(pairs), max(1, len(docs) // 25))) if pairs else []:
        taken = {c.fact.clause for c in a.claims + b.claims}
        fact = _fact(rng, a.story)
        while fact.clause in taken:  # pragma: no cover - a fresh statement is almost always new
            fact = _fact(rng, a.story)
        ida, idb = f"c{len(a.claims) + 1:03d}", f"c{len(b.claims) + 1:03d}"
        a.claims.append(PlannedClaim(ida, "relay-outlet", fact, b.outlet,
                                     relayed_from=[f"{b.id}#{idb}"]))
        b.claims.append(PlannedClaim(idb, "relay-outlet", fact, a.outlet,
                                     relayed_from=[f"{a.id}#{ida}"]))


# ----------------------------------------------------------------------------- writing


class _Flow(list):  # type: ignore[type-arg]
    """A list YAML writes on one line (``[a, b]``)."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Writer:
    """Writes one document's sentences, refusing any that would make a claim's text ambiguous."""

    def __init__(self) -> None:
        self.sentences: list[str] = []
        self.spans: list[str] = []

    def text(self) -> str:
        return " ".join(self.sentences)

    def fits(self, sentence: str, span: str | None) -> bool:
        current = self.text()
        if span is not None and (span in current or sentence.count(span) != 1):
            return False
        return not any(s in sentence for s in self.spans)

    def add(self, sentence: str, span: str | None) -> None:
        self.sentences.append(sentence)
        if span is not None:
            self.spans.append(span)


def _render_claim(
    rng: random.Random, claim: PlannedClaim
) -> tuple[str, str, dict[str, Any], list[Ent]]:
    """(sentence, claim span, annotation fields, entities the sentence names)."""
    fact = claim.fact
    clause = fact.clause
    who = claim.claimant
    named: list[Ent] = [who]
    fields: dict[str, Any] = {}
    kind = claim.kind
    if kind == "quote":
        form = rng.choice((who.label, who.short))
        span = _cap(clause)
        sentence = f"“{span},” {form} said."
        fields = {"source_kind": "named-person", "mode": "direct-quote", "cue": "said"}
        claim.speaker_form = form
    elif kind in ("speech", "counter"):
        form = rng.choice((who.label, who.short))
        verb = rng.choice(("said", "told reporters", "stated"))
        span = clause
        sentence = f"{form} {verb} that {span}."
        fields = {"source_kind": "named-person", "mode": "reported-speech", "cue": verb}
        claim.speaker_form = form
    elif kind == "relay-person":
        assert claim.via is not None
        form = rng.choice((who.label, who.short))
        if rng.random() < 0.4:
            span = _cap(clause)
            sentence = f"“{span},” {form} told {claim.via.label}."
            fields = {"source_kind": "named-person", "mode": "direct-quote", "cue": "told"}
        else:
            span = clause
            sentence = f"{form} told {claim.via.label} that {span}."
            fields = {"source_kind": "named-person", "mode": "reported-speech", "cue": "told"}
        named.append(claim.via)
        claim.speaker_form = form
    elif kind == "relay-outlet":
        span = clause
        sentence = f"According to {who.label}, {span}."
        fields = {"source_kind": "named-organization", "mode": "reported-speech",
                  "cue": "According to"}
    elif kind == "report":
        assert claim.report is not None
        span = clause
        sentence = f"According to {claim.report[3]}, {span}."
        fields = {"source_kind": "document", "mode": "reported-speech", "cue": "According to"}
    elif kind == "author":
        span = _cap(clause)
        sentence = f"{span}."
        fields = {"source_kind": "author-voice", "mode": "author-assertion"}
    elif kind == "infer":
        span = clause
        sentence = f"This suggests that {span}."
        fields = {"source_kind": "author-voice", "mode": "inference", "cue": "This suggests"}
    elif kind == "vague":
        hedge = rng.choice(("had heard rumors", "believe", "say they were told"))
        span = clause
        sentence = f"Meanwhile, {who.descriptor} {hedge} that {span}."
        fields = {"source_kind": "vague-collective", "mode": "hedged", "cue": hedge,
                  "hedges": _Flow([hedge])}
    elif kind == "anon":
        span = clause
        sentence = f"According to {who.descriptor}, {span}."
        fields = {"source_kind": "anonymous", "mode": "reported-speech", "cue": "According to"}
    elif kind == "confirm":
        form = rng.choice((who.label, who.short))
        span = f"{form} confirmed {fact.gist}"
        sentence = f"Separately, {span}."
        fields = {"source_kind": "named-person", "mode": "reported-speech", "cue": "confirmed"}
        claim.speaker_form = form
    else:  # deny
        span = f"{who.label} denied reports of {fact.gist}"
        sentence = f"In a statement, {span}."
        fields = {"source_kind": "official-statement", "mode": "denial", "cue": "denied"}
    named.extend(fact.entities)
    return sentence, span, fields, named


def _claim_entry(claim: PlannedClaim, span: str, fields: dict[str, Any]) -> dict[str, Any]:
    fact = claim.fact
    entry: dict[str, Any] = {"id": claim.id, "text": span, "claimant": claim.claimant.id}
    entry.update({k: fields[k] for k in ("source_kind", "mode", "cue", "hedges") if k in fields})
    if claim.kind != "deny":
        entry["about"] = _Flow(fact.about)
    elif fact.about:
        entry["about"] = _Flow(fact.about[:1])
    if claim.relayed_from:
        entry["relayed_from"] = claim.relayed_from[0]
    if claim.kind != "deny":
        quantities = [q for q in fact.quantities if q["text"] in span]
        if quantities:
            entry["quantities"] = [dict(q) for q in quantities]
        if fact.dates:
            entry["dates"] = _Flow(fact.dates)
        if fact.relations:
            entry["relations"] = [_Flow(r) for r in fact.relations]
    for key in ("supports", "contradicts", "denies", "inferred_from"):
        values = getattr(claim, key)
        if values:
            entry[key] = _Flow(values)
    return entry


def _entity_entry(entity: Ent, names: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": entity.id, "type": entity.type, "label": entity.label}
    if names:
        entry["names"] = _Flow(names)
    if entity.descriptor:
        entry["descriptor"] = entity.descriptor
    if entity.vague:
        entry["vague"] = True
    return entry


def _render_document(rng: random.Random, doc: PlannedDoc) -> tuple[str, str]:
    """The article text and its annotation YAML."""
    story = doc.story
    writer = _Writer()
    title = (f"{doc.outlet.label}: {'Interview' if doc.type == 'interview' else 'Report'} "
             f"on {story.topic.label} (No. {doc.index})")
    what = "conversation" if doc.type == "interview" else "report"
    writer.add(f"{_cap(story.topic.label)}: a {what} from {story.place.label}, filed {doc.date}.",
               None)
    entities: dict[str, Ent] = {doc.outlet.id: doc.outlet}
    surfaces: dict[str, list[str]] = {}
    cited: dict[str, dict[str, Any]] = {}
    entries = []
    for claim in doc.claims:
        sentence, span, fields, named = _render_claim(rng, claim)
        if not writer.fits(sentence, span):  # pragma: no cover - planning keeps statements apart
            raise RuntimeError(f"{doc.id}#{claim.id}: the claim's text would not be unique")
        writer.add(sentence, span)
        if len(writer.sentences) % 5 == 0:
            writer.sentences[-1] += "\n\n"
        for entity in named:
            entities.setdefault(entity.id, entity)
        if claim.speaker_form and claim.speaker_form != claim.claimant.label:
            forms = surfaces.setdefault(claim.claimant.id, [])
            if claim.speaker_form not in forms:
                forms.append(claim.speaker_form)
        if claim.report is not None:
            rid, rtitle, author, phrase = claim.report
            entities.setdefault(author.id, author)
            cited.setdefault(rid, {"id": rid, "title": rtitle, "type": "report",
                                   "cited_as": phrase,
                                   "metadata": {"publisher": author.id}})
        for rel in claim.fact.relations:
            for end in (rel[0], rel[2]):
                found = next((e for e in claim.fact.entities if e.id == end), None)
                if found is not None:
                    entities.setdefault(found.id, found)
        entries.append(_claim_entry(claim, span, fields))
    furniture = f"Subscribe to {doc.outlet.label} for daily news from {story.place.label}."
    writer.add("\n\n" + furniture, None)
    text = writer.text().replace("\n\n ", "\n\n") + "\n"
    for entry in entries:
        if text.count(entry["text"]) != 1:  # pragma: no cover - _Writer prevents it
            raise RuntimeError(f"{doc.id}#{entry['id']}: text not unique")
    names: dict[str, list[str]] = {}
    for entity in entities.values():
        forms = [entity.label] if entity.type != "group" and entity.label in text else []
        forms += [f for f in surfaces.get(entity.id, []) if f in text and f not in forms]
        names[entity.id] = forms
    data: dict[str, Any] = {
        "format": 1,
        "document": {
            "id": doc.id,
            "text": f"{doc.id}.txt",
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "title": title,
            "type": doc.type,
            "metadata": {
                "publisher": doc.outlet.id,
                "url": f"https://example.org/{doc.outlet.id}/{doc.id}",
                "date_published": doc.date,
            },
            "furniture": [furniture],
        },
    }
    if cited:
        data["cited_documents"] = [cited[k] for k in sorted(cited)]
    data["entities"] = [_entity_entry(entities[k], names[k]) for k in sorted(entities)]
    data["claims"] = entries
    header = (f"# Synthetic annotation of {doc.id}: invented people, places and events.\n")
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text, header + body


def generate_corpus(documents: int, seed: int) -> dict[str, str]:
    """The corpus as ``{relative path: file content}``, sorted by path; pure and deterministic."""
    if documents < 1:
        raise ValueError("documents must be at least 1")
    rng = random.Random(seed)
    world = _make_world(rng, documents)
    docs = _plan(rng, world, documents)
    files: dict[str, str] = {}
    for doc in docs:
        text, annotation = _render_document(rng, doc)
        files[f"{doc.id}.txt"] = text
        files[f"{doc.id}.yaml"] = annotation
    return dict(sorted(files.items()))


def write_corpus(files: dict[str, str], out: Path) -> list[Path]:
    """Write the files into ``out`` (created if missing) as UTF-8 with ``\\n`` line ends."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = out / name
        path.write_bytes(content.encode("utf-8"))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, required=True, help="number of documents")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args(argv)
    if args.documents < 1:
        parser.error("--documents must be at least 1")
    files = generate_corpus(args.documents, args.seed)
    write_corpus(files, args.out)
    claims = sum(f.count("\n  - id: c") + f.count("\n- id: c") for n, f in files.items()
                 if n.endswith(".yaml"))
    print(f"wrote {len(files) // 2} documents ({claims} claims) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
