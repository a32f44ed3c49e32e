"""The postings of the ``title`` and ``body`` fields, computed in one pass at index time.

Whoosh builds a field's postings by running the analyzer's generator chain (one ``Token`` object
mutated through :class:`~readsearch.index.analysis.ReadoutTokenizer` and
:class:`~readsearch.index.analysis.KeyFilter`) and collecting positions per term
(``Positions.word_values``). That chain cost about 10 ms for an 11 kB page, three times Whoosh's
own default analyzer, and was the largest part of the writer processes' work.

:class:`ReadoutPositions` is the same ``Positions`` format with an index-time ``word_values``
(and :meth:`ReadoutPositions.index_postings`, what readsearch's segment writer calls) that
produces exactly the same terms, positions and weights: each distinct token's analysis (key,
capitalised-form or stem variant, sentence-start stem, pair eligibility) is worked out once and
memoised as integer term ids (:class:`_Vocabulary`), so a page costs one regular-expression
split, then numpy gathers each token's terms and sorts the ``(term, position)`` pairs into
posting lists; only the per-term encoding stays a Python loop. Queries and every other caller
still go through the analyzer (``mode="query"``); the test suite checks both paths give
identical postings on real readouts.
"""
from __future__ import annotations

import re
from collections import defaultdict
from itertools import accumulate
from pickle import dumps

from whoosh.formats import Positions
from whoosh.system import pack_uint

from readsearch.folding import term_key
from readsearch.index import analysis as A

# (word -> its analysis, token -> its plan), one pair of tables per setting of the analysis
# switches (the relevance benchmark turns them off and on within one process)
_word_caches: dict[tuple, tuple[dict[str, tuple], dict[str, tuple]]] = {}
_CACHE_MAX = 1_000_000
# position -> Positions encoding of a term seen once at that position (most terms of a page)
_single: dict[int, bytes] = {}


