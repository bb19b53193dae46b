"""QMSum turn retrieval: transcript_qa against bm25s, per meeting and global.

Data: QMSum (Zhong et al., NAACL 2021; public repository Yale-LILY/QMSum, MIT
licence), as laid out in ``../shared/benchmarks/qmsum/`` (see its README and
``benchmarks/README.md``): ``{split}_meetings.jsonl`` (one meeting a line:
``meeting_id``, ``domain``, ``turns: [{turn, speaker, text}]``) and
``{split}_queries.jsonl`` (``qid``, ``meeting_id``, ``domain``, ``query``,
``query_type``, ``relevant_turns``). The data is read in place, never copied.

Each turn is one passage (document = meeting id, position = turn, speaker =
the turn's speaker). Systems, measured in the same run:

- ``transcript_qa``: ``build_index_from_passages`` with its default settings
  (it sees the speaker as a field of the passage, as it does on any corpus);
- ``bm25s``: bm25s with its defaults over the turn text only;
- ``transcript_qa+invents``: the same with ``context_invents=True`` (neighbouring
  turns may lift a turn that matches no query word, which the default forbids);
- ``bm25s+speaker``: the same, over "speaker text".

Two diagnostics show what a user would see in the ten hits: ``short`` is the
share of hits that are turns of at most :data:`SHORT_WORDS` words ("Mm-hmm.",
"Thank you."), and ``nDCG@10 (content)`` counts as relevant only the relevant
turns longer than that. QMSum's judgments mark whole spans of turns, so a
system that returns a span's backchannels scores on the plain metric.

Settings: per-meeting (one index per meeting, that meeting's queries) and
global (one index over every turn of the split; a turn of another meeting is a
miss). Metrics (``transcript_qa.evaluation.evaluate``, ir-measures): MRR@10,
nDCG@10, R@10, by domain and by query type, with the R@10 ceiling.

    python benchmarks/qmsum.py --split test            # the reported figure
    python benchmarks/qmsum.py --split val             # for tuning
    python benchmarks/qmsum.py --split val --limit 2   # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import _common  # noqa: F401  (puts the checkout on sys.path)
from _common import BM25sBaseline, REPO_ROOT, fmt, machine, table, write_results

# QMSUM_DATA overrides the default (CI tests a copy of the checkout, away from ../shared).
DEFAULT_DATA = Path(os.environ.get("QMSUM_DATA") or (REPO_ROOT / ".." / "shared" / "benchmarks" / "qmsum")).resolve()
SYSTEMS = ("transcript_qa", "transcript_qa+invents", "bm25s", "bm25s+speaker")
DOMAINS = ("committee", "academic", "product")
QUERY_TYPES = ("question", "summary")
MEASURES = ("RR@10", "nDCG@10", "R@10")
K = 10
#: A turn of at most this many words is "short" (a backchannel) in the diagnostics.
SHORT_WORDS = 5


@dataclass(frozen=True)
class Turn:
    pid: str
    meeting: str
    turn: int
    speaker: str
    text: str


@dataclass(frozen=True)
class Query:
    qid: str
    meeting: str
    domain: str
    query: str
    query_type: str
    relevant: tuple[int, ...]


def load(data: Path, split: str, limit: int | None) -> tuple[dict[str, list[Turn]], dict[str, str], list[Query]]:
    """Meetings (turns by meeting id, in file order), their domains, and queries."""
    meetings_path = data / f"{split}_meetings.jsonl"
    queries_path = data / f"{split}_queries.jsonl"
    for path in (meetings_path, queries_path):
        if not path.is_file():
            sys.exit(f"qmsum: {path} not found; see benchmarks/README.md for where QMSum comes from "
                     f"and the layout expected under --data")
    meetings: dict[str, list[Turn]] = {}
    domains: dict[str, str] = {}
    with meetings_path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            m = json.loads(line)
            mid = m["meeting_id"]
            meetings[mid] = [Turn(f"{mid}:{t['turn']}", mid, int(t["turn"]), t.get("speaker") or "", t.get("text") or "")
                             for t in m["turns"]]
            domains[mid] = m["domain"]
            if limit is not None and len(meetings) >= limit:
                break
    queries = []
    with queries_path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            q = json.loads(line)
            if q["meeting_id"] in meetings:
                queries.append(Query(q["qid"], q["meeting_id"], q["domain"], q["query"], q["query_type"],
                                     tuple(q["relevant_turns"])))
    return meetings, domains, queries


# --------------------------------------------------------------------- systems

Searcher = Callable[[str, int], list[str]]


def build_transcript_qa(turns: Sequence[Turn], **settings: Any) -> Searcher:
    from transcript_qa.build import build_index_from_passages
    from transcript_qa.model import Document, Passage

    documents = {t.meeting: Document(id=t.meeting, title=t.meeting, kind="transcript", date=None,
                                     path=f"{t.meeting}.jsonl") for t in turns}
    passages = [
        Passage(id=t.pid, document=t.meeting, kind="transcript", title=t.meeting, date=None, position=t.turn,
                text=t.text, start=0, end=len(t.text), speaker=t.speaker or None, speaker_label=t.speaker or None)
        for t in turns
    ]
    index = build_index_from_passages(passages, documents=tuple(documents.values()), **settings)

    def search(query: str, k: int) -> list[str]:
        return [hit.passage.id for hit in index.search(query, k=k)]

    return search


def build_bm25s(turns: Sequence[Turn], with_speaker: bool = False) -> Searcher:
    texts = [f"{t.speaker} {t.text}" if with_speaker else t.text for t in turns]
    engine = BM25sBaseline([t.pid for t in turns], texts)

    def search(query: str, k: int) -> list[str]:
        return [pid for pid, _ in engine.search(query, k)]

    return search


BUILDERS: dict[str, Callable[[Sequence[Turn]], Searcher]] = {
    "transcript_qa": build_transcript_qa,
    "transcript_qa+invents": lambda turns: build_transcript_qa(turns, context_invents=True),
    "bm25s": build_bm25s,
    "bm25s+speaker": lambda turns: build_bm25s(turns, with_speaker=True),
}


# ------------------------------------------------------------------ evaluation


def run_setting(setting: str, system: str, meetings: dict[str, list[Turn]], queries: list[Query]) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Rankings per query id, and timings (build seconds, query seconds, queries)."""
    build_s = query_s = 0.0
    rankings: dict[str, list[str]] = {}
    groups = ([(list(meetings), queries)] if setting == "global"
              else [([m], [q for q in queries if q.meeting == m]) for m in meetings])
    for meeting_ids, group in groups:
        if not group:
            continue
        turns = [t for m in meeting_ids for t in meetings[m]]
        t0 = time.perf_counter()
        search = BUILDERS[system](turns)
        t1 = time.perf_counter()
        for q in group:
            rankings[q.qid] = search(q.query, K)[:K]
        build_s += t1 - t0
        query_s += time.perf_counter() - t1
    return rankings, {"build_s": round(build_s, 3), "query_s": round(query_s, 3), "queries": len(rankings)}


