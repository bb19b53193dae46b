"""Word documents (``.docx``: minutes, letters, transcripts, Teams transcript
downloads) as text, with the standard library only.

A ``.docx`` is a zip holding ``word/document.xml``; :func:`docx_to_text` reads
its paragraphs (``w:p``) in order, one paragraph of text each (blank-line
separated, as the other parsers read text): runs' text, tabs kept (a transcript tool's "Name<tab>0:03" header), line
breaks as new lines, table cells one after another. Bold text that opens a
paragraph keeps ``**`` marks (``**Cllr Okafor:** I move ...``), the cue a
speaker label often is. The XML is read with :mod:`xml_safe` (no entity
expansion, no external access, a depth limit); the archive's member is read
only up to :data:`MAX_XML_BYTES`, whatever the zip claims, so a zip bomb is
refused, not inflated. A file that is not a readable ``.docx`` raises
:class:`DocxUnreadable` with the reason.
"""

from __future__ import annotations

import io
import zipfile

from .common import Unreadable
from .xml_safe import Node, XMLRefused, read_xml

#: The most of ``word/document.xml`` read (decompressed).
MAX_XML_BYTES = 200 * 2**20
_BODY = "word/document.xml"


class DocxUnreadable(Unreadable):
    """Why a .docx gives no text (``str(err)``)."""


def docx_to_text(data: bytes) -> str:
    """The document's paragraphs as text (see the module doc)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        with archive.open(_BODY) as member:
            raw = member.read(MAX_XML_BYTES + 1)
    except KeyError:
        raise DocxUnreadable("a .docx without word/document.xml (not a Word document?)") from None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as err:
        raise DocxUnreadable(f"a .docx that cannot be opened ({type(err).__name__}: {err})"[:200]) from None
    if len(raw) > MAX_XML_BYTES:
        raise DocxUnreadable(f"a .docx whose text is over {MAX_XML_BYTES // 2**20} MB unpacked (a zip bomb?)")
    try:
        root = read_xml(raw.decode("utf-8", errors="replace"))
    except XMLRefused as err:
        raise DocxUnreadable(f"a .docx whose text cannot be read ({err})") from None
    paragraphs = [_paragraph(p) for p in root.iter("p")]
    text = "\n\n".join(p for p in paragraphs if p.strip())
    if not text.strip():
        raise DocxUnreadable("a .docx with no text")
    return text


def _paragraph(p: Node) -> str:
    """A paragraph's text; a bold run opening it is marked ``**...**`` (once)."""
    out: list[str] = []
    bold_state = "before"  # "before" the first text, "open" in an opening bold run, "done"
    for run in (n for n in p.iter("r") if _parent_paragraph(n) is p):
        text = "".join(_run_pieces(run))
        if not text:
            continue
        bold = _is_bold(run)
        if bold_state == "before":
            if bold and text.strip():
                out.append("**")
                bold_state = "open"
            elif text.strip():
                bold_state = "done"
        elif bold_state == "open" and not bold:
            out.append("**")
            bold_state = "done"
        out.append(text)
    if bold_state == "open":
        out.append("**")
    return "".join(out).strip()


def _run_pieces(run: Node) -> list[str]:
    pieces: list[str] = []
    for child in run.children:
        if child.tag == "t":
            pieces.append("".join(x for x in child.content if isinstance(x, str)))
        elif child.tag == "tab":
            pieces.append("\t")
        elif child.tag in ("br", "cr"):
            pieces.append("\n")
    return pieces


def _parent_paragraph(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.tag != "p":
        parent = parent.parent
    return parent


def _is_bold(run: Node) -> bool:
    for props in (c for c in run.children if c.tag == "rPr"):
        for b in (c for c in props.children if c.tag == "b"):
            return (b.get("val") or "true").lower() not in ("0", "false", "off")
    return False
