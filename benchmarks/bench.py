#!/usr/bin/env python3
"""readsearch benchmark: readsearch vs plain tuned Whoosh vs SQLite FTS5 vs ripgrep, one command.

    python benchmarks/bench.py --sizes 14k,100k --repeats 5
    python benchmarks/bench.py --quick              # 14k real documents only, 3 repeats

``14k`` is the real corpus ``<shared>/scale/whitehouse``; any other size (``100k``, ``250000``,
``1m``) is a synthetic corpus made by ``generate.py`` (created on first use, reused after).
Each engine indexes the same files once per size (bulk indexing, timed end to end in a fresh
process); then every query measure runs ``--repeats`` times, engines interleaved in a rotating
order, and the table shows medians. See benchmarks/README.md for what each figure means.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

ENGINES = ("readsearch", "whoosh", "fts5", "rg")
LABELS = {"readsearch": "readsearch", "whoosh": "whoosh-tuned", "fts5": "sqlite-fts5", "rg": "ripgrep"}

PHRASE = '"energy security"'          # query syntax shared by readsearch, Whoosh and FTS5
RG_PATTERN = "energy security"        # rg -l -F
OR_QUERY = "energy OR security"
FACET_QUERY = "energy"
FACET_FILTERS = {"country": ["China"], "year": ["2025"]}           # as a user types them
FACET_FILTER_TERMS = {"country": "CN", "year": "2025"}             # the index terms they resolve to
FACET_FIELDS = ["country", "person", "topic", "organization", "year"]
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
FTS_RANK = "bm25(docs, 0.0, 2.0, 1.0)"   # path unindexed, title boosted 2x as in readsearch
# readsearch SearchOptions per measure (see ReadsearchSession); the cold CLI row runs
# `--format ids`, which the CLI maps to count=False, snippets=False
RS_OPTIONS = {
    "phrase": {"limit": 10, "count": True, "snippets": True},
    "or": {"limit": 10, "count": False, "snippets": False},
    "facets": {"limit": 10, "count": True, "snippets": True, "filters": FACET_FILTERS, "facets": FACET_FIELDS},
    "batch": {"limit": 10, "count": False, "snippets": False},
    "cold_cli": "query PHRASE --format ids (count=False, snippets=False)",
    "cold_api": {"limit": 10, "count": False, "snippets": False},
}
MIB = 1024 * 1024

# measure -> (label, unit, higher_is_better)
MEASURES = {
    "index_docs_per_s": ("bulk index (read+parse+write), docs/s", "docs/s", True),
    "index_seconds": ("bulk index wall time, s", "s", False),
    "index_rss_mib": ("indexing peak RSS, MiB", "MiB", False),
    "index_disk_mib": ("index size on disk, MiB", "MiB", False),
    "phrase_ms": ('warm phrase "energy security" count+top10, ms', "ms", False),
    "phrase_first_ms": ("  same, first query on a fresh searcher, ms", "ms", False),
    "or_ms": ("warm OR (energy OR security) top10, ms", "ms", False),
    "facets_ms": ("warm 2 filters + 5 facet fields, ms", "ms", False),
    "facets_first_ms": ("  same, first query on a fresh searcher, ms", "ms", False),
    "batch_qps": ("batch lookups, one searcher, queries/s", "q/s", True),
    "cold_ms": ("cold process: phrase -> top10 ids, ms", "ms", False),
    "cold_api_ms": ("  readsearch cold via python -c api.search, ms", "ms", False),
    "cold_rss_mib": ("cold query process peak RSS, MiB", "MiB", False),
}
# measure -> (description, check(value, ratios, docs) -> bool | None)
TARGETS = {
    "index_docs_per_s": (">= 0.9x whoosh", lambda v, r, n: r.get("whoosh") is not None and r["whoosh"] >= 0.9),
    "phrase_ms": ("<= 4x fts5", lambda v, r, n: r.get("fts5") is not None and r["fts5"] <= 4),
    "or_ms": ("<= 2x fts5", lambda v, r, n: r.get("fts5") is not None and r["fts5"] <= 2),
    "facets_ms": ("<= 10 ms (14k), 30 ms (100k)", lambda v, r, n: v <= (10 if n < 50_000 else 30)),
    "batch_qps": (">= 200 q/s", lambda v, r, n: v >= 200),
    "cold_ms": ("<= 1.0x rg -l -F", lambda v, r, n: r.get("rg") is not None and r["rg"] <= 1.0),
    "cold_rss_mib": ("<= 100 MiB at 100k", lambda v, r, n: v <= 100 if n >= 50_000 else None),
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ============================================================================ workers
# Each index build runs in a fresh process: its wall time is end to end and its peak RSS is its own.

def _rel(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def worker_index(engine: str, root: str, out: str) -> dict:
    t0 = time.perf_counter()
    if engine == "readsearch":
        from readsearch import api

        done = [0, time.perf_counter()]

        def on_file(_path):  # progress on stderr, so that a run stopped at the time budget still has a rate
            done[0] += 1
            now = time.perf_counter()
            if now - done[1] >= 5:
                done[1] = now
                print(f"PROGRESS {done[0]} {now - t0:.3f}", file=sys.stderr, flush=True)

        r = api.index_paths([root], index_dir=out, options=api.IndexOptions(rebuild=True),
                            events=api.IndexEvents(on_file=on_file))
        return {"docs": r.added + r.updated, "failed": r.failed, "skipped": r.skipped,
                "failures": [[f.path, f.cause] for f in r.failures[:100]],
                "warnings": len(r.warnings), "seconds": time.perf_counter() - t0}
    files = corpus.walk_markdown(root)
    if engine == "whoosh":
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.filedb.filestore import FileStorage

        os.makedirs(out, exist_ok=True)
        ix = FileStorage(out, supports_mmap=False).create_index(
            Schema(path=ID(stored=True), title=TEXT(stored=True), body=TEXT))
        w = ix.writer(procs=2, multisegment=True, limitmb=256)
        for p in files:
            title, body = corpus.read_doc(p)
            w.add_document(path=_rel(p, root), title=title, body=body)
        w.commit()
        return {"docs": len(files), "seconds": time.perf_counter() - t0}
    if engine == "fts5":
        os.makedirs(out, exist_ok=True)
        con = sqlite3.connect(os.path.join(out, "docs.db"))
        con.execute(f"CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, body, tokenize='{FTS_TOKENIZE}')")
        with con:
            con.executemany("INSERT INTO docs(path, title, body) VALUES (?, ?, ?)",
                            ((_rel(p, root), *corpus.read_doc(p)) for p in files))
        with con:
            con.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        con.close()
        return {"docs": len(files), "seconds": time.perf_counter() - t0}
    raise SystemExit(f"unknown engine {engine}")


COLD_WHOOSH = """
import sys
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import MultifieldParser
ix = FileStorage(sys.argv[1], supports_mmap=False).open_index()
with ix.searcher() as s:
    r = s.search(MultifieldParser(["title", "body"], ix.schema).parse(sys.argv[2]), limit=10)
    print("\\n".join(h["path"] for h in r))