def _encode(deltas: list[int]) -> bytes:
    """Whoosh's ``Positions.encode`` of a posting whose position deltas are given (the first
    delta is the first position): the count, then the pickled deltas (protocol 2)."""
    return pack_uint(len(deltas)) + dumps(deltas, 2)


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
    when the token opens a sentence; ``pieces`` is None, or for a hashtag the plans
    ``(terms, common key or None, None)`` of its words (the whole tag, then its CamelCase
    parts), one position each.
    """
    if text[0] == "#":
        plan = ((), None, None, tuple(_token_plan(p, cache, plans)[:2] + (None,) for p in _pieces(text)))
    else:
        word = text.replace(".", "") if text[-1] == "." and "." in text[:-1] else text
        key, cap, stem, stem_at_start, common = cache.get(word) or _word_terms(word, cache)
        terms = tuple(t for t in (key, cap, stem) if t is not None) if key else ()
        plan = (terms, key if common and key else None, stem_at_start if key and stem is None else None, None)
    if len(plans) < _CACHE_MAX:
        plans[text] = plan
    return plan


def _caches() -> tuple[dict, dict]:
    """(word -> analysis, token -> plan) for the current analysis switches."""
    flags = (A.STEMMING, A.CASE_VARIANTS, A.PAIRS)
    caches = _word_caches.get(flags)
    if caches is None:
        caches = _word_caches[flags] = ({}, {})
    return caches


def _index_terms_loop(value: str, parts: list[str]) -> dict[str, list[int]]:
    """:func:`index_terms` one token at a time (any text, hashtags included).

    Args:
        value: the field text.
        parts: ``_SPLIT.split(value)``.
    """
    cache, plans = _caches()
    plan_of = plans.get
    poses: dict[str, list[int]] = defaultdict(list)
    sentence_end = A._SENTENCE_END.search
    pair_mark = A.PAIR_MARK
    starts = None       # each part's end offset, worked out when a token needs its start
    pos = 0
    prev_key, prev_pos = None, -2
    for k, text in enumerate(parts[1::2]):
        plan = plan_of(text) or _token_plan(text, cache, plans)
        # a hashtag's words take one position each (and no sentence-start stems)
        for terms, common, stem_at_start in plan[3] or (plan[:3],):
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
    return dict(poses)


class _Vocabulary:
    """Integer ids of the tokens and terms seen so far (for one setting of the analysis
    switches), with each token's plan (:func:`_token_plan`) as numpy arrays indexed by token id,
    so that a page's postings are grouped by numpy instead of one Python step per token.

    Arrays (``int32``, -1 for none): ``key`` the token's key term, ``variant`` its
    capitalised-form or stem variant (a token has at most one of the two), ``at_start`` its
    sentence-start stem; (``bool``): ``common`` its key forms pairs, ``hashtag`` it is a
    hashtag (several positions: such pages take :func:`_index_terms_loop`).
    """

    def __init__(self):
        import numpy as np   # here, not at the top: the query path imports this module (schema)

        self.tokens: dict[str, int] = {}
        self.terms: dict[str, int] = {}
        self.term_text: list[str] = []
        self.term_bytes: list[bytes] = []
        self.pairs: dict[int, int] = {}     # (first key id << 32 | second key id) -> pair term id
        size = 4096
        self.key = np.full(size, -1, np.int32)
        self.variant = np.full(size, -1, np.int32)
        self.at_start = np.full(size, -1, np.int32)
        self.common = np.zeros(size, bool)
        self.hashtag = np.zeros(size, bool)

    def term_id(self, term: str) -> int:
        """The id of ``term``, given one when new."""
        tid = self.terms.get(term)
        if tid is None:
            tid = self.terms[term] = len(self.term_text)
            self.term_text.append(term)
            self.term_bytes.append(term.encode("utf-8"))
        return tid

    def pair_id(self, code: int) -> int:
        """The id of the pair term of two key term ids (``first << 32 | second``)."""
        tid = self.pairs.get(code)
        if tid is None:
            first, second = self.term_text[code >> 32], self.term_text[code & 0xFFFFFFFF]
            tid = self.pairs[code] = self.term_id(A.PAIR_MARK + first + " " + second)
        return tid

    def token_id(self, text: str) -> int:
        """The id of token ``text``, its plan worked out and stored when new."""
        tid = self.tokens.get(text)
        if tid is not None:
            return tid
        tid = self.tokens[text] = len(self.tokens)
        if tid >= len(self.key):
            import numpy as np

            for name in ("key", "variant", "at_start", "common", "hashtag"):
                old = getattr(self, name)
                grown = np.full(2 * len(old), -1, old.dtype) if old.dtype != bool else np.zeros(2 * len(old), bool)
                grown[:len(old)] = old
                setattr(self, name, grown)
        cache, plans = _caches()
        terms, common, stem_at_start, pieces = plans.get(text) or _token_plan(text, cache, plans)
        if pieces is not None:
            self.hashtag[tid] = True
        elif terms:
            self.key[tid] = self.term_id(terms[0])
            if len(terms) > 1:
                self.variant[tid] = self.term_id(terms[1])
            self.common[tid] = common is not None
            if stem_at_start is not None:
                self.at_start[tid] = self.term_id(stem_at_start)
        return tid


_vocabularies: dict[tuple, _Vocabulary] = {}
#: texts with fewer tokens are grouped one token at a time (titles: 21 ms by loop, 63 ms by
#: numpy for 1,000 White House titles; bodies: 1,315 ms by loop, 731 ms by numpy)
_NUMPY_MIN_TOKENS = 64


def _vocabulary() -> _Vocabulary:
    """The :class:`_Vocabulary` of the current analysis switches (a new one once it holds
    :data:`_CACHE_MAX` tokens, so memory stays bounded on any corpus)."""
    flags = (A.STEMMING, A.CASE_VARIANTS, A.PAIRS)
    vocab = _vocabularies.get(flags)
    if vocab is None or len(vocab.tokens) >= _CACHE_MAX:
        vocab = _vocabularies[flags] = _Vocabulary()
    return vocab


def _grouped(value: str):
    """The index terms of ``value`` with their positions, grouped.

    Returns:
        ``(term_text, term_bytes, terms, positions, bounds, deltas)``: the vocabulary's term
        strings and their UTF-8 bytes by id, the page's term ids, every
        position grouped by term (ascending within a term), where each term's positions start
        (``len(terms) + 1`` offsets), and each position minus the one before it in its term
        (the first: the position itself); or None for a page with hashtags or a short text
        (under :data:`_NUMPY_MIN_TOKENS` tokens: numpy's fixed cost per call is more than a
        loop's).
    """
    parts = _SPLIT.split(value)
    tokens = parts[1::2]
    if len(tokens) < _NUMPY_MIN_TOKENS:
        return None
    import numpy as np

    vocab = _vocabulary()
    ids = list(map(vocab.tokens.get, tokens))
    if None in ids:
        token_id = vocab.token_id
        ids = [token_id(t) if i is None else i for t, i in zip(tokens, ids)]
    ids = np.array(ids, np.int32)
    if vocab.hashtag[ids].any():
        return None
    pos = np.arange(len(ids), dtype=np.int64)
    term_parts, pos_parts = [], []
    for table in (vocab.key, vocab.variant):
        t = table[ids]
        keep = t >= 0
        term_parts.append(t[keep])
        pos_parts.append(pos[keep])
    keys = vocab.key[ids].astype(np.int64)
    common = vocab.common[ids]
    at = np.flatnonzero(common[1:] & common[:-1]) + 1        # a pair ends here
    if at.size:
        codes = (keys[at - 1] << 32 | keys[at]).tolist()
        pair_of = vocab.pairs.get
        pair_ids = list(map(pair_of, codes))
        if None in pair_ids:
            pair_ids = [vocab.pair_id(c) if p is None else p for c, p in zip(codes, pair_ids)]
        term_parts.append(np.array(pair_ids, np.int64))
        pos_parts.append(at)
    at_start = vocab.at_start[ids]
    candidates = np.flatnonzero(at_start >= 0).tolist()
    if candidates:
        sentence_end = A._SENTENCE_END.search
        ends = list(accumulate(map(len, parts)))
        hits = [k for k in candidates
                if sentence_end(value[max(0, ends[2 * k] - 3):ends[2 * k]])]
        if hits:
            term_parts.append(at_start[hits])
            pos_parts.append(np.array(hits, np.int64))
    codes = np.concatenate(term_parts).astype(np.int64) << 32 | np.concatenate(pos_parts)
    codes.sort()
    terms_sorted = codes >> 32
    positions = codes & 0xFFFFFFFF
    starts = np.flatnonzero(terms_sorted[1:] != terms_sorted[:-1]) + 1
    deltas = np.diff(positions, prepend=0)
    deltas[starts] = positions[starts]
    bounds = [0] + starts.tolist() + [len(codes)]
    return (vocab.term_text, vocab.term_bytes, terms_sorted[bounds[:-1]].tolist(), positions.tolist(),
            bounds, deltas.tolist())


def index_terms(value: str) -> dict[str, list[int]]:
    """Every index term of a ``title``/``body`` value with its positions, as the text analyzer
    makes them at index time (keys, variant terms, pair terms).

    One regular-expression split, then numpy groups the positions by term through each token's
    memoised plan (:class:`_Vocabulary`); a short text or a page with hashtags goes one token
    at a time (:func:`_index_terms_loop`). Either way the analyzer chain's work per token is done once
    per distinct token.

    Args:
        value: the field text.

    Returns:
        ``{term: [position, ...]}`` (positions ascending; terms in no particular order).
    """
    grouped = _grouped(value)
    if grouped is None:
        return _index_terms_loop(value, _SPLIT.split(value))
    text, _, terms, positions, bounds, _ = grouped
    return {text[t]: positions[a:b] for t, a, b in zip(terms, bounds, bounds[1:])}


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
        grouped = _grouped(value)
        if grouped is None:     # a short text or a page with hashtags
            out = []
            length = nbytes = 0
            for term, poslist in _index_terms_loop(value, _SPLIT.split(value)).items():
                v = self._value(poslist)
                out.append((term.encode("utf-8"), len(poslist) * fb, v))
                length += len(poslist)
                nbytes += len(v)
            return out, length, nbytes
        _, term_bytes, terms, positions, bounds, deltas = grouped
        out = []
        nbytes = 0
        for t, a, b in zip(terms, bounds, bounds[1:]):
            v = self._value(positions[a:b]) if b - a == 1 else _encode(deltas[a:b])
            out.append((term_bytes[t], (b - a) * fb, v))
            nbytes += len(v)
        return out, len(positions), nbytes

    def _value(self, poslist: list[int]) -> bytes:
        """The encoding of one posting's positions; a single position's is memoised."""
        if len(poslist) != 1:
            return self.encode(poslist)
        v = _single.get(poslist[0])
        if v is None:
            v = _single[poslist[0]] = self.encode(poslist)
        return v

    def word_values(self, value, analyzer, **kwargs):
        if kwargs.get("mode") != "index" or not isinstance(value, str):
            yield from Positions.word_values(self, value, analyzer, **kwargs)
            return
        fb = self.field_boost
        for term, poslist in index_terms(value).items():
            yield term, len(poslist), len(poslist) * fb, self._value(poslist)
