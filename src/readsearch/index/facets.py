"""Facet counting: exact counts on multi-valued fields, for the whole corpus or a query's hits.

For each facet field a searcher keeps a map term -> set of live document numbers (for filters)
and its inverse, each document's value ids as one compressed sparse row table (for counts):
counting a hit set gathers the hits' value ids and sums them with numpy's ``bincount`` (a
readout about Russia and Serbia counts once under each); counting the whole corpus is the size
of each set.

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
from itertools import chain
from collections.abc import Iterable

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

    def ranked(self, fieldname: str, docs: Iterable[int] | None = None,
               minus: Iterable[int] | None = None) -> list[tuple[str, int]]:
        """``(value, count)`` of each value of ``fieldname`` among ``docs`` less ``minus``, most
        frequent first, then by value (code point order); values counted 0 left out.

        Counting is vectorised over the field's :meth:`value_table`: the values of the hits
        are gathered from the table with numpy and summed by ``bincount``, so a query costs
        the number of (hit, value) pairs at C speed, whatever the number of distinct values (at
        100k readouts, 2,230 hits and 4,181 person values: under a millisecond where Python's
        ``Counter`` over per-document tuples took 3 ms a field).

        Args:
            fieldname: a facet field.
            docs: document numbers, or None for every live document.
            minus: document numbers not to count (each must be among ``docs``).

        Returns:
            a list of ``(value, count)`` pairs.
        """
        import numpy as np

        names, offsets, ids, totals = self.value_table(fieldname)
        if not names:
            return []
        counts = totals.copy() if docs is None else self._bincount(offsets, ids, len(names), docs)
        if minus is not None:
            counts -= self._bincount(offsets, ids, len(names), minus)
        present = np.flatnonzero(counts > 0)     # value ids ascending: in value order
        order = present[np.argsort(-counts[present], kind="stable")]
        return list(zip(map(names.__getitem__, order.tolist()), counts[order].tolist()))

    @staticmethod
    def _bincount(offsets, ids, n_values: int, docs: Iterable[int]):
        """Per value id, the number of ``docs`` that have it (numpy int64 array)."""
        import numpy as np

        d = np.fromiter(docs, dtype=np.int64)
        d = d[(d >= 0) & (d < len(offsets) - 1)]
        starts = offsets[d]
        lens = offsets[d + 1] - starts
        total = int(lens.sum())
        if not total:
            return np.zeros(n_values, dtype=np.int64)
        # positions starts[i] .. starts[i] + lens[i] - 1 of every hit, in one array
        ends = np.cumsum(lens)
        pos = np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - lens), lens)
        return np.bincount(ids[pos], minlength=n_values).astype(np.int64)

    def value_table(self, fieldname: str) -> tuple:
        """The values of every document of ``fieldname`` as one compressed sparse row table (the
        inverse of :meth:`term_docs`, cached the same way): ``(names, offsets, ids, totals)``.

        ``names`` is the sorted list of values (a value's id is its place in it); document
        ``d``'s value ids are ``ids[offsets[d]:offsets[d + 1]]`` (``offsets`` int64, one more
        than the highest live document number, ``ids`` int32); ``totals[i]`` is the number of
        live documents with value ``i``. Deleted documents have no values."""

        def build():
            import numpy as np

            tdocs = self.term_docs(fieldname)
            names = sorted(tdocs)
            sizes = [len(tdocs[t]) for t in names]
            total = sum(sizes)
            if not total:
                return names, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), \
                    np.zeros(len(names), dtype=np.int64)
            doc_of = np.fromiter(chain.from_iterable(tdocs[t] for t in names), dtype=np.int64, count=total)
            id_of = np.repeat(np.arange(len(names), dtype=np.int32), sizes)
            order = np.argsort(doc_of, kind="stable")        # by document, value ids ascending
            n_docs = int(doc_of.max()) + 1
            offsets = np.zeros(n_docs + 1, dtype=np.int64)
            np.cumsum(np.bincount(doc_of, minlength=n_docs), out=offsets[1:])
            return names, offsets, id_of[order], np.array(sizes, dtype=np.int64)

        return self.cached("table-" + fieldname, build)

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
