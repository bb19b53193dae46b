"""SubRip captions (``.srt``), as video platforms and caption services export them::

    1
    00:00:01,000 --> 00:00:04,200
    CHAIR: Good evening and welcome.

    2
    00:00:04,300 --> 00:00:07,000
    [Cllr Okafor] Thank you, Chair.

A cue may start with a speaker: ``Name: text`` (any label ``labels.py`` reads),
``[Name] text``, or the broadcast style ``>> Name: text``; a bare ``>>`` marks a new,
unnamed speaker. A cue without one continues the previous speaker. Consecutive cues
of one speaker form one passage with ``time_start`` of the first cue and
``time_end`` of the last (seconds, like WebVTT); ``start``/``end`` span the cues in
the file. Cues with no speaker named (a video's automatic captions) are cut into
passages of about ``CAPTION_WORDS`` words, at the end of a sentence or at twice
that. Markup (``<i>``, ``{\\an8}``) is dropped. Lines that are not cues are
reported once as skipped.
"""

from __future__ import annotations

import html
import re

from ..model import Document, Passage
from ..speakers import parse_speaker_label
from .common import ParseResult, ends_sentence, iter_lines, new_passage, parse_timestamp, squash
from .labels_text import find_label, label_shape_ok, name_line

_TIMING = re.compile(
    r"^\s*(\d{1,2}:\d{2}:\d{2}(?:[,.]\d{1,3})?)\s*-->\s*(\d{1,2}:\d{2}:\d{2}(?:[,.]\d{1,3})?)"
)
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")
_BRACKET_NAME = re.compile(r"^\[(?P<name>[^\[\]]{1,80})\]\s*(?=\S)")
_CHEVRONS = re.compile(r"^>>\s*")

_Cue = tuple[int, int, "float | None", "float | None", "str | None", bool, str]

#: Captions with no speaker named are cut into passages of about this many words (at the
#: end of a sentence, or at twice as many): an hour of a video's captions is not one passage.
CAPTION_WORDS = 80


def unnamed_run_full(label: str | None, words: int, last_text: str) -> bool:
    """Whether a run of cues with no speaker named (``label`` None), ``words``
    long and ending with ``last_text``, is a passage already."""
    return label is None and (words >= 2 * CAPTION_WORDS or (words >= CAPTION_WORDS and ends_sentence(last_text)))


def _speaker_prefix(body: str) -> tuple[str | None, bool, str]:
    """(label, new speaker?, text) for the text of a cue."""
    new = False
    m = _CHEVRONS.match(body)
    if m:
        new = True
        body = body[m.end() :]
    b = _BRACKET_NAME.match(body)
    if b and label_shape_ok(b.group("name")):
        return b.group("name"), True, body[b.end() :].strip()
    label = find_label(body)
    if label is not None:
        return label.label, True, body[label.body_offset :].strip()
    return None, new, body


def parse_srt(text: str, doc: Document) -> ParseResult:
    """Parse SubRip captions; consecutive cues of one speaker make one passage."""
    lines = list(iter_lines(text.lstrip("\ufeff")))
    offset = len(text) - len(text.lstrip("\ufeff"))
    cues: list[_Cue] = []
    stray = 0
    i, n = 0, len(lines)
    while i < n:
        m = _TIMING.match(lines[i].text)
        if not m:
            if lines[i].text.strip() and not lines[i].text.strip().isdigit():
                stray += 1
            i += 1
            continue
        has_number = i > 0 and lines[i - 1].text.strip().isdigit()
        cue_start = (lines[i - 1] if has_number else lines[i]).start + offset
        t0, t1 = parse_timestamp(m.group(1)), parse_timestamp(m.group(2))
        i += 1
        payload: list[str] = []
        end = lines[i - 1].start + len(lines[i - 1].text) + offset
        while i < n and lines[i].text.strip() and not _TIMING.match(lines[i].text):
            if i + 1 < n and lines[i].text.strip().isdigit() and _TIMING.match(lines[i + 1].text):
                break
            payload.append(lines[i].text)
            end = lines[i].start + len(lines[i].text) + offset
            i += 1
        cues.append(_cue(cue_start, end, t0, t1, payload))
    if not cues:
        return ParseResult((), (f"{doc.path}: no SubRip cues found",))
    return _result(doc, cues, f"{stray} lines outside any caption cue" if stray else None)


def _cue(start: int, end: int, t0: float | None, t1: float | None, payload: list[str]) -> _Cue:
    """A cue from its lines of text: markup dropped, a speaker at its start read."""
    body = squash(html.unescape(_TAGS.sub("", " ".join(x.strip() for x in payload))))
    label, new, rest = _speaker_prefix(body)
    return (start, end, t0, t1, label, new, rest)


def _result(doc: Document, cues: list[_Cue], ignored: str | None) -> ParseResult:
    """The passages of ``cues``, with the lines that were no cue (``ignored``) reported once."""
    warnings = (f"{doc.path}: {ignored}; ignored",) if ignored else ()
    return ParseResult(tuple(caption_passages(doc, cues)), warnings, skipped=((None, ignored),) if ignored else ())


