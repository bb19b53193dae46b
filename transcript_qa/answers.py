"""Answers to factual questions: the shortest span of a passage that answers.

Extractive and model-free. A question asking "how many / how much / what
percentage / when / how long / who is ..." wants a value of one kind
(:func:`asked_for`); every hit's text (and the footnotes it cites) is scanned
for values of that kind with a small regular grammar (:func:`candidates`):

========== ===================================================================
kind       what counts, e.g.
========== ===================================================================
quantity   a number (digits or words, ranges, "over", "almost", "up to" ...)
           with the noun it counts: "755 vacancies", "35 to 40 cases"
money      "£367,628", "over £462 million", "£1.2m", "$5bn"
percent    "13 per cent", "52%", "over 60 per cent", "half"
amount     money, percent or quantity ("how much ...", "what was the value")
date       "1 April 2020", "December 2019", "autumn 2022", "2026",
           "the end of the year [2022]"
duration   "28 years", "six to seven months", "up to 84 nights", "900 pages"
person     two to four capitalised words that are not an organisation or a
           place: "Richard Oldfield", "Lucy Frazer" (titles and honours
           left out)
========== ===================================================================

A value is not an answer when the question itself states it ("in August
2022" for "how many ... in August 2022"), when it labels something ("Band 3",
"paragraph 46", "Recommendation 12") or is part of a date or a time. Each
candidate is scored by the question's terms around it: the summed weight of
the distinct query terms in its sentence, decaying with their distance in
words, as a share of all the query's weight (:func:`score_candidate`); the
best candidate of a passage is its answer when that share reaches
:data:`MIN_SHARE`. The answer of the question is the best one over the hits,
its share weighed by the hit's score relative to the first hit's.

Only ``re`` and the package's own types: cheap on the query path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterable, Sequence

from transcript_qa.analysis import is_reference
from transcript_qa.hits import part_weights
from transcript_qa.model import AnswerSpan, Hit
from transcript_qa.query import SPEECH_WORDS

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index
    from transcript_qa.query import QueryVector

#: A passage's best candidate answers only when the question's terms around it
#: weigh at least this share of the question's weight (chosen by cross-validation, benchmarks/tune.py).
MIN_SHARE = 0.15
#: Words over which a query term's support for a candidate halves.
HALF_DISTANCE = 8.0
#: Support of a query term found in another sentence of the passage (times its decay).
OTHER_SENTENCE = 0.25
#: How much the hit's rank counts in choosing the question's answer:
#: share * (hit score / first hit score) ** RANK_WEIGHT.
RANK_WEIGHT = 1.0

# --------------------------------------------------------------------------- the grammar

_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
         r"sixteen|seventeen|eighteen|nineteen)"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|" \
        r"eight|nine))?"
_WORD_NUMBER = (r"(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:hundred|thousand|million|billion)"
                r"|" + _TENS + r"|" + _UNITS + r"|a\s+dozen|dozens|hundreds|thousands)")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = r"(?:(?:" + _DIGITS + r")(?:\s?(?:bn|billion|m|million|k|thousand|trillion)\b)?|" + _WORD_NUMBER + r")"
_RANGE = _NUMBER + r"(?:\s*(?:to|-|–|or)\s*" + _NUMBER + r")?"
_MOD = (r"(?:(?:well\s+|just\s+)?(?:over|under|above|below)|more\s+than|less\s+than|fewer\s+than|almost|nearly|around|"
        r"about|approximately|roughly|up\s+to|at\s+least|at\s+most|as\s+many\s+as|as\s+much\s+as|in\s+excess\s+of)\s+")
_BETWEEN = r"between\s+" + _NUMBER + r"\s+and\s+" + _NUMBER
_MONTH = (r"(?<![A-Za-z])(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?![A-Za-z])\.?")
_SEASON = r"(?<![A-Za-z])(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter|[Cc]hristmas|[Ee]aster)(?![A-Za-z])"
_YEAR = r"(?:1[89]|20)\d{2}"
_EDITORIAL_YEAR = r"(?:\s*\[" + _YEAR + r"\])?"
_B = r"(?<![\w£$€.,/])"  # no letter, digit or currency right before
_E = r"(?![\w/]|[.,]\d)"  # no letter or digit right after

_MONEY_RE = re.compile(
    _B + r"(?:" + _MOD + r")?(?:[£$€]\s?(?:" + _DIGITS + r")(?:\s?(?:bn|billion|m|million|k|thousand|trillion)\b)?"
    r"|(?:" + _DIGITS + r")\s?(?:pounds|dollars|euros)\b)" + _E, re.I)
_PERCENT_RE = re.compile(
    _B + r"(?:" + _MOD + r")?(?:" + _RANGE + r")\s?(?:%|per\s?cent\b|percent\b|percentage\s+points?\b)"
    r"|\b(?:(?:more|less)\s+than\s+)?(?:half|a\s+third|two\s+thirds|a\s+quarter|three\s+quarters|"
    r"a\s+fifth)\b(?!\s+(?:an?|the)\s+(?:hour|day|week|month|year))", re.I)
_DATE_RE = re.compile(
    r"(?:(?:the\s+)?(?:end|start|beginning|middle|turn)\s+of\s+(?:the\s+|this\s+|next\s+)?"
    r"(?:year|month|summer|autumn|winter|spring|decade|" + _YEAR + r")" + _EDITORIAL_YEAR +
    r"|(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?" + _MONTH + r"(?:,?\s+(?:of\s+)?" + _YEAR + r")?" + _EDITORIAL_YEAR +
    r"|" + _SEASON + r"(?:\s+(?:of\s+)?" + _YEAR + r")?" + _EDITORIAL_YEAR +
    r"|\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|\b" + _YEAR + r"-\d{2}-\d{2}\b"
    r"|\b" + _YEAR + r"(?:\s*[-–/]\s*(?:\d{2}|" + _YEAR + r"))?" + _E + r")",
)
_TIME_UNITS = r"(?:years?|months?|weeks?|days?|nights?|hours?|minutes?|decades?|centuries|century)"
_LENGTH_UNITS = r"(?:pages?|words?|miles?|kilometres?|km|metres?|meters?)"
_DURATION_RE = re.compile(
    _B + r"(?:(?:" + _MOD + r")?(?:" + _RANGE + r")|" + _BETWEEN + r"|an?|several|a\s+few|many)\s+"
    r"(?:more\s+|full\s+|calendar\s+)?(?:" + _TIME_UNITS + r"|" + _LENGTH_UNITS + r")\b", re.I)
_QUANTITY_RE = re.compile(_B + r"(?:(?:" + _MOD + r")?(?:" + _RANGE + r")|" + _BETWEEN + r")" + _E, re.I)
_TIME_OF_DAY = re.compile(r"\s*(?:am|pm|a\.m\.|p\.m\.)\b", re.I)
#: A number right after one of these labels something: "Band 3", "paragraph 46".
_LABELS = frozenset(
    """paragraph paragraphs para paras page pages section sections recommendation recommendations chapter
    band tier module category item items number no level levels annex appendix part schedule rule article
    clause line lines figure table question questions q step stage phase grade""".split()
)

_NAME_TITLES = frozenset(
    """mr mrs ms miss mx dr doctor prof professor sir dame lord lady baroness baron rt hon right honourable
    cllr councillor commander""".split()
)
_HONOURS = frozenset("am mp msp ms mla mep kc qc obe mbe cbe kbe dbe cb jp phd".split())
#: Capitalised words that make a run of them an organisation, a place, a
#: document or a time rather than a person.
_NOT_NAME_WORDS = frozenset(
    """the a an this that these those it its in on at of for by to and or but with from as is was were be we
    i you he she they our their his her my your if when what which who where why how yes no not thank thanks
    okay ok so then there here also however therefore although because while well now today yesterday
    service services committee council board office department association group trust fund plan act review
    report reports inquiry government ministry probation prison prisons police crime justice court courts
    agency unit team centre center framework protocol strategy programme program scheme commission university
    college school schools hospital nhs majesty majesty's street road house london england scotland wales
    britain kingdom uk united states europe european assembly mayor chair chairman director minister
    secretary commissioner health national public local regional central city county borough network forum
    panel institute society foundation partnership partnerships project initiative company companies limited
    ltd plc bank treasury parliament cabinet party labour conservative conservatives liberal democrats greens
    council's covid coronavirus january february march april may june july august september october
    november december monday tuesday wednesday thursday friday saturday sunday spring summer autumn winter
    north south east west northern southern eastern western who mps amendment amendments bill bills
    legislation regulation regulations announcement announcements motion motions clause clauses section sections
    article articles chapter schedule resolution resolutions statement statements standing order orders""".split()
)
_CAP_WORD = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?|Mc[A-Z][a-z]+|O['’][A-Z][a-z]+|[A-Z]\.)"
_PERSON_RE = re.compile(r"(?<![\w'’])" + _CAP_WORD + r"(?:[ \t]+(?:(?:de|van|von|der|le|la|du)[ \t]+)?" + _CAP_WORD + r"){1,3}"
                        r"(?![\w'’])")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    kind: str  # quantity, money, percent, date, duration, person

    def text(self, source: str) -> str:
        return source[self.start:self.end]


# --------------------------------------------------------------------------- what is asked


_ASKS = (
    ("percent", re.compile(r"\b(?:what|which)\s+(?:\w+\s+){0,4}?(?:percentage|proportion|share|fraction|percent|"
                           r"per\s+cent|rate)\b|\bhow\s+(?:high|low)\s+(?:\w+\s+){0,3}?rate\b", re.I)),
    ("duration", re.compile(r"\bhow\s+long\b|\bhow\s+many\s+(?:more\s+)?" + _TIME_UNITS + r"\b|"
                            r"\bfor\s+how\s+(?:long|many)\b", re.I)),
    ("date", re.compile(r"^\W*(?:(?:and|so|but|since|until|till|by|from|before|after)\s+)?when\b|"
                        r"\b(?:what|which)\s+(?:date|year|day|month|time|season)\b|\b(?:since|until|till|by)\s+when\b",
                        re.I)),
    ("amount", re.compile(r"\bhow\s+(?:much|big|large|small)\b|\b(?:what|which)\s+(?:is|was|were|are|will\s+be)\s+"
                          r"(?:the\s+)?(?:\w+\s+){0,3}?(?:value|cost|costs|price|budget|amount|spend|spending|worth|"
                          r"total|size|figure|sum|fee|fees|salary|pay|deficit|debt)\b", re.I)),
    ("quantity", re.compile(r"\bhow\s+many\b|\b(?:what|which)\s+(?:is|was|were|are)\s+the\s+(?:\w+\s+)?number\b",
                            re.I)),
    ("person", re.compile(r"^\W*who(?:m)?\b|^\W*(?:what\s+is\s+the\s+name|which\s+person)\b", re.I)),
)
#: Candidate kinds accepted for each kind asked.
ACCEPTS = {
    "quantity": ("quantity",),
    "money": ("money",),
    "percent": ("percent",),
    "amount": ("money", "percent", "quantity"),
    "date": ("date",),
    "duration": ("duration",),
    "person": ("person",),
}
#: Preference among the kinds an "amount" accepts (a bare number answers "how much" least).
_PRIOR = {"quantity": 0.7}


def asked_for(question: str, speech: bool = False) -> str | None:
    """The kind of value a factual question asks for, or None.

    ``speech``: the question asks what people said ("who discussed ...");
    then "who" asks for speakers (the speaker ranking answers it), not a name
    in a passage.

    >>> asked_for("How many vacancies did the London Probation Service have?")
    'quantity'
    >>> asked_for("When will the annual review be presented?"), asked_for("What is the leaving rate?")
    ('date', 'percent')
    >>> asked_for("Who discussed CAS3?", speech=True) is None
    True
    """
    for kind, pattern in _ASKS:
        if pattern.search(question):
            if kind == "person" and speech:
                return None
            if kind == "amount" and re.search(r"[£$€]|\b(?:spen[dt]|cost|pay|paid|fund|budget|worth|value|price)",
                                              question, re.I) and not re.search(r"\b(?:cut|fall|fell|rise|rose|"
                                                                                r"drop|increase|decrease)", question, re.I):
                return "money" if re.search(r"[£$€]|spen[dt]|cost|paid|worth|value|price", question, re.I) else kind
            return kind
    return None


# --------------------------------------------------------------------------- candidates


def candidates(text: str, kind: str, known_names: Iterable[str] = ()) -> list[Candidate]:
    """Spans of ``text`` holding a value of ``kind`` (one of :data:`ACCEPTS`' keys)."""
    wanted = ACCEPTS[kind]
    dates = [(m.start(), m.end()) for m in _DATE_RE.finditer(text)]
    out: list[Candidate] = []
    if "date" in wanted:
        out += [Candidate(a, b, "date") for a, b in dates
                if not _is_label(text, a) and not _is_time(text, b) and _dated(text, a, b)]
    if "money" in wanted:
        out += [Candidate(*m.span(), "money") for m in _MONEY_RE.finditer(text)]
    if "percent" in wanted:
        out += [Candidate(*m.span(), "percent") for m in _PERCENT_RE.finditer(text)]
    if "duration" in wanted:
        out += [Candidate(*m.span(), "duration") for m in _DURATION_RE.finditer(text)]
    if "quantity" in wanted:
        taken = dates + [(m.start(), m.end()) for m in _MONEY_RE.finditer(text)] + \
            [(m.start(), m.end()) for m in _PERCENT_RE.finditer(text)]
        for m in _QUANTITY_RE.finditer(text):
            a, b = m.span()
            if any(x < b and a < y for x, y in taken) or _is_label(text, a) or _is_time(text, b):
                continue
            end = _with_noun(text, b)
            if end == b and not any(c.isdigit() for c in text[a:b]):
                continue  # "one", "a dozen": a number in words counts only with its noun
            out.append(Candidate(a, end, "quantity"))
    if "person" in wanted:
        out += _people(text, known_names)
    return out


_BARE_MONTH = re.compile(r"(?:" + _MONTH + r"|" + _SEASON + r")" + _EDITORIAL_YEAR + r"$")
_DATE_PREPOSITIONS = frozenset("in by from since until till before after of during early late mid next last this "
                               "the until end start".split())


def _dated(text: str, start: int, end: int) -> bool:
    """A month or season alone ("May", "spring") is a date only after a
    preposition ("in May", "by the spring"): "May we have ..." is not."""
    if not _BARE_MONTH.match(text[start:end]):
        return True
    before = re.search(r"([A-Za-z]+)[ \t]+$", text[max(0, start - 16):start])
    return bool(before) and before.group(1).lower() in _DATE_PREPOSITIONS


def _is_label(text: str, start: int) -> bool:
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 16):start])
    return bool(before) and before[-1].lower() in _LABELS and text[max(0, start - 16):start].rstrip()[-1:].isalpha()


