"""Text analysis: the one function that turns text into index terms.

The same :class:`Analyzer` is used when the index is built and when a query is
asked, so a query is analysed exactly as the passages were.

What holds for the terms it produces:

* **Words** are lower-cased and stemmed with the Snowball (Porter2) English
  stemmer: ``"Probation" -> "probat"``; a possessive ``'s`` goes first
  (``"Women's" -> "women"``).
* **Acronyms** (all capitals, 2-5 letters, or any capitals-and-digits token)
  are lower-cased but never stemmed, so ``MPS`` stays ``mps`` and does not
  become ``mp``; a plural ``s`` after capitals goes (``CSPs -> csp``).
* **Tokens with digits** are kept whole: ``CAS3 -> cas3``, ``SO15 -> so15``.
* **Numbers** lose their thousands separators (``12,000 -> 12000``).
  **Money** gives the amount with its currency and the bare number
  (``£367,628 -> £367628, 367628``); **percentages** likewise
  (``13 per cent``, ``13%`` -> ``13%, 13``).
* **Stop words** (a small English list, :data:`STOP_WORDS`) give no term.
* **Bigrams** ``"stem1 stem2"`` join consecutive content words. They skip over
  stop words (``"duty to refer" -> "duti refer"``) but never cross punctuation
  that ends a phrase (``, . ; : ! ? ( )`` and dashes), so list items and
  sentences do not run into each other.
* Markup (``**``, ``*``, ``#``) and editorial brackets never become part of a
  term: ``"[Commander] Nick"`` gives ``command``, ``nick``.

Stemming at build time uses NLTK's ``SnowballStemmer("english")``; every
surface word seen is recorded in a surface -> stem table that is saved with the
index. At query time known words are stemmed from that table and unknown ones
with the pure-Python ``snowballstemmer`` package (the same Porter2 algorithm),
so the query path never imports NLTK.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

#: A small English stop list: function words, auxiliaries, contractions and
#: question words. Content words ("service", "staff") are never in it.
STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are aren't as at
    be because been before being below between both but by can can't cannot
    could couldn't did didn't do does doesn't doing don't down during each etc
    few for from further had hadn't has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd
    i'll i'm i've if in into is isn't it it's its itself just let's many me more
    most much mustn't my myself no nor not of off on once only or other ought our
    ours ourselves out over own same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves
    then there there's these they they'd they'll they're they've this those
    through to too under until up upon very was wasn't we we'd we'll we're
    we've were weren't what what's when when's where where's which while who
    who's whom whose why why's will with won't would wouldn't yes yet you
    you'd you'll you're you've your yours yourself yourselves
    """.split()
)

