"""Bulk analysis and counting at build time, in numpy.

This computes exactly what ``TfidfVectorizer(analyzer=Analyzer(...),
sublinear_tf=True, norm="l2")`` would (a test checks the two agree on the
bundled corpus), but analyses each distinct surface token once and does the
counting with numpy instead of a Python loop per term, so building scales to
millions of passages. The weighting itself is scikit-learn's
``TfidfTransformer`` (the part of ``TfidfVectorizer`` that computes idf and
the sublinear, l2-normalised weights).

Term numbering (what the postings use):

* unigrams first, sorted as strings (``vocab.json``; term number = position);
* then bigrams, sorted by ``bigram_code(a, b) = (a + 1) << 32 | b`` where a
  and b are the unigrams' numbers (``bigrams.npy``, int64).

So a query looks a unigram up in the sorted unigram list and a bigram in the
sorted code array, without loading a dictionary of every term.
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


def bigram_code(a: np.ndarray | int, b: np.ndarray | int):
    """The int64 code of the bigram (a, b) of unigram numbers."""
    if isinstance(a, np.ndarray):
        return ((a.astype(np.int64) + 1) << _SHIFT) | b.astype(np.int64)
    return ((int(a) + 1) << _SHIFT) | int(b)


@dataclass
class Vectorized:
    """The fitted vocabulary and the passages' tf-idf rows."""

    unigrams: list[str]  # sorted
    bigrams: np.ndarray  # int64 codes, sorted
    idf: np.ndarray  # float64 [terms]
    matrix: "object"  # scipy CSR [indexed passages x terms], float32 tf-idf, l2 rows
    lengths: np.ndarray  # int32 [indexed passages]: terms analysed from the text
    norms: np.ndarray  # float64 [indexed passages]: l2 norm of the tf-idf row before normalising
    links: dict[int, tuple[int, ...]]  # row -> rows repeating it (other documents)


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
    from sklearn.feature_extraction.text import TfidfTransformer

    n = len(texts)
    surf: dict[str, int] = {_SEP: 0}  # surface token -> number
    prim: list[int] = [_DOC]  # surface number -> its term (or _STOP/_BREAK/_DOC)
    sec: list[int] = [-1]  # surface number -> its second term (money, percentages) or -1
    uni: dict[str, int] = {}  # unigram -> provisional number (order of first sight)
    pieces: dict[str, int] = {_SEP: 0}  # whitespace-separated piece -> number
    piece_tokens: list[int] = [0]  # surface numbers of every piece, concatenated
    piece_start: list[int] = [0]
    piece_len: list[int] = [1]

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

    def codes_of_terms(terms: list[str]) -> list[int]:
        out = []
        for term in terms:
            if " " in term:
                a, b = term.split(" ", 1)
                out.append(bigram_code(uid(a), uid(b)))
            else:
                out.append(uid(term))
        return out

    classify = analyzer._terms_of
    findall = TOKEN_RE.findall
    joiner = " " + _SEP + " "
    extra_codes: dict[str, np.ndarray] = {}
    all_docs: list[np.ndarray] = []
    all_codes: list[np.ndarray] = []
    lengths = np.zeros(n, dtype=np.int32)
    shingles: list[tuple[np.ndarray, np.ndarray]] = []

    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        m = stop - start
        batch = [normalise(t) for t in texts[start:stop]]
        split = joiner.join(batch).split()
        for piece in set(split).difference(pieces):
            tokens = [surface(t) for t in findall(piece)]
            pieces[piece] = len(piece_start)
            piece_start.append(len(piece_tokens))
            piece_len.append(len(tokens))
            piece_tokens.extend(tokens)
        ids = np.fromiter(map(pieces.__getitem__, split), dtype=np.int64, count=len(split))
        lens = np.asarray(piece_len, dtype=np.int64)[ids]
        starts = np.asarray(piece_start, dtype=np.int64)[ids]
        ends = np.cumsum(lens)
        offsets = np.repeat(starts - (ends - lens), lens) + np.arange(int(ends[-1]) if ends.size else 0)
        s = np.asarray(piece_tokens, dtype=np.int64)[offsets]
        prim_a = np.asarray(prim, dtype=np.int64)
        p = prim_a[s]
        q = np.asarray(sec, dtype=np.int64)[s]
        doc = np.cumsum(p == _DOC, dtype=np.int64)
        # unigrams, second terms (money, percentages), bigrams (stop words skipped)
        is_uni = p >= 0
        is_sec = q >= 0
        pk = p[p != _STOP]
        dk = doc[p != _STOP]
        pair = (pk[:-1] >= 0) & (pk[1:] >= 0)
        docs = [doc[is_uni], doc[is_sec], dk[1:][pair]]
        codes = [p[is_uni], q[is_sec], bigram_code(pk[:-1][pair], pk[1:][pair])]
        lengths[start:stop] = np.bincount(np.concatenate(docs), minlength=m)[:m]
        if extra is not None:
            by_name: dict[str, list[int]] = {}
            for i, name in enumerate(extra[start:stop]):
                if name:
                    by_name.setdefault(name, []).append(i)
            for name, rows in by_name.items():
                these = extra_codes.get(name)
                if these is None:
                    these = extra_codes[name] = np.asarray(codes_of_terms(analyzer(name)), dtype=np.int64)
                if these.size:
                    rows_a = np.asarray(rows, dtype=np.int64)
                    docs.append(np.repeat(rows_a, these.size))
                    codes.append(np.tile(these, rows_a.size))
        all_docs.append((np.concatenate(docs) + start).astype(np.int32))
        all_codes.append(np.concatenate(codes))
        if link_shingle > 0:
            shingles.append(_shingles(p[is_uni], doc[is_uni] + start, link_shingle))
        if progress is not None:
            progress(stop, n)

    # final numbering: unigrams sorted as strings, then bigrams by code
    unigrams = sorted(uni)
    order = np.zeros(max(1, len(uni)), dtype=np.int64)
    if uni:
        order[np.fromiter((uni[t] for t in unigrams), dtype=np.int64, count=len(unigrams))] = np.arange(len(unigrams))
    docs_a = np.concatenate(all_docs) if all_docs else np.zeros(0, dtype=np.int32)
    codes_a = _recode(np.concatenate(all_codes), order) if all_codes else np.zeros(0, dtype=np.int64)
    del all_docs, all_codes
    is_bi = codes_a >= (1 << _SHIFT)
    bi = codes_a[is_bi]
    n_uni = len(unigrams)
    columns = codes_a
    if bi.size:
        order_bi = np.argsort(bi)
        ordered = bi[order_bi]
        first = np.r_[True, ordered[1:] != ordered[:-1]]
        bigrams = ordered[first]
        rank = np.empty(bi.size, dtype=np.int64)
        rank[order_bi] = np.cumsum(first) - 1
        columns[is_bi] = n_uni + rank
        del order_bi, ordered, first, rank
    else:
        bigrams = np.zeros(0, dtype=np.int64)
    del bi, is_bi
    n_terms = n_uni + int(bigrams.size)
    counts = sp.coo_matrix(
        (np.ones(docs_a.size, dtype=np.float64), (docs_a, columns.astype(np.int32))), shape=(n, n_terms)
    ).tocsr()
    del docs_a, columns, codes_a
    counts.sum_duplicates()
    if n_terms and n:
        transformer = TfidfTransformer(sublinear_tf=True, norm=None)
        raw = transformer.fit_transform(counts)
        idf = np.asarray(transformer.idf_, dtype=np.float64)
        norms = np.sqrt(np.asarray(raw.multiply(raw).sum(axis=1)).ravel())
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        weighted = sp.csr_matrix(sp.diags(scale) @ raw).astype(np.float32)
    else:
        weighted = counts.astype(np.float32)
        idf = np.zeros(n_terms, dtype=np.float64)
        norms = np.zeros(n, dtype=np.float64)
    links = _links(shingles, documents, link_max_share) if link_shingle > 0 and documents is not None else {}
    return Vectorized(unigrams, bigrams, idf, weighted, lengths, norms, links)