def caption_passages(doc: Document, cues: list[_Cue]) -> list[Passage]:
    """Consecutive cues of one speaker as one passage (cues naming nobody cut
    by :func:`unnamed_run_full`); a cue is ``(start, end, t0, t1, label, new
    speaker?, text)``, and one without a label continues the speaker before it.
    SubRip, timed lines and WebVTT share it."""
    passages: list[Passage] = []
    group: list[_Cue] = []

    def flush() -> None:
        if group:
            passage = caption_turn(doc, len(passages), group[0][4], [(c[0], c[1], c[2], c[3], c[6]) for c in group])
            if passage is not None:
                passages.append(passage)
        group.clear()

    current: str | None = None
    words = 0
    for cue in cues:
        label, new = cue[4], cue[5]
        full = bool(group) and unnamed_run_full(current, words, group[-1][6])
        if new or (label is not None and label != current) or full:
            flush()
            words = 0
            if new or label is not None:
                current = label
        group.append((cue[0], cue[1], cue[2], cue[3], current, new, cue[6]))
        words += len(cue[6].split())
    flush()
    return passages


#: A line that is only a time ("0:03", "00:01:12", "[12:04]"), as a video page's
#: transcript is copied: each time on a line of its own, the words said from then below it.
_CLOCK_ONLY = re.compile(r"^\s*[\[(]?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?\s*$")
#: A time opening a line, the words said from then after it on the same line ("0:03 to the
#: regular meeting of the board", as some browsers copy a video page's transcript).
_CLOCK_LEAD = re.compile(
    r"^\s*[\[(]?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?[ \t]+(?=\S)(?![AaPp]\.?[Mm]\b)"  # not "7:00 pm ..."
)


def _clock(line: str) -> re.Match | None:
    """A time that opens a cue: alone on its line, or before words that are not a speaker's
    label (a timed label, "[00:01:02] Maria Lopez: ...", is a transcript's turn)."""
    m = _CLOCK_ONLY.match(line)
    if m:
        return m
    m = _CLOCK_LEAD.match(line)
    return m if m and find_label(line) is None else None


def timed_lines(text: str) -> bool:
    """Is ``text`` times on lines of their own, each above the words said from
    then (at least four, and three in ten of its lines)? A time above or below a
    speaker's name is a transcript's layout instead (``transcript.py``)."""
    lines = [line for line in text.splitlines()[:4000] if line.strip()]
    clocks = [i for i, line in enumerate(lines) if _clock(line)]
    alone = sum(1 for i in clocks if _CLOCK_ONLY.match(lines[i]))
    # times alone on their lines: three lines in ten; times opening lines of words: most lines
    # (an agenda's "7:05 Approval of the minutes" now and then is no video's transcript)
    if len(clocks) < 4 or len(clocks) < (0.3 if alone * 2 >= len(clocks) else 0.8) * len(lines):
        return False
    named = sum(1 for i in clocks if (i + 1 < len(lines) and name_line(lines[i + 1]) is not None)
                or (i > 0 and name_line(lines[i - 1]) is not None))
    return named * 2 < len(clocks)


def parse_timed_lines(text: str, doc: Document) -> ParseResult:
    """Times on lines of their own, each above the words said from then, or opening
    the line of those words (a video page's transcript, copied): one cue a time,
    read as captions are."""
    lines = list(iter_lines(text.lstrip("\ufeff")))
    offset = len(text) - len(text.lstrip("\ufeff"))
    clocks = [_clock(line.text) for line in lines]
    cues: list[_Cue] = []
    before = 0
    i, n = 0, len(lines)
    while i < n:
        m = clocks[i]
        if not m:
            before += bool(lines[i].text.strip())
            i += 1
            continue
        start = lines[i].start + offset
        end = start + len(lines[i].text)
        payload: list[str] = [lines[i].text[m.end():]] if m.end() < len(lines[i].text.rstrip()) else []
        i += 1
        while i < n and not clocks[i]:
            if lines[i].text.strip():
                payload.append(lines[i].text)
                end = lines[i].start + len(lines[i].text) + offset
            i += 1
        until = parse_timestamp(clocks[i].group(1)) if i < n else None  # a cue lasts until the next one starts
        cues.append(_cue(start, end, parse_timestamp(m.group(1)), until, payload))
    return _result(doc, cues, f"{before} lines before the first time" if before else None)


def caption_turn(doc: Document, position: int, label: str | None,
                 cues: list[tuple[int, int, float | None, float | None, str]]) -> Passage | None:
    """One speaker's run of caption cues ``(start, end, t0, t1, text)`` as a
    passage (None when it holds no text): the label parsed as a transcript's
    would be, the times of its first and last cue kept. WebVTT and SubRip share it."""
    sp = parse_speaker_label(label) if label else None
    body = squash(" ".join(c[4] for c in cues if c[4]))
    if not body:
        return None
    person = sp is not None and sp.name and sp.kind not in ("group", "unknown")
    return new_passage(
        doc,
        position,
        text=body,
        start=cues[0][0],
        end=cues[-1][1],
        speaker=sp.name if person else None,
        role=sp.role if sp else None,
        organisation=sp.organisation if sp else None,
        party=sp.party if sp else None,
        constituency=sp.constituency if sp else None,
        speaker_label=sp.raw if sp else None,
        time_start=cues[0][2],
        time_end=cues[-1][3],
    )
