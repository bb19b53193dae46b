"""Words of a record that no passage holds.

Every passage carries ``start``/``end`` offsets into its decoded file, so what no
passage span covers can be listed: :func:`uncovered` does it for one file's text
and passages (``load_corpus`` warns of a file whose words a passage lost), :func:`corpus_gaps`
for every document of a loaded corpus (it reads the files again). A word that is in no passage is a word a search can never find,
so an empty list is what every parser promises.

Not counted as lost, because it is page furniture rather than anything said:

* what the parsers blank on purpose: margin line numbers, lone page numbers and
  running headers or footers (``parsing/line_numbers.py``,
  ``parsing/running_lines.py``), and a web page's markup (only the text a
  browser shows counts);
* a stretch with no letter or digit in it (a separator such as ``____`` or
  ``* * *``, a stray bracket);
* a line that is only a page number (``12``, ``Page 12``, ``- 12 -``,
  ``Page 3 of 40``);
* a speaker label just before its turn (only white space between the two): the
  stretch's words are the turn's label's (a time printed above the name aside).

Timed captions (WebVTT, SubRip) lose their cue numbers and timings to the
passages' ``time_start``/``time_end``; those lines count as furniture too.
JSON, JSON Lines and XML files are structured data whose keys and tags are not
words of the record: they are not checked (:func:`uncovered` returns ``None``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Iterable, Sequence

from .model import Passage

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = ["Gap", "uncovered", "corpus_gaps", "document_text"]

#: A stretch of text in no passage is reported once it holds a letter or a digit.
_WORDY = re.compile(r"[^\W_]")
_WORD = re.compile(r"[^\W_]+")
#: A line that is only a page number.
_PAGE_LINE = re.compile(
    r"[ \t]*(?:[-\u2013\u2014(\[]\s?)?(?:page\s+)?\d{1,5}(?:\s+of\s+\d{1,5})?(?:\s?[-\u2013\u2014)\]])?[ \t]*",
    re.IGNORECASE)
#: A caption file's timing line and cue number.
_TIMING = re.compile(r"[ \t]*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}[ \t]*-->.*")
_CUE_NUMBER = re.compile(r"[ \t]*\d{1,6}[ \t]*")
_CAPTION_HEADER = re.compile(r"WEBVTT\b.*|NOTE\b.*|STYLE\b.*|Kind:.*|Language:.*")
#: A label's stretch holds at most this many characters.
MAX_LABEL_CHARS = 200


@dataclass(frozen=True)
class Gap:
    """A stretch of a file's text (``text[start:end]``) that no passage holds."""

    start: int
    end: int
    text: str
    line: int  # 1-based line of ``start``
    #: where a passage keeps these words all the same, outside its span: ``"section"`` (a
    #: heading, the section of the passages under it), ``"citation"`` (a footnote, the
    #: citation of the paragraph citing it), ``"speaker"`` (a quote's attribution, its
    #: speaker's label, role and organisation); None: the words are lost
    kept_as: str | None = None

    def __str__(self) -> str:
        shown = " ".join(self.text.split())
        kept = f" (kept as {self.kept_as})" if self.kept_as else ""
        return f"line {self.line}: {shown[:120]!r}" + (" ..." if len(shown) > 120 else "") + kept


def _blanked(text: str) -> str:
    """``text`` with what the parsers blank as page furniture turned to spaces."""
    from .parsing.line_numbers import blank_line_numbers
    from .parsing.running_lines import blank_running_lines

    out = blank_running_lines(blank_line_numbers(text))
    return out if len(out) == len(text) else text


def _content(text: str, path: str) -> tuple[str, list[int]] | None:
    """The text whose words must be in passages, and each of its characters' offsets
    into the file (None: a structured file, not checked)."""
    from .parsing.detect import structured_format
    from .parsing.html_text import html_to_text, is_html

    if is_html(text, path):
        rendered, offsets = html_to_text(text)
        return _blanked(rendered), [offsets.page_offset(i) for i in range(len(rendered))]
    fmt = structured_format(text, path)
    if fmt in ("json", "jsonl", "xml"):
        return None
    if fmt in ("vtt", "srt", "timed"):
        lines = text.split("\n")
        kept = ["" if _TIMING.fullmatch(ln.rstrip("\r")) or _CUE_NUMBER.fullmatch(ln.rstrip("\r"))
                or _CAPTION_HEADER.fullmatch(ln.strip().lstrip("\ufeff")) else ln for ln in lines]
        shown = "\n".join(k if k else " " * len(ln) for k, ln in zip(kept, lines))
        return shown, list(range(len(text)))
    return _blanked(text), list(range(len(text)))


def _label_words(label: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(label)}


def _is_label(stretch: str, passage: Passage | None) -> bool:
    """``stretch`` is the speaker label of ``passage``, printed just before its span."""
    if passage is None or not passage.speaker_label or len(stretch) > MAX_LABEL_CHARS:
        return False
    allowed = _label_words(passage.speaker_label)
    words = [w.lower() for w in _WORD.findall(stretch)]
    return bool(words) and all(w in allowed or w.isdigit() for w in words)


