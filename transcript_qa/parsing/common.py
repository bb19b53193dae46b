"""Helpers shared by the parsers: blocks with exact offsets, markup and footnote
markers, dates, form fields, heading and boilerplate heuristics.

A *block* is a run of non-blank lines (a paragraph as extracted from a PDF or a
web page). ``Block.start``/``Block.end`` are offsets into the decoded text such
that ``text[block.start:block.end]`` is the block without surrounding blanks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date
from typing import Any, Iterator, Mapping, Sequence

from ..model import Document, Passage


def new_passage(doc: Document, position: int, **fields: Any) -> Passage:
    """A passage of ``doc`` at ``position``, with the id every parser gives it
    (``"{document}:{position}"``, stable across rebuilds) and the document's kind,
    title and date."""
    return Passage(
        id=f"{doc.id}:{position}",
        document=doc.id,
        kind=doc.kind,
        title=doc.title,
        date=doc.date,
        position=position,
        **fields,
    )

# --- results ------------------------------------------------------------------------------


class Unreadable(Exception):
    """A packaged file (PDF, Word) whose text cannot be had; ``str(err)`` says why,
    and the corpus skips the file with that reason."""


@dataclass(frozen=True)
class ParseResult:
    """What a parser returns: passages plus what it learnt about the document.

    ``title``/``date``/``author``/``recipient`` are candidates the loader uses when
    the manifest does not give them. ``skipped`` lists input lines not used
    (bad JSON lines, for example) as ``(line, reason)``.
    """

    passages: tuple[Passage, ...]
    warnings: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None
    author: str | None = None
    recipient: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    skipped: tuple[tuple[int | None, str], ...] = ()
    #: speakers already identified by the source (person ids in parliamentary XML):
    #: no label-based resolution afterwards
    resolved: bool = False


# --- blocks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    text: str  # the line without its line break, right-stripped
    start: int  # offset of the line's first character


@dataclass(frozen=True)
class Block:
    """A run of non-blank lines."""

    start: int
    end: int
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text.strip() for line in self.lines)

    @property
    def first_line(self) -> str:
        return self.lines[0].text.strip()

    @property
    def last_line(self) -> str:
        return self.lines[-1].text.strip()


def iter_lines(text: str) -> Iterator[Line]:
    """Every line of ``text`` with its start offset (line breaks as ``str.splitlines``)."""
    offset = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        yield Line(body.rstrip(), offset)
        offset += len(raw)


def split_blocks(text: str) -> list[Block]:
    """Split ``text`` into blocks separated by blank lines (whitespace-only lines)."""
    blocks: list[Block] = []
    current: list[Line] = []

    def flush() -> None:
        if not current:
            return
        first, last = current[0], current[-1]
        lead = len(first.text) - len(first.text.lstrip())
        start = first.start + lead
        end = last.start + len(last.text)
        blocks.append(Block(start, end, tuple(current)))
        current.clear()

    for line in iter_lines(text):
        if line.text.strip():
            current.append(line)
        else:
            flush()
    flush()
    return blocks


# --- inline markup ------------------------------------------------------------------------

_LINK = re.compile(r"\[([^\[\]\n]*)\]\((?:[^()\s]|\([^()]*\))*\)")
_ITALIC = re.compile(r"(?<![A-Za-z0-9*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![A-Za-z0-9*])")
_UNDERSCORE_BOLD = re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u200b]+")
_HTML_TAG = re.compile(r"</?(?:b|i|u|em|strong|span|br|p|sup|sub)\b[^>]*>", re.IGNORECASE)


def strip_markup(text: str) -> str:
    """Remove light markup: ``**bold**``, ``*italic*``, ``[text](url)`` links, simple HTML tags.

    Square-bracketed text that is not a link (editorial insertions such as
    ``[Commander]``) is kept.
    """
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "*" in text:
        text = text.replace("**", "")
        text = _ITALIC.sub(r"\1", text)
    if "__" in text:
        text = _UNDERSCORE_BOLD.sub(r"\1", text)
    if "<" in text:
        text = _HTML_TAG.sub("", text)
    return text


def squash(text: str) -> str:
    """Collapse runs of spaces/tabs/no-break spaces to one space and strip."""
    return _SPACES.sub(" ", text).strip()


def join_lines(lines: Sequence[str]) -> str:
    """Join the hard-wrapped lines of one paragraph with single spaces."""
    return squash(" ".join(line.strip() for line in lines if line.strip()))


# --- footnote markers ---------------------------------------------------------------------

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_INT = {ch: i for i, ch in enumerate(SUPERSCRIPT_DIGITS)}
MARKER = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
FOOTNOTE_LINE = re.compile(f"^\\s*([{SUPERSCRIPT_DIGITS}]+)\\s*(\\S.*)$")


def superscript_to_int(marker: str) -> int:
    value = 0
    for ch in marker:
        value = value * 10 + _SUPER_TO_INT[ch]
    return value


def take_markers(text: str, defined: Mapping[int, str] | None = None) -> tuple[str, list[int]]:
    """Remove footnote markers from ``text``; return the text and the marker numbers.

    With ``defined``, only markers that name a defined footnote are removed (so a
    stray "m²" stays as written).
    """
    found: list[int] = []

    def repl(m: re.Match[str]) -> str:
        n = superscript_to_int(m.group(0))
        if defined is not None and n not in defined:
            return m.group(0)
        found.append(n)
        return ""

    if not MARKER.search(text):
        return text, found
    return MARKER.sub(repl, text), found


def is_footnote_block(block: Block) -> bool:
    """Every line starts with a superscript number, or continues the previous footnote."""
    return bool(FOOTNOTE_LINE.match(block.lines[0].text))


# --- dates --------------------------------------------------------------------------------

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MDY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _date(y, m, d).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> str | None:
    """The first clear date in ``text`` as ISO ``yyyy-mm-dd`` ("Wednesday 20 July 2022",
    "March 17, 2023", "2023-03-17", "19/01/2023" read day first), else None."""
    best: tuple[int, str] | None = None
    for rx, order in ((_ISO, "ymd"), (_DMY, "dmy"), (_MDY, "mdy"), (_NUMERIC, "dmy_num")):
        m = rx.search(text)
        if not m:
            continue
        if order == "ymd":
            value = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif order == "dmy":
            value = _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        elif order == "mdy":
            value = _iso(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
        else:
            value = _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if value and (best is None or m.start() < best[0]):
            best = (m.start(), value)
    return best[1] if best else None


def valid_iso_date(value: str) -> bool:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    return bool(m) and _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) is not None


def parse_timestamp(value: Any) -> float | None:
    """Seconds from a number or ``"hh:mm:ss.mmm"`` / ``"mm:ss"`` / ``"ss.s"`` text; None if unclear."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    if isinstance(value, str):
        parts = value.strip().replace(",", ".").split(":")
        try:
            nums = [float(p) for p in parts]
        except ValueError:
            return None
        if not 1 <= len(nums) <= 3 or any(n < 0 for n in nums):
            return None
        seconds = 0.0
        for n in nums:
            seconds = seconds * 60 + n
        return seconds
    return None