def diagnostics(rankings: dict[str, list[str]], meetings: dict[str, list[Turn]],
                queries: list[Query]) -> dict[str, float]:
    """``short``: the share of returned hits that are turns of at most
    SHORT_WORDS words; ``nDCG@10 (content)``: nDCG@10 with only the relevant
    turns longer than that counted as relevant (queries left with none are
    skipped)."""
    from transcript_qa.evaluation import evaluate, run_from_rankings

    words = {t.pid: len(t.text.split()) for turns in meetings.values() for t in turns}
    hits = [pid for ranking in rankings.values() for pid in ranking]
    short = sum(words.get(pid, 0) <= SHORT_WORDS for pid in hits) / len(hits) if hits else 0.0
    qrels = {q.qid: rel for q in queries
             if (rel := {f"{q.meeting}:{t}": 1 for t in q.relevant if words.get(f"{q.meeting}:{t}", 0) > SHORT_WORDS})}
    content = evaluate(run_from_rankings({q: r for q, r in rankings.items() if q in qrels}), qrels,
                       measures=("nDCG@10",)).per_query
    mean = sum(s["nDCG@10"] for s in content.values()) / len(content) if content else 0.0
    return {"short": round(short, 4), "nDCG@10 (content)": round(mean, 4), "content_queries": len(content)}


