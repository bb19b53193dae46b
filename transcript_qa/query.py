"""Questions taken apart: the "who" part, quoted phrases, generic speech
words, speakers named in the question, and the weighted query vector.

Needs only the standard library and numpy (the query path never imports
scikit-learn or NLTK).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from transcript_qa.analysis import WORD_RE
from transcript_qa.label_words import PREFIX_TITLES
from transcript_qa.spellings import compound_forms, corpus_spelling, joined_spelling, spelled_dates
from transcript_qa.settings import RankSettings

_BREAKS = frozenset(".,;:!?()\u2013\u2014\x00")

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index

# --------------------------------------------------------------------------- question parsing

_QUOTE_RE = re.compile(r"\"([^\"]+)\"|“([^”]+)”")
_PEOPLE = (
    r"(?:witness|speaker|people|person|persons|member|organi[sz]ation|guest|panellist|panelist|"
    r"participant|official|officer|representative|minister|mp|councillor|individual|bod(?:y|ies)|"
    r"group|agenc(?:y|ies)|service|colleague|contributor|senator|mayor|commissioner|trustee|director|"
    r"lawmaker|legislator|politician|campaigner|charit(?:y|ies)|union|expert|academic)"
)
#: "what did/do/has ...": the word after is the subject ("what did MPS say"), not a kind of people asked for
_AUXILIARY = r"(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|should|shall|may|might|must)"
_WHO_RE = re.compile(
    r"^\s*(?:(?:can|could|would) you (?:please )?(?:tell me|say|list|name)\s+|please\s+|tell me\s+|"
    r"list\s+|name\s+|find\s+|show(?: me)?\s+)?"
    r"(?:who(?:m|se)?\b|(?:which|what)\s+(?:of\s+the\s+|other\s+)?(?:(?!" + _AUXILIARY + r"\b)\w+\s+)?(?P<people>"
    + _PEOPLE + r"\w*)\b"
    r"|(?:the\s+)?(?P<people2>" + _PEOPLE + r"\w*)\s+who\b)",
    re.IGNORECASE,
)
#: Generic words about speaking, asking and the meeting itself: in a question
#: they say *that* something was said, not *what*.
META_WORDS: frozenset[str] = frozenset(
    """
    discuss discussed discusses discussing discussion discussions talk talked talks talking
    speak spoke speaks speaking spoken say said says saying mention mentioned mentions
    mentioning raise raised raises raising comment commented comments commenting
    bring brought brings bringing tell told tells think thought thinks thinking
    opinion opinions view views feel felt feels suggest suggested suggests suggesting
    propose proposed proposes summarize summarise summarized summarised summary
    describe described describes explain explained explains mean meant means
    express expressed argue argued argues
    """.split()
)
#: Words that say what kind of value a question asks for, not what it is
#: about ("how long", "what percentage"): question words, not searched.
_ASKED_KIND_RE = re.compile(
    r"\b(?:how\s+(?:long|much|many|big|large|often|soon|far)"
    r"|(?:what|which)\s+(?:percentage|proportion|share|fraction|date|year|day|month|time|number|amount))\b",
    re.IGNORECASE,
)
_ASKING_RE = re.compile(r"^\s*(?:(?:has|have|had|did|does|do)\s*)?(?:ask|asked|asks|asking|questioned|queried|enquired|inquired)\b",
                        re.IGNORECASE)
_SPEECH_PARTICLES = frozenset("about on of up regarding concerning".split())


@dataclass(frozen=True)
class ParsedQuery:
    """A question taken apart: what is searched for, and how.

    ``text`` is the question with its question words blanked out (the "who"
    part, generic speech words, "asked"): every other character stays where it
    was, so the words left are analysed exactly as the same words in a passage
    (a number, an amount or a name is never cut apart)."""

    text: str  # the topic text that is analysed (the question, question words blanked)
    intent: str  # "who" or "passages"
    phrases: tuple[str, ...]  # quoted phrases that hits must contain
    asking: bool = False  # "who asked about ...": the people asking, not answering
    people: str | None = None  # "which ministers ...": the kind of speaker asked for ("ministers")


def parse_question(question: str, *, meta_words: bool = True) -> ParsedQuery:
    """Split off the "who" part, quoted phrases, generic speech words and the
    words saying what kind of value is asked for ("how long", "what share").

    >>> parse_question('Which witnesses talked about the "Dynamic Framework"?').text.split()
    ['the', '"Dynamic', 'Framework"?']
    >>> parse_question("How much was spent, £367,628?").text
    'How much was spent, £367,628?'
    """
    phrases = tuple(a or b for a, b in _QUOTE_RE.findall(question))
    intent = "passages"
    text = question
    match = _WHO_RE.match(question)
    start = 0
    people = None
    if match:
        intent = "who"
        people = (match.group("people") or match.group("people2") or "").lower() or None
        start = match.end()
        text = _blank(text, [(0, start)])
    if meta_words:
        text = _blank(text, _meta_spans(text, start))
        text = _blank(text, [m.span() for m in _ASKED_KIND_RE.finditer(text, start)])
    asking = False
    if intent == "who":
        verb = _ASKING_RE.match(text[start:])
        if verb:
            asking = True
            text = _blank(text, [(start, start + verb.end())])
    return ParsedQuery(text=text, intent=intent, phrases=tuple(p.strip() for p in phrases if p.strip()),
                       asking=asking, people=people)


_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\"[^\"]*\"|“[^”]*”|\S")


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` replaced by spaces (offsets kept)."""
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _meta_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Spans of speech words (and a particle right after one) outside quotes."""
    out: list[tuple[int, int]] = []
    skip_particle = False
    for m in _WORD_RE.finditer(text, start):
        token = m.group()
        lower = token.lower()
        if token[0] in "\"“":
            skip_particle = False
            continue
        if lower in META_WORDS:
            out.append(m.span())
            skip_particle = True
            continue
        if skip_particle and lower in _SPEECH_PARTICLES:
            out.append(m.span())
            skip_particle = False
            continue
        if not token.isspace():
            skip_particle = False
    return out


# --------------------------------------------------------------------------- speaker mentions

#: Name words that never identify a speaker on their own.
_GENERIC_NAME_WORDS = frozenset(
    """the of and for in on at to a an chair chairman chairwoman chairperson deputy vice member
    members committee director head officer minister secretary assembly house hon mr mrs ms miss dr
    sir dame lord lady am mp msp ms mla professor prof rt honourable honorable""".split()
)


#: One-word roles that name nobody: a member among members, a title of address.
_NOT_ROLES = frozenset(
    "member members committee assembly house hon honourable honorable rt mr mrs ms miss dr sir dame lord lady".split())
#: The words a record or a question uses for the one who chairs a meeting.
CHAIR_WORDS = ("chair", "chairman", "chairwoman", "chairperson", "convener", "convenor")


def speaker_handles(values: Sequence[str], roles: dict[int, set[str]] | None = None,
                    seats: dict[int, set[str]] | None = None) -> dict[tuple[str, ...], set[int]]:
    """Word sequences that name a speaker -> speaker codes.

    For each speaker name: the whole name, and (people) the surname and first
    name when they are distinctive. Titles and honours are left out. ``roles``
    maps a speaker code to the roles it speaks in; each role's words up to
    ``for``/``of``/a comma also name it ("Regional Director"). ``seats`` maps a
    code to the constituencies it sits for: "member for Kooyong", as members
    of a Westminster chamber call each other, names it.
    """
    from transcript_qa.speakers import PREFIX_TITLES, SUFFIX_HONOURS

    titles = {t.lower() for t in PREFIX_TITLES}
    honours = {h.lower() for h in SUFFIX_HONOURS}
    handles: dict[tuple[str, ...], set[int]] = {}

    def add(words: Sequence[str], code: int) -> None:
        key = tuple(words)
        if key:
            handles.setdefault(key, set()).add(code)

    for code, name in enumerate(values):
        words = [w.lower().replace("’", "'").rstrip(".") for w in re.findall(r"[^\W_]+(?:['’.][^\W_]+)*\.?", name)]
        if not words:
            continue
        add(words, code)
        if words[-1] == "court" and len(words) <= 2:  # a court record's "THE COURT:" is the judge speaking
            add(["judge"], code)
        core = [w for w in words if w not in titles and w not in honours]
        if core and core != words:
            add(core, code)
        if len(core) >= 2:
            for single in (core[-1], core[0]):
                if len(single) >= 3 and single not in _GENERIC_NAME_WORDS:
                    add([single], code)
    for code, role_set in (roles or {}).items():
        for role in role_set:
            for office in [role, *_more_offices(role)]:
                head = re.split(r",|\bfor\b|\bof\b|\bat\b|\(", office, maxsplit=1)[0]
                words = [w.lower() for w in re.findall(r"[^\W_]+", head)]
                if words and words[0] == "the":
                    words = words[1:]
                if words and words[-1] in CHAIR_WORDS:
                    # "Chairman", "Deputy Chair": every word for a chair names it (a handle two speakers
                    # share names neither)
                    for word in CHAIR_WORDS:
                        add(words[:-1] + [word], code)
                elif len(words) >= 2 or (words and len(words[0]) > 3 and words[0] not in _NOT_ROLES):
                    # "Regional Director"; "Minister" (for Housing): the one minister of the record is
                    # "the minister" of a question
                    add(words, code)
                whole = [w.lower() for w in re.findall(r"[^\W_]+", office)]
                if office is not role and 2 <= len(whole) <= 6:
                    add(whole[1:] if whole[0] == "the" else whole, code)  # "Leader of the House"
    for code, seat_set in (seats or {}).items():
        for seat in seat_set:
            words = [w.lower() for w in re.findall(r"[^\W_]+", seat)]
            if 0 < len(words) <= 5:
                add(["member", "for", *words], code)
    return handles


def _more_offices(role: str) -> list[str]:
    """The offices of a role that holds several ("Attorney-General and Cabinet
    Secretary", "Minister for the Arts and Leader of the House"): each piece
    after a comma or an "and" that reads as an office by itself. A piece that
    does not ("Workplace Relations" in "Minister for Employment and Workplace
    Relations") stays part of the office before it."""
    from transcript_qa.labels import office_phrase

    pieces = [p.strip() for p in re.split(r",|\band\b(?=\s+[A-Z])", role) if p.strip()]
    return [p for p in pieces if office_phrase(p) is not None] if len(pieces) > 1 else []


def handles_by_first(handles: dict[tuple[str, ...], set[int]]) -> dict[str, list[tuple[str, ...]]]:
    """The handles grouped by their first word (for :func:`find_speaker_mentions`)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in handles:
        by_first.setdefault(key[0], []).append(key)
    return by_first


#: Words that, right after a name, say the question is about what that person
#: said ("what did Hall say", "Hall's view on", "Hall argued").
SPEECH_WORDS: frozenset[str] = META_WORDS | frozenset(
    """ask asked asks asking question questioned queried enquired inquired answer answered answers
    reply replied replies respond responded responds response testify testified testimony evidence
    statement stated states claim claimed claims warn warned warns agree agreed agrees disagree
    disagreed insist insisted insists note noted notes acknowledge acknowledged acknowledges admit
    admitted admits concede conceded promise promised promises recommend recommended believe believes
    believed position stance remarks urge urged urges criticise criticised criticize criticized
    praise praised""".split()
)


#: How many words after a name a speech word may come ("what did the Prime
#: Minister say": "say" two words after "prime").
SPEECH_REACH = 2
#: Auxiliaries that make the name after them the subject of the question
#: ("how many budgets did George Osborne deliver", "has the Regional Director ...").
AUXILIARIES: frozenset[str] = frozenset(
    "did does do has have had is was were are will would can could should shall may might must".split()
)


@dataclass(frozen=True)
class Mention:
    """Words of a question that match a speaker handle: word positions
    ``[first, last)``, the speaker codes, and whether the mention selects them."""

    first: int
    last: int
    codes: frozenset[int]
    selects: bool  # names the speaker unambiguously, and asks what they said


def find_speaker_mentions(
    words: Sequence[str],
    handles: dict[tuple[str, ...], set[int]],
    by_first: dict[str, list[tuple[str, ...]]] | None = None,
    aside: frozenset[int] | set[int] = frozenset(),
) -> list[Mention]:
    """Speaker handles in ``words`` (lower-case, possessive ``'s`` removed), longest first.

    A mention *selects* its speaker when the name is unambiguous -- a handle of
    two words or more (a full name, "Susan Hall"; a role, "Regional
    Director"), or a one-word handle (a surname, a first name) only one speaker
    has -- and the question is clearly about what that person said:

    * a speech word ("say", "think", "view", "asked", ...,
      :data:`SPEECH_WORDS`) follows the name within :data:`SPEECH_REACH`
      words (words in a bracketed aside right after the name, positions in
      ``aside``, are skipped: "Kay Martin (principal of the college) opinion"),
      or "according to" or a speech word and "by" precede it ("what did Hall
      say", "the button suggested by User Interface"); or
    * a name of two words or more is the subject of the question (an
      auxiliary just before it: "how many budgets did George Osborne deliver").

    "hall of residence", "green belt", "wood burning stoves" and "when will the
    ..." select nobody called Hall, Green, Wood or Will."""
    if by_first is None:
        by_first = handles_by_first(handles)
    out: list[Mention] = []
    i = 0
    while i < len(words):
        best: tuple[str, ...] | None = None
        for key in by_first.get(words[i], ()):
            if tuple(words[i : i + len(key)]) == key and (best is None or len(key) > len(best)):
                best = key
        if best is None:
            i += 1
            continue
        last = i + len(best)
        codes = frozenset(handles[best])
        before = list(words[max(0, i - 2) : i])
        after = [words[j] for j in _next_words(len(words), last, aside)]
        speech = (not SPEECH_WORDS.isdisjoint(after) or before == ["according", "to"]
                  or (len(before) == 2 and before[1] == "by" and before[0] in SPEECH_WORDS))
        subject = len(best) > 1 and bool(before) and (
            before[-1] in AUXILIARIES or (before[-1] == "the" and len(before) == 2 and before[0] in AUXILIARIES))
        unambiguous = len(best) > 1 or len(codes) == 1
        out.append(Mention(i, last, codes, unambiguous and (speech or subject)))
        i = last
    return out


_CAPITALS = re.compile(r"(?<![^\W_])[^\W\d_a-z]{2,}(?![^\W_])")


def fold_capitals(text: str, analyzer: Any) -> str:
    """A question's words in capitals that the corpus never wrote as an
    acronym, in lower case: a stop word typed in capitals ("women NOT prison",
    "IN") is a stop word, not a missing acronym, and in a question typed all in
    capitals ("WOMEN IN PRISON", three words or more) every such word is an
    ordinary word. A word
    the corpus has as an acronym ("US", "MPS") stays as typed."""
    stops = analyzer._stops
    all_caps = not any(ch.islower() for ch in text) and len(_CAPITALS.findall(text)) >= 3

    def fold(m: re.Match) -> str:
        word = m.group()
        lower = word.lower()
        if len(lower) != len(word) or lower in analyzer.acronyms or lower.rstrip("s") in analyzer.acronyms:
            return word
        return lower if (all_caps or lower in stops) else word

    return _CAPITALS.sub(fold, text)


def _next_words(n: int, start: int, aside: "set[int] | frozenset[int]") -> list[int]:
    """Positions of the first :data:`SPEECH_REACH` words from ``start`` that
    are not in a bracketed aside (read no further: a long question stays linear)."""
    return list(islice((j for j in range(start, n) if j not in aside), SPEECH_REACH))


def _name_syntax(words: Sequence[str], mention: Mention, aside: set[int]) -> list[int]:
    """Positions of the words that only frame a selected speaker's name: a
    title right before it ("Lady" in "what did Lady Hallett ask") and the
    speech word after it, with its particle ("ask", "answer about"): not what
    the question is about."""
    out = []
    if mention.first > 0 and words[mention.first - 1].replace(".", "") in PREFIX_TITLES:
        out.append(mention.first - 1)
    for j in _next_words(len(words), mention.last, aside):
        if words[j] in SPEECH_WORDS:
            out.append(j)
            if j + 1 < len(words) and words[j + 1] in _SPEECH_PARTICLES:
                out.append(j + 1)
            break
    return out


def question_words(text: str) -> list[tuple[str, int, int]]:
    """(lower-case word without a possessive 's, start, end) for each word of
    ``text``, as the analyser tokenises it (for matching names)."""
    out = []
    for m in WORD_RE.finditer(text):
        token = m.group()
        if token in _BREAKS:
            continue
        word = token.lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        out.append((word.strip("'"), m.start(), m.end()))
    return out


# --------------------------------------------------------------------------- query vector


@dataclass(frozen=True)
class QueryVector:
    """Known query terms with their weights and the words they came from."""

    term_ids: tuple[int, ...]
    weights: tuple[float, ...]
    labels: tuple[str, ...]  # what explain shows for each term
    terms: tuple[str, ...]  # every analysed term, known or not (for Answer.terms)
    speakers: frozenset[int]  # speaker codes named in the question
    phrases: tuple[str, ...]
    unknown: tuple[str, ...] = ()  # the question's words no passage has (as asked)


def tfidf_weights(counts: dict[int, int], idf: np.ndarray) -> dict[int, float]:
    """Sublinear tf * idf, l2-normalised: exactly how passages were weighted."""
    if not counts:
        return {}
    values = idf[np.fromiter(counts, dtype=np.int64, count=len(counts))].tolist()  # one look-up for all terms
    raw = {t: (1.0 + math.log(c)) * v for (t, c), v in zip(counts.items(), values)}
    norm = math.sqrt(sum(w * w for w in raw.values()))
    return {t: w / norm for t, w in raw.items()} if norm > 0 else {}


def query_vector(index: "Index", question: str, parsed: ParsedQuery, settings: RankSettings) -> QueryVector:
    analyzer = index.analyzer
    text = parsed.text
    # speakers named in the question: found in the question as asked (speech
    # words included), among the words still searched
    asked = question if len(text) == len(question) else text
    words = question_words(asked)
    brackets = [m.span() for m in re.finditer(r"\([^()]*\)|\[[^\[\]]*\]", asked)]
    aside = {j for j, (_, a, b) in enumerate(words) if any(x < a and b < y for x, y in brackets)}
    mentions = find_speaker_mentions([w for w, _, _ in words], *index._speaker_handles(), aside=aside)
    codes: set[int] = set()
    drop: list[tuple[int, int]] = []
    syntax: list[tuple[int, int]] = []  # a selected name's title and the speech word after it
    for m in mentions:
        spans = [(words[j][1], words[j][2]) for j in range(m.first, m.last)]
        if not m.selects or any(text[a:b].isspace() for a, b in spans):
            continue  # not clearly a speaker's words asked for, or part of the question words
        codes |= m.codes
        if settings.speaker_terms == "drop":
            drop.extend(spans)
            syntax.extend((words[j][1], words[j][2]) for j in _name_syntax([w for w, _, _ in words], m, aside))
    def searchable(candidate: str) -> bool:  # a term the index has is left
        return any(index.term_id(t) is not None for t in analyzer(candidate))

    if drop and searchable(_blank(text, drop + syntax)):
        text = _blank(text, drop + syntax)
    elif drop:
        # nothing but the speaker is asked for ("what did the member for Kooyong say"): search their
        # name, indexed with each of their turns, not the words that pointed at them
        names = " ".join(index._columns["speaker"][c] for c in sorted(codes))
        text = _blank(text, drop + syntax) + " " + names
    elif syntax and searchable(_blank(text, syntax)):
        text = _blank(text, syntax)
    text = joined_spelling(index, fold_capitals(spelled_dates(index, text), analyzer))
    text = corpus_spelling(text, analyzer.stems, analyzer.stop_words)
    terms = analyzer(text)
    if not terms and parsed.phrases:
        terms = analyzer(" ".join(parsed.phrases))
    labels = _labels(analyzer, text)
    counts: Counter = Counter()
    for term in terms:
        tid = index.term_id(term)
        if tid is not None:
            counts[tid] += 1
    weights = tfidf_weights(counts, index.idf)
    label_of = {tid: labels.get(term, term) for tid, term in ((tid, index._vocab_term(tid)) for tid in weights)}
    # acronym expansion, both ways
    if settings.expansion_weight > 0 and weights:
        extra: dict[int, float] = {}
        term_set = set(terms)
        for short_terms, long_terms, acronym in index._glossary_terms():
            if short_terms and set(short_terms) <= term_set and not set(long_terms) <= term_set:
                trigger = sum(weights.get(index.term_id(t) or -1, 0.0) for t in short_terms)
                add, label = long_terms, f"{acronym.long} (for {acronym.short})"
            elif long_terms and set(long_terms) <= term_set and not set(short_terms) <= term_set:
                trigger = sum(weights.get(index.term_id(t) or -1, 0.0) for t in long_terms) / math.sqrt(len(long_terms))
                add, label = short_terms, f"{acronym.short} (for {acronym.long})"
            else:
                continue
            add_counts: Counter = Counter()
            for t in add:
                tid = index.term_id(t)
                if tid is not None:
                    add_counts[tid] += 1
            for tid, w in tfidf_weights(add_counts, index.idf).items():
                extra[tid] = extra.get(tid, 0.0) + settings.expansion_weight * trigger * w
                label_of.setdefault(tid, label)
        for tid, w in extra.items():
            weights[tid] = weights.get(tid, 0.0) + w
    if settings.expansion_weight > 0:
        # the other spelling of a compound: "re-offending" <-> "reoffending"
        known = set(weights)
        other: dict[int, float] = {}
        for tid, label in compound_forms(index, text):
            if tid not in known:
                other[tid] = other.get(tid, 0.0) + 1.0
                label_of.setdefault(tid, label)
        if other:
            base = max(weights.values()) if weights else 1.0
            for tid, w in tfidf_weights({t: 1 for t in other}, index.idf).items():
                weights[tid] = weights.get(tid, 0.0) + settings.expansion_weight * base * w
    ordered = sorted(weights)
    matched = {index._vocab_term(t) for t in ordered}
    found = {label_of[t] for t in ordered}  # (a compound found in its other spelling is found)
    unknown = tuple(dict.fromkeys(
        labels.get(t, t) for t in terms
        if " " not in t and t not in matched and index.term_id(t) is None and labels.get(t, t) not in found))
    return QueryVector(
        term_ids=tuple(ordered),
        weights=tuple(weights[t] for t in ordered),
        labels=tuple(label_of[t] for t in ordered),
        terms=tuple(dict.fromkeys(terms)),
        speakers=frozenset(codes),
        phrases=parsed.phrases,
        unknown=unknown,
    )


def _labels(analyzer: Any, text: str) -> dict[str, str]:
    """term -> the query's own words for it (so explain shows words, not stems)."""
    spans = analyzer.spans(text)
    out: dict[str, str] = {}
    for term, start, end in spans:
        out.setdefault(term, text[start:end])
    # bigrams: join consecutive unigram labels
    prev = None
    for term, start, end in spans:
        if prev is not None:
            out.setdefault(prev[0] + " " + term, text[prev[1]:end])
        prev = (term, start, end)
    return out




def analysed_anything(index: "Index", parsed: ParsedQuery) -> bool:
    return bool(index.analyzer(parsed.text)) or bool(parsed.phrases)


