"""The files of a corpus folder, read safely, and their fingerprint.

Kept apart from the parsers (``corpus.py``) and free of their imports: the query
path checks an index's corpus for changes on every load, and must not pay for
importing the whole loader to do it.

What is never read as a document, each reported with a reason (never silently):

- anything that is not a regular file (a FIFO, a device, a socket, a symlink to
  one of those such as ``/dev/zero``): it is never opened in a way that could
  block or stream without end;
- a file over the size limit (:data:`DEFAULT_MAX_FILE_BYTES`; a corpus raises
  or lowers it with ``"max_file_mb"`` in its manifest);
- a folder holding an index (its ``manifest.json`` is an index manifest), so an
  index kept inside its corpus folder is never ingested as documents;
- a symbolic link to a folder (not followed, so no loops) and a folder that
  cannot be listed.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

from . import paths
from .atomic import describe_mode
from .errors import CorpusError

#: File extensions the loader reads.
READABLE_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".vtt", ".srt", ".json", ".jsonl", ".xml", ".html", ".htm", ".pdf", ".docx")
#: Manifest file names, in order of preference.
MANIFEST_NAMES: tuple[str, ...] = ("corpus.json", "corpus.toml")
#: Files larger than this are skipped with a warning (``"max_file_mb"`` in the manifest changes it).
DEFAULT_MAX_FILE_BYTES = 256 << 20
#: The file that makes a folder an index folder.
INDEX_MANIFEST = "manifest.json"
_INDEX_MANIFEST_MAX_BYTES = 16 << 20
_MIB = 1 << 20


class SkipFile(Exception):
    """A file that is not read; ``str(err)`` is the reason (internal: never leaves this package)."""


def is_hidden(rel: PurePosixPath) -> bool:
    return any(part.startswith((".", "__")) for part in rel.parts)


def _mib(n: float) -> str:
    return f"{n / _MIB:.1f} MiB" if n >= _MIB / 10 else f"{int(n)} bytes"


def check_regular(path: Path, max_bytes: int) -> os.stat_result:
    """``os.stat`` of a regular file no larger than ``max_bytes``; else :class:`SkipFile`."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SkipFile(f"a symbolic link to {os.readlink(path)}, which does not exist" if path.is_symlink()
                       else "unreadable: no such file") from None
    except OSError as err:
        raise SkipFile(f"unreadable: {err.strerror or err}") from None
    if not stat.S_ISREG(st.st_mode):
        what = describe_mode(st.st_mode)
        link = " (a symbolic link to one)" if path.is_symlink() else ""
        raise SkipFile(f"not a regular file: {what}{link}; not read")
    if st.st_size > max_bytes:
        raise SkipFile(f"too large: {_mib(st.st_size)}, over the limit of {_mib(max_bytes)} "
                       f"(\"max_file_mb\" in corpus.json raises it)")
    return st


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; else :class:`SkipFile`.

    Opened without blocking (a FIFO put in place after a scan does not hang the
    reader) and checked on the open handle, so what is read is what was checked."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise SkipFile(f"unreadable: {err.strerror or err}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SkipFile(f"not a regular file: {describe_mode(st.st_mode)}; not read")
        if st.st_size > max_bytes:
            raise SkipFile(f"too large: {_mib(st.st_size)}, over the limit of {_mib(max_bytes)}")
        chunks: list[bytes] = []
        total = 0
        while True:
            block = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not block:
                break
            chunks.append(block)
            total += len(block)
            if total > max_bytes:
                raise SkipFile(f"too large: grew past the limit of {_mib(max_bytes)} while being read")
        return b"".join(chunks)
    except OSError as err:
        raise SkipFile(f"unreadable: {err.strerror or err}") from None
    finally:
        os.close(fd)


def is_index_folder(folder: Path) -> bool:
    """True when ``folder`` holds an index manifest (a JSON object with a
    ``format`` and the library's build facts), as every index folder does."""
    try:
        data = read_regular(folder / INDEX_MANIFEST, _INDEX_MANIFEST_MAX_BYTES)
        manifest = json.loads(data.decode("utf-8"))
    except (SkipFile, ValueError, RecursionError):
        return False
    return isinstance(manifest, dict) and "format" in manifest and any(
        key in manifest for key in ("library_version", "files", "counts")
    )


def find_manifest(root: Path) -> str | None:
    """The corpus manifest's name (``corpus.json`` before ``corpus.toml``), or None."""
    for name in MANIFEST_NAMES:
        if os.path.lexists(root / name):
            return name
    return None


def _parse_manifest(data: bytes, name: str) -> Any:
    """The manifest's content; ValueError (or RecursionError, for absurd nesting) if unreadable."""
    text = data.decode("utf-8-sig")
    if name.endswith(".toml"):
        import tomllib

        return tomllib.loads(text)
    return json.loads(text)