"""
COLD_SQLITE = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for (p,) in con.execute("SELECT path FROM docs WHERE docs MATCH ? ORDER BY %s LIMIT 10", (sys.argv[2],)):
    print(p)
""" % FTS_RANK
COLD_RS_API = """
import sys
from readsearch import api
r = api.search(sys.argv[1], index_dir=sys.argv[2], options=api.SearchOptions(limit=10, count=False, snippets=False))
print("\\n".join(h.id for h in r.hits))
"""


TIME_BIN = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def _run_direct(cmd: list[str], timeout: float | None = None) -> dict:
    """Run ``cmd``; wall seconds, exit code, outputs and peak RSS (MiB).

    The peak RSS comes from GNU time (``/usr/bin/time -f %M``) when installed, else from wait4."""
    import selectors
    import tempfile

    rss_file = None
    if TIME_BIN:
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        cmd = [TIME_BIN, "-f", "%M", "-o", rss_file, *cmd]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = None if timeout is None else t0 + timeout
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    sel.register(p.stderr, selectors.EVENT_READ)
    out_chunks, err_chunks = [], []
    open_streams, killed = 2, False
    while open_streams:
        left = None if deadline is None else deadline - time.perf_counter()
        if left is not None and left <= 0:
            os.killpg(p.pid, signal.SIGKILL)
            killed = True
            break
        for key, _ in sel.select(timeout=left):
            data = os.read(key.fileobj.fileno(), 65536)
            if not data:
                sel.unregister(key.fileobj)
                open_streams -= 1
            else:
                (out_chunks if key.fileobj is p.stdout else err_chunks).append(data)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stdout.close()
    p.stderr.close()
    rss_kib = ru.ru_maxrss
    if rss_file:
        try:
            with open(rss_file) as f:
                rss_kib = int(f.read().split()[-1])
        except (OSError, ValueError, IndexError):
            pass
        os.unlink(rss_file)
    return {"seconds": wall, "rc": p.returncode, "rss_mib": rss_kib / 1024, "killed": killed,
            "stdout": b"".join(out_chunks).decode("utf-8", "replace"),
            "stderr": b"".join(err_chunks).decode("utf-8", "replace")}