# --- form fields --------------------------------------------------------------------------

_FIELD = re.compile(r"^(?P<label>[A-Z][^:]{0,48}?)\s*:\s*(?P<value>.*)$")
_CONTACT_LABEL = re.compile(r"\b(e-?mail|phone|telephone|tel|mobile|fax|website|web|address|contact)\b", re.I)
_FORM_LABEL = re.compile(
    r"^(signature|signed|countersigned|printed name|name|job title|position|date|dated)\b", re.I
)
_FIELD_FIRST = {
    "signature", "signed", "countersigned", "printed", "date", "dated", "telephone", "tel", "phone",
    "mobile", "fax", "email", "e-mail", "website", "web", "address", "subject", "re", "ref",
    "reference", "title", "job", "position", "contact", "publication", "report", "name", "from",
    "to", "cc", "author", "owner", "status", "classification", "version", "meeting", "venue",
    "time", "location", "agenda", "item", "public",
}
_FIELD_LAST = {"no", "number", "date", "name", "title", "email", "e-mail", "phone", "officer", "type", "ref", "reference"}
_SHOUTED_VALUE = re.compile(r"^(?:YES|NO|N/?A|NONE|NOT REQUIRED|[A-Z][A-Z ]{1,20})\.?$")


@dataclass(frozen=True)
class FormField:
    label: str
    value: str
    tag: str  # "form", "contact" or "metadata"


