"""Vocabularies for the speaker-label grammar (``labels.py``).

Generic words only: honorifics, honours, office nouns, party abbreviations as the
Hansards print them (English, and the Irish and Welsh office words the Oireachtas and
the Senedd print in English records). Never a name taken from a corpus.
Every set is compared case-folded, without dots.
"""

from __future__ import annotations

#: Titles that may precede a name.
PREFIX_TITLES: frozenset[str] = frozenset(
    """mr mrs ms miss mx master dr doctor prof professor sir dame lord lady baroness baron
    viscount earl duke countess hon honourable honorable rt right rev revd reverend father
    rabbi imam canon bishop archbishop cllr councillor alderman judge justice commander
    commissioner superintendent inspector sergeant sgt constable pc dc ds di dci dcs chief
    detective deputy assistant captain capt colonel col major lieutenant lt general gen
    admiral brigadier senator sen congressman congresswoman representative rep governor
    ambassador minister president madam mister chairman chairwoman chairperson delegate
    mayor premier mnr mev mej monsieur madame mme mlle herr frau senor senora
    councilmember councilman councilwoman alderwoman supervisor ald adm sec gov amb supt cmdr asst
    councilor assemblyman assemblywoman legislator selectman selectwoman assoc
    shri shrimati smt sushri kumari""".split()
)

#: Office nouns a council's or legislature's record prints before the holder's name as a title
#: ("Chair Williams", "Trustee Lopez", "Secretary Blinken"), after up to three qualifying words or
#: none ("Vice Chair Lee"): the office is read as the role. "Speaker" is not one of them: "Speaker
#: 2", "Speaker A" are anonymous voices.
TITLE_OFFICES: frozenset[str] = frozenset(
    """chair chairperson chairwoman chairman co-chair vice-chair director sheriff clerk trustee
    secretary treasurer coroner registrar comptroller auditor provost mayor governor president
    commissioner supervisor assemblymember
    präsident präsidentin vizepräsident vizepräsidentin alterspräsident alterspräsidentin
    bundeskanzler bundeskanzlerin bundesminister bundesministerin""".split()
)
#: Office nouns read so only after a qualifying word ("Council Member Brewer", "Ranking Member
#: Comer", "City Manager Jones", "Magistrate Judge Lopez"): alone first they are often not a
#: title ("Counsel Inquiry" is counsel to an inquiry).
QUALIFIED_OFFICES: frozenset[str] = frozenset(
    """member leader manager attorney advocate judge officer counsel administrator superintendent
    whip""".split()
)
#: Words that qualify such an office besides the office modifiers and body words ("Ranking Member",
#: "Town Clerk", "Public Advocate", "Senate President", "Magistrate Judge").
OFFICE_QUALIFIERS: frozenset[str] = frozenset(
    """ranking public senate house town village district state police managing magistrate
    associate presiding select standing special""".split()
)

#: Titles of address and degree (not offices): in a bracket of their own after a title
#: ("Hon. (Dr.) Jane Smith") they are more titles, where "(Chairman)" is a role.
ADDRESS_TITLES: frozenset[str] = frozenset(
    "mr mrs ms miss mx dr doctor prof professor sir dame rev revd reverend hon honourable honorable rt".split()
)

#: Titles of courtesy alone (no degree, rank or office): before an office noun they address
#: its holder ("Ms. Attorney", "Mr. Manager"), where "Dr Judge" may be a name.
COURTESY_TITLES: frozenset[str] = frozenset("mr mrs ms miss mx madam madame mister".split())

#: Personal titles: a bare surname carrying one of these is a person.
PERSONAL_TITLES: frozenset[str] = frozenset(
    """mr mrs ms miss mx dr doctor prof professor sir dame lord lady baroness senator mnr mev mej
    monsieur madame mme mlle herr frau senor senora
    cllr councillor justice judge representative congressman congresswoman general hon
    chairman chairwoman delegate shri shrimati smt sushri kumari sen rep councilor councilmember
    councilman councilwoman alderman alderwoman ald assemblyman assemblywoman""".split()
)

#: Honours and post-nominals that may follow a name (compared upper-case, without dots).
SUFFIX_HONOURS: frozenset[str] = frozenset(
    """AM AS MBE OBE CBE KBE DBE GBE CB CMG KCMG GCMG KCB GCB CH KC QC MP MSP MLA MEP MS
    JP DL BEM QPM KPM FRS FRSA FRENG FBA PHD DPHIL MD BT OM KG KT PC JR SR II III IV""".split()
)
#: Honours written in mixed case.
MIXED_CASE_HONOURS: frozenset[str] = frozenset({"PhD", "DPhil", "Bt", "FREng", "Jr", "Sr"})

