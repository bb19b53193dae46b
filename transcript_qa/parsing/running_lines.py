"""Running page headers and footers left in a transcript's text.

Text taken from a printed record keeps the line printed at the head (or foot) of
every page: a court reporter's page code and witness ("O5S1GUO3 Le Zhou - Cross"),
a running title ("City Commission Meeting"). It falls wherever the page broke,
often mid-sentence::

    with the impression that Mr. Guo was going to fund the Rule of
    <blank lines>
    O5S1GUO3 Le Zhou - Cross
    Law Foundation to a hundred million dollars, correct?

:func:`blank_running_lines` blanks such lines, and where one cut a sentence it
joins the two halves back onto one line (the blank lines of the page break become
spaces). Every other character keeps its place, so passages' offsets still point
into the file as it is.

A line is a running line when it is printed the same (digits aside:
``line_key``) at least ``MIN_RUNNING`` times, is a short line that never ends
a sentence and is no speaker label (nor a speaker's name alone on its line), and shows what only page furniture shows:

* it cuts a sentence at least twice (the line above ends mid-sentence and the line
  below carries on in lower case), or
* it recurs at a page's regular spacing (``MIN_PAGE_LINES`` lines or more apart) and
  either cuts a sentence once or carries a number that changes (a page number).

A line of speech said many times ("Thank you.", "Objection.", "Yes.") ends a
sentence, is a turn's own paragraph, and recurs at no regular spacing: it stays.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from statistics import median

from .common import ends_sentence, starts_lower
from .labels_text import find_label, name_line

#: A line printed the same at least this many times (digits aside) may be a running line.
MIN_RUNNING = 4
#: A running line is short.
MAX_CHARS = 100
MAX_WORDS = 12
#: Regular spacing: a page's length at least this many lines, and this share of the gaps
#: within ``SPACING_TOLERANCE`` of the typical gap (at least two lines either way).
MIN_PAGE_LINES = 10
REGULAR_SHARE = 0.75
SPACING_TOLERANCE = 0.1
#: A page break (blank lines, page numbers, running lines) spans at most this many lines either side.
MAX_BREAK_LINES = 8
#: A running line that cuts this many sentences is furniture whatever its spacing.
MIN_CUTS = 2

_DIGITS = re.compile(r"\d+")
_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: A page number alone ("12", "Page 12"): furniture beside a running line.
_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,5}", re.IGNORECASE)
#: A line opening a court examination's question or answer ("Q. ...", "A: ...").
_QA_MARK = re.compile(r"[QA][.:]?\s")


def line_key(line: str) -> str:
    """What a page's furniture line is, digits aside: the same key on every page
    ("Page 3 of 12", "O5S1GUO3 Le Zhou - Cross")."""
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def _shaped(line: str) -> bool:
    """Short, with a letter, ending no sentence, and no speaker label."""
    if len(line) > MAX_CHARS or len(line.split()) > MAX_WORDS or not any(ch.isalpha() for ch in line):
        return False
    if ends_sentence(line) or line.endswith(("-", "—", "–", ",")) or _PAGE_NUMBER.fullmatch(line):
        return False
    return find_label(line) is None and name_line(line) is None  # a speaker's name alone on its line stays


def _regular(places: list[int]) -> bool:
    gaps = [b - a for a, b in itertools.pairwise(places)]
    typical = median(gaps)
    if typical < MIN_PAGE_LINES:
        return False
    slack = max(2.0, SPACING_TOLERANCE * typical)
    return sum(abs(g - typical) <= slack for g in gaps) >= REGULAR_SHARE * len(gaps)


def _cut(above: str, below: str) -> bool:
    """Does a page break between these lines cut a sentence: the line above is prose
    stopped mid-sentence, the line below carries on (no turn, heading or list starts)?"""
    if ends_sentence(above) or not any(ch.islower() for ch in above):
        return False
    if starts_lower(below):
        return True
    return (any(ch.islower() for ch in below) and find_label(below) is None
            and not _QA_MARK.match(below))


def blank_running_lines(text: str) -> str:
    """``text`` with its running headers and footers blanked (module doc), the
    sentences they cut joined back; else ``text`` itself."""
    raws = text.splitlines(keepends=True)
    if len(raws) < MIN_RUNNING * 2:
        return text
    bodies = [raw.rstrip(_BREAKS).strip() for raw in raws]
    shaped = functools.cache(_shaped)  # furniture recurs: each line read once
    keys: list[str | None] = [line_key(body) if body and shaped(body) else None for body in bodies]
    places: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            places.setdefault(key, []).append(i)
    places = {k: v for k, v in places.items() if len(v) >= MIN_RUNNING}
    if not places:
        return text

    def skip(i: int) -> bool:  # blank, or furniture of its own
        return not bodies[i] or bool(_PAGE_NUMBER.fullmatch(bodies[i]))

    def around(i: int, passed: Callable[[int], bool]) -> tuple[int | None, int | None]:
        """The lines of text above and below line ``i``, past blank lines, page numbers and
        the lines ``passed`` says are furniture."""
        p = i - 1
        while p >= 0 and i - p <= MAX_BREAK_LINES and (skip(p) or passed(p)):
            p -= 1
        n = i + 1
        while n < len(bodies) and n - i <= MAX_BREAK_LINES and (skip(n) or passed(n)):
            n += 1
        found = 0 <= p and i - p <= MAX_BREAK_LINES and n < len(bodies) and n - i <= MAX_BREAK_LINES
        return (p, n) if found else (None, None)

    running: set[int] = set()
    for key, at in places.items():
        cuts = strong = 0
        for i in at:
            p, n = around(i, lambda j, key=key: keys[j] == key)
            if p is None or n is None or not _cut(bodies[p], bodies[n]):
                continue
            cuts += 1
            strong += starts_lower(bodies[n])
        changing = len({bodies[i] for i in at}) > 1
        if strong >= MIN_CUTS or (_regular(at) and (cuts or changing)):
            running.update(at)
    if not running:
        return text

    out = list(raws)
    for i in running:
        out[i] = re.sub(rf"[^{_BREAKS}]", " ", raws[i])
    for i in sorted(running):
        p, n = around(i, running.__contains__)
        if p is None or n is None or not _cut(bodies[p], bodies[n]):
            continue  # a paragraph, a turn or a heading starts below the page break: its own line
        # the sentence the page break cut: its halves on one line, the break's lines spaces
        body = out[p].rstrip(_BREAKS)
        out[p] = body + " " * (len(out[p]) - len(body))
        for j in range(p + 1, n):
            out[j] = " " * len(out[j])
    return "".join(out)
