"""Other spellings of a question's words that the corpus uses: British and
American forms of a word the corpus never has ("organization" ->
"organisation"), and a compound the corpus writes otherwise ("crossborder"
-> "cross border", "CAS 3" -> "CAS3"). Read by
:func:`transcript_qa.query.query_vector`; the corpus's own words decide, so
nothing here is a list of topics."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable, Mapping

from transcript_qa.analysis import STOP_WORDS

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index


def _stop_set(stop_words: Iterable[str] | None) -> frozenset[str]:
    return STOP_WORDS if stop_words is None else frozenset(stop_words)


#: British and American spellings of one word, each way: (pattern, replacement) on a
#: lower-case word ("organization" <-> "organisation", "behavior" <-> "behaviour",
#: "center" <-> "centre", "defense" <-> "defence", "traveled" <-> "travelled").
_SPELLINGS = tuple((re.compile(a), b) for a, b in (
    (r"iz(e|es|ed|ing|ation|ations|er|ers)$", r"is\1"), (r"is(e|es|ed|ing|ation|ations|er|ers)$", r"iz\1"),
    (r"yz(e|es|ed|ing)$", r"ys\1"), (r"ys(e|es|ed|ing)$", r"yz\1"),
    (r"or(s|ed|ing|ite|ites|able|hood|hoods|less|ful)?$", r"our\1"),
    (r"our(s|ed|ing|ite|ites|able|hood|hoods|less|ful)?$", r"or\1"),
    (r"(?<=[bt])er(s)?$", r"re\1"), (r"(?<=[bt])re(s)?$", r"er\1"),
    (r"ense(s)?$", r"ence\1"), (r"ence(s)?$", r"ense\1"),
    (r"(?<=[aeiou])ll(ed|ing|er|ers|or|ors)$", r"l\1"), (r"(?<=[aeiou])l(ed|ing|er|ers|or|ors)$", r"ll\1"),
    (r"gramme(s)?$", r"gram\1"), (r"gram(s)?$", r"gramme\1"),
    (r"logue(s)?$", r"log\1"), (r"log(s)?$", r"logue\1"),
    (r"gement(s)?$", r"gment\1"), (r"gment(s)?$", r"gement\1"),
    (r"(?<=^.{2})(?=.{4})(.*?)ae", r"\1e"), (r"(?<=^.{2})(?=.{4})(.*?)oe", r"\1e"),
))
_SPELLED_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]{3,}(?![\w'’-])", re.IGNORECASE)


def corpus_spelling(text: str, known: Mapping[str, str], stop_words: Iterable[str] | None = None) -> str:
    """``text`` with each word the corpus never has (``known``: its words)
    spelled as the corpus spells it, where a British or American spelling of
    it is one of the corpus's words ("organization" in a question to a corpus
    that writes "organisation"; stemmed, the two were "organ" and "organis").
    Words in capitals (acronyms) and stop words (``stop_words``, None: the
    bundled list) are left alone."""
    if not known:
        return text
    stops = _stop_set(stop_words)

    def respell(m: re.Match) -> str:
        word = m.group()
        lower = word.lower()
        if word.isupper() or lower in known or lower in stops:
            return word
        for pattern, replacement in _SPELLINGS:
            other = pattern.sub(replacement, lower, count=1)
            if other != lower and other in known:
                return other
        if len(lower) >= 6:  # "pediatric" -> "paediatric", "fetus" -> "foetus"
            for i in range(1, len(lower) - 1):
                if lower[i] == "e":
                    for vowel in "ao":
                        other = lower[:i] + vowel + lower[i:]
                        if other in known:
                            return other
        return word

    return _SPELLED_WORD.sub(respell, text)


_PLAIN_WORD = re.compile(r"(?<![\w-])[^\W\d_]{6,30}(?![\w-])")


def compound_forms(index: "Index", text: str) -> list[tuple[int, str]]:
    """Terms of the other spelling of the question's one-word compounds,
    where the corpus writes them as two words side by side ("crossborder" ->
    "cross border", a bigram; split where both halves are words of the corpus
    and not stop words). With the question's words for each. (Two words the
    corpus writes as one: :func:`joined_spelling`. A hyphenated
    word needs nothing here: the analyser gives it joined as well,
    "re-offending" -> ``reoffend``, in passages and questions alike.)"""
    analyzer = index.analyzer
    stems = analyzer.stems
    stops = _stop_set(analyzer.stop_words)
    out: list[tuple[int, str]] = []
    for m in _PLAIN_WORD.finditer(text):
        word = m.group().lower()
        if word in stops:
            continue
        best: tuple[int, int] | None = None
        for i in range(1, len(word) - 1):
            head, tail = stems.get(word[:i]), stems.get(word[i:])
            if head is None or tail is None or word[:i] in stops or word[i:] in stops:
                continue
            tid = index.term_id(head + " " + tail)
            if tid is not None:
                df = int(index.segment.df[tid])
                if best is None or df > best[0]:
                    best = (df, tid)
        if best is not None:
            out.append((best[1], m.group()))
    return out


_JOINABLE = re.compile(r"(?<![\w'’-])[^\W_]{1,20}(?![\w'’-])")


def joined_spelling(index: "Index", text: str) -> str:
    """``text`` with two words written as one where the corpus writes them
    as one and one of the two is not a corpus word ("CAS 3" -> "CAS3 ",
    "MTC Novo" -> "MTCNovo "; the space moves to the end, so every other
    character stays where it was)."""
    analyzer = index.analyzer

    def known(word: str) -> bool:  # every term of it is the corpus's (a stop word is)
        return all(index.term_id(t) is not None for t in analyzer(word))

    words = list(_JOINABLE.finditer(text))
    chars = list(text)
    taken = -1
    for first, second in zip(words, words[1:]):
        if first.start() <= taken or not text[first.end():second.start()].isspace():
            continue
        if known(first.group()) and known(second.group()):
            continue
        joined = [t for t in analyzer(first.group() + second.group()) if " " not in t]
        if len(joined) == 1 and index.term_id(joined[0]) is not None:
            gap = text[first.end():second.start()]
            chars[first.end():second.end()] = list(second.group() + gap)
            taken = second.end()
    return "".join(chars)


_ISO_DATE = re.compile(r"(?<![\w-])((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\w-])")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def spelled_dates(index: "Index", text: str) -> str:
    """``text`` with each ISO date ("2022-07-20") written as a record writes
    dates ("20 July 2022"), unless the corpus has the date's parts as written
    (its own dates are ISO): "07" matched nothing, and "20" matched every 20."""

    def spell(m: re.Match) -> str:
        year, month, day = m.groups()
        if index.term_id(month) is not None and index.term_id(day) is not None:
            return m.group()
        return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"

    return _ISO_DATE.sub(spell, text) if "-" in text else text

