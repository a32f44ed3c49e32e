import sys, time
sys.path.insert(0,'/work/main/benchmarks')
import bench, corpus
from pathlib import Path
from readsearch import api
qs=bench.batch_queries(Path('/work/shared/scale/whitehouse'), 100, 42)
s=api.open_searcher('/tmp/readsearch-bench/indexes/whitehouse/readsearch')
o=api.SearchOptions(limit=10,count=False,snippets=False)
for q in qs[:20]: api.search(q,options=o,searcher=s)
t=time.perf_counter()
for q in qs: api.search(q,options=o,searcher=s)
print(f"{len(qs)/(time.perf_counter()-t):.1f} q/s", file=sys.stderr)
