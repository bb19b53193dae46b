"""Document kind detection from content (for files without a manifest entry).

``detect_kind(text, filename)`` returns ``(kind, reason)``; ``kind`` is one of
``model.DOCUMENT_KINDS``. The checks are ordered from the most to the least
specific, and each looks only at generic cues (speaker labels, salutations,
form fields, footnotes), never at names from a particular corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePosixPath

from .captions import timed_lines
from .common import FOOTNOTE_LINE, parse_field
from .line_numbers import blank_line_numbers
from .minutes import looks_like_minutes
from .plain_notes import plain_footnote_blocks
from .qa_turns import uses_qa
from .transcript import find_label, name_line_labels, split_paragraphs

_SALUTATION = re.compile(r"^[^\S\n]*(?:dear\s+\S.*|to whom it may concern)[,:]?\s*$", re.I | re.M)
_CLOSING = re.compile(
    r"^[^\S\n]*(?:yours\s+(?:sincerely|faithfully|truly)|kind regards|best regards|warm regards|regards|"
    r"with best wishes|best wishes|sincerely(?: yours)?|(?:very )?(?:truly|cordially|respectfully) yours|"
    r"respectfully(?: submitted)?|cordially)[,.]?\s*$",
    re.I | re.M,
)
_PRESS = re.compile(
    r"(?:^[^\S\n]*(?:press release|news release|media release|for immediate release|notes to editors?)\b|"
    r"^[^\S\n]*publication (?:type|date)\s*:)",
    re.I | re.M,
)
_COVERING = re.compile(r"^[^\w\n]*(?:report (?:to|of)|subject)\s*:", re.I | re.M)
_DECISION = re.compile(r"^[^\w\n]*(?:printed name|signature(?: \([^)]*\))?)\s*:", re.I | re.M)
_DECISION_TITLE = re.compile(r"\b(?:decision|delegated authority|approval)\b", re.I)
_RECOMMENDATION = re.compile(r"^[^\S\n]*recommendations?\b", re.I | re.M)
#: a signature typed for a signed original ("/s/ Clement Zablocki")
_TYPED_SIGNATURE = re.compile(r"^[^\S\n]*/s/[^\S\n]*[A-Z]", re.M)
#: a numbered paragraph of prose ("13. There is significant public concern ...")
_NUMBERED_PARAGRAPH = re.compile(r"^(\d{1,3})\.\s+[A-Z“\"‘']")
#: what a committee's report says of its findings: "We recommend that ...", "(Paragraph 11)",
#: a "Conclusions and recommendations" heading
_FINDINGS = re.compile(r"\b[Ww]e (?:recommend|conclude|urge)\b|\(Paragraphs? \d{1,3}\b|"
                       r"^[^\S\n]*(?:conclusions and recommendations|recommendations)[^\S\n]*$", re.I | re.M)
_STRUCTURED = {".vtt": "vtt", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".srt": "srt", ".xml": "xml"}
_SRT_HEAD = re.compile(r"^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s+-->")


def structured_format(text: str, filename: str = "") -> str | None:
    """``"vtt"``, ``"srt"``, ``"json"``, ``"jsonl"`` or ``"xml"`` for structured
    transcripts (by extension, else by content), ``"timed"`` for times on lines
    of their own above the words (a video page's transcript), else None."""
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix in _STRUCTURED:
        return _STRUCTURED[suffix]
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if head.startswith("WEBVTT"):
        return "vtt"
    if _SRT_HEAD.match(head):
        return "srt"
    if timed_lines(text[:400_000]):
        return "timed"
    if head.startswith("<?xml") or re.match(r"<(?:publicwhip|akomaNtoso|TEI|teiCorpus)\b", head):
        return "xml"
    return None


def detect_kind(text: str, filename: str = "") -> tuple[str, str]:
    """Guess a document's kind from its content; return ``(kind, reason)``."""
    from .html_text import html_to_text, is_html

    if is_html(text, filename):  # an HTML page: the kind of the text it shows
        kind, why = detect_kind(html_to_text(text)[0])
        return kind, f"HTML page: {why}"
    fmt = structured_format(text, filename)
    if fmt:
        return "transcript", f"{fmt} file"
    text = blank_line_numbers(text)
    blocks = split_paragraphs(text[:400_000])
    if not blocks:
        return "plain", "no text"
    labelled = strong = 0
    names: Counter[str] = Counter()
    for block in blocks[:2000]:
        line = block.first_line
        m = find_label(line)
        if m and parse_field(line) is None:
            labelled += 1
            strong += m.strong or "(" in m.label
            names[" ".join(m.label.casefold().split())] += 1
    considered = min(len(blocks), 2000)
    recurring = sum(1 for c in names.values() if c >= 2)
    # long speeches (a parliament's record) have few labels per paragraph, but the same
    # speakers come back, or the labels are unmistakable ("Mr. JONES.", "Name (Place) (Party):")
    if labelled >= 3 and (labelled >= 0.2 * considered or (labelled >= 6 and recurring >= 2 and labelled >= 0.05 * considered)
                          or strong >= 8):
        return "transcript", f"{labelled} of {considered} paragraphs start with a speaker label"
    if uses_qa(text):
        return "transcript", "question and answer lines (Q./A.) of an examination"
    named = name_line_labels(blocks[:2000])
    if named:
        return "transcript", f"{len(named)} of {considered} paragraphs open with a speaker's name on its own line"
    if _SALUTATION.search(text[:20_000]) and (_CLOSING.search(text) or _TYPED_SIGNATURE.search(text)):
        return "letter", "salutation and closing"
    footnotes = sum(1 for b in blocks if FOOTNOTE_LINE.match(b.lines[0].text))
    fields = [f for f in (parse_field(b.first_line) for b in blocks[:80]) if f]
    if _PRESS.search(text[:5_000]):
        return "press_release", "press-release markers"
    if _COVERING.search(text[:5_000]) and not footnotes:
        return "covering_report", "report to/of or subject fields"
    if _DECISION.search(text) and any(f.tag == "form" for f in fields):
        if footnotes >= 5 or len(text) > 40_000:
            return "report", "decision form followed by a long report with footnotes"
        return "decision_form", "signature and printed-name fields"
    minutes, cues = looks_like_minutes(text)
    if minutes and footnotes < 3:
        return "minutes", f"minutes of a meeting ({cues})"
    if footnotes >= 3 or len(_RECOMMENDATION.findall(text)) >= 2:
        return "report", "footnotes or numbered recommendations"
    plain_notes = sum(len(notes) for notes in plain_footnote_blocks(blocks).values())
    if plain_notes >= 3:
        return "report", "footnotes numbered in plain digits"
    numbered = sum(1 for b in blocks[:2000] if len(b.text) >= 60 and _NUMBERED_PARAGRAPH.match(b.first_line))
    if numbered >= 3 and _FINDINGS.search(text):
        return "report", f"{numbered} numbered paragraphs and recommendations or conclusions"
    return "plain", "no recognisable structure"
