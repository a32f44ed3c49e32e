"""Readout text clean-ups every reader applies: repeated captures and derived titles."""
from __future__ import annotations

import re
import unicodedata

_URL = re.compile(r"https?://\S+")
_SPACES = re.compile(r"\s{2,}")
_MIN_REPEAT_CHARS = 60
_MAX_UNITS = 3000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u0400-\u04ff\"“#])")


def _positions(units: list[str]) -> dict[str, list[int]]:
    """Unit text -> its positions in ``units``, ascending."""
    out: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        out.setdefault(u, []).append(i)
    return out


def collapse_repeats(text: str) -> str:
    """Remove a block of lines that a scraper captured twice in a row.

    A run of one or more non-empty lines (at least 60 characters together) immediately followed
    by the same run again keeps its first copy only; repeated until no such run is left. Text
    without such a repetition is returned unchanged (the usual case).

    Args:
        text: body text, paragraphs separated by newlines.

    Returns:
        the text with each doubled block kept once (paragraphs joined with a blank line when a
        block was removed).

    Only offsets where the first line recurs are tried, so a long text without repeated lines
    costs one pass (the naive search over every block length was quadratic).
    """
    units = [u.strip() for u in text.split("\n") if u.strip()]
    n = len(units)
    if n < 2 or n > _MAX_UNITS:
        return text
    changed = False
    positions = _positions(units)
    i = 0
    while i < len(units):
        removed = False
        # a block starting at i repeats at j only if units[j] == units[i]: try the longest first
        for j in reversed(positions[units[i]]):
            k = j - i
            if k <= 0:
                break
            if i + 2 * k > len(units):
                continue
            if units[i:i + k] == units[j:j + k] and sum(map(len, units[i:i + k])) >= _MIN_REPEAT_CHARS:
                del units[j:j + k]
                positions = _positions(units)
                changed = removed = True
                break
        if not removed:
            i += 1
    return "\n\n".join(units) if changed else text


_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cf", "Mn", "Me", "Co", "Zs"})


def _is_symbol(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in _SYMBOL_CATEGORIES


def _drop_leading_symbols(line: str) -> str:
    i = 0
    while i < len(line) and _is_symbol(line[i]):
        i += 1
    return line[i:] if i < len(line) else line


def strip_symbols(text: str) -> str:
    """``text`` without emoji, symbols and spaces at either end (``"MFA Russia 🇷🇺"`` ->
    ``"MFA Russia"``); a text made only of symbols comes back stripped of spaces."""
    s = _drop_leading_symbols(text)
    j = len(s)
    while j > 0 and _is_symbol(s[j - 1]):
        j -= 1
    return s[:j] if j else text.strip()


def derive_title(body: str, limit: int = 100) -> str:
    """A title for a readout that has none: its first sentence, cut at a word under ``limit``.

    Leading emoji and symbols (the flags a Telegram post opens with) and URLs are left out.

    Returns:
        the first sentence (str), with ``…`` when cut; empty for an empty body.
    """
    first = _URL.sub("", _drop_leading_symbols(body.strip().split("\n", 1)[0]))
    first = _SPACES.sub(" ", first).strip()
    if not first:
        return ""
    sentence = _SENTENCE_END.split(first, 1)[0].strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def looks_like_heading(line: str, next_line: str | None) -> bool:
    """True when ``line`` reads as a title: a Markdown heading, or a short line without final
    full stop followed by a blank line (the shape of a saved page's title)."""
    s = line.strip()
    if not s:
        return False
    if s.startswith("#") and s.lstrip("#").startswith(" "):
        return True
    if next_line is None or next_line.strip():
        return False
    return len(s) <= 200 and not s.endswith((".", ",", ";", ":")) and not s.startswith("#")
