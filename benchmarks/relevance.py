"""Relevance benchmark: readsearch against two baselines on the judged queries.

Runs every query of ``../shared/gold/qrels.yaml`` (with its filters) over the readouts listed in
``../shared/corpus/manifest.jsonl`` and prints nDCG@10, recall@10 and MRR per query kind and
overall, for three systems built from the same files in the same run:

- ``readsearch``: this package (index built afresh in a temporary folder, default options:
  duplicates collapsed, filters resolved like the CLI's ``--country`` / ``--person`` ...).
- ``whoosh-default``: Whoosh with the textbook schema (``title`` and ``body`` TEXT with
  ``StemmingAnalyzer()``, ``MultifieldParser`` with ``OrGroup``), BM25F.
- ``sqlite-fts5``: SQLite FTS5 (``tokenize="unicode61 remove_diacritics 2"``), query terms
  ORed, ordered by ``bm25()``.

Both baselines get the same title and body text as readsearch (read by readsearch's readers)
and the manifest's date, so they apply ``since`` / ``until`` filters; they have no country or
person facets, so those filters are not applied for them (the output says so).

Metrics (per query, then averaged): nDCG@10 with gain = grade (2 or 1) and log2 discount,
ideal ordering from all judged readouts; recall@10 = judged readouts in the top 10 / min(10,
number judged); MRR = 1 / rank of the first judged readout (0 when none in the top 10).

Usage::

    python benchmarks/relevance.py [--shared ../shared] [--per-query] [--json OUT]
                                   [--no-stemming] [--no-case-variants]

The two ``--no-...`` switches turn off readsearch's stem or capitalised-form variant terms at
index and query time alike (ablations; see :mod:`readsearch.index.query`, "Ranking").

Exit code 0; 2 when ``../shared`` is missing.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import yaml

K = 10
KIND_NAMES = {
    "a": "named phrase", "b": "person", "c": "person pair", "d": "topic",
    "e": "misspelled/translit. name", "f": "with filters", "g": "question-like", "h": "short ambiguous",
}


# ---------------------------------------------------------------------------- metrics
def ndcg_at_k(ranked: list[str], judged: dict[str, int], k: int = K) -> float:
    """nDCG@k with linear gains (grade) and log2 discount; 0.0 when nothing is judged."""
    dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(judged.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at_k(ranked: list[str], judged: dict[str, int], k: int = K) -> float:
    """Judged readouts in the top k / min(k, number judged)."""
    if not judged:
        return 0.0
    return sum(1 for d in ranked[:k] if d in judged) / min(k, len(judged))


def mrr_at_k(ranked: list[str], judged: dict[str, int], k: int = K) -> float:
    """1 / rank of the first judged readout in the top k, else 0."""
    for i, d in enumerate(ranked[:k]):
        if judged.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


# ---------------------------------------------------------------------------- corpus
def load_docs(corpus: Path) -> list[dict]:
    """The manifest's readouts as ``{path, title, body, date}`` (title/body by readsearch's readers)."""
    from readsearch import readers
    from readsearch.model import Readout

    opts = readers.ReadOptions()
    docs = []
    for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        m = json.loads(line)
        fr = readers.read_file(str(corpus / m["path"]), m["path"], opts)
        r = next((i for i in fr.items if isinstance(i, Readout)), None)
        docs.append({"path": m["path"], "title": (r.title if r else m.get("title")) or "",
                     "body": r.body if r else "", "date": m.get("date") or ""})
    return docs


# ---------------------------------------------------------------------------- systems
class Readsearch:
    name = "readsearch"
    applies = "all filters"

    def __init__(self, corpus: Path, tmp: str):
        from readsearch import api

        self.api = api
        self.idx = os.path.join(tmp, "readsearch-idx")
        rep = api.index_paths([str(corpus)], self.idx, api.IndexOptions(rebuild=True))
        if rep.failed:
            print(f"warning: readsearch failed on {rep.failed} files", file=sys.stderr)
        self.searcher = api.open_searcher(self.idx)

    def run(self, query: str, filters: dict) -> list[str]:
        f = {k: [str(v)] for k, v in filters.items() if k in ("country", "person", "topic", "organization")}
        opts = self.api.SearchOptions(filters=f, since=_d(filters.get("since")), until=_d(filters.get("until")),
                                      limit=K)
        res = self.api.search(query, self.idx, opts, searcher=self.searcher)
        return [h.id for h in res.hits]


class WhooshDefault:
    name = "whoosh-default"
    applies = "since/until only"

    def __init__(self, docs: list[dict], tmp: str):
        from whoosh import index, qparser
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        schema = Schema(path=ID(stored=True, unique=True), title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
                        body=TEXT(analyzer=StemmingAnalyzer()), date=ID(stored=True))
        d = os.path.join(tmp, "whoosh-idx")
        os.makedirs(d)
        self.ix = index.create_in(d, schema)
        w = self.ix.writer()
        for doc in docs:
            w.add_document(path=doc["path"], title=doc["title"], body=doc["body"], date=doc["date"] or None)
        w.commit()
        self.s = self.ix.searcher()
        self.parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.OrGroup)

    def run(self, query: str, filters: dict) -> list[str]:
        from whoosh import query as Q

        q = self.parser.parse(query)
        since, until = _d(filters.get("since")), _d(filters.get("until"))
        flt = None
        if since or until:
            flt = Q.TermRange("date", since, (until + "\uffff") if until else None)
        return [h["path"] for h in self.s.search(q, limit=K, filter=flt)]


class Fts5:
    name = "sqlite-fts5"
    applies = "since/until only"

    def __init__(self, docs: list[dict], tmp: str):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, date UNINDEXED, title, body, "
                        "tokenize='unicode61 remove_diacritics 2')")
        self.db.executemany("INSERT INTO docs(path, date, title, body) VALUES (?, ?, ?, ?)",
                            [(d["path"], d["date"], d["title"], d["body"]) for d in docs])

    def run(self, query: str, filters: dict) -> list[str]:
        words = re.findall(r"\w+", query)
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        sql = "SELECT path FROM docs WHERE docs MATCH ?"
        args: list = [match]
        since, until = _d(filters.get("since")), _d(filters.get("until"))
        if since:
            sql += " AND date != '' AND date >= ?"
            args.append(since)
        if until:
            sql += " AND date != '' AND date <= ?"
            args.append(until + "\uffff")
        sql += f" ORDER BY bm25(docs) LIMIT {K}"
        return [r[0] for r in self.db.execute(sql, args)]


def _d(v) -> str | None:
    return None if v is None else str(v)


# ---------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get("READSEARCH_SHARED") or str(here.parent / "shared"))
    ap.add_argument("--qrels", default=None, help="judgements file (default SHARED/gold/qrels.yaml)")
    ap.add_argument("--per-query", action="store_true", help="print one line per query and system")
    ap.add_argument("--json", default=None, help="also write the figures as JSON to this file")
    ap.add_argument("--no-stemming", action="store_true", help="ablation: readsearch without stem variants")
    ap.add_argument("--no-case-variants", action="store_true", help="ablation: readsearch without capitalised variants")
    a = ap.parse_args(argv)
    from readsearch.index import analysis

    if a.no_stemming:
        analysis.STEMMING = False
    if a.no_case_variants:
        analysis.CASE_VARIANTS = False
    shared = Path(a.shared)
    corpus = shared / "corpus"
    qrels_path = Path(a.qrels) if a.qrels else shared / "gold" / "qrels.yaml"
    if not (corpus / "manifest.jsonl").exists() or not qrels_path.exists():
        print(f"{shared}: corpus or qrels not found", file=sys.stderr)
        return 2
    queries = yaml.safe_load(qrels_path.read_text(encoding="utf-8"))

    t0 = time.monotonic()
    docs = load_docs(corpus)
    with tempfile.TemporaryDirectory(prefix="rs-relevance-") as tmp:
        systems = [Readsearch(corpus, tmp), WhooshDefault(docs, tmp), Fts5(docs, tmp)]
        build_s = time.monotonic() - t0
        rows: dict[str, list[dict]] = {s.name: [] for s in systems}
        for q in queries:
            judged = {p: int(g) for p, g in (q.get("relevant") or {}).items()}
            filters = q.get("filters") or {}
            for s in systems:
                ranked = s.run(q["query"], filters)
                rows[s.name].append({"id": q["id"], "kind": q.get("kind", "?"), "query": q["query"],
                                     "ndcg": ndcg_at_k(ranked, judged), "recall": recall_at_k(ranked, judged),
                                     "mrr": mrr_at_k(ranked, judged), "top": ranked[:3]})

    kinds = sorted({r["kind"] for r in rows["readsearch"]})
    names = [s.name for s in systems]
    print(f"relevance on {len(queries)} judged queries, {len(docs)} readouts "
          f"(indexes built in {build_s:.1f} s)")
    for s in systems:
        print(f"  {s.name:15s} filters applied: {s.applies}")
    if a.no_stemming or a.no_case_variants:
        print(f"  readsearch ablation: stemming={'off' if a.no_stemming else 'on'}, "
              f"case variants={'off' if a.no_case_variants else 'on'}")
    if a.per_query:
        print()
        for i, q in enumerate(queries):
            print(f"{q['id']} [{q.get('kind')}] {q['query'][:50]!r} " + "  ".join(
                f"{n}={rows[n][i]['ndcg']:.2f}" for n in names))
    print()
    head = f"{'kind':28s} {'n':>3s} " + " ".join(f"{n:>23s}" for n in names)
    print(head)
    print(f"{'':28s} {'':>3s} " + " ".join(f"{'nDCG@10 R@10  MRR':>23s}" for _ in names))
    summary: dict = {}

    def line(label: str, sel) -> None:
        cells = []
        for n in names:
            rs = [r for r in rows[n] if sel(r)]
            m = {k: sum(r[k] for r in rs) / len(rs) for k in ("ndcg", "recall", "mrr")}
            summary.setdefault(label, {})[n] = m
            cells.append(f"{m['ndcg']:7.3f} {m['recall']:5.3f} {m['mrr']:5.3f}".rjust(23))
        cnt = sum(1 for r in rows[names[0]] if sel(r))
        print(f"{label:28s} {cnt:3d} " + " ".join(cells))

    for k in kinds:
        line(f"{k} {KIND_NAMES.get(k, '')}", lambda r, k=k: r["kind"] == k)
    line("overall", lambda r: True)
    best = max(summary["overall"][n]["ndcg"] for n in names[1:])
    ours = summary["overall"]["readsearch"]["ndcg"]
    print(f"\nreadsearch nDCG@10 / best baseline = {ours:.3f} / {best:.3f} = {ours / best:.3f}x (target >= 1.15x)")
    q01 = next((r for r in rows["readsearch"] if r["id"] == "Q01"), None)
    if q01:
        print(f"Q01 {q01['query']!r}: readsearch top hit {q01['top'][0] if q01['top'] else None}")
    if a.json:
        Path(a.json).write_text(json.dumps({"summary": summary, "rows": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
