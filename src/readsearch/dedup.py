"""Duplicate readouts: exact copies, near-duplicates and republished paraphrases.

Pure functions (no index, no files). Two readouts are one *duplicate group* when

1. their normalised bodies are equal (:func:`body_key`), or
2. one's word 3-shingles are at least 85 % contained in the other's (a capture with small
   changes, a truncated republication, a bare-text copy) - candidates found with MinHash LSH
   (datasketch, MIT; 64 permutations in 16 bands of 4 rows, so pairs above about 0.5 Jaccard
   meet in some band), or
3. they report the same event - same event date and at least two participants in common
   (compared by folded surname, so ``Abdel Fattah el-Sisi`` meets ``Abdel Fattah Sisi``) - in
   largely the same words (Jaccard of their content-word sets >= 0.45): a repost that
   rephrases the release. (One shared participant is not enough: a leader's two calls on one
   day about one crisis read alike.)

Thresholds were chosen on the near-duplicate groups marked in the shared test corpus
(manifest ``near_duplicate_of`` / ``plain_copy_of``); ``benchmarks/dedup.py`` measures them.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field


SHINGLE = 3
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
CONTAINMENT = 0.85
MIN_SHINGLES = 8
SAME_EVENT_JACCARD = 0.45

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (Unicode word characters; no folding: two copies of one
    readout are written in the same script, and folding a whole body costs more than the rest of
    duplicate detection together)."""
    return _WORD.findall(text.lower())


def body_key(body: str, doc_id: str) -> str:
    """SHA-1 hex of the normalised body (its words only); equal for exact duplicates.

    An empty body gets a key of its own (``empty:<sha1 of id>``): empty readouts are not
    duplicates of each other."""
    ws = words(body)
    if not ws:
        return "empty:" + hashlib.sha1(doc_id.encode()).hexdigest()
    return hashlib.sha1(" ".join(ws).encode()).hexdigest()


@dataclass
class Fingerprint:
    """What duplicate detection needs of one readout.

    Attributes:
        shingles: set of word 3-shingles (str).
        content: set of content words (3+ letters).
        bands: LSH band keys (``"3:9f2a…"``), one per band; empty for very short texts.
        date: event date (ISO) or None.
        participants: folded surnames of the participants (``{"putin", "sisi"}``).
    """

    shingles: set[str]
    content: set[str]
    bands: list[str]
    date: str | None = None
    participants: set[str] = field(default_factory=set)


def surname_keys(names) -> set[str]:
    """Folded last words of person names (``"Aleksandar Vučić" -> "vucic"``)."""
    from readsearch.folding import fold_cased

    out = set()
    for n in names:
        ws = words(fold_cased(n))
        if ws:
            out.add(ws[-1])
    return out


def fingerprint(body: str, date: str | None = None, participants=()) -> Fingerprint:
    """Compute the :class:`Fingerprint` of a body (about 0.2 ms for a 300-word readout)."""
    ws = words(body)
    sh = {" ".join(ws[i:i + SHINGLE]) for i in range(max(0, len(ws) - SHINGLE + 1))}
    content = {w for w in ws if len(w) > 2}
    bands: list[str] = []
    if len(sh) >= MIN_SHINGLES:
        from datasketch import MinHash

        m = MinHash(num_perm=NUM_PERM, hashfunc=zlib.crc32)
        m.update_batch([s.encode() for s in sh])
        hv = m.hashvalues
        for b in range(BANDS):
            chunk = hv[b * ROWS:(b + 1) * ROWS].tobytes()
            bands.append(f"{b}:{hashlib.blake2b(chunk, digest_size=6).hexdigest()}")
    return Fingerprint(sh, content, bands, date, surname_keys(participants))


def is_duplicate(a: Fingerprint, b: Fingerprint) -> bool:
    """True when two readouts belong in one duplicate group (rules 2 and 3 of the module doc)."""
    if len(a.shingles) >= MIN_SHINGLES and len(b.shingles) >= MIN_SHINGLES:
        common = len(a.shingles & b.shingles)
        if common / min(len(a.shingles), len(b.shingles)) >= CONTAINMENT:
            return True
    if a.date and a.date == b.date and len(a.participants & b.participants) >= 2 and a.content and b.content:
        jac = len(a.content & b.content) / len(a.content | b.content)
        if jac >= SAME_EVENT_JACCARD:
            return True
    return False
