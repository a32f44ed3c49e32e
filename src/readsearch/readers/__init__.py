"""Corpus readers: file formats in, :class:`~readsearch.model.Readout` records out.

Readers know file formats and nothing about entities or the index. ``read_file`` picks a reader
by extension (and, for ambiguous extensions, by sniffing the content), reads the bytes, and
returns the readouts of that file or one :class:`~readsearch.model.ReadError` naming the cause.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from readsearch.model import ReadError, Readout
from readsearch.readers.decode import NotText, decode
from readsearch.readers.text import read_text
from readsearch.readers.walk import walk_files

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass
class ReadOptions:
    """How to read files.

    Attributes:
        max_bytes: files larger than this many bytes fail (default 5 MiB).
        field_map: for record formats, readout field -> source field name (``{"body": "content"}``).
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
    """

    items: list[Readout | ReadError]
    digest: str = ""
    size: int = 0
    mtime: float = 0.0
    skipped: int = 0


def _read_markdown(data: bytes, path: str, doc_id: str, options: ReadOptions) -> FileRead:
    text, encoding = decode(data)
    return FileRead(read_text(text, path, doc_id, markdown=True, encoding=encoding))


def _read_plain(data: bytes, path: str, doc_id: str, options: ReadOptions) -> FileRead:
    text, encoding = decode(data)
    return FileRead(read_text(text, path, doc_id, markdown=False, encoding=encoding))


Reader = Callable[[bytes, str, str, ReadOptions], FileRead]

#: extension (lower case, with dot) -> reader function
READERS: dict[str, Reader] = {
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".txt": _read_plain,
}


def register(extension: str, reader: Reader) -> None:
    """Add or replace the reader for a file extension (``".json"``)."""
    READERS[extension.lower()] = reader


def extensions() -> frozenset[str]:
    """The file extensions readsearch reads."""
    return frozenset(READERS)


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
        a :class:`FileRead`. Never raises for a bad file: unreadable, too large, binary,
        undecodable or malformed files give one :class:`ReadError` with a one-line cause.
    """
    options = options or ReadOptions()
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
        return FileRead([ReadError(path, f"cannot read: {e.strerror or e}")])
    if st.st_size > options.max_bytes:
        return FileRead([ReadError(path, f"file too large: {st.st_size} bytes > limit {options.max_bytes}")],
                        size=st.st_size, mtime=st.st_mtime)
    if data is None:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            return FileRead([ReadError(path, f"cannot read: {e.strerror or e}")], size=st.st_size, mtime=st.st_mtime)
    digest = hashlib.sha1(data).hexdigest()
    try:
        result = reader(data, path, doc_id, options)
    except NotText as e:
        result = FileRead([ReadError(path, str(e))])
    except (ValueError, KeyError, TypeError) as e:  # a reader's parse failure on a malformed file
        result = FileRead([ReadError(path, f"cannot parse: {e}")])
    result.digest, result.size, result.mtime = digest, st.st_size, st.st_mtime
    return result


__all__ = ["READERS", "FileRead", "ReadOptions", "read_file", "register", "extensions", "walk_files"]
