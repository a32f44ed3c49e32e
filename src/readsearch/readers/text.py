"""Plain-text and Markdown readouts, with optional YAML front matter.

Front matter is parsed with python-frontmatter (PyYAML underneath). Recognised keys: ``title``,
``date`` or ``published`` (publication date), ``issuer``, ``source_url`` (or ``url``),
``language`` (or ``lang``); every key is kept in ``Readout.meta`` as read.
"""
from __future__ import annotations

import re

import frontmatter
import yaml

from readsearch.errors import value_kind, yaml_problem
from readsearch.model import ReadError, Readout
from readsearch.readers.fields import clean_text as _text
from readsearch.readers.fields import iso_date
from readsearch.readers.markup import strip_markup
from readsearch.readers.normalize import collapse_repeats, derive_title, looks_like_heading

_FRONT = re.compile(r"^---[ \t]*\n")


_LOADER = None


def _text_dates_loader():
    """PyYAML's safe loader (its C one when built) with dates left as the text written: YAML
    turns ``date: 2023-13-01`` into a ``datetime.date`` and fails the whole front matter
    ("month must be in 1..12"); as text, a bad date is a warning naming its key and the rest of
    the file is read (dates are checked by ``iso_date`` like every other value)."""
    global _LOADER
    if _LOADER is None:
        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        _LOADER = type("TextDatesLoader", (base,), {})
        _LOADER.yaml_implicit_resolvers = {
            first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in base.yaml_implicit_resolvers.items()}
    return _LOADER


def read_text(text: str, path: str, doc_id: str, markdown: bool, encoding: str = "utf-8") -> list[Readout | ReadError]:
    """Parse one decoded text/Markdown file into a readout.

    Args:
        text: decoded file content (BOM removed, ``\\n`` line ends).
        path: absolute source path (for messages).
        doc_id: the document id to give it.
        markdown: strip Markdown syntax as well as inline HTML.
        encoding: the encoding it was decoded with (recorded in the readout).

    Returns:
        ``[Readout]``, or ``[ReadError]`` when the front matter is malformed.
    """
    meta: dict = {}
    body = text
    warnings: list[str] = []
    if _FRONT.match(text):
        # python-frontmatter's own split and load, without its silent fallbacks: front matter
        # with no closing line used to become the text, and a YAML list was dropped
        handler = frontmatter.YAMLHandler()
        try:
            fm, content = handler.split(text.strip())
        except ValueError:
            fm, content = None, text
            warnings.append("front matter has no closing '---' line: the file was read as text")
        if fm is not None:
            try:
                data = yaml.load(fm, Loader=_text_dates_loader())
            except yaml.YAMLError as e:
                problem, line = yaml_problem(e)
                where = f" (line {line})" if line else ""
                return [ReadError(path, f"malformed YAML front matter{where}: {problem}")]
            except ValueError as e:
                return [ReadError(path, f"malformed front matter: {e}")]
            if data is not None and not isinstance(data, dict):
                return [ReadError(path, f"malformed front matter: {value_kind(data)}, not a mapping of keys to values")]
            meta = dict(data or {})
            body = content.strip()
    for key in ("date", "published"):
        value = meta.get(key)
        if value not in (None, "") and iso_date(value) is None:
            warnings.append(f"front matter {key}: {value!r} is not a date: ignored")
    for key in ("title", "issuer", "source_url", "url", "language", "lang"):
        value = meta.get(key)
        if isinstance(value, (dict, list)):
            warnings.append(f"front matter {key}: {value_kind(value)}, not text: ignored")
            meta.pop(key)
    title = _text(meta.get("title"))
    lines = body.lstrip("\n").split("\n")
    if title is None and lines and looks_like_heading(lines[0], lines[1] if len(lines) > 1 else None) \
            and "\n".join(lines[1:]).strip():  # a heading has a body after it
        title = lines[0].strip().lstrip("#").strip()
        body = "\n".join(lines[1:])
    body = collapse_repeats(strip_markup(body, markdown=markdown))
    if title is None:
        title = derive_title(body)
    else:
        title = strip_markup(title, markdown=False)
    published = iso_date(meta.get("date")) or iso_date(meta.get("published"))
    readout = Readout(
        id=doc_id,
        path=path,
        title=title,
        body=body,
        published=published,
        issuer=_text(meta.get("issuer")),
        source_url=_text(meta.get("source_url") or meta.get("url")),
        language=_text(meta.get("language") or meta.get("lang")),
        meta=meta,
        encoding=encoding,
    )
    readout.warnings.extend(warnings)
    if not body.strip():
        readout.warnings.append("no body text" + (" (indexed with its title)" if title else ""))
    return [readout]
