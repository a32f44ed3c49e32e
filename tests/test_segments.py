"""Segment writing (readsearch.index.segments): the grouped posting pool writes exactly the
segment Whoosh's own pool writes, and the merge policy merges only small segments."""
from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from readsearch.index import segments
from readsearch.index.schema import build_schema
from readsearch.index.segments import GroupedPostingPool, ReadoutSegmentWriter, size_tier, tiered_merge

ROOT = Path(__file__).resolve().parents[1]


def _postings() -> list[tuple]:
    """Postings as writers add them: documents in docnum order, terms in any order."""
    out = []
    for docnum in range(40):
        for term in (b"zeta", b"alpha", b"m%d" % (docnum % 7), b"energy"):
            for field in ("title", "body") if docnum % 3 else ("body",):
                out.append((field, term, docnum, 1.0 + docnum % 2, b"v%d" % docnum))
    return out


@pytest.mark.parametrize("limitmb", [256, 0])  # 0: a run file after every posting
def test_pool_yields_whooshs_order(limitmb, tmp_path):
    pool = GroupedPostingPool(FileStorage(str(tmp_path)), limitmb=limitmb)
    items = _postings()
    for item in items:
        pool.add(item)
    got = list(pool.iter_postings())
    assert got == sorted(items, key=lambda p: p[:3])
    assert pool.fieldnames == {"title", "body"}
    assert len(pool.runs) == (0 if limitmb else len(items))
    pool.cleanup()
    assert pool.runs == [] and list(tmp_path.iterdir()) == []


def _spill_in_child(pool, out: str, field: str) -> None:
    for item in _postings():
        pool.add((field,) + item[1:])
    with open(out, "w") as f:
        f.write(repr(list(pool.iter_postings())))
    pool.cleanup()