#: What the tokenizer matches, in order of preference. Anything else (markup,
#: brackets, quotes, slashes) separates tokens without producing one.
_MONEY = r"[£$€]\d(?:[\d,]*\d)?(?:\.\d+)?(?:bn|m|k)?(?![^\W_])"
_NUMBERS = (
    r"\d(?:[\d,]*\d)?(?:\.\d+)?%"  # percentage
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![^\W_])"  # 12,000
    r"|\d+\.\d+(?![^\W_])"  # 1.5
    r"|[A-Z](?:\.[A-Z])+\.?(?![^\W_])"  # U.S., N.H.S.
    r"|[A-Za-z]{1,3}&[A-Za-z]{1,3}(?![^\W_])"  # A&E, R&D, AT&T
)
#: A hyphenated word of letters ("well-being", "re-offending"): one token.
_COMPOUND = r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:[-\u2010\u2011][^\W\d_]+(?:['’][^\W\d_]+)*)+['’]?(?![^\W_])"
_WORD = r"[^\W_]+(?:['’][^\W_]+)*['’]?"  # word, CAS3, Women's
_BREAK_CHARS = r"[.,;:!?()\u2013\u2014\x00]"  # phrase breaks
_TOKEN_RE = re.compile("|".join((_MONEY, _NUMBERS, _COMPOUND, _WORD, _BREAK_CHARS)))
#: The tokenizer (shared with the bulk builder in ``vectorize.py``).
TOKEN_RE = _TOKEN_RE
#: Words as written, a hyphenated word as its parts (phrase checks, names in questions).
WORD_RE = re.compile("|".join((_MONEY, _NUMBERS, _WORD, _BREAK_CHARS)))
_HYPHEN = re.compile("[-\u2010\u2011]")
#: A hyphenated word of more parts than this is not joined (no real word is that long).
COMPOUND_PARTS = 4
_PERCENT_RE = re.compile(r"(\d)\s*(?:%|(?:[Pp]er\s?[Cc]ent|PER\s?CENT|[Pp]ercent|PERCENT)\b)")
_MONEY_RE = re.compile(r"([£$€])\s(?=\d)")
_MONEY_UNIT_RE = re.compile(r"([£$€]\d(?:[\d,]*\d)?(?:\.\d+)?)\s*(million|billion|thousand)\b", re.IGNORECASE)
_UNIT_SHORT = {"million": "m", "billion": "bn", "thousand": "k"}
_UNIT_WORD = {"m": "million", "bn": "billion", "k": "thousand"}


_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
#: A percentage in words ("thirteen per cent", "twenty-five percent", "one hundred per cent").
_WORDS_PERCENT_RE = re.compile(
    r"(?<![\w-])(?P<n>(?:" + "|".join(_TENS) + r")(?:[\s-](?:" + "|".join(_SMALL[1:10]) + r"))?|"
    + "|".join(_SMALL) + r"|(?:a|one)\s+hundred)\s*(?=per\s?cent\b|percent\b)", re.IGNORECASE)


def _number_of_words(words: str) -> str:
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w]
    if parts[-1] == "hundred":
        return "100"
    if parts[0] in _SMALL:
        return str(_SMALL.index(parts[0]))
    return str(20 + 10 * _TENS.index(parts[0]) + (_SMALL.index(parts[1]) if len(parts) > 1 else 0))


def normalise(text: str) -> str:
    """Close the spaces inside a percentage or an amount ("13 per cent" ->
    "13%", "thirteen per cent" -> "13%", "£ 5" -> "£5", "£10 million" -> "£10m",
    "$2 billion" -> "$2bn"), so that no token spans whitespace: tokenising
    ``normalise(text)`` piece by piece (split on whitespace) gives the same
    tokens as tokenising it whole."""
    if "%" in text or "cent" in text or "Cent" in text or "CENT" in text:
        if "cent" in text.lower():
            text = _WORDS_PERCENT_RE.sub(lambda m: _number_of_words(m.group("n")) + " ", text)
        text = _PERCENT_RE.sub(r"\1%", text)
    if ("£ " in text or "$ " in text or "€ " in text) and _MONEY_RE.search(text):
        text = _MONEY_RE.sub(r"\1", text)
    if "illion" in text or "ILLION" in text or "housand" in text or "HOUSAND" in text:
        text = _MONEY_UNIT_RE.sub(lambda m: m.group(1) + _UNIT_SHORT[m.group(2).lower()], text)
    return text
_BREAKS = frozenset(".,;:!?()\u2013\u2014\x00")
_ACRONYM_RE = re.compile(r"[A-Z][A-Z&]{1,4}s?")
_CURRENCY = "£$€"
_NUMBER_RE = re.compile(r"[\d,.]*\d")
_PLAIN_NUMBER_RE = re.compile(r"\d[\d,.]*")

#: Marker in a unigram sequence for "phrase break here" (no bigram across it).
BREAK = None

#: Version of what a passage is analysed into (3: the facts of the footnotes a
#: paragraph cites are indexed with it, :func:`cited_facts`; 4: acronyms with full
#: stops or an ampersand are one term; 5: a hyphenated word is also indexed joined,
#: "well-being" as "wellbeing"); an index built with another version is rebuilt or refused.
ANALYSIS_VERSION = 5


