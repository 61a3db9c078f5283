"""A draft as an annotation folder: the article's bytes and an ``annotations.yaml`` that the
loader accepts unchanged.

Each claim is written ``status: draft`` with the extractor's ``confidence``, and the document names
the extractor (``drafted_by``), so the build marks every claim as a draft until an analyst sets
it ``reviewed``; a comment above each claim names the rule that made it. The file's first line
marks a folder no one has reviewed: once it is deleted, ``write_draft`` refuses to overwrite the
folder unless told to.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Final

import yaml

from graph.draft.items import Draft, DraftAffiliation, DraftClaim, DraftEntity
from graph.errors import InputError
from graph.model.records import Quantity
from graph.support.atomic import replace_directory

__all__ = ["ANNOTATIONS", "DRAFT_MARK", "TEXT", "is_draft_folder", "render_draft", "write_draft"]

DRAFT_MARK: Final = "# claimgraph draft"
TEXT: Final = "article.txt"
ANNOTATIONS: Final = "annotations.yaml"


def _dump(value: Any) -> str:
    return yaml.safe_dump(
        value, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
    )


def _unique_prefix(text: str, start: int, quote: str) -> str | None:
    """The shortest text before ``start`` (from 12 characters up) that makes the quote unique."""
    if text.count(quote) <= 1:
        return None
    for length in range(min(12, start), start + 1):
        prefix = text[start - length : start]
        if text.count(prefix + quote) == 1:
            return prefix
    return text[:start]


def _quantity(q: Quantity) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if q.value is not None:
        out["value"] = _num(q.value)
    if q.minimum is not None:
        out["min"] = _num(q.minimum)
    if q.maximum is not None:
        out["max"] = _num(q.maximum)
    out["unit"] = q.unit
    if q.per:
        out["per"] = q.per
    if q.approximate:
        out["approximate"] = True
    if q.text is not None:
        out["text"] = q.text
    return out


def _num(value: float) -> int | float:
    return int(value) if value == int(value) else value


def _entity(e: DraftEntity) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "type": e.type, "label": e.label}
    if e.names:
        out["names"] = list(e.names)
    if e.descriptor is not None:
        out["descriptor"] = e.descriptor
    if e.vague:
        out["vague"] = True
    if e.description:
        out["description"] = e.description
    return out


def _claim(draft: Draft, index: int, c: DraftClaim) -> dict[str, Any]:
    text = draft.article.text
    out: dict[str, Any] = {"id": _claim_id(index), "text": c.text}
    prefix = _unique_prefix(text, c.start, c.text)
    if prefix is not None:
        out["prefix"] = prefix
    if c.claimants:  # a claim from a document names one only where the text does
        out["claimant"] = c.claimants[0] if len(c.claimants) == 1 else list(c.claimants)
    if c.source_document is not None:
        out["source"] = {"kind": "document", "document": c.source_document}
    out["source_kind"] = c.source_kind
    out["mode"] = c.mode
    out["status"] = "draft"  # until an analyst has read it: then 'reviewed'
    out["confidence"] = round(c.confidence, 2)
    if c.cues:
        out["cue"] = c.cues[0] if len(c.cues) == 1 else list(c.cues)
    if c.hedges:
        out["hedges"] = list(c.hedges)
    if c.mentions:
        out["mentions"] = list(c.mentions)
    if c.relayed_from:
        out["relayed_from"] = (
            c.relayed_from[0] if len(c.relayed_from) == 1 else list(c.relayed_from)
        )
    if c.quantities:
        out["quantities"] = [_quantity(q) for q in c.quantities]
    if c.dates:
        out["dates"] = list(c.dates)
    if c.denies:
        out["denies"] = [_claim_id(j) for j in c.denies]
    return out


def _affiliation(draft: Draft, index: int, a: DraftAffiliation) -> dict[str, Any]:
    """A stated affiliation, in the outlet's voice, drafted like a claim."""
    out: dict[str, Any] = {"id": f"a{index + 1:03d}", "subject": a.subject,
                           "relation": a.relation, "object": a.object, "origin": "text",
                           "text": a.text}
    prefix = _unique_prefix(draft.article.text, a.start, a.text)
    if prefix is not None:
        out["prefix"] = prefix
    out |= {"claimant": draft.publisher, "source_kind": "author-voice",
            "mode": "author-assertion", "status": "draft", "confidence": round(a.confidence, 2)}
    return out


