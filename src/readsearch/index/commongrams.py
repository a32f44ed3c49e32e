"""The common words of readouts, for the word-pair (bigram) terms of the index.

A quoted phrase made of common words is expensive to verify by positions: every readout that has
all its words must have its positions decoded. The analyzer therefore also indexes, for each two
neighbouring words that are *both* in :data:`COMMON_KEYS`, one *pair term* (CommonGrams, as in
Lucene/Solr; see :mod:`readsearch.index.analysis`), and the query side turns such a pair of a
phrase into one term lookup. A pair with a rarer word gets no pair term: the rarer word's
shorter postings bound its positional check, and the index does not grow by every pair of the
text.

:data:`COMMON_WORDS` lists search keys (:func:`readsearch.folding.term_key`, so ``today`` is
``todai``), most frequent first: the 1,000 most frequent English content words of wordfreq
(Robyn Speer et al.; frequency data CC BY-SA 4.0, from Wikipedia, subtitles, news, books, web
text, Twitter and Reddit), English function words (``of``, ``the``: the query module's
``FUNCTION_WORDS``) left out; ``scripts/build_commongrams.py`` rebuilds it. General English on
purpose: no one corpus (and no benchmark corpus) decides which pairs an index holds. The first
:data:`PAIR_VOCABULARY` form pairs (``energy`` and ``security`` are in, ``minister`` is not).

Index cost: pair terms are 2.7% of the index tokens of 300 White House readouts and 2.0% of 300
readouts of the shared test corpus. (Pairs of all 1,000 keys and the function words made 40%
more tokens.) Phrases of rarer words and of function words keep the positional check.
The list is fixed: changing it changes which pair terms an index holds, so it comes with a new
``SCHEMA_VERSION``.
"""
from __future__ import annotations

#: the common keys, most frequent first
COMMON_WORDS: tuple[str, ...] = tuple("""
all one like time get new people now good first know see two make think back want go well said
wai even need realli right work iear iears dai going made still take got never life sai world
great last s best love man home long look something use same used both come part state three
alwais better find help high little old another own things game thing give house place scool
next mr end found sow big feel sure team famili keep please put monei free second someone awai
left number citi dais lot name night plai compani let real called different set thought however
getting god government group looking public top women business care start sistem times week
alreadi anithing case nothing person todai cange enough everithing full live making point read
told iet bad four hard mean once support tell including music power seen states stop water based
believe call head men national small took white came far job side tri went ies actualli american
later line order parti run sais service countri open season sit thank cildren everione general
tring united using area black d following law makes together war whole car face five kind maibe
president stori working course games health hope important least means news able book earli
friends information local oh post t thanks video ioung ago others social talk court fact given
guis half hand level mind often single become bodi coming control death food gui hours office
pai problem south true almost fuck histori known large lost m researc room several started
taking universiti win wrong anione else girl john matter pretti remember air bit friend hit
needs nice plaing probabli saing understand ieah iork class close comes idea international looks
past possible wanted b cause due happi human members months move question r series wait woman
ask communiti data late leave north saw special watc c either fucking future light low million
morning police sort stai taken age bui deal rather reason red report soon third turn ceck
development form further heart minutes miself services iourself act asked cild fire fun living
major media phone plaiers art building easi gonna market non plan political quite six talking
west works according available e education final former front kids list readi sometimes son
street bring college current example experience heard london meet program tipe babi cance father
marc process song studi word action clear gave gets himself month outside self students words
board cost cut dr field held instead main moment mother road seems thinking town wants de
department energi fight fine force hear issue plaied points price re rest results running sows
space summer term wife america beautiful date goes killed land miss project sex sot site strong
account co especialli eies include june parents period position record similar total w club
common died film happened knew lead likeli militari perfect personal securiti sare st tv won x
april center counti couple dead englis happen hold industri inside issues online plaier private
problems return rights sense star test view weeks break britis companies event higher hour l
member middle needed present result sorri takes training wis answer boi design finalli girls
gold gone guess interest juli king learn polici societi added al alone average bank brought
certain curc east hands hot longer medical movie original park performance press received role
sent themselves tried worked worth areas became bill books cool director exactli giving ground
meeting n provide questions relationsip september sound source usualli value evidence follow
lives official ok production rate reading round save stand stuff tax whatever amount blue
countries david drive eat fall fast federal feeling felt green league management matc model p
picture size step trust central canges england forward groups hei kei mom o page paid range
review science trade uk various attention brother cannot caracter cief cup football hate james
led looked lower natural october properti qualiti send stile u vote amazing august blood cina
complete dog economic hell involved itself language lord november oil related serious stage
terms title add article attack born damn decided decision enjoi entire frenc januari kill met
perhaps poor release situation tecnologi turned website written coice code considered continue
council cover currentli door election european events f financial foreign hair increase legal
lose micael pick race seem seven sign simple simpli staff super union walk wasington bed began
built career canged crazi daili daughter december die difficult figure hospital knows loss
modern ones paper parts popular publised safe starting sistems version voice writing armi
australia earth forget goal h huge internet listen okai practice rules sea sir success v waiting
wais access base created deep followed la lol mark missing offer pass professional released risk
scools sleep table ten truth ball box build card cases dark district europe george india mine
minister note percent piece products recent seeing straight visit wall wanna wrote allowed bois
culture etc fans februari gives growth included married officer pain paul places respect
response river rock speak specific standard tonight write album centuri carge cold create effect
eight except eie funni limited moving network peace provided recentli required sales spent store
student tomorrow track watcing weight addition ahead allow anti association beat brown capital
cinese committee conference difference double expect gas island moved normal plans population
potential pressure radio russian station text treatment western ass beginning california
campaign certainli completeli content credit cross described despite female focus g hi husband
ice individual interesting j join kept leading loved message miles nearli particular previous
quickli region reported section speed travel consider contact drop fair feet jesus kid link
positive sale throughout tour welcome absoluteli additional conditions earlier extra forces
immediateli jobs leaving minute nature numbers quick sell significant studies unless winning
agree canada clean computer construction episode favorite income justice levels manager movement
photo posted safeti san scene sold sounds spend statement sun teams abiliti announced asking
calling coac collection continued costs definiteli designed expected fridai gun happens heavi
includes knowledge particularli searc subject train wide
""".split())

#: how many of :data:`COMMON_WORDS` form pair terms
PAIR_VOCABULARY = 500

#: keys that form pair terms with each other
COMMON_KEYS: frozenset[str] = frozenset(COMMON_WORDS[:PAIR_VOCABULARY])
