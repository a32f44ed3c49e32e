"""The library face of readsearch: every CLI command is one of these functions.

Scripts call them directly::

    from readsearch import api
    report = api.index_paths(["corpus"], index_dir="index")
    result = api.search("Community of Serb Municipalities", index_dir="index",
                        filters={"country": ["Serbia"]}, facets=True)
    print(result.hits[0].id, result.facets["country"][0].label)
"""
from __future__ import annotations

import dataclasses
import itertools
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from readsearch.errors import IndexUnwritable, ReadsearchError, UsageError, value_kind
from readsearch.model import Document, IndexReport, ReadError, Readout, SearchResult

DEFAULT_INDEX = "index"
#: runs listing at least this many files write with two processes (when there are two cores)
BULK_FILES = 400
#: documents per commit by default, and on bulk runs (see :class:`IndexOptions`)
BATCH_SIZE = 1000
BULK_BATCH_SIZE = 5000
#: bulk runs commit at least every eighth of their files, up to this many documents at once
#: (fewer, larger segments on big runs: each segment costs every later lookup)
BULK_BATCH_MAX = 25_000
INDEX_ENV = "READSEARCH_INDEX"
FILTER_FIELDS = ("country", "person", "participant", "topic", "hashtag", "organization",
                 "issuer", "kind", "initiative", "language", "year")
FORMATS_WITH_LABELS = ("country", "topic", "organization", "initiative")
#: filter fields whose values must resolve through the gazetteers
RESOLVED_FIELDS = ("country", "initiative", "topic", "organization")
#: readout kinds (Entities.kind)
KINDS = ("call", "meeting", "message", "other")


def default_index_dir(given: str | None = None) -> str:
    """The index folder: ``given`` (an ``--index`` value) when there is one, else
    ``$READSEARCH_INDEX`` when set, else ``./index``.

    Raises:
        UsageError: ``given`` is an empty string (an unset shell variable, say), which must not
            quietly mean ``./index``.
    """
    if given is not None:
        if not given.strip():
            raise UsageError(f"--index {given!r}: give the index folder (or leave --index out for "
                             f"${INDEX_ENV} or ./{DEFAULT_INDEX})")
        return given
    return os.environ.get(INDEX_ENV) or DEFAULT_INDEX


# ====================================================================== indexing
@dataclass
class IndexOptions:
    """Options of :func:`index_paths`.

    Attributes:
        rebuild: drop the index and build it afresh.
        strict: stop at the first file that fails (:class:`~readsearch.errors.UsageError`
            is not raised; the report says where it stopped).
        max_bytes: size limit per file in bytes (default 5 MiB).
        field_map: record formats' field mapping (``{"body": "content"}``).
        batch_size: documents per commit (a crash loses at most one batch); None:
            ``BATCH_SIZE``, or :func:`bulk_batch_size` on bulk runs (each commit of a bulk run
            adds one segment per writer process, and every segment costs each later lookup).
        lock_timeout: seconds to wait for another run's write lock.
        gazetteers, taxonomies: user YAML files merged over the shipped data.
        procs: Whoosh writer processes; 0 (default) picks 2 on a multi-core machine when at least
            ``BULK_FILES`` files are listed, else 1.
    """

    rebuild: bool = False
    strict: bool = False
    max_bytes: int = 5 * 1024 * 1024
    field_map: dict[str, str] = field(default_factory=dict)
    batch_size: int | None = None
    lock_timeout: float = 10.0
    gazetteers: tuple[str, ...] = ()
    taxonomies: tuple[str, ...] = ()
    procs: int = 0


@dataclass
class IndexEvents:
    """Callbacks an index run reports to (all optional).

    Attributes:
        on_total: ``(n_files)`` once the files are listed.
        on_file: ``(path)`` after each file.
        on_failure: ``(ReadError)`` for each file that fails.
        on_warning: ``(path, message)`` for each remark.
        on_commit: ``(n_writes)`` before each commit of pending writes (the last one, with the
            query caches built after it, can take a while: a progress display says so).
    """

    on_total: Callable[[int], None] | None = None
    on_file: Callable[[str], None] | None = None
    on_failure: Callable[[ReadError], None] | None = None
    on_warning: Callable[[str, str], None] | None = None
    on_commit: Callable[[int], None] | None = None


