"""Files and folders replaced all at once: a reader sees the old version or the
new one, never half of either, and a crash leaves the old one in place.

Beside a folder ``<name>`` being replaced live, for a moment, ``.<name>.tmp-<pid>-<x>``
(the new version being written), ``.<name>.old-<pid>-<x>`` (the old version,
between the two renames) and ``.<name>.del-<pid>-<x>`` (the old version being
deleted). A killed build leaves some of them: the next build removes those whose
process is gone, and :func:`recover` puts back only a complete ``.old`` that
its caller verified. New folders and files get the permissions the umask gives.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
import sys
import time
from pathlib import Path
from typing import IO, Callable, Iterator

from transcript_qa.errors import OutputError

_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<what>tmp|old|del)-(?P<rest>.+)")
#: Leftovers whose process cannot be told (older names) are removed after this long.
_STALE_SECONDS = 3600


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


def _sibling(target: Path, what: str) -> Path:
    return target.parent / f".{target.name}.{what}-{os.getpid()}-{secrets.token_hex(4)}"


def new_folder(target: Path, what: str = "tmp") -> Path:
    """A new empty folder beside ``target``, created with mode 0o777 so that
    the umask decides its permissions (``mkdtemp`` would make it 0o700)."""
    while True:
        folder = _sibling(target, what)
        try:
            os.mkdir(folder, 0o777)
            return folder
        except FileExistsError:
            continue


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def leftovers(target: Path) -> list[Path]:
    """The ``.tmp``/``.old``/``.del`` folders of killed writes beside ``target``
    (those of a write still running are not listed)."""
    out = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return []
    for entry in entries:
        m = _LEFTOVER.fullmatch(entry.name)
        if not m or not (m.group("name") == target.name or m.group("name").startswith(f".{target.name}.")):
            continue  # (the second: the temporary folder of a folder that was itself temporary)
        pid = m.group("rest").split("-", 1)[0]
        if pid.isdigit():
            if _pid_alive(int(pid)):
                continue
        else:
            try:
                if time.time() - entry.stat(follow_symlinks=False).st_mtime < _STALE_SECONDS:
                    continue
            except OSError:
                continue
        if m.group("what") == "old" and not target.exists():
            continue  # perhaps the only copy: recover() decides
        out.append(Path(entry.path))
    return sorted(out)


def clean_leftovers(target: Path) -> list[Path]:
    """Remove what :func:`leftovers` lists; returns what was removed."""
    removed = []
    for path in leftovers(target):
        discard(path, target)
        removed.append(path)
    return removed


def discard(folder: Path, target: Path) -> None:
    """Delete a folder so that it never looks complete on the way: renamed to
    ``.del-`` first (which :func:`recover` never looks at), then removed."""
    trash = folder
    if not folder.name.startswith(f".{target.name}.del-"):
        trash = _sibling(target, "del")
        try:
            os.rename(folder, trash)
        except OSError:
            trash = folder
    if trash.is_dir() and not trash.is_symlink():
        shutil.rmtree(trash, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            trash.unlink()


def replace_folder(target: Path, fill: Callable[[Path], None]) -> None:
    """Write a new version of the folder ``target``: ``fill(tmp)`` writes the
    files into a temporary folder beside it, which then replaces ``target``.
    Leftovers of killed writes to ``target`` are removed first and last."""
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    tmp = new_folder(target, "tmp")
    try:
        fill(tmp)
        swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    clean_leftovers(target)  # now that target exists, an old .old is superseded too


def swap_in(tmp: Path, target: Path) -> None:
    """Replace ``target`` by ``tmp``. The old version is renamed aside first and
    removed last; if we die in between, :func:`recover` puts it back."""
    old = None
    if target.exists():
        old = _sibling(target, "old")
        os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)
        raise
    fsync_dir(target.parent)
    if old is not None:
        discard(old, target)


def recover(target: Path, check: Callable[[Path], bool] | None = None) -> bool:
    """A crash between the two renames of :func:`swap_in` leaves the good
    version at ``.<name>.old-*`` and no ``target``: put back the newest one
    that ``check`` accepts (the caller verifies it is complete). True if one was."""
    if target.exists() or not target.parent.is_dir():
        return False
    olds = []
    for path in target.parent.glob(f".{target.name}.old-*"):
        with contextlib.suppress(OSError):
            olds.append((path.stat().st_mtime, path))
    for _, old in sorted(olds, reverse=True):
        if check is not None and not check(old):
            continue
        try:
            os.rename(old, target)
        except OSError:
            return False
        return True
    return False


# --------------------------------------------------------------------------- single files


def _umask_mode(mode: int = 0o666) -> int:
    """``mode`` less the process umask, read without changing it where the OS tells it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return mode & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mode & ~mask


