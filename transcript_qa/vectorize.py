"""Bulk analysis and counting at build time, in numpy.

This computes exactly what ``TfidfVectorizer(analyzer=Analyzer(...),
sublinear_tf=True, norm="l2")`` computes (a test checks that they agree), but
analyses each distinct whitespace-separated piece of text once and counts with
numpy instead of a Python loop per term, so building scales to millions of
passages. The idf comes from scikit-learn's ``TfidfTransformer`` (the part of
``TfidfVectorizer`` that learns it); the weights are sklearn's formula,
applied in place: ``(1 + ln tf) * idf``, then each row l2-normalised.

Term numbering (what the postings use):

* unigrams first, in the order they were first seen (``vocab.json``; term
  number = position);
* then bigrams, sorted by ``bigram_code(a, b) = (a + 1) << 32 | b`` where a
  and b are the unigrams' numbers (``bigrams.npy``, int64, sorted).

So a query looks a bigram up by binary search in the code array, without a
dictionary of every term.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from transcript_qa.analysis import TOKEN_RE, Analyzer, normalise

_SEP = "\x00"
_STOP = -1
_BREAK = -2
_DOC = -3
_CHUNK = 32768
_SHIFT = 32
_PACK_B = 20  # bits per unigram number in the packed bigram sort
_PACK_I = 63 - 2 * _PACK_B  # bits left for the occurrence number


def bigram_code(a: np.ndarray | int, b: np.ndarray | int):
    """The int64 code of the bigram (a, b) of unigram numbers."""
    if isinstance(a, np.ndarray):
        return ((a.astype(np.int64) + 1) << _SHIFT) | b.astype(np.int64)
    return ((int(a) + 1) << _SHIFT) | int(b)


@dataclass
class Vectorized:
    """The fitted vocabulary and the passages' tf-idf rows."""

    unigrams: list[str]  # term number -> unigram, in order of first sight
    bigrams: np.ndarray  # int64 codes, sorted: term number len(unigrams) + i
    idf: np.ndarray  # float64 [terms]
    matrix: "object"  # scipy CSR [rows x terms], float32 tf-idf, l2-normalised rows
    lengths: np.ndarray  # int32 [rows]: terms analysed from the text
    norms: np.ndarray  # float64 [rows]: l2 norm of the tf-idf row before normalising
    links: dict[int, tuple[int, ...]]  # row -> rows repeating it (other documents)


class _Grow:
    """An int64 array that grows at the end (amortised, no Python list copies)."""

    def __init__(self, *values: int) -> None:
        self.data = np.asarray(values, dtype=np.int64)
        self.size = len(values)
        self.pending: list[int] = []

    def append(self, value: int) -> None:
        self.pending.append(value)

    def extend(self, values: Sequence[int]) -> None:
        self.pending.extend(values)

    def __len__(self) -> int:
        return self.size + len(self.pending)

    def array(self) -> np.ndarray:
        if self.pending:
            self.data = np.concatenate([self.data, np.asarray(self.pending, dtype=np.int64)])
            self.size = self.data.size
            self.pending = []
        return self.data


