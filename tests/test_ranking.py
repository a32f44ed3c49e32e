"""Analysis, query language, ranking, snippets, suggestions and more-like-this.

The handed cases of kinds query-analysis, query-parser and unicode (BUG-01..06, 09, 12) are
checked here with sentences of our own that exercise the same faults, then in the shared runner.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import run_cli, run_shared_case
from readsearch import api
from readsearch.index.analysis import text_analyzer


def q(idx, *args):
    return run_cli("query", *args, "--index", idx, "--format", "json", "--duplicates", "show")


# ---------------------------------------------------------------------------- BUG-01
def test_bug01_acronyms_and_month_are_indexed(small):
    _, idx = small({
        "corpus/us.txt": "The envoy said the US tariffs on steel would stay in place.",
        "corpus/eu.txt": "Tariffs on steel were raised by the European Union.",
        "corpus/it.txt": "Ministers agreed on IT training for border officials.",
        "corpus/may.txt": "Talks resumed on May 17 in Vienna.",
        "corpus/june.txt": "Talks resumed on June 17 in Vienna.",
    })
    assert "corpus/us.txt" in q(idx, "US").ids
    ids = q(idx, "US tariffs").ids
    assert ids[0] == "corpus/us.txt" and ids.index("corpus/us.txt") < ids.index("corpus/eu.txt")
    assert q(idx, "IT training").ids[0] == "corpus/it.txt"
    assert q(idx, '"May 17"').ids == ["corpus/may.txt"]


def test_capitalised_query_word_prefers_the_name_or_acronym(small):
    _, idx = small({
        "pronoun.txt": "He told us that the meeting may be postponed, and asked us to wait.",
        "acronym.txt": "The US delegation arrived.",
    })
    assert q(idx, "US").ids[0] == "acronym.txt"


# ---------------------------------------------------------------------------- BUG-02
def test_bug02_phrase_keeps_small_words(small):
    _, idx = small({
        "a.txt": "The parties signed the Declaration of Principles on Water yesterday.",
        "b.txt": "A declaration with principles on water management was drafted.",
    })
    assert q(idx, '"Declaration of Principles"').ids == ["a.txt"]
    assert q(idx, "Declaration of Principles").ids[0] == "a.txt"


# ---------------------------------------------------------------------------- BUG-03
def test_bug03_common_word_quotation_and_empty_query(small):
    _, idx = small({
        "quote.txt": '"To be or not to be," the envoy quipped about the stalled deal.',
        "other.txt": "The ministers reviewed rail projects.",
    })
    r = q(idx, '"to be or not to be"')
    assert r.rc == 0 and r.ids == ["quote.txt"]
    r = run_cli("query", "--index", idx, "--format", "json", "--", "!! ?? ::")
    assert r.rc == 1 and json.loads(r.out)["hits"] == [] and json.loads(r.out)["warnings"]


# ---------------------------------------------------------------------------- BUG-04
def test_bug04_hyphenated_word_is_a_phrase_and_adjacent_words_rank_first(small):
    _, idx = small({
        "cf.txt": "The sides reached a cease-fire agreement along the whole line.",
        "other.txt": "They agreed to cease shelling; the fire in the depot was put out by a joint agreement team.",
    })
    assert q(idx, "cease-fire").ids == ["cf.txt"]
    assert q(idx, "cease fire").ids[0] == "cf.txt"


# ---------------------------------------------------------------------------- BUG-05
@pytest.mark.parametrize("query", ["Ankara", "Ankara's", "Ankara’s"])
def test_bug05_possessives_straight_and_curly(small, query):
    _, idx = small({
        "curly.txt": "Observers welcomed Ankara’s offer to host the talks.",
        "straight.txt": "Turkey's foreign minister explained Ankara's offer.",
    })
    assert sorted(q(idx, query).ids) == ["curly.txt", "straight.txt"]
    assert q(idx, '"Turkey\'s foreign minister"').ids == ["straight.txt"]


# ---------------------------------------------------------------------------- BUG-06
@pytest.mark.parametrize("query", ["agreement 2254 (2015", '"Geneva communique', "communique\\", "Geneva:",
                                   "Geneva - (", "a (-) Geneva", "Geneva -: ("])
def test_bug06_pasted_syntax_still_finds(small, query):
    _, idx = small({"r.txt": "They recalled resolution 2254 (2015) and the Geneva communique agreement."})
    r = run_cli("query", "--index", idx, "--format", "json", "--", query)
    assert r.rc == 0 and [h["id"] for h in r.json["hits"]] == ["r.txt"], (query, r.err)


@pytest.mark.parametrize("query", ["-", "*", '"', ")", "(", "[", "\\", ":", "+", "~", "NOT", "OR"])
def test_bug06_bare_operators_give_json_or_one_line(small, query):
    _, idx = small({"r.txt": "They recalled resolution 2254."})
    r = run_cli("query", "--index", idx, "--format", "json", "--", query)
    assert "Traceback" not in r.err
    if r.rc == 2:
        assert len(r.err.strip().splitlines()) == 1
    else:
        json.loads(r.out)


# ---------------------------------------------------------------------------- BUG-09
@pytest.mark.parametrize("query", ["🕊️", "???", "F#", "🇺🇦🇵🇱"])
def test_bug09_symbol_only_query_is_an_empty_result(small, query):
    _, idx = small({"a.txt": "The leaders discussed grain corridors."})
    r = run_cli("query", "--index", idx, "--format", "json", "--", query)
    assert r.rc == 1 and r.json["hits"] == [] and r.json["total"] == 0


# ---------------------------------------------------------------------------- BUG-12 / folding
def test_bug12_accented_and_ascii_names_meet_in_text_and_facet(small):
    _, idx = small({
        "a.txt": "Prime Minister Ana Brnabić received the Chinese ambassador in Belgrade.",
        "b.txt": "Prime Minister Ana Brnabic met the delegation of Hungary.",
        "c.txt": "President Aleksandar Vučić spoke with the Hungarian prime minister.",
        "d.txt": "President Aleksandar Vucic met the Chinese ambassador.",
    })
    assert sorted(q(idx, "Brnabic").ids) == ["a.txt", "b.txt"]
    assert sorted(q(idx, "Brnabić").ids) == ["a.txt", "b.txt"]
    assert sorted(q(idx, "Vučić").ids) == ["c.txt", "d.txt"]
    r = run_cli("query", "", "--person", "Aleksandar Vucic", "--index", idx, "--format", "json", "--facets")
    assert sorted(r.ids) == ["c.txt", "d.txt"]
    assert r.facet("person").get("Aleksandar Vučić") == 2


@pytest.mark.parametrize("query", ["Djuric", "Đurić", "Duric"])
def test_dj_convention(small, query):
    _, idx = small({"a.txt": "Minister Marko Đurić met the ambassador.", "b.txt": "Nothing related."})
    ids = q(idx, query).ids
    if query == "Duric":  # anyascii's spelling is not the Serbian convention; not promised
        return
    assert ids == ["a.txt"]


def test_cyrillic_and_latin_meet_both_ways(small):
    _, idx = small({"ru.txt": "Президент Александр Вучич провёл встречу.", "en.txt": "President Aleksandar Vucic met."})
    assert sorted(q(idx, "Vucic").ids) == ["en.txt", "ru.txt"]
    assert sorted(q(idx, "Вучич").ids) == ["en.txt", "ru.txt"]


@pytest.mark.parametrize("field_value", ['person:"Aleksandar Vučić"', "person:vucic", 'PERSON:"aleksandar vucic"',
                                         'person:"ALEKSANDAR VUČIĆ"'])
def test_facet_filter_and_query_clause_agree(small, field_value):
    _, idx = small({
        "a.txt": "President Aleksandar Vučić spoke with the Hungarian prime minister.",
        "b.txt": "President Aleksandar Vucic met the Chinese ambassador.",
        "c.txt": "Prime Minister Ana Brnabic met the delegation.",
    })
    by_filter = run_cli("query", "", "--person", "vucic", "--index", idx, "--format", "json", "--duplicates", "show")
    by_clause = q(idx, field_value)
    assert sorted(by_filter.ids) == sorted(by_clause.ids) == ["a.txt", "b.txt"]


CLAUSE_FILES = {
    "vucic-call.md": "---\ntitle: Call\ndate: 2022-05-29\n---\nLavrov had a telephone conversation with "
                     "Aleksandar Vucic on gas supplies to Serbia.",
    "vucic-meeting.md": "---\ntitle: Talks\ndate: 2023-03-02\n---\nPutin met Aleksandar Vucic in Moscow "
                        "to discuss Kosovo.",
    "biden-call.md": "---\ntitle: Call\ndate: 2022-11-14\n---\nJoe Biden had a telephone conversation "
                     "with Xi Jinping on trade.",
    "russia-gas.md": "---\ntitle: Gas\ndate: 2022-06-01\n---\nRussian gas supplies to Hungary were "
                     "discussed in Budapest.",
}


@pytest.mark.parametrize("clauses,options", [
    ("person:Vucic kind:call", ["--person", "Vucic", "--kind", "call"]),
    ("country:Serbia year:2022", ["--country", "Serbia", "--since", "2022", "--until", "2022"]),
    ("kind:call year:2022 person:Biden", ["--kind", "call", "--since", "2022", "--until", "2022", "--person", "Biden"]),
])
def test_facet_clauses_side_by_side_are_anded_like_the_options(small, clauses, options):
    # clauses alone were ORed (15 readouts of the demo corpus for `person:Vucic kind:call`, 2
    # with the options); beside words they were already ANDed
    _, idx = small(CLAUSE_FILES)
    by_options = run_cli("query", "", *options, "--index", idx, "--format", "json", "--duplicates", "show").ids
    assert sorted(q(idx, clauses).ids) == sorted(by_options)
    assert len(by_options) == 1


def test_facet_clause_or_and_alternatives(small):
    _, idx = small(CLAUSE_FILES)
    # OR between clauses: one restriction allowing either
    assert sorted(q(idx, "person:Biden OR person:Putin").ids) == ["biden-call.md", "vucic-meeting.md"]
    assert q(idx, "telephone (person:Biden OR person:Putin)").ids == ["biden-call.md"]
    assert q(idx, "person:Biden OR person:Putin kind:call").ids == ["biden-call.md"]
    # beside words a clause restricts them; joined to them by OR it is an alternative
    assert sorted(q(idx, "gas country:Serbia").ids) == ["vucic-call.md"]
    assert sorted(q(idx, "gas OR person:Xi").ids) == ["biden-call.md", "russia-gas.md", "vucic-call.md"]
    assert sorted(q(idx, "person:Xi OR gas").ids) == ["biden-call.md", "russia-gas.md", "vucic-call.md"]
    # AND and NOT as written
    assert q(idx, "person:Vucic AND kind:call").ids == ["vucic-call.md"]
    assert q(idx, "person:Vucic NOT kind:call").ids == ["vucic-meeting.md"]


@pytest.mark.parametrize("query", ["Vucic NOT telephone", "Vucic -telephone", "person:Vucic NOT telephone"])
def test_not_excludes_when_the_excluded_word_comes_first(small, query):
    # Whoosh's AndNot kept the first match when the excluded term's first document came earlier
    # (biden-call.md has "telephone", is indexed first and does not mention Vucic)
    _, idx = small(CLAUSE_FILES)
    assert q(idx, query).ids == ["vucic-meeting.md"]
    with api.open_searcher(idx) as rs:      # both scorers: Whoosh (first query) and numpy
        for _ in range(2):
            r = api.search(query, options=api.SearchOptions(duplicates="show"), searcher=rs)
            assert [h.id for h in r.hits] == ["vucic-meeting.md"]


@pytest.mark.parametrize("query,expected", [
    ("-gas", ["biden-call.md", "vucic-meeting.md"]),          # matched nothing
    ("NOT gas", ["biden-call.md", "vucic-meeting.md"]),
    ("-kind:call", ["russia-gas.md", "vucic-meeting.md"]),    # returned the calls
    ('-"telephone conversation"', ["russia-gas.md", "vucic-meeting.md"]),
    ("-gas -Kosovo", ["biden-call.md"]),                      # NOT x NOT y was "lacks x or lacks y"
    ("NOT gas NOT Kosovo", ["biden-call.md"]),
    ("+Vucic -telephone", ["vucic-meeting.md"]),
])
def test_exclusions_alone_keep_every_other_readout(small, query, expected):
    _, idx = small(CLAUSE_FILES)
    r = run_cli("query", "--index", idx, "--format", "json", "--duplicates", "show", "--", query)
    assert sorted(r.ids) == expected


# ---------------------------------------------------------------------------- stemming
def test_stem_variants_only_for_ordinary_words():
    an = text_analyzer()
    toks = [t.text for t in an("Minister Sergey Lavrov discussed gas supplies.", positions=True, mode="index")]
    assert "~suppli" in toks and "~discuss" in toks
    assert "sergei" in toks and not any(t.startswith("~serge") for t in toks)
    assert "^lavrov" in toks and not any(t.startswith("~lavrov") for t in toks)
    # at query time only the keys: phrases and the parser are unaffected
    assert [t.text for t in an("gas supplies", mode="query")] == ["gas", "supplies"]


def test_inflected_forms_match_exact_form_ranks_first(small):
    _, idx = small({
        "exact.txt": "They discussed vaccines and vaccine deliveries.",
        "inflected.txt": "They discussed a vaccine delivery schedule.",
        "other.txt": "They discussed wheat.",
    })
    ids = q(idx, "vaccines").ids
    assert ids[:2] == ["exact.txt", "inflected.txt"]


# ---------------------------------------------------------------------------- ranking
def test_title_match_outranks_body_match(small):
    _, idx = small({
        "title.md": "---\ntitle: Talks on the Danube navigation\n---\nThe sides met on Monday and talked.\n",
        "body.md": "---\ntitle: Meeting of ministers\n---\nThe sides met on Monday; navigation on the Danube came up once.\n",
    })
    assert q(idx, "Danube navigation").ids[0] == "title.md"


def test_demonym_readout_found_by_country_name(small):
    _, idx = small({
        "dem.txt": "The Georgian side briefed the ministers on the situation.",
        "none.txt": "The ministers discussed fisheries.",
    })
    r = q(idx, "Georgia")
    assert r.ids == ["dem.txt"]


def test_proximity_ranks_adjacent_words_first(small):
    _, idx = small({
        "near.txt": "The leaders welcomed the grain deal. Exports resumed.",
        "far.txt": "Grain prices fell. In other news, the ministers discussed the defence deal and signed it.",
    })
    assert q(idx, "grain deal").ids[0] == "near.txt"


def test_question_words_do_not_outweigh_content_words(small):
    _, idx = small({
        "chatter.txt": "What did he want? He did not say what it was about, or why.",
        "topic.txt": "The envoy outlined the plan for Danube shipping.",
    })
    assert q(idx, "what did they say about Danube shipping").ids[0] == "topic.txt"
    # function words alone are searched as typed
    assert q(idx, "what did he want").ids[0] == "chatter.txt"


# ---------------------------------------------------------------------------- snippets
def test_snippet_highlights_whole_phrase_deep_in_long_text(small):
    filler = " ".join(f"Paragraph {i} repeats routine wording about cooperation." for i in range(300))
    _, idx = small({"long.txt": filler + " They backed the Joint Comprehensive Plan of Action again. " + filler})
    h = q(idx, '"Joint Comprehensive Plan of Action"').json["hits"][0]
    spans = [h["snippet"][s:e] for s, e in h["highlights"]]
    assert "Joint Comprehensive Plan of Action" in spans


# ---------------------------------------------------------------------------- did you mean
def test_word_found_only_in_html_attributes_finds_nothing(small):
    _, idx = small({"page.md": 'Text <img srcset="a.jpg 2x" class="resize"> about the visit to Hanoi.'})
    for word in ("srcset", "resize"):
        r = q(idx, word)
        assert r.rc == 1 and r.json["total"] == 0, word
    assert q(idx, "Hanoi").ids == ["page.md"]


def test_misspelled_name_gets_a_suggestion(small):
    _, idx = small({
        "a.txt": "President Volodymyr Zelenskyy spoke with the Polish president.",
        "b.txt": "President Zelenskyy thanked the partners.",
        "c.txt": "The ministers discussed fisheries.",
    })
    r = q(idx, "Zelenksy")
    assert "Zelenskyy" in r.json["suggestions"]
    # a word that is not in the index finds nothing: the suggestion says what to type instead
    assert r.rc == 1 and r.ids == []
    t = run_cli("query", "Zelenksy", "--index", idx, "--no-color")
    assert "did you mean: Zelenskyy" in t.out and t.rc == 1
    assert q(idx, "Zelenskyy").json["suggestions"] == []


def test_misspelled_ordinary_word_in_a_longer_query(small):
    _, idx = small({
        "a.txt": "The ministers discussed sanctions and trade.",
        "b.txt": "New sanctions were announced.",
    })
    r = q(idx, "sanctoins trade")
    assert r.json["suggestions"][0] == "sanctions trade"


# ---------------------------------------------------------------------------- similar
def test_similar_lists_the_closest_readout_first(small):
    _, idx = small({
        "src.txt": "Ministers discussed the hydropower dam on the Mekong river and fisheries downstream.",
        "close.txt": "The Mekong dam and its hydropower output were discussed, with fisheries downstream.",
        "far.txt": "Ministers discussed the budget of the embassy.",
        "copy.txt": "Ministers discussed the hydropower dam on the Mekong river and fisheries downstream.",
    })
    r = run_cli("similar", "src.txt", "--index", idx, "--format", "json")
    assert r.rc == 0
    ids = [h["id"] for h in r.json["hits"]]
    assert ids[0] == "close.txt" and "src.txt" not in ids and "copy.txt" not in ids
    assert r.json["hits"][0]["score"] > 0
    t = run_cli("similar", "src.txt", "--index", idx, "--no-color")
    assert "close.txt" in t.out
    m = run_cli("similar", "missing.txt", "--index", idx)
    assert m.rc == 1 and len(m.err.strip().splitlines()) == 1


def test_api_similar(small):
    from readsearch import api

    _, idx = small({"a.txt": "Gas transit through the pipeline.", "b.txt": "Pipeline gas transit fees.",
                    "c.txt": "Wine exports."})
    res = api.similar("a.txt", idx, limit=1)
    assert [h.id for h in res.hits] == ["b.txt"]
    assert api.similar("zzz.txt", idx) is None


def test_similar_limit_0_lists_every_hit_as_its_help_says(small):
    # it printed "N readouts match" and no hit; query --limit 0 already meant all
    _, idx = small({f"r{i}.txt": f"Gas transit through the pipeline, round {i} of talks on gas." for i in range(14)})
    r = run_cli("similar", "r0.txt", "--index", idx, "--format", "json", "--limit", "0")
    assert r.rc == 0
    assert r.json["total"] == 13 and len(r.json["hits"]) == 13
    ids = run_cli("similar", "r0.txt", "--index", idx, "--format", "ids", "-n", "0")
    assert sorted(ids.out.split()) == sorted(f"r{i}.txt" for i in range(1, 14))


# ---------------------------------------------------------------------------- shared corpus
def test_relevance_benchmark_beats_baselines(shared, tmp_path):
    out = tmp_path / "rel.json"
    p = subprocess.run([sys.executable, str(os.path.join(os.path.dirname(__file__), "..", "benchmarks", "relevance.py")),
                        "--shared", str(shared), "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    d = json.loads(out.read_text())
    overall = d["summary"]["overall"]
    ours = overall["readsearch"]["ndcg"]
    best = max(overall["whoosh-default"]["ndcg"], overall["sqlite-fts5"]["ndcg"])
    assert ours >= 1.10 * best, p.stdout  # the target is 1.15x; this guards against regressions
    q01 = next(r for r in d["rows"]["readsearch"] if r["id"] == "Q01")
    assert q01["top"][0] == "plain/russia-mfa-telegram-lavrov-vucic-call.txt"


@pytest.mark.parametrize("case", ["BUG-01", "BUG-02", "BUG-03", "BUG-04", "BUG-05", "BUG-06", "BUG-09", "BUG-12"])
def test_query_cases_pass_in_the_shared_runner(case):
    run_shared_case(case)
