"""Text analysis: the named analyzer pipelines of the index, defined once (Whoosh style).

``text_analyzer()`` is used for the ``title`` and ``body`` fields, at index time and at query
time alike:

1. :class:`ReadoutTokenizer` - words of letters and digits in any script; a hashtag is its
   whole tag then its CamelCase parts (``#RussiaSerbia`` -> ``RussiaSerbia Russia Serbia``),
   so the words inside it are searchable; dotted acronyms
   (``U.S.``) are one word (``US``); apostrophes inside a word (``Russia's``, ``Pristina’s``,
   straight or curly) stay in the token; hyphens split (``state-forming`` is two consecutive
   positions, so a hyphenated query word becomes a phrase).
2. :class:`KeyFilter` - drops a possessive ``'s``, lower-cases and folds each word to its search
   key (:func:`readsearch.folding.term_key`: accents, ``Đ -> dj``, Cyrillic to Latin,
   transliteration variants of names merged).

At index time only (Whoosh calls analyzers with ``mode="index"``) :class:`KeyFilter` also emits,
at the same position as the key, one *variant term* per word, so that ranking can use word forms
and letter case without a second field and without touching phrase matching:

- ``~stem`` (:data:`STEM_MARK` + the English Porter2 stem of the key) for an *ordinary word*: a
  Latin word written lower-case (``supplies -> ~suppli``), or capitalised only because it opens a
  sentence; not when the stem is the key itself (three words in four: ``talks -> talk`` yes,
  ``the``, ``supply`` (key ``suppli``) no), since the key term finds those already. The query
  side searches a stem as ``~stem`` OR the bare stem key. Names (capitalised inside a sentence: ``Sergey``, ``Vučić``) get no stem, so they
  are never conflated with other words.
- ``^key`` (:data:`CAP_MARK` + the key) for a word written with a capital (``US``, ``May``,
  ``WHO``), so a capitalised query word can prefer the name or acronym over the common word
  (``us``, ``may``, ``who``).

- ``&a b`` (:data:`PAIR_MARK` + two keys): a *pair term* for two neighbouring words (consecutive
  positions) that are both common words (:data:`readsearch.index.commongrams.COMMON_KEYS`),
  at the position of the second word, so that a quoted phrase of common words
  (``"energy security"``) is one term lookup instead of a positional check over every readout
  that has both words (CommonGrams). Turned off by :data:`PAIRS`.

The query side (:mod:`readsearch.index.query`) builds the same variant terms from the query's
words with :func:`stem_key` and :func:`cap_key`; queries analysed with ``mode="query"`` see
only the keys, so phrases and the parser are unaffected. Variant terms never start with a
letter or digit, so they cannot collide with keys; :func:`is_variant` tells them apart (for
spelling suggestions and key terms).

There is no stop-word list: ``US``, ``IT``, ``May``, ``WHO`` and the small words of quoted
phrases are all indexed (a stop list removes them and renumbers positions, which lets
``"Community of Serb Municipalities"`` match ``Community for Serb Municipalities``).
"""
from __future__ import annotations

import re

from whoosh.analysis import Filter, Tokenizer
from whoosh.analysis.acore import Token

from readsearch.folding import term_key

#: prefix of stem variant terms (``~suppli``)
STEM_MARK = "~"
#: prefix of capitalised-form variant terms (``^us``)
CAP_MARK = "^"
#: emit and query stem variants (the relevance benchmark measures with and without)
STEMMING = True
#: emit and query capitalised-form variants
CASE_VARIANTS = True
#: prefix of pair terms (``&energi securiti``)
PAIR_MARK = "&"
#: emit (and query) pair terms of neighbouring common words
PAIRS = True

_SENTENCE_END = re.compile(r"[.!?:;\n\r\u2022\u2014\-\"“”«»(\[]\s*$|^\s*$")
_stem_cache: dict[str, str] = {}


def stem_key(key: str) -> str:
    """The stem variant term of a search key: ``"supplies" -> "~suppli"`` (Porter2, memoised).

    Args:
        key: a key from :func:`readsearch.folding.term_key` (``[0-9a-z]+``).

    Returns:
        :data:`STEM_MARK` + the stem (str).
    """
    v = _stem_cache.get(key)
    if v is None:
        from whoosh.lang.porter2 import stem

        v = STEM_MARK + (stem(key) if key.isalpha() and len(key) > 2 else key)
        if len(_stem_cache) < 1_000_000:
            _stem_cache[key] = v
    return v