def describe_mode(mode: int) -> str:
    """What a file that is not a regular file is, for messages ("a FIFO (named pipe)", ...)."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _regular_target(path: Path) -> tuple[Path, int | None]:
    """The regular file a write to ``path`` replaces (a symlink's target) and
    its mode (None: it does not exist yet); OutputError for anything else."""
    if path.is_symlink():
        real = Path(os.path.realpath(path))
        if not real.exists():
            raise OutputError(f"cannot write {path}: it is a symbolic link to {real}, which does not exist",
                              hint=f"write to {real} itself if that is meant")
        path = real
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return path, None
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {path}: it is a folder", hint="give a file name for the output")
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"cannot write {path}: it is {describe_mode(st.st_mode)}, which is never replaced",
                          hint="give a regular file's name, or - for standard output")
    return path, stat.S_IMODE(st.st_mode)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = "") -> Iterator[IO[str]]:
    """Open ``path`` for writing text so that it is replaced all at once.

    Writes go to a temporary file in the same folder; on success it is flushed,
    fsynced and renamed over ``path`` (``os.replace``); on any exception it is
    deleted and ``path`` is left as it was. A symbolic link to a regular file is
    kept and its target replaced; an existing file keeps its permissions, a new
    one gets those the umask gives. Anything that is not a regular file (a FIFO,
    a device, a folder, a dangling link) is never replaced: OutputError, as for
    a folder that does not exist or cannot be written.
    """
    target, mode = _regular_target(Path(path))
    folder = target.parent
    try:
        clean_leftovers(target)
        tmp = _new_file(target)
    except OSError as err:
        reason = err.strerror or str(err)
        raise OutputError(f"cannot write {target}: {reason}",
                          hint="check that the folder exists and is writable") from None
    try:
        with open(tmp, "w", encoding=encoding, newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, mode if mode is not None else _umask_mode())
        try:
            os.replace(tmp, target)
        except OSError as err:
            raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
        fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _new_file(target: Path) -> Path:
    while True:
        tmp = _sibling(target, "tmp")
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            return tmp
        except FileExistsError:
            continue


@contextlib.contextmanager
def open_output(path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = "") -> Iterator[IO[str]]:
    """Open an output path for writing text, as a careful shell redirect would.

    - ``-``: standard output;
    - a FIFO or a character device (``/dev/null``, a terminal), a symbolic
      link to one, or any existing path under ``/dev`` or ``/proc``
      (``/dev/stdout``): written through, never replaced;
    - a regular file, a new file, or a symbolic link to a regular file:
      replaced atomically (:func:`atomic_writer`);
    - anything else (a socket, a block device, a folder, a dangling link): OutputError.
    """
    if os.fspath(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    try:
        st = os.stat(target)
    except OSError:
        st = None
    device = any(str(p).startswith(("/dev/", "/proc/")) for p in (target.absolute(), os.path.realpath(target)))
    if st is not None and (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode) or device):
        try:
            stream = open(target, "w", encoding=encoding, newline=newline)
        except OSError as err:
            raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
        with stream:
            yield stream
        return
    with atomic_writer(target, encoding=encoding, newline=newline) as stream:
        yield stream
