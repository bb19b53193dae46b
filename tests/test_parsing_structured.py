"""WebVTT, JSON and JSON Lines transcripts."""

from __future__ import annotations

from pathlib import Path

from transcript_qa.model import Document
from transcript_qa.parsing import parse_document
from transcript_qa.parsing.structured import parse_timestamp

MIXED = Path(__file__).parent / "fixtures" / "corpora" / "mixed"


def parse(name: str, text: str | None = None):
    text = text if text is not None else (MIXED / name).read_text(encoding="utf-8")
    doc = Document(id="s", title="S", kind="transcript", date=None, path=name)
    return text, parse_document(text, doc)


def test_vtt_voice_tags_cue_timings_and_merged_cues():
    text, result = parse("zoom-call.vtt")
    ps = result.passages
    assert [(p.speaker, p.role, p.organisation) for p in ps] == [
        ("Jane Doe", "Chair", None),
        ("Priya Patel", "Head of Policy", "Shelter Trust"),
        ("Amir Khan", None, None),  # no voice tag: "Name: text" in the cue
    ]
    assert ps[0].text == "Good afternoon, everyone. Let us start with deposits."
    assert (ps[0].time_start, ps[0].time_end) == (1.0, 7.5)
    assert ps[1].text == "Deposits are the & biggest barrier."  # entities decoded, tags removed
    assert text[ps[0].start : ps[0].end].startswith("1\n00:00:01.000")
    assert text[ps[2].start : ps[2].end].endswith("We are costing a scheme.")


def test_vtt_cue_without_speaker_continues_previous_speaker():
    vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann Lee>Hello\n\n00:02.000 --> 00:03.000\nand welcome.\n"
    _, result = parse("x.vtt", vtt)
    assert [(p.speaker, p.text) for p in result.passages] == [("Ann Lee", "Hello and welcome.")]


def test_jsonl_one_passage_per_turn_positions_kept_bad_lines_reported():
    text, result = parse("turns.jsonl")
    ps = result.passages
    assert [p.id for p in ps] == ["s:0", "s:1", "s:4"]
    assert (ps[1].role, ps[1].organisation) == ("Director of Housing", "Example Council")
    assert (ps[1].time_start, ps[1].time_end) == (4.0, 7.0)
    assert ps[0].speaker == "Jane Doe" and ps[0].role == "Chair"
    assert text[ps[2].start : ps[2].end] == '{"speaker": "Priya Patel", "text": "We would welcome a scheme."}'
    assert dict(result.skipped) == {4: "turn 2 has empty text", 5: "not valid JSON (Expecting value)"}
    assert len(result.warnings) == 2 and all(w.startswith("turns.jsonl:") for w in result.warnings)


def test_json_array_and_wrapped_object():
    text, result = parse("turns-array.json")
    ps = result.passages
    assert [(p.speaker, p.organisation) for p in ps] == [("Jane Doe", None), ("Priya Patel", "Shelter Trust")]
    assert text[ps[1].start : ps[1].end].startswith('{"speaker": "Dr Priya Patel"')
    wrapped = '{"meeting": "x", "turns": [{"speaker": "A B", "text": "one"}, {"speaker": "C D", "text": "two"}]}'
    _, result = parse("w.json", wrapped)
    assert [(p.speaker, p.text) for p in result.passages] == [("A B", "one"), ("C D", "two")]
    assert wrapped[result.passages[1].start : result.passages[1].end] == '{"speaker": "C D", "text": "two"}'


def test_malformed_json_is_reported_not_raised():
    _, result = parse("bad.json", '[{"speaker": "A", "text": "x"},,]')
    assert result.passages == ()
    assert result.skipped and result.skipped[0][0] == 1


def test_parse_timestamp():
    assert parse_timestamp("01:02:03.500") == 3723.5
    assert parse_timestamp("02:03,25") == 123.25
    assert parse_timestamp(12) == 12.0
    assert parse_timestamp("soon") is None and parse_timestamp(None) is None and parse_timestamp(-1) is None
