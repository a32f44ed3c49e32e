"""Folding of words and names so that every usual spelling of a name meets.

One module for the whole package: the extractors (gazetteer matching, the resolver) and the
index analyzers (search terms) fold with the same rules.

- :func:`fold_cased` / :func:`fold`: Unicode text to ASCII (case kept / lower-cased):
  transliteration by anyascii (ISC licence; ``Лавров -> Lavrov``, ``Vučić -> Vucic``), the
  Serbo-Croatian convention ``Đ/Ђ -> Dj`` (anyascii gives ``D``), soft and hard signs dropped,
  curly quotes to straight ones, symbols and emoji to spaces. Only runs of non-ASCII characters
  are translated, through a lazily filled table. :func:`fold_with_offsets` also maps every
  folded character back to the original offset (spans found in folded text).
- :func:`term_key`: one word to its search key. On top of :func:`fold_cased` it merges the
  common transliteration variants of names (``ч/ć/č -> c or ch``, ``ж -> z or zh``,
  ``ш/š -> s or sh``, ``х -> kh or h``, ``й -> y or i``, ``ый/ий/yy -> y``): ``ch -> c``,
  ``zh -> z``, ``sh -> s``, ``kh -> h``, ``y -> i``, ``ii -> i``. So ``Vučić``, ``Vucic``,
  ``Вучић`` all give ``vucic``; ``Zelensky``, ``Zelenskyy``, ``Zelenskiy``, ``Зеленський``
  give ``zelenski``; ``Sergey``, ``Sergei``, ``Сергей`` give ``sergei``. The key is only ever
  compared with other keys; it is never shown.
"""
from __future__ import annotations

import re

_SPECIAL = {
    "Đ": "Dj", "đ": "dj",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"',
    "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " ",
    "\u202f": " ", "\u2009": " ", "#": "#", "@": "@", "\u0130": "I", "\u0131": "i",
    "Ђ": "Dj", "ђ": "dj", "ь": "", "Ь": "", "ъ": "", "Ъ": "",
}


class _FoldTable(dict):
    """A ``str.translate`` table filled lazily: code point -> ASCII replacement (case kept)."""

    def __missing__(self, cp: int) -> str:
        import unicodedata      # imported on first need: ASCII text never needs them

        from anyascii import anyascii

        ch = chr(cp)
        if ch in _SPECIAL:
            out = _SPECIAL[ch]
        elif cp < 128:
            out = ch
        else:
            cat = unicodedata.category(ch)
            if cat[0] in "SC" or cat in ("Mn", "Me", "Mc") or 0x1F1E6 <= cp <= 0x1F1FF:
                # symbols, emoji, regional indicators, controls, combining marks
                out = " " if cat[0] in "SC" or cp >= 0x1F1E6 else ""
            elif cat[0] == "Z":
                out = " "
            else:
                out = anyascii(ch)
                if not out and cat[0] == "L":
                    out = " "
        self[cp] = out
        if len(out) != 1:
            _ODD.add(ch)
        return out


_TABLE = _FoldTable()
#: the characters (filled with the table) that fold to anything but exactly one character
_ODD: set[str] = set()
#: runs of non-ASCII characters: only those are translated (ASCII folds to itself), which is
#: much faster than ``str.translate`` over a whole mostly-ASCII text
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_run(m: re.Match) -> str:
    return m.group().translate(_TABLE)


def fold_cased(text: str) -> str:
    """``text`` transliterated to ASCII with the folding rules, case kept."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(_fold_run, text)


def fold(text: str) -> str:
    """Lowercase ASCII form of ``text``: accents removed, ``Đ`` -> ``dj``, Cyrillic transliterated.

    >>> fold("Aleksandar Vučić"), fold("Đurić"), fold("Лавров")
    ('aleksandar vucic', 'djuric', 'lavrov')
    """
    return fold_cased(text).lower()


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """``(folded_cased, offsets)``: ``offsets[i]`` is the index in ``text`` that produced folded
    character ``i`` (one extra entry at the end for ``len(text)``); None when the folding kept
    every offset (same length, one character for one)."""
    if text.isascii():
        return text, None
    out: list[str] = []
    odd: list[tuple[int, int]] = []     # spans of the runs holding an "odd" character
    pos = 0
    for m in _NON_ASCII.finditer(text):
        s, e = m.span()
        out.append(text[pos:s])
        run = m.group()
        f = run.translate(_TABLE)
        out.append(f)
        if len(f) != e - s or not _ODD.isdisjoint(run):
            odd.append((s, e))
        pos = e
    out.append(text[pos:])
    folded = "".join(out)
    if not odd:
        return folded, None
    offsets: list[int] = []
    prev = 0
    for s, e in odd:
        offsets.extend(range(prev, s))
        for i in range(s, e):
            offsets.extend([i] * len(_TABLE[ord(text[i])]))
        prev = e
    offsets.extend(range(prev, len(text)))
    offsets.append(len(text))
    return folded, offsets


_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_VARIANTS = (("shch", "sc"), ("kh", "h"), ("zh", "z"), ("ch", "c"), ("sh", "s"), ("y", "i"))
_DOUBLE_I = re.compile(r"i{2,}")

_cache: dict[str, str] = {}


def term_key(word: str) -> str:
    """The search key of one word (see the module docstring); "" when nothing is left.

    Memoised: a corpus has a small vocabulary, so each distinct word is folded once.
    """
    key = _cache.get(word)
    if key is not None:
        return key
    s = _NON_ALNUM.sub("", fold(word))
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
