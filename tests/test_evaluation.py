"""`transcript-qa eval` as a library: a hand-computed example in both input
formats, speaker rankings, content judgments, and bad input files."""

from __future__ import annotations

import json
import math

import pytest

from transcript_qa.errors import EvaluationError
from transcript_qa.evaluation import (
    evaluate,
    evaluate_files,
    evaluate_speakers,
    format_report,
    read_judgments,
    read_qrels,
    read_run,
    read_speaker_qrels,
    read_speaker_run,
    resolve_judgments,
    run_from_rankings,
)
from transcript_qa.model import Passage

# The worked example.
#   q1: judged d1 (grade 2), d2 (1), d3 (1); the run ranks d4, d1, d2.
#   q2: judged d5 (1); the run ranks d6, d7, d5.
#   q3: judged d9 (1); not in the run at all -> scores 0 and is listed as missing.
#   q4: in the run, never judged -> not scored, listed as unjudged.
TREC_RUN = """\
q1 Q0 d4 1 3.0 test
q1 Q0 d1 2 2.0 test
q1 Q0 d2 3 1.0 test
q2 Q0 d6 1 0.9 test
q2 Q0 d7 2 0.8 test
q2 Q0 d5 3 0.7 test
q4 Q0 d1 1 1.0 test
"""
TREC_QRELS = """\
q1 0 d1 2
q1 0 d2 1
q1 0 d3 1
q2 0 d5 1
q3 0 d9 1
q3 0 d8 0
"""
JSONL_RUN = "\n".join(json.dumps(o) for o in [
    {"id": "q1", "question": "?", "hits": [{"rank": 1, "passage_id": "d4", "score": 3.0},
                                           {"rank": 2, "passage_id": "d1", "score": 2.0},
                                           {"rank": 3, "passage_id": "d2", "score": 1.0}]},
    {"id": "q2", "question": "?", "hits": [{"rank": 1, "passage_id": "d6", "score": 0.9},
                                           {"rank": 2, "passage_id": "d7", "score": 0.8},
                                           {"rank": 3, "passage_id": "d5", "score": 0.7}]},
    {"id": "q4", "question": "?", "hits": [{"rank": 1, "passage_id": "d1", "score": 1.0}]},
]) + "\n"
JSONL_QRELS = "\n".join(json.dumps(o) for o in [
    {"id": "q1", "relevant": {"d1": 2, "d2": 1, "d3": 1}},
    {"id": "q2", "relevant": ["d5"]},  # a list means grade 1
    {"id": "q3", "relevant": {"d9": 1, "d8": 0}},
]) + "\n"

L2, L3, L4 = math.log2(2), math.log2(3), math.log2(4)  # discounts at ranks 1, 2, 3

# q1, nDCG@10 (linear gain = grade, discount log2(rank + 1)):
#   DCG  = 0/log2(2) + 2/log2(3) + 1/log2(4) = 1.26186 + 0.5 = 1.76186
#   IDCG = 2/log2(2) + 1/log2(3) + 1/log2(4) = 2 + 0.63093 + 0.5 = 3.13093
#   nDCG = 1.76186 / 3.13093 = 0.56273
Q1_NDCG = (2 / L3 + 1 / L4) / (2 / L2 + 1 / L3 + 1 / L4)
# q1: first relevant at rank 2 -> RR 1/2; 2 of 3 relevant retrieved -> R@10 = R@100 = 2/3;
#   AP = (P@2 + P@3) / 3 relevant = (1/2 + 2/3) / 3 = 7/18 = 0.38889 (d3 never retrieved adds 0)
Q1 = {"nDCG@10": Q1_NDCG, "RR@10": 1 / 2, "R@10": 2 / 3, "R@100": 2 / 3, "AP": 7 / 18}
# q2: one relevant, at rank 3: nDCG = (1/log2(4)) / (1/log2(2)) = 0.5; RR = 1/3; R = 1; AP = P@3 = 1/3
Q2 = {"nDCG@10": (1 / L4) / (1 / L2), "RR@10": 1 / 3, "R@10": 1.0, "R@100": 1.0, "AP": 1 / 3}
Q3 = {"nDCG@10": 0.0, "RR@10": 0.0, "R@10": 0.0, "R@100": 0.0, "AP": 0.0}
# Means over the 3 judged questions (q4 is unjudged):
#   nDCG@10 = (0.56273 + 0.5 + 0) / 3 = 0.35424;  MRR@10 = (1/2 + 1/3) / 3 = 5/18 = 0.27778
#   R@10 = (2/3 + 1 + 0) / 3 = 5/9 = 0.55556;      MAP = (7/18 + 1/3) / 3 = 13/54 = 0.24074
MEAN = {"nDCG@10": (Q1_NDCG + 0.5) / 3, "MRR@10": 5 / 18, "R@10": 5 / 9, "R@100": 5 / 9, "MAP": 13 / 54}


