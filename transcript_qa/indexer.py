"""Building a segment's postings: in parallel over the cores, memory bounded.

Passages come in chunks of whole documents (:class:`Chunk`, made by the
caller as it reads them, so the corpus is never held whole) and go out to
:class:`ChunkAnalyser`\\ s (in worker processes when there are many
passages; in this process otherwise). Each chunk comes back with its terms as sorted strings and its
postings sorted by (term, part); the postings are kept as *runs* (written to a
work folder once they exceed a memory budget). At the end the runs are merged
term range by term range (a range holds a bounded number of postings), each
range encoded (:mod:`transcript_qa.postings`) and appended to the segment's
``.npy`` files. Because every chunk numbers its terms by sorted string, a
run's term numbers map to the final ones by a monotone table, so a range of
final terms is a contiguous slice of every run.

Unigrams are numbered by sorted string; bigrams several parts hold follow,
sorted by ``bigram_code(a, b) = (a + 1) << 32 | b``; a bigram one part holds
goes to the single-bigram table (``single_*.npy``, sorted by code, no posting
block: :mod:`transcript_qa.segment`). The result does not depend on the
number of workers.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from transcript_qa import postings as P
from transcript_qa import vectorize
from transcript_qa.build_runs import Runs, Shingles, TableRuns
from transcript_qa.clean_workers import CleanPool, WorkerGone
from transcript_qa.segment import SINGLE_NAMES
from transcript_qa.vectorize import ChunkAnalyser, ChunkResult, find_links

#: Passages per chunk (a chunk ends at a document boundary after this many).
CHUNK_PASSAGES = 4_096
#: Below this many passages the build runs in this process.
PARALLEL_MIN_PASSAGES = 40_000
#: Postings (and shingles) held in memory before runs are written to the work folder.
RUN_MEMORY_POSTINGS = 1_000_000
#: Postings per merged term range (encoding one takes about 100 bytes a posting).
MERGE_POSTINGS = 1_000_000
#: Shingle hash ranges for link detection.
LINK_BUCKETS = 16

Notify = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Chunk:
    """Indexed passages to analyse together: whole documents, in corpus order."""

    texts: list[str]
    extra: list[str | None] | None  # what is indexed with each besides its text (the speaker's name)
    documents: np.ndarray  # int64: a number per document (the same for the passages of one)
    numbers: np.ndarray  # int64: each passage's number in the corpus (ascending)


@dataclass
class SegmentData:
    """What the build of one segment produces (arrays may be memory-mapped
    files in ``folder``)."""

    vocab: list[str]
    bigrams: np.ndarray  # int64 sorted codes (bigrams with a posting block)
    postings: dict[str, np.ndarray]  # postings.ARRAY_NAMES
    part_passage: np.ndarray  # int32 [parts]
    part_start: np.ndarray  # int32 [parts]
    passage_length: np.ndarray  # int32 [indexed passages]: terms of each (unigrams and bigrams)
    numbers: np.ndarray  # int64 [indexed passages]: their numbers in the corpus
    total_length: int  # sum of the parts' lengths
    links: dict[int, set[int]]
    tables: dict[str, dict[str, str]]
    folder: Path | None = None
    files: list[str] = field(default_factory=list)
    part_length: np.ndarray | None = None  # int32 [parts]: each part's length (what total_length sums)
    singles: dict[str, np.ndarray] = field(default_factory=dict)  # segment.SINGLE_NAMES


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# =========================================================================== workers

#: Modules NLTK's package imports when they are installed, for parts the analyser never uses
#: (scipy alone is about 90 MB a process). A worker process only analyses, so it treats them as absent.
_NOT_NEEDED_IN_WORKERS = ("scipy", "sklearn")


def _start_worker(**kwargs: Any) -> ChunkAnalyser:
    """A worker's analyser."""
    absent = [name for name in _NOT_NEEDED_IN_WORKERS if name not in sys.modules]
    for name in absent:
        sys.modules[name] = None  # type: ignore[assignment]  # "import scipy" raises ImportError
    try:
        import nltk.stem.snowball  # noqa: F401  (the build's stemmer)
    except ImportError:  # an NLTK that needs them after all: the analyser imports it as usual
        pass
    finally:
        for name in absent:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return ChunkAnalyser(**kwargs)