def uncovered(text: str, passages: Iterable[Passage], path: str = "") -> list[Gap] | None:
    """Stretches of ``text`` (a decoded file, named ``path`` for its format) that
    hold a word and lie in no passage's ``[start, end)`` span, furniture aside
    (see the module's docstring); None for a structured file (JSON, XML)."""
    content = _content(text, path)
    if content is None:
        return None
    shown, where = content
    spans = sorted((p.start, p.end, p) for p in passages if p.end > p.start)
    covered = bytearray(len(text) + 1)
    for start, end, _ in spans:
        covered[max(0, start):min(len(text), end)] = b"\x01" * (min(len(text), end) - max(0, start))
    by_start: dict[int, Passage] = {}
    for s, _, p in spans:
        by_start.setdefault(s, p)

    # runs of shown characters in no span, cut at line ends and at covered characters
    gaps: list[Gap] = []
    run: list[int] = []  # indexes into ``shown``

    def close(next_at: int | None) -> None:
        if not run:
            return
        while run and shown[run[-1]].isspace():
            run.pop()
        if not run:
            return
        a, b = where[run[0]], where[run[-1]] + 1
        piece = "".join(shown[i] for i in run)
        run.clear()
        if not _WORDY.search(piece) or _PAGE_LINE.fullmatch(piece):
            return
        if next_at is not None and _is_label(piece, by_start.get(next_at)):
            return  # the label of the turn that starts right after it
        gaps.append(Gap(a, b, piece, text.count("\n", 0, a) + 1))

    pending_close = False
    for i, ch in enumerate(shown):
        if ch.isspace():
            if ch == "\n" and run:
                pending_close = True  # closed at the next character that is not white space
            elif run and not pending_close:
                run.append(i)
            continue
        at = where[i]
        if covered[at]:
            close(at)
            pending_close = False
            continue
        if pending_close:
            close(None)
            pending_close = False
        run.append(i)
    close(None)
    return _kept(gaps, spans)


_MARKERS = str.maketrans("", "", "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079")


def _norm(text: str) -> str:
    text = text.translate(_MARKERS)  # a footnote's marker: the footnote is the citation
    return " " + " ".join(w.lower() for w in _WORD.findall(text)) + " "


def _kept(gaps: list[Gap], spans: Sequence[tuple[int, int, Passage]]) -> list[Gap]:
    """``gaps``, each marked with the passage field that carries its words, if one does."""
    if not gaps:
        return gaps
    fields: dict[str, set[str]] = {"section": set(), "citation": set(), "speaker": set()}
    for _, _, p in spans:
        if p.section:
            fields["section"].add(_norm(p.section))
        if p.citation:
            fields["citation"].update(_norm(c) for c in p.citation.splitlines() if c.strip())
        if p.speaker_label or p.role or p.organisation:
            fields["speaker"].add(_norm(" ".join(x for x in (p.speaker_label, p.speaker, p.role, p.organisation) if x)))
    # footnotes printed run together on one line ("20 Q6 21 Q13 22 As above") are cited by several
    # paragraphs: such a line is kept when each of its words is in some citation
    cited_words = {w for v in fields["citation"] for w in _WORD.findall(v)}
    out = []
    for g in gaps:
        words = _norm(g.text)
        kept = next((name for name, values in fields.items() if any(words in v for v in values)), None)
        if kept is None and cited_words and set(_WORD.findall(words)) <= cited_words:
            kept = "citation"
        out.append(replace(g, kept_as=kept) if kept else g)
    return out


def document_text(root: str | Path, rel: str) -> str:
    """The decoded text of the corpus file ``rel`` under ``root``, as ``load_corpus`` read it."""
    from .corpus_files import read_regular
    from .decoding import decode_bytes
    from .parsing.docx_text import docx_to_text
    from .parsing.pdf_text import pdf_to_text

    data = read_regular(Path(root) / rel, 1 << 40)
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix in (".pdf", ".docx"):
        return (pdf_to_text if suffix == ".pdf" else docx_to_text)(data)
    return decode_bytes(data, rel)[0]


def corpus_gaps(corpus: "Corpus", *, lost_only: bool = False) -> dict[str, list[Gap]]:
    """For each document of ``corpus`` (by path) with words in no passage span, those
    stretches (``lost_only``: only those no passage keeps in a field either)."""
    by_doc: dict[str, list[Passage]] = {}
    for p in corpus.passages:
        by_doc.setdefault(p.document, []).append(p)
    out: dict[str, list[Gap]] = {}
    for doc in corpus.documents:
        text = document_text(corpus.root, doc.path)
        gaps = uncovered(text, by_doc.get(doc.id, []), doc.path)
        if gaps and lost_only:
            gaps = [g for g in gaps if g.kept_as is None]
        if gaps:
            out[doc.path] = gaps
    return out
