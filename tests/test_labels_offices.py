"""Members who hold several offices, and groups that speak together, as the
Australian Hansard and US court transcripts print them. Each test reads as the rule
it holds; the labels are cut from the published records (ParlInfo, the Southern
District of New York's trial transcripts)."""

from __future__ import annotations

from transcript_qa.labels import parse_speaker_label
from transcript_qa.model import Document
from transcript_qa.parsing import parse_document


def turns(text: str):
    result = parse_document(text, Document(id="t", title="T", kind="transcript", date=None, path="t.txt"))
    return [p for p in result.passages if p.boilerplate is None]


def who(label: str):
    sp = parse_speaker_label(label)
    return sp.name, sp.role, sp.organisation, sp.party, sp.constituency


# --- a seat, then every office the member holds ----------------------------------------------


def test_a_minister_with_several_offices_keeps_the_seat_and_every_office_in_the_role():
    assert who("Mr BURKE (Watson—Minister for Employment and Workplace Relations, Minister for the Arts and "
               "Leader of the House) (13:07)") == (
        "Burke", "Minister for Employment and Workplace Relations, Minister for the Arts and Leader of the House",
        None, None, "Watson")
    assert who("Senator GALLAGHER (Australian Capital Territory—Minister for Finance, Minister for Women, "
               "Minister for the Public Service) (14:00)") == (
        "Gallagher", "Minister for Finance, Minister for Women, Minister for the Public Service",
        None, None, "Australian Capital Territory")


def test_a_single_office_after_the_seat_still_reads_as_before():
    assert who("Mr DUTTON (Dickson—Leader of the Opposition) (14:03)") == (
        "Dutton", "Leader of the Opposition", None, None, "Dickson")
    assert who("Mr DREYFUS (Isaacs—Attorney-General and Cabinet Secretary) (13:00)") == (
        "Dreyfus", "Attorney-General and Cabinet Secretary", None, None, "Isaacs")


def test_a_ministers_turn_in_the_house_carries_the_seat_and_all_offices():
    text = ("Mr TAYLOR (Hume) (13:08): Will the minister give way?\n\n"
            "Mr BURKE (Watson—Minister for Employment and Workplace Relations, Minister for the Arts and Leader "
            "of the House) (13:12): No, I will not.\n")
    got = [(p.speaker, p.role, p.organisation, p.constituency) for p in turns(text)]
    assert got == [
        ("Taylor", None, None, "Hume"),
        ("Burke", "Minister for Employment and Workplace Relations, Minister for the Arts and Leader of the House",
         None, "Watson"),
    ]


# --- groups speaking together -------------------------------------------------------------------


def test_the_plural_of_a_person_in_the_room_is_a_group():
    for label in ("THE JURORS", "Jurors", "The Defendants", "Several Ministers", "The Deputy Speakers"):
        sp = parse_speaker_label(label)
        assert sp.kind == "group", label


def test_counsel_together_is_a_group_but_counsel_alone_is_one_person():
    assert parse_speaker_label("ALL COUNSEL").kind == "group"
    assert parse_speaker_label("BOTH COUNSEL").kind == "group"
    assert parse_speaker_label("COUNSEL").kind != "group"


def test_a_body_that_speaks_as_one_is_a_group_after_the_but_not_a_heading_alone():
    assert parse_speaker_label("THE JURY").kind == "group"
    assert parse_speaker_label("The Panel").kind == "group"
    assert parse_speaker_label("Panel").kind != "group"


def test_one_member_or_one_juror_is_not_a_group():
    assert parse_speaker_label("THE WITNESS").kind == "office"
    assert parse_speaker_label("Committee Member").kind != "group"
    assert parse_speaker_label("Mr Judges").kind == "person"


def test_in_court_the_jurors_and_all_counsel_are_turns_with_no_speaker():
    text = ("THE COURT: Good morning, everyone. Please be seated.\n\n"
            "ALL COUNSEL: Thank you, your Honor.\n\n"
            "THE COURT: Good morning, members of the jury.\n\n"
            "THE JURORS: Good morning.\n\n"
            "THE COURT: Mr. Kamaras, you may continue.\n")
    got = [(p.speaker_label, p.speaker, p.text) for p in turns(text)]
    assert got[1] == ("ALL COUNSEL", None, "Thank you, your Honor.")
    assert got[3] == ("THE JURORS", None, "Good morning.")
    assert [p.speaker for p in turns(text)].count("The Court") == 3


# --- nobody in particular ------------------------------------------------------------------------


def test_an_unidentified_speaker_label_is_read_as_nobody_in_particular():
    # (the parser's part, that such a line starts a turn: tests/test_parsing_unseen.py)
    assert parse_speaker_label("Unidentified speaker").kind == "unknown"

