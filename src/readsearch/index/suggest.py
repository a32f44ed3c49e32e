"""Spelling neighbours of query words ("did you mean"), from the index's own lexicon.

A query word is *unknown* when no readout contains it (in ``title`` or ``body``), *rare* when
only one or two do while a close spelling is used in ten times as many. Its neighbours are the
indexed keys within a small edit distance (Whoosh's Levenshtein automaton over the term
dictionary, :meth:`whoosh.reading.IndexReader.terms_within`), ranked by edit distance with
adjacent transpositions counted as one edit (``zelenksi`` / ``zelenski``), then by document
frequency. Keys are folded forms (``zelenski``), so :func:`display_form` turns a key back into a
spelling a reader knows: a word of a canonical person name from the ``person`` facet
(``Zelenskyy``), else the word as written in a readout that contains it.

Variant terms of the analyzer (``~stem``, ``^Name``) are never suggested.
"""
from __future__ import annotations

from readsearch.folding import term_key
from readsearch.index.analysis import analyze, is_variant
from readsearch.index.schema import body_reader

TEXT_FIELDS = ("title", "body")


def damerau(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (insert, delete, substitute, swap neighbours)."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    prev2, prev = None, list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        for j in range(1, lb + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[lb]


def doc_frequency(reader, key: str) -> int:
    """Readouts whose title or body contain ``key`` (an upper bound: the two fields are added)."""
    return sum(reader.doc_frequency(f, key) for f in TEXT_FIELDS if f in reader.schema)


def max_distance(key: str) -> int:
    """Edits allowed for a key of this length: 0 up to 3 letters, 1 up to 5, else 2."""
    return 0 if len(key) <= 3 else 1 if len(key) <= 5 else 2


def neighbours(reader, key: str, limit: int = 3) -> list[tuple[str, int, int]]:
    """Indexed keys close to ``key``.

    Args:
        reader: a Whoosh index reader.
        key: a search key (:func:`readsearch.folding.term_key`).
        limit: at most this many neighbours.

    Returns:
        ``(key, distance, doc_frequency)`` triples, closest and most frequent first; ``key``
        itself is left out.
    """
    maxdist = max_distance(key)
    if not maxdist or not key.isalnum():
        return []
    found: dict[str, int] = {}
    for fname in TEXT_FIELDS:
        if fname not in reader.schema:
            continue
        try:
            cands = reader.terms_within(fname, key, maxdist, prefix=1)
        except Exception:  # an odd key the automaton cannot take: no neighbours
            continue
        for c in cands:
            if c != key and not is_variant(c) and c not in found:
                d = damerau(key, c)
                if d <= maxdist:
                    found[c] = d
    ranked = sorted(((c, d, doc_frequency(reader, c)) for c, d in found.items()), key=lambda t: (t[1], -t[2], t[0]))
    return ranked[:limit]


def needs_suggestion(reader, key: str) -> tuple[bool, list[tuple[str, int, int]]]:
    """Whether ``key`` is unknown or rare next to a much more frequent close spelling.

    Returns:
        ``(flag, neighbours)``: the neighbours worth suggesting (empty when ``flag`` is False).
    """
    df = doc_frequency(reader, key)
    if df > 2:
        return False, []
    near = neighbours(reader, key)
    if df == 0:
        return bool(near), near
    better = [n for n in near if n[2] >= 10 * df]
    return bool(better), better


def person_words(searcher, memo: dict | None = None) -> dict[str, str]:
    """Key -> word, for every word of the ``person`` facet's canonical names (``zelenski`` ->
    ``Zelenskyy``; the first name in lexicon order wins). One pass over the facet's terms in
    every segment, remembered in ``memo`` (a per-searcher dict) when given.
    """
    got = memo.get(("person_words",)) if memo is not None else None
    if got is None:
        got = {}
        reader = searcher.reader()
        if "person" in reader.schema:
            for name in reader.field_terms("person"):
                for word in name.split():
                    got.setdefault(term_key(word), word)
        if memo is not None:
            memo[("person_words",)] = got
    return got


def display_form(searcher, key: str, memo: dict | None = None) -> str:
    """A readable spelling of the key ``key``: a word of a person facet value with that key,
    else the word as written in the first readout containing it, else the key itself.
    ``memo``: a per-searcher dict that keeps the person words and the answers."""
    got = memo.get(("display_form", key)) if memo is not None else None
    if got is not None:
        return got
    got = person_words(searcher, memo).get(key) or _written_form(searcher, key)
    if memo is not None:
        memo[("display_form", key)] = got
    return got


def _written_form(searcher, key: str) -> str:
    """The word with key ``key`` as written in the first readout containing it (its title when
    the title has it), else the key."""
    from whoosh import query as Q

    reader = searcher.reader()
    for fname in TEXT_FIELDS:
        if fname not in reader.schema:
            continue
        for docnum in searcher.docs_for_query(Q.Term(fname, key)):
            if fname == "body":
                text = body_reader(reader)(docnum)
            else:
                text = searcher.stored_fields(docnum).get(fname) or ""
            for k, _pos, s, e in analyze(text):
                if k == key:
                    return text[s:e]
            break
    return key


def suggest_queries(searcher, text: str, unknown: dict[str, list[str]], surface: dict[str, str],
                    limit: int = 3, memo: dict | None = None) -> list[str]:
    """"Did you mean" strings for a query whose words are unknown or rare.

    Args:
        searcher: the Whoosh searcher.
        text: the query as typed.
        unknown: word key -> neighbour keys (:attr:`ParsedQuery.unknown`).
        surface: word key -> the word as typed.
        limit: at most this many suggestions.
        memo: a per-searcher dict for :func:`display_form` (a batch looks the person words up
            once), or None.

    Returns:
        the query with each unknown word replaced by a readable neighbour (best first, then the
        alternatives of the first unknown word); empty when nothing is unknown.
    """
    import re

    alts: list[tuple[str, list[str]]] = []
    for key, cands in unknown.items():
        forms = list(dict.fromkeys(display_form(searcher, c, memo) for c in cands))
        if forms and key in surface:
            alts.append((surface[key], forms))
    if not alts:
        return []
    out: list[str] = []
    for i in range(limit):
        q = text
        for word, forms in alts:
            form = forms[min(i, len(forms) - 1)] if i == 0 or word == alts[0][0] else forms[0]
            q = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", lambda m, f=form: f, q, count=1)
        q = " ".join(q.split())
        if q and q not in out and q != " ".join(text.split()):
            out.append(q)
    return out[:limit]
