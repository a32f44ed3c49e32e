"""Hashtags (as written, without ``#``) and the words inside CamelCase hashtags
(``#RussiaSerbia`` -> "Russia", "Serbia"), which may name countries."""
from __future__ import annotations

import re

# "#" first and the lookbehind after it (``(?<![\w#&/])#`` checked as ``#(?<![\w#&/]#)``): the
# pattern then starts with a literal, which the regex engine finds with a fast substring search
_TAG = re.compile(r"#(?<![\w#&/]#)([^\W_][\w]*)")
_PART = re.compile(r"[A-Z][a-z\u00e0-\u024f]+|[A-Z]+(?![a-z])|[a-z]+|\d+")


def hashtags(text: str) -> list[tuple[str, int, int]]:
    """(tag, start, end) of every hashtag; purely numeric tags (#1) are not hashtags."""
    out = []
    if "#" not in text:
        return out
    for m in _TAG.finditer(text):
        tag = m.group(1)
        if tag.isdigit():
            continue
        out.append((tag, m.start(), m.end()))
    return out


def camel_parts(tag: str) -> list[str]:
    """``RussiaSerbia`` -> ``["Russia", "Serbia"]``; ``G20`` -> ``["G", "20"]``."""
    return _PART.findall(tag)


def country_parts(tag: str, resolve) -> list[tuple[str, str]]:
    """(code, phrase) for the runs of CamelCase parts naming a country, longest first."""
    parts = camel_parts(tag)
    out = []
    i = 0
    while i < len(parts):
        for k in range(min(4, len(parts) - i), 0, -1):
            phrase = " ".join(parts[i:i + k])
            code = resolve("country", phrase) if (len(phrase) > 2 or phrase.isupper()) else None
            if code:
                out.append((code, phrase))
                i += k
                break
        else:
            i += 1
    return out
