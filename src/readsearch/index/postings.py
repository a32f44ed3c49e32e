"""The postings of the ``title`` and ``body`` fields, computed in one pass at index time.

Whoosh builds a field's postings by running the analyzer's generator chain (one ``Token`` object
mutated through :class:`~readsearch.index.analysis.ReadoutTokenizer` and
:class:`~readsearch.index.analysis.KeyFilter`) and collecting positions per term
(``Positions.word_values``). That chain cost about 10 ms for an 11 kB page, three times Whoosh's
own default analyzer, and was the largest part of the writer processes' work.

:class:`ReadoutPositions` is the same ``Positions`` format with an index-time ``word_values``
that produces exactly the same terms, positions and weights in one loop: each distinct word's
analysis (key, capitalised-form variant, stem variant) is worked out once and memoised, so a
page costs one regular-expression scan plus a dictionary lookup per word. Queries and every
other caller still go through the analyzer (``mode="query"``); the test suite checks both paths
give identical postings on real readouts.
"""
from __future__ import annotations

import re
from collections import defaultdict
from itertools import accumulate

from whoosh.formats import Positions

from readsearch.folding import term_key
from readsearch.index import analysis as A

# (word -> its analysis, token -> its plan), one pair of tables per setting of the analysis
# switches (the relevance benchmark turns them off and on within one process)
_word_caches: dict[tuple, tuple[dict[str, tuple], dict[str, tuple]]] = {}
_CACHE_MAX = 1_000_000
# position -> Positions encoding of a term seen once at that position (most terms of a page)
_single: dict[int, bytes] = {}


def _word_terms(text: str, cache: dict) -> tuple:
    """What :class:`~readsearch.index.analysis.KeyFilter` makes of one token ``text``:
    ``(key, cap variant or None, stem variant of an ordinary word or None, stem variant when
    the word opens a sentence or None, key is a common word)``; ``key`` is "" when the word is
    dropped."""
    from readsearch.index.commongrams import COMMON_KEYS

    word = text
    if "'" in word or "’" in word:
        word = A._POSSESSIVE.sub("", word)
    key = term_key(word)
    cap = stem = stem_at_start = None
    if key:
        first = word[:1]
        if first.isupper() or first.isdigit():
            if A.CASE_VARIANTS and first.isupper():
                cap = A.cap_key(key)
            if A.STEMMING and word[1:].islower() and word.isascii():
                s = A.stem_key(key)
                stem_at_start = s if s[1:] != key else None
        elif A.STEMMING and word.isascii():
            s = A.stem_key(key)
            stem = s if s[1:] != key else None
    v = (key, cap, stem, stem_at_start, A.PAIRS and key in COMMON_KEYS)
    if len(cache) < _CACHE_MAX:
        cache[text] = v
    return v


def _pieces(text: str) -> list[str]:
    """A hashtag's words without the ``#``: the whole tag, then its CamelCase parts."""
    text = text[1:]
    return [text] + [p for p in A.CAMEL_PART.findall(text) if p != text]


#: :data:`~readsearch.index.analysis.WORD` with its match captured: ``split`` gives the tokens and
#: the text between them in one scan
_SPLIT = re.compile(f"({A.WORD.pattern})", A.WORD.flags)


def _token_plan(text: str, cache: dict, plans: dict) -> tuple:
    """How one token of :data:`~readsearch.index.analysis.WORD` is indexed, memoised in
    ``plans``: ``(terms, common key or None, sentence-start stem or None, pieces)``.

    ``terms`` are the key then the token's variant terms (empty when the key is empty); a pair
    term joins a common key to the common key just before it; the sentence-start stem is added
    when the token opens a sentence; ``pieces`` is None, or for a hashtag the plans of its words
    (the whole tag, then its CamelCase parts), one position each.
    """
    if text[0] == "#":
        plan = ((), None, None, tuple(_token_plan(p, cache, plans)[:3] for p in _pieces(text)))
    else:
        word = text.replace(".", "") if text[-1] == "." and "." in text[:-1] else text
        key, cap, stem, stem_at_start, common = cache.get(word) or _word_terms(word, cache)
        terms = tuple(t for t in (key, cap, stem) if t is not None) if key else ()
        plan = (terms, key if common and key else None, stem_at_start if key and stem is None else None, None)
    if len(plans) < _CACHE_MAX:
        plans[text] = plan
    return plan


