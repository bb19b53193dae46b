"""Records the rules were not written for: who said what must survive their layouts.

Each excerpt is a short passage of a public record (source in a comment); the shapes
are what testers met on whole documents: a hard-wrapped answer in a federal trial, a
label printed on the line straight after a speech, a speaker nobody identified, a
one-word topic heading, and the record's own lines of business."""

from __future__ import annotations

from pathlib import Path

from transcript_qa.corpus import load_corpus
from transcript_qa.model import Document
from transcript_qa.parsing import parse_document

DOC = Document(id="t", title="T", kind="transcript", date=None, path="t.txt")


def _passages(text: str):
    return parse_document(text, DOC).passages


def _said(passages, words: str):
    """The passage holding ``words``."""
    return next(p for p in passages if words in p.text)


# United States v. Guo, 23 Cr. 118 (AT), S.D.N.Y., trial transcript of 28 May 2024, direct
# examination of Le Zhou (github.com/ourhimalayas/txt, content/court-case-2024/
# Case-23_cr_00118_Transcript-28-05-2024.txt); the answer is cut short, its lines as printed.
TRIAL = """\
THE COURT: You may inquire.
MS. MURRAY: Thank you, your Honor.
LE ZHOU,
called as a witness by the Government,
having been duly sworn, testified as follows:
DIRECT EXAMINATION
BY MS. MURRAY:
Q. Good morning, Mr. Zhou.
A. Good morning.
Q. Mr. Zhou, where were you born?
A. China.
Q. What experience, if any, has your family had in the past
with the CCP?
A. Our family suffered tremendously from the Chinese
government, both family on my mother and my father's side.
left little bit for the family to survive. My father has nine
sisters and brothers, but that is not enough to feed all the
family. So two of the children, was forced to give away.
That's——that's my both parents, how they suffered from
this government.
And there's also one big impact, almost not to have me
to live, was one child, one——one child, one policy in China.
It was implemented in 1980. At the time, my mother was already
seven months' pregnant, and my parents wanted to have me
Q. And how, if at all, did those experiences affect your view
of the Chinese government?
A. The government is not——is untrustworthy. Their cruelty and
brutality, it's unimaginable.
"""


def _corpus(tmp_path: Path, text: str):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "trial.txt").write_text(text, encoding="utf-8")
    return load_corpus(folder).passages


def test_a_hard_wrapped_answer_is_one_turn_of_the_witness_and_no_words_are_lost(tmp_path):
    passages = _corpus(tmp_path, TRIAL)
    answer = _said(passages, "Our family suffered tremendously")
    for words in ("forced to give away", "one policy in China", "seven months' pregnant"):
        assert words in answer.text
    assert answer.boilerplate is None and answer.speaker == "Le Zhou"
    # no line inside testimony names a section or a witness
    assert {p.section for p in passages} <= {None, "DIRECT EXAMINATION", "BY MS. MURRAY"}
    assert _said(passages, "is untrustworthy").speaker == "Le Zhou"
    after_first_turn = passages[next(i for i, p in enumerate(passages) if p.speaker):]
    assert not [p.text for p in after_first_turn
                if p.boilerplate and not p.text.isupper() and "sworn" not in p.text and "witness" not in p.text]


def test_the_name_printed_above_the_swearing_in_line_names_the_witness(tmp_path):
    passages = _corpus(tmp_path, TRIAL)
    assert _said(passages, "Good morning.").speaker == "Le Zhou"
    assert _said(passages, "China.").speaker == "Le Zhou"
    assert _said(passages, "Thank you, your Honor.").text == "Thank you, your Honor."  # not "... LE ZHOU,"
    assert _said(passages, "where were you born?").speaker == "Murray"


# Australian Senate, Environment and Communications Legislation Committee, Estimates,
# 22 May 2017 (Proof Hansard no. 19405), Great Barrier Reef Marine Park Authority; a line
# of the speech is left out. The label follows the speech with no blank line between.
ESTIMATES = """\
CHAIR: Dr Reichelt, would you like to make an opening statement?

Dr Reichelt: We want to discuss that with the experts and establish if there is anything we can
be doing that will help the reef while the processes of mitigation of greenhouse gases—which is a
long process—is undertaken by the global community.
Senator CHISHOLM: In your opening address you mentioned the independent expert panel report. Did you
quote from that or was it just a sort of commentary on it?

Dr Reichelt: I did not quote from it. I am a member of that panel, and it met quite recently.

Senator CHISHOLM: Thank you.
"""


