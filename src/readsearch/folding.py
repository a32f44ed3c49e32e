"""Folding of words and names so that every usual spelling of a name meets.

Used by the index analyzers (search terms) and available to the extractors. Two levels:

- :func:`ascii_fold`: Unicode text to ASCII with the Serbo-Croatian convention ``Đ -> Dj``
  (anyascii, ISC licence, gives ``D``) and Cyrillic transliterated by anyascii (``Лавров ->
  Lavrov``); soft and hard signs dropped.
- :func:`term_key`: one lower-case word to its search key. On top of :func:`ascii_fold` it
  merges the common transliteration variants of names (``ч/ć/č -> c or ch``, ``ж -> z or zh``,
  ``ш/š -> s or sh``, ``х -> kh or h``, ``й -> y or i``, ``ый/ий/yy -> y``): ``ch -> c``,
  ``zh -> z``, ``sh -> s``, ``kh -> h``, ``y -> i``, ``ii -> i``. So ``Vučić``, ``Vucic``,
  ``Вучић`` all give ``vucic``; ``Zelensky``, ``Zelenskyy``, ``Zelenskiy``, ``Зеленський``
  give ``zelenski``; ``Sergey``, ``Sergei``, ``Сергей`` give ``sergei``. The key is only ever
  compared with other keys; it is never shown.
"""
from __future__ import annotations

import re

from anyascii import anyascii

_PRE = str.maketrans({
    "Đ": "Dj", "đ": "dj", "Ђ": "Dj", "ђ": "dj",
    "ь": "", "Ь": "", "ъ": "", "Ъ": "",
    "’": "'", "ʼ": "'", "‘": "'",
})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_VARIANTS = (("shch", "sc"), ("kh", "h"), ("zh", "z"), ("ch", "c"), ("sh", "s"), ("y", "i"))
_DOUBLE_I = re.compile(r"i{2,}")

_cache: dict[str, str] = {}


def ascii_fold(text: str) -> str:
    """Unicode text to ASCII: accents dropped, ``Đ -> Dj``, Cyrillic transliterated.

    Args:
        text: any text.

    Returns:
        ASCII text (str), case kept (``Vučić -> Vucic``, ``Đurić -> Djuric``, ``Лавров -> Lavrov``).
    """
    if text.isascii():
        return text
    return anyascii(text.translate(_PRE))


def term_key(word: str) -> str:
    """The search key of one word (see the module docstring); "" when nothing is left.

    Memoised: a corpus has a small vocabulary, so each distinct word is folded once.
    """
    key = _cache.get(word)
    if key is not None:
        return key
    s = _NON_ALNUM.sub("", ascii_fold(word).lower())
    for a, b in _VARIANTS:
        if a in s:
            s = s.replace(a, b)
    if "ii" in s:
        s = _DOUBLE_I.sub("i", s)
    if len(_cache) < 2_000_000:
        _cache[word] = s
    return s


def name_key(name: str) -> str:
    """The key of a multi-word name: :func:`term_key` of each word, joined by one space.

    ``"Aleksandar Vučić" -> "aleksandar vucic"``; used to compare names across spellings.
    """
    return " ".join(k for k in (term_key(w) for w in re.split(r"[\s\-]+", name)) if k)
