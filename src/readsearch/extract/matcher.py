"""Multi-pattern matching of gazetteer phrases with pyahocorasick.

Phrases are folded (``fold``) and matched on the folded text of a readout on word boundaries; the
case-sensitive ones (acronyms such as ``US``, ``WHO``) are matched on the folded text with case
kept. Overlapping candidates within a group are resolved leftmost-longest, so "South Sudan" wins
over "Sudan" and "Organization of American States" over "American". A prefix key (a name's stem,
in a language with case endings) matches a word that begins with it when the rest of the word is
one of the key's endings (``ross`` + ``iey``, Россией; see ``inflection``).
"""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from itertools import compress, islice
from operator import attrgetter, itemgetter, le

import ahocorasick


@dataclass(frozen=True)
class Entry:
    """What one phrase stands for: ``field`` (countries, persons, organizations, topics, block),
    ``value`` (stable id), ``rule`` (how the phrase got into the gazetteer: ``name``, ``demonym``,
    ``capital``, ``alias`` ...), ``group`` (phrases overlap-resolved together); ``evidence_rule``
    (derived): the rule of the evidence of a value it gives, ``gazetteer:{field}:{rule}``
    (``taxonomy:{value}:{rule}`` for a topic)."""

    field: str
    value: str
    rule: str
    group: str = "ent"
    inflect: bool = False
    evidence_rule: str = dc_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # made once per entry, not once per match
        object.__setattr__(self, "evidence_rule", f"taxonomy:{self.value}:{self.rule}"
                           if self.field == "topics" else f"gazetteer:{self.field}:{self.rule}")


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


#: letters by their usual frequency in English text (space first)
_FREQUENT = {c: i for i, c in enumerate(" etaoinsrhldcumfpgwybvkxjqz0123456789")}


def _by_letter_frequency(key: str) -> list[int]:
    return [_FREQUENT.get(c, 99) for c in key]


