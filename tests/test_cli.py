"""The command line, through click's CliRunner.

Two layers: every command and output format against a small fake index (fast,
exact), then end to end against the real index of the bundled corpus, built
once per session into a temporary folder.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from transcript_qa import cli
from transcript_qa.errors import IndexMissingError, QueryError, UnknownFilterValueError
from transcript_qa.model import Acronym, Answer, Filters, Hit, Passage, SpeakerAnswer, SpeakerInfo

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def make_runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps stderr apart


# --------------------------------------------------------------------------- a fake index


def _passage(n: int, speaker: str | None, text: str) -> Passage:
    return Passage(id=f"meeting:{n}", document="meeting", kind="transcript", title="A meeting", date="2022-07-20",
                   position=n, text=text, start=n * 100, end=n * 100 + len(text), speaker=speaker,
                   role="Director" if speaker else None, organisation="Probation" if speaker else None)


PASSAGES = [
    _passage(0, "Chair Person", "Welcome to the meeting on probation."),
    _passage(1, "Ann Example", "CAS3 gives housing for up to 84 nights on release."),
    _passage(2, "Chair Person", "Thank you. What about CAS3 in London?"),
    _passage(3, "Bo Other", "Housing is the biggest problem after release."),
]


class FakeIndex:
    manifest = {"documents": [{"id": "meeting", "path": "meeting.txt"}]}
    passages = PASSAGES

    def __init__(self):
        self.calls = []

    def ask(self, question, k=10, *, id=None, **filters):
        self.calls.append(("ask", question, k, filters))
        if not question.strip():
            raise QueryError("the question is empty")
        if filters.get("speaker") and filters["speaker"].lower() not in ("ann example", "ann"):
            raise UnknownFilterValueError("speaker", filters["speaker"], ["Ann Example", "Bo Other", "Chair Person"])
        hits = []
        for rank, p in enumerate([PASSAGES[1], PASSAGES[2], PASSAGES[3]][:k], start=1):
            at = p.text.find("CAS3")
            spans = ((at, at + 4),) if at >= 0 else ()
            hits.append(Hit(p, 1.0 / rank, rank, snippet=p.text, highlights=spans, explain=(("cas3", 0.8 / rank),)))
        speakers = (SpeakerAnswer("Ann Example", 1.0, 1, "Director", "Probation", hits=(hits[0],)),
                    SpeakerAnswer("Bo Other", 0.3, 2, "Director", "Probation", hits=tuple(hits[2:3])))
        intent = "who" if question.lower().startswith("who") else "passages"
        return Answer(question, intent, tuple(hits), speakers, terms=("cas3",), id=id, filters=Filters(**filters))

    def who(self, question, k=5, **filters):
        return list(self.ask(question, 10, **filters).speakers[:k])

    def passage(self, pid):
        for p in PASSAGES:
            if p.id == pid:
                return p
        raise QueryError(f"no passage {pid!r}")

    def context(self, pid, before=2, after=2):
        n = PASSAGES.index(self.passage(pid))
        return PASSAGES[max(0, n - before): n + after + 1]

    def speakers(self):
        return [SpeakerInfo("Ann Example", ("Director",), ("Probation",), (), 1, ("meeting",)),
                SpeakerInfo("Chair Person", (), (), (), 2, ("meeting",))]

    def glossary(self):
        return [Acronym("CAS3", "Community Accommodation Service Tier 3", ("meeting:1",))]

    def info(self):
        return {"path": "/somewhere", "documents": 1, "passages": 4, "stale": False}


@pytest.fixture()
def fake(monkeypatch):
    index = FakeIndex()
    opened = []

    def open_index(path, **kw):
        opened.append(path)
        return index

    monkeypatch.setattr(cli.common, "open_index", open_index)
    index.opened = opened
    return index


def invoke(*args, input=None):
    return make_runner().invoke(cli.main, [str(a) for a in args], input=input, catch_exceptions=False)


# --------------------------------------------------------------------------- every command, every format (fake)


def test_ask_text_is_plain_when_piped(fake):
    result = invoke("ask", "what is CAS3", "--top-k", 2)
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    assert "  1. Ann Example (Director, Probation)  score 1.0000" in result.stdout
    assert "A meeting | 2022-07-20 | [meeting:1]" in result.stdout
    assert "CAS3 gives housing" in result.stdout
    assert "Bo Other" not in result.stdout  # top-k 2
    assert fake.calls == [("ask", "what is CAS3", 2, {})]


def test_ask_color_flag_highlights_terms(fake):
    result = invoke("ask", "what is CAS3", "--color")
    assert "\x1b[1;33mCAS3\x1b[0m" in result.stdout


def test_ask_who_question_lists_speakers_first(fake):
    out = invoke("ask", "who discussed CAS3").stdout
    assert out.index("Speakers") < out.index("  1. Ann Example") < out.index("Passages")


def test_ask_explain_shows_terms(fake):
    out = invoke("ask", "what is CAS3", "--explain").stdout
    assert "query terms: cas3" in out and "terms: cas3 0.8000" in out


def test_ask_passes_every_filter(fake):
    result = invoke("ask", "q", "--speaker", "ann", "--organisation", "Probation", "--role", "Director", "--kind",
                    "transcript", "--document", "meeting", "--since", "2022-01-01", "--until", "2022-12-31")
    assert result.exit_code == 0, result.stderr
    assert fake.calls[-1][3] == {"speaker": "ann", "organisation": "Probation", "role": "Director",
                                 "kind": "transcript", "document": "meeting", "since": "2022-01-01",
                                 "until": "2022-12-31"}


def test_ask_index_option_is_passed_on(fake, tmp_path):
    invoke("ask", "q", "--index", tmp_path)
    assert fake.opened == [tmp_path]


def test_ask_json_follows_the_contract(fake):
    data = json.loads(invoke("ask", "who discussed CAS3", "--format", "json").stdout)
    assert list(data) == ["id", "question", "intent", "answer", "hits", "speakers"]
    assert data["answer"] is None and data["hits"][0]["answer"] is None
    assert data["intent"] == "who"
    assert data["hits"][0]["snippet"] == "**CAS3** gives housing for up to 84 nights on release."
    assert data["speakers"][0] == {"speaker": "Ann Example", "score": 1.0, "passages": ["meeting:1"]}


def test_ask_jsonl_is_one_line(fake):
    lines = invoke("ask", "what is CAS3", "-f", "jsonl").stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["question"] == "what is CAS3"


def test_ask_csv_one_row_per_hit(fake):
    rows = list(csv.DictReader(io.StringIO(invoke("ask", "what is CAS3", "--format", "csv").stdout)))
    assert [r["passage_id"] for r in rows] == ["meeting:1", "meeting:2", "meeting:3"]
    assert rows[0]["speaker"] == "Ann Example"


def test_ask_trec(fake):
    lines = invoke("ask", "what is CAS3", "--format", "trec").stdout.splitlines()
    assert lines[0] == "1 Q0 meeting:1 1 1.000000 transcript_qa"


def test_who_text_and_json(fake):
    out = invoke("who", "CAS3", "--top-k", 1).stdout
    assert "  1. Ann Example (Director, Probation)  score 1.0000" in out and "Bo Other" not in out
    data = json.loads(invoke("who", "CAS3", "--format", "json").stdout)
    assert [d["speaker"] for d in data] == ["Ann Example", "Bo Other"]
    assert data[0]["passages"][0]["passage_id"] == "meeting:1"


def test_show_marks_the_passage_among_its_neighbours(fake):
    out = invoke("show", "meeting:2", "--context", 1).stdout
    assert ">> [meeting:2] Chair Person (Director, Probation)" in out
    assert "[meeting:1] Ann Example" in out and "[meeting:3] Bo Other" in out
    assert "[meeting:0]" not in out
    assert "characters 200-237" in out
    data = json.loads(invoke("show", "meeting:2", "-c", 0, "--format", "json").stdout)
    assert data["passage"]["id"] == "meeting:2" and [p["id"] for p in data["context"]] == ["meeting:2"]


def test_speakers_text_and_json(fake):
    out = invoke("speakers").stdout
    assert out.splitlines()[0].split() == ["speaker", "role", "organisation", "passages", "documents"]
    assert "Ann Example" in out
    assert json.loads(invoke("speakers", "--format", "json").stdout)[1]["name"] == "Chair Person"


def test_glossary_text_and_json(fake):
    assert invoke("glossary").stdout == "CAS3  Community Accommodation Service Tier 3\n"
    assert json.loads(invoke("glossary", "-f", "json").stdout)[0]["passages"] == ["meeting:1"]


# --------------------------------------------------------------------------- errors and exit codes (fake)


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_exits_1_without_traceback(fake, question):
    result = invoke("ask", question)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the question is empty")
    assert "Traceback" not in result.output
    assert fake.opened == []  # no need to load an index to refuse it


def test_unknown_filter_value_exits_1_with_a_suggestion(fake):
    result = invoke("ask", "housing", "--speaker", "Ann Exmaple")
    assert result.exit_code == 1
    assert "no passage has speaker 'Ann Exmaple'" in result.stderr
    assert "did you mean 'Ann Example'" in result.stderr


def test_library_error_hint_is_shown(monkeypatch):
    def missing(path, **kw):
        raise IndexMissingError(f"no index in {path}", hint="run: transcript-qa index build --out DIR")

    monkeypatch.setattr(cli.common, "open_index", missing)
    result = invoke("speakers", "--index", "/nowhere")
    assert result.exit_code == 1
    assert result.stderr == "Error: no index in /nowhere\nHint: run: transcript-qa index build --out DIR\n"


@pytest.mark.parametrize("args", [["ask"], ["ask", "q", "--top-k", "0"], ["ask", "q", "--bogus"],
                                  ["ask", "q", "--since", "July 2022"], ["ask", "q", "--format", "xml"],
                                  ["nonsense"], ["batch"], ["show"], ["index", "build", "extra"]])
def test_usage_errors_exit_2(fake, args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr


COMMANDS = [["ask"], ["who"], ["show"], ["speakers"], ["glossary"], ["index"], ["index", "build"],
            ["index", "info"], ["index", "verify"], ["index", "add"], ["index", "remove"], ["index", "merge"], ["batch"],
            ["eval"], ["serve"], []]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "main")
def test_every_help_shows_an_example(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert "transcript-qa " in result.stdout.split("Example", 1)[1]


def test_every_command_is_covered_by_the_help_test():
    listed = {tuple(c) for c in COMMANDS}
    for name, command in cli.main.commands.items():
        assert (name,) in listed
        for sub in getattr(command, "commands", {}):
            assert (name, sub) in listed


# --------------------------------------------------------------------------- batch (fake)


def test_batch_jsonl_to_stdout(fake, tmp_path):
    f = tmp_path / "q.txt"
    f.write_text("what is CAS3\n# comment\nwho discussed CAS3\n", encoding="utf-8")
    result = invoke("batch", f)
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["intent"]) for r in records] == [("1", "passages"), ("3", "who")]


def test_batch_bad_line_among_good_ones_exits_3_and_answers_the_rest(fake, tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text('{"id": "a", "question": "what is CAS3"}\n{oops\n'
                 '{"id": "b", "question": "housing", "filters": {"speaker": "nobody"}}\n'
                 '{"id": "c", "question": "who discussed CAS3", "filters": {"speaker": "ann"}}\n', encoding="utf-8")
    out = tmp_path / "run.trec"
    result = invoke("batch", f, "--format", "trec", "--output", out, "--top-k", 2)
    assert result.exit_code == 3
    assert f"{f}:2: not JSON" in result.stderr
    assert f"{f}:3: question 'b': no passage has speaker 'nobody'" in result.stderr
    assert "answered 2 of 4 questions" in result.stderr
    assert [line.split()[0] for line in out.read_text().splitlines()] == ["a", "a", "c", "c"]
    assert result.stdout == ""


def test_batch_csv_format(fake, tmp_path):
    f = tmp_path / "q.csv"
    f.write_text("id,question,kind\nq1,what is CAS3,transcript\n", encoding="utf-8")
    result = invoke("batch", f, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["id"] for r in rows} == {"q1"} and len(rows) == 3
    assert fake.calls[0][3] == {"kind": "transcript"}


def test_batch_unreadable_questions_file_exits_1(fake, tmp_path):
    result = invoke("batch", tmp_path / "missing.txt")
    assert result.exit_code == 1
    assert "missing.txt: no such file" in result.stderr
    result = invoke("batch", tmp_path / "questions.docx")
    assert result.exit_code == 1 and "unknown questions file type" in result.stderr


def test_batch_with_nothing_answerable_exits_1(fake, tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text("{bad\n", encoding="utf-8")
    result = invoke("batch", f)
    assert result.exit_code == 1 and "no questions to answer" in result.stderr
    f.write_text('{"question": "q", "filters": {"speaker": "nobody"}}\n', encoding="utf-8")
    result = invoke("batch", f)
    assert result.exit_code == 1 and "none of the 1 questions could be answered" in result.stderr


def test_batch_unwritable_output_exits_1_and_writes_nothing(fake, tmp_path):
    f = tmp_path / "q.txt"
    f.write_text("what is CAS3\n", encoding="utf-8")
    result = invoke("batch", f, "--output", tmp_path / "no-such-dir" / "out.jsonl")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "no-such-dir" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "no-such-dir").exists()


def test_batch_output_file_is_replaced_whole(fake, tmp_path):
    f = tmp_path / "q.txt"
    f.write_text("what is CAS3\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("old content\n")
    assert invoke("batch", f, "-o", out).exit_code == 0
    assert json.loads(out.read_text())["id"] == "1"
    assert sorted(os.listdir(tmp_path)) == ["out.jsonl", "q.txt"]


# --------------------------------------------------------------------------- eval


def test_eval_scores_a_run(tmp_path):
    pytest.importorskip("transcript_qa.evaluation")
    run = tmp_path / "run.txt"
    run.write_text("q1 Q0 d:1 1 2.0 t\nq1 Q0 d:2 2 1.0 t\n", encoding="utf-8")
    qrels = tmp_path / "qrels.txt"
    qrels.write_text("q1 0 d:2 1\n", encoding="utf-8")
    result = invoke("eval", run, qrels, "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["queries"]["q1"]["RR@10"] == 0.5  # the relevant passage is at rank 2
    table = invoke("eval", run, qrels).stdout
    assert "RR@10" in table and "0.5000" in table
    result = invoke("eval", run, tmp_path / "missing.txt")
    assert result.exit_code == 1 and "Traceback" not in result.output


# --------------------------------------------------------------------------- end to end on the bundled corpus

TRANSCRIPT = "2022-07-20-transcript-probation-services"


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory) -> Path:
    """The bundled corpus's index, built once per session in a temporary folder."""
    from transcript_qa.build import build_index

    out = tmp_path_factory.mktemp("bundled") / "index"
    build_index(CORPUS, out)
    return out


