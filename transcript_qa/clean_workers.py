"""Worker processes that start clean: new interpreters fed through pipes.

The build analyses chunks of passages on the other cores. Forked workers
inherit the caller's whole heap: with a million passages in memory, every
page either side then writes (a freed slot reused, a reference count
touched) is copied, and the copies add up to gigabytes. Spawned
``multiprocessing`` workers start clean but import the caller's main script
again, which runs an unguarded script's top level once more in every worker.

A :class:`CleanPool` starts fresh interpreters that import this package (the
caller's copy of it) and only what the setup function names. Tasks and
results cross as length-prefixed pickles over the worker's stdin and stdout
(between this library's own processes, never from a file). Each worker
reads its next task on a thread while it computes, so the caller never
blocks writing one. Results come back in task order (task ``i`` goes to
worker ``i mod n``). A worker that cannot start or dies raises
:class:`WorkerGone`; an exception a task raises is re-raised in the caller.
Workers ignore ctrl-C (the caller's to handle) and stop when their stdin
closes.
"""

from __future__ import annotations

import json
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import traceback
from collections import deque
from importlib import import_module
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator

_HEADER = struct.Struct("<Q")
_PATH_VARIABLE = "TRANSCRIPT_QA_WORKER_PATH"
# A worker imports from the caller's sys.path (with this package's folder first, should the caller
# have found it another way), so it runs the caller's copy of everything.
_BOOT = ("import json, os, sys; sys.path[:] = json.loads(os.environ.pop({var!r})); "
         "from transcript_qa.clean_workers import _serve; _serve()").format(var=_PATH_VARIABLE)


class WorkerGone(RuntimeError):
    """A worker process could not start, or stopped before it answered."""


def _send(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream: BinaryIO) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def _named(name: str) -> Callable[..., Any]:
    module, _, attribute = name.partition(":")
    return getattr(import_module(module), attribute)


class CleanPool:
    """``workers`` clean processes: ``setup(**kwargs)`` once in each (its
    result is passed to ``function``), then ``function(state, *task)`` for
    every task. ``setup`` and ``function`` are ``"module:name"`` strings."""

    def __init__(self, workers: int, setup: str, function: str, kwargs: dict[str, Any]) -> None:
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env[_PATH_VARIABLE] = json.dumps([root] + [p for p in sys.path if p != root])
        self._procs: list[subprocess.Popen] = []
        try:
            for _ in range(max(1, workers)):
                proc = subprocess.Popen([sys.executable, "-c", _BOOT], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env)
                self._procs.append(proc)
                _send(proc.stdin, (setup, function, kwargs))
        except (OSError, pickle.PicklingError) as err:
            self.close()
            raise WorkerGone(f"worker processes could not start ({err})") from err

    def map(self, tasks: Iterable[tuple], ahead: int = 2) -> Iterator[Any]:
        """``function(state, *task)`` for each task, in order; at most
        ``ahead`` tasks queued in each worker (memory stays bounded). If a
        task fails, or the caller stops reading early, the pool is closed
        (results still on their way are not mixed into a later map)."""
        n = len(self._procs)
        if n == 0:
            raise WorkerGone("the worker processes have stopped")
        pending: deque[int] = deque()
        sent = 0
        tasks = iter(tasks)
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < n * ahead:
                    task = next(tasks, None)
                    if task is None:
                        exhausted = True
                        break
                    proc = self._procs[sent % n]
                    try:
                        _send(proc.stdin, task)
                    except OSError as err:
                        raise self._gone(proc) from err
                    pending.append(sent % n)
                    sent += 1
                if not pending:
                    return
                proc = self._procs[pending[0]]
                try:
                    kind, value = _receive(proc.stdout)
                except (EOFError, OSError) as err:
                    raise self._gone(proc) from err
                pending.popleft()
                if kind == "error":
                    err, where = value
                    if hasattr(err, "add_note"):  # Python 3.11+: the worker's traceback goes with it
                        err.add_note(f"in a worker process:\n{where}")
                    raise err
                yield value
        finally:
            if pending:
                self.close()

    def _gone(self, proc: subprocess.Popen) -> WorkerGone:
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        return WorkerGone(f"a worker process stopped (exit status {code})")

    def close(self) -> None:
        """Stop the workers: their stdin closes, they finish, and any still
        running after a few seconds is killed."""
        for proc in self._procs:
            try:
                if proc.stdin:
                    proc.stdin.close()
            except OSError:
                pass
        for proc in self._procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout:
                proc.stdout.close()
        self._procs = []

    def __enter__(self) -> "CleanPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _serve() -> None:
    """The worker's side: read the setup, then tasks until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the channel
    sys.stdout = sys.stderr
    source = sys.stdin.buffer
    try:
        setup, function, kwargs = _receive(source)
    except EOFError:
        return
    state = _named(setup)(**kwargs)
    run = _named(function)
    tasks: queue.SimpleQueue = queue.SimpleQueue()

    def read() -> None:
        while True:
            try:
                tasks.put(_receive(source))
            except (EOFError, OSError):
                tasks.put(None)
                return

    threading.Thread(target=read, daemon=True).start()
    while (task := tasks.get()) is not None:
        try:
            reply = ("ok", run(state, *task))
        except Exception as err:  # noqa: BLE001 - the caller re-raises it, with this traceback
            reply = ("error", (err, traceback.format_exc()))
        try:
            _send(channel, reply)
        except (pickle.PicklingError, TypeError, AttributeError) as err:
            problem = RuntimeError(f"a worker's result could not be sent back: {err!r}")
            _send(channel, ("error", (problem, traceback.format_exc())))
        except OSError:  # the caller has gone
            return
