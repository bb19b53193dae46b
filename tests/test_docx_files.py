"""Word documents (.docx) are read, not skipped: paragraphs in order, a bold
label opening a paragraph kept as a label, and a hostile or broken file skipped
with the reason (a zip bomb refused, not inflated)."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from transcript_qa.corpus import load_corpus
from transcript_qa.parsing import docx_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def paragraph(*runs: tuple[str, bool]) -> str:
    body = "".join(f"<w:r>{'<w:rPr><w:b/></w:rPr>' if bold else ''}<w:t xml:space=\"preserve\">{escape(t)}</w:t></w:r>"
                   for t, bold in runs)
    return f"<w:p>{body}</w:p>"


def docx(paragraphs: list[str], document: str | None = None) -> bytes:
    xml = document or (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
                       + "".join(paragraphs) + "</w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", xml)
    return out.getvalue()


HEARING = [
    paragraph(("Housing Committee – 4 March 2024", True)),
    paragraph(("Councillor Amy Patel (Chair):", True), (" Welcome. Our first item is temporary accommodation.", False)),
    paragraph(("Dr Ben Jones (Director of Housing, Example Council):", True),
              (" We have 1,200 households in temporary accommodation.", False)),
    paragraph(("Councillor Amy Patel:", True), (" What does it cost?", False)),
    paragraph(("Dr Ben Jones:", True), (" About £3 million a year.", False)),
]


def test_a_word_transcript_gives_turns_with_speakers(tmp_path):
    (tmp_path / "hearing.docx").write_bytes(docx(HEARING))
    corpus = load_corpus(tmp_path)
    turns = [(p.speaker, p.role, p.text) for p in corpus.passages if p.speaker]
    assert turns == [
        ("Amy Patel", "Chair", "Welcome. Our first item is temporary accommodation."),
        ("Ben Jones", "Director of Housing", "We have 1,200 households in temporary accommodation."),
        ("Amy Patel", "Chair", "What does it cost?"),
        ("Ben Jones", "Director of Housing", "About £3 million a year."),
    ]


def test_bold_inside_a_paragraph_is_not_a_label_cue():
    text = docx_text.docx_to_text(docx([paragraph(("The budget is ", False), ("not", True), (" agreed.", False))]))
    assert text == "The budget is not agreed."


def test_broken_and_hostile_files_are_skipped_with_the_reason(tmp_path, monkeypatch):
    (tmp_path / "notzip.docx").write_bytes(b"this is not a zip")
    entities = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><w:document xmlns:w="{W}"><w:body>'
                '<w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>')
    (tmp_path / "entities.docx").write_bytes(docx([], document=entities))
    (tmp_path / "big.docx").write_bytes(docx([paragraph(("x" * 5000, False))]))
    (tmp_path / "ok.docx").write_bytes(docx(HEARING))
    monkeypatch.setattr(docx_text, "MAX_XML_BYTES", 4000)
    corpus = load_corpus(tmp_path)
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert "cannot be opened" in reasons["notzip.docx"]
    assert "entit" in reasons["entities.docx"]
    assert "zip bomb" in reasons["big.docx"]
    assert [d.path for d in corpus.documents] == ["ok.docx"]


def _tab_paragraph(*items: str) -> str:
    body = "".join('<w:r><w:tab/></w:r>' if it == "\t" else f'<w:r><w:t xml:space="preserve">{escape(it)}</w:t></w:r>'
                   for it in items)
    return f"<w:p>{body}</w:p>"


def test_a_transcript_tools_word_export_gives_turns_with_times(tmp_path):
    """Name, a tab and the time in one paragraph, the words in the next (as
    meeting tools' Word downloads lay it out); a closing header with no words
    gives no empty passage."""
    paragraphs = [_tab_paragraph("Weekly council briefing"),
                  _tab_paragraph("John Roe", "\t", "0:03"), _tab_paragraph("Hello everyone, the budget item is first."),
                  _tab_paragraph("Jane Doe", "\t", "0:15"), _tab_paragraph("Thanks John. The library budget rises by 5%."),
                  _tab_paragraph("John Roe", "\t", "1:02"), _tab_paragraph("Any objections?"),
                  _tab_paragraph("Jane Doe", "\t", "1:10")]
    (tmp_path / "briefing.docx").write_bytes(docx(paragraphs))
    corpus = load_corpus(tmp_path)
    turns = [(p.speaker, p.time_start, p.text) for p in corpus.passages if p.boilerplate is None]
    assert turns == [("John Roe", 3.0, "Hello everyone, the budget item is first."),
                     ("Jane Doe", 15.0, "Thanks John. The library budget rises by 5%."),
                     ("John Roe", 62.0, "Any objections?")]
