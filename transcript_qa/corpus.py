"""Load a corpus folder into documents and speaker-attributed passages.

A corpus is a folder of documents (``.txt``, ``.md``, ``.vtt``, ``.json``,
``.jsonl``, in sub-folders too) with an optional manifest, ``corpus.json``::

    {"format": 1, "title": "...",
     "documents": [{"file": "2022-07-20-transcript.txt", "id": "...", "title": "...",
                    "kind": "transcript", "date": "2022-07-20", "source": "..."}]}

(``corpus.toml`` with ``[[documents]]`` tables works the same way.) A file
without a manifest entry still loads: its kind is detected from its content, its
id is its file stem, its title is its first title-like line (else the stem) and
its date comes from a leading ISO date in the file name or a clear date in the
text, else None.

Nothing is dropped silently: every file or manifest entry that is not used is in
``Corpus.skipped`` with a reason, and every fallback (a non-UTF-8 file, a bad
manifest field, a file with no recognisable structure) adds a one-line warning
naming the file. Only a missing folder, a malformed manifest, or a folder with
no loadable document raise :class:`~transcript_qa.errors.CorpusError`.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable

from .errors import CorpusError
from .model import DOCUMENT_KINDS, Document, Passage, Skipped, SpeakerInfo
from .coverage import uncovered
from .corpus_files import (  # noqa: F401  (corpus_fingerprint and PARSER_VERSION re-exported)
    DEFAULT_MAX_FILE_BYTES,
    MANIFEST_NAMES,
    PARSER_VERSION,
    READABLE_EXTENSIONS,
    corpus_fingerprint,
    corpus_root,
    SkipFile,
    digest,
    find_manifest,
    is_hidden,
    max_file_bytes,
    read_regular,
    scan,
)
from .decoding import binary_reason, decode_bytes  # noqa: F401  (decode_bytes re-exported)
from .parsing import detect_kind, parse_document
from .parsing.common import Unreadable
from .parsing.common import ParseResult, valid_iso_date
from .linking import link_elided_quotes
from .speakers import canonicalise_passages, parse_speaker_label, summarise_speakers

MANIFEST_FORMAT = 1

_LEADING_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: documents, all passages (boilerplate included), and what was skipped."""

    root: str
    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    skipped: tuple[Skipped, ...]
    warnings: tuple[str, ...]
    files: tuple[str, ...]
    fingerprint: str
    title: str | None = None  # the manifest's title, if any

    def speakers(self) -> list[SpeakerInfo]:
        """Speakers with roles, organisations, honours and passage counts,
        sorted by passage count (descending), then name."""
        return summarise_speakers(self.passages)

    def document(self, doc_id: str) -> Document:
        """The document with id ``doc_id``; CorpusError (with close matches) if unknown."""
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        ids = [d.id for d in self.documents]
        close = difflib.get_close_matches(doc_id, ids, n=3, cutoff=0.5)
        hint = ("did you mean " + ", ".join(repr(c) for c in close) + "?") if close else None
        raise CorpusError(f"no document {doc_id!r} in {self.root}" + (f"; {hint}" if hint else ""), hint=hint)

    def problems(self) -> dict[str, list[dict[str, Any]]]:
        """What did not load as it should, for users to see: ``skipped`` files (path,
        reason, line) and ``degraded`` documents (loaded, with a fallback: no speaker
        labels, no structure, a guessed encoding, bad lines), one entry per warning."""
        skipped = [{"path": s.path, "reason": s.reason, **({"line": s.line} if s.line else {})} for s in self.skipped]
        gone = {s.path for s in self.skipped}
        loaded = {d.path for d in self.documents}
        degraded: list[dict[str, Any]] = []
        for w in self.warnings:
            path = w.split(":", 1)[0]
            if path in loaded and path not in gone:
                degraded.append({"path": path, "warning": w[len(path) + 1 :].strip()})
        return {"skipped": skipped, "degraded": degraded}

    def indexable(self) -> list[Passage]:
        """Passages that are real content (not boilerplate) and have text."""
        return [p for p in self.passages if p.boilerplate is None and p.text.strip()]


# --- manifest -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    file: str
    id: str | None
    title: str | None
    kind: str | None
    date: str | None
    source: str | None
    author: str | None
    recipient: str | None


#: Keys a manifest may hold, at the top and in each document entry (others are warned about).
MANIFEST_KEYS: tuple[str, ...] = ("format", "title", "documents", "max_file_mb")
ENTRY_KEYS: tuple[str, ...] = ("file", "id", "title", "kind", "date", "source", "author", "recipient")