def test_a_known_label_on_the_line_after_a_speech_starts_a_new_turn():
    passages = _passages(ESTIMATES)
    question = _said(passages, "In your opening address")
    assert question.speaker == "Chisholm"
    assert question.text.startswith("In your opening address")
    assert "CHISHOLM" not in _said(passages, "global community").text
    assert _said(passages, "global community").speaker == "Reichelt"


def test_a_one_word_label_seen_only_inside_a_paragraph_does_not_cut_it():
    # the estimates excerpt with a line written for the test: "Note:" opens no turn anywhere
    text = ESTIMATES.replace("long process—is undertaken", "long process—is undertaken\nNote: the panel")
    passages = _passages(text)
    assert "Note: the panel" in _said(passages, "global community").text
    assert all(p.speaker != "Note" for p in passages)


# The same hearing: a question from the floor the reporter could not attribute.
UNIDENTIFIED = """\
CHAIR: Mr Elliot, did you look at the drumlines?

Mr Elliot: If we decided that the application that was before us had unacceptable impacts, then we could have,
and would have, refused it. I would also—

Unidentified speaker: What info did they provide?

Mr Elliot: I would not be able to go into the specifics of exactly what they did provide on it.
"""


def test_an_unidentified_speaker_is_a_passage_of_no_one_not_the_last_speaker():
    passages = _passages(UNIDENTIFIED)
    question = _said(passages, "What info did they provide?")
    assert question.speaker is None and question.boilerplate is None
    assert question.text == "What info did they provide?"
    assert "What info" not in _said(passages, "refused it").text


# Australian House of Representatives Hansard, 2 August 2022 (ParlInfo XML, proof), as text:
# the end of a member's statement, the debate's heading, its one-word topic, the question.
QUESTION_TIME = """\
Ms TINK (North Sydney) (13:59): Ultimately, to all the students out there, I say to you: good luck. You've got this.

QUESTIONS WITHOUT NOTICE

Energy

Mr DUTTON (Dickson—Leader of the Opposition) (14:03): My question is to the Prime Minister.

Mr ALBANESE (Grayndler—Prime Minister) (14:03): I could just refer to my answer of yesterday.
"""


def test_a_one_word_topic_heading_between_turns_is_the_section_not_speech():
    passages = _passages(QUESTION_TIME)
    assert _said(passages, "good luck").text.endswith("You've got this.")
    assert _said(passages, "My question is to the Prime Minister.").section == "Energy"
    assert _said(passages, "answer of yesterday").section == "Energy"


def test_a_one_word_reply_between_turns_stays_in_the_speech():
    # written for the test: "Agreed" is said, not a topic
    text = QUESTION_TIME.replace("Energy\n", "Agreed\n").replace("QUESTIONS WITHOUT NOTICE\n\n", "")
    passages = _passages(text)
    assert "Agreed" in _said(passages, "good luck").text
    assert all(p.section is None for p in passages)


# Australian House of Representatives Hansard, 2 August 2022, Treasury Laws Amendment (2022
# Measures No. 1) Bill 2022, second reading.
DIVISION = """\
Mr BURKE (Watson—Leader of the House) (13:12): I move:

That the question be now put.

The DEPUTY SPEAKER (Mr Goodenough): The question is that the bill be now read a second time.

Question agreed to.

Bill read a second time.
"""


def test_the_records_lines_of_business_are_no_ones_words():
    passages = _passages(DIVISION)
    chair = _said(passages, "The question is that the bill")
    assert chair.text == "The question is that the bill be now read a second time."
    for line in ("Question agreed to.", "Bill read a second time."):
        p = _said(passages, line)
        assert p.speaker is None and p.boilerplate is None  # indexed, attributed to nobody
    assert _said(passages, "That the question be now put.").speaker == "Burke"


