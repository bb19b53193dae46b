"""Files and folders replaced all at once: a reader sees the old version or the
new one, never half of either, and a crash leaves the old one in place."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Callable, Iterator

from transcript_qa.errors import OutputError


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (renames, new files) durable, where the OS allows."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace_folder(target: Path, fill: Callable[[Path], None]) -> None:
    """Write a new version of the folder ``target``: ``fill(tmp)`` writes the
    files into a temporary folder beside it, which then replaces ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        fill(tmp)
        _swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_in(tmp: Path, target: Path) -> None:
    """Replace ``target`` by ``tmp``. The old index is renamed aside first and
    removed last; if we die in between, :func:`recover` puts it back."""
    old = None
    if target.exists():
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    fsync_dir(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def recover(target: Path) -> None:
    """A crash between the two renames of :func:`_swap_in` leaves the good
    index at ``.<name>.old-<pid>``: put it back."""
    if target.exists() or not target.parent.is_dir():
        return
    olds = sorted(target.parent.glob(f".{target.name}.old-*"))
    for old in olds:
        if (old / "manifest.json").is_file():
            os.rename(old, target)
            return


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = "") -> Iterator[IO[str]]:
    """Open ``path`` for writing text so that it is replaced all at once.

    Writes go to a temporary file in the same folder; on success it is flushed,
    fsynced and renamed over ``path`` (``os.replace``); on any exception it is
    deleted and ``path`` is left as it was. A folder that does not exist or
    cannot be written raises :class:`OutputError` naming the path.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder", hint="give a file name for the output")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        reason = err.strerror or str(err)
        raise OutputError(f"cannot write {target}: {reason}",
                          hint="check that the folder exists and is writable") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        try:
            os.replace(tmp, target)
        except OSError as err:
            raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
