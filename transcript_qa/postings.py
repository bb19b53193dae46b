"""Compressed postings: how a segment stores, for every term, the parts that
hold it and how often.

One posting is (part number, code). Part numbers ascend within a term and are
stored as **deltas** (the first one from -1), in blocks of :data:`BLOCK`
postings, each term at its own byte width (1, 2 or 4 bytes, whichever is
smallest): a delta too large for the width is written as 0 (a delta is never
0) and patched from the term's exception list. Every block keeps its last
part number (to skip to a block without decoding the ones before) and the
largest term frequency and smallest length byte of its postings (a bound of
what the block can score, for MaxScore).

The **code** of a posting (uint16) is doc-local: ``tf << 8 | length byte``,
the term's frequency in the part (capped at 255) and the part's length in
terms (:func:`length_byte`, exact below 32, then in steps of 2.5%). No
collection statistic is baked in: idf and the average length are applied at
query time from the statistics of the whole index, so segments built apart
score exactly as one built whole.

Arrays (all plain numpy, saved as ``.npy``)::

    term_post   int64 [V+1]  postings of term t: [term_post[t], term_post[t+1])
    term_bytes  int64 [V+1]  its id bytes: ids[term_bytes[t]:term_bytes[t+1]] (4-aligned)
    term_exc    int64 [V+1]  its exceptions: [term_exc[t], term_exc[t+1])
    term_meta   uint8 [V, 3] byte width, largest tf, smallest length byte
    ids         uint8        the deltas
    codes       uint16 [P]   one code per posting
    exc_pos     int32 [E]    posting number (within the term) of a large delta
    exc_val     int32 [E]    the delta
    block_last  int32 [B]    last part number of each block (blocks of term t
                             start at block_start(t) = sum of ceil(df/BLOCK) before t)
    block_meta  uint8 [B, 2] largest tf, smallest length byte of each block

A segment's single-bigram table (:mod:`transcript_qa.segment`) keeps its
postings, one a term, at the end of ``ids`` (a 4-byte delta each), ``codes``
and ``block_last`` (a one-posting block each), past the offsets of the terms
above: a term of the table reads like a term of one posting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from transcript_qa.errors import IndexFormatError

BLOCK = 128
TF_MAX = 255
_EXACT_LENGTHS = 32
_LENGTH_STEPS = 28  # length bytes per doubling above _EXACT_LENGTHS
_WIDTH_DTYPE = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_ALIGN = 4

ARRAY_NAMES = ("term_post", "term_bytes", "term_exc", "term_meta", "ids", "codes", "exc_pos", "exc_val",
               "block_last", "block_meta")
#: dtype and row shape of each array
ARRAY_TYPES = {"term_post": ("<i8", ()), "term_bytes": ("<i8", ()), "term_exc": ("<i8", ()),
               "term_meta": ("u1", (3,)), "ids": ("u1", ()), "codes": ("<u2", ()), "exc_pos": ("<i4", ()),
               "exc_val": ("<i4", ()), "block_last": ("<i4", ()), "block_meta": ("u1", (2,))}


# =========================================================================== codes


def length_byte(lengths: np.ndarray) -> np.ndarray:
    """Lengths (terms in a part) -> length bytes: exact below 32, then
    logarithmic (28 steps a doubling, up to about 8,000 terms)."""
    lengths = np.asarray(lengths, dtype=np.float64)
    out = np.minimum(lengths, _EXACT_LENGTHS - 1)
    big = lengths >= _EXACT_LENGTHS
    if big.any():
        steps = np.floor(np.log2(lengths[big] / _EXACT_LENGTHS) * _LENGTH_STEPS + 1e-9)
        out[big] = np.minimum(_EXACT_LENGTHS + steps, 255)
    return out.astype(np.uint8)


def byte_length() -> np.ndarray:
    """Length byte -> the length it stands for (float64 [256])."""
    b = np.arange(256, dtype=np.float64)
    return np.where(b < _EXACT_LENGTHS, b, _EXACT_LENGTHS * np.exp2((b - _EXACT_LENGTHS) / _LENGTH_STEPS))


def make_codes(tf: np.ndarray, lbyte: np.ndarray) -> np.ndarray:
    """Posting codes from term frequencies and the parts' length bytes."""
    return ((np.minimum(tf, TF_MAX).astype(np.uint16) << 8) | lbyte.astype(np.uint16)).astype(np.uint16)


# =========================================================================== encoding