def parse_field(line: str) -> FormField | None:
    """``"Printed Name: Susan Hall AM"`` -> a form field; None when the line is not one.

    A field has a short label from a general vocabulary of form/metadata labels
    (signature, date, telephone, subject, ...), or a shouted value ("NO", "NOT REQUIRED").
    Questions answered YES/NO ("Is there a part 2 form? NO") are form fields too.
    """
    line = squash(strip_markup(line))
    if len(line) > 160:
        return None
    q = re.match(r"^(?P<label>[A-Z][^?]{3,120}\?)\s*(?P<value>YES|NO|N/A)?\s*$", line)
    if q and q.group("value"):
        return FormField(q.group("label"), q.group("value") or "", "form")
    m = _FIELD.match(line)
    if not m:
        return None
    label, value = m.group("label").strip(), m.group("value").strip()
    words = re.sub(r"\([^)]*\)", " ", label).lower().replace(".", " ").split()
    if not words or len(words) > 5:
        return None
    known = words[0] in _FIELD_FIRST or words[-1] in _FIELD_LAST
    if not known and not (value and _SHOUTED_VALUE.match(value)):
        return None
    if len(value) > 100:
        return None
    if _CONTACT_LABEL.search(label):
        tag = "contact"
    elif _FORM_LABEL.search(label) or not value or _SHOUTED_VALUE.match(value):
        tag = "form"
    else:
        tag = "metadata"
    return FormField(label, value, tag)


# --- headings and boilerplate -------------------------------------------------------------

BULLET = re.compile(r"^\s*(?:[-*•·▪●◦]|\d{1,2}[.)])\s+(?=\S)")
_DASH_BULLET = re.compile(r"^\s*[-*•·▪●◦]\s+(?=\S)")
_SENTENCE_INSIDE = re.compile(r"[a-z)]{2}[.!?]\s+[A-Z]")
_TERMINAL = tuple(".!?:;\"”’')]…")
QUOTE_OPEN = ("“", '"', "„", "«")
QUOTE_CLOSE = ("”", '"', "»")
_IMAGE = re.compile(
    r"^(?:an?|the)\s+(?:[\w-]+\s+){0,4}?(?:photograph|photo|image|picture|illustration|graphic|logo|"
    r"diagram|chart|drawing|icon|map|screenshot|infographic)s?\b",
    re.IGNORECASE,
)
_IMAGE_LABEL = re.compile(r"^\s*(?:image|photo|picture|figure|graphic|alt text|caption)\s*(?:\d+)?\s*[:\-–]", re.I)
_CONTENTS_LINE = re.compile(r"(?:\.{3,}|…+)\s*\d{1,4}\s*$")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_PHONE = re.compile(r"(?:\+?\d[\d ]{8,}\d)")

CONTENTS_HEADING = re.compile(r"^(?:table of )?contents$", re.I)
CONTACT_HEADING = re.compile(
    r"^(?:contact(?: us| details| information| officer)?|connect with us|follow us(?: on .*)?|get in touch|"
    r"find out more|enquiries)$",
    re.I,
)
TRANSLATIONS_HEADING = re.compile(
    r"^(?:other formats(?: and languages)?|other languages|translations?|alternative formats|"
    r"(?:large print|braille).*)$",
    re.I,
)
#: Language names as they appear in "other formats and languages" blocks.
LANGUAGE_NAMES = frozenset(
    """arabic bengali bangla chinese mandarin cantonese english farsi persian french german greek
    gujarati hindi italian kurdish polish portuguese punjabi romanian russian somali spanish tamil
    turkish twi urdu vietnamese welsh cymraeg yoruba albanian amharic tigrinya lithuanian
    ukrainian japanese korean hebrew dari pashto swahili""".split()
)


def ends_sentence(text: str) -> bool:
    """Does ``text`` end like a finished sentence (full stop, quote, colon, bracket...)?"""
    text = text.rstrip()
    text = MARKER.sub("", text).rstrip()
    return bool(text) and text.endswith(_TERMINAL)


