"""CLI behaviour every command shares: help with examples, one-line errors, exit codes."""
from __future__ import annotations

import pytest

from conftest import run_cli


@pytest.mark.parametrize("command", ["index", "query", "show", "extract", "similar"])
def test_every_command_has_help_with_examples(command):
    r = run_cli(command, "--help")
    assert r.rc == 0 and "Examples" in r.out and f"readsearch {command}" in r.out


@pytest.mark.parametrize("args", [["query", "--bogus"], ["nosuch"], ["index"], ["query", "x", "--limit", "many"]])
def test_usage_errors_are_one_line_exit_2(args, tmp_path):
    r = run_cli(*args, "--index", str(tmp_path / "idx")) if args[0] != "nosuch" else run_cli(*args)
    assert r.rc == 2
    lines = [l for l in r.err.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("readsearch: ") and "Traceback" not in r.err


def test_bare_command_prints_help_and_exits_0():
    r = run_cli()
    assert r.rc == 0 and "index" in r.out and "query" in r.out


def test_bad_format_is_a_usage_error(small):
    _, idx = small({"a.txt": "Text."})
    r = run_cli("query", "text", "--index", idx, "--format", "xml")
    assert r.rc == 2 and "--format" in r.err