def _unknown_keys(keys: Any, known: tuple[str, ...], where: str) -> list[str]:
    """One warning per key not in ``known``, with a did-you-mean when one is close."""
    out = []
    for key in sorted((str(k) for k in keys if k not in known), key=str):
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"
        out.append(f"{where}: unknown key {key!r} ignored{hint}")
    return out


def _read_manifest(root: Path, name: str, data: bytes, warnings: list[str]) -> dict[str, Any] | None:
    """The manifest as a dict; None (with a warning) when it is nested too deeply to read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CorpusError(f"{root / name}: manifest is not UTF-8 (byte {err.start})") from None
    try:
        if name.endswith(".toml"):
            import tomllib

            try:
                doc = tomllib.loads(text)
            except tomllib.TOMLDecodeError as err:
                raise CorpusError(f"{root / name}: malformed manifest: {err}") from None
        else:
            try:
                doc = json.loads(text)
            except json.JSONDecodeError as err:
                raise CorpusError(
                    f"{root / name}:{err.lineno}: malformed manifest: {err.msg} (column {err.colno})") from None
    except RecursionError:
        warnings.append(f"{name}: nested too deeply to read; manifest ignored, every file loads without it")
        return None
    if not isinstance(doc, dict):
        raise CorpusError(f"{root / name}: malformed manifest: expected an object with a \"documents\" list")
    docs = doc.get("documents", [])
    if not isinstance(docs, list):
        raise CorpusError(f"{root / name}: malformed manifest: \"documents\" must be a list")
    fmt = doc.get("format", MANIFEST_FORMAT)
    if fmt != MANIFEST_FORMAT:
        warnings.append(f"{name}: manifest format {fmt!r}; this version reads format {MANIFEST_FORMAT}, trying anyway")
    warnings.extend(_unknown_keys(doc, MANIFEST_KEYS, name))
    return doc


def _entries(manifest: dict[str, Any], name: str, warnings: list[str], skipped: list[Skipped]) -> list[_Entry]:
    entries: list[_Entry] = []
    seen: set[str] = set()
    for i, raw in enumerate(manifest.get("documents", []), start=1):
        where = f"{name}: document entry {i}"
        if not isinstance(raw, dict):
            warnings.append(f"{where} is not an object; ignored")
            skipped.append(Skipped(name, f"document entry {i} is not an object"))
            continue
        file = raw.get("file")
        if not isinstance(file, str) or not file.strip():
            warnings.append(f"{where} has no \"file\"; ignored")
            skipped.append(Skipped(name, f"document entry {i} has no \"file\""))
            continue
        rel = PurePosixPath(file.strip().replace("\\", "/"))
        if rel.is_absolute() or ".." in rel.parts:
            warnings.append(f"{name}: {file}: path outside the corpus folder; ignored")
            skipped.append(Skipped(file, f"listed in {name} with a path outside the corpus folder"))
            continue
        file = str(rel)
        if file in seen:
            warnings.append(f"{name}: {file} is listed twice; the second entry is ignored")
            continue
        seen.add(file)
        warnings.extend(_unknown_keys(raw, ENTRY_KEYS, f"{name}: {file}"))

        def text_field(key: str) -> str | None:
            value = raw.get(key)
            if value is None:
                return None
            if isinstance(value, str) and value.strip():
                return value.strip()
            warnings.append(f"{name}: {file}: bad {key} {value!r} (expected text); ignored")
            return None

        kind = text_field("kind")
        if kind is not None and kind not in DOCUMENT_KINDS:
            warnings.append(
                f"{name}: {file}: unknown kind {kind!r} (known: {', '.join(DOCUMENT_KINDS)}); detecting it from the content"
            )
            kind = None
        date = raw.get("date")
        if date is not None:
            date_text = str(date).strip() if not isinstance(date, (dict, list)) else ""
            if not valid_iso_date(date_text):
                warnings.append(f"{name}: {file}: bad date {date!r} (expected yyyy-mm-dd); date ignored")
                date = None
            else:
                date = date_text
        doc_id = text_field("id")
        if doc_id is not None and (any(ch.isspace() for ch in doc_id) or ":" in doc_id):
            warnings.append(f"{name}: {file}: bad id {doc_id!r} (no spaces or colons); using the file stem")
            doc_id = None
        entries.append(
            _Entry(
                file=file,
                id=doc_id,
                title=text_field("title"),
                kind=kind,
                date=date,
                source=text_field("source"),
                author=text_field("author"),
                recipient=text_field("recipient"),
            )
        )
    return entries


# --- loading --------------------------------------------------------------------------------


def _restamp(result: ParseResult, doc: Document) -> tuple[Passage, ...]:
    """Passages carrying the final document title and date."""
    out = []
    for p in result.passages:
        if p.title != doc.title or p.date != doc.date or p.kind != doc.kind:
            p = replace(p, title=doc.title, date=doc.date, kind=doc.kind)
        out.append(p)
    return tuple(out)


def _packaged_text(data: bytes, suffix: str) -> tuple[str, str | None]:
    """The text of a PDF or a Word document and a warning, if any (:class:`Unreadable` says why there is no text)."""
    from .parsing.docx_text import docx_to_text
    from .parsing.pdf_text import pdf_text

    return pdf_text(data) if suffix == ".pdf" else (docx_to_text(data), None)


def load_corpus(path: str | os.PathLike[str] | None = None, *, only: Iterable[str] | None = None,
                canonical: bool = True, progress: Callable[[str, int, int], None] | None = None) -> Corpus:
    """Load every readable document of the corpus folder ``path`` (default: the bundled corpus).

    ``only``: load just these files (paths relative to the folder, as a full
    load names them), with the manifest's entries for them. ``canonical=False``:
    leave speakers as their labels name them (no identities resolved across
    documents, no quotation links): what an incremental index resolves itself
    over all its documents. ``progress("reading documents", done, total)`` is
    called as files are read (a folder of PDFs can take minutes)."""
    root = corpus_root(path)
    warnings: list[str] = []
    skipped: list[Skipped] = []
    manifest_name = find_manifest(root)
    file_bytes: list[tuple[str, bytes]] = []
    entries: list[_Entry] = []
    corpus_title: str | None = None
    limit = DEFAULT_MAX_FILE_BYTES
    manifest: dict[str, Any] | None = None
    if manifest_name:
        other = [n for n in MANIFEST_NAMES if n != manifest_name and os.path.lexists(root / n)]
        for n in other:
            warnings.append(f"{n}: ignored, {manifest_name} is the manifest")
        try:
            data = read_regular(root / manifest_name, DEFAULT_MAX_FILE_BYTES)
        except SkipFile as why:
            warnings.append(f"{manifest_name}: {why}; loading every file without a manifest")
            skipped.append(Skipped(manifest_name, str(why)))
        else:
            file_bytes.append((manifest_name, data))
            manifest = _read_manifest(root, manifest_name, data, warnings)
    if manifest is not None:
        entries = _entries(manifest, str(manifest_name), warnings, skipped)
        title = manifest.get("title")
        corpus_title = title if isinstance(title, str) else None
        limit, limit_warning = max_file_bytes(manifest.get("max_file_mb"))
        if limit_warning:
            warnings.append(f"{manifest_name}: {limit_warning}")

    found = scan(root, limit)
    readable, unsupported = found.readable, found.unsupported
    for rel, reason in found.skipped:
        warnings.append(f"{rel}: {reason}")
        skipped.append(Skipped(rel, reason))
    not_read = {rel for rel, _ in found.skipped}
    for rel in unsupported:
        skipped.append(Skipped(rel, f"unsupported file type {PurePosixPath(rel).suffix or '(none)'!r} "
                                    f"(readable: {' '.join(READABLE_EXTENSIONS)})"))

    by_file = {e.file: e for e in entries}
    readable_set = set(readable)
    order: list[str] = []
    for e in entries:
        parents = [str(p) for p in PurePosixPath(e.file).parents][:-1]
        if e.file in readable_set or e.file in not_read:
            if e.file in readable_set:
                order.append(e.file)
            # otherwise already reported above (not a regular file, too large, ...)
        elif any(p in not_read for p in parents):
            folder = next(p for p in parents if p in not_read)
            skipped.append(Skipped(e.file, f"listed in {manifest_name}, but inside {folder}, which is not read"))
        elif (root / e.file).is_file():
            if is_hidden(PurePosixPath(e.file)):
                skipped.append(Skipped(e.file, f"listed in {manifest_name} but hidden"))
            # otherwise already reported above as an unsupported file type
        else:
            warnings.append(f"{manifest_name}: {e.file}: listed but not found")
            skipped.append(Skipped(e.file, f"listed in {manifest_name} but not found"))
    order.extend(rel for rel in readable if rel not in by_file)
    if only is not None:
        wanted = set(only)
        order = [rel for rel in order if rel in wanted]

    documents: list[Document] = []
    passages: list[Passage] = []
    used_ids: set[str] = set()
    for done, rel in enumerate(order):
        if progress is not None:
            progress("reading documents", done, len(order))
        entry = by_file.get(rel)
        try:
            data = read_regular(root / rel, limit)
        except SkipFile as why:
            warnings.append(f"{rel}: {why}")
            skipped.append(Skipped(rel, str(why)))
            continue
        file_bytes.append((rel, data))
        suffix = PurePosixPath(rel).suffix.lower()
        if suffix in (".pdf", ".docx"):
            try:
                text, note = _packaged_text(data, suffix)
                encoding, enc_warning = suffix[1:], (f"{rel}: {note}" if note else None)
            except Unreadable as why:
                warnings.append(f"{rel}: {why}; skipped")
                skipped.append(Skipped(rel, str(why)))
                continue
        else:
            binary = binary_reason(data)
            if binary:
                warnings.append(f"{rel}: {binary}; skipped")
                skipped.append(Skipped(rel, binary))
                continue
            text, encoding, enc_warning = decode_bytes(data, rel)
        if enc_warning:
            warnings.append(enc_warning)
        if not text.strip():
            warnings.append(f"{rel}: empty file; skipped")
            skipped.append(Skipped(rel, "empty file"))
            continue

        stem = PurePosixPath(rel).stem
        kind = entry.kind if entry and entry.kind else None
        if kind is None:
            kind, _why = detect_kind(text, rel)
        doc_id = entry.id if entry and entry.id else stem
        if doc_id in used_ids:
            n = 2
            while f"{doc_id}-{n}" in used_ids:
                n += 1
            warnings.append(f"{rel}: id {doc_id!r} is already used; using {doc_id}-{n}")
            doc_id = f"{doc_id}-{n}"
        used_ids.add(doc_id)
        name_date = _LEADING_DATE.match(PurePosixPath(rel).name)
        file_date = name_date.group(1) if name_date and valid_iso_date(name_date.group(1)) else None
        doc = Document(
            id=doc_id,
            title=(entry.title if entry and entry.title else stem),
            kind=kind,
            date=(entry.date if entry and entry.date else file_date),
            path=rel,
            source=entry.source if entry else None,
            author=entry.author if entry else None,
            recipient=entry.recipient if entry else None,
            encoding=encoding,
        )
        result = parse_document(text, doc)
        warnings.extend(result.warnings)
        if result.passages:  # a file with no passages is one skipped entry, with the first reason
            for line, reason in result.skipped:
                skipped.append(Skipped(rel, reason, line))
        if kind == "plain":
            warnings.append(f"{rel}: no recognisable structure; read as plain paragraphs")
        author = doc.author
        if author:
            author = parse_speaker_label(author).name
        doc = replace(
            doc,
            title=doc.title if (entry and entry.title) else (result.title or stem),
            date=doc.date or result.date,
            author=author or result.author,
            recipient=doc.recipient or result.recipient,
            metadata=dict(result.metadata),
        )
        if not result.passages:
            reason = "no passages found" + (f" ({result.skipped[0][1]})" if result.skipped else "")
            warnings.append(f"{rel}: {reason}; skipped")
            skipped.append(Skipped(rel, reason))
            continue
        documents.append(doc)
        passages.extend(_restamp(result, doc))
        lost = [gap for gap in uncovered(text, result.passages, rel) or () if gap.kept_as is None]
        if lost:  # a word in no passage can never be found: say so, never drop it silently
            warnings.append(f"{rel}: {len(lost)} stretch{'es' if len(lost) > 1 else ''} of text in no passage "
                            f"(never searched), first at {lost[0]}")

    if progress is not None:
        progress("reading documents", len(order), len(order))
    if not documents:
        detail = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:5])
        raise CorpusError(f"no loadable document in {root}" + (f" ({detail})" if detail else ""))

    if canonical:
        passages, registry = canonicalise_passages(passages, [d.author for d in documents if d.author])
        passages = link_elided_quotes(passages)
        final_docs = [
            replace(doc, author=registry.canonical(doc.author)) if doc.author else doc for doc in documents
        ]
    else:
        final_docs = list(documents)

    files = tuple(sorted(rel for rel, _ in file_bytes))
    return Corpus(
        root=str(root),
        documents=tuple(final_docs),
        passages=tuple(passages),
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        files=files,
        fingerprint=digest(file_bytes),
        title=corpus_title,
    )
