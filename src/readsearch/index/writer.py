"""Opening, creating and writing the index: incremental, locked, committed in batches.

Whoosh writes each commit's table of contents to a temporary file and renames it into place,
so a process killed at any moment leaves the index readable at its last commit; updates go
through the unique ``key`` field, so a rerun converges to the same index (no duplicates).
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Term
from whoosh.reading import TermNotFound

from readsearch.errors import IndexDamaged, IndexLocked, IndexMissing, UsageError, os_cause
from readsearch.index.schema import SCHEMA_VERSION, body_reader, build_schema, stored_values
from readsearch.model import Document

INDEX_NAME = "MAIN"
ROOTS_FILE = "readsearch.json"
KEY_SEP = "\x1f"
#: memory per writer (MiB, estimated) before its postings go to a temporary run file
WRITER_LIMIT_MB = 256
#: fields whose terms a committed segment's duplicate-candidate filter holds
FILTERED_FIELDS = ("lsh", "body_key")
#: a segment gets a filter once it has been asked about this many new readouts per readout of its own
FILTER_AFTER = 0.2


def _segment_id(reader) -> str | None:
    """The id of the segment a Whoosh leaf reader reads, None for a reader of no segment."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else None


def _members(held, hashes: list[int]) -> list[bool]:
    """Which of ``hashes`` are in the sorted array ``held`` (``numpy.int64``)."""
    import numpy as np

    if not len(held):
        return [False] * len(hashes)
    h = np.array(hashes, np.int64)
    at = np.minimum(np.searchsorted(held, h), len(held) - 1)
    return (held[at] == h).tolist()


@dataclass
class StoredInfo:
    """What the index remembers of one source document: id, mtime (s), size (bytes), digest."""

    id: str
    mtime: float
    size: int
    digest: str


def _storage(index_dir: str) -> FileStorage:
    # mmap copies postings into memory at every open on this path; plain reads are faster
    return FileStorage(index_dir, supports_mmap=False)


def index_exists(index_dir: str) -> bool:
    """True when ``index_dir`` holds a readsearch (Whoosh) index table of contents."""
    return os.path.isdir(index_dir) and any(
        n.startswith(f"_{INDEX_NAME}_") and n.endswith(".toc") for n in os.listdir(index_dir))


def not_a_file(index_dir: str) -> None:
    """Raise :class:`UsageError` when ``index_dir`` names an existing file (not a folder)."""
    if os.path.exists(index_dir) and not os.path.isdir(index_dir):
        raise UsageError(f"--index {index_dir}: is a file, not an index folder")


def open_index(index_dir: str):
    """Open an existing index for reading.

    Raises:
        UsageError: ``index_dir`` is a file.
        IndexMissing: nothing was indexed at ``index_dir``.
        IndexDamaged: the index cannot be opened (e.g. a crash truncated its table of contents).
    """
    not_a_file(index_dir)
    if not index_exists(index_dir):
        if os.path.isdir(index_dir) and any(not n.startswith(".") for n in os.listdir(index_dir)):
            # most often the readouts' own folder given as --index
            raise IndexMissing(f"no index at {index_dir}: the folder holds other files (readouts?); index "
                               f"them with `readsearch index {index_dir}`, then query without --index")
        raise IndexMissing(f"no index at {index_dir}: build one with `readsearch index PATH --index {index_dir}`")
    try:
        with open(os.path.join(index_dir, ROOTS_FILE), encoding="utf-8") as f:
            meta = json.load(f)
    except FileNotFoundError:
        raise damaged(index_dir, f"its {ROOTS_FILE} is missing") from None
    except OSError as e:
        raise damaged(index_dir, f"its {ROOTS_FILE}: {os_cause(e)}") from None
    except ValueError:
        raise damaged(index_dir, f"its {ROOTS_FILE} is not valid JSON") from None
    version = meta.get("schema_version") if isinstance(meta, dict) else None
    if version != SCHEMA_VERSION:
        raise IndexDamaged(f"index at {index_dir} was built by another version of readsearch (schema "
                           f"{version}, this one reads {SCHEMA_VERSION}): rebuild it with "
                           f"`readsearch index PATH --index {index_dir} --rebuild`")
    try:
        return _storage(index_dir).open_index(INDEX_NAME)
    except Exception as e:  # Whoosh raises many kinds on a damaged TOC/segment (EOFError, struct.error...)
        raise damaged(index_dir, e) from e


def damaged(index_dir: str, error: Exception | str) -> IndexDamaged:
    """The one-line error for an index that cannot be read, saying how to rebuild it.

    Args:
        index_dir: the index folder.
        error: what went wrong: an exception (named by its type) or a cause in words.
    """
    cause = error if isinstance(error, str) else type(error).__name__
    return IndexDamaged(f"index at {index_dir} is damaged ({cause}): "
                        f"rebuild it with `readsearch index PATH --index {index_dir} --rebuild`")


