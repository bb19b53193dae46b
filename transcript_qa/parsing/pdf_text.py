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
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from .common import Unreadable
from .transcript import find_label

#: A line that starts a paragraph of its own: a bullet or a paragraph number.
_MARKER = re.compile(r"^\s*(?:[•▪◦●\-–*]\s|\(?[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]\s|\(?[a-z]{1,3}\)\s)")
_SENTENCE_END = re.compile(r"[.?!:;\"'”’)]\s*$")
_DIGITS = re.compile(r"\d+")
#: At most this many pages are read (a bound on time and memory for a hostile file).
MAX_PAGES = 5_000


class PdfUnreadable(Unreadable):
    """Why a PDF gives no text (``str(err)``)."""


def pdf_to_text(data: bytes) -> str:
    """The text of a PDF, in paragraphs (see the module doc)."""
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
            pages.append((page.extract_text() or "").replace("\r\n", "\n").replace("\r", "\n"))
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
    return text


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def _without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop a line that stands first or last on most pages (digits aside)."""
    if len(pages) < 3:
        return pages
    edges: Counter[str] = Counter()
    for page in pages:
        content = [line for line in page if line.strip()]
        for line in {*content[:2], *content[-2:]}:
            edges[_key(line)] += 1
    running = {key for key, n in edges.items() if key and n >= max(3, len(pages) // 2)}
    out = []
    for page in pages:
        content = [i for i, line in enumerate(page) if line.strip()]
        drop = {i for i in content[:2] + content[-2:] if _key(page[i]) in running}
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
