"""Letters: the signatory speaks every body paragraph; headings are sections."""

from __future__ import annotations

from pathlib import Path

from transcript_qa.model import Document
from transcript_qa.parsing import parse_document

FIXTURE = Path(__file__).parent / "fixtures" / "corpora" / "mixed" / "2024-04-02-letter.txt"
DOC = Document(id="l", title="L", kind="letter", date=None, path="l.txt")


def test_letter_author_recipient_date_subject():
    result = parse_document(FIXTURE.read_text(encoding="utf-8"), DOC)
    assert result.author == "Amir Khan"
    assert result.recipient == "Jane Doe"
    assert result.date == "2024-04-02"
    assert result.title == "Homes for Prison Leavers"
    assert result.metadata["salutation"] == "Dear Jane,"


def test_body_paragraphs_are_spoken_by_the_signatory_under_their_headings():
    result = parse_document(FIXTURE.read_text(encoding="utf-8"), DOC)
    body = [p for p in result.passages if p.boilerplate is None]
    assert len(body) == 3
    assert {(p.speaker, p.role, p.organisation) for p in body} == {("Amir Khan", "Director of Housing", "Example Council")}
    assert [p.section for p in body] == [None, "Applications from prison (Recommendation 1)", "Deposits (Recommendation 2)"]
    # a paragraph cut by a page break is joined back
    assert "our officers will assess it before they leave." in body[1].text


def test_front_matter_and_signature_are_boilerplate():
    result = parse_document(FIXTURE.read_text(encoding="utf-8"), DOC)
    tags = {p.text.splitlines()[0]: p.boilerplate for p in result.passages if p.boilerplate}
    assert tags["OFFICIAL"] == "metadata"
    assert tags["Dear Jane,"] == "metadata"
    assert tags["Re: Homes for Prison Leavers"] == "metadata"
    assert tags["Yours sincerely"] == "form"


def test_manifest_author_wins_and_missing_closing_warns():
    doc = Document(id="l", title="L", kind="letter", date=None, path="l.txt", author="Dr Ann Smith")
    result = parse_document("Dear Bob,\n\nThanks for the report. We agree with it.\n", doc)
    body = [p for p in result.passages if p.boilerplate is None]
    assert [p.speaker for p in body] == ["Ann Smith"]
    assert any("no closing" in w for w in result.warnings)
    assert result.recipient == "Bob"
