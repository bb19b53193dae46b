"""Acronyms the corpus defines itself: "Community Accommodation Service Tier 3 (CAS3)".

Detection follows Schwartz & Hearst (2003), "A simple algorithm for identifying
abbreviation definitions in biomedical text": for a parenthesised short form
after some words, walk the short form's letters and digits right to left and
match each against the preceding words, the first one at the start of a word.
The long form starts at the word where the first character matched. Two extra
checks keep out look-alikes such as "(Chairman)": the long form has at most
``min(len(short) + 5, 2 * len(short))`` words, and at least half of the short
form's characters start a word of the long form. The reversed pattern
"CAS3 (Community Accommodation Service Tier 3)" is found too.

Editorial brackets inside the long form are dropped before matching: "Her
Majesty's Inspectorate [of Probation] (HMIP)" gives "Her Majesty's
Inspectorate of Probation".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

from transcript_qa.model import Acronym

_PAREN_RE = re.compile(r"\(([^()]{1,120})\)")
_SHORT_RE = re.compile(r"[A-Z0-9][A-Za-z0-9&\-]{1,9}")
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_EDITORIAL_RE = re.compile(r"\[([^\[\]]*)\]")
_MARKUP_RE = re.compile(r"[*#_]+")


@dataclass(frozen=True)
class Definition:
    """One place where an acronym is defined."""

    short: str
    long: str
    passage: str | None = None


def _is_short_form(text: str) -> bool:
    if not _SHORT_RE.fullmatch(text):
        return False
    if not any(c.isalpha() for c in text):
        return False
    return sum(c.isupper() for c in text) >= 1 and not text[1:].islower() or (
        # "Napo": one capital then lower case, only when short
        len(text) <= 5 and text[0].isupper()
    )


def _clean(text: str) -> str:
    text = _EDITORIAL_RE.sub(r"\1", text)
    text = _MARKUP_RE.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def match_long_form(short: str, words_before: str) -> str | None:
    """The long form of ``short`` at the end of ``words_before``, or None.

    >>> match_long_form("CAS3", "where do projects like Community Accommodation Service Tier 3")
    'Community Accommodation Service Tier 3'
    >>> match_long_form("MOPAC", "from the Mayor's Office for Policing and Crime")
    "Mayor's Office for Policing and Crime"
    """
    chars = [c.lower() for c in short if c.isalnum()]
    if chars and chars[-1] == "s" and len(chars) > 2 and short[-1] == "s" and short[-2].isupper():
        chars = chars[:-1]  # plural: CSPs
    if len(chars) < 2:
        return None
    text = _clean(words_before)
    words = [m for m in _WORD_RE.finditer(text)]
    max_words = min(len(chars) + 5, 2 * len(chars))
    if not words:
        return None
    window_start = words[max(0, len(words) - max_words)].start()
    long = text[window_start:]
    lower = long.lower()

    def at_start(pos: int) -> bool:
        return pos == 0 or not long[pos - 1].isalnum()

    # Dynamic programme over the places each character can match (left to
    # right, in order): the most characters at word starts wins, then the
    # shortest long form. The first character must start a word.
    best: dict[int, tuple[int, int]] = {}  # position of char i -> (starts, first position)
    for i, c in enumerate(chars):
        places = [p for p in range(len(lower)) if lower[p] == c and (i > 0 or at_start(p))]
        current: dict[int, tuple[int, int]] = {}
        for p in places:
            bonus = 1 if at_start(p) else 0
            if i == 0:
                current[p] = (bonus, p)
                continue
            options = [value for q, value in best.items() if q < p]
            if options:
                starts, first = max(options)
                current[p] = (starts + bonus, first)
        best = current
        if not best:
            return None
    starts, begin = max(best.values())
    result = long[begin:].strip(" ,;:-")
    if starts * 2 < len(chars):
        return None
    n_words = len(_WORD_RE.findall(result))
    if n_words < 2 and len(result) <= len(short) or n_words > max_words:
        return None
    if short.lower() in result.lower().split():
        return None
    return result


def find_definitions(text: str) -> Iterator[tuple[str, str]]:
    """(short, long) pairs defined in ``text``, in order."""
    for match in _PAREN_RE.finditer(text):
        inside = _clean(match.group(1))
        before = text[max(0, match.start() - 300) : match.start()]
        # cut at the last sentence end / bracket so the long form stays in one phrase
        cut = max(before.rfind(". "), before.rfind("; "), before.rfind(")"), before.rfind(": "))
        if cut >= 0:
            before = before[cut + 1 :]
        if _is_short_form(inside):
            long = match_long_form(inside, before)
            if long:
                yield inside, long
            continue
        # reversed: "CAS3 (Community Accommodation Service Tier 3)"
        prev = re.search(r"([A-Z0-9][A-Za-z0-9&\-]{1,9})\s*$", before)
        if prev and _is_short_form(prev.group(1)) and " " in inside:
            short = prev.group(1)
            long = match_long_form(short, inside)
            if long and long == inside.strip(" ,;:-"):
                yield short, long


def build_glossary(passages: Iterable) -> list[Acronym]:
    """The corpus glossary: one :class:`Acronym` per short form, with the long
    form most often given (case-insensitively; ties: the first seen, as first
    written) and the ids of the passages defining it. Sorted by short form,
    case-insensitively."""
    return glossary_from(passage_definitions(passages))


def passage_definitions(passages: Iterable) -> Iterator[tuple[str, str, str]]:
    """(passage id, short, long) of every definition in ``passages``, in order
    (what :func:`glossary_from` needs: a corpus's glossary is made from the
    definitions of its documents, in corpus order)."""
    for passage in passages:
        if "(" not in passage.text:
            continue
        for short, long in find_definitions(passage.text):
            yield passage.id, short, long


def glossary_from(definitions: Iterable[tuple[str, str, str]]) -> list[Acronym]:
    """The glossary of :func:`build_glossary` from (passage id, short, long) in corpus order."""
    counts: dict[str, Counter] = defaultdict(Counter)
    surface: dict[tuple[str, str], str] = {}  # (short, long lower) -> first spelling
    first: dict[tuple[str, str], int] = {}
    where: dict[str, list[str]] = defaultdict(list)
    for passage_id, short, long in definitions:
        key = (short, long.lower().replace("’", "'"))
        counts[short][key[1]] += 1
        surface.setdefault(key, long)
        first.setdefault(key, len(first))
        if passage_id not in where[short]:
            where[short].append(passage_id)
    out = []
    for short, counter in counts.items():
        best = min(counter, key=lambda lo: (-counter[lo], first[(short, lo)]))
        out.append(Acronym(short=short, long=surface[(short, best)], passages=tuple(where[short])))
    return sorted(out, key=lambda a: (a.short.lower(), a.short))
