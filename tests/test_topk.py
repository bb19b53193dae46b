"""The exact top k: what the pruned retrieval returns (numpy and compiled)
is what scoring every posting returns, passage for passage and score for
score, on random corpora and settings."""

from __future__ import annotations

import numpy as np
import pytest

from transcript_qa import topk
from transcript_qa.build import build_index_from_passages
from transcript_qa.model import Passage

WORDS = [f"w{i}" for i in range(300)]
FREQ = 1.0 / np.arange(1, 301)
FREQ /= FREQ.sum()


def _corpus(seed: int) -> list[Passage]:
    rng = np.random.default_rng(seed)
    passages = []
    for d in range(30):
        for i in range(int(rng.integers(5, 40))):
            n = int(rng.choice([1, 3, 10, 30, 200, 400]))
            words = list(rng.choice(WORDS, size=n, p=FREQ))
            text = " ".join(" ".join(words[j:j + 12]).capitalize() + "." for j in range(0, n, 12))
            passages.append(Passage(
                id=f"d{d}:{i}", document=f"d{d}", kind="transcript", title="t", date=None, position=i, text=text,
                start=0, end=len(text), speaker=f"Speaker {int(rng.integers(0, 8))}",
                boilerplate="metadata" if rng.random() < 0.05 else None))
    return passages


