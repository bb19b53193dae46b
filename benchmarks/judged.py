"""Every judged question set and QMSum in one table: transcript_qa against
bm25s, by question type, with speaker nDCG and answer exact-match.

Sets (``benchmarks/data``; the README there and each ``SOURCE.md`` say how
they were written):

- ``seed``: the 50 seed questions on the bundled corpus (the set the ranking
  was first tuned on);
- ``heldout``: 63 questions on the bundled corpus written for issue 9 before
  any tuning (``heldout_bundled.jsonl``);
- ``covid``: 50 questions on three UK Covid-19 Inquiry witness sessions
  (``covid_inquiry/questions.jsonl``), on the committed corpus
  ``covid_inquiry/corpus/`` (cut by ``covid_inquiry_cut.py``; another folder
  with ``--covid-data`` or the ``COVID_INQUIRY_DATA`` environment variable);
- ``dail``: 49 questions on four debates of Dáil Éireann, 6 October 2021
  (``dail_debates/questions.jsonl``), on the committed corpus
  ``dail_debates/corpus/`` (cut by ``dail_debates_cut.py``). **Report-only**
  (``REPORT_ONLY``): never tuned on, never a fold of ``tune.py``, its failures
  never read by developers;
- QMSum val and test, per-meeting turn retrieval (``qmsum.py``'s data,
  ``--qmsum-data`` or ``QMSUM_DATA``).

Systems: ``transcript_qa`` (``build_index_from_passages`` with default
settings, or ``--setting name=value``; ``Index.ask(question, k=10)``) and
``bm25s`` (its defaults over the text of the same indexable passages; its
speaker ranking is the speakers of its top 10 by summed score, as in
``seed_questions.py``).

Metrics: nDCG@10 and MRR@10 over all questions and by type, speaker nDCG@5 on
questions with speaker judgments, and for factual questions that carry
``answers``: exact match of ``Answer.answer`` (the best answer span) after
normalisation (case, "per cent" = "%", thousands commas, articles,
punctuation), "contains" (the span holds an accepted answer) and "in top 10"
(an accepted answer is written in one of the 10 hits: the ceiling of the
extractor given the ranking).

    python benchmarks/judged.py                       # the whole table
    python benchmarks/judged.py --sets heldout,covid --no-qmsum
    python benchmarks/judged.py --setting context_prev=0.3 --out judged_try
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import _common  # noqa: F401  (puts the checkout on sys.path)
from _common import DATA_DIR, REPO_ROOT, BM25sBaseline, fmt, machine, table, write_results

#: ``../shared/benchmarks`` beside the checkout (one level further up from a worktree folder).
SHARED = next((p.resolve() for p in (REPO_ROOT / ".." / "shared" / "benchmarks",
                                     REPO_ROOT / ".." / ".." / "shared" / "benchmarks") if p.is_dir()),
              (REPO_ROOT / ".." / "shared" / "benchmarks").resolve())
COVID_DATA = Path(os.environ.get("COVID_INQUIRY_DATA") or DATA_DIR / "covid_inquiry" / "corpus")
QMSUM_DATA = Path(os.environ.get("QMSUM_DATA") or SHARED / "qmsum")
DAIL_DATA = DATA_DIR / "dail_debates" / "corpus"
SETS = {
    "seed": (DATA_DIR / "seed_questions.jsonl", None),
    "heldout": (DATA_DIR / "heldout_bundled.jsonl", None),
    "covid": (DATA_DIR / "covid_inquiry" / "questions.jsonl", "covid"),
    "dail": (DATA_DIR / "dail_debates" / "questions.jsonl", DAIL_DATA),
}
#: Sets that are only ever reported: never a tuning fold (``tune.py`` leaves them
#: out), never read question by question to find what to change.
REPORT_ONLY = frozenset({"dail"})
SYSTEMS = ("transcript_qa", "bm25s")
K = 10
SPEAKER_K = 5


# ----------------------------------------------------------------- judged sets


@dataclass
class JudgedSet:
    name: str
    questions: list  # JudgedQuestion
    raw: dict  # question id -> the JSON object (answers, answer_type)
    corpus: Any
    qrels: dict
    speaker_qrels: dict


def load_set(name: str, covid_data: Path = COVID_DATA) -> JudgedSet | None:
    """A judged set with its corpus, or None (with a message) when its corpus is not there."""
    from transcript_qa.corpus import load_corpus
    from transcript_qa.evaluation import read_judgments, resolve_judgments

    path, data = SETS[name]
    root = None
    if data is not None:
        root = covid_data if data == "covid" else Path(data)
        if not (root / "corpus.json").is_file():
            print(f"  {name}: no corpus at {root}; skipped", file=sys.stderr)
            return None
    corpus = load_corpus(root)
    questions = read_judgments(path)
    raw = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                obj = json.loads(line)
                raw[obj["id"]] = obj
    qrels, speaker_qrels = resolve_judgments(questions, corpus.passages)
    return JudgedSet(name, questions, raw, corpus, qrels, speaker_qrels)


def build(jset: JudgedSet, settings: dict[str, Any] | None = None) -> Any:
    from transcript_qa.build import build_index_from_passages

    c = jset.corpus
    return build_index_from_passages(c.passages, documents=c.documents, speakers=c.speakers(), **(settings or {}))


_ARTICLES = re.compile(r"\b(?:a|an|the)\b")


def normalise_answer(text: str) -> str:
    """Case, "per cent"/"percent" -> "%", thousands commas, articles and
    punctuation (but not %, currency signs or decimal points) ignored."""
    text = text.casefold().replace("\u2019", "'")
    text = re.sub(r"\s*(?:per\s?cent|percent)\b", "%", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    text = re.sub(r"[^\w\s%£$€.]", " ", text)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def answer_match(predicted: str | None, accepted: Sequence[str]) -> tuple[bool, bool]:
    """(exact match, contains) of a predicted span against accepted answers."""
    if not predicted:
        return False, False
    p = normalise_answer(predicted)
    golds = [normalise_answer(a) for a in accepted]
    exact = any(p == g for g in golds)
    contains = any(g and re.search(r"(?<![\w.])" + re.escape(g) + r"(?![\w])", p) for g in golds)
    return exact, bool(contains)


def run_system(jset: JudgedSet, system: str, settings: dict[str, Any] | None = None,
               index: Any = None) -> dict[str, Any]:
    """Per-question rankings, speaker rankings and answers of one system."""
    rankings: dict[str, list[str]] = {}
    speakers: dict[str, list[str]] = {}
    answers: dict[str, str | None] = {}
    passages = {p.id: p for p in jset.corpus.passages}
    t0 = time.perf_counter()
    if system == "transcript_qa":
        index = index if index is not None else build(jset, settings)
        built = time.perf_counter()
        for q in jset.questions:
            answer = index.ask(q.question, k=K)
            rankings[q.id] = [h.passage.id for h in answer.hits]
            speakers[q.id] = [s.speaker for s in answer.speakers][:SPEAKER_K]
            span = getattr(answer, "answer", None)
            answers[q.id] = span.text if span is not None else None
    else:
        indexable = [p for p in jset.corpus.passages if p.boilerplate is None]
        engine = BM25sBaseline([p.id for p in indexable], [p.text for p in indexable])
        speaker_of = {p.id: p.speaker for p in jset.corpus.passages}
        built = time.perf_counter()
        for q in jset.questions:
            hits = engine.search(q.question, K)
            rankings[q.id] = [pid for pid, _ in hits]
            totals: dict[str, float] = defaultdict(float)
            for pid, value in hits:
                if speaker_of.get(pid):
                    totals[speaker_of[pid]] += value
            speakers[q.id] = [n for n, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))][:SPEAKER_K]
    return {"rankings": rankings, "speakers": speakers, "answers": answers, "passages": passages,
            "build_s": built - t0, "query_s": time.perf_counter() - built}


def score_set(jset: JudgedSet, run: dict[str, Any]) -> dict[str, Any]:
    """Mean scores (all, by type), speaker nDCG@5 and answer exact-match of one run."""
    from transcript_qa.evaluation import evaluate, evaluate_speakers, run_from_rankings

    report = evaluate(run_from_rankings(run["rankings"]), jset.qrels)
    per_q = {q: {"nDCG@10": round(v["nDCG@10"], 4), "RR@10": round(v["RR@10"], 4)}
             for q, v in report.per_query.items()}
    types = sorted({q.type or "-" for q in jset.questions})
    scores: dict[str, Any] = {"all": {"n": len(jset.questions),
                                      "nDCG@10": round(report.mean["nDCG@10"], 4),
                                      "MRR@10": round(report.mean["MRR@10"], 4)}}
    for t in types:
        ids = [q.id for q in jset.questions if (q.type or "-") == t]
        scores[t] = {"n": len(ids),
                     "nDCG@10": round(sum(report.per_query[i]["nDCG@10"] for i in ids) / len(ids), 4),
                     "MRR@10": round(sum(report.per_query[i]["RR@10"] for i in ids) / len(ids), 4)}
    who = [q for q in jset.speaker_qrels]
    speaker = None
    if who:
        sp = evaluate_speakers({q: run["speakers"].get(q, []) for q in who},
                               {q: jset.speaker_qrels[q] for q in who}, k=SPEAKER_K)
        speaker = round(sp.mean["nDCG@5"], 4)
        for q in who:
            per_q[q]["speaker_nDCG@5"] = round(sp.per_query[q]["nDCG@5"], 4)
    factual = [qid for qid, obj in jset.raw.items() if obj.get("answers")]
    em = contains = reachable = 0
    for qid in factual:
        exact, inside = answer_match(run["answers"].get(qid), jset.raw[qid]["answers"])
        em += exact
        contains += inside
        reach = any(answer_match(_full_text(run["passages"][pid]), jset.raw[qid]["answers"])[1]
                    for pid in run["rankings"].get(qid, []))
        reachable += reach
        per_q[qid]["answer"] = run["answers"].get(qid)
        per_q[qid]["answer_exact"] = exact
        per_q[qid]["answer_in_hits"] = reach
    answers = ({"n": len(factual), "exact": round(em / len(factual), 4), "contains": round(contains / len(factual), 4),
                "in_hits": round(reachable / len(factual), 4)}
               if factual and any(v is not None for v in run["answers"].values()) else None)
    return {"scores": scores, "speaker_nDCG@5": speaker, "answers": answers, "per_question": per_q,
            "build_s": round(run["build_s"], 3), "query_s": round(run["query_s"], 3)}


def _full_text(passage: Any) -> str:
    return passage.text + ("\n" + passage.citation if passage.citation else "")


# ------------------------------------------------------------------------ QMSum


def qmsum_per_query(split: str, system: str, settings: dict[str, Any] | None = None,
                    data: Path = QMSUM_DATA) -> dict[str, float] | None:
    """nDCG@10 per query of QMSum ``split`` (per-meeting indexes), or None without data."""
    if not (data / f"{split}_meetings.jsonl").is_file():
        print(f"  QMSum {split}: no data at {data}; skipped", file=sys.stderr)
        return None
    import qmsum
    from transcript_qa.evaluation import evaluate, run_from_rankings

    meetings, _, queries = qmsum.load(data, split, None)
    builder = qmsum.BUILDERS[system]
    if system == "transcript_qa" and settings:
        builder = _qmsum_builder(settings)
    rankings: dict[str, list[str]] = {}
    for mid, turns in meetings.items():
        group = [q for q in queries if q.meeting == mid]
        if not group:
            continue
        search = builder(turns)
        for q in group:
            rankings[q.qid] = search(q.query, K)[:K]
    qrels = {q.qid: {f"{q.meeting}:{t}": 1 for t in q.relevant} for q in queries}
    report = evaluate(run_from_rankings(rankings), qrels, measures=("nDCG@10", "RR@10"))
    return {q: v["nDCG@10"] for q, v in report.per_query.items()}


def _qmsum_builder(settings: dict[str, Any]):
    from transcript_qa.build import build_index_from_passages
    from transcript_qa.model import Document, Passage

    def make(turns):
        documents = {t.meeting: Document(id=t.meeting, title=t.meeting, kind="transcript", date=None,
                                         path=f"{t.meeting}.jsonl") for t in turns}
        passages = [Passage(id=t.pid, document=t.meeting, kind="transcript", title=t.meeting, date=None,
                            position=t.turn, text=t.text, start=0, end=len(t.text), speaker=t.speaker or None,
                            speaker_label=t.speaker or None) for t in turns]
        index = build_index_from_passages(passages, documents=tuple(documents.values()), **settings)
        return lambda query, k: [h.passage.id for h in index.search(query, k=k)]

    return make


def mean(values: Any) -> float:
    values = list(values)
    return round(sum(values) / len(values), 4) if values else 0.0


# ------------------------------------------------------------------------- main


def parse_settings(items: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            out[name] = json.loads(value)
        except json.JSONDecodeError:
            out[name] = value
    return out


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--setting", action="append", default=[], help="transcript_qa setting name=value (JSON)")
    parser.add_argument("--covid-data", type=Path, default=COVID_DATA)
    parser.add_argument("--qmsum-data", type=Path, default=QMSUM_DATA)
    parser.add_argument("--no-qmsum", action="store_true")
    parser.add_argument("--out", default="judged")
    args = parser.parse_args(argv)
    settings = parse_settings(args.setting)
    systems = [s for s in args.systems.split(",") if s]
    result: dict[str, Any] = {"benchmark": "judged", "machine": machine(), "settings": settings, "sets": {},
                              "qmsum": {}}
    for name in [s for s in args.sets.split(",") if s]:
        jset = load_set(name, args.covid_data)
        if jset is None:
            continue
        result["sets"][name] = {"questions": len(jset.questions), "passages": len(jset.corpus.passages),
                                "systems": {}}
        for system in systems:
            scored = score_set(jset, run_system(jset, system, settings))
            result["sets"][name]["systems"][system] = scored
            print(f"  {name} {system}: nDCG@10 {scored['scores']['all']['nDCG@10']:.3f}", file=sys.stderr)
    if not args.no_qmsum:
        for split in ("val", "test"):
            for system in systems:
                per_q = qmsum_per_query(split, system, settings, args.qmsum_data)
                if per_q is not None:
                    result["qmsum"].setdefault(split, {})[system] = {"n": len(per_q), "nDCG@10": mean(per_q.values())}
    print(render(result))
    path = write_results(args.out, result)
    print(f"\nresults written to {path}", file=sys.stderr)
    return result


def render(result: dict[str, Any]) -> str:
    parts = []
    for name, entry in result["sets"].items():
        systems = entry["systems"]
        first = next(iter(systems.values()))
        types = [t for t in first["scores"] if t != "all"]
        header = ["system", f"all ({first['scores']['all']['n']})",
                  *(f"{t} ({first['scores'][t]['n']})" for t in types), "MRR@10", "speaker nDCG@5",
                  "answer EM", "answer contains", "answer in top 10"]
        rows = []
        for system, s in systems.items():
            a = s["answers"]
            rows.append([system, fmt(s["scores"]["all"]["nDCG@10"]), *(fmt(s["scores"][t]["nDCG@10"]) for t in types),
                         fmt(s["scores"]["all"]["MRR@10"]), fmt(s["speaker_nDCG@5"]) if s["speaker_nDCG@5"] is not None else "-",
                         fmt(a["exact"]) if a else "-", fmt(a["contains"]) if a else "-",
                         fmt(a["in_hits"]) if a else "-"])
        parts.append(table(header, rows, title=f"### {name}: {entry['questions']} questions, "
                                               f"{entry['passages']} passages (cells: nDCG@10 unless named)"))
    if result["qmsum"]:
        rows = [[f"{split} {system}", str(v["n"]), fmt(v["nDCG@10"])]
                for split, systems in result["qmsum"].items() for system, v in systems.items()]
        parts.append(table(["QMSum per-meeting", "queries", "nDCG@10"], rows, title="### QMSum"))
    return "\n".join(parts)


if __name__ == "__main__":
    main()
