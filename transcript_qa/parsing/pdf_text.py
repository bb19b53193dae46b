"""PDF files (inquiry reports, response letters, minutes, transcripts) as text.

With the optional ``[pdf]`` extra (pypdf, a pure-Python PDF reader: text
extraction is a job a well-kept library does far better than code of ours),
:func:`pdf_to_text` extracts each page's text and lays it out as the other
parsers read text: paragraphs separated by a blank line. A PDF's text comes as
lines with no blank lines between paragraphs, so a paragraph is taken to start
where a line

* opens with a speaker label (``Chair: ...``, what a transcript turn starts with),
  a bullet, or a paragraph number (``4.``, ``4.2``, ``(a)``);
* follows a short line ending a sentence (a paragraph's last line is short);

and a running header or footer (the same line, digits aside, at the top or the
bottom of most pages: "Page 3 of 12", the committee's name) is left out. Pages
are joined by a blank line; a paragraph cut by a page break is joined back by
the parsers, as in any text. Without pypdf, or for a PDF it cannot read
(encrypted, damaged, scanned images without text), :class:`PdfUnreadable` says
why, and the file is skipped with that reason.

Words run together. pypdf's default ("plain") extraction puts a space between two
pieces of text only where the gap between them is wider than what it computes
as the first piece's width plus half a space; it leaves the horizontal scaling
(``Tz``) out of that width. A text layer that squeezes each word (``85 Tz``, as
OCR tools and some justified-text writers draw it) therefore looks, to pypdf,
as if each word overlapped the next: "CommissionerFernandez: So, I hadbrought".
Such a page is read again in pypdf's layout mode, which places glyphs by their
scaled widths (its padding spaces are then folded to one), and that text is kept
when it separates the same letters into clearly more words with fewer long runs
of letters (a run of 15+ letters is 0.4 % of the words of an English record,
10-20 % of such a page). A page laid out in columns keeps the plain text (layout
mode would put the columns side by side). Only pages that look run together are
read twice, so other PDFs cost no more. :func:`pdf_text` also says, in a
warning, when the text still looks run together (words drawn with no gap at all).
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from typing import Any

from .common import Unreadable
from .running_lines import line_key
from .transcript import find_label

#: A line that starts a paragraph of its own: a bullet or a paragraph number.
_MARKER = re.compile(r"^\s*(?:[•▪◦●\-–*]\s|\(?[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]\s|\(?[a-z]{1,3}\)\s)")
_SENTENCE_END = re.compile(r"[.?!:;\"'”’)]\s*$")
#: At most this many pages are read (a bound on time and memory for a hostile file).
MAX_PAGES = 5_000
#: A running header or footer is looked for among this many lines at the top and the bottom of a page.
EDGE_LINES = 5
#: Runs of letters (a word, or words that lost their spaces: "ResolutiondirectingtheCity").
_LETTER_RUN = re.compile(r"[^\W\d_]+")
#: A run of letters this long is rarely one word (0.4 % of an English record's words).
LONG_RUN = 15
#: A page whose runs of letters are this long this often looks run together ...
RUN_TOGETHER_SHARE = 0.03
#: ... when there are at least this many of them (one URL or chemical name is not enough).
RUN_TOGETHER_MIN = 3
#: A PDF still looks run together, with a warning, when at least ``STUCK_SHARE`` (and
#: ``STUCK_MIN``) of its runs of letters are ``STUCK_RUN`` letters or more: 6-8 % of the
#: words of pages read run together, 0 in English records, 0.2 % in a German text
#: (whose compounds make a stricter page test, as above, too eager for a warning).
STUCK_RUN = 20
STUCK_SHARE = 0.01
STUCK_MIN = 5
#: Layout-mode text replaces plain text only with at least this many more words per plain word.
MORE_WORDS = 1.1
#: ... of (nearly) the same letters, in any order (layout mode orders lines by their height on the page).
LETTERS_DIFFER = 0.02
#: A line with an inner gap of this many spaces (layout mode) shows a second column ...
_COLUMN_GAP = re.compile(r"\S {6,}\S")
#: ... and a page where this share of lines has one is laid out in columns.
COLUMN_SHARE = 0.25


class PdfUnreadable(Unreadable):
    """Why a PDF gives no text (``str(err)``)."""


def pdf_to_text(data: bytes) -> str:
    """The text of a PDF, in paragraphs (see the module doc)."""
    return pdf_text(data)[0]


def pdf_text(data: bytes) -> tuple[str, str | None]:
    """The text of a PDF, in paragraphs, and a warning (None when all is well)
    when its words still run together after both ways of reading them."""
    try:
        from pypdf import PdfReader
    except ImportError:
        raise PdfUnreadable("a PDF: install the pdf extra to read it (pip install \"transcript-qa[pdf]\")") from None
    log = logging.getLogger("pypdf")  # its notes on damaged files ("EOF marker not found") are not ours to print
    level = log.level
    log.setLevel(logging.ERROR + 10)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfUnreadable("an encrypted PDF (a password is needed)")
        pages = []
        for i, page in enumerate(reader.pages):
            if i >= MAX_PAGES:
                break
            pages.append(_page_text(page))
    except PdfUnreadable:
        raise
    except Exception as err:  # noqa: BLE001 - pypdf raises many types for damaged files
        raise PdfUnreadable(f"a PDF that cannot be read ({type(err).__name__}: {err})"[:200]) from None
    finally:
        log.setLevel(level)
    lines = [[line.rstrip() for line in page.split("\n")] for page in pages]
    lines = _without_running_lines(lines)
    text = "\n\n".join(p for p in (_paragraphs(page) for page in lines) if p)
    if not text.strip():
        raise PdfUnreadable("a PDF with no text (a scan? it needs OCR first)")
    runs = [run for page in pages for run in _LETTER_RUN.findall(page)]
    stuck = sum(len(run) >= STUCK_RUN for run in runs)
    warning = None
    if stuck >= STUCK_MIN and stuck >= STUCK_SHARE * len(runs):
        warning = (f"words run together ({stuck} runs of {STUCK_RUN}+ letters, {stuck / len(runs):.0%} of its "
                   "words: the PDF draws words without the gaps a reader takes for spaces); searches can miss "
                   "words and speaker labels")
    return text, warning


def _lines(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _page_text(page: Any) -> str:
    """A page's text: pypdf's plain extraction, or its layout mode where the
    plain text runs words together and layout mode separates them (module doc)."""
    plain = _lines(page.extract_text())
    if not run_together(plain):
        return plain
    try:
        layout = _lines(page.extract_text(extraction_mode="layout", layout_mode_space_vertically=False))
    except Exception:  # noqa: BLE001 - layout mode is pypdf's experimental reader; the plain text stands
        return plain
    rows = [line for line in layout.split("\n") if line.strip()]
    if not rows or sum(_COLUMN_GAP.search(line.strip()) is not None for line in rows) > COLUMN_SHARE * len(rows):
        return plain
    layout = "\n".join(" ".join(line.split()) for line in rows)
    plain_runs, layout_runs = _LETTER_RUN.findall(plain), _LETTER_RUN.findall(layout)
    plain_letters, layout_letters = Counter("".join(plain_runs)), Counter("".join(layout_runs))
    differ = (plain_letters - layout_letters).total() + (layout_letters - plain_letters).total()
    if differ > LETTERS_DIFFER * plain_letters.total():  # some text lost or added (rotated text is left out)
        return plain
    if len(layout.split()) < MORE_WORDS * len(plain.split()) or _long_runs(layout_runs) >= _long_runs(plain_runs):
        return plain
    return layout


def _long_runs(runs: list[str]) -> int:
    return sum(len(run) >= LONG_RUN for run in runs)


def run_together(text: str) -> bool:
    """Whether the words of ``text`` look run together: at least
    ``RUN_TOGETHER_MIN`` runs of ``LONG_RUN``+ letters, and at least
    ``RUN_TOGETHER_SHARE`` of its runs of letters."""
    runs = _LETTER_RUN.findall(text)
    long = _long_runs(runs)
    return long >= RUN_TOGETHER_MIN and long >= RUN_TOGETHER_SHARE * len(runs)


def _without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop the lines at the top and the bottom of a page that stand among the
    first or last ``EDGE_LINES`` lines of most pages (digits aside): a running
    header or footer, one line or a block of them ("City Council Meeting" /
    "January 9, 2024" / "Page 2"). Only lines between the page's edge and the
    text go: a repeated line below the first line of text stays."""
    if len(pages) < 3:
        return pages
    edges: Counter[str] = Counter()
    for page in pages:
        content = [line for line in page if line.strip()]
        for line in {*content[:EDGE_LINES], *content[-EDGE_LINES:]}:
            edges[line_key(line)] += 1
    running = {key for key, n in edges.items() if key and n >= max(3, len(pages) // 2)}
    out = []
    for page in pages:
        content = [i for i, line in enumerate(page) if line.strip()]
        drop: set[int] = set()
        for ends in (content[:EDGE_LINES], content[::-1][:EDGE_LINES]):
            for i in ends:
                if line_key(page[i]) not in running:
                    break
                drop.add(i)
        out.append([line for i, line in enumerate(page) if i not in drop])
    return out


def _paragraphs(lines: list[str]) -> str:
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if not lengths:
        return ""
    full = lengths[int(0.8 * (len(lengths) - 1))]  # a full line's length
    out: list[str] = []
    previous = ""
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            previous = ""
            continue
        starts = bool(out) and out[-1] != "" and (
            find_label(line.strip()) is not None
            or _MARKER.match(line) is not None
            or (len(previous.strip()) < 0.8 * full and _SENTENCE_END.search(previous) is not None)
        )
        if starts:
            out.append("")
        out.append(line)
        previous = line
    return "\n".join(out).strip("\n")
