"""What ``claimgraph serve`` is told: addresses, limits, budgets (its options, as one value)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    pass

__all__ = [
    "BUSY_BUDGET",
    "ENGINES",
    "FAST_BUDGET",
    "INLINE_BUDGET",
    "MAX_BODY",
    "SLOW_LANE",
    "SWITCH_INTERVAL",
    "ServeConfig",
]

MAX_BODY: Final = 1024 * 1024
SWITCH_INTERVAL: Final = 0.001  # seconds; the server's, set by serve_forever (not at import)
FAST_BUDGET: Final = 0.1
BUSY_BUDGET: Final = 0.03
INLINE_BUDGET: Final = 0.002  # CPU seconds under which a text is answered in the server
SLOW_LANE: Final = 4
ENGINES: Final = ("pool", "oxigraph")


@dataclass(frozen=True)
class ServeConfig:
    """Everything ``claimgraph serve`` takes."""

    store: str = "memory"
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_rows: int = 10000
    workers: int = 2
    views: Path | None = None
    max_body: int = MAX_BODY
    slow_lane: int = SLOW_LANE
    max_memory: int = 512
    fast_budget: float = FAST_BUDGET
    busy_budget: float = BUSY_BUDGET
    inline_budget: float = INLINE_BUDGET  # 0: every query goes to a worker
    cors: str | None = None  # the one origin whose pages may read answers; None: no CORS headers
    socket_timeout: float = 30.0  # seconds a connection may stay silent mid-request or idle
    engine: str = "pool"  # what answers checked queries: "pool" (our workers) or "oxigraph"
