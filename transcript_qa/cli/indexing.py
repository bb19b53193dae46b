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
    """Build an index, describe one, or change one in place.

    \b
    Examples:
      transcript-qa index build --corpus my_corpus/ --out indexes/mine
      transcript-qa index info indexes/mine
      transcript-qa index build --segments --corpus my_corpus/ --out indexes/mine
      transcript-qa index add new_meeting.txt --index indexes/mine
      transcript-qa index remove 2023-03-17-letter --index indexes/mine
      transcript-qa index merge --index indexes/mine
      transcript-qa index verify indexes/mine
    """


@index.command("build")
@click.option("--corpus", "corpus_path", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Corpus folder (default: the bundled corpus).")
@click.option("--out", "out_path", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the index (default: the default index folder).")
@click.option("-v", "--verbose", is_flag=True, help="List every skipped file and degraded document.")
@click.option("--segments", is_flag=True,
              help="Write it in segments, so that documents can be added and removed without a rebuild "
                   "(index add/remove/merge; the default index always is).")
@click.option("--workers", default=0, show_default=True, type=click.IntRange(min=0),
              help="Processes that analyse the passages of a large corpus (0: one per core).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Build in segments on a Dask cluster, one segment per worker: 'local' (a LocalCluster on this "
                   "machine) or a scheduler address (tcp://host:8786). The output folder must be on storage every "
                   "worker can write at the same path. Needs: pip install \"transcript-qa[dask]\".")
def index_build(corpus_path: Path | None, out_path: Path | None, verbose: bool, segments: bool, workers: int,
                dask_address: str | None) -> None:
    """Parse a corpus folder and write its index.

    The write is atomic: a failed build leaves the previous index as it was.
    Files that could not be read and documents read with a fallback (no
    speaker labels, no structure, a guessed encoding) are listed after the
    summary: the first few, all with --verbose (and in index info).

    \b
    Examples:
      transcript-qa index build
      transcript-qa index build --corpus my_corpus/ --out indexes/mine
      transcript-qa index build --corpus my_corpus/ --out /shared/mine --dask tcp://scheduler:8786
    """
    from ..build import build_index

    started = time.perf_counter()
    if dask_address:
        from .. import paths
        from ..build import load_index
        from ..distributed import build_segmented_on, dask_client

        target = out_path or paths.default_index_path()
        with dask_client(dask_address) as client:
            build_segmented_on(client, corpus_path, target)
        built = load_index(target, build=False, on_stale="ignore")
        write(terminal.render_build_summary(built.info(), time.perf_counter() - started, verbose=verbose))
        return
    if segments or out_path is None:
        from .. import paths
        from ..build import load_index
        from ..incremental import build_segmented

        target = out_path or paths.default_index_path()
        build_segmented(corpus_path, target)
        built = load_index(target, build=False, on_stale="ignore")
        write(terminal.render_build_summary(built.info(), time.perf_counter() - started, verbose=verbose))
        return
    progress = Progress("building index")
    try:
        built = build_index(corpus_path, out_path, progress=progress, workers=workers or None)
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




_INDEX_OPTION = click.option("--index", "index_path", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
                             help="The index to change (default: the default index).")


def _changed(index_path: Path | None, run) -> None:
    from .. import paths
    from ..build import load_index

    folder = index_path or paths.default_index_path()
    started = time.perf_counter()
    change = run(folder)
    info = load_index(folder, build=False, on_stale="ignore").info()
    write(terminal.render_change(change, info, time.perf_counter() - started))


@index.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@_INDEX_OPTION
def index_add(files: tuple[Path, ...], index_path: Path | None) -> None:
    """Add documents (files) to a segmented index, without a rebuild.

    The files go into a new segment; a document whose id is already in the
    index is replaced (its old passages are marked deleted). Small segments
    are merged when there are many. Rankings are those a full build gives.

    \b
    Example:
      transcript-qa index add 2024-05-02-transcript.txt --index indexes/mine
    """
    from ..incremental import add_files

    _changed(index_path, lambda folder: add_files(folder, files))


@index.command("remove")
@click.argument("doc_ids", metavar="DOC_ID...", nargs=-1, required=True)
@_INDEX_OPTION
def index_remove(doc_ids: tuple[str, ...], index_path: Path | None) -> None:
    """Remove documents (by id) from a segmented index.

    \b
    Example:
      transcript-qa index remove 2023-03-17-letter-hmpps-response --index indexes/mine
    """
    from ..incremental import remove_documents

    _changed(index_path, lambda folder: remove_documents(folder, doc_ids))


@index.command("merge")
@_INDEX_OPTION
def index_merge(index_path: Path | None) -> None:
    """Merge every segment of a segmented index into one (deleted passages are dropped).

    \b
    Example:
      transcript-qa index merge --index indexes/mine
    """
    from ..incremental import merge_segments

    _changed(index_path, merge_segments)


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
    from ..build import verify_index

    started = time.perf_counter()
    report = verify_index(path if path is not None else paths.default_index_path())
    seconds = time.perf_counter() - started
    count = report.get("segments")
    segments = f" in {count} segment{'' if count == 1 else 's'}" if count else ""
    write(f"ok: {report['path']}{segments}: {report['files']} files, {report['bytes'] / 2**20:.1f} MiB, "
          f"{report['postings']:,} postings checked in {seconds:.1f} s\n")