def real(*args):
    return make_runner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)


def test_real_ask_who_discussed_cas3(bundled_index):
    result = real("ask", "who discussed CAS3", "--index", bundled_index)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Q: who discussed CAS3\n")
    speakers = out[out.index("Speakers"):out.index("Passages")]
    assert "  1. " in speakers and "Kilvinder Vigurs" in speakers
    assert "CAS3" in out[out.index("Passages"):]
    assert "\x1b[" not in out


def test_real_ask_json_contract(bundled_index):
    result = real("ask", "agency staff spending", "--index", bundled_index, "--format", "json", "--top-k", 5)
    data = json.loads(result.stdout)
    assert list(data) == ["id", "question", "intent", "answer", "hits", "speakers"]
    assert data["intent"] == "passages" and len(data["hits"]) == 5
    assert [h["rank"] for h in data["hits"]] == [1, 2, 3, 4, 5]
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True)
    corpus_ids = {p.stem for p in CORPUS.glob("*.txt")}
    for h in data["hits"]:
        assert h["document"] in corpus_ids
        assert h["passage_id"] == f"{h['document']}:{h['position']}"
        for part in h["snippet"].replace("**", "").split("…"):
            assert part.strip() in h["text"]  # the snippet is cut from the passage
    assert "**agency**" in data["hits"][0]["snippet"].lower()
    assert data["speakers"] and all(set(s) == {"speaker", "score", "passages"} for s in data["speakers"])


