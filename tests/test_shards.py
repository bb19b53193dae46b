"""A segmented index searched shard by shard answers exactly as the single
index: the same passages in the same order (ties included), the same scores,
the same speakers with the same shares; in this process, on a LocalCluster's
threads and on its worker processes; and a build on a cluster writes the
index a single build writes."""

from __future__ import annotations

import math
import random
import shutil
import sys
from pathlib import Path

import pytest

from transcript_qa.errors import UnknownFilterValueError
from transcript_qa.incremental import add_files, apply_change, build_segmented, create, remove_documents
from transcript_qa.segments import read_manifest, read_segmented
from transcript_qa.shards import ShardedIndex, local_runner, open_local, split_segments

sys.path.insert(0, str(Path(__file__).parent))
from test_segments import FIXED_QUESTIONS, POOL, _doc  # noqa: E402


def _ranking(hits):
    return [(h.passage.id, h.score) for h in hits]


def _speakers(answers):
    return [(s.speaker, s.score, s.role, [h.passage.id for h in s.hits]) for s in answers]


def _assert_same(single, sharded, questions, filters=({},)):
    for q in questions:
        for flt in filters:
            try:
                want = _ranking(single.search(q, 10, **flt))
            except UnknownFilterValueError as err:
                with pytest.raises(UnknownFilterValueError) as caught:
                    sharded.search(q, 10, **flt)
                assert str(caught.value) == str(err)
                continue
            got = _ranking(sharded.search(q, 10, **flt))
            assert [i for i, _ in got] == [i for i, _ in want], (q, flt)
            assert all(math.isclose(a, b, abs_tol=1e-6) for (_, a), (_, b) in zip(got, want)), (q, flt)
            assert _speakers(sharded.who(q, 5, **flt)) == _speakers(single.who(q, 5, **flt)), (q, flt)


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A segmented index of five segments, grown by adds and a removal."""
    tmp = tmp_path_factory.mktemp("shards")
    corpus = tmp / "corpus"
    corpus.mkdir()
    names = sorted(POOL)
    rng = random.Random(5)
    rng.shuffle(names)
    for n in names[:3]:
        (corpus / n).write_text(POOL[n], encoding="utf-8")
    build_segmented(corpus, tmp / "seg")
    for n in names[3:8]:
        (corpus / n).write_text(POOL[n], encoding="utf-8")
        add_files(tmp / "seg", [corpus / n], merge=None)
    remove_documents(tmp / "seg", [Path(names[4]).stem], merge=None)
    return tmp / "seg"


def _questions(index, n=6, seed=3):
    rng = random.Random(seed)
    words = sorted({w for p in list(index.passages)[:400] for w in p.text.split() if w.isalpha() and len(w) > 6})
    speaker = index.speakers()[0].name
    return FIXED_QUESTIONS + [" ".join(rng.sample(words, 2)) for _ in range(n)] + [
        f"what did {speaker} say", '"the committee" budget']


@pytest.mark.parametrize("context_sources", [3, 200])
def test_shards_in_this_process_answer_as_the_single_index(grown, context_sources):
    """Few context sources make the shards' own best passages differ from the
    index's: the client's pick of the global sources must put that right."""
    single = read_segmented(grown).with_settings(context_sources=context_sources)
    groups = split_segments(read_manifest(grown), 3)
    assert len(groups) == 3
    sharded = ShardedIndex(grown, local_runner(grown, groups), len(groups), settings=single.settings)
    speaker = single.speakers()[0].name.split()[-1]
    _assert_same(single, sharded, _questions(single),
                 filters=({}, {"kind": "transcript"}, {"speaker": speaker}, {"speaker": "nobody-of-that-name"}))


def test_ask_gives_the_same_answer(grown):
    single, sharded = read_segmented(grown), open_local(grown, 2)
    for q in ["who discussed probation caseloads", "how many officers were there", "housing",
              "re-offending of probation officers", "organization of housing", "zorblax caseloads",
              "which ministers discussed housing", "which councillors discussed caseloads"]:
        a, b = single.ask(q, 5), sharded.ask(q, 5)
        assert _ranking(b.hits) == _ranking(a.hits)
        assert _speakers(b.speakers) == _speakers(a.speakers)
        assert (b.intent, b.terms, b.reason, b.unmatched) == (a.intent, a.terms, a.reason, a.unmatched)
        assert [h.snippet for h in b.hits] == [h.snippet for h in a.hits]


def test_ties_across_shards_follow_document_order(tmp_path):
    same = "The housing budget was discussed at length by the committee."
    texts = {d: [f"Opening remarks of meeting {d}.", same, f"Closing words for {d}."] for d in "abc"}
    create(tmp_path / "ix", [_doc("c", texts["c"])], settings={})
    apply_change(tmp_path / "ix", add=[_doc("a", texts["a"])], merge=None)
    apply_change(tmp_path / "ix", add=[_doc("b", texts["b"])], merge=None)
    for shards in (1, 2, 3):
        hits = open_local(tmp_path / "ix", shards).search("housing budget", k=3)
        assert [h.passage.id for h in hits] == ["a:1", "b:1", "c:1"]
        assert [h.rank for h in hits] == [1, 2, 3]


# --------------------------------------------------------------------------- on Dask


distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")


def test_sharded_on_a_local_cluster_in_process(grown):
    from transcript_qa.distributed import open_sharded

    single = read_segmented(grown)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    try:
        with distributed.Client(cluster) as client:
            sharded = open_sharded(client, grown)
            assert sharded.shards == 2
            _assert_same(single, sharded, _questions(single, n=3))
    finally:
        cluster.close()


def test_workers_that_cannot_open_the_index_are_one_clear_error(grown, tmp_path):
    from transcript_qa.distributed import DaskUnavailableError, open_sharded

    broken = tmp_path / "broken"
    shutil.copytree(grown, broken)
    shutil.rmtree(broken / read_manifest(broken)["segments"][0]["name"])
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None)
    try:
        with distributed.Client(cluster) as client:
            with pytest.raises(DaskUnavailableError, match="workers cannot open the index") as caught:
                open_sharded(client, broken)
            assert "shared file system" in (caught.value.hint or "")
    finally:
        cluster.close()


def test_build_and_search_on_worker_processes(tmp_path):
    """On a cluster of two worker processes, a build writes the index a single
    build writes (in one segment per worker), and the sharded search of it
    answers as the single index."""
    from transcript_qa.distributed import build_segmented_on, open_sharded

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in sorted(POOL)[:4]:
        (corpus / n).write_text(POOL[n], encoding="utf-8")
    build_segmented(corpus, tmp_path / "one")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with distributed.Client(cluster) as client:
            build_segmented_on(client, corpus, tmp_path / "dask")
            a, b = read_segmented(tmp_path / "dask"), read_segmented(tmp_path / "one")
            assert len(a.segments()) == 2 and len(b.segments()) == 1
            assert [p.id for p in a.passages] == [p.id for p in b.passages]
            assert a.speakers() == b.speakers() and a.glossary() == b.glossary()
            _assert_same(b, open_sharded(client, tmp_path / "dask"), FIXED_QUESTIONS[:4])
    finally:
        cluster.close()


def test_cli_ask_and_who_with_dask_local_print_what_they_print_without(grown):
    from click.testing import CliRunner

    from transcript_qa.cli import main

    runner = CliRunner()
    q = "who discussed probation caseloads"
    plain = runner.invoke(main, ["ask", q, "--index", str(grown), "-k", "3", "-f", "json"])
    dask = runner.invoke(main, ["ask", q, "--index", str(grown), "-k", "3", "-f", "json", "--dask", "local"])
    assert dask.exit_code == 0, dask.output
    assert dask.stdout == plain.stdout
