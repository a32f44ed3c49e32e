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
import operator
import os
import pickle
import zlib
from array import array
from operator import itemgetter
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_int, pack_long, pack_ushort
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
        # field -> term bytes -> [(docnum, weight, value bytes or None), ...]
        self.groups: dict[str, dict[bytes, list]] = {}
        self.runs: list[str] = []
        self.fieldnames: set[str] = set()

    def add(self, item: tuple) -> None:
        """Add one posting ``(field, term bytes, docnum, weight, value bytes or None)``."""
        fieldname, text, docnum, weight, value = item
        self.add_many(fieldname, docnum, [(text, weight, value)], len(value) if value else 0)

    def add_many(self, fieldname: str, docnum: int, postings: list, value_bytes: int) -> None:
        """Add one document's postings of one field (the same as :meth:`add` of each).

        Args:
            fieldname: the field.
            docnum: the document.
            postings: ``[(term bytes, weight, value bytes or None), ...]``, distinct terms.
            value_bytes: the summed length of the postings' values (for the memory estimate).
        """
        terms = self.groups.get(fieldname)
        if terms is None:
            terms = self.groups[fieldname] = {}
            self.fieldnames.add(fieldname)
        get = terms.get
        new_terms = 0
        for text, weight, value in postings:
            group = get(text)
            if group is None:
                terms[text] = [(docnum, weight, value)]
                new_terms += self.TERM_BYTES + len(text)
            else:
                group.append((docnum, weight, value))
        self.size += new_terms + self.POSTING_BYTES * len(postings) + value_bytes
        if self.size > self.limit:
            self.save()

    def _sorted_groups(self):
        """``((field, term), postings)`` of the groups held in memory, sorted by field and term."""
        for fieldname in sorted(self.groups):
            terms = self.groups[fieldname]
            for text in sorted(terms):
                yield (fieldname, text), terms[text]

    def save(self) -> None:
        """Write the groups held in memory as a sorted run file and empty them."""
        if not self.groups:
            return
        # the writers of one index share its temporary folder: names must be unique across processes
        name = f"{random_name()}.grouped.run"
        # one pickle per record: a Pickler (and an Unpickler) kept for the whole file memoises
        # every object it has seen, holding the run in memory again (1.1 GB writers at 14k)
        with self.tempstore.create_file(name).raw_file() as f:
            for record in self._sorted_groups():
                pickle.dump(record, f, pickle.HIGHEST_PROTOCOL)
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

    def iter_groups(self):
        """Yields ``(field, term bytes, postings)`` for every term, sorted by field and term,
        ``postings`` a list of ``(docnum, weight, value)`` sorted by docnum (the order a
        segment's term index and posting lists are written in)."""
        if not self.runs:
            for (fieldname, text), postings in self._sorted_groups():
                # documents arrive in docnum order (one pass over an in-order list); a merge's readers too
                postings.sort(key=_DOCNUM)
                yield fieldname, text, postings
            return
        self.save()
        merged = heapq.merge(*(self._read_run(n) for n in self.runs), key=_KEY)
        current, postings = None, []
        for key, group in merged:
            if key != current:
                if current is not None:
                    postings.sort(key=_DOCNUM)
                    yield current[0], current[1], postings
                current, postings = key, []
            postings.extend(group)
        if current is not None:
            postings.sort(key=_DOCNUM)
            yield current[0], current[1], postings

    def iter_postings(self):
        """Yields every posting ``(field, term, docnum, weight, value)`` sorted by field, term
        and docnum (what ``FieldWriter.add_postings`` takes)."""
        for fieldname, text, postings in self.iter_groups():
            for docnum, weight, value in postings:
                yield fieldname, text, docnum, weight, value

    def cleanup(self) -> None:
        """Delete the run files."""
        for name in self.runs:
            try:
                self.tempstore.delete_file(name)
            except OSError:
                pass
        self.runs = []


class _Lengths:
    """Per-document field lengths of the segment being written, read once per field (Whoosh
    asks them of the per-document reader once per posting)."""

    def __init__(self, pdr):
        self.pdr = pdr
        self.n = pdr.doc_count_all()
        self.by_field: dict[str, list[int]] = {}

    def field_lengths(self, fieldname: str) -> list[int]:
        """Field ``fieldname``'s length of every document (0 where it has none)."""
        lengths = self.by_field.get(fieldname)
        if lengths is None:
            dfl = self.pdr.doc_field_length
            lengths = self.by_field[fieldname] = [dfl(d, fieldname, 0) for d in range(self.n)]
        return lengths

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        return self.field_lengths(fieldname)[docnum]


