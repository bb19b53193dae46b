"""Batches on a Dask cluster answer exactly as on one machine, in order, and
survive a worker dying in the middle (nothing lost, nothing duplicated)."""

from __future__ import annotations

import io
import json
import os
import signal
import threading
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")

from transcript_qa.batch import Question, answer_questions  # noqa: E402
from transcript_qa.build import build_index  # noqa: E402
from transcript_qa.distributed import answer_questions_on, dask_client  # noqa: E402
from transcript_qa import output  # noqa: E402
from transcript_qa.model import Filters  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "corpora" / "mixed"
TOPICS = ["housing", "probation officers", "agency staff", "caseloads", "who discussed training",
          "vacancies", "accommodation", "the contract", "recruitment", "women"]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask") / "index"
    build_index(FIXTURES, folder)
    return folder


def _questions(n: int) -> list[Question]:
    return [Question(id=f"q{i}", question=TOPICS[i % len(TOPICS)] + ("" if i < len(TOPICS) else f" {i}"), line=i + 1,
                     path="questions.txt") for i in range(n)]


def _jsonl(answers) -> list[dict]:
    stream = io.StringIO()
    output.write_answers(answers, stream, "jsonl")
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_dask_batch_answers_like_the_local_batch_in_order(index_dir):
    from transcript_qa.build import load_index

    questions = _questions(25)
    local = _jsonl(answer_questions(load_index(index_dir, build=False), questions, 5))
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    with distributed.Client(cluster) as client:
        seen = []
        remote = _jsonl(answer_questions_on(client, index_dir, questions, 5, chunk=4,
                                            progress=lambda done, total: seen.append((done, total))))
    cluster.close()
    assert remote == local
    assert [a["id"] for a in remote] == [q.id for q in questions]
    assert seen[-1] == (25, 25) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_question_the_index_refuses_is_reported_and_the_rest_answered(index_dir):
    questions = [Question(id="ok", question="housing", line=1, path="q.jsonl"),
                 Question(id="bad", question="housing", filters=Filters(speaker="nobody at all"), line=2, path="q.jsonl"),
                 Question(id="ok2", question="caseloads", line=3, path="q.jsonl")]
    problems = []
    with dask_client(distributed.Client(processes=False, n_workers=1, dashboard_address=None)) as client:
        answers = list(answer_questions_on(client, index_dir, questions, 3, chunk=2, on_problem=problems.append))
        client.close()
    assert [a.id for a in answers] == ["ok", "ok2"]
    assert len(problems) == 1 and problems[0].line == 2 and "nobody at all" in problems[0].reason


def test_a_worker_dying_mid_batch_loses_and_duplicates_nothing(index_dir):
    questions = _questions(60)
    from transcript_qa.build import load_index

    expected = [a["id"] for a in _jsonl(answer_questions(load_index(index_dir, build=False), questions, 3))]
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    killed = threading.Event()
    with distributed.Client(cluster) as client:
        victim = sorted(client.scheduler_info()["workers"])[0]
        pid = client.run(os.getpid, workers=[victim])[victim]

        def progress(done: int, total: int) -> None:
            if done == 8 and not killed.is_set():
                killed.set()
                os.kill(pid, signal.SIGKILL)  # kill -9 of a worker process, mid-batch

        got = [a["id"] for a in _jsonl(answer_questions_on(client, index_dir, questions, 3, chunk=2,
                                                           progress=progress))]
    cluster.close()
    assert killed.is_set()
    assert got == expected  # every question once, in order


def test_cli_batch_with_dask_local_writes_the_same_file(index_dir, tmp_path):
    from click.testing import CliRunner

    from transcript_qa.cli import main

    questions = tmp_path / "q.txt"
    questions.write_text("\n".join(TOPICS[:6]) + "\n", encoding="utf-8")
    plain, dask = tmp_path / "plain.jsonl", tmp_path / "dask.jsonl"
    runner = CliRunner()
    first = runner.invoke(main, ["batch", str(questions), "--index", str(index_dir), "-o", str(plain)])
    second = runner.invoke(main, ["batch", str(questions), "--index", str(index_dir), "-o", str(dask),
                                  "--dask", "local"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert dask.read_text(encoding="utf-8") == plain.read_text(encoding="utf-8")


def test_an_unreachable_scheduler_is_a_one_line_error(index_dir, tmp_path):
    from click.testing import CliRunner

    from transcript_qa.cli import main

    questions = tmp_path / "q.txt"
    questions.write_text("housing\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(questions), "--index", str(index_dir),
                                       "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler" in result.output
    assert "Traceback" not in result.output
