"""Attendance lists name who the labels mean: "Chair:" is the member the list
marks (Chair), "Ms Harman:" the one Harman listed, and a witness's turns carry
the role and organisation the witness list gives."""

from __future__ import annotations

from transcript_qa.attendance import read_attendance
from transcript_qa.model import Document
from transcript_qa.parsing import parse_document

DOC = Document(id="t", title="T", kind="transcript", date=None, path="t.txt")

# The members list and turns of a published select-committee record (Liaison Sub-Committee, HC 1860); the
# witness panel line is written for this test in the record's layout (its roles are not the record's).
COMMITTEE = (
    "Liaison Sub-Committee\nOral evidence: The effectiveness and influence of the Select Committee system, HC 1860\n\n"
    "Members present: Dr Sarah Wollaston (Chair); Chris Bryant; Kate Green; Ms Harriet Harman.\n\n"
    "Questions 82-120\n\n"
    "Witnesses\n\n"
    "I: Carole Walker, Political Correspondent, BBC; and Esther Webber, Senior Reporter, Politico.\n\n"
    "Q82 Chair: Good afternoon. Thank you both very much for coming.\n\n"
    "Esther Webber: I am Esther Webber.\n\n"
    "Carole Walker: Hello. I am Carole Walker.\n\n"
    "Chair: Thank you very much. I am going to hand over to Harriet Harman.\n\n"
    "Q83 Ms Harman: Thank you for coming to give evidence to us.\n"
)


def turns(text: str):
    return [p for p in parse_document(text, DOC).passages if p.speaker]


def test_the_chair_and_a_surname_are_the_members_the_list_names():
    got = [(p.speaker, p.role) for p in turns(COMMITTEE)]
    assert got[0] == ("Sarah Wollaston", "Chair") and got[3] == ("Sarah Wollaston", "Chair")
    assert got[4] == ("Harriet Harman", None)


def test_witnesses_take_their_role_and_organisation_from_the_list():
    by_name = {p.speaker: (p.role, p.organisation) for p in turns(COMMITTEE)}
    assert by_name["Esther Webber"] == ("Senior Reporter", "Politico")
    assert by_name["Carole Walker"] == ("Political Correspondent", "BBC")


def test_a_council_present_line_gives_each_councillor_a_name():
    listed = read_attendance("Present: Councillor A Patel (Chair), Councillors B Jones, C Smith and D Wright.")
    assert [(a.name, a.office) for a in listed] == [("A Patel", "Chair"), ("B Jones", None), ("C Smith", None),
                                                    ("D Wright", None)]


def test_prose_is_not_a_list():
    assert read_attendance("Present: the Mayor and 12 members of the public.") == []
    assert read_attendance("We heard from witnesses: they said no.") == []
    assert read_attendance("Members: discussed the budget at length.") == []


def test_without_a_list_the_office_stays_the_speaker():
    text = COMMITTEE.replace("Members present: Dr Sarah Wollaston (Chair); ", "Members present: ")
    assert turns(text)[0].speaker == "Chair"


def test_officials_in_attendance_name_who_holds_each_office():
    listed = read_attendance("OFFICIALS IN ATTENDANCE: Director, Physical Development (Mr. K. Lehane); "
                             "Meetings Administrator (Ms. M. Ryan).")
    assert [(a.name, a.office) for a in listed] == [("K. Lehane", "Director, Physical Development"),
                                                    ("M. Ryan", "Meetings Administrator")]


def test_an_official_named_by_surname_gets_the_name_and_office_the_list_gives():
    text = ("Members present: Councillor A Patel (Chair), Councillors B Jones and C Smith.\n\n"
            "OFFICIALS IN ATTENDANCE: Director, Physical Development (Mr. K. Lehane).\n\n"
            "Councillor Jones: When will the resurfacing start?\n\n"
            "Mr. Lehane: In the spring.\n\n"
            "Councillor Jones: Thank you.\n")
    got = [(p.speaker, p.role) for p in turns(text)]
    assert got == [("B Jones", None), ("K. Lehane", "Director, Physical Development"), ("B Jones", None)]



def test_a_list_printed_one_name_a_line_with_the_chair_in_the_chair():
    """The Commons' older layout (the list lines as printed in the Liaison
    Committee's formal minutes of 25 October 2012; the turns after it written for
    this test): the list word alone, one member a line, "in the Chair"."""
    text = ("Liaison Committee\n\nMembers present:\n\nSir Alan Beith, in the Chair\nMr James Arbuthnot\n\n"
            "Mr Kevin Barron\n\nDame Anne Begg\n\n"
            "Chair: Good afternoon. We turn to the draft report.\n\n"
            "Mr Barron: I have a question on paragraph 77.\n\n"
            "Chair: Please go ahead.\n")
    assert [(p.speaker, p.role) for p in turns(text)] == [
        ("Alan Beith", "Chair"), ("Kevin Barron", None), ("Alan Beith", "Chair")]
    assert [a.name for a in read_attendance("Members present: Meg Hillier, in the Chair; Gareth Bacon")] == [
        "Meg Hillier", "Gareth Bacon"]


# City of Coral Gables (FL) City Commission, verbatim transcript of agenda item F-10, 9 January 2024
# (github.com/g-troiani/Coral-Gables-Knologi-City-Clerk-RAG): members and staff listed with no list word.
UNHEADED = ("## City Commission\n\nMayor Vince Lago\n\nVice Mayor Rhonda Anderson\n\nCommissioner Melissa Castro\n\n"
            "Commissioner Ariel Fernandez\n\n## City Staff\n\nCity Clerk, Billy Urquia\n\n"
            "Deputy City Attorney, Stephanie Throckmorton\n")


def test_a_list_of_offices_and_holders_without_a_list_word_names_them():
    found = {a.name: a.office for a in read_attendance(UNHEADED)}
    # an office two people hold ("Commissioner") names neither as its holder
    assert found == {"Vince Lago": "Mayor", "Rhonda Anderson": "Vice Mayor", "Melissa Castro": None,
                     "Ariel Fernandez": None, "Billy Urquia": "City Clerk",
                     "Stephanie Throckmorton": "Deputy City Attorney"}


def test_titled_names_between_sentences_are_no_list():
    # written for the test: names in passing, each followed by what was said
    text = ("Mayor Vince Lago\n\nOpened the meeting at six.\n\nVice Mayor Rhonda Anderson\n\n"
            "Moved the minutes, which were agreed.\n\nCommissioner Melissa Castro\n\nSeconded it.\n")
    assert read_attendance(text) == []