# United States v. Guo, 23 Cr. 118 (AT), S.D.N.Y., trial transcript of 28 May 2024, cross-examination
# of Le Zhou (same source as TRIAL, lines 3155-3254), as printed: each page opens with the reporter's
# running header after three blank lines, one of them in the middle of a question.
CROSS_PAGES = """\
Q. Okay. Thank you.
Now you just testified that Mr. Guo has never repaid
you the amount that you say that you lost, correct?
A. Correct.
Q. You've never spoken with Mr. Guo, right?
A. I spoke to him.



O5S1GUO3 Le Zhou - Cross
Q. You spoke to him about getting the money back?
A. No.
Q. You've never asked him to get any money back, correct?
A. I mailed it to him.
Q. You mailed it to Mr. Guo?
A. Yes.
Q. Mr. Guo doesn't use email, correct?
A. I mailed it to——
MS. MURRAY: Objection.
THE COURT: Sustained.
Q. You've never emailed Mr. Guo before, have you?
A. I didn't email to him.
Q. Okay. So he's never responded to an email that you've
sent, correct?
A. Never responded.
Q. And he's never sent you personally an email, correct?
A. Correct.
Q. Okay. Now I want to start with the Rule of Law Foundation.
Do you remember testifying about that?
A. Yes.
Q. And you testified that you first heard about it at a press
conference in November 2018, correct?
A. Correct.
Q. And your testimony was that you left that press conference
with the impression that Mr. Guo was going to fund the Rule of



O5S1GUO3 Le Zhou - Cross
Law Foundation to a hundred million dollars, correct?
A. Correct.
Q. And that's what the prosecutors asked you here today,
right?
A. Yes.
MR. KAMARAJU: Could we have Government Exhibit
W1005V, please. It's in evidence, so we can publish it.
If we can just play it a little bit.
(Video played)
MR. KAMARAJU: Okay. We can pause right there.
Q. Now they asked you about this clip earlier, correct?
A. Yes.
Q. They asked you whether you had an understanding that
Mr. Guo had made a representation about funding a hundred
million dollars to the Rule of Law Foundation, correct?
A. Correct.
Q. Okay. That's not Mr. Guo, right?
A. That's not.
Q. That's Steve Bannon, right?
A. Correct.
Q. Steve Bannon looks nothing like Mr. Guo, right?
A. No.
MS. MURRAY: Objection, your Honor.
THE COURT: Overruled. Go ahead.
Q. This is Steve Bannon talking, correct?



O5S1GUO3 Le Zhou - Cross
A. Correct.
Q. So they asked you a question about representations Mr. Guo
made, but they showed you a clip of Mr. Bannon, correct?
A. Correct.
Q. But then you answered that your expectation was Mr. Guo was
going to fund the payment, right?
A. Correct.
Q. Now this isn't the first time that you've seen this video
clip, right?
A. Correct.
Q. You've seen it when you prepared with them before, right?
A. I saw it at the live——when this press conference live.
Q. Okay. We'll come back to that. But you've also seen it
with the prosecutors, right?
A. Yes.
Q. They've showed it to you before today, right?
A. Yes.
Q. They showed it to you when you prepared your testimony with
them, right?
A. Not prepared the testimony, but they showed it to me.
Q. Okay. Well, you've met with the prosecutors multiple
times, right?
A. Yes.
Q. These prosecutors sitting at the table here, right?
A. Not all.



O5S1GUO3 Le Zhou - Cross
Q. Some of them, right?
A. Yes.
Q. Which ones?
"""


def test_a_running_page_header_is_no_words_of_a_turn_and_the_sentence_it_cut_is_whole():
    passages = _passages(CROSS_PAGES)
    assert not any("Le Zhou - Cross" in p.text for p in passages)
    question = _said(passages, "with the impression that")
    assert question.text.endswith("to fund the Rule of Law Foundation to a hundred million dollars, correct?")
    assert question.role == "Counsel"
    # an answer printed straight after a header is the witness's, and the question before it ends as asked
    assert _said(passages, "I spoke to him").text == "I spoke to him."
    assert _said(passages, "This is Steve Bannon talking").text == "This is Steve Bannon talking, correct?"


def _pages(lines: list[str], every: int) -> str:
    """``lines`` printed on pages of ``every`` lines, a page break (three blank lines) between."""
    return "\n\n\n\n".join("\n".join(lines[i:i + every]) for i in range(0, len(lines), every)) + "\n"


