"""Worker processes that end with the process that forked them.

A forked worker holds its own copies of the pipes it shares with its parent, so it never sees
them close: when the parent is killed (SIGKILL, the out-of-memory killer), a worker waiting for
work would wait for ever. On Linux the kernel can kill it instead (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from typing import Final

__all__ = ["end_with_parent"]

_PR_SET_PDEATHSIG: Final = 1


def end_with_parent(parent: int) -> None:
    """A process pool's ``initializer`` (with ``initargs=(os.getpid(),)``): the worker is killed
    when ``parent`` ends, and ends at once if it already has."""
    name = ctypes.util.find_library("c")
    if sys.platform.startswith("linux") and name is not None:
        ctypes.CDLL(name, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)
