"""The query-side fast paths give the same answers as the slow ones they replace:

- pair terms (CommonGrams): a quoted phrase of common words looked up as one term finds exactly
  the readouts the positional phrase finds;
- vectorised scoring (:mod:`readsearch.index.fastscore`): the same documents and BM25F scores
  as Whoosh's matchers, and its top k is the top k of the complete ranking;
- snippets: the chunk-cached matcher marks the same spans as analysing the whole text;
- facet counts: counting document by document equals counting value by value.
"""
from __future__ import annotations

import random

import pytest
from whoosh import query as Q

from conftest import run_cli
from readsearch import api
from readsearch.index import analysis as A
from readsearch.index import highlight
from readsearch.index.fastscore import FastScorer, plan
from readsearch.index.query import parse_query

TEXTS = {
    "a.md": "---\ntitle: Energy security talks\ndate: 2023-05-01\n---\n"
            "The ministers discussed energy security and the security of energy supplies. "
            "Energy. Security was also raised: energy-security partnership, #EnergySecurity.\n",
    "b.md": "---\ntitle: Security and energy\ndate: 2023-05-02\n---\n"
            "Security, energy and climate. The President of the United States met the Prime "
            "Minister. They spoke about national security and energy.\n",
    "c.md": "---\ntitle: United States statement\ndate: 2024-01-03\n---\n"
            "The United States and its partners reaffirmed national security commitments; "
            "energy security remains a priority for the United States of America.\n",
    "d.md": "---\ntitle: Climate call\ndate: 2024-02-03\n---\n"
            "Energy policy, security policy, climate policy: the President called the Prime "
            "Minister about climate finance and energy security of Europe.\n",
}


def _positional(s, fieldname: str, words: list[str]) -> set[int]:
    return set(s.docs_for_query(Q.Phrase(fieldname, words)))


def _phrase_docs(rs, text: str) -> set[int]:
    pq = parse_query(text, rs.s.schema, None, searcher=rs.s)
    return set(rs.s.docs_for_query(pq.scoring))


# ---------------------------------------------------------------------------- pair terms
def test_pair_terms_only_for_neighbouring_common_words_at_index_time():
    an = A.text_analyzer()
    toks = [(t.text, t.pos) for t in an("Energy security of energy, security", positions=True, mode="index")]
    pairs = [t for t in toks if t[0].startswith(A.PAIR_MARK)]
    # "energy security" twice (punctuation does not break a pair: positions are consecutive);
    # "security of" / "of energy": "of" is a function word, not a common key
    assert pairs == [("&energi securiti", 1), ("&energi securiti", 4)]
    assert A.pair_key("energi", "securiti") == "&energi securiti"
    assert A.pair_key("energi", "of") is None
    assert A.is_variant("&energi securiti")
    # query-time analysis sees the keys only
    assert [t.text for t in an("energy security", mode="query")] == ["energi", "securiti"]


@pytest.mark.parametrize("phrase", ['"energy security"', '"national security"', '"united states"',
                                    '"prime minister"', '"the united states of america"',
                                    '"security energy"', '"energy security partnership"',
                                    '"climate policy the president"'])
def test_pair_phrase_finds_what_the_positional_phrase_finds(small, phrase):
    _corpus, idx = small(TEXTS)
    with api.open_searcher(idx) as rs:
        words = [t.text for t in A.text_analyzer()(phrase.strip('"'), mode="query")]
        expect = _positional(rs.s, "title", words) | _positional(rs.s, "body", words)
        assert _phrase_docs(rs, phrase) == expect
        r = api.search(phrase, options=api.SearchOptions(duplicates="show", limit=50), searcher=rs)
        assert r.total == len(expect)
        # without a searcher (no index to ask) the phrase stays positional
        pq = parse_query('"energy security"', rs.s.schema, None, searcher=None)
        assert all(isinstance(c, Q.Phrase) for c in pq.scoring.subqueries)


def test_pair_phrase_is_one_term_and_still_highlighted(small):
    _corpus, idx = small(TEXTS)
    with api.open_searcher(idx) as rs:
        pq = parse_query('"energy security"', rs.s.schema, None, searcher=rs.s)
        assert {(t.fieldname, t.text) for t in pq.scoring.subqueries} == {
            ("title", "&energi securiti"), ("body", "&energi securiti")}
        assert pq.phrases == [["energi", "securiti"]]
        r = api.search('"energy security"', options=api.SearchOptions(duplicates="show"), searcher=rs)
        assert sorted(h.id for h in r.hits) == ["a.md", "c.md", "d.md"]   # b.md has "security, energy"
        marked = {h.id: [h.snippet[a:b].lower() for a, b in h.highlights] for h in r.hits}
        # the phrase is marked as one span wherever its words stand together, as before
        assert marked == {"a.md": ["energy security", "energy. security", "energy-security", "#energysecurity"],
                          "c.md": ["energy security"], "d.md": ["energy security"]}


