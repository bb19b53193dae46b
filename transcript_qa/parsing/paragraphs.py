"""Cutting a plain-text transcript into paragraphs (:func:`split_paragraphs`): blocks
between blank lines, cut again at first-line indents, at bullets, and at each label of
turns printed one line after another. ``transcript.py`` reads the turns in them."""

from __future__ import annotations

import re
from collections import Counter

from .common import Block, Line, split_blocks, strip_markup
from .labels_text import _LEAD_MARK, MAX_LABEL_CHARS, find_label


def _norm_prefix(prefix: str | None) -> str:
    return " ".join((prefix or "").casefold().split())


def split_paragraphs(text: str) -> list[Block]:
    """Blocks of ``text``, each cut again at first-line indents when the block is laid
    out that way (indented lines followed by flush-left continuation lines); a line
    opening with a bullet starts a paragraph too. A block of turns one line after
    another, with no blank line between ("Mary Jones: ...", "John Smith: ..."), is cut
    at each label, and captions at each ">>" (see :func:`_turn_lines`)."""
    blocks = split_blocks(text)
    layouts = []
    keys: Counter[str] = Counter()
    for block in blocks:
        lines = block.lines
        indents = [len(x.text) - len(x.text.lstrip()) for x in lines]
        indented = len(lines) >= 2 and min(indents) == 0 and any(i >= 2 for i in indents[1:])
        line_keys = [] if indented or len(lines) < 2 else [_line_label_key(x.text) for x in lines]
        keys.update(k for k in line_keys if k)
        layouts.append((indents, indented, line_keys))
    out: list[Block] = []
    for block, (indents, indented, line_keys) in zip(blocks, layouts):
        lines = block.lines
        if not indented:
            cuts = _turn_lines(lines, line_keys, keys)
            if not cuts:
                out.append(block)
                continue
            bounds = [0, *cuts, len(lines)]
            out.extend(_make_block(list(lines[a:b])) for a, b in zip(bounds, bounds[1:]))
            continue
        current: list[Line] = []
        for line, ind in zip(lines, indents):
            if current and (ind >= 2 or _LEAD_MARK.match(line.text)):
                out.append(_make_block(current))
                current = []
            current.append(line)
        if current:
            out.append(_make_block(current))
    return out


_LETTER_LABEL = re.compile(r"^[*_]*(?P<letter>[A-Z])[*_]*:[*_]*\s+\S")


def _line_label_key(text: str) -> str | None:
    """What opens a line as a label ("mary jones", or a single letter such as an
    interview's "q"), for cutting turns printed one line after another."""
    text = text.strip()
    if ":" not in text[:MAX_LABEL_CHARS]:
        return None
    letter = _LETTER_LABEL.match(text)
    if letter:
        return letter.group("letter").casefold()
    m = find_label(text)
    if m is None or (m.body_offset >= len(text) and m.time is None):
        return None  # a label alone on its line opens a turn there only with its time ("18:02:11 From ...:")
    return _norm_prefix(strip_markup(m.label))


def _turn_lines(lines: tuple[Line, ...], line_keys: list[str | None], keys: Counter[str]) -> list[int]:
    """Lines after the first that open a turn within one block: every ">>" line, or every
    line opening with a label when at least two different labels that open lines of the
    block come back somewhere in the document (a dialogue, where a speaker heard once, such
    as a court's "THE DEFENDANT:", still has a turn; a list of terms and their definitions
    does not repeat a term)."""
    if len(lines) < 2:
        return []
    cuts = [i for i in range(1, len(lines)) if lines[i].text.lstrip().startswith(">>")]
    if cuts:
        return cuts
    opened = {i: k for i, k in enumerate(line_keys) if k}
    if len({k for k in opened.values() if keys[k] >= 2}) < 2:
        return []
    return [i for i in opened if i > 0]


def _make_block(lines: list[Line]) -> Block:
    first, last = lines[0], lines[-1]
    lead = len(first.text) - len(first.text.lstrip())
    return Block(first.start + lead, last.start + len(last.text), tuple(lines))
