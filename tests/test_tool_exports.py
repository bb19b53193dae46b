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


# Otter.ai text export of a podcast (ladybug-podcast/ladybug-website, transcripts/62-security.md,
# MIT; lines 7-20 and 23-24, long turns cut after their first sentences). Otter writes two
# blanks after each time, kept here.
OTTER_PODCAST = "\n\n".join(f"{head}  \n{words}" for head, words in [
    ("Kelly  0:34", "Welcome to the ladybug podcast."),
    ("Unknown Speaker  0:35", "I'm Kelly. I'm Allie."),
    ("Emma  0:37", "And I'm Emma. And we're debugging the tech industry."),
    ("Emma  2:20", ("So welcome, Tailor. We're super excited that you took the time out of your busy schedule "
                    "to join us. How are you doing ")),
    ("Tailor  2:26", "today? Thank you green. Glad to be on. Just like let me"),
    ("Unknown Speaker  2:57", "Just before lunch. We haven't like really taught at all."),
]) + "\n"


def test_a_header_line_is_a_turn_even_for_a_name_heard_once(tmp_path):
    """Otter's 'Name  m:ss' alone on its line is a label wherever the document is laid out
    so: the guest heard once ('Tailor') has her words, never the host before her."""
    turns = _turns(tmp_path, "62-security.txt", OTTER_PODCAST)
    assert [(t.speaker, t.time_start) for t in turns] == [
        ("Kelly", 34.0), (None, 35.0), ("Emma", 37.0), ("Emma", 140.0), ("Tailor", 146.0), (None, 177.0)]
    assert turns[4].text == "today? Thank you green. Glad to be on. Just like let me"
    assert not any("Tailor  2:26" in t.text or "2:26" in t.text for t in turns)  # the header is not speech


def test_one_name_and_time_line_in_a_document_of_colon_labels_starts_no_turn(tmp_path):
    """The header layout is the document's: one such line among colon labels is not a
    one-word speaker heard once (lines written for the test)."""
    text = ("HOST: Welcome back to the show.\n\nGUEST: Thanks for having me.\n\n"
            "HOST: How long was the race?\n\nGUEST: It was long. My split was\n\nHalfway  2:26\n\n"
            "and then the rest.\n")
    turns = _turns(tmp_path, "show.txt", text)
    assert [t.speaker for t in turns] == ["Host", "Guest", "Host", "Guest"]


# WhisperX output rendered as Markdown (bobsummerwill/stratomercata-transcripts,
# intermediates/episode002/episode002_whisperx.md, GPL-3.0; lines 47-59, long turns cut after
# their first sentences): a voice diarisation could not assign ("UNKNOWN") and a numbered
# speaker heard once in the excerpt ("SPEAKER_03").
WHISPERX_MD = """**[24:00] SPEAKER_00:** Yeah.

**[24:00] SPEAKER_01:** And at the same time they had blockchain people and the blockchain people really wanted to focus on the blockchain side of it.

**[24:15] SPEAKER_00:** yeah I mean like I remember like I think the you know Marley Gray was really driving those efforts inside Microsoft at the time

**[24:46] SPEAKER_03:** I'm seeing the Azure launches 2010. I checked it, but it did feel much more nascent than it is today.

**[25:04] SPEAKER_01:** They were running around one of the conferences. I can't remember which one, handing out free passes to everyone.

**[25:11] SPEAKER_00:** It was that conference, DEF CON 1.

**[25:14] UNKNOWN:** Okay.

**[25:14] SPEAKER_00:** yeah they were they were handing it out
"""


def test_an_unknown_voice_and_a_numbered_speaker_heard_once_are_turns_of_their_own(tmp_path):
    """'**[25:14] UNKNOWN:** Okay.' is a turn of no one, not SPEAKER_00's words with the label
    and time in them; 'SPEAKER_03' seen once is still SPEAKER_03."""
    turns = _turns(tmp_path, "episode002_whisperx.md", WHISPERX_MD)
    said = [(t.speaker_label, t.time_start, t.text[:24]) for t in turns]
    assert said == [
        ("SPEAKER_00", 1440.0, "Yeah."),
        ("SPEAKER_01", 1440.0, "And at the same time the"),
        ("SPEAKER_00", 1455.0, "yeah I mean like I remem"),
        ("SPEAKER_03", 1486.0, "I'm seeing the Azure lau"),
        ("SPEAKER_01", 1504.0, "They were running around"),
        ("SPEAKER_00", 1511.0, "It was that conference, "),
        ("UNKNOWN", 1514.0, "Okay."),
        ("SPEAKER_00", 1514.0, "yeah they were they were"),
    ]
    assert turns[6].speaker is None  # nobody in particular
    assert not any("UNKNOWN" in t.text or "SPEAKER_03" in t.text or "[25:14]" in t.text for t in turns)


def test_a_timetable_of_names_and_times_is_not_a_header_layout(tmp_path):
    """Rows of a programme ('Lunch  12:00') have no words below them: one-word rows heard once
    are not speakers (lines written for the test)."""
    text = ("Programme\nRegistration  9:00\nWelcome  9:30\nLunch  12:00\n\n"
            "CHAIR: Good morning and welcome.\n\nSPEAKER_01: Thank you.\n\nCHAIR: Lunch is at noon.\n")
    turns = _turns(tmp_path, "day.txt", text)
    assert [t.speaker_label for t in turns] == ["CHAIR", "SPEAKER_01", "CHAIR"]
