"""SubRip captions (``.srt``), as video platforms and caption services export them::

    1
    00:00:01,000 --> 00:00:04,200
    CHAIR: Good evening and welcome.

    2
    00:00:04,300 --> 00:00:07,000
    [Cllr Okafor] Thank you, Chair.

A cue may start with a speaker: ``Name: text`` (any label ``labels.py`` reads),
``[Name] text``, or the broadcast style ``>> Name: text``; a bare ``>>`` marks a new,
unnamed speaker. A ``>>`` (``&gt;&gt;`` too) or a WebVTT voice tag on any line of a cue,
or within a line, starts a turn there: each turn has the cue's times, or from the inline
time before it (YouTube's word times). A cue without one continues the previous speaker.
Consecutive cues of one speaker form one passage with ``time_start`` of the first cue
with words and ``time_end`` of the last (seconds, like WebVTT); ``start``/``end`` span the
cues in the file. A speaker's long run is cut into passages of about ``TURN_WORDS`` words
where a cue ends a sentence (at twice that otherwise), all the speaker's; a silence of
more than ``CUE_GAP`` seconds ends a passage too. Cues with no speaker named (a video's
automatic captions) are cut into passages of about ``CAPTION_WORDS`` words, at the end of
a sentence or at twice that. Rolling captions (YouTube's automatic ones, roll-up
broadcasts: most cues open with the line that ended the cue before) are read once per
line. Markup (``<i>``, ``{\\an8}``, ``<00:00:03.200>``) and sounds in brackets
(``[Music]``, ``(APPLAUSE)``, ``[inaudible]``) are dropped. Lines that are not cues are
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
_BRACKET_NAME = re.compile(r"^\[(?P<name>[^\[\]]{1,80})\]\s*(?=\S)")

_Cue = tuple[int, int, "float | None", "float | None", "str | None", bool, str]
#: A cue as read from the file: (start, end, t0, t1, its lines as (offset, text)).
RawCue = tuple[int, int, "float | None", "float | None", "list[tuple[int, str]]"]

#: Captions with no speaker named are cut into passages of about this many words (at the
#: end of a sentence, or at twice as many): an hour of a video's captions is not one passage.
CAPTION_WORDS = 80
#: A speaker's run of cues is cut into passages of at least this many words, at a cue ending
#: a sentence (leaving half as many or more for the next), or at twice as many at any cue: a
#: long speech is several passages, each with its times, all the speaker's.
TURN_WORDS = 300
#: A silence longer than this (seconds) between cues ends a passage, the speaker going on:
#: a passage's times do not span a recording's break.
CUE_GAP = 60.0


def unnamed_run_full(label: str | None, words: int, last_text: str) -> bool:
    """Whether a run of cues with no speaker named (``label`` None), ``words``
    long and ending with ``last_text``, is a passage already."""
    return label is None and (words >= 2 * CAPTION_WORDS or (words >= CAPTION_WORDS and ends_sentence(last_text)))


def _speaker_prefix(body: str) -> tuple[str | None, bool, str]:
    """(label, new speaker?, text) for the text of a cue."""
    b = _BRACKET_NAME.match(body)
    if b and label_shape_ok(b.group("name")):
        return b.group("name"), True, body[b.end() :].strip()
    label = find_label(body)
    if label is not None:
        return label.label, True, body[label.body_offset :].strip()
    return None, False, body


# --- a cue's lines: markup, turn marks, rolling duplicates, sound tags ----------------------

#: Markup in a cue: an inline time (``<00:00:03.200>``, YouTube's word timing), a voice tag
#: (``<v Susan Hall>``, WebVTT), any other tag (``<i>``, ``<c>``), an ASS override (``{\an8}``).
#: Each part is bounded, so a line without a closing ``>`` costs linear time.
_MARKUP = re.compile(
    r"<(?P<ts>\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?)>"
    r"|<v(?:\.[\w.-]{0,60})?[ \t]+(?P<voice>[^<>\n]{1,200})>"
    r"|</?[a-zA-Z][^<>\n]{0,300}>|\{\\[^{}\n]{0,300}\}"
)
#: A change of speaker in broadcast (CART) and YouTube captions: ``>>`` (``&gt;&gt;`` escaped).
_TURN_MARK = re.compile(r">{2,}|(?:&gt;){2,}", re.IGNORECASE)
#: A sound in brackets, no one's words: ``[Music]``, ``[Applause]``, ``(LAUGHTER)``, ``[inaudible]``.
_SOUND = re.compile(
    r"[\[(]\s*(?:music|applause|laughter|laughs|laughing|cheering|cheers|inaudible|crosstalk|cross talk|"
    r"silence|no audio|noise|background noise|indistinct|unintelligible|foreign|gavel|bell|beep|static)"
    r"\b[^\[\]()\n]{0,30}[\])]",
    re.IGNORECASE,
)


def _clean(raw: str) -> str:
    """A line's words: markup dropped, entities decoded, spaces squashed."""
    return squash(html.unescape(_MARKUP.sub("", raw)))


