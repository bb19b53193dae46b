"""A build reads its passages once and keeps none of them: a generator of
millions of passages is indexed without being held, and the index reads its
passages back from disk as questions need them."""

from __future__ import annotations

import gc
import sys
import weakref

import numpy as np
import pytest

from transcript_qa import indexer
from transcript_qa.build import build_index_from_passages
from transcript_qa.clean_workers import WorkerGone
from transcript_qa.model import Passage

SHARED = "the probation service will publish its recovery plan for approved premises before the summer recess"


class _Tracked(Passage):
    """A Passage that can be watched with a weak reference."""

    __slots__ = ("__weakref__",)


def _passages(cls=Passage) -> list[Passage]:
    """Twelve meetings: turns by four speakers, a sentence two meetings share
    (a link), an acronym defined, questions, and a boilerplate line each."""
    rng = np.random.default_rng(3)
    words = "housing staff caseload officer court review budget risk plan contract supervision".split()
    out = []
    for d in range(12):
        doc = f"m{d}"
        turns = [("Chair", "Welcome to this meeting of the committee.", "procedural")]
        for t in range(int(rng.integers(6, 14))):
            speaker = ["Ana Ruiz", "Tom Vale", "Priya Shah", "Chair"][t % 4]
            text = " ".join(rng.choice(words, size=int(rng.integers(5, 40)))) + ("?" if t % 3 == 0 else ".")
            turns.append((speaker, text, None))
        if d in (2, 7):
            turns.append(("Tom Vale", f"As I said, {SHARED}.", None))
        if d == 4:
            turns.append(("Priya Shah", "Approved Premises (AP) beds are full in the region.", None))
        for i, (speaker, text, boilerplate) in enumerate(turns):
            out.append(cls(id=f"{doc}:{i}", document=doc, kind="transcript", title=f"Meeting {d}", date=None,
                           position=i, text=text, start=0, end=len(text), speaker=speaker, speaker_label=speaker,
                           boilerplate=boilerplate))
    return out


def _same(a, b) -> None:
    arrays_a, arrays_b = a.saved_arrays(), b.saved_arrays()
    assert set(arrays_a) == set(arrays_b)
    for name in arrays_a:
        assert np.array_equal(np.asarray(arrays_a[name]), np.asarray(arrays_b[name])), name
    assert list(a.passages) == list(b.passages)
    assert a.manifest["counts"] == b.manifest["counts"]
    assert a.saved_json() == b.saved_json()


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few passages, and worker processes from 20 passages on."""
    monkeypatch.setattr(indexer, "CHUNK_PASSAGES", 8)
    monkeypatch.setattr(indexer, "PARALLEL_MIN_PASSAGES", 20)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_generator_of_passages_builds_the_index_a_list_builds(small_chunks, workers):
    passages = _passages()
    from_list = build_index_from_passages(passages, workers=1)
    stages = []
    from_generator = build_index_from_passages((p for p in passages), workers=workers,
                                               progress=lambda stage, done, total: stages.append((stage, done, total)))
    _same(from_list, from_generator)
    assert from_list.manifest["counts"]["links"] >= 2 and from_list.glossary()
    analysing = [(done, total) for stage, done, total in stages if stage == "analysing passages"]
    indexed = from_list.manifest["counts"]["indexed"]
    assert analysing[0] == (0, 0)  # how many is not known until the generator ends
    assert analysing[-1] == (indexed, indexed)


def test_the_links_a_build_finds_are_on_the_passages_it_returns_and_saves(tmp_path):
    index = build_index_from_passages(_passages())
    shared = [p for p in index.passages if SHARED in p.text]
    assert len(shared) == 2
    assert [p.links for p in shared] == [(shared[1].id,), (shared[0].id,)]
    assert {p.id for p in index.passages if p.links} == {p.id for p in shared}
    index.save(tmp_path / "idx")
    from transcript_qa.build import load_index

    again = load_index(tmp_path / "idx", build=False)
    assert list(again.passages) == list(index.passages)


def test_a_build_keeps_none_of_the_passages_it_is_given():
    passages = _passages(_Tracked)
    watched = [weakref.ref(p) for p in passages]
    index = build_index_from_passages(iter(passages))
    del passages
    gc.collect()
    assert sum(ref() is not None for ref in watched) == 0
    hit = index.search("recovery plan for approved premises", k=1)[0]
    assert SHARED in hit.passage.text and hit.passage.speaker == "Tom Vale"


def test_a_build_keeps_none_of_the_strings_it_is_given():
    """What the index keeps of its passages (speakers, documents, titles,
    the acronyms they define) are its own copies: a caller that drops its
    corpus after the build gets all of its memory back."""
    passages = [
        Passage(id=p.id + "".join(["-", "x"]), document=p.document + "".join(["-", "d"]), kind=p.kind,
                title=p.title + "".join([" ", "t"]), date=None, position=p.position, text=p.text, start=p.start,
                end=p.end, speaker=p.speaker + "".join([" ", "s"]), speaker_label=p.speaker + "".join([" ", "l"]),
                role="".join(["Dir", "ector"]), organisation="".join(["Pro", "bation"]), boilerplate=p.boilerplate)
        for p in _passages()
    ]
    fields = ("id", "document", "title", "speaker", "speaker_label", "role", "organisation")
    strings = [getattr(p, name) for p in passages for name in fields]
    before = [sys.getrefcount(s) for s in strings]
    index = build_index_from_passages(passages)
    del passages
    gc.collect()
    after = [sys.getrefcount(s) for s in strings]
    # every string has lost its passage's reference, and nothing else holds it
    assert [s for s, b, a in zip(strings, before, after) if a != b - 1] == []
    hit = index.search("approved premises beds", k=1)[0]
    assert hit.passage.speaker == "Priya Shah s" and hit.passage.role == "Director"
    assert index.ask("what does AP stand for").hits


def test_workers_that_cannot_start_leave_the_whole_build_to_this_process(small_chunks, monkeypatch):
    """The pool takes a chunk and fails before any result: the build goes on
    here from the first chunk, and nothing is lost."""

    class NoWorkers:
        def __init__(self, *args, **kwargs) -> None:
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            pass

        def map(self, tasks):
            next(iter(tasks))
            raise WorkerGone("the worker processes have stopped")
            yield  # a generator, as the pool's is

    passages = _passages()
    expected = build_index_from_passages(passages, workers=1)
    monkeypatch.setattr(indexer, "CleanPool", NoWorkers)
    _same(expected, build_index_from_passages(iter(passages), workers=2))


def test_something_else_than_a_passage_is_named():
    with pytest.raises(TypeError, match="Passage objects, not dict"):
        build_index_from_passages([{"id": "a:0", "text": "hello"}])


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_in_the_callers_passages_is_raised_as_it_is_and_leaves_no_work_folder(small_chunks, workers):
    import tempfile
    from pathlib import Path

    def passages():
        for i, passage in enumerate(_passages()):
            if i == 60:
                raise ValueError("row 60 of the export is malformed")
            yield passage

    before = set(Path(tempfile.gettempdir()).glob("transcript-qa-build-*"))
    with pytest.raises(ValueError, match="row 60 of the export is malformed"):
        build_index_from_passages(passages(), workers=workers)
    assert set(Path(tempfile.gettempdir()).glob("transcript-qa-build-*")) == before
