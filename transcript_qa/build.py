"""Getting an index: build one from a corpus folder and save it, or load one
(building or rebuilding the default index, a cache, when needed); an index of
segments (:mod:`transcript_qa.incremental`) is built and loaded here too. Passages
in, an index out: :mod:`transcript_qa.from_passages` (re-exported here).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from transcript_qa.errors import IndexError_, IndexFormatError, IndexMissingError, StaleIndexError
from transcript_qa.from_passages import (  # noqa: F401  (re-exported: where callers look)
    Progress,
    _sklearn_version,
    _speaker_infos,
    build_index_from_passages,
)
from transcript_qa.index import Index, read_index
from transcript_qa.settings import BUILD_FIELDS, split_settings
from transcript_qa.atomic import recover
from transcript_qa.store import REBUILD_HINT


def build_index(
    corpus_path: str | os.PathLike | None = None,
    out_path: str | os.PathLike | None = None,
    *,
    progress: Progress | None = None,
    workers: int | None = None,
    **settings: Any,
) -> Index:
    """Parse a corpus folder, build its index and save it (atomically) to
    ``out_path`` (default: :func:`transcript_qa.paths.default_index_path`)."""
    from transcript_qa import paths
    from transcript_qa.corpus import load_corpus

    if out_path is not None and _holds_other_files(Path(out_path)):
        raise _not_an_index(Path(out_path))  # before the work of parsing
    corpus = load_corpus(corpus_path, progress=progress)
    root = Path(corpus.root).resolve()
    problems = corpus.problems()
    index = build_index_from_passages(
        corpus.passages,
        documents=corpus.documents,
        progress=progress,
        workers=workers,
        speakers=corpus.speakers(),
        corpus={"root": str(root), "fingerprint": corpus.fingerprint, "files": len(corpus.files),
                "warnings": len(corpus.warnings), "skipped": len(corpus.skipped),
                "skipped_files": problems["skipped"], "degraded_documents": problems["degraded"]},
        **settings,
    )
    target = Path(out_path) if out_path is not None else paths.default_index_path()
    if progress:
        progress("saving", 0, 1)
    if out_path is None:
        _save_cache(index, target)
    else:
        index.save(target)
    if progress:
        progress("saving", 1, 1)
    return index


def _holds_other_files(folder: Path) -> bool:
    """True when ``folder`` exists, holds something, and has no index manifest."""
    try:
        return folder.is_dir() and not (folder / "manifest.json").is_file() and any(folder.iterdir())
    except OSError:
        return True


def _not_an_index(folder: Path) -> IndexError_:
    import shlex

    hint = f"if it is a damaged index, delete it and build again: rm -r {shlex.quote(str(folder))}; else choose another folder"
    return IndexError_(f"{folder} holds files but no index manifest (manifest.json): a damaged index or "
                       "another folder, which is never overwritten", hint=hint)


def _save_cache(index: Index, folder: Path) -> None:
    """Save the default index (a cache). A folder there without its manifest (a
    damaged index) is replaced, provided it holds only files an index is made
    of (the names the new one has), so that no file of the user's is deleted."""
    if not _holds_other_files(folder):
        index.save(folder)
        return
    from transcript_qa.atomic import discard, new_folder, swap_in

    staging = new_folder(folder)
    try:
        staging.rmdir()
        index.save(staging)
        ours = set(os.listdir(staging))
        if not all(e.name in ours and e.is_file(follow_symlinks=False) for e in os.scandir(folder)):
            raise _not_an_index(folder)
        swap_in(staging, folder)
        index.path = folder
    finally:
        if staging.exists():
            discard(staging, folder)


