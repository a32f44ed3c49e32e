"""Persons: gazetteer aliases, people the gazetteer does not know found by title and honorific
patterns ("Foreign Minister X Y", "Wang Yi, Foreign Minister of China", "H.E. Mr X Y"), surname
mentions after a title ("President Putin") or after a full mention, and participants."""
from __future__ import annotations

import re
from dataclasses import dataclass

from readsearch.extract.fold import fold
from readsearch.extract.matcher import Match
from readsearch.extract.names import PARTICLES, TITLES, clean_person
from readsearch.extract.text import Doc

_TOKEN = re.compile(r"[^\W\d_][\w'\u2019.-]*")
_STOP = {
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
_CAP_RUN = re.compile(r"(?<![\w-])" + _NAME.replace("{1,2}", "{1,2}") + r"(?![\w-])")
_NAME_CASE_LANGS = {"sv", "fi", "fr", "es", "it", "pt", "pl", "hr", "sl", "cs", "sk"}


_APPOS_TITLE = re.compile(r", (?:the )?(?:[A-Z]\w+ )*(?:Minister|President|Secretary|Ambassador|"
                          r"Chancellor|Adviser|Advisor|Spokesperson|Chairman|Chairwoman|Speaker|"
                          r"Director|Commissioner)\b")
_APPOS_NAME = re.compile(r"((?:[A-Z][\w'\u2019-]+ ){1,3}[A-Z][\w'\u2019-]+)$")


@dataclass
class PersonHit:
    name: str
    start: int    # original-text offsets
    end: int
    rule: str
    known: bool


_TOK = re.compile(r"\b(?:H\.E\.|[A-Z]\.(?:[A-Z]\.)*(?=\s)|(?![a-z0-9_])\w(?:[\w-]*\w)?"
                  r"(?:['\u2019](?!s\b)\w+)?|(?:of|the|for|and|on|bin|bint|ibn|al|el|von|der|"
                  r"den|de|van|da|dos|das|du|la|le|di|del|ben|abu)\b)")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOK.finditer(text)]


def _is_cap(t: str) -> bool:
    return t[:1].isupper()


