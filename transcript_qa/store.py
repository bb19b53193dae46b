"""The index on disk: its format, written atomically, read back safely, verified.

An index folder (format :data:`FORMAT_VERSION`) is one *segment*::

    manifest.json          format and library versions, settings, counts (the
                           statistics scoring needs: parts, total length), the
                           segment id, corpus root and fingerprint, and for
                           every file its size, sha256 and a crc32 of its ends
    vocab.json             the unigrams, sorted (term number = position)
    bigrams.npy            int64, sorted: codes of the bigrams several parts hold
                           (bigram (a, b) of unigram numbers is ``(a + 1) << 32 | b``);
                           term number = unigrams + position
    single_first.npy, single_second.npy
                           the single-bigram table: the bigrams one part holds,
                           ascending: int64 [unigrams + 1] rows of each first
                           word, int32 [rows] second word of each row; term
                           number = unigrams + bigrams + row; their postings
                           are the tails of ids, codes and block_last (one each)
    term_post.npy ... block_meta.npy
                           the compressed postings (:mod:`transcript_qa.postings`):
                           delta-coded part numbers, one uint16 code (tf, length)
                           per posting, block ends and bounds
    part_passage.npy       int32 [parts]: the passage of each part (ascending)
    part_start.npy         int32 [parts]: where the part starts in its passage's text
    passages.jsonl         one Passage a line, in corpus order (a JSON object;
                           fields left at their defaults are left out)
    passage_offsets.npy    int64 [passages + 1]: byte offsets of the lines
    columns.json           known values of speaker, organisation, role, document, kind, date
    col_<field>.npy        int32 [passages]: value number per passage (-1: none)
    indexed.npy, question.npy  uint8 [passages];  length.npy int32 [passages]
    glossary.json, stems.json, speakers.json, documents.json

No weight stored depends on the rest of the collection (idf, average length):
those come from the manifest's counts and the postings' document frequencies at
query time, so a segment can later be searched with other segments' statistics.

Arrays are written with ``allow_pickle=False`` and read back the same way
(memory-mapped when large), so a query reads only its own terms' postings.

Checks on load: sizes of every file; a crc32 of every file's first and last
64 KiB (a file swapped in from elsewhere or cut short is caught without
reading it all), the whole file for files up to 16 MiB; shapes, offsets and
ranges of every array (part numbers, value codes, block ends). :func:`verify`
reads everything: sha256 of every file and every posting decoded.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import uuid
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from transcript_qa import postings as P
from transcript_qa.analysis import ANALYSIS_VERSION
from transcript_qa.atomic import fsync_dir, replace_folder
from transcript_qa.errors import IndexError_, IndexFormatError, IndexMissingError
from transcript_qa.model import Acronym, Document, SpeakerInfo
from transcript_qa.passage_file import REBUILD_HINT, PassageFile, write_passages
from transcript_qa.segment import SINGLE_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from transcript_qa.index import Index

FORMAT_VERSION = 4

COLUMN_FIELDS = ("speaker", "organisation", "role", "document", "kind", "date")
_PASSAGE_ARRAYS = {
    "passage_offsets": "passage_offsets.npy",
    "indexed": "indexed.npy",
    "question": "question.npy",
    "length": "length.npy",
    **{f: f"col_{f}.npy" for f in COLUMN_FIELDS},
}
_SEGMENT_ARRAYS = {
    "bigrams": "bigrams.npy",
    "part_passage": "part_passage.npy",
    "part_start": "part_start.npy",
    **{name: f"{name}.npy" for name in P.ARRAY_NAMES},
    **{name: f"{name}.npy" for name in SINGLE_NAMES},
}
_ARRAY_FILES = {**_SEGMENT_ARRAYS, **_PASSAGE_ARRAYS}
_JSON_FILES = ("vocab.json", "columns.json", "glossary.json", "stems.json", "speakers.json", "documents.json")
_MMAP_MIN_BYTES = 1 << 20
_FULL_CRC_MAX_BYTES = 16 << 20
_SAMPLE_BYTES = 64 << 10
_COPY_BYTES = 32 << 20  # a memory-mapped array is saved this much at a time


# =========================================================================== writing


class NpyWriter:
    """A ``.npy`` file of one dtype written piece by piece (its length is
    filled in at :meth:`close`); rows of 2-D pieces keep their width."""

    _HEADER = 128

    def __init__(self, path: Path, dtype: Any, tail: tuple[int, ...] = ()) -> None:
        self.path = path
        self.handle = open(path, "wb")
        self.handle.write(b"\0" * self._HEADER)
        self.dtype = np.dtype(dtype)
        self.rows = 0
        self.tail = tuple(tail)

    def write(self, array: np.ndarray) -> None:
        array = np.ascontiguousarray(array, dtype=self.dtype)
        if array.shape[1:] != self.tail:
            raise ValueError(f"{self.path.name}: rows of shape {array.shape[1:]}, expected {self.tail}")
        self.handle.write(array.tobytes())
        self.rows += array.shape[0]

    def close(self) -> None:
        dtype = self.dtype
        header = {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False,
                  "shape": (self.rows, *self.tail)}
        text = repr(header).encode("latin1")
        pad = self._HEADER - 10 - len(text) - 1
        raw = b"\x93NUMPY\x01\x00" + (len(text) + pad + 1).to_bytes(2, "little") + text + b" " * pad + b"\n"
        assert len(raw) == self._HEADER
        self.handle.flush()
        self.handle.seek(0)
        self.handle.write(raw)
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()


def sha256_of(path: Path) -> str:
    """The sha256 of a file's bytes (read a MiB at a time)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _digests(path: Path) -> dict[str, Any]:
    """Size, sha256 and the crc32 of the first and last 64 KiB of a file."""
    return {"bytes": path.stat().st_size, "sha256": sha256_of(path), "crc32_ends": _crc_ends(path)}


