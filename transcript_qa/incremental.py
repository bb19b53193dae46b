"""Changing a segmented index: add, replace and remove documents, merge segments.

Every change writes new files only (a new segment folder, new deletion
bitmaps, a new global file) and then swaps the top-level manifest atomically
(written beside it, fsynced, renamed over it); files no manifest names any
more are removed afterwards. A crash leaves the previous index whole. One
writer at a time (a lock file, ``.lock``, held while the index changes).

What stays exact (the rankings of a full build over the same documents):

* A document's passages stay together in one segment, in order, with their
  ids, so context and passage ids behave as in a full build.
* Collection statistics (parts, their total length, document frequencies)
  count live passages only (see :mod:`transcript_qa.segments`).
* Speaker identities are resolved across documents (``Dr Lee`` in one
  transcript is ``Dr Ann Lee`` of another): every change resolves them again
  over every document, from what each segment keeps of its documents in
  ``increment.json`` (the names as labelled); a document whose speakers'
  names change is re-indexed with the new ones.
* The glossary and the speaker list are made again from each document's
  definitions and speaker rows, in corpus order (the order a full build reads
  files: by folder, files before sub-folders, by name).

Not exact: quotation links between passages (``Passage.links``) are found
within a segment only (a merge finds them again across what it merges); they
do not change scores.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence


from transcript_qa import __version__
from transcript_qa.acronyms import glossary_from
from transcript_qa.atomic import fsync_dir, replace_folder
from transcript_qa.errors import IndexError_, IndexMissingError
from transcript_qa.model import Document, Passage
from transcript_qa.segments import (LAYOUT, MANIFEST, is_segmented, read_manifest,
                                   sha256_of)
from transcript_qa.settings import BUILD_FIELDS
from transcript_qa.segments import document_key
from transcript_qa.segment_writer import (_Segment, _canonical, _delete, _load_records, _write_json_file,
                                         _write_segment)
from transcript_qa.summary import (AUTHOR, labelled_names, record_order, registry_rows, resolve_changed,
                                   speaker_list)
from transcript_qa.store import FORMAT_VERSION, read_index_parts

#: The automatic policy merges the small segments when there are more than this many.
MAX_SEGMENTS = 8
#: A segment is small when it holds less than this share of the live passages.
SMALL_SHARE = 0.1


@dataclass(frozen=True)
class NewDocument:
    """A document to add: its passages as parsed (speakers as labelled)."""

    document: Document
    passages: tuple[Passage, ...]
    sha256: str | None = None


# =========================================================================== the index folder


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / ".lock", "a+")
    try:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - not POSIX
            pass
        yield
    finally:
        handle.close()


def _settings_of(manifest: dict[str, Any]) -> dict[str, Any]:
    settings = manifest["settings"]
    build = dict(settings.get("build", {}))
    for key in ("stem", "bigrams", "stop_words"):
        if key in settings.get("analysis", {}):
            build[key] = settings["analysis"][key]
    return {**{k: v for k, v in build.items() if k in BUILD_FIELDS}, **settings.get("rank", {})}


@dataclass(frozen=True)
class Change:
    """What a change did (for people and tests)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    reindexed: tuple[str, ...]  # documents re-indexed because their speakers' names changed
    merged: int  # segments merged into one (0: none)
    segments: int  # segments after the change


def apply_change(folder: str | os.PathLike, *, add: Sequence[NewDocument] = (), remove: Iterable[str] = (),
                 merge: str | None = "auto", corpus: dict[str, Any] | None = None) -> Change:
    """Add (or replace, by id) and remove documents of the segmented index in
    ``folder``, then merge segments: ``merge`` is ``"auto"`` (the policy of
    :func:`_to_merge`), ``"all"`` or None. ``corpus``: the manifest's corpus
    entry after the change (None: staleness unknown from now on)."""
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise IndexMissingError(f"no index at {folder}: build one with `transcript-qa index build --segments`")
    if not is_segmented(folder):
        raise IndexError_(f"{folder} was built whole, not in segments; rebuild it with "
                          f"`transcript-qa index build --segments` to add or remove documents",
                          hint="transcript-qa index build --segments --corpus DIR --out " + str(folder))
    with _locked(folder):
        return _apply(folder, list(add), set(remove), merge, corpus)


