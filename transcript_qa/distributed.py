"""Batches of questions answered on a Dask cluster (``pip install "transcript-qa[dask]"``).

Every worker opens the same index folder (on this machine, or on storage the
workers share) once, through a worker plugin, and answers chunks of questions;
the client gets the answers back in question order, as chunks complete.

>>> from transcript_qa.distributed import connect, answer_questions_on   # doctest: +SKIP
>>> client = connect("local")                  # a LocalCluster on this machine
>>> answers = list(answer_questions_on(client, "indexes/default", questions))

A worker that dies in the middle of a batch loses nothing: the scheduler runs
its chunks again elsewhere, and each chunk's answers are yielded exactly once,
in order. Answers cross the network as plain frozen dataclasses (the snippets
and highlights are worked out on the worker), never as index state.

Only this module imports ``dask``; the rest of the package never needs it.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from transcript_qa.errors import TranscriptQAError
from transcript_qa.model import Answer, Hit, Skipped, SpeakerAnswer

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

    from transcript_qa.batch import Question

try:  # the plugin must be a Dask WorkerPlugin; without Dask, _require() explains
    from distributed.diagnostics.plugin import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover - dask not installed
    _PluginBase = object

#: Questions per task: big enough that scheduling costs little next to answering,
#: small enough that a lost worker costs little and progress moves.
DEFAULT_CHUNK = 32
_PLUGIN = "transcript-qa-index"


class DaskUnavailableError(TranscriptQAError):
    """Dask is not installed, or the cluster cannot be reached."""


def _require() -> Any:
    try:
        import distributed
    except ImportError:
        raise DaskUnavailableError(
            "Dask is not installed", hint='install it with: pip install "transcript-qa[dask]"'
        ) from None
    return distributed


def connect(address: "str | Client", *, workers: int | None = None) -> "Client":
    """A Dask client: ``"local"`` starts a LocalCluster on this machine (one
    single-threaded worker process per core, or ``workers``); any other string
    is a scheduler address (``tcp://host:8786``); a Client is returned as is."""
    distributed = _require()
    if isinstance(address, distributed.Client):
        return address
    if not isinstance(address, str) or not address.strip():
        raise DaskUnavailableError(f"not a Dask scheduler address: {address!r}",
                                   hint="give --dask local, or an address such as tcp://127.0.0.1:8786")
    if address == "local":
        n = workers or os.cpu_count() or 1
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        return distributed.Client(cluster)
    try:
        return distributed.Client(address, timeout="5s")
    except (OSError, TimeoutError) as err:
        raise DaskUnavailableError(f"cannot reach the Dask scheduler at {address}: {err}",
                                   hint="check the address, and that the scheduler is running") from None


@contextlib.contextmanager
def dask_client(address: "str | Client", *, workers: int | None = None) -> Iterator["Client"]:
    """:func:`connect`, closing what it opened on exit (the client, and the
    LocalCluster for ``"local"``); a Client passed in is left open."""
    distributed = _require()
    if isinstance(address, distributed.Client):
        yield address
        return
    client = connect(address, workers=workers)
    try:
        yield client
    finally:
        cluster = client.cluster if address == "local" else None
        client.close()
        if cluster is not None:
            cluster.close()


class IndexPlugin(_PluginBase):  # type: ignore[misc,valid-type]
    """A worker plugin that opens the index once per worker (and again on a
    restarted worker). Holds the index on the plugin, not in a global."""

    name = _PLUGIN

    def __init__(self, path: str, settings: dict[str, Any] | None = None) -> None:
        self.path = path
        self.settings = dict(settings or {})
        self.index: Any = None

    def setup(self, worker: Any) -> None:
        from transcript_qa.build import load_index

        index = load_index(self.path, build=False, on_stale="ignore")
        self.index = index.with_settings(**self.settings) if self.settings else index

    def teardown(self, worker: Any) -> None:
        self.index = None


@dataclass(frozen=True)
class _Outcome:
    """What one question gave on a worker: an answer, or why not."""

    answer: Answer | None
    problem: str | None = None


def eager(answer: Answer, *, explain: bool = False, speaker_snippets: bool = True) -> Answer:
    """The same answer as plain dataclasses that pickle without the index: each
    hit's snippet and highlights worked out (``explain`` when asked; the
    speakers' hits get theirs only with ``speaker_snippets``, which machine
    formats such as JSON Lines, CSV and TREC do not print)."""

    def plain(hit: Hit, snippets: bool = True) -> Hit:
        return Hit(passage=hit.passage, score=hit.score, rank=hit.rank,
                   snippet=hit.snippet if snippets else "", highlights=hit.highlights if snippets else (),
                   explain=hit.explain if explain else ())

    speakers = tuple(
        SpeakerAnswer(speaker=s.speaker, score=s.score, rank=s.rank, role=s.role,
                      organisation=s.organisation, hits=tuple(plain(h, speaker_snippets) for h in s.hits))
        for s in answer.speakers
    )
    fields = dict(answer.__dict__)
    fields.update(hits=tuple(plain(h) for h in answer.hits), speakers=speakers)
    return Answer(**fields)


def _answer_chunk(chunk: Sequence[tuple[str, str, dict[str, str]]], k: int, explain: bool,
                  speaker_snippets: bool) -> list[_Outcome]:
    """Runs on a worker: answer (id, question, filters) triples with its index."""
    from distributed import get_worker

    index = get_worker().plugins[_PLUGIN].index
    out = []
    for qid, question, filters in chunk:
        try:
            answer = index.ask(question, k, id=qid, **filters)
            out.append(_Outcome(eager(answer, explain=explain, speaker_snippets=speaker_snippets)))
        except TranscriptQAError as err:
            out.append(_Outcome(None, str(err)))
    return out


def answer_questions_on(
    client: "Client",
    index_path: str | os.PathLike,
    questions: Iterable["Question"],
    k: int = 10,
    *,
    chunk: int = DEFAULT_CHUNK,
    explain: bool = False,
    speaker_snippets: bool = True,
    settings: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_problem: Callable[[Skipped], None] | None = None,
) -> Iterator[Answer]:
    """Answer ``questions`` on the cluster, yielding answers in question order.

    Same contract as :func:`transcript_qa.batch.answer_questions`: a question
    the index refuses goes to ``on_problem`` (or raises without it);
    ``progress(done, total)`` follows the questions answered so far, in order.
    ``index_path`` must name the same index folder on every worker. Answers
    come back worked out (see :func:`eager`); ``speaker_snippets=False`` saves
    the work for outputs that print only the speakers' passage ids.
    """
    _require()
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, not {chunk}")
    items = list(questions)
    total = len(items)
    path = str(Path(index_path).resolve())
    from transcript_qa.build import load_index

    load_index(path, build=False, on_stale="ignore")  # a missing or corrupt index fails here, once
    client.register_plugin(IndexPlugin(path, settings), name=_PLUGIN)
    triples = [(q.id, q.question, q.filters.active()) for q in items]
    chunks = [triples[i : i + chunk] for i in range(0, total, chunk)]
    futures = client.map(_answer_chunk, chunks, k=k, explain=explain, speaker_snippets=speaker_snippets,
                         pure=False)
    done = 0
    try:
        for start, future in zip(range(0, total, chunk), futures):
            outcomes = future.result()
            for q, outcome in zip(items[start : start + chunk], outcomes):
                done += 1
                if outcome.answer is None:
                    problem = Skipped(q.path, f"question {q.id!r}: {outcome.problem}", q.line)
                    if on_problem is None:
                        raise TranscriptQAError(problem.reason)
                    on_problem(problem)
                if progress is not None:
                    progress(done, total)
                if outcome.answer is not None:
                    yield outcome.answer
    finally:
        client.cancel([f for f in futures if not f.done()])


# =========================================================================== sharded search


_SHARDS = "transcript-qa-shards"


class ShardPlugin(_PluginBase):  # type: ignore[misc,valid-type]
    """A worker plugin holding the shards (segment groups) this worker has
    opened, each opened once (on the plugin, not in a global)."""

    name = _SHARDS

    def __init__(self, path: str) -> None:
        self.path = path
        self.shards: dict[tuple[str, ...], Any] = {}

    def shard(self, names: tuple[str, ...]) -> Any:
        found = self.shards.get(names)
        if found is None:
            from transcript_qa.shards import Shard

            found = self.shards[names] = Shard(self.path, names)
        return found

    def teardown(self, worker: Any) -> None:
        self.shards.clear()


def _shard_call(names: tuple[str, ...], method: str, arg: Any) -> Any:
    """Runs on a worker: ``Shard.<method>(arg)`` on the shard of segments ``names``."""
    from distributed import get_worker

    shard = get_worker().plugins[_SHARDS].shard(names)
    if method == "open":
        return len(shard.index.passages)
    if method == "sources":
        return shard.sources(*arg)
    return getattr(shard, method)(arg)


def open_sharded(client: "Client", index_path: str | os.PathLike, *, shards: int | None = None,
                 settings: dict[str, Any] | None = None) -> Any:
    """A :class:`~transcript_qa.shards.ShardedIndex` of the segmented index at
    ``index_path`` on the cluster of ``client``: its segments split into
    ``shards`` groups (default: one per worker, at most one per segment), each
    opened once on its worker; ``search``, ``who`` and ``ask`` give what the
    single index gives. ``index_path`` must name the same folder on every
    worker (a shared file system)."""
    _require()
    from transcript_qa.errors import IndexError_
    from transcript_qa.segments import is_segmented, read_manifest
    from transcript_qa.settings import RankSettings
    from transcript_qa.shards import ShardedIndex, split_segments

    path = str(Path(index_path).resolve())
    if not (Path(path) / "manifest.json").is_file():
        from transcript_qa.errors import IndexMissingError

        raise IndexMissingError(f"no index at {path}",
                                hint=f"build one with: transcript-qa index build --segments --out {path}")
    if not is_segmented(path):
        raise IndexError_(f"{path} is not a segmented index: a sharded search needs one",
                          hint=f"rebuild it with: transcript-qa index build --segments --out {path}")
    workers = sorted(client.scheduler_info()["workers"])
    if not workers:
        raise DaskUnavailableError("the Dask cluster has no workers", hint="start some workers, then try again")
    groups = split_segments(read_manifest(Path(path)), shards or len(workers))
    home = [workers[j % len(workers)] for j in range(len(groups))]
    client.register_plugin(ShardPlugin(path), name=_SHARDS)

    def run(method: str, args: Sequence[Any]) -> list[Any]:
        futures = [client.submit(_shard_call, g, method, a, workers=[w], allow_other_workers=True, pure=False)
                   for g, a, w in zip(groups, args, home)]
        return client.gather(futures)

    try:
        run("open", [None] * len(groups))
    except TranscriptQAError as err:
        raise DaskUnavailableError(
            f"the Dask workers cannot open the index at {path}: {str(err).splitlines()[0]}",
            hint="every worker must see the index folder at the same path (a shared file system)") from None
    base = RankSettings.from_dict(read_manifest(Path(path)).get("settings", {}).get("rank", {}))
    from dataclasses import replace

    return ShardedIndex(path, run, len(groups), settings=replace(base, **settings) if settings else None)


# =========================================================================== a parallel build


def _write_group(folder: str, docs: list, settings: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Runs on a worker: write one segment of ``docs`` into the (shared) index folder."""
    from transcript_qa.segment_writer import _write_segment

    return _write_segment(Path(folder), docs, {**settings, "workers": 1})


def build_segmented_on(client: "Client", corpus_path: str | os.PathLike | None, out_path: str | os.PathLike,
                       **settings: Any) -> Any:
    """Build a segmented index of a corpus folder with the workers of
    ``client``: the client reads the documents and resolves speakers across
    them, the documents are cut into one run per worker (a document's
    passages stay together), each worker writes its run as a segment, and the
    client writes the global files and the manifest (atomically, as
    :func:`transcript_qa.incremental.build_segmented` does; the same index,
    in as many segments). ``out_path`` must be on storage every worker can
    write (a shared file system)."""
    _require()
    from transcript_qa.incremental import build_segmented

    workers = sorted(client.scheduler_info()["workers"])
    if not workers:
        raise DaskUnavailableError("the Dask cluster has no workers", hint="start some workers, then try again")
    out = Path(out_path).resolve()

    def write_many(folder: Path, groups: list[list[tuple]], options: dict[str, Any]) -> list[Any]:
        futures = [client.submit(_write_group, str(folder), g, options, workers=[workers[i % len(workers)]],
                                 allow_other_workers=True, pure=False) for i, g in enumerate(groups)]
        try:
            return client.gather(futures)
        except (OSError, TranscriptQAError) as err:
            raise DaskUnavailableError(
                f"a Dask worker could not write the index at {out}: {str(err).splitlines()[0]}",
                hint="every worker must see the output folder at the same path (a shared file system)") from None

    return build_segmented(corpus_path, out, write_many=write_many, groups=len(workers), **settings)
