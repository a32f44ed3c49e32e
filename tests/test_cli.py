"""CLI behaviour every command shares: help with examples, one-line errors, exit codes."""
from __future__ import annotations

import json

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


def test_version():
    r = run_cli("--version")
    assert r.rc == 0 and r.out.startswith("readsearch ")


@pytest.mark.parametrize("args", [["--since", "2023-02-30"], ["--until", "2023-13"], ["--kind", "chat"]])
def test_impossible_dates_and_unknown_kinds_are_usage_errors(small, args):
    _, idx = small({"a.md": "---\ndate: 2023-02-01\n---\nText."})
    r = run_cli("query", "", "--index", idx, *args)
    assert r.rc == 2 and len(r.err.strip().splitlines()) == 1


def test_unknown_filter_values_are_explained(small):
    _, idx = small({"a.md": "---\ncountry: [Serbia]\n---\nText."})
    r = run_cli("query", "", "--country", "Narnia", "--index", idx, "--format", "json")
    assert r.rc == 1 and r.json["warnings"] == ["--country 'Narnia' is not a known country (nothing can match it)"]
    r = run_cli("query", "country:Narnia", "--index", idx, "--format", "json")
    assert r.rc == 1 and r.json["warnings"] == ["country:Narnia is not a known country (nothing can match it)"]


def test_filter_values_in_no_indexed_readout_are_explained_with_close_spellings(small):
    # a misspelt person or hashtag used to answer "0 readouts match" and nothing else
    _, idx = small({"a.md": "Foreign Minister Sergey Lavrov met President Aleksandar Vučić. #RussiaSerbia"})
    args = ("--index", idx, "--format", "json")
    r = run_cli("query", "", "--person", "Sergei Lavrof", *args)
    assert r.rc == 1 and r.json["warnings"] == [
        "--person 'Sergei Lavrof' matches no indexed person; did you mean 'Sergey Lavrov'?"]
    r = run_cli("query", "", "--hashtag", "#RussiaSerbiaa", "--person", "Nobody Atall", *args)
    assert r.rc == 1 and r.json["warnings"] == [
        "--person 'Nobody Atall' matches no indexed person",
        "--hashtag '#RussiaSerbiaa' matches no indexed hashtag; did you mean 'RussiaSerbia'?"]
    r = run_cli("query", "", "--person", "sergey lavrov", "--hashtag", "russiaserbia", *args)
    assert r.rc == 0 and r.ids == ["a.md"] and "warnings" not in r.json
    # a surname alone is a valid filter, so a misspelt one is compared with surnames too
    r = run_cli("query", "", "--person", "Lavrof", *args)
    assert r.rc == 1 and r.json["warnings"] == [
        "--person 'Lavrof' matches no indexed person; did you mean 'Sergey Lavrov'?"]
    assert run_cli("query", "", "--person", "Lavrov", *args).ids == ["a.md"]
    # the same values written as field:value clauses get the same notes
    r = run_cli("query", 'person:"Sergei Lavrof"', *args)
    assert r.rc == 1 and r.json["warnings"] == [
        "person:\"Sergei Lavrof\" matches no indexed person; did you mean 'Sergey Lavrov'?"]
    r = run_cli("query", "hashtag:RussiaSerbiaa", *args)
    assert r.rc == 1 and r.json["warnings"] == [
        "hashtag:RussiaSerbiaa matches no indexed hashtag; did you mean 'RussiaSerbia'?"]


def test_limit_zero_lists_every_hit(small):
    _, idx = small({f"r{i}.txt": f"Readout {i} text." for i in range(14)})
    r = run_cli("query", "", "--index", idx, "--format", "ids", "--limit", "0")
    assert len(r.out.split()) == 14


def test_missing_segment_is_reported_as_damage(small):
    import glob
    import os

    _, idx = small({"a.txt": "Text."})
    for seg in glob.glob(os.path.join(idx, "*.seg")):
        os.remove(seg)
    r = run_cli("query", "text", "--index", idx)
    assert r.rc == 2 and "damaged" in r.err and "--rebuild" in r.err and "internal error" not in r.err


def test_extract_skips_empty_files_with_a_warning(tmp_path):
    from conftest import write_corpus

    c = write_corpus(tmp_path / "c", {"a.txt": "Lavrov met Vučić.", "empty.txt": ""})
    r = run_cli("extract", str(c), "--format", "jsonl")
    assert r.rc == 0 and [json_path(line) for line in r.out.splitlines()] == ["a.txt"]
    assert "empty.txt" in r.err and "warning" in r.err