def _crc_ends(path: Path) -> int:
    size = path.stat().st_size
    with open(path, "rb") as handle:
        if size <= max(_FULL_CRC_MAX_BYTES, 2 * _SAMPLE_BYTES):
            return zlib.crc32(handle.read())
        crc = zlib.crc32(handle.read(_SAMPLE_BYTES))
        handle.seek(size - _SAMPLE_BYTES)
        return zlib.crc32(handle.read(_SAMPLE_BYTES), crc)


def _write_json(path: Path, data: Any) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.flush()
        os.fsync(handle.fileno())


def _write_npy(path: Path, array: np.ndarray) -> None:
    array = np.ascontiguousarray(array)
    mapped = _mapping_of(array)
    with open(path, "wb") as handle:
        if mapped is None or array.size == 0:
            np.save(handle, array, allow_pickle=False)
        else:
            # A memory-mapped array (a built index's postings) is copied a slice at a time, and its
            # pages are let go after each: copying through the mapping would otherwise keep every
            # page of it in this process's memory, where a query needs only its own terms'.
            np.lib.format.write_array_header_1_0(handle, np.lib.format.header_data_from_array_1_0(array))
            raw = array.reshape(-1).view(np.uint8)
            for lo in range(0, raw.shape[0], _COPY_BYTES):
                handle.write(raw[lo: lo + _COPY_BYTES].data)
                mapped.madvise(mmap.MADV_DONTNEED)
        handle.flush()
        os.fsync(handle.fileno())


def _mapping_of(array: np.ndarray) -> Any:
    """The ``mmap`` under a memory-mapped array, if it can let pages go."""
    base = array
    while base is not None and not isinstance(base, mmap.mmap):
        base = getattr(base, "base", None)
    if base is None or not hasattr(base, "madvise") or not hasattr(mmap, "MADV_DONTNEED"):
        return None
    return base


def write_index(index: "Index", target: Path) -> None:
    target = target.resolve() if target.exists() else Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise IndexError_(f"{target} exists and is not a folder; choose another index path")
    if target.is_dir() and any(target.iterdir()) and not (target / "manifest.json").is_file():
        raise IndexError_(f"{target} is a folder that does not hold an index; refusing to overwrite it")
    replace_folder(target, lambda folder: _write_files(index, folder))


def _write_files(index: "Index", folder: Path) -> None:
    arrays = index.saved_arrays()
    with open(folder / "passages.jsonl", "wb") as handle:
        offsets = write_passages(index.passages, handle)
        handle.flush()
        os.fsync(handle.fileno())
    arrays["passage_offsets"] = offsets
    for name, filename in _ARRAY_FILES.items():
        _write_npy(folder / filename, arrays[name])
    data = index.saved_json()
    for name in _JSON_FILES:
        _write_json(folder / name, data[name])
    files = {name: _digests(folder / name) for name in sorted(os.listdir(folder))}
    manifest = dict(index.manifest)
    manifest["files"] = files
    manifest["segment"] = {"id": uuid.uuid4().hex}
    manifest["settings"] = dict(manifest["settings"], rank=index.settings.to_dict())
    _write_json(folder / "manifest.json", manifest)
    fsync_dir(folder)


# =========================================================================== loading


def _bad(path: Path, what: str) -> IndexFormatError:
    return IndexFormatError(f"{path}: {what}; {REBUILD_HINT}", hint=REBUILD_HINT)


