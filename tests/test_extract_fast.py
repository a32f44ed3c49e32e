"""The fast paths of the extractors give exactly what the plain definitions give, and the compiled
resources cache is safe (rebuilt when stale or damaged, skipped when it cannot be written)."""
from __future__ import annotations

import importlib
import os
import random
import re
import stat

import pytest

from readsearch.extract import load_resources

fold_mod = importlib.import_module("readsearch.folding")
persons = importlib.import_module("readsearch.extract.persons")
dates = importlib.import_module("readsearch.extract.dates")
text_mod = importlib.import_module("readsearch.extract.text")
hashtags_mod = importlib.import_module("readsearch.extract.hashtags")
topics_mod = importlib.import_module("readsearch.extract.topics")
resources_mod = importlib.import_module("readsearch.extract.resources")

WORDS = ("with talks talked Talk Call call conversation by phone telephone online met Met meeting "
         "spoke speaks Smith John Jean-Yves O'Brien de von der of the The President Minister H.E. "
         "U.S. Mr. recall - , . Лавров лавров Đurić ’s 's \n #RussiaSerbia a#b 🇷🇸 … Vučić ß "
         "on 23 December 2023 1st of march 12.03.2024 2024-03-12 yesterday may 5 percent sept. "
         "31 oktyabrya dekabr x3 10.1.2020 decembers Dr. St. No. initiative").split(" ")


def _texts(n: int = 4000, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    return [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 24))) for _ in range(n)]


def test_fold_with_offsets_matches_the_plain_definition():
    table = fold_mod._TABLE

    def plain(text):
        parts = [table[ord(c)] for c in text]
        if all(len(p) == 1 for p in parts):
            return "".join(parts), None
        offsets = []
        for i, p in enumerate(parts):
            offsets.extend([i] * len(p))
        offsets.append(len(text))
        return "".join(parts), offsets

    for t in _texts() + ["", "abc", "Đ", "a\u0301b", "中文 text", "“quoted” – dash"]:
        assert fold_mod.fold_with_offsets(t) == plain(t), t
        assert fold_mod.fold_cased(t) == "".join(table[ord(c)] for c in t)


def test_fold_text_is_fold_with_offsets():
    fold_text = importlib.import_module("readsearch.extract.fold").fold_text
    many = "".join(chr(c) for c in range(0x410, 0x450)) + " x"      # above the distinct limit
    for t in _texts() + ["", "abc", "Đ", "a\u0301b", "中文 text", "“quoted” – dash", "x\ud800y",
                         "…", "Vučić’s … Лавров", "щука ь", many, "a\u00a0b\u2009c"]:
        assert fold_text(t) == fold_mod.fold_with_offsets(t), t


def test_lazy_token_stream_is_the_reference_token_list():
    for t in _texts():
        ref = persons._tokens(t)
        stream = persons._Tokens(t)
        assert stream.caps == [x for x in ref if not ("a" <= x[0][0] <= "z")]
        got, (tok, ci) = [], stream.after(0, 0)
        while tok is not None:
            got.append(tok)
            tok, ci = stream.after(tok[2], ci)
        assert got == ref, t
        for i, cap in enumerate(stream.caps):
            j = ref.index(cap)
            assert stream.before(i) == (ref[j - 1] if j else None)


def test_capitalised_tokens_by_character_classes_are_the_pattern_matches():
    extra = ["É.", "Ü", "J.", "A.B.", "Ab-Cd", "O’Neil", "o'neil's", "_A", "1A", "a-B", "\u00a0",
             "\u2009", "—", "«A»", "H.E", "U.S.A.", "Ž.", "é", "A's", "A’sx", "\u0301", "٣", "²A",
             "\t", "\x1c", "?", "?A", "\x85", "\ud800", "ÉA", "AÉ.",
             # a letter outside ASCII before a dot inside a word, at a word's start, after "_"
             "xŽ. ", "1É. ", "_É. ", "ÉÉ. ", "Vučić. ", "-ć. "]
    rnd = random.Random(9)
    texts = _texts() + ["".join(rnd.choice(WORDS + extra) + rnd.choice(["", " ", "-", ".", "’", "?"])
                                for _ in range(rnd.randint(0, 15))) for _ in range(5000)]
    for t in texts:
        ref = [x for x in persons._tokens(t) if not ("a" <= x[0][0] <= "z")]
        assert persons._cap_tokens(t) == ref, t
        assert [(m.group(), m.start(), m.end()) for m in persons._CAP_TOK.finditer(t)] == ref, t


