"""Structured transcripts: WebVTT with voice tags, JSON and JSON Lines of turns.

WebVTT (as Zoom and Teams export it)::

    WEBVTT

    00:00:01.000 --> 00:00:04.500
    <v Susan Hall AM (Chairman)>Welcome to the meeting.</v>

Cues without a voice tag may start with ``Name: text``; cues with neither belong
to the previous speaker. A cue's words are read as SubRip's (``captions.read_cues``:
``>>`` turns, rolling captions, sounds in brackets). Consecutive cues of the same speaker form one passage
(``time_start`` of the first cue, ``time_end`` of the last); ``start``/``end``
span the cues in the file.

JSON: an array of turns, or an object holding one under ``"turns"``,
``"segments"``, ``"utterances"`` or ``"transcript"`` (else under the first key whose
list is mostly turns with words). JSON Lines: one turn object per line. A turn is
``{"speaker": ..., "text": ...}`` (the words also under ``content``, ``utterance``,
``spoken``, ``speech``, ``transcript`` or ``body``; the speaker under ``name``); an
entry ``{"type": "section", "name": ...}`` is the section of the turns after it. With optional
``role``, ``organisation`` (or ``organization``), ``start``, ``end`` (seconds, or
``"hh:mm:ss.mmm"``; milliseconds under a key that says so, ``start_ms``, ``startMs``,
``offset_ms``, ``end_ms``, ``duration_ms``, or when every time of the file is a whole
number and the turns' median length ``end - start`` (else the median gap between
starts) exceeds 100: a spoken turn lasts seconds, so that is AssemblyAI's and
Rev's milliseconds). The speaker is parsed like any label, so
``"Susan Hall AM (Chairman)"`` works; explicit ``role``/``organisation`` win.

Positions: for JSON and JSON Lines, one passage per input turn, ``position`` =
the turn's 0-based index in the file (JSON Lines: among non-blank lines). For
WebVTT, ``position`` counts the passages (merged cues). A turn with empty text, or a
line that is not a valid turn, yields no passage but keeps its index, so the
ids of the other turns do not move; each is reported (skipped entry + warning).
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
from dataclasses import replace
from typing import Any, Iterator

from ..model import Document, Passage
from ..speakers import parse_speaker_label
from .captions import RawCue, caption_passages, read_cues
from .common import ParseResult, iter_lines, new_passage, parse_timestamp, squash

_TIMING = re.compile(
    r"^\s*((?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s+-->\s+((?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)"
)




# --- WebVTT ---------------------------------------------------------------------------------


def parse_vtt(text: str, doc: Document) -> ParseResult:
    """Parse a WebVTT file; consecutive cues of one speaker make one passage (cues with
    no speaker named: passages of about ``CAPTION_WORDS`` words, as in SubRip)."""
    warnings: list[str] = []
    cues: list[RawCue] = []
    lines = list(iter_lines(text))
    if not lines or not lines[0].text.lstrip("\ufeff").startswith("WEBVTT"):
        warnings.append(f"{doc.path}: no WEBVTT header; reading cues anyway")
    i = 0
    n = len(lines)
    while i < n:
        m = _TIMING.match(lines[i].text)
        if not m:
            i += 1
            continue
        cue_start = lines[i - 1].start if i > 0 and lines[i - 1].text.strip() and not _TIMING.match(lines[i - 1].text) else lines[i].start
        t0, t1 = parse_timestamp(m.group(1)), parse_timestamp(m.group(2))
        i += 1
        payload: list[tuple[int, str]] = []
        end = lines[i - 1].start + len(lines[i - 1].text)
        while i < n and (lines[i].text.strip() or _spaces_in_cue(text, lines, i)):
            if _TIMING.match(lines[i].text):
                break
            payload.append((lines[i].start, lines[i].text))
            end = lines[i].start + len(lines[i].text)
            i += 1
        cues.append((cue_start, end, t0, t1, payload))  # no speaker: the one before goes on
    passages = caption_passages(doc, read_cues(cues, label_starts_turn=False))
    if not cues:
        warnings.append(f"{doc.path}: no WebVTT cues found")
    return ParseResult(tuple(passages), tuple(warnings))


def _spaces_in_cue(text: str, lines: list, i: int) -> bool:
    """Is line ``i``, blank, spaces inside a cue (YouTube's `` `` line above the words), not
    the blank line that ends it? Only spaces, with words next that are no cue's timing or id."""
    if not text[lines[i].start : lines[i].start + 1].isspace() or text[lines[i].start] in "\r\n":
        return False
    nxt = lines[i + 1].text if i + 1 < len(lines) else ""
    after = lines[i + 2].text if i + 2 < len(lines) else ""
    return bool(nxt.strip()) and not _TIMING.match(nxt) and not _TIMING.match(after)


# --- JSON / JSON Lines ----------------------------------------------------------------------

#: json.loads raises RecursionError (cleanly) on nesting deeper than Python's recursion limit.
_TOO_DEEP = "JSON nested too deeply to read"


#: Keys of a turn's times in milliseconds (snake_case and camelCase), by what they give.
_MS_START = ("start_ms", "startMs", "start_time_ms", "startTimeMs", "offset_ms", "offsetMs", "begin_ms", "beginMs")
_MS_END = ("end_ms", "endMs", "end_time_ms", "endTimeMs")
_MS_DURATION = ("duration_ms", "durationMs")
#: Median turn length (or gap between turns) above which whole-number times are milliseconds.
_MS_MEDIAN = 100


def _first_number(obj: dict, keys: tuple[str, ...]) -> float | None:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            return float(value)
    return None


def _times(obj: dict, per_second: int) -> tuple[float | None, float | None]:
    """(time_start, time_end) of a turn in seconds: ``start``/``end`` (numbers in units of
    1/``per_second`` s, text as ``hh:mm:ss``), else keys in milliseconds."""
    t0, t1 = obj.get("start"), obj.get("end")
    start = parse_timestamp(t0)
    end = parse_timestamp(t1)
    if start is not None and isinstance(t0, (int, float)):
        start /= per_second
    if end is not None and isinstance(t1, (int, float)):
        end /= per_second
    if start is None:
        ms = _first_number(obj, _MS_START)
        start = ms / 1000 if ms is not None else None
    if end is None:
        ms = _first_number(obj, _MS_END)
        if ms is None and start is not None:
            dur = _first_number(obj, _MS_DURATION)
            ms = start * 1000 + dur if dur is not None else None
        end = ms / 1000 if ms is not None else None
    return start, end


def _time_scale(turns: list[Any]) -> int:
    """Units per second of the file's numeric ``start``/``end``: 1000 when every one is
    a whole number and the median turn (or, with no ends, the median gap between
    starts) lasts more than ``_MS_MEDIAN`` units; else 1 (float seconds stay seconds)."""
    starts: list[float] = []
    lengths: list[float] = []
    for obj in turns:
        if not isinstance(obj, dict):
            continue
        t0, t1 = obj.get("start"), obj.get("end")
        for value in (t0, t1):
            if isinstance(value, (float, bool)):
                return 1  # a fraction: seconds (or a file mixing kinds: leave it as read)
        if isinstance(t0, int) and t0 >= 0:
            starts.append(t0)
            if isinstance(t1, int) and t1 >= t0:
                lengths.append(t1 - t0)
    if not lengths:
        lengths = [b - a for a, b in itertools.pairwise(starts) if b >= a]
    if not lengths:
        return 1
    return 1000 if statistics.median(lengths) > _MS_MEDIAN else 1


#: The keys a turn's words go under, in the exports seen: most tools' "text", and "content",
#: "utterance", "spoken", "speech", "transcript", "body".
_TEXT_KEYS = ("text", "content", "utterance", "spoken", "speech", "transcript", "body")
#: The ``type`` of an entry that is a heading for the turns after it (a civic scraper's
#: ``{"name": "PUBLIC HEARINGS", "type": "section"}``).
_SECTION_TYPES = frozenset({"section", "heading", "item", "title", "agenda_item"})


def _section_of(obj: Any) -> str | None:
    """The heading an entry stands for, when it is one (a ``type`` saying so, a name or
    title, and no words), else None."""
    if not isinstance(obj, dict) or str(obj.get("type", "")).lower() not in _SECTION_TYPES:
        return None
    if any(isinstance(obj.get(k), str) and obj[k].strip() for k in _TEXT_KEYS):
        return None
    name = obj.get("name", obj.get("title"))
    return " ".join(name.split()) if isinstance(name, str) and name.strip() else None


def _turn_list_key(data: dict) -> str | None:
    """The key of an object's list of turns: a known one, else the first list most of
    whose entries are objects with words (``{"meta": ..., "hansard": [...]}``)."""
    for key in ("turns", "segments", "utterances", "transcript"):
        if isinstance(data.get(key), list):
            return key
    for key, value in data.items():
        if isinstance(value, list) and value:
            worded = sum(isinstance(v, dict) and any(isinstance(v.get(k), str) for k in _TEXT_KEYS) for v in value)
            if worded * 2 >= len(value):
                return key
    return None


def _turn_passage(
    doc: Document, position: int, obj: Any, start: int, end: int, per_second: int = 1
) -> tuple[Passage | None, str | None]:
    """A passage from one turn object, or (None, reason); numeric times are in units of
    1/``per_second`` s (see ``_time_scale``)."""
    if not isinstance(obj, dict):
        return None, f"turn {position} is not an object"
    text = next((obj[k] for k in _TEXT_KEYS if isinstance(obj.get(k), str)), None)
    if text is None:
        text = next((obj[k] for k in _TEXT_KEYS if k in obj), None)
    if text is None:
        return None, f"turn {position} has no \"text\""
    if not isinstance(text, str):
        return None, f"turn {position}: \"text\" is not a string"
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(squash(x) for x in text.splitlines())).strip()
    if not text:
        return None, f"turn {position} has empty text"
    label = obj.get("speaker", obj.get("name"))
    sp = parse_speaker_label(label) if isinstance(label, str) and label.strip() else None
    role = obj.get("role")
    org = obj.get("organisation", obj.get("organization"))
    time_start, time_end = _times(obj, per_second)
    return (
        new_passage(
            doc,
            position,
            text=text,
            start=start,
            end=end,
            speaker=sp.name if sp and sp.name else None,
            role=role if isinstance(role, str) and role.strip() else (sp.role if sp else None),
            organisation=org if isinstance(org, str) and org.strip() else (sp.organisation if sp else None),
            speaker_label=sp.raw if sp else None,
            section=obj.get("section") if isinstance(obj.get("section"), str) else None,
            time_start=time_start,
            time_end=time_end,
        ),
        None,
    )


