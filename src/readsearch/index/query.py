"""Query parsing: the readsearch query language on top of Whoosh's parser.

Language (also in README and ``readsearch query --help``):

- words are ORed and ranked (BM25F; readouts matching more of them, and matching them close
  together, rank higher); ``AND``, ``OR``, ``NOT``, ``-word``, ``+word``, parentheses;
- ``"quoted phrases"`` match exactly, small words included; a hyphenated word is a phrase;
- ``word*`` prefix, ``word~`` / ``word~2`` fuzzy;
- ``field:value`` / ``field:"two words"`` for every facet (``country``, ``person``,
  ``participant``, ``topic``, ``hashtag``, ``organization``, ``issuer``, ``kind``,
  ``initiative``, ``language``, ``year``), resolved like the ``--country`` ... options; a facet
  clause beside words restricts the result (it is ANDed), alone with others they combine as
  written;
- ``date:2023-12-23`` (one day), ``date:2023-12`` (a month), ``date:2023`` (a year),
  ``date:[2023-01-01 TO 2023-12-31]`` (inclusive; either end may be ``*``), same for
  ``published``;
- ``title:word``, ``body:word`` restrict words to one field; an empty query or ``*`` matches
  every readout.

Any input is accepted: unbalanced quotes and brackets are closed, stray operators and
punctuation are ignored; only a string Whoosh still cannot parse raises
:class:`~readsearch.errors.QuerySyntaxError`.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh import query as Q

from readsearch.errors import QuerySyntaxError
from readsearch.index.schema import MULTI_FACETS, SINGLE_FACETS

FACET_FIELDS = MULTI_FACETS + SINGLE_FACETS
DATE_FIELDS = ("date", "published")
_CLAUSE = re.compile(
    r"(?<![\w:])(?P<field>" + "|".join(FACET_FIELDS + DATE_FIELDS + ("id",)) + r")"
    r":(?P<value>\"[^\"]*\"?|\[[^\]]*\]?|[^\s()\"]+)", re.I)
_PLACEHOLDER = "rsclause{}x"
_PLACEHOLDER_RE = re.compile(r"^rsclause(\d+)x$")
_DATE_PART = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MAX_QUERY_CHARS = 4000

#: (field, value) -> the index terms that value stands for (resolution through the gazetteers)
Resolver = Callable[[str, str], list[str]]


@dataclass
class ParsedQuery:
    """A parsed query.

    Attributes:
        scoring: the Whoosh query that selects and scores readouts (``Every`` for "match all").
        restrict: a Whoosh query every hit must also match (facet clauses ANDed), or None.
        phrases: the analysed word sequences of quoted phrases and hyphenated words.
        terms: analysed words of the text part (for highlighting and suggestions).
        match_all: True when the text selects every readout (empty query or ``*``).
        warnings: one-line remarks (e.g. query words that were ignored).
    """

    scoring: Q.Query
    restrict: Q.Query | None = None
    phrases: list[list[str]] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    match_all: bool = False
    warnings: list[str] = field(default_factory=list)


def date_range_query(fieldname: str, start: str | None, end: str | None) -> Q.Query:
    """Inclusive range on an ISO date field; partial dates (``2023``, ``2023-12``) allowed.

    Raises:
        QuerySyntaxError: a bound is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    """
    for b in (start, end):
        if b is not None and not _DATE_PART.match(b):
            raise QuerySyntaxError(f"bad date {b!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
    hi = None if end is None else end + "\uffff"
    return Q.TermRange(fieldname, start, hi, startexcl=False, endexcl=False)


def _date_clause(fieldname: str, value: str) -> Q.Query:
    value = value.strip()
    if value.startswith("["):
        inner = value.strip("[]").strip()
        m = re.match(r"^(\S*)\s+(?:TO|to)\s+(\S*)$", inner)
        if not m:
            raise QuerySyntaxError(f"bad date range {value!r}: use {fieldname}:[2023-01-01 TO 2023-12-31]")
        lo, hi = (None if x in ("", "*") else x for x in m.groups())
        return date_range_query(fieldname, lo, hi)
    value = value.strip('"')
    if not _DATE_PART.match(value):
        raise QuerySyntaxError(f"bad date {value!r}: use {fieldname}:YYYY-MM-DD, YYYY-MM or YYYY")
    if len(value) == 10:
        return Q.Term(fieldname, value)
    return Q.Prefix(fieldname, value)


def _facet_clause(fieldname: str, value: str, resolver: Resolver | None) -> Q.Query:
    value = value.strip().strip('"').strip()
    if not value:
        return Q.NullQuery
    if fieldname == "id":
        return Q.Term("id", value)
    terms = resolver(fieldname, value) if resolver else [value]
    if not terms:
        return Q.NullQuery
    if len(terms) == 1:
        return Q.Term(fieldname, terms[0])
    return Q.Or([Q.Term(fieldname, t) for t in terms])


def _parser(schema) -> qparser.QueryParser:
    p = qparser.MultifieldParser(["title", "body"], schema, group=qparser.OrGroup.factory(0.9))
    p.remove_plugin_class(qparser.SingleQuotePlugin)  # apostrophes are part of words here
    p.remove_plugin_class(qparser.RangePlugin)        # ranges are on dates, handled above
    p.add_plugin(qparser.PlusMinusPlugin())
    p.add_plugin(qparser.FuzzyTermPlugin())
    return p


def _balance(text: str) -> str:
    """Close an unbalanced quote, drop stray closing brackets and close open ones."""
    if text.count('"') % 2:
        text += '"'
    out, depth, inside = [], 0, False
    for ch in text:
        if ch == '"':
            inside = not inside
        elif not inside and ch == "(":
            depth += 1
        elif not inside and ch == ")":
            if depth == 0:
                continue
            depth -= 1
        out.append(ch)
    return "".join(out) + ")" * depth


_HYPHENATED = re.compile(r"(?<![\w-])\w+(?:[-‐‑–]\w+)+(?![\w-])")


def _quote_hyphenated(text: str) -> str:
    """``state-forming`` -> ``"state forming"`` outside quotes: a hyphenated word is a phrase
    (and its hyphen is not the NOT operator)."""
    parts = text.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = _HYPHENATED.sub(lambda m: '"' + re.sub(r"[-‐‑–]", " ", m.group()) + '"', parts[i])
    return '"'.join(parts)


def _clean(text: str) -> str:
    text = text.replace("\\", " ")
    # a colon not introducing a known field (``Brussels:``) is punctuation
    text = re.sub(r"(?<=\w):(?=\s|$)", " ", text)
    # operators and signs with nothing to apply to
    text = re.sub(r"(^|\s)[-+~^*](?=\s|$)", " ", text)
    text = re.sub(r"(^|\s)(AND|OR|NOT)(\s+(AND|OR|NOT))*\s*$", " ", text)
    text = re.sub(r"^\s*(AND|OR)\s", " ", text)
    return text


def _walk(q: Q.Query, fn) -> Q.Query:
    return q.accept(fn)


def parse_query(text: str, schema, resolver: Resolver | None = None) -> ParsedQuery:
    """Parse the user's query string.

    Args:
        text: the query as typed (any string).
        schema: the index's Whoosh schema.
        resolver: maps a facet clause's value to index terms (``("country", "Serbia") ->
            ["RS"]``); None uses the value as it is.

    Returns:
        a :class:`ParsedQuery`.

    Raises:
        QuerySyntaxError: a malformed date clause, or a query Whoosh cannot parse.
    """
    text = (text or "").strip()
    if len(text) > _MAX_QUERY_CHARS:
        text = text[:_MAX_QUERY_CHARS]
    if text in ("", "*", "*:*"):
        return ParsedQuery(Q.Every(), match_all=True)

    clauses: list[Q.Query] = []

    def take(m: re.Match) -> str:
        fname, value = m.group("field").lower(), m.group("value")
        if value.startswith('"') and not value.endswith('"') or value == '"':
            value = value + '"'
        if fname in DATE_FIELDS:
            clauses.append(_date_clause(fname, value))
        else:
            clauses.append(_facet_clause(fname, value, resolver))
        return " " + _PLACEHOLDER.format(len(clauses) - 1) + " "

    rest = _CLAUSE.sub(take, text)
    rest = _quote_hyphenated(_balance(_clean(rest)))
    try:
        q = _parser(schema).parse(rest)
    except Exception as e:  # Whoosh's parser raises assorted errors on odd input
        raise QuerySyntaxError(f"cannot parse query {text[:60]!r}: {e}") from None

    used: set[int] = set()

    def swap(node: Q.Query) -> Q.Query:
        if isinstance(node, Q.Term) and isinstance(node.text, str):
            m = _PLACEHOLDER_RE.match(node.text)
            if m:
                used.add(int(m.group(1)))
                return clauses[int(m.group(1))]
        if isinstance(node, Q.Or) and node.subqueries and all(
                c is not Q.NullQuery and any(c is cl for cl in clauses) for c in node.subqueries) \
                and len({id(c) for c in node.subqueries}) == 1:
            return node.subqueries[0]
        return node

    q = _walk(q, swap) if clauses else q
    is_clause = lambda c: any(c is cl for cl in clauses)  # noqa: E731

    q = _hoist_negations(q)
    restrict = None
    scoring = q
    if clauses and isinstance(q, Q.Or):
        facet_parts = [c for c in q.subqueries if is_clause(c)]
        text_parts = [c for c in q.subqueries if not is_clause(c)]
        if facet_parts and text_parts:
            restrict = Q.And(facet_parts) if len(facet_parts) > 1 else facet_parts[0]
            scoring = _same_kind(q, text_parts) if len(text_parts) > 1 else text_parts[0]
    elif clauses and is_clause(q):
        restrict, scoring = q, Q.Every()

    phrases: list[list[str]] = []
    terms: list[str] = []
    for node in _iter_nodes(scoring):
        if isinstance(node, Q.Phrase) and node.fieldname == "body":
            phrases.append([w for w in node.words])
        elif isinstance(node, Q.Term) and node.fieldname == "body" and isinstance(node.text, str):
            terms.append(node.text)
    for ph in phrases:
        terms.extend(ph)

    warnings: list[str] = []
    match_all = isinstance(scoring, Q.Every)
    if scoring is Q.NullQuery or isinstance(scoring, Q.NullQuery.__class__):
        if not clauses:
            warnings.append("no searchable words in the query (punctuation and symbols are ignored)")
        scoring = Q.NullQuery
    else:
        scoring = _with_proximity(scoring)
    return ParsedQuery(scoring=scoring, restrict=restrict, phrases=phrases, terms=list(dict.fromkeys(terms)),
                       match_all=match_all, warnings=warnings)


def _hoist_negations(q: Q.Query) -> Q.Query:
    """``gas NOT oil`` under OR grouping means "gas, but not oil" (as in Lucene and Elasticsearch),
    not "gas, or anything without oil": negated children of an OR become an exclusion."""
    if isinstance(q, Q.Or):
        nots = [c for c in q.subqueries if isinstance(c, Q.Not)]
        rest = [c for c in q.subqueries if not isinstance(c, Q.Not)]
        if nots and rest:
            positive = _same_kind(q, rest) if len(rest) > 1 else rest[0]
            negative = Q.Or([c.query for c in nots]) if len(nots) > 1 else nots[0].query
            return Q.AndNot(positive, negative)
    return q


def _iter_nodes(q: Q.Query):
    yield q
    for c in q.children():
        yield from _iter_nodes(c)


def _plain_word(node: Q.Query) -> str | None:
    """The word of a ``title OR body`` single-term clause as MultifieldParser builds it."""
    if isinstance(node, Q.Or) and len(node.subqueries) == 2 and all(isinstance(c, Q.Term) for c in node.subqueries):
        texts = {c.text for c in node.subqueries}
        fields = {c.fieldname for c in node.subqueries}
        if len(texts) == 1 and fields == {"title", "body"}:
            return next(iter(texts))
    return None


def _with_proximity(q: Q.Query) -> Q.Query:
    """Add a proximity boost: readouts where the query's words stand together rank higher."""
    if not isinstance(q, Q.Or):
        return q
    words = [w for w in (_plain_word(c) for c in q.subqueries) if w is not None]
    if len(words) < 2 or len(words) > 12:
        return q
    near = [Q.Phrase("body", words, slop=3, boost=1.5), Q.Phrase("title", words, slop=2, boost=1.5)]
    return _same_kind(q, list(q.subqueries) + near)


def _same_kind(q: Q.Query, subqueries: list[Q.Query]) -> Q.Query:
    """A compound query like ``q`` (same class, boost and OR scaling) over other children."""
    if isinstance(q, Q.Or):
        return Q.Or(subqueries, boost=q.boost, scale=q.scale)
    return q.__class__(subqueries, boost=q.boost)