def vectorize(
    texts: Sequence[str],
    analyzer: Analyzer,
    *,
    extra: Sequence[str | None] | None = None,
    documents: Sequence[str] | None = None,
    link_shingle: int = 0,
    link_max_share: int = 6,
    progress: Callable[[int, int], None] | None = None,
) -> Vectorized:
    """Analyse ``texts`` (one per row) and weight them.

    ``extra[i]`` (a speaker's name) is analysed too and its terms added to row
    i (not to its length). With ``link_shingle`` n > 0, rows of different
    ``documents`` sharing n consecutive content terms are linked.
    """
    import scipy.sparse as sp

    n = len(texts)
    surf: dict[str, int] = {_SEP: 0}  # surface token -> number
    prim = _Grow(_DOC)  # surface number -> its term (or _STOP/_BREAK/_DOC)
    sec = _Grow(-1)  # surface number -> its second term (money, percentages) or -1
    uni: dict[str, int] = {}  # unigram -> number (order of first sight)
    pieces: dict[str, int] = {_SEP: 0}  # whitespace-separated piece -> number
    piece_tokens = _Grow(0)  # surface numbers of every piece, concatenated
    piece_start = _Grow(0)
    piece_len = _Grow(1)

    def uid(term: str) -> int:
        value = uni.get(term)
        if value is None:
            value = uni[term] = len(uni)
        return value

    def surface(token: str) -> int:
        number = surf.get(token)
        if number is None:
            terms = classify(token)
            number = surf[token] = len(prim)
            if terms is None:
                prim.append(_BREAK)
                sec.append(-1)
            elif not terms:
                prim.append(_STOP)
                sec.append(-1)
            else:
                prim.append(uid(terms[0]))
                sec.append(uid(terms[1]) if len(terms) > 1 else -1)
        return number

    def codes_of_terms(terms: list[str]) -> tuple[list[int], list[tuple[int, int]]]:
        unigram_codes, pairs = [], []
        for term in terms:
            if " " in term:
                first, second = term.split(" ", 1)
                pairs.append((uid(first), uid(second)))
            else:
                unigram_codes.append(uid(term))
        return unigram_codes, pairs

    classify = analyzer._terms_of
    findall = TOKEN_RE.findall
    joiner = " " + _SEP + " "
    extra_terms: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    chunk_rows: list[np.ndarray] = []  # per chunk: distinct terms per row
    chunk_terms: list[np.ndarray] = []  # per chunk: the rows' terms, sorted within a row
    chunk_counts: list[np.ndarray] = []  # per chunk: how often each occurs in its row
    chunk_is_bi: list[np.ndarray] = []
    bi_distinct: list[np.ndarray] = []  # per chunk: sorted distinct bigram codes
    lengths = np.zeros(n, dtype=np.int32)
    shingles: list[tuple[np.ndarray, np.ndarray]] = []

    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        m = stop - start
        joined = normalise(joiner.join(t.replace(_SEP, " ") if _SEP in t else t for t in texts[start:stop]))
        split = joined.split()
        del joined
        for piece in set(split).difference(pieces):
            tokens = [surface(t) for t in findall(piece)]
            pieces[piece] = len(piece_start)
            piece_start.append(len(piece_tokens))
            piece_len.append(len(tokens))
            piece_tokens.extend(tokens)
        ids = np.fromiter(map(pieces.__getitem__, split), dtype=np.int64, count=len(split))
        del split
        lens = piece_len.array()[ids]
        firsts = piece_start.array()[ids]
        del ids
        ends = np.cumsum(lens)
        total = int(ends[-1]) if ends.size else 0
        s = piece_tokens.array()[np.repeat(firsts - (ends - lens), lens) + np.arange(total)]
        del lens, firsts, ends
        p = prim.array()[s]
        q = sec.array()[s]
        del s
        doc = np.cumsum(p == _DOC, dtype=np.int64)
        # unigrams, second terms (money, percentages), bigrams (stop words skipped)
        is_uni = p >= 0
        is_sec = q >= 0
        content = p != _STOP
        pk = p[content]
        dk = doc[content]
        pair = (pk[:-1] >= 0) & (pk[1:] >= 0)
        left, right = pk[:-1][pair], pk[1:][pair]
        docs_u = [doc[is_uni], doc[is_sec]]
        cols_u = [p[is_uni], q[is_sec]]
        docs_b = [dk[1:][pair]]
        pairs_a, pairs_b = [left], [right]
        lengths[start:stop] = (
            np.bincount(docs_u[0], minlength=m)[:m]
            + np.bincount(docs_u[1], minlength=m)[:m]
            + np.bincount(docs_b[0], minlength=m)[:m]
        )
        if link_shingle > 0:
            shingles.append(_shingles(p[is_uni], doc[is_uni] + start, link_shingle))
        del p, q, doc, pk, dk, pair, content, is_uni, is_sec
        if extra is not None:
            by_name: dict[str, list[int]] = {}
            for i, name in enumerate(extra[start:stop]):
                if name:
                    by_name.setdefault(name, []).append(i)
            for name, rows in by_name.items():
                known = extra_terms.get(name)
                if known is None:
                    unigram_codes, pairs_ = codes_of_terms(analyzer(name))
                    known = extra_terms[name] = (
                        np.asarray(unigram_codes, dtype=np.int64),
                        np.asarray([a for a, _ in pairs_], dtype=np.int64),
                        np.asarray([b for _, b in pairs_], dtype=np.int64),
                    )
                rows_a = np.asarray(rows, dtype=np.int64)
                if known[0].size:
                    docs_u.append(np.repeat(rows_a, known[0].size))
                    cols_u.append(np.tile(known[0], rows_a.size))
                if known[1].size:
                    docs_b.append(np.repeat(rows_a, known[1].size))
                    pairs_a.append(np.tile(known[1], rows_a.size))
                    pairs_b.append(np.tile(known[2], rows_a.size))
        a_all, b_all = np.concatenate(pairs_a), np.concatenate(pairs_b)
        local, distinct = _compact_pairs(a_all, b_all, len(uni))
        del a_all, b_all, pairs_a, pairs_b
        # (row, term) counts of the chunk, sorted by row then term: one sort of
        # packed keys; bigrams (by their chunk-local number, which orders them
        # as their final number will) come after unigrams within a row
        key = np.concatenate(
            [(np.concatenate(docs_u) << 33) | np.concatenate(cols_u),
             (np.concatenate(docs_b) << 33) | (1 << 32) | local.astype(np.int64)]
        )
        del docs_u, cols_u, docs_b, local
        key.sort()
        first = np.r_[True, key[1:] != key[:-1]] if key.size else np.zeros(0, dtype=bool)
        starts_k = np.flatnonzero(first)
        chunk_counts.append(np.diff(np.r_[starts_k, key.size]).astype(np.int32))
        key = key[first]
        chunk_rows.append(np.bincount((key >> 33).astype(np.int64), minlength=m)[:m])
        chunk_terms.append((key & 0x7FFFFFFF).astype(np.int32))
        chunk_is_bi.append(((key >> 32) & 1).astype(bool))
        bi_distinct.append(distinct)
        del key, first, starts_k
        if progress is not None:
            progress(stop, n)

    unigrams = list(uni)
    n_uni = len(unigrams)
    bigrams = _sorted_distinct(np.concatenate(bi_distinct)) if bi_distinct else np.zeros(0, dtype=np.int64)
    n_terms = n_uni + int(bigrams.size)
    total = int(sum(int(c.size) for c in chunk_counts))
    index_type = np.int32 if max(total, n_terms) < 2**31 - 1 else np.int64
    for c, distinct in enumerate(bi_distinct):
        where = (np.searchsorted(bigrams, distinct) + n_uni).astype(index_type)
        terms = chunk_terms[c].astype(index_type, copy=False)
        terms[chunk_is_bi[c]] = where[terms[chunk_is_bi[c]]]
        chunk_terms[c] = terms
    del bi_distinct, chunk_is_bi
    indptr = np.zeros(n + 1, dtype=index_type)
    if chunk_rows:
        np.cumsum(np.concatenate(chunk_rows), out=indptr[1:])
    indices = np.concatenate(chunk_terms) if chunk_terms else np.zeros(0, dtype=index_type)
    del chunk_terms
    data = np.concatenate(chunk_counts) if chunk_counts else np.zeros(0, dtype=np.int32)
    del chunk_counts
    counts = sp.csr_matrix((data, indices, indptr), shape=(n, n_terms))
    counts.has_sorted_indices = True
    counts.has_canonical_format = True
    del data, indices
    weighted, idf, norms = _weigh(counts)
    del counts
    links = _links(shingles, documents, link_max_share) if link_shingle > 0 and documents is not None else {}
    return Vectorized(unigrams, bigrams, idf, weighted, lengths, norms, links)


