"""Never lose or corrupt the index: kill -9 at seeded random moments, concurrent runs, locks.

Each trial starts `readsearch index` in a child process on a corpus of 150 files with a commit
every 15 documents, kills it with SIGKILL after a seeded pseudo-random delay, then checks that
the index opens, holds no duplicate ids, and that a rerun converges to exactly the documents
(and texts) of an uninterrupted run.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from conftest import run_cli, write_corpus

SEED = 20261130
TRIALS = int(os.environ.get("READSEARCH_CRASH_TRIALS", "6"))
EXE = [sys.executable, "-c", "from readsearch.cli import main; main()"]


def make_corpus(root):
    rnd = random.Random(SEED)
    words = ("energy sanctions grain corridor talks minister president security trade Kosovo Belgrade Moscow "
             "Kyiv Ankara hostages ceasefire visas tariffs consultations agreement summit").split()
    files = {}
    for i in range(150):
        body = " ".join(rnd.choice(words) for _ in range(60))
        files[f"d{i // 40}/r{i:03d}.txt"] = f"Readout number {i}.\n\nOn {1 + i % 28} May {body}."
    return write_corpus(root, files)


def state(idx):
    r = run_cli("query", "", "--index", idx, "--format", "json", "--limit", "100000", "--duplicates", "show")
    assert r.rc in (0, 1), r.err
    hits = r.json["hits"]
    return sorted((h["id"], h["title"]) for h in hits)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    corpus = make_corpus(root / "corpus")
    idx = str(root / "ref-idx")
    t0 = time.monotonic()
    r = run_cli("index", str(corpus), "--index", idx, "--commit-every", "15", "--quiet")
    assert r.rc == 0, r.err
    return corpus, state(idx), time.monotonic() - t0


def test_killed_runs_leave_a_readable_index_that_converges(reference, tmp_path):
    corpus, expected, seconds = reference
    assert len(expected) == 150
    rnd = random.Random(SEED)
    outcomes = []
    for trial in range(TRIALS):
        idx = str(tmp_path / f"idx{trial}")
        # up to 3 kills per trial, each run resuming the previous one
        for _ in range(1 + trial % 3):
            p = subprocess.Popen(EXE + ["index", str(corpus), "--index", idx, "--commit-every", "15", "--quiet"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(rnd.uniform(0.05, max(0.3, seconds * 1.5)))
            p.send_signal(signal.SIGKILL)
            p.wait()
            outcomes.append(p.returncode)
            if os.path.exists(idx) and any(n.endswith(".toc") for n in os.listdir(idx)):
                partial = state(idx)
                ids = [i for i, _ in partial]
                assert len(ids) == len(set(ids)), f"trial {trial}: duplicate ids after kill"
                assert set(partial) <= set(expected), f"trial {trial}: documents not in the corpus"
        r = run_cli("index", str(corpus), "--index", idx, "--commit-every", "15", "--quiet")
        assert r.rc == 0, f"trial {trial}: rerun failed: {r.err}"
        assert state(idx) == expected, f"trial {trial}: rerun did not converge"
    assert any(rc == -signal.SIGKILL for rc in outcomes), "no trial was killed mid-run"


def test_second_concurrent_run_waits_then_fails_cleanly(reference, tmp_path):
    corpus, expected, _ = reference
    idx = str(tmp_path / "idx")
    from readsearch.index.writer import IndexStore

    store = IndexStore(idx)
    store.lock(1.0)  # hold the write lock as a running indexer would
    try:
        t0 = time.monotonic()
        p = subprocess.run(EXE + ["index", str(corpus), "--index", idx, "--wait", "1"],
                           capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - t0
    finally:
        store.close()
    assert p.returncode == 2
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "locked" in lines[0], p.stderr
    assert waited >= 1.0
    r = run_cli("index", str(corpus), "--index", idx, "--quiet")
    assert r.rc == 0 and state(idx) == expected