def test_spokesperson_check_is_the_pattern_search():
    ascii_like = re.compile("[a-z]", re.I)
    assert persons._CASE_ODD == {chr(cp) for cp in range(128, 0x110000)
                                 if not 0xD800 <= cp <= 0xDFFF and ascii_like.match(chr(cp))}
    words = ["Spokesperson", "SPOKESMAN", "press", "Secretary", "readout", "from", "statement",
             "by", "the", "\u017fpokes", "\u017fpokesman", "K", "“", "’", "x", "\n"]
    rnd = random.Random(12)
    for _ in range(5000):
        t = "".join(rnd.choice(words) + rnd.choice([" ", "", "  "]) for _ in range(rnd.randint(0, 6)))
        assert persons._spokesperson_before(t) == (persons._SPOKES.search(t) is not None), t


def test_with_name_is_the_pattern_finditer():
    for t in _texts() + ["We had a conversation by telephone with John Smith and talks with Ann Lee"]:
        assert [m.span(1) for m in persons._with_name(t)] == \
            [m.span(1) for m in persons._WITH_NAME.finditer(t)], t


def test_date_patterns_equal_their_word_boundary_form():
    ref = {
        "dmy": rf"\b{dates._D}\s+(?:of\s+)?{dates._M},?\s+{dates._Y}\b",
        "mdy": rf"\b{dates._M}\s+{dates._D},?\s+{dates._Y}\b",
        "num": r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b",
        "iso": r"\b(\d{4})-(\d{2})-(\d{2})\b",
        "dm": rf"\b{dates._D}\s+(?:of\s+)?{dates._M}(?![a-z])",
        "md": rf"\b{dates._M}\s+{dates._D}\b(?!\s*(?:%|percent|per cent|million|billion))",
        "rel": r"\b(" + "|".join(dates._RELATIVE) + r")\b",
        "wd": r"\b(?:on|last|this|pa|i)\s+(" + "|".join(dates._WEEKDAYS) + r")\b",
    }
    fast = dict(dates._PATTERNS)
    extra = ["on monday", "i  tisdag", "this sunday", "xon monday", "last friday", "pa onsdag",
             "yesterday", "earlier today", "this morning", "today's", "todayx", "idag", "heute"]
    rnd = random.Random(14)
    texts = [x.lower() for x in _texts()] + [" ".join(rnd.choice(extra + list(WORDS))
                                                      for _ in range(rnd.randint(1, 12)))
                                             for _ in range(3000)]
    for t in texts:
        for kind, src in ref.items():
            rx = re.compile(src)
            for pos, end in ((0, len(t)), (len(t) // 3, len(t) // 2)):
                a = [(m.span(), m.groups()) for m in fast[kind].finditer(t, pos, end)]
                assert a == [(m.span(), m.groups()) for m in rx.finditer(t, pos, end)], (kind, t)
                # tried only where they can start: the same matches
                if kind in ("rel", "wd"):
                    continue
                if kind in ("md", "mdy"):
                    starts = dates._month_starts(t, pos, end)
                else:
                    starts = [m.start() for m in dates._DIGIT_START.finditer(t, pos, end)]
                assert a == [(m.span(), m.groups())
                             for m in dates._matches_at(fast[kind], t, starts, end)], (kind, t)


def test_word_pattern_prefilters_cover_their_words():
    for w in dates._WEEKDAYS:
        assert "day" in w or "dag" in w
    for w in dates._RELATIVE:
        assert "day" in w or "dag" in w or any(c in w for c in dates._RELATIVE_CORES), w


def test_not_event_is_the_pattern_search():
    words = ["since", "of", "the", "scheduled", "for", "due", "on", "born", "x", "bathe", "nearby"]
    rnd = random.Random(3)
    for _ in range(3000):
        t = "".join(rnd.choice(words) + rnd.choice(["", " ", "  ", "\n", " \n"])
                    for _ in range(rnd.randint(0, 5)))
        assert dates._not_event(t) == (dates._NOT_EVENT.search(t) is not None), repr(t)


def test_sentence_end_and_hashtag_patterns_equal_their_plain_form():
    sent = re.compile(r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bMrs)"
                      r"(?<!\bNo)(?<!\bU\.S)(?<!\bH\.E)[.!?](?=\s+[\"“A-ZА-Я0-9]|\s*$)|\n")
    tag = re.compile(r"(?<![\w#&/])#([^\W_][\w]*)")
    for t in _texts():
        assert [m.span() for m in text_mod._SENT_END.finditer(t)] == \
            [m.span() for m in sent.finditer(t)]
        assert hashtags_mod.hashtags(t) == [
            (m.group(1), m.start(), m.end()) for m in tag.finditer(t) if not m.group(1).isdigit()]


def _plain_detect_language(text):
    sample = text[:3000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "en"
    cyr = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    if cyr > len(letters) * 0.3:
        for chars, lang in (("ђћљњџј", "sr"), ("қәңғүұөһ", "kk"), ("ієїґ", "uk")):
            if any(c in sample for c in chars):
                return lang
        return "ru"
    if sum(1 for c in letters if "\u0900" <= c <= "\u097f") > len(letters) * 0.3:
        return "hi"
    words = [w.lower() for w in text_mod._WORD.findall(sample)]
    best, score = "en", 0
    for lang, stop in text_mod._STOP.items():
        n = sum(1 for w in words if w in stop)
        if n > score:
            best, score = lang, n
    return best


def test_detect_language_and_six_words_match_their_plain_form():
    rnd = random.Random(5)
    extra = ("och att med för och den Путин и в на з і є ђ ј қ ә नमस्ते भारत und der die "
             "le la les et el los y və ilə ja on että ½ 2x İS x\ud800").split(" ")
    texts = _texts() + [" ".join(rnd.choice(WORDS + extra) for _ in range(rnd.randint(0, 60)))
                        for _ in range(3000)] + ["", "123", "Путин" * 700 + " the"]
    for t in texts:
        assert text_mod.detect_language(t) == _plain_detect_language(t), t
        assert (text_mod._SIX_WORDS.search(t) is not None) == (len(text_mod._WORD.findall(t)) >= 6)


def test_resolve_overlaps_is_the_plain_greedy_choice():
    matcher = importlib.import_module("readsearch.extract.matcher")

    def plain(matches):
        kept = []
        by_group = {}
        for m in matches:
            by_group.setdefault(m.entry.group, []).append(m)
        for ms in by_group.values():
            taken = []
            for _, s, e in sorted({(m.start - m.end, m.start, m.end) for m in ms}):
                if not any(s < te and ts < e for ts, te in taken):
                    taken.append((s, e))
            kept.extend(m for m in ms if (m.start, m.end) in taken)
        return sorted(kept, key=lambda m: (m.start, m.end))

    rnd = random.Random(11)
    entries = [matcher.Entry("countries", v, "name", g) for v in "ab" for g in ("ent", "topic")]
    for _ in range(3000):
        ms = []
        for _ in range(rnd.randint(0, 12)):
            s = rnd.randint(0, 30)
            ms.append(matcher.Match(s, s + rnd.randint(1, 8), rnd.choice(entries), "k"))
        assert matcher.resolve_overlaps(ms) == plain(ms)
        one = [m for m in ms if m.entry.group == "ent"]
        assert matcher.resolve_overlaps(one, one_group=True) == plain(one)


def test_word_before_is_the_pattern_search():
    countries = importlib.import_module("readsearch.extract.countries")
    words = ["in", "into", "within", "city", "of", "visited", "x", "speaks", "trip", "_in", "9in"]
    rnd = random.Random(4)
    for _ in range(3000):
        t = "".join(rnd.choice(words) + rnd.choice(["", " ", "  ", "\n", " \n", "-"])
                    for _ in range(rnd.randint(0, 5)))
        for ws in (countries._VENUE_WORDS, countries._IN_WORDS):
            rx = re.compile(r"\b(?:" + "|".join(ws) + r")\s+$")    # the rule as a pattern
            assert countries._word_before(t, ws) == (rx.search(t) is not None), repr(t)


def test_kind_patterns_equal_their_word_boundary_form():
    kind = importlib.import_module("readsearch.extract.kind")
    pairs = [(kind._STRONG_CALL, kind._STRONG_CALL_WORDS), (kind._WEAK_CALL, kind._WEAK_CALL_WORDS),
             (kind._MEETING, kind._MEETING_WORDS), (kind._MESSAGE, kind._MESSAGE_WORDS),
             (kind._CALLED, kind._CALLED_PHRASES)]
    words = ("phone telephone telephoned calls with call to video conference videoconference "
             "virtual bilateral meeting online telefonnyi zengedib samtal per telefon fon met "
             "meets meetings talks visit visited xmet metx spoke conversation samtalet message "
             "condolence condolences greetings card x 1 _ - , . rang arranged placed a call to "
             "initiated phoned zeng edib har bjudit in").split()
    rnd = random.Random(13)
    for _ in range(5000):
        t = "".join(rnd.choice(words) + rnd.choice([" ", "", "-", "  "])
                    for _ in range(rnd.randint(0, 10)))
        for rx, alts in pairs:
            plain = re.compile(r"\b(" + alts + r")\b")
            assert [(m.span(), m.group(rx.groups)) for m in rx.finditer(t)] == \
                [(m.span(), m.group(1)) for m in plain.finditer(t)], t


def test_initiative_patterns_need_their_parts():
    kind = importlib.import_module("readsearch.extract.kind")
    words = ("at on upon the initiative request invitation of latter other side counterpart's "
             "russia's serbia' his her their phone talks with , . president called had x").split()
    words += ["at the initiative of", "on the request of", "upon the invitation of the",
              "russian side", "at the  request\nof", "the initiative of"]
    pairs = ((kind._SIDE, kind._SIDE_NEED), (kind._POSS, kind._POSS_NEED),
             (kind._REQUEST_OF, kind._REQUEST_OF_NEED))
    rnd = random.Random(8)
    for _ in range(20000):
        t = "".join(rnd.choice(words) + rnd.choice([" ", " ", "  ", "\n"])
                    for _ in range(rnd.randint(1, 12)))
        for rx, need in pairs:
            if rx.search(t):
                assert need.search(t), (rx.pattern, t)
        if kind._LATTER.search(t):
            assert "request" in t or kind._LATTER_NEED.search(t), t


def test_one_pass_matcher_finds_what_two_passes_find():
    res = load_resources()
    words = ("AS as As US us U.S. u.s. UK WHO who NATO nato UN un Serbia serbia Russian Moscow "
             "Porto-Novo porto-novo DRC drc G7 g7 COVID-19 Lavrov Vučić EU eu Rossii Россия "
             "the of , - .").split()
    rnd = random.Random(6)
    texts = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 20))) for _ in range(2000)]
    for lang in ("en", "ru", "de"):
        m = res.matcher(lang)
        for t in texts:
            cased = fold_mod.fold_cased(t)
            for inflecting in (False, True):
                found = m.find(cased.lower(), cased, inflecting)
                assert found == m._find_apart(cased.lower(), cased, inflecting), t
                assert m.find_groups(cased.lower(), cased, inflecting) == (
                    [x for x in found if x.entry.group == "ent"],
                    [x for x in found if x.entry.group == "topic"]), t


