"""Unit tests of the extractors: resolver contract, folding, hard pairs, persons, dates, kind."""
from __future__ import annotations

import pytest

from readsearch.extract import explain, extract, fold, load_resources
from readsearch.model import Readout


@pytest.fixture(scope="module")
def res():
    return load_resources()


def ro(body: str, title: str = "", published: str | None = None, **kw) -> Readout:
    return Readout(id="x.txt", path="/tmp/x.txt", title=title, body=body, published=published,
                   **kw)


@pytest.mark.parametrize("field,typed,expected", [
    ("country", "serbian", "RS"), ("country", "RS", "RS"), ("country", "Serbia", "RS"),
    ("country", "Kosovo", "XK"), ("country", "the United States", "US"), ("country", "UAE", "AE"),
    ("country", "Emirati", "AE"), ("country", "Niger", "NE"), ("country", "Nigeria", "NG"),
    ("country", "DR Congo", "CD"), ("country", "Congo", "CG"), ("country", "North Korea", "KP"),
    ("country", "Kiev", "UA"), ("country", "Atlantis", None),
    ("person", "vucic", "Aleksandar Vučić"), ("person", "Aleksandar Vucic", "Aleksandar Vučić"),
    ("person", "Zelensky", "Volodymyr Zelenskyy"), ("person", "Erdogan", "Recep Tayyip Erdoğan"),
    ("person", "Djuric", "Marko Đurić"), ("person", "Лавров", "Sergey Lavrov"),
    ("person", "marko juric", "Marko Juric"), ("person", "President jane DOE", "Jane Doe"),
    ("organization", "Security Council", "UNSC"), ("organization", "nato", "NATO"),
    ("organization", "European Commission", "EU"), ("topic", "Energy", "energy"),
    ("topic", "kosovo_balkans", "kosovo_balkans"), ("hashtag", "#RussiaSerbia", "RussiaSerbia"),
    ("hashtag", "#", None), ("country", "", None),
])
def test_resolve_contract(res, field, typed, expected):
    assert res.resolve(field, typed) == expected


def test_labels(res):
    assert res.label("country", "RS") == "Serbia"
    assert res.label("country", "XK") == "Kosovo"
    assert res.label("topic", "energy") == "Energy"
    assert res.label("organization", "UNSC") == "United Nations Security Council"
    assert res.label("person", "Sergey Lavrov") == "Sergey Lavrov"


def test_fold():
    assert fold("Aleksandar Vučić") == "aleksandar vucic"
    assert fold("Đurić") == "djuric"
    assert fold("Лавров") == "lavrov"
    assert fold("Erdoğan") == "erdogan"


def test_extractor_and_resolver_agree_on_unknown_person(res):
    e = extract(ro("Foreign Minister Jane Doeson met the delegation."), res)
    assert e.persons == ["Jane Doeson"]
    assert res.resolve("person", "jane doeson") == "Jane Doeson"


@pytest.mark.parametrize("body,expected", [
    ("Talks with Niger and with Nigeria.", ["NE", "NG"]),
    ("Guinea, Guinea-Bissau, Equatorial Guinea and Papua New Guinea were discussed.",
     ["GN", "GQ", "GW", "PG"]),
    ("Dominica and the Dominican Republic signed.", ["DM", "DO"]),
    ("Sudan and South Sudan agreed.", ["SD", "SS"]),
    ("The Republic of the Congo and the Democratic Republic of the Congo met.", ["CD", "CG"]),
    ("North Korea and South Korea were discussed.", ["KP", "KR"]),
    ("The Prime Minister of Georgia spoke about Tbilisi.", ["GE"]),
    ("The governor said that Atlanta, Georgia is hosting the fair.", []),
    ("Secretary Chad Wolf met Jordan Peterson.", []),
    ("The King of Jordan visited Chad.", ["JO", "TD"]),
    ("The document is available in Russian.", []),
    ("The United Nations and the Organization of American States met.", []),
    ("The Soviet Union and Yugoslavia are gone; the Korean Peninsula remains.", []),
    # a blocker's plural: "South China Seas" is not China, "Indian Oceans" not India
    ("Freedom of navigation in the East and South China Seas.", []),
    ("Islands of the Indian Oceans and the Arabian Seas' coasts.", []),
    ("Navigation in the Black Sea's ports and the South China Sea's reefs.", []),
    # the builder once took fragments of "Cocos (Keeling) Islands" and a Factbook "NA" as names
    ("The Pacific Islands Forum met; NA figures for the Solomon Islands.", ["SB"]),
])
def test_hard_pairs(res, body, expected):
    assert extract(ro(body), res).countries == expected


