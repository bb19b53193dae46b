"""Compiled kernels for the exact top k (numba, optional).

Imported only by :func:`transcript_qa.topk.kernels` when numba is installed
(``pip install "transcript-qa[fast]"``) and the index is large enough to pay
for it; the numpy path in :mod:`transcript_qa.topk` gives the same results
(same passages, same scores to the last bit: every sum is taken in the same
order). The kernels release the GIL, so queries run in parallel on threads.

:func:`top_passages` implements the algorithm described in
:mod:`transcript_qa.topk`; its return value is the number of passages written
to the output arrays, or a negative code: ``FALLBACK`` (the bound was too
loose: score every term) or ``CORRUPT`` (a posting outside the index: the
postings are damaged).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from transcript_qa.kernel_parts import (
    BLOCK,
    _add_term,
    _block_of,
    _decode_range,
    _find,
    _heap_add,
    _heap_table,
    _is_named,
)
from transcript_qa.ranking import BOUND_SLACK

#: Relative costs (in deltas decoded) of reading a posting into the
#: accumulator, looking a term up for a candidate (decoding part of a block)
#: and finding its block: they decide when to stop reading terms.
READ_COST = 2
LOOKUP_COST = 64
SEARCH_COST = 20
FALLBACK = -1
CORRUPT = -2
#: the workspace's ``touched``/``passed`` are shorter than the postings to read (``diag[5]``)
GROW = -3



@nb.njit(cache=True, nogil=True)
def top_passages(ids, codes, term_post, term_bytes, term_exc, term_meta, exc_pos, exc_val, block_last, block_start,
                 block_meta, part_passage, first_part, doc, speaker, mask, has_mask,
                 terms, weights, table, bounds, named, boost, w_prev, w_next, n_sources, k, pool, essential_all,
                 invents, acc, stamps, stamp, psrc, touched, passed, diag):
    """See :mod:`transcript_qa.topk`. Returns (count or code, passages,
    base, final, best part); ``diag`` gets (terms read, parts touched,
    candidates, sources' neighbours scored, parts looked up, -, passages
    within the rest's reach of a threshold and the candidates among them:
    fewer, as their blocks' bounds are tighter than the rest). ``acc`` is
    zero and ``psrc`` zero on entry, and so on return. ``touched`` and
    ``passed`` are scratch as long as the terms' postings together, else
    nothing is done: ``GROW``, with that length in ``diag[5]``."""
    n_parts = part_passage.shape[0]
    n_passages = doc.shape[0]
    m = terms.shape[0]
    window = w_prev.shape[0]
    n_src = n_sources if window > 0 else 0
    kk = max(k, pool)
    has_named = named.shape[0] > 0
    beta = boost if has_named else 1.0
    empty_i = np.zeros(0, dtype=np.int64)
    empty_f = np.zeros(0, dtype=np.float64)
    total = 0
    for i in range(m):
        total += term_post[terms[i] + 1] - term_post[terms[i]]
    if touched.shape[0] < total or passed.shape[0] < total:
        diag[5] = total
        return GROW, empty_i, empty_f, empty_f, empty_i
    # ``touched``: the parts read (kept across questions, so their pages are mapped once);
    # ``passed``: parts whose partial score reached a heap's threshold when it was read:
    # with every term read, the only parts that can be candidates (step 3)
    n_touched = 0
    n_passed = 0
    # the best passages so far: sources (every passage) and results (within the mask)
    separate = has_mask or kk > n_src  # else the k best are among the n best
    cap_n = max(n_src, 1)
    cap_k = max(kk, 1)
    hn_v = np.zeros(cap_n, dtype=np.float64)
    hn_o = np.full(cap_n, -1, dtype=np.int64)
    hn = 0
    hk_v = np.zeros(cap_k, dtype=np.float64)
    hk_o = np.full(cap_k, -1, dtype=np.int64)
    keys_n, places_n = _heap_table(cap_n)
    keys_k, places_k = _heap_table(cap_k)
    hk = 0
    buf = np.empty(BLOCK, dtype=np.int64)
    # what a value must beat to enter each heap (-1: not full yet; inf: no such heap)
    low_n = -1.0 if n_src > 0 else np.inf
    low_k = -1.0 if separate and kk > 0 else np.inf
    rest = 0.0
    for i in range(m):
        rest += bounds[i]
    n_read = m
    corrupt = False
    # 1. terms, rarest first, until the rest cannot reach the n-th source or the k-th result
    for i in range(m):
        if not essential_all:
            theta_n = (hn_v[0] if hn >= n_src else 0.0) if n_src > 0 else np.inf
            theta_k = (hk_v[0] if hk >= kk else 0.0) if separate and kk > 0 else np.inf
            if rest * beta < theta_n and rest * beta < theta_k:
                # stop here if looking the rest up for the candidates is cheaper than reading it
                sample = min(n_touched, 4096)
                stride = max(1, n_touched // max(sample, 1))
                hits = 0
                for q in range(sample):
                    p = touched[q * stride]
                    value = acc[p]
                    if has_named and _is_named(named, speaker[part_passage[p]]):
                        value *= beta
                    if value + rest * beta >= theta_n or value + rest * beta >= theta_k:
                        hits += 1
                cand_est = hits * n_touched // max(sample, 1) + 1
                lookup = 0
                for j in range(i, m):
                    df_j = term_post[terms[j] + 1] - term_post[terms[j]]
                    lookup += min(cand_est * LOOKUP_COST, df_j) + cand_est * SEARCH_COST
                # reading the next term (then deciding again) may leave far fewer candidates
                if lookup < (term_post[terms[i] + 1] - term_post[terms[i]]) * READ_COST:
                    n_read = i
                    break
        t = terms[i]
        w = weights[i]
        p0 = term_post[t]
        df = term_post[t + 1] - p0
        bs = block_start[t]
        start = 0
        base = -1
        while start < df:
            stop = min(start + BLOCK, df)
            if not _decode_range(t, start, stop, base, ids, term_bytes, term_exc, term_meta, exc_pos, exc_val,
                                 n_parts, buf) or buf[stop - start - 1] != block_last[bs + start // BLOCK]:
                corrupt = True
                break
            for q in range(stop - start):
                p = buf[q]
                before = acc[p]
                value = before + w * table[codes[p0 + start + q]]
                acc[p] = value
                touched[n_touched] = p  # branch-free: kept only when the part is new
                n_touched += before == 0.0
                if has_named:
                    if _is_named(named, speaker[part_passage[p]]):
                        value *= boost
                    passed[n_passed] = p
                    n_passed += 1
                elif value < low_n and value < low_k:  # below both heaps (their passage not even read)
                    continue
                else:
                    passed[n_passed] = p
                    n_passed += 1
                    if value <= low_n and value <= low_k:  # a tie: a candidate perhaps, never in a heap
                        continue
                d = part_passage[p]
                if n_src > 0 and (hn < n_src or value > hn_v[0]):
                    hn = _heap_add(hn_v, hn_o, keys_n, places_n, hn, n_src, value, d)
                    low_n = hn_v[0] if hn >= n_src else -1.0
                if separate and kk > 0 and (hk < kk or value > hk_v[0]) and (not has_mask or mask[d]):
                    hk = _heap_add(hk_v, hk_o, keys_k, places_k, hk, kk, value, d)
                    low_k = hk_v[0] if hk >= kk else -1.0
            base = buf[stop - start - 1]
            start = stop
        if corrupt:
            break
        rest -= bounds[i]
    if corrupt:
        for q in range(n_touched):
            acc[touched[q]] = 0.0
        return CORRUPT, empty_i, empty_f, empty_f, empty_i
    rest = 0.0
    for i in range(n_read, m):
        rest += bounds[i]
    rest *= beta
    theta_n = (hn_v[0] if hn >= n_src else 0.0) if n_src > 0 else np.inf
    if separate:
        theta_k = (hk_v[0] if hk >= kk else 0.0) if kk > 0 else np.inf
    else:
        theta_k = theta_n
    if n_read < m and (rest >= theta_n or rest >= theta_k):  # pragma: no cover - the loop stops only below both
        for q in range(n_touched):
            acc[touched[q]] = 0.0
        return FALLBACK, empty_i, empty_f, empty_f, empty_i
    # 2. exact scores of the best passages so far: better thresholds
    s_cand = stamp
    s_near = stamp + 1
    n_a = hn + (hk if separate else 0)
    first = np.empty(n_a, dtype=np.int64)
    n_first = 0
    for q in range(hn):
        if stamps[hn_o[q]] != s_cand:
            stamps[hn_o[q]] = s_cand
            first[n_first] = hn_o[q]
            n_first += 1
    if separate:
        for q in range(hk):
            if stamps[hk_o[q]] != s_cand:
                stamps[hk_o[q]] = s_cand
                first[n_first] = hk_o[q]
                n_first += 1
    first = np.sort(first[:n_first])
    ok, a_parts = _score(first, n_first, first_part, acc, n_read, m, terms, weights, table, ids, codes, term_post,
                         term_bytes, term_exc, term_meta, exc_pos, exc_val, block_last, block_start, n_parts, buf)
    a_base = np.zeros(n_first, dtype=np.float64)
    a_best = np.full(n_first, -1, dtype=np.int64)
    _bases(first, n_first, first_part, acc, named, speaker, boost, has_named, a_base, a_best)
    if n_src > 0 and hn >= n_src:
        theta_n = max(theta_n, _kth(a_base, n_first, n_src, first, mask, False))
    if kk > 0 and theta_k != np.inf:
        theta_k = max(theta_k, _kth(a_base, n_first, kk, first, mask, has_mask))
    # 3. the other candidates: partial score plus the rest reaching a threshold
    cand = np.empty(n_touched, dtype=np.int64)
    n_cand = 0
    n_keep = 0
    reach = 0  # passages of those parts
    if ok:
        low = min(theta_n, theta_k) - rest
        # with every term read (rest 0), a candidate's partial score is its score, and it was at or
        # above a heap's threshold when its last term was read (thresholds only rise, and end at or
        # below theta_n and theta_k): only the parts that passed need a look
        scan, n_scan = (passed, n_passed) if n_read == m else (touched, n_touched)
        # with terms left unread, a part's bound is tightened from its blocks of those terms
        # (the rest is each term's bound over all its blocks): its parts, ascending, first
        keep = np.empty(n_scan if n_read < m else 0, dtype=np.int64)
        for q in range(n_scan):
            p = scan[q]
            value = acc[p]
            if value * beta < low:
                continue
            d = part_passage[p]
            if stamps[d] == s_cand:
                continue
            if has_named and _is_named(named, speaker[d]):
                value *= beta
            if value + rest >= theta_n or (value + rest >= theta_k and (not has_mask or mask[d])):
                if n_read < m:
                    keep[n_keep] = p
                    n_keep += 1
                    continue
                stamps[d] = s_cand
                cand[n_cand] = d
                n_cand += 1
        if n_keep > 0:
            keep = np.sort(keep[:n_keep])
            for q in range(n_keep):
                reach += q == 0 or part_passage[keep[q]] != part_passage[keep[q - 1]]
            ahead = np.zeros(n_keep, dtype=np.float64)
            for i in range(n_read, m):
                _block_bounds(terms[i], weights[i], keep, n_keep, table, term_meta, block_last, block_start,
                              block_meta, ahead)
            for q in range(n_keep):
                p = keep[q]
                d = part_passage[p]
                if stamps[d] == s_cand:
                    continue
                value = acc[p]
                if has_named and _is_named(named, speaker[d]):
                    value *= beta
                top = value + ahead[q] * beta
                if top >= theta_n or (top >= theta_k and (not has_mask or mask[d])):
                    stamps[d] = s_cand
                    cand[n_cand] = d
                    n_cand += 1
    cand = np.sort(cand[:n_cand])
    ok2, b_parts = _score(cand, n_cand, first_part, acc, n_read, m, terms, weights, table, ids, codes, term_post,
                          term_bytes, term_exc, term_meta, exc_pos, exc_val, block_last, block_start, n_parts, buf)
    b_base = np.zeros(n_cand, dtype=np.float64)
    b_best = np.full(n_cand, -1, dtype=np.int64)
    _bases(cand, n_cand, first_part, acc, named, speaker, boost, has_named, b_base, b_best)
    # every candidate, in passage order
    n_c = n_first + n_cand
    c_pass = np.empty(n_c, dtype=np.int64)
    c_base = np.empty(n_c, dtype=np.float64)
    c_best = np.empty(n_c, dtype=np.int64)
    x = 0
    y = 0
    for q in range(n_c):
        if y >= n_cand or (x < n_first and first[x] < cand[y]):
            c_pass[q], c_base[q], c_best[q] = first[x], a_base[x], a_best[x]
            x += 1
        else:
            c_pass[q], c_base[q], c_best[q] = cand[y], b_base[y], b_best[y]
            y += 1
    # 4. the sources: the best n_src by base (ties: passage order); their context goes to psrc
    n_s = 0
    src = np.empty(0, dtype=np.int64)
    c_src = np.zeros(n_c, dtype=np.bool_)
    if n_src > 0 and ok and ok2:
        chosen = _best(c_base, n_c, n_src)
        n_s = chosen.shape[0]
        src = c_pass[chosen]
        for q in range(n_s):
            psrc[src[q]] = c_base[chosen[q]]
            c_src[chosen[q]] = True
    # the candidates' final scores: only those beside a source get context
    c_final = c_base.copy()
    c_lift = np.zeros(n_c, dtype=np.bool_)
    for q in range(n_s):
        d = src[q]
        for s in range(1, window + 1):
            for side in range(2):
                z = d + s if side == 0 else d - s  # d is "the one s before" z, then "the one s after"
                w = w_prev[s - 1] if side == 0 else w_next[s - 1]
                if w == 0.0 or z < 0 or z >= n_passages or stamps[z] != s_cand or doc[z] != doc[d]:
                    continue
                x = _find(c_pass, n_c, z)
                if x >= 0 and not c_lift[x]:
                    c_lift[x] = True
                    c_final[x] = _lift(z, c_base[x], doc, psrc, w_prev, w_next, n_passages)[0]
    # 5. the sources' neighbours that are not candidates and could reach the
    #    k-th best final score of the candidates (a bound: their partial
    #    score plus the rest, plus their context): exact scores too
    theta_f = np.inf  # k == 0: no final score is asked for
    if k > 0 and n_s > 0:
        theta_f = _kth(np.where(c_base > 0.0, c_final, 0.0) if not invents else c_final, n_c, k, c_pass, mask,
                       has_mask)
    near = np.empty(n_s * 2 * window, dtype=np.int64)
    n_near = 0
    for q in range(n_s):
        d = src[q]
        for z in range(max(0, d - window), min(n_passages - 1, d + window) + 1):
            if z != d and doc[z] == doc[d] and stamps[z] != s_cand and stamps[z] != s_near \
                    and first_part[z + 1] > first_part[z]:
                stamps[z] = s_near
                if has_mask and not mask[z]:
                    continue
                high = 0.0
                for p in range(first_part[z], first_part[z + 1]):
                    high = max(high, acc[p])
                if _lift(z, high * max(beta, 1.0) + rest, doc, psrc, w_prev, w_next, n_passages)[0] < theta_f:
                    continue
                near[n_near] = z
                n_near += 1
    near = np.sort(near[:n_near])
    ok3 = True
    n_parts_c = 0
    if ok and ok2:
        ok3, n_parts_c = _score(near, n_near, first_part, acc, n_read, m, terms, weights, table, ids, codes,
                                term_post, term_bytes, term_exc, term_meta, exc_pos, exc_val, block_last,
                                block_start, n_parts, buf)
    n_base = np.zeros(n_near, dtype=np.float64)
    n_best = np.full(n_near, -1, dtype=np.int64)
    _bases(near, n_near, first_part, acc, named, speaker, boost, has_named, n_base, n_best)
    # reset the accumulator
    for q in range(n_touched):
        acc[touched[q]] = 0.0
    _clear(first, n_first, first_part, acc)
    _clear(cand, n_cand, first_part, acc)
    _clear(near, n_near, first_part, acc)
    diag[0] = n_read
    diag[6] = reach
    diag[7] = n_cand if reach > 0 else 0
    diag[1] = n_touched
    diag[2] = n_c
    diag[3] = n_near
    diag[4] = a_parts + b_parts + n_parts_c
    if not (ok and ok2 and ok3):
        for q in range(n_s):
            psrc[src[q]] = 0.0
        return CORRUPT, empty_i, empty_f, empty_f, empty_i
    # 6. what can be in the top k: the candidates at or above the k-th best
    #    base (within the mask), the sources and their neighbours
    theta_out = _kth(c_base, n_c, kk, c_pass, mask, has_mask) if kk > 0 else np.inf
    total_out = n_c + n_near
    out_passage = np.empty(total_out, dtype=np.int64)
    out_base = np.empty(total_out, dtype=np.float64)
    out_final = np.empty(total_out, dtype=np.float64)
    out_part = np.empty(total_out, dtype=np.int64)
    n_out = 0
    x = 0
    y = 0
    while x < n_c or y < n_near:
        if y >= n_near or (x < n_c and c_pass[x] < near[y]):
            z, zb, zp = c_pass[x], c_base[x], c_best[x]
            if (zb <= 0.0 and not invents) or (has_mask and not mask[z]):
                x += 1
                continue
            final, lifted, source = c_final[x], c_lift[x], c_src[x]
            x += 1
        else:
            z, zb, zp = near[y], n_base[y], n_best[y]
            y += 1
            if (zb <= 0.0 and not invents) or (has_mask and not mask[z]):
                continue
            final, lifted = _lift(z, zb, doc, psrc, w_prev, w_next, n_passages)
            source = False
        if not lifted and (zb <= 0.0 or (zb < theta_out and not source)):
            continue
        out_passage[n_out] = z
        out_base[n_out] = zb
        out_final[n_out] = final
        out_part[n_out] = zp
        n_out += 1
    for q in range(n_s):
        psrc[src[q]] = 0.0
    return n_out, out_passage[:n_out], out_base[:n_out], out_final[:n_out], out_part[:n_out]


@nb.njit(cache=True, nogil=True, inline="always")
def _lift(z, value, doc, psrc, w_prev, w_next, n_passages):
    """``value`` plus the context passage z gets from the sources (``psrc``:
    their base scores), added in the order of the definition (s = 1, 2, ...:
    before, then after; so a larger ``value`` never gives a smaller sum), and
    whether any source lent."""
    lifted = False
    for s in range(1, w_prev.shape[0] + 1):
        for side in range(2):
            v = z - s if side == 0 else z + s
            w = w_prev[s - 1] if side == 0 else w_next[s - 1]
            if w == 0.0 or v < 0 or v >= n_passages or doc[v] != doc[z]:
                continue
            if psrc[v] > 0.0:
                value += w * psrc[v]
                lifted = True
    return value, lifted


@nb.njit(cache=True, nogil=True)
def _best(values, n, k):
    """Positions (ascending) of the k largest positive values[:n]; ties: the
    first positions (a min-heap of (value, -position))."""
    hv = np.empty(max(k, 1), dtype=np.float64)
    hp = np.empty(max(k, 1), dtype=np.int64)
    size = 0
    for q in range(n):
        v = values[q]
        if v <= 0.0:
            continue
        if size < k:
            i = size
            size += 1
            hv[i] = v
            hp[i] = q
            while i > 0:  # sift up: smaller value, or equal value and later position, on top
                parent = (i - 1) // 2
                if hv[parent] < hv[i] or (hv[parent] == hv[i] and hp[parent] > hp[i]):
                    break
                hv[parent], hv[i] = hv[i], hv[parent]
                hp[parent], hp[i] = hp[i], hp[parent]
                i = parent
        elif v > hv[0]:
            hv[0] = v
            hp[0] = q
            i = 0
            while True:
                left = 2 * i + 1
                if left >= size:
                    break
                c = left
                if left + 1 < size and (hv[left + 1] < hv[left] or (hv[left + 1] == hv[left]
                                                                      and hp[left + 1] > hp[left])):
                    c = left + 1
                if hv[i] < hv[c] or (hv[i] == hv[c] and hp[i] > hp[c]):
                    break
                hv[c], hv[i] = hv[i], hv[c]
                hp[c], hp[i] = hp[i], hp[c]
                i = c
    return np.sort(hp[:size])


@nb.njit(cache=True, nogil=True)
def _kth(values, n, k, owners, mask, has_mask):
    """The k-th largest of values[:n] (owners within the mask only); 0 if fewer."""
    if k <= 0:
        return 0.0
    hv = np.empty(k, dtype=np.float64)
    size = 0
    for q in range(n):
        if has_mask and not mask[owners[q]]:
            continue
        v = values[q]
        if size < k:
            i = size
            size += 1
            hv[i] = v
            while i > 0 and hv[(i - 1) // 2] > hv[i]:
                parent = (i - 1) // 2
                hv[parent], hv[i] = hv[i], hv[parent]
                i = parent
        elif v > hv[0]:
            hv[0] = v
            i = 0
            while True:
                left = 2 * i + 1
                if left >= size:
                    break
                c = left + 1 if left + 1 < size and hv[left + 1] < hv[left] else left
                if hv[i] <= hv[c]:
                    break
                hv[c], hv[i] = hv[i], hv[c]
                i = c
    return hv[0] if size >= k else 0.0


@nb.njit(cache=True, nogil=True)
def _score(passages, n, first_part, acc, lo, m, terms, weights, table, ids, codes, term_post, term_bytes,
           term_exc, term_meta, exc_pos, exc_val, block_last, block_start, n_parts, buf):
    """Look terms [lo, m) (the ones not read) up for every part of the sorted
    passages and add them to acc, in plan order: acc then holds the parts'
    exact scores. Returns (False if the postings are damaged, parts)."""
    total = 0
    for q in range(n):
        total += first_part[passages[q] + 1] - first_part[passages[q]]
    parts = np.empty(total, dtype=np.int64)
    r = 0
    for q in range(n):
        for p in range(first_part[passages[q]], first_part[passages[q] + 1]):
            parts[r] = p
            r += 1
    for i in range(lo, m):
        if not _add_term(terms[i], weights[i], parts, total, acc, table, ids, codes, term_post, term_bytes,
                         term_exc, term_meta, exc_pos, exc_val, block_last, block_start, n_parts, buf):
            return False, total
    return True, total


@nb.njit(cache=True, nogil=True)
def _block_bounds(t, w, parts, n, table, term_meta, block_last, block_start, block_meta, out):
    """Add to out[q] a bound of what term t (weight w) adds to the sorted
    parts[q]: the bound of the block that would hold the part (its largest
    tf at its smallest length), 0 past the term's last posting. A term of
    one posting (no block of its own) is bounded by the term's bound."""
    bs = block_start[t]
    be = block_start[t + 1]
    b = bs
    for q in range(n):
        b = _block_of(block_last, b, be, parts[q])
        if b >= be:
            break
        if b < block_meta.shape[0]:
            tf, lbyte = np.int64(block_meta[b, 0]), np.int64(block_meta[b, 1])
        else:
            tf, lbyte = np.int64(term_meta[t, 1]), np.int64(term_meta[t, 2])
        out[q] += w * table[(tf << 8) | lbyte] * (1.0 + BOUND_SLACK)


@nb.njit(cache=True, nogil=True)
def _clear(passages, n, first_part, acc):
    for q in range(n):
        for p in range(first_part[passages[q]], first_part[passages[q] + 1]):
            acc[p] = 0.0


@nb.njit(cache=True, nogil=True)
def _bases(passages, n, first_part, acc, named, speaker, boost, has_named, out_base, out_best):
    """Base score (best part, the first on a tie; boosted) of each passage."""
    for q in range(n):
        x = passages[q]
        best = 0.0
        best_p = -1
        for p in range(first_part[x], first_part[x + 1]):
            if acc[p] > best:
                best = acc[p]
                best_p = p
        if has_named and best > 0.0 and _is_named(named, speaker[x]):
            best = best * boost
        out_base[q] = best
        out_best[q] = best_p
