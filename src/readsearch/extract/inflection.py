"""What an inflected form of a name looks like in a language with case endings.

In an inflecting language (:data:`readsearch.extract.text.INFLECTING`) a gazetteer name is also
matched by its stem: the folded name without its final vowels (``Россия -> ross``, ``Лавров ->
lavrov``). A word that begins with a stem is a form of that name only when the rest of the word is
an inflection of it: a beginning of the letters the stem lost (possibly none), then one of the
language's endings. ``Россией`` is ``ross`` + ``i`` (of the lost ``iya``) + ``ey``; ``Лавровым``
is ``lavrov`` + ``ym``; ``Белграде`` begins with ``belg``, the stem of ``Бельгия``, but ``rade``
is no ending, so it is not Belgium (nor ``Австралии`` Austria, ``Нигерии`` Niger, ``Росс``
Russia).

:data:`ENDINGS` holds, per language, the endings of nouns and names and those of the adjectives
and demonyms made from a country's name (``украинской``, ``iranska``, ``ukrainischen``: the
guidelines count them as mentions of the country), written as the language writes them; they
are folded like the text. The bare stem is never a form (``Росс``, ``Герман``): the name as
written is matched as a whole word anyway. A Slavic noun in ``-ия``/``-ія`` keeps its ``и`` in every case, so
straight after its stem only the endings of its adjectives and demonyms (:data:`DERIVED`:
``германский``, ``германец``) are forms: ``Германом``, of the first name Герман, is not Germany.
What endings cannot tell apart is another word made of the same stem and a real ending
(``кубом``, a cube, still reads as Cuba, ``Куба``).
"""
from __future__ import annotations

import functools

from readsearch.extract.fold import fold

_RU_ADJ = "ий ый ая яя ое ее ые ие ого его ому ему ым им ом ем ой ей ую юю ых их ыми ими"
_UK_ADJ = "ий ій а я е є і ого ього ому ьому им ім ої ій у ю их іх ими іми"

#: language -> the endings that make an adjective or a demonym of a name (украинской, российско-,
#: украинцы, германский, германец): the only ones a Slavic noun in -ия takes straight after its
#: stem (see :data:`KEEPS_LOST`)
DERIVED: dict[str, str] = {
    "ru": " ".join("ск" + e for e in ("о " + _RU_ADJ).split()) + " ец ца цу цем це цы цев цам цами цах",
    "uk": " ".join("ськ" + e for e in ("о " + _UK_ADJ).split()) + " ець ця цю цем ці ців цям цями цях",
    "be": "скі ская скае скія скага скаму скім скай скую скіх скімі ска",
    "bg": "ски ска ско ските ския ският ец ци",
}

#: language -> its endings (space-separated, in the language's own script)
ENDINGS: dict[str, str] = {
    # nouns and names (Сербии, Сербией, Лаврова, Лавровым, Вучичем, Китаем, Украине), adjectival
    # surnames (Зеленского), adjectives in -ск- (украинской, российско-), demonyms (украинцы)
    "ru": "а я у ю е и ы о ой ей ою ею ом ем ём ам ям ах ях ами ями ов ев ёв ью ьи ьей "
          + _RU_ADJ + " " + DERIVED["ru"],
    "uk": "а я у ю е є і и ї о ою ею єю ій ої ей ом ем єм ам ям ах ях ами ями ів їв "
          + _UK_ADJ + " " + DERIVED["uk"],
    "be": "а я у ю е э і ы о ой ёй ай яй ою ёю аю яю ом ем ём ам ям ах ях амі ямі аў яў еў оў "
          "ы і ая ае ія ага аму ім ым ай ую іх ых імі ымі " + DERIVED["be"],
    "kk": "ның нің дың дің тың тің ға ге қа ке на не а е ны ні ды ді ты ті н да де та те нда "
          "нде дан ден тан тен нан нен мен бен пен ы і сы сі лық лік дық дік тық тік",
    # Serbian in both scripts (Србији, Србијом, Вучићем; Srbiji, Vučićem)
    "sr": "а е и у о ом ем ој ама има ов ев ови еви ова ева ове еве ски ска ско ске ског ском "
          "ским ску ској ских скима ац ца ци",
    "bg": "а я ът ят та то те и ове еве ия " + DERIVED["bg"],
    "mk": "от ов он та ва на то во но те ви ни и ски ска ско ските скиот ската скиов ец ци",
    # Azerbaijani and Turkish: the endings that go after a consonant and after a vowel too
    # (Rusiyada, Azərbaycanda); the others in _AFTER_CONSONANT and _AFTER_VOWEL
    "az": "da də ta tə nda ndə dan dən tan tən ndan ndən ilə lı li lu lü dakı dəki ndakı ndəki",
    "tr": "da de ta te nda nde dan den tan ten ndan nden ile lı li lu lü daki deki ndaki ndeki",
    # Venäjän, Venäjällä; Suomen, Suomessa (a name in -i takes an e-stem)
    "fi": "n a ä ta tä ssa ssä sta stä lla llä lta ltä lle na nä ksi tta ttä an än en in on un "
          "yn aan ään een iin seen han hän hen hin essa essä esta estä ella ellä elta eltä elle "
          "ena enä eksi",
    # Sveriges, Ukrainas, Marockos; ukrainska, iranska, västsahariska, finländske; ukrainare
    "sv": "s es as os ns e a sk ska ske skt isk iska iske iskt ansk anska anske anskt "
          "are ares arna arnas",
    # Deutschlands, Serbiens; Ukrainer, ukrainischen
    "de": "s es ns ens e en n er ern ers erin erinnen isch ische ischen ischer isches ischem",
    # Rosji, Rosją, Rosję; Serbii, Serbią; Ukrainy, Ukrainie; ukraiński; Ławrowem
    "pl": "a e i y u o ą ę ie em om ami ach ów owi ego emu ej im ym ich ych imi ymi "
          "ski ska skie skiego skiej skim skich sko ńska ński ńskie ńskiego ńskiej ńskim ńskich",
    # Oroszországgal, Oroszországban, oroszországi; Szerbiával, Szerbiában
    "hu": "t ot et öt at nak nek val vel ban ben ba be ból ből ról ről ra re hoz hez höz on en "
          "ön n tól től nál nél ig ért ként i ai ei gal gel kal kel nal nel ral rel sal sel tal "
          "tel dal del lal lel mal mel zal zel",
    # Venemaaga, Venemaal, Venemaalt
    "et": "d t s st sse l le lt ga ks ni na ta id de te ile ilt il iga is ist isse",
    # Krievijas, Krievijai, Krieviju
    "lv": "a as ai u ā ām am s š is us i e es ei ē em iem os",
    # Rusijos, Rusijai, Rusiją, Rusijoje
    "lt": "a os ai ą oje oj as o ui u e ų ams ose ėje ės ei ę is io iui į iu yje y ys ių iams",
}

