"""The index on disk: its format, written atomically, read back safely.

An index folder (format :data:`FORMAT_VERSION`) holds::

    manifest.json          format and library versions, settings, counts,
                           corpus root and fingerprint, sha256 + size of every file
    vocab.json             the unigrams (term number = position)
    bigrams.npy            int64, sorted: bigram (a, b) of unigram numbers is
                           ``(a + 1) << 32 | b``; term number = unigrams + position
    idf.npy                float64 [terms]
    max_weight.npy         float32 [terms]: largest weight (times length factor) per term
    postings_offsets.npy   int64 [terms + 1]: term t's postings are [off[t], off[t+1])
    postings_ids.npy       int32: passage numbers, ascending within a term
    postings_weights.npy   float32: the passage's l2-normalised tf-idf weight (sklearn's)
    postings_scaled.npy    float32: the same times the passage's length factor
                           (pivoted normalisation at the build's slope), what queries add up
    passages.jsonl         one Passage a line, in corpus order
    passage_offsets.npy    int64 [passages + 1]: byte offsets of the lines
    columns.json           known values of speaker, organisation, role, document, kind, date
    col_<field>.npy        int32 [passages]: value number per passage (-1: none)
    indexed.npy, question.npy  uint8 [passages];  length.npy int32 [passages]
    glossary.json, stems.json, speakers.json, documents.json

Arrays are written with ``allow_pickle=False`` and read back the same way
(memory-mapped when large), so a query reads only its own terms' postings.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np

from transcript_qa.analysis import ANALYSIS_VERSION
from transcript_qa.atomic import fsync_dir, replace_folder
from transcript_qa.errors import IndexError_, IndexFormatError, IndexMissingError
from transcript_qa.model import Acronym, Document, Passage, SpeakerInfo

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index

FORMAT_VERSION = 2
REBUILD_HINT = "run `transcript-qa index build`"
COLUMN_FIELDS = ("speaker", "organisation", "role", "document", "kind", "date")
_ARRAY_FILES = {
    "idf": "idf.npy",
    "bigrams": "bigrams.npy",
    "max_weight": "max_weight.npy",
    "offsets": "postings_offsets.npy",
    "post_ids": "postings_ids.npy",
    "post_w": "postings_weights.npy",
    "post_ws": "postings_scaled.npy",
    "passage_offsets": "passage_offsets.npy",
    "indexed": "indexed.npy",
    "question": "question.npy",
    "length": "length.npy",
    "norm": "norm.npy",
    **{f: f"col_{f}.npy" for f in COLUMN_FIELDS},
}
_JSON_FILES = ("vocab.json", "columns.json", "glossary.json", "stems.json", "speakers.json", "documents.json")
_MMAP_MIN_BYTES = 1 << 20
_PASSAGE_FIELDS = tuple(f.name for f in fields(Passage))
_VERIFY_MAX_BYTES = 64 << 20


# =========================================================================== passages on disk


class _PassageFile(Sequence[Passage]):
    """``passages.jsonl`` read one line at a time, on demand."""

    def __init__(self, path: Path, offsets: np.ndarray) -> None:
        self._path = path
        self._offsets = offsets
        self._handle = open(path, "rb")
        self._cache: dict[int, Passage] = {}

    def __len__(self) -> int:
        return int(self._offsets.shape[0]) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        cached = self._cache.get(i)
        if cached is not None:
            return cached
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        self._handle.seek(start)
        raw = self._handle.read(end - start)
        try:
            passage = Passage.from_dict(json.loads(raw))
        except (ValueError, TypeError) as err:
            raise IndexFormatError(
                f"{self._path}: passage {i} is unreadable ({err}); {REBUILD_HINT}", hint=REBUILD_HINT
            ) from None
        if len(self._cache) < 4096:
            self._cache[i] = passage
        return passage

    def __iter__(self) -> Iterator[Passage]:
        for i in range(len(self)):
            yield self[i]

    def close(self) -> None:
        self._handle.close()


# =========================================================================== saving


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, data: Any) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.flush()
        os.fsync(handle.fileno())


def _write_npy(path: Path, array: np.ndarray) -> None:
    with open(path, "wb") as handle:
        np.save(handle, np.ascontiguousarray(array), allow_pickle=False)
        handle.flush()
        os.fsync(handle.fileno())


def write_index(index: "Index", target: Path) -> None:
    target = target.resolve() if target.exists() else Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise IndexError_(f"{target} exists and is not a folder; choose another index path")
    if target.is_dir() and any(target.iterdir()) and not (target / "manifest.json").is_file():
        raise IndexError_(f"{target} is a folder that does not hold an index; refusing to overwrite it")
    replace_folder(target, lambda folder: _write_files(index, folder))


def _write_files(index: "Index", folder: Path) -> None:
    a = index._arrays
    # passages.jsonl with byte offsets
    offsets = np.zeros(len(index.passages) + 1, dtype=np.int64)
    with open(folder / "passages.jsonl", "wb") as handle:
        position = 0
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        names = _PASSAGE_FIELDS
        for i, passage in enumerate(index.passages):
            record = {name: getattr(passage, name) for name in names}
            record["links"] = list(passage.links)
            line = (encode(record) + "\n").encode("utf-8")
            handle.write(line)
            position += len(line)
            offsets[i + 1] = position
        handle.flush()
        os.fsync(handle.fileno())
    arrays = {name: a[name] for name in _ARRAY_FILES if name != "passage_offsets"}
    arrays["passage_offsets"] = offsets
    for name, filename in _ARRAY_FILES.items():
        _write_npy(folder / filename, np.asarray(arrays[name]))
    _write_json(folder / "vocab.json", index._vocab)
    _write_json(folder / "columns.json", index._columns)
    _write_json(folder / "glossary.json", [asdict(g) for g in index._glossary])
    _write_json(folder / "stems.json", index._tables)
    _write_json(folder / "speakers.json", [asdict(s) for s in index._speakers])
    _write_json(folder / "documents.json", [asdict(d) for d in index._documents])
    files = {}
    for name in sorted(os.listdir(folder)):
        path = folder / name
        files[name] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
    manifest = dict(index.manifest)
    manifest["files"] = files
    manifest["settings"] = dict(manifest["settings"], rank=index.settings.to_dict())
    _write_json(folder / "manifest.json", manifest)
    fsync_dir(folder)


# =========================================================================== loading


def _bad(path: Path, what: str) -> IndexFormatError:
    return IndexFormatError(f"{path}: {what}; {REBUILD_HINT}", hint=REBUILD_HINT)


def read_index_parts(path: str | os.PathLike, *, verify: bool | None = None) -> dict[str, Any]:
    """The parts of an index folder (:class:`~transcript_qa.index.Index` keyword
    arguments). Never unpickles. ``verify``: check every file's
    sha256 (None: only when the index is under 64 MiB; sizes are always checked).

    Raises IndexMissingError (no index there) or IndexFormatError (corrupt,
    truncated, or another format version)."""
    folder = Path(path)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise IndexMissingError(f"no index at {folder}: {REBUILD_HINT}", hint=REBUILD_HINT)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise _bad(manifest_path, f"unreadable manifest ({err})") from None
    if not isinstance(manifest, dict):
        raise _bad(manifest_path, "the manifest is not a JSON object")
    version = manifest.get("format")
    if version != FORMAT_VERSION:
        raise _bad(folder, f"index format {version!r}, this version of transcript_qa reads format {FORMAT_VERSION}")
    analysis = (manifest.get("settings") or {}).get("analysis") or {}
    if analysis.get("version") != ANALYSIS_VERSION:
        raise _bad(folder, f"text analysis version {analysis.get('version')!r}, this version of transcript_qa "
                           f"analyses questions with version {ANALYSIS_VERSION}")
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise _bad(manifest_path, "the manifest lists no files")
    expected = set(_ARRAY_FILES.values()) | set(_JSON_FILES) | {"passages.jsonl"}
    missing = sorted(expected - set(files))
    if missing:
        raise _bad(manifest_path, f"the manifest does not list {missing[0]}")
    total = 0
    for name, meta in files.items():
        file = folder / name
        if not file.is_file():
            raise _bad(file, "file missing")
        size = file.stat().st_size
        if size != meta.get("bytes"):
            raise _bad(file, f"{size} bytes, the manifest says {meta.get('bytes')} (truncated or changed)")
        total += size
    if verify or (verify is None and total <= _VERIFY_MAX_BYTES):
        for name, meta in files.items():
            if _sha256(folder / name) != meta.get("sha256"):
                raise _bad(folder / name, "checksum mismatch (the file is corrupt or was changed)")
    arrays = {}
    for key, name in _ARRAY_FILES.items():
        arrays[key] = _read_npy(folder / name)
    json_data = {}
    for name in _JSON_FILES:
        try:
            json_data[name] = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise _bad(folder / name, f"unreadable ({err})") from None
    try:
        n = int(manifest["counts"]["passages"])
        vocab = json_data["vocab.json"]
        _check(arrays, n, len(vocab), folder)
        glossary = [Acronym(g["short"], g["long"], tuple(g.get("passages", ()))) for g in json_data["glossary.json"]]
        speakers = [
            SpeakerInfo(**{**s, **{k: tuple(s.get(k) or ()) for k in ("roles", "organisations", "honours", "documents", "labels")}})
            for s in json_data["speakers.json"]
        ]
        documents = [Document(**d) for d in json_data["documents.json"]]
        columns = {f: list(json_data["columns.json"][f]) for f in COLUMN_FIELDS}
        passages = _PassageFile(folder / "passages.jsonl", arrays["passage_offsets"])
        return dict(
            passages=passages,
            manifest=manifest,
            arrays=arrays,
            vocab=vocab,
            columns=columns,
            glossary=glossary,
            tables=json_data["stems.json"],
            speakers=speakers,
            documents=documents,
            path=folder,
        )
    except IndexFormatError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise _bad(folder, f"inconsistent index ({type(err).__name__}: {err})") from None


def _read_npy(path: Path) -> np.ndarray:
    try:
        mode = "r" if path.stat().st_size >= _MMAP_MIN_BYTES else None
        array = np.load(path, mmap_mode=mode, allow_pickle=False)
    except (OSError, ValueError, EOFError) as err:
        raise _bad(path, f"unreadable array ({err})") from None
    if not isinstance(array, np.ndarray) or array.dtype.hasobject:
        raise _bad(path, "not a plain numeric array")
    return array


def _check(arrays: dict[str, np.ndarray], n: int, u: int, folder: Path) -> None:
    v = u + int(arrays["bigrams"].shape[0])
    shapes = {
        "idf": (v,), "offsets": (v + 1,), "max_weight": (v,), "passage_offsets": (n + 1,),
        "indexed": (n,), "question": (n,), "length": (n,), "norm": (n,), **{f: (n,) for f in COLUMN_FIELDS},
    }
    for key, shape in shapes.items():
        if arrays[key].shape != shape:
            raise _bad(folder / _ARRAY_FILES[key], f"shape {arrays[key].shape}, expected {shape}")
    nnz = int(arrays["offsets"][-1]) if v else 0
    for key in ("post_ids", "post_w", "post_ws"):
        if arrays[key].shape != (nnz,):
            raise _bad(folder / _ARRAY_FILES[key], f"shape {arrays[key].shape}, expected ({nnz},)")