def test_required_literal_of_topic_patterns():
    lit = topics_mod._required_literal
    assert lit(r"\b\d{2,3}(st|nd|rd|th) anniversary\b") == " anniversary"
    assert lit(r"\b[Rr]esolution 1244\b") == "esolution 1244"
    assert lit(r"(?i)resolution 1244") == ""      # case-insensitive: no literal is sure
    assert lit(r"abc|def") == ""
    assert lit(r"ab?cd") == ""


# ---------------------------------------------------------------------- compiled cache


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("READSEARCH_NO_CACHE", raising=False)
    load_resources.cache_clear()
    yield tmp_path / "readsearch"
    load_resources.cache_clear()


def _signature(res):
    return (res.resolve("country", "serbia"), res.resolve("country", "Kosovo"),
            res.resolve("person", "Vucic"), res.resolve("organization", "the UN"),
            res.resolve("topic", "kosovo balkans"), res.label("country", "RS"),
            res.country_of("Aleksandar Vučić"), sorted(res.surnames)[:50])


def test_cache_round_trip_gives_the_same_resources(cache_home):
    built = load_resources()
    files = list(cache_home.glob("resources-*.pickle"))
    assert len(files) == 1
    load_resources.cache_clear()
    cached = load_resources()
    assert cached is not built
    assert _signature(cached) == _signature(built)
    assert set(cached.__dict__) == set(resources_mod._STATE) == set(built.__dict__) - {
        "_issuer_cache"}
    assert cached.data == built.data