def test_extract_json_is_one_array_of_the_jsonl_objects(tmp_path):
    # extract took jsonl only, where every other command takes json
    from conftest import write_corpus

    c = write_corpus(tmp_path / "c", {"a.txt": "Lavrov met Vučić.", "b.txt": "Talks on gas with Serbia."})
    lines = run_cli("extract", str(c), "--format", "jsonl", "--explain")
    whole = run_cli("extract", str(c), "-f", "json", "--explain")
    assert whole.rc == 0 and whole.json == [json.loads(line) for line in lines.out.splitlines()]
    assert [d["path"] for d in whole.json] == ["a.txt", "b.txt"]
    assert whole.json[0]["persons"] == ["Aleksandar Vučić", "Sergey Lavrov"] and whole.json[1]["countries"] == ["RS"]
    assert whole.json[0]["evidence"]


def json_path(line: str) -> str:
    import json

    return json.loads(line)["path"]


def test_index_option_naming_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("Text.", encoding="utf-8")
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("mine", encoding="utf-8")
    r = run_cli("index", str(tmp_path / "c"), "--index", str(not_a_folder))
    assert r.rc == 2 and r.err.strip() == f"readsearch: --index {not_a_folder}: is a file, not an index folder"
    assert not_a_folder.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("args", [["query", "Lavrov"], ["query", "Lavrov", "--format", "ids"],
                                  ["show", "a.txt"], ["similar", "a.txt"]])
def test_reading_commands_name_a_file_given_as_index(tmp_path, args):
    # "no index at FILE: build one with `readsearch index PATH --index FILE`" sent the user to a
    # command that refuses a file
    not_a_folder = tmp_path / "README.md"
    not_a_folder.write_text("mine", encoding="utf-8")
    r = run_cli(*args, "--index", str(not_a_folder))
    assert r.rc == 2 and r.err.strip() == f"readsearch: --index {not_a_folder}: is a file, not an index folder"


def test_index_option_naming_a_folder_of_readouts_says_so(tmp_path):
    # `query gas --index corpus` (the readouts' folder, not an index) suggested
    # `readsearch index PATH --index corpus`: an index written into the readouts' folder
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("Gas talks.", encoding="utf-8")
    r = run_cli("query", "gas", "--index", str(corpus))
    assert r.rc == 2 and r.err.strip() == (
        f"readsearch: no index at {corpus}: the folder holds other files (readouts?); "
        f"index them with `readsearch index {corpus}`, then query without --index")
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run_cli("query", "gas", "--index", str(empty))
    assert r.rc == 2 and r.err.strip() == (
        f"readsearch: no index at {empty}: build one with `readsearch index PATH --index {empty}`")


@pytest.mark.parametrize("fmt", ["ids", "jsonl", "csv"])
def test_query_notes_go_to_stderr_in_line_formats(small, fmt):
    _, idx = small({"a.txt": "The Community of Serb Municipalities was discussed."})
    r = run_cli("query", '"Community of Serb', "--index", idx, "--format", fmt)
    assert r.rc == 0
    assert r.err.strip() == "readsearch: note: an unbalanced quote was closed at the end of the query"
    assert "unbalanced" not in r.out
    if fmt == "ids":
        assert r.out == "a.txt\n"


@pytest.mark.parametrize("query, note", [
    ("talks (2019", "an unclosed parenthesis was closed at the end of the query"),
    ("talks) 2019", "a ')' with no '(' before it was ignored"),
    ('"talks (of 2019"', None),              # a bracket inside quotes is punctuation
    # an operator with nothing on one side was dropped without a word
    ("talks 2019 AND", "'AND' at the end of the query joins nothing: ignored"),
    ("OR talks 2019", "'OR' at the start of the query joins nothing: ignored"),
    ("talks AND OR 2019", "'AND OR': two operators in a row, only the first was used"),
    ('"talks AND" 2019', None),              # inside quotes it is a word
])
def test_unbalanced_parentheses_get_a_note(small, query, note):
    _, idx = small({"r.txt": "The sanctions talks of 2019 were held in Moscow."})
    r = run_cli("query", query, "--index", idx, "--format", "ids")
    assert r.rc == 0 and r.out == "r.txt\n", (query, r.err)
    assert r.err.strip() == (f"readsearch: note: {note}" if note else ""), query
    j = run_cli("query", query, "--index", idx, "--format", "json")
    assert json.loads(j.out).get("warnings", []) == ([note] if note else [])


