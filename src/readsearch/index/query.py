"""Query parsing: the readsearch query language on top of Whoosh's parser.

Language (also in README and ``readsearch query --help``):

- words are ORed and ranked (BM25F; readouts matching more of them, and matching them close
  together, rank higher); ``AND``, ``OR``, ``NOT``, ``-word``, ``+word``, parentheses;
- ``"quoted phrases"`` match exactly, small words included; a hyphenated word is a phrase;
- ``word*`` prefix, ``word~`` / ``word~2`` fuzzy;
- ``field:value`` / ``field:"two words"`` for every facet (``country``, ``person``,
  ``participant``, ``topic``, ``hashtag``, ``organization``, ``issuer``, ``kind``,
  ``initiative``, ``language``, ``year``), resolved like the ``--country`` ... options and,
  like them, restricting the result: clauses side by side are ANDed with each other and with
  the words; ``country:RS OR country:RU`` is one restriction allowing either; a clause joined
  to words by ``OR`` (``gas OR person:Xi``) is an alternative to them; ``AND``/``NOT`` as
  written;
- ``date:2023-12-23`` (one day), ``date:2023-12`` (a month), ``date:2023`` (a year),
  ``date:[2023-01-01 TO 2023-12-31]`` (inclusive; either end may be ``*``), same for
  ``published``;
- ``title:word``, ``body:word`` restrict words to one field; an empty query or ``*`` matches
  every readout.

Any input is accepted: unbalanced quotes and brackets are closed and a ``)`` opening nothing is
dropped (each with a note in the result's warnings), stray operators and punctuation are ignored; when Whoosh still cannot parse the operators, the words and phrases
alone are searched (with a warning); only what even that cannot parse raises
:class:`~readsearch.errors.QuerySyntaxError`.

Ranking (with a searcher, :func:`parse_query` rewrites the scoring query; BM25F scores it):

- each free-text word is one clause: the word in ``title`` (schema field boost 2) and ``body``;
  its stem variant (``~stem``, weight :data:`STEM_WEIGHT`) when typed in lower case, so
  ``supplies`` also finds ``supply`` below the exact form; its capitalised-form variant
  (``^key``, :data:`CAP_WEIGHT`) when typed with a capital, so ``US`` / ``May`` / ``WHO`` prefer
  the name or acronym (variant terms: :mod:`readsearch.index.analysis`);
- entity boost: typed words (1-3 word n-grams) that resolve to a person, country or
  organisation carried by readouts in the facet fields add a constant-score clause worth
  :data:`ENTITY_WEIGHT` idf units, so ``Georgia`` also finds "the Georgian side" and
  ``Lukashenka`` the readouts that spell him ``Lukashenko``; ordinary words (``gas``, ``it``:
  written mostly in lower case in the corpus) never resolve;
- lower-case English function words beside content words weigh :data:`FUNCTION_WEIGHT`
  (nothing is dropped: the index has no stop list, phrases stay exact);
- proximity: neighbouring content words found within a few positions of each other, in either
  order, add their scores again (:data:`PROXIMITY_WEIGHT`);
- an unknown (or rare) word is also searched as its closest indexed spellings
  (:data:`FUZZY_WEIGHT`, :mod:`readsearch.index.suggest`) and reported in ``unknown`` for
  "did you mean".

``benchmarks/relevance.py`` measures each part (``--no-stemming``, ``--no-case-variants``).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh import query as Q
from whoosh.query.spans import SpanNear2

from readsearch.errors import QuerySyntaxError
from readsearch.index.schema import MULTI_FACETS, QUERY_FIELDS, SINGLE_FACETS

FACET_FIELDS = MULTI_FACETS + SINGLE_FACETS
DATE_FIELDS = ("date", "published")
_CLAUSE = re.compile(
    r"(?<![\w:\"])(?P<field>" + "|".join(FACET_FIELDS + DATE_FIELDS + ("id",)) + r")"
    r":(?P<value>\"[^\"]*\"?|\[[^\]]*\]?|[^\s()\"]+)", re.I)
# ``name:`` with nothing after it, for a field; ``name:value`` for a lower-case name that is none
_EMPTY_CLAUSE = re.compile(r"(?<![\w:])(" + "|".join(QUERY_FIELDS) + r"):(?=\s|$)", re.I)
_NOT_A_FIELD = re.compile(r"(?<![\w:.])([a-z_]+):(?=[\w\"])")
_PLACEHOLDER = "rsclause{}x"
_PLACEHOLDER_RE = re.compile(r"^rsclause(\d+)x$")
_DATE_PART = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MAX_QUERY_CHARS = 4000

#: (field, value) -> the index terms that value stands for (resolution through the gazetteers).
#: A resolver may also have ``no_match_note(field, value, typed) -> str``, the note for a value
#: that resolves to nothing (the api's says which spellings are close); without it the note is
#: a plain "is not a known ..."
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
        unknown: query word key -> indexed keys spelled closely, for words that are absent from
            (or rare in) the index (filled only when a searcher is given).
        surface: query word key -> the word as typed.
    """

    scoring: Q.Query
    restrict: Q.Query | None = None
    phrases: list[list[str]] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    match_all: bool = False
    warnings: list[str] = field(default_factory=list)
    unknown: dict[str, list[str]] = field(default_factory=dict)
    surface: dict[str, str] = field(default_factory=dict)