def slices(queries: list[Query]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in DOMAINS:
        out[d] = [q.qid for q in queries if q.domain == d]
    out["all"] = [q.qid for q in queries]
    for qt in QUERY_TYPES:
        out[qt] = [q.qid for q in queries if q.query_type == qt]
    return out


def summarise(per_query: dict[str, dict[str, float]], groups: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    out = {}
    for name, qids in groups.items():
        if not qids:
            out[name] = {"n": 0}
            continue
        row: dict[str, Any] = {"n": len(qids)}
        for m, label in (("RR@10", "MRR@10"), ("nDCG@10", "nDCG@10"), ("R@10", "R@10")):
            row[label] = round(sum(per_query[q][m] for q in qids) / len(qids), 4)
        out[name] = row
    return out


def ceiling(queries: list[Query], groups: dict[str, list[str]]) -> dict[str, float | None]:
    by_id = {q.qid: q for q in queries}
    out: dict[str, float | None] = {}
    for name, qids in groups.items():
        vals = [min(K, len(by_id[q].relevant)) / len(by_id[q].relevant) for q in qids if by_id[q].relevant]
        out[name] = round(sum(vals) / len(vals), 4) if vals else None
    return out


def cell(row: dict[str, Any]) -> str:
    if not row.get("n"):
        return "-"
    return f"{fmt(row['MRR@10'])} / {fmt(row['nDCG@10'])} / {fmt(row['R@10'])}"


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="folder with {split}_meetings.jsonl and {split}_queries.jsonl (default: %(default)s)")
    parser.add_argument("--split", choices=("val", "test"), default="test")
    parser.add_argument("--limit", type=int, default=None, help="only the first N meetings of the split")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated, from: " + ", ".join(SYSTEMS))
    parser.add_argument("--settings", default="per-meeting,global", help="per-meeting, global or both")
    parser.add_argument("--per-query", action="store_true", help="also store every query's scores in the JSON")
    parser.add_argument("--out", default=None,
                        help="results JSON (default: benchmarks/results/qmsum.json for test, qmsum_val.json for val)")
    args = parser.parse_args(argv)

    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in BUILDERS]
    if unknown:
        parser.error(f"unknown system(s) {unknown}; choose from {list(BUILDERS)}")
    settings = [s.strip() for s in args.settings.split(",") if s.strip()]
    if any(s not in ("per-meeting", "global") for s in settings):
        parser.error("--settings takes per-meeting, global or both")

    from transcript_qa.evaluation import evaluate, run_from_rankings

    data = args.data.resolve()
    meetings, _, queries = load(data, args.split, args.limit)
    qrels = {q.qid: {f"{q.meeting}:{t}": 1 for t in q.relevant} for q in queries}
    groups = slices(queries)
    result: dict[str, Any] = {
        "benchmark": "qmsum",
        "split": args.split,
        "data": str(data),
        "meetings": len(meetings),
        "turns": sum(len(v) for v in meetings.values()),
        "queries": len(queries),
        "limit": args.limit,
        "k": K,
        "machine": machine(),
        "systems": {
            "transcript_qa": "build_index_from_passages, default settings; speaker given as the passage's speaker",
            "transcript_qa+invents": "the same with context_invents=True",
            "bm25s": "bm25s defaults (English stop words, no stemmer, lucene k1=1.5 b=0.75), turn text only",
            "bm25s+speaker": "bm25s defaults over 'speaker text'",
        },
        "r10_ceiling": ceiling(queries, groups),
        "settings": {},
    }
    print(f"QMSum {args.split}: {len(meetings)} meetings, {result['turns']} turns, {len(queries)} queries "
          f"(data: {data})", file=sys.stderr)
    for setting in settings:
        result["settings"][setting] = {}
        for system in systems:
            try:
                rankings, timing = run_setting(setting, system, meetings, queries)
            except ImportError as err:
                print(f"  {system}: not available ({err}); skipped", file=sys.stderr)
                continue
            report = evaluate(run_from_rankings(rankings), qrels, measures=MEASURES)
            entry: dict[str, Any] = {"scores": summarise(report.per_query, groups), "timing": timing,
                                     "diagnostics": diagnostics(rankings, meetings, queries)}
            if args.per_query:
                entry["per_query"] = {q: {m: round(v, 4) for m, v in s.items()} for q, s in report.per_query.items()}
                entry["rankings"] = rankings
            result["settings"][setting][system] = entry
            all_row = entry["scores"]["all"]
            print(f"  {setting:11s} {system:14s} {cell(all_row)}  (build {timing['build_s']:.2f} s, "
                  f"queries {timing['query_s']:.2f} s)", file=sys.stderr)

    print(render(result))
    out = args.out or ("qmsum" if args.split == "test" else f"qmsum_{args.split}")
    path = write_results(out, result)
    print(f"\nresults written to {path}", file=sys.stderr)
    return result


