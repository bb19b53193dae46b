"""Commonwealth Hansards of the Pacific (Fiji, the Cook Islands) and the Lok Sabha: labels
closed by a full stop and a dash, initials run together, a colon with no space after it,
a bill's parts read in committee, and a minister's bracket of several offices.

The excerpts are cut from the published records as the public repository
jlkeet/pacific-hansard renders them (commit c89842273efc; Parliament of Fiji, Daily
Hansard of 10 February 2021, oral question 21/2021; Cook Islands Parliament, 4 June
1997, Income Tax Bill, second reading and committee); paragraphs between turns are
shortened. The Lok Sabha lines are in the shape its debates print."""

from __future__ import annotations

from transcript_qa.corpus import load_corpus
from transcript_qa.labels import parse_speaker_label
from transcript_qa.parsing.labels_text import find_label


def _corpus(tmp_path, text: str, name: str = "sitting.txt"):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return [p for p in load_corpus(folder).passages if p.boilerplate is None]


def _said(passages, words: str):
    """The passage holding ``words``."""
    return next(p for p in passages if words in p.text)


def who(label: str):
    sp = parse_speaker_label(label)
    return sp.name, sp.role, sp.organisation, sp.party, sp.constituency


# --- Fiji: "HON. NAME.- text" -----------------------------------------------------------------

FIJI = """\
Market Price Gouging (Question No. 21/2021)

HON. A.D. O’CONNOR asked the Government, upon notice:

Given that price gouging is a market occurrence during times of disaster and crisis, can the Honourable Minister for Commerce, Trade, Tourism and Transport inform Parliament on the prevalence of the issue of price gouging?

HON. F.S. KOYA (Minister for Commerce, Trade, Tourism and Transport).- Thank you, Mr. Speaker, Sir. I thank the Honourable Member for the question.

The past one year has been one of the most very difficult for our country.

HON. SPEAKER.- I thank the Honourable Minister. Honourable Kirpal, you have the floor.

HON. S.S. KIRPAL.- Thank you, Mr. Speaker, Sir. A supplementary question to the Honourable Minister.

HON. SPEAKER.- Honourable Minister.

HON. F.S. KOYA.- Mr. Speaker, Sir, the role of CCoF and FCCC slightly differ in the sense that they have different legislations.
"""


def test_fiji_labels_closed_by_a_full_stop_and_a_dash_are_turns(tmp_path):
    passages = _corpus(tmp_path, FIJI)
    turns = [(p.speaker, p.text[:30]) for p in passages if p.speaker]
    assert turns == [
        ("A.D. O'Connor", "Given that price gouging is a "),
        ("F.S. Koya", "Thank you, Mr. Speaker, Sir. I"),
        ("Hon. Speaker", "I thank the Honourable Ministe"),
        ("S.S. Kirpal", "Thank you, Mr. Speaker, Sir. A"),
        ("Hon. Speaker", "Honourable Minister."),
        ("F.S. Koya", "Mr. Speaker, Sir, the role of "),
    ]
    # the minister's speech runs on in his turn; the label's words are no one's speech
    assert "most very difficult" in _said(passages, "I thank the Honourable Member").text
    assert not any(".-" in p.text for p in passages)
    koya = _said(passages, "I thank the Honourable Member")
    assert koya.role == "Minister for Commerce, Trade, Tourism and Transport"


def test_a_question_on_notice_is_the_askers(tmp_path):
    passages = _corpus(tmp_path, FIJI)
    assert _said(passages, "price gouging is a market occurrence").speaker == "A.D. O'Connor"


def test_a_sentence_ending_before_a_dash_is_never_a_label():
    for line in ("It was agreed.- The House then rose.",
                 "Thank you.- Next, the Minister.",
                 "The report was tabled.— Members then spoke.",
                 "Part II.-  Imposition of Tax. Clauses 10 and 11"):
        assert find_label(line) is None, line


def test_a_bracket_printed_after_the_dash_is_the_labels():
    m = find_label("HON. R.S. AKBAR.- (Minister for Education, Heritage and Arts).- Thank you, Mr. Speaker, Sir.")
    assert m is not None
    sp = parse_speaker_label(m.label)
    assert (sp.name, sp.role) == ("R.S. Akbar", "Minister for Education, Heritage and Arts")
    assert m.label and "Thank you" not in m.label


# --- initials run together ---------------------------------------------------------------------

LOK_SABHA = """\
HON. SPEAKER: Now, the next member.

SHRI N.K. PREMACHANDRAN (KOLLAM): Sir, I rise to oppose the Bill.

HON. SPEAKER: Please conclude.

SHRI T.R. BAALU: Sir, one point.

HON. SPEAKER: Thank you.

SHRI N.K. PREMACHANDRAN: I am concluding, Sir.

HON. SPEAKER: Thank you.
"""


def test_labels_with_initials_run_together_start_turns(tmp_path):
    passages = _corpus(tmp_path, LOK_SABHA)
    assert [(p.speaker, p.text) for p in passages] == [
        ("Hon. Speaker", "Now, the next member."),
        ("N.K. Premachandran", "Sir, I rise to oppose the Bill."),
        ("Hon. Speaker", "Please conclude."),
        ("T.R. Baalu", "Sir, one point."),
        ("Hon. Speaker", "Thank you."),
        ("N.K. Premachandran", "I am concluding, Sir."),
        ("Hon. Speaker", "Thank you."),
    ]
    assert _said(passages, "rise to oppose").constituency == "KOLLAM"