def _is_time(text: str, end: int) -> bool:
    return bool(_TIME_OF_DAY.match(text, end))


_NOUN_RE = re.compile(r"\s+([a-z][a-z'’-]*)")


def _with_noun(text: str, end: int) -> int:
    """Extend a number over the plural noun it counts ("755 vacancies"), and
    the words between (at most two more: "141 high-risk offenders")."""
    pos, best = end, end
    for _ in range(3):
        m = _NOUN_RE.match(text, pos)
        if not m or m.group(1) in _STOP:
            break
        word = m.group(1)
        pos = m.end()
        if word in _PLURALS or (word.endswith("s") and not word.endswith(("ss", "'s", "’s", "us", "is"))):
            best = pos
            break
    return best


#: Plural nouns without an "s".
_PLURALS = frozenset("people staff personnel children women men police data media criteria feet teeth".split())
_STOP = frozenset(
    """a an the of to in on at by for from with and or but is are was were be been has have had will would
    do does did not no this that these those it its as than then so up out over per each every who which""".split()
)


def _people(text: str, known_names: Iterable[str]) -> list[Candidate]:
    out = []
    for m in _PERSON_RE.finditer(text):
        words = m.group().split()
        start, end = m.start(), m.end()
        # drop titles at the front and honours at the back ("Sir", "KC MP")
        while words and words[0].lower().rstrip(".") in _NAME_TITLES:
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else end
            words = words[1:]
        while words and words[-1].lower().rstrip(".") in _HONOURS:
            end = text.rindex(words[-1], start, end)
            end = len(text[:end].rstrip())
            words = words[:-1]
        if len(words) < 2 or any(w.lower().rstrip(".") in _NOT_NAME_WORDS for w in words):
            continue
        out.append(Candidate(start, end, "person"))
    seen = {(c.start, c.end) for c in out}
    lowered = text.lower()
    for name in known_names:
        if " " not in name or name.casefold().startswith("the "):
            continue  # a surname alone, or an office or a side ("The Court", "the witness"): not a name to answer
        for m in re.finditer(r"(?<!\w)" + re.escape(name.lower()) + r"(?!\w)", lowered):
            if m.span() not in seen:
                out.append(Candidate(m.start(), m.end(), "person"))
    return out


