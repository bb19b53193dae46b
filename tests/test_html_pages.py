"""HTML pages (a committee's web transcript, a council's minutes page) are read,
not skipped: rendered as paragraphs, parsed by their kind, and their passages
point back into the page."""

from __future__ import annotations

import re

from transcript_qa.corpus import load_corpus
from transcript_qa.parsing.html_text import html_to_text

PAGE = """<!DOCTYPE html>
<html><head><title>Oral evidence</title><style>p { color: red }</style>
<script>var label = "Chair: not a turn";</script></head>
<body>
<h1>Housing Committee &ndash; 4 March 2024</h1>
<p><strong>Councillor Amy Patel (Chair):</strong> Welcome. Our first item is temporary accommodation.</p>
<p><strong>Dr Ben Jones (Director of Housing, Example Council):</strong> Thank you, Chair. We have 1,200
   households in temporary   accommodation &amp; the number is rising.</p>
<p>That is 15% more than last year.</p>
<p><b>Councillor Amy Patel:</b> What does it cost?</p>
<p><b>Dr Ben Jones:</b> About &pound;3 million a year.<br>Most of it on hotels.</p>
</body></html>
"""


def test_a_web_transcript_gives_turns_with_speakers_roles_and_organisations(tmp_path):
    (tmp_path / "hearing.html").write_text(PAGE, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert not corpus.skipped
    turns = [p for p in corpus.passages if p.speaker]
    assert [(t.speaker, t.role, t.organisation) for t in turns] == [
        ("Amy Patel", "Chair", None),
        ("Ben Jones", "Director of Housing", "Example Council"),
        ("Amy Patel", "Chair", None),
        ("Ben Jones", "Director of Housing", "Example Council"),
    ]
    assert turns[1].text == ("Thank you, Chair. We have 1,200 households in temporary accommodation & the number "
                             "is rising.\n\nThat is 15% more than last year.")
    assert turns[3].text == "About £3 million a year. Most of it on hotels."  # a line break within a paragraph
    assert not any("not a turn" in p.text or "color" in p.text for p in corpus.passages)


def test_passages_point_into_the_page(tmp_path):
    (tmp_path / "hearing.html").write_text(PAGE, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    for p in corpus.passages:
        shown = re.sub(r"<[^>]+>", " ", PAGE[p.start:p.end])
        assert p.text.split()[0].strip("*") in shown, (p.text, PAGE[p.start:p.end])


def test_rendering_collapses_whitespace_and_keeps_a_bold_label_cue():
    text, _ = html_to_text("<div><b>Mr X:</b>   Reply  <i>now</i>,\n please</div><p>Next</p><table><tr><td>A</td>"
                           "<td>B</td></tr></table>")
    assert text == "**Mr X:** Reply now, please\n\nNext\n\nA B"


def test_a_broken_page_gives_what_text_it_has():
    text, offsets = html_to_text("<p>Unclosed <b>bold <div>and <table><td>cell</p></span>&#xZZ; end")
    assert "Unclosed" in text and "cell" in text and "end" in text
    assert offsets.page_offset(len(text)) <= len("<p>Unclosed <b>bold <div>and <table><td>cell</p></span>&#xZZ; end")


COMMITTEE_PAGE = """<html><body>
<h2>Oral evidence: Work of the Department, HC 123</h2>
<p>Members present: Sir Bernard Jenkin (Chair); Ms Harriett Baldwin; Mr David Jones.</p>
<p><strong>Q1</strong> <strong>Chair:</strong> Good morning and welcome to this session.</p>
<p><strong>Sir Alex Chisholm:</strong> Thank you, Chair.</p>
<p><strong>Q2</strong> <strong>Ms Baldwin:</strong> How many vacancies does the department have?</p>
<p><strong>Sir Alex Chisholm:</strong> We have around 400 vacancies.</p>
<p><b>Q3 Chair:</b> What about consultants?</p>
</body></html>
"""


def test_a_committee_web_page_with_bold_question_numbers(tmp_path):
    """Select committees' pages print "<strong>Q1</strong> <strong>Chair:</strong>" or
    "<b>Q3 Chair:</b>": each is a turn of the member the attendance list names."""
    (tmp_path / "evidence.html").write_text(COMMITTEE_PAGE, encoding="utf-8")
    turns = [(p.speaker, p.text) for p in load_corpus(tmp_path).passages if p.speaker]
    assert turns == [("Bernard Jenkin", "Good morning and welcome to this session."),
                     ("Alex Chisholm", "Thank you, Chair."),
                     ("Harriett Baldwin", "How many vacancies does the department have?"),
                     ("Alex Chisholm", "We have around 400 vacancies."),
                     ("Bernard Jenkin", "What about consultants?")]