def test_pools_of_forked_writers_share_a_temporary_folder(tmp_path):
    # Whoosh's sub-writers are forked from one process and write their runs into the index's
    # one temporary folder: run names must not repeat across processes (here both children
    # start from the same pool object, as forked writers start from the same memory)
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    pool = GroupedPostingPool(FileStorage(str(tmp_path)), limitmb=0)
    procs = [ctx.Process(target=_spill_in_child, args=(pool, str(tmp_path / f"out{i}"), f"f{i}"))
             for i in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert [p.exitcode for p in procs] == [0, 0]
    for i in range(2):
        want = sorted(((f"f{i}",) + p[1:] for p in _postings()), key=lambda p: p[:3])
        assert (tmp_path / f"out{i}").read_text() == repr(want)


def test_pool_sorts_postings_added_out_of_docnum_order(tmp_path):
    pool = GroupedPostingPool(FileStorage(str(tmp_path)))
    for docnum in (5, 2, 9, 0):
        pool.add(("body", b"term", docnum, 1.0, None))
    assert [p[2] for p in pool.iter_postings()] == [0, 2, 5, 9]


def _demo_docs() -> list:
    """The demo corpus's readouts as index Documents, through the real pipeline (read, extract,
    fingerprint)."""
    from readsearch import api, readers
    from readsearch.extract import load_resources
    from readsearch.model import Document

    root = str(ROOT / "corpus")
    files = list(readers.walk_files(root, readers.extensions()))
    jobs = [(f, f[len(root) + 1:], None) for f in sorted(files)]
    preparer = api._Preparer(load_resources((), ()), readers.ReadOptions(), procs=1)
    docs = []
    for (_, _, _), (fr, prepared) in zip(jobs, preparer.run(jobs)):
        for item, entities, fp in prepared:
            if entities is not None:
                docs.append(Document(readout=item, entities=entities, root=root, mtime=fr.mtime,
                                     size=fr.size, digest=fr.digest, body_key=fp.key, dup_group="",
                                     bands=fp.bands))
    preparer.close()
    return docs


def _write(folder, writer_class, docs: list[dict], **kwargs):
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(build_schema())
    w = writer_class(ix, **kwargs)
    for d in docs:
        w.add_document(**d)
    w.commit()
    return ix


def _segment_content(ix) -> tuple:
    r = ix.reader()
    postings = [(f, t, d, w, v) for f, t, d, w, v in r.iter_postings()]
    lengths = {(f, d): r.doc_field_length(d, f) for f in ("title", "body") for d in range(r.doc_count_all())}
    stats = {f: (r.field_length(f), r.min_field_length(f), r.max_field_length(f)) for f in ("title", "body")}
    infos = {k: (ti.weight(), ti.doc_frequency(), ti.min_length(), ti.max_length(), ti.max_weight())
             for k in list(r.all_terms())[:5000] for ti in [r.term_info(*k)]}
    stored = [r.stored_fields(d) for d in range(r.doc_count_all())]
    return postings, lengths, stats, infos, stored


@pytest.mark.parametrize("limitmb", [384, 0])  # 0: postings spilled to run files throughout
def test_grouped_writer_writes_the_same_segment_as_whooshs(limitmb, tmp_path):
    from readsearch.index.writer import document_fields

    docs = _demo_docs()
    assert len(docs) > 20
    fields = [document_fields(d) for d in docs]
    ours = _segment_content(_write(tmp_path / "ours", ReadoutSegmentWriter, fields, limitmb=limitmb))
    whooshs = _segment_content(_write(tmp_path / "whoosh", SegmentWriter, fields))
    assert ours[0] == whooshs[0] and len(ours[0]) > 5_000
    assert ours[1:] == whooshs[1:]


def test_long_posting_lists_write_blocks_as_whooshs(tmp_path):
    # 300 documents: terms whose posting lists fill several 128-posting blocks, terms in one
    # document only (one small block, written uncompressed), weights that differ per document
    from readsearch.index import segments as seg

    docs = [dict(key=f"k{i}", id=f"d{i}", title=f"Talks {i % 3}",
                 body="energy security " * (1 + i % 4) + f"rare{i} " + "common words " * (i % 2),
                 country="Serbia,Russia" if i % 2 else "China", year=str(2000 + i % 5))
            for i in range(300)]
    ours = _write(tmp_path / "ours", ReadoutSegmentWriter, docs)
    whooshs = _write(tmp_path / "whoosh", SegmentWriter, docs)
    assert _segment_content(ours) == _segment_content(whooshs)
    r = ours.reader()
    assert r.doc_frequency("body", "energi") == 300 and r.doc_frequency("country", "Serbia") == 150

    def block_compression(fieldname, text):
        m = r.postings(fieldname, text)
        levels = [m._compression]
        while not m._lastblock:
            m._next_block()
            levels.append(m._compression)
        return levels

    assert block_compression("body", "energi") == [3, 3, 3]          # 128 + 128 + 44 postings
    assert block_compression("body", "rare7") == [0]                  # pickle < COMPRESS_MIN_BYTES
    assert seg.COMPRESS_MIN_BYTES == 128


def test_with_every_block_compressed_the_postings_are_whooshs_byte_for_byte(monkeypatch, tmp_path):
    # COMPRESS_MIN_BYTES = 0 compresses every block, as Whoosh does: then each term's row in the
    # term index and each posting list are the very bytes Whoosh's writer makes
    monkeypatch.setattr(segments, "COMPRESS_MIN_BYTES", 0)
    docs = [dict(key=f"k{i}", id=f"d{i}", title=f"Talks {i % 3}", body="energy security " * (1 + i % 4) + f"rare{i}",
                 country="Serbia,Russia" if i % 2 else "China") for i in range(200)]
    readers = [_write(tmp_path / name, cls, docs).reader() for name, cls in
               (("ours", ReadoutSegmentWriter), ("whoosh", SegmentWriter))]
    terms = list(readers[0].all_terms())
    assert terms == list(readers[1].all_terms()) and len(terms) > 400

    def raw(r, fieldname, text):
        row = r._terms._tindex[r._terms._keycoder(fieldname, text)]
        offset, length = r.term_info(fieldname, text).extent()
        length = length[0] if isinstance(length, tuple) else length  # Whoosh's reader keeps unpack's tuple
        return row, r._terms._postfile.get(offset, length)

    for fieldname, text in terms:
        assert raw(readers[0], fieldname, text) == raw(readers[1], fieldname, text), (fieldname, text)


def test_a_schema_with_term_vectors_is_written_as_whoosh_writes_it(tmp_path):
    # readsearch's schema has no spelling or vector fields; another schema's are written by
    # Whoosh's own add_document, into the grouped pool
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(id=ID(stored=True), body=TEXT(vector=True))
    docs = [dict(id=f"d{i}", body=f"energy security talks {i % 3}") for i in range(30)]
    for name, cls in (("ours", ReadoutSegmentWriter), ("whoosh", SegmentWriter)):
        (tmp_path / name).mkdir()
        w = cls(FileStorage(str(tmp_path / name)).create_index(schema))
        for d in docs:
            w.add_document(**d)
        w.commit()
    ours, whooshs = (FileStorage(str(tmp_path / n)).open_index().reader() for n in ("ours", "whoosh"))
    assert list(ours.iter_postings()) == list(whooshs.iter_postings())
    assert list(ours.vector_as("frequency", 4, "body")) == list(whooshs.vector_as("frequency", 4, "body")) \
        == [("energy", 1), ("security", 1), ("talks", 1)]


class _Seg:
    def __init__(self, n, deleted=0):
        self.n, self.deleted = n, deleted

    def doc_count_all(self):
        return self.n

    def doc_count(self):
        return self.n - self.deleted


def test_size_tiers():
    assert [size_tier(n) for n in (0, 1, 9, 10, 99, 100, 2500, 10_000)] == [0, 0, 0, 1, 1, 2, 3, 4]


def test_policy_leaves_large_segments_and_drops_emptied_ones():
    bulk = [_Seg(2500) for _ in range(20)]           # a 50,000-readout bulk build
    assert tiered_merge(None, bulk) == bulk          # Whoosh's MERGE_SMALL merged all twenty
    gone = _Seg(3, deleted=3)
    few = [_Seg(5) for _ in range(segments.MERGE_FACTOR - 1)]
    assert tiered_merge(None, few + [gone]) == few


def test_incremental_commits_merge_small_segments(tmp_path):
    from readsearch.index.writer import IndexStore

    docs = _demo_docs()[:12]
    store = IndexStore(str(tmp_path / "ix"))
    counts = []
    for d in docs:
        store.put(d)
        store.commit()
        counts.append(len(store.ix._segments()))
    # ten one-readout segments, then the eleventh commit merges them with its own readout
    assert counts == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2]
    assert store.doc_count() == 12
    for d in docs:                                   # every readout removed: no segment left
        store.delete(d.root, d.readout.id)
    store.commit()
    assert store.ix._segments() == [] and store.doc_count() == 0
    store.close()


