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
