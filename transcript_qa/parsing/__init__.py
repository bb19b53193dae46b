"""Document parsers: one module per kind or format, each a pure function
``(text, doc) -> ParseResult`` with exact character offsets into ``text``.

``parse_document`` picks the parser from the file's format (WebVTT, SRT captions,
JSON, JSON Lines, parliamentary XML) and, for plain text, from ``doc.kind``; then
resolves who each label means within the document (``identities.py``). An HTML
page is rendered as text (``html_text.py``) and parsed by its kind; its passages'
offsets point back into the page.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Document
from .common import ParseResult
from .detect import detect_kind, structured_format

__all__ = ["ParseResult", "detect_kind", "parse_document", "structured_format"]


def _parse(text: str, doc: Document) -> ParseResult:
    from .html_text import html_to_text, is_html

    if is_html(text, doc.path):
        rendered, offsets = html_to_text(text)
        result = _parse_text(rendered, doc)
        return replace(result, passages=tuple(
            replace(p, start=offsets.page_offset(p.start), end=max(offsets.page_offset(p.end), offsets.page_offset(p.start)))
            for p in result.passages))
    fmt = structured_format(text, doc.path)
    if fmt is not None:
        if fmt in ("srt", "timed"):
            from .captions import parse_srt, parse_timed_lines

            return (parse_srt if fmt == "srt" else parse_timed_lines)(text, doc)
        if fmt == "xml":
            from .xml_debates import parse_xml

            return parse_xml(text, doc)
        from .structured import parse_json, parse_jsonl, parse_vtt

        return {"vtt": parse_vtt, "json": parse_json, "jsonl": parse_jsonl}[fmt](text, doc)
    return _parse_text(text, doc)


def _parse_text(text: str, doc: Document) -> ParseResult:
    from .line_numbers import blank_line_numbers

    text = blank_line_numbers(text)  # a court transcript's margin: 1 to 25 on every page
    if doc.kind == "transcript":
        from .qa_turns import parse_qa_transcript, uses_qa
        from .transcript import parse_transcript

        if uses_qa(text):  # a court or deposition transcript printing its examinations as Q./A. lines
            return parse_qa_transcript(text, doc)

        return parse_transcript(text, doc)
    if doc.kind == "letter":
        from .letter import parse_letter

        return parse_letter(text, doc)
    if doc.kind == "minutes":
        from .minutes import parse_minutes

        return parse_minutes(text, doc)
    if doc.kind == "report":
        from .report import parse_report

        return parse_report(text, doc)
    from .sections import parse_sections

    return parse_sections(text, doc)


def parse_document(text: str, doc: Document) -> ParseResult:
    """Parse ``text`` (the decoded file ``doc.path``) into passages, with offices and
    short names resolved to the people they mean within the document."""
    result = _parse(text, doc)
    if result.resolved or not any(p.speaker_label for p in result.passages):
        return result
    from ..identities import resolve_document

    return replace(result, passages=tuple(resolve_document(result.passages)))
