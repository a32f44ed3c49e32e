"""Facet counting: exact counts on multi-valued fields, for the whole corpus or a query's hits.

For each facet field a searcher keeps a map term -> set of document numbers, read once from the
postings (deleted documents excluded), so counting a hit set is one set intersection per value:
a readout about Russia and Serbia counts once under each.
"""
from __future__ import annotations

from collections import Counter


class FacetCounter:
    """Per-searcher cache of facet postings.

    Args:
        searcher: an open :class:`whoosh.searching.Searcher` (its reader is read lazily).
    """

    def __init__(self, searcher):
        self._s = searcher
        self._maps: dict[str, dict] = {}

    def term_docs(self, fieldname: str) -> dict[str, frozenset[int]]:
        """term -> frozenset of live document numbers, for one field (cached)."""
        m = self._maps.get(fieldname)
        if m is None:
            from whoosh.query import Term

            reader = self._s.reader()
            m = {}
            if fieldname in reader.indexed_field_names():
                for term in reader.field_terms(fieldname):
                    docs = frozenset(self._s.docs_for_query(Term(fieldname, term)))
                    if docs:
                        m[term] = docs
            self._maps[fieldname] = m
        return m

    def count(self, fieldname: str, docs: set[int] | None) -> Counter:
        """Counts of each value of ``fieldname`` among ``docs`` (None: every live document)."""
        out: Counter = Counter()
        for term, postings in self.term_docs(fieldname).items():
            n = len(postings) if docs is None else len(postings & docs) if len(postings) < len(docs) else len(docs & postings)
            if n:
                out[term] = n
        return out

    def doc_values(self, fieldname: str) -> dict[int, str]:
        """docnum -> value of a single-valued field, for the documents that have one (cached)."""
        key = "\0values:" + fieldname
        m = self._maps.get(key)
        if m is None:
            m = {d: term for term, docs in self.term_docs(fieldname).items() for d in docs}
            self._maps[key] = m
        return m

    def terms_matching(self, fieldname: str, predicate) -> list[str]:
        """Index terms of ``fieldname`` for which ``predicate(term)`` is true."""
        return [t for t in self.term_docs(fieldname) if predicate(t)]
