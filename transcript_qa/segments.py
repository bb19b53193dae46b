"""An index made of several segments, searched as one.

A *segmented* index folder holds immutable segments (each a folder in the
format of :mod:`transcript_qa.store`) and a top-level ``manifest.json``
(``"layout": "segments"``) that names them, with for each one the file of
passages deleted from it (a ``uint8`` bitmap, ``.npy``) and its live counts,
and the collection statistics scoring needs (live parts and their total
length). Document frequencies are the segments' own, less what deleted
passages held (counted from the postings when a term is first asked for).
Written by :mod:`transcript_qa.incremental`; read here (numpy only).

:class:`SegmentedIndex` is an :class:`~transcript_qa.index.Index` whose
:attr:`segment` is a :class:`MultiSegment`: one term dictionary, one part and
passage numbering over the live passages of every segment in order, with the
global statistics. Ranking, filters, hits and speakers run on it unchanged,
so a question gets the scores a single index built from the same documents
gives it (ties between passages of different segments are broken by segment
order, not corpus order).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from transcript_qa.analysis import Analyzer
from transcript_qa.errors import IndexError_, IndexFormatError
from transcript_qa.index import Index
from transcript_qa.model import Acronym, Document, Passage, SpeakerInfo
from transcript_qa.segment import Segment, Stats
from transcript_qa.settings import RankSettings
from transcript_qa.store import COLUMN_FIELDS, FORMAT_VERSION, REBUILD_HINT, read_index_parts, verify as verify_folder

LAYOUT = "segments"
MANIFEST = "manifest.json"
#: The file beside each segment's own files that incremental updates keep.
SIDECAR = "increment.json"
#: Term numbers of bigrams start here (unigrams below), as ranking expects.
BIGRAM_BASE = 1 << 40


def is_segmented(folder: str | os.PathLike) -> bool:
    """True when ``folder`` holds a segmented index."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("layout") == LAYOUT


def _bad(path: Path, what: str) -> IndexFormatError:
    return IndexFormatError(f"{path}: {what}; {REBUILD_HINT}", hint=REBUILD_HINT)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any]:
    """The top-level manifest of a segmented index (checked)."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise _bad(path, f"unreadable manifest ({err})") from None
    if not isinstance(manifest, dict) or manifest.get("layout") != LAYOUT:
        raise _bad(path, "not the manifest of a segmented index")
    if manifest.get("format") != FORMAT_VERSION:
        raise _bad(folder, f"index format {manifest.get('format')!r}, this version of transcript_qa reads "
                           f"format {FORMAT_VERSION}")
    segments = manifest.get("segments")
    if not isinstance(segments, list) or not all(isinstance(s, dict) and isinstance(s.get("name"), str)
                                                 for s in segments):
        raise _bad(path, "the manifest lists no segments")
    for meta in manifest.get("files", {}).values():
        if not isinstance(meta, dict):
            raise _bad(path, "a file entry is not an object")
    return manifest


def check_file(folder: Path, name: str, meta: dict[str, Any], full: bool) -> Path:
    path = folder / name
    if not path.is_file():
        raise _bad(path, "file missing")
    if path.stat().st_size != meta.get("bytes"):
        raise _bad(path, f"{path.stat().st_size} bytes, the manifest says {meta.get('bytes')} (truncated or changed)")
    if (full or path.stat().st_size <= 16 << 20) and sha256_of(path) != meta.get("sha256"):
        raise _bad(path, "checksum mismatch (the file is corrupt or was changed)")
    return path


def read_deleted(folder: Path, entry: dict[str, Any], files: dict[str, Any], n: int, full: bool) -> np.ndarray | None:
    """The deletion bitmap of a segment (bool [passages]) or None."""
    name = entry.get("deleted")
    if not name:
        return None
    meta = files.get(name)
    if meta is None:
        raise _bad(folder / MANIFEST, f"the manifest does not list {name}")
    path = check_file(folder, name, meta, full)
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as err:
        raise _bad(path, f"unreadable array ({err})") from None
    if array.dtype != np.uint8 or array.shape != (n,):
        raise _bad(path, f"dtype {array.dtype} shape {array.shape}, expected uint8 ({n},)")
    return array.astype(bool)


class _Part:
    """One segment as the composite sees it."""

    def __init__(self, parts: dict[str, Any], deleted: np.ndarray | None) -> None:
        self.index = Index(**parts)
        self.seg: Segment = self.index.segment
        n = len(self.index.passages)
        self.deleted = deleted if deleted is not None and deleted.any() else None
        part_passage = np.asarray(self.seg.part_passage)
        if self.deleted is None:
            self.live_passages = np.arange(n, dtype=np.int64)
            self.live_parts: np.ndarray | None = None
            self.n_live_parts = int(part_passage.shape[0])
        else:
            self.live_passages = np.flatnonzero(~self.deleted).astype(np.int64)
            part_live = ~self.deleted[part_passage]
            self.live_parts = np.flatnonzero(part_live).astype(np.int64)
            self.n_live_parts = int(self.live_parts.shape[0])
        self.passage_offset = 0
        self.part_offset = 0
        self._part_map: np.ndarray | None = None

    def part_map(self) -> np.ndarray:
        """Local part -> global part (-1: deleted)."""
        if self._part_map is None:
            out = np.full(self.seg.n_parts, -1, dtype=np.int64)
            assert self.live_parts is not None
            out[self.live_parts] = self.part_offset + np.arange(self.live_parts.shape[0], dtype=np.int64)
            self._part_map = out
        return self._part_map


class _TermTable:
    """Global term numbers, given out as terms are first asked for."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.strings: dict[int, str] = {}
        self.local: dict[int, list[int | None]] = {}
        self.df: dict[int, int] = {}
        self.n_uni = 0
        self.n_bi = 0
        self.lock = threading.Lock()