def starts_lower(text: str) -> bool:
    """Starts with a lower-case letter or a continuation character (a page-break remainder)."""
    t = text.lstrip("*_ ")
    if not t:
        return False
    ch = t[0]
    return ch.islower() or ch in "–—,;)" or (ch == "-" and not _DASH_BULLET.match(t))


def is_bullet(line: str) -> bool:
    return bool(_DASH_BULLET.match(line))


def strip_bullet(line: str) -> str:
    return _DASH_BULLET.sub("", line, count=1)


def is_quote(text: str) -> bool:
    """A paragraph that is a quotation: opens and closes with quote marks (markup ignored)."""
    t = strip_markup(text).strip()
    t = MARKER.sub("", t).rstrip(" .,;")
    return len(t) > 2 and t.startswith(QUOTE_OPEN) and t.endswith(QUOTE_CLOSE)


#: What a legislature's record notes of its business, in the record's clipped voice: a subject,
#: then a participle and no finite verb ("Question agreed to.", "Bill read a second time.",
#: "Debate adjourned.", "Amendment negatived.", "Leave granted."). Said aloud, the words have
#: a verb ("The question is that the bill be now read a second time.").
_RECORD_LINE = re.compile(
    r"(?P<subject>[A-Z][\w'’-]*(?: [\w'’-]+){0,5}) "
    r"(?:agreed to|negatived|read an? (?:first|second|third) time|adjourned|withdrawn|put|passed|carried|lost"
    r"|resolved in the (?:affirmative|negative)|granted|suspended|resumed|postponed|tabled"
    r"|reported(?: with(?:out)? amendments?)?)"
    r"(?: (?:accordingly|forthwith|without (?:debate|amendment)|by leave|on division))?\."
)
_NOT_RECORD_WORDS = frozenset(
    """i we you he she it they me us my our your his her their its this that these those what who
    is was were be been being are am has have had will would shall should can could may might must
    do does did not""".split()
)


#: What such a line is about: the business of a sitting.
_BUSINESS_WORDS = frozenset(
    """question questions bill bills motion motions amendment amendments debate debates clause clauses
    schedule schedules leave sitting report reports resolution resolutions division business order orders
    item items petition petitions paper papers message messages title preamble proceedings house senate
    committee consideration reading""".split()
)


def is_record_line(text: str) -> bool:
    """A one-line record of business (see ``_RECORD_LINE``): about the sitting's business, no
    pronoun and no finite verb ("Time passed." is someone's words)."""
    t = " ".join(text.split())
    if len(t) > 100:
        return False
    m = _RECORD_LINE.fullmatch(t)
    words = [w.casefold() for w in m.group("subject").split()] if m else []
    return any(w in _BUSINESS_WORDS for w in words) and not any(w in _NOT_RECORD_WORDS for w in words)


def is_heading_text(text: str, *, max_chars: int = 160, max_words: int = 22) -> bool:
    """A short single line that reads as a heading: capitalised, no final full stop,
    not a bullet, quote or footnote, no sentence break inside."""
    t = squash(MARKER.sub("", strip_markup(text)))
    if not t or "\n" in t or len(t) > max_chars or len(t.split()) > max_words:
        return False
    if not (t[0].isupper() or t[0].isdigit()):
        return False
    if t.endswith((".", ",", ";", "?", "!", "…", "”", '"', "’")):
        # "1. Executive Summary" ends in a letter; "Recommendations." is prose
        return False
    if t.startswith(QUOTE_OPEN) or is_bullet(t) or FOOTNOTE_LINE.match(text):
        return False
    if _SENTENCE_INSIDE.search(t):
        return False
    if t.replace(" ", "").isdigit():
        return False  # page numbers
    if t.endswith(":") and (len(t.split()) > 6 or "," in t):
        return False  # a lead-in sentence ("The report makes 13 recommendations, including:")
    return True


def heading_name(text: str) -> str:
    """Section name from a heading line: markup and markers dropped, trailing colon removed."""
    t = squash(MARKER.sub("", strip_markup(text)))
    return t[:-1].rstrip() if t.endswith(":") else t


