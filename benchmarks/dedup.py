"""Duplicate detection measured against the groups marked in ../shared/corpus/manifest.jsonl.

Indexes the shared corpus into a temporary folder, reads the duplicate groups readsearch formed
(each hit's ``duplicates`` with ``--duplicates collapse``), and compares them with the manifest's
groups (connected components of ``near_duplicate_of`` and ``plain_copy_of`` links), pair by pair.

    python benchmarks/dedup.py            # prints pair precision/recall and every miss

Exit code 0; prints a message and exits 2 when ../shared is absent.
"""
from __future__ import annotations

import itertools
import json
import os
import sys
import tempfile
from pathlib import Path

SHARED = Path(os.environ.get("READSEARCH_SHARED") or Path(__file__).resolve().parents[2] / "shared")


def truth_groups(manifest: Path) -> list[set[str]]:
    """Connected components (size >= 2) of the manifest's duplicate links."""
    parent: dict[str, str] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        m = json.loads(line)
        find(m["path"])
        for other in (m.get("near_duplicate_of") or []) + ([m["plain_copy_of"]] if m.get("plain_copy_of") else []):
            parent[find(m["path"])] = find(other)
    comps: dict[str, set[str]] = {}
    for p in parent:
        comps.setdefault(find(p), set()).add(p)
    return [c for c in comps.values() if len(c) > 1]


def predicted_groups(index_dir: str) -> list[set[str]]:
    """Groups readsearch formed: each hit with its folded duplicates."""
    from readsearch import api

    res = api.search("", index_dir, api.SearchOptions(limit=100000))
    return [{h.id, *h.duplicates} for h in res.hits if h.duplicates]


def pairs(groups: list[set[str]]) -> set[frozenset]:
    return {frozenset(p) for g in groups for p in itertools.combinations(sorted(g), 2)}


def measure(corpus: Path, batch_size: int = 1000) -> dict:
    """Index ``corpus`` afresh and score its duplicate groups against the manifest.

    ``batch_size`` (documents per commit) below the corpus size makes most candidates come from
    the committed index rather than from the running batch.

    Returns:
        dict with ``precision``, ``recall`` (pairs), ``true_groups``, ``found_groups``,
        ``missed`` and ``false`` (lists of pairs).
    """
    from readsearch import api

    with tempfile.TemporaryDirectory() as tmp:
        api.index_paths([str(corpus)], os.path.join(tmp, "idx"), api.IndexOptions(batch_size=batch_size))
        pred = predicted_groups(os.path.join(tmp, "idx"))
    truth = truth_groups(corpus / "manifest.jsonl")
    tp, pp = pairs(truth), pairs(pred)
    return {
        "precision": len(tp & pp) / len(pp) if pp else 1.0,
        "recall": len(tp & pp) / len(tp) if tp else 1.0,
        "true_groups": len(truth), "found_groups": len(pred),
        "true_pairs": len(tp), "found_pairs": len(pp),
        "missed": sorted(sorted(p) for p in tp - pp), "false": sorted(sorted(p) for p in pp - tp),
    }


def main() -> int:
    corpus = SHARED / "corpus"
    if not (corpus / "manifest.jsonl").exists():
        print(f"no shared corpus at {corpus} (set READSEARCH_SHARED)", file=sys.stderr)
        return 2
    r = measure(corpus)
    print(f"duplicate groups: {r['found_groups']} found, {r['true_groups']} in the manifest")
    print(f"pairs: {r['found_pairs']} found, {r['true_pairs']} true; "
          f"precision {r['precision']:.3f}, recall {r['recall']:.3f}")
    for a, b in r["missed"]:
        print(f"  missed: {a} ~ {b}")
    for a, b in r["false"]:
        print(f"  false:  {a} ~ {b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