class _DuplicateAssigner:
    """Gives each new readout its duplicate-group label (see :mod:`readsearch.dedup`).

    Looks for candidates among committed documents (through the index store) and among the
    documents of this run not yet committed."""

    #: fingerprints of committed readouts kept for reuse (about 20 kB each for a long page)
    KEEP_FINGERPRINTS = 4096

    def __init__(self, store):
        self.store = store
        self.by_band: dict[str, list[tuple]] = {}
        self.by_key: dict[str, bool] = {}
        self.by_event: dict[str, list[tuple]] = {}
        # id -> (body key, fingerprint) of recently written or compared committed readouts, most
        # recent last: a candidate from the index is compared with many new readouts (same day,
        # same participants), and its fingerprint would otherwise be recomputed from its stored
        # body each time
        self.known: dict[str, tuple[str, object]] = {}

    def forget(self) -> None:
        """Drop this run's candidate tables after a commit: committed readouts are found through
        the index from now on, so memory stays bounded by one batch (plus
        :attr:`KEEP_FINGERPRINTS` fingerprints)."""
        self.by_band.clear()
        self.by_key.clear()
        self.by_event.clear()

    def _remember(self, doc_id: str, key: str, fp) -> None:
        known = self.known
        known.pop(doc_id, None)
        known[doc_id] = (key, fp)
        if len(known) > self.KEEP_FINGERPRINTS:
            del known[next(iter(known))]

    def _committed_fingerprint(self, f: dict):
        """The fingerprint of a committed candidate (stored fields ``f``), reused when known."""
        from readsearch import dedup
        from readsearch.index.schema import stored_values

        doc_id = f["key"]
        got = self.known.get(doc_id)
        if got is not None and got[0] == f.get("body_key"):
            return got[1]
        fp = dedup.fingerprint(self.store.body_text(f["docnum"]), f.get("date") or None,
                               stored_values(f.get("participant")))
        self._remember(doc_id, f.get("body_key") or "", fp)
        return fp

    def assign(self, root: str, readout: Readout, entities, fp) -> str:
        """The ``dup_group`` of a readout about to be written, given its
        :class:`~readsearch.dedup.Fingerprint`: the comma-separated body keys of every readout
        it duplicates, so a readout bridging two groups joins them (groups are connected
        components); ``""`` when it duplicates none."""
        from readsearch import dedup
        from readsearch.index.writer import KEY_SEP

        key = fp.key
        me = root + KEY_SEP + readout.id
        links: set[str] = set()
        if not key.startswith("empty:"):
            if key in self.by_key:
                links.add(key)
            seen: set[str] = set()
            pending = [c for b in fp.bands for c in self.by_band.get(b, [])]
            if fp.date:
                pending += self.by_event.get(fp.date, [])
            for other_key, other_id, other_fp in pending:
                if other_id != me and other_id not in seen:
                    seen.add(other_id)
                    if other_key == key or dedup.is_duplicate(fp, other_fp):
                        links.add(other_key)
            for f in self.store.duplicate_candidates(me, key, fp.bands, fp.date, entities.participants):
                other_key = f.get("body_key") or ""
                if not other_key or other_key in links:
                    continue
                if other_key == key or dedup.is_duplicate(fp, self._committed_fingerprint(f)):
                    links.add(other_key)
            entry = (key, me, fp)
            for b in fp.bands:
                self.by_band.setdefault(b, []).append(entry)
            if fp.date:
                self.by_event.setdefault(fp.date, []).append(entry)
            self.by_key[key] = True
            self._remember(me, key, fp)
        return ",".join(sorted(links))


# The preparation of one file (read, extract, fingerprint) runs in worker processes on bulk runs;
# these hold what a worker needs (set by _init_worker, or inherited through fork).
_WORKER: dict = {}


def _init_worker(resources, read_opts) -> None:
    _WORKER["resources"] = resources
    _WORKER["read_opts"] = read_opts


def _prepare(job: tuple[str, str, str | None]):
    """Read one file and prepare its readouts for the writer.

    Args:
        job: ``(path, id, digest of the indexed version or None)``.

    Returns:
        ``(FileRead, prepared)``: ``prepared`` is None when the bytes equal the indexed version
        (nothing to do), else one ``(item, entities, fingerprint)`` per item of the file
        (``entities`` and ``fingerprint`` None for a ReadError or an empty readout).
    """
    from readsearch import dedup, readers
    from readsearch.extract import extract

    path, rel, old_digest = job
    fr = readers.read_file(path, rel, _WORKER["read_opts"])
    if old_digest and fr.digest == old_digest:
        return fr, None
    prepared = []
    for item in fr.items:
        if isinstance(item, ReadError) or (not item.body.strip() and not item.title.strip()):
            prepared.append((item, None, None))
            continue
        entities = extract(item, _WORKER["resources"])
        prepared.append((item, entities, dedup.fingerprint(item.body, entities.date, entities.participants,
                                                           item.id)))
    return fr, prepared


def _init_pool_worker(parent_pid: int, resources, read_opts) -> None:
    """A reader/extractor worker's initializer: interruptions are its parent's business
    (:func:`readsearch.workers.become_worker`), then :func:`_init_worker`."""
    from readsearch.workers import become_worker

    become_worker(parent_pid)
    _init_worker(resources, read_opts)


