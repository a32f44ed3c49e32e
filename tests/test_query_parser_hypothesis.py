"""Property-based tests: any query text either parses/searches or raises QuerySyntaxError.

Hypothesis throws arbitrary text (quotes, brackets, ``-``, ``:``, ``\\``, operators, field
names, emoji, Cyrillic, very long strings) at :func:`readsearch.index.query.parse_query` and at
the whole search path (:func:`readsearch.api.search`, and the CLI for a sample); nothing else
may escape, and the CLI answers with exit code 0/1 and JSON or 2 and one line.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from readsearch import api
from readsearch.errors import QuerySyntaxError
from readsearch.index.query import parse_query
from readsearch.index.schema import build_schema

PIECES = ['"', "(", ")", "[", "]", "{", "}", "-", "+", ":", "\\", "*", "?", "~", "^", "/", "'", "’",
          "AND", "OR", "NOT", "TO", "country:", "person:", "date:", "date:[", "title:", "id:", "hashtag:#",
          "topic:", "year:", "published:", "2023-12-23", "*:*", "~2", "^3", " ", "\t", "\n",
          "🤝", "🇷🇺🇷🇸", "Лавров", "Вучић", "Đurić", "Erdoğan", "state-forming", "Pristina's", "C++",
          "#RussiaSerbia", "U.S.", "sanctions", "Vucic", "\x00", "\u200b", "\ufeff"]
query_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(PIECES), max_size=25).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=25).map(" ".join),
)
SCHEMA = build_schema()


def _resolver(fieldname: str, value: str) -> list[str]:
    return [value.strip()] if value.strip() else []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query_text)
def test_parse_query_never_raises_anything_else(text):
    try:
        pq = parse_query(text, SCHEMA, _resolver)
    except QuerySyntaxError as e:
        assert str(e) and "\n" not in str(e)
        return
    assert pq.scoring is not None
    assert all(isinstance(t, str) for t in pq.terms)


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=40), st.integers(min_value=2_000, max_value=10_000))
def test_very_long_queries_parse(chunk, n):
    text = (chunk * (n // len(chunk) + 1))[:n]
    try:
        parse_query(text, SCHEMA, _resolver)
    except QuerySyntaxError:
        pass


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("hyp")
    corpus = root / "corpus"
    corpus.mkdir()
    texts = {
        "a.txt": "Foreign Minister Sergey Lavrov spoke by telephone with Aleksandar Vučić about Kosovo.",
        "b.txt": "Министр Сергей Лавров обсудил с коллегой поставки газа.",
        "c.txt": "The US and the EU discussed sanctions, energy supplies and state-forming peoples.",
        "d.txt": "#ChinaSerbia 🇨🇳🇷🇸 The delegations met in Beijing on 12 May 2021.",
    }
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    idx = str(root / "idx")
    api.index_paths([str(corpus)], idx)
    return idx


@pytest.fixture(scope="module")
def searcher(index_dir):
    s = api.open_searcher(index_dir)
    yield s
    s.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(query_text)
def test_search_path_never_raises_anything_else(searcher, index_dir, text):
    try:
        res = api.search(text, index_dir, api.SearchOptions(limit=5, facets=True), searcher=searcher)
    except QuerySyntaxError:
        return
    assert res.total >= len(res.hits)
    json.dumps(res.to_dict(), ensure_ascii=False)
    for h in res.hits:
        for s, e in h.highlights:
            assert 0 <= s < e <= len(h.snippet)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(query_text)
def test_cli_answers_with_json_or_one_line(index_dir, text):
    if "\x00" in text:
        text = text.replace("\x00", "")
    r = run_cli("query", "--index", index_dir, "--format", "json", "--", text)
    assert "Traceback" not in r.err
    if r.rc == 2:
        assert len(r.err.strip().splitlines()) == 1
    else:
        d = json.loads(r.out)
        assert r.rc == (0 if d["total"] else 1)


def test_ten_thousand_characters_of_mixed_text(searcher, index_dir):
    text = ('Lavrov "Вучић (state-forming -: \\ 🤝 ' * 400)[:10_000]
    res = api.search(text, index_dir, api.SearchOptions(limit=3), searcher=searcher)
    assert res.total >= 1
