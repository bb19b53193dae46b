"""The JSON contract, TREC runs, CSV rows, text for people and the atomic writer."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
import os
import stat
import sys

import pytest

from transcript_qa import output, terminal
from transcript_qa.atomic import atomic_writer
from transcript_qa.model import Acronym, Answer, AnswerSpan, Hit, Passage, SpeakerAnswer, SpeakerInfo


def passage(n: int, speaker: str | None = "Ann Example", text: str = "Housing on release matters.") -> Passage:
    return Passage(
        id=f"doc-{n // 10}:{n}",
        document=f"doc-{n // 10}",
        kind="transcript",
        title="A meeting",
        date="2022-07-20",
        position=n,
        text=text,
        start=0,
        end=len(text),
        section="Item 5",
        speaker=speaker,
        role="Director" if speaker else None,
        organisation="Probation Service" if speaker else None,
    )


def hit(n: int, score: float, rank: int, **kw) -> Hit:
    p = passage(n, **kw)
    return Hit(p, score, rank, snippet=p.text, highlights=((0, 7), (11, 18)), explain=(("hous", 0.5), ("releas", 0.25)))


def answer(qid: str | None = "q1", intent: str = "passages") -> Answer:
    h1, h2, h3 = hit(3, 0.91234567, 1), hit(1, 0.5, 2), hit(2, 0.5, 3, speaker=None)
    speakers = (SpeakerAnswer("Ann Example", 1.4, 1, "Director", "Probation Service", hits=(h1, h2)),)
    return Answer("who talked about housing on release", intent, (h1, h2, h3), speakers, terms=("hous", "releas"),
                  id=qid)


def factual() -> Answer:
    text = "As of August 2022 the service had 755 vacancies across London."
    span = AnswerSpan("755 vacancies", 34, 47, "quantity", "text", "doc-0:4")
    h1 = Hit(passage(4, speaker=None, text=text), 0.7, 1, snippet=text, answer=span)
    h2 = hit(1, 0.5, 2)
    return Answer("How many vacancies were there in August 2022?", "passages", (h1, h2), (), id="f1", answer=span)


def test_answer_to_dict_has_exactly_the_contract_keys_and_types():
    data = output.answer_to_dict(answer())
    assert list(data) == ["id", "question", "intent", "answer", "hits", "speakers"]
    assert data["intent"] in ("who", "passages")
    assert data["answer"] is None  # not a factual question
    for h in data["hits"]:
        assert list(h) == ["rank", "score", "passage_id", "document", "title", "kind", "date", "section", "speaker",
                           "role", "organisation", "party", "constituency", "position", "text", "snippet", "answer"]
        assert h["answer"] is None
        assert isinstance(h["rank"], int) and isinstance(h["score"], float) and isinstance(h["position"], int)
        assert isinstance(h["text"], str) and isinstance(h["snippet"], str)
    assert data["hits"][0]["score"] == 0.912346  # rounded to 6 places
    assert data["hits"][2]["speaker"] is None and data["hits"][2]["role"] is None
    assert data["speakers"] == [{"speaker": "Ann Example", "score": 1.4, "passages": ["doc-0:3", "doc-0:1"]}]
    json.dumps(data)  # JSON-ready


def test_a_factual_answer_is_a_span_of_its_passage_on_the_hit_and_at_the_top():
    data = output.answer_to_dict(factual())
    top, first = data["answer"], data["hits"][0]["answer"]
    assert top == {"text": "755 vacancies", "start": 34, "end": 47, "type": "quantity", "field": "text",
                   "passage_id": "doc-0:4"}
    assert list(first) == ["text", "start", "end", "type", "field"]
    assert data["hits"][0]["text"][first["start"]:first["end"]] == first["text"] == "755 vacancies"
    assert data["hits"][1]["answer"] is None
    json.loads(json.dumps(data))


def test_text_shows_the_answer_first_with_where_it_is_from():
    text = terminal.render_text(factual(), color=False)
    assert text.index("Answer: 755 vacancies") < text.index("  1. ")
    head = text[: text.index("  1. ")]
    assert "[doc-0:4]" in head and "had 755 vacancies across London." in head
    coloured = terminal.render_text(factual(), color=True)
    assert "\x1b[1;33m755 vacancies\x1b[0m" in coloured
    assert "Answer:" not in terminal.render_text(answer(), color=False)


def test_csv_carries_the_answer_text():
    buf = io.StringIO()
    output.write_csv([factual()], buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert [r["answer"] for r in rows] == ["755 vacancies", ""]


def test_snippet_marks_matched_terms():
    data = output.answer_to_dict(answer())
    assert data["hits"][0]["snippet"] == "**Housing** on **release** matters."
    assert data["hits"][0]["text"] == "Housing on release matters."


def test_overlapping_and_out_of_range_highlights_give_balanced_marks():
    p = passage(1, text="abcdef")
    h = Hit(p, 1.0, 1, snippet="abcdef", highlights=((3, 5), (0, 2), (1, 4), (5, 99), (-3, 0)))
    assert output.marked_snippet(h) == "**abcdef**"
    h = Hit(p, 1.0, 1, snippet="abcdef", highlights=((4, 6), (0, 1)))
    assert output.marked_snippet(h) == "**a**bcd**ef**"


def test_jsonl_is_one_object_per_line():
    buf = io.StringIO()
    assert output.write_jsonl([answer("a"), answer("b")], buf) == 2
    lines = buf.getvalue().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b"]


def test_trec_is_six_columns_ranked_by_score_then_passage_id():
    buf = io.StringIO()
    output.write_trec([answer("q7")], buf)
    rows = [line.split() for line in buf.getvalue().splitlines()]
    assert all(len(r) == 6 for r in rows)
    assert [r[0] for r in rows] == ["q7"] * 3 and {r[1] for r in rows} == {"Q0"}
    # doc-0:1 and doc-0:2 tie at 0.5: the tie is broken by passage id
    assert [r[2] for r in rows] == ["doc-0:3", "doc-0:1", "doc-0:2"]
    assert [r[3] for r in rows] == ["1", "2", "3"]
    assert [float(r[4]) for r in rows] == [0.912346, 0.5, 0.5]
    assert {r[5] for r in rows} == {"transcript_qa"}


def test_trec_ties_are_ordered_by_passage_id_whatever_the_hit_order():
    a = Answer("q", "passages", (hit(9, 0.5, 1), hit(4, 0.5, 2), hit(5, 0.7, 3)), ())
    buf = io.StringIO()
    output.write_trec([a], buf)
    assert [line.split()[2] for line in buf.getvalue().splitlines()] == ["doc-0:5", "doc-0:4", "doc-0:9"]


def test_trec_numbers_questions_without_id_and_refuses_ids_with_spaces():
    buf = io.StringIO()
    output.write_trec([answer(None), answer(None)], buf)
    assert {line.split()[0] for line in buf.getvalue().splitlines()} == {"1", "2"}
    with pytest.raises(output.OutputError, match="one word"):
        output.write_trec([answer("two words")], io.StringIO())


def test_csv_has_one_row_per_hit_with_the_question():
    buf = io.StringIO()
    no_hits = Answer("nothing", "passages", (), (), id="q2", reason="no query terms")
    output.write_csv([answer("q1"), no_hits], buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == 3
    assert tuple(rows[0]) == output.CSV_COLUMNS
    assert [r["passage_id"] for r in rows] == ["doc-0:3", "doc-0:1", "doc-0:2"]
    assert rows[0]["id"] == "q1" and rows[0]["question"] == "who talked about housing on release"
    assert rows[0]["snippet"] == "**Housing** on **release** matters."
    assert rows[2]["speaker"] == ""  # None is an empty cell


def test_text_lists_rank_speaker_document_score_and_plain_snippet():
    text = terminal.render_text(answer(intent="passages"), color=False)
    assert "\x1b[" not in text
    assert "  1. Ann Example (Director, Probation Service)  score 0.9123" in text
    assert "A meeting | 2022-07-20 | section: Item 5 | [doc-0:3]" in text
    assert "Housing on release matters." in text
    assert "  3. (transcript)  score 0.5000" in text  # no speaker: the document kind
    assert "Speakers" not in text  # only "who" questions list speakers first
    assert "terms:" not in text


def test_text_highlights_in_colour_only_when_asked():
    coloured = terminal.render_text(answer(), color=True)
    assert "\x1b[1;33mHousing\x1b[0m" in coloured
    assert "**" not in coloured


def test_who_answer_lists_speakers_first_with_their_best_passage():
    text = terminal.render_text(answer(intent="who"), color=False)
    assert text.index("Speakers") < text.index("Passages")
    assert "  1. Ann Example (Director, Probation Service)  score 1.4000, 2 passages" in text


def test_explain_shows_contributing_terms():
    text = terminal.render_text(answer(), color=False, explain=True)
    assert "query terms: hous, releas" in text
    assert "terms: hous 0.5000, releas 0.2500" in text


def test_text_says_why_there_is_no_hit():
    a = Answer("the", "passages", (), (), reason="the question has no searchable words")
    assert "No passages found: the question has no searchable words" in terminal.render_text(a)


def test_long_snippets_wrap_and_keep_highlights():
    words = " ".join(f"word{i}" for i in range(60))
    p = passage(1, text=words)
    start = words.index("word30")
    h = Hit(p, 1.0, 1, snippet=words, highlights=((start, start + 6),))
    text = terminal.render_text(Answer("q", "passages", (h,), ()), color=True, width=60)
    assert "\x1b[1;33mword30\x1b[0m" in text
    plain = terminal.render_text(Answer("q", "passages", (h,), ()), color=False, width=60)
    assert max(len(line) for line in plain.splitlines() if "word1 " in line or "word40" in line) <= 60


def test_speakers_glossary_and_info_renderers():
    people = [SpeakerInfo("Ann Example", ("Director",), ("Probation Service",), (), 12, ("d1", "d2"))]
    table = terminal.render_speakers(people)
    assert "Ann Example" in table and "Probation Service" in table and "12" in table
    assert terminal.render_glossary([Acronym("IOM", "Integrated Offender Management")]) == (
        "IOM  Integrated Offender Management\n"
    )
    info = terminal.render_info({"passages": 10, "stale": False, "settings": {"bigrams": True}})
    assert "passages  10" in info and "stale     no" in info and "bigrams  yes" in info


def test_context_marks_the_passage_and_its_source_lines():
    ps = [passage(1), passage(2, speaker="Bo Other"), passage(3)]
    text = terminal.render_context(ps[1], ps, source="corpus/x.txt", lines=(10, 12))
    assert ">> [doc-0:2] Bo Other (Director, Probation Service)" in text
    assert "corpus/x.txt, lines 10-12" in text
    assert terminal.line_of("a\nb\nc", 4) == 3


def test_atomic_writer_replaces_the_file_only_on_success(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as stream:
            stream.write("half")
            raise RuntimeError("crash")
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]  # no temp file left behind
    with atomic_writer(target) as stream:
        stream.write("new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) & 0o600 == 0o600


def test_atomic_writer_names_an_unwritable_path(tmp_path):
    with pytest.raises(output.OutputError, match="no-such-folder"):
        with atomic_writer(tmp_path / "no-such-folder" / "out.txt"):
            pass
    with pytest.raises(output.OutputError, match="folder"):
        with atomic_writer(tmp_path):
            pass


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can write anywhere")
def test_atomic_writer_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(output.OutputError, match="cannot write"):
            with atomic_writer(folder / "out.txt"):
                pass
    finally:
        folder.chmod(0o700)


def test_speaker_line_does_not_repeat_the_name():
    p = Passage(id="r:1", document="r", kind="report", title="R", date=None, position=1, text="Quote.", start=0,
                end=6, speaker="St Mungo's", organisation="St Mungo's")
    text = terminal.render_text(Answer("q", "passages", (Hit(p, 1.0, 1, "Quote."),), ()))
    assert "  1. St Mungo's  score 1.0000" in text


def test_a_members_party_and_constituency_as_printed_reach_the_json(tmp_path):
    """A Canadian Hansard label "Mr. Brian Masse (Windsor West, NDP):" (a real
    sitting, tests/fixtures/real/ca_house_hansard) gives its turns' hits the
    party and constituency printed there."""
    import shutil

    from transcript_qa.build import build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "real" / "ca_house_hansard" / "text.txt", corpus / "hansard.txt")
    index = build_index(corpus, tmp_path / "index")
    hits = output.answer_to_dict(index.ask("Windsor", k=50))["hits"]
    by_speaker = {h["speaker"]: h for h in hits}
    assert by_speaker["Brian Masse"]["constituency"] == "Windsor West"
    assert by_speaker["Brian Masse"]["party"] == "NDP"