class Matcher:
    """Aho-Corasick automata over phrase -> [Entry]: case-folded phrases matched on the lower-case
    text, case-sensitive ones (acronyms) on the text with case kept.

    For the usual text (ASCII, the lower-case text its lower case) one automaton does both: the
    case-sensitive phrases are in it lower-cased, and a hit of one counts when the text with case
    kept holds the phrase as written at that place (about one extra hit per readout, "as" for
    "AS"), which saves a second pass over the text."""

    def __init__(self) -> None:
        self._ci: dict[str, list[Entry]] = {}
        self._cs: dict[str, list[Entry]] = {}
        # prefix key -> entry -> the endings of that entry's name (names may share a stem:
        # Нигер and Нигерия both give "niger", followed by "ii" only in a form of Нигерия)
        self._ends: dict[str, dict[Entry, frozenset[str]]] = {}
        self._a_ci = self._a_cs = self._a_all = None

    def add(self, key: str, entry: Entry, case_sensitive: bool = False,
            prefix: bool = False, endings: frozenset[str] = frozenset()) -> None:
        """``key`` (folded) stands for ``entry``; ``prefix``: the key stands for ``entry`` when
        it is followed, instead of a word boundary, by one of ``endings`` (the folded
        inflections of the name it is the stem of, ``inflection.inflections``) and then a word
        boundary. A prefix key without endings is not added (it could match nothing)."""
        table = self._cs if case_sensitive else self._ci
        core = key.translate(_SPACES).strip()
        if not core or prefix and not endings:
            return
        key = " " + core + ("" if prefix else " ")
        if prefix:
            by_entry = self._ends.setdefault(key, {})
            by_entry[entry] = by_entry.get(entry, frozenset()) | endings
        lst = table.setdefault(key, [])
        if entry not in lst:
            lst.append(entry)

    def build(self) -> "Matcher":
        # what ``find`` needs per hit, computed once: the key's length - 1, its entries' endings
        # (None: the key ends on a word boundary, not a prefix key), the phrase, the entries
        ends = self._ends.get
        for table, attr in ((self._ci, "_a_ci"), (self._cs, "_a_cs")):
            a = ahocorasick.Automaton()
            for k, v in table.items():
                a.add_word(k, (len(k) - 1, ends(k), k.strip(), tuple(v)))
            if len(a):
                a.make_automaton()
                setattr(self, attr, a)
        # both in one: lower-case key -> (..., entries of the case-folded key, case-sensitive
        # variants: (key as written, phrase, entries))
        # (and, for ``find_groups``, the entries of groups "ent" and "topic" apart)
        def by_group(v: list[Entry]) -> tuple[tuple, tuple]:
            return (tuple(e for e in v if e.group == "ent"),
                    tuple(e for e in v if e.group == "topic"))

        merged: dict[str, list] = {k: [len(k) - 1, ends(k), k.strip(), tuple(v), (),
                                       *by_group(v), ()] for k, v in self._ci.items()}
        for k, v in self._cs.items():
            item = merged.setdefault(k.lower(), [len(k) - 1, None, k.lower().strip(), (), (),
                                                 (), (), ()])
            item[4] += ((k, k.strip(), tuple(v)),)
            item[7] += ((k, k.strip(), *by_group(v)),)
        # the usual key, a whole word or phrase with one entry and no case-sensitive variant,
        # gets that entry as the last two items (of group "ent", of group "topic"; else None)
        # so that ``find_groups`` takes its hit in one step
        for item in merged.values():
            _, key_ends, _, entries, _, ents, topics, variants = item
            one = (entries[0] if key_ends is None and len(entries) == 1 and not variants
                   else None)
            item += [one if ents else None, one if topics else None]
        a = ahocorasick.Automaton()
        # a node's children are searched one by one in the order they were added: keys made of
        # the most frequent letters are added first, so that their letters are found first
        for k in sorted(merged, key=_by_letter_frequency):
            a.add_word(k, tuple(merged[k]))
        if len(a):
            a.make_automaton()
            self._a_all = a
        return self

    def find(self, low: str, cased: str, inflecting: bool = False) -> list[Match]:
        """Matches in a folded text (``low``: lower case, ``cased``: case kept), folded offsets:
        those of the case-folded phrases, then those of the case-sensitive ones."""
        if self._a_all is None or not cased.isascii() or low != cased.lower():
            return self._find_apart(low, cased, inflecting)
        out: list[Match] = []
        kept: list[Match] = []          # case-sensitive phrases
        sp = spaced(low)
        sp_cased = spaced(cased) if self._cs else ""
        for end, (klen, key_ends, phrase, entries, variants, _, _, _, _, _) in (
                self._a_all.iter(sp)):
            start = end - klen
            if entries:
                out += _matches(entries, key_ends, low, start, end, inflecting, phrase)
            for key, written, cs_entries in variants:
                if sp_cased.startswith(key, start, end + 1):
                    for e in cs_entries:
                        kept.append(Match(start, end - 1, e, written))
        out += kept
        return out

    def find_groups(self, low: str, cased: str, inflecting: bool = False
                    ) -> tuple[list[Match], list[Match]]:
        """``find`` split by group: the matches of group "ent", those of group "topic" (each in
        the order ``find`` gives them), without a pass over the matches to split them."""
        if self._a_all is None or not cased.isascii() or low != cased.lower():
            found = self._find_apart(low, cased, inflecting)
            return ([m for m in found if m.entry.group == "ent"],
                    [m for m in found if m.entry.group == "topic"])
        ent: list[Match] = []
        topic: list[Match] = []
        ent_cs: list[Match] = []        # case-sensitive phrases (after the others, as in find)
        topic_cs: list[Match] = []
        sp = spaced(low)
        sp_cased = spaced(cased) if self._cs else ""
        for end, item in self._a_all.iter(sp):
            one = item[8]
            if one is not None:
                ent.append(Match(end - item[0], end - 1, one, item[2]))
                continue
            one = item[9]
            if one is not None:
                topic.append(Match(end - item[0], end - 1, one, item[2]))
                continue
            klen, key_ends, phrase, _, _, ents, topics, variants, _, _ = item
            start = end - klen
            if ents:
                ent += _matches(ents, key_ends, low, start, end, inflecting, phrase)
            if topics:
                topic += _matches(topics, key_ends, low, start, end, inflecting, phrase)
            for key, written, cs_ents, cs_topics in variants:
                if sp_cased.startswith(key, start, end + 1):
                    for e in cs_ents:
                        ent_cs.append(Match(start, end - 1, e, written))
                    for e in cs_topics:
                        topic_cs.append(Match(start, end - 1, e, written))
        ent += ent_cs
        topic += topic_cs
        return ent, topic

    def _find_apart(self, low: str, cased: str, inflecting: bool) -> list[Match]:
        """``find`` with one automaton per text (for a pair of texts that do not line up)."""
        out: list[Match] = []
        for a, text in ((self._a_ci, low), (self._a_cs, cased)):
            if a is None:
                continue
            sp = spaced(text)
            for end, (klen, key_ends, phrase, entries) in a.iter(sp):
                # sp[i] is text[i - 1]; the key starts with a space
                start = end - klen               # in text coordinates (+1 space, -1 frame)
                out += _matches(entries, key_ends, text, start, end, inflecting, phrase)
        return out