def test_real_factual_question_answer_in_json_and_text(bundled_index):
    question = "How many vacancies did the London Probation Service have in August 2022?"
    data = json.loads(real("ask", question, "--index", bundled_index, "--format", "json").stdout)
    top = data["answer"]
    assert top["text"] == "755 vacancies" and top["type"] == "quantity"
    hit = next(h for h in data["hits"] if h["passage_id"] == top["passage_id"])
    assert hit["answer"] == {k: top[k] for k in ("text", "start", "end", "type", "field")}
    assert hit["text"][top["start"]:top["end"]] == "755 vacancies"
    text = real("ask", question, "--index", bundled_index, "--top-k", 3).stdout
    assert text.index("Answer: 755 vacancies") < text.index("  1. ")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "trec"])
def test_real_ask_machine_formats(bundled_index, fmt):
    result = real("ask", "unpaid work", "--index", bundled_index, "--format", fmt, "--top-k", 3)
    assert result.exit_code == 0
    if fmt == "jsonl":
        assert len(json.loads(result.stdout)["hits"]) == 3
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 3
    else:
        rows = [line.split() for line in result.stdout.splitlines()]
        assert [r[3] for r in rows] == ["1", "2", "3"] and all(len(r) == 6 for r in rows)


def test_real_filters_and_suggestions(bundled_index):
    result = real("ask", "workloads", "--index", bundled_index, "--speaker", "vigurs", "-f", "json")
    assert {h["speaker"] for h in json.loads(result.stdout)["hits"]} == {"Kilvinder Vigurs"}
    # context lifts, it does not invent: none of Vigurs' turns says "caseloads"
    result = real("ask", "caseloads", "--index", bundled_index, "--speaker", "vigurs", "-f", "json")
    assert json.loads(result.stdout)["hits"] == []
    result = real("ask", "caseloads", "--index", bundled_index, "--speaker", "Kilvinder Vigors")
    assert result.exit_code == 1
    assert "did you mean 'Kilvinder Vigurs'" in result.stderr and "Traceback" not in result.output
    result = real("ask", "caseloads", "--index", bundled_index, "--kind", "transcrpt")
    assert result.exit_code == 1 and "'transcript'" in result.stderr


