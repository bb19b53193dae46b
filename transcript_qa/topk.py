"""The exact top k without scoring every posting.

Scores are defined by :func:`transcript_qa.ranking.exhaustive`; this module
finds the same best ``k`` passages (by final score) and best ``pool`` (by
base score, for "who"), with the same scores to the last bit, reading far
fewer postings. Two implementations of one algorithm: compiled kernels
(:mod:`transcript_qa.kernels`, numba) when available and the index is large,
numpy otherwise.

1. **MaxScore over terms.** Every term has a bound of what it adds to a part
   (its weight times the score of its largest tf at its shortest length).
   Terms are read whole in plan order (rarest first) into per-part partial
   sums, keeping the best
   passages so far: the ``context_sources`` best (every passage) and the
   ``max(k, pool)`` best (within the filters). The remaining terms are left
   unread once the sum of their bounds (``rest``) is below both the
   ``context_sources``-th and the ``max(k, pool)``-th best partial score: a
   passage they alone match can neither lend context nor be a result on its
   own.
2. **Candidates** are the passages whose partial score plus ``rest`` reaches
   either threshold; the unread terms are looked up for them, block by block,
   and added in plan order, so their scores are exact. The sources are the
   best of them.
3. **Context.** The candidates beside a source get its context. A source's
   neighbour (within ``context_window``) that is not a candidate is scored
   exactly the same way only when it could reach the k-th best final score
   of the candidates: its best partial score plus ``rest``, plus its context
   (summed in the order of the definition, so never below its final score).
   Any other passage has a final score below the k-th best.

What makes a query cheap is leaving out the long lists of the commonest
terms, and context costing a few dozen lookups.
"""

from __future__ import annotations

import os
from collections import deque
from typing import TYPE_CHECKING, Any

import numpy as np

from transcript_qa.errors import IndexFormatError
from transcript_qa.filters import filter_mask
from transcript_qa.model import Filters
from transcript_qa.query import ParsedQuery, query_vector
from transcript_qa.ranking import (Plan, Scored, phrase_passages, best_parts, boost, context_weights, distinct,
                                   exhaustive, make_plan, sources, term_weights, with_context)
from transcript_qa.settings import RankSettings

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index

#: Queries reading fewer postings than this are scored exhaustively (numpy).
EXHAUSTIVE_POSTINGS = 50_000
#: The compiled kernels are used from this many parts on (they cost about
#: 0.3 s to load, once a process).
KERNEL_MIN_PARTS = 100_000
#: ``TRANSCRIPT_QA_KERNEL``: "numba" or "numpy" forces one implementation.
KERNEL_ENV = "TRANSCRIPT_QA_KERNEL"

Found = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
_NO_FILTERS = Filters()


def score(index: "Index", question: str, filters: Filters, settings: RankSettings, parsed: ParsedQuery,
          *, k: int = 10, pool: int = 0) -> Scored:
    """Score the passages for a question: exact for the best ``k`` passages
    (by final score) and the best ``pool`` (by base score)."""
    empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    vector = query_vector(index, question, parsed, settings)
    mask, reason = filter_mask(index, filters) if filters != _NO_FILTERS else (None, None)
    weights = term_weights(index, vector, settings)
    plan_terms = tuple(t for t, w in zip(vector.term_ids, weights) if w != 0.0)
    if not plan_terms:
        why = reason or (
            "no search terms in the question (only stop words or words not in the index)"
            if not vector.terms else "none of the question's words occur in the index"
        )
        return Scored(empty[0], empty[1], empty[1], vector, why, asking=parsed.asking, weights=weights,
                      people=parsed.people)
    if vector.phrases and reason is None:
        allowed = phrase_passages(index, vector.phrases, mask)
        mask = np.zeros(len(index.passages), dtype=bool)
        mask[allowed] = True
    plan = make_plan(index, vector.term_ids, weights, settings,
                     speakers=vector.speakers if settings.speaker_boost else frozenset(), mask=mask)
    cand, base, final, part = retrieve(index, plan, settings, k=k, pool=pool)
    if cand.size == 0 and reason is None:
        reason = no_match_reason(filters, vector.phrases)
    return Scored(cand, base, final, vector, reason, asking=parsed.asking, part=part, weights=weights,
                  people=parsed.people)


