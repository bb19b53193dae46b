"""The files of a corpus folder, and their fingerprint.

Kept apart from the parsers (``corpus.py``) and free of their imports: the query
path checks an index's corpus for changes on every load, and must not pay for
importing the whole loader to do it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath
from typing import Iterable

from . import paths
from .errors import CorpusError

#: File extensions the loader reads.
READABLE_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".vtt", ".srt", ".json", ".jsonl", ".xml")
#: Manifest file names, in order of preference.
MANIFEST_NAMES: tuple[str, ...] = ("corpus.json", "corpus.toml")


def is_hidden(rel: PurePosixPath) -> bool:
    return any(part.startswith((".", "__")) for part in rel.parts)


def scan(root: Path) -> tuple[str | None, list[str], list[str]]:
    """(manifest, readable files, unsupported files) as sorted relative posix paths."""
    manifest: str | None = None
    readable: list[str] = []
    unsupported: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = PurePosixPath(full.relative_to(root).as_posix())
            if is_hidden(rel):
                continue
            if len(rel.parts) == 1 and name in MANIFEST_NAMES:
                if manifest is None or MANIFEST_NAMES.index(name) < MANIFEST_NAMES.index(manifest):
                    manifest = name
                continue
            if rel.suffix.lower() in READABLE_EXTENSIONS:
                readable.append(str(rel))
            else:
                unsupported.append(str(rel))
    return manifest, sorted(readable), sorted(unsupported)


def corpus_root(path: str | os.PathLike[str] | None) -> Path:
    root = Path(path) if path is not None else paths.default_corpus_path()
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"not a folder: {root} (a corpus is a folder of documents)")
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

    Cheap (reads bytes, parses nothing) and equal to ``load_corpus(path).fingerprint``.
    """
    root = corpus_root(path)
    manifest, readable, _ = scan(root)
    items: list[tuple[str, bytes]] = []
    for rel in ([manifest] if manifest else []) + readable:
        try:
            items.append((rel, (root / rel).read_bytes()))
        except OSError:
            continue
    return digest(items)
