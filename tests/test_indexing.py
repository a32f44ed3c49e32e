"""Index lifecycle: incremental runs, removals, several roots, failures, exit codes, damage."""
from __future__ import annotations

import json
import os

from conftest import run_cli, write_corpus


def idx_run(corpus, idx, *extra):
    return run_cli("index", str(corpus), "--index", idx, "--format", "json", *extra)


def all_ids(idx):
    r = run_cli("query", "", "--index", idx, "--format", "json", "--limit", "1000", "--duplicates", "show")
    assert r.rc in (0, 1), r.err
    return sorted(h["id"] for h in json.loads(r.out)["hits"])


def test_incremental_add_update_remove(tmp_path):
    corpus = write_corpus(tmp_path / "c", {
        "a.txt": "Lavrov met Vučić in Belgrade.",
        "b.txt": "Talks on energy were held.",
        "sub/c.md": "---\ntitle: C\n---\nConsular talks.",
    })
    idx = str(tmp_path / "idx")
    r = idx_run(corpus, idx)
    assert r.rc == 0 and (r.json["added"], r.json["unchanged"]) == (3, 0)
    r = idx_run(corpus, idx)
    assert (r.json["added"], r.json["updated"], r.json["removed"], r.json["unchanged"]) == (0, 0, 0, 3)
    r = run_cli("index", str(corpus), str(corpus), "--index", idx, "--format", "json")
    assert r.json["unchanged"] == 3 and all_ids(idx) == ["a.txt", "b.txt", "sub/c.md"]
    (corpus / "a.txt").write_text("Lavrov met Vučić in Belgrade and Moscow.", encoding="utf-8")
    os.remove(corpus / "b.txt")
    r = idx_run(corpus, idx)
    assert (r.json["added"], r.json["updated"], r.json["removed"], r.json["unchanged"]) == (0, 1, 1, 1)
    assert all_ids(idx) == ["a.txt", "sub/c.md"]
    hits = json.loads(run_cli("query", "Lavrov", "--index", idx, "--format", "json").out)["hits"]
    assert [h["id"] for h in hits] == ["a.txt"] and "Moscow" in hits[0]["snippet"]
    assert run_cli("query", "energy", "--index", idx, "--format", "json").rc == 1


