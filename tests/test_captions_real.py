"""Captions as real services write them: CART ``>>`` speaker changes (bare, named, on any
line of a cue), long runs of one speaker, YouTube's rolling automatic captions, an empty
first cue. Each test checks what a reader of the passages would notice: the turns, their
times, and every spoken word once (word multisets against the cues' words)."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest

from transcript_qa.model import Document
from transcript_qa.parsing import parse_document

# Oakland City Council special meeting, Granicus/CART closed captions, the first 12 cues as
# published in CouncilDataProject/cdp-backend (cdp_backend/tests/resources/oakland_captions.vtt,
# commit 3ea0f59, MIT licence). Speaker changes are a bare ">>"; the first cue is empty.
OAKLAND = """WEBVTT

00:00:00.000 --> 00:00:00.000


00:02:28.168 --> 00:02:31.360
successor agency/city council.
>> good morning, welcome to

00:02:33.272 --> 00:02:35.440
to special concurrent of the
oakland redevelopment

00:02:36.276 --> 00:02:38.911
successor agency of tuesday
AUGUST 9, we will begin with

00:02:39.790 --> 00:02:41.414
a roll call, councilmember
fife?
>> present.

00:02:41.414 --> 00:02:44.250
>> councilmember gallo?
>> present.

00:02:47.487 --> 00:02:49.487
>> councilmember kalb?

00:02:54.927 --> 00:02:57.497
Councilmember kalb?
"""


def read(text: str, path: str):
    return parse_document(text, Document(id="m", title="M", kind="transcript", date=None, path=path)).passages


def words(text: str) -> Counter:
    return Counter(re.findall(r"[a-z0-9']+", text.lower()))


def spoken(captions: str) -> Counter:
    """The words of the cues: no timing lines, cue numbers, markup or '>>'."""
    out: Counter = Counter()
    for line in captions.splitlines():
        if "-->" in line or line.strip().isdigit() or line.startswith("WEBVTT"):
            continue
        out += words(html.unescape(re.sub(r"<[^>]*>", "", line)))
    return out


def as_srt(vtt: str) -> str:
    blocks = [b for b in vtt.split("\n\n") if "-->" in b]
    return "\n\n".join(f"{k}\n" + re.sub(r"(\d\d)\.(\d\d\d)", r"\1,\2", b.strip("\n"))
                       for k, b in enumerate(blocks, 1)) + "\n"


@pytest.mark.parametrize("fmt", ["vtt", "srt"])
def test_each_bare_chevron_starts_a_turn_on_any_line_of_a_cue(fmt):
    text = OAKLAND if fmt == "vtt" else as_srt(OAKLAND)
    ps = read(text, f"oakland.{fmt}")
    assert [p.text for p in ps] == [
        "successor agency/city council.",
        "good morning, welcome to to special concurrent of the oakland redevelopment successor agency of "
        "tuesday AUGUST 9, we will begin with a roll call, councilmember fife?",
        "present.",
        "councilmember gallo?",
        "present.",
        "councilmember kalb? Councilmember kalb?",
    ]
    assert not any(">" in p.text for p in ps) and all(p.speaker is None for p in ps)
    assert sum((words(p.text) for p in ps), Counter()) == spoken(OAKLAND)
    # each turn within the cues that hold it; "present." inside its cue of 159.79-161.414
    assert [(p.time_start, p.time_end) for p in ps[2:5]] == [(159.79, 161.414), (161.414, 164.25), (161.414, 164.25)]
    assert ps[1].time_start == 148.168 and ps[1].time_end == 161.414


def test_an_empty_first_cue_times_nothing():
    ps = read(OAKLAND, "oakland.vtt")
    assert ps[0].time_start == 148.168  # the first words, not the empty cue's 0.0
    assert OAKLAND[ps[0].start:].startswith("00:02:28.168")


NAMED = """00:02:41.414 --> 00:02:44.250
>> CLERK: councilmember gallo?
>> COUNCILMEMBER GALLO: present.

00:13:49.385 --> 00:13:51.860
>> COUNCILMEMBER GALLO: I make a motion to approve
the consent calendar.

