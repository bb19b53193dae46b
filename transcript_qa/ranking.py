"""Ranking: scores of passages for a question, and the exact top k.

Everything here works on a built :class:`transcript_qa.index.Index` and needs
only numpy (the query path never imports scikit-learn or NLTK).

The score of passage *d* for query *q* (settings in :class:`RankSettings`):

1. **TF-IDF cosine.** ``q`` is vectorised exactly as the passages were:
   ``w(t) = (1 + ln tf(t)) * idf(t)``, then l2-normalised, with
   ``idf(t) = ln((1 + n) / (1 + df(t))) + 1`` (scikit-learn's smooth idf).
   ``base(d) = q . d``.
2. **Acronym expansion.** A query term that is a glossary short form ("CAS3")
   adds the long form's terms, and a long form in the query adds the short
   form, with weight ``expansion_weight`` times the weight of what triggered it.
3. **Speaker match.** When the question names a speaker (full name, surname,
   first name or role as it appears in the index: "What did Ms Jenny Kwan
   say...", "...the Regional Director..."), passages of that speaker get
   ``base * (1 + speaker_boost)``; with ``speaker_terms="drop"`` the name
   words stop being topic terms (they only select the speaker).
4. **Context.** Relevant turns come in runs: a turn also scores
   ``context_prev`` times the score of the passage before it and
   ``context_next`` times the passage after it (same document only),
   decaying by ``context_decay`` per step up to ``context_window`` steps. A
   question then lifts the answer that follows it.

Ties are broken by passage order, so rankings are deterministic.

Speakers for "who" questions are ranked from these scores in :mod:`transcript_qa.who`.
"""


from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from transcript_qa.model import Filters
from transcript_qa.query import ParsedQuery, QueryVector, query_vector
from transcript_qa.filters import filter_mask
from transcript_qa.settings import RankSettings

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index