def test_venue_capital_not_counted(res):
    e = extract(ro("The leaders met in Brussels and discussed Ukraine."), res)
    assert e.countries == ["UA"]


def test_organizations_longest_name_wins(res):
    e = extract(ro("Resolution 1244 of the UN Security Council; the WHO and NATO; who knows."), res)
    assert e.organizations == ["NATO", "UNSC", "WHO"]


def test_cyrillic_person_and_country(res):
    e = extract(ro("Сергей Лавров провел переговоры с министром. Россия и Сербия."), res)
    assert "Sergey Lavrov" in e.persons
    assert {"RU", "RS"} <= set(e.countries)


# a name is matched in an inflecting language by its stem too (Россия -> ross + ии, ией ...): the
# rest of the word must then be a case ending, not the rest of another word the stem begins
@pytest.mark.parametrize("body,lang,wrong,right", [
    ("Переговоры прошли в Белграде.", None, "BE", "RS"),       # belg(ия) + rade
    ("Премьер-министр Австралии прибыл в Москву.", None, "AT", "AU"),   # avstr(ия) + alii
    ("Президент Нигерии выступил.", None, "NE", "NG"),          # niger + ii
    ("Джон Росс прибыл в Москву.", None, "RU", None),           # ross(ия) alone
    ("Predsednik Nigerije je doputovao.", "sr", "NE", "NG"),
    ("Прем'єр-міністр Австралії.", "uk", "AT", "AU"),
    ("Gespräche mit Nigeria.", "de", "NE", "NG"),
    ("Samtal med Nigerias president.", "sv", "NE", "NG"),
    ("Rozmowy z Nigerią i Australią.", "pl", "NE", "NG"),
    ("Rozmowy z Nigerią i Australią.", "pl", "AT", "AU"),
    ("Nijerya ile görüşme yapıldı.", "tr", "NE", "NG"),         # Nijer + ya: Nijer'e
    # a noun in -ия keeps its и in every case: german + om is the first name Герман, not Германия
    ("Лавров встретился с Германом Грефом в Москве.", None, "DE", "RU"),
    ("Розмова з Германом Грефом щодо України.", "uk", "DE", "UA"),
])
def test_stem_is_not_the_start_of_another_word(res, body, lang, wrong, right):
    e = extract(ro(body, language=lang), res)
    assert wrong not in e.countries
    if right:
        assert right in e.countries


