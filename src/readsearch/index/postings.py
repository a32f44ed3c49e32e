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

from whoosh.formats import Positions

from readsearch.folding import term_key
from readsearch.index import analysis as A

# word -> its analysis, one table per setting of the analysis switches (the relevance benchmark
# turns them off and on within one process)
_word_caches: dict[tuple, dict[str, tuple]] = {}
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


def index_terms(value: str) -> dict[str, list[int]]:
    """Every index term of a ``title``/``body`` value with its positions, as the text analyzer
    makes them at index time (keys, variant terms, pair terms).

    Args:
        value: the field text.

    Returns:
        ``{term: [position, ...]}`` (positions ascending; terms in first-seen order).
    """
    poses: dict[str, list[int]] = {}
    get = poses.get
    flags = (A.STEMMING, A.CASE_VARIANTS, A.PAIRS)
    cache = _word_caches.get(flags)
    if cache is None:
        cache = _word_caches[flags] = {}
    cached = cache.get
    sentence_end = A._SENTENCE_END.search
    pair_mark = A.PAIR_MARK
    pos = 0
    prev_key, prev_pos = None, -2
    for m in A.WORD.finditer(value):
        text = m.group()
        if text[0] == "#":
            pieces = _pieces(text)
            hashtag = True
        else:
            if text[-1] == "." and "." in text[:-1]:
                text = text.replace(".", "")
            pieces = (text,)
            hashtag = False
        for piece in pieces:
            p = pos
            pos += 1
            key, cap, stem, stem_at_start, common = cached(piece) or _word_terms(piece, cache)
            if not key:
                continue
            lst = get(key)
            if lst is None:
                poses[key] = [p]
            else:
                lst.append(p)
            if common:
                if prev_key is not None and p == prev_pos + 1:
                    term = pair_mark + prev_key + " " + key
                    lst = get(term)
                    if lst is None:
                        poses[term] = [p]
                    else:
                        lst.append(p)
                prev_key, prev_pos = key, p
            else:
                prev_key = None
            if cap is not None:
                lst = get(cap)
                if lst is None:
                    poses[cap] = [p]
                else:
                    lst.append(p)
            if stem is None and stem_at_start is not None and not hashtag and \
                    sentence_end(value[max(0, m.start() - 3):m.start()]):
                stem = stem_at_start
            if stem is not None:
                lst = get(stem)
                if lst is None:
                    poses[stem] = [p]
                else:
                    lst.append(p)
    return poses


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
