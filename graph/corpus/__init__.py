"""The bundled default corpus: one real article and its analyst annotation file."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["BUNDLED_DOCUMENT_ID", "bundled_corpus_dir"]

BUNDLED_DOCUMENT_ID = "thebl-organ-harvesting"


def bundled_corpus_dir() -> Path:
    """The folder holding the bundled article (``article.txt``) and its ``annotations.yaml``."""
    return Path(str(files(__name__) / "thebl-organ-harvesting"))
