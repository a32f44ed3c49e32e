"""Loading the shipped gazetteers and taxonomy (``data/*.yaml``) and the user's own YAML files,
merged by id (countries, organisations, topics) or canonical name (persons)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
#: the shipped files, in the order ``load_data`` reads them
SHIPPED = tuple(DATA / n for n in ("countries.yaml", "persons.yaml", "organizations.yaml",
                                   "topics.yaml"))


def _read(path: Path) -> dict[str, Any]:
    import yaml     # imported here: a warm resources cache (resources.py) needs no YAML at all

    with open(path, encoding="utf-8") as f:
        data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data or {}


#: the top-level keys of a user gazetteer (``--gazetteer``) and of a user taxonomy (``--taxonomy``)
GAZETTEER_KEYS = ("countries", "persons", "organizations", "topics", "blockers")
TAXONOMY_KEYS = ("topics",)


def _read_user(path: str, option: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """A user's gazetteer or taxonomy file, checked before it is merged.

    Args:
        path: the file the user named.
        option: the option that named it (``--gazetteer``, ``--taxonomy``), for the message.
        keys: the top-level keys it may hold (:data:`GAZETTEER_KEYS`, :data:`TAXONOMY_KEYS`).

    Returns:
        the parsed mapping.

    Raises:
        UsageError: ``"{option} {path}: {cause}"``, one line: unreadable, not UTF-8, not valid
            YAML (with the line PyYAML stopped at), not a mapping, none of ``keys`` (nothing to
            add), a key that is not a list, an entry that is not a mapping.
    """
    import yaml

    from readsearch.errors import UsageError, os_cause, value_kind, yaml_problem

    def fail(cause: str):
        raise UsageError(f"{option} {path}: {cause}")

    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        fail(os_cause(e))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        fail("not UTF-8 text")
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        problem, line = yaml_problem(e)
        fail(f"not valid YAML: {problem}" + (f" (line {line})" if line else ""))
    data = {} if data is None else data
    if not isinstance(data, dict):
        names = ", ".join(keys[:-1]) + " or " + keys[-1] if len(keys) > 1 else keys[0]
        fail(f"expected a YAML mapping with {names}, found {value_kind(data)}")
    known = [k for k in keys if k in data]
    if not known:
        fail(f"holds none of {', '.join(keys)}: nothing to add")
    for k in known:
        entries = data[k]
        if not isinstance(entries, list):
            fail(f"'{k}' must be a list of entries, not {value_kind(entries)}")
        if k == "blockers":
            continue
        for i, e in enumerate(entries, 1):
            if not isinstance(e, dict):
                fail(f"'{k}' entry {i} must be a mapping ({'name' if k == 'persons' else 'id'}: ...), "
                     f"not {value_kind(e)}")
    return data


#: what names an entry of each list (the key entries are merged by)
ENTRY_KEYS = {"countries": "id", "persons": "name", "organizations": "id", "topics": "id"}
#: keys of a user's entry besides those the shipped entries use: merge controls (:func:`_merge`)
MERGE_KEYS = ("enabled", "replace")


def _check_entries(user: dict, data: dict, path: str, option: str) -> None:
    """Check a user file's entries against the data they merge into: each names itself (``id``,
    or ``name`` for a person) with a non-empty string, uses only keys the shipped entries of its
    kind use (plus :data:`MERGE_KEYS`), and a person's ``country`` is a country id of the
    gazetteers (ISO 3166-1 alpha-2, or one the same file adds). An entry missing its name was
    skipped without a word, ``nam:`` for ``name:`` too, and ``country: ZZ`` made a facet value.

    Raises:
        UsageError: ``"{option} {path}: {cause}"``, naming the entry and the key.
    """
    from readsearch.errors import UsageError

    def fail(cause: str):
        raise UsageError(f"{option} {path}: {cause}")

    countries = {c.get("id") for c in data["countries"]} | {
        c.get("id") for c in user.get("countries") or [] if isinstance(c, dict)}
    for kind, key in ENTRY_KEYS.items():
        allowed = {k for e in data[kind] for k in e} | set(MERGE_KEYS) | {key}
        for i, e in enumerate(user.get(kind) or [], 1):
            name = e.get(key)
            if not isinstance(name, str) or not name.strip():
                fail(f"'{kind}' entry {i} has no {key} (each entry is named by '{key}: ...')")
            unknown = sorted(k for k in e if k not in allowed)
            if unknown:
                fail(f"'{kind}' entry {name!r}: unknown key '{unknown[0]}' (keys: {', '.join(sorted(allowed))})")
            if kind == "persons" and e.get("country") is not None and e["country"] not in countries:
                fail(f"person {name!r}: country {e['country']!r} is not a country id of the gazetteers "
                     "(ISO 3166-1 alpha-2, e.g. RS)")


def _merge(base: list[dict], extra: list[dict], key: str) -> list[dict]:
    """Entries of ``extra`` replace those of ``base`` with the same ``key``; ``enabled: false``
    removes one; list values of a partial entry (no label/name change) are added to the base's."""
    index = {e[key]: i for i, e in enumerate(base)}
    out = list(base)
    for e in extra:
        k = e.get(key)
        if k is None:
            continue
        if k in index:
            old = out[index[k]]
            if e.get("replace"):
                out[index[k]] = e
            else:
                new = dict(old)
                for f, v in e.items():
                    if isinstance(v, list) and isinstance(old.get(f), list):
                        new[f] = list(dict.fromkeys(old[f] + v))
                    else:
                        new[f] = v
                out[index[k]] = new
        else:
            index[k] = len(out)
            out.append(e)
    return [e for e in out if e.get("enabled", True) is not False]


def load_data(gazetteers: tuple[str, ...] = (), taxonomies: tuple[str, ...] = ()) -> dict:
    """The merged data: ``countries``, ``blockers``, ``persons``, ``organizations``,
    ``org_ignore``, ``topics``.

    Raises:
        UsageError: a user file cannot be used (see :func:`_read_user`).
    """
    c = _read(DATA / "countries.yaml")
    p = _read(DATA / "persons.yaml")
    o = _read(DATA / "organizations.yaml")
    t = _read(DATA / "topics.yaml")
    data = {
        "countries": c.get("countries") or [], "blockers": list(c.get("blockers") or []),
        "persons": p.get("persons") or [], "organizations": o.get("organizations") or [],
        "org_ignore": list(o.get("ignore") or []), "topics": t.get("topics") or [],
    }
    for path in gazetteers:
        u = _read_user(path, "--gazetteer", GAZETTEER_KEYS)
        _check_entries(u, data, path, "--gazetteer")
        data["countries"] = _merge(data["countries"], u.get("countries") or [], "id")
        data["persons"] = _merge(data["persons"], u.get("persons") or [], "name")
        data["organizations"] = _merge(data["organizations"], u.get("organizations") or [], "id")
        data["blockers"] += u.get("blockers") or []
        data["topics"] = _merge(data["topics"], u.get("topics") or [], "id")
    for path in taxonomies:
        u = _read_user(path, "--taxonomy", TAXONOMY_KEYS)
        _check_entries(u, data, path, "--taxonomy")
        data["topics"] = _merge(data["topics"], u.get("topics") or [], "id")
    return data