def _claim_id(index: int) -> str:
    return f"c{index + 1:03d}"


def render_draft(draft: Draft, text_file: str = TEXT) -> str:
    """The annotation file of ``draft`` as YAML text (pure: nothing is read or written)."""
    article = draft.article
    sha = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    title = draft.title or article.id
    metadata: dict[str, Any] = {"publisher": draft.publisher}
    if article.url:
        metadata["url"] = article.url
    if article.date:
        metadata["date_published"] = article.date
    metadata["note"] = (
        "Publisher, URL and date were given to the drafter, not read from the text."
        if article.publisher
        else "The publisher is a placeholder: replace the 'publisher' entity."
    )
    document: dict[str, Any] = {
        "id": article.id,
        "text": text_file,
        "sha256": sha,
        "title": title,
        "metadata": metadata,
        "drafted_by": draft.extractor,
    }
    if draft.furniture:
        document["furniture"] = list(dict.fromkeys(draft.furniture))
    lines = [
        f"{DRAFT_MARK} by {draft.extractor}; status: draft.",
        "# Every claim below was drafted by rules, not read by a person: check each span,",
        "# claimant, source kind and mode, set its 'status' to 'reviewed', and delete the",
        "# first line of this file. A claim left 'draft' is built as cg:DraftClaim.",
        "format: 1",
        _dump({"document": document}).rstrip(),
    ]
    if draft.cited_documents:
        cited = [
            {"id": d.id, "title": d.title, "type": d.type, "cited_as": d.cited_as}
            | ({"metadata": {"publisher": d.publisher}} if d.publisher else {})
            for d in draft.cited_documents
        ]
        lines.append(_dump({"cited_documents": cited}).rstrip())
    lines.append(_dump({"entities": [_entity(e) for e in draft.entities]}).rstrip())
    lines.append("claims:")
    for i, claim in enumerate(draft.claims):
        lines.append(f"  # {claim.why}")
        block = _dump([_claim(draft, i, claim)]).rstrip()
        lines.extend("  " + line for line in block.split("\n"))
    if not draft.claims:
        lines[-1] = "claims: []"
    if draft.affiliations:
        lines.append("affiliations:")
        for i, affiliation in enumerate(draft.affiliations):
            lines.append(f"  # {affiliation.why}")
            block = _dump([_affiliation(draft, i, affiliation)]).rstrip()
            lines.extend("  " + line for line in block.split("\n"))
    return "\n".join(lines) + "\n"


def is_draft_folder(folder: Path) -> bool:
    """True when ``folder`` holds a draft's output that no one has marked as reviewed."""
    annotations = folder / ANNOTATIONS
    try:
        with annotations.open(encoding="utf-8") as handle:
            return handle.readline().startswith(DRAFT_MARK)
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return False


# A file browser's own files, which a draft may replace along with the folder.
_LITTER: Final = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


def _check_replaceable(folder: Path, force: bool) -> None:
    """Refuse to replace ``folder`` unless it is missing, empty, or holds only a draft's two
    files (an unreviewed draft, or a reviewed one with ``force``): nothing else is ever deleted."""
    if not folder.exists() and not folder.is_symlink():
        return
    if not folder.is_dir() or folder.is_symlink():
        raise InputError(f"{folder}: exists and is not a folder; choose another --out")
    others = sorted(p.name for p in folder.iterdir() if p.name not in {TEXT, ANNOTATIONS, *_LITTER})
    if others:
        shown = ", ".join(others[:3]) + (" …" if len(others) > 3 else "")
        raise InputError(f"{folder}: holds files a draft did not write ({shown}); "
                         "choose another --out")
    if any(folder.iterdir()) and not force and not is_draft_folder(folder):
        raise InputError(f"{folder}: exists and is not an unreviewed draft; "
                         "choose another --out or use --force")


def write_draft(draft: Draft, folder: str | Path, *, force: bool = False) -> Path:
    """Write the article's text and its draft annotation into ``folder``, whole or not at all.

    An existing folder is replaced only when it holds an unreviewed draft, or with ``force`` a
    reviewed one; a folder holding any other file is never replaced.
    """
    folder = Path(folder)
    rendered = render_draft(draft)

    def check(target: Path) -> None:
        _check_replaceable(target, force)

    with replace_directory(folder, check=check) as staging:
        (staging / TEXT).write_bytes(draft.article.text.encode("utf-8"))
        (staging / ANNOTATIONS).write_text(rendered, encoding="utf-8")
    return folder
