"""Cut the fourth judged corpus: four debates of one sitting of Dáil Éireann
(the lower house of the Irish parliament), Wednesday 6 October 2021, from the
text of its Official Report (unrevised), as extracted from the published PDF.

Source: ``test/resources/pdfs/debate_Dáil Éireann_2021-10-06.pdf.txt`` in the
public repository RobertLucey/oireachtas-data at commit ``COMMIT`` below (the
text of the Houses of the Oireachtas' PDF of that day's Official Report, with
the page furniture that PDF text extraction leaves in). Licence: Oireachtas
(Open Data) PSI Licence (https://www.oireachtas.ie/en/open-data/license/),
which allows reuse and adaptation with attribution ("Contains Oireachtas
information licensed under the Oireachtas (Open Data) PSI Licence"). The cut
debates and their ``corpus.json`` are committed in
``benchmarks/data/dail_debates/corpus/`` and read from there by
``benchmarks/judged.py``; the judgments are in
``benchmarks/data/dail_debates/questions.jsonl`` (see ``SOURCE.md`` there).
This set is report-only: never tuned on, never read for failures.

How it is cut, per document: the Report's lines from a debate heading (as the
Report's table of contents names it) up to the next heading of the table of
contents; then, and nothing else:

* form feeds are dropped; a line that is only a paragraph reference of the
  Report (``06/10/2021A00300``, printed in the margin) becomes a blank line (a
  paragraph break); a line that is only a page number or a running header
  (``6 October 2021``, ``Dáil Éireann``) is dropped;
* a line that is a heading of the Report's table of contents gets a blank line
  before and after it (the Report sets headings apart);
* a blank line is put before a line that opens with one of the Report's speaker
  labels (``Deputy <Name>:``, ``An Ceann Comhairle:``, ``An Leas-Cheann
  Comhairle:``, ``<office> (Deputy <Name>):``) when the line before it is text:
  the margin references that separated those speeches drift in the PDF text,
  and the Report's web and XML editions print each speech as its own block;
* runs of blank lines become one blank line.

Line wrapping, hyphenation, a label wrapped over two lines and everything else
stay as extracted.

    python benchmarks/dail_debates_cut.py --source PATH [--out DIR]

``--source`` is the ``.pdf.txt`` file itself or a folder (e.g. a checkout of
the repository at ``COMMIT``) holding it at ``SOURCE_PATH``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import _common  # noqa: F401
from _common import REPO_ROOT

#: The commit of RobertLucey/oireachtas-data whose file is cut (its last change).
COMMIT = "cd9643f7b387a9fa8c4e8b86a629ea5377edf8b6"
SOURCE_PATH = "test/resources/pdfs/debate_Dáil Éireann_2021-10-06.pdf.txt"
#: sha256 of that file at ``COMMIT`` (674,484 bytes).
SOURCE_SHA256 = "1ff0fd8b28fb6e7dba7e9700bbb2fc3d0c56591e8bdf61a96b835021024fcb77"
DEFAULT_OUT = REPO_ROOT / "benchmarks" / "data" / "dail_debates" / "corpus"
DATE = "2021-10-06"

#: (first heading, heading that ends the document, document id, title); headings as the Report prints them.
DOCUMENTS = (
    ("Ábhair Shaincheisteanna Tráthúla - Topical Issue Matters", "Energy Prices: Motion [Private Members]",
     "2021-10-06-topical-issues",
     "Dáil Éireann, 6 October 2021: Topical Issue Debate (Official Apology; Fire Service; Hospital Services)"),
    ("Energy Prices: Motion [Private Members]", "Gnó na Dála - Business of Dáil",
     "2021-10-06-energy-prices-motion",
     "Dáil Éireann, 6 October 2021: Energy Prices: Motion [Private Members]"),
    ("Gnó na Dála - Business of Dáil", "Ceisteanna ar Reachtaíocht a Gealladh - Questions on Promised Legislation",
     "2021-10-06-leaders-questions",
     "Dáil Éireann, 6 October 2021: Business of Dáil and Leaders' Questions"),
    ("Ceisteanna ar Reachtaíocht a Gealladh - Questions on Promised Legislation",
     "Maternity Care (Covid-19) Bill 2021: First Stage",
     "2021-10-06-promised-legislation",
     "Dáil Éireann, 6 October 2021: Questions on Promised Legislation; Irish Corporate Governance (Gender Balance) "
     "Bill 2021 and Betting (Prohibition on Use of Credit Cards) Bill 2021: First Stage"),
)
_REFERENCE = re.compile(r"\d\d/\d\d/\d{4}[A-Z]+\d+")
_PAGE_NUMBER = re.compile(r"\d{1,4}")
_RUNNING_HEADERS = ("6 October 2021", "Dáil Éireann")
#: A table-of-contents line: the heading, dot leaders (extracted as U+FFFD or U+0008) and a page number.
_CONTENTS_LINE = re.compile(r"(.*?)\s*[\ufffd\x08]+\s*\d+\s*")
_NAME = r"[A-ZÁÉÍÓÚ][\w’'.-]*(?: (?:[A-ZÁÉÍÓÚ][\w’'.-]*|de|van|Mac|Ó|Ní|Nic)){0,4}"
_LABEL = re.compile(r"(?:Deputy " + _NAME + r"|An (?:Leas-)?Cheann Comhairle"
                    r"|[A-Z][^:()\n]{2,160} \(Deputy " + _NAME + r"\)): ")


def read_source(source: Path) -> str:
    file = source / SOURCE_PATH if source.is_dir() else source
    if not file.is_file():
        raise SystemExit(f"no source file {file} (--source must be the file or a folder holding {SOURCE_PATH})")
    data = file.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256:
        print(f"warning: {file} has sha256 {digest}, not the {SOURCE_SHA256} of commit {COMMIT}", file=sys.stderr)
    return data.decode("utf-8")


def split_report(report: str) -> tuple[set[str], list[str]]:
    """The headings of the Report's table of contents, and its lines after the
    contents (the sitting opens with ``DÁIL ÉIREANN``)."""
    start = report.index("DÁIL ÉIREANN\n\nDé Céadaoin")
    headings = {m.group(1).strip() for line in report[:start].split("\n")
                if (m := _CONTENTS_LINE.fullmatch(line)) and m.group(1).strip()}
    return headings, report[start:].replace("\f", "").split("\n")


def cut(lines: list[str], first: str, until: str, headings: set[str] = frozenset()) -> str:
    begin = next((i for i, line in enumerate(lines) if line.strip() == first), None)
    if begin is None:
        raise SystemExit(f"no heading {first!r}")
    end = next((i for i in range(begin + 1, len(lines)) if lines[i].strip() == until), None)
    if end is None:
        raise SystemExit(f"no heading {until!r} after {first!r}")
    out: list[str] = []
    for line in lines[begin:end]:
        bare = line.strip()
        if _REFERENCE.fullmatch(bare):
            out.append("")
            continue
        if _PAGE_NUMBER.fullmatch(bare) or bare in _RUNNING_HEADERS:
            continue
        if bare in headings:
            out.extend(["", bare, ""])
            continue
        if _LABEL.match(line) and out and out[-1].strip():
            out.append("")
        out.append(line.rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
    return text + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help=f"the .pdf.txt file, or a folder holding {SOURCE_PATH}")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    headings, lines = split_report(read_source(args.source))
    args.out.mkdir(parents=True, exist_ok=True)
    documents = []
    for first, until, doc_id, title in DOCUMENTS:
        text = cut(lines, first, until, headings)
        (args.out / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        documents.append({"file": f"{doc_id}.txt", "id": doc_id, "title": title, "kind": "transcript", "date": DATE,
                          "source": f"https://github.com/RobertLucey/oireachtas-data/blob/{COMMIT}/{SOURCE_PATH}"})
        print(f"{doc_id}: {len(text)} characters", file=sys.stderr)
    manifest = {"format": 1, "title": "Dáil Éireann, Official Report (unrevised), 6 October 2021: four debates",
                "documents": documents}
    (args.out / "corpus.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
