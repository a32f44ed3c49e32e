"""Facet counting: exact counts on multi-valued fields, for the whole corpus or a query's hits.

For each facet field a searcher keeps a map term -> set of live document numbers, so counting a
hit set is one set intersection per value (a readout about Russia and Serbia counts once under
each), and counting the whole corpus is the size of each set.

Reading these maps from the postings costs one postings read per term; the maps are therefore
cached on disk beside the index, one pickle per field and index generation
(``cache-g<generation>-<field>.pkl``): the indexer writes them after its last commit, every
later process loads only the fields it needs, and files of older generations are removed.
Document numbers are only valid for the generation they were read from, which the file name
pins.
"""
from __future__ import annotations

import os
import pickle
import re
from collections import Counter
from itertools import chain, repeat

_CACHE = re.compile(r"^cache-g(\d+)-(.+)\.pkl$")


class FacetCounter:
    """Per-searcher facet postings (term -> docnums), cached in memory and on disk.

    Args:
        searcher: an open :class:`whoosh.searching.Searcher`.
        cache_dir: the index folder to keep per-generation pickles in (None: memory only).
    """

    def __init__(self, searcher, cache_dir: str | None = None):
        self._s = searcher
        self._maps: dict[str, dict] = {}
        self._dir = cache_dir
        try:
            self._gen = searcher.reader().generation()
        except Exception:  # an empty index has no generation
            self._gen = None

    # ------------------------------------------------------------------ disk cache
    def _path(self, name: str) -> str | None:
        if self._dir is None or self._gen is None or self._gen < 0:
            return None
        return os.path.join(self._dir, f"cache-g{self._gen}-{name}.pkl")

    def cached(self, name: str, build):
        """``build()`` once per generation: from memory, else from the disk cache, else built and
        saved (best effort: a read-only index folder just skips the saving)."""
        m = self._maps.get(name)
        if m is not None:
            return m
        path = self._path(name)
        if path is not None:
            try:
                with open(path, "rb") as f:
                    m = pickle.load(f)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                m = None
        if m is None:
            m = build()
            if path is not None:
                self._save(path, m)
        self._maps[name] = m
        return m

    def _save(self, path: str, value) -> None:
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            for name in os.listdir(self._dir):
                m = _CACHE.match(name)
                if m and int(m.group(1)) != self._gen:
                    os.remove(os.path.join(self._dir, name))
        except OSError:
            try:
                os.remove(tmp)
            except OSError:
                pass

    # ------------------------------------------------------------------ maps
    def term_docs(self, fieldname: str) -> dict[str, frozenset[int]]:
        """term -> frozenset of live document numbers, for one field."""

        def build():
            reader = self._s.reader()
            m = {}
            if fieldname in reader.indexed_field_names():
                has_del = reader.has_deletions()
                for term in reader.field_terms(fieldname):
                    ids = reader.postings(fieldname, term).all_ids()
                    docs = frozenset(d for d in ids if not reader.is_deleted(d)) if has_del else frozenset(ids)
                    if docs:
                        m[term] = docs
            return m

        return self.cached(fieldname, build)

    def count(self, fieldname: str, docs: set[int] | None) -> Counter:
        """Counts of each value of ``fieldname`` among ``docs`` (None: every live document).

        Counts document by document (one lookup of each document's values) or value by value
        (one set intersection per value, costing up to the smaller of the two sets), whichever
        touches fewer entries: at 100k readouts a query's 2,230 hits against 223 countries took
        the value-wise path by the old rule (fewer values than hits), ~500,000 set probes where
        the document-wise path makes ~5,000 lookups."""
        tdocs = self.term_docs(fieldname)
        if docs is None:
            return Counter({term: len(postings) for term, postings in tdocs.items()})
        nd = len(docs)
        by_docs = nd * self.values_per_doc(fieldname)
        if by_docs <= len(tdocs) or by_docs <= sum(min(len(p), nd) for p in tdocs.values()):
            return self._count_by_docs(fieldname, docs)
        return self._count_by_terms(fieldname, docs)

    def _count_by_docs(self, fieldname: str, docs: set[int]) -> Counter:
        out: Counter = Counter()
        dt = self.doc_terms(fieldname)
        out.update(chain.from_iterable(map(dt.get, docs, repeat(()))))
        return out

    def _count_by_terms(self, fieldname: str, docs: set[int]) -> Counter:
        out: Counter = Counter()
        for term, postings in self.term_docs(fieldname).items():
            n = len(postings & docs) if len(postings) < len(docs) else len(docs & postings)
            if n:
                out[term] = n
        return out

    def values_per_doc(self, fieldname: str) -> float:
        """Mean number of values of ``fieldname`` per document that has one (>= 1.0)."""

        def build():
            dt = self.doc_terms(fieldname)
            return sum(map(len, dt.values())) / len(dt) if dt else 1.0

        return self.cached("vpd-" + fieldname, build)

    def doc_terms(self, fieldname: str) -> dict[int, tuple[str, ...]]:
        """docnum -> the values of ``fieldname`` that document has (the inverse of
        :meth:`term_docs`, cached the same way), for counting small hit sets document by
        document."""

        def build():
            m: dict[int, list[str]] = {}
            for term, docs in self.term_docs(fieldname).items():
                for d in docs:
                    m.setdefault(d, []).append(term)
            return {d: tuple(ts) for d, ts in m.items()}

        return self.cached("docterms-" + fieldname, build)

    def doc_values(self, fieldname: str) -> dict[int, str]:
        """docnum -> value of a single-valued field, for the documents that have one."""
        return self.cached("values-" + fieldname,
                           lambda: {d: term for term, docs in self.term_docs(fieldname).items() for d in docs})

    def terms_by_key(self, fieldname: str, keyfn, name: str) -> dict[str, list[str]]:
        """``keyfn(term) -> [terms]`` over the lexicon of ``fieldname``, built once per generation
        (``name`` names the key function in the disk cache): finds every spelling of a value
        with one dictionary lookup instead of a scan of the lexicon per query."""

        def build():
            out: dict[str, list[str]] = {}
            for t in self.terms_matching(fieldname, lambda _t: True):
                out.setdefault(keyfn(t), []).append(t)
            return out

        return self.cached(f"keys-{name}-{fieldname}", build)

    def terms_matching(self, fieldname: str, predicate) -> list[str]:
        """Index terms of ``fieldname`` for which ``predicate(term)`` is true (lexicon only)."""
        if fieldname in self._maps:
            return [t for t in self._maps[fieldname] if predicate(t)]
        reader = self._s.reader()
        if fieldname not in reader.indexed_field_names():
            return []
        return [t for t in reader.field_terms(fieldname) if predicate(t)]
