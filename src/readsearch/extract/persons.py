"""Persons: gazetteer aliases, people the gazetteer does not know found by title and honorific
patterns ("Foreign Minister X Y", "Wang Yi, Foreign Minister of China", "H.E. Mr X Y"), surname
mentions after a title ("President Putin") or after a full mention, and participants."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import compress, count
from operator import attrgetter, itemgetter

from readsearch.extract.fold import fold, non_ascii
from readsearch.extract.matcher import Match
from readsearch.extract.names import PARTICLES, TITLES, clean_person
from readsearch.extract.text import Doc

_TOKEN = re.compile(r"[^\W\d_][\w'\u2019.-]*")
_STOP = {
    # prepositions and words for processes and places that open capitalised runs
    # ("From Camp David, President Biden ...", "the Belgrade-Pristina Dialogue Miroslav Lajčák")
    "from", "into", "about", "over", "under", "between", "through", "dialogue", "process", "format",
    "camp", "initiative", "mission", "talks",
    "the", "on", "in", "at", "during", "both", "they", "he", "she", "it", "we", "this", "that",
    "these", "parties", "party", "sides", "side", "government", "ministry", "office", "council",
    "union", "republic", "federation", "kingdom", "embassy", "administration", "house",
    "department", "states", "nations", "organization", "organisation", "day", "year", "summit",
    "forum", "agreement", "treaty", "today", "yesterday", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "readout", "statement",
    "telephone", "conversation", "call", "meeting", "talks", "phone", "video", "press", "release",
    "white", "north", "south", "east", "west", "central", "new", "united", "european", "islamic",
    "democratic", "people's", "also", "however", "following", "after", "before", "during",
    "according", "while", "as", "and", "or", "but", "with", "for", "to", "of", "a", "an", "by",
    "his", "her", "their", "our", "its", "all", "leaders", "officials", "minister's", "group",
    "strategic", "partnership", "cooperation", "security", "defence", "defense", "affairs",
    "international", "global", "army", "forces", "air", "base", "commission", "committee",
    "program", "programme", "initiative", "platform", "format", "ukrainian", "russian",
    "american", "british", "chinese", "high-level", "bilateral", "joint", "mr", "ms", "covid-19",
    "coronavirus", "easter", "christmas", "christian", "muslim", "jewish", "catholic", "church",
    "god", "allah", "his", "academy", "university", "school", "institute", "foundation", "fund",
    "bank", "company", "corporation", "group", "media", "news", "tass", "ria", "twitter",
    "telegram", "facebook", "x", "instagram", "youtube", "street", "square", "palace", "hotel",
    "airport", "region", "territory", "oblast", "city", "province", "district", "county",
    "national", "peace", "crimea", "donbass", "donbas", "gaza", "sahel", "bureau", "cabinet",
    "guard", "war", "agency", "service", "staff", "corps", "command", "unit", "team", "parliament",
    "assembly", "congress", "senate", "court", "police", "navy", "force", "ministers", "sides",
}
_CONNECT = {"of", "the", "for", "and", "on"}
_HONORIFIC = {"mr", "mrs", "ms", "dr", "h.e", "sir", "dame", "madam", "mme", "excellency"}
_AFTER_SURNAME = re.compile(r"^(?:'s)?\s*(?:-\s*[A-Z][\w]+\s+)?(?:regime|administration|government|"
                            r"cabinet)\b", re.I)
_SPOKES = re.compile(r"(?:spokesperson|spokesman|spokeswoman|press secretary|spokesperson for the "
                     r"national security council|readout from|statement by)\s*$", re.I)


_NAME = r"((?:[A-Z][\w\u00c0-\u024f'\u2019]+(?:-[A-Z][\w\u00c0-\u024f]+)?)(?: (?:de |van |von |bin |al-|el-)?[A-Z][\w\u00c0-\u024f'\u2019]+(?:-[A-Z][\w\u00c0-\u024f]+)?){1,2})"
_WITH_NAME = re.compile(r"\b(?:[Cc]onversation|[Cc]all|[Tt]alks|[Mm]et|[Mm]eeting|[Ss]poke|"
                        r"[Ss]peaks|[Tt]alked|[Tt]alk) (?:online |by phone |by telephone )?with "
                        + _NAME + r"(?!\w)")
#: the interaction phrases of ``_WITH_NAME`` that come right before its "with " (verb, space,
#: optional manner); no two of them can end at the same place (no verb ends another one)
_VERB_PHRASES = tuple(f"{c}{v[1:]} {how}"
                      for v in ("conversation", "call", "talks", "met", "meeting", "spoke",
                                "speaks", "talked", "talk")
                      for c in (v[0].upper(), v[0])
                      for how in ("", "online ", "by phone ", "by telephone "))
#: the phrases by their three characters before the final space
_VERB_TAILS: dict[str, list[str]] = {}
for _p in _VERB_PHRASES:
    _VERB_TAILS.setdefault(_p[-4:-1], []).append(_p)


def _verb_before(text: str, lo: int, w: int) -> int:
    """Start of the interaction phrase ending at ``w`` and starting at or after ``lo`` on a word
    boundary, -1 when none (what ``_WITH_NAME`` requires before its "with ")."""
    if w < 4:
        return -1
    for p in _VERB_TAILS.get(text[w - 4:w - 1], ()):
        if text.endswith(p, lo, w):
            s = w - len(p)
            if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
                return -1
            return s
    return -1


def _with_name(text: str):
    """The matches of ``_WITH_NAME`` in ``text`` (same as ``_WITH_NAME.finditer(text)``), found
    from the literal "with " every match holds (at most 26 characters after its start), so the
    text is not scanned position by position."""
    pos = 0                       # a match starts here or later (the end of the previous one)
    w = text.find("with ")
    while w >= 0:
        v = _verb_before(text, max(pos, w - 27), w)
        m = _WITH_NAME.match(text, v) if v >= 0 else None
        if m is not None:
            yield m
            pos = m.end()
            w = text.find("with ", pos)
        else:
            w = text.find("with ", w + 1)


_CAP_RUN = re.compile(r"(?<![\w-])" + _NAME.replace("{1,2}", "{1,2}") + r"(?![\w-])")
_NAME_CASE_LANGS = {"sv", "fi", "fr", "es", "it", "pt", "pl", "hr", "sl", "cs", "sk"}


_APPOS_TITLE = re.compile(r", (?:the )?(?:[A-Z]\w+ )*(?:Minister|President|Secretary|Ambassador|"
                          r"Chancellor|Adviser|Advisor|Spokesperson|Chairman|Chairwoman|Speaker|"
                          r"Director|Commissioner)\b")
_APPOS_NAME = re.compile(r"((?:[A-Z][\w'\u2019-]+ ){1,3}[A-Z][\w'\u2019-]+)$")


@dataclass(slots=True)
class PersonHit:
    name: str
    start: int    # original-text offsets
    end: int
    rule: str
    known: bool


#: the tokens the rules walk over: initials, capitalised words (and words in other scripts), and the
#: lower-case connectors and particles ("of", "the", "bin", "von") that may sit inside a title or
#: a name; other lower-case words are not tokens
_LOWER_WORDS = ("of", "the", "for", "and", "on", "bin", "bint", "ibn", "al", "el", "von", "der",
                "den", "de", "van", "da", "dos", "das", "du", "la", "le", "di", "del", "ben", "abu")
_TOK = re.compile(r"\b(?:H\.E\.|[A-Z]\.(?:[A-Z]\.)*(?=\s)|(?![a-z0-9_])\w(?:[\w-]*\w)?"
                  r"(?:['\u2019](?!s\b)\w+)?|(?:" + "|".join(_LOWER_WORDS) + r")\b)")
#: a lower-case token of ``_TOK`` (its last branch) starting at a given place
_LOWER_AT = re.compile(r"(?:" + "|".join(_LOWER_WORDS) + r")\b")
#: exactly the tokens of ``_TOK`` that do not start with a lower-case ASCII letter, found in one
#: pass: the pattern starts with a character set (upper-case ASCII or non-ASCII), so the regex
#: engine skips straight to candidates, and the word boundary is checked after the first
#: character (``(?<!\w.)``) instead of at every position; the connectors between them are read
#: with ``_TOK`` only where a rule looks at them
#: (``[\w-]*\w`` of ``_TOK`` is written ``\w*+(?:-+\w++)*+``: the same longest run, without the
#: backtracking from its last hyphen; nothing after it can make the engine come back into it)
_CAP_TOK = re.compile(r"[A-Z\x80-\U0010ffff](?<=\w)(?<!\w.)(?:(?<=H)\.E\.|(?<=[A-Z])\.(?:[A-Z]\.)*"
                      r"(?=\s)|\w*+(?:-+\w++)*+(?:['\u2019](?!s\b)\w+)?)")
#: ``_CAP_TOK`` over a string of character classes, one byte per character of the text: ``A`` an
#: upper-case ASCII letter or a word character outside ASCII (where a token may start), ``s``
#: the letter s, ``a`` the other word characters, ``-``, ``'`` (also U+2019), ``.``, `` `` white
#: space, ``#`` anything else. The pattern starts with one literal byte, which the regex engine
#: finds by a fast byte search instead of testing a character set at every position. What the
#: classes cannot tell apart (``H.E.``; a word character outside ASCII before a dot, read as an
#: initial here) is left to ``_CAP_TOK`` itself (``_cap_tokens``).
_CAP_CLASS = re.compile(rb"A(?<![Aas]A)(?:\.(?:A\.)*(?= )|[Aas]*+(?:-+[Aas]++)*+"
                        rb"(?:'(?!s(?![Aas]))[Aas]+)?)")
_CLASS_BYTES = bytes(
    ord("A") if 65 <= c <= 90 else ord("s") if c == 115 else
    ord("a") if c < 128 and (chr(c).isalnum() or c == 95) else
    c if c in b"-'." else ord(" ") if c < 128 and chr(c).isspace() else ord("#")
    for c in range(256))
_SPAN = re.Match.span


def _may_start_initial(text: str, ch: str) -> bool:
    """Whether ``ch`` (a letter or digit outside ASCII) is followed by a dot somewhere in
    ``text`` where it may start a token (the character before it, if any, is no word character):
    only there do the character classes and ``_CAP_TOK`` read it differently (the classes take
    it for an initial). Inside a word it is read alike, as a word character."""
    i = text.find(ch + ".")
    while i >= 0:
        if not i or not (text[i - 1].isalnum() or text[i - 1] == "_"):
            return True
        i = text.find(ch + ".", i + 1)
    return False


def _cap_tokens(text: str, others: set[str] | None = None) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every match of ``_CAP_TOK`` in ``text``, found by
    ``_CAP_CLASS`` over the text's character classes when that gives the same. ``others``: the
    distinct non-ASCII characters of ``text`` when known."""
    if "H.E." not in text:
        classes = None
        if text.isascii():
            classes = text.encode("ascii").translate(_CLASS_BYTES)
        else:
            if others is None:
                others = non_ascii(text)
            # each distinct non-ASCII character is replaced by an ASCII one of its class (a
            # letter or digit: "A", U+2019: "'", white space: " ", anything else: "#"), one
            # replacement per distinct character (not per place: Cyrillic text has hundreds)
            ascii_text = text
            for ch in others:
                if ch.isalnum():
                    if ch + "." in text and _may_start_initial(text, ch):
                        break               # might be read as an initial: not the same
                    ascii_text = ascii_text.replace(ch, "A")
                else:
                    ascii_text = ascii_text.replace(ch, "'" if ch == "\u2019" else " "
                                                    if ch.isspace() else "#")
            else:
                classes = ascii_text.encode("ascii").translate(_CLASS_BYTES)
        if classes is not None:
            return [(text[s:e], s, e) for s, e in map(_SPAN, _CAP_CLASS.finditer(classes))]
    return [(m.group(), m.start(), m.end()) for m in _CAP_TOK.finditer(text)]


