"""Never lose or corrupt the index: kill -9 at seeded random moments, concurrent runs, locks,
Ctrl-C and SIGTERM.

Each trial starts `readsearch index` in a child process on a corpus of 150 files with a commit
every 15 documents, kills it with SIGKILL after a seeded pseudo-random delay, then checks that
the index opens, holds no duplicate ids, and that a rerun converges to exactly the documents
(and texts) of an uninterrupted run.

The interruption tests run a bulk build (reader pool and Whoosh writer processes) on a copy of
2,000 files of ../shared/scale, interrupt it after its first commit and check that it stops at
once, quietly, with no process left behind, and that the next run resumes.
"""
from __future__ import annotations

import os
import json
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import SHARED, run_cli, write_corpus

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


SCALE = SHARED / "scale" / "whitehouse"
#: files of the interruption tests (bulk mode: at least api.BULK_FILES) and documents per commit
INTERRUPT_FILES = 2000
INTERRUPT_BATCH = 400


def session_processes(sid: int) -> set[int]:
    """Live (not zombie) processes of session ``sid``: a run started with start_new_session=True
    and every process it forked, wherever they were reparented."""
    out = set()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            out.add(int(d))
    return out


def committed_generation(idx: str) -> int:
    """The newest table of contents' generation (-1: none; 0: the empty index just created)."""
    if not os.path.isdir(idx):
        return -1
    return max((int(n[:-4].rsplit("_", 1)[1]) for n in os.listdir(idx) if n.endswith(".toc")), default=-1)


@pytest.fixture(scope="module")
def scale_copy(tmp_path_factory):
    if not SCALE.is_dir():
        pytest.skip("../shared/scale is not available")
    if not os.path.isdir("/proc"):
        pytest.skip("needs /proc to find the run's processes")
    root = tmp_path_factory.mktemp("scale") / "whitehouse"
    files = sorted(SCALE.rglob("*.md"))[:INTERRUPT_FILES]
    for src in files:
        dst = root / src.relative_to(SCALE)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    return root, len(files)


@pytest.mark.parametrize("target, signum, code", [
    ("group", signal.SIGINT, 130),    # Ctrl-C in a terminal: every process of the group
    ("parent", signal.SIGINT, 130),   # kill -INT <pid>: the workers get nothing
    ("parent", signal.SIGTERM, 143),  # kill <pid>
], ids=["ctrl-c", "kill-int", "kill-term"])
def test_interrupted_bulk_run_stops_quietly_and_resumes(scale_copy, tmp_path, target, signum, code):
    corpus, n_files = scale_copy
    idx = str(tmp_path / "idx")
    err_path = tmp_path / "stderr.txt"
    with open(err_path, "w") as err:
        p = subprocess.Popen(EXE + ["index", str(corpus), "--index", idx, "--commit-every", str(INTERRUPT_BATCH),
                                    "--quiet"], stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    try:
        deadline = time.monotonic() + 40
        while committed_generation(idx) < 1 and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # into the next batch: readers, writer processes and the parent all busy
        assert p.poll() is None, "the run ended before it could be interrupted"
        assert len(session_processes(p.pid) - {p.pid}) >= 2, "a bulk run has worker processes"
        if target == "group":
            os.killpg(p.pid, signum)
        else:
            p.send_signal(signum)
        try:
            rc = p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running 30 s after {signal.Signals(signum).name}")
        deadline = time.monotonic() + 5
        while session_processes(p.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = session_processes(p.pid)
    finally:
        for pid in session_processes(p.pid):  # never leave a failed run behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if p.poll() is None:
            p.wait()
    stderr = err_path.read_text()
    assert rc == code, stderr
    assert "Traceback" not in stderr, stderr
    assert stderr.strip() == "readsearch: interrupted", stderr
    assert not survivors, f"processes left running: {survivors}"
    # readable at its last commit, and the next run resumes from it (lock released at once)
    before = run_cli("query", "", "--index", idx, "--format", "json", "--limit", "1", "--duplicates", "show")
    assert before.rc == 0, before.err
    committed = before.json["total"]
    assert 0 < committed < n_files
    r = run_cli("index", str(corpus), "--index", idx, "--quiet", "--format", "json", "--wait", "2")
    assert r.rc == 0, r.err
    report = json.loads(r.out)
    assert report["unchanged"] == committed and report["added"] == n_files - committed, report
    after = run_cli("query", "", "--index", idx, "--format", "json", "--limit", "1", "--duplicates", "show")
    assert after.json["total"] == n_files