def test_a_doubled_operator_is_read_as_the_first(small):
    # 'gas AND AND oil' said one operator was used but searched gas OR oil; 'NOT NOT' failed
    _, idx = small({"a.txt": "Gas and oil talks.", "b.txt": "Gas prices.", "c.txt": "Oil prices."})

    def run(q):
        r = run_cli("query", q, "--index", idx, "--format", "json", "--limit", "0")
        return sorted(h["id"] for h in r.json["hits"]), r.json.get("warnings", [])

    assert run("gas AND AND oil") == (["a.txt"], ["'AND AND': two operators in a row, only the first was used"])
    assert run("gas OR AND oil") == (["a.txt", "b.txt", "c.txt"],
                                     ["'OR AND': two operators in a row, only the first was used"])
    assert run("gas NOT NOT oil") == (["b.txt"], ["'NOT NOT': two operators in a row, only the first was used"])
    assert run("gas AND NOT oil") == (["b.txt"], [])
    assert run('gas AND "oil talks" AND') == (["a.txt"], ["'AND' at the end of the query joins nothing: ignored"])


def test_empty_filter_values_are_usage_errors_not_silent_empty_results(small):
    # --country '' (a script's empty variable) gave "0 readouts match", exit 1, and no word
    _, idx = small({"a.txt": "Lavrov met Vucic in Belgrade to discuss Serbia."})
    for args, line in (
            (["--country", ""], "--country '': give a value, or leave the option out"),
            (["--person", " "], "--person ' ': give a value, or leave the option out"),
            (["--topic", ""], "--topic '': give a value, or leave the option out")):
        r = run_cli("query", "Lavrov", "--index", idx, *args)
        assert r.rc == 2 and r.err.strip() == f"readsearch: {line}", args
    r = run_cli("query", 'Lavrov country:""', "--index", idx)
    assert r.rc == 2 and r.err.strip() == ('readsearch: country:"" has no value: write country:VALUE, '
                                           'or leave the clause out')
    # a field name inside a phrase is words, not a clause
    r = run_cli("query", 'Lavrov "country:"', "--index", idx, "--format", "ids")
    assert r.rc == 0 and r.out == "a.txt\n"


def test_a_negative_limit_or_offset_is_named(small):
    # query said "--limit and --offset must be 0 or more" whichever was wrong
    _, idx = small({"a.txt": "Gas talks."})
    for cmd, args, line in ((["query", "gas"], ["-n", "-1"], "--limit -1: must be 0 or more"),
                            (["query", "gas"], ["--offset", "-2"], "--offset -2: must be 0 or more"),
                            (["similar", "a.txt"], ["-n", "-1"], "--limit -1: must be 0 or more")):
        r = run_cli(*cmd, "--index", idx, *args)
        assert r.rc == 2 and r.err.strip() == f"readsearch: {line}", (cmd, args, r.err)


def test_offset_past_the_last_match_says_so(small):
    # it printed "3 readouts match" and nothing else
    _, idx = small({f"r{i}.txt": f"Gas talks, round {i}." for i in range(3)})
    r = run_cli("query", "gas", "--index", idx, "--offset", "5", "--format", "json")
    assert r.rc == 0 and r.json["total"] == 3 and r.json["hits"] == []
    assert r.json["warnings"] == ["--offset 5 is past the last of the 3 matches"]
    r = run_cli("query", "gas", "--index", idx, "--offset", "5", "--format", "ids")
    assert r.rc == 0 and r.out == "" and r.err.strip() == "readsearch: note: --offset 5 is past the last of the 3 matches"
    assert "warnings" not in run_cli("query", "gas", "--index", idx, "--offset", "2", "--format", "json").json


def test_a_query_of_operators_alone_says_so(small):
    # "AND" alone was told "punctuation and symbols are ignored"
    _, idx = small({"r.txt": "The sanctions talks of 2019 were held in Moscow."})
    r = run_cli("query", "AND", "--index", idx, "--format", "ids")
    assert r.rc == 1 and r.err.strip() == ("readsearch: note: the query holds only operators (AND, OR, "
                                           "NOT) and nothing to search; lowercase words are searched as words")


def test_every_format_option_is_checked_and_empty_values_are_errors(small):
    # `index --format yaml` printed the text summary and `show --format csv` the table, exit 0;
    # `--index ""` quietly meant ./index and `--field body=` mapped the body to nothing
    corpus, idx = small({"a.md": "Sergey Lavrov met Aleksandar Vučić."})
    for args, want in (
            (["index", str(corpus), "--index", idx, "--format", "yaml"], "--format 'yaml': use one of text, json"),
            (["show", "a.md", "--index", idx, "--format", "csv"], "--format 'csv': use one of table, json"),
            (["similar", "a.md", "--index", idx, "--format", "xml"],
             "--format 'xml': use one of table, json, jsonl, csv, ids"),
            (["extract", str(corpus), "--format", "csv"], "--format 'csv': use one of table, jsonl, json"),
            (["query", "Lavrov", "--index", idx, "--format", "yaml"],
             "--format 'yaml': use one of table, json, jsonl, csv, ids"),
            (["query", "Lavrov", "--index", ""], "--index '': give the index folder (or leave --index out "
                                                 "for $READSEARCH_INDEX or ./index)"),
            (["show", "a.md", "--index", " "], "--index ' ': give the index folder (or leave --index out "
                                                "for $READSEARCH_INDEX or ./index)"),
            (["index", str(corpus), "--index", idx, "--field", "body="],
             "--field 'body=': give the record's field after '=', e.g. body=content")):
        r = run_cli(*args)
        assert (r.rc, r.err) == (2, f"readsearch: {want}\n"), args
    assert run_cli("show", "a.md", "--index", idx, "--format", "json").rc == 0