# --------------------------------------------------------------------------- scoring

_SENTENCE_END = re.compile(r"[.!?;\n]+[\"'”’)\]]*\s|\n")
_WORD = re.compile(r"[^\W_]+")


def score_candidate(text: str, cand: Candidate, found: Sequence[tuple[str, int, int]],
                    weights: dict[str, float], total: float) -> float:
    """Share of the question's weight supporting ``cand``: each distinct query
    term found in the text (``found``: (term, start, end)) counts its weight
    times 2 ** -(words between it and the candidate / HALF_DISTANCE), times
    OTHER_SENTENCE when it is in another sentence."""
    if total <= 0:
        return 0.0
    lo = _sentence_start(text, cand.start)
    hi = _sentence_end(text, cand.end)
    best: dict[str, float] = {}
    for term, a, b in found:
        if a >= cand.start and b <= cand.end:
            gap = 0
        elif b <= cand.start:
            gap = len(_WORD.findall(text, b, cand.start))
        else:
            gap = len(_WORD.findall(text, cand.end, a))
        value = weights.get(term, 0.0) * 2.0 ** (-gap / HALF_DISTANCE)
        if a < lo or b > hi:
            value *= OTHER_SENTENCE
        if value > best.get(term, 0.0):
            best[term] = value
    return sum(best.values()) / total