@dataclass
class Encoded:
    """The encoded postings of a run of consecutive terms (see the module doc).
    Offsets (``term_*``) are relative to this run and have V+1 entries."""

    term_post: np.ndarray
    term_bytes: np.ndarray
    term_exc: np.ndarray
    term_meta: np.ndarray
    ids: np.ndarray
    codes: np.ndarray
    exc_pos: np.ndarray
    exc_val: np.ndarray
    block_last: np.ndarray
    block_meta: np.ndarray


def encode(term: np.ndarray, part: np.ndarray, code: np.ndarray, n_terms: int) -> Encoded:
    """Encode postings sorted by (term, part): ``term`` in [0, n_terms),
    ``part`` ascending within a term, ``code`` their codes."""
    term = np.asarray(term, dtype=np.int64)
    part = np.asarray(part, dtype=np.int64)
    code = np.asarray(code, dtype=np.uint16)
    p = term.size
    df = np.bincount(term, minlength=n_terms).astype(np.int64) if p else np.zeros(n_terms, dtype=np.int64)
    term_post = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=term_post[1:])
    starts = term_post[:-1]
    pos = np.arange(p, dtype=np.int64) - starts[term] if p else np.zeros(0, dtype=np.int64)
    first = pos == 0
    delta = np.empty(p, dtype=np.int64)
    if p:
        delta[1:] = part[1:] - part[:-1]
        delta[first] = part[first] + 1
    # widths: the smallest of df*w + 8 * (deltas that do not fit)
    if p:
        over8 = np.bincount(term, weights=delta > 255, minlength=n_terms)
        over16 = np.bincount(term, weights=delta > 65535, minlength=n_terms)
    else:
        over8 = over16 = np.zeros(n_terms)
    cost = np.stack([df + 8 * over8, 2 * df + 8 * over16, 4 * df])
    width = np.array([1, 2, 4], dtype=np.int64)[np.argmin(cost, axis=0)]
    width[df == 0] = 1
    limit = np.array([0, 255, 65535, 0, 2**32 - 1], dtype=np.int64)[width]
    w_post = width[term]
    exc = delta > limit[term]
    stored = np.where(exc, 0, delta)
    sizes = -(-(df * width) // _ALIGN) * _ALIGN
    term_bytes = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(sizes, out=term_bytes[1:])
    ids = np.zeros(int(term_bytes[-1]), dtype=np.uint8)
    for w, dtype in _WIDTH_DTYPE.items():
        sel = np.flatnonzero(w_post == w)
        if sel.size == 0:
            continue
        raw = stored[sel].astype(dtype).view(np.uint8)
        dest = term_bytes[term[sel]] + pos[sel] * w
        ids[(np.repeat(dest, w) + np.tile(np.arange(w), sel.size))] = raw
    exc_at = np.flatnonzero(exc)
    exc_count = np.bincount(term[exc_at], minlength=n_terms) if exc_at.size else np.zeros(n_terms, dtype=np.int64)
    term_exc = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(exc_count, out=term_exc[1:])
    # blocks
    last_in_block = (pos % BLOCK == BLOCK - 1)
    if p:
        last_in_block[term_post[1:][df > 0] - 1] = True
    block_first = np.flatnonzero(pos % BLOCK == 0)
    tf = (code >> 8).astype(np.uint8)
    lb = (code & 0xFF).astype(np.uint8)
    if block_first.size:
        block_meta = np.stack([np.maximum.reduceat(tf, block_first), np.minimum.reduceat(lb, block_first)], axis=1)
    else:
        block_meta = np.zeros((0, 2), dtype=np.uint8)
    term_meta = np.zeros((n_terms, 3), dtype=np.uint8)
    term_meta[:, 0] = width
    has = np.flatnonzero(df > 0)
    if has.size:
        term_meta[has, 1] = np.maximum.reduceat(tf, starts[has])
        term_meta[has, 2] = np.minimum.reduceat(lb, starts[has])
    return Encoded(
        term_post=term_post,
        term_bytes=term_bytes,
        term_exc=term_exc,
        term_meta=term_meta,
        ids=ids,
        codes=code.copy(),
        exc_pos=pos[exc_at].astype(np.int32),
        exc_val=delta[exc_at].astype(np.int32),
        block_last=part[last_in_block].astype(np.int32),
        block_meta=block_meta.astype(np.uint8),
    )


def concatenate(runs: list[Encoded]) -> Encoded:
    """One Encoded from several of consecutive term ranges (in memory)."""
    if len(runs) == 1:
        return runs[0]

    def offsets(name: str) -> np.ndarray:
        parts, base = [np.zeros(1, dtype=np.int64)], 0
        for r in runs:
            arr = getattr(r, name)
            parts.append(arr[1:] + base)
            base += int(arr[-1])
        return np.concatenate(parts)

    return Encoded(
        term_post=offsets("term_post"),
        term_bytes=offsets("term_bytes"),
        term_exc=offsets("term_exc"),
        term_meta=np.concatenate([r.term_meta for r in runs]),
        ids=np.concatenate([r.ids for r in runs]),
        codes=np.concatenate([r.codes for r in runs]),
        exc_pos=np.concatenate([r.exc_pos for r in runs]),
        exc_val=np.concatenate([r.exc_val for r in runs]),
        block_last=np.concatenate([r.block_last for r in runs]),
        block_meta=np.concatenate([r.block_meta for r in runs]),
    )


# =========================================================================== reading


class Postings:
    """Read access to one segment's postings (arrays as written by
    :func:`encode`, possibly memory-mapped: a term's postings are read only
    when asked for)."""

    def __init__(self, arrays: Mapping[str, np.ndarray], n_parts: int) -> None:
        self.term_post = arrays["term_post"]
        self.term_bytes = arrays["term_bytes"]
        self.term_exc = arrays["term_exc"]
        self.term_meta = arrays["term_meta"]
        self.ids = arrays["ids"]
        self.codes = arrays["codes"]
        self.exc_pos = arrays["exc_pos"]
        self.exc_val = arrays["exc_val"]
        self.block_last = arrays["block_last"]
        self.block_meta = arrays["block_meta"]
        self.n_parts = n_parts
        n_terms = int(self.term_meta.shape[0])
        df = np.diff(np.asarray(self.term_post))
        self.block_start = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(-(-df // BLOCK), out=self.block_start[1:])

    @property
    def n_terms(self) -> int:
        return int(self.term_meta.shape[0])

    def df(self, t: int) -> int:
        return int(self.term_post[t + 1] - self.term_post[t])

    def decode(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """(part numbers int64 ascending, codes uint16) of term ``t``."""
        start, end = int(self.term_post[t]), int(self.term_post[t + 1])
        m = end - start
        if m == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint16)
        ids = self._deltas(t, 0, m)
        np.cumsum(ids, out=ids)
        ids -= 1
        if ids[-1] >= self.n_parts or ids[0] < 0 or np.any(ids[1:] <= ids[:-1]):
            raise damaged(t)
        return ids, np.asarray(self.codes[start:end])

    def _deltas(self, t: int, lo: int, hi: int) -> np.ndarray:
        """Deltas of postings [lo, hi) of term t (int64, exceptions patched)."""
        w = int(self.term_meta[t, 0])
        b0 = int(self.term_bytes[t])
        raw = np.asarray(self.ids[b0 + lo * w: b0 + hi * w]).view(_WIDTH_DTYPE[w])
        out = raw.astype(np.int64)
        e0, e1 = int(self.term_exc[t]), int(self.term_exc[t + 1])
        if e1 > e0:
            pos = np.asarray(self.exc_pos[e0:e1])
            if lo or hi < int(self.term_post[t + 1] - self.term_post[t]):
                a, b = np.searchsorted(pos, [lo, hi])
                pos, vals = pos[a:b] - lo, np.asarray(self.exc_val[e0 + a: e0 + b])
            else:
                vals = np.asarray(self.exc_val[e0:e1])
            out[pos] = vals
        return out

    def lookup(self, t: int, parts: np.ndarray) -> np.ndarray:
        """Codes of term ``t`` at the sorted distinct ``parts`` (0 where the
        term is absent), decoding only the blocks that can hold them."""
        out = np.zeros(parts.shape[0], dtype=np.uint16)
        m = self.df(t)
        if m == 0 or parts.size == 0:
            return out
        bs, be = int(self.block_start[t]), int(self.block_start[t + 1])
        last = np.asarray(self.block_last[bs:be])
        which = np.searchsorted(last, parts)
        inside = which < last.size
        blocks = which[inside]
        blocks = blocks[np.r_[True, blocks[1:] != blocks[:-1]]] if blocks.size else blocks  # ascending
        if blocks.size == 0:
            return out
        if blocks.size * 4 > last.size:
            ids, codes = self.decode(t)
        else:
            ids, codes = self._blocks(t, blocks, last)
        where = np.minimum(np.searchsorted(ids, parts), ids.size - 1)
        hit = ids[where] == parts
        out[hit] = codes[where[hit]]
        return out

    def _blocks(self, t: int, blocks: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(parts, codes) of the given blocks of term t, in order."""
        m = self.df(t)
        start = int(self.term_post[t])
        lo = blocks * BLOCK
        hi = np.minimum(lo + BLOCK, m)
        sizes = hi - lo
        ends = np.cumsum(sizes)
        index = np.repeat(lo - (ends - sizes), sizes) + np.arange(int(ends[-1]))
        first = int(lo[0])
        deltas = self._deltas(t, first, int(hi[-1]))[index - first]
        base = np.where(blocks > 0, last[np.maximum(blocks - 1, 0)].astype(np.int64), -1)
        sums = np.cumsum(deltas)
        restart = np.repeat(np.r_[0, sums[ends[:-1] - 1]] - base, sizes)
        ids = sums - restart
        if ids.size and (ids.max() >= self.n_parts or ids.min() < 0):
            raise damaged(t)
        return ids, np.asarray(self.codes[start:start + m])[index]

    def bound(self, t: int) -> tuple[int, int]:
        """(largest tf, smallest length byte) over the term's postings."""
        return int(self.term_meta[t, 1]), int(self.term_meta[t, 2])


def damaged(t: int) -> IndexFormatError:
    hint = "run `transcript-qa index build`"
    return IndexFormatError(f"the postings of term {t} are damaged (a part number out of range); {hint}", hint=hint)


def arrays_of(encoded: Encoded) -> dict[str, np.ndarray]:
    return {name: getattr(encoded, name) for name in ARRAY_NAMES}


def check(arrays: Mapping[str, np.ndarray], n_parts: int, *, full: bool = False, singles: int = 0) -> str | None:
    """What is wrong with a segment's postings arrays (None: nothing), with
    ``singles`` one-posting terms of the single-bigram table at the end.

    Cheap checks (sizes, offsets, block ends within the part range) always;
    with ``full``, every term is decoded and its part numbers checked."""
    term_post, term_bytes, term_exc = (np.asarray(arrays[k]) for k in ("term_post", "term_bytes", "term_exc"))
    meta = arrays["term_meta"]
    v = int(meta.shape[0])
    if meta.ndim != 2 or meta.shape[1] != 3:
        return "term_meta: bad shape"
    for name, arr, total in (("term_post", term_post, arrays["codes"].shape[0] - singles),
                             ("term_bytes", term_bytes, arrays["ids"].shape[0] - 4 * singles),
                             ("term_exc", term_exc, arrays["exc_pos"].shape[0])):
        if arr.shape != (v + 1,) or (v >= 0 and (int(arr[0]) != 0 or int(arr[-1]) != total)):
            return f"{name}: offsets do not match the data"
        if v and np.any(np.diff(arr) < 0):
            return f"{name}: offsets decrease"
    if arrays["exc_val"].shape != arrays["exc_pos"].shape:
        return "exc_val: shape does not match exc_pos"
    widths = np.asarray(meta[:, 0])
    if v and not np.isin(widths, (1, 2, 4)).all():
        return "term_meta: bad byte width"
    df = np.diff(term_post)
    if v and np.any(np.diff(term_bytes) < df * widths):
        return "term_bytes: too few bytes for the postings"
    n_blocks = int((-(-df // BLOCK)).sum())
    if arrays["block_last"].shape != (n_blocks + singles,) or arrays["block_meta"].shape != (n_blocks, 2):
        return "block_last: shape does not match the postings"
    last = np.asarray(arrays["block_last"])
    if last.size and (int(last.min()) < 0 or int(last.max()) >= n_parts):
        return "block_last: part number out of range"
    exc_pos = np.asarray(arrays["exc_pos"])
    if exc_pos.size:
        owner = np.searchsorted(term_exc, np.arange(exc_pos.size), side="right") - 1
        if np.any(exc_pos < 0) or np.any(exc_pos >= df[owner]):
            return "exc_pos: position out of range"
    if singles:
        codes = np.asarray(arrays["codes"][arrays["codes"].shape[0] - singles:])
        if int(codes.min()) < 256:
            return "codes: a posting of the single-bigram table without a term frequency"
    if full and singles:
        tail = np.asarray(arrays["ids"][arrays["ids"].shape[0] - 4 * singles:]).view("<u4").astype(np.int64)
        if not np.array_equal(tail - 1, np.asarray(last[n_blocks:])):
            return "ids: the single-bigram table's part numbers do not match its blocks"
    if full:
        reader = Postings(arrays, n_parts)
        for t in range(v):
            try:
                ids, _ = reader.decode(t)
            except IndexFormatError:
                return f"ids: term {t}: part numbers out of range or not ascending"
            bs, be = int(reader.block_start[t]), int(reader.block_start[t + 1])
            ends = ids[np.minimum(np.arange(1, be - bs + 1) * BLOCK, ids.size) - 1] if ids.size else ids
            if not np.array_equal(ends, np.asarray(last[bs:be])):
                return f"term {t}: block ends do not match the postings"
    return None
