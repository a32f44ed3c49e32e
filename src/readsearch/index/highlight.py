"""Snippets: the best window of a readout's text around the query's matches, with offsets.

The text is analysed with the same analyzer as the index, so a match here is exactly a match
there (folded spellings, Cyrillic/Latin). A quoted phrase is highlighted as one span, and only
where its words stand together; single words anywhere.
"""
from __future__ import annotations

from itertools import accumulate, compress, repeat

from readsearch.index.analysis import text_analyzer

DEFAULT_WIDTH = 240
#: a long text is searched for matches this many characters at a time, and the snippet taken
#: from the first stretch that has any (the best window within it), so a hit's cost does not
#: grow with the length of a long speech; Solr's highlighter likewise analyses only the first
#: ``hl.maxAnalyzedChars`` (51,200) characters, but this goes on until a match is found
SCAN_CHARS = 20_000
#: consecutive stretches overlap by this many characters, so that a phrase across a cut is
#: still found whole
SCAN_OVERLAP = 400

#: chunk (text between spaces) -> its words' (key, start, end) within the chunk
_CHUNKS: dict[str, tuple[tuple[str, int, int], ...]] = {}
#: key -> chunks holding it; chunk -> its number of keys, for chunks holding other than one
_BY_KEY: dict[str, set[str]] = {}
_MULTI: dict[str, int] = {}
_MAX_CHUNKS = 400_000
_ANALYZER = None


def _chunk_tokens(chunk: str) -> tuple[tuple[str, int, int], ...]:
    """The words of one space-free chunk (analysed and remembered)."""
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = text_analyzer()
    toks = tuple((t.text, t.startchar, t.endchar) for t in _ANALYZER(chunk, positions=True, chars=True))
    if len(_CHUNKS) >= _MAX_CHUNKS:
        _CHUNKS.clear()
        _BY_KEY.clear()
        _MULTI.clear()
    _CHUNKS[chunk] = toks
    for k, _s, _e in toks:
        _BY_KEY.setdefault(k, set()).add(chunk)
    if len(toks) != 1:
        _MULTI[chunk] = len(toks)
    return toks


def match_spans(text: str, terms: set[str], phrases: list[list[str]]) -> list[tuple[int, int, int]]:
    """Character spans of the matches in ``text``.

    Args:
        text: the readout text.
        terms: analysed single-word keys to mark wherever they are not part of a phrase match.
        phrases: analysed key sequences to mark as whole phrases.

    Returns:
        sorted, non-overlapping ``(start, end, weight)`` triples; a phrase weighs its length.

    The words are those of :func:`readsearch.index.analysis.analyze` (same keys, same order: no
    word spans a space, and a word's keys depend on its space-free chunk alone), found without
    analysing the whole text: the text is split at spaces and measured at C speed, each distinct
    chunk is analysed once per process, and only the chunks holding a wanted key are looked at
    one by one.
    """
    wanted = set(terms).union(*phrases) if phrases else set(terms)
    chunks = text.split(" ")                      # one space apart: chunk j starts at acc[j] + j
    distinct = set(chunks)
    for c in distinct.difference(_CHUNKS):
        _chunk_tokens(c)
    holders: set[str] = set()
    for k in wanted:
        holders.update(_BY_KEY.get(k, ()))
    flagged = distinct & holders
    if not flagged:
        return []
    acc = list(accumulate(map(len, chunks), initial=0))
    # index of each chunk's first key among all keys (only phrases need it: adjacency)
    if phrases and not distinct.isdisjoint(_MULTI):
        first_key = list(accumulate(map(_MULTI.get, chunks, repeat(1)), initial=0))
    else:
        first_key = range(len(chunks) + 1)
    toks: list[tuple[int, str, int, int]] = []   # wanted keys: (key index, key, start, end)
    for j in compress(range(len(chunks)), map(flagged.__contains__, chunks)):
        base, i = acc[j] + j, first_key[j]
        for n, (k, s, e) in enumerate(_CHUNKS[chunks[j]]):
            if k in wanted:
                toks.append((i + n, k, base + s, base + e))
    spans: list[tuple[int, int, int]] = []
    covered: set[int] = set()
    for ph in sorted(phrases, key=len, reverse=True):
        n = len(ph)
        if not n:
            continue
        for a in range(len(toks) - n + 1):
            start = toks[a][0]
            if toks[a + n - 1][0] - start == n - 1 and [t[1] for t in toks[a:a + n]] == ph \
                    and not any(j in covered for j in range(start, start + n)):
                spans.append((toks[a][2], toks[a + n - 1][3], 2 * n))
                covered.update(range(start, start + n))
    for idx, key, s, e in toks:
        if key in terms and idx not in covered:
            spans.append((s, e, 1))
    spans.sort()
    return spans


def _first_spans(text: str, terms: set[str], phrases: list[list[str]]) -> list[tuple[int, int, int]]:
    """:func:`match_spans` of the first stretch of ``text`` (:data:`SCAN_CHARS` long, cut at a
    space) that has any match, offsets relative to ``text``; ``[]`` when none has."""
    start = 0
    while True:
        end = len(text) if len(text) - start <= SCAN_CHARS else text.rfind(" ", start + 1, start + SCAN_CHARS)
        if end <= start:   # no space to cut at: take a stretch of the full length
            end = min(len(text), start + SCAN_CHARS)
        spans = match_spans(text[start:end], terms, phrases)
        if spans or end >= len(text):
            return [(a + start, b + start, w) for a, b, w in spans] if start else spans
        nxt = text.find(" ", max(start + 1, end - SCAN_OVERLAP), end)
        start = nxt + 1 if nxt != -1 else end


def make_snippet(text: str, terms: set[str], phrases: list[list[str]],
                 width: int = DEFAULT_WIDTH) -> tuple[str, list[list[int]]]:
    """The excerpt of ``text`` (about ``width`` characters) with the most matches, among the
    first :data:`SCAN_CHARS` characters that have any (see :func:`_first_spans`).

    Returns:
        ``(snippet, highlights)``: plain text (``…`` marks a cut) and ``[start, end]`` offsets
        of each match within the snippet. Without matches: the start of the text, no highlights.
    """
    text = text or ""
    spans = _first_spans(text, terms, phrases) if (terms or phrases) else []
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
