"""Scale: index build time, peak memory, index size, query latency and batch
throughput on seeded synthetic corpora, transcript_qa against its peers
(bm25s with the numpy and the numba backend, tantivy), in the same run.

The corpus and its queries come from :mod:`synthetic` (seeded, so every run
sees the same text).

Each system runs in a fresh subprocess (so peak memory, the RSS high-water mark,
is its own; it is reset with ``/proc/self/clear_refs`` once the corpus is
loaded, so "peak" covers build and queries; the harness drops its rows once the
system has built from them, so the queries' peak is the system's own and "+build" is what the build
added to the resident corpus and libraries; ``resource.getrusage`` gives the
whole process's mark, loading included), reads the same corpus file, builds its
index (libraries imported and corpus loaded beforehand, not timed), saves it
to a temporary folder (size on disk), answers 200 single
queries one call at a time (median and p95 latency, after 5 warm-up queries)
and a batch of 1,000 queries (throughput, the median of three runs, or of as
many as fit in 20 s; the batch API where the system has one; transcript_qa's
on every core with its default workers, on one core, and on forked worker
processes). All systems run single-threaded except tantivy's
indexer, which uses its own default thread pool.

    python benchmarks/scale.py                   # 10k and 100k passages
    python benchmarks/scale.py --full            # adds 1M passages
    python benchmarks/scale.py --sizes 2000      # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import _common  # noqa: F401  (puts the checkout on sys.path)
import synthetic
from _common import fmt, machine, table, write_results
from synthetic import BATCH_QUERIES, SINGLE_QUERIES, generate

SYSTEMS = ("transcript_qa", "transcript_qa-numpy", "bm25s-numpy", "bm25s-numba", "tantivy")
DEFAULT_SIZES = (10_000, 100_000)
FULL_SIZES = (10_000, 100_000, 1_000_000)
WARMUP = 5
#: every batch figure is the median of this many runs (of as many as fit in the budget, at least one)
BATCH_RUNS = 3
BATCH_BUDGET_S = 20.0
K = 10

# ------------------------------------------------------------------- workers


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset the RSS high-water mark (Linux >= 4.0: write 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_rss_mb() -> float:
    """The RSS high-water mark since the last reset (VmHWM), else since the start."""
    hwm = _status_mb("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    rss = _status_mb("VmRSS")
    return rss if rss is not None else _peak_rss_mb()


def _pss_kb(pid: int) -> int:
    """Proportional set size of a process (shared pages split among their users)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                out.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return out


#: The memory sampler's pause between samples: 20 ms, or ``SAMPLE_SHARE_INVERSE`` times as
#: long as a sample took. Reading ``smaps_rollup`` walks a process's page tables (14 ms for a
#: process mapping a 1 GB index, with its memory map locked meanwhile): sampling every 20 ms
#: took a third of a core from the system measured, and slowed its batch by a quarter.
SAMPLE_MS = 20
SAMPLE_SHARE_INVERSE = 20


class TreeMemory:
    """The peak memory of this process and its children (worker processes),
    summed as PSS, sampled on a thread every ``SAMPLE_MS`` ms or, when a sample
    takes longer than a twentieth of that, at twenty times its duration (the
    sampler then takes at most about 5% of a core)."""

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self._generation = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _sample() -> int:
        """This process and its children now, PSS in KB."""
        pids, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo.extend(_children(pid))
        return sum(_pss_kb(pid) for pid in pids)

    def _run(self) -> None:
        while not self._stop.is_set():
            began = time.perf_counter()
            generation = self._generation
            sample = self._sample()
            if generation == self._generation:  # a sample begun before a reset is not kept
                self.peak_kb = max(self.peak_kb, sample)
            self._stop.wait(max(SAMPLE_MS / 1000, SAMPLE_SHARE_INVERSE * (time.perf_counter() - began)))

    def peak(self) -> float:
        """The peak so far, MB, with a sample taken now: a phase shorter than the
        sampling interval (a tiny corpus's queries) still has one reading."""
        self.peak_kb = max(self.peak_kb, self._sample())
        return self.peak_kb / 1024

    def reset(self) -> None:
        """Start a new peak: samples begun from now on."""
        self._generation += 1
        self.peak_kb = 0

    def stop(self) -> float:
        """Stop sampling; the peak, MB (with a last sample taken now)."""
        self._stop.set()
        self._thread.join()
        return self.peak()


