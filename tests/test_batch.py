"""Batch lookups: many queries, one searcher, JSON Lines out (CLI and API)."""
from __future__ import annotations

import io
import json
import sys

from conftest import run_cli

FILES = {
    "rs.md": "---\ntitle: Gas\ndate: 2022-05-29\ncountry: [Serbia, Russia]\n---\nGas supplies to Serbia were discussed.",
    "tr.md": "---\ntitle: Grain\ndate: 2023-09-04\ncountry: [Turkey]\n---\nGrain exports and gas were discussed.",
}


def test_batch_cli_reads_text_and_json_lines(small, monkeypatch):
    _, idx = small(FILES)
    stdin = 'gas\n{"query": "gas", "country": ["Serbia"]}\n{"query": "gas", "since": "2023"}\n{"query": "x", "oops": 1}\n'
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    r = run_cli("query", "--batch", "--index", idx)
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert [sorted(h["id"] for h in row.get("hits", [])) for row in rows[:3]] == [["rs.md", "tr.md"], ["rs.md"], ["tr.md"]]
    assert rows[3] == {"line": 4, "error": "unknown key(s) oops"}
    assert r.rc == 1


def test_batch_api_uses_one_searcher(small):
    from readsearch import api

    _, idx = small(FILES)
    out = list(api.search_many(["grain", {"query": "gas", "turkey": 1}, {"q": "gas", "country": "TR"}], idx,
                               api.SearchOptions(count=False, snippets=False)))
    assert [h.id for h in out[0].hits] == ["tr.md"]
    assert "unknown key" in str(out[1])
    assert [h.id for h in out[2].hits] == ["tr.md"] and out[2].total == -1


def test_batch_blank_line_is_an_error_not_every_readout(small, monkeypatch):
    # a blank line in a script's input (an empty variable, a stray newline) must not answer
    # with every readout of the index; the lines after it keep their place in the output
    _, idx = small(FILES)
    monkeypatch.setattr(sys, "stdin", io.StringIO('grain\n\n   \n"gas"\n*\n'))
    r = run_cli("query", "--batch", "--index", idx)
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert len(rows) == 5
    assert [h["id"] for h in rows[0]["hits"]] == ["tr.md"]
    assert rows[1] == {"line": 2, "error": 'empty line: no query (a line holding * lists every readout)'}
    assert rows[2]["line"] == 3 and rows[2]["error"].startswith("empty line")
    assert sorted(h["id"] for h in rows[3]["hits"]) == ["rs.md", "tr.md"]
    assert sorted(h["id"] for h in rows[4]["hits"]) == ["rs.md", "tr.md"]
    assert r.rc == 1


def test_batch_json_list_line_is_an_error_and_a_bracketed_query_is_text(small, monkeypatch):
    _, idx = small(FILES)
    monkeypatch.setattr(sys, "stdin", io.StringIO('["gas", "Serbia"]\n[gas] supplies\n[]\ngrain\n'))
    r = run_cli("query", "--batch", "--index", idx)
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert rows[0] == {"line": 1, "error": 'a JSON line holding a list: give a JSON object ({"query": ...}) '
                                           'or a plain query'}
    assert [h["id"] for h in rows[1]["hits"]] == ["rs.md", "tr.md"]   # "[gas] supplies": a query
    assert rows[2]["line"] == 3 and rows[2]["error"].startswith("a JSON line holding a list")
    assert [h["id"] for h in rows[3]["hits"]] == ["tr.md"]
    assert r.rc == 1


def test_batch_request_values_of_the_wrong_type_are_errors(small, monkeypatch):
    # a JSON request's values are checked against their keys' types: {"query": 3} is not the
    # query "3", {"limit": "5"} not five hits; each bad line says which key, the batch goes on
    _, idx = small(FILES)
    stdin = ('{"query": 3}\n{"query": "gas", "limit": "5"}\n{"query": "gas", "limit": true}\n'
             '{"query": "gas", "country": 7}\n{"query": "gas", "facets": "country"}\n'
             '{"query": "gas", "count": 1}\n{"q": "gas", "filters": ["Serbia"]}\n'
             '{"query": "gas", "limit": 1, "country": ["Serbia"]}\n')
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    r = run_cli("query", "--batch", "--index", idx)
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert rows[:7] == [
        {"line": 1, "error": "'query' must be a string, not a number"},
        {"line": 2, "error": "'limit' must be a whole number, not a string"},
        {"line": 3, "error": "'limit' must be a whole number, not true/false"},
        {"line": 4, "error": "filter 'country' must be a string or a list of strings, not a number"},
        {"line": 5, "error": "'facets' must be true/false or a list of strings, not a string"},
        {"line": 6, "error": "'count' must be true or false, not a number"},
        {"line": 7, "error": "'filters' must be an object, not a list"},
    ]
    assert [h["id"] for h in rows[7]["hits"]] == ["rs.md"]
    assert r.rc == 1


def test_batch_answers_each_line_before_the_next_arrives(small):
    # a script may keep `readsearch query --batch` open as a co-process, writing a query and
    # reading its answer: the batch read every line up to end of input before the first answer
    import select
    import subprocess

    _, idx = small(FILES)
    p = subprocess.Popen([sys.executable, "-c", "from readsearch.cli import main; main()", "query", "--batch",
                          "--index", idx], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        answers = []
        for line in ("grain", "\n", '{"query": "gas", "country": ["Serbia"]}'):
            p.stdin.write((line.rstrip("\n") + "\n").encode())
            p.stdin.flush()
            ready, _, _ = select.select([p.stdout], [], [], 20)
            assert ready, f"no answer to {line!r} while the input stays open"
            answers.append(json.loads(p.stdout.readline()))
        assert [h["id"] for h in answers[0]["hits"]] == ["tr.md"]
        assert answers[1] == {"line": 2, "error": "empty line: no query (a line holding * lists every readout)"}
        assert [h["id"] for h in answers[2]["hits"]] == ["rs.md"]
    finally:
        p.stdin.close()
        assert p.wait(timeout=60) == 1     # one line failed
        p.stdout.close()
        p.stderr.close()
