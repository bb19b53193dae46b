"""The index: ``index build``, ``index info``."""

from __future__ import annotations

import time
import sys
from pathlib import Path

import click

from .. import output
from . import common
from .common import Group, Progress, write

@click.group(cls=Group)
def index() -> None:
    """Build an index, or describe one.

    \b
    Examples:
      transcript-qa index build --corpus my_corpus/ --out indexes/mine
      transcript-qa index info indexes/mine
      transcript-qa index verify indexes/mine
    """


@index.command("build")
@click.option("--corpus", "corpus_path", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Corpus folder (default: the bundled corpus).")
@click.option("--out", "out_path", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the index (default: the default index folder).")
@click.option("--workers", default=0, show_default=True, type=click.IntRange(min=0),
              help="Processes that analyse the passages of a large corpus (0: one per core).")
def index_build(corpus_path: Path | None, out_path: Path | None, workers: int) -> None:
    """Parse a corpus folder and write its index.

    The write is atomic: a failed build leaves the previous index as it was.

    \b
    Examples:
      transcript-qa index build
      transcript-qa index build --corpus my_corpus/ --out indexes/mine
    """
    from ..build import build_index

    started = time.perf_counter()
    progress = Progress("building index")
    try:
        built = build_index(corpus_path, out_path, progress=progress, workers=workers or None)
    finally:
        progress.close()
    seconds = time.perf_counter() - started
    write(output.render_build_summary(built.info(), seconds))


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
        write(output.render_index_info(info))




@index.command("verify")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def index_verify(path: Path | None) -> None:
    """Check an index completely (default: the default index): every file's
    size and sha256, every array's shape and ranges, every posting decoded.
    Loading an index checks sizes, a checksum of every file's ends (whole
    files up to 16 MiB) and the arrays' ranges; this reads everything.

    Exit code 0 when the index is sound, 1 naming the first problem found.

    \b
    Example:
      transcript-qa index verify indexes/mine
    """
    from .. import paths
    from ..store import verify_index

    started = time.perf_counter()
    report = verify_index(path if path is not None else paths.default_index_path())
    seconds = time.perf_counter() - started
    write(f"ok: {report['path']}: {report['files']} files, {report['bytes'] / 2**20:.1f} MiB, "
          f"{report['postings']:,} postings checked in {seconds:.1f} s\n")
