"""Our judged questions on the bundled corpus: transcript_qa against bm25s and
against plain scikit-learn TF-IDF over the raw files' paragraphs.

Questions and judgments: ``benchmarks/data/seed_questions.jsonl`` (see
``benchmarks/README.md``), resolved to passage ids of the current parse with
``transcript_qa.evaluation.resolve_judgments``. Systems, in the same run:

- ``transcript_qa``: the index built from the corpus (as ``build_index`` does,
  in memory), ``Index.ask(question, k=10)``: its hits, and its speaker ranking;
- ``bm25s``: bm25s with its defaults over the text of the same indexable
  (non-boilerplate) passages;
- ``sklearn-paragraphs``: what a user gets without the tool: scikit-learn's
  ``TfidfVectorizer()`` with its defaults over the blank-line-separated
  paragraphs of the raw files, ranked by cosine similarity; each paragraph hit
  is mapped to the passage(s) it overlaps (character offsets), in rank order.

Baselines have no speaker ranking of their own; theirs is the speakers of their
top 10 passages, by summed score. Metrics: nDCG@10, MRR@10, R@10 over all
questions and by type, and speaker nDCG@5 on the "who" questions (the JSON also
has R@100 and MAP, computed on the same top-10 runs).

    python benchmarks/seed_questions.py
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Sequence

import _common  # noqa: F401  (puts the checkout on sys.path)
from _common import DATA_DIR, BM25sBaseline, fmt, machine, table, write_results

QUESTIONS = DATA_DIR / "seed_questions.jsonl"
SYSTEMS = ("transcript_qa", "bm25s", "sklearn-paragraphs")
TYPES = ("who", "fact", "paraphrase", "acronym")
K = 10
SPEAKER_K = 5


def paragraphs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the blank-line-separated paragraphs of a file."""
    out = []
    for match in re.finditer(r"\S(?:.*?\S)??(?=\n[ \t\r\f\v]*\n|\s*\Z)", text, flags=re.S):
        out.append((match.start(), match.end(), match.group(0)))
    return out


class SklearnParagraphs:
    """scikit-learn TF-IDF (defaults) over raw-file paragraphs, hits mapped to passages."""

    def __init__(self, corpus: Any) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        root = Path(corpus.root)
        self.units: list[list[str]] = []  # passage ids each paragraph overlaps
        texts: list[str] = []
        by_doc: dict[str, list[Any]] = defaultdict(list)
        for p in corpus.passages:
            by_doc[p.document].append(p)
        for doc in corpus.documents:
            raw = (root / doc.path).read_bytes().decode(doc.encoding or "utf-8")
            if raw.startswith("\ufeff"):
                raw = raw[1:]
            for start, end, text in paragraphs(raw):
                overlap = [p.id for p in by_doc[doc.id] if p.start < end and p.end > start]
                self.units.append(overlap)
                texts.append(text)
        self.vectorizer = TfidfVectorizer()
        self.matrix = self.vectorizer.fit_transform(texts)
        self.paragraph_count = len(texts)

    def search(self, query: str, k: int = K) -> list[tuple[str, float]]:
        scores = (self.matrix @ self.vectorizer.transform([query]).T).toarray().ravel()
        order = sorted((i for i in range(len(scores)) if scores[i] > 0), key=lambda i: (-scores[i], i))
        out: list[tuple[str, float]] = []
        seen: set[str] = set()
        for i in order:
            for pid in self.units[i]:
                if pid not in seen:
                    seen.add(pid)
                    out.append((pid, float(scores[i])))
            if len(out) >= k:
                break
        return out[:k]