class _Lookup:
    """An array-like over global term numbers (``df``, ``idf``)."""

    def __init__(self, get) -> None:
        self._get = get

    def __getitem__(self, t):
        if isinstance(t, (np.ndarray, list, tuple)):
            return np.asarray([self._get(int(x)) for x in np.asarray(t).reshape(-1)]).reshape(np.shape(t))
        return self._get(int(t))


class _Meta:
    """``postings.term_meta[t, 1]`` / ``[t, 2]`` (largest tf, smallest length
    byte) of global term numbers, as ranking reads a segment's."""

    def __init__(self, segment: "MultiSegment") -> None:
        self._segment = segment

    def __getitem__(self, key: tuple[int, int]) -> int:
        t, j = key
        if j not in (1, 2):
            raise KeyError(key)
        return self._segment.bound(int(t))[j - 1]


class _PostingsView:
    def __init__(self, segment: "MultiSegment") -> None:
        self.term_meta = _Meta(segment)


class MultiSegment:
    """The :class:`~transcript_qa.segment.Segment` interface over the live
    passages of several segments (see the module doc). Its postings are the
    segments' own (no compiled kernel reads them whole: ``single`` is False)."""

    n_unigrams = BIGRAM_BASE
    single = False

    def __init__(self, parts: Sequence[_Part]) -> None:
        self._parts = list(parts)
        self._terms = _TermTable()
        pp = []
        passage_offset = part_offset = 0
        for part in self._parts:
            part.passage_offset, part.part_offset = passage_offset, part_offset
            local_pp = np.asarray(part.seg.part_passage, dtype=np.int64)
            if part.deleted is None:
                pp.append(local_pp + passage_offset)
            else:
                new_number = np.cumsum(~part.deleted) - 1 + passage_offset
                pp.append(new_number[local_pp[part.live_parts]])
            passage_offset += part.live_passages.shape[0]
            part_offset += part.n_live_parts
        self.part_passage = (np.concatenate(pp) if pp else np.zeros(0, dtype=np.int64)).astype(np.int32)
        self.n_parts = part_offset
        self._part_starts = np.asarray([p.part_offset for p in self._parts] + [part_offset], dtype=np.int64)
        self.df = _Lookup(self._df)
        self.multi_part = any(p.seg.multi_part for p in self._parts)
        self.n_terms = BIGRAM_BASE * 2
        self.postings = _PostingsView(self)

    @property
    def part_start(self) -> np.ndarray:
        out = []
        for part in self._parts:
            starts = np.asarray(part.seg.part_start)
            out.append(starts if part.live_parts is None else starts[part.live_parts])
        return np.concatenate(out) if out else np.zeros(0, dtype=np.int32)

    # ------------------------------------------------------------------ terms
    def term_id(self, term: str) -> int | None:
        table = self._terms
        tid = table.ids.get(term)
        if tid is not None:
            return tid if self._df(tid) else None
        local = [part.seg.term_id(term) for part in self._parts]
        if all(t is None for t in local):
            return None
        with table.lock:
            tid = table.ids.get(term)
            if tid is None:
                if " " in term:
                    tid = BIGRAM_BASE + table.n_bi
                    table.n_bi += 1
                else:
                    tid = table.n_uni
                    table.n_uni += 1
                table.local[tid] = local
                table.strings[tid] = term
                table.ids[term] = tid
        if self._df(tid) == 0:  # only in deleted passages: unknown, as in a build without them
            return None
        return tid

    def term(self, tid: int) -> str:
        return self._terms.strings[int(tid)]

    def _df(self, tid: int) -> int:
        table = self._terms
        value = table.df.get(tid)
        if value is None:
            value = 0
            for part, local in zip(self._parts, table.local.get(tid, ())):
                if local is None:
                    continue
                if part.deleted is None:
                    value += int(part.seg.df[local])
                else:
                    parts = part.seg.decode(local)[0]
                    value += int(np.count_nonzero(part.part_map()[parts] >= 0))
            table.df[tid] = value
        return value

    # ------------------------------------------------------------------ postings
    def decode(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        all_parts, all_codes = [], []
        for part, local in zip(self._parts, self._terms.local.get(int(tid), ())):
            if local is None:
                continue
            parts, codes = part.seg.decode(local)
            if part.deleted is None:
                all_parts.append(np.asarray(parts, dtype=np.int64) + part.part_offset)
                all_codes.append(codes)
            else:
                mapped = part.part_map()[parts]
                keep = mapped >= 0
                all_parts.append(mapped[keep])
                all_codes.append(np.asarray(codes)[keep])
        if not all_parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint16)
        return np.concatenate(all_parts), np.concatenate(all_codes)

    def lookup(self, tid: int, parts: np.ndarray) -> np.ndarray:
        parts = np.asarray(parts, dtype=np.int64)
        out = np.zeros(parts.shape[0], dtype=np.uint16)
        locals_ = self._terms.local.get(int(tid), ())
        cut = np.searchsorted(parts, self._part_starts)
        for i, (part, local) in enumerate(zip(self._parts, locals_)):
            a, b = int(cut[i]), int(cut[i + 1])
            if local is None or a == b:
                continue
            mine = parts[a:b] - part.part_offset
            if part.live_parts is not None:
                mine = part.live_parts[mine]
            out[a:b] = part.seg.lookup(local, mine)
        return out

    def bound(self, tid: int) -> tuple[int, int]:
        tf, length = 0, 255
        for part, local in zip(self._parts, self._terms.local.get(int(tid), ())):
            if local is not None:
                a, b = part.seg.bound(local)
                tf, length = max(tf, a), min(length, b)
        return tf, length


