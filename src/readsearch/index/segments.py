"""Segment writing: a posting pool grouped by term, the writers that use it, and the merge policy.

Whoosh's writer (``whoosh.writing.SegmentWriter``) collects every posting of a segment as one
``(field, term, docnum, weight, value)`` tuple in a ``PostingPool``, sorts all of them when the
segment is written, and past ``limitmb`` writes them to temporary files one ``marshal`` record
each and merges those back. On a bulk build of 14,365 whitehouse pages that pool was a quarter
of all CPU time (py-spy, ``SortingPool`` + ``PostingPool.add``). Documents reach a writer in
docnum order, so a pool that groups postings by ``(field, term)`` keeps each posting list in
order as it grows and only has to sort the distinct terms (:class:`GroupedPostingPool`).

Writing a segment also asked the just-written per-document lengths for every posting (one
struct read each); :class:`_Lengths` reads each field's lengths once.

:func:`tiered_merge` replaces Whoosh's default merge policy (``MERGE_SMALL``), which on a 100k
build merged twenty segments of 2,500 readouts (1.8 GB) at one commit: 9.5 minutes with no
progress. Ours merges only small segments, a bounded amount per commit.
"""
from __future__ import annotations

import heapq
import math
import os
import pickle
from operator import itemgetter

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from readsearch.workers import become_worker, forking, stop_processes

#: a size tier is merged into one segment once it holds this many segments
MERGE_FACTOR = 10
#: no merge at commit writes a segment of more documents than this (bulk runs' segments are
#: never merged: re-encoding postings runs at about 60 documents/s here)
MAX_MERGE_DOCS = 10_000
#: a run record's ``(field, term)``; a grouped posting's docnum
_KEY = _DOCNUM = itemgetter(0)


