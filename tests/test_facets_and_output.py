"""Facets (exact counts on multi-valued fields, filters resolved like text) and output formats."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from conftest import ROOT, run_cli

FILES = {
    "a.md": "---\ntitle: Energy\ndate: 2023-12-01\ncountry: [Russia, Serbia]\nhashtag: EnergyTalks\n---\nTalks on energy.",
    "b.md": "---\ntitle: Culture\ndate: 2023-12-02\ncountry: RU, RS\n---\nTalks on culture.",
    "c.md": "---\ntitle: Trade\ndate: 2022-12-03\ncountry: [Serbia]\nissuer: MFA of Serbia\n---\nTalks on trade.",
}


def q(idx, *args):
    return run_cli("query", *args, "--index", idx, "--format", "json", "--facets")


def test_multi_valued_counts_are_exact(small):
    _, idx = small(FILES)
    r = q(idx, "talks")
    assert r.facet("country") == {"RS": 3, "RU": 2}
    assert r.facet("year") == {"2023": 2, "2022": 1}
    assert r.facet("issuer") == {"MFA of Serbia": 1}
    labels = {f["value"]: f["label"] for f in r.json["facets"]["country"]}
    assert labels == {"RS": "Serbia", "RU": "Russia"}
    r = q(idx, "talks", "--country", "Russia")
    assert sorted(r.ids) == ["a.md", "b.md"] and r.facet("country") == {"RU": 2, "RS": 2}


def test_filter_values_resolve_like_text(small):
    _, idx = small(FILES)
    for value in ("serbia", "RS", "Serbian", "rs", "Republic of Serbia"):
        assert sorted(q(idx, "", "--country", value).ids) == ["a.md", "b.md", "c.md"], value
    assert sorted(q(idx, "", "--country", "RU", "--country", "RS").ids) == ["a.md", "b.md"]
    assert q(idx, "country:serbia trade").ids == ["c.md"]
    assert sorted(q(idx, "country:RU OR country:RS").ids) == ["a.md", "b.md", "c.md"]
    assert q(idx, "", "--issuer", "mfa of serbia").ids == ["c.md"]
    assert q(idx, "", "--hashtag", "#energytalks").ids == ["a.md"]


def test_facet_counts_equal_recount_from_hits(small):
    _, idx = small(FILES)
    r = run_cli("query", "", "--index", idx, "--format", "json", "--facets", "--limit", "100")
    d = json.loads(r.out)
    for field, key in (("country", "countries"), ("hashtag", "hashtags")):
        recount: dict = {}
        for h in d["hits"]:
            for v in h[key]:
                recount[v] = recount.get(v, 0) + 1
        assert {f["value"]: f["count"] for f in d["facets"][field]} == recount


def test_machine_formats(small):
    _, idx = small(FILES)
    r = run_cli("query", "talks", "--index", idx, "--format", "jsonl", "--sort", "date")
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert [x["id"] for x in rows] == ["c.md", "a.md", "b.md"]
    r = run_cli("query", "talks", "--index", idx, "--format", "csv", "--sort", "date")
    table = list(csv.DictReader(io.StringIO(r.out)))
    assert [x["id"] for x in table] == ["c.md", "a.md", "b.md"] and table[1]["countries"] == "RS;RU"
    r = run_cli("query", "talks", "--index", idx, "--format", "ids", "--sort", "-date")
    assert r.out.splitlines() == ["b.md", "a.md", "c.md"]
    r = run_cli("query", "nothing-like-this", "--index", idx, "--format", "json")
    assert r.rc == 1 and json.loads(r.out)["hits"] == []


def test_json_schema_and_highlights(small):
    _, idx = small({"x.txt": "Preamble. " * 60 + "The sides backed the Community of Serb Municipalities, said Vučić."})
    d = run_cli("query", '"Community of Serb Municipalities"', "--index", idx, "--format", "json").json
    h = d["hits"][0]
    assert set(d) >= {"query", "total", "hits", "facets", "suggestions"}
    assert set(h) >= {"id", "path", "title", "date", "issuer", "source_url", "kind", "score", "countries", "persons",
                      "topics", "hashtags", "organizations", "duplicates", "snippet", "highlights"}
    (s, e), = h["highlights"]
    assert h["snippet"][s:e] == "Community of Serb Municipalities"
    # unquoted: the words standing together are one span; a lone "of" elsewhere is not marked
    h = run_cli("query", "Community of Serb Municipalities", "--index", idx, "--format", "json").json["hits"][0]
    assert [h["snippet"][s:e] for s, e in h["highlights"]] == ["Community of Serb Municipalities"]


def test_json_survives_narrow_terminal_and_c_locale(tmp_path, small):
    _, idx = small({"long.txt": "Sergey Lavrov (Сергей Лавров) spoke with Aleksandar Vučić about energy. " * 3})
    exe = [sys.executable, "-c", "from readsearch.cli import main; main()"]
    for env in ({"COLUMNS": "40"}, {"LANG": "C", "LC_ALL": "C"}):
        p = subprocess.run(exe + ["query", "Vučić", "--index", idx, "--format", "json"], capture_output=True,
                           env={"PATH": "/usr/bin:/bin", **env}, cwd=ROOT)
        assert p.returncode == 0, p.stderr
        d = json.loads(p.stdout.decode("utf-8"))
        assert "Vučić" in d["hits"][0]["snippet"] and "Лавров" in d["hits"][0]["snippet"]


def test_table_output_to_a_pipe_keeps_each_line_whole(small):
    # piped or redirected, the table format was hard-wrapped at 80 columns: ids cut in two
    # (`...telephone-conversation-with-anto` / `ny-blinken.md`), notes split inside a name
    from conftest import run_cli

    name = "2022-07-29-sergey-lavrov-telephone-conversation-with-antony-blinken-on-grain-exports.md"
    _, idx = small({name: "Foreign Minister Sergey Lavrov talked with Antony Blinken about grain exports "
                          "from Black Sea ports and the safety of shipping corridors in wartime conditions."})
    r = run_cli("query", "grain", "--person", "Sergei Lavrof", "--index", idx)
    assert "note: --person 'Sergei Lavrof' matches no indexed person; did you mean 'Sergey Lavrov'?\n" in r.out
    r = run_cli("query", "grain", "--index", idx)
    lines = r.out.splitlines()
    assert any(line.strip().startswith(name + "  [") for line in lines)
    assert any("grain exports from Black Sea ports and the safety of shipping corridors" in line for line in lines)


def test_a_message_above_the_progress_bar_stays_one_line_on_a_narrow_terminal(monkeypatch):
    # a warning printed above the bar was wrapped at the terminal's width into several lines
    # (the bar's console wraps at word boundaries on a terminal); one message is one line
    import io

    from rich.console import Console

    from readsearch import render

    buf = io.StringIO()
    monkeypatch.setattr(render, "_console", lambda stderr=False, color=None: Console(
        file=buf, width=40, force_terminal=True, highlight=False))
    message = "readsearch: warning: " + "/tmp/some/long/folder/" * 4 + "page.md: no body text (indexed with its title)"
    with render.Progress(enabled=True, delay=0.0) as progress:
        progress.enabled = True          # stderr is not a terminal under pytest
        progress.total(3)
        progress.advance("a")
        progress.message(message)
    assert message in buf.getvalue()


def test_the_progress_bar_says_when_the_index_is_being_written(monkeypatch):
    import io

    from rich.console import Console

    from readsearch import render

    buf = io.StringIO()
    monkeypatch.setattr(render, "_console", lambda stderr=False, color=None: Console(
        file=buf, width=100, force_terminal=True, highlight=False))
    with render.Progress(enabled=True, delay=0.0) as progress:
        progress.enabled = True
        progress.total(3)
        progress.advance("a")
        progress.committing(1500)
        progress._bar.refresh()
        assert "writing 1,500 changes to the index" in buf.getvalue()
        progress.advance("b")
        progress._bar.refresh()
    assert buf.getvalue().rstrip().count("indexing") >= 2