#: endings that only follow a consonant (Azərbaycana, Putinin, Əliyevə) ...
_AFTER_CONSONANT: dict[str, str] = {
    "az": "ı i u ü a ə ın in un ün la lə",
    "tr": "ı i u ü a e ın in un ün la le",
}
#: ... and those that only follow a vowel, after a buffer consonant (Rusiyanın, Rusiyaya): so
#: "Nijerya" is no form of "Nijer" (that is "Nijer'e")
_AFTER_VOWEL: dict[str, str] = {
    "az": "yı yi yu yü ya yə nı ni nu nü na nə nın nin nun nün yla ylə",
    "tr": "yı yi yu yü ya ye nı ni nu nü na ne nın nin nun nün yla yle",
}
_VOWELS = "aeiou"       # folded (ı -> i, ə -> e, ö -> o, ü -> u)

#: the folded ending of a Slavic noun in -ия (Russian, Bulgarian) or -ія (Ukrainian, Belarusian)
#: (Германия, Росія, Індія) that keeps its
#: first letter in every case (Германии, Германию, Германией; Росії, Росією): straight after the
#: stem come only :data:`DERIVED` endings, so Германом (of the first name Герман) is no form of it
KEEPS_LOST = "iya"


def _folded(words: str) -> frozenset[str]:
    return frozenset(f for f in map(fold, words.split()) if f)


@functools.lru_cache(maxsize=None)
def endings(lang: str, after: str = "") -> frozenset[str]:
    """The folded endings of ``lang`` that may follow the (folded) letter ``after`` (any letter
    when empty); empty for a language without any listed."""
    out = _folded(ENDINGS.get(lang, ""))
    if not after or after not in _VOWELS:
        out |= _folded(_AFTER_CONSONANT.get(lang, ""))
    if not after or after in _VOWELS:
        out |= _folded(_AFTER_VOWEL.get(lang, ""))
    return out


@functools.lru_cache(maxsize=4096)
def inflections(lost: str, lang: str, before: str = "") -> frozenset[str]:
    """What may follow a stem in a form of its name in ``lang``: a beginning of ``lost`` (the
    folded letters the stem lost, possibly none of them) then an ending of ``lang`` that may
    follow the letter before it (``before``: the stem's last letter, when the stem is followed
    by no lost letter). ``inflections("iya", "ru")`` holds ``ii``, ``iey``, ``iyu``, ``iyskoy``,
    ``a``; never the empty string, nor ``rade`` (Белграде is no form of Бельгия)."""
    bare = endings(lang, before[-1:])
    if lost == KEEPS_LOST and lang in DERIVED:
        bare = bare & _folded(DERIVED[lang])
    return frozenset(lost[:i] + e for i in range(len(lost) + 1)
                     for e in (bare if i == 0 else endings(lang, (before + lost[:i])[-1:])))
