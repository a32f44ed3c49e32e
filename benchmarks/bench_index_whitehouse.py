#!/usr/bin/env python3
"""Index ../shared/scale/whitehouse (14,365 documents) and time indexing and a few queries.

The baseline figures of issue 2 (acceptance item 6). Same as ``bench.py --quick``: the 14k real
documents, indexed once by readsearch, plain tuned Whoosh and SQLite FTS5, then a phrase, an OR
query, a filtered+faceted query, batch lookups and cold-process queries (with ripgrep), 3
interleaved repeats, medians and ratios printed, JSON written under benchmarks/results/.

    python benchmarks/bench_index_whitehouse.py                       # all engines
    python benchmarks/bench_index_whitehouse.py --engines readsearch  # readsearch alone (faster)

Any other ``bench.py`` option may be added. The shared folder is found as
``<repo>/../shared`` or ``$READSEARCH_SHARED``.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

if __name__ == "__main__":
    sys.exit(bench.main(["--quick", *sys.argv[1:]]))