class _Passages(Sequence[Passage]):
    """The live passages of every segment, in order."""

    def __init__(self, parts: Sequence[_Part], live_docs: set[str]) -> None:
        self._parts = list(parts)
        self._starts = np.asarray([p.passage_offset for p in self._parts], dtype=np.int64)
        self._n = sum(int(p.live_passages.shape[0]) for p in self._parts)
        self._live_docs = live_docs

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        s = int(np.searchsorted(self._starts, i, side="right")) - 1
        part = self._parts[s]
        passage = part.index.passages[int(part.live_passages[i - part.passage_offset])]
        if passage.links and any(link.rpartition(":")[0] not in self._live_docs for link in passage.links):
            from dataclasses import replace

            passage = replace(passage, links=tuple(
                link for link in passage.links if link.rpartition(":")[0] in self._live_docs))
        return passage

    def __iter__(self) -> Iterator[Passage]:
        for i in range(self._n):
            yield self[i]


def _global_columns(parts: Sequence[_Part]) -> tuple[dict[str, list[str]], dict[str, np.ndarray]]:
    values: dict[str, list[str]] = {}
    arrays: dict[str, np.ndarray] = {}
    for field in COLUMN_FIELDS:
        names: list[str] = []
        code_of: dict[str, int] = {}
        pieces = []
        for part in parts:
            local_names = part.index._columns[field]
            col = np.asarray(part.index.column(field))[part.live_passages]
            used = col[col >= 0]
            mapping = np.full(len(local_names) + 1, -1, dtype=np.int32)  # last: -1 stays -1
            if used.size:
                uniq, first = np.unique(used, return_index=True)
                for code in uniq[np.argsort(first)].tolist():
                    name = local_names[code]
                    if name not in code_of:
                        code_of[name] = len(names)
                        names.append(name)
                    mapping[code] = code_of[name]
            pieces.append(mapping[np.where(col >= 0, col, len(local_names))])
        values[field] = names
        arrays[field] = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)
    for name in ("indexed", "question", "length"):
        pieces = [np.asarray(p.index.column(name) if name == "length" else p.index._arrays[name])[p.live_passages]
                  for p in parts]
        arrays[name] = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)
    return values, arrays


