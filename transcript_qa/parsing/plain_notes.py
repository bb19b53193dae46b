"""Footnotes numbered in plain digits (PDF text of a committee report).

Reports printed with superscript markers keep them in PDF text only sometimes: as
often the marker is a plain number glued to the word or punctuation before it
(``... to be active.55``) and the page's footnotes are lines starting with a plain
number (``55 Q349``, ``57 King’s College London (EIM0014), DEFRA (EIM0034)``).

A number that ends a sentence may as well be a year or a quantity ("in 2019.",
"were 55."), so the rules are strict:

* **Footnote blocks.** A block whose lines are numbered (``\\d{1,3}`` then a space
  and text; other lines continue the note above), with at least two numbered lines
  whose numbers rise, at least half of which read as a source: a question number
  (``Q349``, ``Qq 12-15``), a written-evidence code in brackets (``(EIM0014)``),
  "As above", "Ibid", "Op. cit.", a URL. Once a document has such a block, a block
  with one numbered line that reads as a source is a footnote block too.
* **Markers.** A number one of those footnotes carries, of one to three digits,
  right after sentence punctuation or a closing quote or bracket that does not
  follow a digit ("active.55", "area.”15"; not "3.5") and followed by a space or
  the end of the line; at the very end of a paragraph it may also be glued to a
  word ("the North Sea57"). A number after a space is never a marker.

:func:`superscript_plain_notes` rewrites those footnote numbers and markers as
superscript digits, one character for one, so offsets into the text stay exact and
the superscript rules of :mod:`transcript_qa.parsing.sections` apply (the marker
leaves the paragraph's text, the footnote becomes its ``citation``).
"""

from __future__ import annotations

import re

from .common import SUPERSCRIPT_DIGITS, Block, split_blocks

_NUMBERED = re.compile(r"^\s*(\d{1,3})\s+(\S.*)$")
_SOURCE = re.compile(
    r"^(?:Qq?\s?\d{1,4}\b|ibid\b|as above\b|op\.? ?cit\b|loc\.? ?cit\b|idem\b)"
    r"|\([A-Z]{2,6}\s?\d{2,5}[A-Za-z]?\)?"
    r"|https?://|www\.",
    re.I,
)
#: a marker inside a paragraph: after punctuation (not after a digit), before a space or the line's end
_MARKER_AFTER_PUNCT = re.compile(r"(?<=[^\d\s][.,;:!?”’\")\]])(\d{1,3})(?=\s|$)")
#: a marker ending a paragraph, glued to a word
_MARKER_AT_END = re.compile(r"(?<=[A-Za-z])(\d{1,3})$")
_TO_SUPER = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)


def _reads_as_source(body: str) -> bool:
    return bool(_SOURCE.search(body.strip()))


_TOKEN = re.compile(r"\S+")


def _note_starts(block: Block) -> list[tuple[int, int, bool]] | None:
    """(offset, number, reads as a source) of each footnote a block holds, or None when
    it is not shaped like footnotes. A footnote starts with its number at the start of
    a line (numbers rise), or run in after the one before, numbered one more
    ("20 Q6 21 Q13 22 As above", as PDF text prints a page's notes)."""
    if not _NUMBERED.match(block.lines[0].text):
        return None
    starts: list[tuple[int, int]] = []  # (offset, number)
    bodies: list[list[str]] = []
    last = 0
    for line in block.lines:
        for j, m in enumerate(_TOKEN.finditer(line.text)):
            tok = m.group(0)
            n = int(tok) if tok.isdigit() and len(tok) <= 3 else None
            if n is not None and (j == 0 and n > last or n == last + 1):
                starts.append((line.start + m.start(), n))
                bodies.append([])
                last = n
            elif j == 0 and n is not None and _NUMBERED.match(line.text):
                return None  # a numbered line out of sequence
            elif bodies:
                bodies[-1].append(tok)
    return [(off, n, _reads_as_source(" ".join(body))) for (off, n), body in zip(starts, bodies)]


def plain_footnote_blocks(blocks: list[Block]) -> dict[int, list[tuple[int, int]]]:
    """Index of each plain-digit footnote block -> the (offset, number) of its notes."""
    shapes = {k: _note_starts(b) for k, b in enumerate(blocks)}
    strong = {k for k, s in shapes.items()
              if s and len(s) >= 2 and 2 * sum(1 for _, _, src in s if src) >= len(s)}
    if not strong:
        return {}
    found: dict[int, list[tuple[int, int]]] = {}
    for k, s in shapes.items():
        if s and (k in strong or (len(s) == 1 and s[0][2])):
            found[k] = [(i, n) for i, n, _ in s]
    return found


def superscript_plain_notes(text: str) -> tuple[str, frozenset[int]]:
    """``text`` with plain-digit footnote numbers and their markers as superscripts
    (same length), and the numbers of those footnotes; ``text`` itself and no numbers
    when it has no plain-digit footnotes."""
    if not any(ch.isdigit() for ch in text):
        return text, frozenset()
    blocks = split_blocks(text)
    notes = plain_footnote_blocks(blocks)
    if not notes:
        return text, frozenset()
    defined = {n for pairs in notes.values() for _, n in pairs}
    chars = list(text)

    def put(start: int, digits: str) -> None:
        chars[start:start + len(digits)] = digits.translate(_TO_SUPER)

    for k, block in enumerate(blocks):
        if k in notes:
            for offset, n in notes[k]:
                put(offset, str(n))
            continue
        for j, line in enumerate(block.lines):
            for m in _MARKER_AFTER_PUNCT.finditer(line.text):
                if int(m.group(1)) in defined:
                    put(line.start + m.start(1), m.group(1))
            if j == len(block.lines) - 1:
                m = _MARKER_AT_END.search(line.text)
                if m and int(m.group(1)) in defined:
                    put(line.start + m.start(1), m.group(1))
    return "".join(chars), frozenset(defined)


def plain_citations(footnotes: dict[int, str], numbers: frozenset[int]) -> None:
    """Give the footnotes printed with plain digits their number as printed again
    ("55 Q349", not "⁵⁵ Q349"), in place."""
    for n in numbers:
        note = footnotes.get(n)
        sup = str(n).translate(_TO_SUPER)
        if note is not None and note.startswith(sup):
            footnotes[n] = str(n) + note[len(sup):]
