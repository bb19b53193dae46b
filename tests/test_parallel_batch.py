"""Many questions on worker processes: the same answers, in the same order,
as one question at a time; an error in a worker is raised, a dead worker is
reported, never a hang."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from transcript_qa import parallel, search as search_module
from transcript_qa.build import build_index_from_passages
from transcript_qa.errors import QueryError, UnknownFilterValueError
from transcript_qa.model import Passage
from transcript_qa.parallel import WorkerError, can_fork, process_map

pytestmark = pytest.mark.skipif(not can_fork(), reason="worker processes are forked")

WORDS = [f"w{i}" for i in range(200)]


@pytest.fixture(scope="module")
def index():
    rng = np.random.default_rng(3)
    freq = 1.0 / np.arange(1, len(WORDS) + 1)
    passages = []
    for d in range(12):
        for i in range(30):
            words = list(rng.choice(WORDS, size=int(rng.integers(3, 80)), p=freq / freq.sum()))
            text = " ".join(" ".join(words[j:j + 10]).capitalize() + "." for j in range(0, len(words), 10))
            passages.append(Passage(id=f"d{d}:{i}", document=f"d{d}", kind="transcript", title="t", date=None,
                                    position=i, text=text, start=0, end=len(text), speaker=f"Speaker {i % 5}"))
    return build_index_from_passages(passages, part_chars=200)


def _questions(n: int) -> list[str]:
    rng = np.random.default_rng(11)
    return [" ".join(rng.choice(WORDS[:80], size=int(rng.integers(1, 5)))) for _ in range(n)]


def _seen(hits):
    return [(h.passage.id, h.score, h.rank, h.snippet, h.highlights, h.explain) for h in hits]


@pytest.fixture
def processes(monkeypatch):
    monkeypatch.setenv(search_module.WORKERS_ENV, "processes")


@pytest.fixture
def no_hang():
    """Fail (rather than hang the suite) if a test takes over a minute."""
    def stop(*_):
        raise TimeoutError("the batch hung")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_processes_give_the_answers_of_one_question_at_a_time(index, processes, no_hang):
    questions = _questions(70)
    serial = [_seen(index.search(q, k=5)) for q in questions]
    assert [_seen(hits) for hits in index.search_many(questions, k=5, workers=2)] == serial
    # filters and other settings travel with the questions
    tuned = index.with_settings(context_sources=3, speaker_boost=0.5)
    serial = [_seen(tuned.search(q, k=4, speaker="Speaker 2")) for q in questions[:20]]
    assert [_seen(h) for h in tuned.search_many(questions[:20], k=4, workers=3, speaker="Speaker 2")] == serial


def test_a_large_batch_on_many_cores_goes_to_processes_by_itself(index, monkeypatch, no_hang):
    monkeypatch.delenv(search_module.WORKERS_ENV, raising=False)
    used = []

    def spy(*args, **kwargs):
        used.append(True)
        return process_map(*args, **kwargs)

    monkeypatch.setattr(parallel, "process_map", spy)
    questions = _questions(search_module.PROCESS_MIN_QUERIES)
    workers = search_module.PROCESS_MIN_WORKERS
    assert [_seen(h) for h in index.search_many(questions, k=3, workers=workers)] == \
        [_seen(index.search(q, k=3)) for q in questions]
    assert used
    used.clear()
    index.search_many(questions[:5], k=3, workers=workers)  # a few questions: threads
    index.search_many(questions, k=3, workers=2)  # two cores: threads
    assert not used


def test_an_error_in_a_worker_is_raised_as_search_raises_it(index, processes, no_hang):
    questions = _questions(20)
    questions[13] = "   "
    with pytest.raises(QueryError) as serial:
        index.search(questions[13])
    with pytest.raises(QueryError) as batch:
        index.search_many(questions, k=3, workers=2)
    assert type(batch.value) is type(serial.value) and str(batch.value) == str(serial.value)


def test_an_error_whose_constructor_takes_other_arguments_keeps_its_type_and_hint(no_hang):
    def fail(x):
        if x == 2:
            raise UnknownFilterValueError("speaker", "Nobody", ["Somebody"], close=[])
        return x * 10

    out = list(process_map(fail, range(5), 2, chunk=2))
    assert out[:2] == [0, 10] and out[3:] == [30, 40]
    err = out[2]
    assert isinstance(err, UnknownFilterValueError)
    assert "Nobody" in str(err) and err.hint


def test_a_worker_that_dies_is_reported_not_waited_for(index, processes, monkeypatch, no_hang):
    questions = _questions(30)
    real = search_module._top

    def dies(index, question, *args, **kwargs):
        if question == questions[17]:
            os._exit(3)  # the worker process is gone (killed, out of memory)
        return real(index, question, *args, **kwargs)

    monkeypatch.setattr(search_module, "_top", dies)
    with pytest.raises(WorkerError, match="worker process died"):
        index.search_many(questions, k=3, workers=2)
    monkeypatch.setattr(search_module, "_top", real)
    assert len(index.search_many(questions, k=3, workers=2)) == 30  # a new pool next time
