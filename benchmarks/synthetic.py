"""Seeded synthetic meeting corpora and their known-item queries, for the
scale, known-item, incremental, fault and Dask benchmarks.

The generator (seeded, so every run sees the same text):

- passages are speaker-attributed turns of meetings (150 turns a meeting, six
  speakers each out of a pool that grows with the corpus), with word counts drawn
  from a log-normal fitted to the bundled corpus's paragraphs (median 27 words,
  mean about 50, long tail; clipped to 1..600);
- words follow a two-regime Zipf law, as real text does: rank r has probability
  proportional to 1/r for the 3,000 most common words, and to r**-1.8 beyond
  that, so the number of distinct words keeps growing with the corpus (Heaps'
  law, exponent about 0.55): about 27k distinct words at 10k passages, 97k at
  100k and 350k at 1M. Words are pronounceable letter strings ("bakodu"), not
  stop words, so every system indexes all of them;
- queries pick 2 to 5 words of a random target passage among its words outside
  the 30 most common, plus, for 30% of queries, one of those 30 common words.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

SINGLE_QUERIES = 200
BATCH_QUERIES = 1000

# Generator parameters (see the module docstring).
HEAD_RANKS = 3000
TAIL_EXPONENT = 1.8
LENGTH_LOG_MEAN = 3.11
LENGTH_LOG_SD = 1.30
MAX_WORDS = 600
TURNS_PER_MEETING = 150
SPEAKERS_PER_MEETING = 6
COMMON_RANKS = 30
SENTENCE_WORDS = 12

_ONSETS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _ONSETS for v in _VOWELS]  # 70 syllables


def word(rank: int, stop: frozenset[str]) -> str:
    """A pronounceable word for a 0-based frequency rank (shorter for common ranks)."""
    parts = []
    r = rank
    while True:
        parts.append(_SYLLABLES[r % len(_SYLLABLES)])
        r //= len(_SYLLABLES)
        if r == 0:
            break
        r -= 1
    w = "".join(parts)
    return w + "x" if w in stop or len(w) < 3 else w


def _stop_words() -> frozenset[str]:
    words: set[str] = set()
    try:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        words |= set(ENGLISH_STOP_WORDS)
    except ImportError:
        pass
    try:
        from bm25s.stopwords import STOPWORDS_EN

        words |= set(STOPWORDS_EN)
    except ImportError:
        pass
    return frozenset(words)


def sample_ranks(rng: Any, n: int) -> Any:
    """``n`` 0-based word ranks from the two-regime Zipf law."""
    import numpy as np

    harmonic = np.cumsum(1.0 / np.arange(1, HEAD_RANKS + 1))
    head_mass, tail_mass = harmonic[-1], 1.0 / (TAIL_EXPONENT - 1.0)
    p_tail = tail_mass / (head_mass + tail_mass)
    tail = rng.random(n) < p_tail
    ranks = np.empty(n, dtype=np.int64)
    ranks[~tail] = np.searchsorted(harmonic / harmonic[-1], rng.random(int((~tail).sum())))
    u = rng.random(int(tail.sum()))
    ranks[tail] = np.minimum(HEAD_RANKS * u ** (-1.0 / (TAIL_EXPONENT - 1.0)), 4e9).astype(np.int64)
    return ranks


def generate(n: int, seed: int, corpus_path: Path, queries_path: Path, *,
             batch_queries: int = BATCH_QUERIES) -> dict[str, Any]:
    """Write ``n`` passages (JSON Lines ``[id, meeting, position, speaker, text]``)
    and the queries (``{"single": [...], "batch": [...]}``, ``batch_queries`` of
    the batch); return corpus stats."""
    import numpy as np

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    stop = _stop_words()
    lengths = np.clip(np.rint(rng.lognormal(LENGTH_LOG_MEAN, LENGTH_LOG_SD, n)), 1, MAX_WORDS).astype(np.int64)
    ranks = sample_ranks(rng, int(lengths.sum()))
    unique, inverse = np.unique(ranks, return_inverse=True)
    vocab = np.array([word(int(r), stop) for r in unique], dtype=object)
    offsets = np.concatenate([[0], np.cumsum(lengths)])

    n_meetings = (n + TURNS_PER_MEETING - 1) // TURNS_PER_MEETING
    pool = max(20, n // 300)
    names = [f"{word(1000 + 7 * i, stop).capitalize()} {word(5000 + 13 * i, stop).capitalize()}" for i in range(pool)]
    meeting_speakers = rng.integers(0, pool, size=(n_meetings, SPEAKERS_PER_MEETING))
    weights = np.array([0.35, 0.25, 0.15, 0.1, 0.1, 0.05])
    slot = rng.choice(SPEAKERS_PER_MEETING, size=n, p=weights)

    with corpus_path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            words = vocab[inverse[offsets[i]:offsets[i + 1]]]
            sentences = [" ".join(words[j:j + SENTENCE_WORDS]) for j in range(0, len(words), SENTENCE_WORDS)]
            text = ". ".join(s.capitalize() for s in sentences) + "."
            meeting = i // TURNS_PER_MEETING
            speaker = names[meeting_speakers[meeting, slot[i]]]
            fh.write(json.dumps([f"m{meeting:06d}:{i % TURNS_PER_MEETING}", f"m{meeting:06d}",
                                 i % TURNS_PER_MEETING, speaker, text]) + "\n")

    def make_queries(count: int) -> list[dict[str, Any]]:
        out = []
        while len(out) < count:
            target = int(rng.integers(0, n))
            own = ranks[offsets[target]:offsets[target + 1]]
            content = np.unique(own[own >= COMMON_RANKS])
            if len(content) < 2:
                continue
            picked = list(rng.choice(content, size=min(len(content), int(rng.integers(2, 6))), replace=False))
            if rng.random() < 0.3:
                picked.append(int(rng.integers(0, COMMON_RANKS)))
            meeting = target // TURNS_PER_MEETING
            out.append({"query": " ".join(word(int(r), stop) for r in picked),
                        "target": f"m{meeting:06d}:{target % TURNS_PER_MEETING}"})
        return out

    queries = {"single": make_queries(SINGLE_QUERIES), "batch": make_queries(batch_queries)}
    queries_path.write_text(json.dumps(queries), encoding="utf-8")
    return {
        "passages": n,
        "meetings": n_meetings,
        "speakers": pool,
        "tokens": int(lengths.sum()),
        "mean_words": round(float(lengths.mean()), 1),
        "median_words": float(np.median(lengths)),
        "distinct_words": int(len(unique)),
        "generate_s": round(time.perf_counter() - t0, 2),
        "corpus_mb": round(corpus_path.stat().st_size / 2**20, 1),
    }


def parameters() -> dict[str, Any]:
    """The generator's parameters, as a results file records them."""
    return {"head_ranks": HEAD_RANKS, "tail_exponent": TAIL_EXPONENT,
            "length_lognormal": [LENGTH_LOG_MEAN, LENGTH_LOG_SD], "max_words": MAX_WORDS,
            "turns_per_meeting": TURNS_PER_MEETING, "common_ranks_in_queries": COMMON_RANKS}
