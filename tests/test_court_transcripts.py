"""Court, deposition and inquiry transcripts that print the examination as Q./A. lines:
each question is the examining lawyer's turn, each answer the witness's."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcript_qa.build import build_index
from transcript_qa.corpus import load_corpus

DEPOSITION = """\
DEPOSITION OF JANE DOE

JANE DOE, having been first duly sworn, testified as follows:
EXAMINATION BY MR. BROWN:
Q. Please state your name for the record.
A. Jane Doe.
Q. Where are you employed?
A. I work at the county probation office as a supervisor.
MS. GREEN: Objection, form.
Q. How many officers do you supervise?
A. About twelve officers.
THE COURT: Let's take a short recess.
CROSS-EXAMINATION BY MS. GREEN:
Q. When did you start at the probation office?
A. In the spring of 2015.
THE WITNESS: May I add something about the rota?
Q. (By Mr. Brown) Is the rota published?
A. Every Monday.
"""


def _turns(tmp_path: Path, text: str, name: str = "hearing.txt") -> list:
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    corpus = load_corpus(folder)
    assert corpus.documents[0].kind == "transcript"
    return [p for p in corpus.passages if p.speaker_label is not None]


def _said(turns: list, start: str) -> tuple[str | None, str | None]:
    p = next(p for p in turns if p.text.startswith(start))
    return p.speaker, p.role


def test_a_question_is_the_examiners_and_an_answer_the_witnesses(tmp_path):
    turns = _turns(tmp_path, DEPOSITION)
    assert _said(turns, "Please state your name") == ("Brown", "Counsel")
    assert _said(turns, "Jane Doe.") == ("Jane Doe", "Witness")
    assert _said(turns, "I work at the county probation office") == ("Jane Doe", "Witness")


def test_each_q_and_a_line_is_its_own_turn_and_the_header_is_no_speaker(tmp_path):
    turns = _turns(tmp_path, DEPOSITION)
    assert [p.text for p in turns[:4]] == ["Please state your name for the record.", "Jane Doe.",
                                           "Where are you employed?",
                                           "I work at the county probation office as a supervisor."]
    assert all("EXAMINATION" not in (p.speaker or "").upper() for p in turns)


def test_after_an_objection_the_next_question_is_the_examiners_again(tmp_path):
    turns = _turns(tmp_path, DEPOSITION)
    assert _said(turns, "Objection, form.") == ("Green", None)
    assert _said(turns, "How many officers") == ("Brown", "Counsel")
    assert _said(turns, "About twelve officers.") == ("Jane Doe", "Witness")


def test_a_new_examination_header_changes_the_examiner(tmp_path):
    turns = _turns(tmp_path, DEPOSITION)
    assert _said(turns, "When did you start") == ("Green", "Counsel")
    assert _said(turns, "In the spring of 2015.") == ("Jane Doe", "Witness")
    assert _said(turns, "Is the rota published?") == ("Brown", "Counsel")  # "(By Mr. Brown)"


def test_the_witness_label_is_the_sworn_witness(tmp_path):
    turns = _turns(tmp_path, DEPOSITION)
    assert _said(turns, "May I add something") == ("Jane Doe", "Witness")


def test_margin_line_numbers_and_page_numbers_are_not_text(tmp_path):
    lines = ["DIRECT EXAMINATION", "BY MS. PATEL:", "Q.   Where were you on the night", "of the fire?",
             "A.   At home.", "Q.   Alone?", "A.   With my sister.", "Q.   Did you call anyone?",
             "A.   The fire brigade."]
    numbered = "\n".join(f"{i + 1:2d}   {x}" for i, x in enumerate(lines)) + "\n            Page 12\n"
    turns = _turns(tmp_path, numbered)
    assert _said(turns, "Where were you on the night of the fire?") == ("Patel", "Counsel")
    assert _said(turns, "With my sister.") == ("the witness", "Witness")  # never named
    assert not any("12" in p.text or "Page" in p.text for p in turns)


def test_without_a_by_line_the_examiner_is_who_asked_the_first_answered_question(tmp_path):
    text = ("MR ALAN WOOD (sworn)\nQuestions from Counsel to the Inquiry\n"
            "MS KHAN:  Is your full name Alan Wood?\nA.  It is.\nQ.  You chair the board?\nA.  Yes.\n"
            "Q.  Since when?\nA.  2019.\nTHE CHAIR:  Thank you.\nQ.  When were you appointed?\nA.  In 2019.\n")
    turns = _turns(tmp_path, text)
    assert _said(turns, "You chair the board?") == ("Khan", "Counsel")
    assert _said(turns, "When were you appointed?") == ("Khan", "Counsel")
    assert _said(turns, "In 2019.") == ("Alan Wood", "Witness")


@pytest.mark.parametrize("text, speakers", [
    # a committee's numbered questions are another convention: its labels say who speaks
    ("Q1 Chair: Welcome.\nWitness: Thank you.\nQ2 Chair: Why?\nWitness: Because.\nQ3 Chair: Fine.\n",
     ["Chair", "Witness", "Chair", "Witness", "Chair"]),
    # a stray "A." in prose, and a list with one Q
    ("A. Smith wrote to the council.\n\nThe council replied.\n\nQ. Was that right? It was.\n\nA good deal followed.\n",
     [None, None, None, None]),
])
def test_q_a_reading_switches_on_only_when_the_document_uses_it(tmp_path, text, speakers):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "doc.txt").write_text(text, encoding="utf-8")
    corpus = load_corpus(folder)
    assert not any(p.speaker_label and p.speaker_label.startswith(("Q. (", "THE WITNESS (")) for p in corpus.passages)
    assert [p.speaker for p in corpus.passages] == speakers


def test_an_answer_is_found_by_who_and_ask_as_said_by_the_witness(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "deposition.txt").write_text(DEPOSITION, encoding="utf-8")
    index = build_index(folder, tmp_path / "index")
    answer = index.ask("how many officers do you supervise")
    top = [h for h in answer.hits if "twelve" in h.passage.text][0]
    assert top.passage.speaker == "Jane Doe"
    assert "Jane Doe" in [s.speaker for s in index.who("who works at the county probation office")]


def _numbered_page(number: int, lines: list[str]) -> str:
    """A page as US court reporters print it: the page number, a running header, each
    line numbered in the margin, and a running footer (lines written for the test)."""
    body = "\n".join(f"{i + 1:2d}    {line}" for i, line in enumerate(lines))
    return f"\n{number}\nJ591dun1\n\n{body}\n\nSOUTHERN DISTRICT REPORTERS, P.C.\n(212) 805-0300\n"


COURT_PAGE = ["THE COURT:  Good morning.  All the jurors are here.", "MR. FOLLY:  Yes, your Honor.  The",
              "government calls Ms. Nichols.", "THE COURT:  Very well.", "THE DEFENDANT:  Yes, your Honor.",
              "MS. AL-SHABAZZ:  No objection.", "THE COURT:  Proceed."]
EXAMINATION_PAGE = ["CROSS-EXAMINATION", "BY MS. AL-SHABAZZ:", "Q.  Good morning, Ms. Nichols.", "A.  Good morning.",
                    "Q.  Where did you meet him?", "A.  At the office on Main Street.", "Q.  When was that?",
                    "A.  In October.", "Q.  Of which year?", "A.  2012.", "MR. FOLLY:  Objection.",
                    "THE COURT:  Overruled.", "Q.  How often did you see him?", "A.  Every week."]


def test_a_line_numbered_court_transcript_reads_each_turn_without_its_margin_or_running_footer():
    from transcript_qa.model import Document
    from transcript_qa.parsing import detect_kind, parse_document

    # pages 40 to 42: a page number of two digits is not a line number
    text = _numbered_page(40, COURT_PAGE) + _numbered_page(41, EXAMINATION_PAGE) + _numbered_page(42, COURT_PAGE)
    assert detect_kind(text, "day3.txt")[0] == "transcript"
    doc = Document(id="d", title="D", kind="transcript", date=None, path="day3.txt")
    turns = [p for p in parse_document(text, doc).passages if p.boilerplate is None]
    said = [(t.speaker, t.text) for t in turns]
    assert said[:6] == [
        ("The Court", "Good morning. All the jurors are here."),
        ("Folly", "Yes, your Honor. The government calls Ms. Nichols."),  # the line number is not a word
        ("The Court", "Very well."),
        ("The Defendant", "Yes, your Honor."),  # heard once, still a turn of its own
        ("Al-Shabazz", "No objection."),
        ("The Court", "Proceed."),  # the running footer is not part of it
    ]
    assert ("Al-Shabazz", "Where did you meet him?") in said and ("the witness", "At the office on Main Street.") in said
    assert not any("REPORTERS" in t.text or "J591" in t.text for t in turns)
    assert all(text[t.start:].lstrip().startswith(("THE", "MR.", "MS.", "Q.", "A.")) for t in turns)


def test_numbered_paragraphs_of_a_report_are_not_a_margin():
    from transcript_qa.parsing.line_numbers import blank_line_numbers

    report = "\n".join(f"{i} The service has {i * 3} vacancies in region {i}." for i in range(1, 30))
    assert blank_line_numbers(report) == report  # every line numbered, but sentences, not a page's lines


def test_an_e_transcript_text_file_with_page_and_line_before_each_page_reads_without_its_margin():
    """The page:line text layout court reporters deliver: "00006:01" opening each page,
    "        02" to "25" down it, an empty line keeping its number (lines written for
    the test in the shape a public description of the format gives)."""
    from transcript_qa.model import Document
    from transcript_qa.parsing import detect_kind, parse_document

    page = ["BY MR. BEATTIE:", "Q.   And what type of doctor are you?", "A.   So I am a dual-board-certified orthopedic",
            "surgeon.  I have a certification in orthopedic surgery.", "", "MS. VERONA:  Objection, form.",
            "Q.   You may answer.", "A.   I treat injuries of the spine."] * 3 + [""]
    lines = []
    for number in range(6, 9):
        for line, words in enumerate(page, start=1):
            margin = f"{number:05d}:{line:02d}" if line == 1 else f"        {line:02d}"
            lines.append(margin + (("  " if words.startswith("surgeon") else "      ") + words if words else ""))
    text = "\n".join(lines) + "\n"
    assert detect_kind(text, "deposition.txt")[0] == "transcript"
    doc = Document(id="d", title="D", kind="transcript", date=None, path="deposition.txt")
    turns = [p for p in parse_document(text, doc).passages if p.boilerplate is None]
    assert (turns[0].speaker, turns[0].text) == ("Beattie", "And what type of doctor are you?")
    assert (turns[1].speaker, turns[1].text) == (
        "the witness", "So I am a dual-board-certified orthopedic surgeon. I have a certification in orthopedic surgery.")
    assert not any(ch.isdigit() for t in turns for ch in t.text)  # no page or line number among the words
