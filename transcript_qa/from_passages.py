"""Passages in, an index out (in memory, saved by :meth:`Index.save`): the
build that :func:`transcript_qa.build.build_index` and each segment of
:mod:`transcript_qa.incremental` run.

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
from transcript_qa.index import Index
from transcript_qa.model import Document, Passage, SpeakerInfo
from transcript_qa.settings import split_settings
from transcript_qa.passage_file import PassageFile, PassageWriter
from transcript_qa.store import COLUMN_FIELDS, FORMAT_VERSION

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
