"""Affiliations and independence groups in words: one line for ``paths``, a section for the
report. Who asserts each affiliation is always said: an affiliation is a claimant's word or an
analyst's judgement, never a finding of the graph."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.analysis.groups import Group, Independence
from graph.report.markdown import md_text

__all__ = ["affiliation_text", "group_text", "independence_line", "render_affiliations"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def affiliation_text(a: Mapping[str, Any]) -> str:
    """One affiliation and who asserts it.

    >>> affiliation_text({"subject_label": "the office", "relation_label": "spokesperson for",
    ...                   "object_label": "the mayor", "origin": "text", "id": "a1",
    ...                   "asserted_by": ["The Gazette"], "draft": False, "note": ""})
    'the office spokesperson for the mayor (stated by The Gazette, a1)'
    """
    what = f"{a['subject_label']} {a['relation_label']} {a['object_label']}"
    if a["origin"] == "text":
        who = _and(list(a["asserted_by"])) if a["asserted_by"] else "an unnamed claimant"
        draft = "drafted, not reviewed; " if a.get("draft") else ""
        return f"{what} ({draft}stated by {who}, {a['id']})"
    note = f": {a['note']}" if a.get("note") else ""
    return f"{what} (added by the analyst, {a['id']}{note})"


def group_text(group: Group) -> str:
    """A group: its members, and the affiliations that joined them."""
    joined = "; ".join(affiliation_text(a) for a in group["affiliations"])
    return f"{_and(group['labels'])} count as one group — {joined}"


def independence_line(ind: Independence) -> str:
    """Both numbers of a claim, and the groups that make them differ.

    >>> independence_line({"roots": 2, "independent_roots": 2, "independent_groups": 2,
    ...                    "joined": []})
    '2 roots, 2 independent once affiliations are taken into account (no affiliation joins them)'
    """
    head = (f"{_plural(ind['roots'], 'root')}, {ind['independent_groups']} independent once "
            "affiliations are taken into account")
    if not ind["joined"]:
        return head + " (no affiliation joins them)"
    return head + ": " + " | ".join(group_text(g) for g in ind["joined"])


def render_affiliations(summary: Mapping[str, Any]) -> list[str]:
    """The report's section on affiliations (markdown lines), or nothing when there are none."""
    affiliations = summary.get("affiliations") or []
    if not affiliations:
        return []
    out = ["### Affiliations and independence", "",
           "Sources joined by an affiliation — whoever asserts it — are counted as one group "
           "when the independent roots of a claim are counted. Each affiliation below says who "
           "asserts it; an affiliation stated in the text is a claim like any other.", ""]
    out += [f"- {md_text(affiliation_text(a))}" for a in affiliations]
    groups = summary.get("groups") or []
    if groups:
        out += ["", "Groups:", ""]
        out += [f"- {md_text(_and(g['labels']))}" for g in groups]
    fewer = [c for c in summary.get("claims", ())
             if c.get("independent_groups", 0) < c.get("independent_roots", 0)]
    out += [""]
    if not fewer:
        out += ["No claim has fewer independent roots once affiliations are taken into account."]
    else:
        verb = "rests" if len(fewer) == 1 else "rest"
        out += [f"{_plural(len(fewer), 'claim')} {verb} on fewer independent sources than its "
                "roots suggest once affiliations are taken into account:", ""]
        for c in fewer:
            ind: Independence = {"roots": len(c["roots"]),
                                 "independent_roots": c["independent_roots"],
                                 "independent_groups": c["independent_groups"],
                                 "joined": c["affiliation_groups"]}
            out.append(f"- {md_text(c['claim_id'] or c['iri'])} “{md_text(c['text'])}”: "
                       f"{md_text(independence_line(ind))}")
    out.append("")
    return out
