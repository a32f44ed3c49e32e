import sys, time
from readsearch import api
IX='/tmp/readsearch-bench/indexes/whitehouse/readsearch'
s=api.open_searcher(IX)
which=sys.argv[1]
opts={'or':('energy OR security',api.SearchOptions(limit=10,count=False,snippets=False)),
      'phrase':('"energy security"',api.SearchOptions(limit=10,count=True,snippets=True)),
      'phrase_nosnip':('"energy security"',api.SearchOptions(limit=10,count=True,snippets=False)),
      'phrase_nocount':('"energy security"',api.SearchOptions(limit=10,count=False,snippets=False)),
      'facets':('energy',api.SearchOptions(limit=10,count=True,snippets=True,filters={'country':['China'],'year':['2025']},facets=['country','person','topic','organization','year'])),
      'word':('sanctions',api.SearchOptions(limit=10,count=False,snippets=False)),
     }
q,o=opts[which]
api.search(q,options=o,searcher=s)
n=int(sys.argv[2]) if len(sys.argv)>2 else 5
t=time.perf_counter()
for _ in range(n): api.search(q,options=o,searcher=s)
print(which, f"{(time.perf_counter()-t)/n*1000:.1f} ms/query", file=sys.stderr)