def _matches(entries, key_ends, text: str, start: int, end: int, inflecting: bool, phrase: str) -> list[Match]:
    """The matches of a key's entries found at ``start``..``end`` of ``text`` (``end``: the
    automaton's end in the spaced text); a prefix key's (``key_ends`` not None) run to the end of
    its word and keep only the entries the rest of the word is a form of (:func:`_forms`)."""
    stop = end - 1
    if key_ends is not None:
        stop = _inflected_stop(text, end, inflecting)
        entries = _forms(entries, key_ends, text[end:stop])
    return [Match(start, stop, e, phrase) for e in entries]


def _inflected_stop(text: str, end: int, inflecting: bool) -> int:
    """Where a prefix key's match would end (``text`` index): at the end of the word it starts
    (``_forms`` says which entries the rest of the word is an ending of); right after the key,
    so no entry at all, when the language does not inflect."""
    if not inflecting:
        return end
    n = len(text)
    j = end                       # text index of the first char after the key
    while j < n and text[j].isalnum():
        j += 1
    return j


def _forms(entries: tuple[Entry, ...], key_ends: dict[Entry, frozenset[str]],
           rest: str) -> tuple[Entry, ...]:
    """The entries of a prefix key whose name takes ``rest`` (the word after the key) as an
    ending: ``ross`` + ``iey`` (Россией) is Russia; ``belg`` + ``rade`` (Белграде) is no form of
    Бельгия, ``niger`` + ``ii`` (Нигерии) one of Нигерия, not of Нигер. None for an empty
    ``rest``: the bare stem is no form of the name (nor anything in a language that does not
    inflect)."""
    if not rest:
        return ()
    return tuple(e for e in entries if rest in key_ends[e])


_START_END = attrgetter("start", "end")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def resolve_overlaps(matches: list[Match], one_group: bool = False) -> list[Match]:
    """Per group, keep leftmost-longest non-overlapping matches (all entries of a kept span),
    sorted by span. ``one_group``: the matches are all of one group (not grouped again).

    The spans are taken longest first, then leftmost, each unless it overlaps one taken before.
    Only spans that overlap decide anything for each other, so the choice is made within each
    run of chained overlapping spans (usually one span: kept at once)."""
    if not matches:
        return []
    if one_group:
        return _resolve(matches)
    by_group: dict[str, list[Match]] = {}
    for m in matches:
        by_group.setdefault(m.entry.group, []).append(m)
    kept: list[Match] = []
    for ms in by_group.values():
        kept.extend(_resolve(ms))
    if len(by_group) > 1:
        kept.sort(key=_START_END)
    return kept


def _resolve(ms: list[Match]) -> list[Match]:
    """``resolve_overlaps`` for the (non-empty) matches of one group."""
    ms = sorted(ms, key=_START_END)
    keys = list(map(_START_END, ms))
    spans = list(dict.fromkeys(keys))       # distinct, in order
    if all(map(le, map(_SECOND, spans), map(_FIRST, islice(spans, 1, None)))):
        return ms                   # no span overlaps the next one: none overlaps any
    ok: set | None = None           # the kept spans, None while every span is kept
    run = [spans[0]]
    reach = spans[0][1]
    for sp in spans[1:]:
        if sp[0] < reach:           # overlaps a span of the run (none starts later)
            run.append(sp)
            if sp[1] > reach:
                reach = sp[1]
            continue
        if len(run) > 1:
            ok = _choose(run, spans if ok is None else ok)
        run = [sp]
        reach = sp[1]
    if len(run) > 1:
        ok = _choose(run, spans if ok is None else ok)
    return ms if ok is None else list(compress(ms, map(ok.__contains__, keys)))


def _choose(run: list[tuple[int, int]], ok) -> set:
    """``ok`` (the kept spans; first call: all spans) without the spans of ``run`` (chained
    overlapping spans) that lose: longest first, then leftmost, each kept unless it overlaps one
    kept before."""
    ok = set(ok)
    if len(run) == 2:               # two overlapping spans: the longer one, else the first
        (s1, e1), (s2, e2) = run
        ok.discard(run[1] if e1 - s1 >= e2 - s2 else run[0])
        return ok
    taken: list[tuple[int, int]] = []
    for s, e in sorted(run, key=lambda x: (x[0] - x[1], x[0])):
        if any(s < te and ts < e for ts, te in taken):
            ok.discard((s, e))
        else:
            taken.append((s, e))
    return ok