def test_real_who_show_speakers_glossary_info(bundled_index):
    out = real("who", "CAS3", "--index", bundled_index, "--top-k", 2).stdout
    assert "  1. " in out and "  3. " not in out
    shown = real("show", f"{TRANSCRIPT}:10", "--context", 1, "--index", bundled_index).stdout
    assert f">> [{TRANSCRIPT}:10]" in shown
    # the line numbers point at the passage's text in the source file
    lines = shown.split("lines ", 1)[1] if "lines " in shown else shown.split("line ", 1)[1]
    first = int(re.match(r"\d+", lines).group())
    passage = json.loads(real("show", f"{TRANSCRIPT}:10", "-c", 0, "--index", bundled_index, "-f", "json").stdout)
    source = (CORPUS / f"{TRANSCRIPT}.txt").read_text(encoding="utf-8").splitlines()[first - 1]
    assert passage["passage"]["text"][:30].split()[0] in source
    assert "Kilvinder Vigurs" in real("speakers", "--index", bundled_index).stdout
    gloss = real("glossary", "--index", bundled_index).stdout
    assert re.search(r"^CAS3 +Community Accommodation Service Tier 3$", gloss, re.M)
    info = real("index", "info", bundled_index).stdout
    assert re.search(r"^stale +no$", info, re.M) and re.search(r"^  passages +\d+$", info, re.M)