def _nltk_stemmer() -> Callable[[str], str]:
    from nltk.stem.snowball import SnowballStemmer  # build time only (slow import)

    return SnowballStemmer("english").stem


def _snowball_stemmer() -> Callable[[str], str]:
    import snowballstemmer  # pure Python, cheap to import

    stem_word = snowballstemmer.stemmer("english").stemWord

    def stem(word: str) -> str:
        # NLTK leaves words of two letters or less alone; match it exactly.
        return word if len(word) <= 2 else stem_word(word)

    return stem


_STEMMER_FACTORIES: dict[str, Callable[[], Callable[[str], str]]] = {
    "nltk": _nltk_stemmer,
    "snowballstemmer": _snowball_stemmer,
}


@dataclass(frozen=True)
class Analyzer:
    """Text -> terms. ``Analyzer()(text)`` returns unigrams and bigrams.

    The public fields are the analysis *settings* (saved in the index
    manifest). ``stems`` is the known surface -> stem table and ``acronyms``
    the lower-case acronym -> term table (both saved as ``stems.json``);
    with ``learn=True`` (build time) every word analysed is added to them.
    ``stemmer`` names the stemmer for words not in the table: ``"nltk"`` at
    build time, ``"snowballstemmer"`` on the query path. With ``learn=False``
    a lower-case word never seen as a word but seen as an acronym ("mps" for
    "MPS") gives the acronym's term.

    >>> Analyzer(stemmer="snowballstemmer")("The duty to refer: CAS3 and £367,628 (13 per cent).")
    ['duti', 'refer', 'duti refer', 'cas3', '£367628', '367628', 'cas3 £367628', '13%', '13']
    """

    stem: bool = True
    bigrams: bool = True
    stop_words: tuple[str, ...] | None = None  # None: the bundled STOP_WORDS
    version: int = ANALYSIS_VERSION
    stemmer: str = field(default="snowballstemmer", compare=False)
    learn: bool = field(default=False, compare=False)
    stems: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    acronyms: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _cache: dict[str, tuple[str, ...] | None] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    _stem_fn: list[Callable[[str], str]] = field(
        default_factory=list, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.stemmer not in _STEMMER_FACTORIES:
            raise ValueError(f"unknown stemmer {self.stemmer!r}; known: {sorted(_STEMMER_FACTORIES)}")
        stops = STOP_WORDS if self.stop_words is None else frozenset(self.stop_words)
        object.__setattr__(self, "_stops", stops)

    # -- settings ---------------------------------------------------------
    def settings(self) -> dict:
        """The settings as plain JSON data (what the manifest stores)."""
        return {
            "stem": self.stem,
            "bigrams": self.bigrams,
            "stop_words": None if self.stop_words is None else list(self.stop_words),
            "version": self.version,
        }

    @classmethod
    def from_settings(
        cls,
        settings: Mapping,
        *,
        stems: Mapping[str, str] | None = None,
        acronyms: Mapping[str, str] | None = None,
        stemmer: str = "snowballstemmer",
    ) -> "Analyzer":
        stop = settings.get("stop_words")
        return cls(
            stem=bool(settings.get("stem", True)),
            bigrams=bool(settings.get("bigrams", True)),
            stop_words=None if stop is None else tuple(stop),
            version=int(settings.get("version", ANALYSIS_VERSION)),
            stemmer=stemmer,
            stems=dict(stems or {}),
            acronyms=dict(acronyms or {}),
        )

    # -- stemming -----------------------------------------------------------
    def stem_word(self, word: str) -> str:
        """Stem one lower-case word: from the table if known, else the stemmer."""
        stem = self.stems.get(word)
        if stem is None:
            if not self._stem_fn:
                self._stem_fn.append(_STEMMER_FACTORIES[self.stemmer]())
            stem = self._stem_fn[0](word)
            if self.learn:
                self.stems[word] = stem
        return stem

    # -- tokens -------------------------------------------------------------
    def _classify(self, token: str) -> tuple[str, ...] | None:
        """Terms for one surface token: None for a phrase break, () for none."""
        if token in _BREAKS:
            return None
        first = token[0]
        if first.isalpha() and _HYPHEN.search(token):
            return self._compound(token)
        if first in _CURRENCY:
            number = token[1:].lstrip().replace(",", "")
            bare = number.rstrip("bnmk") or number
            unit = _UNIT_WORD.get(number[len(bare):])
            return (first + number, bare, unit) if unit else (first + number, bare)
        if first.isdigit() and token.endswith("%"):
            number = _NUMBER_RE.match(token).group(0).replace(",", "")  # type: ignore[union-attr]
            return (number + "%", number)
        if "." in token and token.replace(".", "").isalpha():  # capitals with full stops: the acronym
            token = token.replace(".", "")
        token = token.replace("\u2019", "'")
        if token.endswith(("'s", "'S")):
            token = token[:-2]
        token = token.strip("'")
        if not token:
            return ()
        if not token.isalpha() and any(c.isdigit() for c in token):
            if _PLAIN_NUMBER_RE.fullmatch(token):
                return (token.replace(",", ""),)
            return (token.lower(),)
        lower = token.lower()
        if _ACRONYM_RE.fullmatch(token):
            term = lower[:-1] if token[-1] == "s" else lower
            if self.learn:
                self.acronyms.setdefault(lower, term)
            return (term,)
        if lower in self._stops:  # type: ignore[attr-defined]
            return ()
        if not self.stem:
            return (lower,)
        if not self.learn and lower not in self.stems and lower in self.acronyms:
            # Query path: a lower-case "mps" the corpus only ever wrote as "MPS".
            return (self.acronyms[lower],)
        return (self.stem_word(lower),)

    def _compound(self, token: str) -> tuple[str, ...]:
        """Terms of a hyphenated word: the joined word first ("well-being" is
        indexed as "wellbeing", so either spelling finds the other; it stands
        for the word in bigrams), then its parts' terms. A word of more than
        :data:`COMPOUND_PARTS` parts gets its parts' terms only."""
        pieces = _HYPHEN.split(token)
        parts = tuple(t for piece in pieces for t in (self._classify(piece) or ()))
        if len(pieces) > COMPOUND_PARTS:
            return parts
        joined = self._classify("".join(pieces))
        return (joined[0],) + parts if joined else parts

    def _terms_of(self, token: str) -> tuple[str, ...] | None:
        cache = self._cache
        try:
            return cache[token]
        except KeyError:
            terms = cache[token] = self._classify(token)
            return terms

    def unigrams(self, text: str) -> list[str | None]:
        """Unigram terms in order, with :data:`BREAK` (None) where a phrase breaks."""
        out: list[str | None] = []
        append = out.append
        extend = out.extend
        cache = self._cache
        for token in _TOKEN_RE.findall(normalise(text)):
            try:
                terms = cache[token]
            except KeyError:
                terms = self._terms_of(token)
            if terms is None:
                append(None)
            elif terms:
                extend(terms) if len(terms) > 1 else append(terms[0])
        return out

    def __call__(self, text: str) -> list[str]:
        """All terms of ``text``: unigrams, then (if enabled) bigrams, in text order."""
        cache = self._cache
        out: list[str] = []
        append = out.append
        bigrams = self.bigrams
        prev: str | None = None
        for token in _TOKEN_RE.findall(normalise(text)):
            try:
                terms = cache[token]
            except KeyError:
                terms = self._terms_of(token)
            if terms is None:
                prev = None
                continue
            if not terms:
                continue
            head = terms[0]
            append(head)
            if len(terms) > 1:
                out.extend(terms[1:])
            if bigrams:
                if prev is not None:
                    append(prev + " " + head)
                prev = head
        return out

    def spans(self, text: str, wanted: "set[str] | frozenset[str] | None" = None) -> list[tuple[str, int, int]]:
        """(term, start, end) for every unigram term of ``text`` (only the
        ``wanted`` terms, when given), for highlighting.

        Offsets are into ``text`` as given (not normalised), so "13 per cent"
        is seen here as "13", "per", "cent"; an amount with its unit
        ("£10 million") is one span, with the terms of "£10m"."""
        out: list[tuple[str, int, int]] = []
        append = out.append
        cache = self._cache
        classify = self._terms_of
        until = 0  # the unit word of an amount already read ("£10 million")
        for match in _TOKEN_RE.finditer(text):
            token = match.group()
            start, end = match.span()
            if start < until:
                continue
            if token[0] in _CURRENCY:
                amount = _MONEY_UNIT_RE.match(text, start)
                if amount is not None:  # as normalise reads it: "£10m"
                    token = amount.group(1) + _UNIT_SHORT[amount.group(2).lower()]
                    end = until = amount.end()
            terms = cache[token] if token in cache else classify(token)
            if not terms:
                continue
            if wanted is not None and wanted.isdisjoint(terms):
                continue
            for term in terms:
                if wanted is None or term in wanted:
                    append((term, start, end))
        return out

    def words(self, text: str) -> list[str]:
        """Lower-case surface words of ``text``, stop words included (for phrase checks)."""
        return [
            t.lower().replace("’", "'")
            for t in WORD_RE.findall(text)
            if t not in _BREAKS
        ]

    def tables(self) -> dict[str, dict[str, str]]:
        """The surface -> term tables gathered so far (what ``stems.json`` holds):
        ``words`` (lower-case word -> stem) and ``acronyms`` (lower-case
        acronym -> term)."""
        return {
            "words": dict(sorted(self.stems.items())),
            "acronyms": dict(sorted(self.acronyms.items())),
        }


_NOTE_MARK = re.compile(r"^\s*[\u00b9\u00b2\u00b3\u2070-\u2079\d]+\s+")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Spring|Summer|Autumn|Winter)")
_ENDS_WITH_DATE = re.compile(r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:" + _MONTH + r",?\s+)?(?:19|20)\d{2}\W*$", re.I)
#: A footnote item ending in a date is a source reference when it has at most
#: this many words, or twice as many with the date after a comma ("Author,
#: Title, 28 April 2022").
REFERENCE_WORDS = 15


