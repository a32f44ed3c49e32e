"""Vectorised scoring: the same BM25F scores as Whoosh's matchers, computed a posting list at a
time with numpy instead of a document at a time in Python.

Whoosh scores a query by walking a tree of matchers document by document; for an OR of a few
frequent words (``energy OR security``: 10 term clauses and 2 proximity clauses once expanded
by :mod:`readsearch.index.query`) that is some microseconds per clause per document, hundreds of
milliseconds for a corpus of 14,000 readouts. Here each clause becomes arrays of docnums and
scores, combined with numpy:

- :class:`~whoosh.query.Term` on a scored text field: ``boost * bm25(idf, tf, fl, avgfl)`` with
  Whoosh's own statistics (:class:`whoosh.scoring.BM25F`, ``B=0.75``, ``K1=1.2``: the searcher's
  ``idf`` and ``avg_field_length``, the field length byte of each document), for each posting;
- :class:`~whoosh.query.Or` without coordination scaling: the sum of its children where any
  matches; :class:`~whoosh.query.And`: the sum where all match; ``Require(a, b)``: ``a`` where
  ``b`` matches; ``AndNot(a, b)``: ``a`` where ``b`` does not;
- :class:`~whoosh.query.ConstantScoreQuery`: its constant for each matching document;
- :class:`~whoosh.query.Phrase` (no slop): the documents having every word, checked by positions
  (decoded for those documents only), scored as the sum of the words' scores, as Whoosh does;
- an unordered two-term :class:`~whoosh.query.spans.SpanNear2` of the top level (the proximity
  clauses): the two terms' scores again where they stand within the slop. For a top ``k`` the
  positions are read only for the best candidates: a document's score is at most its score
  without proximity plus the two terms' scores of each pair it has both terms of, so candidates
  are checked in order of that bound until the next bound cannot enter the top ``k`` (an exact
  top ``k``, not an approximation).

Anything else (coordination scaling of implicit ORs, prefixes, fuzzy terms, ranges, NOT alone,
phrases with slop, non-text fields outside filters...) is left to Whoosh: :func:`plan` returns
None for it. Whoosh's own top-k collection across segments can differ from its complete
ranking; the fast path always returns the complete ranking's order (score, then docnum).
"""
from __future__ import annotations

import heapq
import io
from itertools import accumulate
import pickle
import struct
import zlib
from math import log

import numpy as np
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from readsearch.index.fastplan import Plan, plan  # noqa: F401  (plan: re-exported)
from readsearch.index.schema import length_bytes

