"""The event date: the day the text says the call or meeting took place ("On December 23",
"23 December 2023", "12.03.2024" (day first), "yesterday", "on Wednesday"), a missing year taken
from the publication date (the most recent such day not after it) or a date in the path, else the
publication date; never an invented year.

Fast patterns over the folded text; no general date library in the hot path."""
from __future__ import annotations

import datetime as dt
import re

from readsearch.extract.text import Doc, words_pattern

_MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # Russian (genitive, folded by anyascii)
    "yanvarya": 1, "fevralya": 2, "marta": 3, "aprelya": 4, "maya": 5, "iyunya": 6, "iyulya": 7,
    "avgusta": 8, "sentyabrya": 9, "oktyabrya": 10, "noyabrya": 11, "dekabrya": 12,
    # Swedish / German / French (folded)
    "januari": 1, "februari": 2, "mars": 3, "maj": 5, "juni": 6, "juli": 7, "augusti": 8,
    "oktober": 10, "januar": 1, "februar": 2, "marz": 3, "mai": 5, "dezember": 12,
    "janvier": 1, "fevrier": 2, "avril": 4, "juin": 6, "juillet": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "decembre": 12,
    # Azerbaijani (folded; case suffixes allowed by the pattern)
    "yanvar": 1, "fevral": 2, "mart": 3, "aprel": 4, "iyun": 6, "iyul": 7, "avqust": 8,
    "sentyabr": 9, "oktyabr": 10, "noyabr": 11, "dekabr": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6, "mandag": 0, "tisdag": 1, "onsdag": 2, "torsdag": 3,
             "fredag": 4, "lordag": 5, "sondag": 6}
#: words for the publication day or the day before it
_RELATIVE = ("yesterday", "today", "tonight", "this morning", "this afternoon", "this evening",
             "earlier today", "igar", "idag", "vchera", "segodnya", "gestern", "heute")
#: a part of every word of ``_RELATIVE`` but those holding "day" or "dag" (every weekday of
#: ``_WEEKDAYS`` holds one of these two)
_RELATIVE_CORES = ("tonight", "this ", "igar", "vchera", "segodnya", "gestern", "heute")
_M = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?:[a-z]{0,3})?\.?"
_D = r"(\d{1,2})(?:st|nd|rd|th|-?(?:e|a|го|ci|cu))?"
_Y = r"(\d{4})"
# The patterns below are written so that the regex engine can skip to candidate characters: a
# pattern that starts with ``\b`` is tried at every position, one that starts with a character
# set (a digit, a month's first letter) is only tried where that character is. The word boundary
# is then checked right after the first character: ``\b(\d{1,2})`` is written
# ``(\d(?<!\w\d)\d?)`` and ``\b(january|...)`` is ``([fj...](?<!\w.)(?:(?<=j)anuary|...))``.
_D1 = r"(\d(?<!\w\d)\d?)" + _D[len(r"(\d{1,2})"):]          # \b{_D}
_M_NAMES = sorted(_MONTHS, key=len, reverse=True)
_M1 = ("([" + "".join(sorted({m[0] for m in _M_NAMES})) + r"](?<!\w.)(?:"
       + "|".join(f"(?<={m[0]}){m[1:]}" for m in _M_NAMES) + r"))(?:[a-z]{0,3})?\.?")   # \b{_M}
_PATTERNS = [
    ("dmy", re.compile(rf"{_D1}\s+(?:of\s+)?{_M},?\s+{_Y}\b")),
    ("mdy", re.compile(rf"{_M1}\s+{_D},?\s+{_Y}\b")),
    ("num", re.compile(r"(\d(?<!\w\d)\d?)[./](\d{1,2})[./](\d{4})\b")),
    ("iso", re.compile(r"(\d(?<!\w\d)\d{3})-(\d{2})-(\d{2})\b")),
    ("dm", re.compile(rf"{_D1}\s+(?:of\s+)?{_M}(?![a-z])")),
    ("md", re.compile(rf"{_M1}\s+{_D}\b(?!\s*(?:%|percent|per cent|million|billion))")),
    # \b(yesterday|today|...)\b and \b(?:on|last|this|pa|i)\s+(monday|...)\b, written the same way
    ("rel", words_pattern("|".join(_RELATIVE), group=True)),
    ("wd", re.compile(r"[olpti](?<!\w.)(?:(?<=o)n|(?<=l)ast|(?<=t)his|(?<=p)a|(?<=i))\s+("
                      + "|".join(_WEEKDAYS) + r")\b")),
]
#: where the patterns starting with a number can start: a digit that begins a word
_DIGIT_START = re.compile(r"\d(?<!\w\d)")
_DIGIT_AFTER_SPACE = re.compile(r"\d(?<=\s\d)")
_DIGIT_KINDS = frozenset({"dmy", "num", "iso", "dm"})
_NOT_DIGITS = bytes(c for c in range(256) if not 48 <= c <= 57)


