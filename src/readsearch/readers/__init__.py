"""Corpus readers: file formats in, :class:`~readsearch.model.Readout` records out.

Readers know file formats and nothing about entities or the index. ``read_file`` picks a reader
by extension (and, for ambiguous extensions, by sniffing the content), reads the bytes, and
returns the readouts of that file or one :class:`~readsearch.model.ReadError` naming the cause.

Formats: ``.md``/``.markdown``/``.txt`` (:mod:`.text`), ``.html``/``.htm`` (:mod:`.html`),
``.jsonl``/``.ndjson`` and ``.csv`` (:mod:`.records`), and ``.json``: a Telegram Desktop export
(:mod:`.telegram`) when its content has that shape, else records (:mod:`.records`).
"""
from __future__ import annotations

import csv
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field

from readsearch.errors import one_line, os_cause
from readsearch.model import ReadError, Readout
from readsearch.readers import records, telegram
from readsearch.readers.decode import NotText, decode
from readsearch.readers.text import read_text
from readsearch.readers.walk import walk_files

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass
class ReadOptions:
    """How to read files.

    Attributes:
        max_bytes: files larger than this many bytes fail (default 5 MiB).
        field_map: for record formats, readout field -> source field name (``{"body": "content"}``;
            the names :data:`readsearch.readers.records.FIELD_NAMES` knows, and aliases such as
            ``text`` or ``date``; a dotted source name reaches into nested objects).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    field_map: dict[str, str] = field(default_factory=dict)


@dataclass
class FileRead:
    """What reading one file gave: its readouts and failures, and the file's identity.

    Attributes:
        items: readouts and read errors, in file order.
        digest: SHA-1 hex digest of the bytes ("" when the file could not be read).
        size: bytes; mtime: modification time in seconds since the epoch.
        skipped: records deliberately left out (service messages, empty posts).
        warnings: warnings about the file as a whole (records skipped for want of text).
    """

    items: list[Readout | ReadError]
    digest: str = ""
    size: int = 0
    mtime: float = 0.0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


def _empty(path: str, doc_id: str, encoding: str) -> FileRead:
    """An empty file: not a failure, one warning (the index run skips and counts it)."""
    return FileRead([Readout(id=doc_id, path=path, encoding=encoding, warnings=["empty file: nothing to index"])])


def _read_markdown(data: bytes, path: str, doc_id: str, options: ReadOptions) -> FileRead:
    text, encoding = decode(data)
    if not text.strip():
        return _empty(path, doc_id, encoding)
    return FileRead(read_text(text, path, doc_id, markdown=True, encoding=encoding))


def _read_plain(data: bytes, path: str, doc_id: str, options: ReadOptions) -> FileRead:
    text, encoding = decode(data)
    if not text.strip():
        return _empty(path, doc_id, encoding)
    return FileRead(read_text(text, path, doc_id, markdown=False, encoding=encoding))


def _read_html(data: bytes, path: str, doc_id: str, options: ReadOptions) -> FileRead:
    from readsearch.readers.html import declared_charset, read_html

    text, encoding = decode(data, declared=declared_charset(data))
    if not text.strip():
        return _empty(path, doc_id, encoding)
    return FileRead([read_html(text, path, doc_id, encoding)])


def _read_json(data: bytes, path: str, doc_id: str, options: ReadOptions) -> FileRead:
    text, encoding = decode(data)
    if not text.strip():
        return _empty(path, doc_id, encoding)
    obj = records.parse_json(text)
    if telegram.is_export(obj):
        readouts, skipped = telegram.read_export(obj, path, doc_id, encoding)
        return FileRead(list(readouts), skipped=skipped)
    return _from_records(records.records_of(obj), path, doc_id, options, encoding)


def _from_records(recs: list, path: str, doc_id: str, options: ReadOptions, encoding: str,
                  bad_lines: list | None = None) -> FileRead:
    """A file of records (JSON, JSON Lines, CSV): its readouts, then the error naming its bad
    lines if any, and one warning naming the records skipped."""
    items, skipped = records.to_readouts(recs, path, doc_id, options.field_map, encoding)
    if bad_lines:
        items.append(records.bad_lines_error(path, bad_lines))
    return FileRead(items, skipped=sum(map(len, skipped.values())), warnings=records.skipped_note(skipped))


def _read_jsonl(data: bytes, path: str, doc_id: str, options: ReadOptions) -> FileRead:
    text, encoding = decode(data)
    if not text.strip():
        return _empty(path, doc_id, encoding)
    recs, bad = records.parse_lines(text)
    if bad and not recs:
        return FileRead([records.bad_lines_error(path, bad)])
    return _from_records(recs, path, doc_id, options, encoding, bad)


def _read_csv(data: bytes, path: str, doc_id: str, options: ReadOptions) -> FileRead:
    text, encoding = decode(data)
    if not text.strip():
        return _empty(path, doc_id, encoding)
    rows = records.parse_csv(text, options.max_bytes)
    return _from_records(rows, path, doc_id, options, encoding)


Reader = Callable[[bytes, str, str, ReadOptions], FileRead]

#: extension (lower case, with dot) -> reader function
READERS: dict[str, Reader] = {
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".txt": _read_plain,
    ".html": _read_html,
    ".htm": _read_html,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".csv": _read_csv,
}


def register(extension: str, reader: Reader) -> None:
    """Add or replace the reader for a file extension (``".json"``)."""
    READERS[extension.lower()] = reader


def extensions() -> frozenset[str]:
    """The file extensions readsearch reads."""
    return frozenset(READERS)


def _special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is (``stat`` mode bits), or None for a regular one
    (a folder is reported by ``open``)."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return None


def _one_line(message: str, limit: int = 300) -> str:
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def read_file(path: str, doc_id: str, options: ReadOptions | None = None,
              data: bytes | None = None) -> FileRead:
    """Read one file into readouts.

    Args:
        path: the file (absolute path).
        doc_id: id of the document (the path relative to its indexed root); record formats
            append ``#<record id>``.
        options: :class:`ReadOptions` (size limit, field mapping).
        data: the bytes, when the caller already has them.

    Returns:
        a :class:`FileRead`. Never raises for a bad file: a missing file or broken symbolic
        link, a file name that is not UTF-8 or holds a control character (a line break), a named pipe, socket or device (never opened: a
        pipe would wait for a writer), a file over ``options.max_bytes``, an unreadable
        (permission), binary, undecodable or malformed file gives one :class:`ReadError` with
        a one-line cause.
        Empty files are not failures: one readout with an empty body and a warning.
    """
    options = options or ReadOptions()
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:   # bytes the file system decoding could not map (os.fsdecode)
        shown = os.path.basename(path).encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
        return FileRead([ReadError(path, f"file name is not valid UTF-8 ({shown}): rename the file")])
    shown = one_line(doc_id)
    if shown != doc_id:  # the id is one line of --format ids and an argument of show
        return FileRead([ReadError(path, f"file name holds a control character ({shown}): rename the file")])
    ext = os.path.splitext(path)[1].lower()
    reader = READERS.get(ext)
    if reader is None:
        return FileRead([ReadError(path, f"unsupported file type {ext or '(none)'}")])
    try:
        st = os.stat(path)
    except FileNotFoundError:
        cause = "broken symbolic link" if os.path.islink(path) else "file not found"
        return FileRead([ReadError(path, cause)])
    except OSError as e:
        return FileRead([ReadError(path, os_cause(e))])
    special = _special_kind(st.st_mode)
    if special:   # opening a named pipe would wait for a writer; a device may never end
        return FileRead([ReadError(path, f"not a regular file ({special}): not read")])
    if st.st_size > options.max_bytes:
        mib = 1024 * 1024
        size = f"{st.st_size} bytes" + (f" ({st.st_size / mib:.1f} MiB)" if st.st_size >= mib // 10 else "")
        limit = f"{options.max_bytes / mib:g} MiB" if options.max_bytes >= mib // 10 else f"{options.max_bytes} bytes"
        cause = f"file too large: {size} over the {limit} limit"
        return FileRead([ReadError(path, cause)], size=st.st_size, mtime=st.st_mtime)
    if data is None:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            return FileRead([ReadError(path, os_cause(e))], size=st.st_size, mtime=st.st_mtime)
    digest = hashlib.sha1(data).hexdigest()
    try:
        result = reader(data, path, doc_id, options)
    except NotText as e:
        result = FileRead([ReadError(path, str(e))])
    except (ValueError, csv.Error) as e:  # a reader's parse failure on a malformed file
        result = FileRead([ReadError(path, _one_line(str(e)))])
    except RecursionError:
        result = FileRead([ReadError(path, "cannot parse: nested too deeply")])
    except Exception as e:  # noqa: BLE001 - a reader never stops the run; name the failure instead
        result = FileRead([ReadError(path, _one_line(f"cannot parse: {type(e).__name__}: {e}"))])
    result.digest, result.size, result.mtime = digest, st.st_size, st.st_mtime
    return result


__all__ = ["READERS", "FileRead", "ReadOptions", "read_file", "register", "extensions", "walk_files"]
