"""Small readings of spaCy's dependency parse that the attribution rules share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.draft.cues import SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["clause_span", "cue_span", "is_speech_verb", "subject_of", "token_at", "trim"]

_SUBJECTS = ("nsubj", "nsubjpass")


def is_speech_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in SPEECH_VERBS


def subject_of(verb: Token) -> Token | None:
    """The subject of ``verb``, inherited along conjunctions ("He performed … and said …")."""
    seen = 0
    while seen < 4:
        for child in verb.children:
            if child.dep_ in _SUBJECTS:
                return child
        if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and is_speech_verb(verb):
            # "X denies that … and claims …": parsed as a conjunct of the inner clause
            verb, seen = verb.head.head, seen + 1
            continue
        if verb.dep_ == "pcomp" and verb.head.head.i != verb.head.i:
            verb, seen = verb.head.head, seen + 1  # "he followed that by saying, “…”"
            continue
        if verb.dep_ in ("conj", "xcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
            verb, seen = verb.head, seen + 1
            continue
        return None
    return None


def cue_span(verb: Token) -> tuple[int, int]:
    """Character span of the verb group as written: auxiliaries, negation, adverbs, verb."""
    first = verb.i
    for child in sorted(verb.lefts, key=lambda t: -t.i):
        if child.i == first - 1 and child.dep_ in ("aux", "auxpass", "neg", "advmod"):
            first = child.i
    doc = verb.doc
    return doc[first].idx, verb.idx + len(verb.text)


def trim(doc: Doc, first: int, last: int) -> tuple[int, int] | None:
    """Token range without leading/trailing punctuation, spaces, "that", "and"/"but"."""
    while first <= last and (
        doc[first].is_punct
        or doc[first].is_space
        or doc[first].dep_ in ("mark", "cc")
        # "told the Herald that demand had tripled", "that" misparsed; not "that plan failed"
        or (doc[first].lower_ == "that" and doc[first].head.i != first + 1)
    ):
        first += 1
    while last >= first and (
        doc[last].is_space
        or (doc[last].is_punct and doc[last].text not in ".!?")
        or doc[last].dep_ == "cc"
    ):
        last -= 1
    while last >= first and doc[last].is_punct and last - 1 >= first and doc[last - 1].is_punct:
        last -= 1
    if first > last:
        return None
    return first, last


def clause_span(head: Token, *, stop_at_conj: bool = False) -> tuple[int, int]:
    """Token range of ``head``'s subtree (without conjoined verbs when ``stop_at_conj``)."""
    first, last = head.left_edge.i, head.right_edge.i
    if stop_at_conj:
        for child in head.rights:
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
                last = min(last, child.left_edge.i - 1)
                cc = [c for c in head.rights if c.dep_ == "cc" and c.i < child.i]
                if cc:
                    last = min(last, cc[-1].i - 1)
    return first, last


def token_at(doc: Doc, offset: int) -> Token | None:
    """The token covering character ``offset``."""
    span: Span | None = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None