def find_persons(doc: Doc, ent: list[Match], res) -> list[PersonHit]:
    text = doc.text
    hits: list[PersonHit] = []
    blocked: list[tuple[int, int]] = []      # spans of countries / organisations (original)
    for m in ent:
        s, e = doc.span(m.start, m.end)
        if m.entry.field == "persons":
            if doc.cased[m.start].islower():
                continue
            hits.append(PersonHit(m.entry.value, s, e, f"gazetteer:persons:{m.entry.rule}", True))
        else:
            blocked.append((s, e))
    block_mask = bytearray(len(text) + 1)
    for bs, be in blocked:
        block_mask[bs:be] = b"\x01" * (be - bs)
    known_mask = bytearray(len(text) + 1)
    for h in hits:
        known_mask[h.start:h.end] = b"\x01" * (h.end - h.start)

    def inside(s: int, e: int, mask) -> bool:
        return mask.find(1, s, e) != -1

    def mark(s: int, e: int) -> None:
        known_mask[s:e] = b"\x01" * (e - s)

    toks = _tokens(text)
    n = len(toks)
    cues = [x for x, (t, s, e) in enumerate(toks) if t[0].isupper() and t.lower().rstrip(".")
            in TITLES]
    i = 0
    # 1. title / honorific patterns for names the gazetteer does not know
    for ci in cues:
        if ci < i:
            continue
        i = ci
        t, s, e = toks[i]
        # skip over the title phrase: titles, country/org words, connectors
        j = i
        last_cue = i
        while j + 1 < n:
            nt, ns, ne = toks[j + 1]
            gap = text[toks[j][2]:ns]
            if gap not in (" ", "-", "'s ", "\u2019s ", ", ") and not re.fullmatch(r"\.? ", gap):
                break
            if gap == ", " and not (nt.lower() in TITLES):
                break
            nl = nt.lower().rstrip(".")
            if (nl in TITLES and _is_cap(nt)) or inside(ns, ne, block_mask) or (
                    nl in _CONNECT and j + 2 < n):
                j += 1
                if nl not in _CONNECT:
                    last_cue = j
                continue
            break
        k = last_cue + 1
        name_toks = []
        while k < n:
            nt, ns, ne = toks[k]
            if name_toks:
                gap = text[name_toks[-1][2]:ns]
                if gap not in (" ", "-"):
                    break
            elif text[toks[k - 1][2]:ns] not in (" ", ". ", "\u00a0"):
                break
            if nt.lower() in PARTICLES and name_toks:
                name_toks.append(toks[k])
                k += 1
                continue
            if not _is_cap(nt) or nt.lower() in _STOP or nt.lower().rstrip(".") in TITLES \
                    or inside(ns, ne, block_mask) or len(name_toks) >= 4:
                break
            name_toks.append(toks[k])
            k += 1
        while name_toks and name_toks[-1][0].lower() in PARTICLES:
            name_toks.pop()
        core = [x for x in name_toks if x[0].lower() not in PARTICLES]
        if len(core) >= 2 and not inside(name_toks[0][1], name_toks[-1][2], known_mask):
            s0, e0 = name_toks[0][1], name_toks[-1][2]
            raw = text[s0:e0]
            if not raw.isupper() and all(len(x[0]) > 1 or x[0].endswith(".") for x in core[:1]):
                name = res.resolve("person", raw) or clean_person(raw)
                hits.append(PersonHit(name, s0, e0, "pattern: title + name", name in res.persons))
                mark(s0, e0)
        i = max(k, i + 1)

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
        if inside(s0, e0, known_mask) or inside(s0, e0, block_mask):
            continue
        name = res.resolve("person", " ".join(words))
        hits.append(PersonHit(name, s0, e0, "pattern: name, title", name in res.persons))
        mark(s0, e0)

    # 2b. "conversation with X Y", "met with X Y": a name right after the interaction phrase
    for m in _WITH_NAME.finditer(text):
        s0, e0 = m.start(1), m.end(1)
        words = m.group(1).split()
        if any(w.lower() in _STOP or w.lower() in TITLES for w in words):
            continue
        if inside(s0, e0, known_mask) or inside(s0, e0, block_mask):
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
            if inside(s0, e0, known_mask) or inside(s0, e0, block_mask):
                continue
            name = res.resolve("person", m.group(1))
            hits.append(PersonHit(name, s0, e0, f"pattern: capitalised name ({doc.lang})",
                                  name in res.persons))
            mark(s0, e0)

    # 3. surnames: after a title, before "regime"/"administration", after a full mention, or a
    #    surname the gazetteer marks as unmistakable
    found_last: dict[str, str] = {}
    for h in hits:
        parts = fold(h.name).replace("-", " ").split()
        if parts:
            found_last.setdefault(parts[-1], h.name)
            p = res.persons.get(h.name)
            if p and p.get("surname"):
                found_last.setdefault(fold(p["surname"]), h.name)
    expanded = []
    for idx, (t, s, e) in enumerate(toks):
        if "-" in t and t[0].isupper():
            off = 0
            for part in t.split("-"):
                if part:
                    expanded.append((idx, part, s + off, s + off + len(part)))
                off += len(part) + 1
        expanded.append((idx, t, s, e))
    for idx, t, s, e in expanded:
        if not t[0].isupper():
            continue
        ft = t.lower() if t.isascii() else fold(t)
        if ft not in found_last and ft not in res.surnames:
            continue
        if inside(s, e, known_mask) or inside(s, e, block_mask):
            continue
        if ft in found_last:
            hits.append(PersonHit(found_last[ft], s, e, f"surname after full mention {t}", True))
            continue
        cands = res.surnames.get(ft)
        if not cands:
            continue
        prev = toks[idx - 1][0].lower().rstrip(".") if idx else ""
        gap_ok = idx and text[toks[idx - 1][2]:s] in (" ", ". ")
        titled = gap_ok and prev in TITLES
        regime = _AFTER_SURNAME.match(text[toks[idx][2]:toks[idx][2] + 40]) is not None
        bare = [c for c in cands if res.persons[c].get("bare")]
        if titled or regime:
            best = bare or [c for c in cands if "hand" in res.persons[c].get("source", "hand")]
        else:
            best = bare
        if len(best) == 1:
            hits.append(PersonHit(best[0], s, e, f"surname {t}" + (" after title" if titled else ""),
                                  True))
            mark(s, e)
    hits.sort(key=lambda h: h.start)
    return hits


def participants(doc: Doc, hits: list[PersonHit]) -> list[str]:
    """Persons first named in the title or the lead sentence, apart from spokespeople."""
    out: list[str] = []
    for h in hits:
        if h.start < doc.title_end or (doc.title_end + 2 <= h.start < doc.lead_end):
            before = doc.text[max(0, h.start - 60):h.start]
            if _SPOKES.search(before):
                continue
            if h.name not in out:
                out.append(h.name)
    return out