def create_index(index_dir: str):
    """Create a new, empty index at ``index_dir`` (removing whatever readsearch index was there)."""
    drop_index(index_dir)
    os.makedirs(index_dir, exist_ok=True)
    ix = _storage(index_dir).create_index(build_schema(), indexname=INDEX_NAME)
    _write_json(os.path.join(index_dir, ROOTS_FILE), {"schema_version": SCHEMA_VERSION, "roots": {}})
    return ix


def drop_index(index_dir: str) -> None:
    """Delete the index files in ``index_dir`` (only Whoosh's files and ours, never other files)."""
    if not os.path.isdir(index_dir):
        return
    for name in os.listdir(index_dir):
        path = os.path.join(index_dir, name)
        if name.startswith(f"_{INDEX_NAME}_") or name.startswith(f"{INDEX_NAME}_") or name == ROOTS_FILE \
                or name.endswith((".seg", ".toc", ".trm", ".pst", ".fvz", ".vps", ".lck", ".dci", ".dcz", ".sto")):
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.remove(path)
                except OSError:
                    pass


def _write_json(path: str, data: dict) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


class IndexStore:
    """The write side of one index folder: roots, stored state, batched locked writes.

    Args:
        index_dir: the index folder.
        rebuild: drop the existing index first (also when it is damaged).
        create: create the index when missing (else :class:`IndexMissing`).
        procs: writer processes; above 1, Whoosh's multiprocessing writer analyses documents
            in that many sub-processes, each writing its own segment (bulk runs).

    Raises:
        IndexDamaged: the index cannot be opened and ``rebuild`` is false.
    """

    def __init__(self, index_dir: str, rebuild: bool = False, create: bool = True, procs: int = 1):
        not_a_file(index_dir)
        self.index_dir = index_dir
        self.procs = procs
        if rebuild or (create and not index_exists(index_dir)):
            self.ix = create_index(index_dir)
        else:
            self.ix = open_index(index_dir)
        self._roots_path = os.path.join(index_dir, ROOTS_FILE)
        try:
            with open(self._roots_path, encoding="utf-8") as f:
                self._meta = json.load(f)
        except (OSError, ValueError):
            self._meta = {"schema_version": SCHEMA_VERSION, "roots": {}}
        self._writer = None
        self._pending = 0
        # segment id -> field -> sorted term hashes, and segment id -> lookups so far (_term_filters)
        self._filters: dict[str, dict] = {}
        self._asked: dict[str, int] = {}

    # ------------------------------------------------------------------ roots
    @property
    def roots(self) -> dict[str, str]:
        """Indexed roots: absolute path -> id prefix ("" for the first root indexed)."""
        return dict(self._meta.get("roots", {}))

    def root_prefix(self, root: str) -> str:
        """The id prefix of ``root``, assigned on first use and kept.

        The first root indexed into an index has the empty prefix (ids are plain relative
        paths); each later root gets its folder name plus ``/`` (``scale/``), made unique with
        ``-2``, ``-3``... so ids never collide across roots.
        """
        roots = self._meta.setdefault("roots", {})
        if root in roots:
            return roots[root]
        if not roots:
            prefix = ""
        else:
            base = os.path.basename(root.rstrip(os.sep)) or "root"
            taken = set(roots.values())
            prefix, n = base + "/", 2
            while prefix in taken:
                prefix, n = f"{base}-{n}/", n + 1
        roots[root] = prefix
        _write_json(self._roots_path, self._meta)
        return prefix

    def forget_root(self, root: str, timeout: float = 10.0) -> int:
        """Delete every document of ``root`` and the root itself (its id prefix and options);
        returns how many documents were deleted (written at the next commit)."""
        ids = list(self.existing(root))
        for doc_id in ids:
            self.delete(root, doc_id, timeout)
        for key in ("roots", "options"):
            self._meta.get(key, {}).pop(root, None)
        _write_json(self._roots_path, self._meta)
        return len(ids)

    def options_key(self, root: str) -> str | None:
        """What the last run of ``root`` extracted with (:meth:`set_options_key`), or None."""
        return self._meta.get("options", {}).get(root)

    def set_options_key(self, root: str, key: str) -> None:
        """Remember what this run of ``root`` extracted with (a digest of the data and options
        that decide a document's fields), in the index's ``readsearch.json``."""
        if self._meta.setdefault("options", {}).get(root) != key:
            self._meta["options"][root] = key
            _write_json(self._roots_path, self._meta)

    # ------------------------------------------------------------------ state
    def existing(self, root: str) -> dict[str, StoredInfo]:
        """Documents of ``root`` now in the index: id -> :class:`StoredInfo`."""
        out: dict[str, StoredInfo] = {}
        with self.ix.searcher() as s:
            for docnum in s.docs_for_query(Term("root", root)):
                f = s.stored_fields(docnum)
                out[f["id"]] = StoredInfo(f["id"], f.get("mtime") or 0.0, f.get("size") or 0, f.get("digest") or "")
        return out

    def _reader_searcher(self):
        if getattr(self, "_searcher", None) is None:
            self._searcher = self.ix.searcher()
            self._bodies = body_reader(self._searcher.reader())
        return self._searcher

    def body_text(self, docnum: int) -> str:
        """The body text of the committed document ``docnum`` (a docnum from
        :meth:`duplicate_candidates`, valid until the next commit)."""
        self._reader_searcher()
        return self._bodies(docnum)

    def duplicate_candidates(self, key: str, body_key: str, bands: list[str], date: str | None,
                             participants: list[str]) -> list[dict]:
        """Committed documents that may duplicate a new one (other than ``key`` itself).

        Candidates share its ``body_key``, an LSH band, or its event date and a participant.

        Returns:
            stored fields of each candidate (``id``, ``date``, ``participant``, ``dup_group``,
            ``body_key`` ...), its ``key`` (``<root>\x1f<id>``) and its ``docnum`` (its body:
            :meth:`body_text`).
        """
        s = self._reader_searcher()
        r = s.reader()
        leaves = list(r.leaf_readers())
        if len(self._asked) > len(leaves):     # forget segments merged away or removed
            live = {_segment_id(seg) for seg, _ in leaves}
            self._filters = {k: v for k, v in self._filters.items() if k in live}
            self._asked = {k: v for k, v in self._asked.items() if k in live}
        segs = [(seg, offset, self._term_filters(seg)) for seg, offset in leaves]

        def ids(fieldname: str, texts: list[str]) -> set[int]:
            # one lexicon lookup per segment and a short posting list per term: an Or query over
            # the band terms built a union matcher sized by the whole index and grew with it (a
            # third of the writing process's time at 14k readouts); the multi-segment reader's
            # ``in`` and ``postings`` would look the term up twice or three times per segment.
            # A segment with a filter is asked only for the terms it may hold.
            out: set[int] = set()
            hashes = None
            for seg, offset, filters in segs:
                todo = texts
                held = filters.get(fieldname) if filters else None
                if held is not None:
                    if hashes is None:
                        hashes = [hash(t.encode("utf-8")) for t in texts]
                    todo = [t for t, ok in zip(texts, _members(held, hashes)) if ok]
                for text in todo:
                    try:
                        m = seg.postings(fieldname, text)
                    except TermNotFound:
                        continue
                    out.update(d + offset for d in m.all_ids())
            return out

        found = ids("body_key", [body_key]) | ids("lsh", list(bands))
        # same day and a participant in common: the day's few readouts are checked against their
        # stored participants, rather than reading a participant's whole posting list (every
        # readout of a head of state, thousands) for each new readout (2,053 lookups against the
        # 14k index: 8.5 -> 4.9-5.4 s, the same candidates)
        same_day = ids("date", [date]) - found if date and participants else set()
        wanted = set(participants)
        out = []
        for docnum in sorted(found | same_day):
            if r.is_deleted(docnum):
                continue
            f = s.stored_fields(docnum)
            if docnum in same_day and wanted.isdisjoint(stored_values(f.get("participant"))):
                continue
            f["key"] = f.get("root", "") + KEY_SEP + f.get("id", "")
            if f["key"] != key:
                f["docnum"] = docnum
                out.append(f)
        return out

    def _term_filters(self, seg) -> dict | None:
        """Membership filters of a committed segment's duplicate-candidate terms
        (:data:`FILTERED_FIELDS`), or None while it has none.

        Most of a new readout's band and body keys are in no committed segment, and each lookup
        that finds nothing costs a hash-table probe through small file reads (the main process's
        largest cost in a bulk run). A segment's terms of those fields are read into sorted
        64-bit hashes (``hash`` of the term bytes, this process only) once it has been asked
        about more new readouts than :data:`FILTER_AFTER` times its own documents: below that,
        the lookups cost less than reading its lexicon, so an incremental run of a few files
        against a large index never reads one. Segments are immutable, so a filter serves
        until its segment leaves the index (merged away or removed).

        Args:
            seg: a Whoosh segment reader (a leaf of the store's searcher).
        """
        sid = _segment_id(seg)
        if sid is None:         # not a segment's reader (an empty index's)
            return None
        filters = self._filters.get(sid)
        if filters is not None:
            return filters
        asked = self._asked[sid] = self._asked.get(sid, 0) + 1
        if asked < FILTER_AFTER * seg.doc_count_all():
            return None
        import numpy as np

        filters = self._filters[sid] = {}
        for fieldname in FILTERED_FIELDS:
            held = np.fromiter((hash(t) for t in seg.lexicon(fieldname)), np.int64) \
                if fieldname in seg.indexed_field_names() else np.zeros(0, np.int64)
            held.sort()
            filters[fieldname] = held
        return filters

    def doc_count(self) -> int:
        """Number of (undeleted) documents in the index."""
        return self.ix.doc_count()

    # ------------------------------------------------------------------ writing
    def _ensure_writer(self, timeout: float):
        if self._writer is None:
            # not imported by readers (whoosh.multiproc imports multiprocessing)
            from readsearch.index.segments import ReadoutMpWriter, ReadoutSegmentWriter

            try:
                if self.procs > 1:
                    # sub-processes analyse and write their own segments
                    self._writer = ReadoutMpWriter(self.ix, procs=self.procs, timeout=timeout,
                                                   limitmb=WRITER_LIMIT_MB)
                else:
                    self._writer = ReadoutSegmentWriter(self.ix, timeout=timeout,
                                                        limitmb=WRITER_LIMIT_MB)
            except whoosh_index.LockError:
                raise IndexLocked(f"index at {self.index_dir} is locked by another readsearch run "
                                  f"(waited {timeout:g} s); try again when it has finished") from None
        return self._writer

    def put(self, doc: Document, timeout: float = 10.0) -> None:
        """Add or replace one document (by its unique key)."""
        w = self._ensure_writer(timeout)
        w.update_document(**document_fields(doc))
        self._pending += 1

    def delete(self, root: str, doc_id: str, timeout: float = 10.0) -> None:
        """Remove the document ``doc_id`` of ``root``."""
        w = self._ensure_writer(timeout)
        w.delete_by_term("key", root + KEY_SEP + doc_id)
        self._pending += 1

    @property
    def pending(self) -> int:
        """Writes not yet committed."""
        return self._pending

    def commit(self) -> None:
        """Commit pending writes (atomic: readers see all of them or none)."""
        if self._writer is not None:
            from readsearch.index.segments import tiered_merge

            self._writer.commit(mergetype=tiered_merge)
            self._writer = None
            self._pending = 0
            if getattr(self, "_searcher", None) is not None:
                self._searcher.close()  # reopened on next use (refresh() fails on an empty index)
                self._searcher = None

    def cancel(self) -> None:
        """Drop pending writes, stop the writer processes and release the lock (also after an
        interruption during a commit: a writer that finished committing is only dropped)."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            self._pending = 0
            if not writer.is_closed:
                writer.cancel()

    def lock(self, timeout: float = 10.0) -> None:
        """Take the write lock now (waiting at most ``timeout`` seconds)."""
        self._ensure_writer(timeout)

    def close(self) -> None:
        """Cancel pending writes and close the index."""
        self.cancel()
        if getattr(self, "_searcher", None) is not None:
            self._searcher.close()
            self._searcher = None
        self.ix.close()


def document_fields(doc: Document) -> dict:
    """The Whoosh fields of one :class:`~readsearch.model.Document`."""
    r, e = doc.readout, doc.entities
    date = e.date or ""
    fields = dict(
        key=doc.root + KEY_SEP + r.id,
        id=r.id,
        root=doc.root,
        path=r.path,
        title=r.title or "",
        body=r.body or "",
        body_text=(r.body or "").encode("utf-8"),
        date=date,
        published=r.published or "",
        year=date[:4],
        issuer=r.issuer or "",
        source_url=r.source_url or "",
        language=r.language or "",
        kind=e.kind or "",
        initiative=e.initiative or "",
        meta=json.dumps(r.meta, ensure_ascii=False, default=str),
        mtime=doc.mtime,
        size=doc.size,
        digest=doc.digest,
        body_key=doc.body_key,
        dup_group=doc.dup_group,
        lsh=",".join(doc.bands),
        richness=sum(bool(x) for x in (r.meta.get("title"), r.published, r.issuer)),
        body_len=len(r.body or ""),
        country=",".join(e.countries),
        person=",".join(e.persons),
        participant=",".join(e.participants),
        topic=",".join(e.topics),
        hashtag=",".join(e.hashtags),
        organization=",".join(e.organizations),
    )
    return {k: v for k, v in fields.items() if v != "" or k in ("title", "body")}
