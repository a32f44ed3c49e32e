"""readsearch.workers: a stop signal that arrives while worker processes are being forked."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from readsearch.workers import forking


def _raise_interrupt(_signum, _frame):
    raise KeyboardInterrupt


def test_a_stop_signal_during_forking_is_raised_when_it_ends():
    # The kernel hands a process-wide SIGINT to a thread that does not block it (here the
    # sleeper, in an index run a pool's or a queue's thread); Python then runs the handler in the
    # main thread at its next chance. Inside os.fork's at-fork hooks that KeyboardInterrupt was
    # printed as "Exception ignored" and dropped, and the interrupted run went on to exit 0.
    old = signal.signal(signal.SIGINT, _raise_interrupt)
    sleeper = threading.Thread(target=time.sleep, args=(2,), daemon=True)
    sleeper.start()
    steps = []
    try:
        with pytest.raises(KeyboardInterrupt):
            with forking():
                os.kill(os.getpid(), signal.SIGINT)
                for _ in range(50):
                    time.sleep(0.01)  # where the handler ran before
                steps.append("forked")
            steps.append("after")  # never: the deferred interrupt is raised as the context ends
        assert steps == ["forked"]
        assert signal.getsignal(signal.SIGINT) is _raise_interrupt
    finally:
        signal.signal(signal.SIGINT, old)


def test_forking_without_a_signal_changes_nothing():
    old = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        with forking():
            pass
        assert signal.getsignal(signal.SIGTERM) is _raise_interrupt
        assert not signal.pthread_sigmask(signal.SIG_BLOCK, []) & {signal.SIGINT, signal.SIGTERM}
    finally:
        signal.signal(signal.SIGTERM, old)
