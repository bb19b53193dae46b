"""Who speaks in hearings, depositions, broadcasts and earnings calls: the officers
of a court, the parties to a case, voices nobody named, and the participants of a
call printed with their role and firm. Labels as such records print them, written
for these tests (no licensed record of these kinds is among the fixtures)."""

from __future__ import annotations

import pytest

from test_labels_conventions import label, read


@pytest.mark.parametrize("printed, office", [
    ("THE VIDEOGRAPHER", "The Videographer"), ("THE BAILIFF", "The Bailiff"), ("THE REPORTER", "The Reporter"),
    ("THE STENOGRAPHER", "The Stenographer"), ("THE FOREPERSON", "The Foreperson"), ("THE MEDIATOR", "The Mediator"),
])
def test_the_officers_of_a_deposition_or_a_trial_are_offices(printed, office):
    # as US deposition and trial transcripts print them (they were "organisations" in capitals)
    assert label(printed)[:3] == ("office", office, office)
    # a surname that is also a word for an office is still a person's after a title
    assert label("MR. FOREMAN")[:2] == ("person", "Foreman")


@pytest.mark.parametrize("printed, kind", [
    ("UNIDENTIFIED MALE", "unknown"), ("UNIDENTIFIED FEMALE SPEAKER", "unknown"), ("MEMBER OF THE PUBLIC", "unknown"),
    ("ALL", "group"), ("Everyone", "group"),
])
def test_labels_that_name_nobody_in_particular_are_never_a_person(printed, kind):
    # broadcast transcripts' unnamed voices, and a council answering together
    assert label(printed)[0] == kind


@pytest.mark.parametrize("printed, office", [
    ("THE DEFENDANT", "The Defendant"), ("PLAINTIFF", "Plaintiff"), ("THE PROSECUTOR", "The Prosecutor"),
])
def test_a_party_to_a_case_is_the_role_it_plays(printed, office):
    assert label(printed)[:3] == ("office", office, office)


EARNINGS_CALL = """Call participants:

John Smith -- Chief Executive Officer

Ana Ruiz -- Northbank -- Analyst

Prepared Remarks:

Operator

Good day, and welcome to the third quarter earnings conference call.

Maria Lopez -- Director, Investor Relations

Thank you. Good afternoon and thank you for joining us.

John Smith -- Chief Executive Officer

Thank you, Maria. Revenue grew in every region this quarter.

Questions & Answers:

Operator

Our first question comes from Ana Ruiz with Northbank.

Ana Ruiz -- Northbank -- Analyst

Thank you. I wanted to ask about services growth.

John Smith -- Chief Executive Officer

Services grew by double digits.

Ana Ruiz -- Northbank -- Analyst

Thank you.
"""


def test_earnings_call_speakers_on_lines_of_their_own_with_role_and_firm_after_dashes():
    # the layout of published earnings-call transcripts (lines written for the test)
    assert label("John Smith -- Chief Executive Officer")[:4] == ("person", "John Smith", "Chief Executive Officer", None)
    assert label("Ana Ruiz -- Northbank -- Analyst")[:4] == ("person", "Ana Ruiz", "Analyst", "Northbank")
    assert label("Operator")[:2] == ("office", "Operator")
    assert label("John Smith - CEO")[:3] == ("person", "John Smith", "CEO")
    turns, _ = read(EARNINGS_CALL, kind=None)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Operator", "Operator"), ("Maria Lopez", "Director, Investor Relations"),
        ("John Smith", "Chief Executive Officer"), ("Operator", "Operator"), ("Ana Ruiz", "Analyst"),
        ("John Smith", "Chief Executive Officer"), ("Ana Ruiz", "Analyst"),
    ]
    assert turns[4].organisation == "Northbank" and turns[4].text.startswith("Thank you. I wanted")
    # the list of participants above the call is no section heading of the turns below it
    assert not any(t.section and "--" in t.section for t in turns)
    # a dash inside a bracket is the Australian Hansard's seat and office, as before
    assert label("Mr DUTTON (Dickson—Leader of the Opposition)")[:3] == ("person", "Dutton", "Leader of the Opposition")
