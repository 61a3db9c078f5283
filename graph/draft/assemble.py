"""One parsed article → one :class:`Draft`: the rules of the sibling modules, in order."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from graph.draft.affiliations import find_affiliations
from graph.draft.author import author_runs, find_hedges, mode_of_author_claim
from graph.draft.entities import EntityTable, Speaker, slug
from graph.draft.furniture import find_furniture, paragraphs
from graph.draft.items import Article, CitedDocument, Draft, DraftClaim, DraftEntity
from graph.draft.quantities import find_dates, find_quantities
from graph.draft.quotes import find_quotes
from graph.draft.relations import link_denials
from graph.draft.reported import Report, find_reports
from graph.draft.speakers import attribute_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["assemble"]

_HEADLINE_WORDS = 25
_PUBLISHER_PLACEHOLDER = "publisher"


def _title(article: Article) -> tuple[str, tuple[int, int] | None]:
    """The given title, else a first line that reads as a headline (kept out of the claims)."""
    if article.title:
        return article.title, None
    paras = list(paragraphs(article.text))
    if len(paras) > 1:
        start, end = paras[0]
        line = article.text[start:end]
        if len(line.split()) <= _HEADLINE_WORDS and line[-1] not in ".!?”\"'’":
            return line, (start, end)
    return article.id, None


def _tokens_in(doc: Doc, start: int, end: int) -> set[int]:
    return {t.i for t in doc if start <= t.idx < end}


class _Claims:
    """Collects drafted claims, keeping one per span (the most confident)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.by_span: dict[tuple[int, int], DraftClaim] = {}

    def add(self, claim: DraftClaim) -> None:
        key = (claim.start, claim.end)
        if key not in self.by_span or self.by_span[key].confidence < claim.confidence:
            self.by_span[key] = claim