def _analyse_in_worker(analyser: ChunkAnalyser, *task: Any) -> ChunkResult:
    result = analyser.analyse(*task)
    give_back_memory()  # the chunk's temporaries (the heap would keep them)
    return result


def give_back_memory() -> None:
    """Return the C heap's free memory to the system (glibc's
    ``malloc_trim``; elsewhere nothing): after a build's large temporaries
    the heap would otherwise keep it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _results(chunks: Iterable[Chunk], analyser_kwargs: dict[str, Any], workers: int,
             total: int | None) -> Iterator[tuple[Chunk, ChunkResult]]:
    """Each chunk with its result, in order, computed here or in clean worker
    processes (:mod:`transcript_qa.clean_workers`; two chunks queued in
    each, so memory stays bounded). Workers start only for
    :data:`PARALLEL_MIN_PASSAGES` passages or more (``total``, or counted by
    reading ahead when unknown). If they cannot start, the build goes on in
    this process."""
    chunks = iter(chunks)
    ahead: list[Chunk] = []
    if workers > 1 and total is None:
        seen = 0
        for chunk in chunks:
            ahead.append(chunk)
            seen += len(chunk.texts)
            if seen >= PARALLEL_MIN_PASSAGES:
                break
        else:
            workers = 1
    elif total is not None and total < PARALLEL_MIN_PASSAGES:
        workers = 1
    stream = chain(ahead, chunks)
    if workers > 1:
        sent: deque[Chunk] = deque()

        def tasks() -> Iterator[tuple]:
            for chunk in stream:
                sent.append(chunk)
                yield chunk.texts, chunk.extra, chunk.documents

        done = 0
        try:
            with CleanPool(workers, "transcript_qa.indexer:_start_worker",
                           "transcript_qa.indexer:_analyse_in_worker", analyser_kwargs) as pool:
                for result in pool.map(tasks()):
                    done += 1
                    yield sent.popleft(), result
            return
        except WorkerGone:
            if done:
                raise
        stream = chain(list(sent), stream)  # the workers never started: here, from the first chunk
    analyser = ChunkAnalyser(**analyser_kwargs)
    for chunk in stream:
        yield chunk, analyser.analyse(chunk.texts, chunk.extra, chunk.documents)


# =========================================================================== the build


def _mapped(path: Path) -> np.ndarray:
    """A written array, memory-mapped, as a plain ndarray view (a
    ``np.memmap`` costs microseconds of Python for every value read)."""
    return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)


def build_segment(chunks: Iterable[Chunk], *, total: int | None = None, analysis: dict[str, Any],
                  part_chars: int, bigram_min_count: int, link_shingle: int, link_max_share: int, folder: Path,
                  workers: int | None = None, notify: Notify | None = None) -> SegmentData:
    """Analyse the indexed passages, given in chunks of whole documents
    (``total``: how many, if known: for progress and to choose workers),
    and write the segment's postings into ``folder`` (memory-mapped back)."""
    say = notify or (lambda stage, done, total: None)
    workers = default_workers() if workers is None else max(1, int(workers))
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".runs-", dir=folder))
    try:
        return _build(chunks, total, analysis, part_chars, bigram_min_count, link_shingle, link_max_share,
                      folder, work, workers, say)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _build(chunks, total, analysis, part_chars, bigram_min_count, link_shingle, link_max_share, folder, work,
           workers, say) -> SegmentData:
    analyser_kwargs = dict(analysis=analysis, part_chars=part_chars, bigram_min_count=bigram_min_count,
                           link_shingle=link_shingle, surface_cache=vectorize._SURFACE_CACHE,
                           piece_cache=vectorize._PIECE_CACHE)
    runs = Runs(work, RUN_MEMORY_POSTINGS)
    tables = TableRuns(work / "tables.jsonl")
    part_counts, part_starts, lengths, numbers_of, documents_of = [], [], [], [], []
    part_lengths: list[np.ndarray] = []
    shingles = Shingles(work / "shingles", RUN_MEMORY_POSTINGS)
    total_length = 0
    parts_so_far = 0
    analysed = 0
    say("analysing passages", 0, total or 0)
    for chunk, result in _results(chunks, analyser_kwargs, workers, total):
        runs.add(result, parts_so_far)
        part_counts.append(result.n_parts)
        part_starts.append(result.part_start)
        lengths.append(result.passage_length)
        numbers_of.append(np.asarray(chunk.numbers, dtype=np.int64))
        documents_of.append(np.asarray(chunk.documents, dtype=np.int64))
        total_length += int(result.part_length.sum())
        part_lengths.append(np.asarray(result.part_length, dtype=np.int32))
        tables.add(result.stems, result.acronyms)
        if result.shingle_hash.size:
            shingles.add(result.shingle_hash, result.shingle_part + parts_so_far)
        parts_so_far += int(result.n_parts.sum())
        analysed += len(chunk.texts)
        say("analysing passages", analysed, max(total or 0, analysed))
    stems, acronyms = tables.read()

    def joined(pieces: list[np.ndarray], dtype: Any) -> np.ndarray:
        return np.concatenate(pieces).astype(dtype, copy=False) if pieces else np.zeros(0, dtype=dtype)

    numbers = joined(numbers_of, np.int64)
    documents = joined(documents_of, np.int64)
    n_parts = joined(part_counts, np.int32)
    part_passage = np.repeat(numbers.astype(np.int32), n_parts)
    part_start = joined(part_starts, np.int32)
    del part_counts, part_starts, numbers_of, documents_of
    links: dict[int, set[int]] = {}
    if link_shingle > 0:
        say("linking passages", 0, LINK_BUCKETS)
        passage_doc = np.full(int(numbers[-1]) + 1 if numbers.size else 0, -1, dtype=np.int64)
        passage_doc[numbers] = documents
        for k, (hashes, parts) in enumerate(shingles.by_range(LINK_BUCKETS)):
            for x, ys in find_links(hashes, parts, part_passage, passage_doc, link_max_share).items():
                links.setdefault(x, set()).update(ys)
            say("linking passages", k + 1, LINK_BUCKETS)
    vocab, bigrams, files = _merge(runs, parts_so_far, folder, work, say)
    give_back_memory()
    arrays = {name: _mapped(folder / f"{name}.npy") for name in P.ARRAY_NAMES}
    singles = {name: _mapped(folder / f"{name}.npy") for name in SINGLE_NAMES}
    return SegmentData(
        vocab=vocab,
        bigrams=bigrams,
        postings=arrays,
        part_passage=part_passage,
        part_start=part_start,
        passage_length=joined(lengths, np.int32),
        numbers=numbers,
        total_length=total_length,
        part_length=joined(part_lengths, np.int32),
        links=links,
        tables={"words": dict(sorted(stems.items())), "acronyms": dict(sorted(acronyms.items()))},
        folder=folder,
        files=files,
        singles=singles,
    )


