"""What ranking sees of an index: segments, collection statistics, and the
score of a posting.

* :class:`Segment`: one segment's term dictionary (unigrams by sorted string,
  bigrams by code), its compressed postings and its parts (which passage each
  part belongs to, where it starts in the text). A bigram only one part holds
  (most bigrams) has no entry in the per-term arrays: it is a row of the
  segment's *single-bigram table* (its code, looked up by binary search; its
  one posting at the end of the postings arrays), with a term number in a
  range of its own after the other terms (see :class:`Segment`) and df 1.
* :class:`Stats`: the collection statistics scoring needs (parts, total
  length; document frequencies are summed over segments per term). Ranking
  takes them from the index, not from a segment, so several segments rank
  with shared statistics exactly as one built whole.
* :func:`score_table`: what a posting code (tf, length byte) scores under the
  ranking settings and the statistics; idf is applied per query term.

Scoring (``settings.scoring``):

``"bm25"``
    ``T(tf, L) = tf (k1 + 1) / (tf + k1 (1 - b + b L / avgL))`` with
    ``k1 = settings.bm25_k1``, ``b = settings.length_slope``; a query term
    weighs its query weight (which holds its idf).
``"tfidf"`` (the default)
    ``T(tf, L) = (1 + ln tf) / (1 - s + s sqrt(L / avgL))`` (pivoted length
    normalisation, ``s = settings.length_slope``, on the square root of the
    length as a vector's norm grows); a query term weighs its query weight
    times its idf, as a cosine of tf-idf vectors does.

``L`` is the part's length in terms (decoded from its length byte) and
``avgL`` the collection's average part length.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from transcript_qa import postings as P
from transcript_qa.settings import RankSettings

BM25 = "bm25"
TFIDF = "tfidf"
SCORINGS = (BM25, TFIDF)


def bigram_code(a: int, b: int) -> int:
    """The code of bigram (a, b) of unigram numbers."""
    return ((a + 1) << 32) | b


@dataclass(frozen=True)
class Stats:
    """Collection statistics (the same for every segment of an index)."""

    parts: int
    total_length: int

    @property
    def avg_length(self) -> float:
        return self.total_length / self.parts if self.parts else 0.0

    def idf(self, df: np.ndarray) -> np.ndarray:
        """Smoothed idf: ``ln((1 + N) / (1 + df)) + 1`` over N parts."""
        return np.log((1.0 + self.parts) / (1.0 + np.asarray(df, dtype=np.float64))) + 1.0


class TermCounts:
    """Per-term values read one term at a time (never a whole array of
    millions of terms in memory): ``counts[t]`` is ``int``; an array of term
    numbers gives an array. Terms from ``len(offsets) - 1`` on (``singles`` of
    them: the single-bigram table's) have df 1."""

    def __init__(self, offsets: np.ndarray, value=None, singles: int = 0) -> None:
        self._offsets = offsets
        self._value = value  # df -> value (idf), or None for df itself
        self._blocked = int(offsets.shape[0]) - 1
        self._singles = int(singles)

    def __len__(self) -> int:
        return self._blocked + self._singles

    def __getitem__(self, t):
        if isinstance(t, (np.ndarray, list, tuple)):
            t = np.asarray(t, dtype=np.int64)
            inside = np.minimum(t, self._blocked - 1) if self._blocked else np.zeros_like(t)
            df = np.asarray(self._offsets[inside + 1]) - np.asarray(self._offsets[inside]) if self._blocked \
                else np.zeros(t.shape, dtype=np.int64)
            df = np.where(t >= self._blocked, 1, df)
            return df if self._value is None else self._value(df)
        t = int(t)
        if t < 0 or t >= len(self):
            raise IndexError(t)
        df = int(self._offsets[t + 1] - self._offsets[t]) if t < self._blocked else 1
        return df if self._value is None else float(self._value(np.asarray([df]))[0])

    def __array__(self, dtype=None, copy=None):
        df = np.r_[np.diff(np.asarray(self._offsets)), np.ones(self._singles, dtype=np.int64)]
        out = df if self._value is None else self._value(df)
        return out if dtype is None else out.astype(dtype)


#: The single-bigram table's own arrays: its rows are the bigrams (a, b) in
#: ascending order; ``single_first`` (int64 [unigrams + 1]): the rows of first
#: word a are [single_first[a], single_first[a + 1]); ``single_second`` (int32
#: [rows]): b, ascending within a first word. Row i's posting is the i-th of
#: the postings arrays' tails (:mod:`transcript_qa.postings`).
SINGLE_NAMES = ("single_first", "single_second")


def no_singles(n_unigrams: int) -> dict[str, np.ndarray]:
    """An empty single-bigram table."""
    return {"single_first": np.zeros(n_unigrams + 1, dtype=np.int64), "single_second": np.zeros(0, dtype=np.int32)}


class Segment:
    """One segment (see the module doc). Arrays may be memory-mapped.

    Term numbers: unigrams ``[0, n_unigrams)``, bigrams with a posting block
    ``[n_unigrams, n_blocked)`` (sorted by code, ``bigrams``), then the
    single-bigram table's ``[n_blocked, n_terms)`` (its rows, sorted by
    code), each of df 1."""

    def __init__(self, vocab: Sequence[str], arrays: Mapping[str, np.ndarray]) -> None:
        self.vocab = vocab
        self.bigrams = arrays["bigrams"]
        self.part_passage = arrays["part_passage"]
        self.part_start = arrays["part_start"]
        self.n_parts = int(self.part_passage.shape[0])
        self.postings = P.Postings({k: arrays[k] for k in P.ARRAY_NAMES}, self.n_parts)
        self.n_unigrams = len(vocab)
        singles = arrays if "single_first" in arrays else no_singles(self.n_unigrams)
        self.single_first, self.single_second = singles["single_first"], singles["single_second"]
        self.n_blocked = self.n_unigrams + int(self.bigrams.shape[0])
        self.n_terms = self.n_blocked + int(self.single_second.shape[0])
        post = self.postings
        # where the single-bigram table's postings start in ids, codes, block_last
        self._tail = (int(post.term_bytes[-1]), int(post.term_post[-1]), int(post.block_start[-1]))
        self._df: TermCounts | None = None

    # ------------------------------------------------------------------ terms
    def term_id(self, term: str) -> int | None:
        """The term number of an analysed term ("agenc", "agenc staff"), or None."""
        if " " in term:
            first, _, second = term.partition(" ")
            a, b = self._unigram(first), self._unigram(second)
            if a is None or b is None:
                return None
            code = bigram_code(a, b)
            i = int(np.searchsorted(self.bigrams, code))
            if i < self.bigrams.shape[0] and int(self.bigrams[i]) == code:
                return self.n_unigrams + i
            lo, hi = int(self.single_first[a]), int(self.single_first[a + 1])
            i = lo + int(np.searchsorted(self.single_second[lo:hi], b))
            if i < hi and int(self.single_second[i]) == b:
                return self.n_blocked + i
            return None
        return self._unigram(term)

    def _unigram(self, term: str) -> int | None:
        i = bisect.bisect_left(self.vocab, term)
        return i if i < self.n_unigrams and self.vocab[i] == term else None

    def term(self, tid: int) -> str:
        """The analysed term of a term number."""
        if tid < self.n_unigrams:
            return self.vocab[tid]
        if tid < self.n_blocked:
            code = int(self.bigrams[tid - self.n_unigrams])
        else:
            i = tid - self.n_blocked
            first = int(np.searchsorted(self.single_first, i, side="right")) - 1
            code = bigram_code(first, int(self.single_second[i]))
        return self.vocab[(code >> 32) - 1] + " " + self.vocab[code & 0xFFFFFFFF]

    def single_codes(self) -> np.ndarray:
        """The single-bigram table's bigram codes (int64, one a row, ascending)."""
        first = np.repeat(np.arange(self.n_unigrams, dtype=np.int64), np.diff(np.asarray(self.single_first)))
        return ((first + 1) << 32) | np.asarray(self.single_second, dtype=np.int64)

    @property
    def df(self) -> "TermCounts":
        """Parts holding each term (``df[t]``; an array of terms gives an array)."""
        if self._df is None:
            self._df = TermCounts(self.postings.term_post, singles=self.n_terms - self.n_blocked)
        return self._df

    # ------------------------------------------------------------------ postings
    def blocked(self, terms) -> bool:
        """Whether every term of ``terms`` has a posting block (none is in the
        single-bigram table): what the compiled kernels read."""
        return all(int(t) < self.n_blocked for t in terms)

    def _single(self, tid: int) -> tuple[int, int]:
        """(part, code) of a term of the single-bigram table."""
        i = tid - self.n_blocked
        _, p0, b0 = self._tail
        part, code = int(self.postings.block_last[b0 + i]), int(self.postings.codes[p0 + i])
        if not 0 <= part < self.n_parts:
            raise P.damaged(tid)
        return part, code

    def kernel_terms(self, terms) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
        """The per-term arrays (term_post, term_bytes, term_exc, term_meta,
        block_start) of just ``terms``, and their numbers in them (term j is
        2 j), where a term of the single-bigram table reads as a term of one
        posting from the postings arrays' tails: what the compiled kernels
        read when a plan holds one."""
        post = self.postings
        m = len(terms)
        arrays = (np.zeros(2 * m + 1, dtype=np.int64), np.zeros(2 * m + 1, dtype=np.int64),
                  np.zeros(2 * m + 1, dtype=np.int64), np.zeros((2 * m + 1, 3), dtype=np.uint8),
                  np.zeros(2 * m + 1, dtype=np.int64))
        term_post, term_bytes, term_exc, term_meta, block_start = arrays
        no_exc = int(post.term_exc[-1])
        bytes0, post0, block0 = self._tail
        for j, t in enumerate(int(t) for t in terms):
            k = 2 * j
            if t < self.n_blocked:
                term_post[k:k + 2] = post.term_post[t:t + 2]
                term_bytes[k] = post.term_bytes[t]
                term_exc[k:k + 2] = post.term_exc[t:t + 2]
                term_meta[k] = post.term_meta[t]
                block_start[k:k + 2] = post.block_start[t:t + 2]
            else:
                i = t - self.n_blocked
                tf, lbyte = self.bound(t)
                term_post[k:k + 2] = (post0 + i, post0 + i + 1)
                term_bytes[k] = bytes0 + 4 * i
                term_exc[k:k + 2] = no_exc
                term_meta[k] = (4, tf, lbyte)
                block_start[k:k + 2] = (block0 + i, block0 + i + 1)
        originals = (post.term_post, post.term_bytes, post.term_exc, post.term_meta, post.block_start)
        for array, original in zip(arrays, originals):  # the same array types (one compiled kernel)
            array.flags.writeable = bool(np.asarray(original).flags.writeable)
        return arrays, np.arange(0, 2 * m, 2, dtype=np.int64)

    def decode(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """(parts ascending, codes) of a term."""
        if tid >= self.n_blocked:
            part, code = self._single(tid)
            return np.array([part], dtype=np.int64), np.array([code], dtype=np.uint16)
        return self.postings.decode(tid)

    def lookup(self, tid: int, parts: np.ndarray) -> np.ndarray:
        """Codes of a term at sorted distinct parts (0: absent)."""
        if tid >= self.n_blocked:
            part, code = self._single(tid)
            return np.where(np.asarray(parts) == part, code, 0).astype(np.uint16)
        return self.postings.lookup(tid, parts)

    def bound(self, tid: int) -> tuple[int, int]:
        """(largest tf, smallest length byte) of the term's postings."""
        if tid >= self.n_blocked:
            code = self._single(tid)[1]
            return code >> 8, code & 0xFF
        return self.postings.bound(tid)

    @property
    def multi_part(self) -> bool:
        """True when some passage has more than one part."""
        pp = self.part_passage
        return bool(pp.shape[0] > 1 and np.any(np.asarray(pp[1:]) == np.asarray(pp[:-1])))


def score_table(settings: RankSettings, stats: Stats) -> np.ndarray:
    """Score of every posting code (float64 [65536]; see the module doc)."""
    if settings.scoring not in SCORINGS:
        raise ValueError(f"scoring must be one of {', '.join(SCORINGS)}, not {settings.scoring!r}")
    tf = np.arange(256, dtype=np.float64)[:, None]
    length = P.byte_length()[None, :]
    avg = stats.avg_length or 1.0
    slope = float(settings.length_slope)
    with np.errstate(divide="ignore", invalid="ignore"):
        if settings.scoring == TFIDF:
            table = (1.0 + np.log(np.maximum(tf, 1.0))) / (1.0 - slope + slope * np.sqrt(length / avg))
        else:
            k1 = float(settings.bm25_k1)
            table = tf * (k1 + 1.0) / (tf + k1 * (1.0 - slope + slope * length / avg))
    table = np.where(tf > 0, table, 0.0)
    table[~np.isfinite(table)] = 0.0
    return np.ascontiguousarray(table.reshape(-1))