def test_touch_without_change_is_unchanged(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Text one."})
    idx = str(tmp_path / "idx")
    idx_run(corpus, idx)
    os.utime(corpus / "a.txt", (1, 1))
    assert idx_run(corpus, idx).json["unchanged"] == 1


def test_two_roots_keep_ids_unique(tmp_path):
    one = write_corpus(tmp_path / "one", {"a.txt": "Alpha text."})
    two = write_corpus(tmp_path / "two", {"a.txt": "Beta text."})
    idx = str(tmp_path / "idx")
    idx_run(one, idx)
    idx_run(two, idx)
    assert all_ids(idx) == ["a.txt", "two/a.txt"]
    os.remove(two / "a.txt")
    r = idx_run(two, idx)
    assert r.json["removed"] == 1 and all_ids(idx) == ["a.txt"]
    # a sub-folder of a known root updates that root only, with the same ids
    write_corpus(one, {"sub/b.txt": "Gamma text."})
    r = run_cli("index", str(one / "sub"), "--index", idx, "--format", "json")
    assert r.json["added"] == 1 and all_ids(idx) == ["a.txt", "sub/b.txt"]


def test_ignore_file_and_hidden_files(tmp_path):
    corpus = write_corpus(tmp_path / "c", {
        ".readsearchignore": "notes/\n*.draft.md\n",
        "a.md": "Kept.", "x.draft.md": "Ignored.", "notes/n.txt": "Ignored.", ".hidden.txt": "Ignored.",
        "other.csv": "not a readout",
    })
    idx = str(tmp_path / "idx")
    assert idx_run(corpus, idx).json["added"] == 1
    assert all_ids(idx) == ["a.md"]


def test_bad_files_are_reported_and_the_run_goes_on(tmp_path):
    corpus = write_corpus(tmp_path / "c", {
        "good.txt": "Lavrov held talks.",
        "bad.md": "---\ntitle: [unclosed\n---\nBody.",
        "bin.txt": b"\x00\x01\x02binary",
    })
    idx = str(tmp_path / "idx")
    r = run_cli("index", str(corpus), "--index", idx)
    assert r.rc == 1
    lines = [l for l in r.err.splitlines() if l.startswith("readsearch: ") and "warning" not in l]
    assert any("bad.md" in l and "YAML" in l for l in lines)
    assert any("bin.txt" in l and "binary" in l for l in lines)
    assert "1 added" in r.err and "2 failed" in r.err
    assert all_ids(idx) == ["good.txt"]
    rj = idx_run(corpus, idx)
    assert sorted(os.path.basename(f["path"]) for f in rj.json["failures"]) == ["bad.md", "bin.txt"]


def test_missing_path_is_a_fatal_usage_error(tmp_path):
    r = run_cli("index", str(tmp_path / "nope"), "--index", str(tmp_path / "idx"))
    assert r.rc == 2 and len(r.err.strip().splitlines()) == 1 and "nope" in r.err


def test_query_without_index_is_one_line_exit_2(tmp_path):
    r = run_cli("query", "Lavrov", "--index", str(tmp_path / "none"), "--format", "json")
    assert r.rc == 2 and len(r.err.strip().splitlines()) == 1 and "index" in r.err


def test_damaged_index_says_rebuild_and_rebuild_works(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Lavrov met Vučić.", "b.txt": "Energy."})
    idx = tmp_path / "idx"
    idx_run(corpus, str(idx))
    toc = max(idx.glob("*.toc"), key=os.path.getmtime)
    toc.write_bytes(b"")
    r = run_cli("query", "Lavrov", "--index", str(idx), "--format", "json")
    assert r.rc == 2 and len(r.err.strip().splitlines()) == 1 and "--rebuild" in r.err
    r = run_cli("index", str(corpus), "--index", str(idx), "--rebuild")
    assert r.rc == 0 and all_ids(str(idx)) == ["a.txt", "b.txt"]


def test_missing_or_garbled_readsearch_json_is_named(tmp_path):
    # a deleted readsearch.json was reported as "built by another version (schema None ...)"
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Lavrov met Vučić."})
    idx = tmp_path / "idx"
    idx_run(corpus, str(idx))
    meta = idx / "readsearch.json"
    saved = meta.read_text()
    rebuild = f"rebuild it with `readsearch index PATH --index {idx} --rebuild`"
    for broken, cause in ((None, "its readsearch.json is missing"),
                          ("{not json", "its readsearch.json is not valid JSON"),
                          ('{"schema_version": 3, "roots": {}}', None)):
        if broken is None:
            meta.unlink()
        else:
            meta.write_text(broken)
        r = run_cli("query", "Lavrov", "--index", str(idx))
        assert r.rc == 2
        if cause:
            assert r.err.strip() == f"readsearch: index at {idx} is damaged ({cause}): {rebuild}"
        else:
            assert r.err.strip().startswith(f"readsearch: index at {idx} was built by another version of "
                                            "readsearch (schema 3, this one reads ")
        meta.write_text(saved)
    assert run_cli("query", "Lavrov", "--index", str(idx), "--format", "ids").out == "a.txt\n"


def test_an_index_folder_that_cannot_be_written_is_one_line(tmp_path):
    # an internal error (NotADirectoryError, PermissionError) named no folder and no cause
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Lavrov met Vučić."})
    (tmp_path / "notes.txt").write_text("a file")
    where = str(tmp_path / "notes.txt" / "idx")
    r = run_cli("index", str(corpus), "--index", where)
    assert r.rc == 2 and r.err.strip() == f"readsearch: cannot write the index at {where} (not a directory)"


def test_index_env_variable(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Lavrov met Vučić."})
    env = {"READSEARCH_INDEX": str(tmp_path / "envidx")}
    assert run_cli("index", str(corpus), env=env).rc == 0
    r = run_cli("query", "Lavrov", "--format", "ids", env=env)
    assert r.rc == 0 and r.out.split() == ["a.txt"]


def test_show_prints_the_whole_readout(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"r.md": "---\ntitle: A call\ndate: 2023-02-01\nissuer: MFA\n---\nWhole body text here."})
    idx = str(tmp_path / "idx")
    idx_run(corpus, idx)
    r = run_cli("show", "r.md", "--index", idx, "--format", "json")
    d = json.loads(r.out)
    assert r.rc == 0 and d["title"] == "A call" and d["body"] == "Whole body text here." and d["issuer"] == "MFA"
    assert run_cli("show", "nope.md", "--index", idx).rc == 1


def test_exact_duplicates_fold_into_one_hit(small):
    _, idx = small({
        "a.md": "---\ntitle: Call\ndate: 2023-01-02\nissuer: MFA\n---\nThe ministers discussed grain exports.",
        "copy.txt": "The ministers discussed grain exports.",
        "other.txt": "The ministers discussed fertiliser.",
    })
    r = run_cli("query", "grain", "--index", idx, "--format", "json")
    d = json.loads(r.out)
    assert d["total"] == 1 and d["hits"][0]["id"] == "a.md" and d["hits"][0]["duplicates"] == ["copy.txt"]
    r = run_cli("query", "grain", "--index", idx, "--format", "json", "--duplicates", "show")
    assert json.loads(r.out)["total"] == 2


def test_show_json_uses_the_hit_keys_and_names_the_copies(small):
    # show printed the index's own field names (country, person) and its bookkeeping (key,
    # digest, lsh, body_key, richness...) where a hit says countries, persons
    _, idx = small({
        "a.md": "---\ntitle: Call\ndate: 2023-01-02\nissuer: MFA\nlanguage: en\n---\n"
                "Sergey Lavrov spoke with Aleksandar Vucic about Kosovo.",
        "copy.txt": "Sergey Lavrov spoke with Aleksandar Vucic about Kosovo.",
    })
    hit = run_cli("query", "Kosovo", "--index", idx, "--format", "json").json["hits"][0]
    shown = run_cli("show", "a.md", "--index", idx, "--format", "json").json
    same = [k for k in hit if k not in ("score", "snippet", "highlights")]
    assert list(shown) == same + ["language", "meta", "body"]
    assert {k: shown[k] for k in same} == {k: hit[k] for k in same}
    assert shown["countries"] == ["RS", "RU", "XK"] and shown["persons"] == ["Aleksandar Vučić", "Sergey Lavrov"]
    assert shown["duplicates"] == ["copy.txt"] and shown["language"] == "en"
    assert shown["meta"]["issuer"] == "MFA" and shown["body"].startswith("Sergey Lavrov spoke")
    assert run_cli("show", "copy.txt", "--index", idx, "--format", "json").json["duplicates"] == ["a.md"]


def test_a_missing_path_among_others_fails_alone(tmp_path):
    # one mistyped path stopped the whole run before anything was indexed (exit 2)
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Lavrov met Vucic.", "b.txt": "Grain exports."})
    idx = str(tmp_path / "idx")
    r = run_cli("index", str(corpus), str(tmp_path / "nope"), "--index", idx)
    assert r.rc == 1 and f"{tmp_path / 'nope'}: no such file or folder" in r.err
    assert "2 added" in r.err and "1 failed" in r.err
    assert sorted(run_cli("query", "", "--index", idx, "--format", "ids").out.split()) == ["a.txt", "b.txt"]
    # nothing to index at all, or --strict: a usage error, the index untouched
    r = run_cli("index", str(tmp_path / "nope"), str(tmp_path / "nope2"), "--index", idx)
    assert r.rc == 2 and r.err.strip() == f"readsearch: {tmp_path / 'nope'}: no such file or folder"
    r = run_cli("index", str(corpus), str(tmp_path / "nope"), "--index", str(tmp_path / "idx2"), "--strict")
    assert r.rc == 2 and not (tmp_path / "idx2").exists()


def test_extract_goes_on_past_a_missing_path_as_index_does(tmp_path):
    # extract stopped at the missing path with exit 2 and printed nothing for the good file
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Lavrov met Vucic in Belgrade."})
    r = run_cli("extract", str(corpus / "a.txt"), str(tmp_path / "nope"), "--format", "jsonl")
    assert r.rc == 1 and r.err.strip() == f"readsearch: {tmp_path / 'nope'}: no such file or folder"
    (line,) = r.out.splitlines()
    assert json.loads(line)["persons"] == ["Aleksandar Vučić", "Sergey Lavrov"]
    r = run_cli("extract", str(tmp_path / "nope"), str(tmp_path / "nope2"))
    assert r.rc == 2 and r.err.strip() == f"readsearch: {tmp_path / 'nope'}: no such file or folder"
    idx = str(tmp_path / "idx")
    assert run_cli("index", str(corpus), "--index", idx, "--quiet").rc == 0
    r = run_cli("extract", str(corpus), idx, "--format", "jsonl")
    assert r.rc == 1 and "is a readsearch index, not readouts" in r.err and len(r.out.splitlines()) == 1


def test_query_on_an_index_with_no_readouts_says_so(tmp_path):
    # an index created by a run that has not committed yet answered exit 1 and nothing else
    (tmp_path / "empty").mkdir()
    idx = str(tmp_path / "idx")
    assert run_cli("index", str(tmp_path / "empty"), "--index", idx, "--quiet").rc == 0
    r = run_cli("query", "gas", "--index", idx, "--format", "ids")
    assert r.rc == 1 and r.out == ""
    assert r.err.strip() == ("readsearch: note: the index holds no readouts yet "
                             "(a run in progress adds its readouts at each commit)")
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Grain exports."})
    assert run_cli("index", str(corpus), "--index", idx, "--quiet").rc == 0
    r = run_cli("query", "gas", "--index", idx, "--format", "ids")
    assert r.rc == 1 and r.err == ""


def test_a_file_beside_a_known_root_does_not_absorb_it(tmp_path):
    # `index corpus/` then `index scraped.csv` (in corpus's parent) took the file's folder for a
    # new root that absorbed corpus/: its 30 readouts were removed and never indexed again
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Lavrov met Vucic.", "b.txt": "Grain exports."})
    (tmp_path / "scraped.txt").write_text("Gas supplies to Serbia.", encoding="utf-8")
    idx = str(tmp_path / "idx")
    assert run_cli("index", str(corpus), "--index", idx, "--quiet").rc == 0
    r = run_cli("index", str(tmp_path / "scraped.txt"), "--index", idx)
    assert r.rc == 0 and "1 added" in r.err and "0 removed" in r.err and "indexed again" not in r.err
    ids = run_cli("query", "", "--index", idx, "--format", "ids", "--duplicates", "show").out.split()
    second = tmp_path.name + "/"    # the id prefix of a second root
    assert sorted(ids) == ["a.txt", "b.txt", second + "scraped.txt"]
    # the parent folder itself, a root now (the file's), absorbs the corpus: each file once
    r = run_cli("index", str(tmp_path), "--index", idx)
    assert r.rc == 0 and "2 removed" in r.err and "their ids now beginning with c/" in r.err
    ids = run_cli("query", "", "--index", idx, "--format", "ids", "--duplicates", "show").out.split()
    assert sorted(ids) == [second + "c/a.txt", second + "c/b.txt", second + "scraped.txt"]


def test_changed_field_map_or_gazetteer_reads_unchanged_files_again(tmp_path):
    # unchanged files were skipped, so a new --field or --gazetteer never reached them
    corpus = write_corpus(tmp_path / "c", {
        "s.csv": "headline,content,posted\nCall,Jane Example spoke with the minister.,2022-05-05\n",
        "b.txt": "Grain exports were discussed.",
    })
    idx = str(tmp_path / "idx")
    assert run_cli("index", str(corpus), "--index", idx).rc == 0

    def show():
        return run_cli("show", "s.csv#1", "--index", idx, "--format", "json").json

    assert show()["date"] is None and show()["persons"] == []
    r = run_cli("index", str(corpus), "--index", idx, "--field", "date=posted")
    assert r.rc == 0 and "2 updated" in r.err and "every file is read again" in r.err
    assert show()["date"] == "2022-05-05"
    gaz = tmp_path / "g.yaml"
    gaz.write_text("persons:\n- name: Jane Example\n  country: RS\n", encoding="utf-8")
    r = run_cli("index", str(corpus), "--index", idx, "--field", "date=posted", "--gazetteer", str(gaz))
    assert r.rc == 0 and "2 updated" in r.err
    assert show()["persons"] == ["Jane Example"] and show()["date"] == "2022-05-05"
    # the same options again: nothing to do
    r = run_cli("index", str(corpus), "--index", idx, "--field", "date=posted", "--gazetteer", str(gaz))
    assert r.rc == 0 and "2 unchanged" in r.err and "read again" not in r.err


def test_a_file_with_a_bad_record_is_reported_on_every_run(tmp_path):
    # the second run found the file unchanged and forgot its bad line (exit 0, no message)
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "recs.jsonl").write_text('{"id": "1", "title": "Call", "text": "Lavrov spoke with Vucic."}\n'
                                       '{"id": 2, "title": oops\n', encoding="utf-8")
    idx = str(corpus / "ix")          # the index inside the corpus is not read as readouts
    for _ in range(2):
        r = run_cli("index", str(corpus), "--index", idx)
        assert r.rc == 1 and "recs.jsonl: malformed JSON Lines: line 2" in r.err and "1 failed" in r.err
        assert "readsearch.json" not in r.err
    assert run_cli("query", "Lavrov", "--index", idx, "--format", "ids").out.split() == ["recs.jsonl#1"]
    r = run_cli("index", idx, "--index", str(tmp_path / "other"))
    assert r.rc == 2 and r.err.strip() == (f"readsearch: {idx}: is a readsearch index, not readouts (give the "
                                           "folder the readouts are in)")


def test_absorbed_root_note_counts_one_readout_in_the_singular(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"plain/a.txt": "Lavrov met Vucic.", "c.txt": "Gas supplies."})
    idx = str(tmp_path / "idx")
    assert run_cli("index", str(corpus / "plain"), "--index", idx).rc == 0
    r = run_cli("index", str(corpus), "--index", idx)
    assert r.rc == 0
    assert (f"{corpus / 'plain'}: inside {corpus}, which is indexed now: its 1 readout is indexed again "
            "as part of it, its id now beginning with plain/") in r.err


