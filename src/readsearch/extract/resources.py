"""``Resources``: the gazetteers and taxonomy ready for use: resolving what a user types to a stable
id, display labels, and the phrase matchers the extractors run (one per readout language).

Loading parses about 250 kB of YAML and folds every name (~0.2-0.5 s), so the prepared tables are
kept in a compiled cache: a pickle in ``$XDG_CACHE_HOME/readsearch`` (``~/.cache/readsearch``)
named by the sha1 of everything they are built from (the shipped and the user's YAML files'
bytes, the package version, the code that builds them, the anyascii version, the Python
version). A warm load reads one file (~10 ms). No cache is used when the folder cannot be written
or ``READSEARCH_NO_CACHE`` is set; a damaged or stale file is rebuilt. The phrase matchers
(Aho-Corasick automata) are built on first use only, one per readout language.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import sys
from collections import defaultdict
from pathlib import Path

from readsearch.extract.fold import fold
from readsearch.extract.gazetteer import SHIPPED, load_data
from readsearch.extract.inflection import inflections
from readsearch.extract.matcher import Entry, Matcher
from readsearch.extract.names import clean_person
from readsearch.extract.text import CYRILLIC_LANGS, INFLECTING

FIELDS = ("country", "person", "organization", "topic", "hashtag")
_FIELD_ALIASES = {"countries": "country", "persons": "person", "participant": "person",
                  "participants": "person", "organizations": "organization",
                  "organisation": "organization", "organisations": "organization",
                  "topics": "topic", "hashtags": "hashtag"}
_ACRONYM = re.compile(r"^[A-Z0-9][A-Za-z0-9.+&-]*$")


def _is_acronym(phrase: str) -> bool:
    """A single token with two or more capitals (US, U.S., WHO, OPEC+, G20) is matched with case."""
    return " " not in phrase and _ACRONYM.match(phrase) is not None and sum(
        c.isupper() for c in phrase) >= 2 or phrase in {"G7", "G20", "G-7", "G-20"}


def _with_plurals(phrases) -> list[str]:
    """Each blocking phrase and its English plural (``South China Sea`` -> also ``South China
    Seas``, as in "the East and South China Seas"): the matcher wants a word boundary after a
    phrase, so without the plural the country word inside it matched alone."""
    out = []
    for b in phrases:
        out.append(b)
        if b[-1:].isalpha() and b[-1:].islower() and not b.endswith("s"):
            out.append(b + ("es" if b.endswith(("sh", "ch", "x")) else "s"))
    return out


def _add_stem(m: Matcher, key: str, entry: Entry, lang: str) -> None:
    """Add the stem of the folded name ``key`` to ``m`` as a prefix key of ``entry``, followed by
    the endings of ``lang`` that the name's inflected forms take (``ross`` + ``ii``, ``iey``...)."""
    stem = _stem(key)
    m.add(stem, entry, prefix=True, endings=inflections(key[len(stem):], lang, stem[-1:]))


def _stem(key: str) -> str:
    """Folded key without its final vowels (Россия -> ross), for languages with case endings."""
    s = key
    while len(s) > 4 and s[-1] in "aeiouy":
        s = s[:-1]
    return s


