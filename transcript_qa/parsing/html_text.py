"""HTML pages (a committee's web transcript, a council's minutes page) as text.

:func:`html_to_text` renders a page as the plain text the other parsers read:
one paragraph per block element (``p``, ``div``, headings, list items, table
rows, ``br`` a line break), whitespace collapsed as a browser does (kept in
``pre``), character references decoded, ``script``/``style``/``head`` dropped.
Navigation is left out too: ``nav``, a ``footer`` outside an article, any element
whose ``role``, ``class`` or ``id`` says navigation, menu, breadcrumb or skip-link
(``<div class="navLinks">``), a paragraph made only of two or more short links
(``Home | Index | Next``), and a paragraph that is only a printed column or page
marker (``19 July 2011 : Column 772``, ``Page 4``); a link inside a sentence stays.
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
#: Words of a ``class``/``id`` (split at ``-``, ``_`` and camelCase) or a ``role`` that mark navigation.
_NAV_WORDS = frozenset((
    "nav", "navbar", "navigation", "navlinks", "menu", "menubar", "breadcrumb", "breadcrumbs", "skip", "skiplink",
    "skiplinks", "pagination", "pager",
))
_NAV_ROLES = frozenset(("navigation", "menu", "menubar", "menuitem"))
_WORD_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
#: Holders of a page's own content: a class word there does not make them navigation.
_CONTENT = frozenset(("html", "body", "main", "article"))
#: Elements with no end tag.
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"))
#: A paragraph that is only a printed column or page marker, a date before it or not.
_MARKER = re.compile(
    r"\s*(?:\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\s*:\s*)?(?:Column|Col\.|Page)\s+\d{1,5}[A-Za-z]{0,2}\s*"
)
#: The most words a link may have to count as a navigation link.
_NAV_LINK_WORDS = 4


def _is_navigation(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    if tag == "nav":
        return True
    if tag in _CONTENT:
        return False
    for name, value in attrs:
        if not value:
            continue
        if name == "role" and value.strip().lower() in _NAV_ROLES:
            return True
        if name in ("class", "id"):
            for token in value.split():
                words = {w.lower() for w in _WORD_PARTS.findall(token)}
                if words & _NAV_WORDS or token.lower().replace("-", "").replace("_", "") in _NAV_WORDS:
                    return True
    return False


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
        self.nav: list[str] = []  # the tag of the navigation element being left out, as it nests
        self.nav_depth = 0
        self.article = 0  # inside article or main
        self.footer: list[int] = []  # depth of each footer left out
        self.link = 0
        self.link_words = 0
        # the paragraph being read: where it began in the output, its links' sizes, other words
        self.para: tuple[int, int, int] | None = None
        self.para_links: list[int] = []
        self.para_text = False

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col if line - 1 < len(self.line_starts) else len(self.page)

    def _emit(self, text: str, page_at: int) -> None:
        if not text:
            return
        if self.para is None:
            self.para = (len(self.out), self.length, len(self.text_starts))
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
        self._close_bold()
        if kind == "\n\n":
            self._end_paragraph()
        if kind == "\n\n" or not self.pending_break:
            self.pending_break = kind
        if kind == "\n\n":
            self.at_block_start = True

    def _end_paragraph(self) -> None:
        """Take back the paragraph just read when it is only short links or a column marker."""
        if self.para is not None:
            n_out, length, n_pieces = self.para
            links_only = (
                not self.para_text and len(self.para_links) >= 2 and max(self.para_links) <= _NAV_LINK_WORDS
            )
            short = self.length - length <= 80
            if links_only or short and _MARKER.fullmatch("".join(self.out[n_out:]).replace("**", "")):
                del self.out[n_out:]
                del self.text_starts[n_pieces:]
                del self.page_starts[n_pieces:]
                self.length = length
                self.pending_break = "\n\n"
        self.para = None
        self.para_links = []
        self.para_text = False

    def _close_bold(self) -> None:
        if self.open_bold:
            self.out.append("**")
            self.length += 2
            self.open_bold = False

    def _leave_out(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        """Is this start tag inside (or the start of) navigation left out? Keeps count."""
        if self.nav:
            if tag == self.nav[0]:
                self.nav_depth += 1
            return True
        if tag in _VOID:
            return False
        if tag == "footer" and not self.article or _is_navigation(tag, attrs):
            self.nav.append(tag)
            self.nav_depth = 1
            return True
        return False

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - html.parser's signature
        if tag in _SKIP:
            self.skip += 1
        elif self.skip or self._leave_out(tag, attrs):
            return
        if tag in ("article", "main"):
            self.article += 1
        if tag == "a":
            if self.link == 0:
                self.link_words = 0
            self.link += 1
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
        if self.nav:
            return
        if tag == "br" and not self.skip:
            self._break("\n")
        elif tag in _BLOCKS and not self.skip:
            self._break("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif self.nav:
            if tag == self.nav[0]:
                self.nav_depth -= 1
                if self.nav_depth == 0:
                    self.nav.clear()
            return
        if tag in ("article", "main"):
            self.article = max(0, self.article - 1)
        if tag == "a" and self.link:
            self.link -= 1
            if self.link == 0 and self.link_words:
                self.para_links.append(self.link_words)
        elif tag in _BOLD:
            self._close_bold()
        elif tag in _BLOCKS and tag not in _CELLS:
            self._break("\n\n")
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.skip or self.nav:
            return
        if self.link:
            self.link_words += len(data.split())
        elif any(c.isalnum() for c in data):
            self.para_text = True
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
    renderer._end_paragraph()
    text = "".join(renderer.out)
    return text, OffsetMap(tuple(renderer.text_starts), tuple(renderer.page_starts), len(page))
