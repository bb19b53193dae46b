"""SubRip captions: speakers from cue prefixes, consecutive cues of one speaker as
one passage, times kept like WebVTT."""

from __future__ import annotations

import pytest

from transcript_qa.corpus import load_corpus
from transcript_qa.model import Document
from transcript_qa.parsing import detect_kind, parse_document

SRT = """1
00:00:01,000 --> 00:00:04,200
CHAIR: Good evening and welcome.

2
00:00:04,300 --> 00:00:07,000
We have a full agenda.

3
00:00:07,500 --> 00:00:09,000
[Cllr Okafor] Thank you, Chair.

4
00:00:09,100 --> 00:00:12,000
>> Question from the floor.

5
00:00:12,500 --> 00:00:14,000
>> CHAIR: Noted. <i>Next item.</i>
"""


def read(text: str, path: str = "meeting.srt"):
    return parse_document(text, Document(id="m", title="M", kind="transcript", date=None, path=path))


def test_srt_speakers_continuations_and_times():
    ps = read(SRT).passages
    assert [(p.speaker, p.text) for p in ps] == [
        ("Chair", "Good evening and welcome. We have a full agenda."),
        ("Okafor", "Thank you, Chair."),
        (None, "Question from the floor."),  # ">>" alone: a new, unnamed speaker
        ("Chair", "Noted. Next item."),
    ]
    assert (ps[0].time_start, ps[0].time_end) == (1.0, 7.0)
    assert SRT[ps[1].start :].startswith("3\n00:00:07,500")