# =========================================================================== merging


def _merge(runs: Runs, n_parts: int, folder: Path, work: Path, say: Notify) -> tuple[list[str], np.ndarray, list[str]]:
    """Merge the runs into the segment's postings files and single-bigram
    table; (vocab, codes of the bigrams with a posting block, file names)."""
    say("merging postings", 0, 1)
    vocab = sorted(runs.ids)
    final = np.empty(len(vocab), dtype=np.int64)  # provisional number -> final number
    final[np.fromiter(map(runs.ids.__getitem__, vocab), dtype=np.int64, count=len(vocab))] = np.arange(len(vocab))
    runs.ids = {}
    maps = [final[runs.read(i, "terms")] for i in range(len(runs.chunks))]
    n_uni = len(vocab)
    # unigram postings per final term (to cut ranges)
    df = np.zeros(n_uni + 1, dtype=np.int64)
    bi_count = np.zeros(n_uni + 1, dtype=np.int64)
    for i, mapping in enumerate(maps):
        if runs.size(i, "uni_term"):
            df[:n_uni] += np.bincount(mapping[runs.read(i, "uni_term")], minlength=n_uni)
        if runs.size(i, "bi_first"):
            bi_count[:n_uni] += np.bincount(mapping[runs.read(i, "bi_first")], minlength=n_uni)
    writer = _SegmentWriter(folder)
    single = _SingleWriter(folder, work, n_uni)
    total_steps = 2
    # unigrams
    bounds = _ranges(df[:n_uni], MERGE_POSTINGS)
    cuts = _cuts(runs, maps, "uni_term", bounds)
    for r, (f0, f1) in enumerate(bounds):
        term, part, code = [], [], []
        for i, mapping in enumerate(maps):
            lo, hi = int(cuts[i][r]), int(cuts[i][r + 1])
            if hi > lo:
                term.append(mapping[runs.read(i, "uni_term", lo, hi)])
                part.append(runs.read(i, "uni_part", lo, hi).astype(np.int64) + runs.chunks[i]["part_offset"])
                code.append(runs.read(i, "uni_code", lo, hi))
        writer.add(*_sorted_by_term(term, part, code, f0), f1 - f0)
    say("merging postings", 1, total_steps)
    # bigrams, by their first unigram
    codes_all: list[np.ndarray] = []
    n_bi = 0
    bounds = _ranges(bi_count[:n_uni], MERGE_POSTINGS)
    cuts = _cuts(runs, maps, "bi_first", bounds)
    for r, (f0, f1) in enumerate(bounds):
        key, part, code = [], [], []
        for i, mapping in enumerate(maps):
            lo, hi = int(cuts[i][r]), int(cuts[i][r + 1])
            if hi > lo:
                first = mapping[runs.read(i, "bi_first", lo, hi)]
                second = mapping[runs.read(i, "bi_second", lo, hi)]
                key.append(((first + 1) << 32) | second)
                part.append(runs.read(i, "bi_part", lo, hi).astype(np.int64) + runs.chunks[i]["part_offset"])
                code.append(runs.read(i, "bi_code", lo, hi))
        if not key:
            continue
        keys = np.concatenate(key)
        order = np.argsort(keys, kind="stable")
        keys, parts, codes = keys[order], np.concatenate(part)[order], np.concatenate(code)[order]
        new = np.r_[True, keys[1:] != keys[:-1]]
        starts = np.flatnonzero(new)
        counts = np.diff(np.r_[starts, keys.size])
        alone = np.repeat(counts == 1, counts)  # postings of bigrams one part holds
        single.add(keys[alone], parts[alone], codes[alone])
        keep = ~alone
        if keep.any():
            keys, parts, codes, new = keys[keep], parts[keep], codes[keep], new[keep]
            distinct = keys[new]
            local = np.cumsum(new) - 1
            codes_all.append(distinct)
            writer.add(local, parts, codes, int(distinct.size))
            n_bi += int(distinct.size)
    say("merging postings", 2, total_steps)
    files = single.append_to(writer) + writer.close()
    bigrams = np.concatenate(codes_all) if codes_all else np.zeros(0, dtype=np.int64)
    return vocab, bigrams, files


