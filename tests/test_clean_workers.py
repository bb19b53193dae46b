"""Clean worker processes (the build's analysis on the other cores): results
in order, a task's error raised where the caller can catch it, a dead
worker reported (never a hang), and a script without a ``__main__`` guard
built on them without its top level running again."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from transcript_qa.clean_workers import CleanPool, WorkerGone


def test_results_come_back_in_task_order_from_several_workers():
    with CleanPool(2, "builtins:int", "operator:add", {}) as pool:  # state 0; 0 + i
        assert list(pool.map((i,) for i in range(25))) == list(range(25))


def test_an_error_in_a_task_is_raised_in_the_caller_with_its_own_type():
    with CleanPool(2, "builtins:dict", "operator:getitem", {"known": 1}) as pool:
        results = pool.map([("known",), ("unknown",), ("known",)])
        assert next(results) == 1
        with pytest.raises(KeyError, match="unknown") as raised:
            next(results)
    if sys.version_info >= (3, 11):  # the worker's traceback goes with the error
        assert "in a worker process" in "".join(raised.value.__notes__)


def test_a_worker_that_dies_is_reported_not_waited_for():
    with CleanPool(2, "os:getpid", "os:kill", {}) as pool:  # each worker kills itself
        with pytest.raises(WorkerGone, match="stopped"):
            list(pool.map([(signal.SIGKILL,)] * 4))


def test_stopping_early_stops_the_workers():
    pool = CleanPool(2, "builtins:int", "operator:add", {})
    procs = list(pool._procs)
    results = pool.map((i,) for i in range(100))
    assert next(results) == 0
    results.close()
    assert all(proc.poll() is not None for proc in procs)


@pytest.mark.slow
def test_a_script_without_a_main_guard_builds_on_worker_processes_and_runs_once(tmp_path):
    marker = tmp_path / "top-level-ran"
    script = tmp_path / "build_it.py"
    script.write_text(textwrap.dedent(f"""
        from pathlib import Path
        from transcript_qa import indexer
        from transcript_qa.build import build_index_from_passages
        from transcript_qa.model import Passage

        with open({str(marker)!r}, "a") as handle:
            handle.write("ran\\n")

        class RefuseInThisProcess:
            def __init__(self, *args, **kwargs):
                raise AssertionError("the chunks were analysed in the calling process")

        indexer.PARALLEL_MIN_PASSAGES = 10
        indexer.CHUNK_PASSAGES = 8
        indexer.ChunkAnalyser = RefuseInThisProcess  # the workers import their own
        passages = [Passage(id=f"p{{i}}", document=f"d{{i // 5}}", kind="transcript", title="t", date=None,
                            position=i % 5, text=f"Witness {{i}} spoke about probation caseloads and staffing.",
                            start=0, end=10, speaker=f"Speaker {{i % 3}}")
                    for i in range(60)]
        index = build_index_from_passages(passages, workers=2)
        print(index.search("caseloads", k=1)[0].passage.id)
    """))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("p")
    assert marker.read_text() == "ran\n"
