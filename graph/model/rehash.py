"""After an article's text was corrected: record its new SHA-256 in the annotation file, and say
which claims no longer match the text.

The loader refuses a changed text so that offsets never drift silently; ``rehash`` is the
deliberate step an analyst takes once they have corrected the text. Only the ``sha256`` value is
rewritten — comments, order and every other byte of the file stay as the analyst wrote them — and
every claim the corrected text no longer holds is reported, with its line, for review.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import AnnotationError
from graph.model.annotations import load_annotation_file
from graph.model.yaml_fields import get_at, read_yaml
from graph.support.atomic import atomic_write_text
from graph.support.limits import MAX_ANNOTATION_BYTES, MAX_TEXT_BYTES, read_capped, read_utf8

__all__ = ["Rehashed", "rehash_file", "replace_sha256"]

_SHA_LINE = re.compile(r"^(?P<head>\s*sha256:\s*['\"]?)(?P<sha>[0-9a-fA-F]{64})(?P<tail>['\"]?)",
                       re.MULTILINE)


@dataclass(frozen=True)
class Rehashed:
    """What ``rehash`` did to one file: the old and new SHA-256 and the problems left to fix."""

    path: Path
    old: str
    new: str
    problems: tuple[AnnotationError, ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new


def replace_sha256(yaml_text: str, old: str, new: str) -> str:
    """``yaml_text`` with the document's ``sha256: old`` made ``new``, every other byte kept.

    >>> old, new = "a" * 64, "b" * 64
    >>> replace_sha256(f"document:\\n  sha256: '{old}'  # checked\\n", old, new) == (
    ...     f"document:\\n  sha256: '{new}'  # checked\\n")
    True
    """
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        if match.group("sha").lower() != old.lower():
            return match.group(0)
        count += 1
        return f"{match.group('head')}{new}{match.group('tail')}"

    result = _SHA_LINE.sub(swap, yaml_text)
    if count != 1:
        raise ValueError(f"expected one 'sha256: {old}' line, found {count}")
    return result


def rehash_file(path: str | Path) -> Rehashed:
    """Record the current SHA-256 of ``path``'s article text; then check the file against it."""
    path = Path(path)
    yaml_text = read_utf8(path, MAX_ANNOTATION_BYTES, "annotation file", AnnotationError)
    document = get_at(read_yaml(yaml_text, path).data, ("document",))
    document = document if isinstance(document, dict) else {}
    relative, old = document.get("text"), document.get("sha256")
    if not isinstance(relative, str) or not isinstance(old, str):
        raise AnnotationError("needs 'document.text' and 'document.sha256' to rehash", path=path)
    new = hashlib.sha256(read_capped(path.parent / relative, MAX_TEXT_BYTES,
                                     "article text")).hexdigest()
    if new != old.lower():
        try:
            updated = replace_sha256(yaml_text, old, new)
        except ValueError as exc:
            raise AnnotationError(str(exc), path=path) from None
        atomic_write_text(path, updated)
    try:
        load_annotation_file(path)
        problems: tuple[AnnotationError, ...] = ()
    except AnnotationError as exc:
        problems = exc.problems
    return Rehashed(path, old.lower(), new, problems)
