"""Work in forked child processes, and the guarantee that none outlives the build.

The build runs SHACL's core constraints in a child forked while the process is still small, and
hands it the data's N-Triples as they are written (NTriplesFeed). A forked child needs no
pickling of its input, and its memory is all freed when it ends.

Every child started here is a daemon of this process; `stop_children` ends them, and the JVM
that HermiT runs in, when the build is stopped (SIGTERM, SIGINT) or fails: see `stopping`.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import signal
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

from .errors import BuildError

_FORK = multiprocessing.get_context("fork")


def in_child(function, *args, budget: float | None = None) -> ChildRun:
    """function(*args) started in a forked child; see ChildRun for its result and its budget
    (None: no limit)."""
    receive, send = _FORK.Pipe(duplex=False)

    def child() -> None:
        import gc

        # A collection would write to every object the parent left here, copying the pages
        # this child shares with it.
        gc.disable()
        # The parent's handlers would run its clean-up here too (removing its temporary files).
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        start = time.perf_counter()
        try:
            outcome = (function(*args), time.perf_counter() - start, None)
        except BuildError as error:  # a clear error of the build's, raised again as it is
            outcome = (None, None, error)
        except BaseException:  # the parent raises it: a failed validation must fail the build
            outcome = (None, None, traceback.format_exc())
        send.send_bytes(pickle.dumps(outcome))

    process = _FORK.Process(target=child, daemon=True)
    process.start()
    send.close()
    return ChildRun(process, receive, budget)


class OneWay:
    """One value handed by this process to a child forked after it is made (a pipe). Once the
    child is forked, started() closes this process's end for reading: a child that has ended
    then makes send() raise BrokenPipeError, where it would wait for ever on a full pipe."""

    def __init__(self):
        self._receive, self._send = _FORK.Pipe(duplex=False)

    def started(self) -> None:
        self._receive.close()

    def send(self, value) -> None:
        try:
            self._send.send_bytes(pickle.dumps(value))
        finally:
            self._send.close()

    def receive(self):
        """In the child: the value (waits for it)."""
        self._send.close()
        return pickle.loads(self._receive.recv_bytes())


class ChildRun:
    """A function running in a forked child (in_child). Calling it waits for the child and gives
    (the function's value, the seconds it took there), or (None, None) when the child passed
    its budget and was stopped; it raises RuntimeError, with the child's traceback, when the
    function raised or the child died. The budget counts from the fork, or from
    start_budget() when called (for a child that first waits for its input).

    The answer is taken from the pipe by a thread as soon as the child sends it, so that the
    child ends then: an answer larger than the pipe holds (HermiT's OWL artefacts) kept the
    child, and its memory, waiting until the build asked (at scale 1000, 70 MB through SHACL's
    peak)."""

    def __init__(self, process, receive, budget: float | None):
        self._process, self._receive, self._budget = process, receive, budget
        self._deadline = None if budget is None else time.monotonic() + budget
        self._answer: bytes | None = None
        self._arrived = threading.Event()
        threading.Thread(target=self._take_answer, name=f"answer-of-{process.pid}", daemon=True).start()

    def _take_answer(self) -> None:
        try:
            self._answer = self._receive.recv_bytes()
        except (EOFError, OSError):  # the child died, or was stopped, without answering
            pass
        finally:
            self._arrived.set()

    def start_budget(self) -> None:
        if self._budget is not None:
            self._deadline = time.monotonic() + self._budget

    def __call__(self):
        timeout = None if self._deadline is None else max(0.0, self._deadline - time.monotonic())
        if not self._arrived.wait(timeout):
            self.stop()
            return None, None
        self._process.join()
        if self._answer is None:
            raise RuntimeError(f"the child process ended without an answer (exit code {self._process.exitcode})")
        value, seconds, failure = pickle.loads(self._answer)
        if isinstance(failure, BuildError):
            raise failure
        if failure is not None:
            raise RuntimeError(f"the child process failed:\n{failure}")
        return value, seconds

    def stop(self) -> None:
        """Kill the child and what it started (HermiT's JVM)."""
        if self._process.is_alive():
            kill_tree(self._process.pid)
        self._process.join()

    def result(self):
        """The function's value (for a child without a budget)."""
        return self()[0]


class NTriplesFeed:
    """N-Triples handed by this process to a child it forks, piece by piece, as they are
    written. The pieces go to a temporary file, which the child reads back by offset; only their
    ends go through a pipe. Neither side waits for the other: pieces the child has not got to
    yet wait in the file, not in this process's memory. Once closed, the file (`path`) holds
    them all for this process's other readers, until the `with` block ends.

    Made before the fork. In the parent: started() once forked, put() each piece, close().
    In the child: iterate over it for the pieces; `idle` is the time it waited for them."""

    def __init__(self):
        descriptor, name = tempfile.mkstemp(prefix="mirkg-data-", suffix=".nt")
        self.path = Path(name)
        self._file = os.fdopen(descriptor, "w+b")
        self._receive, self._send = _FORK.Pipe(duplex=False)
        self.idle = 0.0

    def __enter__(self) -> NTriplesFeed:
        return self

    def __exit__(self, *exc) -> None:
        self._send.close()  # if the build failed before close(): the child hears the feed end
        self._file.close()
        self.path.unlink(missing_ok=True)

    def started(self) -> None:
        self._receive.close()

    def put(self, piece: bytes) -> None:
        self._file.write(piece)
        self._file.flush()  # in the file before the child hears of it
        self._send.send(self._file.tell())

    def close(self) -> None:
        """Ends the feed (the child keeps its own descriptor of the file)."""
        self._send.send(None)
        self._send.close()
        self._file.close()

    def __iter__(self):
        self._send.close()  # so that the parent's end, once gone, reads as the end of the feed
        fd, start = self._file.fileno(), 0
        while True:
            waiting = time.perf_counter()
            end = self._receive.recv()
            self.idle += time.perf_counter() - waiting
            if end is None:
                return
            parts = []
            while start < end:
                part = os.pread(fd, end - start, start)
                if not part:
                    raise EOFError(f"the feed's file ends at byte {start}, before {end}")
                parts.append(part)
                start += len(part)
            yield b"".join(parts)


def child_pids(pid: int | None = None) -> list[int]:
    """The direct children of a process (this one by default), from /proc."""
    pid = os.getpid() if pid is None else pid
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found += [int(c) for c in children.read().split()]
    except OSError:
        pass
    return found


def descendants(pid: int) -> list[int]:
    """A process's children, their children and so on, parents before their children."""
    found, level = [], child_pids(pid)
    while level:
        found += level
        level = [grandchild for child in level for grandchild in child_pids(child)]
    return found


def kill_tree(pid: int) -> None:
    """Kill a process and every process under it. The tree is listed before any is killed, so
    that none is handed to init (and lost from the list) meanwhile."""
    for each in [pid, *descendants(pid)]:
        try:
            os.kill(each, signal.SIGKILL)
        except ProcessLookupError:
            pass


_before_build: set[int] = set()


def stop_children() -> None:
    """Kill every child this process started since the build began (a process that runs builds
    in turn, such as the test runner, keeps the servers it started before), with whatever they
    started: the forked children (SHACL's, HermiT's with its JVM, the release's), pyLODE's and
    the dumps' processes, and any JVM that owlready2 started and waits for in a thread, which a
    signal cannot interrupt."""
    for pid in set(child_pids()) - _before_build:
        kill_tree(pid)


class Stopped(BaseException):
    """The build was asked to stop (SIGTERM, SIGINT). A BaseException, so that no `except
    Exception` on the way out swallows it."""

    def __init__(self, signum: int):
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


_scopes = 0


@contextmanager
def stopping():
    """The scope of a build. Within it:

    - SIGTERM and SIGINT raise Stopped in the main thread, so that every `finally` on the way out
      runs;
    - every temporary file of the build, its own and those of the libraries it calls (owlready2
      leaves its reasoner input behind when HermiT's JVM is killed), goes into one private folder,
      removed on the way out whatever happened;
    - on the way out of a failure or a stop, every child process is killed.

    Nested scopes are one scope (the outermost one sets it up and removes it)."""
    global _scopes

    def stop(signum, _frame):
        raise Stopped(signum)

    if _scopes:
        _scopes += 1
        try:
            yield
        finally:
            _scopes -= 1
        return
    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    _before_build.clear()
    _before_build.update(child_pids())
    folder = tempfile.mkdtemp(prefix="mirkg-build-")
    previous_tempdir, tempfile.tempdir = tempfile.tempdir, folder
    _scopes = 1
    try:
        yield
    except BaseException:
        stop_children()
        raise
    finally:
        _scopes = 0
        tempfile.tempdir = previous_tempdir
        shutil.rmtree(folder, ignore_errors=True)
        for s, handler in previous.items():
            signal.signal(s, handler)
