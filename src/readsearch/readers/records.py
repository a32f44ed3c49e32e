"""Scraped records: JSON Lines, JSON arrays, a JSON object holding one list of records, and CSV.

Each record becomes one readout with id ``<file id>#<record id>``: the record's ``id`` field
when it has one, else its 1-based position among the file's records (the data row of a CSV).
Fields are found by their common names (:data:`FIELD_NAMES`, first present wins) or by the
user's mapping (``--field body=content``, :class:`~readsearch.readers.ReadOptions.field_map`;
a dotted name such as ``user.name`` reaches into nested objects); names match regardless of
case (a CSV column ``Title``). Records without body text
are skipped and counted.
"""
from __future__ import annotations

import csv
import datetime as _dt
import json
from typing import Any

from readsearch.model import ReadError, Readout
from readsearch.readers.fields import clean_text, iso_date
from readsearch.readers.markup import strip_markup
from readsearch.readers.normalize import collapse_repeats, derive_title
from readsearch.readers.telegram import plain_text

#: readout field -> record field names tried in order
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "id_str", "uuid", "guid"),
    "title": ("title", "headline", "subject"),
    "body": ("text", "body", "content", "full_text", "message"),
    "published": ("date", "published", "created_at", "published_at", "pubdate", "datetime", "timestamp"),
    "source_url": ("url", "source_url", "link", "permalink", "href"),
    "issuer": ("issuer", "source", "author", "publisher"),
    "language": ("language", "lang"),
}
#: other names a user may give on the left of ``--field NAME=SOURCE``
FIELD_ALIASES = {"text": "body", "content": "body", "date": "published", "created_at": "published",
                 "url": "source_url", "link": "source_url", "source": "issuer", "author": "issuer",
                 "lang": "language"}
#: list keys preferred when a JSON object holds several lists of records
LIST_KEYS = ("records", "items", "data", "tweets", "posts", "results", "entries", "documents",
             "readouts", "articles", "messages")
_SNIFF_BYTES = 64 * 1024


def canonical_field(name: str) -> str | None:
    """The readout field a ``--field`` name means (``text`` -> ``body``), or None if unknown."""
    name = name.strip().lower()
    if name in FIELD_NAMES:
        return name
    return FIELD_ALIASES.get(name)


def _lookup(record: dict, name: str) -> Any:
    """``record[name]``; else the key that differs in case only (``Title``); else a dotted path."""
    if name in record:
        return record[name]
    low = name.lower()
    for key in record:
        if isinstance(key, str) and key.lower() == low:
            return record[key]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _names(field_map: dict[str, str], fieldname: str) -> tuple[str, ...]:
    """Source names for a readout field: the user's mapping first, then the common names (so one
    ``--field`` for a CSV does not blind the run to the other record files)."""
    mapped = tuple(src for key, src in field_map.items() if canonical_field(key) == fieldname)
    return mapped + tuple(n for n in FIELD_NAMES[fieldname] if n not in mapped)


def _first(record: dict, names: tuple[str, ...]) -> Any:
    for name in names:
        value = _lookup(record, name)
        if value is not None and value != "":
            return value
    return None