def test_pair_phrase_on_the_shared_corpus(shared, tmp_path):
    idx = str(tmp_path / "idx")
    assert run_cli("index", str(shared / "corpus"), "--index", idx, "--quiet").rc == 0
    with api.open_searcher(idx) as rs:
        for phrase in ("foreign minister", "prime minister", "united states", "president of the united states",
                       "bilateral relations", "energy security", "minister of foreign affairs"):
            words = [t.text for t in A.text_analyzer()(phrase, mode="query")]
            expect = _positional(rs.s, "title", words) | _positional(rs.s, "body", words)
            assert _phrase_docs(rs, f'"{phrase}"') == expect, phrase
        _check_fast_scores(rs, ["energy OR security", "sanctions", "Lavrov", "Putin Macron", "gas NOT oil",
                                '"prime minister" OR sanctions', '"president of the united states"',
                                "Serbia OR Kosovo", "foreign minister talks"])


# ---------------------------------------------------------------------------- fast scoring
def _check_fast_scores(rs, queries):
    s = rs.s
    resolver = api._Resolver(rs, lambda: __import__("readsearch.extract", fromlist=["x"]).load_resources((), ()))
    planned = 0
    for text in queries:
        pq = parse_query(text, s.schema, resolver, searcher=s)
        p = plan(pq.scoring, s.schema)
        if p is None:
            continue
        planned += 1
        full = {d: sc for sc, d in s.search(pq.scoring, limit=None, terms=False).top_n}
        fast = FastScorer(s).run(p, k=None)
        got = {d: sc for sc, d in fast}
        # Whoosh's AndNot may keep a document that has the excluded word; the fast path never does
        assert set(got) <= set(full), text
        if not isinstance(pq.scoring, Q.AndNot):
            assert set(got) == set(full), text
        assert all(abs(got[d] - full[d]) < 1e-9 for d in got), text
        ranked = sorted(got.items(), key=lambda x: (-x[1], x[0]))
        assert [d for _sc, d in FastScorer(s).run(p, k=10)] == [d for d, _ in ranked[:10]], text
        allow = sorted(random.Random(1).sample(sorted(got), min(len(got), 7)))
        import numpy as np

        top = FastScorer(s).run(p, allow=np.array(allow, dtype=np.int64), k=5)
        assert [d for _sc, d in top] == [d for d, _ in ranked if d in set(allow)][:5], text
    assert planned >= len(queries) // 2


def test_fast_scores_equal_whoosh_scores(small):
    _corpus, idx = small(TEXTS)
    with api.open_searcher(idx) as rs:
        _check_fast_scores(rs, ["energy OR security", "energy", "security climate", "President",
                                '"energy security"', '"united states of america" OR climate',
                                "energy -climate", "title:energy", "Energy Security"])


def test_plan_leaves_unsupported_queries_to_whoosh(small):
    _corpus, idx = small(TEXTS)
    with api.open_searcher(idx) as rs:
        for text in ("ener*", "energi~", '"energy security"~3'):
            pq = parse_query(text, rs.s.schema, None, searcher=rs.s)
            assert plan(pq.scoring, rs.s.schema) is None, text
        # and the API answers them as before
        assert api.search("ener*", options=api.SearchOptions(duplicates="show"), searcher=rs).total == 4


def test_score_sums_by_sorting_equal_sums_over_every_document(small, monkeypatch):
    """Few postings against many documents are summed by sorting, many by counting: the same
    documents and the same sums (bit for bit) either way."""
    import numpy as np

    _corpus, idx = small(TEXTS)
    with api.open_searcher(idx) as rs:
        fast = rs.fast
        rng = np.random.default_rng(7)
        parts = []
        for _ in range(4):
            ids = np.unique(rng.integers(0, 5000, 300))
            parts.append((ids, rng.random(len(ids))))
        got = {}
        for n in (5000, 10**6):          # 1,200 postings: counted at 5,000 documents, sorted at 10**6
            monkeypatch.setattr(fast.s, "doc_count_all", lambda n=n: n)
            got[n] = fast._sum(parts)
        (d1, s1), (d2, s2) = got[5000], got[10**6]
        assert d1.tolist() == d2.tolist() == sorted(set(np.concatenate([p[0] for p in parts]).tolist()))
        assert s1.tolist() == s2.tolist()
        d = int(d1[0])
        assert s1[0] == sum(float(sc[ids == d][0]) for ids, sc in parts if d in ids)


# ---------------------------------------------------------------------------- snippets
def _reference_spans(text, terms, phrases):
    """The whole-text matcher the chunk-cached one replaced."""
    toks = A.analyze(text)
    keys = [t[0] for t in toks]
    spans, covered = [], set()
    for ph in sorted(phrases, key=len, reverse=True):
        n = len(ph)
        for i in range(len(keys) - n + 1):
            if keys[i:i + n] == ph and not any(j in covered for j in range(i, i + n)):
                spans.append((toks[i][2], toks[i + n - 1][3], 2 * n))
                covered.update(range(i, i + n))
    for i, (key, _pos, s, e) in enumerate(toks):
        if i not in covered and key in terms:
            spans.append((s, e, 1))
    return sorted(spans)