_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
_B = 0.75
_K1 = 1.2
_LENGTH_OF_BYTE = np.array([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.float64)


class FastScorer:
    """Scores :class:`Plan` s on one Whoosh searcher (keep it as long as the searcher).

    Decoded postings (docnums and weights as arrays, and the encoded positions) are kept for the
    most recently used terms, up to :attr:`cache_postings` postings: a term used again by a later
    query of the same searcher is not read and decoded again. Likewise the outcome of each
    phrase's positional check per document, up to :attr:`cache_checks` documents: a phrase asked
    again (batch lookups repeat popular phrases) checks only documents not checked before.

    Args:
        searcher: an open :class:`whoosh.searching.Searcher`.
    """

    #: postings kept decoded (about 70 bytes each with their positions: 1,000,000 is 70 MB)
    cache_postings = 1_000_000
    #: documents whose phrase check is remembered (a few dozen bytes each)
    cache_checks = 1_000_000

    def __init__(self, searcher, infos=None):
        self.s = searcher
        self.infos = infos    # a fastplan.TermInfos shared with query parsing, or None
        self.leaves = list(searcher.reader().leaf_readers())
        self._lengths: dict[tuple[int, str], np.ndarray] = {}
        # decoded postings of recently used terms (least recently used dropped first)
        self._postings: dict[tuple[str, str, bool], tuple] = {}
        self._cached = 0
        # (field, words) -> (documents checked, those where the phrase stands), most recent last
        self._checks: dict[tuple[str, tuple[str, ...]], tuple[set[int], set[int]]] = {}
        self._checked = 0

    # ------------------------------------------------------------------ index data
    def _field_lengths(self, seg: int, fname: str) -> np.ndarray:
        """Field length of every document of segment ``seg`` (Whoosh's byte-coded lengths)."""
        key = (seg, fname)
        arr = self._lengths.get(key)
        if arr is None:
            r = self.leaves[seg][0]
            raw = length_bytes(r, fname)
            if raw is not None:
                arr = _LENGTH_OF_BYTE[np.frombuffer(raw, dtype=np.uint8)]
            else:   # another codec: one document at a time
                arr = np.array([r.doc_field_length(d, fname, 0) or 0 for d in range(r.doc_count_all())],
                               dtype=np.float64)
            self._lengths[key] = arr
        return arr

    def _all_lengths(self, fname: str) -> np.ndarray:
        """Field length of every document (all segments, by global docnum)."""
        arr = self._lengths.get((-1, fname))
        if arr is None:
            parts = [self._field_lengths(seg, fname) for seg in range(len(self.leaves))]
            arr = np.concatenate(parts) if parts else np.zeros(0)
            self._lengths[(-1, fname)] = arr
        return arr

    def postings(self, fname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """``(docnums, weights)`` of one term over all segments (live documents only), as
        int64 and float64 arrays in docnum order."""
        hit = self._read(fname, text)
        return hit[0], hit[1]

    def _read(self, fname: str, text: str):
        """``(docnums, weights, values)`` of a term (values: the encoded positions, which Whoosh
        stores in the same pickled blocks, so they cost nothing more to keep)."""
        with_values = True
        key = (fname, text)
        cache = self._postings
        hit = cache.pop(key, None)
        if hit is not None:
            cache[key] = hit          # most recently used last
            return hit
        ids_parts, w_parts, values = [], [], []
        infos = self.infos.get(fname, text) if self.infos is not None else None
        for seg, (r, off) in enumerate(self.leaves):
            if infos is not None and infos[seg] is None:
                continue
            got = _segment_postings(r, fname, text, with_values, infos[seg] if infos is not None else None)
            if got is None:
                continue
            ids, ws, vs = got
            deleted = r.deleted_docs_set if r.has_deletions() else None
            if deleted:
                keep = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64))
                ids, ws = ids[keep], ws[keep]
                if with_values:
                    vs = [v for v, k in zip(vs, keep.tolist()) if k]
            ids_parts.append(ids + off)
            w_parts.append(ws)
            if with_values:
                values.extend(vs)
        if ids_parts:
            hit = (np.concatenate(ids_parts), np.concatenate(w_parts), values if with_values else None)
        else:
            hit = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64), [] if with_values else None)
        cache[key] = hit
        self._cached += len(hit[0])
        while self._cached > self.cache_postings and len(cache) > 1:
            old = cache.pop(next(iter(cache)))
            self._cached -= len(old[0])
        return hit

    def term_scores(self, fname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """``(docnums, BM25F scores)`` of one term (unboosted), as Whoosh computes them."""
        ids, tf = self.postings(fname, text)
        if not len(ids):
            return ids, tf
        idf = self._idf(fname, text)
        avgfl = self.s.avg_field_length(fname) or 1
        fl = self._all_lengths(fname)[ids]
        return ids, idf * ((tf * (_K1 + 1)) / (tf + _K1 * ((1 - _B) + _B * fl / avgfl)))

    def _idf(self, fname: str, text: str) -> float:
        """Whoosh's idf (``log(N / (df + 1)) + 1``, N counting deleted documents too), from the
        shared term infos when there are (Whoosh's own looks the term up in every segment)."""
        df = self.infos.doc_frequency(fname, text) if self.infos is not None else None
        if df is None:
            return self.s.idf(fname, text)
        return log(self.s.doc_count_all() / (df + 1)) + 1

    def _positions(self, fname: str, text: str, docs: list[int]) -> dict[int, list[int]]:
        """Positions of a term in each of ``docs`` that has it."""
        ids, _w, values = self._read(fname, text)
        fmt = self.s.schema[fname].format
        # Positions and subclasses keeping its encoding (not Characters, PositionBoosts)
        same = getattr(type(fmt), "decode_positions", None) is Positions.decode_positions
        decode = _decode_positions if same else fmt.decode_positions
        out: dict[int, list[int]] = {}
        where = np.searchsorted(ids, docs).tolist()
        n = len(ids)
        for d, i in zip(docs, where):
            if i < n and ids[i] == d:
                out[d] = decode(values[i])
        return out

    # ------------------------------------------------------------------ scoring
    def _ids(self, fname: str, text: str) -> np.ndarray:
        return self.postings(fname, text)[0]

    def evaluate(self, node, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(docnums, scores)`` of a plan node, docnums sorted and unique.

        Args:
            node: a :class:`Plan` node.
            within: sorted docnums the caller will keep at most (None: all); positional checks
                are limited to them (other parts may return more).
        """
        kind = node[0]
        if kind == "term":
            _, fname, text, boost = node
            ids, sc = self.term_scores(fname, text)
            return ids, (sc * boost if boost != 1.0 else sc)
        if kind == "ids":
            ids = self._ids(node[1], node[2])
            return ids, np.ones(len(ids))
        if kind == "const":
            ids, _sc = self.evaluate(node[1], within)
            return ids, np.full(len(ids), node[2])
        if kind == "or":
            parts = [self.evaluate(c, within) for c in node[1]]
            parts = [x for x in parts if len(x[0])]
            if not parts:
                return _EMPTY
            if len(parts) == 1:
                return parts[0]
            return self._sum(parts)
        if kind == "and":
            # positional parts last, checked only where the other parts all match
            kids = sorted(node[1], key=lambda c: c[0] in ("phrase", "require"))
            parts = []
            common = within
            for c in kids:
                ids, sc = self.evaluate(c, common)
                parts.append((ids, sc))
                common = ids if common is None else np.intersect1d(common, ids, assume_unique=True)
            if within is not None:
                # within only narrows the positional checks; the result is the plain intersection
                common = parts[0][0]
                for ids, _sc in parts[1:]:
                    common = np.intersect1d(common, ids, assume_unique=True)
            total = np.zeros(len(common))
            for ids, sc in parts:
                total = total + sc[np.searchsorted(ids, common)]
            return common, total
        if kind == "require":
            ids, sc = self.evaluate(node[1], within)
            keep = np.isin(ids, self.evaluate(node[2], ids)[0], assume_unique=True)
            return ids[keep], sc[keep]
        if kind == "andnot":
            ids, sc = self.evaluate(node[1], within)
            keep = ~np.isin(ids, self.evaluate(node[2], ids)[0], assume_unique=True)
            return ids[keep], sc[keep]
        if kind == "phrase":
            return self._phrase(node[1], node[2], node[3], within)
        raise ValueError(f"unknown plan node {kind!r}")

    def _sum(self, parts) -> tuple[np.ndarray, np.ndarray]:
        """The union of the parts' documents (ascending) and each one's summed score. Few
        postings against many documents are summed by sorting them (``unique``), many by
        counting over every document number; both add a document's scores in the parts' order,
        so the sums are the same."""
        all_ids = np.concatenate([x[0] for x in parts])
        all_sc = np.concatenate([x[1] for x in parts])
        n = self.s.doc_count_all()
        if len(all_ids) * 16 < n:
            docs, inverse = np.unique(all_ids, return_inverse=True)
            return docs, np.bincount(inverse, weights=all_sc, minlength=len(docs))
        docs = np.flatnonzero(np.bincount(all_ids, minlength=n))
        return docs, np.bincount(all_ids, weights=all_sc, minlength=n)[docs]

    def _phrase_candidates(self, fname: str, words: list[str], boost: float,
                           within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Documents having every word of a phrase, with the phrase's score there (the sum of its
        words' scores times the boost, as Whoosh scores a phrase), before any positional check."""
        scored = [self.term_scores(fname, w) for w in words]
        common = scored[0][0]
        for ids, _sc in scored[1:]:
            common = np.intersect1d(common, ids, assume_unique=True)
        if within is not None:
            common = np.intersect1d(common, within, assume_unique=True)
        total = np.zeros(len(common))
        for wids, sc in scored:
            total = total + sc[np.searchsorted(wids, common)]
        return common, (total * boost if boost != 1.0 else total)

    def _phrase_verify(self, fname: str, words: list[str], docs: list[int]) -> set[int]:
        """Those of ``docs`` where the words stand at consecutive positions (each document's
        outcome remembered per phrase, see :attr:`cache_checks`)."""
        if not docs:
            return set()
        key = (fname, tuple(words))
        memo = self._checks.pop(key, None)
        if memo is None:
            memo = (set(), set())
        self._checks[key] = memo          # most recently used last
        checked, found = memo
        todo = [d for d in docs if d not in checked]
        if todo:
            found.update(self._check_phrase(fname, words, todo))
            checked.update(todo)
            self._checked += len(todo)
            while self._checked > self.cache_checks and len(self._checks) > 1:
                old = self._checks.pop(next(iter(self._checks)))
                self._checked -= len(old[0])
        return found.intersection(docs)

    def _check_phrase(self, fname: str, words: list[str], docs: list[int]) -> set[int]:
        """Those of ``docs`` where the words stand at consecutive positions (positions decoded)."""
        poss = [self._positions(fname, w, docs) for w in words]
        hits = set()
        first, rest = poss[0], list(enumerate(poss[1:], 1))
        for d in docs:
            # the start positions of the phrase: word i's positions less i, common to all words
            starts = set(first.get(d, ()))
            for i, ps in rest:
                if not starts:
                    break
                starts.intersection_update(map(i.__rsub__, ps.get(d, ())))
            if starts:
                hits.add(d)
        return hits

    def _phrase(self, fname: str, words: list[str], boost: float,
                within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Documents with the words at consecutive positions, scored as Whoosh scores a phrase.
        Positions are decoded only for the documents having every word."""
        common, total = self._phrase_candidates(fname, words, boost, within)
        if not len(common):
            return _EMPTY
        found = self._phrase_verify(fname, words, common.tolist())
        keep = np.fromiter((d in found for d in common.tolist()), dtype=bool, count=len(common))
        return common[keep], total[keep]

    def run(self, p: Plan, allow: np.ndarray | None = None, k: int | None = None) -> list[tuple[float, int]]:
        """Score a plan.

        Args:
            p: from :func:`plan`.
            allow: sorted docnums the hits must be among (a filter), or None.
            k: return the best ``k`` (exact), or None for every match.

        Returns:
            ``(score, docnum)`` pairs, best first (equal scores: lower docnum first).
        """
        near_terms: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        lazy = [x for x in p.parts if x[0] == "phrase"] if k is not None else []
        fixed = [x for x in p.parts if not (k is not None and x[0] == "phrase")]
        parts = [self.evaluate(x, allow) for x in fixed]
        parts = [x for x in parts if len(x[0])]
        # top-level phrases of a top k: their words' documents and scores now (the phrase's
        # score where it matches), positions checked later for the best candidates only
        cands = [self._phrase_candidates(x[1], x[2], x[3], allow) for x in lazy]
        cands = [(x, c) for x, c in zip(lazy, cands) if len(c[0])]
        if not parts and not cands:
            return []
        everything = parts + [c for _x, c in cands]
        docs, upper = everything[0] if len(everything) == 1 else self._sum(everything)
        if not cands:
            base = upper          # the same sums: every document scored is in parts
        elif parts:
            base = self._sum(parts + [(docs, np.zeros(len(docs)))])[1]
        else:
            base = np.zeros(len(docs))
        if allow is not None:
            keep = np.isin(docs, allow, assume_unique=True)
            docs, base, upper = docs[keep], base[keep], upper[keep]
        if not p.near and not cands:
            return _best(docs, base, k)
        for fname, a, b, _slop in p.near:
            for t in (a, b):
                if (fname, t) not in near_terms:
                    near_terms[(fname, t)] = self.term_scores(fname, t)
        if k is None:
            bonus = self._near_bonus(p, near_terms, docs.tolist())
            return _best(docs, base + np.array([bonus.get(d, 0.0) for d in docs.tolist()]), None)
        # exact top k: a proximity clause adds its two terms' scores where both terms are near,
        # a phrase its words' scores where they stand together; so base + (those scores wherever
        # the terms occur) bounds each document's final score, and candidates are checked
        # (positions read) in order of that bound until the next bound cannot beat the k-th
        # final score
        upper = upper.copy()
        for fname, a, b, _slop in p.near:
            (ia, sa), (ib, sb) = near_terms[(fname, a)], near_terms[(fname, b)]
            both, xa, xb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
            where = np.searchsorted(docs, both)
            ok = (where < len(docs))
            ok[ok] = docs[where[ok]] == both[ok]
            np.add.at(upper, where[ok], (sa[xa] + sb[xb])[ok])
        matched_base = set(np.concatenate([x[0] for x in parts]).tolist()) if parts and cands else None
        order = np.lexsort((docs, -upper))
        heap: list[tuple[float, int]] = []   # (score, -docnum): the k best final scores
        step = max(2 * k, 20)
        i = 0
        while i < len(order):
            if len(heap) >= k and upper[order[i]] < heap[0][0]:
                break
            chunk = order[i:i + step]
            cdocs = docs[chunk].tolist()
            bonus = self._near_bonus(p, near_terms, cdocs) if p.near else {}
            extra: dict[int, float] = {}
            for (_kind, fname, words, _boost), (cids, csc) in cands:
                inside = np.isin(cids, cdocs, assume_unique=True)
                found = self._phrase_verify(fname, words, cids[inside].tolist())
                for d, sc in zip(cids[inside].tolist(), csc[inside].tolist()):
                    if d in found:
                        extra[d] = extra.get(d, 0.0) + sc
            for d, sc in zip(cdocs, base[chunk].tolist()):
                if cands and d not in extra and (matched_base is None or d not in matched_base):
                    continue          # only phrase candidates, and no phrase matched
                item = (sc + extra.get(d, 0.0) + bonus.get(d, 0.0), -d)
                if len(heap) < k:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
            i += step
            step *= 2
        return [(sc, -nd) for sc, nd in sorted(heap, reverse=True)]

    def _near_bonus(self, p: Plan, near_terms, docs: list[int]) -> dict[int, float]:
        """docnum -> the proximity clauses' score, for ``docs``."""
        out: dict[int, float] = {}
        want = set(docs)
        for fname, a, b, slop in p.near:
            (ia, sa), (ib, sb) = near_terms[(fname, a)], near_terms[(fname, b)]
            both = np.intersect1d(ia, ib, assume_unique=True)
            cand = [d for d in both.tolist() if d in want]
            if not cand:
                continue
            pa, pb = self._positions(fname, a, cand), self._positions(fname, b, cand)
            score_a = dict(zip(ia[np.isin(ia, cand)].tolist(), sa[np.isin(ia, cand)].tolist()))
            score_b = dict(zip(ib[np.isin(ib, cand)].tolist(), sb[np.isin(ib, cand)].tolist()))
            for d in cand:
                if _near(pa.get(d, ()), pb.get(d, ()), slop):
                    out[d] = out.get(d, 0.0) + (score_a[d] + score_b[d])
        return out


def _decode_positions(value: bytes) -> list[int]:
    """Positions of one posting of Whoosh's ``Positions`` format (a 4-byte count, then the
    pickled list of deltas: :meth:`whoosh.formats.Positions.encode`), summed at C speed."""
    if value[-1:] != b".":
        value += b"."
    return list(accumulate(pickle.loads(value[4:])))


def _near(pa, pb, slop: int) -> bool:
    """True when some position of ``pa`` and some of ``pb`` are 1..slop apart (either order)."""
    if not pa or not pb:
        return False
    i = j = 0
    while i < len(pa) and j < len(pb):
        d = pa[i] - pb[j]
        if d != 0 and -slop <= d <= slop:
            return True
        if pa[i] < pb[j]:
            i += 1
        else:
            j += 1
    return False


def _best(docs: np.ndarray, scores: np.ndarray, k: int | None) -> list[tuple[float, int]]:
    """``(score, docnum)`` best first, lower docnum first among equal scores; the best k."""
    if k is not None and len(docs) > k:
        # the k-th best score, then everything at least as good (ties kept for the order)
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        sel = scores >= kth
        docs, scores = docs[sel], scores[sel]
    order = np.lexsort((docs, -scores))
    if k is not None:
        order = order[:k]
    return list(zip(scores[order].tolist(), docs[order].tolist()))


def _segment_postings(r, fname: str, text: str, with_values: bool, ti=None):
    """``(ids, weights, values or None)`` of one term in one segment (deleted documents
    included), or None when the segment does not have the term. ``ti``: the term's info in
    that segment when already looked up."""
    try:
        m = None
        terms = getattr(r, "_terms", None)
        if terms is not None and hasattr(terms, "term_info") and hasattr(terms, "_postfile"):
            if ti is None:
                ti = terms.term_info(fname, r._text_to_bytes(fname, text))
            if ti.is_inlined():
                ids, ws, vs = ti.inlined_postings()
                return (np.array(ids, dtype=np.int64), np.array(ws, dtype=np.float64),
                        list(vs) if with_values else None)
            offset, length = ti.extent()
            if isinstance(length, tuple):   # Whoosh 2.7 keeps the unpacked tuple
                length = length[0]
            got = _parse_w3(terms._postfile.get(offset, length), with_values)
            if got is not None:
                return got
        m = r.postings(fname, text)
    except TermNotFound:
        return None
    if isinstance(m, FilterMatcher):
        m = m.child
    return _read_all(m, with_values)


_INT = struct.Struct("!i")
_W3_MAGIC = b"W3Bl"


def _parse_w3(raw: bytes, with_values: bool):
    """Whoosh W3 postings (read in one piece) parsed in memory: the delta-coded ids of each
    block summed by numpy; None when the bytes do not look as expected."""
    if raw[:4] != _W3_MAGIC:
        return None
    buf = io.BytesIO(raw)
    pos, size = 4, len(raw)
    ids_parts, w_parts, values = [], [], ([] if with_values else None)
    while pos + 4 <= size:
        (blen,) = _INT.unpack_from(raw, pos)
        pos += 4
        end = pos + abs(blen)
        if end > size:
            return None
        buf.seek(pos)
        n, _maxid, _maxw, comp, _mn, _mx = pickle.load(buf)
        data = raw[buf.tell():end]
        raw_ids, raw_w, raw_v = pickle.loads(zlib.decompress(data) if comp else data)
        ids = np.array(raw_ids, dtype=np.int64)
        ids_parts.append(np.cumsum(ids))
        if raw_w is None:
            w_parts.append(np.ones(n))
        elif isinstance(raw_w, float):
            w_parts.append(np.full(n, raw_w))
        else:
            w_parts.append(np.array(raw_w, dtype=np.float64))
        if with_values:
            if not isinstance(raw_v, (tuple, list)) or len(raw_v) != n:
                return None
            values.extend(raw_v)
        pos = end
        if blen < 0:
            break
    if not ids_parts:
        return None
    return np.concatenate(ids_parts), np.concatenate(w_parts), values


def _read_all(m, with_values: bool = False) -> tuple[np.ndarray, np.ndarray, list | None]:
    """All ``(ids, weights, values or None)`` of a leaf posting matcher, a block at a time
    (Whoosh's W3 blocks: the delta-coded ids are summed by numpy, not one by one)."""
    ids_parts, w_parts = [], []
    values: list | None = [] if with_values else None
    w3 = all(hasattr(m, a) for a in ("_read_data", "_data", "_lastblock", "_next_block", "_byteids"))
    while m.is_active():
        if w3 and m._i == 0:
            if m._data is None:
                m._read_data()
            raw_ids, raw_w = m._data[0], m._data[1]
            n = m._blocklength
            ids = np.array(raw_ids, dtype=np.int64)
            ids_parts.append(ids if m._byteids else np.cumsum(ids))
            if raw_w is None:
                w_parts.append(np.ones(n))
            elif isinstance(raw_w, float):
                w_parts.append(np.full(n, raw_w))
            else:
                w_parts.append(np.array(raw_w, dtype=np.float64))
            if with_values:
                m._read_values()
                values.extend(m._values)
            if m._lastblock:
                break
            m._next_block()
            continue
        ids_parts.append(np.array([m.id()], dtype=np.int64))
        w_parts.append(np.array([m.weight()], dtype=np.float64))
        if with_values:
            values.append(m.value())
        m.next()
    if not ids_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64), values
    return np.concatenate(ids_parts), np.concatenate(w_parts), values