def test_srt_is_recognised_by_content_and_read_in_a_corpus(tmp_path):
    assert detect_kind(SRT, "captions.txt") == ("transcript", "srt file")
    (tmp_path / "meeting.srt").write_text(SRT, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [d.path for d in corpus.documents] == ["meeting.srt"] and not corpus.skipped
    assert {s.name for s in corpus.speakers()} == {"Chair", "Okafor"}


def test_srt_without_cues_is_reported():
    result = read("just some words\n")
    assert result.passages == () and any("no SubRip cues" in w for w in result.warnings)


def _cues(n: int, text_of, vtt: bool = False) -> str:
    out = ["WEBVTT", ""] if vtt else []
    for i in range(n):
        sep = "." if vtt else ","
        start, end = f"00:{i * 4 // 60:02d}:{i * 4 % 60:02d}{sep}000", f"00:{(i * 4 + 4) // 60:02d}:{(i * 4 + 4) % 60:02d}{sep}000"
        out += ([] if vtt else [str(i + 1)]) + [f"{start} --> {end}", text_of(i), ""]
    return "\n".join(out)


def _line(i: int) -> str:
    if i == 70:
        return "The housing association reported forty empty flats in March."
    return "and the committee went on to the next item on the agenda" + ("." if i % 4 == 3 else "")


def test_captions_naming_no_speaker_are_cut_into_passages_with_their_times():
    """A video's automatic captions (no speaker anywhere) are passages of about
    eighty words, cut where a sentence ends, each with its own times: a question
    finds the part of the meeting it asks about, and when it was said."""
    for text, path in ((_cues(120, _line), "meeting.srt"), (_cues(120, _line, vtt=True), "meeting.vtt")):
        passages = read(text, path).passages
        assert 10 <= len(passages) <= 20  # 1,440 words
        assert all(len(p.text.split()) <= 170 for p in passages)
        assert all(p.text.rstrip().endswith(".") for p in passages[:-1])
        hit = next(p for p in passages if "empty flats" in p.text)
        assert hit.time_start <= 70 * 4 <= hit.time_end
        assert [p.time_start for p in passages] == sorted(p.time_start for p in passages)


def test_captions_with_speakers_keep_each_speakers_run_whole():
    text = _cues(60, lambda i: ("CHAIR: " if i == 0 else ">> MS JONES: " if i == 30 else "") + _line(i))
    passages = read(text).passages
    assert [(p.speaker, len(p.text.split()) > 200) for p in passages] == [("Chair", True), ("Jones", True)]


def test_a_video_pages_transcript_copied_as_times_above_the_words_is_read_as_captions():
    """Times on lines of their own, each above the words said from then (how a
    video page's transcript copies): the times are when, not words; passages
    are cut as captions naming nobody are, each with its times."""
    lines = []
    for i in range(60):
        lines += [f"{i * 5 // 60}:{i * 5 % 60:02d}",
                  "the housing association reported forty empty flats" if i == 40
                  else "and the board moved on to the next item on the agenda tonight"]
    text = "\n".join(lines)
    assert detect_kind(text, "video.txt")[0] == "transcript"
    passages = parse_document(text, Document(id="v", title="V", kind="plain", date=None, path="video.txt")).passages
    assert len(passages) >= 3
    assert not any(":" in p.text for p in passages)  # no "0:05" among the words
    hit = next(p for p in passages if "empty flats" in p.text)
    assert hit.time_start <= 200 <= hit.time_end  # said at 3:20
    assert text[passages[0].start:].startswith("0:00")


def test_a_time_in_square_brackets_between_the_name_and_the_colon_is_the_turns_start():
    turns = [("Maria Lopez", "Good evening and welcome to the board."), ("John Smith", "We have forty vacancies."),
             ("Maria Lopez", "Please go on with the budget."), ("John Smith", "The budget is short this year.")]
    text = "\n\n".join(f"{name} [00:00:{10 + 7 * k:02d}]: {words}" for k, (name, words) in enumerate(turns))
    assert detect_kind(text, "call.txt")[0] == "transcript"
    passages = parse_document(text, Document(id="c", title="C", kind="transcript", date=None, path="call.txt")).passages
    assert [(p.speaker, p.time_start, p.text) for p in passages] == [
        (name, 10.0 + 7 * k, words) for k, (name, words) in enumerate(turns)]


@pytest.mark.parametrize("layout", [
    "**{name}** {time}\n{words}",  # a Markdown export: the name in bold, the time after it
    "**{name}** [{time}]\n{words}",
    "{name} ({time})\n{words}",  # one space before a time in brackets
    "**[{time}] {name}:** {words}",  # the time inside the bold
    "{name} - {time}\n{words}",  # a dash between the name and its time
    "[{time}] {name}\n{words}",  # the time first, the name after it, the words below
    "{name}\n{time}\n{words}",  # the name, then its time on a line of its own
])
def test_markdown_and_bracketed_time_layouts_of_transcription_tools(layout):
    turns = [("Maria Lopez", "Good evening and welcome to the board."), ("John Smith", "We have forty vacancies."),
             ("Maria Lopez", "Please go on with the budget."), ("John Smith", "The budget is short this year.")]
    text = "\n\n".join(layout.format(name=name, time=f"00:00:{10 + 7 * k:02d}", words=words)
                       for k, (name, words) in enumerate(turns))
    assert detect_kind(text, "call.md")[0] == "transcript"
    passages = parse_document(text, Document(id="c", title="C", kind="transcript", date=None, path="call.md")).passages
    assert [(p.speaker, p.time_start, p.text) for p in passages] == [
        (name, 10.0 + 7 * k, words) for k, (name, words) in enumerate(turns)]



@pytest.mark.parametrize("chat", [
    # as Zoom saves a meeting's chat: the sender and time, the message on the line below
    "18:02:11 From Maria Lopez to Everyone:\n\tIs the budget paper attached?\n"
    "18:02:45 From John Smith to Everyone:\n\tYes, it is item 4.\n"
    "18:03:10 From Maria Lopez to Everyone:\n\tHow many vacancies are there?\n\tAnd agency staff?\n"
    "18:04:01 From John Smith to Maria Lopez(Direct Message):\n\tForty at the last count.\n",
    # the older layout, one message a line
    "18:02:11\t From  Maria Lopez : Is the budget paper attached?\n18:02:45\t From  John Smith : Yes, it is item 4.\n"
    "18:03:10\t From  Maria Lopez : How many vacancies are there? And agency staff?\n"
    "18:04:01\t From  John Smith : Forty at the last count.\n",
])
def test_a_meeting_chat_is_each_senders_messages_with_their_times(chat):
    assert detect_kind(chat, "meeting_saved_chat.txt")[0] == "transcript"
    passages = parse_document(chat, Document(id="z", title="Z", kind="transcript", date=None,
                                             path="meeting_saved_chat.txt")).passages
    assert [(p.speaker, p.time_start) for p in passages] == [
        ("Maria Lopez", 64931.0), ("John Smith", 64965.0), ("Maria Lopez", 64990.0), ("John Smith", 65041.0)]
    assert passages[2].text == "How many vacancies are there? And agency staff?"


def test_a_transcript_copied_with_each_time_opening_its_line_is_read_as_captions_but_an_agenda_is_not():
    lines = [f"{i * 5 // 60}:{i * 5 % 60:02d} " + ("the housing association reported forty empty flats" if i == 40
                                                   else "and the board moved on to the next item on the agenda")
             for i in range(60)]
    text = "\n".join(lines)
    assert detect_kind(text, "video.txt")[0] == "transcript"
    passages = parse_document(text, Document(id="v", title="V", kind="plain", date=None, path="video.txt")).passages
    hit = next(p for p in passages if "empty flats" in p.text)
    assert hit.time_start <= 200 <= hit.time_end and not any(":" in p.text for p in passages)
    agenda = "Regular Meeting Agenda\n7:00 Call to order\n7:05 Approval of the minutes\n7:10 Public comment\n" \
             "7:30 Budget report\n8:00 Adjournment\nThe budget papers are attached.\nMembers are asked to read them."
    assert detect_kind(agenda, "agenda.txt")[0] != "transcript"