def _queries(seed: int, n: int) -> list[str]:
    rng = np.random.default_rng(seed + 1000)
    head = FREQ[:120] / FREQ[:120].sum()
    out = [" ".join(rng.choice(WORDS[:120], size=int(rng.integers(1, 6)), p=head)) for _ in range(n)]
    return out + [f"what did speaker {i % 8} say about {q}" for i, q in enumerate(out[:n // 5])]


def _answers(index, queries, filters):
    out = []
    for q in queries:
        hits = [(h.passage.id, h.score) for h in index.search(q, k=7, **filters)]
        who = [(s.speaker, s.score) for s in index.who(q, **filters)]
        out.append((hits, who))
    return out


SETTINGS = [
    {},
    {"context_sources": 4},
    {"context_sources": 15, "scoring": "bm25", "bigram_weight": 1.0},
    {"context_sources": 2, "context_window": 1, "context_next": 0.9},
    {"context_prev": 0.0, "context_next": 0.0},
    {"speaker_boost": 0.0, "context_sources": 6},
    {"context_invents": True, "context_sources": 5},
]


@pytest.fixture(scope="module")
def random_index():
    return build_index_from_passages(_corpus(7), part_chars=300)


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()) or "default")
@pytest.mark.parametrize("kernel", ["numpy", "numba"])
def test_pruned_retrieval_equals_scoring_everything(random_index, settings, kernel, monkeypatch):
    if kernel == "numba":
        pytest.importorskip("numba")
    index = random_index.with_settings(**settings)
    queries = _queries(7, 60)
    monkeypatch.setenv(topk.KERNEL_ENV, "numpy")
    monkeypatch.setattr(topk, "EXHAUSTIVE_POSTINGS", 10**12)
    for filters in ({}, {"speaker": "Speaker 2"}):
        expected = _answers(index, queries, filters)
        monkeypatch.setattr(topk, "EXHAUSTIVE_POSTINGS", 0)
        monkeypatch.setenv(topk.KERNEL_ENV, kernel)
        assert _answers(index, queries, filters) == expected
        monkeypatch.setenv(topk.KERNEL_ENV, "numpy")
        monkeypatch.setattr(topk, "EXHAUSTIVE_POSTINGS", 10**12)


def test_pruning_leaves_terms_unread(random_index, monkeypatch):
    """The test above is not vacuous: the kernel leaves common terms unread."""
    pytest.importorskip("numba")
    monkeypatch.setenv(topk.KERNEL_ENV, "numba")
    index = random_index.with_settings(context_sources=4)
    unread = 0
    for q in _queries(7, 60):
        index.search(q, k=5)
        space = topk._workspaces(index).take(index.segment.n_parts, len(index.passages))
        terms = len({index.term_id(t) for t in index.analyzer(q)} - {None})
        unread += int(space.diag[0]) < terms
        topk._workspaces(index).give(space)
    assert unread >= 10


def test_neighbours_are_scored_only_when_they_could_reach_the_top_k(random_index, monkeypatch):
    """The kernel scores a source's neighbour only when a bound says it could
    be among the k best: fewer than every neighbour for a search, none for
    "who" (base scores only); the answers are those of scoring everything
    (the test above)."""
    pytest.importorskip("numba")
    monkeypatch.setenv(topk.KERNEL_ENV, "numba")
    monkeypatch.setattr(topk, "EXHAUSTIVE_POSTINGS", 0)
    index = random_index.with_settings(context_sources=30)
    fewer = 0
    for q in _queries(7, 40):
        index.who(q)
        space = topk._workspaces(index).take(index.segment.n_parts, len(index.passages))
        assert space.diag[3] == 0
        topk._workspaces(index).give(space)
        index.search(q, k=3)
        space = topk._workspaces(index).take(index.segment.n_parts, len(index.passages))
        fewer += int(space.diag[3]) < 2 * 30
        topk._workspaces(index).give(space)
    assert fewer >= 20


def test_context_comes_from_the_best_passages_only():
    """With one context source, the best passage lifts its neighbours; a
    neighbour of a weaker match is not lifted, and a passage matching
    nothing is never a hit."""
    text = ["alpha", "alpha beta", "alpha", "zeta", "alpha", "beta"]
    passages = [Passage(id=f"m:{i}", document="m", kind="transcript", title="m", date=None, position=i, text=t,
                        start=0, end=len(t)) for i, t in enumerate(text)]
    index = build_index_from_passages(passages, context_sources=1, context_window=1)
    scores = {h.passage.id: h.score for h in index.search("alpha beta", k=6)}
    alone = {h.passage.id: h.score for h in index.with_settings(context_prev=0.0, context_next=0.0)
             .search("alpha beta", k=6)}
    assert max(alone, key=alone.get) == "m:1"
    assert "m:3" not in scores  # matches nothing
    assert scores["m:0"] > alone["m:0"] and scores["m:2"] > alone["m:2"]  # beside the best
    assert scores["m:4"] == alone["m:4"]  # beside "beta", not a source


def test_a_long_statement_is_scored_by_its_best_part():
    """A long turn that answers in one of its sentences is not diluted by its
    length, and the part that scored is known (for snippets)."""
    filler = " ".join(f"Sentence {i} is about the general business of the committee today." for i in range(60))
    answer = "The agency staff bill was thirty million pounds last year."
    long_text = filler + " " + answer + " " + filler
    passages = [Passage(id="m:0", document="m", kind="transcript", title="m", date=None, position=0,
                        text=long_text, start=0, end=len(long_text)),
                Passage(id="m:1", document="m", kind="transcript", title="m", date=None, position=1,
                        text="Agency matters were noted.", start=0, end=26)]
    index = build_index_from_passages(passages, context_prev=0.0, context_next=0.0)
    from transcript_qa.search import run_search
    from transcript_qa.filters import make_filters

    hits, scored = run_search(index, "agency staff bill", 2, make_filters({}), index.settings)
    assert hits[0].passage.id == "m:0"
    start, end = index.part_span(scored.part_of(0))
    assert answer in long_text[start:end] and end - start < len(long_text) / 3
    assert "thirty million pounds" in hits[0].snippet  # the snippet comes from the part that scored
    whole = build_index_from_passages(passages, part_chars=0, context_prev=0.0, context_next=0.0)
    assert whole.search("agency staff bill", k=2)[0].score < hits[0].score  # diluted when scored whole


@pytest.mark.parametrize("kernel", ["numpy", "numba"])
def test_passages_tied_at_the_threshold_are_all_weighed(kernel, monkeypatch):
    """Many passages with exactly the same score, more than the sources and
    results asked for: the pruned retrieval picks what scoring everything
    picks (ties at a threshold are candidates, not dropped)."""
    if kernel == "numba":
        pytest.importorskip("numba")
    texts = ["The caseload review is due.", "Housing caseload review and staffing.", "Staffing is short.",
             "The review of housing is due.", "Nothing on this."]
    passages = []
    for d in range(12):
        for i in range(20):
            text = texts[(i * 7 + d) % len(texts)]
            passages.append(Passage(id=f"d{d}:{i}", document=f"d{d}", kind="transcript", title="t", date=None,
                                    position=i, text=text, start=0, end=len(text), speaker=f"Speaker {i % 5}"))
    index = build_index_from_passages(passages).with_settings(context_sources=7)
    queries = ["caseload review", "housing caseload", "review staffing", "caseload"]
    monkeypatch.setenv(topk.KERNEL_ENV, "numpy")
    monkeypatch.setattr(topk, "EXHAUSTIVE_POSTINGS", 10**12)
    expected = _answers(index, queries, {})
    assert len({score for _, score in expected[0][0]}) < 7  # the hits are tied
    monkeypatch.setattr(topk, "EXHAUSTIVE_POSTINGS", 0)
    monkeypatch.setenv(topk.KERNEL_ENV, kernel)
    assert _answers(index, queries, {}) == expected


def test_blocks_of_unread_terms_leave_out_candidates(random_index, monkeypatch):
    """With terms left unread, a part is looked up only when its partial
    score plus its blocks' bounds of those terms could reach a threshold:
    fewer parts than the terms' bounds over all their blocks let through
    (the answers are still those of scoring everything: the first test)."""
    pytest.importorskip("numba")
    monkeypatch.setenv(topk.KERNEL_ENV, "numba")
    monkeypatch.setattr(topk, "EXHAUSTIVE_POSTINGS", 0)
    index = random_index.with_settings(context_sources=4)
    within_rest = looked_up = 0
    for q in _queries(7, 60):
        index.search(q, k=5)
        space = topk._workspaces(index).take(index.segment.n_parts, len(index.passages))
        within_rest += int(space.diag[6])
        looked_up += int(space.diag[7])
        topk._workspaces(index).give(space)
    assert 0 < looked_up < within_rest