def test_a_line_of_speech_said_again_and_again_stays_words_of_the_turns():
    # written for the test in the layout of the trial above: on every page a reply of its own,
    # with or without its full stop, and a speaker's name alone on a line before unpunctuated words
    # (as automatic captions print them); none of them is a page's running line
    page = ["THE COURT: Go ahead.", "Q. And you sent it to the company,", "correct?", "Thank you.",
            "Objection", "Jane Smith", "so we went on and", "then we talked about", "the money",
            "Yes", "MS. MURRAY: Nothing further.", "Q. Thank you."]
    passages = _passages(_pages(page * 8, len(page)))
    text = "\n".join(p.text for p in passages)
    assert text.count("Thank you.") == 16 and text.count("Objection") == 8 and text.count("Yes") == 8
    assert text.count("Jane Smith") + sum(p.speaker == "Jane Smith" for p in passages) >= 8


# City of Coral Gables (FL) City Commission, verbatim transcript of agenda item F-10, 9 January 2024
# (github.com/g-troiani/Coral-Gables-Knologi-City-Clerk-RAG, city_clerk_documents/extracted_text/debug/
# 01_09_2024 - Verbatim Transcripts - F-10_full_text.txt): the members and staff listed without a
# "Present:" word (a name wrapped onto a line of its own as extracted), then the item and turns of
# the debate, each cut to its first sentence.
COMMISSION = """\
## City of Coral Gables City Commission Meeting

Agenda Item F-10

January 9, 2024

## City Commission Chambers

405 Biltmore Way, Coral Gables, FL

## City Commission

Mayor Vince Lago

Vice Mayor Rhonda Anderson

Commissioner Melissa Castro

Commissioner Ariel Fernandez

Commissioner Kirk Menendez

## City Staff

City Attorney,  Cristina

SuÆrez

City Manager,  Peter Iglesias

City Clerk, Billy Urquia

Deputy City Attorney, Stephanie Throckmorton

HR Director,  Raquel Elejabarrieta

## Public Speaker( s)

Agenda Item F-10 [Start: 1:54 p.m.]

A Resolution of the City Commission directing the City Clerk and City Manager to schedule bimonthly presentation and protocol ceremonies. ( Sponsored by Commissioner Fernandez)

Mayor Lago:  F-10.

Deputy City Attorney Throckmorton:  Good afternoon again.

Commissioner Fernandez:  So, I had brought this up early on, I think back in April.

Vice Mayor Anderson:  Mayor,  if I may.

Mayor Lago:  Yes,  go ahead.  I was going to address it.

Vice Mayor Anderson:  Yes, I received it as well.

Deputy City Attorney Throckmorton: I'll ask the Human Resources Director to answer those questions for you.

Commissioner Fernandez:  I don' t think moving it diminishes the recognition.
"""


def test_a_list_of_members_and_staff_without_a_list_word_names_them_and_is_no_section():
    passages = parse_document(COMMISSION, DOC).passages
    mayor = _said(passages, "go ahead")
    assert (mayor.speaker, mayor.role) == ("Vince Lago", "Mayor")
    assert (_said(passages, "if I may").speaker, _said(passages, "back in April").speaker) == (
        "Rhonda Anderson", "Ariel Fernandez")
    assert _said(passages, "answer those questions").speaker == "Stephanie Throckmorton"
    listed = _said(passages, "Deputy City Attorney, Stephanie Throckmorton")
    assert listed.speaker is None and listed.boilerplate == "metadata"
    # the section is the agenda item, never a name of the list
    assert {p.section for p in passages if p.speaker} == {"Agenda Item F-10"}


def test_an_office_printed_before_a_surname_is_a_turn_the_first_time(tmp_path):
    # Coral Gables city commission verbatim transcript (Florida public record): the city manager speaks once
    (tmp_path / "m.txt").write_text(
        "Mayor Lago:  Mr. Manager, when are employees supposed to be here at work?\n\n"
        "City Manager Iglesias:  At 8 o' clock.\n\n"
        "Mayor Lago:  That is their job.\n\n"
        "Commissioner Fernandez:  Okay. I will second.\n\n"
        "Mayor Lago:  Moving on.\n\n"
        "Commissioner Fernandez:  Fine.\n", encoding="utf-8")
    turns = [(p.speaker, p.role, p.text) for p in load_corpus(tmp_path).passages]
    # "City Manager Iglesias:" was inside the mayor's turn: a one-word name must recur, unless its shape is strong
    assert turns[1] == ("Iglesias", "City Manager", "At 8 o' clock.")
    assert [t[0] for t in turns] == ["Lago", "Iglesias", "Lago", "Fernandez", "Lago", "Fernandez"]
