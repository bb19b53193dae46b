"""Many questions over the cores: threads or processes, results in order.

The scoring kernels release the GIL (numba), and numpy does for its large
operations, so threads share one index (memory-mapped once) and answer
several questions at a time. :func:`ordered_map` runs a function over items
on a thread pool with a bounded look-ahead (memory stays small for a long
batch) and yields results in the items' order; an exception raised for an
item is yielded in its place (the caller decides what to do with it).

What is left in Python (taking the question apart, building hits) holds the
GIL, so threads stop scaling once the kernels are fast. :func:`process_map`
does the same on worker processes forked from this one: they inherit the
index (its arrays memory-mapped or copy-on-write, never copied or pickled)
and the function, and only the items and results cross between processes.
A worker that dies is reported as :class:`WorkerError` in its items' place
(never a hang); ctrl-C is the parent's (workers ignore it) and stops the
pool.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, TypeVar

from transcript_qa.errors import TranscriptQAError

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int | None) -> int:
    """``None`` or 0: every core; otherwise at least 1."""
    if workers is None or workers == 0:
        return cores()
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise TypeError(f"workers must be a whole number, not {workers!r}")
    if workers < 0:
        raise ValueError(f"workers must be 0 (every core) or more, not {workers}")
    return workers


def ordered_map(function: Callable[[T], R], items: Iterable[T], workers: int,
                ahead: int = 4) -> Iterator[R | BaseException]:
    """``function(item)`` for each item, computed on ``workers`` threads,
    yielded in order (an exception in its item's place)."""
    if workers <= 1:
        for item in items:
            try:
                yield function(item)
            except Exception as err:  # noqa: BLE001 - handed to the caller in order
                yield err
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="transcript-qa") as pool:
        pending: deque[Future] = deque()
        queue = iter(items)
        limit = workers * ahead
        for item in queue:
            pending.append(pool.submit(function, item))
            if len(pending) >= limit:
                break
        while pending:
            future = pending.popleft()
            for item in queue:
                pending.append(pool.submit(function, item))
                break
            error = future.exception()
            yield error if error is not None else future.result()


class WorkerError(TranscriptQAError):
    """A worker process died (killed, out of memory) before answering."""


def can_fork() -> bool:
    """Whether worker processes can be forked here (Linux and other Unixes)."""
    return "fork" in multiprocessing.get_all_start_methods()


#: In a worker process only: the function it was forked with.
_forked_with: dict[str, Callable[[Any], Any]] = {}


def _adopt(function: Callable[[Any], Any]) -> None:
    _forked_with["function"] = function
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl-C is the parent's to handle


def _portable(err: BaseException) -> tuple:
    """An exception as (type, args, attributes), which crosses processes even
    when its constructor takes other arguments than its ``args``."""
    state = (type(err), err.args, dict(err.__dict__))
    try:
        pickle.dumps(state)
        return state
    except Exception:  # noqa: BLE001 - an unpicklable type or attribute: the message is kept
        return (RuntimeError, (f"{type(err).__name__}: {err}",), {})


def _rebuilt(state: tuple) -> BaseException:
    kind, args, attributes = state
    err = kind.__new__(kind)
    err.args = args
    err.__dict__.update(attributes)
    return err


def _run_chunk(items: list) -> list[tuple[bool, Any]]:
    function = _forked_with["function"]
    out: list[tuple[bool, Any]] = []
    for item in items:
        try:
            out.append((True, function(item)))
        except Exception as err:  # noqa: BLE001 - handed to the parent in order
            out.append((False, _portable(err)))
    return out


def process_map(function: Callable[[T], R], items: Iterable[T], workers: int, *, chunk: int = 8,
                ahead: int = 4) -> Iterator[R | BaseException]:
    """``function(item)`` for each item, computed on ``workers`` forked
    processes (``chunk`` items a task), yielded in order (an exception in its
    item's place; a dead worker as :class:`WorkerError`, after which the
    pool is gone and the remaining items get it too). Needs :func:`can_fork`."""
    context = multiprocessing.get_context("fork")
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_adopt,
                                   initargs=(function,))
    queue = iter(items)
    pending: deque[tuple[Future, int]] = deque()

    def submit() -> bool:
        block = list(islice(queue, chunk))
        if block:
            pending.append((executor.submit(_run_chunk, block), len(block)))
        return bool(block)

    try:
        while len(pending) < workers * ahead and submit():
            pass
        broken: BaseException | None = None
        while pending:
            future, size = pending.popleft()
            if broken is None:
                submit()
                try:
                    results = future.result()
                except BrokenProcessPool:
                    broken = WorkerError("a worker process died before answering (killed, or out of memory?)",
                                         hint="run with one worker (--workers 1) to see the error")
            if broken is not None:
                yield from (broken for _ in range(size))
                continue
            for ok, value in results:
                yield value if ok else _rebuilt(value)
        if broken is not None:
            for rest in queue:
                yield broken
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


class Prefetched:
    """Stands in for an index whose ``ask`` answers a known list of calls in
    order, computed ahead on threads (for callers that ask one at a time,
    like :func:`transcript_qa.batch.answer_questions`). A call that is not
    the next one expected is answered directly."""

    def __init__(self, index: Any, calls: Iterable[tuple[tuple, dict]], workers: int) -> None:
        self._index = index
        self._calls = deque(calls)
        self._results = ordered_map(lambda call: index.ask(*call[0], **call[1]), list(self._calls), workers)

    def ask(self, *args: Any, **kwargs: Any) -> Any:
        if self._calls and self._calls[0] == (args, kwargs):
            self._calls.popleft()
            result = next(self._results)
            if isinstance(result, BaseException):
                raise result
            return result
        return self._index.ask(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)