#: ``write_many(folder, groups, settings)``: write each group of documents as a
#: segment (as :func:`_write_segment` does, e.g. on a cluster's workers), in order.
ManyWriter = Callable[[Path, list[list[tuple]], dict[str, Any]], list[tuple[dict[str, Any], list[dict[str, Any]]]]]


def _split(fresh: list[tuple], groups: int) -> list[list[tuple]]:
    """Documents (in order) cut into ``groups`` runs of about the same number of passages."""
    total = sum(len(t[1]) for t in fresh) or 1
    out: list[list[tuple]] = [[]]
    done = 0
    for t in fresh:
        if out[-1] and done >= total * len(out) / groups and len(out) < groups:
            out.append([])
        out[-1].append(t)
        done += len(t[1])
    return out


def _apply(folder: Path, add: list[NewDocument], remove: set[str], merge: str | None,
           corpus: dict[str, Any] | None, write_many: ManyWriter | None = None, groups: int = 1) -> Change:
    manifest = read_manifest(folder)
    files = dict(manifest.get("files", {}))
    records = _load_records(folder, manifest)
    known = {r["id"] for r in records}
    unknown = sorted(remove - known)
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], sorted(known), n=3, cutoff=0.5)
        hint = ("did you mean " + ", ".join(repr(c) for c in close) + "?") if close else None
        raise IndexError_(f"no document {unknown[0]!r} in the index {folder}", hint=hint)
    new_ids = [d.document.id for d in add]
    if len(set(new_ids)) != len(new_ids):
        raise IndexError_("two of the documents to add have the same id " + repr(
            next(i for i in new_ids if new_ids.count(i) > 1)))
    gone = remove | (set(new_ids) & known)
    # identities: the components of the names added or removed are resolved again
    new_records = [{"id": d.document.id, "path": d.document.path, "raw_author": d.document.author,
                    "registry": registry_rows(d.passages, [p.speaker for p in d.passages])} for d in add]
    kept = [r for r in records if r["id"] not in gone]
    dropped = [r for r in records if r["id"] in gone]
    everything = sorted(kept + new_records, key=record_order)
    resolved = resolve_changed(everything, [n for r in new_records + dropped for n in labelled_names(r)])
    dirty = [r for r in kept if r["id"] in resolved and resolved[r["id"]] != r["names"]]
    dirty_ids = {r["id"] for r in dirty}
    settings = _settings_of(manifest)
    segs = {e["name"]: _Segment(folder, e, files) for e in manifest["segments"]}
    # what goes into the new segment
    fresh: list[tuple] = []
    for d, rec in zip(add, new_records):
        names = resolved.get(rec["id"], {})
        raw = [p.speaker for p in d.passages]
        doc = replace(d.document, author=names.get(AUTHOR)) if d.document.author else d.document
        fresh.append((doc, _canonical(d.passages, raw, names), raw, d.document.author, names, d.sha256))
    for r in dirty:
        fresh.append(_reread(segs[r["segment"]], r, resolved[r["id"]]))
    if fresh:
        from transcript_qa.linking import link_elided_quotes

        fresh.sort(key=lambda t: document_key(t[0].path, t[0].id))
        linked = link_elided_quotes([p for t in fresh for p in t[1]])
        at = 0
        for i, t in enumerate(fresh):
            fresh[i] = (t[0], linked[at:at + len(t[1])], *t[2:])
            at += len(t[1])
    generation = int(manifest.get("generation", 0)) + 1
    entries = []
    for e in manifest["segments"]:
        drop = [r for r in records if r["segment"] == e["name"] and (r["id"] in gone or r["id"] in dirty_ids)]
        entries.append(_delete(folder, segs[e["name"]], drop, generation, files) if drop else dict(e))
    entries = [e for e in entries if e["documents"]]
    live = [r for r in kept if r["id"] not in dirty_ids]
    written: list[dict[str, Any]] = []
    if fresh and write_many is not None and groups > 1:
        for entry, recs in write_many(folder, _split(fresh, groups), settings):
            entries.append(entry)
            written += recs
        live += written
    elif fresh:
        entry, written = _write_segment(folder, fresh, settings)
        entries.append(entry)
        live += written
    merged = 0
    chosen = _to_merge(entries, merge)
    if chosen:
        merged = len(chosen)
        entries, live = _merge(folder, entries, chosen, files, settings, live)
    changed = {row[0] for r in dropped + dirty + written for row in r["speakers"]}
    _commit(folder, manifest, entries, files, generation, corpus, live, changed)
    return Change(added=tuple(new_ids), removed=tuple(sorted(remove)), reindexed=tuple(sorted(dirty_ids)),
                  merged=merged, segments=len(entries))


