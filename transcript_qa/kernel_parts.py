"""Building blocks of the compiled top-k kernel (:mod:`transcript_qa.kernels`):
decoding a term's delta-coded postings, the bounded heap of the best passages,
and reading a term's postings into the accumulator. numba, optional, like the
kernel itself.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from transcript_qa.postings import BLOCK


@nb.njit(cache=True, nogil=True, inline="always")
def _delta(ids, offset, width):
    if width == 1:
        return np.int64(ids[offset])
    if width == 2:
        return np.int64(ids[offset]) | (np.int64(ids[offset + 1]) << 8)
    return (np.int64(ids[offset]) | (np.int64(ids[offset + 1]) << 8) | (np.int64(ids[offset + 2]) << 16)
            | (np.int64(ids[offset + 3]) << 24))


@nb.njit(cache=True, nogil=True, inline="always")
def _lower_bound(values, lo, hi, target):
    """The first index in [lo, hi) whose value is at or after ``target`` (``hi``: none);
    ``values[lo:hi]`` ascending."""
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


@nb.njit(cache=True, nogil=True)
def _decode_range(t, i0, i1, base, ids, term_bytes, term_exc, term_meta, exc_pos, exc_val, n_parts, out):
    """Part numbers of postings [i0, i1) of term t into out[0: i1 - i0]
    (``base``: the part before posting i0, or -1). Returns False if corrupt."""
    width = np.int64(term_meta[t, 0])
    b0 = term_bytes[t]
    e, e1 = term_exc[t], term_exc[t + 1]
    if e1 > e and i0 > 0:
        e = _lower_bound(exc_pos, e, e1, i0)
    cur = base
    for i in range(i0, i1):
        d = _delta(ids, b0 + i * width, width)
        if d == 0:
            if e < e1 and exc_pos[e] == i:
                d = np.int64(exc_val[e])
                e += 1
            else:
                return False
        cur += d
        if cur >= n_parts or d <= 0:
            return False
        out[i - i0] = cur
    return True


# A bounded min-heap of the best (value, owner), one entry per owner. Where
# each owner sits in the heap is kept in a small open-addressing table
# (linear probing, at most half full) that stays in the fastest cache: a
# per-passage array of positions made each swap a likely cache miss.


@nb.njit(cache=True, nogil=True)
def _heap_table(cap):
    """An empty position table for a heap of ``cap`` entries: (owners, places)."""
    size = 16
    while size < 2 * cap + 2:
        size *= 2
    return np.full(size, -1, dtype=np.int64), np.zeros(size, dtype=np.int64)


@nb.njit(cache=True, nogil=True, inline="always")
def _home(keys, owner):
    return (owner * 2654435761) & (keys.shape[0] - 1)


@nb.njit(cache=True, nogil=True)
def _place(keys, places, owner):
    """The heap position of ``owner``, or -1."""
    mask = keys.shape[0] - 1
    i = _home(keys, owner)
    while keys[i] != -1:
        if keys[i] == owner:
            return places[i]
        i = (i + 1) & mask
    return -1


@nb.njit(cache=True, nogil=True)
def _set_place(keys, places, owner, place):
    mask = keys.shape[0] - 1
    i = _home(keys, owner)
    while keys[i] != -1 and keys[i] != owner:
        i = (i + 1) & mask
    keys[i] = owner
    places[i] = place


@nb.njit(cache=True, nogil=True)
def _drop_place(keys, places, owner):
    """Remove ``owner`` (present), moving later entries of its probe run back."""
    mask = keys.shape[0] - 1
    i = _home(keys, owner)
    while keys[i] != owner:
        i = (i + 1) & mask
    keys[i] = -1
    j = i
    while True:
        j = (j + 1) & mask
        if keys[j] == -1:
            return
        h = _home(keys, keys[j])
        # the entry at j may move to the hole at i unless its home lies in (i, j]
        if (i <= j and i < h <= j) or (i > j and (h > i or h <= j)):
            continue
        keys[i] = keys[j]
        places[i] = places[j]
        keys[j] = -1
        i = j


@nb.njit(cache=True, nogil=True)
def _sift_up(hv, ho, keys, places, i):
    while i > 0:
        parent = (i - 1) // 2
        if hv[parent] <= hv[i]:
            break
        hv[parent], hv[i] = hv[i], hv[parent]
        ho[parent], ho[i] = ho[i], ho[parent]
        _set_place(keys, places, ho[i], i)
        _set_place(keys, places, ho[parent], parent)
        i = parent


@nb.njit(cache=True, nogil=True)
def _sift_down(hv, ho, keys, places, size, i):
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and hv[left + 1] < hv[left]:
            child = left + 1
        if hv[i] <= hv[child]:
            break
        hv[child], hv[i] = hv[i], hv[child]
        ho[child], ho[i] = ho[i], ho[child]
        _set_place(keys, places, ho[i], i)
        _set_place(keys, places, ho[child], child)
        i = child


@nb.njit(cache=True, nogil=True)
def _heap_add(hv, ho, keys, places, size, cap, value, owner):
    """A min-heap of the ``cap`` best (value, owner), one entry per owner
    (its place in the table ``keys``/``places``, from :func:`_heap_table`);
    returns the new size."""
    i = _place(keys, places, owner)
    if i >= 0:
        if value > hv[i]:
            hv[i] = value
            _sift_down(hv, ho, keys, places, size, i)
        return size
    if size < cap:
        hv[size] = value
        ho[size] = owner
        _set_place(keys, places, owner, size)
        _sift_up(hv, ho, keys, places, size)
        return size + 1
    if value <= hv[0]:
        return size
    _drop_place(keys, places, ho[0])
    hv[0] = value
    ho[0] = owner
    _set_place(keys, places, owner, 0)
    _sift_down(hv, ho, keys, places, size, 0)
    return size


@nb.njit(cache=True, nogil=True)
def _is_named(named, code):
    lo = _lower_bound(named, 0, named.shape[0], code)
    return lo < named.shape[0] and named[lo] == code


@nb.njit(cache=True, nogil=True)
def _find(sorted_values, n, value):
    lo = _lower_bound(sorted_values, 0, n, value)
    return lo if lo < n and sorted_values[lo] == value else -1


@nb.njit(cache=True, nogil=True, inline="always")
def _block_of(block_last, b, be, target):
    """The first block from ``b`` (of blocks [b, be)) whose last part is at
    or after ``target`` (``be``: none), galloping over the blocks before it."""
    if b < be and block_last[b] < target:
        step = 1
        while b + step < be and block_last[b + step] < target:
            step *= 2
        b = _lower_bound(block_last, b + step // 2, min(b + step, be), target)
    return b


@nb.njit(cache=True, nogil=True)
def _add_term(t, w, targets, n_targets, acc, table, ids, codes, term_post, term_bytes, term_exc, term_meta,
              exc_pos, exc_val, block_last, block_start, n_parts, buf):
    """acc[p] += w * T(code) for the sorted distinct parts ``targets`` that
    hold term t, decoding only the blocks that can hold them (and a block
    only as far as needed). Returns False if the postings are damaged."""
    p0 = term_post[t]
    df = term_post[t + 1] - p0
    bs = block_start[t]
    be = block_start[t + 1]
    b = bs
    loaded = -1
    pos = 0
    n_buf = 0
    cur = 0
    width = np.int64(term_meta[t, 0])
    b0 = term_bytes[t]
    e1 = term_exc[t + 1]
    e = term_exc[t]
    for r in range(n_targets):
        target = targets[r]
        b = _block_of(block_last, b, be, target)
        if b >= be:
            break
        if loaded != b:
            loaded = b
            pos = (b - bs) * BLOCK
            n_buf = min((b - bs + 1) * BLOCK, df)
            cur = block_last[b - 1] if b > bs else -1
            e = term_exc[t]
            if e1 > e:
                e = _lower_bound(exc_pos, e, e1, pos)
            d = _delta(ids, b0 + pos * width, width)
            if d == 0:
                if e < e1 and exc_pos[e] == pos:
                    d = np.int64(exc_val[e])
                    e += 1
                else:
                    return False
            cur += d
        while cur < target and pos + 1 < n_buf:
            pos += 1
            d = _delta(ids, b0 + pos * width, width)
            if d == 0:
                if e < e1 and exc_pos[e] == pos:
                    d = np.int64(exc_val[e])
                    e += 1
                else:
                    return False
            if d <= 0:
                return False
            cur += d
        if cur > block_last[b] or cur >= n_parts:
            return False
        if cur == target:
            acc[target] += w * table[codes[p0 + pos]]
    return True