def max_file_bytes(value: Any) -> tuple[int, str | None]:
    """The size limit from a manifest's ``max_file_mb`` value: (bytes, warning or None)."""
    if value is None:
        return DEFAULT_MAX_FILE_BYTES, None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1 << 40:
        return DEFAULT_MAX_FILE_BYTES, (f"bad max_file_mb {value!r} (expected a positive number of MiB); "
                                        f"using {DEFAULT_MAX_FILE_BYTES >> 20}")
    return int(value * _MIB), None


def manifest_limit(data: bytes, name: str) -> int:
    """The size limit a manifest's bytes set (the default when they set none, or are unreadable)."""
    try:
        manifest = _parse_manifest(data, name)
    except (ValueError, RecursionError):
        return DEFAULT_MAX_FILE_BYTES
    return max_file_bytes(manifest.get("max_file_mb") if isinstance(manifest, dict) else None)[0]


@dataclass(frozen=True)
class Scan:
    """A corpus folder's files, as sorted relative posix paths."""

    readable: tuple[str, ...]
    unsupported: tuple[str, ...]
    #: (path, reason): files and folders that are not read (not regular, too large, index folders, ...)
    skipped: tuple[tuple[str, str], ...]


def scan(root: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Scan:
    """The readable, unsupported and skipped entries under ``root`` (the
    manifest and hidden files aside). Nothing is opened but index manifests."""
    readable: list[str] = []
    unsupported: list[str] = []
    skipped: list[tuple[str, str]] = []

    def rel_of(path: str) -> str:
        return PurePosixPath(Path(path).relative_to(root).as_posix()).as_posix()

    def on_error(err: OSError) -> None:
        where = rel_of(err.filename) if err.filename else "."
        skipped.append((where, f"folder cannot be listed: {err.strerror or err}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        keep = []
        for d in sorted(dirnames):
            if d.startswith((".", "__")):
                continue
            full = Path(dirpath) / d
            if full.is_symlink():
                skipped.append((rel_of(str(full)), "symbolic link to a folder; not followed"))
            elif is_index_folder(full):
                skipped.append((rel_of(str(full)), "an index folder (holds an index manifest); "
                                                   "not read as documents"))
            else:
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = PurePosixPath(rel_of(str(full)))
            if is_hidden(rel) or (len(rel.parts) == 1 and name in MANIFEST_NAMES):
                continue
            if rel.suffix.lower() not in READABLE_EXTENSIONS:
                unsupported.append(str(rel))
                continue
            try:
                check_regular(full, max_bytes)
            except SkipFile as why:
                skipped.append((str(rel), str(why)))
                continue
            readable.append(str(rel))
    return Scan(tuple(sorted(readable)), tuple(sorted(unsupported)), tuple(sorted(skipped)))


def corpus_root(path: str | os.PathLike[str] | None) -> Path:
    root = Path(path) if path is not None else paths.default_corpus_path()
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"not a folder: {root} (a corpus is a folder of documents)")
    if is_index_folder(root):
        raise CorpusError(f"{root} is an index folder, not a corpus",
                          hint="give the folder of documents the index was built from")
    return root


#: Bump when a parsing change gives unchanged files different passages. It is part
#: of the corpus fingerprint, so an index built by an older parser shows as stale
#: (and the default index is rebuilt) instead of silently serving old passage ids.
PARSER_VERSION = 2


def digest(files: Iterable[tuple[str, bytes]]) -> str:
    h = hashlib.sha256(f"transcript_qa parser {PARSER_VERSION}\n".encode("ascii"))
    for rel, data in sorted(files):
        h.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(data).hexdigest().encode("ascii") + b"\n")
    return h.hexdigest()


def corpus_fingerprint(path: str | os.PathLike[str] | None = None) -> str:
    """sha256 over the parser version and (relative path, sha256 of bytes) of the
    corpus files, sorted.

    Cheap (reads bytes, parses nothing but the manifest) and equal to
    ``load_corpus(path).fingerprint``: the same files are read, the same skipped.
    """
    root = corpus_root(path)
    items: list[tuple[str, bytes]] = []
    limit = DEFAULT_MAX_FILE_BYTES
    manifest = find_manifest(root)
    if manifest:
        try:
            data = read_regular(root / manifest, DEFAULT_MAX_FILE_BYTES)
        except SkipFile:
            pass
        else:
            items.append((manifest, data))
            limit = manifest_limit(data, manifest)
    for rel in scan(root, limit).readable:
        try:
            items.append((rel, read_regular(root / rel, limit)))
        except SkipFile:
            continue
    return digest(items)
