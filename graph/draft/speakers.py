"""Who said each direct quote: the speech verb beside it, its subject, and what that refers to.

A quote is attributed, in this order, by the clause right after its closing mark ("…,” he
said.", "…,” said Dr. Strong."), by the clause that introduces it ("She said: “…"), by
"according to X", and otherwise by the quote before it in the same or the previous paragraph (a
quote split by "he said", or a run of quoted paragraphs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.draft.entities import EntityTable, Speaker
from graph.draft.quotes import Quote
from graph.draft.syntax import cue_span, is_speech_verb, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["Attribution", "attribute_quotes", "told_outlet"]

_TAIL_TOKENS = 30
_SHORT_QUOTE_WORDS = 4
_ENDS = (".", "!", "?")
# 'called the figures "deeply alarming"': a short quote these verbs introduce is speech.
_CALLING = frozenset(["call", "describe", "label", "brand", "term", "dub"])


@dataclass(frozen=True)
class Attribution:
    """How a quote was attributed: ``how`` is after, before, according-to, inherited or none."""

    quote: Quote
    speaker: Speaker | None
    how: str
    cue: tuple[int, int] | None = None
    verb: int | None = None  # token index of the speech verb
    told: str | None = None  # the outlet a speaker "told", an entity id

    @property
    def confidence(self) -> float:
        if self.speaker is None or not self.speaker.resolved:
            return 0.2
        base = {"after": 0.9, "before": 0.85, "according-to": 0.8, "inherited": 0.65}[self.how]
        return round(base - (0.1 if self.speaker.surface.lower() in ("he", "she") else 0.0), 2)


def _tail(doc: Doc, quote: Quote, next_open: int) -> list[Token]:
    out: list[Token] = []
    start = doc.char_span(quote.close_at, len(doc.text), alignment_mode="expand")
    if start is None:
        return out
    for token in doc[start.start :]:
        if token.idx <= quote.close_at:
            continue
        if token.idx >= next_open or "\n" in token.text or len(out) >= _TAIL_TOKENS:
            break
        out.append(token)
        if token.text in _ENDS:
            break
    return out


def _head(doc: Doc, quote: Quote, prev_close: int) -> list[Token]:
    span = doc.char_span(0, quote.open_at, alignment_mode="contract") if quote.open_at else None
    if span is None:
        return []
    out: list[Token] = []
    for token in reversed(list(doc[max(0, span.end - 40) : span.end])):
        if token.idx <= prev_close or "\n" in token.text or token.text in _ENDS:
            break
        out.append(token)
    return out[::-1]


def _according_to(tokens: list[Token]) -> Token | None:
    for token in tokens:
        if token.lower_ == "according":
            for prep in token.children:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        return pobj
    return None


def _speaker_of(table: EntityTable, verb: Token, region: tuple[int, int]) -> Speaker | None:
    if verb.lemma_.lower() == "quote":  # "…,” the agency quoted him as saying
        quoted = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if quoted is not None:
            return table.resolve(quoted)
    subject = subject_of(verb)
    if subject is not None and subject.i > verb.i and not region[0] <= subject.idx < region[1]:
        subject = None
    if subject is None:  # "…,” said the minister." parsed without a subject
        for token in verb.doc[verb.i + 1 : verb.i + 8]:
            if token.idx >= region[1]:
                break
            if token.pos_ in ("PROPN", "NOUN", "PRON"):
                subject = token
                while subject.dep_ == "compound" and subject.head.i > subject.i:
                    subject = subject.head
                break
    return table.resolve(subject) if subject is not None else None


def told_outlet(table: EntityTable, verb: Token) -> str | None:
    """The news outlet a speaker "told" ("told Daily Mail Australia"), an entity id."""
    if verb.lemma_.lower() not in ("tell", "say"):
        return None
    for child in verb.children:
        target = child
        if child.dep_ == "prep" and child.lower_ == "to":
            target = next((c for c in child.children if c.dep_ == "pobj"), child)
        elif child.dep_ not in ("dative", "dobj"):
            continue
        hits = table.at(
            target.left_edge.idx,
            target.right_edge.idx + len(target.right_edge.text),
            ("organization",),
        )
        if hits and table.is_media(hits[0]):
            return hits[0]
    return None


def _attribute(
    doc: Doc, table: EntityTable, quote: Quote, prev_close: int, next_open: int
) -> Attribution:
    tail = _tail(doc, quote, next_open)
    words = [t for t in tail if not (t.is_punct or t.is_space)]
    # "…,” he said": the quoted sentence ends (a comma or an end mark) before its attribution.
    inside = doc.text[quote.open_at + 1 : quote.close_at].rstrip()
    closed = inside[-1:] in (",", ".", "!", "?", "…", "—", "-")
    after = doc.text[quote.close_at + 1 : quote.close_at + 3].lstrip()[:1]
    if inside[-1:] in (".", "!", "?", "…") and after.isupper():
        # “Next?” Musk replied. — but “It was over.” The crowd left. is a new sentence
        closed = any(is_speech_verb(t) for t in words[:4])
    closed = closed or doc.text[quote.close_at + 1 : quote.close_at + 3].lstrip()[:1] == ","
    # “Thank you” she said: no comma, but a speaker and a speech verb right after the mark
    closed = closed or bool(
        words and words[0].pos_ in ("PRON", "PROPN") and any(is_speech_verb(t) for t in words[:4])
    )
    if (
        closed
        and words
        and words[0].dep_ not in ("cc", "mark")
        and words[0].lower_ not in ("which", "who")
    ):
        verb = next((t for t in words if t.pos_ == "VERB" or is_speech_verb(t)), None)
        if verb is not None:
            region = (quote.close_at, tail[-1].idx + len(tail[-1].text))
            speaker = _speaker_of(table, verb, region)
            if speaker is not None:
                return Attribution(
                    quote, speaker, "after", cue_span(verb), verb.i, told_outlet(table, verb)
                )
        pobj = _according_to(words)
        if pobj is not None:
            speaker = table.resolve(pobj)
            if speaker is not None:
                return Attribution(quote, speaker, "according-to", (words[0].idx, pobj.idx))
    head = _head(doc, quote, prev_close)
    verbs = [t for t in head if is_speech_verb(t)]
    if verbs:
        verb = verbs[-1]
        region = (head[0].idx, quote.open_at)
        speaker = _speaker_of(table, verb, region)
        if speaker is not None:
            return Attribution(
                quote, speaker, "before", cue_span(verb), verb.i, told_outlet(table, verb)
            )
    pobj = _according_to(head)
    if pobj is not None:
        speaker = table.resolve(pobj)
        if speaker is not None:
            return Attribution(quote, speaker, "according-to")
    return _introduced(doc, table, quote)


def _introduced(doc: Doc, table: EntityTable, quote: Quote) -> Attribution:
    """ "Mayor Jeff Hall made a statement regarding the inquiry:" and the quote below it: the
    subject of the sentence that ends with a colon right before the quote speaks."""
    before = doc.text[: quote.open_at].rstrip()
    if before[-1:] in (".", "!", "?") and "\n\n" not in doc.text[len(before) : quote.open_at]:
        return _previous_subject(doc, table, quote, len(before) - 1)
    if not before.endswith(":"):
        return Attribution(quote, None, "none")
    colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if colon is None:
        return Attribution(quote, None, "none")
    root = colon[0].sent.root
    subject = subject_of(root) if root.pos_ in ("VERB", "AUX") else None
    speaker = table.resolve(subject) if subject is not None else None
    if speaker is None or subject is None:
        return Attribution(quote, None, "none")
    return Attribution(quote, speaker, "before", cue_span(root), root.i)


def _previous_subject(doc: Doc, table: EntityTable, quote: Quote, end: int) -> Attribution:
    """ "Ana Ruiz paused. “It was over.”": a quote with no attribution of its own, right after a
    sentence in the same paragraph whose subject is a person, is that person's."""
    mark = doc.char_span(end, end + 1, alignment_mode="expand")
    if mark is None:
        return Attribution(quote, None, "none")
    sentence = mark[0].sent
    if any(quote.open_at > t.idx >= quote.start for t in sentence):
        return Attribution(quote, None, "none")
    root = sentence.root
    subject = subject_of(root) if root.pos_ in ("VERB", "AUX") else None
    if subject is None or sentence.start_char > end or '"' in sentence.text or "“" in sentence.text:
        return Attribution(quote, None, "none")
    speaker = table.resolve(subject)
    if speaker is None or speaker.source_kind != "named-person":
        return Attribution(quote, None, "none")
    return Attribution(quote, speaker, "inherited")


