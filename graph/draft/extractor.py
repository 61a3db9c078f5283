"""The extractor interface, and the default one: spaCy's parse plus our rules.

Another backend (a larger spaCy model, a language model behind an endpoint a user runs) needs
only ``name`` and ``draft``; the CLI, the writer and the evaluation take any :class:`Extractor`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Final, Protocol, runtime_checkable

from graph.draft.items import Article, Draft
from graph.draft.model import DEFAULT_MODELS, load_model, model_version
from graph.errors import InputTooLargeError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["RULES_VERSION", "Extractor", "SpacyExtractor"]

# Bump when a rule changes what a draft holds, so drafts say which rules made them.
RULES_VERSION: Final = "0.1.0"


@runtime_checkable
class Extractor(Protocol):
    """Turns articles into drafts, in order, one draft per article."""

    @property
    def name(self) -> str:
        """Which extractor and version, as recorded in every draft it makes."""
        ...

    def draft(self, articles: Iterable[Article], *, n_process: int = 1) -> Iterator[Draft]:
        """Drafts of ``articles``, in the same order."""
        ...


class SpacyExtractor:
    """spaCy (sentences, entities, dependency parse) and the rules of :mod:`graph.draft`.

    Offline and deterministic: the same text and model give the same draft. The model is loaded
    on first use; ``models`` lists package names to try in order.
    """

    def __init__(self, models: tuple[str, ...] = DEFAULT_MODELS, *, batch_size: int = 16) -> None:
        self._models = models
        self._batch_size = batch_size
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_model(self._models)
        return self._nlp

    @property
    def name(self) -> str:
        return f"claimgraph-rules {RULES_VERSION} + spaCy {model_version(self.nlp)}"

    def draft(self, articles: Iterable[Article], *, n_process: int = 1) -> Iterator[Draft]:
        from graph.draft.assemble import assemble

        nlp, name = self.nlp, self.name

        def pairs() -> Iterator[tuple[str, Article]]:
            for article in articles:
                if len(article.text) > nlp.max_length:  # spaCy's own limit, by memory
                    raise InputTooLargeError(
                        f"{article.id}: {len(article.text):,} characters; the drafter's model "
                        f"reads at most {nlp.max_length:,} per article"
                    )
                yield article.text, article

        for doc, article in nlp.pipe(
            pairs(), as_tuples=True, n_process=n_process, batch_size=self._batch_size
        ):
            yield assemble(doc, article, name)