def _month_starts(low: str, s0: int, e0: int, digits: list[int] | None = None) -> list[int]:
    """Where in ``low[s0:e0]`` the "md" and "mdy" patterns can start (a superset, increasing): the
    start of the letters before whitespace (and a dot) before a digit, when those letters are a
    month word with up to three more letters. A month-first pattern is slow to run over a text
    (it is tried at every letter of a month's first ones); it is tried at these places only.
    ``digits``: the ``_DIGIT_START`` positions of the scope when known (they hold every digit
    that follows whitespace)."""
    out = []
    if digits is None:
        digits = [m.start() for m in _DIGIT_AFTER_SPACE.finditer(low, s0, e0)]
    for d in digits:
        if not d or not low[d - 1].isspace():
            continue
        j = d - 1
        while j >= s0 and low[j].isspace():
            j -= 1
        if j >= s0 and low[j] == ".":
            j -= 1
        k = j
        while k >= s0 and "a" <= low[k] <= "z":
            k -= 1
        word = low[k + 1:j + 1]
        for n in range(max(1, len(word) - 3), len(word) + 1):
            if word[:n] in _MONTHS:
                out.append(k + 1)
                break
    return out


def _matches_at(rx: re.Pattern, low: str, starts: list[int], end: int):
    """``rx.finditer(low, pos, end)`` for a pattern whose every match there starts at one of
    ``starts`` (increasing): the pattern is only tried at those places."""
    pos = 0
    for p in starts:
        if p >= pos:
            m = rx.match(low, p, end)
            if m is not None:
                yield m
                pos = m.end()


#: the words that make the date after them not the event's (``_NOT_EVENT``)
_NOT_EVENT_WORDS = ("since", "until", "till", "by", "before", "after", "from", "through", "of",
                    "scheduled for", "planned for", "due on", "anniversary", "born")
_NOT_EVENT = re.compile(r"(?:" + "|".join(_NOT_EVENT_WORDS) + r")\s+(?:the\s+)?$")


#: parts of a day: "on the evening of 15 November" is the event's day, unlike other "of"s
_DAY_PARTS = ("morning", "afternoon", "evening", "night")


def _not_event(before: str) -> bool:
    """``_NOT_EVENT.search(before) is not None``, with string methods: ``before`` ends with
    whitespace after one of the words, or after one of them, whitespace and "the"; but a part
    of the day before "of" (:data:`_DAY_PARTS`) makes it the event's day."""
    head = before.rstrip()
    if len(head) == len(before):
        return False
    if head.endswith(_NOT_EVENT_WORDS):
        return not (head.endswith("of") and head[:-2].rstrip().endswith(_DAY_PARTS))
    if head.endswith("the"):
        rest = head[:-3]
        word = rest.rstrip()
        return len(word) < len(rest) and word.endswith(_NOT_EVENT_WORDS)
    return False