def _sentence_start(text: str, pos: int) -> int:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    return start


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos)
    return m.start() if m else len(text)


def _value_key(text: str) -> str:
    """A value as written, for comparing with the question's own values."""
    return re.sub(r"[\s,]|per\s?cent|percent", "", text.lower()).replace("£", "").lstrip("~")


def _question_values(question: str, kind: str) -> set[str]:
    values = set()
    for c in candidates(question, "amount") + candidates(question, "date") + candidates(question, "duration"):
        values.add(_value_key(c.text(question)))
        values.update(re.findall(r"\d[\d,.]*", c.text(question).replace(",", "")))
    if kind == "person":
        values.update(_value_key(c.text(question)) for c in _people(question, ()))
    return values


def _numbers_of(text: str) -> set[str]:
    return set(re.findall(r"\d[\d.]*", text.replace(",", "")))


def _fact_spans(citation: str) -> list[tuple[int, int]]:
    """Where a passage's footnotes state facts (not their source references,
    :func:`transcript_qa.analysis.cited_facts`)."""
    out = []
    for line in re.finditer(r"[^\n]+", citation):
        pos = line.start()
        for item in line.group().split(";"):
            if item.strip() and not is_reference(re.sub(r"^\s*[\u00b9\u00b2\u00b3\u2070-\u2079\d]+\s+", "", item)):
                out.append((pos, pos + len(item)))
            pos += len(item) + 1
    return out