def index_terms(value: str) -> dict[str, list[int]]:
    """Every index term of a ``title``/``body`` value with its positions, as the text analyzer
    makes them at index time (keys, variant terms, pair terms).

    One regular-expression split, then per token a memoised plan (:func:`_token_plan`) and one
    append per term: the analyzer chain's work per token is done once per distinct token.

    Args:
        value: the field text.

    Returns:
        ``{term: [position, ...]}`` (positions ascending; terms in first-seen order).
    """
    flags = (A.STEMMING, A.CASE_VARIANTS, A.PAIRS)
    caches = _word_caches.get(flags)
    if caches is None:
        caches = _word_caches[flags] = ({}, {})
    cache, plans = caches
    plan_of = plans.get
    poses: dict[str, list[int]] = defaultdict(list)
    sentence_end = A._SENTENCE_END.search
    pair_mark = A.PAIR_MARK
    # [text before the first token, token, text between, token, ..., text after the last]
    parts = _SPLIT.split(value)
    starts = None       # each part's end offset, worked out when a token needs its start
    pos = 0
    prev_key, prev_pos = None, -2
    for k, text in enumerate(parts[1::2]):
        plan = plan_of(text) or _token_plan(text, cache, plans)
        pieces = plan[3]
        if pieces is None:
            terms, common, stem_at_start, _ = plan
            for t in terms:
                poses[t].append(pos)
            if common is not None:
                if pos == prev_pos + 1:
                    poses[pair_mark + prev_key + " " + common].append(pos)
                prev_key, prev_pos = common, pos
            if stem_at_start is not None:
                if starts is None:
                    starts = list(accumulate(map(len, parts)))
                start = starts[2 * k]
                if sentence_end(value[max(0, start - 3):start]):
                    poses[stem_at_start].append(pos)
            pos += 1
            continue
        for terms, common, _ in pieces:     # a hashtag: no sentence-start stems
            for t in terms:
                poses[t].append(pos)
            if common is not None:
                if pos == prev_pos + 1:
                    poses[pair_mark + prev_key + " " + common].append(pos)
                prev_key, prev_pos = common, pos
            pos += 1
    return dict(poses)


class ReadoutPositions(Positions):
    """Whoosh's ``Positions`` format whose index-time postings come from :func:`index_terms`
    (same terms, positions and weights as the analyzer chain, several times faster); any other
    use falls back to ``Positions``."""

    def index_postings(self, value: str) -> tuple[list, int, int]:
        """The postings of one document's field value, for a segment writer's pool.

        Args:
            value: the field text.

        Returns:
            ``(postings, length, value_bytes)``: ``postings`` a list of ``(term UTF-8 bytes,
            weight, encoded positions)`` (what :meth:`word_values` yields, weight = frequency x
            field boost), ``length`` the field's length in terms (the sum of the frequencies,
            Whoosh's field length), ``value_bytes`` the summed length of the encoded positions.
        """
        fb = self.field_boost
        encode = self.encode
        single = _single
        out = []
        length = nbytes = 0
        for term, poslist in index_terms(value).items():
            n = len(poslist)
            if n == 1:
                v = single.get(poslist[0])
                if v is None:
                    v = single[poslist[0]] = encode(poslist)
                out.append((term.encode("utf-8"), fb, v))
            else:
                v = encode(poslist)
                out.append((term.encode("utf-8"), n * fb, v))
            length += n
            nbytes += len(v)
        return out, length, nbytes

    def word_values(self, value, analyzer, **kwargs):
        if kwargs.get("mode") != "index" or not isinstance(value, str):
            yield from Positions.word_values(self, value, analyzer, **kwargs)
            return
        fb = self.field_boost
        encode = self.encode
        single = _single
        for term, poslist in index_terms(value).items():
            if len(poslist) == 1:
                v = single.get(poslist[0])
                if v is None:
                    v = single[poslist[0]] = encode(poslist)
                yield term, 1, fb, v
            else:
                yield term, len(poslist), len(poslist) * fb, encode(poslist)
