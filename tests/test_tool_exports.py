"""Transcripts exported by transcription and diarisation tools: a header line
of name and time with the words below (Otter's text export), and numbered
speakers (``SPEAKER_00:``, what pyannote/WhisperX write when they cannot name
anyone). Both read as turns with their speakers and start times, with the
kind left to detection."""

from __future__ import annotations

from pathlib import Path

from transcript_qa.corpus import load_corpus
from transcript_qa.parsing.transcript import find_label

OTTER = """Council budget workshop

Unknown Speaker  0:02
Alrighty, are we recording?

Maria Lopez  0:08
Yes. Welcome everyone to the budget workshop. The first item is the parks department.

Tom Reed  1:15
Thank you. The parks budget has grown by two million dollars,
mostly for maintenance staff.

Maria Lopez  1:02:11
Any questions on the parks budget?

Tom Reed\t1:02:30
None from me.
"""

DIARISED = """SPEAKER_00: Good evening and welcome to the planning board.

SPEAKER_01: Thank you. I want to talk about the new library.

SPEAKER_00: Please go ahead.

SPEAKER_01: The library needs twelve more staff.
"""


def _turns(tmp_path: Path, name: str, text: str):
    (tmp_path / name).write_text(text, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.documents[0].kind == "transcript"
    return [p for p in corpus.passages if p.boilerplate is None]


def test_header_lines_start_turns_with_their_speaker_and_time(tmp_path):
    turns = _turns(tmp_path, "workshop.txt", OTTER)
    said = [(t.speaker, t.time_start, t.text) for t in turns]
    assert said == [
        (None, 2.0, "Alrighty, are we recording?"),  # "Unknown Speaker" names nobody
        ("Maria Lopez", 8.0, "Yes. Welcome everyone to the budget workshop. The first item is the parks department."),
        ("Tom Reed", 75.0, "Thank you. The parks budget has grown by two million dollars, mostly for maintenance staff."),
        ("Maria Lopez", 3731.0, "Any questions on the parks budget?"),
        ("Tom Reed", 3750.0, "None from me."),
    ]
    assert not any("0:08" in t.text or "Maria Lopez" in t.text for t in turns)  # the header is not speech


def test_a_header_needs_a_name_two_spaces_and_a_time_and_nothing_else():
    assert find_label("Maria Lopez  0:08").time == 8.0
    assert find_label("Maria Lopez 0:08") is None  # one space: prose such as "Item 4 10:30" reads on
    assert find_label("Maria Lopez  0:08 said the budget") is None
    assert find_label("The meeting resumed at  10:30") is None  # a sentence, not a name


def test_numbered_speakers_of_diarisation_are_turns(tmp_path):
    turns = _turns(tmp_path, "board.txt", DIARISED)
    assert [(t.speaker_label, t.text[:20]) for t in turns] == [
        ("SPEAKER_00", "Good evening and wel"),
        ("SPEAKER_01", "Thank you. I want to"),
        ("SPEAKER_00", "Please go ahead."),
        ("SPEAKER_01", "The library needs tw"),
    ]
    assert turns[0].speaker == turns[2].speaker != turns[1].speaker


def test_a_time_just_after_the_label_is_the_turns_start_not_its_words(tmp_path):
    text = ("Mary Jones: (00:12) Welcome to the budget hearing.\n\n"
            "John Smith: [00:01:10] Thank you. The library budget rises.\n\n"
            "Mary Jones: (01:15) Any questions?\n")
    turns = _turns(tmp_path, "hearing.txt", text)
    assert [(t.speaker, t.time_start, t.text) for t in turns] == [
        ("Mary Jones", 12.0, "Welcome to the budget hearing."),
        ("John Smith", 70.0, "Thank you. The library budget rises."),
        ("Mary Jones", 75.0, "Any questions?"),
    ]


ZOOM_CAPTIONS = """[Maria Lopez] 18:02:11
Good evening, everyone. Let's begin with the budget for the probation office.

[John Carter] 18:02:30
Thank you. The caseloads have grown by twelve percent this year.

[Maria Lopez] 18:03:05
Do we know how many vacancies there are?

[John Carter] 18:03:15
There are fourteen vacancies right now.
"""


def test_zoom_saved_captions_name_in_brackets_then_a_time(tmp_path):
    turns = _turns(tmp_path, "meeting_saved_closed_caption.txt", ZOOM_CAPTIONS)
    assert [(t.speaker, t.time_start) for t in turns] == [
        ("Maria Lopez", 18 * 3600 + 2 * 60 + 11), ("John Carter", 18 * 3600 + 2 * 60 + 30),
        ("Maria Lopez", 18 * 3600 + 3 * 60 + 5), ("John Carter", 18 * 3600 + 3 * 60 + 15)]
    assert turns[1].text == "Thank you. The caseloads have grown by twelve percent this year."


def test_a_time_in_brackets_closing_the_label_is_the_turns_start(tmp_path):
    rev = "Maria Lopez (00:00):\nGood evening.\n\nJohn Carter (00:12):\nThank you.\n\nMaria Lopez (01:40):\nNext item.\n"
    turns = _turns(tmp_path, "rev.txt", rev)
    assert [(t.speaker, t.organisation, t.time_start, t.text) for t in turns] == [
        ("Maria Lopez", None, 0.0, "Good evening."), ("John Carter", None, 12.0, "Thank you."),
        ("Maria Lopez", None, 100.0, "Next item.")]


def test_a_time_on_its_own_line_above_the_name_and_the_words(tmp_path):
    text = ("Budget meeting\n\n00:00:03\nMaria Lopez\nGood evening, everyone.\n\n00:00:15\nJohn Carter\nThank you.\n\n"
            "00:00:40\nMaria Lopez\nHow many vacancies are there?\n\n00:00:52\nJohn Carter\nFourteen right now.\n")
    turns = _turns(tmp_path, "meeting.txt", text)
    assert [(t.speaker, t.time_start, t.text) for t in turns if t.speaker] == [
        ("Maria Lopez", 3.0, "Good evening, everyone."), ("John Carter", 15.0, "Thank you."),
        ("Maria Lopez", 40.0, "How many vacancies are there?"), ("John Carter", 52.0, "Fourteen right now.")]