#: Words that make a bracket part a role rather than an organisation or a place.
ROLE_WORDS: frozenset[str] = frozenset(
    """chair chairman chairwoman chairperson co-chair vice-chair director head officer
    manager member secretary minister adviser advisor chief executive president
    commissioner deputy lead coordinator co-ordinator inspector clerk speaker mayor
    councillor governor representative witness superintendent commander leader founder
    trustee editor professor lecturer researcher analyst consultant partner spokesperson
    ceo cfo coo cto principal convenor convener moderator host interviewer chairs
    constable assistant worker practitioner volunteer ambassador counsel solicitor
    barrister judge magistrate whip parliamentary individual councilmember councilman councilwoman
    alderman alderwoman supervisor""".split()
)

#: Words that make a name an organisation rather than a person.
ORGANISATION_WORDS: frozenset[str] = frozenset(
    """service services institute institution association trust council committee mission
    group agency foundation society office ltd limited plc inc llp llc company co charity
    charities partnership network centre center union board authority department ministry
    police prison prisons probation court courts tribunal tribunals university college school
    hospital nhs church project alliance coalition federation commission inspectorate
    assembly parliament government bank fund housing homes chaplaincy programme program
    team unit corporation club labs solutions consulting media news press borough city
    county council's agency's panel forum collective cic consortium directorate executive
    secretariat""".split()
)

#: Lower-case words allowed inside a person's name ("Ludwig van Beethoven").
NAME_PARTICLES: frozenset[str] = frozenset(
    "de van von der den da di du le la bin bint al el ibn y dos das del della st ter ten".split()
)

#: Lower-case words allowed inside an organisation's or an office's name ("Women in Prison").
NAME_CONNECTORS: frozenset[str] = frozenset(
    "of for and the in on at to & with de la du des pro tempore".split()
)

#: Nouns that name an office held by one person at a time ("The Chair", "Madam Deputy
#: Speaker", "The Minister for ...", "The PRESIDING OFFICER", "THE COURT").
OFFICE_NOUNS: frozenset[str] = frozenset(
    """chair chairman chairwoman chairperson speaker president officer clerk minister
    secretary convener convenor mayor governor leader whip advocate solicitor attorney
    registrar commissioner moderator host interviewer presenter court judge justice
    chancellor premier treasurer ombudsman recorder coroner sheriff provost usher
    sergeant-at-arms auditor comptroller interpreter witness videographer bailiff reporter
    stenographer transcriber foreperson juror marshal crier examiner arbitrator
    mediator referee facilitator defendant plaintiff petitioner respondent appellant appellee claimant
    prosecutor operator
    comhairle cathaoirleach chathaoirleach taoiseach tánaiste tanaiste llywydd lywydd""".split()
)

#: Words that qualify an office ("Deputy", "Acting", "Parliamentary Under-").
OFFICE_MODIFIERS: frozenset[str] = frozenset(
    """deputy acting vice assistant chief first prime principal senior junior parliamentary
    presiding temporary under shadow cabinet lord lords general financial permanent
    majority minority committee
    ceann cheann leas gníomhach gniomhach dirprwy""".split()
)

#: Leading words of an office-first label ("The Chair", "Madam Deputy Speaker", "Hon. Speaker", the
#: Irish "An Ceann Comhairle", the Welsh "Y Llywydd").
OFFICE_LEADS: frozenset[str] = frozenset("the madam madame mr mister an y hon honourable honorable".split())
#: Articles: an office-first label opening with one names an office when an office noun
#: is anywhere in it ("The Minister for ...", "An Cathaoirleach Gníomhach").
ARTICLES: frozenset[str] = frozenset("the an y".split())

#: Plural nouns that name a group rather than a person ("Hon. Members", "Several Senators").
GROUP_NOUNS: frozenset[str] = frozenset(
    """members member lords peers senators councillors delegates deputies voices participants
    speakers audience people witnesses students attendees crosstalk all everyone""".split()
)
#: Words that may precede a group noun ("Several hon. Members", "An hon. Member").
GROUP_QUALIFIERS: frozenset[str] = frozenset(
    """several some many other all both an a the two three various hon honourable honorable
    right rt noble gallant learned opposition government multiple unidentified unknown
    audience""".split()
)
#: Nouns for a body of people that speaks as one ("The Jury", "THE PANEL", "The Gallery"):
#: a group after a group qualifier ("The", "Whole"), never alone ("Panel: ..." heads a list).
COLLECTIVE_NOUNS: frozenset[str] = frozenset("jury panel gallery crowd chorus choir congregation".split())
#: Nouns that are the same in the singular and the plural ("counsel", "staff"): a group only
#: after a word that counts more than one ("ALL COUNSEL", "Both counsel"); "Counsel:" is one.
INVARIANT_NOUNS: frozenset[str] = frozenset("counsel staff personnel crew".split())
#: Words that count more than one.
PLURAL_QUANTIFIERS: frozenset[str] = frozenset(
    "all both several many multiple various some two three four other".split()
)

