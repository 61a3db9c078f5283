"""Writes that either complete or leave what was there: temporary name, then rename.

``replace_directory`` builds a whole output folder beside the target and swaps it in with one
``renameat2(RENAME_EXCHANGE)`` where Linux offers it, so a reader (or a kill) sees the old folder or
the new one, never a mix. Elsewhere it falls back to two renames and repairs an interrupted swap the
next time it runs. Whatever it leaves beside the target after a kill is inside one marked work
folder, and the repair removes only such folders, so a user's file of a similar name is safe.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

_fcntl: ModuleType | None
try:
    import fcntl as _fcntl
except ImportError:  # not POSIX: no lock, so a concurrent replace of one target is not detected
    _fcntl = None

__all__ = ["atomic_write_bytes", "atomic_write_text", "replace_directory"]

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# Work folders are named ".{target}.claimgraph-XXXXXXXX" and hold this marker file; nothing else
# beside the target is ever removed.
_WORK = ".claimgraph-"
_MARKER = "claimgraph-temporary"
_MARKER_TEXT = b"A claimgraph write in progress, or killed; removed by the next write here.\n"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes it private; an output file is not
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    """UTF-8 text, written atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2). False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _work_folders(target: Path) -> list[Path]:
    """Work folders a replace of ``target`` made: the exact name pattern, a real folder, and the
    marker inside. A user's file or folder of a similar name is never one of them."""
    pattern = re.compile(re.escape(f".{target.name}{_WORK}") + r"[A-Za-z0-9_]{8}")
    found = []
    for path in sorted(target.parent.iterdir()):
        if not pattern.fullmatch(path.name) or path.is_symlink() or not path.is_dir():
            continue
        marker = path / _MARKER
        if marker.is_file() and not marker.is_symlink():
            found.append(path)
        else:  # killed before its marker was written: removed only while it is still empty
            with contextlib.suppress(OSError):
                path.rmdir()
    return found


def _in_use(work: Path) -> bool:
    """True while the replace that made ``work`` still runs (it holds a lock on the marker)."""
    if _fcntl is None:
        return False
    with open(work / _MARKER, "rb") as handle:
        try:
            _fcntl.flock(handle, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        _fcntl.flock(handle, _fcntl.LOCK_UN)
    return False


def _repair(target: Path) -> None:
    """Finish what a killed replace left beside ``target``: put back a previous folder that the
    fallback's two renames had moved away, then remove the work folders (and only those)."""
    for work in _work_folders(target):
        if _in_use(work):
            continue  # another replace of the same target is running
        old = work / "old"
        if not target.exists() and not target.is_symlink() and old.is_dir():
            os.rename(old, target)
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def _work_folder(target: Path) -> Iterator[Path]:
    """A marked, locked folder beside ``target``, removed when the block ends."""
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}{_WORK}", dir=target.parent))
    try:
        with open(work / _MARKER, "wb") as marker:
            marker.write(_MARKER_TEXT)
            marker.flush()
            if _fcntl is not None:
                _fcntl.flock(marker, _fcntl.LOCK_EX)
            yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def replace_directory(
    target: str | Path, *, check: Callable[[Path], None] | None = None
) -> Iterator[Path]:
    """Yield an empty folder; when the block succeeds it becomes ``target``, whole.

    If the block raises (or the process dies), ``target`` is left exactly as it was. ``check``,
    when given, is called with ``target`` before anything is written and again just before the
    swap; it raises to refuse replacing what is there (``target`` is then left as it was).
    """
    target = Path(target).absolute()
    if check is not None:
        check(target)  # before the parent folders are made
    target.parent.mkdir(parents=True, exist_ok=True)
    _repair(target)
    if check is not None:
        check(target)  # the repair may have put a previous folder back
    with _work_folder(target) as work:
        staging = work / "new"
        staging.mkdir()  # with the umask's permissions: an output folder is not private
        yield staging
        if target.exists() and not target.is_dir():
            raise FileExistsError(f"{target} exists and is not a folder")
        if check is not None:
            check(target)
        if target.exists() and _exchange(staging, target):
            return  # the work folder, removed on the way out, now holds the previous output
        if not target.exists():
            os.rename(staging, target)
            return
        os.rename(target, work / "old")  # a kill from here on is repaired by the next replace
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(work / "old", target)
            raise
