"""Countries: gazetteer phrases (names, official names, short forms, demonyms, capitals standing
for governments), flag emoji, with the rules that keep languages, venues, datelines, ethnic
compounds and given names ("Chad Wolf") out."""
from __future__ import annotations

import re

from readsearch.extract.fold import non_ascii
from readsearch.extract.matcher import Match
from readsearch.extract.names import TITLES
from readsearch.extract.text import Doc

_FLAG = re.compile("[\U0001F1E6-\U0001F1FF]{2}")
_VENUE_AFTER = re.compile(r"^(?:\s+|-)(?:summit|agreements?|format|process|conference|forum|"
                          r"declaration|protocol|accords?|communique|airport|region|oblast|"
                          r"metro|city|talks on|negotiations on|platform|group)\b")
_LANGUAGE_AFTER = re.compile(r"^(?:\s*[.,;:)\n]|\s*$|\s+(?:language|and (?:english|russian|"
                             r"french|german|spanish|chinese|arabic)\b))")
_CAP_WORD = re.compile(r"^\s([A-Z][a-z]+)\b")


def flags(doc: Doc) -> list[tuple[str, int, int, str]]:
    """(code, start, end, rule) for every flag emoji: regional-indicator pairs read left to right."""
    out = []
    text = doc.text
    # a regional indicator is U+1F1E6..U+1F1FF: the readout's distinct non-ASCII characters
    # (``Doc.others``) rule most texts out without scanning them with the pattern
    others = doc.others if doc.others is not None else non_ascii(text)
    if text.isascii() or not any("\U0001F1E6" <= c <= "\U0001F1FF" for c in others):
        return out
    for m in _FLAG.finditer(text):
        code = "".join(chr(ord(c) - 0x1F1E6 + 65) for c in m.group())
        out.append((code, m.start(), m.end(), f"flag emoji {m.group()}"))
    return out


#: a word before a capital that makes it a venue ("in Moscow"), before a demonym that makes it a
#: language ("in Russian"); :func:`_word_before` looks for them
_VENUE_WORDS = ("in", "at", "to", "from", "near", "via", "visit", "visited", "visiting", "visits",
                "hosted", "held", "arrived", "arrive", "travel", "travelled", "traveled", "trip",
                "outside", "between", "venue", "city of", "capital")
_IN_WORDS = ("in", "into", "from", "speak", "speaks", "spoke", "speaking", "translated")
#: rule -> its first word (``demonym``, ``capital``, ``name`` ...)
_KINDS: dict[str, str] = {}


def _word_before(before: str, words: tuple[str, ...]) -> bool:
    """Whether ``before`` ends with white space after one of ``words`` that starts a word
    (a word boundary, one of the words, white space to the end), with string methods."""
    head = before.rstrip()
    if len(head) == len(before) or not head.endswith(words):
        return False
    for w in words:
        if head.endswith(w):
            i = len(head) - len(w)
            if not i or not (head[i - 1].isalnum() or head[i - 1] == "_"):
                return True
    return False


def accept(doc: Doc, m: Match, prev: Match | None, given_names: set[str]) -> bool:
    """Whether a gazetteer match of a country phrase really names the country here."""
    cased = doc.cased
    s, e = m.start, m.end
    rule = m.entry.rule
    if cased[s].islower() and not rule.startswith("name:"):
        return False
    kind = _KINDS.get(rule)
    if kind is None:
        kind = _KINDS[rule] = rule.split(" ", 1)[0]
    if kind == "demonym":
        low = doc.low
        if _word_before(low[max(0, s - 24):s], _IN_WORDS) and _LANGUAGE_AFTER.match(low[e:e + 30]):
            return False  # "in Russian": a language
        if prev is not None and prev.entry.field == "countries" and prev.end == s - 1 \
                and low[prev.end] == " " and prev.entry.rule.startswith("name"):
            return False  # "Kosovo Albanian": an ethnic group
    elif kind == "capital":
        low = doc.low
        after = low[e:e + 30]
        if _word_before(low[max(0, s - 24):s], _VENUE_WORDS) or _VENUE_AFTER.match(after):
            return False
        line_start = low.rfind("\n", 0, s) + 1
        if not low[line_start:s].strip() and re.match(r"^\s*(?:,|-|\u2013|\u2014|\s\d)", after):
            return False  # dateline "MINSK, 21 August"
        if cased[s:e].isupper() and e - s > 3:
            return False
    elif kind == "name" and m.entry.value in given_names:
        nxt = _CAP_WORD.match(cased[e:e + 30])
        if nxt and nxt.group(1).lower() not in TITLES and nxt.group(1) not in _NOT_SURNAME:
            return False  # "Chad Wolf", "Israel Katz"
    return True


_NOT_SURNAME = {"The", "And", "On", "In", "President", "Prime", "Minister", "Foreign", "King",
                "Government", "Valley", "River", "Sea", "Republic", "Kingdom", "State", "Ministry"}
