"""Minutes not used while writing the first minutes rules: who a user sees credited.

Each excerpt is a short real passage of public minutes (the source in a comment), cut to
the lines that matter and put under a generic minutes title. What must hold: a person named
without a title gets their own words, never the previous speaker's; US titles and motions name
the mover; "Cobb & Ashman" in an attendance list is two councillors; "Those Attending:" and
"Councillors present:" are attendance lists.
"""

from __future__ import annotations

from transcript_qa.attendance import read_attendance
from transcript_qa.model import Document
from transcript_qa.parsing import parse_document

DOC = Document(id="m", title="M", kind="minutes", date=None, path="m.txt")
TITLE = "MINUTES OF THE MEETING OF THE COUNCIL HELD ON 18 MAY 2011\n\n"


def _passages(body: str):
    return parse_document(TITLE + body, DOC).passages


def _speaker_of(passages, words: str):
    return next(p for p in passages if words in p.text).speaker


# Stoke Ferry Parish Council, annual meeting 18 May 2011 (lovell/stokeferry.com,
# src/2011/06/stoke-ferry-parish-council-21/index.md).
STOKE_FERRY = (
    "Those Attending: Cllr Mrs M Leamon, Cllr J Nicholas-Letch, Cllr T Ryves, Borough Councillor C Sampson, "
    "Mrs C Hardy (Clerk) and 16 members of the public.\n\n"
    "Future Meetings\n\n"
    "Cllr Nicholas-Letch informed the meeting that meetings were at one time held every six weeks then changed "
    "to once a month, but he did not feel that monthly meetings worked. He felt that they should be held every "
    "other month. BC Sampson advised he did not think this was a very good idea, having meetings this far apart "
    "would make it very difficult to deal with the business matters the parish council has.\n\n"
    "Cllr Ryves asked about the grit bins. The Clerk confirmed they had been collected.\n"
)

# Regional Transportation District (Denver), Board of Directors, 27 February 2018
# (jackrosenthal/rtd-iqm-data, meetings/2723/minutes.txt), lines as pdftotext printed them.
RTD = (
    "Present: Director Judy Lubow, Director Natalie Menten, Director Jeff Walker.\n\n"
    "1. Public Participation\n\n"
    "Chair Tisdale\nasked that if any speaker had documentation or reference materials for the Board to give\n"
    "those materials to the Board staff prior to speaking.\n"
    "Roger Harris, Denver, requested that the Board provide him and other operators with\n"
    "safety and protection. He stated that operating a bus was dangerous.\n\n"
    "2. General Manager's Report\n\n"
    "Director Menten asked if an invitation to apply to bus driver positions was presented.\n\n"
    "Director Folska made the motion to approve items A through C on the unanimous consent agenda.\n"
    "Director Walker seconded the motion.\n"
)


def test_a_person_named_without_a_title_has_their_own_words():
    passages = _passages(STOKE_FERRY)
    assert "very good idea" not in next(p for p in passages if "six weeks" in p.text).text
    assert _speaker_of(passages, "very good idea") not in ("J Nicholas-Letch", "Nicholas-Letch")
    passages = _passages(RTD)
    harris = next(p for p in passages if "safety and protection" in p.text)
    assert harris.speaker == "Roger Harris" and "operating a bus was dangerous" in harris.text
    assert "Tisdale" not in (harris.speaker or "") and "Roger Harris" not in \
        next(p for p in passages if "reference materials" in p.text).text


def test_words_of_an_untitled_subject_that_is_no_person_are_not_a_name():
    passages = _passages("1. Items\n\nCllr Ryves asked about the grit bins. The Planning Officer advised that "
                         "they had been collected. A Resident asked about the bus stop.\n")
    assert _speaker_of(passages, "had been collected") == "The Planning Officer"
    assert _speaker_of(passages, "bus stop") in (None, "The Planning Officer")


def test_a_director_is_a_title_and_the_mover_has_the_motion():
    passages = _passages(RTD)
    assert _speaker_of(passages, "invitation to apply") == "Natalie Menten"
    assert _speaker_of(passages, "made the motion to approve items") == "Folska"
    assert _speaker_of(passages, "seconded the motion") == "Jeff Walker"


def test_motion_by_is_the_movers_passage():
    passages = _passages("Present: Councillor A Patel (Chair), Councillors B Jones, C Smith and D Wright.\n\n"
                         "2. Minutes\n\nMotion by Councillor Jones, seconded by Councillor Smith, to approve the "
                         "minutes. Motion carried.\n")
    assert _speaker_of(passages, "to approve the minutes") == "B Jones"
    assert _speaker_of(passages, "Motion carried") is None


# Tintern Community Council, 28 January 2019 (gitforsteve/wyevalleycc, minutes/20190128.pdf).
TINTERN = (
    "Present: Chairman Cllr Mrs Shewell, Cllrs Hayward, Hoskins, Hillard, Richards, Evans, Cobb & Ashman, "
    "County Cllr Webb and the Clerk.\n\n"
    "1. Any Other Business\n\n"
    "Cllr Ashman asked if TCC had a copy of the boundary map.\n\n"
    "County Cllr Webb agreed to let the Clerk have an update.\n"
)


def test_an_ampersand_in_an_attendance_list_joins_two_councillors():
    assert not [a for a in read_attendance(TINTERN) if "&" in a.name or " and " in a.name]
    passages = _passages(TINTERN)
    assert _speaker_of(passages, "boundary map") == "Ashman"
    assert _speaker_of(passages, "have an update") == "Webb"


def test_those_attending_and_councillors_present_are_lists():
    names = {a.name: a.office for a in read_attendance(STOKE_FERRY)}
    assert {"M Leamon", "J Nicholas-Letch", "T Ryves", "C Hardy"} <= set(names)
    assert names["C Hardy"] == "Clerk"
    passages = _passages(STOKE_FERRY)
    assert _speaker_of(passages, "grit bins") == "T Ryves"
    assert _speaker_of(passages, "had been collected") == "C Hardy"
    # Northwold Parish Council AGM 2016 (lovell/stokeferry.com, src/2016/08/northwold-pc-agm-2016/index.md)
    names = {a.name for a in read_attendance("Councillors present: Cllr. A. Muir (AM), Cllr. S. Leet, "
                                             "Cllr C. Pointeer (CP)\n\nCllr. Leet advised the meeting.\n")}
    assert {"A. Muir", "S. Leet", "C. Pointeer"} <= names


def test_a_heading_on_the_line_of_its_minute_does_not_hide_the_speaker():
    # Stoke Ferry (above), Northwold Parish Council AGM 2016 and the RTD Board (above): a heading's
    # words, then the minute on the same line.
    passages = _passages(
        "Present: Cllr Mrs M Leamon, Cllr J Nicholas-Letch, Cllr. S. Leet.\n\n2. Matters Arising\n\n"
        "a) Grit Bins - Cllr Mrs Leamon asked whether the Clerk still had the grit bins which had been removed.\n\n"
        "Sheridan School Update Cllr. Leet advised that the school had been sold.\n\n"
        "Chair's Report Chair Tisdale stated that he had attended the APTA Legislative Conference.\n\n"
        "Cllr Leamon and Cllr Nicholas-Letch asked about the allotments.\n")
    assert _speaker_of(passages, "grit bins which") == "M Leamon"
    assert _speaker_of(passages, "school had been sold") == "S. Leet"
    assert _speaker_of(passages, "APTA Legislative") == "Tisdale"
    assert _speaker_of(passages, "allotments") != "J Nicholas-Letch"  # two speakers: not the second alone
