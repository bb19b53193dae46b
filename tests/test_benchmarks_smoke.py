"""Every benchmark script runs end to end, as documented, on a tiny size, so
that none of them can rot. Each writes its JSON results to a temporary path
(never over the committed results)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
QMSUM = Path(os.environ.get("QMSUM_DATA") or (REPO / ".." / "shared" / "benchmarks" / "qmsum")).resolve()

pytestmark = pytest.mark.slow


def run(script: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, str(BENCH / script), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{script} failed:\n{proc.stderr[-2000:]}"
    return proc


def test_seed_questions(tmp_path):
    out = tmp_path / "seed.json"
    proc = run("seed_questions.py", "--out", str(out))
    data = json.loads(out.read_text())
    assert data["questions"] >= 30
    assert set(data["systems"]) == {"transcript_qa", "bm25s", "sklearn-paragraphs"}
    for system in data["systems"].values():
        assert 0 < system["scores"]["all"]["nDCG@10"] <= 1
        assert 0 <= system["speaker_nDCG@5"] <= 1
    assert "| transcript_qa" in proc.stdout


@pytest.mark.skipif(not (QMSUM / "val_queries.jsonl").is_file(), reason="QMSum data folder absent")
def test_qmsum_two_meetings(tmp_path):
    out = tmp_path / "qmsum.json"
    proc = run("qmsum.py", "--split", "val", "--limit", "2", "--out", str(out))
    data = json.loads(out.read_text())
    assert data["meetings"] == 2 and data["queries"] > 0
    for setting in ("per-meeting", "global"):
        assert set(data["settings"][setting]) == {"transcript_qa", "transcript_qa+invents", "bm25s", "bm25s+speaker"}
        for entry in data["settings"][setting].values():
            assert 0 <= entry["scores"]["all"]["nDCG@10"] <= 1
            assert 0 <= entry["diagnostics"]["short"] <= 1
    assert "### per-meeting" in proc.stdout and "### global" in proc.stdout and "### what the ten hits hold" in proc.stdout


def test_qmsum_missing_data_is_a_clear_error(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH / "qmsum.py"), "--data", str(tmp_path), "--limit", "1",
                           "--out", str(tmp_path / "x.json")], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "test_meetings.jsonl not found" in proc.stderr and "benchmarks/README.md" in proc.stderr


def test_scale_tiny(tmp_path):
    out = tmp_path / "scale.json"
    proc = run("scale.py", "--sizes", "1000", "--out", str(out))
    data = json.loads(out.read_text())
    entry = data["sizes"]["1000"]
    assert entry["corpus"]["passages"] == 1000 and entry["corpus"]["distinct_words"] > 1000
    assert set(entry["systems"]) == {"transcript_qa", "transcript_qa-numpy", "bm25s-numpy", "bm25s-numba", "tantivy"}
    for name, s in entry["systems"].items():
        assert "error" not in s, (name, s)
        assert s["build_s"] > 0 and s["index_mb"] > 0 and s["peak_rss_mb"] > 0
        assert s["query_median_ms"] > 0 and s["batch_qps"] > 0 and s["peak_tree_mb"] > 0
        assert s["target_in_top10"] > 0.5, name  # each system finds the passage a query was drawn from
    assert "(ratios: system / transcript_qa;" in proc.stdout and "transcript_qa / tantivy:" in proc.stdout


def test_scale_generator_is_seeded(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        import synthetic
    finally:
        sys.path.remove(str(BENCH))
    a = synthetic.generate(300, 7, tmp_path / "a.jsonl", tmp_path / "a.json")
    b = synthetic.generate(300, 7, tmp_path / "b.jsonl", tmp_path / "b.json")
    assert (tmp_path / "a.jsonl").read_text() == (tmp_path / "b.jsonl").read_text()
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()
    assert {k: v for k, v in a.items() if k != "generate_s"} == {k: v for k, v in b.items() if k != "generate_s"}


def test_cli_latency_one_run(tmp_path):
    out = tmp_path / "cli.json"
    proc = run("cli_latency.py", "--runs", "1", "--question", "who discussed CAS3", "--out", str(out))
    data = json.loads(out.read_text())
    assert data["ask_median_s"] > 0 and data["numpy_floor_s"] > 0
    assert 'cli.py ask "who discussed CAS3"' in data["commands"]
    assert "target" in proc.stdout


def test_judged_sets_table(tmp_path):
    out = tmp_path / "judged.json"
    proc = run("judged.py", "--sets", "seed,heldout", "--no-qmsum", "--out", str(out))
    data = json.loads(out.read_text())
    assert set(data["sets"]) == {"seed", "heldout"}
    for entry in data["sets"].values():
        ours = entry["systems"]["transcript_qa"]
        assert 0 < ours["scores"]["all"]["nDCG@10"] <= 1 and 0 <= ours["answers"]["exact"] <= 1
        assert set(entry["systems"]) == {"transcript_qa", "bm25s"}
    assert "### heldout" in proc.stdout and "answer EM" in proc.stdout


def test_report_only_dail_set_resolves_and_is_never_a_tuning_fold():
    """Every judgment of the report-only Dáil set names a passage (load_set raises
    otherwise), every "who" question a speaker, and tune.py never folds it in."""
    sys.path.insert(0, str(BENCH))
    try:
        import judged
        import tune
    finally:
        sys.path.remove(str(BENCH))
    jset = judged.load_set("dail")
    assert jset is not None and len(jset.questions) == 49
    assert all(jset.qrels[q.id] for q in jset.questions)
    assert set(jset.speaker_qrels) == {q.id for q in jset.questions if q.type == "who"}
    assert "dail" in judged.REPORT_ONLY and "dail" not in tune.TUNING_SETS
    assert {"seed", "heldout", "covid"} <= set(tune.TUNING_SETS)


def test_tune_one_parameter(tmp_path):
    out = tmp_path / "tune.json"
    proc = run("tune.py", "--only", "ranking", "--params", "speaker_boost", "--no-qmsum", "--out", str(out))
    data = json.loads(out.read_text())
    result = data["ranking"]["speaker_boost"]
    assert set(result["loo"]) == set(data["folds"]["ranking"]) and "kept" in result
    assert "cross-validated choices" in proc.stdout


def test_faults_quick(tmp_path):
    out = tmp_path / "faults.json"
    proc = run("faults.py", "--quick", "--out", str(out))
    data = json.loads(out.read_text())
    corruption = data["corruption"][0]
    assert corruption["trials"] > 100 and corruption["detected"] == corruption["trials"], corruption["missed"][:3]
    for part in ("builds", "batches"):
        assert len(data[part]["points"]) == 2
        assert {p["outcome"] for p in data[part]["points"]} <= {"previous", "new", "restored previous", "restored new"}
    assert "kill -9 during `index build`" in proc.stdout


def test_known_item_settings(tmp_path):
    out = tmp_path / "known_item.json"
    proc = run("known_item.py", "--sizes", "1000", "--out", str(out), "--settings", "{}", '{"bigram_weight": 0.0}')
    rows = json.loads(out.read_text())["sizes"]["1000"]
    assert set(rows) == {"{}", '{"bigram_weight": 0.0}'}
    assert all(r["target_in_top10"] > 0.5 and r["target_in_top10_batch"] > 0.5 for r in rows.values())
    assert "target@10 (200 single)" in proc.stdout