def _array_items(text: str, index: int) -> Iterator[tuple[Any, int, int]]:
    """Decode the JSON array starting at ``text[index] == '['``; yield (item, start, end)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\r\n]*")
    i = ws.match(text, index + 1).end()  # type: ignore[union-attr]
    if i < len(text) and text[i] == "]":
        return
    while True:
        item, j = decoder.raw_decode(text, i)
        yield item, i, j
        k = ws.match(text, j).end()  # type: ignore[union-attr]
        if k < len(text) and text[k] == ",":
            i = ws.match(text, k + 1).end()  # type: ignore[union-attr]
            continue
        if k < len(text) and text[k] == "]":
            return
        raise json.JSONDecodeError("expected ',' or ']'", text, k)


def parse_json(text: str, doc: Document) -> ParseResult:
    """Parse a JSON transcript (an array of turns, or an object with a list of turns)."""
    warnings: list[str] = []
    skipped: list[tuple[int | None, str]] = []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        reason = f"malformed JSON at line {err.lineno}: {err.msg}"
        return ParseResult((), (f"{doc.path}:{err.lineno}: {reason}",), skipped=((err.lineno, reason),))
    except RecursionError:
        return ParseResult((), (), skipped=((None, _TOO_DEEP),))  # the loader warns: no passages (why)
    start_index: int | None = None
    if isinstance(data, list):
        start_index = text.index("[")
    elif isinstance(data, dict):
        key = _turn_list_key(data)
        if key is not None:
            m = re.search(r'"' + re.escape(key) + r'"\s*:\s*\[', text)
            start_index = m.end() - 1 if m else None
    if start_index is None:
        reason = "expected an array of turns or an object with \"turns\""
        return ParseResult((), (f"{doc.path}: {reason}",), skipped=((None, reason),))
    passages: list[Passage] = []
    items = list(_array_items(text, start_index))
    per_second = _time_scale([item for item, _, _ in items])
    section: str | None = None  # the heading entry last read
    for pos, (item, s, e) in enumerate(items):
        heading = _section_of(item)
        if heading is not None:
            section = heading
            continue
        passage, reason = _turn_passage(doc, pos, item, s, e, per_second)
        if passage is not None and passage.section is None and section is not None:
            passage = replace(passage, section=section)
        if passage is None:
            line = text.count("\n", 0, s) + 1
            skipped.append((line, reason or "unusable turn"))
            warnings.append(f"{doc.path}:{line}: {reason}; no passage")
        else:
            passages.append(passage)
    return ParseResult(tuple(passages), tuple(warnings), skipped=tuple(skipped))


def parse_jsonl(text: str, doc: Document) -> ParseResult:
    """Parse JSON Lines, one turn per non-blank line; bad lines are reported and skipped."""
    warnings: list[str] = []
    skipped: list[tuple[int | None, str]] = []
    passages: list[Passage] = []
    # (line number, position, start, end, object, why the line is skipped or None), read
    # whole first: the file's times decide their unit
    lines: list[tuple[int, int, int, int, Any, str | None]] = []
    position = 0
    for lineno, line in enumerate(iter_lines(text), start=1):
        body = line.text.strip()
        if not body:
            continue
        pos = position
        position += 1
        lead = len(line.text) - len(line.text.lstrip())
        start, end = line.start + lead, line.start + len(line.text)
        try:
            lines.append((lineno, pos, start, end, json.loads(body), None))
        except json.JSONDecodeError as err:
            lines.append((lineno, pos, start, end, None, f"not valid JSON ({err.msg})"))
        except RecursionError:
            lines.append((lineno, pos, start, end, None, _TOO_DEEP))
    per_second = _time_scale([t[4] for t in lines if t[5] is None])
    for lineno, pos, start, end, obj, bad in lines:
        if bad is not None:
            skipped.append((lineno, bad))
            warnings.append(f"{doc.path}:{lineno}: {bad}; line skipped")
            continue
        passage, reason = _turn_passage(doc, pos, obj, start, end, per_second)
        if passage is None:
            skipped.append((lineno, reason or "unusable turn"))
            warnings.append(f"{doc.path}:{lineno}: {reason}; no passage")
        else:
            passages.append(passage)
    return ParseResult(tuple(passages), tuple(warnings), skipped=tuple(skipped))
