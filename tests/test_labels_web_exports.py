"""Speaker labels as web pages and meeting tools print them: the UK Commons' numbered oral
questions ("3. Name (Seat) (Party): ..."), a seat whose name holds a comma, and the Word
exports of meeting tools that print each turn as "@0:25 - Name (e-mail)" above its words.
The texts are cut from real files (the source is noted by each)."""

from __future__ import annotations

from transcript_qa.corpus import load_corpus
from transcript_qa.labels import parse_speaker_label
from transcript_qa.model import Document
from transcript_qa.parsing import parse_document

from test_docx_files import docx, paragraph


def passages(text: str, kind: str = "transcript"):
    doc = Document(id="t", title="T", kind=kind, date=None, path="t.txt")
    return parse_document(text, doc).passages


# --- numbered oral questions ----------------------------------------------------------

# House of Commons Hansard, 19 July 2011, Oral Answers (Foreign and Commonwealth Office), as
# its web page prints it (lizconlan/hansard-scraper, test/data/debates_and_oral_answers.html)
ORAL_ANSWERS = """<html><body>
<h3 align="center">Syria</h3>
<p><a class="anchor" name="qn_o0"> </a>1. <a class="anchor" name="11071988000796"> </a>
   <b>Mr David Hanson (Delyn) (Lab):</b>
When he next expects to discuss the situation in Syria with his US counterpart. [66855]</p>
<p><a class="anchor" name="st_o1"> </a>
   <b>The Secretary of State for Foreign and Commonwealth Affairs (Mr William Hague):</b>
I am in regular contact with Secretary Clinton and I last discussed Syria with her on Friday.</p>
<p><a class="anchor" name="st_o6"> </a>
   <b>Mr Hague:</b>
I think the world has been not so much slow as not sufficiently united on this.</p>
<h3 align="center">Nuclear Non-proliferation and Disarmament</h3>
<p><a class="anchor" name="qn_o1"> </a>
   <a class="anchor" name="11071988000043"> </a>3. <a class="anchor" name="11071988000801"> </a>
   <b>Paul Flynn (Newport West) (Lab):</b>
What recent progress his Department has made on nuclear non-proliferation and disarmament. [66858]</p>
<p><b>The Parliamentary Under-Secretary of State for Foreign and Commonwealth Affairs (Alistair Burt):</b>
We continue to work across all three pillars of the non-proliferation treaty.</p>
</body></html>
"""


def test_a_numbered_oral_question_is_the_members_turn_not_the_previous_speakers(tmp_path):
    (tmp_path / "oral.html").write_text(ORAL_ANSWERS, encoding="utf-8")
    ps = load_corpus(tmp_path).passages
    flynn = [p for p in ps if "[66858]" in p.text]
    assert len(flynn) == 1
    q = flynn[0]
    assert (q.speaker, q.constituency, q.party) == ("Paul Flynn", "Newport West", "Lab")
    assert q.boilerplate is None and q.text.startswith("What recent progress")
    assert q.section == "Nuclear Non-proliferation and Disarmament"
    hague = [p for p in ps if p.speaker == "William Hague"]
    assert all("66858" not in p.text and "Non-proliferation" not in p.text for p in hague)


def test_the_first_numbered_question_is_a_turn_not_title_lines():
    # the same record as plain text: "1. Mr David Hanson (Delyn) (Lab): ..." was a metadata passage
    text = (
        "Oral Answers to Questions\n\n"
        "1. Mr David Hanson (Delyn) (Lab): When he next expects to discuss the situation in Syria with his US "
        "counterpart. [66855]\n\n"
        "The Secretary of State for Foreign and Commonwealth Affairs (Mr William Hague): I am in regular contact "
        "with Secretary Clinton.\n\n"
        "3) Paul Flynn (Newport West) (Lab): What recent progress his Department has made. [66858]\n"
    )
    ps = passages(text)
    asked = {p.speaker: p for p in ps if p.speaker}
    assert asked["David Hanson"].text.startswith("When he next expects")
    assert asked["David Hanson"].boilerplate is None
    assert (asked["David Hanson"].constituency, asked["David Hanson"].party) == ("Delyn", "Lab")
    assert asked["Paul Flynn"].text.startswith("What recent progress")


