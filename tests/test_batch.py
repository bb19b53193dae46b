"""Reading questions files and answering them one by one."""

from __future__ import annotations

import json

import pytest

from transcript_qa.batch import Question, answer_questions, read_questions
from transcript_qa.errors import BatchError, QueryError, UnknownFilterValueError
from transcript_qa.model import Answer, Filters


def test_txt_one_question_a_line_ids_are_line_numbers(tmp_path):
    f = tmp_path / "q.txt"
    f.write_text("# my questions\nwho discussed CAS3\n\n   \nagency staff spending  \n", encoding="utf-8")
    questions, skipped = read_questions(f)
    assert [(q.id, q.question, q.line) for q in questions] == [("2", "who discussed CAS3", 2),
                                                              ("5", "agency staff spending", 5)]
    assert skipped == []
    assert questions[0].filters == Filters()
    assert questions[0].path == str(f)


def test_csv_with_filter_columns(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text(
        'id,question,speaker,since\n'
        'q1,who discussed CAS3,,\n'
        'q2,"caseloads, and vacancies",vigurs,2022-01-01\n',
        encoding="utf-8",
    )
    questions, skipped = read_questions(f)
    assert skipped == []
    assert [q.id for q in questions] == ["q1", "q2"]
    assert questions[0].filters == Filters()
    assert questions[1].question == "caseloads, and vacancies"
    assert questions[1].filters == Filters(speaker="vigurs", since="2022-01-01")
    assert questions[1].line == 3


def test_csv_bad_lines_are_skipped_with_file_and_line(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text("id,question,since\nq1,fine question,\nq2,too,many,cells\nq3,,\nq4,dated,July 2022\nq1,again,\n"
                 "q5,last one,\n", encoding="utf-8")
    questions, skipped = read_questions(f)
    assert [q.id for q in questions] == ["q1", "q5"]
    assert [(s.line, s.path) for s in skipped] == [(3, str(f)), (4, str(f)), (5, str(f)), (6, str(f))]
    reasons = " | ".join(s.reason for s in skipped)
    assert "expected 3 columns" in reasons and "no question" in reasons
    assert "yyyy-mm-dd" in reasons and "duplicate id 'q1'" in reasons


def test_csv_without_id_column_uses_line_numbers(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text("question\nfirst\nsecond\n", encoding="utf-8")
    questions, _ = read_questions(f)
    assert [q.id for q in questions] == ["2", "3"]


@pytest.mark.parametrize("header, message", [("id,questoin\n", "unknown column 'questoin'"),
                                             ("id,speaker\n", "no 'question' column")])
def test_csv_header_problems_stop_the_batch(tmp_path, header, message):
    f = tmp_path / "q.csv"
    f.write_text(header + "a,b\n", encoding="utf-8")
    with pytest.raises(BatchError, match=message):
        read_questions(f)


def test_jsonl_with_filters_and_bad_lines(tmp_path):
    f = tmp_path / "q.jsonl"
    lines = [
        json.dumps({"id": "a", "question": "who discussed CAS3"}),
        "{not json",
        json.dumps({"id": "b", "question": "housing", "filters": {"kind": "transcript", "speaker": "Vigurs"}}),
        json.dumps(["a list"]),
        json.dumps({"id": "c", "question": "x", "filters": {"spekaer": "Vigurs"}}),
        json.dumps({"id": "d", "question": "  "}),
        "",
        json.dumps({"id": 7, "question": "numeric id"}),
        json.dumps({"question": "no id"}),
        json.dumps({"id": "e f", "question": "id with a space"}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    questions, skipped = read_questions(f)
    assert [(q.id, q.line) for q in questions] == [("a", 1), ("b", 3), ("7", 8), ("9", 9)]
    assert questions[1].filters == Filters(speaker="Vigurs", kind="transcript")
    assert [s.line for s in skipped] == [2, 4, 5, 6, 10]
    assert "unknown filter 'spekaer'" in skipped[2].reason


@pytest.mark.parametrize("name, content, message", [
    ("q.pdf", b"x", "unknown questions file type '.pdf'"),
    ("q.txt", b"caf\xe9\n", "not UTF-8"),
])
def test_unusable_files_raise_batch_error(tmp_path, name, content, message):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(BatchError, match=message):
        read_questions(f)


def test_missing_file_and_folder_raise_batch_error(tmp_path):
    with pytest.raises(BatchError, match="no such file"):
        read_questions(tmp_path / "nope.txt")
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    with pytest.raises(BatchError, match="folder"):
        read_questions(folder)


def test_bom_is_ignored(tmp_path):
    f = tmp_path / "q.csv"
    f.write_bytes("\ufeffid,question\nq1,hello\n".encode("utf-8"))
    questions, skipped = read_questions(f)
    assert [q.id for q in questions] == ["q1"] and skipped == []


class FakeIndex:
    """Answers every question, refuses empty ones and speaker 'nobody'."""

    def __init__(self):
        self.calls = []

    def ask(self, question, k=10, *, id=None, **filters):
        self.calls.append((question, k, id, filters))
        if not question.strip():
            raise QueryError("the question is empty")
        if filters.get("speaker") == "nobody":
            raise UnknownFilterValueError("speaker", "nobody", ["Somebody"])
        return Answer(question, "passages", (), (), id=id)


def test_answer_questions_passes_filters_and_reports_refused_questions():
    questions = [
        Question("1", "first", Filters(kind="transcript"), 1, "q.txt"),
        Question("2", "second", Filters(speaker="nobody"), 2, "q.txt"),
        Question("3", "third", Filters(), 3, "q.txt"),
    ]
    index, problems, progress = FakeIndex(), [], []
    answers = list(answer_questions(index, questions, k=4, progress=lambda d, t: progress.append((d, t)),
                                    on_problem=problems.append))
    assert [a.id for a in answers] == ["1", "3"]
    assert index.calls[0] == ("first", 4, "1", {"kind": "transcript"})
    assert [(p.path, p.line) for p in problems] == [("q.txt", 2)]
    assert "no passage has speaker 'nobody'" in problems[0].reason
    assert progress == [(1, 3), (2, 3), (3, 3)]


def test_answer_questions_without_a_problem_handler_raises():
    with pytest.raises(QueryError):
        list(answer_questions(FakeIndex(), [Question("1", " ", Filters(), 1)]))


def test_jsonl_ignores_extra_keys_but_flags_misspelt_ones(tmp_path):
    # a judged questions file (with "relevant" and "speakers") can be batched as it is
    f = tmp_path / "judged.jsonl"
    lines = [
        json.dumps({"id": "q1", "question": "who discussed CAS3", "type": "who",
                    "relevant": [], "speakers": {"Kilvinder Vigurs": 2}}),
        json.dumps({"id": "q2", "question": "housing", "filter": {"kind": "letter"}}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    questions, skipped = read_questions(f)
    assert [q.id for q in questions] == ["q1"]
    assert [(s.line, s.reason) for s in skipped] == [(2, "unknown key 'filter'; did you mean 'filters'?")]
