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

import json
import os
import threading
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Sequence

import numpy as np

from transcript_qa.analysis import Analyzer
from transcript_qa.errors import IndexError_, IndexFormatError
from transcript_qa.index import Index
from transcript_qa.model import Acronym, Document, Passage, SpeakerInfo
from transcript_qa.segment import Segment, Stats
from transcript_qa.settings import RankSettings
from transcript_qa.store import (COLUMN_FIELDS, FORMAT_VERSION, REBUILD_HINT, read_index_parts, sha256_of,
                                 verify as verify_folder)

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


def corpus_order(path: str) -> tuple:
    """Where a file comes in a full load of its folder (by folder, files before sub-folders, by name)."""
    parts = PurePosixPath(path).parts
    return tuple((1, p) for p in parts[:-1]) + ((0, parts[-1] if parts else ""),)


def document_key(path: str | None, doc_id: str) -> tuple:
    """The order of documents in every segmented index, whatever its history:
    corpus order of their files, then id. Passages are numbered in this order
    (then by position), so ties between equal scores are broken the same way
    by a full build, after any adds, removes and merges, and on shards."""
    return corpus_order(path or doc_id), doc_id


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
        self.passage_map = np.zeros(0, dtype=np.int64)  # live passage (in order) -> global passage
        self.part_map = np.zeros(0, dtype=np.int64)  # local part -> global part (-1: deleted)
        self.monotone = True  # the maps ascend (the segment's documents are in global order)

    def runs(self) -> list[tuple[tuple, int, int]]:
        """(document key, first, end) of each document's live passages (in live order)."""
        if self.live_passages.size == 0:
            return []
        codes = np.asarray(self.index.column("document"))[self.live_passages]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        ends = np.r_[starts[1:], codes.size]
        names = self.index._columns["document"]
        path_of = {d.id: d.path for d in self.index._documents}
        return [(document_key(path_of.get(names[int(codes[a])]), names[int(codes[a])]), int(a), int(b))
                for a, b in zip(starts.tolist(), ends.tolist())]


