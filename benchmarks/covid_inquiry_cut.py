"""Cut the second judged corpus: three witness sessions of the UK Covid-19
Inquiry, Module 1 (official hearing transcripts, as published in
reStructuredText by github.com/dracos/uk-covid19-inquiry).

Source: the day files ``module-1/2023-06-20.rst`` and ``module-1/2023-06-22.rst``
as stored by the search tool's copy of that repository (``read_file``), at
commit ``COMMIT`` below. Licence: the Inquiry publishes its transcripts under
the Open Government Licence v3.0; attribution: "Contains public sector
information licensed under the Open Government Licence v3.0" (UK Covid-19
Inquiry). The cut sessions and their ``corpus.json`` are committed in
``benchmarks/data/covid_inquiry/corpus/`` and read from there by
``benchmarks/judged.py``; the judgments are in
``benchmarks/data/covid_inquiry/questions.jsonl`` (see ``SOURCE.md`` there).

How it is cut, per session: the day file's lines from the witness's section
heading (a line underlined with ``-``) up to the next section heading or the
end of the day; reStructuredText underline lines (``---``, ``^^^``) are
dropped; the double-encoded signs of that commit's parse (``Â£`` for ``£``: the
UTF-8 bytes of a sign in U+00A0..U+00BF read as Latin-1) are decoded back, as the
repository's later commits have them; nothing else is changed (speaker labels
stay ``**Name**: text``).

    python benchmarks/covid_inquiry_cut.py --source DIR [--out DIR]

``--source`` is a plain folder holding ``module-1/<day>.rst`` (the two day
files, e.g. reconstructed from ``read_file``, or a checkout of the repository
at ``COMMIT``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import _common  # noqa: F401
from _common import REPO_ROOT

#: The commit of dracos/uk-covid19-inquiry whose day files are cut (the one the
#: search tool's ``read_file`` stores; recorded in each document's source URL).
COMMIT = "30ef021b674c048db2ae337265e80411a16480e1"
DEFAULT_OUT = REPO_ROOT / "benchmarks" / "data" / "covid_inquiry" / "corpus"

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
#: A sign U+00A0..U+00BF whose two UTF-8 bytes were read as Latin-1 ("Â£" for "£").
_DOUBLE_ENCODED = re.compile("\u00c2([\u00a0-\u00bf])")


def read_source(source: Path, path: str) -> str:
    """The day file ``path`` (e.g. ``module-1/2023-06-20.rst``) under the folder ``source``."""
    file = source / path
    if not file.is_file():
        raise SystemExit(f"no day file {file} (--source must hold {path})")
    with open(file, encoding="utf-8", newline="") as fh:
        return fh.read()


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
    return _DOUBLE_ENCODED.sub(r"\1", "\n".join(body).rstrip() + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="folder holding module-1/<day>.rst")
    parser.add_argument("--commit", default=COMMIT, help="commit the day files come from (for the source URLs)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    documents = []
    for path, heading, doc_id, title in SESSIONS:
        text = cut(read_source(args.source, path), heading)
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