def _reread(seg: _Segment, rec: dict[str, Any], names: dict[str, str]) -> tuple:
    a, b = rec["first"], rec["end"]
    ps = list(seg.passages()[a:b])
    raw = seg.raw[a:b]
    doc = next(d for d in read_index_parts(seg.folder)["documents"] if d.id == rec["id"])
    if doc.author:
        doc = replace(doc, author=names.get(AUTHOR, doc.author))
    return (doc, _canonical(ps, raw, names), raw, rec.get("raw_author"), names, rec.get("sha256"))


def _to_merge(entries: list[dict[str, Any]], merge: str | None) -> list[str]:
    """Names of the segments to merge: all (``"all"``, when more than one), or
    under ``"auto"`` the small ones (less than :data:`SMALL_SHARE` of the live
    passages) when there are more than :data:`MAX_SEGMENTS` segments."""
    if merge is None or len(entries) < 2:
        return []
    if merge == "all":
        return [e["name"] for e in entries]
    total = sum(e["passages"] for e in entries) or 1
    small = [e for e in entries if e["passages"] < SMALL_SHARE * total]
    chosen = small if len(entries) > MAX_SEGMENTS and len(small) > 1 else []
    return [e["name"] for e in chosen]


def _merge(folder: Path, entries: list[dict[str, Any]], chosen: list[str], files: dict[str, Any],
           settings: dict[str, Any], live: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    docs = []
    segs = {e["name"]: _Segment(folder, e, files) for e in entries if e["name"] in chosen}
    for rec in live:
        if rec["segment"] in segs:
            docs.append(_reread(segs[rec["segment"]], rec, rec["names"]))
    docs.sort(key=lambda t: document_key(t[0].path, t[0].id))
    new, records = _write_segment(folder, docs, settings)
    out, placed = [], False
    for e in entries:
        if e["name"] in chosen:
            if not placed:
                out.append(new)
                placed = True
        else:
            out.append(e)
    return out, [r for r in live if r["segment"] not in segs] + records


def _commit(folder: Path, manifest: dict[str, Any], entries: list[dict[str, Any]], files: dict[str, Any],
            generation: int, corpus: dict[str, Any] | None, live: list[dict[str, Any]],
            changed: set[str] | None) -> None:
    """Write the global files of the live documents ``live`` and swap the
    manifest; ``changed``: the speaker names whose entries may have changed
    (None: every entry is made again)."""
    from transcript_qa.segments import read_global

    records = sorted(live, key=record_order)
    glossary = glossary_from(tuple(d) for r in records for d in r["definitions"])
    old = read_global(folder, manifest, False).get("speakers") if manifest.get("docs") and changed is not None else None
    speakers = speaker_list(records, old, changed)
    global_name, docs_name = f"global-{generation}.json", f"docs-{generation}.json"
    files = {k: v for k, v in files.items() if any(e.get("deleted") == k for e in entries)}
    files[global_name] = _write_json_file(folder / global_name, {
        "speakers": speakers, "glossary": [asdict(g) for g in glossary]})
    position = {e["name"]: i for i, e in enumerate(entries)}
    in_order = sorted(live, key=lambda r: (position[r["segment"]], r["first"]))
    files[docs_name] = _write_json_file(folder / docs_name, {"documents": in_order})
    new = dict(manifest)
    new.update({
        "format": FORMAT_VERSION, "layout": LAYOUT, "library_version": __version__, "generation": generation,
        "segments": entries, "global": global_name, "docs": docs_name, "files": files,
        "documents": [r["id"] for r in in_order],
        "counts": {
            "documents": sum(len(e["documents"]) for e in entries),
            "passages": sum(e["passages"] for e in entries),
            "parts": sum(e["parts"] for e in entries),
            "total_length": sum(e["total_length"] for e in entries),
            "segments": len(entries),
            "speakers": len(speakers),
            "acronyms": len(glossary),
        },
        "corpus": corpus if corpus is not None else {**(manifest.get("corpus") or {}), "fingerprint": None},
    })
    tmp = folder / f".{MANIFEST}.tmp-{os.getpid()}"
    _write_json_file(tmp, new)
    os.replace(tmp, folder / MANIFEST)
    fsync_dir(folder)
    _collect(folder, new)


def only_index_files(folder: Path) -> bool:
    """True when every entry of ``folder`` is one a segmented index is made of
    (what may be replaced when the default index is rebuilt)."""
    for entry in os.scandir(folder):
        name = entry.name
        if entry.is_symlink():
            return False
        if entry.is_dir():
            if not name.startswith("seg-"):
                return False
        elif not (name in (MANIFEST, ".lock") or name.startswith(("seg-", "global-", "docs-", f".{MANIFEST}.tmp-"))):
            return False
    return True


def _collect(folder: Path, manifest: dict[str, Any]) -> None:
    """Remove segments and files the manifest no longer names."""
    import shutil

    keep = {e["name"] for e in manifest["segments"]} | set(manifest.get("files", {}))
    for entry in os.scandir(folder):
        name = entry.name
        if name in keep or not name.startswith(("seg-", "global-", "docs-")):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def create(folder: str | os.PathLike, documents: Sequence[NewDocument], *, settings: dict[str, Any],
           corpus: dict[str, Any] | None = None, write_many: ManyWriter | None = None, groups: int = 1) -> Change:
    """Write a new segmented index of ``documents`` at ``folder`` (replacing an
    index there, atomically: it is written beside it, then swapped in). With
    ``write_many`` and ``groups`` > 1 the documents are written as that many
    segments, by ``write_many`` (e.g. in parallel on a cluster)."""
    from transcript_qa.analysis import Analyzer
    from transcript_qa.settings import split_settings

    target = Path(folder)
    if target.exists() and (not target.is_dir() or (
            any(target.iterdir()) and not (target / MANIFEST).is_file() and not only_index_files(target))):
        raise IndexError_(f"{target} holds files but no index manifest (manifest.json): a damaged index or "
                          "another folder, which is never overwritten", hint="choose another folder")
    build, rank = split_settings(settings)
    analysis = Analyzer(stem=build.stem, bigrams=build.bigrams, stop_words=build.stop_words).settings()
    base = {"format": FORMAT_VERSION, "layout": LAYOUT, "segments": [], "files": {}, "generation": 0,
            "settings": {"analysis": analysis, "build": build.to_dict(), "rank": rank.to_dict()},
            "corpus": corpus or {}}
    result: list[Change] = []

    def fill(tmp: Path) -> None:
        _write_json_file(tmp / MANIFEST, base)
        result.append(_apply(tmp, list(documents), set(), None, corpus or {}, write_many, groups))

    replace_folder(target, fill)
    return result[0]


# =========================================================================== files and folders


def _new_documents(root: Path, rels: Sequence[str]) -> list[NewDocument]:
    """The documents of files ``rels`` of the folder ``root``, parsed as a full
    load of the folder would parse them (its manifest entries apply)."""
    from transcript_qa.corpus import load_corpus

    corpus = load_corpus(root, only=rels, canonical=False)
    by_doc: dict[str, list[Passage]] = {}
    for p in corpus.passages:
        by_doc.setdefault(p.document, []).append(p)
    return [NewDocument(d, tuple(by_doc.get(d.id, ())), sha256_of(root / d.path)) for d in corpus.documents]


def _corpus_entry(root: Path) -> dict[str, Any]:
    from transcript_qa.corpus_files import corpus_fingerprint

    return {"root": str(root), "fingerprint": corpus_fingerprint(root)}


def build_segmented(corpus_path: str | os.PathLike | None, out_path: str | os.PathLike, *,
                    write_many: ManyWriter | None = None, groups: int = 1, **settings: Any) -> Change:
    """Build a segmented index (one segment, or ``groups`` written by ``write_many``) of a corpus folder at ``out_path``."""
    from transcript_qa.corpus import load_corpus

    corpus = load_corpus(corpus_path, canonical=False)
    root = Path(corpus.root).resolve()
    by_doc: dict[str, list[Passage]] = {}
    for p in corpus.passages:
        by_doc.setdefault(p.document, []).append(p)
    docs = [NewDocument(d, tuple(by_doc.get(d.id, ())), sha256_of(root / d.path)) for d in corpus.documents]
    entry = {"root": str(root), "fingerprint": corpus.fingerprint, "files": len(corpus.files), **_manifest_sha(root)}
    return create(out_path, docs, settings=settings, corpus=entry, write_many=write_many, groups=groups)


def add_files(index_path: str | os.PathLike, files: Sequence[str | os.PathLike], *, merge: str | None = "auto"
              ) -> Change:
    """Add documents (files) to the segmented index at ``index_path``; a
    document whose id is already there is replaced. A file inside the index's
    corpus folder is read as part of it (its id and metadata as a full build
    gives them); another file is read on its own (id: its file name's stem)."""
    folder = Path(index_path)
    manifest = read_manifest(folder) if is_segmented(folder) else {}
    root = (manifest.get("corpus") or {}).get("root")
    groups: dict[Path, list[str]] = {}
    for f in files:
        path = Path(f).resolve()
        if not path.is_file():
            raise IndexError_(f"{f}: no such file")
        base = Path(root).resolve() if root else None
        if base is not None and base in path.parents:
            groups.setdefault(base, []).append(path.relative_to(base).as_posix())
        else:
            groups.setdefault(path.parent, []).append(path.name)
    docs = [d for base, rels in groups.items() for d in _new_documents(base, rels)]
    return apply_change(folder, add=docs, merge=merge)


def remove_documents(index_path: str | os.PathLike, doc_ids: Iterable[str], *, merge: str | None = "auto") -> Change:
    """Remove documents (by id) from the segmented index at ``index_path``."""
    return apply_change(index_path, remove=list(doc_ids), merge=merge)


def merge_segments(index_path: str | os.PathLike) -> Change:
    """Merge every segment of the index at ``index_path`` into one (dropping deleted passages)."""
    return apply_change(index_path, merge="all")


def refresh(index_path: str | os.PathLike, corpus_path: str | os.PathLike | None = None) -> Change:
    """Bring the segmented index up to date with its corpus folder: only files
    added, changed (by content) or gone since are (re)indexed or removed."""
    from transcript_qa.corpus_files import MANIFEST_NAMES, scan

    folder = Path(index_path)
    manifest = read_manifest(folder)
    root = Path(corpus_path or (manifest.get("corpus") or {}).get("root") or "").resolve()
    if not root.is_dir():
        raise IndexError_(f"the corpus folder {root} of the index {folder} is not there")
    if any((root / n).exists() for n in MANIFEST_NAMES):
        old = (manifest.get("corpus") or {}).get("manifest_sha256")
        now = next(sha256_of(root / n) for n in MANIFEST_NAMES if (root / n).exists())
        if old != now:  # the corpus manifest changed: ids and titles may have, too
            return _rebuild_in_place(folder, root, manifest)
    with _locked(folder):
        manifest = read_manifest(folder)
        current = {r["path"]: (r["id"], r.get("sha256")) for r in _load_records(folder, manifest)}
        now_files = {rel: sha256_of(root / rel) for rel in scan(root).readable}
        changed = [rel for rel, sha in now_files.items() if current.get(rel, (None, None))[1] != sha]
        gone = {doc_id for rel, (doc_id, _) in current.items() if rel not in now_files or rel in changed}
        docs: list[NewDocument] = []
        if changed:
            from transcript_qa.errors import CorpusError

            try:
                docs = _new_documents(root, changed)
            except CorpusError:
                docs = []  # none of them loads (emptied, binary): they are only removed
        corpus = {**_corpus_entry(root), **_manifest_sha(root)}
        return _apply(folder, docs, gone - {d.document.id for d in docs}, "auto", corpus)


def _manifest_sha(root: Path) -> dict[str, Any]:
    from transcript_qa.corpus_files import MANIFEST_NAMES

    for n in MANIFEST_NAMES:
        if (root / n).exists():
            return {"manifest_sha256": sha256_of(root / n)}
    return {}


def _rebuild_in_place(folder: Path, root: Path, manifest: dict[str, Any]) -> Change:
    change = build_segmented(root, folder, **_settings_of(manifest))
    fixed = read_manifest(folder)
    fixed["corpus"] = {**fixed.get("corpus", {}), **_manifest_sha(root)}
    tmp = folder / f".{MANIFEST}.tmp-{os.getpid()}"
    _write_json_file(tmp, fixed)
    os.replace(tmp, folder / MANIFEST)
    return change