class Resources:
    """Gazetteers and taxonomy: resolves user values to stable ids and ids to labels."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.countries = {c["id"]: c for c in data["countries"]}
        self.persons = {p["name"]: p for p in data["persons"]}
        self.organizations = {o["id"]: o for o in data["organizations"]}
        self.topics = {t["id"]: t for t in data["topics"]}
        self.topic_parent = {t["id"]: t.get("parent") for t in data["topics"]}
        self.given_name_countries = {c["id"] for c in data["countries"] if c.get("given_name")}

        # resolver tables: folded phrase -> id
        self._country: dict[str, str] = {}
        for c in data["countries"]:
            for k in ("names", "acronyms", "demonyms", "capitals"):
                for a in c.get(k) or []:
                    self._country.setdefault(fold(a).removeprefix("the "), c["id"])
            for names in (c.get("translations") or {}).values():
                for a in names:
                    self._country.setdefault(fold(a), c["id"])
            self._country[fold(c["name"])] = c["id"]
        for c in data["countries"]:
            self._country[c["id"].lower()] = c["id"]
        self._person: dict[str, str] = {}
        self.surnames: dict[str, list[str]] = defaultdict(list)
        for p in data["persons"]:
            self._person[fold(p["name"])] = p["name"]
            for a in p.get("aliases") or []:
                self._person.setdefault(fold(a), p["name"])
            if p.get("surname"):
                self.surnames[fold(p["surname"])].append(p["name"])
        for s, names in self.surnames.items():
            if len(names) == 1 or any(self.persons[n].get("bare") for n in names):
                best = [n for n in names if self.persons[n].get("bare")] or names
                self._person.setdefault(s, best[0])
        self._org: dict[str, str] = {}
        for o in data["organizations"]:
            self._org[fold(o["id"])] = o["id"]
            for k in ("names", "acronyms"):
                for a in o.get(k) or []:
                    self._org.setdefault(fold(a), o["id"])
            self._org.setdefault(fold(o.get("label") or o["id"]), o["id"])
        self._topic: dict[str, str] = {}
        for t in data["topics"]:
            self._topic[fold(t["id"])] = t["id"]
            self._topic[fold(t["id"].replace("_", " "))] = t["id"]
            self._topic.setdefault(fold(t.get("label") or t["id"]), t["id"])
        for t in data["topics"]:
            for kw in t.get("keywords") or []:
                self._topic.setdefault(fold(kw), t["id"])

    # ------------------------------------------------------------------ resolver

    def resolve(self, field: str, text: str) -> str | None:
        """The stable id a user's value stands for (``resolve("country", "serbian") == "RS"``)."""
        field = _FIELD_ALIASES.get(field, field)
        if text is None:
            return None
        raw = " ".join(str(text).split())
        if field == "hashtag":
            tag = raw.lstrip("#").strip()
            return tag or None
        key = fold(raw).strip(" .,;:!?\"'")
        if not key:
            return None
        if field == "country":
            if raw in self.countries:
                return raw
            key = key.removeprefix("the ")
            return self._country.get(key) or self._country.get(key.rstrip("s"))
        if field == "person":
            hit = self._person.get(key)
            if hit:
                return hit
            name = clean_person(raw)
            hit = self._person.get(fold(name))
            return hit or (name or None)
        if field == "organization":
            return self._org.get(key) or self._org.get(key.removeprefix("the "))
        if field == "topic":
            return self._topic.get(key) or self._topic.get(key.replace("-", " "))
        raise ValueError(f"unknown field {field!r}; expected one of {', '.join(FIELDS)}")

    def label(self, field: str, value: str) -> str:
        """Display label of a stable id (``label("country", "RS") == "Serbia"``)."""
        field = _FIELD_ALIASES.get(field, field)
        if field == "country" and value in self.countries:
            return self.countries[value]["name"]
        if field == "topic" and value in self.topics:
            return self.topics[value].get("label") or value
        if field in ("organization", "organisation") and value in self.organizations:
            return self.organizations[value].get("label") or value
        return value

    def country_of(self, person: str) -> str | None:
        p = self.persons.get(person)
        return p.get("country") if p else None

    # ------------------------------------------------------------------ matchers

    @functools.lru_cache(maxsize=32)
    def matcher(self, lang: str = "en") -> Matcher:
        """The phrase matcher for readouts in ``lang`` (English phrases plus that language's)."""
        m = Matcher()
        inflecting = lang in INFLECTING
        for c in self.data["countries"]:
            cid = c["id"]
            for rule in ("names", "demonyms", "capitals", "acronyms"):
                for a in c.get(rule) or []:
                    e = Entry("countries", cid, f"{rule[:-1]} {a}")
                    m.add(fold(a).removeprefix("the ") if rule != "acronyms" else a, e,
                          case_sensitive=rule == "acronyms" or _is_acronym(a))
            for a in (c.get("translations") or {}).get(lang, []):
                e = Entry("countries", cid, f"name:{lang} {a}", inflect=inflecting)
                key = fold(a)
                m.add(key, e)
                if inflecting:
                    _add_stem(m, key, e, lang)
        for b in _with_plurals(self.data["blockers"]):
            m.add(fold(b), Entry("block", "", f"not a country: {b}"))
        for p in self.data["persons"]:
            for a in [p["name"]] + list(p.get("aliases") or []):
                cyr = not fold(a[:1]) == a[:1].lower() and any("\u0400" <= ch <= "\u04ff" for ch in a)
                if cyr and lang not in CYRILLIC_LANGS:
                    continue
                e = Entry("persons", p["name"], f"person {a}", inflect=cyr or inflecting)
                key = fold(a)
                m.add(key, e)
                if cyr:
                    _add_stem(m, key, e, lang)
                elif inflecting:
                    m.add(key, e, prefix=True, endings=inflections("", lang, key[-1:]))
        for o in self.data["organizations"]:
            for a in o.get("names") or []:
                m.add(fold(a), Entry("organizations", o["id"], f"organization {a}"),
                      case_sensitive=_is_acronym(a))
            for a in o.get("acronyms") or []:
                m.add(fold(a) if not a.isascii() else a,
                      Entry("organizations", o["id"], f"organization {a}"),
                      case_sensitive=a.isascii())
        for b in _with_plurals(self.data["org_ignore"]):
            m.add(fold(b), Entry("block", "", f"not an organization: {b}"))
        for t in self.data["topics"]:
            for kw in t.get("keywords") or []:
                cs = _is_acronym(kw)
                m.add(kw if cs else fold(kw), Entry("topics", t["id"], f"keyword {kw}", "topic"),
                      case_sensitive=cs)
        return m.build()

    # hashed and compared by identity (the default: C speed), so that the per-resources caches
    # (``matcher``, the extractors' compiled tables) are keyed by the object


