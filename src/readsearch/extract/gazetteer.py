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
    ``org_ignore``, ``topics``."""
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
        u = _read(Path(path))
        data["countries"] = _merge(data["countries"], u.get("countries") or [], "id")
        data["persons"] = _merge(data["persons"], u.get("persons") or [], "name")
        data["organizations"] = _merge(data["organizations"], u.get("organizations") or [], "id")
        data["blockers"] += u.get("blockers") or []
        data["topics"] = _merge(data["topics"], u.get("topics") or [], "id")
    for path in taxonomies:
        u = _read(Path(path))
        data["topics"] = _merge(data["topics"], u.get("topics") or [], "id")
    return data