def no_match_reason(filters: Filters, phrases: tuple[str, ...]) -> str:
    """Why a question that was searched found nothing: the filters, the quoted
    phrases, or the question itself."""
    if filters.active():
        shown = " and ".join(f"{key}={v!r}" for key, v in filters.active().items())
        return f"no passage matching {shown} matches the question"
    if phrases:
        return "no passage contains " + " and ".join(f'"{p}"' for p in phrases)
    return "no passage matches the question"


def kernels() -> Any | None:
    """The compiled kernels module, or None when numba is not installed."""
    try:
        from transcript_qa import kernels as compiled
    except Exception:  # noqa: BLE001 - numba missing or broken: the numpy path is exact too
        return None
    return compiled


def use_kernels(index: "Index") -> bool:
    """Whether questions on ``index`` run the compiled kernels."""
    segment = getattr(index, "segment", None)
    choice = os.environ.get(KERNEL_ENV, "").strip().lower()
    if choice == "numpy" or segment is None or not getattr(segment, "single", True):  # several segments: numpy
        return False
    if choice != "numba" and segment.n_parts < KERNEL_MIN_PARTS:
        return False
    return kernels() is not None


def retrieve(index: "Index", plan: Plan, settings: RankSettings, *, k: int, pool: int = 0) -> Found:
    """(passages ascending, base, final, best part): exact for the best ``k``
    final scores and the best ``pool`` base scores (see the module doc)."""
    if k <= 0 and pool <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(0), np.zeros(0), empty
    if use_kernels(index):
        return _with_kernel(index, plan, settings, k, pool)
    df = index.segment.df
    if sum(int(df[t]) for t in plan.terms) <= EXHAUSTIVE_POSTINGS:
        return exhaustive(index, plan, settings)
    return _numpy_maxscore(index, plan, settings, k, pool)


def _n_sources(settings: RankSettings) -> int:
    return int(settings.context_sources) if context_weights(settings) else 0


# =========================================================================== numpy


def _numpy_maxscore(index: "Index", plan: Plan, settings: RankSettings, k: int, pool: int) -> Found:
    spaces = _workspaces(index)
    space = spaces.take(index.segment.n_parts, len(index.passages))
    acc = space.acc
    read: list[np.ndarray] = []
    try:
        return _numpy_maxscore_in(index, plan, settings, k, pool, acc, read)
    finally:
        for parts in read:
            acc[parts] = 0.0
        spaces.give(space)


