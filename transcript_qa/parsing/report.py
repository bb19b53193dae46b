"""Committee reports: parsed by the shared section engine, with their quotes
attributed to the witnesses who said them (:mod:`.attribution`) and their
footnotes as the citations of the paragraphs citing them."""

from __future__ import annotations

from ..model import Document
from .common import ParseResult
from .sections import parse_sections


def parse_report(text: str, doc: Document) -> ParseResult:
    """Parse a committee report (quotes attributed to witnesses, footnotes as citations)."""
    return parse_sections(text, doc)
