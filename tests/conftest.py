"""Shared test helpers: run the CLI in-process, locate ../shared, write small corpora."""
from __future__ import annotations

import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("READSEARCH_SHARED") or ROOT.parent / "shared")


@dataclass
class Run:
    rc: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)

    @property
    def ids(self) -> list[str]:
        return [h["id"] for h in self.json["hits"]]

    def hit(self, doc_id: str) -> dict:
        return next(h for h in self.json["hits"] if h["id"] == doc_id)

    def facet(self, field: str) -> dict:
        return {f["value"]: f["count"] for f in self.json["facets"][field]}


def run_cli(*args: str, cwd: str | Path | None = None, env: dict | None = None) -> Run:
    """Run ``readsearch ARGS`` in this process; returns exit code, stdout and stderr."""
    from readsearch.cli import main

    out_b, err_b = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_b, encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(err_b, encoding="utf-8", write_through=True)
    old = sys.stdout, sys.stderr, os.getcwd()
    old_env = dict(os.environ)
    sys.stdout, sys.stderr = out, err
    if cwd is not None:
        os.chdir(cwd)
    if env:
        os.environ.update(env)
    os.environ.pop("READSEARCH_INDEX", None) if not (env and "READSEARCH_INDEX" in env) else None
    try:
        try:
            main(list(args))
            rc = 0
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    finally:
        sys.stdout, sys.stderr = old[0], old[1]
        os.chdir(old[2])
        os.environ.clear()
        os.environ.update(old_env)
    return Run(rc, out_b.getvalue().decode("utf-8"), err_b.getvalue().decode("utf-8"))


def write_corpus(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` below ``root``; returns ``root``."""
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return root


def run_shared_case(case: str) -> None:
    """Run one handed case through ../shared/cases/run_cases.py against the installed CLI and
    assert it prints PASS (skips when ../shared is absent)."""
    import shutil
    import subprocess

    runner = SHARED / "cases" / "run_cases.py"
    if not runner.exists():
        pytest.skip("../shared is not available")
    exe = shutil.which("readsearch") or os.path.join(os.path.dirname(sys.executable), "readsearch")
    p = subprocess.run([sys.executable, str(runner), str(SHARED / "cases" / "cases.yaml"), exe, "--only", case],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and f"PASS  {case}" in p.stdout, p.stdout + p.stderr


@pytest.fixture
def shared() -> Path:
    """The ../shared folder, or skip when it is absent."""
    if not (SHARED / "corpus" / "manifest.jsonl").exists():
        pytest.skip("../shared is not available")
    return SHARED


@pytest.fixture
def small(tmp_path):
    """Factory: write a small corpus in tmp_path/corpus, index it into tmp_path/idx."""

    def make(files: dict[str, str | bytes]) -> tuple[Path, str]:
        corpus = write_corpus(tmp_path / "corpus", files)
        idx = str(tmp_path / "idx")
        r = run_cli("index", str(corpus), "--index", idx, "--quiet")
        assert r.rc == 0, r.err
        return corpus, idx

    return make