def _check_worked_example(report):
    assert report.count == 3
    assert report.missing == ("q3",)
    assert report.unjudged == ("q4",)
    for qid, expected in {"q1": Q1, "q2": Q2, "q3": Q3}.items():
        for measure, value in expected.items():
            assert report.per_query[qid][measure] == pytest.approx(value, abs=1e-9), (qid, measure)
    for measure, value in MEAN.items():
        assert report.mean[measure] == pytest.approx(value, abs=1e-9), measure
    assert report.mean["nDCG@10"] == pytest.approx(0.35424, abs=1e-5)


def test_worked_example_trec_formats():
    _check_worked_example(evaluate(read_run(TREC_RUN), read_qrels(TREC_QRELS)))


def test_worked_example_jsonl_formats_from_files(tmp_path):
    run, qrels = tmp_path / "run.jsonl", tmp_path / "qrels.jsonl"
    run.write_text(JSONL_RUN, encoding="utf-8")
    qrels.write_text(JSONL_QRELS, encoding="utf-8")
    _check_worked_example(evaluate_files(run, qrels))
    _check_worked_example(evaluate_files(str(run), str(qrels)))


def test_mixed_formats_agree():
    a = evaluate(read_run(TREC_RUN), read_qrels(JSONL_QRELS))
    b = evaluate(read_run(JSONL_RUN), read_qrels(TREC_QRELS))
    assert a.to_dict() == b.to_dict()


def test_jsonl_run_without_scores_keeps_rank_order():
    run = read_run('{"id": "q1", "hits": [{"passage_id": "d1"}, {"passage_id": "d2"}]}\n')
    assert run["q1"]["d1"] > run["q1"]["d2"]


def test_json_list_run_is_accepted():
    run = read_run(json.dumps([{"id": "q1", "hits": [{"passage_id": "d1", "score": 1}]}]))
    assert run == {"q1": {"d1": 1.0}}


def test_ties_follow_the_given_order_with_run_from_rankings():
    # Both systems put the relevant d2 second; with equal scores trec_eval would
    # re-order by id, run_from_rankings keeps the system's own order.
    run = run_from_rankings({"q1": ["d9", "d2", "d1"]})
    report = evaluate(run, {"q1": {"d2": 1}})
    assert report.per_query["q1"]["RR@10"] == pytest.approx(0.5)


def test_format_report_table_and_json():
    report = evaluate(read_run(TREC_RUN), read_qrels(TREC_QRELS))
    table = format_report(report, "table")
    lines = table.splitlines()
    assert lines[0].split() == ["question", "nDCG@10", "RR@10", "R@10", "R@100", "AP"]
    assert [ln.split()[0] for ln in lines[2:5]] == ["q1", "q2", "q3"]
    assert "mean (3)" in table and "0.3542" in table
    assert "MRR@10 0.2778" in table and "MAP 0.2407" in table
    assert "q3" in lines[-2] or "not in the run (scored 0): q3" in table
    data = json.loads(format_report(report, "json"))
    assert data["mean"]["MRR@10"] == pytest.approx(5 / 18)
    assert data["missing"] == ["q3"] and data["unjudged"] == ["q4"]
    with pytest.raises(ValueError):
        format_report(report, "xml")


def test_speaker_ranking_ndcg_at_5():
    ranked = {"w1": ["Susan Hall", "Kilvinder Vigurs", "Will Balakrishnan"], "w2": ["Katie Lomas"]}
    judged = {"w1": {"kilvinder vigurs": 2, "Will Balakrishnan": 1}, "w2": {"Nick John": 1}}
    report = evaluate_speakers(ranked, judged, k=5)
    # w1: DCG = 0 + 2/log2(3) + 1/log2(4) = 1.76186; IDCG = 2/log2(2) + 1/log2(3) = 2.63093 -> 0.66967
    assert report.per_query["w1"]["nDCG@5"] == pytest.approx((2 / L3 + 1 / L4) / (2 + 1 / L3), abs=1e-9)
    assert report.per_query["w1"]["RR@5"] == pytest.approx(0.5)
    assert report.per_query["w2"]["nDCG@5"] == 0.0
    assert report.mean["MRR@5"] == pytest.approx(0.25)
    assert report.kind == "speakers"


