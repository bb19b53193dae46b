"""Speaker labels of other parliaments, as they print them: UK select committee oral
evidence, the Australian Hansard (House and Senate), the New Zealand Hansard's oral
questions. Each test reads as the rule it holds; the texts are cut from the published
records (committees.parliament.uk, ParlInfo, the NZ Hansard as republished)."""

from __future__ import annotations

from transcript_qa.labels import parse_speaker_label
from transcript_qa.model import Document
from transcript_qa.parsing import parse_document


def turns(text: str):
    result = parse_document(text, Document(id="t", title="T", kind="transcript", date=None, path="t.txt"))
    return [p for p in result.passages if p.boilerplate is None and p.speaker_label is not None]


def who(label: str):
    sp = parse_speaker_label(label)
    return sp.name, sp.role, sp.organisation, sp.party, sp.constituency


# --- Australia -------------------------------------------------------------------------


def test_a_bracketed_time_stamp_is_never_an_organisation_and_electorate_then_office_splits():
    assert who("Mr DUTTON (Dickson—Leader of the Opposition) (14:01)") == (
        "Dutton", "Leader of the Opposition", None, None, "Dickson")
    assert who("Senator WONG (South Australia—Minister for Foreign Affairs) (14:05)") == (
        "Wong", "Minister for Foreign Affairs", None, None, "South Australia")


def test_a_seat_printed_alone_before_the_time_is_the_constituency():
    assert who("Dr MARTIN (Reid) (14:03)") == ("Martin", None, None, None, "Reid")


def test_presiding_officers_as_the_australian_hansard_prints_them():
    assert parse_speaker_label("The SPEAKER").kind == "office"
    assert who("The DEPUTY SPEAKER (Ms Claydon)") == ("Claydon", "The Deputy Speaker", None, None, None)


def test_question_time_turns_keep_seat_and_office_for_the_continuations():
    text = ("QUESTIONS WITHOUT NOTICE\n\nForeign Affairs\n\n"
            "Senator BIRMINGHAM (South Australia—Leader of the Opposition in the Senate) (14:00): My question is to "
            "the minister.\n\n"
            "Senator WONG (South Australia—Minister for Foreign Affairs) (14:05): I thank the senator.\n\n"
            "The PRESIDENT: Order! Senator Wong has the call.\n\n"
            "Senator WONG: As I was saying, the government has been clear.\n")
    got = [(p.speaker, p.role, p.organisation, p.constituency) for p in turns(text)]
    assert got == [
        ("Birmingham", "Leader of the Opposition in the Senate", None, "South Australia"),
        ("Wong", "Minister for Foreign Affairs", None, "South Australia"),
        ("The President", "The President", None, None),
        ("Wong", "Minister for Foreign Affairs", None, "South Australia"),
    ]


def test_topic_headings_with_a_colon_are_not_a_voice_even_when_they_recur():
    text = ("COVID-19: Quarantine\n\nMr BUTLER (Hindmarsh) (14:07): My question is to the Prime Minister.\n\n"
            "COVID-19: Economy\n\nMr MORRISON (Cook—Prime Minister) (14:08): Thank you.\n\n"
            "COVID-19: Vaccines\n\nMr BUTLER: A supplementary question.\n")
    assert [p.speaker for p in turns(text)] == ["Butler", "Morrison", "Butler"]


# --- New Zealand -----------------------------------------------------------------------


NZ = ("Question No. 1—Prime Minister\n\n"
      "1. Rt Hon CHRIS HIPKINS (Leader of the Opposition) to the Prime Minister: Does he stand by all his "
      "Government's statements and actions?\n\n"
      "Rt Hon WINSTON PETERS (Deputy Prime Minister) on behalf of the Prime Minister: Yes.\n\n"
      "Rt Hon Chris Hipkins: Who is correct?\n\n"
      "SPEAKER: Order!\n\n"
      "Rt Hon CHRISTOPHER LUXON (Prime Minister): Yes.\n")


def test_a_numbered_oral_question_is_a_turn_of_the_asker_not_of_whom_it_is_put_to():
    first = turns(NZ)[0]
    assert (first.speaker, first.role) == ("Chris Hipkins", "Leader of the Opposition")
    assert first.text.startswith("Does he stand by")


def test_an_answer_on_behalf_of_a_minister_is_the_answerers_turn():
    second = turns(NZ)[1]
    assert (second.speaker, second.role) == ("Winston Peters", "Deputy Prime Minister")


def test_a_bare_office_in_capitals_is_a_turn_even_once():
    got = [(p.speaker, p.text) for p in turns(NZ)]
    assert ("Speaker", "Order!") in got
    assert got[-1] == ("Christopher Luxon", "Yes.")
    for office in ("CHAIR", "PRESIDENT", "CHAIRMAN", "CLERK"):
        text = f"Hon JANE DOE (Minister of Finance): We are delivering.\n\n{office}: Order!\n\nHon JANE DOE: Thank you.\n"
        assert [p.text for p in turns(text)] == ["We are delivering.", "Order!", "Thank you."], office


