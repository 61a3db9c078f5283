"""The story of a corpus (:mod:`graph.story`) kept in the build cache, by what it is made from.

The story is a function of its inputs alone: each document's text, title, date, publisher and
citations, each claim's text, place, claimants, kinds, entities, quantities and relays, and the
corpus's affiliations (:func:`graph.story.inputs.story_inputs`,
:func:`graph.story.groups.corpus_affiliations`). Aligning every claim of a large corpus with every
other is the slowest step of its build, and most corrections (a note, a publisher's URL, an
affiliation's reason) leave those inputs as they were. A build records what it found under
``cache/story/<sha256 of the inputs>.json``; the next build with the same inputs takes it from
there (the file checked against the previous manifest, like every cache file) instead of
comparing the documents again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from graph.model.records import Corpus
from graph.pipeline.cache import CACHE_DIR, PreviousBuild, Verified
from graph.story.align import Cluster, Member
from graph.story.copies import Copy, Passage
from graph.story.drift import DriftItem, Span
from graph.story.groups import OutletGroup, corpus_affiliations
from graph.story.inputs import StoryClaim, StoryDoc, story_inputs
from graph.story.model import Story, story_of, story_order

__all__ = [
    "decode_story",
    "encode_story",
    "story_file",
    "story_for",
    "story_inputs_digest",
]


def _plain(value: Any) -> Any:
    """JSON-ready data of the inputs, sets sorted, so the same inputs give the same bytes."""
    if isinstance(value, frozenset | set):
        return sorted(value, key=repr)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def story_inputs_digest(context: str, docs: Sequence[StoryDoc], claims: Sequence[StoryClaim],
                        affiliations: Sequence[Mapping[str, Any]], seed: int) -> str:
    """The sha256 of everything the story is computed from, in ``context`` (the claimgraph
    version, ontology and shapes: :func:`graph.pipeline.cache.build_context`)."""
    digest = hashlib.sha256(f"{context}\n{seed}\n".encode())
    # in the order the story reads them (dates, ids, places), not the order of the files
    docs, claims = story_order(docs, claims)
    for doc in docs:
        # where its annotation file is kept is no input: a renamed file keeps its story
        fields = {k: v for k, v in asdict(doc).items() if k != "path"}
        digest.update(json.dumps(_plain(fields), sort_keys=True).encode("utf-8") + b"\n")
    for claim in claims:
        digest.update(json.dumps(_plain(asdict(claim)), sort_keys=True).encode("utf-8") + b"\n")
    digest.update(json.dumps(_plain(list(affiliations)), sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def story_file(digest: str) -> str:
    """Where the story of inputs with this digest is kept (relative)."""
    return f"{CACHE_DIR}/story/{digest}.json"


def _span(span: Span | None) -> list[Any] | None:
    if span is None:
        return None
    return [span.claim, span.document, span.start, span.end, span.text]


def encode_story(story: Story) -> bytes:
    """What a story found (its documents and claims are its inputs, kept elsewhere)."""
    found = {
        "clusters": [[c.id, c.confirmed, [[m.claim, m.score, m.method] for m in c.members]]
                     for c in story.clusters],
        "copies": [[c.copy, c.source, c.cited, c.ordered,
                    [[p.copy_start, p.copy_end, p.source_start, p.source_end, p.words]
                     for p in c.passages]] for c in story.copies],
        "claim_copies": [list(pair) for pair in story.claim_copies],
        "drift": [[d.cluster, d.kind, d.change, _span(d.earlier), _span(d.later), d.before,
                   d.after] for d in story.drift],
        "cycles": [list(cycle) for cycle in story.cycles],
        "outlet_groups": [[list(g.outlets), list(g.members), list(g.affiliations)]
                          for g in story.outlet_groups],
    }
    return (json.dumps(found, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _read_span(value: Any) -> Span | None:
    if value is None:
        return None
    claim, document, start, end, text = value
    return Span(str(claim), str(document), int(start), int(end), str(text))


def decode_story(data: bytes, docs: Sequence[StoryDoc], claims: Sequence[StoryClaim]) -> Story:
    """The story :func:`encode_story` wrote, with the inputs it was found in. Raises
    ``ValueError``, ``KeyError`` or ``TypeError`` for a file that does not hold one."""
    found = json.loads(data)
    docs, ordered = story_order(docs, claims)
    later = [_read_span(d[4]) for d in found["drift"]]
    if any(span is None for span in later):
        raise ValueError("a drift item without its later version")
    return Story(
        documents=tuple(docs),
        claims={c.key: c for c in ordered},
        clusters=tuple(Cluster(str(cid), tuple(Member(str(k), float(s), str(m))
                                               for k, s, m in members), bool(confirmed))
                       for cid, confirmed, members in found["clusters"]),
        copies=tuple(Copy(str(copy), str(source),
                          tuple(Passage(*map(int, p)) for p in passages), bool(cited),
                          bool(in_order))
                     for copy, source, cited, in_order, passages in found["copies"]),
        claim_copies=tuple((str(a), str(b)) for a, b in found["claim_copies"]),
        drift=tuple(DriftItem(None if d[0] is None else str(d[0]), str(d[1]), str(d[2]),
                              _read_span(d[3]), span, str(d[5]), str(d[6]))
                    for d, span in zip(found["drift"], later, strict=True)
                    if span is not None),
        cycles=tuple(tuple(map(str, cycle)) for cycle in found["cycles"]),
        outlet_groups=tuple(OutletGroup(tuple(map(str, outlets)), tuple(map(str, members)),
                                        tuple(map(str, affiliations)))
                            for outlets, members, affiliations in found["outlet_groups"]),
    )


def story_for(corpus: Corpus, previous: PreviousBuild | None, context: str, *,
              seed: int = 1) -> tuple[Story, str, bytes | Verified]:
    """The corpus's story, taken from ``previous`` when it holds the story of the same inputs;
    the cache file to keep it in (relative name) and its contents."""
    docs, claims = story_inputs(corpus)
    affiliations = corpus_affiliations(corpus)
    name = story_file(story_inputs_digest(context, docs, claims, affiliations, seed))
    kept = previous.read(name) if previous is not None else None
    if kept is not None:
        try:
            return decode_story(kept.bytes(), docs, claims), name, kept
        except (ValueError, KeyError, TypeError):
            pass  # not a story this claimgraph wrote: found again below
    story = story_of(docs, claims, seed=seed, affiliations=affiliations)
    return story, name, encode_story(story)
