"""Countries: gazetteer phrases (names, official names, short forms, demonyms, capitals standing
for governments), flag emoji, with the rules that keep languages, venues, datelines, ethnic
compounds and given names ("Chad Wolf") out."""
from __future__ import annotations

import re

from readsearch.extract.matcher import Match
from readsearch.extract.names import TITLES
from readsearch.extract.text import Doc

_FLAG = re.compile("[\U0001F1E6-\U0001F1FF]{2}")
_VENUE_BEFORE = re.compile(r"(?:\b(?:in|at|to|from|near|via|visit|visited|visiting|visits|"
                           r"hosted|held|arrived|arrive|travel|travelled|traveled|trip|outside|"
                           r"between|venue|city of|capital)\s+)$")
_VENUE_AFTER = re.compile(r"^(?:\s+|-)(?:summit|agreements?|format|process|conference|forum|"
                          r"declaration|protocol|accords?|communique|airport|region|oblast|"
                          r"metro|city|talks on|negotiations on|platform|group)\b")
_LANGUAGE_AFTER = re.compile(r"^(?:\s*[.,;:)\n]|\s*$|\s+(?:language|and (?:english|russian|"
                             r"french|german|spanish|chinese|arabic)\b))")
_IN_BEFORE = re.compile(r"\b(?:in|into|from|speaks?|spoke|speaking|translated)\s+$")
_CAP_WORD = re.compile(r"^\s([A-Z][a-z]+)\b")


def flags(doc: Doc) -> list[tuple[str, int, int, str]]:
    """(code, start, end, rule) for every flag emoji: regional-indicator pairs read left to right."""
    out = []
    text = doc.text
    # a regional indicator is U+1F1E6..U+1F1FF, F0 9F 87 A6..BF in UTF-8: a byte search rules most
    # texts out much faster than scanning them with the pattern
    if text.isascii() or b"\xf0\x9f\x87" not in text.encode("utf-8", "surrogatepass"):
        return out
    for m in _FLAG.finditer(text):
        code = "".join(chr(ord(c) - 0x1F1E6 + 65) for c in m.group())
        out.append((code, m.start(), m.end(), f"flag emoji {m.group()}"))
    return out


def accept(doc: Doc, m: Match, prev: Match | None, given_names: set[str]) -> bool:
    """Whether a gazetteer match of a country phrase really names the country here."""
    low, cased = doc.low, doc.cased
    s, e = m.start, m.end
    first = cased[s]
    if first.islower() and not m.entry.rule.startswith("name:"):
        return False
    kind = m.entry.rule.split(" ", 1)[0]
    before = low[max(0, s - 24):s]
    after = low[e:e + 30]
    if kind == "demonym":
        if _IN_BEFORE.search(before) and _LANGUAGE_AFTER.match(after):
            return False  # "in Russian": a language
        if prev is not None and prev.entry.field == "countries" and prev.end == s - 1 \
                and low[prev.end] == " " and prev.entry.rule.startswith("name"):
            return False  # "Kosovo Albanian": an ethnic group
    elif kind == "capital":
        if _VENUE_BEFORE.search(before) or _VENUE_AFTER.match(after):
            return False
        line_start = low.rfind("\n", 0, s) + 1
        if not low[line_start:s].strip() and re.match(r"^\s*(?:,|-|\u2013|\u2014|\s\d)", after):
            return False  # dateline "MINSK, 21 August"
        if cased[s:e].isupper() and e - s > 3:
            return False
    if m.entry.value in given_names and kind == "name":
        nxt = _CAP_WORD.match(cased[e:e + 30])
        if nxt and nxt.group(1).lower() not in TITLES and nxt.group(1) not in _NOT_SURNAME:
            return False  # "Chad Wolf", "Israel Katz"
    return True


_NOT_SURNAME = {"The", "And", "On", "In", "President", "Prime", "Minister", "Foreign", "King",
                "Government", "Valley", "River", "Sea", "Republic", "Kingdom", "State", "Ministry"}