def render(result: dict[str, Any]) -> str:
    ceil = result["r10_ceiling"]
    parts = [f"QMSum {result['split']}: {result['meetings']} meetings, {result['turns']} turns, "
             f"{result['queries']} queries. Cells: MRR@10 / nDCG@10 / R@10."]
    counts = ", ".join(f"{d} {len_or_dash(result, d)}" for d in (*DOMAINS, "all"))
    parts.append(f"Queries: {counts}. R@10 ceiling: " + ", ".join(f"{d} {fmt(ceil[d])}" for d in (*DOMAINS, "all")))
    for setting, systems in result["settings"].items():
        rows = [[name, *(cell(entry["scores"][d]) for d in (*DOMAINS, "all"))] for name, entry in systems.items()]
        parts.append(table(["system", *DOMAINS, "all"], rows, title=f"### {setting}"))
    rows = []
    for setting, systems in result["settings"].items():
        for name, entry in systems.items():
            s = entry["scores"]
            rows.append([f"{setting} {name}", *(cell(s[t]) for t in QUERY_TYPES)])
    if rows:
        parts.append(table(["setting / system", *QUERY_TYPES], rows, title="### by query type"))
    rows = [[f"{setting} {name}", fmt(entry["scores"]["all"]["nDCG@10"]), fmt(d["nDCG@10 (content)"]), fmt(d["short"])]
            for setting, systems in result["settings"].items() for name, entry in systems.items()
            if (d := entry.get("diagnostics"))]
    if rows:
        parts.append(table(["setting / system", "nDCG@10", f"nDCG@10, turns of > {SHORT_WORDS} words",
                            f"hits of <= {SHORT_WORDS} words"], rows, title="### what the ten hits hold"))
    ratios = []
    for setting, systems in result["settings"].items():
        if "transcript_qa" in systems and "bm25s" in systems:
            for d in ("committee", "all"):
                a, b = systems["transcript_qa"]["scores"][d], systems["bm25s"]["scores"][d]
                if a.get("n") and b.get("nDCG@10"):
                    ratios.append(f"{setting} {d}: nDCG@10 {a['nDCG@10']:.3f} vs {b['nDCG@10']:.3f} "
                                  f"= {a['nDCG@10'] / b['nDCG@10']:.2f}x bm25s")
    if ratios:
        parts.append("\ntranscript_qa / bm25s: " + "; ".join(ratios))
    return "\n".join(parts)


def len_or_dash(result: dict[str, Any], name: str) -> str:
    for systems in result["settings"].values():
        for entry in systems.values():
            return str(entry["scores"][name].get("n", 0))
    return "-"


if __name__ == "__main__":
    main()