#: Titles that tell a man ("Mr", "Sir", "Herr") or a woman ("Ms", "Mrs", "Dame"): "Mr Thompson"
#: and "Ms Thompson" in one record are two people. Titles that do not ("Dr", "Senator",
#: "Chairman", used for either) are in neither.
MALE_TITLES: frozenset[str] = frozenset(
    "mr mister sir lord master mnr monsieur herr senor shri congressman councilman assemblyman selectman".split()
)
FEMALE_TITLES: frozenset[str] = frozenset(
    """mrs ms miss madam madame dame lady baroness countess mev mej mme mlle frau senora shrimati smt
    sushri kumari congresswoman councilwoman assemblywoman selectwoman alderwoman chairwoman""".split()
)

#: Labels that name nobody in particular.
UNKNOWN_SPEAKERS: frozenset[str] = frozenset(
    {"unknown", "unidentified", "inaudible", "unknown speaker", "unidentified speaker", "voice",
     "off mic", "off-mic", "unknown male", "unknown female", "multiple speakers", "crosstalk",
     "member of the public", "a member of the public", "members of the public", "public speaker"}
)
#: First words of a label that names nobody ("UNIDENTIFIED MALE", "Unknown Speaker 2",
#: "UNIDENTIFIED FEMALE SPEAKER"), as broadcast and machine transcripts print them.
UNKNOWN_LEADS: frozenset[str] = frozenset("unknown unidentified unnamed anonymous".split())

#: Words that start a line "X:" in minutes without naming a speaker.
NON_SPEAKER_LABELS: frozenset[str] = frozenset(
    """resolved agreed present apologies apology absent attendance attending note notes nb
    action actions decision decisions outcome minute minutes item items agenda ordered
    motion amendment division ayes noes result results vote votes carried lost proposed
    seconded subject re date time venue location place purpose summary background
    recommendation recommendations conclusion conclusions proposal update status owner
    deadline source sources see also declarations declaration interests substitutes
    substitute observers officers staff quorum witnesses""".split()
)

#: Party names and abbreviations as legislatures print them in brackets ("(Lab)",
#: "(Guelph, Lib.)", "(R)"): compared case-folded, without dots.
PARTY_WORDS: frozenset[str] = frozenset(
    """lab con ld lib libdem snp pc dup sdlp uup alba ind green greens reform ukip spkr cb bp
    co-op lab/co-op labcoop cpc ndp bq gp d r i dfl
    labour labor conservative conservatives liberal liberals democrat democrats democratic
    republican republicans independent independents socialist unionist nationalist
    national nationals party crossbench crossbencher non-affiliated alp lnp lp nats""".split()
)

#: Lines of minutes that record the meeting, not anyone's words: they start a passage
#: with no speaker ("RESOLVED: That the report be noted.", "Present: Cllr A, Cllr B").
MINUTES_LINES: frozenset[str] = frozenset(
    """resolved agreed present apologies apology absent attendance attending ordered carried
    lost decision decisions action actions outcome division vote votes result witnesses""".split()
)

#: Divisions of a text (a bill, an act, a report): "Part II", "Clauses 10 and 11", "Schedule 2" head a
#: division of the text under debate, never a speaker.
TEXT_DIVISIONS: frozenset[str] = frozenset(
    """part parts clause clauses schedule schedules section sections chapter chapters article articles""".split()
)

#: Words that never open a name or a label: "By Mr. WELLSTONE:" introduces a bill, "For
#: the Committee:" a signature, "In London:" a place.
NOT_NAME_STARTS: frozenset[str] = frozenset(
    """by for from to in on at with and but or if when where while as of per via under
    after before during between about against""".split()
)

#: Words that open a sentence but never a name printed without a title ("This Committee
#: advised", "Each Member asked"): minutes read "Roger Harris asked" as a person's words only
#: when the first word is none of these.
NOT_FIRST_NAMES: frozenset[str] = frozenset(
    """this that these those it its he she they we there here his her their our your each every
    both any all some no not also then when thus following further members""".split()
)
#: Capitals that are words, not initials ("A Resident asked", "AN Other").
WORD_INITIALS: frozenset[str] = frozenset(
    """a i an as at by if in is it no of on or so to up us we the and for all any""".split()
)
