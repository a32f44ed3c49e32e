#!/usr/bin/env python3
"""Generate N synthetic readouts by recombining the real corpus ``shared/scale/whitehouse``.

Real vocabulary, names and structure, new documents:

- each document belongs to a *section* (the top folder: ``statements-releases``, ``speeches-remarks``,
  ...), drawn with the real sections' frequencies;
- its shape comes from a real *template* document of that section: the same front matter keys in
  the same order (``date``, ``modified_time``, ``published_time``, ``source_url``, ``tags``,
  ``title``...) and the same number of paragraphs;
- its paragraphs are drawn from all paragraphs of that section (so bodies mix real sentences,
  names and phrases across documents of the same kind);
- its title splices the first half of one real title of the section with the second half of
  another; its date is drawn uniformly from the real date range, with a matching
  ``published_time``/``modified_time`` and a ``source_url`` built from section, date and title.

Output: ``OUT/<section>/<YYYY-MM>/<date>-<slug>-<n>.md`` plus ``OUT/.bench-corpus.json`` (hidden, so
no engine indexes it) recording N, the seed and the source. The same N, seed and source give
byte-identical files.

Usage::

    python benchmarks/generate.py 100000 --out /tmp/readsearch-bench/corpora/gen-100000-s42 --seed 42
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

import yaml  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
MARKER = ".bench-corpus.json"
_SLUG = re.compile(r"[^a-z0-9]+")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(path: str):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    if not text.startswith("---\n") or (end := text.find("\n---\n", 3)) < 0:
        return None
    try:
        meta = yaml.load(text[4:end], Loader=_Loader)
    except yaml.YAMLError:
        return None
    if not isinstance(meta, dict) or not meta.get("title"):
        return None
    body = text[end + 5:]
    lead = body[: len(body) - len(body.lstrip(" \n"))]
    paras = [p for p in re.split(r"\n[ \t]*\n", body.strip("\n ")) if p.strip()]
    if not paras:
        return None
    return {"keys": list(meta), "meta": meta, "title": str(meta["title"]), "lead": lead, "paras": paras}


def load_sections(source: Path) -> dict[str, list[dict]]:
    """Real documents of ``source`` grouped by top folder (section), in sorted path order."""
    sections: dict[str, list[dict]] = {}
    for path in corpus.walk_markdown(source):
        rel = os.path.relpath(path, source)
        if os.sep not in rel:
            continue
        doc = _parse(path)
        if doc is not None:
            sections.setdefault(rel.split(os.sep, 1)[0], []).append(doc)
    return sections


def _date_range(sections) -> tuple[dt.date, dt.date]:
    dates = []
    for docs in sections.values():
        for d in docs:
            v = d["meta"].get("date")
            if isinstance(v, str):
                try:
                    v = dt.date.fromisoformat(v[:10])
                except ValueError:
                    continue
            if isinstance(v, dt.date):
                dates.append(v)
    return min(dates), max(dates)


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def generate(n: int, out: Path, seed: int = 42, source: Path | None = None, quiet: bool = False) -> dict:
    """Write ``n`` synthetic documents into ``out`` (emptied first). Returns the marker dict."""
    source = source or corpus.whitehouse_dir()
    out = Path(out).resolve()
    if REPO in (out, *out.parents):
        sys.exit(f"generate: refusing to write inside the repository ({out}); pick a folder under /tmp")
    t0 = time.monotonic()
    sections = load_sections(source)
    names = sorted(sections)
    pools = {s: [p for d in sections[s] for p in d["paras"]] for s in names}
    cum, acc = [], 0
    for s in names:
        acc += len(sections[s])
        cum.append(acc)
    lo, hi = _date_range(sections)
    span = (hi - lo).days
    if out.exists():
        if not (out / MARKER).exists() and any(out.iterdir()):
            sys.exit(f"generate: {out} exists, is not empty and is not a generated corpus; not touching it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    made_dirs: set[str] = set()
    total_bytes = 0
    for i in range(n):
        sec = names[bisect.bisect_right(cum, rng.randrange(acc))]
        docs = sections[sec]
        tpl = docs[rng.randrange(len(docs))]
        a, b = docs[rng.randrange(len(docs))]["title"].split(), docs[rng.randrange(len(docs))]["title"].split()
        title = " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2:])
        day = lo + dt.timedelta(days=rng.randrange(span + 1))
        secs = rng.randrange(6 * 3600, 23 * 3600)
        ts = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=secs)
        slug = _SLUG.sub("-", title.lower()).strip("-")[:80] or "document"
        paras = [rng.choice(pools[sec]) for _ in tpl["paras"]]
        lines = ["---"]
        for key in tpl["keys"]:
            if key == "title":
                lines.append(f"title: {_q(title)}")
            elif key == "date":
                lines.append(f"date: '{day.isoformat()}'")
            elif key == "published_time":
                lines.append(f"published_time: {ts.isoformat(sep=' ')}-04:00")
            elif key == "modified_time":
                lines.append(f"modified_time: {(ts + dt.timedelta(seconds=1)).isoformat(sep=' ')}-04:00")
            elif key == "source_url":
                lines.append(f"source_url: https://www.whitehouse.gov/{sec}/{day:%Y/%m}/{slug}/")
            else:
                v = tpl["meta"][key]
                lines.append(f"{key}: {_q(v) if isinstance(v, str) else json.dumps(v, default=str)}")
        lines.append("---")
        text = "\n".join(lines) + "\n" + tpl["lead"] + "\n\n".join(paras) + "\n"
        sub = f"{sec}/{day:%Y-%m}"
        if sub not in made_dirs:
            (out / sub).mkdir(parents=True, exist_ok=True)
            made_dirs.add(sub)
        data = text.encode("utf-8")
        total_bytes += len(data)
        with open(out / sub / f"{day.isoformat()}-{slug[:60]}-{i:07d}.md", "wb") as f:
            f.write(data)
        if not quiet and (i + 1) % 20000 == 0:
            print(f"generate: {i + 1:,}/{n:,} documents", file=sys.stderr)
    marker = {"documents": n, "seed": seed, "source": str(source), "bytes": total_bytes,
              "sections": {s: len(sections[s]) for s in names}}
    (out / MARKER).write_text(json.dumps(marker, indent=1) + "\n")
    if not quiet:
        print(f"generate: {n:,} documents, {total_bytes / 1e6:,.0f} MB in {out} "
              f"({time.monotonic() - t0:.1f} s, seed {seed})", file=sys.stderr)
    return marker


def ensure(n: int, out: Path, seed: int = 42) -> Path:
    """Generate into ``out`` unless a corpus with the same N and seed is already there."""
    m = Path(out) / MARKER
    if m.exists():
        try:
            info = json.loads(m.read_text())
            if info.get("documents") == n and info.get("seed") == seed:
                return Path(out)
        except ValueError:
            pass
    generate(n, Path(out), seed)
    return Path(out)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=lambda s: int(float(s.lower().replace("k", "e3").replace("m", "e6"))),
                    help="number of documents (100000, 100k, 1m)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output folder (default /tmp/readsearch-bench/corpora/gen-N-sSEED); emptied first")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--source", type=Path, default=None, help="real corpus (default shared/scale/whitehouse)")
    a = ap.parse_args(argv)
    out = a.out or Path(os.environ.get("READSEARCH_BENCH_DIR", "/tmp/readsearch-bench")) / "corpora" / f"gen-{a.n}-s{a.seed}"
    generate(a.n, out, a.seed, a.source)


if __name__ == "__main__":
    main()
