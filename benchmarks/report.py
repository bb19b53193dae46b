"""Print the tables of the last measured results (``benchmarks/results/*.json``)
as Markdown, for ``docs/benchmarks.md`` and the README.

    python benchmarks/report.py
"""

from __future__ import annotations

import json
import sys
from typing import Any

import _common  # noqa: F401
from _common import RESULTS_DIR

import cli_latency  # noqa: F401  (for symmetry; its table is rebuilt below)
import qmsum
import scale
import seed_questions


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def machine_line(data: dict[str, Any]) -> str:
    m = data["machine"]
    return (f"_Measured {m['date'][:10]} on {m['cpus']} CPUs, {m['memory_gib']} GiB, Python {m['python']}; "
            + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v != "not installed") + "._")


def cli_table(data: dict[str, Any]) -> str:
    from _common import table

    floor = data["numpy_floor_s"]
    rows = [[name, f"{v['median_s']:.3f}", f"{v['median_s'] / floor:.2f}x"] for name, v in data["commands"].items()]
    rows.append(["**all asks**", f"**{data['ask_median_s']:.3f}**", f"{data['ask_median_s'] / floor:.2f}x"])
    return table(["command", f"median s ({data['runs']} runs)", "vs import numpy"], rows)


def main() -> None:
    out = []
    for name, render in (("seed_questions", seed_questions.render), ("qmsum", qmsum.render),
                         ("qmsum_val", qmsum.render), ("scale", scale.render), ("cli_latency", cli_table)):
        data = load(name)
        if data is None:
            print(f"(no results/{name}.json yet)", file=sys.stderr)
            continue
        out.append(f"\n## {name}\n")
        out.append(machine_line(data))
        out.append(render(data))
    print("\n".join(out))


if __name__ == "__main__":
    main()
