"""Print the tables of the last measured results (``benchmarks/results/*.json``)
as Markdown, or write them into a Markdown file between the markers
``<!-- benchmark-tables:start -->`` and ``<!-- benchmark-tables:end -->``.

    python benchmarks/report.py                            # print
    python benchmarks/report.py --update docs/benchmarks.md
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
}
START, END = "<!-- benchmark-tables:start -->", "<!-- benchmark-tables:end -->"


def tables() -> str:
    out = []
    for name, render in (("seed_questions", seed_questions.render), ("qmsum", qmsum.render),
                         ("qmsum_val", qmsum.render), ("scale", scale.render), ("cli_latency", cli_table)):
        data = load(name)
        if data is None:
            print(f"(no results/{name}.json yet)", file=sys.stderr)
            continue
        out.append(f"\n### {TITLES[name]}\n")
        out.append(machine_line(data))
        out.append(render(data).replace("\n### ", "\n#### "))
    return "\n".join(out).strip() + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", type=Path, help="Markdown file to rewrite between the markers")
    args = parser.parse_args(argv)
    text = tables()
    if args.update is None:
        print(text)
        return
    doc = args.update.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        sys.exit(f"report: {args.update} has no {START} ... {END} markers")
    new = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: f"{START}\n{text}{END}", doc, flags=re.S)
    args.update.write_text(new, encoding="utf-8")
    print(f"updated {args.update}", file=sys.stderr)


if __name__ == "__main__":
    main()
