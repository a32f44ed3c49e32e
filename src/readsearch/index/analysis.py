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

There is no stop-word list: ``US``, ``IT``, ``May``, ``WHO`` and the small words of quoted
phrases are all indexed (a stop list removes them and renumbers positions, which lets
``"Community of Serb Municipalities"`` match ``Community for Serb Municipalities``).
"""
from __future__ import annotations

import re

from whoosh.analysis import Filter, Tokenizer
from whoosh.analysis.acore import Token

from readsearch.folding import term_key

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
                parts = [p for p in CAMEL_PART.findall(text) if p != text]
                for piece in [text] + parts:
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
                continue
            if text.endswith(".") and "." in text[:-1]:
                text = text.replace(".", "")
            t.text = text
            t.boost = 1.0
            if keeporiginal:
                t.original = text
            t.stopped = False
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + m.start()
                t.endchar = start_char + m.end()
            yield t


class KeyFilter(Filter):
    """Possessive ``'s`` dropped, then :func:`~readsearch.folding.term_key`; empty keys dropped."""

    def __eq__(self, other):
        return isinstance(other, KeyFilter)

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if "'" in text or "’" in text:
                text = _POSSESSIVE.sub("", text)
            key = term_key(text)
            if key:
                t.text = key
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
