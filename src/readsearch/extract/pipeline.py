"""``extract(readout) -> Entities``: runs every extractor over one readout and records, for each
value, the span and the rule that produced it (``Entities.evidence``, ``explain``)."""
from __future__ import annotations

from readsearch.extract import countries as _countries
from readsearch.extract.fold import fold, fold_cased
from readsearch.extract.hashtags import camel_parts, country_parts, hashtags
from readsearch.extract.kind import event_kind, initiative
from readsearch.extract.dates import event_date
from readsearch.extract.matcher import resolve_overlaps
from readsearch.extract.persons import find_persons, participants
from readsearch.extract.resources import Resources, load_resources
from readsearch.extract.text import INFLECTING, make_doc
from readsearch.extract.topics import find_topics
from readsearch.model import Entities, Evidence, Readout

META_FIELDS = {"country": "countries", "countries": "countries", "person": "persons",
               "persons": "persons", "topic": "topics", "topics": "topics",
               "hashtag": "hashtags", "hashtags": "hashtags", "organization": "organizations",
               "organizations": "organizations", "organisation": "organizations",
               "organisations": "organizations"}


def _meta_values(value) -> list[str]:
    """The names a front matter value holds: a string (comma separated) or a list of them; a
    mapping holds none (its text would be Python's ``{'a': 'b'}``)."""
    if value is None or isinstance(value, dict):
        return []
    if isinstance(value, (list, tuple, set)):
        out = []
        for v in value:
            out += _meta_values(v)
        return out
    return [v.strip() for v in str(value).split(",") if v.strip()]


def issuer_country(res: Resources, issuer: str | None) -> str | None:
    """The country an issuer speaks for ("President of Russia" -> RU), None for organisations."""
    if not issuer:
        return None
    cache = res.__dict__.setdefault("_issuer_cache", {})
    if issuer in cache:
        return cache[issuer]
    cased = fold_cased(issuer)
    ms = resolve_overlaps([m for m in res.matcher("en").find(cased.lower(), cased)
                           if m.entry.group == "ent"])
    code = None
    if not any(m.entry.field == "organizations" for m in ms):
        for m in ms:
            if m.entry.field == "countries":
                code = m.entry.value
                break
    cache[issuer] = code
    return code


class _Folded(dict):
    """name -> ``fold(name)``, memoised (bounded: cleared past 100,000 names)."""

    def __missing__(self, name: str) -> str:
        if len(self) >= 100_000:
            self.clear()
        got = self[name] = fold(name)
        return got


_FOLDED = _Folded()


def extract(readout: Readout, resources: Resources | None = None) -> Entities:
    """Entities of one readout (pure, deterministic), with evidence for every value."""
    res = resources or load_resources()
    doc = make_doc(readout)
    ev: list[Evidence] = []
    found: dict[str, list[str]] = {"countries": [], "persons": [], "organizations": [],
                                   "topics": [], "hashtags": []}

    def add(field: str, value: str, start: int, end: int, rule: str) -> None:
        if value not in found[field]:
            found[field].append(value)
        text = doc.text[start:end] if start >= 0 else ""
        ev.append(Evidence(field, value, start, end, text, rule))

    ent, topic_matches = res.matcher(doc.lang).find_groups(doc.low, doc.cased,
                                                           doc.lang in INFLECTING)
    ent = resolve_overlaps(ent, one_group=True)

    # countries and organisations named in the text
    prev = None
    given_names = res.given_name_countries
    for m in ent:
        entry = m.entry
        field = entry.field
        if (field == "countries" and _countries.accept(doc, m, prev, given_names)) or (
                field == "organizations" and not doc.cased[m.start].islower()):
            add(field, entry.value, *doc.span(m.start, m.end), entry.evidence_rule)
        prev = m
    for code, s, e, rule in _countries.flags(doc):
        if code in res.countries:
            add("countries", code, s, e, rule)
    # hashtags and the countries named inside them
    extra = []
    for tag, s, e in hashtags(doc.text):
        add("hashtags", tag, s, e, "hashtag")
        for code, phrase in country_parts(tag, res.resolve):
            add("countries", code, s, e, f"hashtag part {phrase}")
        extra.append(" ".join(camel_parts(tag)))
    # persons and participants
    hits = find_persons(doc, ent, res)
    for h in hits:
        add("persons", h.name, h.start, h.end, h.rule)
    parts = participants(doc, hits)
    for p in parts:
        c = res.country_of(p)
        if c:
            add("countries", c, -1, -1, f"country of participant {p}")
    iss = issuer_country(res, readout.issuer)
    if iss:
        add("countries", iss, -1, -1, f"issuer {readout.issuer}")
    # front matter values
    for key, value in (readout.meta or {}).items():
        field = META_FIELDS.get(str(key).lower())
        if not field:
            continue
        for v in _meta_values(value):
            rid = res.resolve(field, v)
            if rid:
                add(field, rid, -1, -1, f"front matter {key}: {v}")
    # topics
    for tid, s, e, rule in find_topics(doc, topic_matches, res, " . ".join(extra)):
        add("topics", tid, s, e, rule)
    # date, kind, initiative
    date, ds, de, drule = event_date(doc)
    if date:
        ev.append(Evidence("date", date, ds, de, doc.text[ds:de] if ds >= 0 else "", drule))
    kind, krule = event_kind(doc)
    ev.append(Evidence("kind", kind, -1, -1, "", krule))
    init, irule = initiative(doc, res, hits, parts, iss, res.country_of)
    if init:
        ev.append(Evidence("initiative", init, -1, -1, "", irule))
        if init not in found["countries"]:
            add("countries", init, -1, -1, "initiative")

    persons = sorted(found["persons"], key=_FOLDED.__getitem__)
    return Entities(
        countries=sorted(found["countries"]),
        persons=persons,
        participants=[p for p in persons if p in parts],
        organizations=sorted(found["organizations"]),
        topics=sorted(found["topics"]),
        hashtags=sorted(dict.fromkeys(found["hashtags"]), key=str.lower),
        date=date,
        kind=kind,
        initiative=init,
        evidence=ev,
    )


def explain(readout: Readout, resources: Resources | None = None) -> list[Evidence]:
    """Why the readout carries each value: one :class:`Evidence` per value found."""
    return extract(readout, resources).evidence
