"""Kind of the event (``call``, ``meeting``, ``message``, ``other``) and initiative (the ISO code
of the side that initiated it)."""
from __future__ import annotations

import re

from readsearch.extract.dates import _folded_pos
from readsearch.extract.fold import fold
from readsearch.extract.text import Doc, words_pattern

_STRONG_CALL_WORDS = (
    r"tele?phone|telephonic|phone|phoned|called|calls? with|call between|call to|"
    r"video ?conference|video call|videocall|video link|virtual (?:bilateral )?meeting|"
    r"via video|by video|online|telefon\w*|telefonnyi|telefonnom|telefonnyy|telefonnogo|"
    r"telefonski\w*|zeng\w*|samtal per telefon|videosamtal|fon|telifon")
_WEAK_CALL_WORDS = r"call|spoke|speaks|speak|talked|spoken|conversation|samtal\w*|razgovor\w*"
_MEETING_WORDS = (r"met|meets|meeting|meetings|talks|visit|visits|visited|received|"
                  r"receives|hosted|hosts|sidelines|bilateral meeting|trilateral|"
                  r"traffade|traffar|traffa|mote|moten|vstrech\w*|peregovor\w*|"
                  r"gorush\w*|mulaqat|treffen|stopped by|consultations?")
_MESSAGE_WORDS = (r"message|messages|letter|telegram|condolences?|congratulatory|"
                  r"greetings card|poslanie|pozdravlenie|soboleznovani\w*")


_STRONG_CALL = words_pattern(_STRONG_CALL_WORDS)
_WEAK_CALL = words_pattern(_WEAK_CALL_WORDS)
_MEETING = words_pattern(_MEETING_WORDS)
_MESSAGE = words_pattern(_MESSAGE_WORDS)


def event_kind(doc: Doc) -> tuple[str, str]:
    """``(kind, rule)``: the title decides first, then the lead, then the whole text."""
    low = doc.low
    t_end = _folded_pos(doc, doc.title_end)
    l_end = _folded_pos(doc, doc.lead_end)
    title, lead = low[:t_end], low[t_end:l_end]
    m = _STRONG_CALL.search(title)
    if m:
        return "call", f"title: '{m.group()}'"
    m = _MEETING.search(title)
    if m:
        strong = _STRONG_CALL.search(lead)      # a call cue in the lead wins over the title's
        if strong:
            return "call", f"lead: '{strong.group()}' over title '{m.group()}'"
        return "meeting", f"title: '{m.group()}'"
    for rx, kind in ((_WEAK_CALL, "call"), (_MESSAGE, "message")):
        m = rx.search(title)
        if m:
            return kind, f"title: '{m.group()}'"
    for rx, kind in ((_STRONG_CALL, "call"), (_MEETING, "meeting"), (_WEAK_CALL, "call"),
                     (_MESSAGE, "message")):
        m = rx.search(lead)
        if m:
            return kind, f"lead: '{m.group()}'"
    rest = low[l_end:]
    for rx, kind in ((_STRONG_CALL, "call"), (_MEETING, "meeting"), (_MESSAGE, "message")):
        m = rx.search(rest)
        if m:
            return kind, f"body: '{m.group()}'"
    return "other", "no kind cue"


_SIDE = re.compile(r"\b(?:at|on|upon)\s+the\s+initiative\s+of\s+(?:the\s+)?([a-z][\w.' -]{1,40}?)"
                   r"(?:\s+side|\s+party|\s+government|[,.;]|\s+(?:foreign|prime|president|"
                   r"minister|chancellor|secretary|king|crown|leader)|\s+[a-z]+ed\b)")
_POSS = re.compile(r"\b(?:at|on|upon)\s+(?:the\s+)?([a-z][\w.' -]{1,30}?)'s?\s+"
                   r"(?:initiative|request|invitation)\b")
_LATTER = re.compile(r"\b(?:at|on|upon)\s+the\s+(?:latter|other side|counterpart)'s\s+"
                     r"(?:initiative|request)|\bat\s+the\s+request\s+of\s+the\s+latter\b|"
                     r"\bphone talks at request\b|\bat (?:the )?request with\b|"
                     r"\bat\s+(?:the\s+)?(?:his|her|their)\s+(?:counterpart's\s+)?request\b")
_REQUEST_OF = re.compile(r"\b(?:at|on|upon)\s+the\s+(?:request|invitation|initiative)\s+of\s+"
                         r"(?:the\s+)?([a-z][\w.' -]{1,60}?)(?:[,.;]|\s+(?:had|held|spoke|met|"
                         r"called|and|,)\b)")
_CALLED_PHRASES = (r"called|phoned|telephoned|rang|placed a (?:phone )?call to|"
                   r"initiated a (?:phone )?call with|har bjudit in|bjudit in|bjod in|"
                   r"zeng (?:edib|etdi|edi)")
