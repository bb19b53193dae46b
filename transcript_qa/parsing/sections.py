"""Placeholder: paragraphs with headings (replaced by the full engine)."""

from __future__ import annotations

from ..model import Document, Passage
from .common import ParseResult, heading_name, is_heading_text, join_lines, split_blocks, strip_markup


def parse_sections(text: str, doc: Document) -> ParseResult:
    passages: list[Passage] = []
    section = None
    for block in split_blocks(text):
        if len(block.lines) == 1 and is_heading_text(block.first_line):
            section = heading_name(block.first_line)
            continue
        pos = len(passages)
        passages.append(Passage(id=f"{doc.id}:{pos}", document=doc.id, kind=doc.kind, title=doc.title,
                                date=doc.date, position=pos, text=join_lines([strip_markup(l.text) for l in block.lines]),
                                start=block.start, end=block.end, section=section))
    return ParseResult(tuple(passages))