# (российско- and Rusiyanın have five letters after the stem: the old rule, any four letters,
# missed them)
@pytest.mark.parametrize("body,lang,code", [
    ("Обсуждены отношения с Сербией.", None, "RS"),
    ("Визит Президента Сербии.", None, "RS"),
    ("Отношения между Россией и Китаем.", None, "RU"),
    ("Отношения между Россией и Китаем.", None, "CN"),
    ("Президент России.", None, "RU"),
    ("Премьер-министр Индии.", None, "IN"),
    ("Визит в Индию.", None, "IN"),
    ("Президент Казахстана и с Казахстаном.", None, "KZ"),
    ("российско-американских отношений", None, "RU"),
    ("Визит в Германию и германский министр.", None, "DE"),
    ("Германец прибыл с визитом.", None, "DE"),
    ("Канцлер Германии.", None, "DE"),
    ("Сотрудничество с Германией.", None, "DE"),
    ("с украинской стороной", None, "UA"),
    ("Делегация Гвинеи.", None, "GN"),
    ("Разговор с Александаром Вучићем о Србији и Србијом.", None, "RS"),
    ("Переговори з Україною та Росією.", None, "UA"),
    ("Переговори з Україною та Росією.", None, "RU"),
    ("Deutschlands Haltung zur Ukraine und die ukrainischen Partner.", "de", "UA"),
    ("Sveriges och Ukrainas regeringar; iranska frågor.", "sv", "IR"),
    ("Sveriges och Ukrainas regeringar.", "sv", "UA"),
    ("Rusiyanın Prezidenti və Azərbaycana səfər.", "az", "RU"),
    ("Rozmowy z Rosją i Serbią, wizyta w Serbii.", "pl", "RS"),
])
def test_inflected_country_names_match(res, body, lang, code):
    assert code in extract(ro(body, language=lang), res).countries


@pytest.mark.parametrize("body,lang,person", [
    ("Министр провел переговоры с Сергеем Лавровым и Лаврову передали.", None, "Sergey Lavrov"),
    ("Встреча у Лаврова.", None, "Sergey Lavrov"),
    ("Разговор с Александром Вучичем.", None, "Aleksandar Vučić"),
    ("Телефонный разговор с Путиным.", None, "Vladimir Putin"),
    ("Обращение Зеленского.", None, "Volodymyr Zelenskyy"),
    ("Разговор с Дональдом Трампом.", None, "Donald Trump"),
    ("Встреча с Зеленским.", None, "Volodymyr Zelenskyy"),
    ("Vladimir Putinin zəngi.", "az", "Vladimir Putin"),
])
def test_inflected_person_names_match(res, body, lang, person):
    assert person in extract(ro(body, language=lang), res).persons


def test_inflections_follow_the_lost_letters():
    from readsearch.extract.inflection import inflections
    forms = inflections("iya", "ru", "s")       # Россия: stem ross, lost iya
    assert {"ii", "iey", "iyu", "iya", "iyskoy"} <= forms
    assert "" not in forms and "rade" not in forms and "alii" not in forms
    assert "ii" not in inflections("", "ru", "r")          # Нигер: Нигерии is Нигерия
    assert "ya" not in inflections("", "tr", "r") and "e" in inflections("", "tr", "r")


def test_surname_after_title_and_full_mention(res):
    e = extract(ro("President Joe Biden spoke with Chancellor Merkel. Biden thanked Mr Lavrov."),
                res)
    assert e.persons == ["Angela Merkel", "Joe Biden", "Sergey Lavrov"]


def test_participants_and_country_of_participant(res):
    e = extract(ro("Vladimir Putin had a telephone conversation with Prime Minister of India "
                   "Narendra Modi. They recalled the talks of Xi Jinping."), res)
    assert e.participants == ["Narendra Modi", "Vladimir Putin"]
    assert "Xi Jinping" in e.persons
    assert {"IN", "RU"} <= set(e.countries)
    assert "CN" not in e.countries