def _lower_after(text: str, pos: int, gaps: tuple[str, ...]) -> tuple | None:
    """The lower-case token of ``_TOK`` right after one of ``gaps`` (no two starting alike) at
    ``pos``, None when there is none: then the first token after ``pos`` is none of those."""
    for g in gaps:
        if text.startswith(g, pos):
            m = _LOWER_AT.match(text, pos + len(g))
            return (m.group(), m.start(), m.end()) if m is not None else None
    return None


#: gaps between two capitalised tokens that cannot hold a connector
_PLAIN_GAPS = {"", " ", ", ", ". ", "-", " - ", "'s ", "\u2019s ", "\n", "\n\n", ": ", "; ", " (",
               ") ", " \u2013 ", " \u2014 ", "\u00a0", " \"", "\" ", " \u201c", "\u201d "}
_TITLE_GAPS = {" ", "-", "'s ", "\u2019s ", ", ", ". "}
_TITLE_GAP_ORDER = tuple(sorted(_TITLE_GAPS))


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Every token of ``text`` as ``(token, start, end)`` (the reference the rules are defined on)."""
    return [(m.group(), m.start(), m.end()) for m in _TOK.finditer(text)]


_FIRST = itemgetter(0)
_START = attrgetter("start")


class _Cache(dict):
    """A per-token-string memo (bounded: cleared when it grows past ``limit`` entries)."""

    def __init__(self, fn, limit: int = 200_000) -> None:
        super().__init__()
        self.fn = fn
        self.limit = limit

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        v = self[key] = self.fn(key)
        return v


def _cue(t: str) -> bool:
    return t[0].isupper() and t.lower().rstrip(".") in TITLES


def _surname_keys(t: str) -> tuple:
    """``(offset, part, folded part)`` for the capitalised parts of a hyphenated token, then the
    token itself when capitalised: the spans the surname rules try, in order."""
    out = []
    if not t[0].isupper():
        return ()
    if "-" in t:
        off = 0
        for part in t.split("-"):
            if part and part[0].isupper():
                out.append((off, part, part.lower() if part.isascii() else fold(part)))
            off += len(part) + 1
    out.append((0, t, t.lower() if t.isascii() else fold(t)))
    return tuple(out)


_SURNAME_KEYS = _Cache(_surname_keys)

# what the title and name rules ask of a token, as bits (memoised per token string)
_T_TITLE = 1        # a title (lower case, final dots dropped) written with a capital
_T_CONNECT = 2      # a connector ("of", "the" ...; lower case, final dots dropped)
_T_TITLE_WORD = 4   # its lower-case form is a title
_T_PARTICLE = 8     # its lower-case form is a name particle ("bin", "von" ...)
_T_NAME = 16        # may be a word of a name: a capital, not a stop word, not a title


def _token_flags(t: str) -> int:
    low = t.lower()
    bare = low.rstrip(".")
    cap = t[:1].isupper()
    return ((_T_TITLE if cap and bare in TITLES else 0) | (_T_CONNECT if bare in _CONNECT else 0)
            | (_T_TITLE_WORD if low in TITLES else 0) | (_T_PARTICLE if low in PARTICLES else 0)
            | (_T_NAME if cap and low not in _STOP and bare not in TITLES else 0))


_FLAGS = _Cache(_token_flags)


@functools.lru_cache(maxsize=8)
def _mention_keys(res) -> _Cache:
    """person name -> the folded words a later mention of the surname alone may be (the last
    word of the name, then the gazetteer's surname), memoised per name."""
    def keys(name: str) -> tuple[str, ...]:
        parts = fold(name).replace("-", " ").split()
        if not parts:
            return ()
        p = res.persons.get(name)
        return (parts[-1], fold(p["surname"])) if p and p.get("surname") else (parts[-1],)
    return _Cache(keys)


#: what the scans over all capitalised tokens look for, as bits of one byte per token
_K_CUE = 1          # a title cue (``_cue``)
_K_LAST = 2         # one of its surname keys (``_SURNAME_KEYS``) is a surname or last name
#: kind bytes -> 1 where the bit is set, else 0 (``bytes.translate`` tables)
_CUE_BIT = bytes(k & _K_CUE for k in range(256))
_LAST_BIT = bytes((k & _K_LAST) >> 1 for k in range(256))


@functools.lru_cache(maxsize=8)
def _last_names(res) -> tuple[frozenset, _Cache]:
    """The folded words the surname rules can look for in a readout whose persons all come from
    ``res`` (the surnames, and every key of :func:`_mention_keys` of a known person), and
    token -> its kind bits (``_K_CUE``, ``_K_LAST``: whether one of its keys is one of those
    words), memoised."""
    words = set(res.surnames)
    keys_of_name = _mention_keys(res)
    for name in res.persons:
        words.update(keys_of_name[name])
    words = frozenset(words)

    def kind(t: str) -> int:
        return ((_K_CUE if _cue(t) else 0)
                | (_K_LAST if any(k[2] in words for k in _SURNAME_KEYS[t]) else 0))
    return words, _Cache(kind)


class _Tokens:
    """The token stream of ``_TOK`` over a text, read lazily: the capitalised tokens are found in
    one fast pass (``_CAP_TOK``), the connectors between two of them only when asked for."""

    def __init__(self, text: str, others: set[str] | None = None) -> None:
        self.text = text
        self.caps = _cap_tokens(text, others)
        self._after: dict[int, tuple] = {}

    def after(self, pos: int, ci: int) -> tuple:
        """``(token, ci')``: the token the scan finds from ``pos`` (the end of a token; None at the
        end of the text) and the index in ``caps`` of the first capitalised token after it.
        ``ci``: the index of the first capitalised token starting at or after ``pos``."""
        got = self._after.get(pos)
        if got is not None:
            return got
        caps = self.caps
        if ci < len(caps):
            cap = caps[ci]
            if self.text[pos:cap[1]] in _PLAIN_GAPS:
                got = self._after[pos] = (cap, ci + 1)
                return got
        m = _TOK.search(self.text, pos)
        if m is None:
            got = (None, ci)
        elif ci < len(caps) and m.start() == caps[ci][1]:
            got = (caps[ci], ci + 1)
        else:
            got = ((m.group(), m.start(), m.end()), ci)
        self._after[pos] = got
        return got

    def before(self, ci: int) -> tuple | None:
        """The token right before ``caps[ci]`` (None when it is the first token)."""
        s = self.caps[ci][1]
        prev = self.caps[ci - 1] if ci else None
        pe = prev[2] if prev else 0
        if prev is not None and self.text[pe:s] in _PLAIN_GAPS:
            return prev
        for m in _TOK.finditer(self.text, pe):
            if m.start() >= s:
                break
            prev = (m.group(), m.start(), m.end())
        return prev


def find_persons(doc: Doc, ent: list[Match], res) -> list[PersonHit]:
    text = doc.text
    hits: list[PersonHit] = []
    # the spans of countries / organisations (blocked) and of known persons, as masks (original
    # offsets): a span holds one when ``mask.find(1, s, e) != -1``
    block_mask = bytearray(len(text) + 1)
    known_mask = bytearray(len(text) + 1)
    cased = doc.cased
    for m in ent:
        s, e = doc.span(m.start, m.end)
        entry = m.entry
        if entry.field == "persons":
            if cased[m.start].islower():
                continue
            hits.append(PersonHit(entry.value, s, e, entry.evidence_rule, True))
            known_mask[s:e] = b"\x01" * (e - s)
        else:
            block_mask[s:e] = b"\x01" * (e - s)

    def mark(s: int, e: int) -> None:
        known_mask[s:e] = b"\x01" * (e - s)

    stream = _Tokens(text, doc.others)
    caps = stream.caps
    after = stream.after
    ncaps = len(caps)
    plain = _PLAIN_GAPS
    flags = _FLAGS
    # every token looked up once: whether it is a cue, whether it may be a surname
    lasts, kinds_of = _last_names(res)
    kinds = bytes(map(kinds_of.__getitem__, map(_FIRST, caps)))
    # 1. title / honorific patterns for names the gazetteer does not know (the token indices of
    #    the reference walk are replaced by positions: a cue is skipped when it starts before the
    #    token where the previous name ended)
    resume = 0
    for ci in compress(count(), kinds.translate(_CUE_BIT)):
        tok = caps[ci]
        if tok[1] < resume:
            continue
        # skip over the title phrase: titles, country/org words, connectors. Only a token after
        # a title gap goes on: the next capitalised token after a plain gap, else a lower-case
        # token right after a title gap (then the first token there); otherwise the phrase ends
        cur, cur_ci = tok, ci + 1
        last, last_ci = cur, cur_ci
        while True:
            pos = cur[2]
            gap = text[pos:caps[cur_ci][1]] if cur_ci < ncaps else None
            if gap is not None and gap in plain:
                if gap not in _TITLE_GAPS:
                    break
                nxt, nxt_ci = caps[cur_ci], cur_ci + 1
            else:
                nxt, nxt_ci = _lower_after(text, pos, _TITLE_GAP_ORDER), cur_ci
                if nxt is None:
                    break
                gap = text[pos:nxt[1]]      # the title gap before it
            nt, ns, ne = nxt
            f = flags[nt]
            if gap == ", " and not f & _T_TITLE_WORD:
                break
            if f & _T_TITLE or block_mask.find(1, ns, ne) != -1 or (
                    f & _T_CONNECT and (nxt_ci < ncaps or after(ne, nxt_ci)[0] is not None)):
                cur, cur_ci = nxt, nxt_ci
                if not f & _T_CONNECT:
                    last, last_ci = cur, cur_ci
                continue
            break
        # the name: capitalised name words (particles between them) after " ", ". " or a
        # no-break space, then " " or "-"; a lower-case token first ends it at once, as does a
        # token after any other gap. ``resume``: where the name stopped (no cue lies between the
        # last token read and the next one, so it may be the end of the last token read)
        name_toks = []
        prev = last
        pos = last[2]
        if last_ci < ncaps and text[pos:caps[last_ci][1]] in plain:
            tk, tk_ci = caps[last_ci], last_ci + 1
            if known_mask.find(1, tk[1], tk[2]) != -1:
                resume = tk[1]      # a name starting in a known person's span is no new name
                continue
        else:
            tk = None
        while tk is not None:
            nt, ns, ne = tk
            gap = text[prev[2]:ns]
            if name_toks:
                if gap not in (" ", "-"):
                    break
            elif gap not in (" ", ". ", "\u00a0"):
                break
            f = flags[nt]
            if not (f & _T_PARTICLE and name_toks):
                if not f & _T_NAME or block_mask.find(1, ns, ne) != -1 or len(name_toks) >= 4:
                    break
            name_toks.append(tk)
            prev = tk
            if tk_ci < ncaps and text[ne:caps[tk_ci][1]] in plain:
                tk, tk_ci = caps[tk_ci], tk_ci + 1
            else:
                tk = _lower_after(text, ne, (" ", "-"))     # a particle ("bin", "von" ...)
        resume = tk[1] if tk is not None else prev[2]
        if len(name_toks) < 2:
            continue                # fewer than two name words: no name
        while name_toks and flags[name_toks[-1][0]] & _T_PARTICLE:
            name_toks.pop()
        core = [x for x in name_toks if not flags[x[0]] & _T_PARTICLE]
        if len(core) >= 2 and known_mask.find(1, name_toks[0][1], name_toks[-1][2]) == -1:
            s0, e0 = name_toks[0][1], name_toks[-1][2]
            raw = text[s0:e0]
            if not raw.isupper() and all(len(x[0]) > 1 or x[0].endswith(".") for x in core[:1]):
                name = res.resolve("person", raw) or clean_person(raw)
                hits.append(PersonHit(name, s0, e0, "pattern: title + name", name in res.persons))
                mark(s0, e0)

    # 2. appositive: "Wang Yi, Foreign Minister of China"
    for t in _APPOS_TITLE.finditer(text):
        m = _APPOS_NAME.search(text, max(0, t.start() - 80), t.start())
        if m is None:
            continue
        raw = m.group(1)
        words = raw.split()
        while words and (words[0].lower() in _STOP or words[0].lower() in TITLES):
            words = words[1:]
        if len(words) < 2 or any(w.lower() in _STOP for w in words):
            continue
        s0 = m.start(1) + m.group(1).index(words[0])
        e0 = m.end(1)
        if known_mask.find(1, s0, e0) != -1 or block_mask.find(1, s0, e0) != -1:
            continue
        name = res.resolve("person", " ".join(words))
        hits.append(PersonHit(name, s0, e0, "pattern: name, title", name in res.persons))
        mark(s0, e0)

    # 2b. "conversation with X Y", "met with X Y": a name right after the interaction phrase
    for m in _with_name(text):
        s0, e0 = m.start(1), m.end(1)
        words = m.group(1).split()
        if any(w.lower() in _STOP or w.lower() in TITLES for w in words):
            continue
        if known_mask.find(1, s0, e0) != -1 or block_mask.find(1, s0, e0) != -1:
            continue
        name = res.resolve("person", m.group(1))
        hits.append(PersonHit(name, s0, e0, "pattern: conversation with + name",
                              name in res.persons))
        mark(s0, e0)
    if doc.lang in _NAME_CASE_LANGS:
        for m in _CAP_RUN.finditer(text):
            s0, e0 = m.start(1), m.end(1)
            before = text[max(0, s0 - 3):s0]
            if not before.strip() or re.search(r"[.!?:]\s*$|\n\s*$", before):
                continue  # sentence start: the capital says nothing
            words = m.group(1).split()
            if any(w.lower() in _STOP or w.lower().rstrip(".") in TITLES for w in words):
                continue
            if known_mask.find(1, s0, e0) != -1 or block_mask.find(1, s0, e0) != -1:
                continue
            name = res.resolve("person", m.group(1))
            hits.append(PersonHit(name, s0, e0, f"pattern: capitalised name ({doc.lang})",
                                  name in res.persons))
            mark(s0, e0)

    # 3. surnames: after a title, before "regime"/"administration", after a full mention, or a
    #    surname the gazetteer marks as unmistakable
    found_last: dict[str, str] = {}
    keys_of_name = _mention_keys(res)
    for h in hits:
        for k in keys_of_name[h.name]:
            found_last.setdefault(k, h.name)
    surnames = res.surnames
    keys_of = _SURNAME_KEYS
    # the tokens to try: those with a key among the surnames and last names of the gazetteer
    # (picked without a Python loop), unless a full mention's last name is not one of them
    if lasts.issuperset(found_last):
        todo = compress(count(), kinds.translate(_LAST_BIT))
    else:
        todo = range(len(caps))
    for idx in todo:
        tt, ts, te = caps[idx]
        for off, t, ft in keys_of[tt]:
            if ft not in found_last and ft not in surnames:
                continue
            s = ts + off
            e = s + len(t)
            if known_mask.find(1, s, e) != -1 or block_mask.find(1, s, e) != -1:
                continue
            if ft in found_last:
                hits.append(PersonHit(found_last[ft], s, e, f"surname after full mention {t}",
                                      True))
                continue
            cands = surnames.get(ft)
            if not cands:
                continue
            # after a title: the token before ends at " " or ". " before this one (no need to
            # look for it when the character before is not a space)
            ptok = stream.before(idx) if text[s - 1:s] == " " else None
            prev = ptok[0].lower().rstrip(".") if ptok else ""
            gap_ok = ptok is not None and text[ptok[2]:s] in (" ", ". ")
            titled = gap_ok and prev in TITLES
            regime = _AFTER_SURNAME.match(text[te:te + 40]) is not None
            bare = [c for c in cands if res.persons[c].get("bare")]
            if titled or regime:
                best = bare or [c for c in cands if "hand" in res.persons[c].get("source", "hand")]
            else:
                best = bare
            if len(best) == 1:
                hits.append(PersonHit(best[0], s, e, f"surname {t}" + (" after title" if titled
                                                                        else ""), True))
                mark(s, e)
    hits.sort(key=_START)
    return hits


#: the characters outside ASCII that a case-insensitive pattern takes for an ASCII letter
#: (dotted capital I, dotless i, long s, Kelvin sign)
_CASE_ODD = frozenset("\u0130\u0131\u017f\u212a")


def _spokes_core(text: str) -> bool:
    """Whether ``text`` may hold a phrase of ``_SPOKES``: one of their cores in lower case, or a
    character that matches an ASCII letter without case."""
    low = text.lower()
    if "spokes" in low or "press secretary" in low or "readout from" in low \
            or "statement by" in low:
        return True
    return not text.isascii() and any(map(text.__contains__, _CASE_ODD))


def _spokesperson_before(before: str) -> bool:
    """``_SPOKES.search(before)``, skipped for a text holding none of its phrases' cores."""
    return _spokes_core(before) and _SPOKES.search(before) is not None


def participants(doc: Doc, hits: list[PersonHit]) -> list[str]:
    """Persons first named in the title or the lead sentence, apart from spokespeople."""
    out: list[str] = []
    # the spokesperson cue is looked for before each person only when the title and lead (which
    # hold every place looked at) have a part of one
    cues = _spokes_core(doc.text[:doc.lead_end])
    for h in hits:
        if h.start < doc.title_end or (doc.title_end + 2 <= h.start < doc.lead_end):
            if cues and _spokesperson_before(doc.text[max(0, h.start - 60):h.start]):
                continue
            if h.name not in out:
                out.append(h.name)
    return out