def _recode(codes: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Provisional unigram numbers -> final ones, in unigram and bigram codes."""
    out = codes.copy()
    is_bi = codes >= (1 << _SHIFT)
    out[~is_bi] = order[codes[~is_bi]]
    a = (codes[is_bi] >> _SHIFT) - 1
    b = codes[is_bi] & ((1 << _SHIFT) - 1)
    out[is_bi] = bigram_code(order[a], order[b])
    return out


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
    return h[same], rows[:width][same]


def _links(
    parts: list[tuple[np.ndarray, np.ndarray]], documents: Sequence[str], max_share: int
) -> dict[int, tuple[int, ...]]:
    if not parts:
        return {}
    hashes = np.concatenate([p[0] for p in parts])
    rows = np.concatenate([p[1] for p in parts])
    if hashes.size < 2:
        return {}
    order = np.argsort(hashes)
    hashes = hashes[order]
    repeated = np.flatnonzero(hashes[1:] == hashes[:-1])
    if repeated.size == 0:
        return {}
    # groups of equal hashes (only those with at least two members)
    first = np.r_[True, hashes[1:] != hashes[:-1]]
    group = np.cumsum(first) - 1
    wanted = np.unique(group[repeated])
    starts = np.flatnonzero(first)
    sizes = np.diff(np.r_[starts, hashes.size])
    pairs: dict[int, set[int]] = {}
    for g in wanted.tolist():
        if sizes[g] > 8 * max_share:
            continue
        members = sorted(set(rows[order[starts[g] : starts[g] + sizes[g]]].tolist()))
        if not 2 <= len(members) <= max_share:
            continue
        for a in members:
            for b in members:
                if a != b and documents[a] != documents[b]:
                    pairs.setdefault(a, set()).add(b)
    return {a: tuple(sorted(b)) for a, b in sorted(pairs.items())}
