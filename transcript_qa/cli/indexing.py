"""The index: ``index build``, ``index info``."""

from __future__ import annotations

import time
import sys
from pathlib import Path

import click

from .. import output, terminal
from . import common
from .common import Group, Progress, write

@click.group(cls=Group)
def index() -> None:
    """Build an index, or describe one.

    \b
    Examples:
      transcript-qa index build --corpus my_corpus/ --out indexes/mine
      transcript-qa index info indexes/mine
    """


@index.command("build")
@click.option("--corpus", "corpus_path", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Corpus folder (default: the bundled corpus).")
@click.option("--out", "out_path", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the index (default: the default index folder).")
@click.option("-v", "--verbose", is_flag=True, help="List every skipped file and degraded document.")
def index_build(corpus_path: Path | None, out_path: Path | None, verbose: bool) -> None:
    """Parse a corpus folder and write its index.

    The write is atomic: a failed build leaves the previous index as it was.
    Files that could not be read and documents read with a fallback (no
    speaker labels, no structure, a guessed encoding) are listed after the
    summary: the first few, all with --verbose (and in index info).

    \b
    Examples:
      transcript-qa index build
      transcript-qa index build --corpus my_corpus/ --out indexes/mine
    """
    from ..build import build_index

    started = time.perf_counter()
    progress = Progress("building index")
    try:
        built = build_index(corpus_path, out_path, progress=progress)
    finally:
        progress.close()
    seconds = time.perf_counter() - started
    write(terminal.render_build_summary(built.info(), seconds, verbose=verbose))


@index.command("info")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def index_info(path: Path | None, fmt: str) -> None:
    """Describe an index (default: the default index).

    Prints documents, passages, vocabulary size, settings, the corpus
    fingerprint and whether the corpus changed since the build (stale).

    \b
    Example:
      transcript-qa index info indexes/default
    """
    info = common.open_index(path, on_stale="ignore", build=False).info()
    if fmt == "json":
        output.write_json_value(info, sys.stdout)
    else:
        write(terminal.render_index_info(info))


