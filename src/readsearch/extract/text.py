"""The text one readout is analysed as: ``title + "\\n\\n" + body``, folded once, with the
language, the title span and the lead (first sentence of the body) that the rules look at."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat

from readsearch.extract.fold import fold_text, non_ascii
from readsearch.model import Readout

CYRILLIC_LANGS = {"ru", "uk", "be", "kk", "sr", "bg", "mk"}
#: languages whose words take case endings: gazetteer names there are matched in their inflected
#: forms too (stem + one of the language's endings, ``inflection.ENDINGS``)
INFLECTING = CYRILLIC_LANGS | {"az", "tr", "fi", "sv", "de", "pl", "hu", "et", "lv", "lt"}

_STOP = {
    "sv": {"och", "att", "med", "för", "som", "på", "är", "har", "till", "av", "den", "det", "om"},
    "de": {"und", "der", "die", "das", "mit", "von", "den", "ist", "für", "auf", "dem", "des"},
    "fr": {"le", "la", "les", "et", "des", "du", "avec", "pour", "est", "une", "dans"},
    "es": {"el", "la", "los", "las", "y", "con", "para", "del", "una", "por", "que"},
    "az": {"və", "ilə", "üçün", "bu", "da", "də", "olan", "edib", "həmçinin"},
    "fi": {"ja", "on", "että", "kanssa", "oli", "myös", "tai"},
    "en": {"the", "and", "of", "to", "with", "on", "in", "for", "was", "were", "that", "is"},
}
_WORD = re.compile(r"[^\W\d_]+")
#: six words (``_WORD`` runs) in a row: ``len(_WORD.findall(t)) >= 6`` without reading the rest
_SIX_WORDS = re.compile(r"[^\W\d_](?<![^\W\d_].)[^\W\d_]*+(?:[\W\d_]++[^\W\d_]++){5}")
# the end mark comes first and the lookbehinds (checked after it, hence the extra ".") second: the
# engine then skips to candidate characters instead of trying every lookbehind at every position
# (one character set first, the newline case as a lookbehind: a pattern that starts with an
# alternation of a set and a character gets no such skipping)
_SENT_END = re.compile(r"[.!?\n](?:(?<=\n)|(?<!\b[A-Z].)(?<!\bMr.)(?<!\bMs.)(?<!\bDr.)(?<!\bSt.)"
                       r"(?<!\bJr.)(?<!\bMrs.)(?<!\bNo.)(?<!\bU\.S.)(?<!\bH\.E.)"
                       r"(?=\s+[\"“A-ZА-Я0-9]|\s*$))")


#: bytes that are not ASCII letters / not ASCII (deleted to count letters, to keep the rest)
_NOT_ASCII_LETTERS = bytes(c for c in range(256) if not (65 <= c <= 90 or 97 <= c <= 122))
_ASCII = bytes(range(128))
#: the letters of the Cyrillic and Devanagari blocks
_CYRILLIC = re.compile("[" + "".join(c for c in map(chr, range(0x400, 0x500)) if c.isalpha()) + "]")
_DEVANAGARI = re.compile("[" + "".join(c for c in map(chr, range(0x900, 0x980)) if c.isalpha())
                         + "]")


def words_pattern(alternatives: str, group: bool = False) -> re.Pattern:
    """``\\b(?:alternatives)\\b`` (``group``: ``\\b(alternatives)\\b``) written so that the regex
    engine skips to candidates: the alternatives' first letters as one character set, the word
    boundary before them as a lookbehind, then the alternatives starting with the letter found
    (each after a lookbehind on that letter, in their order). ``alternatives``: ``|``-separated,
    each starting with a plain letter, none holding a ``|`` of its own."""
    alts = alternatives.split("|")
    if not all(a[:1].isalpha() for a in alts):
        raise ValueError(f"an alternative does not start with a letter: {alternatives}")
    by_letter: dict[str, list[str]] = {}
    for a in alts:
        by_letter.setdefault(a[0], []).append(a[1:])
    body = ("[" + "".join(sorted(by_letter)) + r"](?<!\w.)(?:"
            + "|".join(f"(?<={c})(?:{'|'.join(rests)})" for c, rests in by_letter.items()) + ")")
    return re.compile(("(" + body + ")" if group else body) + r"\b")


def detect_language(text: str) -> str:
    """ISO 639-1 code guessed from the script and frequent words of ``text`` ('en' by default):
    Cyrillic letters over 30% of the letters of the first 3,000 characters (``sr``, ``kk``,
    ``uk`` by their own letters, else ``ru``), Devanagari over 30% (``hi``), else the language
    whose stop words are most frequent there."""
    sample = text[:3000]
    # letters counted without a Python loop: ASCII letters from the bytes, the other characters
    # (UTF-8 bytes of the non-ASCII ones, decoded back) one by one in C
    raw = sample.encode("utf-8", "surrogatepass")
    letters = len(raw.translate(None, _NOT_ASCII_LETTERS))
    if not sample.isascii():
        other = raw.translate(None, _ASCII).decode("utf-8", "surrogatepass")
        letters += sum(map(str.isalpha, other))
        if letters and len(_CYRILLIC.findall(other)) > letters * 0.3:
            if any(c in sample for c in "ђћљњџј"):
                return "sr"
            if any(c in sample for c in "қәңғүұөһ"):
                return "kk"
            if any(c in sample for c in "ієїґ"):
                return "uk"
            return "ru"
        if letters and len(_DEVANAGARI.findall(other)) > letters * 0.3:
            return "hi"
    if not letters:
        return "en"
    counts = Counter(map(str.lower, _WORD.findall(sample)))
    best, score = "en", 0
    for lang, stop in _STOP.items():
        s = sum(map(counts.get, stop, repeat(0, len(stop))))
        if s > score:
            best, score = lang, s
    return best


@dataclass
class Doc:
    readout: Readout
    text: str                    # title + "\n\n" + body
    cased: str                   # folded, case kept (ASCII)
    low: str                     # folded, lower case
    offsets: list[int] | None    # folded index -> text index (None: identity)
    lang: str
    title_end: int               # end of the title in ``text``
    lead_end: int                # end of the lead (first sentence of the body) in ``text``
    evidence: list = field(default_factory=list)
    others: set[str] | None = None   # the distinct non-ASCII characters of text (None: unknown)

    def span(self, fs: int, fe: int) -> tuple[int, int]:
        """Original-text span of the folded span ``[fs, fe)``."""
        if self.offsets is None:
            return fs, fe
        return self.offsets[fs], self.offsets[fe] if fe < len(self.offsets) else len(self.text)


def make_doc(readout: Readout) -> Doc:
    title = readout.title or ""
    body = readout.body or ""
    text = title + "\n\n" + body
    others = non_ascii(text)
    cased, offsets = fold_text(text, others)
    lang = (readout.language or "").lower()[:2] or detect_language(body or title)
    start = len(title) + 2
    lead_end = len(text)
    # the lead: first sentence of the body (skip a short dateline/emoji-only first line)
    pos = start
    for m in _SENT_END.finditer(text, start):
        if _SIX_WORDS.search(text, pos, m.start()):
            lead_end = m.end()
            break
        if m.group() == "\n":
            pos = m.end()
    return Doc(readout, text, cased, cased.lower(), offsets, lang, len(title), lead_end,
               others=others)
