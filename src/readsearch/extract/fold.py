"""The package's folding rules, as the extractors import them (see :mod:`readsearch.folding`),
and :func:`fold_text`, the same folding as ``fold_with_offsets`` with a fast path for the usual
readout: ASCII with a few typographic characters (curly quotes, dashes, no-break spaces)."""
from readsearch.folding import fold, fold_cased, fold_with_offsets

__all__ = ["fold", "fold_cased", "fold_with_offsets", "fold_text", "non_ascii"]

_ASCII = bytes(range(128))
#: character -> its folding (``fold_cased``), memoised: a regex substitution per call otherwise
_CHAR: dict[str, str] = {}
#: above this many distinct non-ASCII characters, one ``str.replace`` pass per character is no
#: longer cheaper than the run-by-run translation of ``fold_with_offsets``
_MAX_DISTINCT = 64


def non_ascii(text: str) -> set[str]:
    """The distinct non-ASCII characters of ``text``, read from its UTF-8 bytes with the ASCII
    ones deleted (C speed, no regex scan)."""
    if text.isascii():
        return set()
    return set(text.encode("utf-8", "surrogatepass").translate(None, _ASCII)
               .decode("utf-8", "surrogatepass"))


def fold_text(text: str, other: set[str] | None = None) -> tuple[str, list[int] | None]:
    """Exactly ``fold_with_offsets(text)``: ``(folded_cased, offsets)`` (``offsets`` None when
    every character folds to exactly one). ``other``: ``non_ascii(text)`` when known.

    Fast path: when each distinct non-ASCII character folds to exactly one character, the text
    is folded by one ``str.replace`` per distinct character, instead of a regex scan of the
    whole text for non-ASCII runs (the regex engine tests a character class at every position).
    """
    if text.isascii():
        return text, None
    if other is None:
        other = non_ascii(text)
    if len(other) > _MAX_DISTINCT:
        return fold_with_offsets(text)
    folded = text
    odd = []
    for ch in other:
        rep = _CHAR.get(ch)
        if rep is None:
            rep = _CHAR[ch] = fold_cased(ch)
        folded = folded.replace(ch, rep)
        if len(rep) != 1:
            odd.append((ch, len(rep)))
    if not odd:
        return folded, None
    # the offsets: identity but at the characters folding to zero or several characters
    marks = []
    for ch, n in odd:
        i = text.find(ch)
        while i >= 0:
            marks.append((i, n))
            i = text.find(ch, i + 1)
    marks.sort()
    offsets: list[int] = []
    prev = 0
    for i, n in marks:
        offsets.extend(range(prev, i))
        offsets.extend([i] * n)
        prev = i + 1
    offsets.extend(range(prev, len(text) + 1))
    return folded, offsets
