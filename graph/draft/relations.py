"""Links between drafted claims that the text makes plain: a denial and what it denies."""

from __future__ import annotations

import re
from dataclasses import replace

from graph.draft.items import DraftClaim

__all__ = ["link_denials"]

_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "we",
        "you",
        "i",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
        "no",
        "nor",
        "so",
        "as",
        "than",
        "then",
        "there",
        "here",
        "who",
        "whom",
        "which",
        "what",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "some",
        "many",
        "much",
        "more",
        "most",
        "other",
        "such",
        "only",
        "just",
        "also",
        "very",
        "can",
        "could",
        "should",
        "would",
        "will",
        "may",
        "might",
        "must",
        "anything",
        "something",
        "nothing",
        "everything",
    ]
)
_SHARED = 3  # stems a denial must share with what it denies
_STEM = 5  # "race" and "racist", "harvest" and "harvesting" share their first letters


def _stems(text: str) -> set[str]:
    return {w[:_STEM] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2}


def link_denials(claims: list[DraftClaim]) -> list[DraftClaim]:
    """Each denial ``denies`` the earlier claims of other claimants it shares three stems with."""
    out: list[DraftClaim] = []
    for i, claim in enumerate(claims):
        if claim.mode == "denial":
            mine = _stems(claim.text)
            denied = tuple(
                j
                for j, other in enumerate(claims[:i])
                if other.claimants != claim.claimants
                and other.mode != "denial"
                and len(mine & _stems(other.text)) >= _SHARED
            )
            claim = replace(claim, denies=denied)
        out.append(claim)
    return out