#: An agenda item's line: "Agenda Item F-10", "Item 4: Land at Mill Road", "ITEM 12B"; then
#: maybe a title and a bracketed note ("[Start: 1:54 p.m.]"), never a sentence.
_AGENDA_ITEM = re.compile(r"(?:Agenda\s+Item|AGENDA\s+ITEM|Item|ITEM)\s+(?:No\.?\s*)?[A-Z]{0,3}-?\d{1,3}[A-Za-z]?"
                          r"(?:[.\-]\d{1,3})*(?![\w.,-])")
_NOTE_TAIL = re.compile(r"\s*\[[^\[\]]{0,60}\]$")


def agenda_item(line: str) -> str | None:
    """The section an agenda item's line names ("Agenda Item F-10 [Start: 1:54 p.m.]" ->
    "Agenda Item F-10"; "Item 4: Land at Mill Road"), or None for any other line."""
    t = squash(strip_markup(line)).lstrip("#* ").strip()
    if len(t) > 120 or len(t.split()) > 16 or not _AGENDA_ITEM.match(t):
        return None
    bare = _NOTE_TAIL.sub("", t)
    tail = bare[_AGENDA_ITEM.match(bare).end():].strip()  # type: ignore[union-attr]
    if tail and (tail[0] not in ":-–—" and not all(w[0].isupper() or not w[0].isalpha() for w in tail.split())
                 or tail.endswith((".", "?", "!", ",", ";"))):
        return None  # "Item 4 was approved": a sentence; a title's words are capitalised
    return heading_name(bare)


def is_image_description(text: str) -> bool:
    t = text.strip()
    return bool(_IMAGE.match(t) or _IMAGE_LABEL.match(t)) and len(t) < 1200


def is_contents_block(block: Block) -> bool:
    lines = [line.text for line in block.lines]
    hits = sum(1 for line in lines if _CONTENTS_LINE.search(line))
    return hits >= max(1, (len(lines) + 1) // 2)


def is_contact_text(text: str) -> bool:
    """Short text made of e-mail addresses, URLs, phone numbers or contact fields."""
    t = text.strip()
    if len(t) > 300:
        return False
    if _EMAIL.search(t) or _URL.search(t):
        rest = _URL.sub("", _EMAIL.sub("", t))
        return len(rest.split()) <= 12
    return bool(_PHONE.fullmatch(t.replace("Phone", "").replace(":", "").strip()))


def is_address_like(block: Block) -> bool:
    """Several short lines with no sentence punctuation: an address, a letterhead, a name list."""
    if len(block.lines) < 2:
        return False
    for line in block.lines:
        t = line.text.strip()
        if len(t) > 60 or "\t" in line.text or t.endswith((".", "?", "!")) and not t.endswith("Ltd."):
            return False
        if t.startswith("|"):
            return False
    return True


def non_latin_ratio(text: str) -> float:
    if text.isascii():
        return 0.0
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ord(ch) > 0x24F) / len(letters)


def is_tab_table(block: Block) -> bool:
    """Lines with tab-separated cells (a table flattened to text)."""
    lines = block.lines
    return len(lines) >= 2 and sum(1 for line in lines if "\t" in line.text.strip()) * 2 >= len(lines)


def is_table_block(block: Block) -> bool:
    return all(line.text.strip().startswith("|") for line in block.lines)


def table_rows(block: Block) -> list[list[str]]:
    """Cells of a Markdown table block, separator rows dropped."""
    rows: list[list[str]] = []
    for line in block.lines:
        t = line.text.strip().strip("|")
        cells = [squash(strip_markup(c)) for c in t.split("|")]
        if all(re.fullmatch(r":?-*:?", c) for c in cells):
            continue
        rows.append(cells)
    return rows


def title_from_blocks(blocks: Sequence[Block], limit: int = 12) -> str | None:
    """The first title-like line of a document (a short heading), else None."""
    for block in blocks[:limit]:
        line = block.first_line
        field_ = parse_field(line)
        if field_ and field_.label.lower().rstrip(".") in ("title", "subject", "re") and field_.value:
            return field_.value
    for block in blocks[:limit]:
        if len(block.lines) == 1 and is_heading_text(block.first_line) and not parse_field(block.first_line):
            t = heading_name(block.first_line)
            if len(t.split()) >= 2 and not t.isupper():
                return t
    return None