def _rolling(cues: list[list[tuple[int, str, str]]]) -> bool:
    """Are these captions rolling (YouTube's automatic captions, roll-up broadcast captions):
    do most cues of two lines or more open with the line that ended the cue before them? (A
    one-line cue saying what the one before said, "Aye." after "Aye.", is no sign.)"""
    repeats = total = 0
    prev: list[tuple[int, str, str]] | None = None
    for lines in cues:
        if not lines:
            continue
        if prev and len(lines) >= 2:
            total += 1
            repeats += lines[0][2] == prev[-1][2]
        prev = lines
    return repeats >= 3 and repeats * 2 >= total


def _drop_rolled(cues: list[list[tuple[int, str, str]]]) -> None:
    """Drop from each cue the lines that repeat the end of the cue before it (at most four:
    a roll-up shows two or three lines), so each line is read once; a cue holding only the
    repeated lines is left with none."""
    prev: list[tuple[int, str, str]] = []
    for lines in cues:
        if not lines:
            continue
        whole = list(lines)
        for k in range(min(4, len(lines), len(prev)), 0, -1):
            if [x[2] for x in lines[:k]] == [x[2] for x in prev[-k:]]:
                del lines[:k]
                break
        prev = whole


def _pieces(start: int, end: int, t0: float | None, t1: float | None, lines: list[tuple[int, str, str]],
            label_starts_turn: bool) -> list[_Cue]:
    """A cue's turns: one, or one more at each ``>>`` or voice tag in it (on any line, not
    only the first). A turn after an inline time starts then (and the one before ends then);
    without one, each turn has the cue's times."""
    out: list[_Cue] = []
    cur: dict = {"start": start, "end": start, "t0": t0, "voice": None, "mark": False, "parts": []}
    now, stamped = t0, False

    def said() -> bool:
        return any(x.strip() for x in cur["parts"])

    def boundary(at: int, voice: str | None) -> None:
        nonlocal cur
        if said():
            out.append(_piece(cur, now if stamped else t1, label_starts_turn))
            cur = {"start": at, "end": at, "t0": now, "voice": voice, "mark": voice is None, "parts": []}
        elif voice is None:
            cur["mark"] = True  # ">>" before any words of this turn
        else:
            cur["voice"] = voice

    for off, raw, _words in lines:
        pos = 0
        for m in [*_MARKUP.finditer(raw), None]:
            stop = m.start() if m else len(raw)
            seg, p = raw[pos:stop], 0
            for k in _TURN_MARK.finditer(seg):
                if seg[p : k.start()].strip():
                    cur["parts"].append(seg[p : k.start()])
                    cur["end"] = off + pos + k.start()
                boundary(off + pos + k.start(), None)
                p = k.end()
            if seg[p:].strip():
                cur["end"] = off + stop
            cur["parts"].append(seg[p:])
            if m is None:
                break
            if m.group("ts"):
                now, stamped = parse_timestamp(m.group("ts")), True
            elif m.group("voice"):
                boundary(off + m.start(), squash(html.unescape(m.group("voice"))))
            pos = m.end()
        cur["parts"].append(" ")
    if said() or cur["mark"] or cur["voice"]:
        out.append(_piece(cur, t1, label_starts_turn))
    return out


def _piece(cur: dict, t1: float | None, label_starts_turn: bool) -> _Cue:
    """One turn of a cue as a cue: sound tags dropped, a speaker at its start read."""
    body = squash(_SOUND.sub(" ", squash(html.unescape(" ".join(cur["parts"])))))
    if cur["voice"]:
        return (cur["start"], cur["end"], cur["t0"], t1, cur["voice"], cur["mark"], body)
    label, named, rest = _speaker_prefix(body)
    return (cur["start"], cur["end"], cur["t0"], t1, label, cur["mark"] or (named and label_starts_turn), rest)


def read_cues(raw: list[RawCue], label_starts_turn: bool = True) -> list[_Cue]:
    """The cues of a captions file, each ``(start, end, t0, t1, lines)``, as turns for
    :func:`caption_passages`: rolling duplicates read once, cut at each ``>>`` and voice tag,
    a speaker at the start of each read. A label opens a new passage even for the speaker
    already talking when ``label_starts_turn`` (SubRip), or continues it (WebVTT)."""
    lines = [[(off, text, c) for off, text in cue[4] if (c := _clean(text))] for cue in raw]
    if _rolling(lines):
        _drop_rolled(lines)
    out: list[_Cue] = []
    for cue, kept in zip(raw, lines):
        out.extend(_pieces(cue[0], cue[1], cue[2], cue[3], kept, label_starts_turn))
    return out