class Launcher:
    """A small process forked at start-up that runs every measured command.

    On Linux a new process's peak RSS (``ru_maxrss``) starts at the RSS of the process that
    forked it, so commands forked from this (large) benchmark process would all report its
    size. The launcher is forked while the benchmark is still small; ``floor_mib`` (the peak RSS
    it reports for ``/bin/true``) is the smallest figure it can measure. With GNU time installed
    (``/usr/bin/time``) the figure is exact and the floor about 1 MiB."""

    def __init__(self):
        r1, w1 = os.pipe()
        r2, w2 = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(w1)
            os.close(r2)
            with os.fdopen(r1, "r") as inp, os.fdopen(w2, "w") as outp:
                for line in inp:
                    req = json.loads(line)
                    try:
                        res = _run_direct(req["cmd"], req.get("timeout"))
                    except Exception as e:  # noqa: BLE001 - reported to the parent
                        res = {"seconds": 0.0, "rc": 127, "rss_mib": 0.0, "killed": False, "stdout": "",
                               "stderr": f"{type(e).__name__}: {e}"}
                    outp.write(json.dumps(res) + "\n")
                    outp.flush()
            os._exit(0)
        os.close(r1)
        os.close(w2)
        self.inp = os.fdopen(w1, "w")
        self.outp = os.fdopen(r2, "r")
        self.floor_mib = self.run(["/bin/true"])["rss_mib"] if os.path.exists("/bin/true") else None

    def run(self, cmd: list[str], timeout: float | None = None) -> dict:
        self.inp.write(json.dumps({"cmd": cmd, "timeout": timeout}) + "\n")
        self.inp.flush()
        return json.loads(self.outp.readline())

    def close(self):
        self.inp.close()
        os.waitpid(self.pid, 0)


LAUNCHER: Launcher | None = None


def run_process(cmd: list[str], timeout: float | None = None) -> dict:
    """Run ``cmd`` through the launcher (see :class:`Launcher`)."""
    return LAUNCHER.run(cmd, timeout) if LAUNCHER else _run_direct(cmd, timeout)