def cited_facts(citation: str | None) -> str:
    """The parts of a passage's footnotes (``Passage.citation``, one footnote
    a line) that state something, without their markers: items (split on
    ``;``) that are source references -- a few words ending in a date
    ("HMIP, Caseloads, workloads and staffing levels in probation services,
    March 2021"; see :data:`REFERENCE_WORDS`) -- are left out.

    >>> cited_facts("⁴ MTCNovo was awarded the contract, worth £462 million.\\n⁵ HMIP, An inspection, August 2019")
    'MTCNovo was awarded the contract, worth £462 million.'
    """
    if not citation:
        return ""
    kept = []
    for line in citation.splitlines():
        line = _NOTE_MARK.sub("", line)
        items = [item.strip() for item in line.split(";")]
        facts = [item for item in items if item and not is_reference(item)]
        if facts:
            kept.append("; ".join(facts))
    return "\n".join(kept)


def is_reference(item: str) -> bool:
    """A footnote item that only names a source: a few words ending in a date."""
    date = _ENDS_WITH_DATE.search(item)
    if date is None:
        return False
    words = len(item.split())
    return words <= REFERENCE_WORDS or (words <= 2 * REFERENCE_WORDS and item[: date.start()].rstrip().endswith(","))


def is_stop_word(word: str, stop_words: Iterable[str] | None = None) -> bool:
    """True when ``word`` (any case) is in the stop list."""
    stops = STOP_WORDS if stop_words is None else frozenset(stop_words)
    return word.lower().replace("’", "'") in stops
