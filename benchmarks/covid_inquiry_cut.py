"""Cut the second judged corpus: three witness sessions of the UK Covid-19
Inquiry, Module 1 (official hearing transcripts, as published in
reStructuredText by github.com/dracos/uk-covid19-inquiry).

The corpus is data from a public repository, so it is not committed: it is
written to ``../shared/benchmarks/covid_inquiry/`` (next to QMSum) and read in
place by ``benchmarks/judged.py``. The judgments, written by reading these
sessions before any tuning, are in ``benchmarks/data/covid_inquiry/``
(see its ``SOURCE.md``).

How it is cut, per session: the day file's lines from the witness's section
heading (a line underlined with ``-``) up to the next section heading or the
end of the day; reStructuredText underline lines (``---``, ``^^^``) are
dropped; nothing else is changed (speaker labels stay ``**Name**: text``).

    python benchmarks/covid_inquiry_cut.py --source /path/to/uk-covid19-inquiry [--out DIR]

``--source`` is a clone (or a bare git directory: files are read with ``git
show`` at ``--commit``).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import _common  # noqa: F401
from _common import REPO_ROOT

#: The commit the judgments were written against.
COMMIT = "2a75adafddaebb8099d1bbbc64ead64a0106ff81"
DEFAULT_OUT = (REPO_ROOT / ".." / "shared" / "benchmarks" / "covid_inquiry").resolve()

#: (day file in the repository, section heading, document id, title, witness)
SESSIONS = (
    ("module-1/2023-06-20.rst", "Mr George Osborne", "2023-06-20-george-osborne",
     "UK Covid-19 Inquiry, Module 1, 20 June 2023: evidence of George Osborne"),
    ("module-1/2023-06-22.rst", "Sir Patrick Vallance", "2023-06-22-patrick-vallance",
     "UK Covid-19 Inquiry, Module 1, 22 June 2023: evidence of Sir Patrick Vallance"),
    ("module-1/2023-06-22.rst", "Dr Jim McMenamin", "2023-06-22-jim-mcmenamin",
     "UK Covid-19 Inquiry, Module 1, 22 June 2023: evidence of Dr Jim McMenamin"),
)
_UNDERLINE = re.compile(r"[-=^~]{3,}")


def read_source(source: Path, path: str, commit: str) -> str:
    if (source / path).is_file() and not (source / "HEAD").is_file():
        return (source / path).read_text(encoding="utf-8")
    return subprocess.run(["git", "--git-dir", str(source if (source / "HEAD").is_file() else source / ".git"),
                           "show", f"{commit}:{path}"], check=True, capture_output=True, text=True).stdout


def cut(day: str, heading: str) -> str:
    lines = day.split("\n")
    starts = [i - 1 for i in range(1, len(lines))
              if re.fullmatch(r"-{3,}", lines[i]) and len(lines[i]) == len(lines[i - 1])]
    begin = [s for s in starts if lines[s] == heading]
    if not begin:
        raise SystemExit(f"no section {heading!r}")
    later = [s for s in starts if s > begin[0]]
    end = later[0] if later else len(lines)
    body = [line for line in lines[begin[0]:end] if not _UNDERLINE.fullmatch(line)]
    return "\n".join(body).rstrip() + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="clone or git dir of dracos/uk-covid19-inquiry")
    parser.add_argument("--commit", default=COMMIT)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    documents = []
    for path, heading, doc_id, title in SESSIONS:
        text = cut(read_source(args.source, path, args.commit), heading)
        (args.out / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        documents.append({"file": f"{doc_id}.txt", "id": doc_id, "title": title, "kind": "transcript",
                          "date": doc_id[:10],
                          "source": f"https://github.com/dracos/uk-covid19-inquiry/blob/{args.commit}/{path}"})
        print(f"{doc_id}: {len(text)} characters", file=sys.stderr)
    manifest = {"format": 1, "title": "UK Covid-19 Inquiry, Module 1: three witness sessions", "documents": documents}
    (args.out / "corpus.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
