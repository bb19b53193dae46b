"""PDF files are read as text (with the ``[pdf]`` extra, pypdf): a transcript
printed to PDF gives the same turns as its text, running headers and footers
left out; a PDF that cannot be read is skipped with the reason, never a crash."""

from __future__ import annotations

import logging
import sys
import textwrap
from pathlib import Path

import pytest

from transcript_qa.corpus import load_corpus
from transcript_qa.parsing.pdf_text import pdf_text

pytest.importorskip("pypdf")

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPT = ROOT / "corpus" / "2022-07-20-transcript-probation-services.txt"


def _pdf_string(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def write_pdf(pages: list[list[str]]) -> bytes:
    """A PDF of pages of text lines (Helvetica, one line a row), as a word
    processor prints them: the smallest valid file, written by hand."""
    return pdf_of_streams(
        [b"BT /F1 10 Tf 12 TL 56 770 Td " + b" ".join(_pdf_string(x) + b" Tj T*" for x in lines) + b" ET"
         for lines in pages])


def squeezed_words(lines: list[str], *, scale: int = 85, gap: float = 1.0, x0: float = 56, size: int = 10) -> bytes:
    """A page's content stream drawing each word on its own at its place, squeezed
    to ``scale`` % of its width (``Tz``), words ``gap`` squeezed spaces apart, as an
    OCR text layer or a justifying writer draws them (Courier: every glyph 600/1000 em)."""
    advance = 0.6 * size * scale / 100
    out = [f"BT /F1 {size} Tf {scale} Tz".encode()]
    for row, line in enumerate(lines):
        x = x0
        for word in line.split():
            out.append(f"1 0 0 1 {x:.2f} {770 - 12 * row} Tm ".encode() + _pdf_string(word) + b" Tj")
            x += advance * (len(word) + gap)
    return b"\n".join([*out, b"ET"])


def pdf_of_streams(streams: list[bytes], font: str = "Helvetica") -> bytes:
    """A PDF whose pages draw these content streams, font /F1 being ``font``."""
    objects: list[bytes] = []
    n_pages = len(streams)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    font_obj = 3 + 2 * n_pages
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, body in enumerate(streams):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
                       f"/Resources << /Font << /F1 {font_obj} 0 R >> >> >>".encode())
        objects.append(f"<< /Length {len(body)} >>\nstream\n".encode() + body + b"\nendstream")
    objects.append(f"<< /Type /Font /Subtype /Type1 /BaseFont /{font} /Encoding /WinAnsiEncoding >>".encode())
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def printed(text: str, width: int = 95, rows: int = 40) -> list[list[str]]:
    """The text laid out as a printer would: paragraphs wrapped at ``width``, no
    blank line between them, ``rows`` lines a page, a running header and a page
    number footer on every page."""
    lines = [row for para in text.split("\n\n") if para.strip() for row in textwrap.wrap(para.strip(), width)]
    bodies = [lines[i:i + rows] for i in range(0, len(lines), rows)]
    return [["Police and Crime Committee - 20 July 2022", *body, f"Page {n} of {len(bodies)}"]
            for n, body in enumerate(bodies, 1)]


def _turns(folder: Path):
    return [(p.speaker, " ".join(p.text.split())) for p in load_corpus(folder).passages if p.speaker]


def test_a_transcript_printed_to_pdf_gives_the_turns_of_its_text(tmp_path):
    text = "\n\n".join(TRANSCRIPT.read_text(encoding="utf-8").split("\n\n")[:24])
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "hearing.txt").write_text(text, encoding="utf-8")
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "hearing.pdf").write_bytes(write_pdf(printed(text)))
    from_text, from_pdf = _turns(tmp_path / "text"), _turns(tmp_path / "pdf")
    assert len(from_text) >= 10
    assert [s for s, _ in from_pdf] == [s for s, _ in from_text]
    assert from_pdf == from_text  # the same words too: wrapped lines and page breaks joined back
    corpus = load_corpus(tmp_path / "pdf")
    assert corpus.documents[0].kind == "transcript"
    assert not any("Page 2 of" in p.text or "20 July 2022" in p.text for p in corpus.passages if p.speaker)


