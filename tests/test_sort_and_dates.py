"""Sorting by date (undated last both ways), date clauses and --since/--until bounds."""
from __future__ import annotations

from conftest import run_cli

FILES = {
    "old.md": "---\ntitle: Old\ndate: 2021-05-04\n---\nTrade talks were held.\n",
    "new.md": "---\ntitle: New\ndate: 2024-11-20\n---\nTrade talks were held again.\n",
    "mid.md": "---\ntitle: Mid\ndate: 2023-12-23\n---\nTrade talks were held once more.\n",
    "undated.txt": "Trade talks were held somewhere.\n",
}


def q(idx, *args):
    return run_cli("query", *args, "--index", idx, "--format", "json", "--duplicates", "show")


def test_newest_first_puts_undated_last(small):
    _, idx = small(FILES)
    assert q(idx, "trade", "--sort", "-date").ids == ["new.md", "mid.md", "old.md", "undated.txt"]


def test_oldest_first_puts_undated_last(small):
    _, idx = small(FILES)
    assert q(idx, "trade", "--sort", "date").ids == ["old.md", "mid.md", "new.md", "undated.txt"]


def test_one_day_query_is_one_day(small):
    _, idx = small(FILES)
    assert q(idx, "date:2023-12-23").ids == ["mid.md"]
    assert q(idx, "", "--since", "2023-12-23", "--until", "2023-12-23").ids == ["mid.md"]
    assert q(idx, "date:2023-12").ids == ["mid.md"]
    assert q(idx, "date:2023").ids == ["mid.md"]
    assert sorted(q(idx, "trade date:[2023-01-01 TO 2024-12-31]").ids) == ["mid.md", "new.md"]
    assert sorted(q(idx, "", "--since", "2022").ids) == ["mid.md", "new.md"]
    assert q(idx, "", "--until", "2021-12-31").ids == ["old.md"]


def test_bad_date_option_is_a_one_line_usage_error(small):
    _, idx = small(FILES)
    r = q(idx, "", "--since", "yesterday")
    assert r.rc == 2 and len(r.err.strip().splitlines()) == 1 and "--since" in r.err


def test_since_after_until_is_a_usage_error_not_an_empty_answer(small):
    _, idx = small(FILES)
    r = q(idx, "trade", "--since", "2024", "--until", "2023-06")
    assert r.rc == 2 and r.err.strip() == \
        "readsearch: --since 2024 is after --until 2023-06: no date can match (swap them?)"
    # bounds that meet or overlap are a range, partial dates included
    assert q(idx, "", "--since", "2023-12", "--until", "2023").ids == ["mid.md"]
    assert q(idx, "", "--since", "2023-12-23", "--until", "2023-12").ids == ["mid.md"]
    assert q(idx, "", "--since", "2023-12-24", "--until", "2023-12").ids == []
    # the same in a query clause (it answered nothing, exit 1, without a word)
    r = q(idx, "trade date:[2023-12-31 TO 2023-01-01]")
    assert r.rc == 2 and r.err.strip() == ("readsearch: date:[2023-12-31 TO 2023-01-01]: the start is after the "
                                           "end, no date can match (swap them?)")
    assert q(idx, "trade date:[2023-12 TO 2023]").ids == ["mid.md"]


def test_paging(small):
    _, idx = small(FILES)
    first = q(idx, "trade", "--sort", "-date", "--limit", "2").ids
    second = q(idx, "trade", "--sort", "-date", "--limit", "2", "--offset", "2").ids
    assert first == ["new.md", "mid.md"] and second == ["old.md", "undated.txt"]
    assert q(idx, "trade", "--limit", "2").json["total"] == 4
