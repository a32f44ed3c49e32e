"""The common words of readouts, for the word-pair (bigram) terms of the index.

A quoted phrase made of common words is expensive to verify by positions: every readout that has
all its words must have its positions decoded. The analyzer therefore also indexes, for each two
neighbouring words that are *both* in :data:`COMMON_KEYS`, one *pair term* (CommonGrams, as in
Lucene/Solr; see :mod:`readsearch.index.analysis`), and the query side turns such a pair of a
phrase into one term lookup. A pair with a rarer word gets no pair term: the rarer word's
shorter postings bound its positional check, and the index does not grow by every pair of the
text.

:data:`COMMON_WORDS` lists search keys (:func:`readsearch.folding.term_key`, so ``today`` is
``todai``), most frequent first: the 1,000 keys found in the most readouts of the 14,365 White
House readouts of the benchmark corpus, English function words (``of``, ``the``: the query
module's ``FUNCTION_WORDS``) left out. The first :data:`PAIR_VOCABULARY` form pairs (document
frequency 1,947 and more, about 14%: ``energy`` and ``security`` are in).

Index cost, measured by indexing 2,000 of those readouts: pairs of all of the 1,000 most
frequent keys, function words included, made 40% more index tokens and the index 80% larger;
without function words, 7% more tokens and 32% larger; with the first 500 (this setting),
3.5% more tokens. Phrases of function words are rare in queries and keep the positional check.
The list is fixed: changing it changes which pair terms an index holds, so it comes with a new
``SCHEMA_VERSION``.
"""
from __future__ import annotations

#: the common keys, most frequent first
COMMON_WORDS: tuple[str, ...] = tuple("""
president states united todai all biden including people national american administration work
new first america support iear securiti one state iears countri two time well make federal
continue now law act government americans working made house world help public dai nation office
need together economic take department 1 like efforts last white leaders health families right
long ensure part good million commitment provide future communities action back know making
order wai get congress communiti critical polici both end 2 build thank address protect access
secretari plan important 000 leadersip next executive use high additional going home members
economi vice three better lives want come see international further even said dais forward im
based 3 call billion progress histori set taking historic actions look energi 5 building
infrastructure service increase private global partners announced go 10 care let local famili
committed jobs cange rights opportuniti same funding assistance countries keep defense best sai
think number full put week clear resources great able program create development foreign
information services alreadi general human programs weve dont significant still life power
nearli four r investment meet strong needs 50 own sure percent second women everione taken past
workers 4 give ago strengthen crisis climate cildren harris safeti signed month place issues
officials kei bring close another jr things sare agenci major free term months safe 20 militari
30 pm justice sistem meeting callenges available coming laws never level costs authoriti lead
pandemic partnersip steps joseph business advance alwais took used include agencies war
supporting response believe includes investments providing theire middle fact millions following
suppli lot process times effort ive person areas 19 expand realli possible stand wasington
capaciti thanks respect impact trump five emergenci ioure hard 100 bipartisan issue got seen
point real cost open fight talk ensuring sared mean related means education force risk others
companies called led start something far small opportunities worked everithing 12 tecnologi
council mr example throughout reduce role director getting 7 job ill big met 2021 sector deal
addition individuals management scool especialli policies businesses organizations little 2022
pai leading nations group face largest covid senior improve line needed course once deliver tell
secure nothing 6 focus thing earlier provided helping decades top moment understand focused
region terms agenda continuing kind serve threat importance ahead domestic violence continues
senate whole thousands wais potential union abiliti clean ukraine freedom 15 hope half necessari
leader benefits looking recent benefit ongoing team report south move later democraci step
member certain came dollars political iouve cant hand protection 8 stop data prevent fulli lower
different direct hold find given talking center using least fighting special food remain plans
several date januari record measures growth heard civil ioung weeks iet labor ask earli range
appropriate live sistems initiative peace honor matter room low created beginning saing often
continued 2023 bill held protecting remember budget effective democratic equiti awai decision
manufacturing russia operations 11 enforcement cooperation legislation constitution approac
single fair reac investing financial discuss folks recoveri paing consistent strategi anithing
saw discussed strengthening proud actualli trade allies promise particular everibodi ies q
finalli comes creating six directli staff asked question particularli governments 40 speak
industri promote hear j invest increasing addressing science researc makes expanding non
minister result air spoke advisor social increased entire didnt left inflation edt sort tring
senator reason news cild leave 2024 north affordable activities allow okai agreement control
quickli donald recentli generation wanted helped tax iesterdai court case laughter seeing
interest 9 passed pass monei qualiti goal class visit strategic talked essential turn threats
marc happen 25 therefore prioriti republicans position inaudible partner lost large currentli
strength specific press third remains current training resilience water extraordinari bringing
questions feel rescue iork follow bit regional morning soon section cina almost reduction joe
herebi enough welcome ground projects situation growing head independence higher rule provides d
save launced went doesnt raise decisions cut friends rate subject forces engagement institutions
prime ones experience closeli medical hundreds moving practices affairs existing ieah cannot
citizens view couple innovation scools black join market started develop period homeland parti
implement standing received healthcare love hundred values told become workforce summit readi
production highest happened fund students review relief prior encourage sense released god east
california advancing 2020 stronger intelligence guis tools themselves tri defend border
specificalli presidential funds happening longer career 500 interests former putting board stai
id travel coordination basis relationsip common april respond comprehensive sow vested please
issued college majoriti cief implementation facilities responsible citi alone transportation
recognize dc levels personal legal greater delivering homes understanding prices mentioned
elected begin establised total income theive joint conditions faith environmental path housing
thousand message 200 receive june afternoon concerns september sign serious vision priorities 60
prosperiti side joining gov commerce republican emploiees else drug directed saring october
departments vote tomorrow s table committee standards found digniti known grow 2025 republic
tecnologies juli effect rules guidance built true calling groups bottom front pacific plai
combat send 13 giving humanitarian engage answer campaign add stabiliti cases living identifi
central previous attack john served governor area old multiple conversation average callenge
included expect goals results congressional places attornei 18 gas democrats commitments
announcement attacks brought thought impacts cains 14 societi works require offer due credit
hours officers exactli twenti spent mission b takes sais idea age starting foundation purpose 16
required planning happi matters either release centers generations 24 reducing assistant sent
proposed involved anione advanced drive announce media fundamental ms determined individual
november concern cain applause land december election outside commission maibe acieve update
wont laughs incredible oh initiatives canges announcing serving facing vital responsibiliti
joined personnel paid obviousli return engaged enhance weapons project price treasuri
legislative read run parents goes asking agree expanded co 90 eligible improving final products
launc troops night supported likeli instead heart men event someone partnersips wants affected
establis transition russian difficult cance environment experts sorri official celebrate
discussion hell events universiti tecnical seek promoting tribal prepared stori bilateral
requirements loved havent district prevention organization statement resilient words restore
calls dr
""".split())

#: how many of :data:`COMMON_WORDS` form pair terms
PAIR_VOCABULARY = 500

#: keys that form pair terms with each other
COMMON_KEYS: frozenset[str] = frozenset(COMMON_WORDS[:PAIR_VOCABULARY])