_CALLED = words_pattern(_CALLED_PHRASES, group=True)


# what each initiative pattern needs (a necessary part of every match, starting with a literal
# the regex engine finds fast): the patterns start with a word boundary, which the engine tries
# at every position, so they only run on a text where their part is found
_SIDE_NEED = re.compile(r"the\s+initiative\s+of\s")
_POSS_NEED = re.compile(r"'s?\s+(?:initiative|request|invitation)")
_REQUEST_OF_NEED = re.compile(r"the\s+(?:request|invitation|initiative)\s+of\s")
_LATTER_NEED = re.compile(r"'s\s+(?:initiative|request)")     # (its other branches say "request")
#: a word of every phrase of ``_CALLED``: the pattern is only run on a text holding one
_CALLED_WORDS = ("called", "phoned", "rang", "placed a", "initiated a", "bjudit in", "bjod in",
                 "zeng ")


def initiative(doc: Doc, res, persons, participants: list[str], issuer_country: str | None,
               country_of) -> tuple[str | None, str]:
    """``(code, rule)`` of the side that initiated the call or meeting, or ``(None, rule)``."""
    low = doc.low
    scope = low[:_folded_pos(doc, doc.lead_end)]
    full = low

    def as_country(phrase: str) -> str | None:
        phrase = phrase.strip().removeprefix("the ")
        words = phrase.split()
        for k in range(len(words), 0, -1):
            for i in range(0, len(words) - k + 1):
                c = res.resolve("country", " ".join(words[i:i + k]))
                if c:
                    return c
        p = res.resolve("person", phrase)
        if p and country_of(p):
            return country_of(p)
        for w in reversed(words):
            p = res.resolve("person", w)
            if p and country_of(p):
                return country_of(p)
        return None

    cued = any(map(full.__contains__, ("initiative", "request", "invitation")))
    for text in ((scope, full) if cued else ()):
        # each pattern holds one of these words: without them it cannot match (no scan needed)
        has_init, has_req = "initiative" in text, "request" in text
        if not (has_init or has_req or "invitation" in text):
            continue
        m = _SIDE.search(text) if has_init and _SIDE_NEED.search(text) else None
        if m:
            c = as_country(m.group(1))
            if c:
                return c, f"'{m.group().strip()}'"
        m = _POSS.search(text) if _POSS_NEED.search(text) else None
        if m and m.group(1) not in ("latter", "other side", "counterpart", "his", "her", "their"):
            c = as_country(m.group(1))
            if c:
                return c, f"'{m.group().strip()}'"
        m = _REQUEST_OF.search(text) if _REQUEST_OF_NEED.search(text) else None
        if m and m.group(1) != "latter":
            c = as_country(m.group(1))
            if c:
                return c, f"'{m.group().strip()}'"
        m = _LATTER.search(text) if has_req or (has_init and _LATTER_NEED.search(text)) else None
        if m:
            others = [country_of(p) for p in participants if country_of(p)
                      and country_of(p) != issuer_country]
            others = list(dict.fromkeys(others))
            if len(others) == 1:
                return others[0], f"'{m.group()}' (the counterpart)"
            # no issuer to tell the sides apart: the latter is the last person named before
            before = [h for h in persons if _folded_pos(doc, h.start) < m.start()
                      and h.name in participants and country_of(h.name)]
            if before and len(set(country_of(h.name) for h in before)) > 1:
                return country_of(before[-1].name), f"'{m.group()}' (the latter)"
    # "X called Y": the caller's side
    m = _CALLED.search(scope) if any(map(scope.__contains__, _CALLED_WORDS)) else None
    if m:
        before = scope[max(0, m.start() - 80):m.start()]
        after = scope[m.end():m.end() + 40]
        if m.group(1) == "called" and not re.match(r"\s+(?:president|prime|chancellor|king|"
                                                   r"crown|secretary|minister|foreign|his|her|"
                                                   r"dr|mr|ms|mrs|h\.e|[a-z]+\s*$)", after):
            pass
        elif m.group(1) == "called" and re.match(r"\s+(?:for|on|upon|to)\b", after):
            pass
        else:
            caller = None
            fs = m.start()
            for h in persons:
                hs = _folded_pos(doc, h.start)
                if hs < fs and fs - hs < 90:
                    caller = h
            c = None
            if caller is not None:
                c = country_of(caller.name)
            if c is None:
                words = fold(before).split()[-6:]
                c = as_country(" ".join(words)) if words else None
            if c is None and issuer_country and re.search(r"(?:^|\n|\. )(?:the )?(?:prime "
                                                          r"minister|president|pm)\s*$", before):
                c = issuer_country
            if c:
                return c, f"caller's side: '{m.group(1)}'"
    return None, "no initiative stated"