def _numpy_maxscore_in(index: "Index", plan: Plan, settings: RankSettings, k: int, pool: int,
                       acc: np.ndarray, read: list[np.ndarray]) -> Found:
    """The numpy twin of the kernel: ``acc`` (zero, one float a part) gets the
    read terms' sums, in plan order; ``read`` the parts they touched."""
    seg = index.segment
    table = index.score_table(settings)
    part_passage = np.asarray(seg.part_passage)
    df = seg.df
    n_src, kk = _n_sources(settings), max(k, pool)
    beta = 1.0 + float(settings.speaker_boost) if plan.speakers else 1.0
    bound = np.asarray(plan.bounds)
    n_read, postings = len(plan.terms), 0
    theta_n = theta_k = 0.0
    for i, t in enumerate(plan.terms):
        rest = float(bound[i:].sum()) * beta
        later = sum(int(df[u]) for u in plan.terms[i:])
        if read and later > postings:  # worth checking: the rest is most of the work
            touched = distinct(np.concatenate(read))
            theta_n, theta_k = _thetas(index, plan, touched, acc[touched], part_passage, n_src, kk, beta)
            if rest < theta_n and rest < theta_k:
                n_read = i
                break
        parts, codes = seg.decode(t)
        acc[parts] += plan.weights[i] * table[codes]
        read.append(parts)
        postings += parts.size
    touched = distinct(np.concatenate(read))
    partial = acc[touched]
    if n_read == len(plan.terms):
        theta_n, theta_k = _thetas(index, plan, touched, partial, part_passage, n_src, kk, beta)
    rest = float(bound[n_read:].sum()) * beta
    value = boost(index, part_passage[touched], partial, plan, settings) + rest
    within = plan.mask[part_passage[touched]] if plan.mask is not None else True
    cand = distinct(part_passage[touched[(value >= theta_n) | ((value >= theta_k) & within)]])
    cparts = _parts_of(index, cand)
    cscore = _exact(index, plan, table, n_read, acc, cparts)
    passages, base, best = _bases(index, plan, settings, part_passage, cparts, cscore)
    lend = sources(passages, base, settings) if n_src else np.zeros(passages.size, dtype=bool)
    near = _neighbours(index, passages[lend], len(context_weights(settings)), exclude=cand)
    if near.size:
        near = _may_reach(index, plan, settings, k, passages, base, lend, near, acc, rest)
    if near.size:
        nparts = _parts_of(index, near)
        nscore = _exact(index, plan, table, n_read, acc, nparts)
        n_pass, n_base, n_best = _bases(index, plan, settings, part_passage, nparts, nscore)
        if settings.context_invents:  # neighbours that match nothing, at base 0
            silent = np.setdiff1d(near, n_pass)
            order = np.argsort(np.r_[n_pass, silent], kind="stable")
            n_pass = np.r_[n_pass, silent][order]
            n_base = np.r_[n_base, np.zeros(silent.size)][order]
            n_best = np.r_[n_best, np.full(silent.size, -1, dtype=np.int64)][order]
        order = np.argsort(np.r_[passages, n_pass], kind="stable")
        passages = np.r_[passages, n_pass][order]
        base = np.r_[base, n_base][order]
        best = np.r_[best, n_best][order]
        lend = np.r_[lend, np.zeros(n_pass.size, dtype=bool)][order]
    final = with_context(index, passages, base, settings, lend)
    keep = (base > 0) | (final > 0) if settings.context_invents else base > 0
    if plan.mask is not None:
        keep &= plan.mask[passages]
    return passages[keep], base[keep], final[keep], best[keep]


def _may_reach(index: "Index", plan: Plan, settings: RankSettings, k: int, passages: np.ndarray, base: np.ndarray,
               lend: np.ndarray, near: np.ndarray, acc: np.ndarray, rest: float) -> np.ndarray:
    """The neighbours ``near`` (of the sources; not candidates) that could
    reach the k-th best final score of the candidates ``passages`` (exact
    ``base``; sources ``lend``): their best partial score plus the rest of
    the terms' bounds (``rest``), plus their context. Context sums are taken
    in the same order for a bound as for a score, so the bound is never below."""
    if k <= 0:
        return near[:0]
    if plan.mask is not None:
        near = near[plan.mask[near]]
        if near.size == 0:
            return near
    final = with_context(index, passages, base, settings, lend)
    if not settings.context_invents:
        final = np.where(base > 0, final, 0.0)
    theta = _kth(final[plan.mask[passages]] if plan.mask is not None else final, k)
    first = index.first_part()
    parts = _parts_of(index, near)
    high = np.maximum.reduceat(acc[parts], np.r_[0, np.cumsum(first[near + 1] - first[near])[:-1]])
    beta = 1.0 + float(settings.speaker_boost) if plan.speakers else 1.0
    bound = high * max(beta, 1.0) + rest
    order = np.argsort(np.r_[passages, near], kind="stable")
    lifted = with_context(index, np.r_[passages, near][order], np.r_[base, bound][order], settings,
                          np.r_[lend, np.zeros(near.size, dtype=bool)][order])
    reach = np.empty(order.size)
    reach[order] = lifted
    return near[reach[passages.size:] >= theta]


