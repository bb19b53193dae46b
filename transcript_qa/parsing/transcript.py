"""Plain-text meeting transcripts.

Rules (general, proven on the bundled London Assembly transcript):

* A turn starts with a speaker label and a colon: ``Name (Role, Organisation): text``,
  ``Name AM (Chairman): text``, ``Name AM: text`` (markup such as ``**Name:**`` is fine).
  The colon must sit outside brackets, within the first line, and be followed by a
  space or the end of the line. The label must read as a name (capitalised words,
  titles, honours); a one-word or numbered label ("Chair", "Speaker 2") must occur
  at least twice in the file, unless it carries a bracket.
* Paragraphs without a label belong to the current speaker's turn.
* A paragraph cut by a page break (the next one starts in lower case, or the
  previous one ends mid-sentence) is joined back with a space; other paragraphs of
  a turn are separated by a blank line.
* ``[editorial insertions]`` stay in the text.
* Blocks before the first turn are document metadata (title lines), tagged
  ``boilerplate="metadata"``.
* A bare label ("Susan Hall AM:") takes the role and organisation given by an
  earlier label of the same speaker in the same document.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import Document, Passage, Speaker
from ..speakers import is_name_like, parse_speaker_label, split_brackets, split_top_level, _role_head
from .common import (
    new_passage,
    Block,
    ParseResult,
    ends_sentence,
    find_date,
    join_lines,
    parse_timestamp,
    split_blocks,
    starts_lower,
    strip_markup,
)

MAX_LABEL_CHARS = 250


@dataclass(frozen=True)
class LabelMatch:
    label: str  # as written, markup included, without the colon
    body_offset: int  # offset of the turn text inside the block's first line
    time: float | None = None  # a leading "[00:01:02]" timestamp, in seconds


_TIMESTAMP = re.compile(r"^[\[(]?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?\s+(?=\S)")


def find_label(line: str) -> LabelMatch | None:
    """Find a ``Label:`` prefix on a paragraph's first line, bracket-aware.

    A leading timestamp (``[00:01:02] Name: text``) is allowed and returned in
    seconds. Returns None when there is no colon outside brackets in the first
    ``MAX_LABEL_CHARS`` characters, or the prefix does not read as a name.
    """
    ts = _TIMESTAMP.match(line)
    if ts:
        inner = find_label(line[ts.end() :])
        if inner is None:
            return None
        return LabelMatch(inner.label, inner.body_offset + ts.end(), parse_timestamp(ts.group(1)))
    first_colon = line.find(":", 0, MAX_LABEL_CHARS)
    if first_colon <= 0:
        return None
    depth_round = depth_square = 0
    limit = min(len(line), MAX_LABEL_CHARS)
    colon = -1
    for i in range(limit):
        ch = line[i]
        if ch == "(":
            depth_round += 1
        elif ch == ")":
            depth_round -= 1
            if depth_round < 0:
                return None
        elif ch == "[":
            depth_square += 1
        elif ch == "]":
            depth_square = max(0, depth_square - 1)
        elif ch == ":" and depth_round == 0 and depth_square == 0:
            colon = i
            break
        elif ch in ".?!;\"“”" and depth_round == 0 and depth_square == 0:
            # sentence punctuation before the colon: not a label, except after an
            # abbreviation such as "Dr." or "Hon."
            j = i
            while j > 0 and line[j - 1].isalpha():
                j -= 1
            if ch == "." and 0 < i - j <= 4:
                continue
            return None
    if colon <= 0:
        return None
    rest = line[colon + 1 :]
    stripped_rest = rest.lstrip("*_")  # "**Name:** text" closes its markup after the colon
    if stripped_rest and not stripped_rest[0].isspace():
        return None
    label = line[:colon]
    clean = strip_markup(label).replace("**", "").strip().strip("*_ ")
    if not clean or depth_round != 0:
        return None
    head, _groups = split_brackets(clean.replace("[", "").replace("]", ""))
    parts = split_top_level(head) or [head]
    if len(parts) > 3 or not is_name_like(parts[0]):
        return None
    if any(not part[:1].isupper() for part in parts[1:]):
        return None  # "Therefore, the model is: ..." is prose, not "Name, Role:"
    body = colon + 1 + (len(rest) - len(stripped_rest))
    while body < len(line) and line[body].isspace():
        body += 1
    return LabelMatch(label.strip().strip("*_").strip(), body)


def _strong_label(label: str) -> bool:
    """A label that is a turn even if seen once: a bracket, honours, or two or more name words."""
    clean = strip_markup(label).replace("**", "")
    head, groups = split_brackets(clean.replace("[", "").replace("]", ""))
    if groups:
        return True
    sp = parse_speaker_label(label)
    if sp.honours:
        return True
    words = sp.name.split()
    if any(w.isdigit() for w in words):
        return False
    return len(words) >= 2 and not _role_head(head)


@dataclass
class _Turn:
    label: str
    start: int
    end: int
    parts: list[str]
    joins: list[str]  # separator before each part after the first
    time: float | None = None

    def text(self) -> str:
        out: list[str] = []
        for i, part in enumerate(self.parts):
            if i and part:
                out.append(self.joins[i] if out else "")
            if part:
                out.append(part)
        return "".join(out).strip()


def block_body(block: Block, skip: int = 0) -> str:
    """The cleaned text of a block, dropping the first ``skip`` characters of its first line."""
    lines = [line.text for line in block.lines]
    first = block.lines[0]
    lines[0] = first.text[block.start - first.start + skip :]
    return join_lines([strip_markup(x) for x in lines])


def parse_transcript(text: str, doc: Document) -> ParseResult:
    """Split a plain-text transcript into speaker turns (see the module docstring)."""
    blocks = split_blocks(text)
    cache: dict[str, Speaker] = {}

    def parse_label(label: str) -> Speaker:
        sp = cache.get(label)
        if sp is None:
            sp = cache[label] = parse_speaker_label(label)
        return sp

    matches: list[LabelMatch | None] = []
    counts: Counter[str] = Counter()
    for block in blocks:
        first = block.lines[0]
        line = first.text[block.start - first.start :]
        m = find_label(line)
        matches.append(m)
        if m:
            counts[parse_label(m.label).name] += 1
    accepted: list[LabelMatch | None] = []
    for m in matches:
        if m and (counts[parse_label(m.label).name] >= 2 or _strong_label(m.label)):
            accepted.append(m)
        else:
            accepted.append(None)

    passages: list[Passage] = []
    warnings: list[str] = []
    title_lines: list[str] = []
    known_roles: dict[str, tuple[str | None, str | None]] = {}
    turn: _Turn | None = None
    last_part_raw = ""

    def add(**kw: object) -> None:
        passages.append(new_passage(doc, len(passages), **kw))  # type: ignore[arg-type]

    def flush() -> None:
        nonlocal turn
        if turn is None:
            return
        sp = parse_label(turn.label)
        role, org = sp.role, sp.organisation
        if role is None and org is None and sp.name in known_roles:
            role, org = known_roles[sp.name]
        elif role is not None or org is not None:
            known_roles[sp.name] = (role, org)
        add(
            text=turn.text(),
            start=turn.start,
            end=turn.end,
            speaker=sp.name or None,
            role=role,
            organisation=org,
            speaker_label=sp.raw,
            time_start=turn.time,
        )
        turn = None

    for block, m in zip(blocks, accepted):
        if m is not None:
            flush()
            body = block_body(block, skip=m.body_offset)
            turn = _Turn(m.label, block.start, block.end, [body], [""], m.time)
            last_part_raw = body
            continue
        body = block_body(block)
        if turn is None:
            # before the first turn: title lines and other front matter
            short = len(body) <= 300
            if short:
                title_lines.append(body)
            add(text=body, start=block.start, end=block.end, boilerplate="metadata" if short else None)
            continue
        joined = starts_lower(body) or not ends_sentence(last_part_raw)
        turn.parts.append(body)
        turn.joins.append(" " if joined else "\n\n")
        turn.end = block.end
        last_part_raw = body
    flush()

    if not any(p.speaker for p in passages):
        warnings.append(f"{doc.path}: no speaker labels found; read as plain paragraphs")
    title = " – ".join(title_lines[:2]) if title_lines else None
    date = find_date(" ".join(title_lines)) if title_lines else None
    return ParseResult(tuple(passages), tuple(warnings), title=title, date=date)