class SegmentedIndex(Index):
    """An index of several segments (see the module doc). Read-only: change
    it with :mod:`transcript_qa.incremental`."""

    def __init__(self, folder: Path, manifest: dict[str, Any], parts: Sequence[_Part],
                 global_data: dict[str, Any], settings: RankSettings | None = None) -> None:
        self.path = folder
        self.manifest = manifest
        self.settings = settings or RankSettings.from_dict(manifest.get("settings", {}).get("rank", {}))
        self._parts = list(parts)
        self.segment = MultiSegment(self._parts)  # type: ignore[assignment]
        live_docs: set[str] = set()
        documents: list[Document] = []
        for part in self._parts:
            present = set(np.asarray(part.index._columns["document"])[
                np.unique(np.asarray(part.index.column("document"))[part.live_passages])].tolist()) \
                if part.live_passages.size else set()
            for doc in part.index._documents:
                if doc.id in present:
                    documents.append(doc)
                    live_docs.add(doc.id)
        self.passages = _Passages(self._parts, live_docs)
        self._columns, self._arrays = _global_columns(self._parts)
        self._vocab = []
        self._documents = documents
        self._glossary = [Acronym(g["short"], g["long"], tuple(g.get("passages", ())))
                          for g in global_data.get("glossary", [])]
        self._speakers = [
            SpeakerInfo(**{**s, **{k: tuple(s.get(k) or ()) for k in
                                   ("roles", "organisations", "honours", "documents", "labels", "aliases",
                                    "parties", "constituencies") if k in s}})
            for s in global_data.get("speakers", [])
        ]
        words: dict[str, str] = {}
        acronyms: dict[str, str] = {}
        for part in self._parts:
            for k, v in part.index._tables.get("words", {}).items():
                words.setdefault(k, v)
            for k, v in part.index._tables.get("acronyms", {}).items():
                acronyms.setdefault(k, v)
        self._tables = {"words": words, "acronyms": acronyms}
        counts = manifest.get("counts", {})
        self.stats = Stats(parts=int(counts.get("parts", 0)), total_length=int(counts.get("total_length", 0)))
        if self.stats.parts != self.segment.n_parts:
            raise _bad(folder / MANIFEST, f"the manifest counts {self.stats.parts} parts, the segments hold "
                                          f"{self.segment.n_parts} live ones")
        self.analyzer = Analyzer.from_settings(manifest["settings"]["analysis"], stems=words, acronyms=acronyms)
        self._cache = {}
        self._handles = None
        self._gloss_terms = None
        self._id_to_number = None
        self._doc_start = None

    @property
    def idf(self):  # type: ignore[override]
        lookup = self._cache.get("idf")
        if lookup is None:
            stats, df = self.stats, self.segment.df
            lookup = self._cache["idf"] = _Lookup(lambda t: float(stats.idf(np.asarray([df[t]]))[0]))
        return lookup

    def term_id(self, term: str) -> int | None:
        return self.segment.term_id(term)

    def term_text(self, tid: int) -> str:
        return self.segment.term(tid)

    _vocab_term = term_text

    def saved_arrays(self) -> dict[str, np.ndarray]:
        raise IndexError_("a segmented index is saved segment by segment: use transcript_qa.incremental")

    def save(self, path: str | os.PathLike) -> None:
        raise IndexError_("a segmented index is changed with `index add/remove/merge`, not saved whole")

    def verify(self) -> dict[str, Any]:
        return verify_segmented(self.path)

    def segments(self) -> list[dict[str, Any]]:
        """Each segment's name, live passages and deleted passages."""
        return [
            {"name": e["name"], "passages": len(p.live_passages),
             "deleted": 0 if p.deleted is None else int(p.deleted.sum()), "documents": len(e.get("documents", []))}
            for e, p in zip(self.manifest["segments"], self._parts)
        ]

    def __repr__(self) -> str:
        return f"<SegmentedIndex {self.path}: {len(self.passages)} passages in {len(self._parts)} segments>"


