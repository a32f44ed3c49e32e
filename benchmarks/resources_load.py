#!/usr/bin/env python3
"""Cold-start cost of the extraction resources: ``load_resources()`` + one
``resolve("country", "serbia")`` in fresh processes, with a warm compiled cache and without one.

Every run is a new Python process (what each ``readsearch index`` / ``extract`` / filtered
``query`` pays). The time is taken inside the process around the two calls, in milliseconds; the
import of ``readsearch.extract`` is reported apart. The cache lives in a temporary
``XDG_CACHE_HOME`` (filled by one run first), so the user's own cache is left alone; the uncached
runs set ``READSEARCH_NO_CACHE=1``. Target: warm median under 60 ms.

Usage: python benchmarks/resources_load.py [--runs 10] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 60.0

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
t0 = time.perf_counter()
from readsearch.extract import load_resources
t1 = time.perf_counter()
res = load_resources()
code = res.resolve("country", "serbia")
t2 = time.perf_counter()
assert code == "RS", code
print(json.dumps({"import_ms": (t1 - t0) * 1e3, "load_ms": (t2 - t1) * 1e3}))
"""


def run(env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "src")], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def series(env: dict, runs: int) -> tuple[float, float]:
    got = [run(env) for _ in range(runs)]
    return (statistics.median(g["load_ms"] for g in got),
            statistics.median(g["import_ms"] for g in got))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10, help="fresh processes per series (10)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="readsearch-cache-") as tmp:
        env = dict(os.environ, XDG_CACHE_HOME=tmp)
        env.pop("READSEARCH_NO_CACHE", None)
        first = run(env)                              # builds and writes the cache
        warm, warm_imp = series(env, args.runs)
        files = sorted(p.name for p in (Path(tmp) / "readsearch").glob("*"))
        cold_env = dict(env, READSEARCH_NO_CACHE="1")
        cold, cold_imp = series(cold_env, args.runs)
    print(f"load_resources() + resolve('country', 'serbia'), median of {args.runs} fresh processes")
    print(f"  warm cache   {warm:8.1f} ms   (import of readsearch.extract {warm_imp:.1f} ms)"
          f"{'  ok' if warm < TARGET_MS else '  ABOVE'} (target < {TARGET_MS:.0f} ms)")
    print(f"  no cache     {cold:8.1f} ms   (import {cold_imp:.1f} ms)")
    print(f"  first run    {first['load_ms']:8.1f} ms   (no cache yet: builds and writes it)")
    print(f"  uncached / warm = {cold / warm:.1f}x; cache files: {', '.join(files) or 'none'}")
    if args.json:
        print(json.dumps({"warm_ms": warm, "uncached_ms": cold, "first_ms": first["load_ms"],
                          "import_ms": warm_imp, "ratio": cold / warm}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
