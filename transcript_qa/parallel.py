"""Many questions over the cores: threads, results in order.

The scoring kernels release the GIL (numba), and numpy does for its large
operations, so threads share one index (memory-mapped once) and answer
several questions at a time. :func:`ordered_map` runs a function over items
on a thread pool with a bounded look-ahead (memory stays small for a long
batch) and yields results in the items' order; an exception raised for an
item is yielded in its place (the caller decides what to do with it).
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Iterable, Iterator, TypeVar

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
