"""Batch throughput on Dask: one process, then a LocalCluster with 1 and 2 workers.

    python benchmarks/dask_batch.py                 # 100k synthetic passages, 2,000 questions
    python benchmarks/dask_batch.py --passages 20000 --questions 400 --runs 1   # quick

The corpus and questions are scale.py's generator (same seed), the index is
built once and saved; every configuration answers the same questions with
``ask`` (passages and speakers) and writes them as ``batch`` does (JSON Lines
with snippets); the output is checked to be identical.
Results go to ``benchmarks/results/dask_batch.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, table, write_results  # noqa: E402


def _passages(corpus: Path) -> list[Any]:
    from transcript_qa.model import Passage

    out = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            pid, doc, pos, speaker, text = json.loads(line)
            out.append(Passage(id=pid, document=doc, kind="transcript", title=doc, date=None, position=pos,
                               text=text, start=0, end=len(text), speaker=speaker, speaker_label=speaker))
    return out


def _written(answers) -> list[str]:
    """What ``batch`` writes (JSON Lines, snippets included), one line per answer."""
    import io

    from transcript_qa import output

    stream = io.StringIO()
    output.write_answers(answers, stream, "jsonl")
    return stream.getvalue().splitlines()


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3, help="runs per configuration (median reported)")
    parser.add_argument("--chunk", type=int, default=32)
    parser.add_argument("--out", default="dask_batch")
    args = parser.parse_args(argv)

    import distributed

    import scale
    from transcript_qa.batch import Question, answer_questions
    from transcript_qa.build import build_index_from_passages, load_index
    from transcript_qa.distributed import answer_questions_on

    with tempfile.TemporaryDirectory(prefix="tqa-dask-") as tmp:
        work = Path(tmp)
        scale.BATCH_QUERIES = max(args.questions, 1)
        stats = scale.generate(args.passages, 42, work / "corpus.jsonl", work / "queries.json")
        queries = json.loads((work / "queries.json").read_text(encoding="utf-8"))["batch"][: args.questions]
        questions = [Question(id=str(i), question=q["query"]) for i, q in enumerate(queries)]
        t0 = time.perf_counter()
        build_index_from_passages(_passages(work / "corpus.jsonl")).save(work / "index")
        build_s = time.perf_counter() - t0
        index = load_index(work / "index", build=False)

        results: dict[str, Any] = {}
        reference = None

        def timed(name: str, run) -> None:
            nonlocal reference
            seconds = []
            for _ in range(args.runs):
                t = time.perf_counter()
                got = _written(run())
                seconds.append(time.perf_counter() - t)
                if reference is None:
                    reference = got
                if got != reference:
                    raise SystemExit(f"{name}: answers differ from the single-process batch")
            median = statistics.median(seconds)
            results[name] = {"seconds": round(median, 3), "qps": round(len(questions) / median, 1)}

        timed("one process", lambda: answer_questions(index, questions, 10))
        for workers in (1, 2):
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=None)
            with distributed.Client(cluster) as client:
                # warm: every worker opens the index once
                list(answer_questions_on(client, work / "index", questions[: workers * args.chunk], 10,
                                         chunk=args.chunk))
                timed(f"dask, {workers} worker{'s' if workers > 1 else ''}",
                      lambda: answer_questions_on(client, work / "index", questions, 10, chunk=args.chunk,
                                                  speaker_snippets=False))
            cluster.close()

    base = results["one process"]["qps"]
    rows = [(name, r["qps"], r["seconds"], f"{r['qps'] / base:.2f}x") for name, r in results.items()]
    print(table(("configuration", "questions/s", "seconds", "vs one process"), rows,
                title=f"{len(questions)} questions over {stats['passages']:,} passages (median of {args.runs})"))
    data = {"machine": machine(), "corpus": stats, "build_s": round(build_s, 2), "questions": len(questions),
            "chunk": args.chunk, "runs": args.runs, "results": results}
    write_results(args.out, data)
    return data


if __name__ == "__main__":
    main()