def test_speaker_files(tmp_path):
    run = tmp_path / "answers.jsonl"
    run.write_text(json.dumps({"id": "w1", "hits": [], "speakers": [
        {"speaker": "St Mungo's", "score": 2.0, "passages": []}, {"speaker": "Kilvinder Vigurs", "score": 1.0}]}) + "\n")
    qrels = tmp_path / "judged.jsonl"
    qrels.write_text(json.dumps({"id": "w1", "relevant": {}, "speakers": {"Kilvinder Vigurs": 1}}) + "\n")
    assert read_speaker_run(run) == {"w1": ["St Mungo's", "Kilvinder Vigurs"]}
    assert read_speaker_qrels(qrels) == {"w1": {"Kilvinder Vigurs": 1}}
    report = evaluate_files(run, qrels, speakers=True)
    assert report.per_query["w1"]["RR@5"] == pytest.approx(0.5)


def _passage(pid, doc, pos, text, speaker=None):
    return Passage(id=pid, document=doc, kind="transcript", title="t", date=None, position=pos,
                   text=text, start=0, end=len(text), speaker=speaker)


def test_content_judgments_resolve_to_passage_ids():
    passages = [
        _passage("t:0", "t", 0, "We are moving to the CAS3 and the work we are doing.", "Kilvinder Vigurs"),
        _passage("t:1", "t", 1, "Thank you.", "Susan Hall"),
        _passage("r:0", "r", 0, "St Mungo\u2019s said that  CAS3 is a *positive* step.", "St Mungo's"),
    ]
    text = "\n".join(json.dumps(o) for o in [
        {"id": "w1", "question": "who discussed CAS3", "type": "who",
         "relevant": [{"document": "t", "contains": "moving to the cas3", "grade": 2},
                      {"document": "r", "contains": "St Mungo's said that CAS3 is a positive", "grade": 1}],
         "speakers": {"kilvinder vigurs": 2, "St Mungos": 1}},
    ]) + "\n"
    questions = read_judgments(text)
    qrels, speakers = resolve_judgments(questions, passages)
    assert qrels == {"w1": {"t:0": 2, "r:0": 1}}
    assert speakers == {"w1": {"Kilvinder Vigurs": 2, "St Mungo's": 1}}


def test_content_judgment_matching_nothing_is_an_error():
    passages = [_passage("t:0", "t", 0, "Thank you.", "Susan Hall")]
    q = read_judgments('{"id": "x", "question": "?", "relevant": [{"document": "t", "contains": "CAS3"}]}\n')
    with pytest.raises(EvaluationError, match="no passage of t contains 'CAS3'"):
        resolve_judgments(q, passages)
    q = read_judgments('{"id": "x", "question": "?", "relevant": [], "speakers": {"Nobody Known": 1}}\n')
    with pytest.raises(EvaluationError, match="speaker 'Nobody Known'"):
        resolve_judgments(q, passages)


@pytest.mark.parametrize(
    "text, reader, message",
    [
        ("q1 Q0 d1 1 1.0\n", read_run, r"<run text>:1: expected 6 columns"),
        ("q1 Q0 d1 1 1.0 t\nq1 Q0 d2 2 high t\n", read_run, r":2: score must be a number, got 'high'"),
        ("q1 Q0 d1 1 1.0 t\nq1 Q0 d1 2 0.5 t\n", read_run, r":2: passage d1 listed twice"),
        ('{"id": "q1", "hits": []}\n{"id": "q2", "hits": [}\n', read_run, r":2: invalid JSON"),
        ('{"id": "q1"}\n', read_run, r":1: no 'hits' list"),
        ('{"hits": []}\n', read_run, r":1: no question 'id'"),
        ('{"id": "q1", "hits": [{"score": 1}]}\n', read_run, r":1: hit 1 has no 'passage_id'"),
        ("q1 0 d1\n", read_qrels, r"<qrels text>:1: expected 4 columns"),
        ("q1 0 d1 1\nq1 0 d2 1.5\n", read_qrels, r":2: grade must be a whole number"),
        ('{"id": "q1", "relevant": {"d1": "yes"}}\n', read_qrels, r":1: grade must be a number"),
        ('{"id": "q1", "relevant": [{"document": "t", "contains": "x"}]}\n', read_qrels, r"content judgments"),
    ],
)
def test_bad_input_names_file_and_line(text, reader, message):
    with pytest.raises(EvaluationError, match=message):
        reader(text)


def test_bad_files_name_the_file(tmp_path):
    bad = tmp_path / "run.trec"
    bad.write_text("q1 Q0 d1 1 1.0 t\nnot a run line\n", encoding="utf-8")
    with pytest.raises(EvaluationError) as err:
        read_run(bad)
    assert str(err.value).startswith(f"{bad}:2: expected 6 columns")
    with pytest.raises(EvaluationError, match="no such run file"):
        read_run(tmp_path / "missing.trec")
    binary = tmp_path / "qrels.txt"
    binary.write_bytes(b"\xff\xfe\x00q1")
    with pytest.raises(EvaluationError, match="not UTF-8"):
        read_qrels(binary)