def test_a_damaged_pdf_is_skipped_with_the_reason(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF garbage \x00\x01")
    (tmp_path / "ok.txt").write_text("Chair: Welcome.\n\nChair: Next item.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert "PDF" in reasons["broken.pdf"]
    assert [d.path for d in corpus.documents] == ["ok.txt"]


def test_without_pypdf_a_pdf_is_skipped_with_how_to_read_it(tmp_path, monkeypatch):
    (tmp_path / "hearing.pdf").write_bytes(write_pdf([["Chair: Welcome."]]))
    (tmp_path / "ok.txt").write_text("Chair: Welcome.\n\nChair: Next item.\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "pypdf", None)  # as if not installed
    corpus = load_corpus(tmp_path)
    assert 'pip install "transcript-qa[pdf]"' in {s.path: s.reason for s in corpus.skipped}["hearing.pdf"]


def test_a_damaged_pdf_prints_no_library_noise(tmp_path, caplog):
    (tmp_path / "broken.pdf").write_bytes(bytes(range(7, 256)) * 40)  # not even a PDF header
    (tmp_path / "ok.txt").write_text("Chair: Welcome.\n\nChair: Next item.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        load_corpus(tmp_path)
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")]


def test_words_squeezed_by_horizontal_scaling_keep_their_spaces(tmp_path):
    """pypdf's plain extraction leaves the horizontal scaling (Tz) out of a word's
    width, so words drawn squeezed, one space apart, come out run together
    ("CommissionerFernandez: So, I hadbrought"): such pages are read in layout mode."""
    text = "\n\n".join(TRANSCRIPT.read_text(encoding="utf-8").split("\n\n")[:24])
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "hearing.txt").write_text(text, encoding="utf-8")
    (tmp_path / "pdf").mkdir()
    pages = [squeezed_words(page) for page in printed(text, width=100)]
    data = pdf_of_streams(pages, font="Courier")
    (tmp_path / "pdf" / "hearing.pdf").write_bytes(data)
    from_text, from_pdf = _turns(tmp_path / "text"), _turns(tmp_path / "pdf")
    assert len(from_text) >= 10
    assert from_pdf == from_text
    assert pdf_text(data)[1] is None


def test_a_pdf_whose_words_stay_run_together_says_so():
    """Words drawn with no gap at all: no reading separates them, and a warning says so."""
    lines = ["Chair: thecommitteewillnowhearevidencefromthewitnesses today."] * 30
    text, warning = pdf_text(pdf_of_streams([squeezed_words(lines, gap=0)] * 2, font="Courier"))
    assert "thecommitteewillnowhearevidencefromthewitnesses" in text.replace(" ", "")
    assert warning is not None and warning.startswith("words run together (60 runs of 20+ letters")


def test_columns_squeezed_side_by_side_keep_the_plain_reading():
    """Layout mode would put two columns side by side on each line; such a page
    keeps the plain text (run together, with a warning) and each column stays whole."""
    def column(text: str) -> list[str]:
        words = text.split()
        return [" ".join(words[i % 5:i % 5 + 5]) for i in range(30)]

    left = column("the committee will now hear evidence from the witnesses about probation")
    right = column("budgets housing roads parks schools lighting water sewers pools libraries")
    page = squeezed_words(left) + b"\n" + squeezed_words(right, x0=330)
    text, warning = pdf_text(pdf_of_streams([page] * 3, font="Courier"))
    assert warning is not None
    assert not [line for line in text.splitlines() if "committee" in line and "housing" in line]


def test_a_pdf_that_reads_well_is_read_once(tmp_path, monkeypatch):
    """Layout mode (a second reading of a page) only for a page whose words run together."""
    from pypdf import PageObject

    modes = []
    extract = PageObject.extract_text

    def spy(self, *args, **kwargs):
        modes.append(kwargs.get("extraction_mode", "plain"))
        return extract(self, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", spy)
    text = "\n\n".join(TRANSCRIPT.read_text(encoding="utf-8").split("\n\n")[:24])
    assert pdf_text(write_pdf(printed(text)))[1] is None
    assert modes and set(modes) == {"plain"}


def test_a_running_footer_of_several_lines_is_left_out(tmp_path):
    """A block of lines repeated at the bottom of every page (title, date, page number) goes, all of it."""
    topics = ["roads", "parks", "schools", "housing", "lighting", "parking", "libraries", "pools", "water", "sewers"]
    body = [f"Chair: The next question is about {a} and {b}, and what the budget buys."
            for a in topics[:3] for b in topics]
    footer = ["City Council Meeting", "Agenda Item 7 - Budget", "January 9, 2024"]
    pages = [[*body[i:i + 10], *footer, f"{i // 10 + 1} [Date]"] for i in range(0, 30, 10)]
    text = pdf_text(write_pdf(pages))[0]
    assert "Council Meeting" not in text and "Agenda Item" not in text and "[Date]" not in text
    assert text.count("Chair:") == 30