@pytest.mark.parametrize("body,published,expected", [
    ("On December 23, the ministers spoke.", "2024-01-05", "2023-12-23"),
    ("On 23 December 2023 the ministers spoke.", None, "2023-12-23"),
    ("The President spoke yesterday with the Chancellor.", "2024-07-08", "2024-07-07"),
    ("On Wednesday, the President called the King.", "2025-01-23", "2025-01-22"),
    ("The ministers spoke.", "2024-07-08", "2024-07-08"),
    ("The ministers spoke.", None, None),
    # a weekday or "today" naming the day of a full date: the date, with or without a
    # publication date (the weekday matched first and, with nothing to count back from, the
    # readout was left undated)
    ("On Tuesday, March 1, 2022, the Secretary spoke with the Minister.", None, "2022-03-01"),
    ("Blinken called Kuleba on Tuesday, 1 March 2022.", None, "2022-03-01"),
    ("Today, March 1, 2022, the ministers met.", None, "2022-03-01"),
    ("On Tuesday, March 1, 2022, the Secretary spoke with the Minister.", "2022-03-03", "2022-03-01"),
    # a time of day "of" the date (the "of" of "the agreements of 9 November 2020" is no event)
    ("On the evening of November 15, 2021, the presidents met virtually.", None, "2021-11-15"),
    ("On the morning of 3 March 2022 the leaders spoke.", None, "2022-03-03"),
    ("On the night of 23 December 2023 the ministers spoke.", None, "2023-12-23"),
    ("They recalled the agreements of 9 November 2020.", "2024-01-05", "2024-01-05"),
    # an undated weekday, then a full date: the date
    ("On Friday the minister met the ambassador; the talks of 12 May 2023 were recalled.", None, None),
])
def test_dates(res, body, published, expected):
    assert extract(ro(body, published=published), res).date == expected


def test_year_from_path(res):
    r = Readout(id="2023-12-28-call.md", path="/c/2023-12-28-call.md", body="On December 23, "
                "the ministers spoke by telephone.")
    assert extract(r, res).date == "2023-12-23"


@pytest.mark.parametrize("title,body,kind", [
    ("Telephone conversation with the President of France", "They discussed Ukraine.", "call"),
    ("Meeting with the Prime Minister", "The leaders met in Moscow.", "meeting"),
    ("Readout", "The President sent a message of condolences.", "message"),
    ("Meeting with the Minister", "Sullivan called the Minister to discuss the talks.", "call"),
])
def test_kind(res, title, body, kind):
    assert extract(ro(body, title=title), res).kind == kind


@pytest.mark.parametrize("body,expected", [
    ("At the initiative of the Turkish side, Vladimir Putin had a telephone conversation with "
     "Recep Tayyip Erdogan.", "TR"),
    ("Vladimir Putin had a telephone conversation with President of France Emmanuel Macron at "
     "the latter's request.", "FR"),
    ("President Biden called President Zelenskyy today.", "US"),
    ("Vladimir Putin had a telephone conversation with Emmanuel Macron.", None),
])
def test_initiative(res, body, expected):
    assert extract(ro(body), res).initiative == expected


def test_front_matter_values(res):
    r = ro("Talks.", meta={"country": "Serbia, kosovo", "person": ["vucic"], "topic": "Energy",
                           "organization": "Security Council", "hashtag": "#RussiaSerbia"})
    e = extract(r, res)
    assert e.countries == ["RS", "XK"]
    assert e.persons == ["Aleksandar Vučić"]
    assert "energy" in e.topics
    assert e.organizations == ["UNSC"]
    assert e.hashtags == ["RussiaSerbia"]


def test_topics_parents_implied(res):
    e = extract(ro("They discussed gas supplies and the oil market."), res)
    assert "oil_gas" in e.topics and "energy" in e.topics


def test_evidence_for_every_value(res):
    r = ro("🇷🇺 On December 23, at the initiative of the Serbian Side, Foreign Minister Sergey "
           "Lavrov had a telephone conversation with Aleksandar Vucic about gas. #RussiaSerbia",
           published="2023-12-24")
    e = extract(r, res)
    ev = explain(r, res)
    full = r.title + "\n\n" + r.body
    for field in ("countries", "persons", "topics", "hashtags"):
        for v in getattr(e, field):
            spans = [x for x in ev if x.field == field and x.value == v]
            assert spans, (field, v)
            for x in spans:
                if x.start >= 0:
                    assert full[x.start:x.end] == x.text
    assert any(x.field == "date" and x.value == "2023-12-23" for x in ev)
    assert any(x.field == "initiative" and x.value == "RS" for x in ev)


