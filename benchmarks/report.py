"""Print the tables of the last measured results (``benchmarks/results/*.json``)
as Markdown, or write them into Markdown files: the full tables between the
markers ``<!-- benchmark-tables:start -->`` and ``<!-- benchmark-tables:end -->``,
a short summary (one line per claim) between ``<!-- benchmark-summary:start -->``
and ``<!-- benchmark-summary:end -->``; each file gets whichever it has.

    python benchmarks/report.py                                      # print
    python benchmarks/report.py --update docs/benchmarks.md README.md
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import _common  # noqa: F401
from _common import RESULTS_DIR

import qmsum
import scale
import seed_questions
import serve_latency


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def machine_line(data: dict[str, Any]) -> str:
    m = data["machine"]
    versions = {k: str(v).split(",")[0].removeprefix(f"{k} ").removeprefix("v") for k, v in m["versions"].items()}
    return (f"_Measured {m['date'][:10]} on {m['cpus']} CPUs, {m['memory_gib']} GiB, Python {m['python']}; "
            + ", ".join(f"{k} {v}" for k, v in versions.items() if v != "not installed") + "._\n")


def cli_table(data: dict[str, Any]) -> str:
    from _common import table

    floor = data["numpy_floor_s"]
    rows = [[name, f"{v['median_s']:.3f}", f"{v['median_s'] / floor:.2f}x"] for name, v in data["commands"].items()]
    rows.append(["**all asks**", f"**{data['ask_median_s']:.3f}**", f"{data['ask_median_s'] / floor:.2f}x"])
    return table(["command", f"median s ({data['runs']} runs)", "vs import numpy"], rows)


TITLES = {
    "seed_questions": "Judged questions on the bundled corpus (`seed_questions.py`)",
    "qmsum": "QMSum test split, the reported figure (`qmsum.py --split test`)",
    "qmsum_val": "QMSum val split, used for tuning (`qmsum.py --split val`)",
    "scale": "Scale, synthetic corpora (`scale.py --full`)",
    "cli_latency": "Cold-process CLI latency (`cli_latency.py`)",
    "serve_latency": "The web app's answers (`serve_latency.py`)",
}
START, END = "<!-- benchmark-tables:start -->", "<!-- benchmark-tables:end -->"
SUMMARY_START, SUMMARY_END = "<!-- benchmark-summary:start -->", "<!-- benchmark-summary:end -->"


def tables() -> str:
    out = []
    for name, render in (("seed_questions", seed_questions.render), ("qmsum", qmsum.render),
                         ("qmsum_val", qmsum.render), ("scale", scale.render), ("cli_latency", cli_table),
                         ("serve_latency", serve_latency.render)):
        data = load(name)
        if data is None:
            print(f"(no results/{name}.json yet)", file=sys.stderr)
            continue
        out.append(f"\n### {TITLES[name]}\n")
        out.append(machine_line(data))
        out.append(render(data).replace("\n### ", "\n#### "))
    return "\n".join(out).strip() + "\n"


def _baselines(values: dict[str, float], ours: str, digits: int, unit: str = "") -> str:
    return ", ".join(f"{name} {value:.{digits}f}{unit}" for name, value in values.items() if name != ours)


def summary() -> str:
    """One line per claim: transcript_qa's figure next to the plain baselines of the same run."""
    rows = []
    seed = load("seed_questions")
    if seed:
        systems = seed["systems"]
        ndcg = {n: s["scores"]["all"]["nDCG@10"] for n, s in systems.items()}
        rows.append([f"{seed['questions']} judged questions, bundled corpus: nDCG@10", f"{ndcg['transcript_qa']:.3f}",
                     _baselines(ndcg, "transcript_qa", 3)])
        who = {n: s["speaker_nDCG@5"] for n, s in systems.items() if "speaker_nDCG@5" in s}
        rows.append(['"who" questions: speaker nDCG@5', f"{who['transcript_qa']:.3f}",
                     _baselines(who, "transcript_qa", 3)])
    judged = load("judged")
    if judged:
        names = {"heldout": "held-out questions, bundled corpus (cross-validation fold)",
                 "covid": "Covid Inquiry questions, another corpus (cross-validation fold)",
                 "dail": "Dáil Éireann questions, never tuned on or inspected"}
        for key, label in names.items():
            entry = judged["sets"].get(key)
            if not entry:
                continue
            ndcg = {n: s["scores"]["all"]["nDCG@10"] for n, s in entry["systems"].items()}
            answers = entry["systems"]["transcript_qa"].get("answers", {})
            em = f"; answer exact-match {answers['exact']:.2f}" if "exact" in answers else ""
            rows.append([f"{entry['questions']} {label}: nDCG@10", f"{ndcg['transcript_qa']:.3f}",
                         _baselines(ndcg, "transcript_qa", 3) + em])
    test = load("qmsum")
    if test:
        systems = test["settings"]["per-meeting"]
        per = {n: v["scores"]["all"]["nDCG@10"] for n, v in systems.items() if n != "transcript_qa+invents"}
        rows.append([f"QMSum test ({test['queries']} queries), per meeting: nDCG@10", f"{per['transcript_qa']:.3f}",
                     _baselines(per, "transcript_qa", 3)])
        invents = systems.get("transcript_qa+invents")
        if invents and "diagnostics" in invents:
            mine, theirs = systems["transcript_qa"]["diagnostics"], invents["diagnostics"]
            rows.append(["QMSum test: hits that are turns of <= 5 words (\"Mm-hmm.\")",
                         f"{mine['short']:.0%}",
                         f"context_invents=True {theirs['short']:.0%} (nDCG@10 "
                         f"{invents['scores']['all']['nDCG@10']:.3f}; {theirs['nDCG@10 (content)']:.3f} vs "
                         f"{mine['nDCG@10 (content)']:.3f} on longer turns)"])
    big = load("scale")
    if big:
        size = max(big["sizes"], key=int)
        systems = big["sizes"][size]["systems"]
        def latency(v: dict) -> str:
            return f"{v['query_median_ms']:.2f} ms ({v['query_p95_ms']:.2f})"

        def footprint(v: dict) -> str:
            return (f"{v['batch_qps']:,.0f} q/s, build {v['build_s']:.0f} s, peak {v.get('peak_tree_mb') or v['peak_rss_mb']:,.0f} MB, "
                    f"index {v['index_mb']:,.0f} MB")

        peers = [n for n in ("tantivy", "bm25s-numba", "bm25s-numpy", "transcript_qa-numpy") if n in systems]
        rows.append([f"{int(size):,} synthetic passages: query median (p95)", latency(systems["transcript_qa"]),
                     ", ".join(f"{n} {latency(systems[n])}" for n in peers)])
        rows.append([f"{int(size):,} synthetic passages: batch, build, peak memory, index",
                     footprint(systems["transcript_qa"]),
                     "; ".join(f"{n} {footprint(systems[n])}" for n in peers[:2])])
    cold = load("cli_latency")
    if cold:
        rows.append(["cold `transcript-qa ask`, bundled corpus: median", f"{cold['ask_median_s']:.2f} s",
                     f"`python -c 'import numpy'` {cold['numpy_floor_s']:.2f} s"])
    served = load("serve_latency")
    if served:
        page = served["endpoints"]["page /?q="]["server"]
        rows.append(["`serve`: search page, server time median (p95)",
                     f"{page['median_ms']:.1f} ms ({page['p95_ms']:.1f})", f"target {served['target_ms']:.0f} ms"])
    from _common import table

    return table(["measure", "transcript_qa", "plain baselines, same run"], rows, pad=False).strip() + "\n"


def _replace(doc: str, start: str, end: str, text: str) -> str:
    return re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: f"{start}\n{text}{end}", doc, flags=re.S)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", type=Path, nargs="+", help="Markdown files to rewrite between the markers")
    args = parser.parse_args(argv)
    if args.update is None:
        print(tables())
        print(summary())
        return
    for path in args.update:
        doc = path.read_text(encoding="utf-8")
        new = doc
        if START in new and END in new:
            new = _replace(new, START, END, tables())
        if SUMMARY_START in new and SUMMARY_END in new:
            new = _replace(new, SUMMARY_START, SUMMARY_END, summary())
        if new == doc and not any(m in doc for m in (START, SUMMARY_START)):
            sys.exit(f"report: {path} has neither {START} ... {END} nor {SUMMARY_START} ... {SUMMARY_END} markers")
        path.write_text(new, encoding="utf-8")
        print(f"updated {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