def load_index(
    path: str | os.PathLike | None = None,
    *,
    corpus_path: str | os.PathLike | None = None,
    build: bool = True,
    on_stale: str = "rebuild",
    notify: Callable[[str], None] | None = None,
    verify: bool | None = None,
) -> Index:
    """Load the index at ``path`` (default: :func:`paths.default_index_path`).

    * No index there: with ``build`` (and a corpus: ``corpus_path``, or the
      bundled corpus for the default index) it is built and saved, with a
      one-line notice through ``notify``; else IndexMissingError.
    * Corrupt, truncated or another format: IndexFormatError saying how to
      rebuild (the default index, a cache, is rebuilt instead, with a notice).
    * Corpus changed since the build (fingerprint): ``on_stale`` is
      ``"rebuild"`` (rebuild and save, with a notice), ``"error"``
      (StaleIndexError), ``"warn"`` (notice, use it) or ``"ignore"``.
    """
    from transcript_qa import paths

    if on_stale not in ("rebuild", "error", "warn", "ignore"):
        raise ValueError(f"on_stale must be rebuild, error, warn or ignore, not {on_stale!r}")
    say = notify or (lambda message: None)
    default = path is None
    folder = Path(path) if path is not None else paths.default_index_path()
    corpus = Path(corpus_path) if corpus_path is not None else (paths.default_corpus_path() if default else None)
    out = None if default else folder  # build_index(out_path=None) saves the default index as a cache
    if recover(folder, check=_complete):
        say(f"restored the index {folder} from the copy a killed build left beside it")
    if not (folder / "manifest.json").is_file():
        if build and corpus is not None:
            if default and _holds_other_files(folder):
                say(f"rebuilding the default index {folder}: its manifest is missing")
                from transcript_qa.incremental import only_index_files

                if only_index_files(folder):
                    return _build_segmented(corpus, folder)
            elif not default and _holds_other_files(folder):
                raise _not_an_index(folder)
            else:
                say(f"building the index {folder} from {corpus} (first use)")
                if default:
                    return _build_segmented(corpus, folder)
            return build_index(corpus, out)
        if _holds_other_files(folder):
            raise _not_an_index(folder)
        raise IndexMissingError(f"no index at {folder}: {REBUILD_HINT}", hint=REBUILD_HINT)
    try:
        index = _read_any(folder, verify)
    except IndexFormatError as err:
        if default and build and corpus is not None:
            # the default index is a cache of the bundled corpus: rebuild it
            say(f"rebuilding the default index {folder}: " + str(err).split(": ", 1)[-1].split("; run")[0])
            return _build_segmented(corpus, folder)
        raise
    if on_stale != "ignore":
        stale = index.is_stale(corpus)
        if stale:
            where = corpus or index.manifest.get("corpus", {}).get("root")
            if on_stale == "rebuild" and where is not None:
                from transcript_qa.segments import SegmentedIndex

                if isinstance(index, SegmentedIndex):
                    from transcript_qa.incremental import refresh

                    change = refresh(folder, where)
                    say(f"updated the index {folder} from {where}: " + _what_changed(change))
                    return _read_any(folder, verify)
                say(f"rebuilding the index {folder}: the corpus {where} changed since it was built")
                if default:  # the default index is rebuilt in segments: later changes are incremental
                    return _build_segmented(where, folder, **_saved_settings(index))
                return build_index(where, out, **_saved_settings(index))
            if on_stale == "error":
                raise StaleIndexError(
                    f"the index {folder} is stale: the corpus {where} changed since it was built; {REBUILD_HINT}",
                    hint=REBUILD_HINT,
                )
            say(f"warning: the index {folder} is stale (the corpus changed since it was built); {REBUILD_HINT}")
    return index


def _saved_settings(index: Index) -> dict[str, Any]:
    build = dict(index.manifest.get("settings", {}).get("build", {}))
    analysis = index.manifest.get("settings", {}).get("analysis", {})
    for key in ("stem", "bigrams", "stop_words"):
        if key in analysis:
            build[key] = analysis[key]
    build = {k: v for k, v in build.items() if k in BUILD_FIELDS}
    try:
        split_settings(build)  # checked here, so that a bad manifest is named as such
    except (TypeError, ValueError) as err:
        raise IndexFormatError(f"{index.path}: the manifest's build {err}; {REBUILD_HINT}", hint=REBUILD_HINT) from None
    return {**build, **index.settings.to_dict()}


def _complete(folder: Path) -> bool:
    """True when ``folder`` is a whole index whose every file checks out (the
    condition for :func:`recover` to put it back)."""
    try:
        index = _read_any(folder, True)
    except (IndexError_, OSError):
        return False
    close = getattr(index.passages, "close", None)
    if close is not None:
        close()
    return True


def _read_any(folder: Path, verify: bool | None) -> Index:
    """The index at ``folder``: built whole, or in segments (:mod:`transcript_qa.segments`)."""
    from transcript_qa.segments import is_segmented, read_segmented

    if is_segmented(folder):
        return read_segmented(folder, verify=verify)
    return read_index(folder, verify=verify)


def verify_index(path: str | os.PathLike) -> dict[str, Any]:
    """Check the index at ``path`` completely, built whole or in segments:
    every file's size and sha256, every posting decoded (and, in segments,
    every deletion bitmap and the global statistics). Returns a report
    (``files``, ``bytes``, ``postings``, ``segments`` when segmented); raises
    IndexMissingError or IndexFormatError naming the first problem found."""
    from transcript_qa import store
    from transcript_qa.segments import is_segmented, verify_segmented

    return verify_segmented(path) if is_segmented(path) else store.verify_index(path)


def _build_segmented(corpus: str | os.PathLike, folder: Path, **settings: Any) -> Index:
    """Build the default index in segments (so that it refreshes document by document)."""
    from transcript_qa.incremental import build_segmented

    build_segmented(corpus, folder, **settings)
    return _read_any(folder, None)


def _what_changed(change: Any) -> str:
    parts = [f"{len(ids)} document{'s' if len(ids) != 1 else ''} {what}"
             for what, ids in (("added or changed", change.added), ("removed", change.removed),
                               ("re-indexed", change.reindexed)) if ids]
    return ", ".join(parts) or "nothing to re-index"
