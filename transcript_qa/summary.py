"""What a segmented index keeps of each document, and what a change works out again from it.

Every live document has a *record* (a small JSON object: id, path, segment,
passage range, part count and length, the speakers as labelled with their
counts, the names they were given, its acronym definitions). The records of
every live document are kept in one global file beside the manifest
(``docs-<generation>.json``, sha256 in the manifest), so a change reads and
writes that file and the segments it touches, never every segment's
per-passage data.

Speaker identities are resolved across documents (``Dr Lee`` in one
transcript is ``Dr Ann Lee`` of another), and the speaker list sums every
document's speaker rows. Both are global, but local in a precise sense, and a
change works out again only what it can change:

* the registry (:class:`~transcript_qa.speakers.SpeakerRegistry`) joins
  mentions only when they share a name key or a (first, last) name key, and
  tells apart identities whose display names share a key; so the canonical
  name of a mention depends only on the mentions of its *component* (mentions
  linked by shared keys, transitively), added in the same relative order. A
  change resolves again the components of the names it adds or removes;
* a speaker's entry in the speaker list depends only on the rows with that
  speaker's name, in corpus order; a change recomputes the entries of the
  names it adds, removes or renames.

Both give exactly what resolving or summarising every document again gives
(``tests/test_segments.py`` checks it against full builds).
"""

from __future__ import annotations

import functools
from dataclasses import asdict
from typing import Any, Iterable, Iterator, Sequence

from transcript_qa.labels import looks_like_person, name_key, normalise_name
from transcript_qa.model import Passage
from transcript_qa.segments import corpus_order, document_key  # noqa: F401 - corpus_order re-exported
from transcript_qa.speakers import SpeakerRegistry, summarise_speakers

AUTHOR = "\0author"  # the key of a document's author in its names map


def record_order(rec: dict[str, Any]) -> tuple:
    """Records in the order of their documents' passages (:func:`~transcript_qa.segments.document_key`)."""
    return document_key(rec.get("path"), rec["id"])


# =========================================================================== rows of one document


def speaker_rows(passages: Sequence[Passage]) -> list[list[Any]]:
    """(speaker, role, organisation, party, constituency, label, document, passages) of a document."""
    rows: dict[tuple, int] = {}
    for p in passages:
        if p.speaker:
            key = (p.speaker, p.role, p.organisation, p.party, p.constituency, p.speaker_label, p.document)
            rows[key] = rows.get(key, 0) + 1
    return [[*key, n] for key, n in rows.items()]


def registry_rows(passages: Sequence[Passage], raw: Sequence[str | None]) -> list[list[Any]]:
    """(name as labelled, role, organisation, party, constituency, passages) of a document."""
    rows: dict[tuple, int] = {}
    for p, name in zip(passages, raw):
        if name:
            key = (name, p.role, p.organisation, p.party, p.constituency)
            rows[key] = rows.get(key, 0) + 1
    return [[*key, n] for key, n in rows.items()]


# =========================================================================== identities


def _keys(norm: str, cache: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The keys the registry joins mentions by (see SpeakerRegistry.resolve)."""
    found = cache.get(norm)
    if found is None:
        key = name_key(norm)
        toks = key.split()
        found = (key,) + ((f"\0{toks[0]}\0{toks[-1]}",) if len(toks) >= 2 and looks_like_person(norm) else ())
        cache[norm] = found
    return found


def labelled_names(rec: dict[str, Any]) -> Iterator[str]:
    for row in rec["registry"]:
        yield row[0]
    if rec.get("raw_author"):
        yield rec["raw_author"]


def resolve_changed(everything: Sequence[dict[str, Any]], seeds: Iterable[str]) -> dict[str, dict[str, str]]:
    """Names maps (as :func:`names_of` gives) of the documents of ``everything``
    (records after the change, in corpus order) that have a mention in the
    components of the names ``seeds`` (as labelled); their other names are
    left as their record has them (a new record must have every name among
    ``seeds``)."""
    cache: dict[str, tuple[str, ...]] = {}
    normal = functools.cache(normalise_name)

    by_key: dict[str, set[str]] = {}
    for rec in everything:
        for name in labelled_names(rec):
            norm = normal(name)
            for key in _keys(norm, cache):
                by_key.setdefault(key, set()).add(norm)
    todo = [normal(s) for s in seeds]
    affected: set[str] = set()
    seen_keys: set[str] = set()
    while todo:
        norm = todo.pop()
        if norm in affected:
            continue
        affected.add(norm)
        for key in _keys(norm, cache):
            if key not in seen_keys:
                seen_keys.add(key)
                todo.extend(by_key.get(key, ()))
    affected.discard("")
    registry = SpeakerRegistry()
    touched = []
    for rec in everything:
        mine = False
        for name, role, organisation, party, constituency, n in rec["registry"]:
            if normal(name) in affected:
                registry.add(name, document=rec["id"], role=role, organisation=organisation, party=party,
                             constituency=constituency, weight=int(n))
                mine = True
        if rec.get("raw_author") and normal(rec["raw_author"]) in affected:
            mine = True
        if mine:
            touched.append(rec)
    for rec in everything:
        if rec.get("raw_author") and normal(rec["raw_author"]) in affected:
            registry.add(rec["raw_author"], weight=0)
    registry.resolve()
    out = {}
    for rec in touched:
        names = dict(rec.get("names") or {})
        for row in rec["registry"]:
            if normal(row[0]) in affected or row[0] not in names:
                names[row[0]] = registry.canonical(row[0], rec["id"])
        if rec.get("raw_author") and (normal(rec["raw_author"]) in affected or AUTHOR not in names):
            names[AUTHOR] = registry.canonical(rec["raw_author"])
        out[rec["id"]] = names
    return out


def names_of(everything: Sequence[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Every document's names map, resolving every mention (the reference
    :func:`resolve_changed` agrees with)."""
    return resolve_changed(everything, (n for rec in everything for n in labelled_names(rec)))


# =========================================================================== the speaker list


class _Row:
    """A stand-in passage for :func:`summarise_speakers` (one per speaker row)."""

    __slots__ = ("speaker", "role", "organisation", "party", "constituency", "speaker_label", "document", "weight")

    def __init__(self, row: Sequence[Any]) -> None:
        (self.speaker, self.role, self.organisation, self.party, self.constituency, self.speaker_label,
         self.document, self.weight) = row[:8]


def speaker_list(records: Iterable[dict[str, Any]], old: Sequence[dict[str, Any]] | None = None,
                 changed: set[str] | None = None) -> list[dict[str, Any]]:
    """The speaker list (as dicts) of ``records`` (corpus order). With ``old``
    (the list before a change) and ``changed`` (every speaker name the
    change's added, removed or renamed rows carry), only those speakers'
    entries are summarised again."""
    if old is None or changed is None:
        return [asdict(s) for s in summarise_speakers(_Row(r) for rec in records for r in rec["speakers"])]
    rows = (_Row(r) for rec in records for r in rec["speakers"] if r[0] in changed)
    fresh = [asdict(s) for s in summarise_speakers(rows)]
    kept = [s for s in old if s["name"] not in changed]
    return sorted(kept + fresh, key=lambda s: (-s["passages"], s["name"]))