def _cuts(runs: Runs, maps: list[np.ndarray], key: str, bounds: list[tuple[int, int]]) -> list[np.ndarray]:
    """Per chunk: where each range of final terms starts in its rows sorted
    by ``key`` (and where the last one ends)."""
    edges = np.asarray([f0 for f0, _ in bounds] + [bounds[-1][1] if bounds else 0], dtype=np.int64)
    return [np.searchsorted(runs.read(i, key), np.searchsorted(mapping, edges)) for i, mapping in enumerate(maps)]


def _ranges(counts: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive [a, b) ranges of ``counts`` summing to about ``budget`` each."""
    v = counts.shape[0]
    if v == 0:
        return []
    cum = np.cumsum(counts)
    out, start = [], 0
    while start < v:
        base = int(cum[start - 1]) if start else 0
        end = int(np.searchsorted(cum, base + budget, side="right"))
        end = min(v, max(end, start + 1))
        out.append((start, end))
        start = end
    return out


def _sorted_by_term(term: list, part: list, code: list, base: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not term:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.uint16)
    t = np.concatenate(term) - base
    order = np.argsort(t, kind="stable")
    return t[order], np.concatenate(part)[order], np.concatenate(code)[order]


class _SingleWriter:
    """The single-bigram table: rows added in ascending code order; their
    postings kept in work files until :meth:`append_to` puts them at the end
    of the postings files."""

    def __init__(self, folder: Path, work: Path, n_unigrams: int) -> None:
        from transcript_qa.store import NpyWriter

        self.folder = folder
        self.counts = np.zeros(n_unigrams, dtype=np.int64)  # rows per first word
        self.seconds = NpyWriter(folder / "single_second.npy", "<i4")
        self.parts_path, self.codes_path = work / "single_part.bin", work / "single_code.bin"
        self.parts, self.codes = open(self.parts_path, "wb"), open(self.codes_path, "wb")
        self.n = 0

    def add(self, keys: np.ndarray, parts: np.ndarray, codes: np.ndarray) -> None:
        if keys.size:
            self.counts += np.bincount((keys >> 32) - 1, minlength=self.counts.size)
        self.seconds.write(keys & 0xFFFFFFFF)
        self.parts.write(np.ascontiguousarray(parts, dtype="<i4").tobytes())
        self.codes.write(np.ascontiguousarray(codes, dtype="<u2").tobytes())
        self.n += int(keys.shape[0])

    def append_to(self, writer: "_SegmentWriter") -> list[str]:
        """Write the postings after the other terms' (a 4-byte delta, the code,
        a one-posting block each); the table's file names."""
        from transcript_qa.store import NpyWriter

        self.seconds.close()
        first = NpyWriter(self.folder / "single_first.npy", "<i8")
        first.write(np.r_[0, np.cumsum(self.counts)])
        first.close()
        self.parts.close()
        self.codes.close()
        step = MERGE_POSTINGS
        for lo in range(0, self.n, step):
            count = min(step, self.n - lo)
            parts = np.fromfile(self.parts_path, dtype="<i4", count=count, offset=4 * lo)
            codes = np.fromfile(self.codes_path, dtype="<u2", count=count, offset=2 * lo)
            writer.out["ids"].write((parts.astype("<u4") + 1).view(np.uint8))
            writer.out["codes"].write(codes)
            writer.out["block_last"].write(parts)
        self.parts_path.unlink()
        self.codes_path.unlink()
        return [f"{name}.npy" for name in SINGLE_NAMES]


