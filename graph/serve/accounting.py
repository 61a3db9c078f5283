"""What each worker may use: memory limits, the slow lane's share, CPU time, priority."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    pass

__all__ = [
    "limit_memory",
]
_EXIT_MEMORY: Final = 75  # a worker's exit status after a MemoryError
_MEMORY_SIGNALS: Final = frozenset(
    {signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS}
)


def _vm_size() -> int | None:
    """This process's address-space size in bytes (``VmSize``), if ``/proc`` tells."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def limit_memory(max_memory_mb: int) -> int | None:
    """Cap this process's address space at its current size + ``max_memory_mb``; the cap set."""
    size = _vm_size()
    if max_memory_mb <= 0 or size is None:
        return None
    cap = size + max_memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap


def _lane_share_mb(max_memory_mb: int, places: int) -> int:
    """What one slow-lane query may add to its worker: the lane shares one ``--max-memory``."""
    return max_memory_mb // places if places > 1 else max_memory_mb


def _share_slow_lane_memory(pid: int, max_memory_mb: int, places: int) -> int | None:
    """Lower a worker's address-space cap as it joins the slow lane to its share of one
    ``--max-memory``: its size at the fork + ``max_memory_mb / places``, so that the whole lane
    never grows by more than one fast worker may. The new cap (``None``: no cap to lower)."""
    if max_memory_mb <= 0 or places <= 1:
        return None
    try:
        soft, hard = resource.prlimit(pid, resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY:
            return None
        less = max_memory_mb - _lane_share_mb(max_memory_mb, places)
        cap = max(0, soft - less * 1024 * 1024)
        resource.prlimit(pid, resource.RLIMIT_AS, (cap, min(hard, cap)))
    except (OSError, ValueError):
        return None  # gone already, or not ours to change: it keeps its own cap
    return cap


def _cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used, in seconds; ``None`` when ``/proc`` does not tell.

    ``/proc/PID/schedstat`` counts nanoseconds; ``/proc/PID/stat`` (user + system) counts clock
    ticks, often 10 ms, coarse next to the fast budget: it is read only where schedstat is missing.
    """
    try:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as schedstat:
            return int(schedstat.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _lower_priority(pid: int) -> None:
    """Let a process run only on CPU time nothing else wants.

    ``SCHED_IDLE`` (Linux): the process runs only when no other is runnable and is preempted as soon
    as one wakes up (its disk reads, too, go in the idle I/O class where the I/O scheduler has
    classes). A process may move its own children there, but only a privileged one can move them
    back. Where ``SCHED_IDLE`` is missing or refused: nice 19.
    """
    idle = getattr(os, "SCHED_IDLE", None)
    if idle is not None:
        try:
            os.sched_setscheduler(pid, idle, os.sched_param(0))
            return
        except OSError:
            pass
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, pid, 19)
