"""Worker processes of a bulk run: how they treat signals, and how they are stopped.

A bulk ``readsearch index`` forks two kinds of workers: the pool that reads and extracts files
(``readsearch.api._Preparer``) and Whoosh's segment writers
(:class:`readsearch.index.segments.ReadoutMpWriter`). Ctrl-C in a terminal sends SIGINT to every
process of the foreground group; ``kill -INT PID`` and ``kill PID`` reach the parent alone. Either
way the parent alone decides what happens:

- workers ignore SIGINT and die of SIGTERM without a word (the default action: no Python
  traceback); they are forked with both signals blocked (:func:`forking`), so none arrives before
  :func:`become_worker` has set that up;
- the parent, interrupted, stops them (:func:`stop_processes`, :func:`stop_pool`: terminate, then
  kill, every wait bounded) before it cancels its writer and releases the index lock;
- a worker whose parent died without stopping it (SIGKILL) exits within a second, so it does not
  keep the index lock (inherited with the lock file's descriptor) or run forever.

No Whoosh here: the index layer and the API both use these.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

#: the signals that stop a run
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
#: seconds between a worker's checks that its parent is alive
PARENT_POLL = 0.5


@contextlib.contextmanager
def forking():
    """Context for starting worker processes: SIGINT and SIGTERM are blocked in this thread
    meanwhile, so a child is born with them blocked and receives none before
    :func:`become_worker`; and in the main thread the process's own handlers are replaced by one
    that only records the signal, which is raised again when the context ends.

    The second half matters as much: the kernel may hand the signal to another thread (a pool's
    or a queue's), and Python then runs the handler in the main thread at its next chance, which
    may be inside ``os.fork``'s at-fork hooks, where an exception is printed as "Exception
    ignored" and dropped: the interrupted run went on to the end (exit 0).

    Yields:
        None.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover (Windows: spawn, no fork)
        yield
        return
    pending: list[int] = []
    saved = {}
    if threading.current_thread() is threading.main_thread():
        for signum in STOP_SIGNALS:
            handler = signal.getsignal(signum)
            if callable(handler):
                saved[signum] = handler
                signal.signal(signum, lambda n, _frame: pending.append(n))
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
        for signum, handler in saved.items():
            signal.signal(signum, handler)
        if pending:
            signal.raise_signal(pending[0])


def become_worker(parent_pid: int) -> None:
    """Set up a worker process (call first thing in it): ignore SIGINT, die of SIGTERM (not the
    parent's Python handler, inherited through fork), unblock both (see :func:`forking`), and
    exit when ``parent_pid`` is no longer the parent (it died without stopping this worker).

    Args:
        parent_pid: the pid of the process that started this worker (taken in that process:
            the parent may already be gone when the worker runs).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL)
        os._exit(1)  # orphaned: the work is lost anyway, and nobody reads its results

    threading.Thread(target=watch, name="readsearch-parent-watch", daemon=True).start()


def stop_processes(procs, timeout: float = 5.0) -> list:
    """Stop worker processes now, never waiting forever: SIGTERM to each live one, wait up to
    ``timeout`` seconds for all of them, then SIGKILL those left and wait up to ``timeout`` again.

    Args:
        procs: ``multiprocessing.Process`` objects (not started ones are skipped).
        timeout: seconds per wait.

    Returns:
        the processes still alive afterwards (none, unless the system cannot kill them).
    """
    started = [p for p in procs if getattr(p, "_popen", None) is not None]
    for p in started:
        if p.exitcode is None:
            p.terminate()
    _join_all(started, timeout)
    left = [p for p in started if p.exitcode is None]
    for p in left:
        p.kill()
    _join_all(left, timeout)
    return [p for p in left if p.exitcode is None]


def _join_all(procs, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))


def stop_pool(pool, timeout: float = 10.0) -> None:
    """Terminate a ``multiprocessing.Pool`` and wait for it at most about ``2 * timeout`` seconds.

    ``Pool.terminate`` waits without a timeout for its threads and workers; a worker killed
    from outside while it held one of the pool's queue locks makes it wait forever. It runs in a
    thread here: when that thread has not finished after ``timeout`` seconds, the workers are
    killed and the pool is left behind (its threads are daemons).

    Args:
        pool: the pool.
        timeout: seconds to wait for the pool's own shutdown, then for its killed workers.
    """
    done = threading.Thread(target=pool.terminate, name="readsearch-pool-stop", daemon=True)
    done.start()
    done.join(timeout)
    if done.is_alive():
        stop_processes(list(getattr(pool, "_pool", ())), timeout / 2)
        done.join(timeout / 2)