def assemble(doc: Doc, article: Article, extractor: str) -> Draft:
    """The draft of ``article`` from its spaCy parse ``doc``."""
    text = article.text
    table = EntityTable(doc)
    title, headline = _title(article)
    furniture = find_furniture(text)
    blocked = [*furniture, *([headline] if headline else [])]
    taken: set[int] = set()
    for start, end in blocked:
        taken |= _tokens_in(doc, start, end)

    publisher = (
        table.organization(article.publisher)
        if article.publisher
        else table.placeholder(
            _PUBLISHER_PLACEHOLDER, "organization", "Publisher (unknown: fill in)",
            "The drafter was not told the publisher; replace this entity.",
        )
    )  # fmt: skip
    quotes = [q for q in find_quotes(text) if not any(s <= q.open_at < e for s, e in blocked)]
    table.set_quoted([(q.open_at, q.close_at) for q in quotes])
    attributions, short_quotes = attribute_quotes(doc, table, quotes)
    in_quote: set[int] = set()
    for a in attributions:
        in_quote |= _tokens_in(doc, a.quote.open_at, a.quote.close_at + 1)
    taken |= in_quote
    for a in attributions:
        if a.verb is not None:
            taken |= {t.i for t in doc[a.verb].subtree}
    skip = {a.verb for a in attributions if a.verb is not None}
    kept_out = set(in_quote)
    for start, end in blocked:
        kept_out |= _tokens_in(doc, start, end)
    reports = find_reports(doc, table, skip, kept_out)
    for r in reports:
        taken |= set(range(r.frame[0], r.frame[1] + 1))

    claims = _Claims(text)
    cited: dict[str, CitedDocument] = {}
    relay_of: dict[str, tuple[int, str]] = {}  # speaker → (from offset, document id)

    def unknown() -> Speaker:
        ident = table.placeholder(
            EntityTable.UNKNOWN, "person", "Unidentified speaker (fill in)",
            "The drafter could not tell who said this.",
        )  # fmt: skip
        return Speaker(ident, "anonymous", resolved=False)

    def cite(outlet: str, cited_as: str, at: int, speaker: str | None, interview: bool) -> str:
        ident = f"{outlet}-interview" if interview else f"{outlet}-report"
        if ident not in cited:
            label = table.get(outlet).label
            cited[ident] = CitedDocument(
                ident,
                (f"Interview given to {label}" if interview else f"Report by {label}")
                + " (as cited)",
                cited_as,
                publisher=outlet,
                type="interview" if interview else "news-article",
            )
        if speaker is not None and speaker not in relay_of:
            relay_of[speaker] = (at, ident)
        return ident

    relayed: tuple[str, ...]
    cues: tuple[str, ...]
    for a in attributions:
        speaker = a.speaker or unknown()
        cues = (text[a.cue[0] : a.cue[1]],) if a.cue else ()
        relayed = ()
        if a.told is not None:
            name = (
                table.get(a.told).names[0] if table.get(a.told).names else table.get(a.told).label
            )
            relayed = (cite(a.told, name, a.quote.start, speaker.entity, True),)
        claims.add(
            _claim(text, a.quote.start, a.quote.end, speaker, "direct-quote", cues, a.confidence,
                   f"direct quote, speaker {a.how}", relayed)
        )  # fmt: skip
    def cite_source(descriptor: str) -> str:
        # The article's own: two articles' "a leaked estimate" are one only when an analyst says so.
        ident = f"{article.id}.{slug(descriptor, 40)}-doc"[:128]
        cited.setdefault(
            ident, CitedDocument(ident, f"{descriptor} (as cited)", descriptor, type="report")
        )
        return ident

    reported: list[DraftClaim] = []
    for r in reports:
        if not r.emit:
            continue
        start, end = doc[r.first].idx, doc[r.last].idx + len(doc[r.last].text)
        cues = tuple(text[c[0] : c[1]] for c in (r.cue, r.outlet_cue) if c)
        if r.source and r.document is not None:
            claims.add(_source_claim(text, start, end, r, cues, cite_source(r.document)))
            continue
        speaker = r.speaker or unknown()
        relayed = ()
        if r.outlet is not None and r.outlet_cue is not None:
            cited_as = text[r.outlet_cue[0] : r.outlet_cue[1]]
            relayed = (cite(r.outlet, cited_as, start, speaker.entity, False),)
        elif r.told is not None:
            name = (
                table.get(r.told).names[0] if table.get(r.told).names else table.get(r.told).label
            )
            relayed = (cite(r.told, name, start, speaker.entity, True),)
        elif r.document is not None:
            relayed = (cite_source(r.document),)
        claim = _claim(text, start, end, speaker, r.mode, cues, r.confidence, r.why, relayed)
        claims.add(claim)
        if speaker.resolved and r.mode != "denial":
            reported.append(claim)
    # "the company was working “intensely” to fix it": the speaker's own word, quoted; the
    # innermost reported statement that holds the quote says whose
    for q in short_quotes:
        holders = [c for c in reported if c.start <= q.start and q.end <= c.end]
        if holders:
            h = min(holders, key=lambda c: c.end - c.start)
            quoted = Speaker(h.claimants[0], h.source_kind, also=h.claimants[1:])
            claims.add(
                _claim(text, q.start, q.end, quoted, "direct-quote", h.cues, 0.6,
                       "partial quote inside reported speech", h.relayed_from)
            )  # fmt: skip
    author = Speaker(publisher, "author-voice")
    for first, last in author_runs(doc, taken):
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        mode, cues = mode_of_author_claim(text[start:end])
        claims.add(
            _claim(
                text,
                start,
                end,
                author,
                mode,
                cues,
                0.5,
                "author voice (what is left of the sentence)",
            )
        )

    ordered = sorted(claims.by_span.values(), key=lambda c: (c.start, c.end))
    ordered = _speaker_from_context(ordered, text)
    ordered = _propagate_relays(ordered, relay_of)
    ordered = [_enrich(c, table) for c in ordered]
    ordered = link_denials(ordered)
    affiliations = find_affiliations(doc, table)  # before the table's entities are read
    entities = table.entities()
    own = _article_scoped(entities, article.id)

    def ids(values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(own.get(v, v) for v in values)

    return Draft(
        article=article,
        publisher=own.get(publisher, publisher),
        extractor=extractor,
        entities=tuple(replace(e, id=own.get(e.id, e.id)) for e in entities),
        claims=tuple(replace(c, claimants=ids(c.claimants), mentions=ids(c.mentions))
                     for c in ordered),
        cited_documents=tuple(cited.values()),
        furniture=tuple(text[s:e] for s, e in furniture),
        title=title,
        affiliations=tuple(replace(a, subject=own.get(a.subject, a.subject),
                                   object=own.get(a.object, a.object)) for a in affiliations),
    )


def _article_scoped(entities: tuple[DraftEntity, ...], article_id: str) -> dict[str, str]:
    """New ids, prefixed by the article's, for the entities only this article can vouch for:
    vague ones ("a spokesperson for the council", "residents") and the placeholders to fill in.
    Two drafts built together must not make one source of two articles' unnamed ones."""
    placeholders = {EntityTable.UNKNOWN, _PUBLISHER_PLACEHOLDER}
    return {e.id: f"{article_id}.{e.id}"[:128] for e in entities
            if e.vague or e.id in placeholders}


def _claim(
    text: str,
    start: int,
    end: int,
    speaker: Speaker,
    mode: str,
    cues: tuple[str, ...],
    confidence: float,
    why: str,
    relayed: tuple[str, ...] = (),
) -> DraftClaim:
    return DraftClaim(
        start=start,
        end=end,
        text=text[start:end],
        claimants=(speaker.entity, *speaker.also),
        source_kind=speaker.source_kind,
        mode=mode,
        confidence=confidence,
        why=why,
        cues=cues,
        relayed_from=relayed,
        speaker_resolved=speaker.resolved,
    )


def _source_claim(
    text: str, start: int, end: int, r: Report, cues: tuple[str, ...], document: str
) -> DraftClaim:
    """A claim that comes from a cited document: attributed to its author only where the text
    names one, never to a claimant made up for it."""
    return DraftClaim(
        start=start,
        end=end,
        text=text[start:end],
        claimants=() if r.speaker is None else (r.speaker.entity, *r.speaker.also),
        source_kind="document",
        mode=r.mode,
        confidence=r.confidence,
        why=r.why,
        cues=cues,
        source_document=document,
    )


def _speaker_from_context(claims: list[DraftClaim], text: str) -> list[DraftClaim]:
    """A quote with no speaker of its own, right after a statement someone was named as making
    ("Smith said the plan was flawed.\n\n“It is a disaster.”"), is that speaker's."""
    from dataclasses import replace

    out: list[DraftClaim] = []
    for c in claims:
        if c.mode == "direct-quote" and not c.speaker_resolved and out:
            previous = out[-1]
            gap = text[previous.end : c.start]
            if (
                previous.source_kind not in ("author-voice", "document")
                and previous.speaker_resolved
                and len(re.findall(r"\n+", gap)) <= 1  # the same or the next paragraph
                and len(gap) < 200
            ):
                c = replace(
                    c,
                    claimants=previous.claimants,
                    source_kind=previous.source_kind,
                    speaker_resolved=True,
                    confidence=0.55,
                    why="direct quote, speaker of the statement before it",
                )
        out.append(c)
    return out


def _propagate_relays(
    claims: list[DraftClaim], relay_of: dict[str, tuple[int, str]]
) -> list[DraftClaim]:
    """A speaker relayed through a document once is relayed through it for the rest of the text."""
    from dataclasses import replace

    out = []
    for c in claims:
        relay = relay_of.get(c.claimants[0]) if c.claimants else None
        if relay is not None and c.start >= relay[0] and relay[1] not in c.relayed_from:
            c = replace(c, relayed_from=(*c.relayed_from, relay[1]))
        out.append(c)
    return out


def _enrich(claim: DraftClaim, table: EntityTable) -> DraftClaim:
    from dataclasses import replace

    mentions = tuple(e for e in table.at(claim.start, claim.end) if e not in claim.claimants)
    return replace(
        claim,
        hedges=find_hedges(claim.text),
        mentions=mentions,
        quantities=find_quantities(claim.text),
        dates=find_dates(claim.text),
    )
