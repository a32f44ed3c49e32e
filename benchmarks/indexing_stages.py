#!/usr/bin/env python3
"""Where bulk indexing's time goes: the writers given the same prepared documents, and the CPU of
each preparation stage.

    python benchmarks/indexing_stages.py                      # 14k real documents, 3 repeats
    python benchmarks/indexing_stages.py --limit 3000 --repeats 5

``bench.py`` times indexing end to end: readsearch reads, strips markup, extracts entities,
fingerprints for duplicates and writes a richer index (title and body with positions of every
word, case and stem variants and pair terms; the body stored; 30 fields) where plain Whoosh only
writes ``path``, ``title`` and ``body``. This script separates the two halves.

1. Preparation, once, in this process: every file is read (``readers.read_file``), its entities
   extracted (``extract``) and its duplicate fingerprint computed (``dedup.fingerprint``); the CPU
   seconds of each stage are summed (``time.process_time``), and the prepared
   :class:`~readsearch.model.Document` objects are pickled one after another into a file in the
   work dir.
2. Builds, each in a fresh process, ``--repeats`` times in a rotating order, all with two writer
   processes as in ``bench.py``:

   ============== ================================================================================
   engine         what it builds
   ============== ================================================================================
   whoosh-files   ``bench.py``'s plain tuned Whoosh from the files (the baseline of issue 6)
   rs-files       readsearch from the files (``api.index_paths``: everything, end to end)
   whoosh-docs    plain tuned Whoosh (``path``, ``title``, ``body``) from the prepared documents
   whoosh-rs      Whoosh's own tuned writer (``procs=2, multisegment=True, limitmb=256``) writing
                  readsearch's schema and fields (``document_fields``) from the prepared documents
   rs-docs        readsearch's writer (``IndexStore.put``, its segment writer) from the same
   ============== ================================================================================

   A build process reports its wall seconds and the CPU seconds of itself and its children
   (``getrusage``); the ``*-docs`` engines pay the same unpickling of the document stream.

The table gives medians and ratios against ``whoosh-files``; the JSON of the run goes to
``benchmarks/results/<YYYYmmdd-HHMMSS>-<host>-stages.json``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench  # noqa: E402
import corpus  # noqa: E402

ENGINES = ("whoosh-files", "rs-files", "whoosh-docs", "whoosh-rs", "rs-docs")
TUNED = {"procs": 2, "multisegment": True, "limitmb": 256}


def prepare(root: str, files: list[str], out: str) -> dict:
    """Read, extract and fingerprint ``files`` (one process), pickling each document into ``out``.

    Returns:
        ``{"docs": n, "read_s", "extract_s", "fingerprint_s"}``: CPU seconds per stage.
    """
    from readsearch import dedup, readers
    from readsearch.extract import extract, load_resources
    from readsearch.model import Document, ReadError

    resources = load_resources((), ())
    opts = readers.ReadOptions()
    cpu = {"read_s": 0.0, "extract_s": 0.0, "fingerprint_s": 0.0}
    n = 0
    clock = time.process_time
    with open(out, "wb") as f:
        for path in files:
            t0 = clock()
            fr = readers.read_file(path, bench._rel(path, root), opts)
            cpu["read_s"] += clock() - t0
            for item in fr.items:
                if isinstance(item, ReadError) or not (item.body.strip() or item.title.strip()):
                    continue        # as the indexer does: a failed or empty readout is not written
                t1 = clock()
                entities = extract(item, resources)
                t2 = clock()
                fp = dedup.fingerprint(item.body, entities.date, entities.participants, item.id)
                cpu["extract_s"] += t2 - t1
                cpu["fingerprint_s"] += clock() - t2
                pickle.dump(Document(readout=item, entities=entities, root=root, mtime=1.0, size=len(item.body),
                                     digest="-", body_key=fp.key, bands=fp.bands), f, pickle.HIGHEST_PROTOCOL)
                n += 1
    return {"docs": n, **{k: round(v, 2) for k, v in cpu.items()}}


def _documents(path: str):
    with open(path, "rb") as f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return


def build(engine: str, root: str, docs_file: str, out: str) -> dict:
    """One build (run in a fresh process by :func:`main`)."""
    if engine in ("whoosh-files", "rs-files"):
        r = bench.worker_index("whoosh" if engine == "whoosh-files" else "readsearch", root, out)
        n = r["docs"]
    elif engine == "rs-docs":
        from readsearch.index.writer import IndexStore

        store = IndexStore(out, rebuild=True, procs=TUNED["procs"])
        n = 0
        for doc in _documents(docs_file):
            store.put(doc)
            n += 1
        store.commit()
        store.close()
    else:
        from whoosh.filedb.filestore import FileStorage

        if engine == "whoosh-docs":
            from whoosh.fields import ID, TEXT, Schema

            schema = Schema(path=ID(stored=True), title=TEXT(stored=True), body=TEXT)

            def fields(d):
                return {"path": d.readout.path, "title": d.readout.title or "", "body": d.readout.body or ""}
        else:
            from readsearch.index.schema import build_schema
            from readsearch.index.writer import document_fields as fields

            schema = build_schema()
        os.makedirs(out, exist_ok=True)
        w = FileStorage(out, supports_mmap=False).create_index(schema).writer(**TUNED)
        n = 0
        for doc in _documents(docs_file):
            w.add_document(**fields(doc))
            n += 1
        w.commit()
    return {"docs": n}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--root", help="corpus folder [<shared>/scale/whitehouse]")
    ap.add_argument("--limit", type=int, default=0, help="only the first N files (sorted by path) [all]")
    ap.add_argument("--repeats", type=int, default=3, help="builds per engine, interleaved [3]")
    ap.add_argument("--engines", default=",".join(ENGINES), help=f"comma separated, from {','.join(ENGINES)}")
    ap.add_argument("--work-dir", default=os.environ.get("READSEARCH_BENCH_DIR", "/tmp/readsearch-bench"))
    ap.add_argument("--worker", nargs=4, metavar=("ENGINE", "ROOT", "DOCS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        engine, root, docs_file, out = args.worker
        t0 = time.perf_counter()
        r = build(engine, root, docs_file, out)
        wall = time.perf_counter() - t0
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        r.update(seconds=wall, cpu=me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime)
        print("RESULT " + json.dumps(r))
        return 0

    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        raise SystemExit(f"unknown engine(s) {', '.join(sorted(unknown))}: choose from {', '.join(ENGINES)}")
    root = str(Path(args.root).resolve()) if args.root else str(corpus.whitehouse_dir())
    files = corpus.walk_markdown(root)
    if args.limit:
        files = files[:args.limit]
    work = Path(args.work_dir) / "stages"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if args.limit:   # the files builds read: a folder of links to the first N
        sub = work / "files"
        for p in files:
            dest = sub / bench._rel(p, root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(p, dest)
        root, files = str(sub), corpus.walk_markdown(sub)
    info = bench.host_info()
    bench.log(f"{len(files):,} files in {root}; preparing the documents (one process)")
    docs_file = str(work / "docs.pickle")
    stages = prepare(root, files, docs_file)
    bench.log(f"prepared {stages}")
    samples: dict[str, list[dict]] = {e: [] for e in engines}
    for rep in range(args.repeats):
        order = engines[rep % len(engines):] + engines[:rep % len(engines)]
        for engine in order:
            out = work / f"idx-{engine}"
            shutil.rmtree(out, ignore_errors=True)
            r = bench.run_process([sys.executable, str(Path(__file__).resolve()), "--worker", engine, root,
                                   docs_file, str(out)])
            lines = [l for l in r["stdout"].splitlines() if l.startswith("RESULT ")]
            if r["rc"] != 0 or not lines:
                raise SystemExit(f"{engine} build failed (exit {r['rc']}): {r['stderr'].strip()[-2000:]}")
            res = json.loads(lines[-1][len("RESULT "):])
            res.update(rss_mib=r["rss_mib"], size_mib=bench.du_mib(out))
            samples[engine].append(res)
            bench.log(f"repeat {rep + 1}: {engine} {res['docs']} docs in {res['seconds']:.1f} s, "
                      f"CPU {res['cpu']:.1f} s")
            shutil.rmtree(out, ignore_errors=True)
    med = {e: {k: statistics.median(s[k] for s in samples[e]) for k in ("seconds", "cpu", "rss_mib", "size_mib")}
           for e in engines}
    for e in engines:
        med[e]["docs"] = samples[e][0]["docs"]
    base = med.get("whoosh-files")
    print(f"readsearch indexing stages {info.get('host')} {dt.datetime.now():%Y-%m-%dT%H:%M:%S} "
          f"({info['cpus']} cpus, Python {info['python']}, whoosh-reloaded {info.get('whoosh')}); "
          f"{len(files):,} files of {root}; medians of {args.repeats} builds, engines interleaved; "
          "ratios = engine / whoosh-files")
    print()
    print(f"{'engine':<14}{'docs':>8}{'wall s':>9}{'CPU s':>9}{'docs/s':>9}{'wall ratio':>12}{'CPU ratio':>11}"
          f"{'peak MiB':>10}{'index MiB':>11}")
    for e in engines:
        m = med[e]
        wr = f"{m['seconds'] / base['seconds']:.2f}x" if base else "—"
        cr = f"{m['cpu'] / base['cpu']:.2f}x" if base else "—"
        print(f"{e:<14}{m['docs']:>8,}{m['seconds']:>9.1f}{m['cpu']:>9.1f}{m['docs'] / m['seconds']:>9.0f}"
              f"{wr:>12}{cr:>11}{m['rss_mib']:>10.0f}{m['size_mib']:>11.0f}")
    prep = stages["read_s"] + stages["extract_s"] + stages["fingerprint_s"]
    print()
    print(f"preparation, one process, CPU s: read {stages['read_s']:.1f}, extract {stages['extract_s']:.1f}, "
          f"fingerprint {stages['fingerprint_s']:.1f}; together {prep:.1f} "
          f"({1000 * prep / max(1, stages['docs']):.2f} ms per document)")
    if base and "rs-docs" in med:
        least = med["rs-docs"]["cpu"] + prep
        print(f"readsearch's least CPU end to end = its writer ({med['rs-docs']['cpu']:.1f}) + preparation "
              f"({prep:.1f}) = {least:.1f} s against whoosh-files' {base['cpu']:.1f} s: on the same cores "
              f"at most {base['cpu'] / least:.2f}x whoosh-files' docs/s")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    dest = results / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{info.get('host')}-stages.json"
    dest.write_text(json.dumps({"host": info, "root": root, "files": len(files), "repeats": args.repeats,
                                "stages": stages, "samples": samples, "medians": med}, indent=1))
    bench.log(f"wrote {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