00:13:51.386 --> 00:13:53.422
>> PRESIDENT BAS: thank you, councilmember kalb?
"""


@pytest.mark.parametrize("fmt", ["vtt", "srt"])
def test_a_named_chevron_on_the_second_line_of_a_cue_is_that_speakers_turn(fmt):
    text = "WEBVTT\n\n" + NAMED if fmt == "vtt" else as_srt(NAMED)
    ps = read(text, f"council.{fmt}")
    assert [(p.speaker, p.text) for p in ps] == [
        ("Clerk", "councilmember gallo?"), ("Gallo", "present."),
        ("Gallo", "I make a motion to approve the consent calendar."), ("Bas", "thank you, councilmember kalb?")]
    assert [(p.time_start, p.time_end) for p in ps[:2]] == [(161.414, 164.25)] * 2
    assert text[ps[1].start:].startswith(">> COUNCILMEMBER GALLO: present.")


def _one_speaker(n: int, gap_after: int | None = None) -> str:
    """``n`` cues of one speaker (Zoom's 'Name: text'), 25 words each, a sentence ending
    every third cue; a seven-minute break after cue ``gap_after``."""
    out, t = ["WEBVTT", ""], 10.0
    for i in range(n):
        line = f"point {i} of the budget is that the council should fund the service for the year and then we"
        line += " review it." if i % 3 == 2 else " go on"
        out += [str(i + 1), f"00:{int(t) // 60:02d}:{t % 60:06.3f} --> 00:{int(t + 8) // 60:02d}:{(t + 8) % 60:06.3f}",
                f"Paul McCartney: {line}", ""]
        t += 8.5 + (420 if i == gap_after else 0)
    return "\n".join(out)


def test_a_long_run_of_one_speaker_is_several_passages_with_their_own_times():
    text = _one_speaker(240)  # 6,000 words: the real Zoom record had 6,778 in one passage
    ps = read(text, "zoom.vtt")
    assert len(ps) >= 10 and {p.speaker for p in ps} == {"Paul McCartney"}
    assert all(len(p.text.split()) <= 600 for p in ps)
    assert all(p.text.endswith("review it.") for p in ps[:-1])  # cut where a sentence ends
    assert [p.time_start for p in ps] == sorted(p.time_start for p in ps)
    assert all(b.time_start > a.time_end for a, b in zip(ps, ps[1:]))
    assert sum((words(p.text) for p in ps), Counter()) == spoken(text) - Counter({"paul": 240, "mccartney": 240})


# Zoom cloud-recording transcript, cues 37-42 (andrewpknight/zoomGroupStats,
# inst/extdata/meeting003_transcript.vtt, commit 39e687f, MIT licence): the host stops
# talking for seven minutes while people join.
ZOOM_BREAK = """WEBVTT

37
00:02:46.500 --> 00:02:47.640
Andrew Knight: So were you the 917

38
00:02:48.000 --> 00:02:49.320
Yes. Okay.

39
00:02:50.670 --> 00:02:52.260
Andrew Knight: Alright, so I'm gonna let people in

40
00:10:15.210 --> 00:10:25.080
Andrew Knight: Hello everyone. Welcome, welcome to our program this afternoon or this evening or this morning, depending on where you're joining us from

41
00:10:25.830 --> 00:10:36.450
Andrew Knight: You are more than welcome. Of course to unmute your video if you want to join the session and have a presence here with us if that's possible. It's always a wonderful way to build the community.
"""


def test_a_long_silence_ends_a_passage_and_the_speaker_goes_on():
    ps = read(ZOOM_BREAK, "zoom.vtt")
    assert [(p.speaker, p.time_start, p.time_end) for p in ps] == [
        ("Andrew Knight", 166.5, 172.26), ("Andrew Knight", 615.21, 636.45)]


# YouTube's automatic captions as yt-dlp saves them (the layout; words written for the test):
# each cue shows the line before it again above its new words, a 10 ms cue holds only the
# line just shown, words carry their times, a speaker change is an escaped ">>".
YOUTUBE = """WEBVTT
Kind: captions
Language: en

00:00:00.160 --> 00:00:02.869 align:start position:0%
 
good<00:00:00.480><c> morning</c><00:00:00.640><c> welcome</c><00:00:00.800><c> to</c>

00:00:02.869 --> 00:00:02.879 align:start position:0%
good morning welcome to
 

00:00:02.879 --> 00:00:05.000 align:start position:0%
good morning welcome to
the<00:00:03.200><c> special</c><00:00:03.600><c> meeting</c><00:00:04.000><c> of</c><00:00:04.300><c> council</c>

00:00:05.000 --> 00:00:05.010 align:start position:0%
the special meeting of council
 

00:00:05.010 --> 00:00:07.000 align:start position:0%
the special meeting of council
[Music]

00:00:07.000 --> 00:00:07.010 align:start position:0%
[Music]
 

00:00:07.010 --> 00:00:09.500 align:start position:0%
[Music]
thank<00:00:07.500><c> you</c><00:00:08.000><c> &gt;&gt;</c><00:00:08.200><c> we</c><00:00:08.600><c> will</c><00:00:09.000><c> begin</c>

00:00:09.500 --> 00:00:09.510 align:start position:0%
thank you &gt;&gt; we will begin
 

00:00:09.510 --> 00:00:12.000 align:start position:0%
thank you &gt;&gt; we will begin
with<00:00:10.000><c> roll</c><00:00:10.500><c> call</c>
"""


def test_youtube_rolling_captions_are_read_once_with_sounds_left_out():
    ps = read(YOUTUBE, "video.vtt")
    assert [p.text for p in ps] == ["good morning welcome to the special meeting of council thank you",
                                    "we will begin with roll call"]
    assert ps[1].time_start == 8.0 and ps[1].time_end == 12.0  # the ">>" came at 8.0 s
    said = "good morning welcome to the special meeting of council thank you we will begin with roll call"
    assert sum((words(p.text) for p in ps), Counter()) == words(said)


def test_a_cue_saying_what_the_one_before_said_is_not_a_rolling_repeat():
    vtt = "WEBVTT\n\n" + "".join(
        f"00:00:{2 * k:02d}.000 --> 00:00:{2 * k + 1:02d}.000\n{line}\n\n" for k, line in enumerate(
            ["Councilmember Fife?", "Aye.", "Aye.", "Councilmember Gallo?\nAye.", "Aye.\nThe motion passes."]))
    ps = read(vtt, "vote.vtt")
    assert sum((words(p.text) for p in ps), Counter()) == spoken(vtt)