def passage_answer(index: "Index", passage_text: str, kind: str, weights: dict[str, float], total: float,
                   question_values: set[str], known_names: Sequence[str] = (),
                   field: str = "text", passage_id: str = "",
                   only: frozenset[str] | None = None) -> tuple[AnswerSpan, float] | None:
    """The best answer of ``kind`` in a text and its share, or None. In a
    footnote (``field="citation"``) only the facts count, not the sources.
    ``only``: the answers allowed (case-folded), when the question says who it wants."""
    cands = candidates(passage_text, kind, known_names)
    if only is not None:
        cands = [c for c in cands if c.text(passage_text).casefold() in only]
    if field == "citation":
        facts = _fact_spans(passage_text)
        cands = [c for c in cands if any(a <= c.start and c.end <= b for a, b in facts)]
    if not cands:
        return None
    found = index.analyzer.spans(passage_text, weights.keys())
    best: tuple[float, int, Candidate] | None = None
    for cand in cands:
        surface = cand.text(passage_text)
        key = _value_key(surface)
        if key in question_values or (cand.kind in ("quantity", "date") and _numbers_of(surface)
                                      and _numbers_of(surface) <= question_values):
            continue
        share = score_candidate(passage_text, cand, found, weights, total) * _PRIOR.get(cand.kind, 1.0)
        rank = (share, -(cand.end - cand.start))
        if best is None or rank > best[:2]:
            best = (share, -(cand.end - cand.start), cand)
    if best is None or best[0] < MIN_SHARE:
        return None
    cand = best[2]
    span = AnswerSpan(text=cand.text(passage_text), start=cand.start, end=cand.end, type=cand.kind,
                      field=field, passage_id=passage_id)
    return span, best[0]