def test_real_missing_and_corrupt_index_exit_1(bundled_index, tmp_path):
    result = real("ask", "housing", "--index", tmp_path / "none")
    assert result.exit_code == 1
    assert "no index at" in result.stderr and "index build" in result.stderr
    broken = tmp_path / "broken"
    shutil.copytree(bundled_index, broken)
    manifest = broken / "manifest.json"
    manifest.write_text(manifest.read_text()[:50], encoding="utf-8")
    for args in (["ask", "housing", "--index", broken], ["index", "info", broken]):
        result = real(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error: ") and "Traceback" not in result.output


def test_real_index_build_and_stale_index(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "corpus.json").write_text(json.dumps({"format": 1, "documents": [
        {"file": "meeting.txt", "id": "meeting", "kind": "transcript", "title": "Town meeting", "date": "2024-03-01"}
    ]}), encoding="utf-8")
    (corpus / "meeting.txt").write_text(
        "Alice Smith (Chair, Town Council): Welcome. We discuss the library budget today.\n\n"
        "Bob Jones (Treasurer, Town Council): The library budget fell by ten per cent.\n",
        encoding="utf-8",
    )
    out = tmp_path / "index"
    result = real("index", "build", "--corpus", corpus, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"built {out}")
    data = json.loads(real("ask", "library budget", "--index", out, "-f", "json").stdout)
    assert {h["speaker"] for h in data["hits"]} >= {"Bob Jones"}
    (corpus / "meeting.txt").write_text("Carol White (Clerk, Town Council): Parking fines went up.\n", "utf-8")
    assert re.search(r"^stale +yes$", real("index", "info", out).stdout, re.M)
    result = real("ask", "parking fines", "--index", out, "-f", "json")
    assert result.exit_code == 0
    assert "changed since it was built" in result.stderr  # rebuilt, with a notice
    assert json.loads(result.stdout)["hits"][0]["speaker"] == "Carol White"


def test_real_batch_with_a_bad_line_exits_3(bundled_index, tmp_path):
    f = tmp_path / "questions.csv"
    f.write_text("id,question,kind\nq1,who discussed CAS3,\nq2,agency staff spending,transcript\n"
                 "q3,broken,line,here\nq4,unpaid work,\n", encoding="utf-8")
    out = tmp_path / "run.jsonl"
    result = real("batch", f, "--index", bundled_index, "--output", out, "--top-k", 3)
    assert result.exit_code == 3
    assert f"{f}:4: expected 3 columns" in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["q1", "q2", "q4"]
    assert records[0]["intent"] == "who"
    assert {h["kind"] for h in records[1]["hits"]} == {"transcript"}


def test_real_batch_trec_then_eval(bundled_index, tmp_path):
    f = tmp_path / "q.txt"
    f.write_text("who discussed CAS3\nagency staff spending\n", encoding="utf-8")
    run = tmp_path / "run.trec"
    assert real("batch", f, "--index", bundled_index, "-f", "trec", "-o", run).exit_code == 0
    top = {line.split()[0]: line.split()[2] for line in run.read_text().splitlines() if line.split()[3] == "1"}
    qrels = tmp_path / "qrels.txt"
    qrels.write_text(f"1 0 {top['1']} 1\n2 0 {top['2']} 1\n", encoding="utf-8")
    report = json.loads(real("eval", run, qrels, "-f", "json").stdout)
    assert report["mean"]["MRR@10"] == 1.0


def test_real_batch_jsonl_then_eval_speakers(bundled_index, tmp_path):
    judged = tmp_path / "judged.jsonl"
    judged.write_text(json.dumps({"id": "q1", "question": "who discussed CAS3",
                                  "speakers": {"Kilvinder Vigurs": 2, "Nobody Atall": 1}}) + "\n",
                      encoding="utf-8")
    run = tmp_path / "run.jsonl"
    assert real("batch", judged, "--index", bundled_index, "-f", "jsonl", "-o", run).exit_code == 0
    ranked = [s["speaker"] for s in json.loads(run.read_text(encoding="utf-8"))["speakers"]]
    result = real("eval", "--speakers", run, judged, "-f", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    expected_rr = 1.0 / (ranked.index("Kilvinder Vigurs") + 1) if "Kilvinder Vigurs" in ranked[:5] else 0.0
    assert report["queries"]["q1"]["RR@5"] == expected_rr
    assert expected_rr == 1.0  # he is the first speaker for this question


def test_progress_on_a_pipe_is_quiet_for_short_jobs_and_sparse_for_long_ones(capsys):
    short = cli.Progress("answering")  # not a terminal, and not yet running for long
    for done in range(1, 101):
        short(done, 100)
    assert capsys.readouterr().err == ""
    long = cli.Progress("building index", quiet_for=0)
    for done in range(1, 101):
        long("analysing passages", done, 100)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "building index: analysing passages: 1/100"  # once at the start, then every 10 %
    assert lines[1:] == [f"building index: analysing passages: {n}/100" for n in range(10, 101, 10)]


def test_cli_import_and_ask_stay_light(bundled_index):
    """``import transcript_qa.cli`` pulls no numpy; a query on a built index no scikit-learn, NLTK,
    or document parsers (the staleness check reads the corpus files, it does not parse them)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import transcript_qa.cli as cli\n"
        "assert 'numpy' not in sys.modules, 'numpy imported by transcript_qa.cli'\n"
        "try:\n"
        f"    cli.main(['ask', 'who discussed CAS3', '--index', {str(bundled_index)!r}, '-f', 'jsonl'])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "heavy = sorted(m for m in ('sklearn', 'nltk', 'transcript_qa.parsing') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["question"] == "who discussed CAS3"


def test_who_says_why_no_speaker_is_listed(tmp_path):
    # meeting captions that name nobody ("No speakers found." said nothing of why)
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "council.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n>> the Lao family centre asked for funding.\n\n"
        "00:00:05.000 --> 00:00:08.000\n>> we will vote on the consent calendar.\n", encoding="utf-8")
    assert invoke("index", "build", "--corpus", corpus, "--out", tmp_path / "idx").exit_code == 0
    out = invoke("who", "Lao family", "--index", tmp_path / "idx").stdout
    assert "No speakers found: the index's documents name no speakers" in out