def test_show_into_a_pipe_keeps_long_ids_and_paths_whole(small):
    name = "2022-05-29-telephone-conversation-with-president-of-serbia-aleksandar-vucic-on-gas.md"
    corpus, idx = small({name: "---\ntitle: Telephone conversation\n---\nSergey Lavrov spoke with Aleksandar Vučić."})
    r = run_cli("show", name, "--index", idx)
    assert r.rc == 0
    lines = r.out.splitlines()
    assert lines[0] == f"id: {name}" and lines[1] == "title: Telephone conversation"
    assert f"path: {corpus / name}" in lines
    assert lines[-1] == "Sergey Lavrov spoke with Aleksandar Vučić."


@pytest.mark.parametrize("query, note", [
    ("foo:bar", "'foo' is not a field, so 'foo:' and what follows were searched as words (fields: country, "
                "person, participant, topic, hashtag, organization, issuer, kind, initiative, language, year, "
                "date, published, id, title, body)"),
    ("talks country:", "country: has no value (write country:VALUE); 'country' was searched as a word"),
    ("Brussels:talks", None), ('"talks b:c"', None), ("country:Serbia talks", None), ("title:talks", None),
])
def test_clauses_naming_no_field_or_no_value_get_a_note(small, query, note):
    # `foo:bar` and `country:` used to run changed without a word
    _, idx = small({"r.txt": "---\ncountry: [Serbia]\n---\nTalks in Brussels about the country."})
    r = run_cli("query", query, "--index", idx, "--format", "json")
    assert r.json.get("warnings", []) == ([note] if note else []), query


def test_help_paragraphs_wrap_to_the_terminal():
    # the docstrings' own line breaks (at ~90 characters) were kept by Typer's Rich help and
    # wrapped again at 80 columns: "...YAML front" / "matter), saved" / "web pages..."
    from readsearch import commands

    for cmd in (commands.index_cmd, commands.query_cmd, commands.similar_cmd, commands.show_cmd,
                commands.extract_cmd):
        for para in cmd.__doc__.split("\n\n"):
            assert "\n" not in para or all(r.startswith("  ") for r in para.split("\n")), para
    r = run_cli("index", "--help", env={"COLUMNS": "80"})
    assert r.rc == 0 and "matter), saved web pages (.html, .htm)" in r.out
    assert "\n   readsearch index corpus/ --rebuild --format json > report.json" in r.out
    # the top-level example searches the phrase, as README and `query --help` do (its shell
    # quoting searched the three words)
    top = [ln.strip() for ln in run_cli("--help", env={"COLUMNS": "80"}).out.splitlines()]
    assert "readsearch query '\"Community of Serb Municipalities\"' --country Serbia" in top
    # every example stays on one line at 80 columns, so that it can be pasted
    # (`show ... --format json` and `extract ... --explain` were broken in two)
    for name, cmd in (("index", commands.index_cmd), ("query", commands.query_cmd),
                      ("similar", commands.similar_cmd), ("show", commands.show_cmd),
                      ("extract", commands.extract_cmd)):
        lines = [ln.rstrip() for ln in run_cli(name, "--help", env={"COLUMNS": "80"}).out.splitlines()]
        examples = [ln.strip() for ln in cmd.__doc__.splitlines() if ln.strip().startswith("readsearch ")]
        assert examples, name
        for ex in examples:
            assert f"   {ex}" in lines, (name, ex)


@pytest.mark.parametrize("command", ["index", "query", "show", "extract", "similar"])
def test_every_option_names_what_it_takes(command):
    # the options panel showed Typer's type names (`--index <str>`, `--limit <int>`,
    # `--max-mb <float range>`) where a user wants DIR, N, MIB; a new user's check found it
    import re

    r = run_cli(command, "--help", env={"COLUMNS": "120"})
    options = r.out[r.out.index("Options"):]
    assert r.rc == 0 and not re.search(r"<(str|int|float)", options), options
    if command == "query":
        assert re.search(r"--since +DATE ", options) and re.search(r"--limit +-n +N ", options)
        assert "Usage: readsearch query [OPTIONS] [QUERY]" in r.out
    if command == "index":
        assert re.search(r"--index +DIR ", options) and re.search(r"--field +NAME=FIELD ", options)