class _TermTable:
    """Adds rows to a segment's term index (Whoosh's ``OrderedHashWriter``, keys in increasing
    order) as its ``add`` does, keeping the file position here instead of asking the file for
    it twice per term.

    Args:
        table: the ``whoosh.filedb.filetables.OrderedHashWriter`` of the segment's terms.
    """

    def __init__(self, table):
        from whoosh.filedb.filetables import _lengths

        self.table = table
        self.file = table.dbfile
        self.pos = self.file.tell()
        self.lastkey = table.lastkey
        self.pack = _lengths.pack

    def add(self, key: bytes, value: bytes) -> None:
        """Add the row ``key`` -> ``value``.

        Raises:
            ValueError: ``key`` is not above the last key added (as Whoosh's writer raises).
        """
        table = self.table
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        table.index.append(self.pos)
        row = self.pack(len(key), len(value)) + key + value
        self.file.write(row)
        h = table.hashfn(key)
        table.buckets[h & 255].append((h, self.pos))
        self.pos += len(row)
        self.lastkey = table.lastkey = key


#: a posting block's pickle shorter than this (bytes) is written uncompressed; Whoosh compresses
#: every block (zlib level 3), which makes a block of one or two postings longer, not shorter
COMPRESS_MIN_BYTES = 128


def write_postings(fieldwriter, schema, lengths, groups) -> None:
    """Write a segment's posting lists and term index: what Whoosh's
    ``FieldWriter.add_postings`` writes, one term at a time instead of one posting at a time.

    For Whoosh's W3 codec (``whoosh.codec.whoosh3``, the only codec readsearch writes) each
    term's postings are cut into blocks of the codec's ``blocklimit`` and written in the W3
    block layout (``W3PostingsWriter._write_block``: a pickled info tuple, then the pickled,
    compressed ids/weights/values) with the term's ``W3TermInfo`` statistics; Whoosh's own
    writer did this through five method calls and several type assertions per posting (a fifth
    of a bulk build's writer time). Blocks whose pickle is shorter than
    :data:`COMPRESS_MIN_BYTES` are stored uncompressed (compression level 0 in their info,
    which Whoosh's reader honours). Any other field writer gets Whoosh's ``add_postings``.

    Args:
        fieldwriter: the segment's Whoosh field writer.
        schema: the index schema.
        lengths: per-document field lengths (``doc_field_length(docnum, fieldname)``), or None
            when the codec keeps no length statistics.
        groups: ``(field, term bytes, postings)`` sorted by field and term, ``postings`` a list
            of ``(docnum, weight, value bytes or None)`` sorted by docnum
            (:meth:`GroupedPostingPool.iter_groups`).
    """
    from whoosh.codec.whoosh3 import W3FieldWriter
    from whoosh.filedb.filetables import OrderedHashWriter

    if type(fieldwriter) is not W3FieldWriter or fieldwriter._codec._inlinelimit > 1 or \
            type(fieldwriter._tindex) is not OrderedHashWriter:
        fieldwriter.add_postings(schema, lengths, (
            (f, t, d, w, v) for f, t, ps in groups for d, w, v in ps))
        return
    from whoosh.codec.whoosh3 import W3TermInfo
    from whoosh.util.numeric import length_to_byte

    pack_terminfo = W3TermInfo._struct.pack
    codec = fieldwriter._codec
    blocklimit, compression = codec._blocklimit, codec._compression
    postfile, tindex = fieldwriter._postfile, _TermTable(fieldwriter._tindex)
    pos = postfile.tell()     # kept here from now on: a tell() per term cost as much as its pickles
    current = None
    for fieldname, text, postings in groups:
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            current = fieldname
            fieldobj = schema[fieldname]
            fieldwriter.start_field(fieldname, fieldobj)
            fieldid = pack_ushort(fieldwriter._fieldid)
            fixedsize = fieldobj.format.fixed_value_size()
            field_lengths = lengths.field_lengths(fieldname) if lengths else None
        parts = [WHOOSH3_HEADER_MAGIC]
        n = len(postings)
        total_weight, minlength, maxlength, maxweight = 0, None, 0, 0
        for b in range(0, n, blocklimit):
            block = postings[b:b + blocklimit]
            ids = [p[0] for p in block]
            raw_weights = [p[1] for p in block]
            weights = array("f", raw_weights)
            # Whoosh's block statistics: the largest weight (0 when none is above 0), the
            # shortest and longest non-zero field length of the block's documents
            block_maxweight = max(0, max(raw_weights))
            if field_lengths is not None:
                lens = [field_lengths[d] for d in ids if field_lengths[d]]
                block_min = min(lens) if lens else None
                block_max = max(lens) if lens else 0
            else:
                block_min, block_max = None, 0
            if weights.count(1.0) == len(weights):
                mini_weights = None
            elif weights.count(weights[0]) == len(weights):
                mini_weights = weights[0]
            else:
                mini_weights = tuple(weights)
            if fixedsize == 0:
                mini_values = None
            else:
                values = [p[2] for p in block if p[2]]
                mini_values = tuple(values) if fixedsize is None or fixedsize < 0 else b"".join(values)
            deltas = (ids[0],) + tuple(map(operator.sub, ids[1:], ids[:-1]))
            data = dumps((deltas, mini_weights, mini_values), 2)
            comp = compression if len(data) >= COMPRESS_MIN_BYTES else 0
            if comp:
                data = zlib.compress(data, comp)
            info = dumps((len(ids), ids[-1], block_maxweight, comp, length_to_byte(block_min),
                          length_to_byte(block_max)), 2)
            blocklength = len(info) + len(data)
            parts += (pack_int(-blocklength if b + blocklimit >= n else blocklength), info, data)
            # the term's statistics, as W3TermInfo.add_block sums them block by block
            total_weight += sum(weights)
            if block_min is not None:
                minlength = block_min if minlength is None else min(minlength, block_min)
            maxlength = max(maxlength, block_max)
            maxweight = max(maxweight, block_maxweight)
        term_bytes = b"".join(parts)
        postfile.write(term_bytes)
        # W3TermInfo.to_bytes of a term whose postings are in the postings file (not inlined)
        info = pack_terminfo(False, total_weight, n, length_to_byte(minlength), length_to_byte(maxlength),
                             maxweight, postings[0][0], postings[-1][0])
        tindex.add(fieldid + text, info + pack_long(pos) + pack_int(len(term_bytes)))
        pos += len(term_bytes)
    if current is not None:
        fieldwriter.finish_field()