class GroupedPostingPool:
    """The postings of one segment being written, grouped by ``(field, term)``.

    Stands in for ``whoosh.writing.PostingPool`` (same ``add``/``iter_postings``/``cleanup``/
    ``fieldnames``). Memory is bounded: past ``limitmb`` (estimated) the groups are written,
    sorted, as a run of pickled ``((field, term), postings)`` records to the writer's temporary
    storage, and runs are merged term by term when the segment is written.

    Args:
        tempstore: a Whoosh storage for run files (the writer's temporary storage).
        limitmb: estimated memory in MiB before a run is written.
    """

    #: estimated bytes per posting and per distinct term (CPython 3.11: the posting's tuple,
    #: float and value bytes; the key tuple, term bytes, list and dict slot)
    POSTING_BYTES = 150
    TERM_BYTES = 250

    def __init__(self, tempstore, limitmb: int = 256):
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.groups: dict[tuple[str, bytes], list] = {}
        self.runs: list[str] = []
        self.fieldnames: set[str] = set()

    def add(self, item: tuple) -> None:
        """Add one posting ``(field, term bytes, docnum, weight, value bytes or None)``."""
        fieldname, text, docnum, weight, value = item
        key = (fieldname, text)
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = [(docnum, weight, value)]
            self.fieldnames.add(fieldname)
            self.size += self.TERM_BYTES + len(text)
        else:
            group.append((docnum, weight, value))
        self.size += self.POSTING_BYTES + (len(value) if value else 0)
        if self.size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the groups held in memory as a sorted run file and empty them."""
        if not self.groups:
            return
        # the writers of one index share its temporary folder: names must be unique across processes
        name = f"{random_name()}.grouped.run"
        # one pickle per record: a Pickler (and an Unpickler) kept for the whole file memoises
        # every object it has seen, holding the run in memory again (1.1 GB writers at 14k)
        with self.tempstore.create_file(name).raw_file() as f:
            for key in sorted(self.groups):
                pickle.dump((key, self.groups[key]), f, pickle.HIGHEST_PROTOCOL)
        self.runs.append(name)
        self.groups = {}
        self.size = 0

    def _read_run(self, name: str):
        with self.tempstore.open_file(name).raw_file() as f:
            while True:
                try:
                    yield pickle.load(f)
                except EOFError:
                    return

    def iter_postings(self):
        """Yields every posting ``(field, term, docnum, weight, value)`` sorted by field, term
        and docnum (what ``FieldWriter.add_postings`` takes)."""
        if not self.runs:
            for key in sorted(self.groups):
                yield from _postings_of(key, self.groups[key])
            return
        self.save()
        merged = heapq.merge(*(self._read_run(n) for n in self.runs), key=_KEY)
        current, postings = None, []
        for key, group in merged:
            if key != current:
                if current is not None:
                    yield from _postings_of(current, postings)
                current, postings = key, []
            postings.extend(group)
        if current is not None:
            yield from _postings_of(current, postings)

    def cleanup(self) -> None:
        """Delete the run files."""
        for name in self.runs:
            try:
                self.tempstore.delete_file(name)
            except OSError:
                pass
        self.runs = []


def _postings_of(key, postings):
    fieldname, text = key
    # documents arrive in docnum order (one pass over an in-order list); a merge's readers too
    postings.sort(key=_DOCNUM)
    for docnum, weight, value in postings:
        yield fieldname, text, docnum, weight, value


class _Lengths:
    """Per-document field lengths of the segment being written, read once per field (Whoosh
    asks them of the per-document reader once per posting)."""

    def __init__(self, pdr):
        self.pdr = pdr
        self.n = pdr.doc_count_all()
        self.by_field: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self.by_field.get(fieldname)
        if lengths is None:
            dfl = self.pdr.doc_field_length
            lengths = self.by_field[fieldname] = [dfl(d, fieldname, default) for d in range(self.n)]
        return lengths[docnum]


class _GroupedPoolMixin:
    """Gives a Whoosh segment writer a :class:`GroupedPostingPool` and :class:`_Lengths`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool = GroupedPostingPool(self._tempstorage, limitmb=kwargs.get("limitmb", 128))

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        self.fieldwriter.add_postings(self.schema, _Lengths(pdr) if pdr else None,
                                      self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()


class ReadoutSegmentWriter(_GroupedPoolMixin, SegmentWriter):
    """``whoosh.writing.SegmentWriter`` with the grouped posting pool (same arguments)."""


class _SubWriterTask(SubWriterTask):
    """Whoosh's sub-writer process (multisegment mode only) writing with
    :class:`ReadoutSegmentWriter`.

    It leaves interruptions to its parent (:func:`readsearch.workers.become_worker`: SIGINT
    ignored, SIGTERM ends it quietly), which stops it when the writer is cancelled
    (:meth:`ReadoutMpWriter.cancel`); Whoosh's own ``cancel`` only sets a flag in the parent's
    copy of this object, which the process never sees. A daemon, so that the parent's exit never
    waits for it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.daemon = True
        self.parent_pid = os.getpid()

    def run(self):
        become_worker(self.parent_pid)
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = ReadoutSegmentWriter(ix, _lk=False, **self.kwargs)
        while True:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        fieldnames = writer.pool.fieldnames
        self.resultqueue.put((None, fieldnames, writer._finalize_segment()), timeout=5)


class ReadoutMpWriter(_GroupedPoolMixin, MpWriter):
    """``whoosh.multiproc.MpWriter`` in multisegment mode (each sub-process writes its own
    segment) whose writers use the grouped posting pool, and whose :meth:`cancel` stops them.

    Args:
        ix: the Whoosh index.
        procs: sub-processes.
        **kwargs: ``SegmentWriter`` arguments (``timeout``, ``limitmb`` ...).
    """

    #: seconds :meth:`cancel` waits for the sub-processes after SIGTERM, then after SIGKILL
    STOP_TIMEOUT = 5.0

    def __init__(self, ix, procs: int, **kwargs):
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)

    def _new_task(self):
        task = _SubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                              self.subargs, True)
        self.tasks.append(task)
        with forking():
            task.start()
        return task

    def cancel(self):
        """Drop what was added since the last commit: stop the sub-processes (SIGTERM, then
        SIGKILL, each wait bounded by :attr:`STOP_TIMEOUT`), then remove the temporary files
        they were reading and release the lock. The segment files they had begun stay out of
        the table of contents (the next commit deletes them), so the index is left as it was at
        its last commit.

        Whoosh's ``MpWriter.cancel`` left the processes running: one reading its next job from
        the queue blocked its parent's exit forever, one reading a job file failed with a
        traceback once the temporary folder was removed.
        """
        try:
            stop_processes(self.tasks, self.STOP_TIMEOUT)
            for q in (self.jobqueue, self.resultqueue):
                q.cancel_join_thread()  # at exit, do not wait to flush jobs nobody will read
                q.close()
        finally:
            SegmentWriter.cancel(self)


def size_tier(doc_count: int) -> int:
    """The size tier of a segment of ``doc_count`` documents: its number of decimal digits
    minus one (1-9 documents: 0, 10-99: 1 ...)."""
    return int(math.log10(doc_count)) if doc_count > 0 else 0


def tiered_merge(writer, segments: list) -> list:
    """Whoosh merge policy (``commit(mergetype=...)``): drop segments whose documents are all
    deleted, then merge the smallest size tier (:func:`size_tier`, documents counted with
    deletions) holding :data:`MERGE_FACTOR` segments or more into the segment being written,
    when together they hold at most :data:`MAX_MERGE_DOCS` documents.

    Each document is thus re-encoded about once per tier it climbs (log-structured merging, as
    in Lucene's ``LogDocMergePolicy``), small incremental runs do not pile up segments, and no
    commit merges more than :data:`MAX_MERGE_DOCS` documents.

    Args:
        writer: the Whoosh segment writer committing.
        segments: the index's current segments (``whoosh.codec.base.Segment``).

    Returns:
        the segments kept as they are.
    """
    from whoosh.reading import SegmentReader

    live = [s for s in segments if s.doc_count() > 0]
    by_tier: dict[int, list] = {}
    for seg in live:
        by_tier.setdefault(size_tier(seg.doc_count_all()), []).append(seg)
    for tier in sorted(by_tier):
        group = by_tier[tier]
        if len(group) >= MERGE_FACTOR and sum(s.doc_count_all() for s in group) <= MAX_MERGE_DOCS:
            for seg in group:
                reader = SegmentReader(writer.storage, writer.schema, seg)
                writer.add_reader(reader)
                reader.close()
            return [s for s in live if s not in group]
    return live
