"""Offices printed before a surname, and titles of address before an office, in a US city
commission's verbatim transcript: City of Coral Gables (FL) City Commission, 9 January 2024,
items F-10 and Public Comment (Florida public records; copies in
g-troiani/Coral-Gables-Knologi-City-Clerk-RAG, city_clerk_documents/, commit ecfd01de).
The excerpts are the record's lines, long turns cut after their first sentences."""

from __future__ import annotations

import pytest

from transcript_qa.labels import parse_speaker_label
from transcript_qa.model import Document
from transcript_qa.parsing import parse_document


def read(text: str):
    result = parse_document(text, Document(id="t", title="T", kind="transcript", date=None, path="t.txt"))
    return [p for p in result.passages if p.boilerplate is None]


# F-10, as the clerk's text extraction prints it (lines 45-47, 75-79, 111 and 127; two blanks
# after the colon kept)
F10 = """City Attorney Suarez:  F-10 is a Resolution of the City Commission directing the City Clerk and City Manager to schedule bimonthly presentation and protocol ceremonies.

Deputy City Attorney Throckmorton:  Good afternoon again.  I'll just give you a brief overview of the resolution presented to you today,  sponsored by Commissioner Fernandez.

City Attorney Suarez:  The survey was conducted by HR.

Deputy City Attorney Throckmorton: I'll ask the Human Resources Director to answer those questions for you.

HR Director Elejabarrieta:  Good afternoon.  The survey was conducted back in August of last year, 2023.

HR Director Elejabarrieta:  There could be. From the employee perspective,  there' s not that many employees that we recognize.

City Attorney Suarez:  I can' t say Mayor.  We are very lenient,  or I should say very flexible in public comment and extending time for members of the public to speak.
"""

# Public Comment, as the PDF's text reads (page 3): the office before the surname is a department's
PUBLIC_COMMENT = """City Manager Iglesias: I will check. I thought it was up already.

Mayor Lago: Okay.

City Manager Iglesias: And so now we're going to jump on this.

Mayor Lago: So, if you may. Good morning.

Communications Director Pantin: Good morning, Martha Pantin, Communications. We did put
the information up on the Parks page.

Mayor Lago: So, the schedule is up.

Communications Director Pantin: The information we have is up.
"""


def test_a_department_before_the_office_noun_is_part_of_the_role_not_of_the_name():
    """'HR Director Elejabarrieta:' is Elejabarrieta, HR Director, as 'Deputy City Attorney
    Throckmorton:' is Throckmorton, Deputy City Attorney (it was a person called 'HR Director
    Elejabarrieta', with no role)."""
    assert [(p.speaker, p.role) for p in read(F10)] == [
        ("Suarez", "City Attorney"), ("Throckmorton", "Deputy City Attorney"), ("Suarez", "City Attorney"),
        ("Throckmorton", "Deputy City Attorney"), ("Elejabarrieta", "HR Director"), ("Elejabarrieta", "HR Director"),
        ("Suarez", "City Attorney")]
    assert [(p.speaker, p.role) for p in read(PUBLIC_COMMENT)] == [
        ("Iglesias", "City Manager"), ("Lago", "Mayor"), ("Iglesias", "City Manager"), ("Lago", "Mayor"),
        ("Pantin", "Communications Director"),
        ("Lago", "Mayor"), ("Pantin", "Communications Director")]


@pytest.mark.parametrize(
    "printed, person, office",
    [
        ("HR Director Elejabarrieta", "Elejabarrieta", "HR Director"),
        ("Communications Director Pantin", "Pantin", "Communications Director"),
        ("COMMUNICATIONS DIRECTOR PANTIN", "Pantin", "Communications Director"),
        ("Public Works Director Santamaria", "Santamaria", "Public Works Director"),
        ("Deputy City Attorney Throckmorton", "Throckmorton", "Deputy City Attorney"),
    ],
)
def test_capitalised_modifiers_an_office_noun_and_one_surname(printed, person, office):
    sp = parse_speaker_label(printed)
    assert (sp.kind, sp.name, sp.role) == ("person", person, office)


def test_words_the_vocabulary_does_not_know_before_an_office_need_a_single_surname_after_it():
    # a full name after such words is not split into an office and a name
    assert parse_speaker_label("HR Director Raquel Elejabarrieta").role is None
    assert parse_speaker_label("Communications Director").name == "Communications Director"
    # words the vocabulary knows keep their reading with a full name
    ruiz = parse_speaker_label("Deputy Director Ana Ruiz")
    assert (ruiz.name, ruiz.role) == ("Ana Ruiz", "Deputy Director")


# Public Comment, pages 2-3 as the PDF's text reads: a speaker greets the officers of the city
MAXWELL = """City Clerk Urquia: First speaker today is Michael Maxwell.

Mayor Lago: Good morning, sir. Thank you for being here with us.

Mr. Maxwell: Good morning, Mayor, Vice Mayor, Commissioners, Mr. Manager, Mr. Clerk and
Ms. Attorney. I'd like to speak to you today about the issue of streetlights. I know I have spoken
with most of you regarding this issue.

City Clerk Urquia: Yes sir.

Mr. Maxwell: Thank you.
"""


def test_a_title_before_an_office_noun_is_an_address_not_a_speaker():
    """'Ms. Attorney. I'd like to speak ...' opening a line is Mr. Maxwell greeting the City
    Attorney: his words go on, and no one called 'Attorney' speaks."""
    passages = read(MAXWELL)
    assert [p.speaker for p in passages] == ["Urquia", "Lago", "Maxwell", "Urquia", "Maxwell"]
    assert "Ms. Attorney. I'd like to speak to you today about the issue of streetlights." in passages[2].text
    for printed in ("Ms. Attorney", "Mr. Manager", "Mrs. Director"):
        assert parse_speaker_label(printed).kind != "person"
    assert parse_speaker_label("Ms. Attorney").name != "Attorney"
    # a surname that is also an office noun keeps its person after a degree ("Dr Judge")
    assert (parse_speaker_label("Dr Judge").kind, parse_speaker_label("Dr Judge").name) == ("person", "Judge")
