"""Duplicate groups: exact copies, near-duplicates, reposts, bridged groups, facets counted once."""
from __future__ import annotations

import importlib.util

from conftest import ROOT, SHARED, run_cli

import pytest

BASE = ("On 4 March the two foreign ministers discussed the grain corridor across the Black Sea, "
        "the safety of shipping, the exchange of prisoners of war and the preparation of the next round of "
        "consultations between the two ministries in Ankara, which both sides said should take place soon.")


def q(idx, *args):
    return run_cli("query", *args, "--index", idx, "--format", "json", "--facets", "--limit", "50")


def test_near_duplicate_capture_is_folded_with_richest_member_first(small):
    _, idx = small({
        "site/release.md": "---\ntitle: Ministers' call\ndate: 2023-03-04\nissuer: MFA\n---\n" + BASE,
        "copies/bare.txt": BASE.replace("soon.", "soon, the ministry added."),
        "copies/truncated.txt": BASE[: len(BASE) * 3 // 4],
        "other.txt": "The ministers discussed tourism, visas and direct flights between the capitals next summer.",
    })
    d = q(idx, "grain corridor").json
    assert d["total"] == 1
    hit = d["hits"][0]
    assert hit["id"] == "site/release.md"
    assert hit["duplicates"] == ["copies/bare.txt", "copies/truncated.txt"]
    all_ = q(idx, "").json
    assert all_["total"] == 2 and all_["facets"]["year"] == [{"value": "2023", "label": "2023", "count": 1}]
    shown = run_cli("query", "grain corridor", "--index", idx, "--format", "json", "--duplicates", "show").json
    assert shown["total"] == 3


def test_distinct_readouts_sharing_boilerplate_are_not_grouped(small):
    lead = "The Prime Minister spoke by phone today. "
    _, idx = small({
        "a.txt": lead + "They discussed the situation in Venezuela and the need for free elections there.",
        "b.txt": lead + "They discussed trade in critical minerals and supply chains for batteries.",
    })
    assert q(idx, "").json["total"] == 2


@pytest.mark.parametrize("batch_size", [1000, 37])
def test_dedup_against_manifest_groups(batch_size):
    if not (SHARED / "corpus" / "manifest.jsonl").exists():
        pytest.skip("../shared is not available")
    spec = importlib.util.spec_from_file_location("bench_dedup", ROOT / "benchmarks" / "dedup.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    r = mod.measure(SHARED / "corpus", batch_size)
    assert r["precision"] >= 0.97 and r["recall"] >= 0.95, (r["missed"], r["false"])


def test_segment_filters_find_the_same_duplicates(tmp_path, monkeypatch):
    # committed segments asked about many readouts get a membership filter of their band and
    # body keys (IndexStore._term_filters); with it from the first lookup or never, every
    # readout must get the same duplicate group
    from whoosh.query import Every

    from readsearch import api
    from readsearch.index import writer
    from readsearch.index.writer import open_index

    if not (SHARED / "corpus").exists():
        pytest.skip("../shared is not available")
    groups = {}
    for after in (0.0, 1e9):
        monkeypatch.setattr(writer, "FILTER_AFTER", after)
        index = tmp_path / f"ix{after:g}"
        api.index_paths([str(SHARED / "corpus")], index_dir=str(index),
                        options=api.IndexOptions(batch_size=37))
        with open_index(str(index)).searcher() as s:
            groups[after] = {f["id"]: f.get("dup_group", "") for f in
                             (s.stored_fields(d) for d in s.docs_for_query(Every()))}
    assert groups[0.0] == groups[1e9]
    assert len(groups[0.0]) > 400 and sum(bool(g) for g in groups[0.0].values()) >= 20


def test_shared_values_counted_as_intersect1d_does():
    # dedup._common counts shared hashes by binary search; it must agree with numpy's
    # intersect1d on sorted unique arrays of any sizes, including empty ones, disjoint ones and
    # values beyond the other array's largest
    import numpy as np

    from readsearch import dedup

    rng = np.random.default_rng(7)
    pool = np.unique(rng.integers(0, 2 ** 63, 20_000, dtype=np.uint64))
    cases = [(np.zeros(0, np.uint64), pool[:5]), (pool[:5], pool[5:9]), (pool[-3:], pool[:10]),
             (pool[:10], pool[-3:]), (pool[:4], pool[:4])]
    for na, nb in [(1, 1), (3, 400), (400, 450), (1500, 1500), (5000, 300)]:
        cases.append((np.sort(rng.choice(pool, na, replace=False)), np.sort(rng.choice(pool, nb, replace=False))))
    for a, b in cases:
        assert dedup._common(a, b) == np.intersect1d(a, b, assume_unique=True).size
    assert dedup._common(pool[:10], pool[5:20]) == 5


def test_same_event_repost_found_through_the_committed_index(tmp_path):
    # a repost that rephrases the release (rule 3: same day, two participants in common, largely
    # the same words; word 3-shingles 25% contained, so no LSH band is shared) indexed in a later
    # run finds the release through the committed index's same-day readouts and their stored
    # participants; a call of the same two ministers that day about something else does not join
    from conftest import write_corpus

    head = "---\ntitle: {}\ndate: 2024-05-10\n---\n"
    release = (head.format("Lavrov and Fidan telephone conversation") +
               "Foreign Minister Sergey Lavrov had a telephone conversation with Foreign Minister of Türkiye "
               "Hakan Fidan. The ministers discussed the situation in the Middle East, the humanitarian crisis "
               "in Gaza, grain exports across the Black Sea and preparations for the next meeting of the Astana "
               "format on Syria. They agreed to keep in contact.")
    repost = (head.format("Telephone call of Sergey Lavrov with Hakan Fidan") +
              "Grain exports across the Black Sea, the humanitarian crisis in Gaza and the situation in the "
              "Middle East were on the agenda when Foreign Minister of Russia Sergey Lavrov spoke by telephone "
              "with Turkish Foreign Minister Hakan Fidan. Preparations for the coming Astana format meeting on "
              "Syria were also discussed; the two ministers agreed to stay in contact.")
    other = (head.format("Lavrov and Fidan discuss tourism") +
             "Foreign Minister Sergey Lavrov had a telephone conversation with Foreign Minister of Türkiye Hakan "
             "Fidan about tourist flows between the two countries, direct flights for the summer season, visa "
             "facilitation for students and the work of the intergovernmental commission on trade.")
    corpus = write_corpus(tmp_path / "corpus", {"mfa/release.md": release})
    idx = str(tmp_path / "idx")
    assert run_cli("index", str(corpus), "--index", idx, "--quiet").rc == 0
    write_corpus(corpus, {"repost/copy.md": repost, "mfa/tourism.md": other})
    assert run_cli("index", str(corpus), "--index", idx, "--quiet").rc == 0
    d = run_cli("query", "", "--index", idx, "--format", "json", "--sort", "date").json
    groups = sorted(sorted([h["id"]] + h.get("duplicates", [])) for h in d["hits"])
    assert groups == [["mfa/release.md", "repost/copy.md"], ["mfa/tourism.md"]]
