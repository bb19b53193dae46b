"""Getting an index: build one from passages or a corpus folder, or load one
(building or rebuilding the default index, a cache, when needed).

Building (scikit-learn and NLTK are imported here only): every passage is
analysed by :class:`transcript_qa.analysis.Analyzer` and weighted by
``TfidfVectorizer(analyzer=..., sublinear_tf=True, norm="l2")`` (idf smoothed:
``ln((1+n)/(1+df)) + 1``). Boilerplate passages stay in ``Index.passages``
(for context and ``show``) but get no postings unless
``include_boilerplate=True``. With ``speaker_in_text=True`` (default) the
speaker's name is indexed with each passage's words; the footnotes a paragraph
cites (``Passage.citation``) state always is, without their source references.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sized
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from transcript_qa import __version__
from transcript_qa.acronyms import glossary_from
from transcript_qa.analysis import Analyzer
from transcript_qa.errors import IndexError_, IndexFormatError, IndexMissingError, StaleIndexError
from transcript_qa.index import Index, read_index
from transcript_qa.model import Document, Passage, SpeakerInfo
from transcript_qa.settings import BUILD_FIELDS, split_settings
from transcript_qa.atomic import recover
from transcript_qa.passage_file import PassageFile, PassageWriter
from transcript_qa.store import COLUMN_FIELDS, FORMAT_VERSION, REBUILD_HINT

Progress = Callable[[str, int, int], None]


def build_index_from_passages(
    passages: Iterable[Passage],
    *,
    documents: Sequence[Document] = (),
    progress: Progress | None = None,
    speakers: Sequence[SpeakerInfo] | None = None,
    corpus: dict[str, Any] | None = None,
    workers: int | None = None,
    **settings: Any,
) -> Index:
    """Build an index from passages in corpus order (in memory: its postings
    and passages are in a temporary folder until :meth:`Index.save`, read as
    questions need them).

    ``passages`` is read once and none is kept: a generator builds an index
    of millions of passages without holding them. ``settings``:
    :class:`BuildSettings` and :class:`~transcript_qa.settings.RankSettings`
    fields. ``progress(stage, done, total)`` is called as the build advances
    (``total`` is 0 while unknown: ``passages`` without a length).
    ``workers``: processes that analyse passages (default: one per core for
    large corpora)."""
    build, rank = split_settings(settings)
    notify = progress or (lambda stage, done, total: None)
    total = len(passages) if isinstance(passages, Sized) else None
    analyzer = Analyzer(stem=build.stem, bigrams=build.bigrams, stop_words=build.stop_words)
    from transcript_qa.indexer import CHUNK_PASSAGES, build_segment, give_back_memory
    from transcript_qa.intake import Intake
    from transcript_qa.linking import DEFAULT_MAX_SHARE, DEFAULT_SHINGLE

    work = Path(tempfile.mkdtemp(prefix="transcript-qa-build-"))
    try:
        with open(work / "passages.jsonl", "wb") as handle:
            writer = PassageWriter(handle)
            intake = Intake(writer, include_boilerplate=build.include_boilerplate,
                            speaker_in_text=build.speaker_in_text, chunk_passages=CHUNK_PASSAGES)
            data = build_segment(
                intake.chunks(passages),
                total=total,
                analysis=analyzer.settings(),
                part_chars=build.part_chars,
                bigram_min_count=build.bigram_min_count if build.bigrams else 0,
                link_shingle=DEFAULT_SHINGLE if build.links else 0,
                link_max_share=DEFAULT_MAX_SHARE,
                folder=work,
                workers=workers,
                notify=notify,
            )
        segment_arrays = _detach({**data.postings, **data.singles}, work)
        offsets = writer.offsets()
        stored = PassageFile(work / "passages.jsonl", offsets)
        if data.links:
            links = {a: [stored.written(b).id for b in sorted(bs)] for a, bs in sorted(data.links.items())}
            stored.close()
            stored = PassageFile(work / "passages.jsonl", offsets, links=links)
        passages_out = _detach_passages(stored)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    n = len(intake)
    length = np.zeros(n, dtype=np.int32)
    length[data.numbers] = data.passage_length
    columns = {name: intake.columns[name].values for name in COLUMN_FIELDS}
    codes = {name: intake.columns[name].array() for name in COLUMN_FIELDS}
    indexed = intake.flags("indexed")
    arrays = {
        **segment_arrays,
        "bigrams": data.bigrams,
        "part_passage": data.part_passage,
        "part_start": data.part_start,
        "part_length": data.part_length,  # not saved: what incremental indexes keep per document
        "indexed": indexed,
        "question": intake.flags("question"),
        "length": length,
        **codes,
    }
    glossary = glossary_from(intake.definitions)
    if speakers is None:
        speakers = _speaker_infos(columns, codes, intake.labels.values, intake.labels.array())
    documents = list(documents) or list(intake.documents.values())
    give_back_memory()
    n_singles = int(data.singles["single_second"].shape[0])
    n_terms = len(data.vocab) + int(data.bigrams.shape[0]) + n_singles
    manifest = {
        "format": FORMAT_VERSION,
        "library_version": __version__,
        "sklearn_version": _sklearn_version(),
        "numpy_version": np.__version__,
        "settings": {
            "analysis": analyzer.settings(),
            "build": build.to_dict(),
            "rank": rank.to_dict(),
        },
        "counts": {
            "documents": len(documents),
            "passages": n,
            "indexed": int(indexed.sum()),
            "parts": int(data.part_passage.shape[0]),
            "total_length": int(data.total_length),
            "terms": n_terms,
            "unigrams": len(data.vocab),
            "bigrams": int(data.bigrams.shape[0]) + n_singles,
            "single_bigrams": n_singles,
            "postings": int(segment_arrays["codes"].shape[0]),
            "speakers": len(speakers),
            "acronyms": len(glossary),
            "links": len(set(intake.own_links).union(data.links)),
        },
        "documents": [d.id for d in documents],
        "corpus": corpus or {},
    }
    return Index(
        passages=passages_out,
        manifest=manifest,
        arrays=arrays,
        vocab=data.vocab,
        columns=columns,
        glossary=glossary,
        tables=data.tables,
        speakers=list(speakers),
        documents=documents,
        settings=rank,
    )


def _detach(arrays: dict[str, np.ndarray], folder: Path) -> dict[str, np.ndarray]:
    """The built postings, independent of ``folder`` (about to be removed):
    on POSIX they stay memory-mapped (a removed file stays readable while it
    is mapped, and its pages are read only as questions need them);
    elsewhere they are read into memory."""
    if os.name != "posix":
        return {name: np.array(a) for name, a in arrays.items()}
    return dict(arrays)


def _detach_passages(stored: PassageFile) -> Sequence[Passage]:
    """The built passages, independent of their folder (about to be
    removed): on POSIX the open file stays readable; elsewhere they are read
    into memory."""
    if os.name == "posix":
        return stored
    out = list(stored)
    stored.close()
    return out


def _sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


def _speaker_infos(columns: dict[str, list[str]], codes: dict[str, np.ndarray], label_names: list[str],
                   label_codes: np.ndarray) -> list[SpeakerInfo]:
    """Speakers from the column codes: counts, and the roles, organisations,
    documents and labels each speaks with (in order of first sight)."""
    speaker = codes["speaker"]
    names = columns["speaker"]
    if not names:
        return []
    has = np.flatnonzero(speaker >= 0)
    counts = np.bincount(speaker[has], minlength=len(names))

    def pairs(column: np.ndarray) -> dict[int, list[int]]:
        sel = has[column[has] >= 0]
        key = speaker[sel].astype(np.int64) << 32 | column[sel].astype(np.int64)
        _, first = np.unique(key, return_index=True)
        out: dict[int, list[int]] = {}
        for i in np.sort(first).tolist():
            out.setdefault(int(speaker[sel[i]]), []).append(int(column[sel[i]]))
        return out

    roles = pairs(codes["role"])
    orgs = pairs(codes["organisation"])
    docs = pairs(codes["document"])
    labels = pairs(label_codes)
    order = sorted(range(len(names)), key=lambda c: (-int(counts[c]), names[c]))
    return [
        SpeakerInfo(
            name=names[c],
            roles=tuple(columns["role"][i] for i in roles.get(c, [])),
            organisations=tuple(columns["organisation"][i] for i in orgs.get(c, [])),
            honours=(),
            passages=int(counts[c]),
            documents=tuple(columns["document"][i] for i in docs.get(c, [])),
            labels=tuple(label_names[i] for i in labels.get(c, [])),
        )
        for c in order
    ]


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