_CHAIRS = re.compile(r"\bchair(?:s|ed)\b", re.IGNORECASE)


def office_holders(index: "Index", question: str) -> set[str]:
    """The speakers whose office a "who" question names ("who is the
    Regional Director for London", "who chairs the committee"): each office
    one speaker holds, by the speaker handles of :mod:`transcript_qa.query`;
    the people the question names by name are not its answer."""
    from transcript_qa.query import find_speaker_mentions, question_words

    names = index._columns["speaker"]
    words = [w for w, _, _ in question_words(_CHAIRS.sub("chair", question))]
    handles, by_first = index._speaker_handles()
    lowered = question.casefold()
    holders = set()
    for mention in find_speaker_mentions(words, handles, by_first):
        if len(mention.codes) != 1:
            continue
        name = names[next(iter(mention.codes))]
        said = " ".join(words[mention.first:mention.last])
        if name.casefold() not in lowered and said not in name.casefold():  # an office, not the name asked about
            holders.add(name)
    return holders


def answer_hits(index: "Index", question: str, kind: str, hits: Sequence[Hit], vector: "QueryVector",
                weights: dict[str, float]) -> tuple[list[Hit], AnswerSpan | None]:
    """``hits`` with their ``answer`` set, and the best answer over them.

    ``weights``: query unigram term -> weight (:func:`transcript_qa.hits.part_weights`)."""
    total = sum(weights.values())
    values = _question_values(question, kind)
    known = list(index._columns["speaker"]) if kind == "person" else []
    only: frozenset[str] | None = None
    if kind == "person":
        lowered = question.lower()
        known = [n for n in known if n.lower() not in lowered]
        holders = office_holders(index, question)
        if holders:  # "who is the Regional Director": the one who holds the office, or no answer
            known, only = sorted(holders), frozenset(h.casefold() for h in holders)
    out: list[Hit] = []
    best: tuple[float, AnswerSpan] | None = None
    top = hits[0].score if hits and hits[0].score > 0 else 1.0
    for hit in hits:
        p = hit.passage
        found = [passage_answer(index, p.text, kind, weights, total, values, known, "text", p.id, only)]
        if p.citation:
            found.append(passage_answer(index, p.citation, kind, weights, total, values, known, "citation", p.id,
                                        only))
        scored = [f for f in found if f is not None]
        if not scored:
            out.append(hit)
            continue
        span, share = max(scored, key=lambda f: f[1])
        out.append(with_answer(hit, span))
        value = share * (max(hit.score, 0.0) / top) ** RANK_WEIGHT
        if best is None or value > best[0]:
            best = (value, span)
    if best is None and only:
        # no hit prints the office holder's name, but one of their own turns is a hit: they answer
        for i, hit in enumerate(out):
            name = hit.passage.speaker or ""
            if name.casefold() in only:
                span = AnswerSpan(text=name, start=0, end=len(name), type="person", field="speaker",
                                  passage_id=hit.passage.id)
                out[i] = with_answer(hit, span)
                return out, span
    return out, (best[1] if best else None)


def answer_question(index: "Index", question: str, hits: Sequence[Hit],
                    vector: "QueryVector") -> tuple[list[Hit], AnswerSpan | None]:
    """For a factual question: the hits with their ``answer`` and the best
    answer; for any other question the hits as they are and None."""
    speech = any(w in SPEECH_WORDS for w in re.findall(r"[a-z]+", question.lower()))
    kind = asked_for(question, speech=speech)
    if kind is None or not hits:
        return list(hits), None
    return answer_hits(index, question, kind, hits, vector, part_weights(index, vector))


def with_answer(hit: Hit, span: AnswerSpan | None) -> Hit:
    """``hit`` with ``answer`` set (a lazy hit keeps its details unworked)."""
    if "_details" in hit.__dict__:  # a LazyHit: set the field in place, nothing computed
        hit.__dict__["answer"] = span
        return hit
    return replace(hit, answer=span)