def parse_srt(text: str, doc: Document) -> ParseResult:
    """Parse SubRip captions; consecutive cues of one speaker make one passage."""
    lines = list(iter_lines(text.lstrip("\ufeff")))
    offset = len(text) - len(text.lstrip("\ufeff"))
    cues: list[RawCue] = []
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
        payload: list[tuple[int, str]] = []
        end = lines[i - 1].start + len(lines[i - 1].text) + offset
        while i < n and lines[i].text.strip() and not _TIMING.match(lines[i].text):
            if i + 1 < n and lines[i].text.strip().isdigit() and _TIMING.match(lines[i + 1].text):
                break
            payload.append((lines[i].start + offset, lines[i].text))
            end = lines[i].start + len(lines[i].text) + offset
            i += 1
        cues.append((cue_start, end, t0, t1, payload))
    if not cues:
        return ParseResult((), (f"{doc.path}: no SubRip cues found",))
    return _result(doc, cues, f"{stray} lines outside any caption cue" if stray else None)


def _result(doc: Document, cues: list[RawCue], ignored: str | None) -> ParseResult:
    """The passages of ``cues``, with the lines that were no cue (``ignored``) reported once."""
    warnings = (f"{doc.path}: {ignored}; ignored",) if ignored else ()
    passages = caption_passages(doc, read_cues(cues))
    return ParseResult(tuple(passages), warnings, skipped=((None, ignored),) if ignored else ())


def caption_passages(doc: Document, cues: list[_Cue]) -> list[Passage]:
    """Consecutive cues of one speaker as one passage (cues naming nobody cut
    by :func:`unnamed_run_full`); a cue is ``(start, end, t0, t1, label, new
    speaker?, text)``, and one without a label continues the speaker before it.
    SubRip, timed lines and WebVTT share it."""
    passages: list[Passage] = []
    group: list[_Cue] = []

    def flush() -> None:
        if not group:
            return
        for part in _turn_parts(group) if group[0][4] is not None else [group]:
            passage = caption_turn(doc, len(passages), group[0][4], [(c[0], c[1], c[2], c[3], c[6]) for c in part])
            if passage is not None:
                passages.append(passage)
        group.clear()

    current: str | None = None
    words = 0
    last: float | None = None  # when the group's last words ended
    for cue in cues:
        label, new = cue[4], cue[5]
        full = bool(group) and unnamed_run_full(current, words, group[-1][6])
        silent = last is not None and cue[2] is not None and cue[2] - last > CUE_GAP and bool(cue[6])
        if new or (label is not None and label != current) or full or silent:
            flush()
            words = 0
            if new or label is not None:
                current = label
        group.append((cue[0], cue[1], cue[2], cue[3], current, new, cue[6]))
        words += len(cue[6].split())
        if cue[6]:
            last = cue[3] if cue[3] is not None else cue[2]
    flush()
    return passages


def _turn_parts(group: list[_Cue]) -> list[list[_Cue]]:
    """A speaker's run of cues in parts of about :data:`TURN_WORDS` words: cut after a cue
    that ends a sentence once a part has that many words and the rest half as many, or
    after any cue at twice as many."""
    rest = sum(len(c[6].split()) for c in group)
    parts: list[list[_Cue]] = [[]]
    words = 0
    for cue in group:
        parts[-1].append(cue)
        n = len(cue[6].split())
        words, rest = words + n, rest - n
        if rest and (words >= 2 * TURN_WORDS or (words >= TURN_WORDS and rest >= TURN_WORDS // 2
                                                  and ends_sentence(cue[6]))):
            parts.append([])
            words = 0
    return [p for p in parts if p]


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
    cues: list[RawCue] = []
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
        payload = [(start + m.end(), lines[i].text[m.end():])] if m.end() < len(lines[i].text.rstrip()) else []
        i += 1
        while i < n and not clocks[i]:
            if lines[i].text.strip():
                payload.append((lines[i].start + offset, lines[i].text))
                end = lines[i].start + len(lines[i].text) + offset
            i += 1
        until = parse_timestamp(clocks[i].group(1)) if i < n else None  # a cue lasts until the next one starts
        cues.append((start, end, parse_timestamp(m.group(1)), until, payload))
    return _result(doc, cues, f"{before} lines before the first time" if before else None)


def caption_turn(doc: Document, position: int, label: str | None,
                 cues: list[tuple[int, int, float | None, float | None, str]]) -> Passage | None:
    """One speaker's run of caption cues ``(start, end, t0, t1, text)`` as a
    passage (None when it holds no text): the label parsed as a transcript's
    would be, the times of its first and last cue kept. WebVTT and SubRip share it."""
    sp = parse_speaker_label(label) if label else None
    cues = [c for c in cues if c[4] and c[4].strip()]  # an empty cue ("00:00:00.000 --> 00:00:00.000") times nothing
    body = squash(" ".join(c[4] for c in cues))
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
