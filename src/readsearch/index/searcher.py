"""Searching the index: query + filters -> ranked, collapsed, faceted, highlighted results.

One :class:`ReadoutSearcher` holds one Whoosh searcher and its caches (facet postings, columns);
keep it for many queries (batch lookups) and call :meth:`ReadoutSearcher.refresh` to see new
commits.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

import sys

from whoosh import query as Q
# the segments' codec, which unpickling the table of contents would import at the first open,
# and the searcher and collectors, which Whoosh imports when a searcher is opened and at its
# first search: imported with this module instead, so that the command line's lean import of
# the search modules (readsearch.lean) covers them
import whoosh.codec.whoosh3  # noqa: F401
import whoosh.collectors  # noqa: F401
import whoosh.searching  # noqa: F401

from readsearch.index import fastplan
from readsearch.index.facets import FacetCounter
from readsearch.index.highlight import make_snippet
from readsearch.index.query import Resolver, date_range_query, function_keys, parse_query
from readsearch.index.suggest import suggest_queries
from readsearch.index.schema import (MULTI_FACETS, SINGLE_FACETS, body_reader, lengths_in_memory, stored_reader,
                                     stored_values)
from readsearch.index.writer import damaged, open_index
from readsearch.model import FacetValue, Hit, SearchResult

SORTS = ("relevance", "date", "-date")
FACET_FIELDS = frozenset(MULTI_FACETS + SINGLE_FACETS)
#: below this many postings read, a query in a process without numpy is ranked by Whoosh
VECTOR_MIN_POSTINGS = 5000


@dataclass
class QuerySpec:
    """What to search for.

    Attributes:
        text: the query string (see :mod:`readsearch.index.query`).
        filters: facet field -> list of required values; each value is the list of index terms
            it stands for (any of them matches); every value must match (AND).
        since, until: inclusive ISO date bounds (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) on the
            event date.
        sort: ``relevance`` (default), ``date`` (oldest first) or ``-date`` (newest first);
            undated readouts last in both date orders.
        limit, offset: the page of hits to return.
        facets: facet fields to count over the whole matching set.
        collapse: fold duplicate readouts into one hit (``--duplicates collapse``).
        resolver: resolves ``field:value`` clauses of the query text to index terms.
        snippet_width: characters per snippet.
        count: compute ``total`` (all matches are then collected; without it only the page
            is scored and ``total`` is -1).
        snippets: build snippets (not needed for ``--format ids``).
    """

    text: str = ""
    filters: dict[str, list[list[str]]] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    sort: str = "relevance"
    limit: int = 10
    offset: int = 0
    facets: tuple[str, ...] = ()
    collapse: bool = True
    resolver: Resolver | None = None
    snippet_width: int = 240
    count: bool = True
    snippets: bool = True


def whoosh_safe(q: Q.Query) -> Q.Query:
    """``q`` with each ``a ANDNOT b`` written as ``a`` required to match ``NOT b``: the same
    documents and the same scores (``a``'s), for Whoosh to run.

    Whoosh 2.7's ``AndNotMatcher`` tests its first document against the excluded matcher only
    when both matchers start on the same document: when the excluded term's first document comes
    earlier, the first match of ``a`` is kept even where ``b`` has it (``Vucic NOT telephone``
    returned a telephone call; the vectorised scorer was right).
    """
    def fix(node: Q.Query) -> Q.Query:
        if isinstance(node, Q.AndNot):
            return Q.Require(node.a, Q.Not(node.b))
        return node

    return q.accept(fix)


#: multi-valued facet field -> its key in a hit and in :meth:`ReadoutSearcher.document` (a list)
LIST_KEYS = {"country": "countries", "person": "persons", "participant": "participants",
             "topic": "topics", "hashtag": "hashtags", "organization": "organizations"}


def readout_fields(f: dict) -> dict:
    """What a hit and ``show`` say of a readout, from its stored fields ``f``: ``id``, ``path``,
    ``title`` (str), ``date``, ``published``, ``issuer``, ``source_url``, ``kind``,
    ``initiative`` (str or None), and the facet values as lists under :data:`LIST_KEYS`."""
    out = {"id": f["id"], "path": f.get("path", ""), "title": f.get("title", "")}
    for k in ("date", "published", "issuer", "source_url", "kind", "initiative"):
        out[k] = f.get(k) or None
    for name, key in LIST_KEYS.items():
        out[key] = stored_values(f.get(name))
    return out


def highlight_terms(pq) -> tuple[set[str], list[list[str]]]:
    """What a snippet marks: the query's words and phrases. The words of an unquoted query are
    also tried as one phrase, so where they stand together they are marked as one span; lone
    function words (``of``, ``the``) are not marked beside content words.

    Returns:
        (single-word keys, key sequences to mark as whole phrases).
    """
    phrases = [list(p) for p in pq.phrases]
    words = [t for t in pq.terms if t not in {w for p in phrases for w in p}]
    content = [t for t in words if t not in function_keys()]
    if len(words) >= 2 and not phrases:
        phrases.append(list(words))
    return set(content or words), phrases


class _MemoStats:
    """A Whoosh searcher (and its reader) whose ``doc_frequency`` answers are remembered: query
    parsing asks for the same statistics again and again (entities, proximity, spelling), and
    each costs a lookup in every segment. Everything else goes to the wrapped object."""

    def __init__(self, target, memo: dict | None = None, reader=None, infos=None):
        self._target = target
        self._memo = {} if memo is None else memo
        self._reader = reader
        self._infos = infos

    def doc_frequency(self, fieldname, text):
        key = (fieldname, text)
        n = self._memo.get(key)
        if n is None:
            if len(self._memo) > 200_000:
                self._memo.clear()
            n = self._infos.doc_frequency(fieldname, text) if self._infos is not None else None
            if n is None:
                n = self._target.doc_frequency(fieldname, text)
            self._memo[key] = n
        return n

    @property
    def memo(self) -> dict:
        """Other per-searcher answers of query parsing (spelling checks), keyed by the caller."""
        return self._memo

    def reader(self):
        if self._reader is None:
            self._reader = _MemoStats(self._target.reader(), self._memo, infos=self._infos)
        return self._reader

    def __getattr__(self, name):
        return getattr(self._target, name)


class ReadoutSearcher:
    """Searches one index folder.

    Args:
        index_dir: the index folder.

    Raises:
        IndexMissing, IndexDamaged: see :func:`readsearch.index.writer.open_index`.
    """

    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self.ix = open_index(index_dir)
        try:
            self.s = self.ix.searcher()
        except (OSError, EOFError, ValueError) as e:  # a segment file missing or cut short
            raise damaged(index_dir, e) from e
        self._reset_caches()

    def _reset_caches(self):
        self.facet_counter = FacetCounter(self.s, self.index_dir)
        self._fast = None
        self._queries = 0
        self._rep_ranks: dict[int, tuple] = {}
        self.term_infos = fastplan.TermInfos(self.s)
        self.stats = _MemoStats(self.s, infos=self.term_infos)
        self._bodies = None
        self._stored = None
        self._lengths_read = False

    def stored_fields(self, docnum: int) -> dict:
        """The stored fields of document ``docnum`` (:func:`~readsearch.index.schema.stored_reader`)."""
        if self._stored is None:
            self._stored = stored_reader(self.s.reader())
        return self._stored(docnum)

    def body_text(self, docnum: int) -> str:
        """The body text of document ``docnum`` (from the ``body_text`` column)."""
        if self._bodies is None:
            self._bodies = body_reader(self.s.reader())
        return self._bodies(docnum)

    @property
    def fast(self):
        """The vectorised scorer of this searcher (:mod:`readsearch.index.fastscore`, loads numpy)."""
        if self._fast is None:
            from readsearch.index.fastscore import FastScorer

            self._fast = FastScorer(self.s, self.term_infos)
        return self._fast

    def _vectorise(self, p) -> bool:
        """Score plan ``p`` with numpy? Yes from this searcher's second query on, once numpy is
        loaded, or when the plan reads more than :data:`VECTOR_MIN_POSTINGS` postings: a small
        first query (a one-shot process) is ranked by Whoosh, completely, so in the same order,
        without loading numpy (about as long to import as Whoosh)."""
        if self._queries > 1 or "numpy" in sys.modules:
            return True
        return sum(self.stats.doc_frequency(f, t) for f, t in fastplan.plan_terms(p)) > VECTOR_MIN_POSTINGS

    def _allowed(self, flt: Q.Query | None):
        """Sorted docnums (numpy) matching the filter query, or None without a filter."""
        if flt is None:
            return None
        import numpy as np

        return np.fromiter(sorted(self._filter_docs(flt)), dtype=np.int64)

    def _filter_docs(self, flt: Q.Query) -> set[int] | frozenset[int]:
        """Documents matching a filter: facet terms from the cached facet postings (ANDs and
        ORs of them as set operations), anything else (date ranges) from Whoosh."""
        if isinstance(flt, Q.Term) and flt.fieldname in FACET_FIELDS and isinstance(flt.text, str):
            return self.facet_counter.term_docs(flt.fieldname).get(flt.text, frozenset())
        if type(flt) in (Q.And, Q.Or) and flt.subqueries:
            parts = [self._filter_docs(c) for c in flt.subqueries]
            if type(flt) is Q.And:
                parts.sort(key=len)
                return frozenset(parts[0]).intersection(*parts[1:])
            return frozenset().union(*parts)
        return set(self.s.docs_for_query(whoosh_safe(flt)))

    def warm(self, fields=()) -> None:
        """Build (and cache on disk) the maps later queries need: duplicate groups, dates and the
        postings of ``fields``. The indexer calls this after its last commit."""
        self._groups_map()
        self.facet_counter.doc_values("date")
        for f in fields:
            self.facet_counter.value_table(f)   # builds term_docs(f) too

    def refresh(self) -> None:
        """See documents committed since this searcher was opened."""
        new = self.s.refresh()
        if new is not self.s:
            self.s = new
            self._reset_caches()

    def close(self) -> None:
        """Release the searcher and the index."""
        self.s.close()
        self.ix.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def doc_count(self) -> int:
        """Number of live documents."""
        return self.s.doc_count()

    def _groups_map(self) -> dict[int, int]:
        """docnum -> group id (its smallest member), for the documents in a duplicate group.

        A readout's ``dup_group`` holds the body keys of the readouts it duplicates; a group is
        a connected component of these links (cached per searcher)."""
        def build() -> dict[int, int]:
            parent: dict[int, int] = {}

            def find(x: int) -> int:
                parent.setdefault(x, x)
                while parent[x] != x:
                    parent[x] = parent[parent[x]]
                    x = parent[x]
                return x

            for label, linkers in self.facet_counter.term_docs("dup_group").items():
                members = set(linkers) | set(self.s.docs_for_query(Q.Term("body_key", label)))
                first = min(members)
                for d in members:
                    ra, rb = find(first), find(d)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
            return {d: find(d) for d in parent}

        return self.facet_counter.cached("groups", build)

    # ------------------------------------------------------------------ filters
    def terms_matching(self, fieldname: str, predicate) -> list[str]:
        """Index terms of a facet field that satisfy ``predicate`` (for case-insensitive lookups)."""
        return self.facet_counter.terms_matching(fieldname, predicate)

    def terms_by_key(self, fieldname: str, keyfn, name: str) -> dict[str, list[str]]:
        """Index terms of a facet field grouped by ``keyfn`` (cached per index generation)."""
        return self.facet_counter.terms_by_key(fieldname, keyfn, name)

    def _filter_query(self, spec: QuerySpec, extra: Q.Query | None) -> Q.Query | None:
        parts: list[Q.Query] = []
        for fname, values in spec.filters.items():
            for terms in values:
                if not terms:
                    return Q.NullQuery
                parts.append(Q.Or([Q.Term(fname, t) for t in terms]) if len(terms) > 1 else Q.Term(fname, terms[0]))
        if spec.since or spec.until:
            parts.append(date_range_query("date", spec.since, spec.until))
        if extra is not None:
            parts.append(extra)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Q.And(parts)

    # ------------------------------------------------------------------ search
    def search(self, spec: QuerySpec) -> SearchResult:
        """Run one query (see :meth:`_search`).

        Raises:
            QuerySyntaxError: the query or a date bound cannot be understood.
            IndexDamaged: an index file is missing or unreadable.
        """
        try:
            return self._search(spec)
        except (OSError, EOFError) as e:
            raise damaged(self.index_dir, e) from e

    def _search(self, spec: QuerySpec) -> SearchResult:
        """Run one query.

        Returns:
            a :class:`~readsearch.model.SearchResult` (facet labels are the raw values; the api
            layer replaces them with display labels).

        Raises:
            QuerySyntaxError: the query or a date bound cannot be understood.
        """
        self._queries += 1
        pq = parse_query(spec.text, self.s.schema, spec.resolver, searcher=self.stats)
        flt = self._filter_query(spec, pq.restrict)
        want = spec.offset + spec.limit
        top_k = (not spec.count and not spec.facets and spec.sort == "relevance" and not pq.match_all
                 and spec.limit >= 0)
        # flat queries (sums of term clauses) are scored by numpy, a posting list at a time
        # (:mod:`readsearch.index.fastscore`, the same scores as Whoosh); others by Whoosh, the
        # filter intersected with the query (skipping to the filter's documents) rather than
        # applied to every match of the query as Whoosh's ``filter=`` does
        fast, complete = None, False
        if not pq.match_all and flt is not Q.NullQuery and pq.scoring is not Q.NullQuery:
            fast = fastplan.plan(pq.scoring, self.s.schema)
            if fast is not None and not self._vectorise(fast):
                fast, complete = None, True
        if fast is None and not self._lengths_read:   # Whoosh scores this one
            lengths_in_memory(self.s.reader(), [n for n, f in self.s.schema.items() if f.scorable])
            self._lengths_read = True
        q = whoosh_safe(pq.scoring if flt is None or flt is Q.NullQuery else Q.Require(pq.scoring, flt))
        if flt is Q.NullQuery or pq.scoring is Q.NullQuery:
            groups = []
        elif pq.match_all:
            docs = self.s.docs_for_query(whoosh_safe(flt)) if flt is not None else self.s.reader().all_doc_ids()
            groups = self._sort(self._group([(0.0, d) for d in docs], spec.collapse), spec.sort, True)
        elif top_k:
            # only the page is wanted: score the best k, widen k if folding ate them
            allow = self._allowed(flt) if fast is not None else None
            k = max(want + 10, 20)
            while True:
                if fast is not None:
                    ranked = self.fast.run(fast, allow=allow, k=k)
                else:   # Whoosh's top k across segments can differ from its complete ranking
                    ranked = list(self.s.search(q, limit=None if complete else k, terms=False).top_n)[:k]
                groups = self._group(ranked, spec.collapse)
                if len(groups) >= want or len(ranked) < k:
                    break
                k *= 4
        else:
            if fast is not None:
                ranked = self.fast.run(fast, allow=self._allowed(flt), k=None)
            else:
                ranked = list(self.s.search(q, limit=None, terms=False).top_n)
            groups = self._sort(self._group(ranked, spec.collapse), spec.sort, False)
        total = len(groups) if not top_k else -1
        page = groups[spec.offset: want] if spec.limit >= 0 else groups[spec.offset:]
        terms, phrases = highlight_terms(pq)
        hits = [self._hit(g, terms, phrases, spec.snippet_width if spec.snippets else 0) for g in page]
        facets = {}
        if spec.facets:
            if pq.match_all and flt is None and spec.collapse:
                folded = {d for g in groups for d in g["members"] if d != g["rep"]}
                facets = self.facet_counts(spec.facets, None, minus=folded)
            elif pq.match_all and flt is None:
                facets = self.facet_counts(spec.facets, None)
            else:
                facets = self.facet_counts(spec.facets, [g["rep"] for g in groups])
        suggestions = (suggest_queries(self.s, spec.text, pq.unknown, pq.surface, memo=self.stats.memo)
                       if pq.unknown else [])
        return SearchResult(query=spec.text, total=total, hits=hits, facets=facets, suggestions=suggestions,
                            warnings=list(pq.warnings))

    def facet_counts(self, fields, docs: list[int] | set[int] | None,
                     minus: set[int] | None = None) -> dict[str, list[FacetValue]]:
        """Exact facet counts over ``docs`` (distinct document numbers; None: the whole index)
        less the documents ``minus``, most frequent first, then by value.

        The hashtag facet merges letter-case variants (``RussiaSerbia`` and ``russiaserbia``)
        under the most frequent spelling."""
        out: dict[str, list[FacetValue]] = {}
        for fname in fields:
            items = self.facet_counter.ranked(fname, docs, minus)
            if fname == "hashtag":
                merged: dict[str, list] = {}
                for term, n in items:
                    slot = merged.setdefault(term.lower(), [0, Counter()])
                    slot[0] += n
                    slot[1][term] += n
                items = [(slot[1].most_common(1)[0][0], slot[0]) for slot in merged.values()]
                # most frequent first, then by value: two stable sorts on C-level keys
                items.sort(key=itemgetter(0))
                items.sort(key=itemgetter(1), reverse=True)
            out[fname] = [FacetValue(v, v, n) for v, n in items]
        return out

    # ------------------------------------------------------------------ grouping, sorting
    def _group(self, ranked: list[tuple[float, int]], collapse: bool) -> list[dict]:
        if not collapse:
            return [{"score": sc, "rep": d, "members": [d]} for sc, d in ranked]
        gmap = self._groups_map()
        groups: dict[object, dict] = {}
        order: list[dict] = []
        for sc, d in ranked:
            key = gmap.get(d, d)
            g = groups.get(key)
            if g is None:
                g = {"score": sc, "rep": d, "members": [d]}
                groups[key] = g
                order.append(g)
            else:
                g["members"].append(d)
                g["score"] = max(g["score"], sc)
        for g in order:
            if len(g["members"]) > 1:
                g["rep"] = min(g["members"], key=self._representative_rank)
        return order

    def _representative_rank(self, docnum: int) -> tuple:
        """Sort key of a group's members: richest metadata, then longest text, then first id
        (remembered per searcher: reading a readout's stored fields decompresses its text)."""
        key = self._rep_ranks.get(docnum)
        if key is None:
            f = self.stored_fields(docnum)
            key = self._rep_ranks[docnum] = (-(f.get("richness") or 0), -(f.get("body_len") or 0), f.get("id", ""))
        return key

    def _sort(self, groups: list[dict], sort: str, match_all: bool) -> list[dict]:
        if sort == "relevance" and not match_all:
            return groups  # already in score order
        dates = self.facet_counter.doc_values("date")
        dated = [g for g in groups if g["rep"] in dates]
        undated = [g for g in groups if g["rep"] not in dates]
        if sort == "date":
            dated.sort(key=lambda g: (dates[g["rep"]], -g["score"]))
        else:  # -date, and match-all browsing in relevance order: newest first
            dated.sort(key=lambda g: (dates[g["rep"]], g["score"]), reverse=True)
        return dated + undated

    # ------------------------------------------------------------------ hits
    def _hit(self, g: dict, terms: set[str], phrases: list[list[str]], width: int) -> Hit:
        f = self.stored_fields(g["rep"])
        body = self.body_text(g["rep"]) if width else ""
        snippet, highlights = make_snippet(body, terms, phrases, width) if body else ("", [])
        dups = [self._representative_rank(d)[2] for d in g["members"] if d != g["rep"]]
        return Hit(**readout_fields(f), score=round(float(g["score"]), 4), duplicates=sorted(dups),
                   snippet=snippet, highlights=highlights)

    def document(self, doc_id: str) -> dict | None:
        """The readout ``doc_id`` whole, or None when the index has no such id.

        Returns:
            the keys of a hit (:func:`readout_fields`) in the same order and ``duplicates`` (ids
            of the other readouts of its duplicate group, sorted), then ``language``, ``meta``
            (the source's metadata as read, decoded) and ``body`` (the plain text).
        """
        docnum = next(iter(self.s.docs_for_query(Q.Term("id", doc_id))), None)
        if docnum is None:
            return None
        f = self.stored_fields(docnum)
        out = readout_fields(f)
        groups = self._groups_map()
        group = groups.get(docnum)
        out["duplicates"] = sorted(self.stored_fields(d)["id"] for d, g in groups.items()
                                   if group is not None and g == group and d != docnum
                                   and not self.s.reader().is_deleted(d))
        out["language"] = f.get("language") or None
        try:
            out["meta"] = json.loads(f.get("meta") or "{}")
        except ValueError:
            out["meta"] = {}
        out["body"] = self.body_text(docnum)
        return out
