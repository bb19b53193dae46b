"""Tuning that generalises: leave-one-set-out cross-validation of ranking
settings and of the answer extractor's constants.

Folds: the judged sets of ``judged.py`` (``seed``, ``heldout``, ``covid``) and
QMSum val (per-meeting). Report-only sets (``judged.REPORT_ONLY``: ``dail``) are
never folds: they are never tuned on. Ranking settings are scored by nDCG@10 on every fold;
the answer constants by answer exact-match on the folds with gold answers.

For each parameter, one at a time (the others at their defaults): every value
of its grid is measured on every fold; then, for each fold, the value that is
best on the *other* folds (mean of their scores) is applied to the held-out
fold and compared with the default there. A value is kept only when it is
chosen the same way on every held-out fold and never loses on the fold it was
not chosen on ("helps on the sets it was not tuned on"); otherwise the default
stays. Indexes are built once (``Index.with_settings`` changes ranking without
a rebuild), so a full run takes a few minutes.

    python benchmarks/tune.py                      # ranking settings and answer constants
    python benchmarks/tune.py --only answers       # or: --only ranking
    python benchmarks/tune.py --params speaker_boost,expansion_weight
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, Callable, Sequence

import _common  # noqa: F401  (puts the checkout on sys.path)
from _common import fmt, machine, table, write_results

import judged

#: The judged sets tuning may use: every set of judged.py except the report-only ones.
TUNING_SETS = [name for name in judged.SETS if name not in judged.REPORT_ONLY]
#: Ranking settings and the values tried (the default is always among them).
RANK_GRID: dict[str, list[Any]] = {
    "speaker_boost": [0.5, 1.0, 2.0, 3.0, 4.0],
    "expansion_weight": [0.0, 0.25, 0.5, 0.75, 1.0],
    "length_slope": [0.1, 0.2, 0.3, 0.4, 0.5],
    "context_prev": [0.25, 0.35, 0.5, 0.65],
    "context_next": [0.25, 0.35, 0.5, 0.65],
    "context_decay": [0.5, 0.7, 0.85],
    "context_window": [1, 2, 3, 4],
    "context_sources": [50, 100, 150, 200, 300],
    "meta_words": [True, False],
    "speaker_terms": ["drop", "keep"],
    "bigram_evidence": [0.0, 0.5, 1.0, 2.0, 3.84, 6.63],
}
#: Answer extractor constants (module globals of transcript_qa.answers) and the values tried.
ANSWER_GRID: dict[str, list[Any]] = {
    "MIN_SHARE": [0.1, 0.15, 0.2, 0.3],
    "HALF_DISTANCE": [4.0, 8.0, 16.0],
    "OTHER_SENTENCE": [0.0, 0.25, 0.5],
    "RANK_WEIGHT": [0.0, 0.5, 1.0, 2.0],
}


class Folds:
    """Indexes built once; scores of a setting on every fold."""

    def __init__(self, sets: Sequence[str], qmsum: bool) -> None:
        self.sets = {name: s for name in sets if (s := judged.load_set(name)) is not None}
        self.indexes: dict[str, Any] = {}
        for name, jset in self.sets.items():
            shared = next((self.indexes[n] for n, other in self.sets.items()
                           if n in self.indexes and other.corpus.root == jset.corpus.root), None)
            self.indexes[name] = shared or judged.build(jset)
        self.qmsum = self._qmsum() if qmsum else None

    def _qmsum(self) -> tuple[list, dict] | None:
        data = judged.QMSUM_DATA
        if not (data / "val_meetings.jsonl").is_file():
            print(f"  QMSum val: no data at {data}; left out", file=sys.stderr)
            return None
        import qmsum
        from transcript_qa.build import build_index_from_passages
        from transcript_qa.model import Passage

        meetings, _, queries = qmsum.load(data, "val", None)
        groups = []
        for mid, turns in meetings.items():
            group = [q for q in queries if q.meeting == mid]
            if group:
                passages = [Passage(id=t.pid, document=t.meeting, kind="transcript", title=t.meeting, date=None,
                                    position=t.turn, text=t.text, start=0, end=len(t.text),
                                    speaker=t.speaker or None, speaker_label=t.speaker or None) for t in turns]
                groups.append((build_index_from_passages(passages), group))
        qrels = {q.qid: {f"{q.meeting}:{t}": 1 for t in q.relevant} for q in queries}
        return groups, qrels

    def names(self, metric: str) -> list[str]:
        if metric == "answers":
            return [n for n, s in self.sets.items() if any(o.get("answers") for o in s.raw.values())]
        return list(self.sets) + (["qmsum_val"] if self.qmsum else [])

    def scores(self, settings: dict[str, Any], metric: str = "ndcg") -> dict[str, float]:
        out: dict[str, float] = {}
        for name, jset in self.sets.items():
            index = self.indexes[name].with_settings(**settings) if settings else self.indexes[name]
            scored = judged.score_set(jset, judged.run_system(jset, "transcript_qa", index=index))
            if metric == "answers":
                if scored["answers"]:
                    out[name] = scored["answers"]["exact"]
            else:
                out[name] = scored["scores"]["all"]["nDCG@10"]
        if metric == "ndcg" and self.qmsum:
            from transcript_qa.evaluation import evaluate, run_from_rankings

            groups, qrels = self.qmsum
            rankings = {}
            for index, group in groups:
                index = index.with_settings(**settings) if settings else index
                for q in group:
                    rankings[q.qid] = [h.passage.id for h in index.search(q.query, k=judged.K)]
            report = evaluate(run_from_rankings(rankings), qrels, measures=("nDCG@10",))
            out["qmsum_val"] = round(report.mean["nDCG@10"], 4)
        return out


def cross_validate(grid: dict[str, list[Any]], measure: Callable[[str, Any], dict[str, float]],
                   defaults: dict[str, Any], folds: list[str]) -> dict[str, Any]:
    """Per parameter: scores of every value on every fold, the leave-one-out
    choices, and the verdict (kept value or the default)."""
    report: dict[str, Any] = {}
    for name, values in grid.items():
        t0 = time.perf_counter()
        scores = {repr(v): measure(name, v) for v in values}
        default = repr(defaults[name])
        loo = {}
        for held in folds:
            others = [f for f in folds if f != held]
            # ties go to the value nearest the default in the grid
            near = {repr(v): -abs(i - [repr(x) for x in values].index(default)) for i, v in enumerate(values)}
            best = max(values, key=lambda v: (round(sum(scores[repr(v)][f] for f in others) / len(others), 6),
                                              near[repr(v)]))
            loo[held] = {"chosen": best, "held_out": scores[repr(best)][held], "default": scores[default][held]}
        chosen = {repr(c["chosen"]) for c in loo.values()}
        gains = [c["held_out"] - c["default"] for c in loo.values()]
        keep = (len(chosen) == 1 and next(iter(chosen)) != default and all(g >= 0 for g in gains)
                and any(g > 0 for g in gains))
        verdict = next(iter(loo.values()))["chosen"] if keep else defaults[name]
        report[name] = {"scores": scores, "loo": loo, "default": defaults[name], "kept": verdict,
                        "changed": keep, "seconds": round(time.perf_counter() - t0, 1)}
        print(f"  {name}: {'keep ' + repr(verdict) if keep else 'default ' + default} "
              f"(held-out gains {', '.join(f'{g:+.4f}' for g in gains)})", file=sys.stderr)
    return report


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("ranking", "answers"), default=None)
    parser.add_argument("--params", default=None, help="comma-separated parameter names (default: all)")
    parser.add_argument("--no-qmsum", action="store_true")
    parser.add_argument("--out", default="tune")
    args = parser.parse_args(argv)
    wanted = set(args.params.split(",")) if args.params else None

    from transcript_qa import answers
    from transcript_qa.settings import RankSettings

    # Report-only sets (judged.REPORT_ONLY) are never tuned on: not a fold, not even a held-out one.
    folds = Folds(TUNING_SETS, qmsum=not args.no_qmsum and args.only != "answers")
    result: dict[str, Any] = {"benchmark": "tune", "machine": machine(), "folds": {}, "ranking": {}, "answers": {}}
    if args.only in (None, "ranking"):
        defaults = RankSettings().to_dict()
        grid = {k: v for k, v in RANK_GRID.items() if wanted is None or k in wanted}
        names = folds.names("ndcg")
        result["folds"]["ranking"] = names
        result["ranking"] = cross_validate(grid, lambda k, v: folds.scores({k: v}), defaults, names)
    if args.only in (None, "answers"):
        defaults = {k: getattr(answers, k) for k in ANSWER_GRID}
        grid = {k: v for k, v in ANSWER_GRID.items() if wanted is None or k in wanted}
        names = folds.names("answers")
        result["folds"]["answers"] = names

        def measure(name: str, value: Any) -> dict[str, float]:
            old = getattr(answers, name)
            setattr(answers, name, value)
            try:
                return folds.scores({}, metric="answers")
            finally:
                setattr(answers, name, old)

        result["answers"] = cross_validate(grid, measure, defaults, names)
    print(render(result))
    path = write_results(args.out, result)
    print(f"\nresults written to {path}", file=sys.stderr)
    return result


def render(result: dict[str, Any]) -> str:
    parts = []
    for part, title in (("ranking", "nDCG@10"), ("answers", "answer exact-match")):
        if not result[part]:
            continue
        folds = result["folds"][part]
        rows = []
        for name, r in result[part].items():
            for value, scores in r["scores"].items():
                mark = " (default)" if value == repr(r["default"]) else ""
                rows.append([f"{name}={value}{mark}", *(fmt(scores[f]) for f in folds),
                             fmt(sum(scores[f] for f in folds) / len(folds))])
        parts.append(table(["setting", *folds, "mean"], rows, title=f"### {title} by fold"))
        rows = [[name, repr(r["default"]), ", ".join(f"{f}: {c['chosen']!r} ({c['held_out'] - c['default']:+.4f})"
                                                     for f, c in r["loo"].items()),
                 repr(r["kept"]) + (" (changed)" if r["changed"] else "")] for name, r in result[part].items()]
        parts.append(table(["parameter", "default", "leave-one-out choice (gain on the held-out fold)", "kept"], rows,
                           title=f"### {title}: cross-validated choices"))
    return "\n".join(parts)


if __name__ == "__main__":
    main()