def _bases(index: "Index", plan: Plan, settings: RankSettings, part_passage: np.ndarray, parts: np.ndarray,
           scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(passages, base, best part) from exact part scores (parts scoring 0 left out)."""
    scored = scores > 0
    passages, base, best = best_parts(part_passage[parts[scored]], parts[scored], scores[scored])
    return passages, boost(index, passages, base, plan, settings), best


def _thetas(index: "Index", plan: Plan, touched: np.ndarray, partial: np.ndarray, part_passage: np.ndarray,
            n_src: int, kk: int, beta: float) -> tuple[float, float]:
    """Lower bounds of the n-th best base (every passage) and the k-th best
    base (within the filters): the partial scores of the terms read."""
    passages, base, _ = best_parts(part_passage[touched], touched, partial)
    if plan.speakers:
        named = np.isin(index.column("speaker")[passages], np.fromiter(plan.speakers, dtype=np.int64))
        base = np.where(named, base * beta, base)
    theta_n = _kth(base, n_src) if n_src > 0 else np.inf
    within = base[plan.mask[passages]] if plan.mask is not None else base
    theta_k = _kth(within, kk) if kk > 0 else np.inf
    return theta_n, theta_k


def _kth(values: np.ndarray, k: int) -> float:
    if k <= 0 or values.size < k:
        return 0.0
    return float(np.partition(values, values.size - k)[values.size - k])


def _parts_of(index: "Index", passages: np.ndarray) -> np.ndarray:
    first = index.first_part()
    counts = first[passages + 1] - first[passages]
    ends = np.cumsum(counts)
    return np.repeat(first[passages] - (ends - counts), counts) + np.arange(int(ends[-1]) if ends.size else 0)


def _exact(index: "Index", plan: Plan, table: np.ndarray, n_read: int, acc: np.ndarray,
           parts: np.ndarray) -> np.ndarray:
    """Exact scores of ``parts`` (sorted): the sums of the terms read (in
    ``acc``), plus the others looked up, in plan order."""
    score = acc[parts]
    for t, w in zip(plan.terms[n_read:], plan.weights[n_read:]):
        codes = index.segment.lookup(t, parts)
        hit = codes > 0
        score[hit] += w * table[codes[hit]]
    return score


def _neighbours(index: "Index", src: np.ndarray, window: int, exclude: np.ndarray) -> np.ndarray:
    """Indexed passages of the same document within ``window`` of ``src``, not in ``exclude``."""
    if src.size == 0 or window == 0:
        return np.zeros(0, dtype=np.int64)
    doc = index.column("document")
    offsets = np.r_[-window:0, 1:window + 1]
    near = (src[:, None] + offsets[None, :]).ravel()
    own = np.repeat(src, offsets.size)
    ok = (near >= 0) & (near < doc.shape[0])
    near, own = near[ok], own[ok]
    near = np.setdiff1d(near[doc[near] == doc[own]], exclude)
    first = index.first_part()
    return near[first[near + 1] > first[near]]


# =========================================================================== compiled


class _Workspace:
    """Per-thread scratch arrays of one index (a part accumulator kept at
    zero between queries, and passage stamps)."""

    def __init__(self, n_parts: int, n_passages: int) -> None:
        self.acc = np.zeros(n_parts, dtype=np.float64)
        self.stamps = np.zeros(n_passages, dtype=np.int32)
        self.stamp = 1
        self.diag = np.zeros(8, dtype=np.int64)
        self.psrc = np.zeros(n_passages, dtype=np.float64)
        # the parts a question reads (as long as its terms' postings): kept, so that their pages
        # are mapped once, not on every question (a page fault costs microseconds)
        self.touched = np.zeros(0, dtype=np.int64)
        self.passed = np.zeros(0, dtype=np.int64)

    def grow(self, length: int) -> None:
        """Scratch for questions reading ``length`` postings."""
        size = max(length, 2 * self.touched.shape[0], 1 << 16)
        self.touched = np.empty(size, dtype=np.int64)
        self.passed = np.empty(size, dtype=np.int64)

    def next_stamp(self) -> int:
        self.stamp += 2
        if self.stamp > 2**31 - 8:
            self.stamps[:] = 0
            self.stamp = 3
        return self.stamp


class _Idle:
    """An index's workspaces not in use, the last one given back taken
    first: a thread asking question after question reuses one workspace
    (its arrays still in the cache), and a process forked from this one
    copies only the one it uses. ``deque.append`` and ``pop`` are atomic."""

    def __init__(self) -> None:
        self._idle: deque[_Workspace] = deque()

    def take(self, n_parts: int, n_passages: int) -> _Workspace:
        try:
            return self._idle.pop()
        except IndexError:
            return _Workspace(n_parts, n_passages)

    def give(self, space: _Workspace) -> None:
        self._idle.append(space)


def _workspaces(index: "Index") -> _Idle:
    spaces = index.__dict__.get("_workspaces")
    if spaces is None:
        spaces = index.__dict__.setdefault("_workspaces", _Idle())
    return spaces


def _with_kernel(index: "Index", plan: Plan, settings: RankSettings, k: int, pool: int) -> Found:
    compiled = kernels()
    assert compiled is not None
    seg = index.segment
    post = seg.postings
    table = index.score_table(settings)
    arrays = index.__dict__.get("_kernel_arrays")
    if arrays is None:
        arrays = (
            np.asarray(post.ids), np.asarray(post.codes), np.asarray(post.term_post), np.asarray(post.term_bytes),
            np.asarray(post.term_exc), np.asarray(post.term_meta), np.asarray(post.exc_pos),
            np.asarray(post.exc_val), np.asarray(post.block_last), np.asarray(post.block_start),
            np.asarray(post.block_meta),
            np.asarray(seg.part_passage), index.first_part(), np.asarray(index.column("document")),
            np.asarray(index.column("speaker")),
        )
        index.__dict__["_kernel_arrays"] = arrays
    mask = plan.mask.astype(np.uint8) if plan.mask is not None else np.zeros(1, dtype=np.uint8)
    weights = context_weights(settings)
    w_prev = np.array([a for a, _ in weights], dtype=np.float64)
    w_next = np.array([b for _, b in weights], dtype=np.float64)
    terms = np.asarray(plan.terms, dtype=np.int64)
    if not seg.blocked(plan.terms):  # one-off bigrams: the plan's own per-term arrays
        small, terms = seg.kernel_terms(plan.terms)
        arrays = arrays[:2] + small[:4] + arrays[6:9] + small[4:] + arrays[10:]
    w = np.asarray(plan.weights, dtype=np.float64)
    ub = np.asarray(plan.bounds, dtype=np.float64)
    named = np.array(sorted(plan.speakers), dtype=np.int64)
    factor = 1.0 + float(settings.speaker_boost)
    spaces = _workspaces(index)
    space = spaces.take(seg.n_parts, len(index.passages))

    def run(essential_all: bool) -> tuple:
        return compiled.top_passages(
            *arrays, mask, plan.mask is not None, terms, w, table, ub, named, factor, w_prev, w_next,
            _n_sources(settings), int(k), int(pool), essential_all, bool(settings.context_invents), space.acc,
            space.stamps, space.next_stamp(), space.psrc, space.touched, space.passed, space.diag)

    try:
        for essential_all in (False, True):
            found = run(essential_all)
            if found[0] == compiled.GROW:
                space.grow(int(space.diag[5]))
                found = run(essential_all)
            count, passages, base, final, part = found
            if count == compiled.CORRUPT:
                raise IndexFormatError(
                    f"{index.path or 'the index'}: a posting points outside the index (the postings are damaged); "
                    "run `transcript-qa index build`", hint="run `transcript-qa index build`")
            if count >= 0:
                return passages, base, final, part
        raise AssertionError("the kernel fell back twice")  # pragma: no cover
    finally:
        spaces.give(space)