def _is_scare_quote(doc: Doc, quote: Quote, how: str, verb: Token | None = None) -> bool:
    """A short quoted phrase inside a sentence ("a ‘compatible’ organ") is not speech."""
    if len(quote.text.split()) >= _SHORT_QUOTE_WORDS or how == "after":
        return False  # long, or right before its speech verb (“We won,” she said)
    before = doc.text[: quote.open_at].rstrip()
    if not before or before[-1] in ".!?\n" or before[-2:-1] in (".", "!", "?"):
        return quote.text[-1:] not in ".!?"  # a sentence of its own: “This is unacceptable.”
    if how == "before" and verb is not None and verb.lemma_.lower() in _CALLING:
        return quote.open_at - (verb.idx + len(verb.text)) > 40
    return how != "after" and not before.endswith(":")


def attribute_quotes(
    doc: Doc, table: EntityTable, quotes: list[Quote]
) -> tuple[list[Attribution], list[Quote]]:
    """An attribution for every quote that is speech, and apart the short quoted phrases inside
    sentences (scare quotes, or partial quotes of a reported statement)."""
    out: list[Attribution] = []
    short: list[Quote] = []
    text = doc.text
    for i, quote in enumerate(quotes):
        # a quoted word earlier in the sentence ("working “intensely” to fix") is no boundary
        full = [q for q in quotes[:i] if len(q.text.split()) >= _SHORT_QUOTE_WORDS]
        prev_close = full[-1].close_at if full else -1
        next_open = quotes[i + 1].open_at if i + 1 < len(quotes) else len(text)
        found = _attribute(doc, table, quote, prev_close, next_open)
        verb = doc[found.verb] if found.verb is not None else None
        if _is_scare_quote(doc, quote, found.how, verb):
            short.append(quote)
            continue
        if found.speaker is None and out and _near(text, out[-1].quote, quote):
            previous = out[-1]
            if previous.speaker is not None:
                found = Attribution(
                    quote, previous.speaker, "inherited", previous.cue, previous.verb, previous.told
                )
        out.append(found)
    return out, short


def _near(text: str, before: Quote, after: Quote) -> bool:
    """Same paragraph, or the next paragraph with no unquoted sentence between them."""
    between = text[before.close_at + 1 : after.open_at]
    breaks = between.count("\n\n") + (1 if "\n" in between and "\n\n" not in between else 0)
    return breaks <= 1
