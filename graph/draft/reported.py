"""Reported speech outside quote marks: "X said that …", "X warned …", "according to X, …",
denials ("X has repeatedly denied …"), hearsay ("had heard rumors that …") and agentless
reports ("it is reported that …"), each with its cue as written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from graph.draft.cues import DENIAL_VERBS, DOCUMENT_HEADS, FINDING_VERBS, HEARSAY_NOUNS
from graph.draft.entities import EntityTable, Speaker
from graph.draft.speakers import told_outlet
from graph.draft.syntax import clause_span, cue_span, is_speech_verb, subject_of, trim

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Report", "find_reports"]


@dataclass(frozen=True)
class Report:
    """A reported statement: tokens ``first..last`` of the doc, its speaker and cue.

    ``frame`` is the token range the attribution takes in its sentence (speaker, verb, content),
    so the author-voice rule knows what is left. ``outlet`` is set when the speaker is a news
    outlet reporting ("the Daily Mail reported"): the content is relayed through its report.
    ``source`` is True when the statement comes from the cited ``document`` itself ("according
    to a leaked estimate"): ``speaker`` is then its author as the text names it, or None.
    """

    first: int
    last: int
    speaker: Speaker | None
    mode: str
    cue: tuple[int, int] | None
    frame: tuple[int, int]
    verb: int
    confidence: float
    why: str
    outlet_cue: tuple[int, int] | None = None
    outlet: str | None = None  # the outlet's entity id
    document: str | None = None  # the descriptor of a cited document ("statistical reports …")
    told: str | None = None
    emit: bool = True
    source: bool = False


def _content(verb: Token) -> tuple[Token | None, str, Token | None]:
    """(content head, mode, hearsay noun) of a speech verb, or (None, …) when it has none."""
    for child in verb.children:
        if child.dep_ == "ccomp":
            return child, "reported-speech", None
    for child in verb.children:
        if child.dep_ == "dobj" and child.lemma_.lower() in HEARSAY_NOUNS:
            for grand in child.children:
                if grand.dep_ in ("acl", "ccomp", "relcl") and grand.pos_ in ("VERB", "AUX"):
                    return grand, "hedged", child
    return None, "", None


def _hears(verb: Token) -> bool:
    """ "had heard rumors that …": hearsay, though "hear" is no speech verb."""
    return verb.lemma_.lower() in ("hear", "read", "learn") and any(
        c.dep_ == "dobj" and c.lemma_.lower() in HEARSAY_NOUNS for c in verb.children
    )


def _clause_from_subject(verb: Token) -> tuple[int, int]:
    first, last = clause_span(verb, stop_at_conj=True)
    content = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if content is not None:
        last = min(last, clause_span(content, stop_at_conj=True)[1])
    subject = subject_of(verb)
    if subject is not None and subject.i < verb.i:
        first = min(first, subject.left_edge.i)
        if subject.lower_ in ("who", "that", "which"):
            first = subject.i
    return first, last


def find_reports(doc: Doc, table: EntityTable, skip: set[int], in_quote: set[int]) -> list[Report]:
    """Every reported statement of ``doc``; ``skip`` are verb tokens that attribute a quote."""
    reports: list[Report] = []
    for sent in doc.sents:
        reports.extend(_sentence(doc, table, sent, skip, in_quote))
    return reports


def _sentence(
    doc: Doc, table: EntityTable, sent: Span, skip: set[int], in_quote: set[int]
) -> list[Report]:
    found: list[Report] = []
    outlet_of: dict[int, tuple[Speaker, tuple[int, int], Token]] = {}
    for verb in sent:
        if verb.i in skip or verb.i in in_quote:
            continue
        if not is_speech_verb(verb) and not _hears(verb):
            continue
        lemma = verb.lemma_.lower()
        subject = subject_of(verb)
        if _document_subject(verb) is not None:
            continue  # "a 2022 report found that …": _document_findings has it
        if subject is not None and subject.lower_ in ("i", "we"):
            continue  # the writer's own "I think": the author-voice rule has it
        speaker = table.resolve(subject) if subject is not None else None
        if subject is None and any(c.dep_ == "auxpass" for c in verb.children):
            speaker = table.resolve(verb)  # "it is reported that", agentless
        content, mode, hearsay = _content(verb)
        if lemma in DENIAL_VERBS:
            first, last = _clause_from_subject(verb)
            mode = "denial"
        elif lemma in ("accuse", "blame", "charge") and content is None:
            first, last = _clause_from_subject(verb)
            mode = "reported-speech"
        elif content is not None:
            first, last = content.left_edge.i, content.right_edge.i
            if content.dep_ in ("acl", "relcl"):
                first = max(first, content.left_edge.i)
        else:
            continue
        if any(i in in_quote for i in range(first, last + 1)):
            continue  # the quote rule has it
        span = trim(doc, first, last)
        if span is None or span[1] - span[0] < 2:
            continue
        cue = cue_span(verb)
        if hearsay is not None:
            cue = (cue[0], hearsay.idx + len(hearsay.text))
        own_subject = subject is not None and subject.head.i == verb.i
        frame_first = min(
            span[0], subject.left_edge.i if own_subject and subject else verb.i, verb.i
        )
        if not own_subject:  # "He performed … and said …": the subject's clause stays the author's
            frame_first = min(span[0], next((c.i for c in verb.lefts if c.dep_ == "cc"), verb.i))
        frame = (frame_first, max(span[1], verb.i))
        if (
            speaker is not None
            and subject is not None
            and lemma in ("report", "write", "say", "publish")
        ) and table.is_media(speaker.entity):
            outlet_of[content.i if content is not None else -1] = (
                speaker,
                (subject.left_edge.idx, verb.idx + len(verb.text)),
                verb,
            )
        confidence = 0.75 if speaker is not None and speaker.resolved else 0.3
        found.append(
            Report(span[0], span[1], speaker, mode, cue, frame, verb.i, confidence,
                   f"{mode} ({verb.text})", told=told_outlet(table, verb))
        )  # fmt: skip
    found = _relay_inner(found, outlet_of)
    found.extend(_according(doc, table, sent, in_quote, found))
    found.extend(_document_findings(doc, table, sent, skip, in_quote))
    return found


def _relay_inner(
    found: list[Report], outlet_of: dict[int, tuple[Speaker, tuple[int, int], Token]]
) -> list[Report]:
    """ "X has warned …, the Daily Mail reported": X's statement, relayed through the outlet."""
    if not outlet_of:
        return found
    verbs = {r.verb for r in found}
    out: list[Report] = []
    for report in found:
        if report.verb in outlet_of:  # the statement the outlet reported
            out.append(
                replace(
                    report,
                    outlet_cue=outlet_of[report.verb][1],
                    outlet=outlet_of[report.verb][0].entity,
                )
            )
            continue
        content = next((k for k, (_, _, v) in outlet_of.items() if v.i == report.verb), None)
        if content is None:
            out.append(report)
        elif content in verbs:  # the outlet's frame: kept only to mark its words as taken
            out.append(replace(report, emit=False))
        else:  # the outlet's own report of a fact, relayed through its report
            out.append(
                replace(
                    report, outlet_cue=outlet_of[content][1], outlet=outlet_of[content][0].entity
                )
            )
    return out


def _according(
    doc: Doc, table: EntityTable, sent: Span, in_quote: set[int], found: list[Report]
) -> list[Report]:
    out: list[Report] = []
    for token in sent:
        if token.lower_ != "according" or token.i in in_quote:
            continue
        pobj = next((g for c in token.children for g in c.children if g.dep_ == "pobj"), None)
        if pobj is None:
            continue
        phrase = (token.i, pobj.right_edge.i)
        runs = _runs(sent, phrase, in_quote)
        if not runs:
            continue
        first, last = max(runs, key=lambda r: r[1] - r[0])
        if any(r.first <= first and last <= r.last for r in found):
            continue
        speaker, document = _according_speaker(table, pobj)
        to = token.nbor(1)
        source = document is not None and speaker is None
        out.append(
            Report(first, last, speaker, "reported-speech", (token.idx, to.idx + len(to.text)),
                   (sent.start, sent.end - 1), token.i, 0.7 if speaker or source else 0.3,
                   "according to a document" if source else "according to",
                   document=document, source=source)
        )  # fmt: skip
    return out


def _according_speaker(table: EntityTable, pobj: Token) -> tuple[Speaker | None, str | None]:
    """ "according to X": X speaks, or X is a document and its authors (if named) speak."""
    if pobj.lemma_.lower() not in DOCUMENT_HEADS:
        return table.resolve(pobj), None
    doc = pobj.doc
    descriptor = doc[pobj.left_edge.i : pobj.right_edge.i + 1].text
    agents = [g for t in pobj.subtree if t.dep_ == "agent" for g in t.children if g.dep_ == "pobj"]
    for agent in agents:
        speaker = table.resolve(agent)
        if speaker is not None:
            return speaker, descriptor
    return None, descriptor  # the document itself: nobody is invented to have said it


def _document_subject(verb: Token) -> Token | None:
    """The subject of ``verb`` when it is a document ("a 2022 report", "the leaked figures")."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in DOCUMENT_HEADS:
            return child
    return None


def _document_findings(
    doc: Doc, table: EntityTable, sent: Span, skip: set[int], in_quote: set[int]
) -> list[Report]:
    """ "A 2022 report by the Harbour Watch Trust found that …": the document is the source;
    its author is the claimant only where the text names one ("by …")."""
    out: list[Report] = []
    for verb in sent:
        if verb.i in skip or verb.i in in_quote or verb.lemma_.lower() not in FINDING_VERBS:
            continue
        subject = _document_subject(verb)
        content = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if subject is None or content is None:
            continue
        span = trim(doc, content.left_edge.i, content.right_edge.i)
        if span is None or span[1] - span[0] < 2 or any(
            i in in_quote for i in range(span[0], span[1] + 1)
        ):
            continue
        descriptor = doc[subject.left_edge.i : subject.right_edge.i + 1].text
        agents = [g for t in subject.subtree if t.dep_ in ("agent", "prep") and t.lower_ == "by"
                  for g in t.children if g.dep_ == "pobj"]
        speaker = next((s for s in map(table.resolve, agents) if s is not None), None)
        frame = (min(subject.left_edge.i, span[0]), max(span[1], verb.i))
        out.append(
            Report(span[0], span[1], speaker, "reported-speech", cue_span(verb), frame, verb.i,
                   0.7, f"finding of a document ({verb.text})", document=descriptor,
                   source=True)
        )  # fmt: skip
    return out


def _runs(sent: Span, phrase: tuple[int, int], in_quote: set[int]) -> list[tuple[int, int]]:
    """Contiguous token runs of the sentence outside ``phrase`` and quotes, trimmed."""
    doc = sent.doc
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i in range(sent.start, sent.end + 1):
        outside = i < sent.end and not (phrase[0] <= i <= phrase[1]) and i not in in_quote
        if outside and start is None:
            start = i
        elif not outside and start is not None:
            span = trim(doc, start, i - 1)
            if span is not None and span[1] - span[0] >= 3:
                runs.append(span)
            start = None
    return runs
