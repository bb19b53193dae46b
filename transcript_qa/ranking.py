"""Ranking: scores of passages for a question, and the exact top k.

Everything here works through the index's ranking interface
(:attr:`Index.segment`, :attr:`Index.stats`, :meth:`Index.score_table`,
:meth:`Index.column`) and needs only numpy.

The score of passage *d* for query *q* (settings in :class:`RankSettings`):

1. **Terms.** ``q`` is the query vector of :mod:`transcript_qa.query` (each
   term's weight holds its idf). A term ``t`` weighs ``W(t) = q(t)`` under
   BM25, ``q(t) * idf(t)`` under tf-idf (:mod:`transcript_qa.segment`); a
   bigram ``bigram_weight`` times that, times the share of its uses that
   chance adjacency of its words does not explain (:func:`phrase_share`).
   Acronym expansion adds the long form's terms (and back), at
   ``expansion_weight`` times the weight of what triggered them.
2. **Best part.** A part scores ``sum over t of W(t) * T(code(t, part))``,
   the terms added in *plan order* (rarest first: by document frequency,
   then term number); a passage scores its best part (long passages are cut
   into parts of whole sentences at build time).
3. **Speaker match.** When the question names a speaker, passages of that
   speaker score ``base * (1 + speaker_boost)``.
4. **Context lifts, it does not invent.** The ``context_sources`` passages
   with the best base scores (ties: passage order; filters aside) lift their
   neighbours: a passage that matches a query term gets
   ``context_prev * decay ** (s - 1)`` times the base score of the source
   ``s`` before it and ``context_next * decay ** (s - 1)`` times the one
   ``s`` after it (same document, ``s`` up to ``context_window``), added in
   that order for s = 1, 2, ...; a passage matching no term is never a hit.
   Relevant turns come in runs, and a question lifts the answer after it;
   taking context from the best passages only makes it cheap (the top k
   needs no bound of what context could add) and changes nothing else.

Ties are broken by passage order, so rankings are deterministic.

The exact top k is found by :mod:`transcript_qa.topk` (which also takes a
question to its scores, :func:`transcript_qa.topk.score`) without scoring
every posting (MaxScore); :func:`exhaustive` scores everything and is the
reference it is tested against. Speakers for "who" questions are ranked from
these scores in :mod:`transcript_qa.who`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from transcript_qa.query import QueryVector
from transcript_qa.segment import TFIDF
from transcript_qa.settings import RankSettings

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index

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
    """Scores of the candidate passages for one question (exact for the best
    ``k`` by final score and the best ``pool`` by base score)."""

    cand: np.ndarray  # passage numbers, ascending
    base: np.ndarray  # best part's score (with the speaker boost), before context
    final: np.ndarray  # after context
    vector: QueryVector
    reason: str | None
    asking: bool = False  # the question asks who asked (question turns count more)
    part: np.ndarray | None = None  # the best part of each candidate (part number)
    weights: tuple[float, ...] = ()  # W(t) of each vector term (0: not searched)
    people: str | None = None  # "which ministers ...": the kind of speaker asked for

    def part_of(self, number: int) -> int | None:
        """The part that scored for passage ``number`` (None: not a candidate)."""
        if self.part is None or self.cand.size == 0:
            return None
        i = int(np.searchsorted(self.cand, number))
        return int(self.part[i]) if i < self.cand.size and int(self.cand[i]) == number else None


@dataclass(frozen=True)
class Plan:
    """What :func:`retrieve` needs of a question: its terms and weights, and
    the passages it may return."""

    terms: tuple[int, ...]  # term numbers with postings, in plan order (rarest first)
    weights: tuple[float, ...]  # W(t)
    bounds: tuple[float, ...]  # W(t) times the term's largest possible score
    speakers: frozenset[int]  # speaker codes boosted
    mask: np.ndarray | None  # passages that may be returned (None: every indexed one)


def term_weights(index: "Index", vector: QueryVector, settings: RankSettings) -> tuple[float, ...]:
    """W(t) for each term of the vector (0 for a term with no postings)."""
    seg = index.segment
    if not vector.term_ids:
        return ()
    tids = np.asarray(vector.term_ids, dtype=np.int64)
    df = seg.df[tids].tolist()  # one look-up for all terms
    idf = index.idf[tids].tolist() if settings.scoring == TFIDF else None
    bigram = float(settings.bigram_weight)
    out = []
    for i, (t, w) in enumerate(zip(vector.term_ids, vector.weights)):
        share = bigram_share(index, t, settings) if df[i] and t >= seg.n_unigrams else 1.0
        if not df[i] or not share:
            out.append(0.0)
            continue
        value = float(w) * float(idf[i]) if idf is not None else float(w)
        out.append(value * bigram * share if t >= seg.n_unigrams else value)
    return tuple(out)


def bigram_share(index: "Index", t: int, settings: RankSettings) -> float:
    """What share of its weight bigram ``t`` keeps: :func:`phrase_share` of
    its document frequency and its words' (1 where a word is unknown).
    Global statistics only, so segments rank as one index built whole."""
    first, _, second = index.term_text(t).partition(" ")
    a, b = index.term_id(first), index.term_id(second)
    if a is None or b is None:
        return 1.0
    seg = index.segment
    return phrase_share(int(seg.df[t]), int(seg.df[a]), int(seg.df[b]), index.stats.total_length,
                        float(settings.bigram_evidence))


def phrase_share(df_ab: int, df_a: int, df_b: int, total_length: int, min_evidence: float = 0.0) -> float:
    """The share of the ``k = df_ab`` parts holding bigram "a b" that chance
    does not explain: ``max(0, 1 - E / k)`` with ``E = df_a df_b / T``; 0 when
    the evidence :func:`collocation_evidence` is below ``min_evidence``.

    ``E`` is how many times words of those document frequencies would stand
    side by side if the ``T`` (``total_length``) term positions of the
    collection were shuffled: each of about ``T`` adjacent pairs is "a b"
    with probability ``(df_a / T) (df_b / T)`` (a document frequency stands
    in for the word's count). If the bigram's parts are ``E`` chance meetings
    plus ``k - E`` uses as a phrase, ``1 - E / k`` is the share of phrase
    uses (the maximum-likelihood estimate under a Poisson count). A real
    phrase ("agency staff": k far above E) keeps nearly all its weight; two
    common words that meet by chance (k about E) keep none or little; two
    rare words that meet once (E tiny) keep it all."""
    counts = _observed_and_chance(df_ab, df_a, df_b, total_length)
    if counts is None:
        return 1.0
    k, expected = counts
    if k <= expected:
        return 0.0
    if min_evidence > 0 and collocation_evidence(df_ab, df_a, df_b, total_length) < min_evidence:
        return 0.0
    return 1.0 - expected / k


def collocation_evidence(df_ab: int, df_a: int, df_b: int, total_length: int) -> float:
    """Dunning's log-likelihood ratio ``G2 = 2 (k ln(k / E) - (k - E))`` of
    the Poisson count ``k = df_ab`` against chance, ``E = df_a df_b / T``
    (see :func:`phrase_share`), when ``k > E``; else 0. Under chance it is
    about chi-square with one degree of freedom (3.84: the 5% level)."""
    counts = _observed_and_chance(df_ab, df_a, df_b, total_length)
    if counts is None or counts[0] <= counts[1]:
        return 0.0
    k, expected = counts
    if expected <= 0.0:
        return math.inf
    return 2.0 * (k * math.log(k / expected) - (k - expected))


def _observed_and_chance(df_ab: int, df_a: int, df_b: int, total_length: int) -> tuple[float, float] | None:
    """(k, E) of :func:`phrase_share`, or None with no bigram or no collection."""
    if df_ab <= 0 or total_length <= 0:
        return None
    return float(df_ab), float(df_a) * float(df_b) / float(total_length)


def make_plan(index: "Index", term_ids: Sequence[int], weights: Sequence[float], settings: RankSettings, *,
              speakers: frozenset[int] = frozenset(), mask: np.ndarray | None = None) -> Plan:
    """The terms with a weight, in plan order, with their bounds."""
    table = index.score_table(settings)
    seg = index.segment
    df = seg.df
    items = []
    for t, w in zip(term_ids, weights):
        if w != 0.0:
            tf, lbyte = seg.bound(int(t))
            bound = w * float(table[(tf << 8) | lbyte]) * (1.0 + BOUND_SLACK)
            items.append((int(df[t]), int(t), float(w), bound))
    items.sort()
    return Plan(terms=tuple(t for _, t, _, _ in items), weights=tuple(w for _, _, w, _ in items),
                bounds=tuple(b for _, _, _, b in items), speakers=speakers, mask=mask)


#: Bounds are raised by this share, so float rounding never drops a passage.
BOUND_SLACK = 1e-9


def context_weights(settings: RankSettings) -> tuple[tuple[float, float], ...]:
    """(weight of the passage s before, weight of the one s after) for s = 1, 2, ..."""
    if settings.context_window < 1 or (settings.context_prev == 0 and settings.context_next == 0):
        return ()
    return tuple(
        (float(settings.context_prev) * float(settings.context_decay) ** (s - 1),
         float(settings.context_next) * float(settings.context_decay) ** (s - 1))
        for s in range(1, int(settings.context_window) + 1)
    )


# =========================================================================== the reference


def exhaustive(index: "Index", plan: Plan, settings: RankSettings
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every matching passage scored (passages, base, final, best part): the
    definition :mod:`transcript_qa.topk` must agree with."""
    seg = index.segment
    table = index.score_table(settings)
    decoded = [seg.decode(t) for t in plan.terms]
    parts = distinct(np.concatenate([p for p, _ in decoded])) if decoded else np.zeros(0, dtype=np.int64)
    acc = np.zeros(parts.size)
    for (p, codes), w in zip(decoded, plan.weights):
        np.add.at(acc, np.searchsorted(parts, p), w * table[codes])
    passages, base, best = best_parts(np.asarray(seg.part_passage)[parts], parts, acc)
    base = boost(index, passages, base, plan, settings)
    lend = sources(passages, base, settings)
    if settings.context_invents and context_weights(settings):
        passages, base, best, lend = _with_silent_neighbours(index, passages, base, best, lend, settings)
    final = with_context(index, passages, base, settings, lend)
    keep = final > 0
    if plan.mask is not None:
        keep &= plan.mask[passages]
    return passages[keep], base[keep], final[keep], best[keep]


def _with_silent_neighbours(index: "Index", passages: np.ndarray, base: np.ndarray, best: np.ndarray,
                            lend: np.ndarray, settings: RankSettings):
    """``context_invents``: the sources' indexed neighbours that match
    nothing join the passages, at base 0 (context alone can lift them)."""
    window = len(context_weights(settings))
    doc = index.column("document")
    indexed = index.column("indexed")
    src = passages[lend]
    offsets = np.r_[-window:0, 1:window + 1]
    near = (src[:, None] + offsets[None, :]).ravel()
    own = np.repeat(src, offsets.size)
    ok = (near >= 0) & (near < doc.shape[0])
    near, own = near[ok], own[ok]
    near = near[(doc[near] == doc[own]) & indexed[near]]
    silent = np.setdiff1d(near, passages)
    order = np.argsort(np.r_[passages, silent], kind="stable")
    return (np.r_[passages, silent][order], np.r_[base, np.zeros(silent.size)][order],
            np.r_[best, np.full(silent.size, -1, dtype=np.int64)][order],
            np.r_[lend, np.zeros(silent.size, dtype=bool)][order])


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a stable sort, fast on concatenated sorted
    runs: much faster here than numpy's hashing ``unique``)."""
    values = np.sort(values, kind="stable")
    return values[np.r_[True, values[1:] != values[:-1]]] if values.size else values


def sources(passages: np.ndarray, base: np.ndarray, settings: RankSettings) -> np.ndarray:
    """Which of ``passages`` lend context: the ``context_sources`` best by
    base score (ties: passage order)."""
    n = int(settings.context_sources)
    if passages.size <= n:
        return base > 0
    chosen = np.zeros(passages.size, dtype=bool)
    if n <= 0:
        return chosen
    threshold = np.partition(base, base.size - n)[base.size - n]
    near = np.flatnonzero(base >= threshold)  # the n best and every tie with the n-th
    chosen[near[np.lexsort((passages[near], -base[near]))[:n]]] = True
    return chosen & (base > 0)


def best_parts(passage_of: np.ndarray, parts: np.ndarray, scores: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per passage (ascending): its best part's score and that part (the
    first one on a tie). ``passage_of`` ascends with ``parts``."""
    if passage_of.size < 2 or not np.any(passage_of[1:] == passage_of[:-1]):
        return passage_of.astype(np.int64), scores, parts
    start = np.flatnonzero(np.r_[True, passage_of[1:] != passage_of[:-1]])
    best = np.maximum.reduceat(scores, start)
    sizes = np.diff(np.r_[start, scores.size])
    at_max = np.flatnonzero(scores == np.repeat(best, sizes))
    group = np.searchsorted(start, at_max, side="right") - 1
    first = at_max[np.r_[True, group[1:] != group[:-1]]]
    return passage_of[start].astype(np.int64), best, parts[first]


def boost(index: "Index", passages: np.ndarray, base: np.ndarray, plan: Plan, settings: RankSettings) -> np.ndarray:
    """Base scores times (1 + speaker_boost) for passages of a named speaker."""
    if not plan.speakers or passages.size == 0:
        return base
    named = np.isin(index.column("speaker")[passages], np.fromiter(plan.speakers, dtype=np.int64))
    factor = 1.0 + float(settings.speaker_boost)
    return np.where(named, base * factor, base)


def with_context(index: "Index", passages: np.ndarray, base: np.ndarray, settings: RankSettings,
                 lend: np.ndarray) -> np.ndarray:
    """Final scores of ``passages`` (ascending, with their ``base`` scores):
    the context sum of the module doc, from the passages where ``lend`` is
    True (the sources; every source must be among ``passages``)."""
    final = base.copy()
    weights = context_weights(settings)
    if not weights or passages.size < 2 or not lend.any():
        return final
    doc = index.column("document")
    src = passages[lend]
    src_base = base[lend]
    src_doc = doc[src]
    n = passages.size
    # each source lends to the passages s after it (as "the one s before")
    # and s before it; per receiving passage the additions come in the
    # order s = 1, 2, ...: before, then after
    for s, (w_prev, w_next) in enumerate(weights, start=1):
        for offset, w in ((s, w_prev), (-s, w_next)):
            if w == 0.0:
                continue
            target = src + offset
            j = np.minimum(np.searchsorted(passages, target), n - 1)
            found = (passages[j] == target) & (doc[np.clip(target, 0, doc.shape[0] - 1)] == src_doc)
            final[j[found]] += w * src_base[found]
    return final


# =========================================================================== phrases


def phrase_passages(index: "Index", phrases: Sequence[str], mask: np.ndarray | None) -> np.ndarray:
    """Passages (ascending) that contain every quoted phrase, within ``mask``."""
    analyzer = index.analyzer
    patterns = [p for p in (_phrase_regex(ph, analyzer) for ph in phrases) if p is not None]
    part_passage = np.asarray(index.segment.part_passage)
    allowed: np.ndarray | None = None
    for phrase in phrases:
        for term in analyzer(phrase):
            if " " in term:
                continue
            tid = index.term_id(term)
            if tid is None:
                return np.zeros(0, dtype=np.int64)
            ids = distinct(part_passage[index.segment.decode(tid)[0]]).astype(np.int64)
            allowed = ids if allowed is None else np.intersect1d(allowed, ids, assume_unique=True)
    if allowed is None:
        allowed = np.flatnonzero(index.column("indexed"))
    if mask is not None:
        allowed = allowed[mask[allowed]]
    if not patterns:
        return allowed
    keep = [i for i in allowed.tolist() if _says_all(index.passages[i], patterns)]
    return np.asarray(keep, dtype=np.int64)


def _says_all(passage: Any, patterns: Sequence[re.Pattern]) -> bool:
    """Whether the passage holds every phrase: in its text, or in its
    speaker's name (indexed with it: '"Katie Lomas"' finds her turns)."""
    return all(p.search(passage.text) or (passage.speaker and p.search(passage.speaker)) for p in patterns)


def _phrase_regex(phrase: str, analyzer: Any) -> re.Pattern | None:
    words = analyzer.words(phrase)
    if not words:
        return None
    body = r"[\W_]+".join(re.escape(w).replace("'", "['’]") for w in words)
    return re.compile(r"(?<![^\W_])" + body + r"(?![^\W_])", re.IGNORECASE)