_PATH_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_/.]?(0[1-9]|1[0-2])[-_/.]?(0[1-9]|[12]\d|3[01])"
                        r"(?!\d)")


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _parse_iso(s: str | None) -> dt.date | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def _complete(month: int, day: int, ref: dt.date | None) -> dt.date | None:
    """The most recent ``month``/``day`` not after ``ref``; None without a reference."""
    if ref is None:
        return None
    for year in (ref.year, ref.year - 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        if d <= ref:
            return d
    return None


def reference_date(doc: Doc) -> tuple[dt.date | None, str]:
    """The date a year-less mention is completed from: publication date, else one in the path."""
    pub = _parse_iso(doc.readout.published)
    if pub:
        return pub, "published"
    for src in (doc.readout.id or "", doc.readout.path or ""):
        for m in _PATH_DATE.finditer(src):
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "path"
            except ValueError:
                continue
    return None, ""


def event_date(doc: Doc) -> tuple[str | None, int, int, str]:
    """``(iso_date, start, end, rule)`` of the event; start/end -1 when not from the text."""
    ref, ref_rule = reference_date(doc)
    low = doc.low
    # the title and the lead are where readouts state the event day
    fl_end = _folded_pos(doc, doc.lead_end)
    scopes = [(0, _folded_pos(doc, doc.title_end)), (_folded_pos(doc, doc.title_end), fl_end)]
    for s0, e0 in scopes:
        # the patterns with a number are tried only where they can start (a digit beginning a
        # word; a month word before a number); the word patterns start with a word boundary,
        # which the regex engine tries at every position: they only run on a scope holding one
        # of their words
        scope = low[s0:e0]
        if not scope.isascii() or scope.encode("ascii").translate(None, _NOT_DIGITS):
            digits = [m.start() for m in _DIGIT_START.finditer(low, s0, e0)]
            months = _month_starts(low, s0, e0, digits)
        else:                       # no digit (a byte check; the folded text is ASCII)
            digits = months = []
        weekday = "day" in scope or "dag" in scope
        relative = weekday or any(map(scope.__contains__, _RELATIVE_CORES))
        if not (digits or relative):
            continue                # no pattern can match in this scope (most titles)
        found_in_scope = []             # (match, kind): each pattern's first event match
        for kind, rx in _PATTERNS:
            if kind in _DIGIT_KINDS:
                if not digits:
                    continue
                found = _matches_at(rx, low, digits, e0)
            elif kind == "md" or kind == "mdy":
                if not months:
                    continue
                found = _matches_at(rx, low, months, e0)
            elif (relative if kind == "rel" else weekday):
                found = rx.finditer(low, s0, e0)
            else:
                continue
            for m in found:
                if _not_event(low[max(0, m.start() - 20):m.start()]):
                    continue
                found_in_scope.append((m, kind))
                break
        found_in_scope.sort(key=lambda mk: mk[0].start())
        for i, (m, kind) in enumerate(found_in_scope):
            if kind in ("rel", "wd") and i + 1 < len(found_in_scope) and \
                    not low[m.end():found_in_scope[i + 1][0].start()].strip(" ,"):
                continue  # "on Tuesday, March 1, 2022", "today, 1 March": the date names the day
            d, rule = _to_date(kind, m, ref, ref_rule)
            if d is None:
                if kind in ("dm", "md"):
                    return None, -1, -1, "day without a year and no publication date"
                continue  # a weekday or "today" with no publication date: the next mention
            if ref is not None and ref_rule == "published" and not -2 <= (ref - d).days <= 62:
                break  # a date far from publication is history or plans, not this event
            s, e = doc.span(m.start(), m.end())
            return d.isoformat(), s, e, rule
    if ref is not None and ref_rule == "published":
        return ref.isoformat(), -1, -1, "publication date"
    return None, -1, -1, "no date"


def _folded_pos(doc: Doc, pos: int) -> int:
    if doc.offsets is None:
        return pos
    # first folded index whose source offset is >= pos
    import bisect
    return bisect.bisect_left(doc.offsets, pos)


def _to_date(kind: str, m: re.Match, ref: dt.date | None, ref_rule: str):
    try:
        if kind == "dmy":
            return dt.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1))), "text date"
        if kind == "mdy":
            return dt.date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2))), "text date"
        if kind == "num":
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))), "text date d.m.y"
        if kind == "iso":
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "text date ISO"
        if kind == "dm":
            d = _complete(_MONTHS[m.group(2)], int(m.group(1)), ref)
            return d, f"text day, year from {ref_rule}"
        if kind == "md":
            d = _complete(_MONTHS[m.group(1)], int(m.group(2)), ref)
            return d, f"text day, year from {ref_rule}"
    except (ValueError, KeyError):
        return None, ""
    if ref is None or ref_rule != "published":
        return None, ""
    if kind == "rel":
        w = m.group(1)
        back = 1 if w in ("yesterday", "igar", "vchera", "gestern") else 0
        return ref - dt.timedelta(days=back), f"'{w}' relative to the publication date"
    if kind == "wd":
        wd = _WEEKDAYS[m.group(1)]
        back = (ref.weekday() - wd) % 7
        return ref - dt.timedelta(days=back), f"'{m.group(1)}' before the publication date"
    return None, ""
