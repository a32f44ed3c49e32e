"""Topics from the taxonomy: distinct trigger phrases (keywords, patterns) per topic, a title or
hashtag hit counting double, ``min_hits`` per topic, ``exclude`` phrases cancelling a hit that
overlaps them, parents implied by children."""
from __future__ import annotations

import functools
import re

from readsearch.extract.dates import _folded_pos
from readsearch.extract.fold import fold
from readsearch.extract.matcher import Match
from readsearch.extract.text import Doc


@functools.lru_cache(maxsize=8)
def _compiled(res) -> tuple:
    patterns = []
    excludes = {}
    for t in res.data["topics"]:
        for p in t.get("patterns") or []:
            try:
                patterns.append((t["id"], re.compile(p), p, _required_literal(p)))
            except re.error:
                continue
        if t.get("exclude"):
            excludes[t["id"]] = [fold(x) for x in t["exclude"]]
    return patterns, excludes


def _required_literal(pattern: str) -> str:
    """The longest run of literal characters every match of ``pattern`` contains ("" when none is
    sure: case-insensitive patterns, or no top-level literal), to skip texts without it."""
    try:
        try:
            from re import _parser as sre_parse      # Python >= 3.11
        except ImportError:                          # pragma: no cover
            import sre_parse                         # type: ignore
        parsed = sre_parse.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return ""
        best, run = "", []
        for op, av in list(parsed) + [(None, None)]:
            if op is sre_parse.LITERAL:
                run.append(chr(av))
                continue
            if len(run) > len(best):
                best = "".join(run)
            run = []
        return best if len(best) >= 3 else ""
    except Exception:       # an internal API: never let it break extraction
        return ""


def _text_order(hit: tuple) -> int:
    """Sort key of a topic's hits: the first in the text, those from hashtags (-1) last."""
    return hit[0] if hit[0] >= 0 else 1 << 30


def find_topics(doc: Doc, matches: list[Match], res, extra_text: str = "") -> list[tuple]:
    """``[(topic_id, start, end, rule)]`` for the assigned topics (parents with rule 'parent')."""
    patterns, excludes = _compiled(res)
    t_end = _folded_pos(doc, doc.title_end)
    hits: dict[str, dict[str, tuple]] = {}
    weight: dict[str, int] = {}
    for m in matches:
        entry = m.entry
        tid = entry.value
        ex = excludes.get(tid)
        if ex and any(_overlaps(doc.low, m.start, m.end, x) for x in ex):
            continue
        kw = m.key
        found = hits.get(tid)
        if found is None:
            found = hits[tid] = {}
        elif kw in found:
            continue
        s, e = doc.span(m.start, m.end)
        found[kw] = (s, e, entry.evidence_rule)
        weight[tid] = weight.get(tid, 0) + (2 if m.start < t_end else 1)
    for tid, rx, p, literal in patterns:
        if literal and literal not in doc.text:
            continue   # the pattern cannot match: no need to scan the text with it
        m = rx.search(doc.text)
        if m and p not in hits.setdefault(tid, {}):
            hits[tid][p] = (m.start(), m.end(), f"taxonomy:{tid}:pattern {p}")
            weight[tid] = weight.get(tid, 0) + 1
    if extra_text:
        m_extra = res.matcher("en").find(fold(extra_text), extra_text)
        for m in m_extra:
            if m.entry.field == "topics" and m.key not in hits.setdefault(m.entry.value, {}):
                hits[m.entry.value][m.key] = (-1, -1, f"taxonomy:{m.entry.value}:hashtag {m.key}")
                weight[m.entry.value] = weight.get(m.entry.value, 0) + 2
    out = []
    assigned = set()
    for tid, w in weight.items():
        t = res.topics.get(tid)
        if t is None:
            continue
        if w >= int(t.get("min_hits") or 1):
            found = hits[tid]
            if len(found) == 1:
                (s, e, rule), = found.values()
            else:
                s, e, rule = min(found.values(), key=_text_order)
            out.append((tid, s, e, rule))
            assigned.add(tid)
    for tid, s, e, rule in list(out):
        parent = res.topic_parent.get(tid)
        while parent and parent not in assigned:
            assigned.add(parent)
            out.append((parent, -1, -1, f"parent of {tid}"))
            parent = res.topic_parent.get(parent)
    return out


def _overlaps(low: str, s: int, e: int, phrase: str) -> bool:
    start = max(0, s - len(phrase))
    i = low.find(phrase, start, e + len(phrase))
    return i != -1 and i < e and i + len(phrase) > s
