"""Snippets: the best window of a readout's text around the query's matches, with offsets.

The text is analysed with the same analyzer as the index, so a match here is exactly a match
there (folded spellings, Cyrillic/Latin). A quoted phrase is highlighted as one span, and only
where its words stand together; single words anywhere.
"""
from __future__ import annotations

from readsearch.index.analysis import analyze

DEFAULT_WIDTH = 240


def match_spans(text: str, terms: set[str], phrases: list[list[str]]) -> list[tuple[int, int, int]]:
    """Character spans of the matches in ``text``.

    Args:
        text: the readout text.
        terms: analysed single-word keys to mark wherever they are not part of a phrase match.
        phrases: analysed key sequences to mark as whole phrases.

    Returns:
        sorted, non-overlapping ``(start, end, weight)`` triples; a phrase weighs its length.
    """
    toks = analyze(text)
    keys = [t[0] for t in toks]
    spans: list[tuple[int, int, int]] = []
    covered: set[int] = set()
    for ph in sorted(phrases, key=len, reverse=True):
        n = len(ph)
        if not n:
            continue
        for i in range(len(keys) - n + 1):
            if keys[i:i + n] == ph and not any(j in covered for j in range(i, i + n)):
                spans.append((toks[i][2], toks[i + n - 1][3], 2 * n))
                covered.update(range(i, i + n))
    for i, (key, _pos, s, e) in enumerate(toks):
        if i not in covered and key in terms:
            spans.append((s, e, 1))
    spans.sort()
    return spans


def make_snippet(text: str, terms: set[str], phrases: list[list[str]],
                 width: int = DEFAULT_WIDTH) -> tuple[str, list[list[int]]]:
    """The excerpt of ``text`` (about ``width`` characters) with the most matches.

    Returns:
        ``(snippet, highlights)``: plain text (``…`` marks a cut) and ``[start, end]`` offsets
        of each match within the snippet. Without matches: the start of the text, no highlights.
    """
    text = text or ""
    spans = match_spans(text, terms, phrases) if (terms or phrases) else []
    if len(text) <= width:
        start, end = 0, len(text)
    elif not spans:
        start, end = 0, width
    else:
        best, best_i, j, acc = -1, 0, 0, 0
        for i in range(len(spans)):
            while j < len(spans) and spans[j][1] - spans[i][0] <= width:
                acc += spans[j][2]
                j += 1
            if acc > best:
                best, best_i = acc, i
            acc -= spans[i][2]
        first = spans[best_i]
        lead = max(0, (width - (first[1] - first[0])) // 4)
        start = max(0, first[0] - lead)
        end = min(len(text), start + width)
        start = max(0, min(start, end - width))
    # move the cuts to word boundaries
    if start > 0:
        sp = text.rfind(" ", max(0, start - 20), start + 1)
        start = sp + 1 if sp != -1 else start
    if end < len(text):
        sp = text.rfind(" ", start, end)
        end = sp if sp > start + width // 2 else end
    piece = text[start:end]
    lead_ws = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    offset = start + lead_ws
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    snippet = prefix + piece.replace("\n", " ") + suffix
    highlights = [[s - offset + len(prefix), e - offset + len(prefix)] for s, e, _w in spans
                  if s >= offset and e <= offset + len(piece)]
    return snippet, highlights