def read_global(folder: Path, manifest: dict[str, Any], full: bool) -> dict[str, Any]:
    name = manifest.get("global")
    if not name:
        return {}
    meta = manifest.get("files", {}).get(name)
    if meta is None:
        raise _bad(folder / MANIFEST, f"the manifest does not list {name}")
    path = check_file(folder, name, meta, full)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise _bad(path, f"unreadable ({err})") from None
    if not isinstance(data, dict):
        raise _bad(path, "not a JSON object")
    return data


def read_segmented(path: str | os.PathLike, *, verify: bool | None = None) -> SegmentedIndex:
    """Load a segmented index folder (IndexFormatError when something does not check out)."""
    folder = Path(path)
    manifest = read_manifest(folder)
    files = manifest.get("files", {})
    parts = []
    for entry in manifest["segments"]:
        seg_folder = folder / entry["name"]
        pieces = read_index_parts(seg_folder, verify=verify)
        if pieces["manifest"]["settings"]["analysis"] != manifest["settings"]["analysis"]:
            raise _bad(seg_folder, "a segment analysed with other settings than the index")
        deleted = read_deleted(folder, entry, files, int(pieces["manifest"]["counts"]["passages"]), bool(verify))
        parts.append(_Part(pieces, deleted))
    try:
        return SegmentedIndex(folder, manifest, parts, read_global(folder, manifest, bool(verify)))
    except (KeyError, TypeError, ValueError) as err:
        raise _bad(folder, f"inconsistent index ({type(err).__name__}: {err})") from None


def verify_segmented(path: str | os.PathLike) -> dict[str, Any]:
    """Check a segmented index completely (every segment as :func:`store.verify`
    does, every deletion bitmap and the global file's sha256)."""
    folder = Path(path)
    manifest = read_manifest(folder)
    reports = [verify_folder(folder / e["name"]) for e in manifest["segments"]]
    read_segmented(folder, verify=True)
    return {
        "path": str(folder),
        "segments": len(reports),
        "files": sum(r["files"] for r in reports) + len(manifest.get("files", {})),
        "bytes": sum(r["bytes"] for r in reports) + sum(int(m["bytes"]) for m in manifest.get("files", {}).values()),
        "postings": sum(r["postings"] for r in reports),
        "ok": True,
    }
