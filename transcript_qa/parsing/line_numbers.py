"""Line numbers printed down a page's margin, as court and deposition
transcripts print them (1 to 25, again on every page, with the page number
alone on a line, and the reporter's name in a running footer).

:func:`blank_line_numbers` replaces those numbers with spaces, so that the
labels behind them read as labels and the numbers never join a passage's
words, and blanks the page's furniture too: page numbers, and unnumbered lines
printed the same on three pages or more. Every other character keeps its
place, so passages' offsets still point into the file as it is.
"""

from __future__ import annotations

import re
from collections import Counter

#: A line opening with a number of one or two digits, then space or the line's end; the first
#: line of a page may carry the page too ("00006:01", as e-transcript text files print it).
_NUMBERED = re.compile(r"^[ \t]*(?P<mark>(?:\d{1,5}:)?(?P<line>\d{1,2}))(?=[ \t]|\r?$)")
#: A line that is only a number (a page number).
_PAGE_NUMBER = re.compile(r"^[ \t]*\d{1,4}[ \t]*\r?$")
#: At least this many numbered lines, and this share of the lines with text.
MIN_NUMBERED = 20
MIN_SHARE = 0.5
#: The share of numbered lines that must follow the one before (n after n - 1, or 1 after a page's last).
MIN_IN_SEQUENCE = 0.8
#: A page has at most this many numbered lines, and its lines are at most about this wide (median).
MAX_PAGE_LINES = 30
MAX_WIDTH = 90
#: An unnumbered line printed the same this many times is a running header or footer.
PAGE_FURNITURE = 3


def blank_line_numbers(text: str) -> str:
    """``text`` with margin line numbers (and lone page numbers) blanked, when
    most of its lines are numbered in sequence; else ``text`` itself."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    numbered: list[tuple[int, int]] = []  # (line, its number)
    filled = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        filled += 1
        m = _NUMBERED.match(line)
        if not m:
            continue
        number = int(m.group("line"))
        # a number alone is the page's, unless it goes on from the line before (an empty line
        # keeps its number in some transcripts)
        if not _PAGE_NUMBER.match(line) or (numbered and number == numbered[-1][1] + 1):
            numbered.append((i, number))
    if len(numbered) < MIN_NUMBERED or len(numbered) < MIN_SHARE * filled:
        return text
    in_sequence = sum(1 for (_, a), (_, b) in zip(numbered, numbered[1:]) if b == a + 1 or (b == 1 and a >= 5))
    if in_sequence < MIN_IN_SEQUENCE * (len(numbered) - 1):
        return text
    # a page's lines: numbered again from 1 on the next page, never past a page's length,
    # and as short as a page is wide (numbered paragraphs go on counting, and run long)
    restarts = sum(1 for (_, a), (_, b) in zip(numbered, numbered[1:]) if b == 1 and a >= 5)
    widths = sorted(len(lines[i].rstrip()) for i, _ in numbered)
    if restarts < 1 or max(n for _, n in numbered) > MAX_PAGE_LINES or widths[len(widths) // 2] > MAX_WIDTH:
        return text
    for i, _ in numbered:
        m = _NUMBERED.match(lines[i])
        lines[i] = lines[i][: m.start("mark")] + " " * (m.end("mark") - m.start("mark")) + lines[i][m.end("mark"):]
    numbered_lines = {i for i, _ in numbered}
    unnumbered = Counter(line.strip() for i, line in enumerate(lines) if i not in numbered_lines and line.strip())
    for i, line in enumerate(lines):
        if _PAGE_NUMBER.match(line):
            lines[i] = re.sub(r"\d", " ", line)
        elif i not in numbered_lines and ":" not in line and unnumbered[line.strip()] >= PAGE_FURNITURE:
            lines[i] = re.sub(r"\S", " ", line)  # a running header or footer (never a label, "BY MR. X:")
    return "\n".join(lines)
