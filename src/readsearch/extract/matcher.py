"""Multi-pattern matching of gazetteer phrases with pyahocorasick.

Phrases are folded (``fold``) and matched on the folded text of a readout on word boundaries; the
case-sensitive ones (acronyms such as ``US``, ``WHO``) are matched on the folded text with case
kept. Overlapping candidates within a group are resolved leftmost-longest, so "South Sudan" wins
over "Sudan" and "Organization of American States" over "American".
"""
from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

import ahocorasick


@dataclass(frozen=True)
class Entry:
    """What one phrase stands for: ``field`` (countries, persons, organizations, topics, block),
    ``value`` (stable id), ``rule`` (how the phrase got into the gazetteer: ``name``, ``demonym``,
    ``capital``, ``alias`` ...), ``group`` (phrases overlap-resolved together)."""

    field: str
    value: str
    rule: str
    group: str = "ent"
    inflect: bool = False


@dataclass(slots=True)
class Match:
    start: int      # folded-text offsets
    end: int
    entry: Entry
    key: str


def _is_word(c: str) -> bool:
    return c.isalnum()


# every ASCII character that is not a letter or digit becomes a space, so that keys and texts
# framed by spaces match on word boundaries only (lengths are kept: offsets stay valid)
_SPACES = {i: " " for i in range(128) if not chr(i).isalnum()}
#: the same as a byte table, for the (usual) ASCII text: ``bytes.translate`` is several times
#: faster than ``str.translate`` with a dict
_SPACES_BYTES = bytes(c if c < 128 and chr(c).isalnum() else 32 for c in range(256))


def spaced(text: str) -> str:
    if text.isascii():
        return " " + text.encode("ascii").translate(_SPACES_BYTES).decode("ascii") + " "
    return " " + text.translate(_SPACES) + " "


class Matcher:
    """Two Aho-Corasick automata (case-folded and case-kept) over phrase -> [Entry]."""

    def __init__(self) -> None:
        self._ci: dict[str, list[Entry]] = {}
        self._cs: dict[str, list[Entry]] = {}
        self._a_ci = self._a_cs = None

    def add(self, key: str, entry: Entry, case_sensitive: bool = False,
            prefix: bool = False) -> None:
        """``key`` (folded) stands for ``entry``; ``prefix``: the key may be followed by up to four
        letters (a case ending) instead of a word boundary."""
        table = self._cs if case_sensitive else self._ci
        core = key.translate(_SPACES).strip()
        if not core:
            return
        key = " " + core + ("" if prefix else " ")
        lst = table.setdefault(key, [])
        if entry not in lst:
            lst.append(entry)

    def build(self) -> "Matcher":
        for table, attr in ((self._ci, "_a_ci"), (self._cs, "_a_cs")):
            a = ahocorasick.Automaton()
            for k, v in table.items():
                # what ``find`` needs per hit, computed once: the key's length - 1, whether it
                # ends on a word boundary (not a prefix key), the phrase, the entries
                a.add_word(k, (len(k) - 1, k[-1] == " ", k.strip(), tuple(v)))
            if len(a):
                a.make_automaton()
                setattr(self, attr, a)
        return self

    def find(self, low: str, cased: str, inflecting: bool = False) -> list[Match]:
        """Matches in a folded text (``low``: lower case, ``cased``: case kept), folded offsets."""
        out: list[Match] = []
        n = len(low)
        for a, text in ((self._a_ci, low), (self._a_cs, cased)):
            if a is None:
                continue
            sp = spaced(text)
            for end, (klen, exact, phrase, entries) in a.iter(sp):
                # sp[i] is text[i - 1]; the key starts with a space
                start = end - klen               # in text coordinates (+1 space, -1 frame)
                if exact:
                    stop = end - 1
                else:
                    if not inflecting:
                        continue
                    j = end                       # text index of the first char after the key
                    while j < n and text[j].isalpha() and j - end < 4:
                        j += 1
                    if j < n and text[j].isalnum():
                        continue
                    stop = j
                for e in entries:
                    out.append(Match(start, stop, e, phrase))
        return out


_START_END = attrgetter("start", "end")


def resolve_overlaps(matches: list[Match]) -> list[Match]:
    """Per group, keep leftmost-longest non-overlapping matches (all entries of a kept span)."""
    if not matches:
        return []
    by_group: dict[str, list[Match]] = {}
    for m in matches:
        by_group.setdefault(m.entry.group, []).append(m)
    kept: list[Match] = []
    for ms in by_group.values():
        # longest first, then leftmost: (start - end, start) sorts them so without a key function
        spans = sorted({(m.start - m.end, m.start, m.end) for m in ms})
        taken = bytearray(max(e for _, _, e in spans) + 1)
        ok = set()
        for _, s, e in spans:
            if taken.find(1, s, e) == -1:
                taken[s:e] = b"\x01" * (e - s)
                ok.add((s, e))
        kept.extend(m for m in ms if (m.start, m.end) in ok)
    kept.sort(key=_START_END)
    return kept