def _sum_by_id(ids: np.ndarray, vals: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Group equal ids and sum their values: (ids ascending, sums)."""
    if ids.size * 8 < n:
        order = np.argsort(ids, kind="stable")
        ordered = ids[order].astype(np.int64)
        first = np.r_[True, ordered[1:] != ordered[:-1]] if ordered.size else np.zeros(0, dtype=bool)
        group = np.cumsum(first) - 1
        return ordered[first], np.bincount(group, weights=vals[order], minlength=int(first.sum()))
    dense = np.bincount(ids, weights=vals, minlength=n)
    present = np.zeros(n, dtype=bool)
    present[ids] = True
    uniq = np.flatnonzero(present)
    return uniq, dense[uniq]


def top_k(cand: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (score desc, passage order asc): deterministic under ties."""
    if cand.size == 0 or k <= 0:
        return cand[:0], scores[:0]
    if cand.size > 4 * k + 16:
        threshold = np.partition(scores, cand.size - k)[cand.size - k]
        keep = scores >= threshold
        cand, scores = cand[keep], scores[keep]
    order = np.lexsort((cand, -scores))[:k]
    return cand[order], scores[order]


@dataclass(frozen=True)
class Scored:
    """Scores of every candidate passage for one question."""

    cand: np.ndarray
    base: np.ndarray  # TF-IDF (+ expansion, speaker boost), before context
    final: np.ndarray  # after context
    vector: QueryVector
    reason: str | None
    asking: bool = False  # the question asks who asked (question turns count more)


def score(index: "Index", question: str, filters: Filters, settings: RankSettings, parsed: ParsedQuery,
          *, k: int = 10, pool: int = 0) -> Scored:
    """Score the passages for a question. Exact for the best ``k`` passages
    (by final score) and the best ``pool`` (by base score); other passages
    may be left out (see :func:`retrieve`)."""
    empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    vector = query_vector(index, question, parsed, settings)
    mask, reason = filter_mask(index, filters)
    if not vector.term_ids:
        why = reason or (
            "no search terms in the question (only stop words or words not in the index)"
            if not vector.terms else "none of the question's words occur in the index"
        )
        return Scored(empty[0], empty[1], empty[1], vector, why, asking=parsed.asking)
    if vector.phrases and reason is None:
        allowed = _phrase_passages(index, vector.phrases, mask)
        mask = np.zeros(len(index.passages), dtype=bool) if mask is None else np.zeros_like(mask)
        mask[allowed] = True
    cand, base, final = retrieve(index, vector, settings, mask, k=k, pool=pool)
    if cand.size == 0 and reason is None:
        if filters.active():
            shown = " and ".join(f"{key}={v!r}" for key, v in filters.active().items())
            reason = f"no passage matching {shown} matches the question"
        elif vector.phrases:
            reason = "no passage contains " + " and ".join(f'"{p}"' for p in vector.phrases)
        else:
            reason = "no passage matches the question"
    return Scored(cand, base, final, vector, reason, asking=parsed.asking)


#: Seeds of the probing round when common terms are bounded.
PROBE_SEEDS = 1024
#: Seed every candidate passage (no cut-off): for tests of the cut-off's exactness.
SEED_ALL = False


def context_reach(settings: RankSettings) -> tuple[int, float]:
    """(window, total weight) of the context smoothing."""
    if settings.context_window < 1 or (settings.context_prev == 0 and settings.context_next == 0):
        return 0, 0.0
    total = sum(
        (settings.context_prev + settings.context_next) * settings.context_decay ** (d - 1)
        for d in range(1, settings.context_window + 1)
    )
    return settings.context_window, total


#: Term pruning applies from this many passages on (below, everything is scored).
PRUNE_MIN_PASSAGES = 50_000
#: A term is *common* when more than this share of the passages hold it.
COMMON_SHARE = 1 / 2


def retrieve(index: "Index", vector: QueryVector, settings: RankSettings, mask: np.ndarray | None,
             *, k: int, pool: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(passages ascending, base scores, final scores), restricted to ``mask``.

    Exact for the best ``k`` final scores and the best ``pool`` base scores;
    reads only the query terms' postings and avoids work per passage:

    * **Seeds.** Base scores are summed per passage (a sort, or a dense
      ``bincount`` when postings are many). Context scores are computed only
      around *seeds*, the passages whose base score is at least a cut-off
      ``c``: a passage with no seed within the context window scores less than
      ``c * (1 + context weights)``.
    * **Common terms** (held by more than half of the passages, in indexes of
      50,000 passages or more) are not summed over all their postings: they
      are looked up for the passages around the seeds only, and bounded
      elsewhere by their largest possible contribution (MaxScore).

    When the k-th best final score (and the ``pool``-th best base score)
    reaches the bound, the result is exact; else the cut-off is lowered (4x
    more seeds), and in the end every posting is summed.
    """
    a = index._arrays
    n = len(index.passages)
    offsets = a["offsets"]
    terms = []
    for t, w in zip(vector.term_ids, vector.weights):
        lo, hi = int(offsets[t]), int(offsets[t + 1])
        if hi > lo and w != 0.0:
            terms.append((t, float(w), lo, hi))
    if not terms:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    common = []
    if n >= PRUNE_MIN_PASSAGES:
        common = [term for term in terms if term[3] - term[2] > n * COMMON_SHARE]
        if len(common) == len(terms):
            common = []
    found = _retrieve(index, terms, common, vector, settings, mask, k, pool)
    if found is None:
        found = _retrieve(index, terms, [], vector, settings, mask, k, pool)
    assert found is not None
    return found


def _retrieve(index: "Index", terms: list, common: list, vector: QueryVector, settings: RankSettings,
              mask: np.ndarray | None, k: int, pool: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """One strategy of :func:`retrieve` (None: pruning by ``common`` failed)."""
    a = index._arrays
    n = len(index.passages)
    post_ids = a["post_ids"]
    scaled = index._scaled()
    if scaled is not None:  # length factor already in the weights
        post_w, factor = scaled, None
    else:
        post_w, factor = a["post_w"], index._length_factor()
    rare = [term for term in terms if term not in common]
    parts_i = [np.asarray(post_ids[lo:hi]) for _, _, lo, hi in rare]
    parts_w = [np.asarray(post_w[lo:hi], dtype=np.float64) * w for _, w, lo, hi in rare]
    ids = np.concatenate(parts_i) if len(parts_i) > 1 else parts_i[0]
    vals = np.concatenate(parts_w) if len(parts_w) > 1 else parts_w[0]
    if factor is not None:
        vals = vals * factor[ids]
    named_codes = (
        np.fromiter(vector.speakers, dtype=np.int32) if vector.speakers and settings.speaker_boost else None
    )
    boost = 1.0 + settings.speaker_boost if named_codes is not None else 1.0
    if named_codes is not None:
        vals = np.where(np.isin(a["speaker"][ids], named_codes), vals * boost, vals)
    if ids.size * 16 < n:
        cand_ids, cand_base = _sum_by_id(ids, vals, n)

        def rare_base(positions: np.ndarray) -> np.ndarray:
            return _align(positions, cand_ids, cand_base)

        sample_ids, sample_vals = cand_ids, cand_base

        def seeds_from(cut: float) -> np.ndarray:
            return cand_ids if cut <= 0.0 else cand_ids[cand_base >= cut]
    else:
        dense = np.bincount(ids, weights=vals, minlength=n)

        def rare_base(positions: np.ndarray) -> np.ndarray:
            return dense[positions]

        # thresholds from the passages holding the rarest terms (a subset:
        # its k-th best is a lower bound of the k-th best of all)
        by_size = sorted(range(len(rare)), key=lambda i: parts_i[i].size)
        chosen, count = [], 0
        for i in by_size:
            chosen.append(parts_i[i])
            count += parts_i[i].size
            if count >= 4 * (max(k, 0) + max(pool, 0) + 1):
                break
        sample_ids = _unique(np.concatenate(chosen)) if len(chosen) > 1 else chosen[0].astype(np.int64)
        sample_vals = dense[sample_ids]

        def seeds_from(cut: float) -> np.ndarray:
            return np.flatnonzero(dense >= cut) if cut > 0.0 else np.flatnonzero(dense > 0.0)

    def base_at(positions: np.ndarray) -> np.ndarray:
        """Exact base scores at sorted distinct positions."""
        out = rare_base(positions)
        if common and positions.size:
            extra = np.zeros(positions.size)
            for _, w, lo, hi in common:
                plist = np.asarray(post_ids[lo:hi])
                j = np.minimum(np.searchsorted(plist, positions), plist.size - 1)
                hit = plist[j] == positions
                extra[hit] += w * np.asarray(post_w[lo + j[hit]], dtype=np.float64)
            if factor is not None:
                extra *= factor[positions]
            if named_codes is not None:
                extra = np.where(np.isin(a["speaker"][positions], named_codes), extra * boost, extra)
            out = out + extra
        return out

    # (1 + 1e-5): room for the float32 rounding of the stored maxima
    rest = boost * sum(w * index._max_contribution(t) for t, w, _, _ in common) * (1.0 + 1e-5)
    window, spread = context_reach(settings)
    doc = a["doc"]
    indexed = a["indexed_bool"]
    # The final score of a passage is at least its base score, so the k-th
    # best final score is at least the k-th best base score: seeding every
    # passage whose base score could matter next to it makes one round exact.
    best_k = _kth(sample_vals[mask[sample_ids]] if mask is not None else sample_vals, k)
    best_pool = _kth(sample_vals[mask[sample_ids]] if mask is not None else sample_vals, pool)
    cut = min(best_k / (1.0 + spread), best_pool) - rest
    if cut <= 0.0 and rest > 0.0:
        # the common terms' bound is loose against this estimate: probe with
        # the best seeds, whose final scores (common terms included) give a
        # better one
        every = rare_base(_unique(ids)) if sample_vals.size < 4 * PROBE_SEEDS else sample_vals
        probe = min(PROBE_SEEDS, every.size // 4)
        if probe > k:
            cut = float(np.partition(every, every.size - probe)[every.size - probe])
    if cut <= 0.0 or SEED_ALL:
        if rest > 0.0:
            return None
        cut = 0.0
    for _ in range(3):
        seeds = seeds_from(cut)
        spots = _around(seeds, window, n)
        spots = spots[indexed[spots]]
        # scores on the ring (spots and their neighbours), then context as
        # shifted slices of it; a shift is valid where the ring is contiguous
        # and stays in the same document
        ring = _around(spots, window, n)
        ring_base = base_at(ring)
        ring_final = ring_base.copy()
        ring_doc = doc[ring]
        for step in range(1, window + 1):
            if step >= ring.size:
                break
            decay = settings.context_decay ** (step - 1)
            valid = (ring[step:] - ring[:-step] == step) & (ring_doc[step:] == ring_doc[:-step])
            if settings.context_prev:
                ring_final[step:] += np.where(valid, ring_base[:-step], 0.0) * (settings.context_prev * decay)
            if settings.context_next:
                ring_final[:-step] += np.where(valid, ring_base[step:], 0.0) * (settings.context_next * decay)
        where = np.searchsorted(ring, spots)
        base = ring_base[where]
        final = ring_final[where]
        keep = final > 0
        if mask is not None:
            keep &= mask[spots]
        spots, base, final = spots[keep], base[keep], final[keep]
        # A passage with no seed within the window has every base score in
        # its window below cut + rest, so a final score below
        # (cut + rest) * (1 + spread). It cannot enter the top k when that is
        # at most the k-th best final score here (likewise the pool).
        need = min(_kth(final, k) / (1.0 + spread), _kth(base, pool))
        if cut + rest <= need:
            return spots.astype(np.int64), base, final
        if cut <= 0.0:
            return None  # every candidate is a seed: the common terms' bound is too loose
        # Next round: seed every passage that could matter (exact then).
        cut = max(0.0, need - rest)
        if cut <= 0.0 and rest > 0.0:
            return None
    return spots.astype(np.int64), base, final


def _around(positions: np.ndarray, window: int, n: int) -> np.ndarray:
    """Sorted distinct positions within ``window`` of sorted distinct
    ``positions``, inside [0, n): the merged intervals, expanded."""
    positions = positions.astype(np.int64, copy=False)
    if not window or positions.size == 0:
        return positions
    lo = np.maximum(positions - window, 0)
    hi = np.minimum(positions + window, n - 1)
    new = np.r_[True, lo[1:] > hi[:-1] + 1]
    block_lo = lo[new]
    block_hi = hi[np.r_[new[1:], True]]
    lengths = block_hi - block_lo + 1
    ends = np.cumsum(lengths)
    return np.repeat(block_lo - (ends - lengths), lengths) + np.arange(int(ends[-1]))


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort: numpy's hash-based ``unique`` is slow here)."""
    values = np.sort(values.astype(np.int64, copy=False))
    if values.size:
        values = values[np.r_[True, values[1:] != values[:-1]]]
    return values


def _kth(values: np.ndarray, k: int) -> float:
    """The k-th largest value (0 when there are fewer than k; inf when k <= 0)."""
    if k <= 0:
        return float("inf")
    if values.size < k:
        return 0.0
    return float(np.partition(values, values.size - k)[values.size - k])


def _phrase_passages(index: "Index", phrases: Sequence[str], mask: np.ndarray | None) -> np.ndarray:
    """Passages (ascending) that contain every quoted phrase, within ``mask``."""
    analyzer = index.analyzer
    patterns = [p for p in (_phrase_regex(ph, analyzer) for ph in phrases) if p is not None]
    allowed: np.ndarray | None = None
    for phrase in phrases:
        for term in analyzer(phrase):
            if " " in term:
                continue
            tid = index.term_id(term)
            if tid is None:
                return np.zeros(0, dtype=np.int64)
            ids = index._postings(tid)[0].astype(np.int64)
            allowed = ids if allowed is None else np.intersect1d(allowed, ids, assume_unique=True)
    if allowed is None:
        allowed = np.flatnonzero(index._arrays["indexed_bool"])
    if mask is not None:
        allowed = allowed[mask[allowed]]
    if not patterns:
        return allowed
    keep = [i for i in allowed.tolist() if all(p.search(index.passages[i].text) for p in patterns)]
    return np.asarray(keep, dtype=np.int64)


def _align(target: np.ndarray, cand: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """``vals`` (given for ``cand``) at ``target``; 0 where ``cand`` lacks it."""
    out = np.zeros(target.shape[0], dtype=np.float64)
    if cand.size and target.size:
        pos = np.minimum(np.searchsorted(cand, target), cand.size - 1)
        hit = cand[pos] == target
        out[hit] = vals[pos[hit]]
    return out


def _phrase_regex(phrase: str, analyzer: Any) -> re.Pattern | None:
    words = analyzer.words(phrase)
    if not words:
        return None
    body = r"[\W_]+".join(re.escape(w).replace("'", "['’]") for w in words)
    return re.compile(r"(?<![^\W_])" + body + r"(?![^\W_])", re.IGNORECASE)