def _date(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1e8 < value < 1e11:
        return _dt.datetime.fromtimestamp(value, _dt.timezone.utc).date().isoformat()
    if isinstance(value, str) and value.strip().isdigit() and 9 <= len(value.strip()) <= 10:
        return _date(int(value.strip()))
    return iso_date(value)


def _person(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("screen_name") or value.get("username")
    return clean_text(value) if isinstance(value, (str, int, float)) else None


def _body(value: Any) -> str:
    text = plain_text(value) if isinstance(value, (str, list)) else ("" if value is None else str(value))
    return collapse_repeats(strip_markup(text.replace("\r\n", "\n"), markdown=False))


def to_readouts(records: list[Any], path: str, doc_id: str, field_map: dict[str, str] | None = None,
                encoding: str = "utf-8") -> tuple[list[Readout | ReadError], dict[str, list[int]]]:
    """Turn parsed records into readouts.

    Args:
        records: the records in file order (objects; anything else is skipped).
        path: absolute path of the file.
        doc_id: the file's document id (each record gets ``<doc_id>#<record id>``).
        field_map: readout field -> record field (``{"body": "content"}``), over the common names.
        encoding: the encoding the file was decoded with.

    Returns:
        (items, skipped): the readouts, and the records left out as ``{reason: [1-based record
        numbers]}`` (reasons ``no body text``, ``not an object``; see :func:`skipped_note`);
        or ``([ReadError], {})`` when no record has a body field at all (the mapping is probably
        missing). A repeated record id gets the record's position instead, with a warning.
    """
    field_map = field_map or {}
    names = {f: _names(field_map, f) for f in FIELD_NAMES}
    items: list[Readout | ReadError] = []
    skipped: dict[str, list[int]] = {}
    seen: set[str] = set()
    any_body_field = False
    for n, record in enumerate(records, 1):
        if not isinstance(record, dict):
            skipped.setdefault("not an object", []).append(n)
            continue
        raw_body = _first(record, names["body"])
        any_body_field = any_body_field or any(_lookup(record, k) is not None for k in names["body"])
        body = _body(raw_body)
        if not body:
            skipped.setdefault("no body text", []).append(n)
            continue
        warnings = []
        rid = clean_text(_first(record, names["id"])) or str(n)
        if rid in seen:
            warnings.append(f"record {n}: id {rid!r} repeats an earlier record; indexed as #{n}")
            rid = str(n)
        seen.add(rid)
        title = clean_text(_first(record, names["title"]))
        items.append(Readout(
            id=f"{doc_id}#{rid}",
            path=path,
            title=strip_markup(title, markdown=False) if title else derive_title(body),
            body=body,
            published=_date(_first(record, names["published"])),
            issuer=_person(_first(record, names["issuer"])),
            source_url=clean_text(_first(record, names["source_url"])),
            language=clean_text(_first(record, names["language"])),
            meta=dict(record),
            encoding=encoding,
            warnings=warnings,
        ))
    if records and not any_body_field:
        looked = ", ".join(names["body"])
        return [ReadError(path, f"no record has a body field (looked for {looked}); "
                                f"map one with --field body=NAME")], {}
    return items, skipped


def skipped_note(skipped: dict[str, list[int]], shown: int = 5) -> list[str]:
    """The one warning for a file's records left out by :func:`to_readouts` (none when none was):
    ``"3 records skipped: no body text (records 2, 5, 9)"``, at most ``shown`` numbers per
    reason, then how many more."""
    total = sum(map(len, skipped.values()))
    if not total:
        return []
    parts = []
    for reason, numbers in skipped.items():
        listed = ", ".join(map(str, numbers[:shown]))
        more = f" and {len(numbers) - shown} more" if len(numbers) > shown else ""
        parts.append(f"{reason} (record{'s' if len(numbers) > 1 else ''} {listed}{more})")
    return [f"{total} record{'s' if total > 1 else ''} skipped: {', '.join(parts)}"]


def records_of(obj: Any) -> list[Any]:
    """The records a parsed JSON document holds.

    Args:
        obj: a list (the records), an object holding one list of objects (``{"tweets": [...]}``;
            with several, the one named in :data:`LIST_KEYS`), or one object that is itself a
            record (has a body field).

    Returns:
        the list of records.

    Raises:
        ValueError: the document holds no records, or several lists none of which is preferred.
    """
    if isinstance(obj, list):
        return obj
    if not isinstance(obj, dict):
        raise ValueError(f"JSON {type(obj).__name__} is not a record or a list of records")
    lists = [k for k, v in obj.items() if isinstance(v, list) and v and all(isinstance(r, dict) for r in v[:5])]
    if len(lists) == 1:
        return obj[lists[0]]
    if len(lists) > 1:
        for key in LIST_KEYS:
            if key in lists:
                return obj[key]
        raise ValueError(f"JSON object holds several lists of records ({', '.join(lists)}): cannot tell which")
    if any(k in obj for k in FIELD_NAMES["body"]):
        return [obj]
    empty = [k for k, v in obj.items() if isinstance(v, list)]
    if empty:
        return []
    raise ValueError("JSON object holds no list of records and no text field")


def parse_json(text: str) -> Any:
    """Parse a JSON document, accepting JSON Lines saved as ``.json`` too.

    Returns:
        the parsed value (a list of records for JSON Lines).

    Raises:
        ValueError: malformed JSON, with line and column.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and text.lstrip().startswith("{"):
            records, bad = parse_lines(text)
            if not bad:
                return records
        raise ValueError(f"malformed JSON (line {e.lineno}, column {e.colno}): {e.msg}") from None


def parse_lines(text: str) -> tuple[list[Any], list[str]]:
    """Parse JSON Lines: one JSON value per line, blank lines ignored.

    Returns:
        (records, problems): the parsed values, and one ``"line N: message"`` per bad line.
    """
    records: list[Any] = []
    bad: list[str] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            bad.append(f"line {lineno}: {e.msg} (column {e.colno})")
    return records, bad


def bad_lines_error(path: str, bad: list[str]) -> ReadError:
    """One :class:`ReadError` summing up the malformed lines of a JSON Lines file."""
    more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
    return ReadError(path, f"malformed JSON Lines: {bad[0]}{more}")


def parse_csv(text: str, max_field: int) -> list[dict[str, str]]:
    """Parse CSV with a header row; the dialect (``,`` ``;`` tab ``|``, quoting) is sniffed.

    Args:
        text: decoded file content.
        max_field: largest field in characters (the file size limit).

    Returns:
        one dict per data row (header -> value; blank rows dropped).

    Raises:
        ValueError: no header row, or a malformed row.
    """
    sample = text[:_SNIFF_BYTES]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    if csv.field_size_limit() < max_field:
        csv.field_size_limit(max_field)
    reader = csv.DictReader(text.splitlines(keepends=True), dialect=dialect)
    if not reader.fieldnames:
        raise ValueError("CSV without a header row")
    reader.fieldnames = [(h or "").strip().lstrip("\ufeff") for h in reader.fieldnames]
    try:
        rows = [row for row in reader if any((v or "").strip() for v in row.values() if isinstance(v, str))]
    except csv.Error as e:
        raise ValueError(f"malformed CSV (line {reader.line_num}): {e}") from None
    for row in rows:
        row.pop(None, None)  # cells beyond the header
    return rows
