"""The one-pass index postings (readsearch.index.postings) equal the analyzer chain's, exactly."""
from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.formats import Positions

from readsearch.index.analysis import text_analyzer
from readsearch.index.postings import ReadoutPositions, index_terms
from readsearch.index.schema import build_schema

from conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]

TRICKY = [
    "Russia's and Pristina’s talks. Supplies of U.S. and U.K. energy security; the US, May, WHO.",
    "#RussiaSerbia #G20Summit #ЛавровВучич and #energy_security; ##double #",
    "On 23 December 2023 they met. 2nd round: Talks continued. «Energy» security - Energy security!",
    "Лавров и Вучић обсудили energy security. Đurić, Vučić; O'Neill's plan; l’Europe; it's.",
    "energy security energy security. Energy Security\nEnergy security — Energy. The the the",
    "", "   ", "...", "A", "I. II. III. e.g. U.S.A. N.A.T.O.",
    # a sentence-start stem is decided by the three characters before the word, whatever
    # tokens or separators they belong to
    "Talks.Talks x.Talks a#Supplies Talks!Talks\n\nTalks ab Talks (Talks) U.S. Talks #Talks Talks",
]


def _chain(value: str, field_boost: float = 1.0) -> dict:
    fmt = Positions(field_boost=field_boost)
    return {w: (f, wt, v) for w, f, wt, v in fmt.word_values(value, text_analyzer(), mode="index")}


def _fast(value: str, field_boost: float = 1.0) -> dict:
    fmt = ReadoutPositions(field_boost=field_boost)
    return {w: (f, wt, v) for w, f, wt, v in fmt.word_values(value, text_analyzer(), mode="index")}


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_same_postings(text):
    assert _fast(text) == _chain(text)
    assert _fast(text, 2.0) == _chain(text, 2.0)
    # what the segment writer takes: the same postings as (term bytes, weight, value), the
    # field length (sum of frequencies) and the values' bytes
    postings, length, nbytes = ReadoutPositions(field_boost=2.0).index_postings(text)
    chain = _chain(text, 2.0)
    assert {t.decode(): (w, v) for t, w, v in postings} == {t: (wt, v) for t, (_f, wt, v) in chain.items()}
    assert length == sum(f for f, _wt, _v in chain.values())
    assert nbytes == sum(len(v) for _f, _wt, v in chain.values())


@pytest.mark.parametrize("text", [t for t in TRICKY if any(c.isalnum() for c in t) and "#" not in t])
def test_long_texts_grouped_by_numpy_same_postings(text):
    # texts of 64 tokens or more are grouped by numpy (postings._grouped), shorter ones by the
    # token loop: the same text repeated takes the numpy path
    from readsearch.index import postings

    long_text = " ".join([text] * 70)
    assert postings._grouped(long_text) is not None
    assert _fast(long_text) == _chain(long_text)


def test_a_full_vocabulary_starts_again_with_the_same_postings(monkeypatch):
    from readsearch.index import postings

    text = " ".join(TRICKY[2:5] * 10)
    want = _chain(text)
    monkeypatch.setattr(postings, "_CACHE_MAX", 5)
    first = postings._vocabulary()
    assert _fast(text) == want
    assert postings._vocabulary() is not first        # more than 5 tokens seen: a new one
    assert _fast(text) == want


def test_pair_and_variant_terms_present():
    terms = index_terms("Energy security talks. Supplies rose.")
    assert terms["energi"] == [0] and terms["^energi"] == [0] and terms["securiti"] == [1]
    assert terms["~talk"] == [2]          # an ordinary lower-case word gets its stem
    assert terms["~suppli"] == [3]        # a capitalised word opening a sentence too
    assert "^talks" not in terms


def _texts(folder: Path, limit: int) -> list[str]:
    out = []
    for p in sorted(folder.rglob("*")):
        if p.suffix in (".md", ".txt") and p.is_file():
            out.append(p.read_text(encoding="utf-8", errors="replace"))
            if len(out) >= limit:
                break
    return out


def test_demo_corpus_same_postings():
    texts = _texts(ROOT / "corpus", 1000)
    assert len(texts) >= 20
    for t in texts:
        assert _fast(t) == _chain(t)


def test_shared_corpus_same_postings():
    if not (SHARED / "corpus").exists():
        pytest.skip("../shared is not available")
    texts = _texts(SHARED / "corpus", 500)
    assert len(texts) >= 400
    for t in texts:
        assert _fast(t) == _chain(t)


def test_schema_uses_fast_format_for_text_fields():
    schema = build_schema()
    assert isinstance(schema["body"].format, ReadoutPositions)
    assert isinstance(schema["title"].format, ReadoutPositions)
    assert schema["title"].format.field_boost == 2.0
