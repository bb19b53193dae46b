"""Batch throughput on Dask: one process, then a LocalCluster with 1 and 2 workers.

    python benchmarks/dask_batch.py                 # 100k synthetic passages, 2,000 questions
    python benchmarks/dask_batch.py --passages 20000 --questions 400 --runs 1   # quick

Then the per-shard costs a deployment model needs (``--shard-queries``): the
same passages as a segmented index in two segments, questions one at a time on
it, on two shards in this process (shard work, client analysis and merge) and
on two Dask workers (latency, worker memory).

The corpus and questions are synthetic.py's generator (same seed), the index is
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
    parser.add_argument("--shard-queries", type=int, default=200,
                        help="questions timed one at a time for the per-shard costs (0: skip)")
    args = parser.parse_args(argv)

    import distributed

    import synthetic
    from transcript_qa.batch import Question, answer_questions
    from transcript_qa.build import build_index_from_passages, load_index
    from transcript_qa.distributed import answer_questions_on

    with tempfile.TemporaryDirectory(prefix="tqa-dask-") as tmp:
        work = Path(tmp)
        stats = synthetic.generate(args.passages, 42, work / "corpus.jsonl", work / "queries.json",
                                   batch_queries=max(args.questions, 1))
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

        _written(answer_questions(index, questions[: 2 * args.chunk], 10))  # warm, as the workers are below
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

        shard_costs = _shard_costs(work, _passages(work / "corpus.jsonl"), [q.question for q in questions],
                                   args.shard_queries) if args.shard_queries else {}

    base = results["one process"]["qps"]
    rows = [(name, r["qps"], r["seconds"], f"{r['qps'] / base:.2f}x") for name, r in results.items()]
    print(table(("configuration", "questions/s", "seconds", "vs one process"), rows,
                title=f"{len(questions)} questions over {stats['passages']:,} passages (median of {args.runs})"))
    data = {"machine": machine(), "corpus": stats, "build_s": round(build_s, 2), "questions": len(questions),
            "chunk": args.chunk, "runs": args.runs, "results": results, "shards": shard_costs}
    if shard_costs:
        print(json.dumps(shard_costs, indent=1))
    write_results(args.out, data)
    return data


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _shard_costs(work: Path, passages: list[Any], questions: list[str], n: int) -> dict[str, Any]:
    """What the 100M-passage model needs, measured: the same passages as a
    segmented index in 2 segments; bytes per passage; one question at a time on
    the single (segmented) index, on 2 shards in this process (each shard's
    own time, and the client's analysis and merge), and on 2 Dask workers
    (latency with the scheduler's round trips); each worker's memory."""
    import distributed

    from transcript_qa.distributed import open_sharded
    from transcript_qa.incremental import NewDocument, create
    from transcript_qa.model import Document
    from transcript_qa.segment_writer import _write_segment
    from transcript_qa.segments import read_segmented
    from transcript_qa.shards import open_local

    by_doc: dict[str, list[Any]] = {}
    for p in passages:
        by_doc.setdefault(p.document, []).append(p)
    docs = [NewDocument(Document(id=d, title=d, kind="transcript", date=None, path=f"{d}.txt"), tuple(ps))
            for d, ps in by_doc.items()]
    folder = work / "segmented"
    create(folder, docs, settings={}, groups=2,
           write_many=lambda f, groups, s: [_write_segment(f, g, s) for g in groups])
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    qs = questions[:n]

    def latencies(search) -> dict[str, float]:
        search(qs[0])
        times = []
        for q in qs:
            t = time.perf_counter()
            search(q)
            times.append(time.perf_counter() - t)
        times.sort()
        return {"p50_ms": round(1000 * times[len(times) // 2], 2), "p95_ms": round(1000 * times[int(len(times) * .95)], 2),
                "qps_one_at_a_time": round(len(times) / sum(times), 1)}

    single = read_segmented(folder)
    out: dict[str, Any] = {"passages": len(passages), "index_bytes": size,
                           "bytes_per_passage": round(size / len(passages), 1)}
    def read(answer):  # snippets are worked out when read (the shards work them out for the hits kept)
        for h in list(answer.hits) + [h for s in answer.speakers for h in s.hits]:
            h.snippet
        return answer

    out["single_segmented_ask"] = latencies(lambda q: read(single.ask(q, 10)))
    local = open_local(folder, 2)
    spent: dict[str, float] = {}
    run = local._run

    def timed_run(method, args):
        t = time.perf_counter()
        got = run(method, args)
        spent[method] = spent.get(method, 0.0) + time.perf_counter() - t
        return got

    local._run = timed_run
    t_all = time.perf_counter()
    out["two_shards_in_process_ask"] = latencies(lambda q: local.ask(q, 10))
    total = time.perf_counter() - t_all
    shard_s = sum(spent.values())
    out["per_query_ms"] = {"shard_work_per_shard": round(1000 * shard_s / 2 / (len(qs) + 1), 2),
                           **{f"{k}_round_both_shards": round(1000 * v / (len(qs) + 1), 2) for k, v in spent.items()},
                           "client_analysis_and_merge": round(1000 * (total - shard_s) / (len(qs) + 1), 2)}
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as client:
        sharded = open_sharded(client, folder)
        out["two_shards_on_dask_ask"] = latencies(lambda q: sharded.ask(q, 10))
        out["worker_max_rss_mb"] = sorted(round(v, 1) for v in client.run(_rss_mb).values())
    cluster.close()
    return out


if __name__ == "__main__":
    main()
