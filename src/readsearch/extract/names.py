"""Person-name cleaning shared by the extractor and the resolver, so that the same name typed by a
user and found in a text give the same facet value."""
from __future__ import annotations

import re

#: words that are titles or honorifics, never part of a name (lower case, no final dot)
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "h.e", "he", "his", "her", "excellency",
    "majesty", "highness", "royal", "president", "vice", "prime", "minister", "premier",
    "chancellor", "federal", "foreign", "secretary", "general", "secretary-general", "state",
    "deputy", "first", "king", "queen", "crown", "prince", "princess", "emir", "amir", "sheikh",
    "sultan", "emperor", "ambassador", "envoy", "special", "representative", "senator", "governor",
    "speaker", "chairman", "chairwoman", "chair", "chairperson", "spokesperson", "spokesman",
    "spokeswoman", "press", "adviser", "advisor", "national", "security", "assistant", "under",
    "undersecretary", "director", "head", "chief", "commissioner", "high", "acting", "interim",
    "defence", "defense", "affairs", "external", "interior", "finance", "economy", "trade",
    "justice", "energy", "mayor", "leader", "supreme", "commander", "officer", "principal",
    "senior", "executive", "elect", "apnsa", "nsc", "sir", "dame", "lord", "lady", "his",
    "colonel", "general", "admiral", "marshal", "ministers", "presidents", "pm", "fm", "potus",
    "secstate", "statsminister", "statsministern", "utrikesminister", "utrikesministern",
    "försvarsminister", "president's", "minister's", "sen", "rep", "gov", "amb", "gen",
}
PARTICLES = {"bin", "bint", "ibn", "al", "el", "von", "der", "den", "de", "van", "da", "dos",
             "das", "du", "la", "le", "di", "del", "ben", "abu", "ter", "zu"}
_SPACE = re.compile(r"\s+")


def clean_person(name: str) -> str:
    """``"  President  vladimir PUTIN's "`` -> ``"Vladimir Putin"``: titles and possessive removed,
    spaces collapsed, all-lower or all-upper words capitalised (particles kept lower)."""
    name = name.replace("\u2019", "'").replace("\u00a0", " ")
    name = _SPACE.sub(" ", name).strip(" ,;:.\"'()[]")
    name = re.sub(r"'s?$", "", name)
    toks = name.split(" ")
    while toks and toks[0].lower().rstrip(".") in TITLES:
        toks = toks[1:]
    out = []
    for t in toks:
        if t.lower() in PARTICLES and out:
            out.append(t if not t.isupper() else t.lower())
        elif len(t) > 1 and (t.islower() or t.isupper()) and not re.fullmatch(r"[IVX]+", t):
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in t.split("-")))
        else:
            out.append(t)
    return " ".join(out)
