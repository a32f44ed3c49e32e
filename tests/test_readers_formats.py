"""Readers of every format: Telegram export, saved HTML pages, JSON Lines / JSON / CSV records."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SHARED, run_cli
from readsearch import readers
from readsearch.model import ReadError, Readout
from readsearch.readers import telegram

FIX = Path(__file__).parent / "fixtures"


def read(path: Path, doc_id: str | None = None, **options) -> readers.FileRead:
    return readers.read_file(str(path), doc_id or path.name, readers.ReadOptions(**options))


def readouts(fr: readers.FileRead) -> dict[str, Readout]:
    return {r.id: r for r in fr.items if isinstance(r, Readout)}


def errors(fr: readers.FileRead) -> list[ReadError]:
    return [e for e in fr.items if isinstance(e, ReadError)]


# ------------------------------------------------------------------ Telegram export
def test_telegram_export_one_readout_per_text_message():
    fr = read(FIX / "telegram-export" / "result.json", "export/result.json")
    got = readouts(fr)
    assert list(got) == ["export/result.json#9201", "export/result.json#9202", "export/result.json#9205"]
    # service messages (create_channel, pin_message), a photo alone and a blank caption
    assert fr.skipped == 4
    assert not errors(fr)
    call = got["export/result.json#9202"]
    assert call.body == (
        "🇷🇺🇷🇸 On December 23, Russian Foreign Minister Sergey Lavrov had a telephone conversation with "
        "President of the Republic of Serbia Aleksandar Vučić.\n\nThe interlocutors discussed the situation "
        "in Kosovo and Metohija and the results of the elections. Read more: on the ministry website"
        "\n\n#RussiaSerbia #Lavrov")
    assert call.title == ("On December 23, Russian Foreign Minister Sergey Lavrov had a telephone "
                          "conversation with President…")
    assert call.published == "2023-12-23"
    assert call.issuer == "MFA Russia"
    assert call.meta["edited"] == "2023-12-23T18:07:12" and "text" not in call.meta
    ru = got["export/result.json#9205"]
    assert ru.title == "Сергей Лавров провёл телефонный разговор с Министром иностранных дел Венгрии Петером Сийярто."
    assert ru.body.endswith("https://t.me/MID_Russia/9205 @MID_Russia #РоссияВенгрия")


def test_telegram_string_and_entity_list_give_the_same_text():
    parts = ["🇷🇺🇷🇸 On December 23, ", {"type": "bold", "text": "Sergey Lavrov"},
             " had a telephone conversation with Aleksandar Vučić. ", {"type": "hashtag", "text": "#RussiaSerbia"}]
    plain = "🇷🇺🇷🇸 On December 23, Sergey Lavrov had a telephone conversation with Aleksandar Vučić. #RussiaSerbia"
    assert telegram.plain_text(parts) == plain
    assert telegram.plain_text(plain) == plain
    assert telegram.plain_text(None) == "" and telegram.plain_text(42) == ""
    export = {"name": "Example MFA channel", "type": "public_channel", "id": 1,
              "messages": [{"id": 11, "type": "message", "date": "2023-12-23T18:05:00", "text": parts},
                           {"id": 12, "type": "message", "date": "2023-12-23T18:05:00", "text": plain}]}
    got, skipped = telegram.read_export(export, "/x/result.json", "result.json")
    assert [r.body for r in got] == [plain, plain] and skipped == 0
    assert "'type'" not in got[0].body and "bold" not in got[0].body


def test_telegram_detected_by_content_not_by_name(tmp_path):
    shutil.copy(FIX / "telegram-export" / "result.json", tmp_path / "channel-dump.json")
    assert len(readouts(read(tmp_path / "channel-dump.json"))) == 3
    assert telegram.is_export({"messages": [{"id": 1, "type": "message"}]})
    assert not telegram.is_export({"messages": [{"text": "a record, not a Telegram message"}]})
    assert not telegram.is_export([{"id": 1, "type": "message"}])


def test_telegram_whole_account_export_ids_name_the_chat():
    export = {"about": "Here is the data you requested.",
              "chats": {"about": "This page lists all chats from this export.",
                        "list": [{"name": "A", "type": "public_channel", "id": 5,
                                  "messages": [{"id": 1, "type": "message", "date": "2024-01-02T10:00:00",
                                                "text": "Readout of the call."}]}]}}
    got, skipped = telegram.read_export(export, "/x/result.json", "result.json")
    assert [(r.id, r.issuer, r.published) for r in got] == [("result.json#5/1", "A", "2024-01-02")]


# ------------------------------------------------------------------ HTML pages
def test_html_page_main_text_without_boilerplate():
    fr = read(FIX / "issuer-page.html", "pages/issuer-page.html")
    (page,) = fr.items
    assert page.title == "Secretary Blinken’s Call with Serbian President Vučić"
    assert page.published == "2023-10-02"
    assert page.issuer == "United States Department of State"
    assert page.source_url == "https://www.state.gov/secretary-blinkens-call-with-serbian-president-vucic-3/"
    assert page.language == "en"
    assert page.body.startswith("The below is attributable to Spokesperson Matthew Miller:\n"
                                "Secretary of State Antony J. Blinken spoke today with Serbian President")
    assert page.body.endswith("the importance of regional stability in the Western Balkans.")
    for boilerplate in ("Travel Advisories", "Share on Facebook", "Copy Link", "Privacy Policy",
                        "Related Articles", "Kurti", "cookies", "Skip to content", "Stay connected",
                        "Here's how you know", "Bureaus and Offices", "gtag", "Tags"):
        assert boilerplate not in page.body, boilerplate
    assert page.warnings == []


def test_html_metadata_fallbacks(tmp_path):
    p = tmp_path / "p.htm"
    p.write_text("<html><head><title>Talks in Belgrade | Ministry of Foreign Affairs</title>"
                 '<meta name="date" content="2024-02-03"></head><body><nav>Home | About</nav>'
                 "<article><h1>Talks in Belgrade</h1><p>" + "The ministers held talks in Belgrade on energy. " * 6 +
                 "</p></article></body></html>", encoding="utf-8")
    (page,) = read(p).items
    assert (page.title, page.published, page.issuer) == ("Talks in Belgrade", "2024-02-03", None)
    assert page.body.startswith("The ministers held talks in Belgrade on energy.") and "Home" not in page.body
    q = tmp_path / "q.html"
    q.write_text('<html><body><main><time datetime="2024-03-04T09:00">4 March</time>'
                 "<p>" + "Переговоры министров иностранных дел прошли в Москве. " * 5 + "</p></main></body></html>",
                 encoding="windows-1251")
    (page,) = read(q).items
    assert page.published == "2024-03-04" and page.encoding == "windows-1251"
    assert page.title == "Переговоры министров иностранных дел прошли в Москве."


def test_html_declared_charset_and_empty_page(tmp_path):
    p = tmp_path / "legacy.html"
    p.write_bytes(('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
                   "<title>Réunion à Genève</title></head><body><p>" + "Le ministre a rencontré son homologue à Genève. " * 5 +
                   "</p></body></html>").encode("cp1252"))
    (page,) = read(p).items
    assert page.title == "Réunion à Genève" and "rencontré" in page.body and page.encoding == "windows-1252"
    blank = tmp_path / "blank.html"
    blank.write_text("<html><head><title>Gallery</title></head><body><img src='a.jpg'></body></html>")
    (page,) = read(blank).items
    assert page.body == "" and page.title == "Gallery"
    assert page.warnings == ["no main text found in the page (indexed with its title)"]


# ------------------------------------------------------------------ records
def test_jsonl_records_fields_by_common_names():
    fr = read(FIX / "records.jsonl", "scrape/records.jsonl")
    got = readouts(fr)
    assert list(got) == ["scrape/records.jsonl#mfa-2024-001", "scrape/records.jsonl#mfa-2024-002",
                         "scrape/records.jsonl#4"]
    assert fr.skipped == 1  # mfa-2024-003 has no text
    first = got["scrape/records.jsonl#mfa-2024-001"]
    assert first.title == "Minister's telephone conversation with the Foreign Minister of Hungary"
    assert first.body == ("On 12 January, the Minister held a telephone conversation with Péter Szijjártó. "
                          "The sides discussed energy cooperation & transit.")
    assert (first.published, first.issuer, first.source_url, first.language) == \
        ("2024-01-12", "Example MFA", "https://example.org/readouts/1", "en")
    second = got["scrape/records.jsonl#mfa-2024-002"]
    assert (second.published, second.issuer, second.source_url) == \
        ("2024-01-15", "Example MFA", "https://example.org/readouts/2")
    fourth = got["scrape/records.jsonl#4"]  # no id: its position; Twitter date; nested author
    assert (fourth.published, fourth.issuer, fourth.title) == \
        ("2024-01-17", "Example Presidency", "Call with the Prime Minister of Canada")


def test_json_array_and_object_holding_a_list(tmp_path):
    fr = read(FIX / "records-array.json")
    got = readouts(fr)
    assert list(got) == ["records-array.json#1", "records-array.json#3"] and fr.skipped == 1
    assert (got["records-array.json#1"].title, got["records-array.json#1"].published,
            got["records-array.json#1"].issuer, got["records-array.json#1"].source_url) == \
        ("Foreign Minister meets Kenyan counterpart", "2024-03-04", "Example Foreign Office",
         "https://example.org/news/kenya")
    assert got["records-array.json#3"].title == "Call with Brazil"
    fr = read(FIX / "posts.json")
    got = readouts(fr)
    assert list(got) == ["posts.json#1786000000000000001", "posts.json#1786000000000000002"]
    tweet = got["posts.json#1786000000000000001"]
    assert tweet.body == ("FM spoke with @DutchMFA counterpart about #Ukraine & the Black Sea grain corridor. "
                          "https://t.co/abc123")
    assert tweet.title == "FM spoke with @DutchMFA counterpart about #Ukraine & the Black Sea grain corridor."
    assert tweet.published == "2024-04-30" and tweet.meta["media_count"] == 0
    # a records file named result.json is still records (sniffed, not named)
    shutil.copy(FIX / "records-array.json", tmp_path / "result.json")
    assert list(readouts(read(tmp_path / "result.json"))) == ["result.json#1", "result.json#3"]


def test_real_x_archive_sample():
    sample = SHARED / "formats" / "x-archive" / "statedept-2018-12.sample.json"
    if not sample.exists():
        pytest.skip("../shared/formats is not available")
    n_records = len(json.loads(sample.read_text(encoding="utf-8"))["tweets"])
    fr = read(sample, "x-archive/statedept-2018-12.sample.json")
    got = readouts(fr)
    assert len(got) + fr.skipped == n_records == 30 and not errors(fr)
    r = got["x-archive/statedept-2018-12.sample.json#1072518242667823104"]
    assert r.published == "2018-12-11"
    assert r.body.startswith(".@SecPompeo called Georgian President-elect @zourabichvili_s to congratulate her")
    assert "&amp;" not in "".join(x.body for x in got.values())


def test_csv_dialect_sniffed_and_field_mapping():
    fr = read(FIX / "records.csv")
    (err,) = fr.items
    assert err.cause.startswith("no record has a body field (looked for text, body, content, full_text")
    assert err.cause.endswith("map one with --field body=NAME")
    fr = read(FIX / "records.csv", field_map={"body": "readout_text"})
    got = readouts(fr)
    assert list(got) == ["records.csv#7", "records.csv#9"] and fr.skipped == 1
    assert got["records.csv#7"].title == "Readout of the call with the Foreign Minister of India"
    assert got["records.csv#7"].body == ("The Minister discussed the Quad; maritime security and trade "
                                         "with his Indian counterpart.")
    assert got["records.csv#7"].source_url == "https://example.org/r/7"
    assert got["records.csv#9"].body.endswith('agreed on a "roadmap" for consultations.')
    assert got["records.csv#9"].published == "2024-02-21"  # 21.02.2024, day first


def test_record_ids_rows_and_repeats(tmp_path):
    p = tmp_path / "r.ndjson"
    p.write_text('{"id": 5, "text": "First readout."}\n{"id": 5, "text": "Second readout."}\n'
                 '{"text": "Third readout."}\n["not", "an", "object"]\n', encoding="utf-8")
    fr = read(p)
    got = readouts(fr)
    assert list(got) == ["r.ndjson#5", "r.ndjson#2", "r.ndjson#3"] and fr.skipped == 1
    assert got["r.ndjson#2"].warnings == ["record 2: id '5' repeats an earlier record; indexed as #2"]
    assert fr.warnings == ["1 record skipped: not an object (record 4)"]


def test_records_without_text_are_named_in_one_warning(tmp_path):
    # they changed the run's "skipped" count and nothing said which or why
    p = tmp_path / "scraped.jsonl"
    p.write_text("".join('{"title": "T%d", "text": "%s"}\n' % (n, "Gas talks." if n in (1, 4) else "")
                         for n in range(1, 11)) + '"a string"\n', encoding="utf-8")
    fr = read(p)
    assert list(readouts(fr)) == ["scraped.jsonl#1", "scraped.jsonl#4"] and fr.skipped == 9
    assert fr.warnings == ["9 records skipped: no body text (records 2, 3, 5, 6, 7 and 3 more), "
                           "not an object (record 11)"]
    r = run_cli("index", str(tmp_path), "--index", str(tmp_path / "idx"))
    assert r.rc == 0
    assert f"readsearch: warning: {p}: 9 records skipped: no body text" in r.err
    assert "2 added" in r.err and "9 skipped" in r.err
    e = run_cli("extract", str(p), "--format", "jsonl")
    assert e.rc == 0 and len(e.out.splitlines()) == 2
    assert e.err.strip() == f"readsearch: warning: {p}: {fr.warnings[0]}"


def test_malformed_json_lines_keep_the_good_ones(tmp_path):
    p = tmp_path / "r.jsonl"
    p.write_text('{"text": "Good readout one."}\n{"text": broken}\n{"text": "Good readout two."}\n{oops\n')
    fr = read(p)
    assert list(readouts(fr)) == ["r.jsonl#1", "r.jsonl#2"]
    (err,) = errors(fr)
    assert err.cause == "malformed JSON Lines: line 2: Expecting value (column 10) and 1 more"
    q = tmp_path / "bad.json"
    q.write_text('{"tweets": [{"text": "a"}, }')
    (err,) = read(q).items
    assert err.cause == "malformed JSON (line 1, column 28): Expecting value"


def test_json_object_with_several_lists(tmp_path):
    p = tmp_path / "two.json"
    p.write_text(json.dumps({"a": [{"text": "x"}], "b": [{"text": "y"}]}))
    (err,) = read(p).items
    assert err.cause == "JSON object holds several lists of records (a, b): cannot tell which"
    p.write_text(json.dumps({"meta": [{"k": 1}], "posts": [{"text": "Readout text."}]}))
    assert list(readouts(read(p))) == ["two.json#1"]


# ------------------------------------------------------------------ end to end
def test_cli_indexes_every_format(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "export").mkdir(parents=True)
    shutil.copy(FIX / "telegram-export" / "result.json", corpus / "export" / "result.json")
    for name in ("issuer-page.html", "records.jsonl", "records-array.json", "posts.json", "records.csv"):
        shutil.copy(FIX / name, corpus / name)
    idx = str(tmp_path / "idx")
    r = run_cli("index", str(corpus), "--index", idx, "--quiet", "--format", "json",
                "--field", "body=readout_text")
    assert r.rc == 0, r.err
    report = r.json
    assert report["failed"] == 0 and report["added"] == 3 + 1 + 3 + 2 + 2 + 2
    r = run_cli("query", "", "--hashtag", "RussiaSerbia", "--index", idx, "--format", "json")
    assert r.rc == 0 and r.ids == ["export/result.json#9202"]
    assert r.hit("export/result.json#9202")["published"] == "2023-12-23"
    r = run_cli("query", "KFOR", "--index", idx, "--format", "json")
    assert r.ids == ["issuer-page.html"]
    r = run_cli("query", "Kurti", "--index", idx, "--format", "json")  # only in "related articles"
    assert r.rc == 1 and r.ids == []
    r = run_cli("query", "roadmap", "--index", idx, "--format", "json")
    assert r.ids == ["records.csv#9"]


def test_field_options_become_a_mapping_or_one_line_errors():
    from readsearch import api
    from readsearch.errors import UsageError

    assert api.field_map(["text=content", "date = posted"]) == {"body": "content", "published": "posted"}
    for item, cause in (("body", "use NAME=SOURCE_FIELD, e.g. body=content"),
                        ("body=", "give the record's field after '=', e.g. body=content"),
                        ("colour=c", "'colour' is not a readout field (use title, body, date, url, issuer, id)")):
        with pytest.raises(UsageError) as e:
            api.field_map([item])
        assert str(e.value) == f"--field {item!r}: {cause}"
