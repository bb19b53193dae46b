"""The ``transcript-qa`` command line: one click group, every command a thin
call into the library.

Exit codes: 0 success; 1 an input or runtime error (empty question, unknown
filter value, unreadable file, missing or corrupt index, unwritable output);
2 a usage error (click's own: unknown option, missing argument); 3 a batch that
answered some of its questions but not all.

The module imports only click and the small output/batch helpers; the index
(numpy) is imported when a command needs it, and scikit-learn / NLTK
only when an index is built.
"""

from __future__ import annotations

import click

from .. import __version__
from .runs import batch, eval_
from . import common
from .common import EXIT_PARTIAL, CLIError, Group, Progress
from .indexing import index
from .query import ask, glossary, show, speakers, who
from .serve import serve

__all__ = ["main", "common", "CLIError", "EXIT_PARTIAL", "Progress"]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="transcript-qa")
def main() -> None:
    """Ask questions of public meeting records: who said what, about which topic, where.

    \b
    Examples:
      transcript-qa ask "who discussed CAS3"
      transcript-qa ask "agency staff spending" --kind transcript --top-k 5
      transcript-qa batch questions.txt --format trec --output run.txt
      transcript-qa serve                      # a search page on http://127.0.0.1:8000/

    Without --index, commands use the bundled corpus's index, built on first use.
    Exit codes: 0 ok, 1 input or runtime error, 2 usage error, 3 batch partly answered.
    """



for command in (ask, who, show, speakers, glossary, index, batch, eval_, serve):
    main.add_command(command)
