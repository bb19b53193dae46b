"""Exports from tools met on real files: a speech-to-text service's JSON (times in
milliseconds, voices named "A", "B"), and a saved parliamentary web page (navigation
links, column markers). What a user would notice: the times `show` prints, who the
speakers list says spoke, the document's title and sections."""

from __future__ import annotations

import json

import pytest

from transcript_qa.corpus import load_corpus
from transcript_qa.speakers import SpeakerRegistry

# AssemblyAI transcript response (ChrisB49/steel-hawk, stores/test_data_2.ts, commit 48bd2ca):
# its first four utterances, other fields left out.
ASSEMBLYAI = {
    "speaker_labels": True,
    "utterances": [
        {"text": "Perfect.", "start": 490, "end": 750, "confidence": 0.99, "speaker": "A", "channel": None},
        {"text": "And I'll just start with affirming the witness. Can I please get you to state your full "
                 "legal name, including any middle name?", "start": 820, "end": 5662, "speaker": "B"},
        {"text": "It's Julius Schellenberg.", "start": 5796, "end": 7482, "speaker": "C"},
        {"text": "No middle name?", "start": 7626, "end": 8382, "speaker": "B"},
    ],
}


def _write(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")


# --- times in milliseconds ------------------------------------------------------------------


def test_assemblyai_milliseconds_are_read_as_milliseconds(tmp_path):
    _write(tmp_path / "deposition.json", ASSEMBLYAI)
    passages = load_corpus(tmp_path).passages
    assert [(p.speaker, p.time_start, p.time_end) for p in passages] == [
        ("A", 0.49, 0.75), ("B", 0.82, 5.662), ("C", 5.796, 7.482), ("B", 7.626, 8.382)]


def test_json_lines_in_milliseconds_too(tmp_path):
    lines = [json.dumps({k: u[k] for k in ("speaker", "text", "start", "end")}) for u in ASSEMBLYAI["utterances"]]
    (tmp_path / "deposition.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [p.time_start for p in load_corpus(tmp_path).passages] == [0.49, 0.82, 5.796, 7.626]


@pytest.mark.parametrize("start_key,end_key", [("start_ms", "end_ms"), ("startMs", "endMs"), ("offset_ms", "end_ms")])
def test_a_key_that_says_milliseconds(tmp_path, start_key, end_key):
    # one short turn: no median to go by, the key says the unit
    _write(tmp_path / "call.json", [{"speaker": "Jane Smith", "text": "Hello.", start_key: 1500, end_key: 2250}])
    (p,) = load_corpus(tmp_path).passages
    assert (p.time_start, p.time_end) == (1.5, 2.25)


def test_a_duration_in_milliseconds_gives_the_end(tmp_path):
    _write(tmp_path / "call.json", [{"speaker": "A", "text": "Hello.", "offsetMs": 2000, "durationMs": 1500}])
    (p,) = load_corpus(tmp_path).passages
    assert (p.time_start, p.time_end) == (2.0, 3.5)


def test_seconds_stay_seconds(tmp_path):
    # Whisper's segments (openai/whisper transcribe() output shape) and Deepgram's utterances: float seconds
    _write(tmp_path / "whisper.json", {"text": " Good morning. Thank you.", "segments": [
        {"id": 0, "seek": 0, "start": 0.0, "end": 4.2, "text": " Good morning.", "speaker": "SPEAKER_00"},
        {"id": 1, "seek": 0, "start": 4.2, "end": 130.0, "text": " Thank you.", "speaker": "SPEAKER_01"}]})
    _write(tmp_path / "deepgram.json", {"utterances": [
        {"start": 0.08, "end": 2.5, "transcript": "x", "text": "Hello there.", "speaker": 0},
        {"start": 2.6, "end": 7.0, "text": "Hi.", "speaker": 1}]})
    # whole seconds of short turns stay seconds too
    _write(tmp_path / "whole.json", [{"speaker": "Jane Smith", "text": "Yes.", "start": 3, "end": 9},
                                     {"speaker": "John Brown", "text": "No.", "start": 9, "end": 20}])
    times = {(p.document, p.time_start, p.time_end) for p in load_corpus(tmp_path).passages}
    assert times == {("whisper", 0.0, 4.2), ("whisper", 4.2, 130.0), ("deepgram", 0.08, 2.5),
                     ("deepgram", 2.6, 7.0), ("whole", 3.0, 9.0), ("whole", 9.0, 20.0)}


# --- diarisation placeholders ---------------------------------------------------------------


def test_placeholders_are_people_of_their_own_recording(tmp_path):
    _write(tmp_path / "deposition.json", ASSEMBLYAI)
    # a second recording from the same service, its voices named the same way
    _write(tmp_path / "call.json", {"utterances": [
        {"text": "Thanks for calling.", "start": 100, "end": 1900, "speaker": "A"},
        {"text": "I have a question about my bill.", "start": 2000, "end": 4500, "speaker": "B"}]})
    corpus = load_corpus(tmp_path)
    speakers = {s.name: s.documents for s in corpus.speakers()}
    assert speakers == {
        "A (deposition)": ("deposition",), "B (deposition)": ("deposition",), "C": ("deposition",),
        "A (call)": ("call",), "B (call)": ("call",)}
    assert {p.speaker for p in corpus.passages if p.document == "call"} == {"A (call)", "B (call)"}


def test_one_recording_keeps_its_plain_placeholders(tmp_path):
    _write(tmp_path / "deposition.json", ASSEMBLYAI)
    assert {s.name for s in load_corpus(tmp_path).speakers()} == {"A", "B", "C"}


def test_a_named_person_is_still_joined_across_documents():
    registry = SpeakerRegistry()
    for doc in ("one", "two"):
        registry.add("Jane Smith", document=doc)
        registry.add("SPEAKER_00", document=doc)
        registry.add("Speaker 1", document=doc)
    assert registry.canonical("Jane Smith", "one") == registry.canonical("Jane Smith", "two") == "Jane Smith"
    assert registry.canonical("SPEAKER_00", "one") == "SPEAKER_00 (one)"
    assert registry.canonical("Speaker 1", "two") == "Speaker 1 (two)"


@pytest.mark.parametrize("name,expected", [
    ("A", True), ("SPEAKER_00", True), ("Speaker 1", True), ("spk_0", True), ("Speaker B", True),
    ("Jane Smith", False), ("The Chair", False), ("Mr Speaker", False), ("AB", False)])
def test_what_counts_as_a_placeholder(name, expected):
    from transcript_qa.speakers import is_placeholder

    assert is_placeholder(name) is expected


# --- web pages: navigation and column markers -----------------------------------------------

# House of Commons Hansard, 19 July 2011 (lizconlan/hansard-scraper, test/data/debates_and_oral_answers.html,
# commit 4e0d363): the page's start and first answers, cut short.
HANSARD = """<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">
  <body class="main">
  <div id="wrapper">
    <div id="content" class="wide">
      <div id="content-small">
        <div class="navLinks">
          <div class="navLeft">
            <a href="110719-0001.htm">Previous Section</a>
           </div>
           <div class="navCentre">
             <a href="../debindx/110719-x.htm">Index</a>
           </div>
           <div class="navRight">
             <a href="http://www.parliament.uk/business/publications/hansard/">Home Page</a>
           </div>
        </div>
        <a class="anchor-column" name="column_771"> </a>
        <p>
           <b>19 July 2011 : Column 771</b>
        </p>
        <h2 align="center">House of Commons</h2>
        <h4 align="center">
           <i>Tuesday 19 July 2011</i>
        </h4>
        <h3 align="center">Syria</h3>
        <p>
           <a class="anchor" name="st_o1"> </a>
           <b>Mr Hanson:</b>
I thank the Foreign Secretary for that answer. Given the recent violence, does he agree that the Syrian Government have lost legitimacy?</p>
        <p>
           <a class="anchor" name="st_o2"> </a>
           <b>Mr Hague:</b>
The right hon. Gentleman raises some important issues in relation to recent events in Syria.</p>
        <p>
           <a class="anchor" name="st_o3"> </a>
           <b>Mr Philip Hollobone (Kettering) (Con):</b>
Iran has been involved in training Syrian troops. What assessment has the Foreign Secretary made of the dark hand of Iran?</p>
        <p>
           <a class="anchor" name="st_o4"> </a>
           <b>Mr Hague:</b>
Iran has certainly been involved in the way that my hon. Friend describes. It shows the extraordinary hypocrisy of the Iranian leadership  <br/>

        </p>
        <a class="anchor-column" name="column_772"> </a>
        <p>
           <b>19 July 2011 : Column 772</b>
        </p>
        <p>on this that it has been prepared to encourage protests in Egypt, Tunisia and other countries.</p>
      </div>
    </div>
  </div>
  </body>
</html>
"""


def test_hansard_navigation_is_neither_title_nor_text(tmp_path):
    (tmp_path / "debates.html").write_text(HANSARD, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    (doc,) = corpus.documents
    assert "Previous Section" not in (doc.title or "")
    assert doc.title.startswith("House of Commons")
    everything = " ".join(p.text for p in corpus.passages) + " ".join(p.section or "" for p in corpus.passages)
    for nav in ("Previous Section", "Index", "Home Page", "Column 77"):
        assert nav not in everything
    turns = [p for p in corpus.passages if p.speaker]
    assert [p.speaker for p in turns] == ["Hanson", "Hague", "Philip Hollobone", "Hague"]
    assert all(p.section == "Syria" for p in turns)
    assert "hypocrisy" in turns[-1].text


PAGE = """<!DOCTYPE html><html><head><title>Hearing</title></head><body>
<header><a class="skip-link" href="#main">Skip to content</a><h1>Housing Committee, 4 March 2024</h1>
<nav><ul><li><a href="/">Home</a></li><li><a href="/committees">Committees</a></li></ul></nav></header>
<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/c">Committees</a></li></ol>
<main>
<p><a href="/a">Agendas</a> | <a href="/m">Minutes</a> | <a href="/v">Videos</a></p>
<p><strong>Councillor Amy Patel (Chair):</strong> Welcome. The <a href="/r">report on temporary accommodation</a> is
before us.</p>
<p><strong>Dr Ben Jones (Director of Housing):</strong> Thank you, Chair. We have 1,200 households in it.</p>
<p><strong>Councillor Amy Patel:</strong> What does it cost?</p>
</main>
<footer><p>Copyright Example Council</p></footer>
</body></html>"""


def test_navigation_elements_are_left_out_and_links_in_sentences_kept(tmp_path):
    (tmp_path / "hearing.html").write_text(PAGE, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    text = "\n".join(p.text for p in corpus.passages)
    assert corpus.documents[0].title.startswith("Housing Committee")
    for nav in ("Skip to content", "Committees", "Agendas", "Videos", "Copyright"):
        assert nav not in text
    turn = next(p for p in corpus.passages if p.speaker)
    assert turn.text == "Welcome. The report on temporary accommodation is before us."


def test_a_scrapers_json_with_its_own_keys_is_read_with_its_sections(tmp_path):
    # a civic-tech scraper's council meeting (City of Winnipeg, 15 July 2015): the turns under "hansard",
    # the words under "spoken", headings as entries of type "section"; it was refused ("no loadable document")
    import json

    from transcript_qa import load_corpus

    (tmp_path / "council.json").write_text(json.dumps({
        "meta": {"date": "2015-07-15", "time": "09:53"},
        "hansard": [
            {"name": "INTRODUCTION AND WELCOME OF GUESTS AND ANNOUNCEMENTS", "type": "section"},
            {"name": "Madam Speaker", "spoken": "Mr. Mayor, I understand you have several announcements.",
             "type": "speaker"},
            {"name": "Mayor Bowman", "spoken": "Thank you Madam Speaker, and welcome to everyone.", "type": "speaker"},
            {"name": "REPORTS", "type": "section"},
            {"name": "Councillor Allard", "spoken": "I move the report be adopted.", "type": "speaker"},
        ]}), encoding="utf-8")
    turns = [(p.speaker, p.section) for p in load_corpus(tmp_path).passages]
    assert turns == [("Madam Speaker", "INTRODUCTION AND WELCOME OF GUESTS AND ANNOUNCEMENTS"),
                     ("Bowman", "INTRODUCTION AND WELCOME OF GUESTS AND ANNOUNCEMENTS"), ("Allard", "REPORTS")]
