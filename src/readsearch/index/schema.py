"""The Whoosh schema of a readsearch index.

Fields (see README "Index fields"):

- ``key`` unique key ``<root>\\x1f<id>`` (one document per source, whatever the roots);
  ``id``, ``root``, ``path``: identity.
- ``title`` (boost 2.0) and ``body``: analysed text (:mod:`readsearch.index.analysis`),
  scored with BM25F, positions kept for phrases. ``title`` is stored; the body's text is kept
  in its own compressed column ``body_text`` (UTF-8), read only for snippets, ``show``,
  ``similar`` and duplicate checks (:func:`body_reader`): a hit's stored fields are then a
  few hundred bytes, not the whole page to decompress.
- ``date`` (event date) and ``published``: ISO ``YYYY-MM-DD`` strings, so that a one-day, month
  (``2023-12``) or year query is a prefix or a range of exact terms; ``year`` a facet.
- facets: ``country``, ``person``, ``participant``, ``topic``, ``hashtag``, ``organization``
  (multi-valued, comma separated stable ids, case kept), ``issuer``, ``kind``,
  ``initiative``, ``language``, ``year`` (single-valued).
- bookkeeping: ``mtime``, ``size``, ``digest`` (change detection); ``body_key`` (digest of the
  normalised body), ``dup_group`` (set only on a readout that duplicates others: the
  ``body_key`` of each readout it duplicates; groups are the connected components), ``lsh`` (MinHash band keys for
  finding near-duplicates), ``richness`` and ``body_len`` (pick a group's representative),
  ``meta`` (JSON of the raw metadata).
"""
from __future__ import annotations

from whoosh.columns import CompressedBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from readsearch.index.analysis import text_analyzer
from readsearch.index.postings import ReadoutPositions

SCHEMA_VERSION = 7

#: multi-valued facet fields (comma separated in the index)
MULTI_FACETS = ("country", "person", "participant", "topic", "hashtag", "organization")
#: single-valued facet fields
SINGLE_FACETS = ("issuer", "kind", "initiative", "language", "year")
#: facets the ``--facets`` option prints, in order
DEFAULT_FACETS = ("country", "person", "topic", "hashtag", "organization", "issuer", "year")
#: fields a user may name in ``field:value``
QUERY_FIELDS = MULTI_FACETS + SINGLE_FACETS + ("date", "published", "id", "title", "body")


def build_schema() -> Schema:
    """A new :class:`whoosh.fields.Schema` for readsearch documents."""
    an = text_analyzer()
    fields = dict(
        key=ID(unique=True),
        id=ID(stored=True),
        root=ID(stored=True),
        path=STORED(),
        title=TEXT(analyzer=an, stored=True, field_boost=2.0, multitoken_query="phrase"),
        body=TEXT(analyzer=an, stored=False, multitoken_query="phrase"),
        body_text=COLUMN(CompressedBytesColumn()),
        date=ID(stored=True),
        published=ID(stored=True),
        source_url=STORED(),
        meta=STORED(),
        mtime=STORED(),
        size=STORED(),
        digest=STORED(),
        body_key=ID(stored=True),
        dup_group=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        lsh=KEYWORD(commas=True, lowercase=False, scorable=False),
        richness=STORED(),
        body_len=STORED(),
    )
    for name in ("title", "body"):  # same postings as the analyzer's, built in one pass
        fields[name].format = ReadoutPositions(field_boost=fields[name].format.field_boost)
    for name in MULTI_FACETS:
        fields[name] = KEYWORD(stored=True, commas=True, lowercase=False, scorable=False)
    for name in SINGLE_FACETS:
        fields[name] = ID(stored=True)
    return Schema(**fields)


def stored_values(value: str | None) -> list[str]:
    """The values of a multi-valued facet field (``country``, ``person``, ``participant`` ...)
    from its stored text, which is the values joined by commas
    (:func:`readsearch.index.writer.document_fields`); ``[]`` for none."""
    return [v for v in (value or "").split(",") if v]


def body_reader(reader):
    """The body texts of ``reader``'s documents.

    Args:
        reader: a Whoosh index reader (one segment or many).

    Returns:
        a function docnum -> body text (``str``; ``""`` for a document without one).
    """
    if not reader.has_column("body_text"):
        return lambda docnum: ""
    col = reader.column_reader("body_text", translate=False)

    def body(docnum: int) -> str:
        raw = col[docnum]
        return raw.decode("utf-8") if raw else ""

    return body


def stored_reader(reader):
    """The stored fields of ``reader``'s documents, read straight from each segment.

    Whoosh's ``reader.stored_fields`` passes every stored field of every document through a
    membership test of the schema (for an index whose schema lost a field since); a readsearch
    index's schema never changes in place (another :data:`SCHEMA_VERSION` is rebuilt), so the
    test only costs: a third of the time of reading a hit's fields (batch lookups, 14k
    whitehouse index, cProfile).

    Args:
        reader: a Whoosh index reader (one segment or many).

    Returns:
        a function docnum -> ``{field name: value}`` (a new dict each call; ``{}`` for a
        document without stored fields).
    """
    from bisect import bisect_right

    leaves = list(reader.leaf_readers())
    perdoc = [getattr(r, "_perdoc", None) for r, _off in leaves]
    if not leaves or any(p is None or not hasattr(p, "stored_fields") for p in perdoc):
        return reader.stored_fields        # not Whoosh's segment readers: its own way
    offsets = [off for _r, off in leaves]
    getters = [p.stored_fields for p in perdoc]

    def stored(docnum: int) -> dict:
        i = bisect_right(offsets, docnum) - 1
        return dict(getters[i](docnum - offsets[i]))

    return stored


def length_bytes(reader, fieldname: str) -> bytes | None:
    """Field ``fieldname``'s length of every document of one segment, read in one piece.

    Args:
        reader: a Whoosh segment reader (a leaf of ``reader.leaf_readers()``).
        fieldname: a scored field (``title``, ``body``).

    Returns:
        ``reader.doc_count_all()`` bytes, each Whoosh's one-byte code of a document's length
        (``whoosh.util.numeric.length_to_byte``; 0 where the segment stores none), or None when
        the segment keeps its lengths some other way (another codec).
    """
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        col = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    except Exception:   # not a W3 segment
        return None
    n = reader.doc_count_all()
    if col is None:
        return bytes(n)
    if isinstance(col, bytes):          # already read (:func:`lengths_in_memory`)
        return col
    if getattr(col, "_fixedlen", None) != 1:
        return None
    count = min(col._count, n)
    return col._dbfile.get(col._basepos, count) + bytes(n - count)


def lengths_in_memory(reader, fieldnames) -> None:
    """Give Whoosh's per-document readers their field lengths as bytes in memory.

    Whoosh's BM25F asks the per-document reader for a document's field length at every posting
    it scores, one seek and one-byte read each; a one-off query ranked by Whoosh (a cold
    lookup) scores every document of its terms. A ``bytes`` object answers ``[docnum]`` with
    the same byte code as the column reader it replaces (:func:`length_bytes`).

    Args:
        reader: a Whoosh index reader (one segment or many).
        fieldnames: the scored fields.
    """
    from whoosh.codec.whoosh3 import _lenfield

    for r, _off in reader.leaf_readers():
        for fname in fieldnames:
            raw = length_bytes(r, fname)
            if raw is not None:
                r._perdoc._readers[_lenfield(fname)] = raw