SNIPPET_TEXTS = [
    "On 23 December Lavrov's talks with Vučić (Вучич) covered the U.S. and #RussiaSerbia ties; U.S.A.",
    "energy security,energy-security\tenergy\n\nsecurity — Energy Security's role. “Energy” security",
    "Pristina’s and Priština's officials; the Community of Serb Municipalities; WHO and who",
    "#EnergySecurity #energy security. 2023-05-01 energy_security",
    "",
]


def test_match_spans_equals_the_whole_text_analysis(shared):
    texts = list(SNIPPET_TEXTS)
    files = sorted(p for p in (shared / "corpus").rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".json"))
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in files[:120]]
    cases = [({"energi", "securiti"}, [["energi", "securiti"]]), ({"lavrov", "vucic", "us"}, []),
             ({"the", "of"}, [["of", "the"], ["the", "unit", "states"]]), (set(), [["russia", "serbia"]]),
             ({"russiaserbia", "serbia", "pristina"}, [["serb", "municipalities"]])]
    for text in texts:
        for terms, phrases in cases:
            assert highlight.match_spans(text, terms, phrases) == _reference_spans(text, terms, phrases)


def test_match_spans_small_texts():
    for text in SNIPPET_TEXTS:
        for terms, phrases in (({"energi", "securiti", "us", "who"}, [["energi", "securiti"]]),
                               ({"vucic"}, [["russiaserbia", "russia"]])):
            assert highlight.match_spans(text, terms, phrases) == _reference_spans(text, terms, phrases)


def test_snippet_of_a_long_text_comes_from_the_first_stretch_with_a_match(monkeypatch):
    monkeypatch.setattr(highlight, "SCAN_CHARS", 300)
    monkeypatch.setattr(highlight, "SCAN_OVERLAP", 60)
    filler = "routine wording about cooperation and trade. " * 20          # 920 chars, no match
    # the only phrase match straddles the first cut (near character 300)
    text = filler[:290] + " energy security " + filler + " Energy security once more. " + filler
    spans = highlight._first_spans(text, set(), [["energi", "securiti"]])
    assert [text[a:b] for a, b, _w in spans] == ["energy security"]
    snippet, marks = highlight.make_snippet(text, set(), [["energi", "securiti"]], width=120)
    assert [snippet[a:b] for a, b in marks] == ["energy security"]
    # a match only in the last stretch is found; with none at all, no spans
    late = filler * 2 + "Vučić arrived."
    assert [late[a:b] for a, b, _w in highlight._first_spans(late, {"vucic"}, [])] == ["Vučić"]
    assert highlight._first_spans(filler * 2, {"vucic"}, []) == []
    # a text shorter than a stretch: exactly the whole-text matcher
    for t in SNIPPET_TEXTS:
        assert highlight._first_spans(t, {"energi", "us"}, [["energi", "securiti"]]) == \
            _reference_spans(t, {"energi", "us"}, [["energi", "securiti"]])


# ---------------------------------------------------------------------------- facets
def test_facet_counts_from_the_value_table_equal_a_recount(small):
    _corpus, idx = small(TEXTS)
    with api.open_searcher(idx) as rs:
        fc = rs.facet_counter
        all_docs = set(rs.s.reader().all_doc_ids())
        for fname in ("year", "country", "person"):
            tdocs = fc.term_docs(fname)
            for docs in ({0}, {0, 2}, all_docs, set(), None):
                slow = {t: len(ds if docs is None else ds & docs) for t, ds in tdocs.items()
                        if (ds if docs is None else ds & docs)}
                assert dict(fc.ranked(fname, docs)) == slow
                # most frequent first, ties by value
                assert fc.ranked(fname, docs) == sorted(slow.items(), key=lambda kv: (-kv[1], kv[0]))
            # the whole index less some documents
            assert dict(fc.ranked(fname, None, minus={0})) == \
                {t: len(ds - {0}) for t, ds in tdocs.items() if ds - {0}}


def test_shared_term_infos_give_whooshs_doc_frequencies(small):
    _corpus, idx = small(TEXTS)
    with api.open_searcher(idx) as rs:
        for fname, text in [("body", "energi"), ("title", "energi"), ("body", "&energi securiti"),
                            ("body", "absentword"), ("country", "US"), ("year", "2023"), ("nofield", "x")]:
            expect = rs.s.doc_frequency(fname, text) if fname in rs.s.schema else 0
            assert rs.stats.doc_frequency(fname, text) == expect, (fname, text)
            assert rs.stats.reader().doc_frequency(fname, text) == expect, (fname, text)