def is_date_part(value: str) -> bool:
    """True for a real calendar date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``
    (``2023-02-30`` and ``2023-13`` are not)."""
    import datetime as _dt

    if not _DATE_PART.match(value or ""):
        return False
    parts = [int(x) for x in value.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def empty_date_range(start: str, end: str) -> bool:
    """True when no date lies between ``start`` and ``end`` (inclusive; each ``YYYY``, ``YYYY-MM``
    or ``YYYY-MM-DD``, checked by :func:`is_date_part`): ``2024`` after ``2023-06``, not
    ``2023-12`` before ``2023``."""
    return start + "-01-01"[len(start) - 4:] > end + "-12-31"[len(end) - 4:]


def date_range_query(fieldname: str, start: str | None, end: str | None) -> Q.Query:
    """Inclusive range on an ISO date field; partial dates (``2023``, ``2023-12``) allowed.

    Raises:
        QuerySyntaxError: a bound is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    """
    for b in (start, end):
        if b is not None and not is_date_part(b):
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
        if lo and hi and is_date_part(lo) and is_date_part(hi) and empty_date_range(lo, hi):
            raise QuerySyntaxError(f"{fieldname}:[{lo} TO {hi}]: the start is after the end, no date can "
                                   "match (swap them?)")
        return date_range_query(fieldname, lo, hi)
    value = value.strip('"')
    if not is_date_part(value):
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


#: id(schema) -> (schema, parser): a parser is built once per schema object (building one costs
#: about a fifth of a millisecond; Whoosh parsers keep no state between parses)
_PARSERS: dict[int, tuple[object, qparser.QueryParser]] = {}


def _parser(schema) -> qparser.QueryParser:
    got = _PARSERS.get(id(schema))
    if got is not None and got[0] is schema:
        return got[1]
    if len(_PARSERS) > 8:
        _PARSERS.clear()
    p = _new_parser(schema)
    _PARSERS[id(schema)] = (schema, p)
    return p


def _new_parser(schema) -> qparser.QueryParser:
    p = qparser.MultifieldParser(["title", "body"], schema, group=qparser.OrGroup.factory(0.9))
    p.remove_plugin_class(qparser.SingleQuotePlugin)  # apostrophes are part of words here
    p.remove_plugin_class(qparser.RangePlugin)        # ranges are on dates, handled above
    p.add_plugin(qparser.PlusMinusPlugin())
    p.add_plugin(qparser.FuzzyTermPlugin())
    return p


def _balance(text: str) -> tuple[str, int, int]:
    """Close an unbalanced quote, drop stray closing brackets and close open ones.

    Returns:
        ``(text, closed, dropped)``: the balanced text, the number of ``(`` closed at its end and
        of ``)`` dropped (brackets inside quotes are words' punctuation, not counted).
    """
    if text.count('"') % 2:
        text += '"'
    out, depth, inside, dropped = [], 0, False, 0
    for ch in text:
        if ch == '"':
            inside = not inside
        elif not inside and ch == "(":
            depth += 1
        elif not inside and ch == ")":
            if depth == 0:
                dropped += 1
                continue
            depth -= 1
        out.append(ch)
    return "".join(out) + ")" * depth, depth, dropped


_HYPHENATED = re.compile(r"(?<![\w-])\w+(?:[-‐‑–]\w+)+(?![\w-])")


def _quote_hyphenated(text: str) -> str:
    """``state-forming`` -> ``"state forming"`` outside quotes: a hyphenated word is a phrase
    (and its hyphen is not the NOT operator)."""
    parts = text.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = _HYPHENATED.sub(lambda m: '"' + re.sub(r"[-‐‑–]", " ", m.group()) + '"', parts[i])
    return '"'.join(parts)


#: a quoted phrase (left as it is), or a minus sign opening a word, phrase or group
_MINUS = re.compile(r'"[^"]*"|(^|[\s(])-(?=[\w"(])')


def _minus_as_not(text: str) -> str:
    """``-word`` -> ``NOT word`` outside quotes, for a query of exclusions only (``-oil``,
    ``-kind:call``): every readout but those, as ``NOT oil`` is (Whoosh's minus with nothing
    to exclude from matches nothing)."""
    return _MINUS.sub(lambda m: m.group() if m.group(1) is None else m.group(1) + "NOT ", text)


def _clean(text: str) -> str:
    text = text.replace("\\", " ")
    # a colon not introducing a known field (``Brussels:``) is punctuation
    text = re.sub(r"(?<=\w):(?=\s|$)", " ", text)
    # operators and signs with nothing to apply to
    text = re.sub(r"(^|[\s(])[-+~^*]+(?=[\s)]|$)", r"\1 ", text)
    text = re.sub(r"(^|\s)(AND|OR|NOT)(\s+(AND|OR|NOT))*\s*$", " ", text)
    text = re.sub(r"^\s*(AND|OR)\s", " ", text)
    return text


_OR_CLAUSES = re.compile(r"rsclause\d+x(?:\s+OR\s+rsclause\d+x)+")
_OR_BESIDE = re.compile(r"\bOR\s+rsclause(\d+)x|rsclause(\d+)x\s+OR\b")


def _group_clauses(rest: str, clauses: list[Q.Query]) -> tuple[str, set[int]]:
    """Facet clauses joined by an explicit ``OR`` (``country:RS OR country:RU``) become one clause
    (their ``Or``, appended to ``clauses``), so that it restricts the result as one; a clause
    still joined by ``OR`` to something else (``gas OR person:Xi``) is an alternative to it, not
    a restriction.

    Args:
        rest: the query text with each clause replaced by its placeholder.
        clauses: the clauses (extended here).

    Returns:
        ``(text, alternatives)``: the text with each group as one placeholder, and the indexes
        (in ``clauses``) of the clauses that are alternatives.
    """
    def group(m: re.Match) -> str:
        parts = [clauses[int(i)] for i in re.findall(r"rsclause(\d+)x", m.group())]
        parts = [c for c in parts if c is not Q.NullQuery]
        clauses.append(Q.Or(parts) if len(parts) > 1 else parts[0] if parts else Q.NullQuery)
        return _PLACEHOLDER.format(len(clauses) - 1)

    rest = _OR_CLAUSES.sub(group, rest)
    alternatives = {int(a or b) for a, b in _OR_BESIDE.findall(rest)}
    return rest, alternatives


def _walk(q: Q.Query, fn) -> Q.Query:
    return q.accept(fn)


_OPERATORS = ("AND", "OR", "NOT")


def _tidy_operators(rest: str, notes: list[str]) -> tuple[str, bool]:
    """Drop the operators that join nothing, outside phrases, each with a note in ``notes``: one
    at the start (``OR gas``) or the end (``gas AND``), and the second of two in a row (``gas AND
    AND oil`` is ``gas AND oil``; ``AND NOT`` is one operator). Whoosh's parser dropped the first
    two silently and read a doubled operator as OR, or failed on it (``NOT NOT``).

    Returns:
        (the query text, True when it held operators and nothing else).
    """
    parts = rest.split('"')
    words = [w for seg in parts[0::2] for w in seg.replace("(", " ").replace(")", " ").split()]
    if words and all(w in _OPERATORS for w in words) and len(parts) < 3:
        return rest, True
    prev = None                     # the last word kept, across phrases ("" for a phrase)
    out = []
    for k, seg in enumerate(parts):
        if k % 2:
            out.append(seg)
            prev = ""
            continue
        tokens = seg.split(" ")
        for n, tok in enumerate(tokens):
            if tok in _OPERATORS:
                if prev is None and tok != "NOT":
                    notes.append(f"'{tok}' at the start of the query joins nothing: ignored")
                    tokens[n] = ""
                    continue
                if prev in _OPERATORS and not (tok == "NOT" and prev in ("AND", "OR")):
                    notes.append(f"'{prev} {tok}': two operators in a row, only the first was used")
                    tokens[n] = ""
                    continue
            if tok:
                prev = tok
        out.append(" ".join(tokens))
    if prev in _OPERATORS:
        notes.append(f"'{prev}' at the end of the query joins nothing: ignored")
        last = len(out) - 1
        out[last] = out[last].rstrip()[:-len(prev)]
    return '"'.join(out), False


def parse_query(text: str, schema, resolver: Resolver | None = None, searcher=None) -> ParsedQuery:
    """Parse the user's query string.

    Args:
        text: the query as typed (any string).
        schema: the index's Whoosh schema.
        resolver: maps a facet clause's value to index terms (``("country", "Serbia") ->
            ["RS"]``); None uses the value as it is.
        searcher: the Whoosh searcher the query will run on; with it the scoring query gets the
            ranking additions that need index statistics (entities, proximity pairs that skip
            very common words, spelling neighbours of unknown words, ``unknown`` filled).

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
    notes: list[str] = []

    def take(m: re.Match) -> str:
        fname, value = m.group("field").lower(), m.group("value")
        if value.startswith('"') and not value.endswith('"') or value == '"':
            value = value + '"'
        if not value.strip('" '):   # country:"" (a script's empty variable): nothing to restrict to
            raise QuerySyntaxError(f"{fname}:{value} has no value: write {fname}:VALUE, or leave the clause out")
        if fname in DATE_FIELDS:
            clauses.append(_date_clause(fname, value))
        else:
            clauses.append(_facet_clause(fname, value, resolver))
            if clauses[-1] is Q.NullQuery and value.strip('" '):
                # the resolver words it when it can (and suggests close spellings)
                explain = getattr(resolver, "no_match_note", None)
                notes.append(explain(fname, value.strip('" '), f"{fname}:{value}") if explain else
                             f"{fname}:{value} is not a known {fname} (nothing can match it)")
        return _PLACEHOLDER.format(len(clauses) - 1) + " "   # a sign before it stays its own

    rest = _CLAUSE.sub(take, text)
    rest, alternatives = _group_clauses(rest, clauses)
    unquoted = " ".join(rest.split('"')[0::2])     # a colon inside a phrase is punctuation
    for m in _EMPTY_CLAUSE.finditer(unquoted):
        notes.append(f"{m.group(1)}: has no value (write {m.group(1).lower()}:VALUE); "
                     f"{m.group(1)!r} was searched as a word")
    for m in _NOT_A_FIELD.finditer(unquoted):
        if m.group(1) not in QUERY_FIELDS and not m.group(1).startswith("rsclause"):
            notes.append(f"{m.group(1)!r} is not a field, so '{m.group(1)}:' and what follows were "
                         f"searched as words (fields: {', '.join(QUERY_FIELDS)})")
    rest, only_operators = _tidy_operators(rest, notes)
    rest, closed, dropped = _balance(_clean(rest))
    rest = _quote_hyphenated(rest)
    syntax_dropped = False
    try:
        q = _parser(schema).parse(rest)
        if q is Q.NullQuery and _minus_as_not(rest) != rest:   # only exclusions (``-oil``)
            q = _parser(schema).parse(_minus_as_not(rest))
    except Exception:  # Whoosh's parser raises assorted errors on odd input: keep words and phrases
        plain = _balance(re.sub(r"\b(AND|OR|NOT|TO)\b", " ", re.sub(r'[^\w\s"]', " ", rest)))[0]
        try:
            q = _parser(schema).parse(plain)
            syntax_dropped = True
        except Exception as e:
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
    restricts = lambda c: is_clause(c) and not any(c is clauses[i] for i in alternatives)  # noqa: E731
    if clauses and restricts(q):
        restrict, scoring = q, Q.Every()
    elif clauses and isinstance(q, Q.Or):
        # side by side (the parser's implicit OR), clauses restrict: ANDed, like the options; a
        # clause comes once per text field the parser tried its placeholder in
        subs = [c for i, c in enumerate(q.subqueries)
                if not (is_clause(c) and any(c is d for d in q.subqueries[:i]))]
        facet_parts = [c for c in subs if restricts(c)]
        text_parts = [c for c in subs if not restricts(c)]
        if facet_parts:
            restrict = Q.And(facet_parts) if len(facet_parts) > 1 else facet_parts[0]
            if not text_parts:
                scoring = Q.Every()
            else:
                scoring = _same_kind(q, text_parts) if len(text_parts) > 1 else text_parts[0]
        elif len(subs) < len(q.subqueries):
            scoring = _same_kind(q, subs)

    phrases: list[list[str]] = []
    terms: list[str] = []
    for node in _iter_nodes(scoring):
        if isinstance(node, Q.Phrase) and node.fieldname == "body":
            phrases.append([w for w in node.words])
        elif isinstance(node, Q.Term) and node.fieldname == "body" and isinstance(node.text, str):
            terms.append(node.text)
    for ph in phrases:
        terms.extend(ph)

    warnings: list[str] = list(notes)
    if text.count('"') % 2:
        warnings.append("an unbalanced quote was closed at the end of the query")
    if closed:
        warnings.append("an unclosed parenthesis was closed at the end of the query")
    if dropped:
        warnings.append("a ')' with no '(' before it was ignored")
    if syntax_dropped:
        warnings.append("the query's operators could not be understood; its words and phrases were searched")
    match_all = isinstance(scoring, Q.Every)
    if scoring is Q.NullQuery or isinstance(scoring, Q.NullQuery.__class__):
        if not clauses:
            warnings.append("the query holds only operators (AND, OR, NOT) and nothing to search; lowercase "
                            "words are searched as words" if only_operators else
                            "no searchable words in the query (punctuation and symbols are ignored)")
        scoring = Q.NullQuery
    elif not match_all:
        surface, capital, seq = _typed_words(rest)
        n_docs = 0
        if searcher is not None:
            try:
                n_docs = searcher.doc_count()
            except Exception:
                n_docs = 0
        ctx = _Context(searcher=searcher, resolver=resolver, surface=surface, capital=capital,
                       sequence=seq, n_docs=n_docs)
        fkeys = {k for k in seq if k not in capital and k in function_keys()}
        if any(k not in fkeys for k in seq):
            ctx.function = fkeys
        scoring = _enrich(scoring, ctx)
        if searcher is not None:
            scoring = _walk(scoring, _pair_phrase)
        return ParsedQuery(scoring=scoring, restrict=restrict, phrases=phrases,
                           terms=list(dict.fromkeys(terms)), match_all=match_all, warnings=warnings,
                           unknown=dict(ctx.unknown), surface=surface)
    return ParsedQuery(scoring=scoring, restrict=restrict, phrases=phrases, terms=list(dict.fromkeys(terms)),
                       match_all=match_all, warnings=warnings)


def _hoist_negations(q: Q.Query) -> Q.Query:
    """``gas NOT oil`` under OR grouping means "gas, but not oil" (as in Lucene and Elasticsearch),
    not "gas, or anything without oil": negated children of an OR become an exclusion."""
    if isinstance(q, Q.Or):
        nots = [c for c in q.subqueries if isinstance(c, Q.Not)]
        rest = [c for c in q.subqueries if not isinstance(c, Q.Not)]
        negative = Q.Or([c.query for c in nots]) if len(nots) > 1 else nots[0].query if nots else None
        if nots and rest:
            positive = _same_kind(q, rest) if len(rest) > 1 else rest[0]
            return Q.AndNot(positive, negative)
        if nots:   # ``NOT gas NOT oil``: readouts with neither (not those lacking one of them)
            return Q.Not(negative)
    return q


def _iter_nodes(q: Q.Query):
    yield q
    for c in q.children():
        yield from _iter_nodes(c)


# ---------------------------------------------------------------------------- ranking
#: weight of a word's stem variant (``supplies`` also finds ``supply``, below the exact form)
STEM_WEIGHT = 0.5
#: extra weight of title terms (on top of the schema's field boost)
TITLE_WEIGHT = 1.0
#: weight of a capitalised-form variant when the query word is typed with a capital
CAP_WEIGHT = 0.5
#: an entity match (person, country, organisation facet) counts this many idf units
ENTITY_WEIGHT = 1.0
#: search the spelling neighbours of an unknown word as well (off: a word that is not in the
#: index finds nothing, and the result suggests its neighbours - "did you mean")
SEARCH_NEIGHBOURS = False
#: weight of a spelling neighbour that stands in for an unknown query word
FUZZY_WEIGHT = 0.6
#: weight of a pair of query words found near each other (unordered, within the slop)
PROXIMITY_WEIGHT = 1.0
#: words in more than this share of readouts neither pair for proximity nor resolve as entities
COMMON_SHARE = 0.5
#: weight of an English function word typed in lower case beside content words (see below)
FUNCTION_WEIGHT = 0.2
#: English closed-class words. Nothing is removed from the index or from phrases (``US``, ``IT``,
#: ``May``, ``WHO`` and ``"Community of Serb Municipalities"`` stay exact); in a free-text query
#: that also has content words, these words typed in lower case weigh FUNCTION_WEIGHT and do not
#: pair for proximity, so a question ("what did X say about Y") ranks by X and Y. A query of
#: function words alone ("it is what it is") is searched as typed.
FUNCTION_WORDS = frozenset("""
a an the this that these those some any each every no other such
i me my we us our you your he him his she her it its they them their who whom whose which what
when where why how whether if then than so as because while although though
and or nor but not also only just very too more most much many few less
of in on at to from by with without about above below over under into onto upon out off up down
for against between among through during before after since until till via per across along
around behind beyond near toward towards within
is are was were be been being am do does did done doing have has had having
will would shall should can could may might must ought
there here again ever
""".split())
_TEXT_FIELDS = ("title", "body")
_ENTITY_FIELDS = ("person", "country", "organization")


@dataclass
class _Context:
    """What the enrichment of a parsed query knows about the index and the typed words."""

    searcher: object | None
    resolver: Resolver | None
    surface: dict[str, str]            # key -> the word as typed
    capital: set[str]                  # keys typed with a capital letter
    sequence: list[str]                # keys of the typed words, in order (for n-grams, pairs)
    n_docs: int = 0
    unknown: dict[str, list[str]] = field(default_factory=dict)
    function: set[str] = field(default_factory=set)   # keys weighed down as function words

    def df(self, fieldname: str, text: str) -> int:
        if self.searcher is None:
            return 0
        try:
            return self.searcher.doc_frequency(fieldname, text)
        except Exception:
            return 0

    def idf(self, df: int) -> float:
        n = max(self.n_docs, 1)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def common(self, key: str) -> bool:
        return key in self.function or (self.searcher is not None and self.n_docs > 20 and
                                        self.df("body", key) > COMMON_SHARE * self.n_docs)


_FUNCTION_KEYS: set[str] = set()


def function_keys() -> set[str]:
    """:data:`FUNCTION_WORDS` as search keys (folded like the index: ``why -> whi``)."""
    if not _FUNCTION_KEYS:
        from readsearch.folding import term_key

        _FUNCTION_KEYS.update(term_key(w) for w in FUNCTION_WORDS)
    return _FUNCTION_KEYS


def _typed_words(text: str) -> tuple[dict[str, str], set[str], list[str]]:
    """The words of the (clause-free) query text: key -> surface, keys typed capitalised, order."""
    from readsearch.index.analysis import ReadoutTokenizer, term_key

    surface: dict[str, str] = {}
    capital: set[str] = set()
    seq: list[str] = []
    for t in ReadoutTokenizer()(text):
        word = t.text
        if word in ("AND", "OR", "NOT") or _PLACEHOLDER_RE.match(word):
            continue
        key = term_key(re.sub(r"['’][sS]$", "", word))
        if not key:
            continue
        surface.setdefault(key, word)
        if word[:1].isupper():
            capital.add(key)
        seq.append(key)
    return surface, capital, seq


def _field_variants(fieldname: str, key: str, ctx: _Context) -> list[Q.Query]:
    """Exact term plus its variant terms in one field: the stem for a word typed in lower case
    (as in the index, a capitalised word is taken for a name and not stemmed), the capitalised
    form for a word typed with a capital."""
    from readsearch.index import analysis as A

    w = TITLE_WEIGHT if fieldname == "title" else 1.0
    if key in ctx.function:
        w *= FUNCTION_WEIGHT
    out: list[Q.Query] = [Q.Term(fieldname, key, boost=w)]
    if A.STEMMING and key.isascii() and key.isalpha() and key not in ctx.capital:
        stem = A.stem_key(key)
        out.append(Q.Term(fieldname, stem, boost=w * STEM_WEIGHT))
        if stem[1:] != key:  # words that are their own stem carry no stem term in the index
            out.append(Q.Term(fieldname, stem[1:], boost=w * STEM_WEIGHT))
    if A.CASE_VARIANTS and key in ctx.capital:
        out.append(Q.Term(fieldname, A.cap_key(key), boost=w * CAP_WEIGHT))
    return out


def _fuzzy(key: str, ctx: _Context) -> list[Q.Query]:
    """Spelling neighbours standing in for an unknown word (and remembered for suggestions)."""
    if ctx.searcher is None:
        return []
    from readsearch.index.suggest import needs_suggestion

    memo = getattr(ctx.searcher, "memo", None)   # per-searcher answers (ReadoutSearcher's stats)
    got = memo.get(("needs_suggestion", key)) if memo is not None else None
    if got is None:
        got = needs_suggestion(ctx.searcher.reader(), key)
        if memo is not None:
            memo[("needs_suggestion", key)] = got
    flag, near = got
    if not flag:
        return []
    ctx.unknown[key] = [n[0] for n in near]
    if not SEARCH_NEIGHBOURS:
        return []
    return [Q.Term(f, n[0], boost=FUZZY_WEIGHT / n[1]) for n in near[:2] for f in _TEXT_FIELDS]


def _ordinary_word(key: str, ctx: _Context) -> bool:
    """True when the corpus writes ``key`` mostly in lower case (a common word, not a name)."""
    from readsearch.index import analysis as A

    if not A.CASE_VARIANTS:
        return False
    n = ctx.df("body", key) + ctx.df("title", key)
    caps = ctx.df("body", A.cap_key(key)) + ctx.df("title", A.cap_key(key))
    return n > 0 and caps < 0.5 * n


def _entities(ctx: _Context) -> dict[str, Q.Query]:
    """Entity clauses for typed words naming a person, country or organisation.

    Greedy longest n-grams (3..1 words) of the typed words are resolved through the resolver; a
    value counts only when readouts carry it in the facet field. A single word must not be an
    ordinary word of the corpus (``gas``, ``it``), nor a very common one, and must have three or
    more letters unless typed with a capital (``US``, ``Xi``).

    Returns:
        key of the n-gram's first word -> a constant-score query worth ``ENTITY_WEIGHT`` idf units.
    """
    if ctx.resolver is None or ctx.searcher is None:
        return {}
    out: dict[str, Q.Query] = {}
    seq = ctx.sequence[:24]
    i = 0
    while i < len(seq):
        done = 1
        for n in (3, 2, 1):
            if i + n > len(seq):
                continue
            keys = seq[i:i + n]
            if n == 1:
                k = keys[0]
                word = ctx.surface.get(k, k)
                if len(word) < 2 or (len(word) < 3 and not word[:1].isupper()) or k.isdigit() \
                        or _ordinary_word(k, ctx) \
                        or ctx.common(k):
                    continue
            phrase = " ".join(ctx.surface.get(k, k) for k in keys)
            clauses: list[Q.Query] = []
            best_df = 0
            for fname in _ENTITY_FIELDS:
                try:
                    terms = ctx.resolver(fname, phrase) or []
                except Exception:
                    terms = []
                terms = [t for t in terms if ctx.df(fname, t) > 0]
                for t in terms:
                    clauses.append(Q.Term(fname, t))
                    best_df = max(best_df, ctx.df(fname, t))
            if clauses:
                q = clauses[0] if len(clauses) == 1 else Q.Or(clauses)
                out.setdefault(keys[0], Q.ConstantScoreQuery(q, ENTITY_WEIGHT * ctx.idf(best_df)))
                for k in keys[1:]:
                    out.setdefault(k, Q.NullQuery)
                done = n
                break
        i += done
    return out


def _word_clause(key: str, ctx: _Context, entity: Q.Query | None) -> Q.Query:
    """One free-text word: exact and variant terms in title and body, its entity, neighbours."""
    parts: list[Q.Query] = []
    for f in _TEXT_FIELDS:
        parts.extend(_field_variants(f, key, ctx))
    if entity is not None and entity is not Q.NullQuery:
        parts.append(entity)
    parts.extend(_fuzzy(key, ctx))
    return Q.Or(parts)


def _is_text_term(node: Q.Query) -> bool:
    return isinstance(node, Q.Term) and node.fieldname in _TEXT_FIELDS and isinstance(node.text, str)


def _proximity(words: list[str], ctx: _Context) -> list[Q.Query]:
    """Unordered near-queries for neighbouring content words of the query (very common words
    are skipped over and widen the allowed gap)."""
    if len(words) < 2:
        return []
    content: list[tuple[int, str]] = []
    for i, k in enumerate(ctx.sequence if ctx.sequence else words):
        if k in words and not ctx.common(k):
            content.append((i, k))
    out: list[Q.Query] = []
    for (i, a), (j, b) in zip(content, content[1:]):
        if a == b or len(out) >= 16:
            continue
        slop = (j - i) + 1
        for f in _TEXT_FIELDS:
            # span queries score with their terms' scores (their own boost is ignored)
            out.append(SpanNear2([Q.Term(f, a, boost=PROXIMITY_WEIGHT), Q.Term(f, b, boost=PROXIMITY_WEIGHT)],
                                 slop=slop, ordered=False))
    return out


def _enrich(q: Q.Query, ctx: _Context) -> Q.Query:
    """Rank-time additions to the parsed scoring query (see the module docstring, "Ranking")."""
    if isinstance(q, Q.Or) or _is_text_term(q):
        children = list(q.subqueries) if isinstance(q, Q.Or) else [q]
        words: list[str] = []
        field_only: list[Q.Query] = []
        rest: list[Q.Query] = []
        for c in children:
            if _is_text_term(c):
                if c.text not in words:
                    words.append(c.text)
            else:
                rest.append(c)
        # ``title:word`` alone (not paired with body) stays a one-field clause
        pairs = {(c.fieldname, c.text) for c in children if _is_text_term(c)}
        for w in list(words):
            if (("title", w) in pairs) != (("body", w) in pairs):
                words.remove(w)
                f = "title" if ("title", w) in pairs else "body"
                field_only.append(Q.Or(_field_variants(f, w, ctx)))
        if words or field_only:
            ents = _entities(ctx)
            subs = [_word_clause(w, ctx, ents.get(w)) for w in words] + field_only
            subs += [_enrich(c, ctx) for c in rest]
            subs += _proximity(words, ctx)
            if len(subs) == 1:
                return subs[0]
            return Q.Or(subs, boost=q.boost, scale=getattr(q, "scale", None))
    if isinstance(q, (Q.Not, Q.AndNot)):
        if isinstance(q, Q.AndNot):
            return Q.AndNot(_enrich(q.a, ctx), q.b)
        return q
    if isinstance(q, Q.Or) and len(q.subqueries) == 2 and all(_is_text_term(c) for c in q.subqueries) \
            and len({c.text for c in q.subqueries}) == 1:
        return _word_clause(q.subqueries[0].text, ctx, None)
    if isinstance(q, Q.BinaryQuery):  # Require, AndMaybe, Otherwise
        return q.__class__(_enrich(q.a, ctx), _enrich(q.b, ctx))
    if isinstance(q, Q.CompoundQuery):
        return _same_kind(q, [_enrich(c, ctx) for c in q.subqueries])
    return q


def _pair_phrase(node: Q.Query) -> Q.Query:
    """A quoted phrase over pair terms (:func:`readsearch.index.analysis.pair_key`).

    - two common words: the pair term alone (exact: a pair term is indexed exactly where the two
      words stand at consecutive positions), scored as one term (BM25F of the pair);
    - longer phrases with at least one pair of common words: the readouts having every pair term
      (and every word not covered by one) are checked by positions (``Require``), scored by those
      terms; only those readouts have their positions decoded;
    - otherwise (no two common words side by side, or a slop): the positional phrase unchanged.
    """
    from readsearch.index import analysis as A

    if not (A.PAIRS and isinstance(node, Q.Phrase)) or node.slop != 1 or len(node.words) < 2 \
            or not all(isinstance(w, str) for w in node.words):
        return node
    words = list(node.words)
    pairs = [A.pair_key(a, b) for a, b in zip(words, words[1:])]
    if not any(pairs):
        return node
    if len(words) == 2:
        return Q.Term(node.fieldname, pairs[0], boost=node.boost)
    covered = {i for i, p in enumerate(pairs) if p} | {i + 1 for i, p in enumerate(pairs) if p}
    parts = [Q.Term(node.fieldname, p) for p in dict.fromkeys(p for p in pairs if p)]
    parts += [Q.Term(node.fieldname, w) for i, w in enumerate(words) if i not in covered]
    return Q.Require(Q.And(parts, boost=node.boost), node)


def _same_kind(q: Q.Query, subqueries: list[Q.Query]) -> Q.Query:
    """A compound query like ``q`` (same class, boost and OR scaling) over other children."""
    if isinstance(q, Q.Or):
        return Q.Or(subqueries, boost=q.boost, scale=q.scale)
    return q.__class__(subqueries, boost=q.boost)