# ============================================================================ corpora, indexes
def du_mib(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / MIB
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / MIB


def parse_size(token: str) -> int | None:
    t = token.strip().lower()
    if t in ("14k", "real", "whitehouse"):
        return None
    return int(float(t.replace("k", "e3").replace("m", "e6")))


def corpus_for(token: str, work: Path, seed: int) -> tuple[str, Path]:
    n = parse_size(token)
    if n is None:
        return "whitehouse", corpus.whitehouse_dir()
    import generate

    out = work / "corpora" / f"gen-{n}-s{seed}"
    log(f"corpus {token}: synthetic, {n:,} documents in {out} (generated once, reused after)")
    return out.name, generate.ensure(n, out, seed)


def fingerprint(files: list[str]) -> dict:
    return {"files": len(files), "bytes": sum(os.path.getsize(f) for f in files)}


def rs_source_hash() -> str:
    h = hashlib.sha1()
    src = REPO / "src" / "readsearch"
    for f in sorted(src.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".yaml", ".md") and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(src)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def git_commit() -> str | None:
    """HEAD commit read from .git files (no git process)."""
    g = REPO / ".git"
    try:
        head = (g / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head
        ref = head[5:].strip()
        if (g / ref).exists():
            return (g / ref).read_text().strip()
        for line in (g / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return None


def build_index(engine: str, root: Path, dest: Path, fp: dict, reuse: bool, timeout: float) -> dict:
    meta_file = dest.parent / f"{engine}.bench-meta.json"
    if reuse and meta_file.exists() and dest.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("fingerprint") == fp:
            log(f"{engine}: reusing index {dest} (built {meta.get('built')}, readsearch src {meta.get('rs_src')})")
            meta["reused"] = True
            return meta
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    log(f"{engine}: indexing {fp['files']:,} files -> {dest} (timeout {timeout / 60:.0f} min)")
    r = run_process([sys.executable, str(Path(__file__).resolve()), "--worker-index", engine, str(root), str(dest)],
                    timeout=timeout)
    if r["killed"]:
        prog = [ln.split() for ln in r["stderr"].splitlines() if ln.startswith("PROGRESS ")]
        log(f"{engine}: indexing stopped at the time budget ({r['seconds'] / 60:.1f} min)")
        if not prog:
            return {"error": f"timeout after {r['seconds']:.0f} s"}
        files_done, secs = int(prog[-1][1]), float(prog[-1][2])
        meta = {"fingerprint": fp, "built": dt.datetime.now().isoformat(timespec="seconds"), "partial": True,
                "rs_src": rs_source_hash(), "docs": files_done, "seconds": secs, "process_seconds": r["seconds"],
                "docs_per_s": files_done / secs, "rss_mib": None, "disk_mib": du_mib(dest),
                "estimated_full_seconds": fp["files"] / (files_done / secs), "reused": False}
        log(f"{engine}: PARTIAL: {files_done:,} of {fp['files']:,} files in {secs:.0f} s = "
            f"{meta['docs_per_s']:.1f} docs/s (full corpus estimated {meta['estimated_full_seconds'] / 60:.1f} min); "
            f"queries run on the batches committed so far")
        return meta
    if r["rc"] != 0:
        tail = r["stderr"].strip().splitlines()[-3:]
        log(f"{engine}: indexing FAILED (rc {r['rc']}): {' | '.join(tail)}")
        return {"error": f"rc {r['rc']}: {' | '.join(tail)}"}
    info = json.loads(r["stdout"].strip().splitlines()[-1])
    meta = {"fingerprint": fp, "built": dt.datetime.now().isoformat(timespec="seconds"),
            "rs_src": rs_source_hash() if engine == "readsearch" else None,
            "docs": info["docs"], "seconds": info["seconds"], "process_seconds": r["seconds"],
            "docs_per_s": info["docs"] / info["seconds"], "rss_mib": r["rss_mib"],
            "disk_mib": du_mib(dest), "extra": {k: v for k, v in info.items() if k not in ("docs", "seconds")},
            "reused": False}
    meta_file.write_text(json.dumps(meta, indent=1))
    log(f"{engine}: {info['docs']:,} docs in {info['seconds']:.1f} s = {meta['docs_per_s']:,.0f} docs/s, "
        f"peak RSS {r['rss_mib']:.0f} MiB")
    return meta


def build_fts_facets(db: Path, rs_index: Path) -> int:
    """Copy readsearch's extracted facet values into a side table of the FTS5 database, so that
    FTS5 answers the same filtered+faceted query (only the query is timed, not this copy)."""
    from whoosh.filedb.filestore import FileStorage

    con = sqlite3.connect(db)
    rowid = {p: r for r, p in con.execute("SELECT rowid, path FROM docs")}
    ix = FileStorage(str(rs_index), supports_mmap=False).open_index("MAIN")
    rows = []
    with ix.searcher() as s:
        for f in s.all_stored_fields():
            r = rowid.get(f.get("id"))
            if r is None:
                continue
            for field in FACET_FIELDS:
                for v in str(f.get(field) or "").split(","):
                    if v:
                        rows.append((r, field, v))
    ix.close()
    with con:
        con.execute("DROP TABLE IF EXISTS facet")
        con.execute("CREATE TABLE facet(doc INTEGER, field TEXT, value TEXT)")
        con.executemany("INSERT INTO facet VALUES (?, ?, ?)", rows)
        con.execute("CREATE INDEX facet_fvd ON facet(field, value, doc)")
        con.execute("CREATE INDEX facet_dfv ON facet(doc, field, value)")
    con.execute("ANALYZE")
    con.close()
    return len(rows)


# ============================================================================ warm sessions
class ReadsearchSession:
    def __init__(self, index: Path):
        from readsearch import api

        self.api = api
        self.s = api.open_searcher(str(index))
        # what each measure asks for (RS_OPTIONS, recorded in the JSON): the phrase and the facet
        # query need the total (count=True) and return the hits as the product does (snippets);
        # the OR top 10 and the batch lookups need neither (count=False: total is -1).
        self.count_opts = api.SearchOptions(limit=10, count=True, snippets=True)
        self.top_opts = api.SearchOptions(limit=10, count=False, snippets=False)
        self.facet_opts = api.SearchOptions(limit=10, filters={k: list(v) for k, v in FACET_FILTERS.items()},
                                            facets=list(FACET_FIELDS), count=True, snippets=True)

    def phrase(self):
        r = self.api.search(PHRASE, options=self.count_opts, searcher=self.s)
        return r.total, [h.id for h in r.hits]

    def or_top10(self):
        r = self.api.search(OR_QUERY, options=self.top_opts, searcher=self.s)
        return None, [h.id for h in r.hits]

    def facets(self):
        r = self.api.search(FACET_QUERY, options=self.facet_opts, searcher=self.s)
        return r.total, [h.id for h in r.hits], {k: len(v) for k, v in r.facets.items()}

    def batch(self, queries):
        for q in queries:
            [h.id for h in self.api.search(q, options=self.top_opts, searcher=self.s).hits]

    def close(self):
        self.s.close()


class WhooshSession:
    def __init__(self, index: Path):
        from whoosh.filedb.filestore import FileStorage
        from whoosh.qparser import MultifieldParser

        self.ix = FileStorage(str(index), supports_mmap=False).open_index()
        self.s = self.ix.searcher()
        self.qp = MultifieldParser(["title", "body"], self.ix.schema)

    def phrase(self):
        r = self.s.search(self.qp.parse(PHRASE), limit=10)
        return len(r), [h["path"] for h in r]

    def or_top10(self):
        r = self.s.search(self.qp.parse(OR_QUERY), limit=10)
        return None, [h["path"] for h in r]

    def batch(self, queries):
        for q in queries:
            [h["path"] for h in self.s.search(self.qp.parse(q), limit=10)]

    def close(self):
        self.s.close()
        self.ix.close()


class FtsSession:
    def __init__(self, db: Path, with_facets: bool):
        self.con = sqlite3.connect(db)
        self.with_facets = with_facets

    def _top(self, q):
        return [p for (p,) in self.con.execute(
            f"SELECT path FROM docs WHERE docs MATCH ? ORDER BY {FTS_RANK} LIMIT 10", (q,))]

    def phrase(self):
        n = self.con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (PHRASE,)).fetchone()[0]
        return n, self._top(PHRASE)

    def or_top10(self):
        return None, self._top(OR_QUERY)

    def facets(self):
        (f1, v1), (f2, v2) = FACET_FILTER_TERMS.items()
        flt = "SELECT doc FROM facet WHERE field = ? AND value = ?"
        match = f"SELECT rowid FROM docs WHERE docs MATCH ? INTERSECT {flt} INTERSECT {flt}"
        args = (FACET_QUERY, f1, v1, f2, v2)
        total = self.con.execute(f"SELECT count(*) FROM ({match})", args).fetchone()[0]
        top = [p for (p,) in self.con.execute(
            f"SELECT path FROM docs WHERE docs MATCH ? AND rowid IN ({flt}) AND rowid IN ({flt}) "
            f"ORDER BY {FTS_RANK} LIMIT 10", args)]
        marks = ",".join("?" * len(FACET_FIELDS))
        counts: dict[str, int] = {}
        for field, _value, _n in self.con.execute(
                f"SELECT field, value, count(*) FROM facet WHERE doc IN ({match}) AND field IN ({marks}) "
                f"GROUP BY field, value ORDER BY field, count(*) DESC", args + tuple(FACET_FIELDS)):
            counts[field] = counts.get(field, 0) + 1
        return total, top, counts

    def batch(self, queries):
        for q in queries:
            self._top(q)

    def close(self):
        self.con.close()


def batch_queries(root: Path, n: int, seed: int) -> list[str]:
    """``n`` lookups made from real titles: single words and quoted two-word phrases."""
    files = corpus.walk_markdown(root)
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        title, _ = corpus.read_doc(files[rng.randrange(len(files))])
        words = re.findall(r"[a-z]{4,}", title.lower())
        if not words:
            continue
        if len(out) % 2 and len(words) > 1:
            i = rng.randrange(len(words) - 1)
            out.append(f'"{words[i]} {words[i + 1]}"')
        else:
            out.append(words[rng.randrange(len(words))])
    return out


# ============================================================================ one size
def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - t0), out


def timed_median(fn, n: int) -> float:
    """Median seconds of ``n`` back-to-back calls of ``fn`` (one warm measure of one repeat)."""
    return statistics.median(timed(fn)[0] for _ in range(max(1, n)))


def bench_size(token: str, args, work: Path, deadline: float) -> dict:
    key, root = corpus_for(token, work, args.seed)
    files = corpus.walk_markdown(root)
    fp = fingerprint(files)
    log(f"size {token}: {root} ({fp['files']:,} .md files, {fp['bytes'] / 1e6:,.0f} MB)")
    engines = [e for e in args.engines if e != "rg" or shutil.which("rg")]
    if "rg" in args.engines and "rg" not in engines:
        log("rg not found on PATH: ripgrep column skipped (apt-get install -y ripgrep)")
    idx_dir = work / "indexes" / key
    paths = {"readsearch": idx_dir / "readsearch", "whoosh": idx_dir / "whoosh", "fts5": idx_dir / "fts5"}
    res: dict = {"corpus": str(root), "files": fp["files"], "bytes": fp["bytes"], "index": {}, "measures": {},
                 "counts": {}}
    M = res["measures"]

    def put(measure, engine, value):
        M.setdefault(measure, {}).setdefault(engine, []).append(value)

    # ---- bulk indexing (once per engine, each in a fresh process)
    for e in [x for x in ("fts5", "whoosh", "readsearch") if x in engines]:
        left = deadline - time.monotonic()
        if left < 30:
            log(f"{e}: time budget exhausted, not indexed")
            continue
        reserve = args.query_reserve_minutes * 60
        meta = build_index(e, root, paths[e], fp, args.reuse, timeout=max(left - reserve, 20))
        res["index"][e] = meta
        if "error" in meta:
            continue
        if not meta.get("reused"):
            put("index_docs_per_s", e, meta["docs_per_s"])
            put("index_seconds", e, meta["seconds"])
            if meta.get("rss_mib") is not None:  # unknown when the run was stopped (GNU time killed too)
                put("index_rss_mib", e, meta["rss_mib"])
        put("index_disk_mib", e, du_mib(paths[e]))
    ok = {e for e in engines if e == "rg" or (e in res["index"] and "error" not in res["index"][e])}
    if "readsearch" in res["index"] and res["index"]["readsearch"].get("rs_src") not in (None, rs_source_hash()):
        log("note: the readsearch index was built by another version of src/ (rerun without --reuse to rebuild)")
    fts_facets = False
    if {"fts5", "readsearch"} <= ok:
        try:
            n = build_fts_facets(paths["fts5"] / "docs.db", paths["readsearch"])
            fts_facets = True
            log(f"fts5: facet side table filled from readsearch's index ({n:,} rows; not timed)")
        except Exception as ex:  # readsearch's schema changed: no FTS5 facet figure
            log(f"fts5: no facet side table ({type(ex).__name__}: {ex})")

    # ---- warm sessions (this process), first query timed separately
    sessions = {}
    for e, cls in (("readsearch", ReadsearchSession), ("whoosh", WhooshSession)):
        if e in ok:
            t, sessions[e] = timed(cls, paths[e])
            put("open_ms", e, t * 1000)
            res.setdefault("live_docs", {})[e] = sessions[e].s.doc_count() if e == "whoosh" else sessions[e].s.doc_count
    if "fts5" in ok:
        sessions["fts5"] = FtsSession(paths["fts5"] / "docs.db", fts_facets)
    # a fresh set of lookups for every repeat (the same for every engine within a repeat): a repeat
    # of the same lookups would be answered from the searchers' caches, not measure new lookups
    query_sets = [batch_queries(root, args.batch, args.seed + rep) for rep in range(args.repeats + 1)]
    queries = query_sets[0]
    res["batch_queries"] = {"n": len(queries), "sets": len(query_sets) - 1, "sample": query_sets[1][:10]}
    for e, s in sessions.items():
        t, (n, top) = timed(s.phrase)
        put("phrase_first_ms", e, t * 1000)
        res["counts"].setdefault("phrase_total", {})[e] = n
        res["counts"].setdefault("phrase_top10", {})[e] = top
        if hasattr(s, "facets") and (e != "fts5" or fts_facets):
            t, (n, top, fc) = timed(s.facets)
            put("facets_first_ms", e, t * 1000)
            res["counts"].setdefault("facets_total", {})[e] = n
            res["counts"].setdefault("facet_values", {})[e] = fc
        s.or_top10()
        s.batch(queries[:20])

    cold_cmds = {}
    rs_exe = Path(sys.executable).with_name("readsearch")
    rs_exe = str(rs_exe) if rs_exe.exists() else shutil.which("readsearch")
    if "readsearch" in ok and rs_exe:
        cold_cmds["readsearch"] = [rs_exe, "query", PHRASE, "--format", "ids", "--index", str(paths["readsearch"])]
        cold_cmds["readsearch-api"] = [sys.executable, "-c", COLD_RS_API, PHRASE, str(paths["readsearch"])]
    if "whoosh" in ok:
        cold_cmds["whoosh"] = [sys.executable, "-c", COLD_WHOOSH, str(paths["whoosh"]), PHRASE]
    if "fts5" in ok:
        cold_cmds["fts5"] = [sys.executable, "-c", COLD_SQLITE, str(paths["fts5"] / "docs.db"), PHRASE]
    if "rg" in ok:
        cold_cmds["rg"] = ["rg", "-l", "-F", RG_PATTERN, str(root)]
    for c in cold_cmds.values():  # warm the page cache once: "cold" means a new process, not a cold disk
        run_process(c)

    # ---- interleaved repeats
    for rep in range(args.repeats):
        if time.monotonic() > deadline:
            log(f"time budget reached after {rep} repeats")
            break
        log(f"size {token}: repeat {rep + 1}/{args.repeats}")
        order = list(sessions)
        order = order[rep % len(order):] + order[:rep % len(order)] if order else order
        for e in order:
            put("phrase_ms", e, timed_median(sessions[e].phrase, args.inner) * 1000)
        for e in order:
            put("or_ms", e, timed_median(sessions[e].or_top10, args.inner) * 1000)
        for e in order:
            if hasattr(sessions[e], "facets") and (e != "fts5" or fts_facets):
                put("facets_ms", e, timed_median(sessions[e].facets, args.inner) * 1000)
        for e in order:
            batch = query_sets[rep + 1]
            put("batch_qps", e, len(batch) / timed(sessions[e].batch, batch)[0])
        corder = list(cold_cmds)
        corder = corder[rep % len(corder):] + corder[:rep % len(corder)] if corder else corder
        for name in corder * args.cold_runs:
            r = run_process(cold_cmds[name])
            if r["rc"] not in (0, 1):
                log(f"cold {name}: rc {r['rc']}: {r['stderr'].strip()[:200]}")
                continue
            if name == "readsearch-api":
                put("cold_api_ms", "readsearch", r["seconds"] * 1000)
                continue
            put("cold_ms", name, r["seconds"] * 1000)
            put("cold_rss_mib", name, r["rss_mib"])
            if rep == 0:
                res["counts"].setdefault("cold_lines", {})[name] = len(r["stdout"].splitlines())
    for s in sessions.values():
        s.close()
    res["docs"] = max((m.get("docs", 0) for m in res["index"].values() if isinstance(m, dict)), default=fp["files"])
    res["summary"] = {m: {e: {"median": statistics.median(v), "min": min(v), "n": len(v)} for e, v in per.items()}
                      for m, per in M.items()}
    return res


# ============================================================================ report
def fmt_num(v: float | None) -> str:
    if v is None:
        return "—"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def table(token: str, res: dict, engines: list[str]) -> str:
    S = res["summary"]
    cols = [e for e in ENGINES if e in engines]
    base = [e for e in cols if e != "readsearch"]
    head = f"{'measure':<50}" + "".join(f"{LABELS[e]:>13}" for e in cols) + \
        "".join(f"{'rs/' + LABELS[e][:6]:>11}" for e in base) + f"  {'target':<30}{'met':>4}"
    lines = [f"== {token}: {res['corpus']} ({res['files']:,} files, {res['bytes'] / 1e6:,.0f} MB) ==", head,
             "-" * len(head)]
    checks = {}
    # a readsearch index stopped at the time budget holds fewer documents than the baselines:
    # its figures are not comparable, so no target is judged on them
    rs_partial = bool((res["index"].get("readsearch") or {}).get("partial"))
    for m, (label, _unit, _hib) in MEASURES.items():
        per = S.get(m)
        if not per:
            continue
        med = {e: per[e]["median"] for e in per}
        row = f"{label:<50}" + "".join(f"{fmt_num(med.get(e)):>13}" for e in cols)
        rs = med.get("readsearch")
        ratios = {}
        for e in base:
            if rs is not None and med.get(e):
                ratios[e] = rs / med[e]
            row += f"{(f'{ratios[e]:.2f}x' if e in ratios else '—'):>11}"
        if m in TARGETS and rs is not None:
            desc, check = TARGETS[m]
            need = {"index_docs_per_s": "whoosh", "phrase_ms": "fts5", "or_ms": "fts5", "cold_ms": "rg"}.get(m)
            met = None if rs_partial or (need and need not in ratios) else check(rs, ratios, res["files"])
            checks[m] = {"target": desc, "value": rs, "ratios": ratios, "met": met,
                         "not_judged": "readsearch index partial" if rs_partial else None}
            row += f"  {desc:<30}{('—' if met is None else 'yes' if met else 'NO'):>4}"
        lines.append(row.rstrip())
    res["targets"] = checks
    c = res.get("counts", {})
    if c.get("phrase_total"):
        lines.append("phrase hits: " + ", ".join(f"{LABELS[e]} {n}" for e, n in c["phrase_total"].items())
                     + "  (readsearch folds exact duplicates; Whoosh drops stop words)")
    if c.get("facets_total"):
        lines.append(f"filtered query {FACET_QUERY!r} {FACET_FILTERS}: " + ", ".join(
            f"{LABELS[e]} {n} hits" for e, n in c["facets_total"].items()) + "; facet values: " + ", ".join(
            f"{LABELS[e]} {sum(v.values())}" for e, v in c.get("facet_values", {}).items()))
    for e, m in res["index"].items():
        if isinstance(m, dict) and m.get("partial"):
            lines.append(f"{LABELS[e]} indexing was STOPPED at the time budget: {m['docs']:,} of {res['files']:,} "
                         f"files in {m['seconds']:.0f} s; full corpus estimated at "
                         f"{m['estimated_full_seconds'] / 60:.1f} min; its query figures are on the "
                         f"{res.get('live_docs', {}).get(e, '?')} documents committed (not comparable with the "
                         f"baselines' {res['files']:,}: no target judged)")
    rsx = (res["index"].get("readsearch") or {}).get("extra") or {}
    if "failed" in rsx:
        lines.append(f"readsearch indexing: {rsx['failed']} files failed, {rsx.get('skipped', 0)} skipped"
                     + "".join(f"\n  failed: {p}: {c}" for p, c in rsx.get("failures", [])[:20]))
    reused = [e for e, m in res["index"].items() if isinstance(m, dict) and m.get("reused")]
    if reused:
        lines.append(f"indexes reused (no indexing figures this run): {', '.join(reused)}")
    return "\n".join(lines)


def host_info() -> dict:
    info = {"host": socket.gethostname(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "git_commit": git_commit(), "readsearch_src": rs_source_hash(),
            "loadavg_start": [round(x, 2) for x in os.getloadavg()]}
    try:
        from importlib.metadata import version

        info["whoosh"] = version("whoosh-reloaded")
        info["readsearch"] = version("readsearch")
    except Exception:
        pass
    if shutil.which("rg"):
        info["rg"] = subprocess.run(["rg", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return info


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--sizes", default="14k", help="comma separated: 14k (real corpus), 100k, 1m... [14k]")
    ap.add_argument("--repeats", type=int, default=5, help="interleaved repeats per query measure [5]")
    ap.add_argument("--engines", default=",".join(ENGINES), help=f"subset of {','.join(ENGINES)}")
    ap.add_argument("--batch", type=int, default=500, help="lookups per batch measure [500]")
    ap.add_argument("--inner", type=int, default=5,
                    help="timings of each warm query per repeat; the repeat records their median [5]")
    ap.add_argument("--cold-runs", type=int, default=3,
                    help="runs of each cold process per repeat, interleaved across engines [3]")
    ap.add_argument("--seed", type=int, default=42, help="seed of the generator and the batch queries [42]")
    ap.add_argument("--work-dir", type=Path,
                    default=Path(os.environ.get("READSEARCH_BENCH_DIR", "/tmp/readsearch-bench")),
                    help="corpora and indexes go here [/tmp/readsearch-bench or $READSEARCH_BENCH_DIR]")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse indexes already built for the same files (no indexing figures for them)")
    ap.add_argument("--max-minutes", type=float, default=25, help="time budget of the whole run [25]")
    ap.add_argument("--query-reserve-minutes", type=float, default=5,
                    help="time kept for the query measures: indexing is stopped when it would eat it "
                         "(its rate is then measured on the files done) [5]")
    ap.add_argument("--quick", action="store_true", help="14k only, 3 repeats, 100 batch lookups")
    ap.add_argument("--results", type=Path, default=HERE / "results", help="folder for the JSON results")
    ap.add_argument("--worker-index", nargs=3, metavar=("ENGINE", "ROOT", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker_index:
        print(json.dumps(worker_index(*a.worker_index)))
        return 0
    if a.quick:
        a.sizes, a.repeats, a.batch = "14k", min(a.repeats, 3), min(a.batch, 100)
    a.engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    bad = set(a.engines) - set(ENGINES)
    if bad:
        ap.error(f"unknown engine(s) {', '.join(sorted(bad))}; choose from {', '.join(ENGINES)}")
    work = a.work_dir.resolve()
    if REPO in (work, *work.parents):
        ap.error(f"--work-dir {work} is inside the repository; use a folder under /tmp")
    corpus.shared_dir()  # clear message when ../shared is absent
    work.mkdir(parents=True, exist_ok=True)
    # bytecode as an installed package has it (pip compiles at install; an editable install under
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every edited module in every cold process)
    import compileall

    compileall.compile_dir(str(REPO / "src" / "readsearch"), quiet=1)
    global LAUNCHER
    LAUNCHER = Launcher()
    deadline = time.monotonic() + a.max_minutes * 60
    started = dt.datetime.now()
    out = {"started": started.isoformat(timespec="seconds"), "argv": sys.argv[1:], "host": host_info(),
           "config": {"repeats": a.repeats, "inner": a.inner, "cold_runs": a.cold_runs, "batch": a.batch,
                      "seed": a.seed, "engines": a.engines,
                      "phrase": PHRASE, "or": OR_QUERY, "facet_query": FACET_QUERY,
                      "facet_filters": FACET_FILTERS, "facet_fields": FACET_FIELDS, "fts_tokenize": FTS_TOKENIZE,
                      "readsearch_options": RS_OPTIONS},
           "sizes": {}}
    tables = []
    for token in [s.strip() for s in a.sizes.split(",") if s.strip()]:
        res = bench_size(token, a, work, deadline)
        out["sizes"][token] = res
        tables.append(table(token, res, a.engines))
    out["seconds"] = round((dt.datetime.now() - started).total_seconds(), 1)
    out["rss_floor_mib"] = LAUNCHER.floor_mib
    out["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    LAUNCHER.close()
    a.results.mkdir(parents=True, exist_ok=True)
    name = f"{started:%Y%m%d-%H%M%S}-{re.sub(r'[^A-Za-z0-9_.-]', '_', socket.gethostname())}.json"
    (a.results / name).write_text(json.dumps(out, indent=1, ensure_ascii=False, default=str) + "\n")
    h = out["host"]
    print(f"\nreadsearch benchmark {out['started']} on {h['host']} ({h['cpus']} cpus, Python {h['python']}, "
          f"SQLite {h['sqlite']}, whoosh-reloaded {h.get('whoosh')}, {h.get('rg', 'no rg')}; load average "
          f"{h['loadavg_start'][0]:.2f} at start, {out['loadavg_end'][0]:.2f} at end); "
          f"repeats {a.repeats}, medians; ratios = readsearch / baseline (docs/s and q/s: higher is better, "
          f"times and MiB: lower is better)\n")
    print("\n\n".join(tables))
    print(f"\npeak RSS figures include a floor of {out['rss_floor_mib']:.1f} MiB (what /bin/true reports "
          f"through the same launcher{', GNU time' if TIME_BIN else ''})")
    print(f"\nresults: {a.results / name}  ({out['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
