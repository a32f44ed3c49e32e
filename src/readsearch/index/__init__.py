"""The index layer: the only code that imports Whoosh.

- :mod:`.schema` fields and facet names; :mod:`.analysis` the analyzers;
- :mod:`.writer` open/create/write (incremental, locked, atomic commits);
- :mod:`.query` the query language; :mod:`.searcher` search, :mod:`.facets` counting,
  :mod:`.highlight` snippets.
"""