def test_numbered_paragraphs_and_agenda_items_stay_what_they_are():
    # guard. HC 179 (Environmental Audit Committee, 2016), a numbered report paragraph; numbered
    # items of council minutes, a name in capitals or an office's report before a colon
    text = (
        "Mr David Hanson (Delyn) (Lab): When he next expects to discuss the situation?\n\n"
        "23. Microplastics are present in the marine environment: they have been found in the guts of "
        "fish and shellfish.\n\n"
        "2. PLANNING APPLICATIONS: none were received.\n\n"
        "4. Chief Executive's Report: the report was noted.\n"
    )
    ps = passages(text)
    assert {p.speaker for p in ps if p.speaker} == {"David Hanson"}
    assert any("23. Microplastics are present in the marine environment: they" in p.text for p in ps)
    assert any("PLANNING APPLICATIONS: none were received." in p.text for p in ps)


# --- a constituency with a comma ------------------------------------------------------


def test_a_seat_named_with_a_comma_before_the_party_is_the_constituency():
    # House of Commons Hansard, 19 July 2011 (debates_and_oral_answers.html)
    sp = parse_speaker_label("Stephen Twigg (Liverpool, West Derby) (Lab/Co-op)")
    assert (sp.name, sp.constituency, sp.party, sp.role, sp.organisation) == (
        "Stephen Twigg", "Liverpool, West Derby", "Lab/Co-op", None, None)


def test_a_role_and_a_body_with_a_comma_stay_a_role_and_a_body():
    # guard: London Assembly Police and Crime Committee, 20 July 2022; a body after a role
    sp = parse_speaker_label("Kilvinder Vigurs (Regional Director for London, HMPPS)")
    assert (sp.role, sp.organisation, sp.constituency) == ("Regional Director for London", "HMPPS", None)
    sp = parse_speaker_label("Jane Doe (Chief Executive, Acme Housing) (Lab)")
    assert (sp.role, sp.organisation, sp.constituency, sp.party) == ("Chief Executive", "Acme Housing", None, "Lab")


# --- meeting tools' Word exports ---------------------------------------------------------


# A Google Meet transcript as a meeting tool exports it to Word (Dev-Awuor/tomag-toolkit,
# meeting_transcript.docx, MIT): "@m:ss - Name" lines, the e-mail after some names
MEET = [
    "Impromptu Google Meet Meeting - May 29",
    "VIEW RECORDING - 118 mins (3 mins of highlights)",
    "@0:00 - Tom Gituma",
    "and also of the pricing, we are we cannot even compare it to the pricing with some of these people.",
    "So, we focus on specific sector. Yes. So, you'll find out in the manufacturing. Yes.",
    "@0:25 - Lloyd Ian (lloydian.hg@gmail.com)",
    "Find out in shipping. Yes. Now, this is the actual welding.",
    "@0:31 - Tom Gituma",
    "I'm just trying to give you an idea so that as you as you engine in the website, in terms of manufacturing.",
    "@0:49 - Lloyd Ian (lloydian.hg@gmail.com)",
    "Okay? Yeah.",
]


def test_a_meeting_tools_word_export_gives_turns_at_their_times(tmp_path):
    (tmp_path / "meet.docx").write_bytes(docx([paragraph((line, False)) for line in MEET]))
    corpus = load_corpus(tmp_path)
    turns = [(p.speaker, p.time_start) for p in corpus.passages if p.speaker]
    assert turns == [("Tom Gituma", 0.0), ("Lloyd Ian", 25.0), ("Tom Gituma", 31.0), ("Lloyd Ian", 49.0)]
    lloyd = next(p for p in corpus.passages if p.speaker == "Lloyd Ian")
    assert lloyd.text == "Find out in shipping. Yes. Now, this is the actual welding."
    assert not any("@" in p.text for p in corpus.passages)  # the e-mail is no one's words
    assert not any(p.boilerplate == "contact" for p in corpus.passages)


def test_a_timed_line_of_an_agenda_is_not_a_turn():
    # guard: a time, a dash and a title without the "@" of a meeting tool's export
    ps = passages("Programme\n\n10:30 - Opening Remarks\n\n11:00 - Panel Discussion\n", kind="plain")
    assert not any(p.speaker for p in ps)
