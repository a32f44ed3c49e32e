"""Unicode folding shared by the gazetteer matcher and the resolver.

``fold(text)`` is the one rule every comparison of names uses: transliterate to ASCII with
anyascii (``Лавров`` -> ``lavrov``, ``Vučić`` -> ``vucic``), Serbo-Croatian ``Đ/đ`` -> ``dj``
(anyascii would give ``d``), curly quotes to straight ones, symbols and emoji to spaces, lower
case. ``fold_with_offsets`` also returns, for every character of the folded text, the offset of
the original character it came from, so matches found in folded text map back to spans of the
original.
"""
from __future__ import annotations

import re

_SPECIAL = {
    "Đ": "Dj", "đ": "dj",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"',
    "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " ",
    "\u202f": " ", "\u2009": " ", "#": "#", "@": "@", "\u0130": "I", "\u0131": "i",
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