class _Preparer:
    """Runs :func:`_prepare` over jobs, in order: in this process, or on bulk runs in a pool of
    worker processes (one per core) that read and extract while this process writes. At most
    ``window`` files are in flight, so memory does not grow with the corpus.

    Jobs are handed to the pool from the calling thread, as results are taken: a pool thread
    fed by a generator waiting for room would wait forever once the caller stops taking
    results (Ctrl-C), and so would ``Pool.terminate``, which joins that thread."""

    #: seconds :meth:`close` waits for the pool to stop, then for its killed workers
    STOP_TIMEOUT = 10.0
    #: files per task of a worker
    CHUNK = 4

    def __init__(self, resources, read_opts, procs: int, window: int = 256):
        _init_worker(resources, read_opts)
        self.pool = None
        self.window = window
        if procs > 1:
            import multiprocessing as mp

            from readsearch.workers import forking

            methods = mp.get_all_start_methods()
            ctx = mp.get_context("fork" if "fork" in methods else "spawn")
            with forking():
                self.pool = ctx.Pool(procs, initializer=_init_pool_worker,
                                     initargs=(os.getpid(), resources, read_opts))

    def run(self, jobs: list):
        """Yields ``_prepare(job)`` for each job, in the order given."""
        if self.pool is None:
            yield from map(_prepare, jobs)
            return
        from collections import deque

        chunks = iter([jobs[i:i + self.CHUNK] for i in range(0, len(jobs), self.CHUNK)])
        pending: deque = deque()

        def submit(n: int) -> None:
            for chunk in itertools.islice(chunks, n):
                pending.append(self.pool.apply_async(_prepare_many, (chunk,)))

        submit(max(1, self.window // self.CHUNK))
        while pending:
            done = pending.popleft().get()
            submit(1)
            yield from done

    def close(self) -> None:
        """Stop the workers (also on errors and interruptions; bounded, see
        :func:`readsearch.workers.stop_pool`)."""
        if self.pool is not None:
            from readsearch.workers import stop_pool

            pool, self.pool = self.pool, None
            stop_pool(pool, self.STOP_TIMEOUT)


def _prepare_many(jobs: list) -> list:
    """:func:`_prepare` of each job (a worker's task: a few files at a time, as ``imap``'s
    chunks were)."""
    return [_prepare(job) for job in jobs]


def _roots_for(paths: Iterable[str], known_roots: Iterable[str]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Where each given path is indexed.

    A path inside a known root joins that root; a path inside another path of the same run
    joins that one's root; any other path is a new root (a file's folder for a file). A known
    root inside a folder given to this run under another root is absorbed by that root: its
    readouts are indexed again as part of it (else the same files would be indexed twice, once
    under each); a file given beside a known root absorbs nothing (its folder is not read).

    Returns:
        ``(pairs, absorbed)``: ``(root, scope)`` pairs in the order given, and known root ->
        the new root that absorbs it.
    """
    def inside(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)

    known = sorted(known_roots, key=len, reverse=True)
    scopes = [os.path.abspath(p) for p in paths]
    fresh = {sc if os.path.isdir(sc) else os.path.dirname(sc) for sc in scopes
             if not any(inside(sc, r) for r in known)}
    outer = sorted(f for f in fresh if not any(g != f and inside(f, g) for g in fresh))
    def root_of(scope: str) -> str:
        return next((r for r in known if inside(scope, r)), None) or next(r for r in outer if inside(scope, r))

    out: list[tuple[str, str]] = []
    for scope in scopes:
        root = root_of(scope)
        # a path inside another path given for the same root is read with that one, once
        if any(o != scope and inside(scope, o) and root_of(o) == root for o in scopes):
            continue
        if (root, scope) not in out:
            out.append((root, scope))
    absorbed = {k: root_of(sc) for sc in scopes for k in known if inside(k, sc) and root_of(sc) != k}
    return out, absorbed


def index_paths(paths: list[str], index_dir: str | None = None, options: IndexOptions | None = None,
                events: IndexEvents | None = None) -> IndexReport:
    """Build or update the index from files and folders.

    Each folder (or a file's folder) is a *root*; documents are identified by their path
    relative to it. Re-running is incremental: new and changed files are (re)indexed, files
    gone from the root are removed, unchanged ones skipped (same size and mtime, or same bytes).

    Args:
        paths: files and folders to index (walked recursively; hidden files and what
            ``.readsearchignore`` excludes are skipped).
        index_dir: the index folder (default :func:`default_index_dir`).
        options: :class:`IndexOptions`.
        events: :class:`IndexEvents` callbacks (progress, failures).

    Returns:
        an :class:`~readsearch.model.IndexReport`.

    Raises:
        UsageError: no path was given, none exists, or one does not exist under
            ``options.strict`` (a missing path among others is a failure of the report).
        IndexLocked: another run holds the index longer than ``options.lock_timeout``.
        IndexDamaged: the index cannot be opened (use ``options.rebuild``).
        IndexUnwritable: the index folder cannot be created or written (permissions, a path
            through a file, a read-only file system).
    """
    from readsearch import readers
    from readsearch.extract import load_resources
    from readsearch.index.writer import IndexStore, index_exists

    options = options or IndexOptions()
    events = events or IndexEvents()
    index_dir = index_dir or default_index_dir()
    if not paths:
        raise UsageError("no path given: readsearch index PATH...")
    if options.max_bytes <= 0:
        raise UsageError(f"max_bytes {options.max_bytes}: the size limit must be more than 0 bytes")
    t0 = time.monotonic()
    report = IndexReport()
    paths, unusable = _usable_paths(paths, strict=options.strict)
    for error in unusable:
        _fail(report, events, error)
    resources = load_resources(tuple(options.gazetteers), tuple(options.taxonomies))
    options_key = _options_key(options)
    try:
        store = IndexStore(index_dir, rebuild=options.rebuild, procs=options.procs)
    except OSError as e:
        raise _index_write_error(index_dir, e) from None
    read_opts = readers.ReadOptions(max_bytes=options.max_bytes, field_map=dict(options.field_map))
    exts = readers.extensions()
    preparer = None
    try:
        plan: list[tuple[str, str, list[str]]] = []
        pairs, absorbed = _roots_for(paths, store.roots)
        for known, root in absorbed.items():
            gone = store.forget_root(known, options.lock_timeout)
            report.removed += gone
            prefix = os.path.relpath(known, root).replace(os.sep, "/")
            what = ("1 readout is indexed again as part of it, its id" if gone == 1 else
                    f"{gone} readouts are indexed again as part of it, their ids")
            note = f"inside {root}, which is indexed now: its {what} now beginning with {prefix}/"
            _warn(report, events, known, note)
        for root, scope in pairs:
            files = (list(readers.walk_files(scope, exts, skip_dir=index_exists)) if os.path.isdir(scope)
                     else [scope])
            plan.append((root, scope, files))
        n_files = sum(len(f) for _, _, f in plan)
        bulk = n_files >= BULK_FILES and (os.cpu_count() or 1) > 1
        if options.procs == 0:  # automatic: both cores for bulk runs
            store.procs = min(2, os.cpu_count() or 1) if bulk else 1
        if options.batch_size is None:
            options = dataclasses.replace(options, batch_size=bulk_batch_size(n_files) if bulk else BATCH_SIZE)
        # the workers fork before the writer exists (no writer state in them)
        preparer = _Preparer(resources, read_opts, procs=min(2, os.cpu_count() or 1) if bulk else 1)
        store.lock(options.lock_timeout)
        dups = _DuplicateAssigner(store)
        if events.on_total:
            events.on_total(n_files)
        done: list[str] = []
        for root, scope, files in plan:
            _index_root(store, root, scope, files, preparer, options, events, report, dups, options_key)
            if report.failed and options.strict:
                break
            done.append(root)
        _commit(store, events, dups)
        for root in done:      # committed: later runs compare their options with these
            store.set_options_key(root, options_key)
    except OSError as e:
        raise _index_write_error(index_dir, e) from None
    finally:
        if preparer is not None:
            preparer.close()
        store.close()
    _warm_caches(index_dir)
    report.seconds = time.monotonic() - t0
    return report


def _commit(store, events: IndexEvents, dups: _DuplicateAssigner) -> None:
    """Commit the store's pending writes (telling ``events.on_commit`` first, when there are
    any); the duplicate assigner then finds the committed readouts through the index."""
    if events.on_commit and store.pending:
        events.on_commit(store.pending)
    store.commit()
    dups.forget()


def _warn(report: IndexReport, events: IndexEvents, path: str, message: str) -> None:
    """Record a warning about ``path`` in ``report`` and tell ``events.on_warning``."""
    report.warnings.append((path, message))
    if events.on_warning:
        events.on_warning(path, message)


def _fail(report: IndexReport, events: IndexEvents, error: ReadError) -> None:
    """Record a failure in ``report`` and tell ``events.on_failure``."""
    report.failed += 1
    report.failures.append(error)
    if events.on_failure:
        events.on_failure(error)


def _index_write_error(index_dir: str, e: OSError) -> Exception:
    """The one-line error for a file system error on the index folder (not writable, a path
    through a file, a read-only file system), or ``e`` itself when it is about another file (a
    bug: input files fail alone, as :class:`~readsearch.model.ReadError`)."""
    where = os.path.abspath(index_dir)
    name = os.path.abspath(e.filename) if isinstance(e.filename, str) else ""
    if name and name != where and not name.startswith(where + os.sep):
        return e
    reason = "permission denied" if isinstance(e, PermissionError) else (e.strerror or str(e)).lower()
    return IndexUnwritable(f"cannot write the index at {index_dir} ({reason})")


def bulk_batch_size(n_files: int) -> int:
    """Documents per commit of a bulk run listing ``n_files`` files: :data:`BULK_BATCH_SIZE`, or an
    eighth of the files, at most :data:`BULK_BATCH_MAX` (100,000 files: 12,500; a crash loses at
    most one batch)."""
    return max(BULK_BATCH_SIZE, min(BULK_BATCH_MAX, n_files // 8))


def _warm_caches(index_dir: str) -> None:
    """Build the per-generation query caches (facet postings, duplicate groups, dates) once, here,
    so that the first query of every later process does not pay for them."""
    from readsearch.index.schema import MULTI_FACETS, SINGLE_FACETS
    from readsearch.index.searcher import ReadoutSearcher

    from readsearch.folding import name_key

    with ReadoutSearcher(index_dir) as rs:
        rs.warm(MULTI_FACETS + SINGLE_FACETS)
        for f in ("person", "participant"):
            rs.terms_by_key(f, name_key, "name")
        for f in ("hashtag", "issuer", "language", "kind", "year"):
            rs.terms_by_key(f, str.lower, "lower")


def _options_key(options: IndexOptions) -> str:
    """sha1 (hex) of what decides a document's fields besides its file: the gazetteer and
    taxonomy data (:func:`readsearch.extract.resources.data_key`) and the ``--field`` map."""
    import hashlib
    import json

    from readsearch.extract.resources import data_key

    fields = json.dumps(sorted(dict(options.field_map).items()))
    return hashlib.sha1(f"{data_key(options.gazetteers, options.taxonomies)} {fields}".encode()).hexdigest()


def _index_root(store, root, scope, files, preparer, options, events, report, dups, options_key):
    prefix = store.root_prefix(root)
    existing = store.existing(root)
    # another --field map or other gazetteer data than this root's last run: unchanged files
    # would keep the fields extracted the old way, so every file is read again
    again = store.options_key(root) not in (None, options_key) and bool(existing)
    if again:
        note = ("the --field map or the gazetteer/taxonomy data changed since this folder was last "
                "indexed: every file is read again")
        _warn(report, events, root, note)
    scope_rel = "" if scope == root else os.path.relpath(scope, root).replace(os.sep, "/")

    def in_scope(doc_id: str) -> bool:
        rel = doc_id[len(prefix):] if doc_id.startswith(prefix) else doc_id
        return not scope_rel or rel == scope_rel or rel.split("#", 1)[0] == scope_rel \
            or rel.startswith(scope_rel + "/")

    by_file: dict[str, list[str]] = {}
    for doc_id in existing:
        if in_scope(doc_id):
            by_file.setdefault(doc_id.split("#", 1)[0], []).append(doc_id)
    seen_files: set[str] = set()
    jobs: list[tuple[str, str, str | None]] = []
    for path in files:
        rel = prefix + os.path.relpath(path, root).replace(os.sep, "/")
        seen_files.add(rel)
        old_ids = by_file.get(rel, [])
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if old_ids and st is not None and not again and all(
                existing[i].size == st.st_size and existing[i].mtime == st.st_mtime for i in old_ids):
            report.unchanged += len(old_ids)
            if events.on_file:
                events.on_file(path)
            continue
        digests = {existing[i].digest for i in old_ids}
        jobs.append((path, rel, digests.pop() if len(digests) == 1 and not again else None))
    for (path, rel, _), (fr, prepared) in zip(jobs, preparer.run(jobs)):
        old_ids = by_file.get(rel, [])
        if prepared is None:
            report.unchanged += len(old_ids)
            if events.on_file:
                events.on_file(path)
            continue
        new_ids: set[str] = set()
        report.skipped += fr.skipped
        for w in fr.warnings:
            _warn(report, events, path, w)
        # a file with failed records (a bad line of a JSON Lines file): its good records are kept
        # with no size and digest on record, so the next run reads it again and reports the
        # failures again, instead of finding it unchanged and saying nothing
        partial = any(isinstance(i, ReadError) for i in fr.items)
        for item, entities, fp in prepared:
            if isinstance(item, ReadError):
                _fail(report, events, item)
                continue
            for w in item.warnings:
                _warn(report, events, item.path, w)
            if entities is None:
                report.skipped += 1
                continue
            group = dups.assign(root, item, entities, fp)
            store.put(Document(readout=item, entities=entities, root=root, mtime=-1.0 if partial else fr.mtime,
                               size=-1 if partial else fr.size, digest="" if partial else fr.digest,
                               body_key=fp.key, dup_group=group, bands=fp.bands),
                      options.lock_timeout)
            new_ids.add(item.id)
            if item.id in existing:
                report.updated += 1
            else:
                report.added += 1
            if store.pending >= options.batch_size:
                _commit(store, events, dups)
        failed_whole_file = not new_ids and any(isinstance(i, ReadError) for i in fr.items)
        if not failed_whole_file:
            for old in old_ids:
                if old not in new_ids:
                    store.delete(root, old, options.lock_timeout)
                    report.removed += 1
        if events.on_file:
            events.on_file(path)
        if report.failed and options.strict:
            return
    for rel, ids in by_file.items():
        if rel not in seen_files:
            for old in ids:
                store.delete(root, old, options.lock_timeout)
                report.removed += 1
    if store.pending >= options.batch_size:
        _commit(store, events, dups)


def field_map(items: Iterable[str]) -> dict[str, str]:
    """``--field NAME=SOURCE`` options as a mapping readout field -> record field, for
    :attr:`IndexOptions.field_map` (``["text=content"]`` -> ``{"body": "content"}``; names as
    :func:`readsearch.readers.records.canonical_field` knows them).

    Raises:
        UsageError: an item without ``=``, without a source field, or naming no readout field.
    """
    from readsearch.readers.records import canonical_field

    mapping = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"--field {item!r}: use NAME=SOURCE_FIELD, e.g. body=content")
        k, v = item.split("=", 1)
        if not v.strip():
            raise UsageError(f"--field {item!r}: give the record's field after '=', e.g. body=content")
        name = canonical_field(k)
        if name is None:
            raise UsageError(f"--field {item!r}: {k.strip()!r} is not a readout field "
                             "(use title, body, date, url, issuer, id)")
        mapping[name] = v.strip()
    return mapping


# ====================================================================== extraction
ENTITY_KEYS = ("path", "date", "kind", "initiative", "countries", "persons", "participants", "organizations",
               "topics", "hashtags")


@dataclass
class Extraction:
    """What ``extract`` found in one readout.

    Attributes:
        path: document id (path relative to the folder given, as ``index`` names documents).
        readout: the :class:`~readsearch.model.Readout` read.
        entities: the :class:`~readsearch.model.Entities` extracted (with evidence).
    """

    path: str
    readout: Readout
    entities: object

    def to_dict(self) -> dict:
        """The gold-set schema: exactly the keys of ``ENTITY_KEYS``."""
        e = self.entities
        return {"path": self.path, "date": e.date, "kind": e.kind, "initiative": e.initiative,
                "countries": list(e.countries), "persons": list(e.persons),
                "participants": list(e.participants), "organizations": list(e.organizations),
                "topics": list(e.topics), "hashtags": list(e.hashtags)}


@dataclass
class Skipped:
    """A file or record left out on purpose (empty): ``path`` and a one-line ``reason``."""

    path: str
    reason: str


def _usable_paths(paths: list[str], strict: bool = False) -> tuple[list[str], list[ReadError]]:
    """Split the paths given to ``index`` or ``extract``: those that can be read as readouts,
    and a :class:`~readsearch.model.ReadError` for each that cannot (missing, or a readsearch
    index folder), which the command reports as a failure while it reads the others, as grep and
    rg go on past a missing file.

    Raises:
        UsageError: no path is usable, or one is not and ``strict`` (the first such, one line).
    """
    from readsearch.index.writer import index_exists

    unusable = {p: "no such file or folder" for p in paths if not os.path.exists(p) and not os.path.islink(p)}
    unusable.update({p: "is a readsearch index, not readouts (give the folder the readouts are in)"
                     for p in paths if os.path.isdir(p) and index_exists(p)})
    if unusable and (len(unusable) == len(paths) or strict):
        p = next(p for p in paths if p in unusable)
        raise UsageError(f"{p}: {unusable[p]}")
    return ([p for p in paths if p not in unusable],
            [ReadError(p, unusable[p]) for p in paths if p in unusable])


def extract_paths(paths: list[str], gazetteers: tuple[str, ...] = (), taxonomies: tuple[str, ...] = (),
                  options: IndexOptions | None = None) -> Iterable[Extraction | ReadError | Skipped]:
    """Read files and folders and extract their entities, without touching any index.

    Args:
        paths: files and folders (walked as ``index`` walks them).
        gazetteers, taxonomies: user YAML files merged over the shipped data.
        options: reading options (size limit, field mapping).

    Yields:
        one :class:`Extraction` per readout, a :class:`~readsearch.model.ReadError` per file
        that cannot be read, a :class:`Skipped` per empty file or record.

    Raises:
        UsageError: no path given, or none usable (missing, or an index folder); one unusable
            path among others is yielded as a :class:`~readsearch.model.ReadError` instead.
    """
    from readsearch import readers
    from readsearch.extract import extract, load_resources
    from readsearch.index.writer import index_exists

    options = options or IndexOptions()
    resources = load_resources(tuple(gazetteers), tuple(taxonomies))
    read_opts = readers.ReadOptions(max_bytes=options.max_bytes, field_map=dict(options.field_map))
    if not paths:
        raise UsageError("no path given: readsearch extract PATH...")
    paths, unusable = _usable_paths(paths)
    yield from unusable
    for root, scope in _roots_for(paths, ())[0]:
        files = (list(readers.walk_files(scope, readers.extensions(), skip_dir=index_exists))
                 if os.path.isdir(scope) else [scope])
        for path in files:
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            fr = readers.read_file(path, rel, read_opts)
            for w in fr.warnings:
                yield Skipped(path, w)
            if not fr.items and not fr.warnings:
                yield Skipped(path, "empty file: nothing to extract")
            for item in fr.items:
                if isinstance(item, ReadError):
                    yield item
                elif not item.body.strip() and not item.title.strip():
                    yield Skipped(path, "no text: nothing to extract")
                else:
                    yield Extraction(item.id, item, extract(item, resources))


def label(field: str, value: str, gazetteers: tuple[str, ...] = (), taxonomies: tuple[str, ...] = ()) -> str:
    """Display label of a stable facet id (``label("country", "RS") == "Serbia"``)."""
    from readsearch.extract import load_resources

    return load_resources(tuple(gazetteers), tuple(taxonomies)).label(field, value)


# ====================================================================== searching
def _check_date(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    from readsearch.index.query import is_date_part

    if not is_date_part(value):
        raise UsageError(f"--{name} {value!r}: use a real date, YYYY-MM-DD, YYYY-MM or YYYY")
    return value


class _Resolver:
    """Resolves user values (filters and ``field:value`` clauses) to index terms."""

    def __init__(self, searcher, load):
        self.searcher = searcher
        self._load = load
        self._resources = None

    @property
    def resources(self):
        """The gazetteers, loaded on first use (a plain text query never needs them)."""
        if self._resources is None:
            self._resources = self._load()
        return self._resources

    def __call__(self, fieldname: str, value: str) -> list[str]:
        value = value.strip()
        if not value:
            return []
        if fieldname in ("country", "initiative"):
            code = self.resources.resolve("country", value)
            return [code] if code else []
        if fieldname in ("topic", "organization"):
            rid = self.resources.resolve(fieldname, value)
            return [rid] if rid else []
        if fieldname in ("person", "participant"):
            value = self.resources.resolve("person", value) or value
        keyed = self._lexicon(fieldname, value)
        if keyed is None:
            return [value]
        key, by_key = keyed
        return list(by_key.get(key, []))

    def _lexicon(self, fieldname: str, value: str) -> tuple[str, dict[str, list[str]]] | None:
        """For a field matched against the index's own values: ``value``'s folded key and the
        field's lexicon by folded key (person and participant:
        :func:`~readsearch.folding.name_key`; hashtag, issuer, language, kind, year: lower case,
        a hashtag without its ``#``); None for other fields."""
        from readsearch.folding import name_key

        if fieldname in ("person", "participant"):
            return name_key(value), self.searcher.terms_by_key(fieldname, name_key, "name")
        if fieldname in ("hashtag", "issuer", "language", "kind", "year"):
            key = (value.lstrip("#") if fieldname == "hashtag" else value).lower()
            return key, self.searcher.terms_by_key(fieldname, str.lower, "lower")
        return None

    def close_values(self, fieldname: str, value: str, n: int = 2) -> list[str]:
        """Index values of ``fieldname`` spelled like ``value`` (for "did you mean"), best first:
        ``difflib.get_close_matches`` (ratio >= 0.75) over the folded lexicon (:meth:`_lexicon`);
        a one-word person is also compared with the indexed names' last words (``Lavrof`` ->
        ``Sergey Lavrov``), since a surname alone is a valid filter."""
        import difflib

        keyed = self._lexicon(fieldname, value)
        if keyed is None:
            return []
        key, by_key = keyed
        close = [by_key[k][0] for k in difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.75)]
        if not close and fieldname in ("person", "participant") and " " not in key.strip():
            by_last: dict[str, str] = {}
            for k, names in by_key.items():
                by_last.setdefault(k.split()[-1] if k.split() else k, names[0])
            close = [by_last[k] for k in difflib.get_close_matches(key, list(by_last), n=n, cutoff=0.75)]
        return close

    def no_match_note(self, fieldname: str, value: str, typed: str | None = None) -> str:
        """The note for a value nothing can match: not in the gazetteers (country, topic...) or
        in no indexed readout (person, hashtag...), with the closest indexed spellings.

        Args:
            fieldname, value: the field and the value as the user gave it.
            typed: how the user wrote it (``person:"Sergei Lavrof"``); default the option form
                (``--person 'Sergei Lavrof'``).

        Returns:
            one line, e.g. ``--person 'Sergei Lavrof' matches no indexed person; did you mean
            'Sergey Lavrov'?``
        """
        typed = typed or f"--{fieldname} {value!r}"
        if fieldname in RESOLVED_FIELDS:
            return f"{typed} is not a known {fieldname} (nothing can match it)"
        close = self.close_values(fieldname, value)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return f"{typed} matches no indexed {fieldname}{hint}"


def _label_facets(result: SearchResult, resources) -> None:
    for fname, values in result.facets.items():
        kind = "country" if fname == "initiative" else fname
        if kind in FORMATS_WITH_LABELS:
            for v in values:
                v.label = resources.label(kind, v.value)


@dataclass
class SearchOptions:
    """Options of :func:`search` (see ``readsearch query --help``).

    Attributes:
        filters: facet field -> values the user typed (each must match; resolved like the text).
        since, until: ISO date bounds on the event date (inclusive).
        sort: ``relevance``, ``date`` (oldest first) or ``-date`` (newest first).
        limit, offset: paging (``limit`` 0: every hit).
        facets: True for the default facet fields, or a list of fields.
        duplicates: ``collapse`` (fold duplicates into one hit) or ``show``.
        gazetteers, taxonomies: user YAML files merged over the shipped data.
        count: compute ``total`` exactly (all matches are collected). False scores only the
            best hits, much faster for large result sets; ``total`` is then -1.
        snippets: build snippets and highlights.
    """

    filters: dict[str, list[str]] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    sort: str = "relevance"
    limit: int = 10
    offset: int = 0
    facets: bool | list[str] = False
    duplicates: str = "collapse"
    gazetteers: tuple[str, ...] = ()
    taxonomies: tuple[str, ...] = ()
    count: bool = True
    snippets: bool = True


def open_searcher(index_dir: str | None = None):
    """Open a searcher on the index (reuse it for many queries).

    Raises:
        IndexMissing, IndexDamaged.
    """
    from readsearch.index.searcher import ReadoutSearcher

    return ReadoutSearcher(index_dir or default_index_dir())


def search(query: str = "", index_dir: str | None = None, options: SearchOptions | None = None,
           searcher=None) -> SearchResult:
    """Run one query against the index.

    Args:
        query: the query string (empty or ``*`` matches every readout).
        index_dir: the index folder (default :func:`default_index_dir`).
        options: :class:`SearchOptions`.
        searcher: an open searcher from :func:`open_searcher` (for many queries); opened and
            closed here when None.

    Returns:
        a :class:`~readsearch.model.SearchResult`.

    Raises:
        UsageError: a bad option value (sort, dates, paging, filter field).
        QuerySyntaxError: the query cannot be understood.
        IndexMissing, IndexDamaged: no usable index.
    """
    from readsearch.index.query import empty_date_range
    from readsearch.index.schema import DEFAULT_FACETS
    from readsearch.index.searcher import SORTS, QuerySpec

    def load_resources(gazetteers, taxonomies):
        from readsearch.extract import load_resources as load

        return load(gazetteers, taxonomies)

    o = options or SearchOptions()
    if o.sort not in SORTS:
        raise UsageError(f"--sort {o.sort!r}: use one of {', '.join(SORTS)}")
    if o.duplicates not in ("collapse", "show"):
        raise UsageError(f"--duplicates {o.duplicates!r}: use collapse or show")
    for name, v in (("limit", o.limit), ("offset", o.offset)):
        if v < 0:
            raise UsageError(f"--{name} {v}: must be 0 or more")
    since, until = _check_date("since", o.since), _check_date("until", o.until)
    if since and until and empty_date_range(since, until):
        raise UsageError(f"--since {since} is after --until {until}: no date can match (swap them?)")
    unknown = set(o.filters) - set(FILTER_FIELDS)
    if unknown:
        raise UsageError(f"unknown filter field(s): {', '.join(sorted(unknown))}")
    for f, vals in o.filters.items():
        for v in vals:
            if not v.strip():   # a script's empty variable: it matched nothing, without a word
                raise UsageError(f"--{f} {v!r}: give a value, or leave the option out")
    bad_kinds = [k for k in o.filters.get("kind", []) if k.strip().lower() not in KINDS]
    if bad_kinds:
        raise UsageError(f"--kind {bad_kinds[0]!r}: use one of {', '.join(KINDS)}")
    facets = tuple(DEFAULT_FACETS) if o.facets is True else tuple(o.facets or ())
    own = searcher is None
    s = searcher or open_searcher(index_dir)
    try:
        resolver = _Resolver(s, lambda: load_resources(tuple(o.gazetteers), tuple(o.taxonomies)))
        filters = {f: [resolver(f, v) for v in vals] for f, vals in o.filters.items() if vals}
        notes = [resolver.no_match_note(f, v) for f, vals in o.filters.items()
                 for v, terms in zip(vals, filters.get(f, [])) if not terms and v.strip()]
        spec = QuerySpec(text=query or "", filters=filters, since=since, until=until, sort=o.sort,
                         limit=o.limit if o.limit > 0 else 10**9, offset=o.offset, facets=facets,
                         collapse=o.duplicates == "collapse", resolver=resolver,
                         count=o.count or bool(facets), snippets=o.snippets)
        result = s.search(spec)
        result.warnings.extend(notes)
        if not result.hits and o.offset and result.total:
            result.warnings.append(f"--offset {o.offset} is past the last of the {result.total} "
                                   f"match{'es' if result.total > 1 else ''}")
        if not result.hits and s.doc_count == 0:
            result.warnings.append("the index holds no readouts yet (a run in progress adds its "
                                   "readouts at each commit)")
        if any(f in FORMATS_WITH_LABELS for f in result.facets):
            _label_facets(result, resolver.resources)
        return result
    finally:
        if own:
            s.close()


def similar(doc_id: str, index_dir: str | None = None, limit: int = 10, duplicates: str = "collapse",
            searcher=None, gazetteers: tuple[str, ...] = ()) -> SearchResult | None:
    """Readouts most like the readout ``doc_id`` (more-like-this over key terms), best first.

    Args:
        doc_id: the source readout's id (as printed by ``query``).
        index_dir: the index folder (default :func:`default_index_dir`).
        limit: at most this many hits (0: every hit, as ``query``'s).
        duplicates: ``collapse`` (fold duplicates, leave out the source's own copies) or ``show``.
        searcher: an open searcher from :func:`open_searcher`; opened and closed here when None.
        gazetteers: user YAML files merged over the shipped data (for labels).

    Returns:
        a :class:`~readsearch.model.SearchResult` (``query`` is ``similar:<id>``; each hit's
        ``score`` is its similarity), or None when no readout has that id.

    Raises:
        UsageError: a negative limit or a bad ``duplicates`` value.
        IndexMissing, IndexDamaged: no usable index.
    """
    from readsearch.index.similar import similar as _similar

    if limit < 0:
        raise UsageError(f"--limit {limit}: must be 0 or more")
    if duplicates not in ("collapse", "show"):
        raise UsageError(f"--duplicates {duplicates!r}: use collapse or show")
    own = searcher is None
    s = searcher or open_searcher(index_dir)
    try:
        return _similar(s, doc_id, limit=limit, collapse=duplicates == "collapse")
    finally:
        if own:
            s.close()


def _strings(v) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


_TEXT = (lambda v: isinstance(v, str), "a string")
_COUNT = (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, "a whole number")
_FLAG = (lambda v: isinstance(v, bool), "true or false")
#: JSON types of a batch request's values: key -> (check, what the error calls it)
_BATCH_TYPES = {
    **dict.fromkeys(("query", "q", "since", "until", "sort", "duplicates"), _TEXT),
    **dict.fromkeys(("limit", "offset"), _COUNT),
    **dict.fromkeys(("count", "snippets"), _FLAG),
    "facets": (lambda v: isinstance(v, bool) or _strings(v), "true/false or a list of strings"),
}
#: batch keys that are :class:`SearchOptions` fields
_BATCH_OPTIONS = tuple(k for k in _BATCH_TYPES if k not in ("query", "q"))


def _json_kind(v) -> str:
    """What a JSON value is, in words (for error messages)."""
    return value_kind(v, mapping="an object", null="null")


def _batch_options(item: dict, base: SearchOptions) -> tuple[str, SearchOptions]:
    """The query and options of one batch request (a JSON object), over ``base``.

    Raises:
        UsageError: an unknown key, or a value of the wrong JSON type (``{"query": 3}`` is not
            the query ``3``; ``{"limit": "5"}`` is not five hits)."""
    from dataclasses import replace

    known = set(_BATCH_TYPES) | {"filters"} | set(FILTER_FIELDS)
    unknown = set(item) - known
    if unknown:
        raise UsageError(f"unknown key(s) {', '.join(sorted(unknown))}")
    for k, (ok, what) in _BATCH_TYPES.items():
        if k in item and not ok(item[k]):
            raise UsageError(f"{k!r} must be {what}, not {_json_kind(item[k])}")
    given = item.get("filters") or {}
    if not isinstance(given, dict):
        raise UsageError(f"'filters' must be an object, not {_json_kind(given)}")
    filters = {k: list(v) for k, v in base.filters.items()}
    for k, v in dict(given, **{f: item[f] for f in FILTER_FIELDS if f in item}).items():
        if k not in FILTER_FIELDS:
            raise UsageError(f"unknown filter field {k!r}")
        if not (isinstance(v, str) or _strings(v)):
            raise UsageError(f"filter {k!r} must be a string or a list of strings, not {_json_kind(v)}")
        filters.setdefault(k, []).extend([v] if isinstance(v, str) else v)
    changes = {k: item[k] for k in _BATCH_OPTIONS if k in item}
    return item.get("query", item.get("q", "")), replace(base, filters=filters, **changes)


def search_many(requests: Iterable[str | dict], index_dir: str | None = None,
                options: SearchOptions | None = None) -> Iterable[SearchResult | ReadsearchError]:
    """Run many queries with one searcher (batch lookups).

    Args:
        requests: query strings, or dicts ``{"query": ..., "country": [...], "since": ...,
            "limit": ...}`` (any :class:`SearchOptions` field or filter field; ``filters`` may
            hold the filter fields too), each added to ``options``.
        index_dir: the index folder.
        options: defaults for every request.

    Yields:
        one :class:`~readsearch.model.SearchResult` per request, in order, or the
        :class:`~readsearch.errors.ReadsearchError` that request raised (the batch goes on);
        a request that already is a ``ReadsearchError`` (a line that could not be read as
        one) is passed through. Each answer comes as soon as its request is read.

    Raises:
        IndexMissing, IndexDamaged: before the first request, when there is no usable index.
    """
    base = options or SearchOptions()
    s = open_searcher(index_dir)
    try:
        for req in requests:
            if isinstance(req, ReadsearchError):
                yield req
                continue
            try:
                if isinstance(req, dict):
                    text, opts = _batch_options(req, base)
                else:
                    text, opts = str(req), base
                yield search(text, options=opts, searcher=s)
            except ReadsearchError as e:
                yield e
    finally:
        s.close()


def search_lines(lines: Iterable[str], index_dir: str | None = None,
                 options: SearchOptions | None = None) -> Iterable[SearchResult | ReadsearchError]:
    """Batch lookups from text lines (``query --batch``): a line starting with ``{`` is a JSON
    request (see :func:`search_many`), any other line a query string.

    Yields:
        one result (or error) per line, in order, each as soon as its line is read (a script
        may write a line and wait for its answer); a line starting with ``{`` that is not valid
        JSON, a line that is a whole JSON list (``["energy", "Serbia"]``: a request written the
        wrong way), and a blank line (an empty variable in a script, not a request for every
        readout: ``*`` is that), give a :class:`~readsearch.errors.UsageError`.
    """
    return search_many(map(_line_request, lines), index_dir, options)


def _line_request(line: str) -> str | dict | UsageError:
    """One line of ``query --batch`` as a request of :func:`search_many` (or the error it is)."""
    import json

    text = line.strip()
    if not text:
        return UsageError("empty line: no query (a line holding * lists every readout)")
    if text.startswith("{"):
        try:
            return json.loads(text)
        except ValueError as e:
            return UsageError(f"not a JSON object: {e}")
    if text.startswith("["):
        try:   # a JSON list is a request written the wrong way; "[draft] talks" is a query
            value = json.loads(text)
        except ValueError:
            return text
        return UsageError(f"a JSON line holding {_json_kind(value)}: give a JSON object "
                          '({"query": ...}) or a plain query')
    return text


def show(doc_id: str, index_dir: str | None = None) -> dict | None:
    """One readout whole (``id`` as printed by ``query``), or None if absent: the keys of a
    JSON hit (without score and snippet), then ``language``, ``meta`` and ``body``
    (:meth:`readsearch.index.searcher.ReadoutSearcher.document`).

    Raises:
        IndexMissing, IndexDamaged.
    """
    s = open_searcher(index_dir)
    try:
        return s.document(doc_id)
    finally:
        s.close()
