"""Readout text clean-ups every reader applies: repeated captures and derived titles."""
from __future__ import annotations

import re

_MIN_REPEAT_CHARS = 60
_MAX_UNITS = 3000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u0400-\u04ff\"“])")


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
    """
    units = [u.strip() for u in text.split("\n") if u.strip()]
    n = len(units)
    if n < 2 or n > _MAX_UNITS:
        return text
    changed = False
    i = 0
    while i < len(units):
        removed = False
        for k in range((len(units) - i) // 2, 0, -1):
            if units[i:i + k] == units[i + k:i + 2 * k] and sum(map(len, units[i:i + k])) >= _MIN_REPEAT_CHARS:
                del units[i + k:i + 2 * k]
                changed = removed = True
                break
        if not removed:
            i += 1
    return "\n\n".join(units) if changed else text


def derive_title(body: str, limit: int = 100) -> str:
    """A title for a readout that has none: its first sentence, cut at a word under ``limit``.

    Returns:
        the first sentence (str), with ``…`` when cut; empty for an empty body.
    """
    first = body.strip().split("\n", 1)[0].strip()
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
