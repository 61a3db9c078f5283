"""One module per storage backend; :func:`graph.store.open_store` picks one by its spec.

Each backend is imported only when used, so opening a memory store never imports pyoxigraph or
requests.
"""

from __future__ import annotations

__all__: list[str] = []