def test_cache_is_keyed_by_the_user_files(cache_home, tmp_path):
    g = tmp_path / "mine.yaml"
    g.write_text("persons:\n- name: Jane Example\n  country: RS\n  aliases: [J. Example]\n",
                 encoding="utf-8")
    assert load_resources((str(g),)).resolve("person", "J. Example") == "Jane Example"
    g.write_text("persons:\n- name: Joan Example\n  country: RS\n  aliases: [J. Example]\n",
                 encoding="utf-8")
    load_resources.cache_clear()
    assert load_resources((str(g),)).resolve("person", "J. Example") == "Joan Example"
    assert len(list(cache_home.glob("resources-*.pickle"))) == 2


def test_damaged_cache_is_rebuilt(cache_home):
    load_resources()
    (path,) = cache_home.glob("resources-*.pickle")
    path.write_bytes(b"not a pickle")
    load_resources.cache_clear()
    assert load_resources().resolve("country", "serbian") == "RS"
    assert path.read_bytes() != b"not a pickle"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_cache_folder_means_no_cache(cache_home):
    cache_home.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert load_resources().resolve("country", "serbian") == "RS"
    finally:
        cache_home.parent.chmod(stat.S_IRWXU)


def test_cache_folder_that_is_a_file_means_no_cache(cache_home):
    cache_home.parent.mkdir(parents=True, exist_ok=True)
    cache_home.write_text("a file, not a folder")
    assert load_resources().resolve("country", "serbian") == "RS"


def test_no_cache_when_disabled(cache_home, monkeypatch):
    monkeypatch.setenv("READSEARCH_NO_CACHE", "1")
    assert load_resources().resolve("country", "RS") == "RS"
    assert not cache_home.exists()
