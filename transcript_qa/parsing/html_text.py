"""HTML pages (a committee's web transcript, a council's minutes page) as text.

:func:`html_to_text` renders a page as the plain text the other parsers read:
one paragraph per block element (``p``, ``div``, headings, list items, table
rows, ``br`` a line break), whitespace collapsed as a browser does (kept in
``pre``), character references decoded, ``script``/``style``/``head`` dropped.
Bold text that opens a paragraph (``<b>Cllr Okafor:</b> I move ...``) keeps its
``**`` marks, the cue a speaker label often is. It returns the text and an
:class:`OffsetMap` from text offsets back to the page's, so a passage's
``start``/``end`` point into the HTML it came from, as they point into any file.
Standard library only (:mod:`html.parser`), which is lenient: a broken page
gives what text it has, never an error.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html.parser import HTMLParser

#: Elements that are paragraphs of their own.
_BLOCKS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td th thead "
    "tfoot tr ul".split()
)
#: Table cells inside a row: separated by a space, not a paragraph break.
_CELLS = frozenset(("td", "th"))
_SKIP = frozenset(("script", "style", "head", "template", "noscript", "svg", "title"))
_BOLD = frozenset(("b", "strong"))
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class OffsetMap:
    """Text offsets -> page offsets: ``text_starts[i]`` in the text is
    ``page_starts[i]`` in the page (piecewise, one piece per run of text)."""

    text_starts: tuple[int, ...]
    page_starts: tuple[int, ...]
    page_length: int

    def page_offset(self, offset: int) -> int:
        i = bisect.bisect_right(self.text_starts, offset) - 1
        if i < 0:
            return 0
        return min(self.page_length, self.page_starts[i] + (offset - self.text_starts[i]))


def is_html(text: str, filename: str = "") -> bool:
    """An HTML page, by its extension or its first tag."""
    if filename.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


class _Renderer(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", page)]
        self.out: list[str] = []
        self.length = 0
        self.text_starts: list[int] = []
        self.page_starts: list[int] = []
        self.skip = 0
        self.pre = 0
        self.at_block_start = True
        self.pending_break = ""
        self.open_bold = False

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col if line - 1 < len(self.line_starts) else len(self.page)

    def _emit(self, text: str, page_at: int) -> None:
        if not text:
            return
        if self.pending_break and self.length:
            self.out.append(self.pending_break)
            self.length += len(self.pending_break)
        self.pending_break = ""
        self.text_starts.append(self.length)
        self.page_starts.append(page_at)
        self.out.append(text)
        self.length += len(text)
        self.at_block_start = False

    def _break(self, kind: str) -> None:
        if kind == "\n\n" or not self.pending_break:
            self.pending_break = kind
        if kind == "\n\n":
            self.at_block_start = True
        self._close_bold()

    def _close_bold(self) -> None:
        if self.open_bold:
            self.out.append("**")
            self.length += 2
            self.open_bold = False

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - html.parser's signature
        if tag in _SKIP:
            self.skip += 1
        elif self.skip:
            return
        elif tag == "br":
            self._break("\n")
        elif tag in _CELLS:
            if not self.at_block_start:
                self._emit(" ", self._pos())
        elif tag in _BLOCKS:
            self._break("\n\n")
            if tag == "pre":
                self.pre += 1
        elif tag in _BOLD and self.at_block_start and not self.open_bold:
            self._emit("**", self._pos())
            self.at_block_start = True  # the label is still to come
            self.open_bold = True

    def handle_startendtag(self, tag: str, attrs) -> None:  # noqa: ANN001
        if tag == "br" and not self.skip:
            self._break("\n")
        elif tag in _BLOCKS and not self.skip:
            self._break("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag in _BOLD:
            self._close_bold()
        elif tag in _BLOCKS and tag not in _CELLS:
            self._break("\n\n")
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        at = self._pos()
        if not self.pre:
            text = _SPACE.sub(" ", data)
            if self.at_block_start or (self.out and self.out[-1].endswith((" ", "\n"))):
                text = text.lstrip(" ")
            if not text:
                return
        else:
            text = data
        lead = len(data) - len(data.lstrip()) if not self.pre else 0
        self._emit(text, at + lead)


def html_to_text(page: str) -> tuple[str, OffsetMap]:
    """The page as paragraphs of plain text, and where each piece came from."""
    renderer = _Renderer(page)
    try:
        renderer.feed(page)
        renderer.close()
    except (AssertionError, ValueError):  # pragma: no cover - html.parser is lenient; keep what was read
        pass
    renderer._close_bold()
    text = "".join(renderer.out)
    return text, OffsetMap(tuple(renderer.text_starts), tuple(renderer.page_starts), len(page))