def test_initials_keep_their_capitals_when_a_name_is_cased_for_reading():
    assert parse_speaker_label("HON. F.S. KOYA").name == "F.S. Koya"
    assert parse_speaker_label("HON. A.D. O'CONNOR").name == "A.D. O'Connor"
    assert parse_speaker_label("HON. M.R. LEAWERE").name == "M.R. Leawere"  # initials, not the title "Mr"
    assert parse_speaker_label("HON. LT. COL. I.B. SERUIRATU").name == "I.B. Seruiratu"


def test_a_seat_that_reads_as_a_word_is_a_constituency_and_initials_stay_a_party():
    assert who("SHRI N.K. PREMACHANDRAN (KOLLAM)")[3:] == (None, "KOLLAM")
    assert who("SHRI ADHIR RANJAN CHOWDHURY (BAHARAMPUR)")[3:] == (None, "BAHARAMPUR")
    assert who("Mr S G MMUSI (ANC)")[3:] == ("ANC", None)
    assert who("SHRI A. RAJA (DMK)")[3] == "DMK"


# --- no space after the colon --------------------------------------------------------------------

COOK_ISLANDS = """\
ORDERS OF THE DAY

HON. N. GEORGE: It is my right to use whatever I want to use.

MR SPEAKER: Please sit down!

HON. N. GEORGE: As long as I follow Standing Orders.

MR SPEAKER: Sit down.

HON. N. GEORGE:But you can’t tell me what to say and what not to say with all respect.

MR SPEAKER: Would you please apologise before I make the next statement.

HON. N. GEORGE:You can’t dictate to me what I am. I am elected to be here.

MR SPEAKER: Interfering.

HON. N. GEORGE:It’s my right to speak Sir.

MR SPEAKER: If you do not apologise to the Speaker you will not be given the chance to speak.
"""


def test_a_label_run_into_its_words_without_a_space_is_a_turn(tmp_path):
    passages = _corpus(tmp_path, COOK_ISLANDS)
    for words in ("But you can’t tell me", "You can’t dictate to me", "It’s my right to speak"):
        said = _said(passages, words)
        assert said.speaker == "N. George", words
        assert said.text.startswith(words)
    assert [p.speaker for p in passages] == ["N. George", "Mr Speaker"] * 5


def test_a_url_or_a_time_is_never_a_label_without_a_space():
    for line in ("http://www.parliament.gov.ck/hansard", "HTTPS://PARLIAMENT.GOV.FJ", "10:30 The House resumed.",
                 "Note:The figures are provisional.", "Sitting resumed at 2:15"):
        assert find_label(line) is None, line


# --- a bill's parts in committee -------------------------------------------------------------------

COMMITTEE = """\
COMMITTEE OF THE WHOLE

MR CHAIRMAN: Thank you Honourable Member. Are there any other speakers?

The question is:

That Part I Stands Part of the Bill

Motion agreed to

Part II.- Imposition of Tax. Clauses 10 and 11

The question is:

That Part II Stands Part of the Bill

Motion agreed to

HON. N. GEORGE: Mr Chairman, one question on Part III.

MR CHAIRMAN: Thank you.
"""


def test_a_part_of_a_bill_is_never_a_speaker(tmp_path):
    passages = _corpus(tmp_path, COMMITTEE)
    assert {p.speaker for p in passages} == {"Mr Chairman", "N. George"}
    assert _said(passages, "one question on Part III").speaker == "N. George"
    for label in ("Part II", "Clauses 10 and 11", "Schedule 2", "Section 4A", "Chapter IV"):
        assert parse_speaker_label(label).kind != "person", label
    assert parse_speaker_label("Part II").honours == ()
    assert find_label("Clause 5: The Bill is amended as follows.") is None


def test_a_numeral_after_a_full_name_is_still_an_honour():
    sp = parse_speaker_label("Mr John Smith III")
    assert (sp.name, sp.kind) == ("John Smith", "person") and "III" in sp.honours


# --- a bracket of several offices without a seat -------------------------------------------------


def test_a_bracket_of_several_offices_puts_every_office_in_the_role():
    assert who("Hon NICOLA WILLIS (Minister for Economic Growth, Minister of Finance)")[:3] == (
        "Nicola Willis", "Minister for Economic Growth, Minister of Finance", None)
    assert who("Hon JUDITH COLLINS (Minister for Defence, National Security and Policing)")[:3] == (
        "Judith Collins", "Minister for Defence, National Security and Policing", None)
    assert who("HON. F.S. KOYA (Minister for Commerce, Trade, Tourism and Transport)")[:3] == (
        "F.S. Koya", "Minister for Commerce, Trade, Tourism and Transport", None)


def test_a_role_then_a_body_still_reads_as_before():
    assert who("Jane Doe (Chief Executive, Acme Housing)")[:3] == ("Jane Doe", "Chief Executive", "Acme Housing")
    assert who("Kilvinder Vigurs (Regional Director for London, HM Prison and Probation Service)")[:3] == (
        "Kilvinder Vigurs", "Regional Director for London", "HM Prison and Probation Service")
    assert who("Jane Smith (Minister for Health, Welsh Government)")[:3] == (
        "Jane Smith", "Minister for Health", "Welsh Government")