def test_a_party_and_electorate_bracket_splits():
    assert who("PESETA SAM LOTU-IIGA (National—Maungakiekie)") == (
        "Peseta Sam Lotu-Iiga", None, None, "National", "Maungakiekie")


def test_a_numbered_heading_is_not_a_question():
    text = "1. Introduction: this report sets out the findings.\n\nMr SMITH (Barchester) (Lab): I agree.\n"
    assert [p.speaker for p in turns(text)] == ["Smith"]


# --- UK select committee oral evidence --------------------------------------------------


UK = ("Liaison Sub-Committee\nOral evidence: The effectiveness and influence of the Select Committee system, HC 1860\n\n"
      "Members present: Dr Sarah Wollaston (Chair); Chris Bryant; Kate Green; Ms Harriet Harman.\n\n"
      "Witnesses: Carole Walker and Esther Webber.\n\n"
      "Q82 Chair: Good afternoon. Thank you both very much for coming.\n\n"
      "Esther Webber: I am Esther Webber.\n\n"
      "Carole Walker: Hello. I am Carole Walker.\n\n"
      "Chair: Thank you very much. I am going to hand over to Harriet Harman.\n\n"
      "Q83 Ms Harman: Thank you for coming to give evidence to us.\n")


def test_question_numbers_before_committee_labels_start_turns():
    got = [(p.speaker_label, p.text[:20]) for p in turns(UK)]
    assert got == [("Chair", "Good afternoon. Than"), ("Esther Webber", "I am Esther Webber."),
                   ("Carole Walker", "Hello. I am Carole W"), ("Chair", "Thank you very much."),
                   ("Ms Harman", "Thank you for coming")]


def test_the_witnesses_line_is_a_list_not_a_group_speaking():
    assert "Witnesses" not in [p.speaker_label for p in turns(UK)]


# --- Kenya, Ghana (labels written for the test in the shape their Hansards print) ------------


def test_a_bracket_of_titles_alone_is_more_titles_not_an_organisation():
    # the Kenyan Hansard's "Hon. (Dr.)", "Sen. (Prof.)": the bracket was the organisation "Dr."
    assert who("Hon. (Dr.) Jane Wanjiru (Funyula, ODM)") == ("Jane Wanjiru", None, None, "ODM", "Funyula")
    assert parse_speaker_label("Sen. (Prof.) Peter Otieno").honours == ("Sen.", "Prof.")
    # an office in a bracket of its own stays the role
    assert who("Jane Wanjiru (Chairman)") == ("Jane Wanjiru", "Chairman", None, None, None)


def test_the_right_honourable_speaker_is_the_office():
    sp = parse_speaker_label("Rt. Hon. Speaker")
    assert (sp.kind, sp.role) == ("office", "Rt. Hon. Speaker")
    assert parse_speaker_label("Rt Hon Theresa May").name == "Theresa May"


# --- names as other records print them (written for the test in those shapes) ---------------


def test_a_surname_in_capitals_after_the_given_names_is_a_person():
    # European and many national records print "Jane SMITH"; it was an organisation
    assert (parse_speaker_label("Jane SMITH").kind, parse_speaker_label("Jane SMITH").name) == ("person", "Jane Smith")
    assert parse_speaker_label("Mary Lou McDONALD").name == "Mary Lou McDonald"
    # an acronym after a place stays a body: it has no vowel, a surname has
    assert parse_speaker_label("Thames Valley CRC").kind == "organisation"
    assert parse_speaker_label("NHS England").kind == "organisation"


def test_initials_between_names_are_part_of_the_name():
    sp = parse_speaker_label("Andrew RT Davies")
    assert (sp.kind, sp.name) == ("person", "Andrew RT Davies")


def test_the_senedds_bilingual_honour_is_an_honour():
    sp = parse_speaker_label("Jane Hutt AS/MS")
    assert (sp.kind, sp.name, sp.honours) == ("person", "Jane Hutt", ("AS/MS",))


def test_a_bracket_that_names_itself_a_seat_is_the_constituency():
    # "(Emgwen Constituency)" as Kenya's National Assembly prints it was a role; a council's ward likewise
    assert who("The Hon. Josses Lelmengit, MP (Emgwen Constituency)") == (
        "Josses Lelmengit", None, None, None, "Emgwen Constituency")
    assert who("Cllr Jane Smith (Riverside Ward, Labour)") == ("Jane Smith", None, None, "Labour", "Riverside Ward")
    # "ward" inside an organisation's name is not a seat
    assert who("Jane Doe (Director, Ward Health)") == ("Jane Doe", "Director", "Ward Health", None, None)
