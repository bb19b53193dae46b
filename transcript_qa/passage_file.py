"""Passages on disk: ``passages.jsonl``, one JSON object a line, and the byte
offsets of its lines.

A saved index reads its passages from this file on demand
(:class:`PassageFile`), and so does a freshly built one: the build writes each
passage as it comes (:class:`PassageWriter`) and keeps none of them in memory,
so a corpus of millions of passages costs its offsets (8 bytes a passage), not
its objects. Fields left at their defaults are not written.
"""

from __future__ import annotations

import json
import os
from array import array
from dataclasses import MISSING, fields, replace
from pathlib import Path
from typing import BinaryIO, Iterator, Mapping, Sequence

import numpy as np

from transcript_qa.errors import IndexFormatError
from transcript_qa.model import Passage

REBUILD_HINT = "run `transcript-qa index build`"
_FIELDS = tuple(f.name for f in fields(Passage))
#: optional Passage fields and their defaults (not written when a passage has them)
_DEFAULTS = {f.name: f.default for f in fields(Passage) if f.default is not MISSING}
_CACHED = 4096  # passages kept once read
_COPY_BYTES = 8 << 20


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def passage_line(passage: Passage) -> bytes:
    """One passage as its line of ``passages.jsonl``."""
    record = {}
    for name in _FIELDS:
        value = getattr(passage, name)
        if name not in _DEFAULTS or value != _DEFAULTS[name]:
            record[name] = list(value) if name == "links" else value
    return (_encode(record) + "\n").encode("utf-8")


class PassageWriter:
    """Writes passages to an open binary file, one line each, and records
    where each line ends."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._ends = array("q", [0])

    def write(self, passage: Passage) -> None:
        line = passage_line(passage)
        self._handle.write(line)
        self._ends.append(self._ends[-1] + len(line))

    def __len__(self) -> int:
        return len(self._ends) - 1

    def offsets(self) -> np.ndarray:
        """int64 [passages + 1]: where each line starts (and the file's size last)."""
        return np.frombuffer(self._ends, dtype=np.int64).copy()


class PassageFile(Sequence[Passage]):
    """``passages.jsonl`` read one line at a time, on demand.

    ``links``: passage number -> ids of passages it is to link to besides the
    ones its line names (what a build finds after the passages were
    written); they are added as the passage is read, and written by
    :meth:`copy_to`."""

    def __init__(self, path: Path, offsets: np.ndarray, links: Mapping[int, Sequence[str]] | None = None) -> None:
        self._path = path
        self._offsets = offsets
        self._handle = open(path, "rb")  # noqa: SIM115 (closed by close())
        self._cache: dict[int, Passage] = {}
        self._links = dict(links or {})

    def __len__(self) -> int:
        return int(self._offsets.shape[0]) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = self._number(i)
        cached = self._cache.get(i)
        if cached is not None:
            return cached
        passage = self.written(i)
        extra = self._links.get(i)
        if extra:
            passage = replace(passage, links=tuple(dict.fromkeys(list(passage.links) + list(extra))))
        if len(self._cache) < _CACHED:
            self._cache[i] = passage
        return passage

    def _number(self, i: int) -> int:
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return i

    def written(self, i: int) -> Passage:
        """Passage ``i`` as its line has it (without the links added later)."""
        i = self._number(i)
        raw = self._raw(int(self._offsets[i]), int(self._offsets[i + 1]))
        try:
            data = json.loads(raw)
            links = data.get("links")
            if links is not None:
                data["links"] = tuple(links)
            return Passage(**data)
        except (ValueError, TypeError) as err:
            raise IndexFormatError(
                f"{self._path}: passage {i} is unreadable ({err}); {REBUILD_HINT}", hint=REBUILD_HINT
            ) from None

    def _raw(self, start: int, end: int) -> bytes:
        if hasattr(os, "pread"):
            return os.pread(self._handle.fileno(), end - start, start)
        self._handle.seek(start)  # pragma: no cover - no pread
        return self._handle.read(end - start)

    def __iter__(self) -> Iterator[Passage]:
        for i in range(len(self)):
            yield self[i]

    def links_added(self) -> int:
        """How many passages have links beyond their written line's."""
        return len(self._links)

    def copy_to(self, handle: BinaryIO) -> np.ndarray:
        """Write every passage (links added) to ``handle``; their offsets there.
        Lines without added links are copied as bytes, not decoded."""
        offsets = np.array(self._offsets, dtype=np.int64)  # a copy, returned
        if not self._links:
            self._copy(handle, 0, int(offsets[-1]))
            return offsets
        growth = np.zeros(len(self), dtype=np.int64)
        done = 0
        for i in sorted(self._links):
            self._copy(handle, done, int(offsets[i]))
            line = passage_line(self[i])
            handle.write(line)
            growth[i] = len(line) - int(offsets[i + 1] - offsets[i])
            done = int(offsets[i + 1])
        self._copy(handle, done, int(offsets[-1]))
        offsets[1:] += np.cumsum(growth)
        return offsets

    def _copy(self, handle: BinaryIO, start: int, end: int) -> None:
        self._handle.seek(start)
        left = end - start
        while left > 0:
            block = self._handle.read(min(left, _COPY_BYTES))
            if not block:
                raise IndexFormatError(f"{self._path}: shorter than its offsets say; {REBUILD_HINT}",
                                       hint=REBUILD_HINT)
            handle.write(block)
            left -= len(block)

    def close(self) -> None:
        self._handle.close()


def write_passages(passages: Sequence[Passage], handle: BinaryIO) -> np.ndarray:
    """Write ``passages`` to ``handle``; the offsets of their lines."""
    copy = getattr(passages, "copy_to", None)
    if copy is not None:
        return copy(handle)
    writer = PassageWriter(handle)
    for passage in passages:
        writer.write(passage)
    return writer.offsets()