def test_reading_a_run_back_holds_one_record_at_a_time(tmp_path):
    # one Unpickler for a whole run file kept every record it had returned in its memo: a
    # writer's memory grew by its whole spilled pool at flush (1.1 GB per writer on the 14k
    # corpus at 12,500 documents a commit, 347 MB after)
    import tracemalloc

    pool = GroupedPostingPool(FileStorage(str(tmp_path)), limitmb=1024)
    for docnum in range(2000):
        for t in range(50):
            pool.add(("body", b"term%d" % t, docnum, 1.0, b"value %d" % docnum))
    pool.save()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    n = 0
    for _key, postings in pool._read_run(pool.runs[0]):
        n += len(postings)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    pool.cleanup()
    assert n == 100_000
    assert peak < 4 * 2000 * 150   # a few records of 2,000 postings (~0.6 MB), not all 100,000 (19 MB)


def test_stored_fields_read_straight_from_the_segments_equal_whooshs(tmp_path):
    from readsearch.index.schema import stored_reader
    from readsearch.index.writer import IndexStore

    docs = _demo_docs()[:5]
    store = IndexStore(str(tmp_path / "ix"))
    for d in docs:                    # one segment per readout: docnums cross segment bounds
        store.put(d)
        store.commit()
    store.delete(docs[1].root, docs[1].readout.id)
    store.commit()
    with store.ix.searcher() as s:
        r = s.reader()
        assert len(list(r.leaf_readers())) == 4
        stored = stored_reader(r)
        ids = []
        for docnum in r.all_doc_ids():
            assert stored(docnum) == r.stored_fields(docnum)
            ids.append(stored(docnum)["id"])
        assert ids == [d.readout.id for i, d in enumerate(docs) if i != 1]
    store.close()


def test_field_lengths_read_in_one_piece_score_as_whooshs_column_reads(tmp_path):
    from whoosh import query as Q
    from whoosh.codec.whoosh3 import _lenfield
    from whoosh.util.numeric import byte_to_length

    from readsearch.index.schema import length_bytes, lengths_in_memory
    from readsearch.index.writer import IndexStore

    docs = _demo_docs()[:6]
    store = IndexStore(str(tmp_path / "ix"))
    for i, d in enumerate(docs):
        store.put(d)
        if i % 2:
            store.commit()
    store.delete(docs[2].root, docs[2].readout.id)
    store.commit()
    words = {w for d in docs for w in d.readout.body.lower().split()[:6] if w.isalpha()}
    q = Q.Or([Q.Term(f, w) for w in sorted(words) for f in ("title", "body")])
    with store.ix.searcher() as s:
        r = s.reader()
        assert len(list(r.leaf_readers())) == 3
        before = [(h.docnum, h.score) for h in s.search(q, limit=None)]
        for leaf, _off in r.leaf_readers():
            for f in ("title", "body"):
                raw = length_bytes(leaf, f)
                assert [byte_to_length(b) if b else 0 for b in raw] == \
                    [leaf.doc_field_length(d, f, 0) for d in range(leaf.doc_count_all())]
        lengths_in_memory(r, ["title", "body"])
        assert all(isinstance(leaf._perdoc._readers[_lenfield("body")], bytes) for leaf, _off in r.leaf_readers())
        after = [(h.docnum, h.score) for h in s.search(q, limit=None)]
    assert len(before) == 5 and after == before
    store.close()