def _return_freed_memory() -> None:
    """Give the heap's free pages back to the system (glibc; elsewhere nothing)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


class Engine:
    """What a worker needs from a system: build, save, search, batch search."""

    def build(self, rows: list[list[Any]]) -> None: ...
    def save(self, folder: Path) -> None: ...
    def search(self, query: str) -> list[str]: ...

    def batch(self, queries: list[str]) -> list[list[str]]:
        return [self.search(q) for q in queries]

    def close(self) -> None: ...


class TranscriptQAEngine(Engine):
    def prepare(self, rows: list[list[Any]]) -> Any:
        import sklearn.feature_extraction.text  # noqa: F401  (imported by the build; not timed, as for the peers)
        import transcript_qa.build  # noqa: F401

        return rows

    def build(self, rows: Any) -> None:
        """Passages made from the rows as the build reads them (as tantivy's
        documents are, inside its timed build): the build keeps none."""
        from transcript_qa.build import build_index_from_passages
        from transcript_qa.model import Passage

        self.index = build_index_from_passages(
            Passage(id=pid, document=doc, kind="transcript", title=doc, date=None, position=pos, text=text,
                    start=0, end=len(text), speaker=speaker, speaker_label=speaker)
            for pid, doc, pos, speaker, text in rows)

    def save(self, folder: Path) -> None:
        self.index.save(folder)

    def search(self, query: str) -> list[str]:
        return [h.passage.id for h in self.index.search(query, k=K)]

    def batch(self, queries: list[str], workers: int | None = None) -> list[list[str]]:
        """All cores by default (``search_many`` on threads); ``workers=1``: one core."""
        return [[h.passage.id for h in hits] for hits in self.index.search_many(queries, k=K, workers=workers)]


class TranscriptQANumpyEngine(TranscriptQAEngine):
    """transcript_qa without its compiled kernels (no numba): the exact numpy path."""

    def prepare(self, rows: list[list[Any]]) -> Any:
        os.environ["TRANSCRIPT_QA_KERNEL"] = "numpy"
        return super().prepare(rows)


class BM25sEngine(Engine):
    def __init__(self, backend: str) -> None:
        self.backend = backend

    def prepare(self, rows: list[list[Any]]) -> Any:
        import bm25s

        self.bm25s = bm25s
        self.ids = [r[0] for r in rows]
        return [r[4] for r in rows]

    def build(self, texts: Any) -> None:
        bm25s = self.bm25s
        tokens = bm25s.tokenize(texts, show_progress=False)
        self.retriever = bm25s.BM25(backend=self.backend)
        self.retriever.index(tokens, show_progress=False)

    def save(self, folder: Path) -> None:
        self.retriever.save(str(folder))

    def _retrieve(self, queries: list[str]) -> list[list[str]]:
        tokens = self.bm25s.tokenize(queries, return_ids=False, show_progress=False)
        docs, _ = self.retriever.retrieve(tokens, k=K, show_progress=False)
        return [[self.ids[i] for i in row] for row in docs.tolist()]

    def search(self, query: str) -> list[str]:
        return self._retrieve([query])[0]

    def batch(self, queries: list[str]) -> list[list[str]]:
        return self._retrieve(queries)


class TantivyEngine(Engine):
    def prepare(self, rows: list[list[Any]]) -> Any:
        import tantivy

        self.tantivy = tantivy
        return rows

    def build(self, rows: Any) -> None:
        tantivy = self.tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("text", stored=False)
        builder.add_text_field("speaker", stored=False)
        builder.add_text_field("pid", stored=True, tokenizer_name="raw")
        self.folder = Path(tempfile.mkdtemp(prefix="tantivy-"))
        self.index = tantivy.Index(builder.build(), path=str(self.folder))
        writer = self.index.writer(heap_size=256_000_000)
        for pid, _, _, speaker, text in rows:
            writer.add_document(tantivy.Document(pid=pid, speaker=speaker, text=text))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def save(self, folder: Path) -> None:
        shutil.copytree(self.folder, folder, dirs_exist_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def search(self, query: str) -> list[str]:
        result = self.searcher.search(self.index.parse_query(query, ["text"]), K)
        return [self.searcher.doc(address)["pid"][0] for _, address in result.hits]


ENGINES: dict[str, Callable[[], Any]] = {
    "transcript_qa": TranscriptQAEngine,
    "transcript_qa-numpy": TranscriptQANumpyEngine,
    "bm25s-numpy": lambda: BM25sEngine("numpy"),
    "bm25s-numba": lambda: BM25sEngine("numba"),
    "tantivy": TantivyEngine,
}


def worker(system: str, corpus_path: Path, queries_path: Path) -> dict[str, Any]:
    """Run one system on one corpus; everything measured in this process."""

    engine = ENGINES[system]()
    with corpus_path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    queries = json.loads(queries_path.read_text(encoding="utf-8"))
    data = engine.prepare(rows)
    del rows
    import gc

    gc.collect()
    rss_before = _current_rss_mb()  # corpus and libraries loaded, nothing built
    peak_reset = _reset_peak()
    tree = TreeMemory()

    t0 = time.perf_counter()
    engine.build(data)
    build_s = time.perf_counter() - t0
    rss_build = _peak_rss_mb()
    peak_tree_build = tree.peak()
    # The harness's copy of the corpus is dropped once a system has built from
    # it (every system alike): from here on memory is the system's own.
    data_mb = _current_rss_mb()
    del data
    gc.collect()
    _return_freed_memory()
    data_mb = max(0.0, data_mb - _current_rss_mb())
    tree.reset()

    folder = Path(tempfile.mkdtemp(prefix=f"scale-{system}-"))
    try:
        t0 = time.perf_counter()
        engine.save(folder / "index")
        save_s = time.perf_counter() - t0
        size_mb = _dir_mb(folder / "index")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    single = [q["query"] for q in queries["single"]]
    for q in single[:WARMUP]:
        engine.search(q)
    latencies = []
    found = 0
    for q in queries["single"]:
        t0 = time.perf_counter()
        ids = engine.search(q["query"])
        latencies.append((time.perf_counter() - t0) * 1000)
        found += q["target"] in ids
    batch = [q["query"] for q in queries["batch"]]
    engine.batch(batch[:WARMUP])
    batch_s, results = _median_run(lambda: engine.batch(batch))
    found_batch = sum(q["target"] in ids for q, ids in zip(queries["batch"], results))
    batch_1_s = batch_p_s = None
    if isinstance(engine, TranscriptQAEngine):
        batch_1_s = _median_run(lambda: engine.batch(batch, workers=1))[0]
        os.environ["TRANSCRIPT_QA_WORKERS"] = "processes"  # every core on forked worker processes
        batch_p_s = _median_run(lambda: engine.batch(batch))[0]
        del os.environ["TRANSCRIPT_QA_WORKERS"]
    peak_tree = tree.stop()
    engine.close()
    latencies.sort()
    return {
        "build_s": round(build_s, 3),
        "save_s": round(save_s, 3),
        "index_mb": round(size_mb, 1),
        "rss_before_build_mb": round(rss_before, 1),
        "peak_rss_build_mb": round(rss_build, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "build_rss_mb": round(max(0.0, rss_build - rss_before), 1),
        "peak_reset": peak_reset,
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "query_median_ms": round(statistics.median(latencies), 3),
        "query_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        "queries": len(latencies),
        "batch_queries": len(batch),
        "batch_s": round(batch_s, 3),
        "batch_qps": round(len(batch) / batch_s, 1),
        "batch_qps_1core": round(len(batch) / batch_1_s, 1) if batch_1_s else None,
        "batch_qps_processes": round(len(batch) / batch_p_s, 1) if batch_p_s else None,
        "peak_tree_mb": round(max(peak_tree, peak_tree_build), 1),
        "peak_tree_build_mb": round(peak_tree_build, 1),
        "peak_tree_queries_mb": round(peak_tree, 1),
        "harness_rows_mb": round(data_mb, 1),
        "cores": os.cpu_count(),
        "target_in_top10": round(found / len(latencies), 3),
        "target_in_top10_batch": round(found_batch / len(batch), 3),
    }


def _median_run(call: Callable[[], Any]) -> tuple[float, Any]:
    """The median time of ``BATCH_RUNS`` calls (fewer once they have taken
    ``BATCH_BUDGET_S``: the slow systems), and the first call's result. One
    run of a batch varies by a tenth from run to run on a shared machine."""
    times: list[float] = []
    result = None
    while len(times) < BATCH_RUNS and sum(times) < BATCH_BUDGET_S:
        t0 = time.perf_counter()
        value = call()
        times.append(time.perf_counter() - t0)
        result = value if result is None else result
    return statistics.median(times), result


def run_worker(system: str, corpus_path: Path, queries_path: Path, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", system,
           "--corpus", str(corpus_path), "--queries", str(queries_path)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"exit {proc.returncode}: {tail[:300]}"}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["worker_wall_s"] = round(wall, 1)
    return result


# ------------------------------------------------------------------- report


def ratio(value: float | None, ref: float | None) -> str:
    if value is None or not ref:
        return ""
    return f" ({value / ref:.2f}x)"


def render(result: dict[str, Any]) -> str:
    parts = []
    for size, entry in result["sizes"].items():
        c = entry["corpus"]
        parts.append(f"\n### {int(size):,} passages: {c['tokens']:,} words, {c['distinct_words']:,} distinct, "
                     f"{c['speakers']} speakers, median {c['median_words']:.0f} words a passage")
        systems = entry["systems"]
        ref_name = "transcript_qa" if "build_s" in systems.get("transcript_qa", {}) else next(
            (s for s, v in systems.items() if "build_s" in v), None)
        ref = systems.get(ref_name, {})
        rows = []
        for name, s in systems.items():
            if "error" in s:
                rows.append([name, s["error"], "", "", "", "", "", "", ""])
                continue
            peak = s.get("peak_tree_mb") or s["peak_rss_mb"]
            rows.append([
                name,
                f"{s['build_s']:.2f}{ratio(s['build_s'], ref.get('build_s'))}",
                f"{peak:.0f}",
                f"{s['index_mb']:.1f}",
                f"{s['query_median_ms']:.2f}{ratio(s['query_median_ms'], ref.get('query_median_ms'))}",
                f"{s['query_p95_ms']:.2f}",
                f"{s['batch_qps']:.0f}{ratio(s['batch_qps'], ref.get('batch_qps'))}",
                f"{s['batch_qps_1core']:.0f}" if s.get("batch_qps_1core") else "-",
                fmt(s["target_in_top10"], 2),
            ])
        parts.append(table(["system", "build s", "peak MB", "index MB", "query median ms",
                            "p95 ms", "batch q/s", "1-core q/s", "target@10"], rows))
        if ref_name:
            parts.append(f"(ratios: system / {ref_name}; peak MB: the process and its workers, PSS, "
                         "sampled every 20 ms or at 20 times a sample's duration, the larger of the build (the harness's rows held) and the queries "
                         "(rows dropped); batch q/s: every core for transcript_qa, "
                         "the peers' own batch call or one query at a time)")
        goals = goal_lines(entry)
        if goals:
            parts.append(goals)
    return "\n".join(parts)


def goal_lines(entry: dict[str, Any]) -> str:
    """transcript_qa against tantivy and bm25s-numba, as issue 11 asks."""
    systems = entry["systems"]
    ours, tv, bm = systems.get("transcript_qa", {}), systems.get("tantivy", {}), systems.get("bm25s-numba", {})
    if "build_s" not in ours or "build_s" not in tv:
        return ""
    corpus_mb = entry["corpus"].get("corpus_mb") or 0.0
    lines = [
        f"transcript_qa / tantivy: query p50 {ours['query_median_ms'] / tv['query_median_ms']:.2f}x (goal <= 1), "
        f"p95 {ours['query_p95_ms'] / tv['query_p95_ms']:.2f}x (goal <= 2), "
        f"batch {ours['batch_qps'] / tv['batch_qps']:.2f}x (goal >= 1; one core "
        f"{(ours.get('batch_qps_1core') or 0) / tv['batch_qps']:.2f}x, worker processes "
        f"{(ours.get('batch_qps_processes') or 0) / tv['batch_qps']:.2f}x), "
        f"build {ours['build_s'] / tv['build_s']:.2f}x (goal <= 2)",
        f"peak memory {ours.get('peak_tree_mb') or ours['peak_rss_mb']:.0f} MB (goal <= 1536)" + (
            f": build {ours['peak_tree_build_mb']:.0f} MB with the harness's rows "
            f"({ours['harness_rows_mb']:.0f} MB) held, queries {ours['peak_tree_queries_mb']:.0f} MB; "
            f"tantivy {tv.get('peak_tree_build_mb', 0):.0f} / {tv.get('peak_tree_queries_mb', 0):.0f} MB"
            if "peak_tree_build_mb" in ours else ""),
    ]
    if "index_mb" in bm:
        lines.append(f"index on disk {ours['index_mb']:.0f} MB = {ours['index_mb'] / (bm['index_mb'] + corpus_mb):.2f}x "
                     f"(bm25s index + passage text, {bm['index_mb'] + corpus_mb:.0f} MB; goal <= 2); "
                     f"known item: {ours['target_in_top10']:.3f} vs bm25s {bm['target_in_top10']:.3f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict[str, Any] | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="comma-separated passage counts (default: 10000,100000)")
    parser.add_argument("--full", action="store_true", help="also run 1,000,000 passages")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated, from: " + ", ".join(SYSTEMS))
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per system and size")
    parser.add_argument("--out", default="scale", help="results name or .json path (default: %(default)s)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker, args.corpus, args.queries)))
        return None

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else list(
        FULL_SIZES if args.full else DEFAULT_SIZES)
    if args.full and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in ENGINES]
    if unknown:
        parser.error(f"unknown system(s) {unknown}; choose from {list(ENGINES)}")

    started = time.perf_counter()
    result: dict[str, Any] = {
        "benchmark": "scale",
        "machine": machine(),
        "seed": args.seed,
        "k": K,
        "generator": synthetic.parameters(),
        "single_queries": SINGLE_QUERIES,
        "batch_queries": BATCH_QUERIES,
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        for n in sizes:
            corpus_path, queries_path = Path(tmp) / f"corpus-{n}.jsonl", Path(tmp) / f"queries-{n}.json"
            print(f"generating {n:,} passages ...", file=sys.stderr)
            stats = generate(n, args.seed, corpus_path, queries_path)
            print(f"  {stats}", file=sys.stderr)
            entry: dict[str, Any] = {"corpus": stats, "systems": {}}
            for system in systems:
                print(f"  {system} ...", file=sys.stderr, end="", flush=True)
                entry["systems"][system] = run_worker(system, corpus_path, queries_path, args.timeout)
                s = entry["systems"][system]
                print(" " + (s.get("error") or f"build {s['build_s']} s, query {s['query_median_ms']} ms, "
                             f"batch {s['batch_qps']} q/s, peak {s['peak_rss_mb']} MB"), file=sys.stderr)
            result["sizes"][str(n)] = entry
            corpus_path.unlink()
    result["total_s"] = round(time.perf_counter() - started, 1)
    print(render(result))
    path = write_results(args.out, result)
    print(f"\nresults written to {path} ({result['total_s']} s)", file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
