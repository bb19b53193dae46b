"""Document parsers: one module per kind, each a pure function
``(text, doc) -> ParseResult`` with exact character offsets into ``text``.

``parse_document`` picks the parser from the file's format (WebVTT, JSON,
JSON Lines) and, for plain text, from ``doc.kind``.
"""

from __future__ import annotations

from ..model import Document
from .common import ParseResult
from .detect import detect_kind, structured_format

__all__ = ["ParseResult", "detect_kind", "parse_document", "structured_format"]


def parse_document(text: str, doc: Document) -> ParseResult:
    """Parse ``text`` (the decoded file ``doc.path``) into passages."""
    fmt = structured_format(text, doc.path)
    if fmt is not None:
        from .structured import parse_json, parse_jsonl, parse_vtt

        return {"vtt": parse_vtt, "json": parse_json, "jsonl": parse_jsonl}[fmt](text, doc)
    if doc.kind == "transcript":
        from .transcript import parse_transcript

        return parse_transcript(text, doc)
    if doc.kind == "letter":
        from .letter import parse_letter

        return parse_letter(text, doc)
    if doc.kind == "report":
        from .report import parse_report

        return parse_report(text, doc)
    from .sections import parse_sections

    return parse_sections(text, doc)