def cap_key(key: str) -> str:
    """The capitalised-form variant term of a key: ``"us" -> "^us"``."""
    return CAP_MARK + key


def pair_key(first: str, second: str) -> str | None:
    """The pair term of two neighbouring keys, or None when they form none (not both common):
    ``("energi", "securiti") -> "&energi securiti"``."""
    from readsearch.index.commongrams import COMMON_KEYS

    if first in COMMON_KEYS and second in COMMON_KEYS:
        return PAIR_MARK + first + " " + second
    return None


def is_variant(term: str) -> bool:
    """True for a stem, capitalised-form or pair term (not a word key)."""
    return term[:1] in (STEM_MARK, CAP_MARK, PAIR_MARK)

# hashtag | dotted acronym (U.S., U.K.) | word with inner apostrophes
WORD = re.compile(r"#[^\W_]+|(?:[^\W\d_]\.){2,}(?![^\W_])|[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# parts of a CamelCase hashtag: #RussiaSerbia -> Russia, Serbia
CAMEL_PART = re.compile(r"[A-Z\u0400-\u042f][a-z\u0430-\u045f]+|[A-Z\u0400-\u042f]+(?![a-z\u0430-\u045f])|\d+|[^\W\d_]+")
_POSSESSIVE = re.compile(r"['’][sS]$")


class ReadoutTokenizer(Tokenizer):
    """Splits text into words (see the module docstring); keeps character offsets."""

    def __eq__(self, other):
        return isinstance(other, ReadoutTokenizer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        pos = start_pos
        for m in WORD.finditer(value):
            text = m.group()
            if text.startswith("#"):
                # the whole tag, then its CamelCase parts, each at its own position
                text = text[1:]
                pieces = [text] + [p for p in CAMEL_PART.findall(text) if p != text]
                sentence_start = False
            else:
                if text.endswith(".") and "." in text[:-1]:
                    text = text.replace(".", "")
                pieces = [text]
                sentence_start = bool(_SENTENCE_END.search(value[max(0, m.start() - 3):m.start()]))
            for piece in pieces:
                t.sentence_start = sentence_start
                t.text = piece
                t.boost = 1.0
                if keeporiginal:
                    t.original = piece
                t.stopped = False
                if positions:
                    t.pos = pos
                    pos += 1
                if chars:
                    t.startchar = start_char + m.start()
                    t.endchar = start_char + m.end()
                yield t


class KeyFilter(Filter):
    """Possessive ``'s`` dropped, then :func:`~readsearch.folding.term_key`; empty keys dropped.

    With ``mode="index"`` each key is followed by its variant term at the same position (see the
    module docstring)."""

    def __eq__(self, other):
        return isinstance(other, KeyFilter)

    def __call__(self, tokens):
        from readsearch.index.commongrams import COMMON_KEYS

        prev_key, prev_pos = None, None
        for t in tokens:
            text = t.text
            if "'" in text or "’" in text:
                text = _POSSESSIVE.sub("", text)
            key = term_key(text)
            if not key:
                continue
            t.text = key
            yield t
            if t.mode != "index":
                continue
            if PAIRS and t.positions:
                if key in COMMON_KEYS:
                    if prev_key is not None and t.pos == prev_pos + 1:
                        t.text = PAIR_MARK + prev_key + " " + key
                        yield t
                    prev_key, prev_pos = key, t.pos
                else:
                    prev_key = None
            first = text[:1]
            if first.isupper() or first.isdigit():
                if CASE_VARIANTS and first.isupper():
                    t.text = cap_key(key)
                    yield t
                if not (STEMMING and getattr(t, "sentence_start", False) and text[1:].islower()
                        and text.isascii()):
                    continue
            elif not (STEMMING and text.isascii()):
                continue
            if STEMMING:
                stem = stem_key(key)
                if stem[1:] != key:  # a word that is its own stem is found by its key
                    t.text = stem
                    yield t


def text_analyzer():
    """The analyzer of the ``title`` and ``body`` fields: ReadoutTokenizer | KeyFilter."""
    return ReadoutTokenizer() | KeyFilter()


def analyze(text: str) -> list[tuple[str, int, int, int]]:
    """Run the text analyzer over ``text``.

    Returns:
        a list of ``(key, position, startchar, endchar)`` tuples, one per indexed word.
    """
    an = text_analyzer()
    return [(t.text, t.pos, t.startchar, t.endchar) for t in an(text, positions=True, chars=True)]