def test_deterministic(res):
    r = ro("Vladimir Putin and Xi Jinping discussed Ukraine, energy and the SCO.")
    assert extract(r, res) == extract(r, res)


@pytest.mark.parametrize("name, content, cause", [
    ("missing.yaml", None, "cannot read: no such file or directory"),
    ("binary.yaml", b"\x89PNG\r\n\x1a\n\xff\xfe\x00", "not UTF-8 text"),
    ("broken.yaml", b"persons: [unclosed\n", "not valid YAML: * (line 2)"),   # PyYAML's words vary
    ("list.yaml", b"- name: Jane Example\n", "expected a YAML mapping with countries, persons, organizations, "
                                               "topics or blockers, found a list"),
    ("nothing.yaml", b"foo: 1\n", "holds none of countries, persons, organizations, topics, blockers: "
                                  "nothing to add"),
    ("shape.yaml", b"persons: Jane Example\n", "'persons' must be a list of entries, not a string"),
    ("entry.yaml", b"persons:\n- Jane Example\n", "'persons' entry 1 must be a mapping (name: ...), not a string"),
    # entries of the right shape that were merged wrongly without a word
    ("noname.yaml", b"persons:\n- nam: Jane Example\n", "'persons' entry 1 has no name (each entry is named "
                                                        "by 'name: ...')"),
    ("typo.yaml", b"persons:\n- name: Jane Example\n  contry: RS\n", "'persons' entry 'Jane Example': unknown "
                  "key 'contry' (keys: aliases, bare, country, enabled, name, replace, source, surname)"),
    ("zz.yaml", b"persons:\n- name: Jane Example\n  country: ZZ\n", "person 'Jane Example': country 'ZZ' is not "
                "a country id of the gazetteers (ISO 3166-1 alpha-2, e.g. RS)"),
])
def test_bad_user_gazetteer_is_one_line_naming_the_file(tmp_path, name, content, cause):
    from conftest import run_cli

    g = tmp_path / name
    if content is not None:
        g.write_bytes(content)
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.md").write_text("Sergey Lavrov met Aleksandar Vučić.", encoding="utf-8")
    for args in (["index", str(corpus), "--index", str(tmp_path / "idx"), "--gazetteer", str(g)],
                 ["extract", str(corpus), "--gazetteer", str(g)],
                 ["extract", str(corpus), "--taxonomy", str(g)]):
        r = run_cli(*args)
        option = "--taxonomy" if "--taxonomy" in args else "--gazetteer"
        want = cause.replace("countries, persons, organizations, topics or blockers", "topics").replace(
            "countries, persons, organizations, topics, blockers", "topics") if option == "--taxonomy" else cause
        if option == "--taxonomy" and name in ("shape.yaml", "entry.yaml", "noname.yaml", "typo.yaml", "zz.yaml"):
            want = "holds none of topics: nothing to add"
        head, _, tail = f"readsearch: {option} {g}: {want}\n".partition("*")
        assert r.rc == 2 and r.err.startswith(head) and r.err.endswith(tail), (args, r.err)
        assert len(r.err.splitlines()) == 1


def test_user_gazetteer_merged_by_id(tmp_path):
    g = tmp_path / "g.yaml"
    g.write_text("countries:\n- id: RS\n  names: [Srbija Land]\n"
                 "persons:\n- name: Jane Example\n  country: RS\n  aliases: [J. Example]\n"
                 "organizations:\n- id: XO\n  label: Example Organisation\n  acronyms: [XOX]\n",
                 encoding="utf-8")
    res = load_resources((str(g),))
    assert res.resolve("country", "Srbija Land") == "RS"
    assert res.resolve("country", "Serbia") == "RS"
    assert res.resolve("person", "j. example") == "Jane Example"
    e = extract(ro("Jane Example met the XOX in Srbija Land."), res)
    assert e.persons == ["Jane Example"] and e.organizations == ["XO"] and e.countries == ["RS"]