class _SegmentWriter:
    """Appends encoded term ranges to the segment's postings ``.npy`` files."""

    def __init__(self, folder: Path) -> None:
        from transcript_qa.store import NpyWriter

        self.folder = folder
        self.out = {name: NpyWriter(folder / f"{name}.npy", *P.ARRAY_TYPES[name]) for name in P.ARRAY_NAMES}
        self.totals = {"term_post": 0, "term_bytes": 0, "term_exc": 0}
        for name in self.totals:
            self.out[name].write(np.zeros(1, dtype=np.int64))

    def add(self, term: np.ndarray, part: np.ndarray, code: np.ndarray, n_terms: int) -> None:
        """Encode and append terms ``0 .. n_terms - 1`` (postings sorted by
        term), about ``MERGE_POSTINGS`` postings at a time: a range cut by
        its first words can hold many more (a common word's bigrams), and
        encoding takes about 100 bytes a posting."""
        if term.shape[0] <= MERGE_POSTINGS:
            self._add(term, part, code, n_terms)
            return
        counts = np.bincount(term, minlength=n_terms)
        starts = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        for t0, t1 in _ranges(counts, MERGE_POSTINGS):
            lo, hi = int(starts[t0]), int(starts[t1])
            self._add(term[lo:hi] - t0, part[lo:hi], code[lo:hi], t1 - t0)

    def _add(self, term: np.ndarray, part: np.ndarray, code: np.ndarray, n_terms: int) -> None:
        enc = P.encode(term, part, code, n_terms)
        for name in P.ARRAY_NAMES:
            value = getattr(enc, name)
            if name in self.totals:
                self.out[name].write(value[1:] + self.totals[name])
                self.totals[name] += int(value[-1])
            else:
                self.out[name].write(value)

    def close(self) -> list[str]:
        for writer in self.out.values():
            writer.close()
        return [f"{name}.npy" for name in P.ARRAY_NAMES]