def read_index_parts(path: str | os.PathLike, *, verify: bool | None = None) -> dict[str, Any]:
    """The parts of an index folder (:class:`~transcript_qa.index.Index`
    keyword arguments). Never unpickles. ``verify=True``: check every file's
    sha256 and decode every posting first (see :func:`verify`); otherwise the
    cheap checks of the module doc.

    Raises IndexMissingError (no index there) or IndexFormatError (corrupt,
    truncated, or another format version)."""
    folder = Path(path)
    manifest = _read_manifest(folder)
    files = manifest["files"]
    for name, meta in files.items():
        file = folder / name
        if not file.is_file():
            raise _bad(file, "file missing")
        size = file.stat().st_size
        if size != meta.get("bytes"):
            raise _bad(file, f"{size} bytes, the manifest says {meta.get('bytes')} (truncated or changed)")
    for name, meta in files.items():
        if verify:
            if sha256_of(folder / name) != meta.get("sha256"):
                raise _bad(folder / name, "checksum mismatch (the file is corrupt or was changed)")
        elif _crc_ends(folder / name) != meta.get("crc32_ends"):
            raise _bad(folder / name, "checksum mismatch (the file is corrupt, or comes from another index)")
    arrays = {key: _read_npy(folder / name) for key, name in _ARRAY_FILES.items()}
    json_data = {}
    for name in _JSON_FILES:
        try:
            json_data[name] = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise _bad(folder / name, f"unreadable ({err})") from None
    try:
        counts = manifest["counts"]
        n = int(counts["passages"])
        vocab = json_data["vocab.json"]
        columns = {f: list(json_data["columns.json"][f]) for f in COLUMN_FIELDS}
        problem = check_arrays(arrays, n, int(counts["parts"]), len(vocab), columns,
                               passages_bytes=files["passages.jsonl"]["bytes"], full=bool(verify))
        if problem is not None:
            name, what = problem
            raise _bad(folder / name, what)
        glossary = [Acronym(g["short"], g["long"], tuple(g.get("passages", ()))) for g in json_data["glossary.json"]]
        speakers = [
            SpeakerInfo(**{**s, **{k: tuple(s.get(k) or ()) for k in ("roles", "organisations", "honours", "documents", "labels")}})
            for s in json_data["speakers.json"]
        ]
        documents = [Document(**d) for d in json_data["documents.json"]]
        passages = PassageFile(folder / "passages.jsonl", arrays["passage_offsets"])
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


def _read_manifest(folder: Path) -> dict[str, Any]:
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
    if not isinstance(files, dict) or not all(isinstance(m, dict) for m in files.values()):
        raise _bad(manifest_path, "the manifest lists no files")
    expected = set(_ARRAY_FILES.values()) | set(_JSON_FILES) | {"passages.jsonl"}
    missing = sorted(expected - set(files))
    if missing:
        raise _bad(manifest_path, f"the manifest does not list {missing[0]}")
    return manifest


def _read_npy(path: Path) -> np.ndarray:
    try:
        mode = "r" if path.stat().st_size >= _MMAP_MIN_BYTES else None
        array = np.load(path, mmap_mode=mode, allow_pickle=False)
    except (OSError, ValueError, EOFError) as err:
        raise _bad(path, f"unreadable array ({err})") from None
    if not isinstance(array, np.ndarray) or array.dtype.hasobject:
        raise _bad(path, "not a plain numeric array")
    return _plain(array)


def _plain(array: np.ndarray) -> np.ndarray:
    """A memory-mapped array as a plain ndarray view of the same pages
    (reading one value of a ``np.memmap`` costs microseconds of Python; of
    the view, a fraction of one)."""
    return array.view(np.ndarray) if isinstance(array, np.memmap) else array


_DTYPES = {
    "bigrams": "i8", "part_passage": "i4", "part_start": "i4", "term_post": "i8", "term_bytes": "i8",
    "term_exc": "i8", "term_meta": "u1", "ids": "u1", "codes": "u2", "exc_pos": "i4", "exc_val": "i4",
    "block_last": "i4", "block_meta": "u1", "passage_offsets": "i8", "indexed": "u1", "question": "u1",
    "length": "i4", "single_first": "i8", "single_second": "i4",
    **{f: "i4" for f in COLUMN_FIELDS},
}