def speakers_of(hits: Sequence[tuple[str, float]], speaker_by_id: dict[str, str | None]) -> list[str]:
    totals: dict[str, float] = defaultdict(float)
    for pid, score in hits:
        name = speaker_by_id.get(pid)
        if name:
            totals[name] += score
    return [name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))][:SPEAKER_K]


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: the bundled corpus)")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--out", default="seed_questions", help="results name or .json path")
    args = parser.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    if any(s not in SYSTEMS for s in systems):
        parser.error(f"--systems takes {', '.join(SYSTEMS)}")

    from transcript_qa.corpus import load_corpus
    from transcript_qa.evaluation import (evaluate, evaluate_speakers, read_judgments, resolve_judgments,
                                          run_from_rankings)
    from transcript_qa.build import build_index_from_passages

    corpus = load_corpus(args.corpus)
    questions = read_judgments(args.questions)
    qrels, speaker_qrels = resolve_judgments(questions, corpus.passages)
    speaker_by_id = {p.id: p.speaker for p in corpus.passages}
    by_type = {t: [q.id for q in questions if q.type == t] for t in TYPES}
    who_ids = [q.id for q in questions if q.id in speaker_qrels]

    result: dict[str, Any] = {
        "benchmark": "seed_questions",
        "machine": machine(),
        "questions": len(questions),
        "by_type": {t: len(v) for t, v in by_type.items()},
        "judged_passages": sum(len(v) for v in qrels.values()),
        "passages": len(corpus.passages),
        "indexable_passages": sum(p.boilerplate is None for p in corpus.passages),
        "systems": {},
    }
    for system in systems:
        t0 = time.perf_counter()
        rankings: dict[str, list[str]] = {}
        speaker_rankings: dict[str, list[str]] = {}
        if system == "transcript_qa":
            index = build_index_from_passages(corpus.passages, documents=corpus.documents, speakers=corpus.speakers())
            build_s = time.perf_counter() - t0
            for q in questions:
                answer = index.ask(q.question, k=K)
                rankings[q.id] = [h.passage.id for h in answer.hits]
                speaker_rankings[q.id] = [s.speaker for s in answer.speakers][:SPEAKER_K]
        else:
            if system == "bm25s":
                indexable = [p for p in corpus.passages if p.boilerplate is None]
                engine: Any = BM25sBaseline([p.id for p in indexable], [p.text for p in indexable])
            else:
                engine = SklearnParagraphs(corpus)
                result["paragraphs"] = engine.paragraph_count
            build_s = time.perf_counter() - t0
            for q in questions:
                hits = engine.search(q.question, K)
                rankings[q.id] = [pid for pid, _ in hits]
                speaker_rankings[q.id] = speakers_of(hits, speaker_by_id)
        query_s = time.perf_counter() - t0 - build_s
        report = evaluate(run_from_rankings(rankings), qrels)
        speakers = evaluate_speakers({q: speaker_rankings.get(q, []) for q in who_ids},
                                     {q: speaker_qrels[q] for q in who_ids}, k=SPEAKER_K)
        summary: dict[str, Any] = {"all": dict(report.mean)}
        for t, ids in by_type.items():
            if ids:
                summary[t] = {m: round(sum(report.per_query[q][m] for q in ids) / len(ids), 4)
                              for m in ("nDCG@10", "RR@10", "R@10")}
        result["systems"][system] = {
            "scores": {k: {m: round(v, 4) for m, v in s.items()} for k, s in summary.items()},
            "speaker_nDCG@5": round(speakers.mean["nDCG@5"], 4),
            "speaker_MRR@5": round(speakers.mean["MRR@5"], 4),
            "build_s": round(build_s, 3),
            "query_s": round(query_s, 3),
            "per_question": {q: {"nDCG@10": round(report.per_query[q]["nDCG@10"], 4),
                                 "RR@10": round(report.per_query[q]["RR@10"], 4),
                                 **({"speaker_nDCG@5": round(speakers.per_query[q]["nDCG@5"], 4)}
                                    if q in speakers.per_query else {})}
                             for q in report.per_query},
        }
        print(f"  {system}: nDCG@10 {report.mean['nDCG@10']:.3f}, speakers nDCG@5 "
              f"{speakers.mean['nDCG@5']:.3f} ({build_s:.2f} s build)", file=sys.stderr)
    print(render(result))
    path = write_results(args.out, result)
    print(f"\nresults written to {path}", file=sys.stderr)
    return result


def render(result: dict[str, Any]) -> str:
    types = [t for t in TYPES if result["by_type"].get(t)]
    header = ["system", "nDCG@10", "MRR@10", "R@10",
              *(f"{t} ({result['by_type'][t]}) nDCG@10" for t in types), "who: speaker nDCG@5"]
    rows = []
    for name, s in result["systems"].items():
        a = s["scores"]["all"]
        rows.append([name, fmt(a["nDCG@10"]), fmt(a["MRR@10"]), fmt(a["R@10"]),
                     *(fmt(s["scores"][t]["nDCG@10"]) for t in types), fmt(s["speaker_nDCG@5"])])
    title = (f"Seed questions: {result['questions']} questions, {result['judged_passages']} judged passages, "
             f"{result['indexable_passages']} indexable passages of {result['passages']}")
    return table(header, rows, title=title)


if __name__ == "__main__":
    main()