class _GroupedPoolMixin:
    """Gives a Whoosh segment writer a :class:`GroupedPostingPool` and :class:`_Lengths`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool = GroupedPostingPool(self._tempstorage, limitmb=kwargs.get("limitmb", 128))

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        write_postings(self.fieldwriter, self.schema, _Lengths(pdr) if pdr else None, self.pool.iter_groups())
        self.fieldwriter.close()
        if pdr:
            pdr.close()


class ReadoutSegmentWriter(_GroupedPoolMixin, SegmentWriter):
    """``whoosh.writing.SegmentWriter`` with the grouped posting pool (same arguments), whose
    :meth:`add_document` takes the text fields' postings in one list per field."""

    #: the schema has spelling or vector fields: Whoosh's add_document writes them (None: not known yet)
    _whooshs_add = None

    def add_document(self, **fields):
        """Whoosh's ``SegmentWriter.add_document`` (same arguments and result), except that a
        field whose format has ``index_postings``
        (:class:`~readsearch.index.postings.ReadoutPositions`: ``title``, ``body``) hands its
        postings to the pool as one list (:meth:`GroupedPostingPool.add_many`) instead of one
        generator step, one tuple and one pool call per posting. A schema with spelling or
        term-vector fields (none of readsearch's) is written by Whoosh's own method."""
        if self._whooshs_add is None:
            self._whooshs_add = any(f.separate_spelling() or f.vector for _name, f in self.schema.items())
        if self._whooshs_add:
            return SegmentWriter.add_document(self, **fields)
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    fast = getattr(field.format, "index_postings", None)
                    if fast is not None and isinstance(value, str) and fieldboost == 1.0:
                        postings, freqs, nbytes = fast(value)
                        if postings:
                            pool.add_many(fieldname, docnum, postings, nbytes)
                        if field.scorable:
                            length = freqs
                    else:
                        scorable = field.scorable
                        for tbytes, freq, weight, vbytes in field.index(value):
                            if scorable:
                                length += freq
                            pool.add((fieldname, tbytes, docnum, weight * fieldboost, vbytes))
                customval = fields.get("_stored_%s" % fieldname, value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1


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
