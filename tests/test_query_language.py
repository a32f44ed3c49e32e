"""Query analysis and parsing: small words kept, phrases exact, hyphens, apostrophes, odd input."""
from __future__ import annotations

import json

import pytest

from conftest import run_cli


def q(idx, *args):
    return run_cli("query", *args, "--index", idx, "--format", "json", "--duplicates", "show")


def test_who_the_acronym_is_searchable(small):
    # WHO is on classic English stop lists (as "who"); BUG-01's other words are in test_ranking.py
    _, idx = small({
        "who.txt": "The WHO representative briefed the ministers.",
        "other.txt": "The ministers discussed vaccines.",
    })
    assert q(idx, "WHO").ids == ["who.txt"]


def test_hashtag_parts_are_searchable(small):
    _, idx = small({"tg.txt": "#ChinaSerbia\nThe ministers met in Beijing."})
    assert q(idx, "Serbia").ids == ["tg.txt"]
    assert q(idx, "ChinaSerbia").ids == ["tg.txt"]


@pytest.mark.parametrize("query", ["talks (2019", '"sanctions talks', "talks\\", "talks:", "Moscow: talks"])
def test_unbalanced_or_stray_syntax_still_finds(small, query):
    _, idx = small({"r.txt": "The sanctions talks of 2019 were held in Moscow."})
    r = q(idx, query)
    assert r.rc == 0 and r.ids == ["r.txt"], (query, r.err)


@pytest.mark.parametrize("query", ["-", '"', ")", "(", "AND", "NOT", "~", "^", "🤝", "!!!", "C++", "*:*:", "[", "::"])
def test_odd_queries_never_crash(small, query):
    _, idx = small({"r.txt": "The ministers discussed energy supplies."})
    r = run_cli("query", "--index", idx, "--format", "json", "--", query)
    assert "Traceback" not in r.err
    if r.rc == 2:
        assert len(r.err.strip().splitlines()) == 1
    else:
        d = json.loads(r.out)
        assert r.rc == (0 if d["hits"] else 1)


def test_symbol_only_query_matches_nothing_and_says_why(small):
    _, idx = small({"r.txt": "The ministers discussed energy supplies."})
    r = q(idx, "🤝")
    assert r.rc == 1 and r.json["total"] == 0 and r.json["hits"] == []
    assert r.json["warnings"]


def test_star_and_empty_query_match_everything(small):
    _, idx = small({"a.txt": "One text.", "b.txt": "Another text."})
    assert sorted(q(idx, "*").ids) == ["a.txt", "b.txt"]
    assert sorted(q(idx, "").ids) == ["a.txt", "b.txt"]


def test_boolean_operators_and_minus(small):
    _, idx = small({
        "a.txt": "Gas and oil were discussed.",
        "b.txt": "Gas supplies were discussed.",
        "c.txt": "Oil prices were discussed.",
    })
    assert q(idx, "gas AND oil").ids == ["a.txt"]
    assert sorted(q(idx, "gas NOT oil").ids) == ["b.txt"]
    r = run_cli("query", "--index", idx, "--format", "json", "--", "-oil discussed")
    assert sorted(r.json and [h["id"] for h in r.json["hits"]]) == ["b.txt"]
    assert sorted(q(idx, "gas OR oil").ids) == ["a.txt", "b.txt", "c.txt"]


def test_accents_fold_both_ways(small):
    _, idx = small({"a.txt": "Minister Ivica Dačić met the envoy.", "b.txt": "Ivica Dacic met the envoy."})
    assert sorted(q(idx, "Dacic").ids) == ["a.txt", "b.txt"]
    assert sorted(q(idx, "Dačić").ids) == ["a.txt", "b.txt"]


def test_latin_query_finds_cyrillic_text(small):
    _, idx = small({"ru.txt": "Министр Сергей Лавров провёл переговоры.", "en.txt": "Nothing here."})
    assert q(idx, "Lavrov").ids == ["ru.txt"]
    assert q(idx, "Лавров").ids == ["ru.txt"]