def _numbering(parts: Sequence[_Part]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Number the live passages of every segment in document-key order and
    their parts after them; fill each part's maps. Returns (segment of each
    global passage, segment of each global part, global part -> passage)."""
    runs = sorted((key, j, a, b) for j, p in enumerate(parts) for key, a, b in p.runs())
    n_pass = sum(int(p.live_passages.shape[0]) for p in parts)
    pass_seg = np.zeros(n_pass, dtype=np.int32)
    maps = [np.zeros(int(p.live_passages.shape[0]), dtype=np.int64) for p in parts]
    at = 0
    for _, j, a, b in runs:
        maps[j][a:b] = np.arange(at, at + b - a)
        pass_seg[at:at + b - a] = j
        at += b - a
    part_seg, part_pass = [], []
    for j, (p, m) in enumerate(zip(parts, maps)):
        p.passage_map = m
        local_pp = np.asarray(p.seg.part_passage, dtype=np.int64)
        if p.deleted is None:
            live_pp = local_pp
        else:
            rank = np.cumsum(~p.deleted) - 1  # local passage -> its place among the live ones
            live_pp = rank[local_pp[p.live_parts]]
        part_pass.append(m[live_pp] if m.size else live_pp)
        part_seg.append(np.full(live_pp.shape[0], j, dtype=np.int32))
    gp = np.concatenate(part_pass) if part_pass else np.zeros(0, dtype=np.int64)
    order = np.argsort(gp, kind="stable")  # global part -> concatenated part
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.shape[0])
    start = 0
    for p in parts:
        n = p.n_live_parts
        mine = inverse[start:start + n]
        start += n
        if p.live_parts is None:
            p.part_map = mine
        else:
            full = np.full(p.seg.n_parts, -1, dtype=np.int64)
            full[p.live_parts] = mine
            p.part_map = full
        p.monotone = bool(mine.size < 2 or np.all(mine[1:] > mine[:-1]))
    segs = np.concatenate(part_seg)[order] if part_seg else np.zeros(0, dtype=np.int32)
    return pass_seg, segs, gp[order]


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
        self.passage_segment, self._part_seg, pp = _numbering(self._parts)
        self.part_passage = pp.astype(np.int32)
        self.n_parts = int(pp.shape[0])
        self._part_local = np.zeros(self.n_parts, dtype=np.int64)
        self.passage_local = np.zeros(self.passage_segment.shape[0], dtype=np.int64)
        for part in self._parts:
            valid = part.part_map >= 0
            self._part_local[part.part_map[valid]] = np.flatnonzero(valid)
            self.passage_local[part.passage_map] = part.live_passages
        self._part_start: np.ndarray | None = None
        self.df = _Lookup(self._df)
        self.multi_part = any(p.seg.multi_part for p in self._parts)
        self.n_terms = BIGRAM_BASE * 2
        self.postings = _PostingsView(self)

    @property
    def part_start(self) -> np.ndarray:
        if self._part_start is None:
            out = np.zeros(self.n_parts, dtype=np.int32)
            for j, part in enumerate(self._parts):
                sel = np.flatnonzero(self._part_seg == j)
                out[sel] = np.asarray(part.seg.part_start)[self._part_local[sel]]
            self._part_start = out
        return self._part_start

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
                    value += int(np.count_nonzero(part.part_map[parts] >= 0))
            table.df[tid] = value
        return value

    # ------------------------------------------------------------------ postings
    def decode(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """Global parts (ascending within each segment, not across them) and codes."""
        all_parts, all_codes = [], []
        for part, local in zip(self._parts, self._terms.local.get(int(tid), ())):
            if local is None:
                continue
            parts, codes = part.seg.decode(local)
            mapped = part.part_map[parts]
            if part.deleted is None:
                all_parts.append(mapped)
                all_codes.append(codes)
            else:
                keep = mapped >= 0
                all_parts.append(mapped[keep])
                all_codes.append(np.asarray(codes)[keep])
        if not all_parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint16)
        if len(all_parts) == 1:
            return all_parts[0], all_codes[0]
        return np.concatenate(all_parts), np.concatenate(all_codes)

    def lookup(self, tid: int, parts: np.ndarray) -> np.ndarray:
        parts = np.asarray(parts, dtype=np.int64)
        out = np.zeros(parts.shape[0], dtype=np.uint16)
        locals_ = self._terms.local.get(int(tid), ())
        seg_of = self._part_seg[parts]
        for j, (part, local) in enumerate(zip(self._parts, locals_)):
            if local is None:
                continue
            sel = np.flatnonzero(seg_of == j)
            if sel.size == 0:
                continue
            mine = self._part_local[parts[sel]]
            if not part.monotone:
                order = np.argsort(mine, kind="stable")
                sel, mine = sel[order], mine[order]
            out[sel] = part.seg.lookup(local, mine)
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

    def __init__(self, parts: Sequence[_Part], segment: MultiSegment, live_docs: set[str]) -> None:
        self._parts = list(parts)
        self._seg_of = segment.passage_segment
        self._local = segment.passage_local
        self._n = int(self._seg_of.shape[0])
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
        part = self._parts[int(self._seg_of[i])]
        passage = part.index.passages[int(self._local[i])]
        if passage.links and any(link.rpartition(":")[0] not in self._live_docs for link in passage.links):
            from dataclasses import replace

            passage = replace(passage, links=tuple(
                link for link in passage.links if link.rpartition(":")[0] in self._live_docs))
        return passage

    def __iter__(self) -> Iterator[Passage]:
        for i in range(self._n):
            yield self[i]


def _global_columns(parts: Sequence[_Part], n: int) -> tuple[dict[str, list[str]], dict[str, np.ndarray]]:
    values: dict[str, list[str]] = {}
    arrays: dict[str, np.ndarray] = {}
    order = sorted(range(len(parts)), key=lambda j: parts[j].passage_map[0] if parts[j].passage_map.size else n)
    for field in COLUMN_FIELDS:
        names: list[str] = []
        code_of: dict[str, int] = {}
        out = np.full(n, -1, dtype=np.int32)
        for j in order:  # value codes in the order segments first appear (any order would do)
            part = parts[j]
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
            out[part.passage_map] = mapping[np.where(col >= 0, col, len(local_names))]
        values[field] = names
        arrays[field] = out
    for name in ("indexed", "question", "length"):
        pieces = [np.asarray(p.index.column(name) if name == "length" else p.index._arrays[name])[p.live_passages]
                  for p in parts]
        out = np.zeros(n, dtype=pieces[0].dtype if pieces else np.int32)
        for p, piece in zip(parts, pieces):
            out[p.passage_map] = piece
        arrays[name] = out
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
        documents.sort(key=lambda d: document_key(d.path, d.id))
        self.passages = _Passages(self._parts, self.segment, live_docs)
        self._columns, self._arrays = _global_columns(self._parts, len(self.passages))
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

    def with_settings(self, **settings: Any) -> "SegmentedIndex":
        """The same index with other ranking settings (still a segmented index)."""
        clone = object.__new__(type(self))
        clone.__dict__.update(Index.with_settings(self, **settings).__dict__)
        clone._cache = {}
        return clone

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

    def info(self) -> dict[str, Any]:
        """As :meth:`Index.info`; ``size_bytes`` counts every file of every segment too."""
        info = super().info()
        size = 0
        for root, _, names in os.walk(self.path):
            for name in names:
                try:
                    size += os.stat(os.path.join(root, name), follow_symlinks=False).st_size
                except OSError:
                    pass
        info["size_bytes"] = size
        return info

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


def open_parts(folder: Path, manifest: dict[str, Any], entries: Sequence[dict[str, Any]],
               verify: bool | None) -> list[_Part]:
    """The segments ``entries`` of the index at ``folder``, opened (checked)."""
    files = manifest.get("files", {})
    parts = []
    for entry in entries:
        seg_folder = folder / entry["name"]
        pieces = read_index_parts(seg_folder, verify=verify)
        if pieces["manifest"]["settings"]["analysis"] != manifest["settings"]["analysis"]:
            raise _bad(seg_folder, "a segment analysed with other settings than the index")
        deleted = read_deleted(folder, entry, files, int(pieces["manifest"]["counts"]["passages"]), bool(verify))
        parts.append(_Part(pieces, deleted))
    return parts


def read_segmented(path: str | os.PathLike, *, verify: bool | None = None) -> SegmentedIndex:
    """Load a segmented index folder (IndexFormatError when something does not check out)."""
    folder = Path(path)
    manifest = read_manifest(folder)
    parts = open_parts(folder, manifest, manifest["segments"], verify)
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