def test_a_folder_and_its_parent_index_each_file_once(tmp_path):
    # `index corpus/plain` then `index corpus` gave each file of plain/ twice (38 documents for
    # 30 files of the demo corpus), as did both paths in one run
    corpus = write_corpus(tmp_path / "c", {"plain/a.txt": "Lavrov met Vucic.", "plain/b.txt": "Grain exports.",
                                            "c.txt": "Gas supplies."})

    def ids(idx):
        return sorted(run_cli("query", "", "--index", idx, "--format", "ids", "--duplicates", "show").out.split())

    idx = str(tmp_path / "idx")
    assert run_cli("index", str(corpus / "plain"), "--index", idx).rc == 0
    assert ids(idx) == ["a.txt", "b.txt"]
    r = run_cli("index", str(corpus), "--index", idx)
    assert r.rc == 0 and "3 added" in r.err and "2 removed" in r.err
    assert (f"{corpus / 'plain'}: inside {corpus}, which is indexed now: its 2 readouts are indexed again "
            "as part of it, their ids now beginning with plain/") in r.err
    assert ids(idx) == ["c.txt", "plain/a.txt", "plain/b.txt"]
    assert "0 added" in run_cli("index", str(corpus), "--index", idx).err     # and it stays so
    assert ids(idx) == ["c.txt", "plain/a.txt", "plain/b.txt"]
    idx2 = str(tmp_path / "idx2")
    r = run_cli("index", str(corpus / "plain"), str(corpus), str(corpus / "c.txt"), "--index", idx2)
    assert r.rc == 0 and "3 added" in r.err
    assert ids(idx2) == ["c.txt", "plain/a.txt", "plain/b.txt"]


def test_each_commit_is_announced_with_its_number_of_writes(tmp_path):
    from readsearch import api

    corpus = write_corpus(tmp_path / "c", {f"{i}.txt": f"Readout number {i} about gas." for i in range(5)})
    commits: list[int] = []
    r = api.index_paths([str(corpus)], index_dir=str(tmp_path / "idx"), options=api.IndexOptions(batch_size=2),
                        events=api.IndexEvents(on_commit=commits.append))
    assert r.added == 5 and commits == [2, 2, 1]
    commits.clear()
    api.index_paths([str(corpus)], index_dir=str(tmp_path / "idx"), events=api.IndexEvents(on_commit=commits.append))
    assert commits == []          # nothing changed: nothing to commit
