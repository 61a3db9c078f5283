"""A record of document contents that passed SHACL, so that an unchanged document is not checked
again.

SHACL checks each document's graphs apart from the others'
(:func:`graph.validate.shacl.shacl_chunks`),
so whether a document conforms depends only on its triples, the graphs every chunk shares (the
ontology), the shapes and the validator. The record keeps one empty file per fingerprint of all
four that passed: ``shacl/ab/cdef…`` under the folder the caller's policy names
(:mod:`graph.support.policy`; none by default, so a notebook writes nothing; the command line uses
``CLAIMGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/claimgraph``, else ``~/.cache/claimgraph``).
Only passes are kept, so a document with problems is checked, and its problems reported, every
time. ``CLAIMGRAPH_CACHE_DIR=off`` turns the command line's record off; deleting the folder at
any moment is safe. The record is a help, never a requirement: where it cannot be read or
written, documents are simply checked.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from rdflib import Graph

from graph.rdf.ontology_files import shapes_path
from graph.support.policy import current

__all__ = ["ConformanceRecord"]

_FORMAT: Final = "claimgraph-shacl-record 1"  # change when what a fingerprint covers changes


def _graph_lines(graphs: Iterable[Graph]) -> bytes:
    """The graphs' names and triples in one canonical text (sorted N-Triples terms)."""
    parts = []
    for g in sorted(graphs, key=lambda g: str(g.identifier)):
        parts.append(f"GRAPH {g.identifier.n3()}")
        parts.extend(sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in g))
    return "\n".join(parts).encode("utf-8")


class ConformanceRecord:
    """Fingerprints of documents known to conform, for one set of shapes, shared graphs and
    validator."""

    def __init__(self, folder: Path, context: str) -> None:
        self.folder = folder
        self.context = context

    @classmethod
    def open(cls, shared: Iterable[Graph]) -> ConformanceRecord | None:
        """The record for chunks that hold ``shared`` (the ontology); ``None`` when turned off."""
        folder = current().cache_dir
        if folder is None:
            return None
        import pyshacl

        digest = hashlib.sha256()
        for part in (_FORMAT.encode(), pyshacl.__version__.encode(), shapes_path().read_bytes(),
                     _graph_lines(shared)):
            digest.update(hashlib.sha256(part).digest())
        return cls(folder / "shacl", digest.hexdigest())

    def fingerprint(self, graphs: Iterable[Graph]) -> str:
        """The fingerprint of one document's graphs under this record's context."""
        digest = hashlib.sha256(self.context.encode())
        digest.update(_graph_lines(graphs))
        return digest.hexdigest()

    def _entry(self, fingerprint: str) -> Path:
        return self.folder / fingerprint[:2] / fingerprint[2:]

    def known(self, fingerprint: str) -> bool:
        """Whether a document with this fingerprint passed before."""
        return self._entry(fingerprint).is_file()

    def remember(self, fingerprints: Iterable[str]) -> None:
        """Record passes (an empty file each: a file either exists whole or not at all)."""
        with contextlib.suppress(OSError):  # a read-only or full disk only costs a later check
            for fingerprint in fingerprints:
                entry = self._entry(fingerprint)
                entry.parent.mkdir(parents=True, exist_ok=True)
                entry.touch()
