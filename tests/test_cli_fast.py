"""The CLI's fast path for scripted ``query`` lines (no typer) against the typer app it stands in for.

Every command line below runs twice, once as ``main`` takes it and once forced through the typer
app; stdout, stderr and the exit code must be the same. The option tables of the fast parser are
checked against the typer command's parameters, so a changed option cannot drift silently.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from conftest import run_cli
from readsearch import cli

CORPUS = {
    "a.md": "---\ntitle: Lavrov and Vučić on energy security\ndate: 2023-02-01\ncountry: [Serbia, Russia]\n---\n"
            "Sergey Lavrov and Aleksandar Vučić discussed energy security and gas supplies by phone. #RussiaSerbia",
    "b.md": "---\ntitle: NATO meeting\ndate: 2022-06-28\n---\nNATO foreign ministers met in Madrid on energy and "
            "security. Serbia was not discussed.",
    "c.txt": "The energy security partnership was reviewed at a meeting in Brussels.",
    "d.txt": "The energy security partnership was reviewed at a meeting in Brussels.",  # duplicate of c
    "e.txt": "Nothing about gas here; a call on trade and grain.",
}

#: command lines the fast parser takes (INDEX is replaced by the index folder)
FAST = [
    ["query", '"energy security"', "--format", "ids", "--index", "INDEX"],
    ["query", "energy security", "--format", "json", "--index", "INDEX"],
    ["query", "energy", "--format", "jsonl", "--index=INDEX", "--limit", "2", "--offset", "1"],
    ["query", "energy", "-f", "csv", "--index", "INDEX", "-n", "0", "--duplicates", "show"],
    ["query", "--index", "INDEX", "--format", "json", "--facets", "gas"],
    ["query", "", "--country", "Serbia", "-c", "RU", "--index", "INDEX", "--format", "json"],
    ["query", "", "--country", "Narnia", "--index", "INDEX", "--format", "json"],
    ["query", "", "--person", "vucic", "--sort", "-date", "--format", "ids", "--index", "INDEX"],
    ["query", "", "--since", "2023", "--until", "2023-12-31", "--format=ids", "--index", "INDEX"],
    ["query", "", "--since", "2023-02-30", "--format", "ids", "--index", "INDEX"],
    ["query", "", "--kind", "chat", "--format", "ids", "--index", "INDEX"],
    ["query", "", "--hashtag", "russiaserbia", "-t", "energy", "--format", "json", "--index", "INDEX"],
    ["query", "", "--organization", "NATO", "--issuer", "x", "--participant", "Lavrov", "--initiative", "RS",
     "--format", "json", "--index", "INDEX"],
    ["query", "nothing-like-this", "--format", "ids", "--index", "INDEX"],
    ["query", "energy", "--format", "xml", "--index", "INDEX"],
    ["query", "energy", "--sort", "size", "--index", "INDEX", "--format", "ids"],
    ["query", "energy", "--duplicates", "maybe", "--index", "INDEX", "--format", "ids"],
    ["query", "energy", "--format", "json", "--format", "ids", "--index", "INDEX", "--limit", "5", "-n", "1"],
    ["query", "energy", "--format", "table", "--no-color", "--index", "INDEX"],
    ["query", "energy", "--color", "--no-color", "--index", "INDEX"],
    ["query", "energy AND (", "--format", "json", "--index", "INDEX"],
    ["query", "--format", "ids", "--index", "INDEX", "--", "-gas energy"],
    ["query", "--format", "ids", "--index", "INDEX"],
    ["query", "energy", "--format", "ids", "--index", "INDEX-missing"],
    ["query", "energy", "--format", "ids"],  # default index (none in the working folder)
    ["query", "energy", "--format", "ids", "--index", ""],
    ["query", "energy", "--index", "--format"],
    ["query", "--format", "ids", "--index", "INDEX", "--sort", "-date", "--since", "-"],
    ["query", "--batch", "--index", "INDEX"],
    ["query", "x", "--batch", "--index", "INDEX"],
    ["query", "--batch", "--format", "ids", "--index", "INDEX"],
    # a page past the last match: matches exist (exit 0) with ids too (it said 1, the others 0)
    ["query", "energy", "--format", "ids", "--limit", "20", "--offset", "20", "--index", "INDEX"],
    ["query", "energy", "--format", "json", "--limit", "20", "--offset", "20", "--index", "INDEX"],
]

#: command lines left to typer (help, usage errors, forms the fast parser does not take)
TYPER = [
    ["query", "--help"], ["query", "x", "-h"], ["query", "--bogus"], ["query", "x", "y"],
    ["query", "x", "--limit", "many"], ["query", "x", "--limit", "-1"], ["query", "x", "--limit"],
    ["query", "x", "-fids"], ["query", "x", "-n5"], ["query", "x", "--facets=yes"], ["query", "-"],
    ["query", "-gas"], ["--version"], ["query", "x", "--limit", " 5"],
    ["nosuch"], [], ["show"],
]

BATCH_STDIN = 'energy\n{"query": "gas", "country": ["RS"], "since": "2022"}\n{"bad": 1}\n{not json\n'


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from conftest import write_corpus

    root = tmp_path_factory.mktemp("fast")
    corpus = write_corpus(root / "corpus", CORPUS)
    idx = str(root / "idx")
    r = run_cli("index", str(corpus), "--index", idx, "--quiet")
    assert r.rc == 0, r.err
    return idx


def _run(argv: list[str], monkeypatch, tmp_path, force_typer: bool):
    with monkeypatch.context() as m:
        m.setattr(sys, "stdin", io.StringIO(BATCH_STDIN))
        if force_typer:
            m.setattr(cli, "parse_query_argv", lambda argv: None)
        return run_cli(*argv, cwd=tmp_path)


def _fill(argv: list[str], idx: str) -> list[str]:
    return [a.replace("INDEX", idx) for a in argv]


@pytest.mark.parametrize("argv", FAST, ids=" ".join)
def test_fast_path_prints_what_typer_prints(argv, index, monkeypatch, tmp_path):
    argv = _fill(argv, index)
    assert cli.parse_query_argv(argv) is not None
    fast = _run(argv, monkeypatch, tmp_path, force_typer=False)
    slow = _run(argv, monkeypatch, tmp_path, force_typer=True)
    assert (fast.rc, fast.out, fast.err) == (slow.rc, slow.out, slow.err)
    assert fast.rc in (0, 1, 2) and "Traceback" not in fast.err


@pytest.mark.parametrize("argv", TYPER, ids=lambda a: " ".join(a) or "(none)")
def test_other_command_lines_go_to_typer(argv, index, monkeypatch, tmp_path):
    argv = _fill(argv, index)
    assert cli.parse_query_argv(argv) is None
    r = _run(argv, monkeypatch, tmp_path, force_typer=False)
    assert r.rc in (0, 2) and "Traceback" not in r.err
    if r.rc == 2:
        assert len(r.err.strip().splitlines()) == 1 and r.err.startswith("readsearch: ")


def test_fast_path_results_are_real(index, tmp_path):
    r = run_cli("query", '"energy security"', "--format", "json", "--index", index)
    assert r.rc == 0 and "a.md" in r.ids
    r = run_cli("query", "--format", "ids", "--index", index, "--", "-gas energy")
    assert r.rc == 0 and "e.txt" not in r.out.split()


def test_parser_repeats_and_last_value_wins():
    kw = cli.parse_query_argv(["query", "q", "-c", "RS", "--country=RU", "-n", "3", "--limit", "4", "--facets",
                               "--index", "a", "--index", "b"])
    assert kw["query"] == "q" and kw["filters"]["country"] == ["RS", "RU"]
    assert kw["limit"] == 4 and kw["facets"] is True and kw["index"] == "b"


def test_fast_parser_tables_match_the_typer_command():
    """Every option of the typer ``query`` command is known to the fast parser with the same
    names, kind (flag, repeatable, integer) and default, and the parser knows no other."""
    import typer

    from readsearch.commands import app

    command = typer.main.get_command(app).commands["query"]
    known: set[str] = set(cli.FILTER_OPTIONS) | set(cli.VALUE_OPTIONS) | set(cli.FLAG_OPTIONS)
    seen: set[str] = set()
    for p in command.params:
        if p.param_type_name == "argument":
            assert p.name == "query" and p.default == cli.QUERY_DEFAULTS["query"]
            continue
        names = list(p.opts) + list(p.secondary_opts)
        seen.update(names)
        if p.name in cli.FILTER_FIELDS:
            assert p.multiple and p.default in ([], (), None)
            assert {o for o in p.opts} == {o for o, f in cli.FILTER_OPTIONS.items() if f == p.name}
        elif getattr(p, "is_flag", False):
            for o in p.opts:
                assert cli.FLAG_OPTIONS[o][0] == p.name
            if p.secondary_opts:
                assert [cli.FLAG_OPTIONS[o] for o in p.opts + p.secondary_opts] == [(p.name, True), (p.name, False)]
            assert p.default == cli.QUERY_DEFAULTS[p.name]
        else:
            param = p.name
            assert not p.multiple
            for o in p.opts:
                assert cli.VALUE_OPTIONS[o][0] == param, o
                assert p.type.name == ("int" if cli.VALUE_OPTIONS[o][1] is int else "str"), (o, p.type.name)
            assert p.default == cli.QUERY_DEFAULTS[param], param
        if p.envvar:
            assert p.name == "index"
    assert known - {"-h", "--help"} == seen - {"-h", "--help"}


def test_fast_query_process_imports_neither_typer_nor_rich(index):
    """A scripted lookup imports what it needs: no typer/click, no rich, and not the modules Whoosh,
    cached_property and dataclasses import without using them (urllib.request, asyncio, morph_en,
    inspect, the Porter stemmer, Double Metaphone, edit distances; and for ``--format ids``, which
    folds no text for snippets, also tempfile, shutil, calendar, html, queue, hashlib, random,
    threading, whoosh.sorting: folding non-ASCII text loads anyascii, whose data files come
    through importlib.resources, which imports tempfile)."""
    code = ("import sys\nfrom readsearch.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    rc = e.code\n"
            "mods = [m for m in ('typer', 'click', 'rich', 'urllib.request', 'asyncio', 'whoosh.lang.morph_en',\n"
            "                   'inspect', 'whoosh.lang.porter', 'whoosh.lang.dmetaphone',\n"
            "                   'whoosh.support.levenshtein', 'whoosh.automata.lev') if m in sys.modules]\n"
            "if sys.argv[4] == 'ids':\n"
            "    mods += [m for m in ('tempfile', 'shutil', 'calendar', 'html', 'queue', 'hashlib', 'random',\n"
            "                         'threading', 'whoosh.sorting') if m in sys.modules]\n"
            "print(rc, *mods, file=sys.stderr)\n")
    for fmt in ("ids", "json", "jsonl", "csv"):
        p = subprocess.run([sys.executable, "-c", code, "query", "energy", "--format", fmt, "--index", index],
                           capture_output=True, text=True, timeout=120, env=dict(os.environ))
        assert p.stderr.strip() == "0", (fmt, p.stderr)
        assert p.stdout
        if fmt == "json":
            assert json.loads(p.stdout)["hits"]


def test_lookup_process_ends_with_its_exit_code_and_flushed_output(index):
    """``main()`` as the process entry point ends a lookup with os._exit: output and exit code
    must survive it (stdout to a pipe and to a file)."""
    code = "from readsearch.cli import main; main()"
    for args, rc in ((["energy security", "--format", "json"], 0), (["zzzqqq", "--format", "ids"], 1),
                     (["energy", "--format", "ids", "--sort", "bogus"], 2)):
        p = subprocess.run([sys.executable, "-c", code, "query", *args, "--index", index],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == rc, (args, p.stderr)
        if rc == 0:
            assert json.loads(p.stdout)["hits"]
        if rc == 2:
            assert p.stderr.startswith("readsearch: --sort") and len(p.stderr.splitlines()) == 1


def test_deferred_modules_load_on_first_use():
    code = (
        "import sys\nfrom readsearch.lean import deferred_modules\n"
        # threading, which Whoosh's file storage and collectors import for a lock and a timer
        "with deferred_modules():\n"
        "    from threading import Lock\n"
        "    import whoosh.collectors as collectors\n"
        "assert 'threading' not in sys.modules\n"
        "lock = Lock()\n"
        "assert lock.acquire(blocking=False) and not lock.acquire(blocking=False)\n"
        "assert collectors.threading.Timer is sys.modules['threading'].Timer\n"
        "with deferred_modules():\n"
        "    from hashlib import md5\n"
        "    from shutil import copyfileobj\n"
        "assert 'hashlib' not in sys.modules and 'shutil' not in sys.modules\n"
        "import io\n"
        "assert md5(b'readout', usedforsecurity=False).hexdigest() == '700cc7f1544e8c4542d2d7f10455cdca'\n"
        "out = io.BytesIO(); copyfileobj(io.BytesIO(b'abc'), out); assert out.getvalue() == b'abc'\n"
        "import hashlib\n"
        "assert md5(b'readout').hexdigest() == hashlib.md5(b'readout').hexdigest()\n"
        "with deferred_modules():\n"
        "    from urllib.request import urlretrieve\n"
        "    import asyncio\n"
        "    from whoosh.query import terms\n"
        "assert 'urllib.request' not in sys.modules and 'asyncio' not in sys.modules\n"
        "async def co(): pass\n"
        "def f(): pass\n"
        "import functools\n"
        "class C:\n    async def m(self): pass\n    def n(self): pass\n"
        "cases = [co, f, functools.partial(co), C().m, C().n, C.m, len, 3, None]\n"
        "mine = [asyncio.iscoroutinefunction(x) for x in cases]\n"
        "assert 'asyncio' not in sys.modules and 'inspect' not in sys.modules\n"
        "import inspect\n"
        "assert mine == [inspect.iscoroutinefunction(x) for x in cases] == [1, 0, 1, 1, 0, 1, 0, 0, 0]\n"
        "import urllib.request\n"
        "assert type(urllib.request).__name__ == 'module' and urllib.request.urlopen\n"
        "assert asyncio.get_event_loop_policy() is not None and 'asyncio' in sys.modules\n"
        "assert type(sys.modules['asyncio']).__name__ == 'module'\n"
        "assert 'whoosh.lang.morph_en' not in sys.modules\n"
        "assert 'render' in terms.variations('rendering')\n"
        "assert type(sys.modules['whoosh.lang.morph_en']).__name__ == 'module'\n"
        # Whoosh's Porter stemmer, Double Metaphone, edit distance and Levenshtein automata
        "with deferred_modules():\n"
        "    import whoosh.analysis.morph as morph, whoosh.reading as reading, whoosh.codec.base as cb\n"
        "gone = ('whoosh.lang.porter', 'whoosh.lang.dmetaphone', 'whoosh.support.levenshtein', 'whoosh.automata.lev')\n"
        "assert not [m for m in gone if m in sys.modules]\n"
        "assert morph.stem('talks') == 'talk' and morph.double_metaphone('Smith')[0] == 'SM0'\n"
        "assert reading.distance('lavrov', 'lavrof') == 1\n"
        "assert cb.lev.levenshtein_automaton('vucic', 1).accept('vucik')\n"
        "assert [type(sys.modules[m]).__name__ for m in gone] == ['module'] * 4\n"
        "print('ok')\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stdout.strip() == "ok", p.stderr


def test_page_past_the_end_and_batch_format_exit_codes(index, monkeypatch, tmp_path):
    for fmt in ("ids", "json", "csv"):
        r = _run(_fill(["query", "energy", "--format", fmt, "--limit", "20", "--offset", "20", "--index", "INDEX"],
                       index), monkeypatch, tmp_path, force_typer=False)
        assert r.rc == 0, fmt
    r = _run(_fill(["query", "zzzqqq", "--format", "ids", "--offset", "20", "--index", "INDEX"], index),
             monkeypatch, tmp_path, force_typer=False)
    assert r.rc == 1
    r = _run(_fill(["query", "--batch", "--format", "ids", "--index", "INDEX"], index), monkeypatch, tmp_path,
             force_typer=False)
    assert r.rc == 2 and r.err.strip() == ("readsearch: --format ids: --batch writes JSON Lines (one result per "
                                           "input line); leave --format out")