def check_arrays(arrays: dict[str, np.ndarray], n: int, n_parts: int, n_uni: int, columns: dict[str, list],
                 *, passages_bytes: int, full: bool = False) -> tuple[str, str] | None:
    """(file, what is wrong) with an index's arrays, or None. Cheap (no
    posting decoded) unless ``full``."""
    for key, kind in _DTYPES.items():
        if arrays[key].dtype != np.dtype(kind).newbyteorder("<") and arrays[key].dtype != np.dtype(kind):
            return _ARRAY_FILES[key], f"dtype {arrays[key].dtype}, expected {np.dtype(kind)}"
    bigrams = np.asarray(arrays["bigrams"])
    v = n_uni + int(bigrams.shape[0])
    shapes = {"passage_offsets": (n + 1,), "indexed": (n,), "question": (n,), "length": (n,),
              "part_passage": (n_parts,), "part_start": (n_parts,), "term_post": (v + 1,),
              **{f: (n,) for f in COLUMN_FIELDS}}
    for key, shape in shapes.items():
        if arrays[key].shape != shape:
            return _ARRAY_FILES[key], f"shape {arrays[key].shape}, expected {shape}"
    offsets = np.asarray(arrays["passage_offsets"])
    if int(offsets[0]) != 0 or int(offsets[-1]) != passages_bytes or np.any(np.diff(offsets) <= 0):
        return "passage_offsets.npy", "line offsets do not match passages.jsonl"
    for f in COLUMN_FIELDS:
        col = np.asarray(arrays[f])
        if col.size and (int(col.min()) < -1 or int(col.max()) >= len(columns[f])):
            return _ARRAY_FILES[f], "value number out of range"
    part_passage = np.asarray(arrays["part_passage"])
    if part_passage.size and (int(part_passage[0]) < 0 or int(part_passage[-1]) >= n
                              or np.any(np.diff(part_passage) < 0)):
        return "part_passage.npy", "passage number out of range or not ascending"
    if part_passage.size and not np.asarray(arrays["indexed"])[part_passage].all():
        return "part_passage.npy", "a part of a passage that is not indexed"
    if np.any(np.asarray(arrays["part_start"]) < 0):
        return "part_start.npy", "negative offset"
    if bigrams.size:
        if np.any(np.diff(bigrams) <= 0):
            return "bigrams.npy", "codes not ascending"
        first, second = (bigrams >> 32) - 1, bigrams & 0xFFFFFFFF
        if int(first.min()) < 0 or int(first.max()) >= n_uni or int(second.max()) >= n_uni:
            return "bigrams.npy", "unigram number out of range"
    problem = _check_singles(arrays, bigrams, n_uni, full=full)
    if problem is not None:
        return problem
    if arrays["term_meta"].shape != (v, 3):
        return "term_meta.npy", f"shape {arrays['term_meta'].shape}, expected {(v, 3)}"
    problem = P.check({k: arrays[k] for k in P.ARRAY_NAMES}, n_parts, full=full,
                      singles=int(arrays["single_second"].shape[0]))
    if problem is not None:
        name = problem.split(":", 1)[0]
        return (f"{name}.npy" if name in P.ARRAY_NAMES else "ids.npy"), problem
    return None


def _check_singles(arrays: dict[str, np.ndarray], bigrams: np.ndarray, n_uni: int, *,
                   full: bool) -> tuple[str, str] | None:
    """What is wrong with the single-bigram table's words (row offsets per
    first word, second words known and ascending within a first word; with
    ``full``: no row also a bigram of ``bigrams.npy``). Its postings are
    checked with the others (:func:`transcript_qa.postings.check`)."""
    first, second = np.asarray(arrays["single_first"]), np.asarray(arrays["single_second"])
    m = second.shape[0] if second.ndim == 1 else -1
    if first.shape != (n_uni + 1,) or m < 0 or int(first[0]) != 0 or int(first[-1]) != m or np.any(np.diff(first) < 0):
        return "single_first.npy", "row offsets do not match single_second.npy"
    if m == 0:
        return None
    if int(second.min()) < 0 or int(second.max()) >= n_uni:
        return "single_second.npy", "unigram number out of range"
    step = np.diff(second.astype(np.int64))
    starts = first[1:-1]
    new_first = np.zeros(m - 1, dtype=bool)
    new_first[starts[(starts > 0) & (starts < m)] - 1] = True
    if np.any((step <= 0) & ~new_first):
        return "single_second.npy", "words not ascending"
    if full and bigrams.size:
        owner = np.repeat(np.arange(n_uni, dtype=np.int64), np.diff(first))
        if np.isin(((owner + 1) << 32) | second.astype(np.int64), bigrams, assume_unique=True).any():
            return "single_second.npy", "a bigram also in bigrams.npy"
    return None


def verify_index(path: str | os.PathLike) -> dict[str, Any]:
    """Check an index folder completely: every file's size and sha256, every
    array's shape and ranges, every posting decoded. Returns a report
    (``files``, ``bytes``, ``postings``); raises IndexMissingError or
    IndexFormatError naming the first problem found."""
    folder = Path(path)
    parts = read_index_parts(folder, verify=True)
    files = parts["manifest"]["files"]
    return {
        "path": str(folder),
        "files": len(files),
        "bytes": sum(int(m["bytes"]) for m in files.values()),
        "postings": int(parts["arrays"]["codes"].shape[0]),
        "ok": True,
    }


verify = verify_index
