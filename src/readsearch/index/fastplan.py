"""Which queries the vectorised scorer (:mod:`readsearch.index.fastscore`) takes, and how:
a Whoosh query taken apart into a :class:`Plan` of nodes, or None when some part of it must be
scored by Whoosh. This module does not import numpy (a one-query process need not load it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.query.spans import SpanNear2
from whoosh.reading import TermNotFound


@dataclass
class Plan:
    """A query taken apart for :class:`FastScorer` (see the module docstring).

    Attributes:
        parts: the clauses whose scores add up, as nodes: ``("term", field, text, boost)``,
            ``("const", node, score)``, ``("or", [nodes])``, ``("and", [nodes])``,
            ``("require", scored node, required node)``, ``("andnot", node, excluded node)``,
            ``("phrase", field, words, boost)``.
        near: ``(field, a, b, slop)`` of each unordered proximity pair of the top level.
    """

    parts: list[tuple] = field(default_factory=list)
    near: list[tuple[str, str, str, int]] = field(default_factory=list)


def plan(q: Q.Query, schema) -> Plan | None:
    """Take a query apart for :class:`FastScorer`, or None when it has a part the fast path
    does not score exactly like Whoosh (the query must then go to Whoosh).

    Args:
        q: a Whoosh query (the scoring query of :func:`readsearch.index.query.parse_query`).
        schema: the index schema (which fields are scored).

    Returns:
        a :class:`Plan`, or None.
    """
    out = Plan()

    def scored(fname) -> bool:
        return fname in schema and schema[fname].scorable

    def is_null(node) -> bool:
        return node is Q.NullQuery or isinstance(node, Q.NullQuery.__class__)

    def node_of(node, ids_only=False):
        """A node for ``node`` (only its documents matter when ``ids_only``), or None when
        unsupported."""
        if is_null(node):
            return ("or", [])
        if isinstance(node, Q.Term):
            if not isinstance(node.text, str) or node.fieldname not in schema:
                return None
            if not scored(node.fieldname):
                return ("ids", node.fieldname, node.text) if ids_only else None
            return ("term", node.fieldname, node.text, float(node.boost))
        kids = getattr(node, "subqueries", None)
        if type(node) in (Q.Or, Q.And) and kids is not None and len(kids) == 1:
            return node_of(kids[0], ids_only)   # Whoosh uses the only child's matcher as it is
        if type(node) is Q.Or:
            if node.scale or node.boost != 1.0 or node.minmatch:
                return None
            subs = [node_of(c, ids_only) for c in kids]
            return None if any(x is None for x in subs) else ("or", subs)
        if type(node) is Q.And:
            if node.boost != 1.0 or not kids:
                return None
            subs = [node_of(c, ids_only) for c in kids]
            return None if any(x is None for x in subs) else ("and", subs)
        if type(node) is Q.Require:
            a, b = node_of(node.a, ids_only), node_of(node.b, True)
            return None if a is None or b is None else ("require", a, b)
        if type(node) is Q.AndNot:
            a, b = node_of(node.a, ids_only), node_of(node.b, True)
            return None if a is None or b is None else ("andnot", a, b)
        if isinstance(node, Q.ConstantScoreQuery):
            child = node_of(node.child, True)
            if child is None or getattr(node, "boost", 1.0) != 1.0:
                return None
            return ("const", child, float(node.score))
        if type(node) is Q.Phrase:
            if node.slop != 1 or not scored(node.fieldname) or not node.words \
                    or not all(isinstance(w, str) for w in node.words):
                return None
            if len(node.words) == 1:
                return ("term", node.fieldname, node.words[0], float(node.boost))
            return ("phrase", node.fieldname, list(node.words), float(node.boost))
        return None

    def top(node) -> bool:
        if type(node) is Q.Or and not node.scale and node.boost == 1.0 and not node.minmatch:
            return all(top(c) for c in node.subqueries)
        if isinstance(node, SpanNear2):
            qs = node.qs
            if (len(qs) == 2 and not node.ordered and node.mindist == 1
                    and all(isinstance(t, Q.Term) and t.boost == 1.0 and isinstance(t.text, str) for t in qs)
                    and qs[0].fieldname == qs[1].fieldname and scored(qs[0].fieldname)
                    and qs[0].text != qs[1].text):
                out.near.append((qs[0].fieldname, qs[0].text, qs[1].text, int(node.slop)))
                return True
            return False
        n = node_of(node)
        if n is None:
            return False
        out.parts.append(n)
        return True

    return out if top(q) else None


def plan_terms(p: Plan) -> list[tuple[str, str]]:
    """The ``(field, text)`` of every term a plan reads (to estimate its cost)."""
    out: list[tuple[str, str]] = []

    def walk(node):
        kind = node[0]
        if kind in ("term", "ids"):
            out.append((node[1], node[2]))
        elif kind == "phrase":
            out.extend((node[1], w) for w in node[2])
        elif kind in ("or", "and"):
            for c in node[1]:
                walk(c)
        elif kind == "const":
            walk(node[1])
        elif kind in ("require", "andnot"):
            walk(node[1])
            walk(node[2])

    for node in p.parts:
        walk(node)
    out.extend((f, t) for f, a, b, _s in p.near for t in (a, b))
    return out


class TermInfos:
    """Each segment's term info of a term, looked up once per searcher: the doc frequencies
    query parsing asks for and the postings the scorer reads then share one lookup per segment
    (Whoosh's ``doc_frequency`` and ``postings`` each look the term up in every segment).

    Args:
        searcher: an open :class:`whoosh.searching.Searcher`.
    """

    def __init__(self, searcher):
        self.leaves = list(searcher.reader().leaf_readers())
        self._memo: dict[tuple[str, str], list | None] = {}
        self.supported = all(hasattr(getattr(r, "_terms", None), "term_info") for r, _off in self.leaves)

    def get(self, fname: str, text: str) -> list | None:
        """One term info (or None where the segment lacks the term) per segment, in the order of
        the reader's leaves; None when the codec has no term infos to share."""
        if not self.supported:
            return None
        key = (fname, text)
        out = self._memo.get(key)
        if out is None:
            out = []
            for r, _off in self.leaves:
                try:
                    out.append(r._terms.term_info(fname, r._text_to_bytes(fname, text)))
                except (TermNotFound, ValueError):
                    out.append(None)
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[key] = out
        return out

    def doc_frequency(self, fname: str, text: str) -> int | None:
        """Readouts with the term (deleted ones included, as Whoosh counts), or None."""
        infos = self.get(fname, text)
        if infos is None:
            return None
        return sum(ti.doc_frequency() for ti in infos if ti is not None)