# ---------------------------------------------------------------------- compiled cache

#: bump when the pickled layout changes (the key also covers the code that builds the tables)
_CACHE_FORMAT = 1
#: the attributes of a Resources that the cache holds (everything built from the data)
_STATE = ("data", "countries", "persons", "organizations", "topics", "topic_parent",
          "given_name_countries", "_country", "_person", "surnames", "_org", "_topic")
_KEEP = 8          # cache files kept (one per combination of user files)
_HERE = Path(__file__).resolve().parent
#: the modules whose code decides what the tables hold
_CODE = ("resources.py", "gazetteer.py", "fold.py", "names.py")


def cache_dir() -> Path | None:
    """Where the compiled cache lives (``$XDG_CACHE_HOME/readsearch``, else
    ``~/.cache/readsearch``); None when ``READSEARCH_NO_CACHE`` is set."""
    if os.environ.get("READSEARCH_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "readsearch"


def _digest(parts: list[tuple[str, Path]], head: str = "") -> str:
    """sha1 of ``head`` and each ``(kind, file)``'s bytes (raises OSError for an unreadable file)."""
    h = hashlib.sha1(head.encode())
    for kind, path in parts:
        data = path.read_bytes()
        h.update(f"{kind} {len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


def _data_parts(gazetteers: tuple[str, ...], taxonomies: tuple[str, ...]) -> list[tuple[str, Path]]:
    return ([("shipped", p) for p in SHIPPED] + [("gazetteer", Path(p)) for p in gazetteers]
            + [("taxonomy", Path(p)) for p in taxonomies])


def data_key(gazetteers: tuple[str, ...] = (), taxonomies: tuple[str, ...] = ()) -> str:
    """sha1 (hex) of the gazetteer and taxonomy data extraction reads: the shipped YAML and the
    user's files, in order. An index keeps it per root, so that a run with other data (a user
    file added or edited, a new release's data) extracts its files again.

    Raises:
        OSError: a file cannot be read.
    """
    return _digest(_data_parts(tuple(gazetteers), tuple(taxonomies)))


def _cache_key(gazetteers: tuple[str, ...], taxonomies: tuple[str, ...]) -> str:
    """sha1 of everything the tables are built from (raises OSError for an unreadable file)."""
    from anyascii import __version__ as anyascii_version

    from readsearch import __version__

    head = (f"readsearch {__version__} cache {_CACHE_FORMAT} anyascii {anyascii_version} "
            f"python {sys.version_info[0]}.{sys.version_info[1]}\n")
    return _digest([("code", _HERE / n) for n in _CODE] + _data_parts(gazetteers, taxonomies), head)


def _read_cache(path: Path) -> Resources | None:
    try:
        with open(path, "rb") as f:
            state = pickle.load(f)
        if not isinstance(state, dict) or set(state) != set(_STATE):
            return None
    except Exception:       # missing, unreadable, truncated, from another version: rebuild
        return None
    res = Resources.__new__(Resources)
    res.__dict__.update(state)
    return res


def _write_cache(folder: Path, path: Path, res: Resources) -> None:
    """Write atomically (temporary file + rename); keep the ``_KEEP`` newest files."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".resources-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump({k: res.__dict__[k] for k in _STATE}, f,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        old = sorted(folder.glob("resources-*.pickle"), key=lambda p: p.stat().st_mtime,
                     reverse=True)
        for p in old[_KEEP:]:
            p.unlink()
    except Exception:       # not writable, disk full, a race with another process: no cache
        pass


@functools.lru_cache(maxsize=8)
def load_resources(gazetteers: tuple[str, ...] = (), taxonomies: tuple[str, ...] = ()) -> Resources:
    """The shipped gazetteers and taxonomy merged with the user's YAML files (cached in the process
    and, compiled, on disk: see the module docstring)."""
    gazetteers, taxonomies = tuple(gazetteers), tuple(taxonomies)
    folder = cache_dir()
    path = None
    if folder is not None:
        try:
            path = folder / f"resources-{_cache_key(gazetteers, taxonomies)}.pickle"
        except OSError:
            path = None     # an unreadable user file: load_data reports it
    if path is not None:
        res = _read_cache(path)
        if res is not None:
            return res
    res = Resources(load_data(gazetteers, taxonomies))
    if path is not None:
        _write_cache(folder, path, res)
    return res
