"""The files of one segment: writing a segment, its documents' records, its deletions.

Used by :mod:`transcript_qa.incremental` (and the parallel build of
:mod:`transcript_qa.distributed`, whose workers call :func:`write_segment`).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from transcript_qa.acronyms import passage_definitions
from transcript_qa.atomic import replace_folder
from transcript_qa.errors import IndexError_
from transcript_qa.model import Document, Passage
from transcript_qa.segments import MANIFEST, SIDECAR, check_file, read_deleted, sha256_of
from transcript_qa.store import read_index_parts
from transcript_qa.summary import registry_rows, speaker_rows


def record(doc: Document, passages: Sequence[Passage], raw: Sequence[str | None], raw_author: str | None,
            names: dict[str, str], sha: str | None, first: int, indexed: Sequence[bool]) -> dict[str, Any]:
    return {
        "id": doc.id, "path": doc.path, "sha256": sha, "first": first, "end": first + len(passages),
        "raw_author": raw_author, "names": names,
        "registry": registry_rows(passages, raw),
        "speakers": speaker_rows(passages),
        "definitions": [list(d) for d in passage_definitions(p for p, ok in zip(passages, indexed) if ok)],
    }


def _write_json_file(path: Path, data: Any) -> dict[str, Any]:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))  # the C encoder: dump() is not
        handle.flush()
        os.fsync(handle.fileno())
    return {"bytes": path.stat().st_size, "sha256": sha256_of(path)}


class _Segment:
    """A segment a change touches: its folder and entry; its per-passage data
    (names as labelled, passages) and deletions are read only when needed."""

    def __init__(self, folder: Path, entry: dict[str, Any], files: dict[str, Any]) -> None:
        self.root = folder
        self.folder = folder / entry["name"]
        self.entry = dict(entry)
        self.files = files
        self._side: dict[str, Any] | None = None
        self._passages: Sequence[Passage] | None = None

    def side(self) -> dict[str, Any]:
        if self._side is None:
            self._side = json.loads((self.folder / SIDECAR).read_text(encoding="utf-8"))
        return self._side

    @property
    def raw(self) -> list[str | None]:
        return self.side()["raw_speakers"]

    def deleted(self) -> np.ndarray:
        n = self.entry.get("size")
        if n is None and self.entry.get("deleted"):
            meta = self.files.get(self.entry["deleted"], {})
            n = int(np.load(self.root / self.entry["deleted"], mmap_mode="r").shape[0]) if meta else None
        if n is None:
            n = len(self.raw)
        deleted = read_deleted(self.root, self.entry, self.files, int(n), False)
        return deleted if deleted is not None else np.zeros(int(n), dtype=bool)

    def passages(self) -> Sequence[Passage]:
        if self._passages is None:
            self._passages = read_index_parts(self.folder)["passages"]
        return self._passages


def _load_records(folder: Path, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of every live document (each naming its ``segment``): the
    global file, or (an index written before there was one) every segment's."""
    name = manifest.get("docs")
    if name:
        meta = manifest.get("files", {}).get(name)
        if meta is None:
            raise IndexError_(f"{folder / MANIFEST}: the manifest does not list {name}")
        path = check_file(folder, name, meta, False)
        data = json.loads(path.read_text(encoding="utf-8"))
        return list(data["documents"])
    out = []
    for e in manifest["segments"]:
        live = set(e.get("documents", []))
        side = json.loads((folder / e["name"] / SIDECAR).read_text(encoding="utf-8"))
        out.extend({**r, "segment": e["name"]} for r in side["documents"] if r["id"] in live)
    return out


def _write_segment(folder: Path, docs: Sequence[tuple[Document, list[Passage], list[str | None], str | None,
                                                      dict[str, str], str | None]],
                   settings: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Build and write one segment of ``docs`` (document, canonical passages, names as
    labelled, author as labelled, names map, file sha256); its manifest entry and records."""
    from transcript_qa.from_passages import build_index_from_passages
    from transcript_qa.store import _write_files

    passages = [p for _, ps, *_ in docs for p in ps]
    index = build_index_from_passages(passages, documents=[d for d, *_ in docs], speakers=[], **settings)
    arrays = index._arrays
    indexed = np.asarray(arrays["indexed"]).astype(bool)
    part_passage = np.asarray(arrays["part_passage"], dtype=np.int64)
    part_length = np.asarray(arrays["part_length"], dtype=np.int64)
    records, raw_all, first = [], [], 0
    part_doc = np.zeros(len(passages), dtype=np.int64)
    for i, (doc, ps, raw, raw_author, names, sha) in enumerate(docs):
        records.append(record(doc, ps, raw, raw_author, names, sha, first, indexed[first:first + len(ps)].tolist()))
        part_doc[first:first + len(ps)] = i
        raw_all.extend(raw)
        first += len(ps)
    by_doc = part_doc[part_passage]
    parts = np.bincount(by_doc, minlength=len(docs))
    lengths = np.bincount(by_doc, weights=part_length, minlength=len(docs))
    name = f"seg-{uuid.uuid4().hex[:16]}"
    for rec, n_parts, length in zip(records, parts.tolist(), lengths.tolist()):
        rec["parts"], rec["length"] = int(n_parts), int(length)

    def fill(tmp: Path) -> None:
        _write_json_file(tmp / SIDECAR, {"documents": records, "raw_speakers": raw_all})
        _write_files(index, tmp)

    replace_folder(folder / name, fill)
    close = getattr(index.passages, "close", None)
    if close:
        close()
    entry = {"name": name, "deleted": None, "documents": [r["id"] for r in records], "passages": len(passages),
             "size": len(passages), "parts": int(part_passage.shape[0]), "total_length": int(part_length.sum())}
    return entry, [{**r, "segment": name} for r in records]


def _canonical(ps: Sequence[Passage], raw: Sequence[str | None], names: dict[str, str]) -> list[Passage]:
    return [replace(p, speaker=names.get(r, r)) if r and names.get(r, r) != p.speaker else p for p, r in zip(ps, raw)]


def _delete(folder: Path, seg: _Segment, drop: list[dict[str, Any]], generation: int,
            files: dict[str, Any]) -> dict[str, Any]:
    deleted = seg.deleted().copy()
    entry = dict(seg.entry)
    entry["size"] = int(deleted.shape[0])
    for rec in drop:
        deleted[rec["first"]:rec["end"]] = True
        entry["parts"] -= rec["parts"]
        entry["total_length"] -= rec["length"]
    ids = {r["id"] for r in drop}
    entry["documents"] = [d for d in entry["documents"] if d not in ids]
    entry["passages"] = int((~deleted).sum())
    name = f"{entry['name']}.deleted-{generation}.npy"
    path = folder / name
    with open(path, "wb") as handle:
        np.save(handle, deleted.astype(np.uint8), allow_pickle=False)
        handle.flush()
        os.fsync(handle.fileno())
    files[name] = {"bytes": path.stat().st_size, "sha256": sha256_of(path)}
    entry["deleted"] = name
    return entry
