"""The text one readout is analysed as: ``title + "\\n\\n" + body``, folded once, with the
language, the title span and the lead (first sentence of the body) that the rules look at."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from readsearch.extract.fold import fold_text
from readsearch.model import Readout

CYRILLIC_LANGS = {"ru", "uk", "be", "kk", "sr", "bg", "mk"}
#: languages whose words take case endings: gazetteer words there may carry a short suffix
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
# the end mark comes first and the lookbehinds (checked after it, hence the extra ".") second: the
# engine then skips to candidate characters instead of trying every lookbehind at every position
_SENT_END = re.compile(r"[.!?](?<!\b[A-Z].)(?<!\bMr.)(?<!\bMs.)(?<!\bDr.)(?<!\bSt.)(?<!\bJr.)"
                       r"(?<!\bMrs.)(?<!\bNo.)(?<!\bU\.S.)(?<!\bH\.E.)(?=\s+[\"“A-ZА-Я0-9]|\s*$)|\n")


def detect_language(text: str) -> str:
    """ISO 639-1 code guessed from the script and frequent words of ``text`` ('en' by default)."""
    sample = text[:3000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "en"
    cyr = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    if cyr > len(letters) * 0.3:
        if any(c in sample for c in "ђћљњџј"):
            return "sr"
        if any(c in sample for c in "қәңғүұөһ"):
            return "kk"
        if any(c in sample for c in "ієїґ"):
            return "uk"
        return "ru"
    if sum(1 for c in letters if "\u0900" <= c <= "\u097f") > len(letters) * 0.3:
        return "hi"
    words = [w.lower() for w in _WORD.findall(sample)]
    best, score = "en", 0
    for lang, stop in _STOP.items():
        s = sum(1 for w in words if w in stop)
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

    def span(self, fs: int, fe: int) -> tuple[int, int]:
        """Original-text span of the folded span ``[fs, fe)``."""
        if self.offsets is None:
            return fs, fe
        return self.offsets[fs], self.offsets[fe] if fe < len(self.offsets) else len(self.text)


def make_doc(readout: Readout) -> Doc:
    title = readout.title or ""
    body = readout.body or ""
    text = title + "\n\n" + body
    cased, offsets = fold_text(text)
    lang = (readout.language or "").lower()[:2] or detect_language(body or title)
    start = len(title) + 2
    lead_end = len(text)
    # the lead: first sentence of the body (skip a short dateline/emoji-only first line)
    pos = start
    for m in _SENT_END.finditer(text, start):
        if len(_WORD.findall(text[pos:m.start()])) >= 6:
            lead_end = m.end()
            break
        if m.group() == "\n":
            pos = m.end()
    return Doc(readout, text, cased, cased.lower(), offsets, lang, len(title), lead_end)
