"""Press releases, covering reports, decision forms, plain files, and kind detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcript_qa.model import Document
from transcript_qa.parsing import detect_kind, parse_document
from transcript_qa.parsing.common import find_date, parse_field, split_blocks, strip_markup

MIXED = Path(__file__).parent / "fixtures" / "corpora" / "mixed"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def parse(name: str, kind: str):
    return parse_document((MIXED / name).read_text(encoding="utf-8"), Document(id="x", title="X", kind=kind, date=None, path=name))


def test_press_release_sections_fields_and_no_speaker():
    result = parse("2024-03-02-press.txt", "press_release")
    body = [p for p in result.passages if p.boilerplate is None]
    assert body[0].section == "1. Homes for Prison Leavers"
    assert all(p.speaker is None for p in result.passages)
    assert result.date == "2024-03-02"
    assert result.metadata["Publication type"] == "General"
    # a lead-in sentence ending with ":" is a paragraph, not a heading
    assert any(p.text == "The report makes 2 recommendations, including:" for p in body)


def test_covering_report_tables_are_boilerplate():
    result = parse("2024-05-01-covering.txt", "covering_report")
    assert result.title == "Responses to Committee Output"
    assert result.date == "2024-05-01"
    tags = [(p.boilerplate, p.text.splitlines()[0]) for p in result.passages]
    assert ("metadata", "Report to: Housing Committee") in tags
    assert ("contact", "Contact Officer: Sam Officer, Policy Adviser") in tags
    body = [p for p in result.passages if p.boilerplate is None]
    assert [p.section for p in body] == ["1. Summary", "2. Recommendation"]


def test_decision_form_fields_are_form_boilerplate():
    result = parse("2024-01-10-decision.txt", "decision_form")
    tags = {p.text: p.boilerplate for p in result.passages}
    assert tags["Signature:"] == "form"
    assert tags["Printed Name: Jane Doe AM, Chair of the Housing Committee"] == "form"
    assert tags["Telephone Number: 020 7000 0000"] == "contact"
    assert tags["That the Chair agrees the Committee's report on homes for prison leavers."] is None
    assert result.title == "Homes for Prison Leavers"


@pytest.mark.parametrize(
    "name, kind",
    [
        ("2024-02-01-hearing.txt", "transcript"),
        ("2024-03-01-report.md", "report"),
        ("2024-04-02-letter.txt", "letter"),
        ("2024-03-02-press.txt", "press_release"),
        ("2024-05-01-covering.txt", "covering_report"),
        ("2024-01-10-decision.txt", "decision_form"),
        ("zoom-call.vtt", "transcript"),
        ("turns.jsonl", "transcript"),
        ("2024-07-01-notes.txt", "plain"),
    ],
)
def test_detect_kind_on_fixtures(name, kind):
    assert detect_kind((MIXED / name).read_text(encoding="utf-8"), name)[0] == kind


@pytest.mark.parametrize(
    "name, kind",
    [
        ("2022-07-20-transcript-probation-services.txt", "transcript"),
        ("2023-01-19-report-probation-services-in-london.txt", "report"),
        ("2023-01-20-press-release-probation-services.txt", "press_release"),
        ("2023-03-17-letter-hmpps-response.txt", "letter"),
        ("2023-05-24-covering-report-responses.txt", "covering_report"),
    ],
)
def test_detect_kind_on_bundled_documents(name, kind):
    assert detect_kind((CORPUS / name).read_text(encoding="utf-8"), name)[0] == kind


def test_helpers():
    assert find_date("Wednesday 20 July 2022") == "2022-07-20"
    assert find_date("March 17, 2023") == "2023-03-17"
    assert find_date("Date: 19/01/2023") == "2023-01-19"
    assert find_date("Date: 17/01/20203") is None
    assert parse_field("Printed Name: Susan Hall AM").tag == "form"
    assert parse_field("Telephone Number: 020 7983 6550").tag == "contact"
    assert parse_field("Recruitment and Retention: (Recommendations 1, 2, 7)") is None
    assert parse_field("Is there a part 2 form? NO").tag == "form"
    assert strip_markup("**bold** and *italic* and [a link](#) [kept]") == "bold and italic and a link [kept]"
    text = "a\n\n  b\n c  \n\n\n"
    blocks = split_blocks(text)
    assert [text[b.start : b.end] for b in blocks] == ["a", "b\n c"]
