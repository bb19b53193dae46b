"""Shareable HTML reports (``ask``/``who``/``batch --format html``) and the
terminal's share bars.

A report is one valid HTML file (checked with html5lib's strict parser, which
raises on any parse error of the WHATWG HTML syntax), with inline CSS and an
inline SVG chart, no script and nothing fetched; every text from the corpus
is escaped."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from transcript_qa import cli, terminal
from transcript_qa.model import Answer, Filters, Hit, Passage, SpeakerAnswer
from transcript_qa.report_html import chart_svg, hit_html, marked, render_report

html5lib = pytest.importorskip("html5lib", reason="html5lib checks the reports (pip install '.[test]')")

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">&amp; "quoted"'


def passage(n: int, text: str = "Housing on release matters, said the director.", **kw: Any) -> Passage:
    values = dict(id=f"doc:{n}", document="doc", kind="transcript", title="A meeting", date="2022-07-20",
                  position=n, text=text, start=0, end=len(text), section="Item 5", speaker="Ann Example",
                  role="Director", organisation="Probation Service")
    values.update(kw)
    return Passage(**values)


def hit(n: int, rank: int, score: float = 0.5, **kw: Any) -> Hit:
    p = passage(n, **kw)
    return Hit(p, score, rank, snippet=p.text, highlights=((0, 7), (11, 18)))


def answer(**kw: Any) -> Answer:
    h1, h2 = hit(1, 1, 0.9), hit(2, 2, 0.4, speaker=None, role=None, organisation=None, kind="report")
    speakers = (SpeakerAnswer("Ann Example", 0.75, 1, "Director", "Probation Service", hits=(h1,)),
                SpeakerAnswer("Bo Other", 0.25, 2, hits=(h1,)))
    values = dict(question="who talked about housing", intent="who", hits=(h1, h2), speakers=speakers,
                  filters=Filters(kind="transcript"))
    values.update(kw)
    return Answer(**values)


def validate(document: str) -> None:
    """A strict HTML5 parse (any parse error raises), plus what a parser does not
    check: unique ids, and every in-page link pointing at one of them."""
    html5lib.HTMLParser(strict=True).parse(document)

    class Ids(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.ids: list[str] = []
            self.anchors: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            if values.get("id"):
                self.ids.append(values["id"] or "")
            if (values.get("href") or "").startswith("#"):
                self.anchors.append((values["href"] or "")[1:])

    ids = Ids()
    ids.feed(document)
    assert len(ids.ids) == len(set(ids.ids)), "duplicate ids"
    assert set(ids.anchors) <= set(ids.ids), set(ids.anchors) - set(ids.ids)


def self_contained(document: str) -> None:
    assert "<script" not in document.lower()
    assert not re.search(r'(?:src|href)="(?:https?:)?//', document)  # nothing fetched, nothing to follow out
    assert "<style>" in document and "<svg" in document
    assert "default-src 'none'" in document  # its own policy allows no script


# --------------------------------------------------------------------------- the report


def test_report_is_valid_self_contained_html_with_question_chart_and_passages():
    document = render_report([answer()], generated="2024-01-01 12:00")
    validate(document)
    self_contained(document)
    assert "<title>who talked about housing</title>" in document
    assert "Filters: kind = transcript" in document
    assert document.count('<g class="bar"') == 2
    assert document.count('<article class="hit"') == 2 + 2  # passages, and each speaker's best
    assert "<mark>Housing</mark>" in document and "<mark>release</mark>" in document
    assert "A meeting</span> · <time>2022-07-20</time> · section: Item 5" in document
    assert "<h2>Sources</h2>" in document


def test_chart_bars_are_the_speakers_shares():
    svg = chart_svg(answer().speakers)
    bars = re.findall(r'data-speaker="([^"]+)" data-score="([^"]+)" data-width="([^"]+)"', svg)
    assert bars == [("Ann Example", "0.750000", "420.0"), ("Bo Other", "0.250000", "140.0")]
    assert ">75%</text>" in svg and ">25%</text>" in svg


def test_a_chart_bar_links_to_that_speakers_entry_in_the_report():
    document = render_report([answer()])
    assert '<a href="#q1-speaker-1">' in document and 'id="q1-speaker-1"' in document
    validate(document)


def test_batch_report_has_a_contents_list_and_one_section_per_question():
    empty = Answer("nothing here", "passages", (), (), reason="none of the question's words occur in the index")
    document = render_report([answer(), answer(question="second", intent="passages", id="q2"), empty])
    validate(document)
    assert document.count('<section class="question"') == 3
    assert '<a href="#q2">second</a>' in document and "<h2>[q2] second</h2>" in document
    assert "No passages found: none of the question&#x27;s words occur in the index" in document


def test_who_report_lists_each_speaker_with_their_passages():
    document = render_report([answer(hits=())], who_only=True)
    validate(document)
    assert document.count('<div class="speaker-entry"') == 2 and "<h3>Passages</h3>" not in document


def test_text_from_the_corpus_is_escaped_everywhere():
    h = hit(1, 1, text="Budget " + EVIL, speaker=EVIL, role=EVIL, organisation=EVIL, title=EVIL, section=EVIL,
            document=EVIL, links=(EVIL,))
    bad = Answer(EVIL, "who", (h,), (SpeakerAnswer(EVIL, 1.0, 1, EVIL, EVIL, hits=(h,)),), id=EVIL,
                 filters=Filters(speaker=EVIL))
    document = render_report([bad], generated=EVIL)
    validate(document)
    assert "<script>alert" not in document and "<img src" not in document and '"quoted"' not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document


def test_marked_spans_are_merged_and_clipped_and_the_text_escaped():
    assert marked("a <b> c", [(2, 5), (4, 6), (50, 60)]) == "a <mark>&lt;b&gt; </mark>c"


# --------------------------------------------------------------------------- the factual answer (issue 9), stubbed


@dataclasses.dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int
    type: str


@dataclasses.dataclass(frozen=True)
class HitWithAnswer(Hit):
    answer: Any = None


@dataclasses.dataclass(frozen=True)
class AnswerWithAnswer(Answer):
    answer: Any = None


def test_answer_spans_are_shown_when_there_are_some():
    p = passage(1, text="London spent £367,628 on agency staff in April 2022.")
    span = Span("£367,628", 13, 21, "amount")
    with_span = HitWithAnswer(p, 0.9, 1, p.text, ((29, 41),), answer=span)
    without = HitWithAnswer(passage(2), 0.5, 2, "x", (), answer=None)
    question = AnswerWithAnswer("how much on agency staff", "passages", (with_span, without), (), answer=span)
    document = render_report([question])
    validate(document)
    assert ('<div class="answer-box"><strong>Answer:</strong> <mark class="answer-span">£367,628</mark> — '
            '<span class="speaker">Ann Example</span>') in document
    assert ('<p class="answer"><strong>Answer:</strong> <mark class="answer-span">£367,628</mark> '
            '<span class="muted">(amount)</span></p>') in document
    assert document.count('class="answer"') == 1  # the hit without one shows none
    assert 'class="answer-box"' not in render_report([answer()])  # and today's hits, without the attribute, none


def test_hit_html_without_links_names_but_does_not_link():
    html = hit_html(hit(1, 3))
    assert "<a " not in html and '<span class="rank">3.</span>' in html


# --------------------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def index_path(tmp_path_factory) -> Path:
    from transcript_qa.build import build_index

    out = tmp_path_factory.mktemp("report") / "index"
    build_index(CORPUS, out)
    return out


def invoke(*args: Any) -> Any:
    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli.main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.slow
def test_ask_who_and_batch_write_valid_reports(index_path, tmp_path):
    ask = invoke("ask", "who discussed CAS3", "--index", index_path, "--format", "html")
    assert ask.exit_code == 0
    validate(ask.stdout)
    self_contained(ask.stdout)
    assert "Kilvinder Vigurs" in ask.stdout and "2023-03-17-letter-hmpps-response" not in ask.stdout.split("Sources")[0]
    assert "London Assembly meeting transcript" in ask.stdout or "<td>" in ask.stdout  # documents' origin column

    who = invoke("who", "accommodation for prison leavers", "--index", index_path, "--format", "html")
    assert who.exit_code == 0
    validate(who.stdout)
    assert who.stdout.count('<g class="bar"') == 5

    questions = tmp_path / "questions.txt"
    questions.write_text("who discussed CAS3\nagency staff spending\n", encoding="utf-8")
    out = tmp_path / "report.html"
    batch = invoke("batch", questions, "--index", index_path, "--format", "html", "--top-k", 3, "--output", out)
    assert batch.exit_code == 0
    document = out.read_text(encoding="utf-8")
    validate(document)
    assert document.count('<section class="question"') == 2


# --------------------------------------------------------------------------- the terminal's bars


@pytest.mark.parametrize("share, bar", [
    (0.0, "░" * 20), (1.0, "█" * 20), (0.5, "█" * 10 + "░" * 10), (0.001, "▏" + "░" * 19),
    (0.34, "██████▊" + "░" * 13),
])
def test_share_bar_draws_eighths_of_a_cell(share, bar):
    assert terminal.share_bar(share) == bar


def test_share_bar_ascii():
    assert terminal.share_bar(0.25, ascii=True) == "#####" + "." * 15
    assert terminal.share_bar(0.001, ascii=True) == "#" + "." * 19


def test_who_text_draws_each_speakers_share_under_the_score():
    text = terminal.render_who(answer())
    lines = text.splitlines()
    first = lines.index("  1. Ann Example (Director, Probation Service)  score 0.7500")
    assert lines[first + 1] == "     " + "█" * 15 + "░" * 5 + " 75.0% of the relevant material"
    assert "     " + "#" * 5 + "." * 15 + " 25.0% of the relevant material" in terminal.render_who(answer(), ascii=True)


def test_who_text_shows_at_most_the_passages_asked_for():
    assert terminal.render_who(answer(), passages=0).count("- A meeting") == 0
    assert terminal.render_who(answer()).count("- A meeting") == 2
