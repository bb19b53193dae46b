"""A build's intermediate results, in memory or in its work folder.

:class:`Runs` holds each analysed chunk's postings (a *run*), written out as raw
arrays once they pass a memory budget and read back a slice at a time;
:class:`Shingles` does the same for the hashes that find linked passages;
:class:`TableRuns` keeps the stem and acronym tables the chunks report in a
file until the analysis is over. Used by :mod:`transcript_qa.indexer`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from transcript_qa.vectorize import ChunkResult

_RUN_KEYS = ("terms", "uni_term", "uni_part", "uni_code", "bi_first", "bi_second", "bi_part", "bi_code")


class Runs:
    """The chunks' postings, in memory or spilled to ``folder`` (raw arrays,
    read back a slice at a time with ``pread``: nothing stays mapped)."""

    def __init__(self, folder: Path, budget: int) -> None:
        self.folder = folder
        self.budget = budget  # postings held in memory before the runs are written out
        self.chunks: list[dict[str, Any]] = []
        self.in_memory = 0
        self.ids: dict[str, int] = {}  # term -> provisional number (order of first sight)

    def add(self, result: ChunkResult, part_offset: int) -> None:
        ids = self.ids
        for term in result.terms:
            if term not in ids:
                ids[term] = len(ids)
        run = {
            "terms": np.fromiter(map(ids.__getitem__, result.terms), dtype=np.int64, count=len(result.terms)),
            "part_offset": part_offset,
            "uni_term": result.uni_term, "uni_part": result.uni_part, "uni_code": result.uni_code,
            "bi_first": result.bi_first, "bi_second": result.bi_second, "bi_part": result.bi_part,
            "bi_code": result.bi_code,
        }
        self.chunks.append(run)
        self.in_memory += result.uni_term.size + result.bi_first.size
        if self.in_memory > self.budget:
            for i, chunk in enumerate(self.chunks):
                if "spilled" not in chunk:
                    self._spill(i, chunk)
            self.in_memory = 0

    def _spill(self, i: int, chunk: dict[str, Any]) -> None:
        base = self.folder / f"run{i:05d}"
        base.mkdir(parents=True, exist_ok=True)
        kinds = {}
        for key in _RUN_KEYS:
            array = np.ascontiguousarray(chunk[key])
            array.tofile(base / f"{key}.bin")
            kinds[key] = (array.dtype, int(array.shape[0]))
            chunk[key] = None
        chunk["spilled"] = base
        chunk["kinds"] = kinds

    def size(self, i: int, key: str) -> int:
        chunk = self.chunks[i]
        return chunk["kinds"][key][1] if "spilled" in chunk else int(chunk[key].shape[0])

    def read(self, i: int, key: str, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Rows [lo, hi) of one of chunk i's arrays."""
        chunk = self.chunks[i]
        base = chunk.get("spilled")
        if base is None:
            return chunk[key][lo:hi]
        dtype, n = chunk["kinds"][key]
        hi = n if hi is None else hi
        if hi <= lo:
            return np.zeros(0, dtype=dtype)
        return np.fromfile(base / f"{key}.bin", dtype=dtype, count=hi - lo, offset=lo * dtype.itemsize)


class Shingles:
    """The chunks' shingles (sorted by hash), in memory or spilled to ``folder``."""

    def __init__(self, folder: Path, budget: int) -> None:
        self.folder = folder
        self.budget = budget  # shingles held in memory before they are written out
        self.chunks: list[Any] = []
        self.in_memory = 0

    def add(self, hashes: np.ndarray, parts: np.ndarray) -> None:
        self.chunks.append((hashes, parts.astype(np.int32)))
        self.in_memory += hashes.size
        if self.in_memory > self.budget:
            self.folder.mkdir(parents=True, exist_ok=True)
            for i, chunk in enumerate(self.chunks):
                if isinstance(chunk, tuple):
                    np.save(self.folder / f"h{i:05d}.npy", chunk[0], allow_pickle=False)
                    np.save(self.folder / f"p{i:05d}.npy", chunk[1], allow_pickle=False)
                    self.chunks[i] = i
            self.in_memory = 0

    def _chunk(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        chunk = self.chunks[i]
        if isinstance(chunk, tuple):
            return chunk
        return (np.load(self.folder / f"h{chunk:05d}.npy", mmap_mode="r"),
                np.load(self.folder / f"p{chunk:05d}.npy", mmap_mode="r"))

    def by_range(self, n: int):
        """(hashes, parts) of every chunk, one hash range at a time."""
        edges = [np.uint64(((1 << 64) * i) // n) for i in range(n)] + [None]
        for r in range(n):
            hashes, parts = [], []
            for i in range(len(self.chunks)):
                h, p = self._chunk(i)  # mapped afresh: pages read for one range are not kept
                lo = int(np.searchsorted(h, edges[r]))
                hi = int(np.searchsorted(h, edges[r + 1])) if edges[r + 1] is not None else h.shape[0]
                if hi > lo:
                    hashes.append(np.asarray(h[lo:hi]))
                    parts.append(np.asarray(p[lo:hi]))
            if hashes:
                yield np.concatenate(hashes), np.concatenate(parts)


class TableRuns:
    """The surface -> stem and acronym tables the chunks report, kept in a
    work file (a JSON line per chunk) until the analysis is over: they are
    held in memory only once the workers have gone."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 (closed by read)

    def add(self, stems: dict[str, str], acronyms: dict[str, str]) -> None:
        self.handle.write(json.dumps([stems, acronyms], ensure_ascii=False) + "\n")

    def read(self) -> tuple[dict[str, str], dict[str, str]]:
        """Both tables (the first report of a word wins, as in corpus order)."""
        self.handle.close()
        stems: dict[str, str] = {}
        acronyms: dict[str, str] = {}
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                chunk_stems, chunk_acronyms = json.loads(line)
                for word, stem in chunk_stems.items():
                    stems.setdefault(word, stem)
                for word, term in chunk_acronyms.items():
                    acronyms.setdefault(word, term)
        self.path.unlink()
        return stems, acronyms