def _compact_pairs(a: np.ndarray, b: np.ndarray, n_uni: int) -> tuple[np.ndarray, np.ndarray]:
    """For bigram occurrences (a, b): (number of each among the distinct
    bigrams, the distinct bigram codes sorted)."""
    count = a.size
    if count == 0:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    if n_uni < (1 << _PACK_B) and count < (1 << _PACK_I):
        # one sort of packed (bigram, occurrence) keys: much faster than argsort
        key = (a << (_PACK_B + _PACK_I)) | (b << _PACK_I) | np.arange(count, dtype=np.int64)
        key.sort()
        packed = key >> _PACK_I
        order = key & ((1 << _PACK_I) - 1)
        del key
        first = np.r_[True, packed[1:] != packed[:-1]]
        local = np.empty(count, dtype=np.int32)
        local[order] = np.cumsum(first) - 1
        distinct = packed[first]
        mask = (1 << _PACK_B) - 1
        return local, bigram_code(distinct >> _PACK_B, distinct & mask)
    codes = bigram_code(a, b)
    order = np.argsort(codes)
    ordered = codes[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    local = np.empty(count, dtype=np.int32)
    local[order] = np.cumsum(first) - 1
    return local, ordered[first]


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    if values.size:
        values = values[np.r_[True, values[1:] != values[:-1]]]
    return values


def _weigh(counts) -> tuple[object, np.ndarray, np.ndarray]:
    """sklearn's sublinear tf-idf with l2 rows, computed in place on ``counts``."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfTransformer

    n, n_terms = counts.shape
    if not (n and n_terms and counts.nnz):
        return counts.astype(np.float32), np.zeros(n_terms, dtype=np.float64), np.zeros(n, dtype=np.float64)
    idf = np.asarray(TfidfTransformer(sublinear_tf=True, norm="l2").fit(counts).idf_, dtype=np.float64)
    data = np.log(counts.data, dtype=np.float64)
    data += 1.0
    data *= idf[counts.indices]
    squares = np.add.reduceat(np.square(data), counts.indptr[:-1]) if data.size else np.zeros(0)
    row_nnz = np.diff(counts.indptr)
    norms = np.zeros(n, dtype=np.float64)
    nonempty = row_nnz > 0
    norms[nonempty] = np.sqrt(squares[nonempty])
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    data *= np.repeat(scale, row_nnz)
    weighted = sp.csr_matrix((data.astype(np.float32), counts.indices, counts.indptr), shape=counts.shape)
    del data
    return weighted, idf, norms


_HASH_MUL = np.uint64(0x9E3779B97F4A7C15)


def _shingles(content: np.ndarray, rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(hash, row) of every run of n consecutive content terms inside one row."""
    if content.size < n:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    values = content.astype(np.uint64) + np.uint64(1)
    width = content.size - n + 1
    h = np.zeros(width, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            h = h * _HASH_MUL + values[j : j + width]
            h ^= h >> np.uint64(29)
    same = rows[:width] == rows[n - 1 :]
    return h[same], rows[:width][same].astype(np.int32)


def _links(
    parts: list[tuple[np.ndarray, np.ndarray]], documents: Sequence[str], max_share: int
) -> dict[int, tuple[int, ...]]:
    """Rows sharing a shingle (at most ``max_share`` rows share it), other documents only."""
    if not parts:
        return {}
    hashes = np.concatenate([p[0] for p in parts])
    rows = np.concatenate([p[1] for p in parts])
    if hashes.size < 2:
        return {}
    ordered = np.sort(hashes)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if repeated.size == 0:
        return {}
    repeated = _sorted_distinct(repeated)
    where = np.minimum(np.searchsorted(repeated, hashes), repeated.size - 1)
    chosen = np.flatnonzero(repeated[where] == hashes)
    hashes, rows = hashes[chosen], rows[chosen]
    order = np.lexsort((rows, hashes))
    hashes, rows = hashes[order], rows[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    sizes = np.diff(np.r_[starts, hashes.size])
    pairs: dict[int, set[int]] = {}
    for s, size in zip(starts.tolist(), sizes.tolist()):
        if size > 8 * max_share:
            continue
        members = sorted(set(rows[s : s + size].tolist()))
        if not 2 <= len(members) <= max_share:
            continue
        for a in members:
            for b in members:
                if a != b and documents[a] != documents[b]:
                    pairs.setdefault(a, set()).add(b)
    return {a: tuple(sorted(b)) for a, b in sorted(pairs.items())}
