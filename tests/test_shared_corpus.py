"""Acceptance on the real readouts in ../shared/corpus (skipped when ../shared is absent)."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import run_shared_case, SHARED, run_cli

CSM_READOUT = "plain/russia-mfa-telegram-lavrov-vucic-call.txt"


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory):
    if not (SHARED / "corpus" / "manifest.jsonl").exists():
        pytest.skip("../shared is not available")
    work = tmp_path_factory.mktemp("shared")
    corpus = work / "corpus"
    shutil.copytree(SHARED / "corpus", corpus)
    for p in corpus.rglob("*"):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    idx = str(work / "idx")
    r = run_cli("index", str(corpus), "--index", idx, "--format", "json")
    return corpus, idx, r


def manifest_paths():
    with open(SHARED / "corpus" / "manifest.jsonl", encoding="utf-8") as f:
        return sorted(json.loads(line)["path"] for line in f if line.strip())


def test_every_manifest_readout_is_indexed(corpus_index):
    corpus, idx, r = corpus_index
    assert r.rc == 0, r.err
    assert (r.json["added"], r.json["failed"]) == (456, 0)
    d = run_cli("query", "", "--index", idx, "--format", "json", "--limit", "1000", "--duplicates", "show").json
    assert sorted(h["id"] for h in d["hits"]) == manifest_paths()


def test_community_of_serb_municipalities_ranks_the_telegram_post_first(corpus_index):
    _, idx, _ = corpus_index
    d = run_cli("query", "Community of Serb Municipalities", "--index", idx, "--format", "json").json
    h = d["hits"][0]
    assert h["id"] == CSM_READOUT
    assert [h["snippet"][s:e] for s, e in h["highlights"]] == ["Community of Serb Municipalities"]
    assert {"RS", "RU", "XK"} <= set(h["countries"])
    assert "RussiaSerbia" in h["hashtags"]


def test_country_facet_equals_recount(corpus_index):
    _, idx, _ = corpus_index
    d = run_cli("query", "", "--index", idx, "--format", "json", "--facets", "--limit", "1000").json
    recount: dict = {}
    for h in d["hits"]:
        for v in h["countries"]:
            recount[v] = recount.get(v, 0) + 1
    assert {f["value"]: f["count"] for f in d["facets"]["country"]} == recount
    assert d["total"] == len(d["hits"])


def test_rerun_is_unchanged_then_one_update_one_removal(corpus_index):
    corpus, idx, _ = corpus_index
    r = run_cli("index", str(corpus), "--index", idx, "--format", "json")
    assert (r.json["unchanged"], r.json["added"], r.json["updated"], r.json["removed"]) == (456, 0, 0, 0)
    changed = corpus / "readouts" / "nato" / sorted(os.listdir(corpus / "readouts" / "nato"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA sentence added for the test.\n", encoding="utf-8")
    os.remove(corpus / "plain" / "japan-u-s-summit-telephone-talk.txt")
    r = run_cli("index", str(corpus), "--index", idx, "--format", "json")
    assert (r.json["updated"], r.json["removed"], r.json["added"], r.json["unchanged"]) == (1, 1, 0, 454)


@pytest.mark.parametrize("case", ["BUG-01", "BUG-02", "BUG-23", "BUG-25", "BUG-33"])
def test_handed_cases_pass_in_the_shared_runner(case):
    run_shared_case(case)
