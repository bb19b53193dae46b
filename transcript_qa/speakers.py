"""Speaker identities across documents, and the speakers list.

Labels are read by ``labels.py`` (the grammar) and resolved within each document by
``identities.py`` (offices, short names). Here the names left are joined across
documents into one identity per person or body, **only on corroboration**:

* the same full name (titles, honours, case and accents never count), or the same
  first and last name ("Kilvinder Singh Vigurs" and "Kilvinder Vigurs"), and
* nothing that conflicts: two different parties, two different constituencies, a
  member of a legislature (party or constituency) and a witness from an outside
  organisation, or two organisations with no word, acronym or prefix in common
  when the roles share nothing either.

Two people who share a name but conflict stay two identities; their names are then
qualified with what tells them apart ("Sarah Jones (Croydon Central)", "Sarah Jones
(University of Bristol)"). A bare surname in one document is never joined to a full
name in another.

A diarisation placeholder (``A``, ``SPEAKER_00``, ``Speaker 1``, ``spk_0``: what a
speech-to-text service calls the voices it tells apart) names a voice of its own
recording only: it is never joined across documents, and when several documents
have the same one each is shown with its document ("A (deposition)").

Everything here is pure and cheap to import.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable

from .label_words import (  # noqa: F401  (re-exported: the vocabularies other modules use)
    NAME_CONNECTORS,
    NAME_PARTICLES,
    ORGANISATION_WORDS,
    PERSONAL_TITLES,
    PREFIX_TITLES,
    ROLE_WORDS,
    SUFFIX_HONOURS,
)
from .labels import (  # noqa: F401  (re-exported: the label functions other modules use)
    is_name_like,
    looks_like_organisation,
    looks_like_person,
    name_key,
    normalise_name,
    parse_speaker_label,
    split_brackets,
    split_top_level,
    strip_titles,
)
from .model import Passage, Speaker, SpeakerInfo

#: A speech-to-text service's name for a voice: one capital letter, or a generic word with
#: a number or letter ("SPEAKER_00", "Speaker 1", "Speaker A", "spk_0", "Participant 2").
_PLACEHOLDER = re.compile(
    r"[A-Z]|(?i:speaker|spk|spkr|voice|participant|unknown(?: speaker)?|guest)(?:[ _-]?\d{1,3}|[ _-][A-Za-z])?\Z"
)


def is_placeholder(name: str) -> bool:
    """Is ``name`` a diarisation placeholder, meaningful within its document only?"""
    return bool(_PLACEHOLDER.fullmatch(name.strip()))


_STOP = frozenset("of the and for in on at to a an with her his majesty's majestys".split())


def _content_words(values: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for v in values:
        words.update(w for w in name_key(v).replace("'", " ").split() if len(w) >= 3 and w not in _STOP)
    return words


def _initials(value: str) -> str:
    return "".join(w[0] for w in name_key(value).replace("'s", "").split() if w not in _STOP and w[0].isalpha())


def _overlap(a: set[str], b: set[str]) -> bool:
    """Do two sets of affiliations (organisations or roles) share a word, an acronym
    ("HMPPS" / "Her Majesty's Prison and Probation Service") or a prefix ("Met" /
    "Metropolitan Police Service")?"""
    if not a or not b:
        return False
    wa, wb = _content_words(a), _content_words(b)
    if wa & wb:
        return True
    for x, ys in ((a, b), (b, a)):
        for v in x:
            key = name_key(v).replace(" ", "")
            if len(key) >= 3 and any(_initials(y) == key for y in ys):
                return True
    for x, y in ((wa, wb), (wb, wa)):
        if any(len(s) >= 3 and any(t != s and t.startswith(s) for t in y) for s in x):
            return True
    return False


@dataclass
class _Profile:
    """What the labels of one identity say about it."""

    parties: set[str] = field(default_factory=set)
    constituencies: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)

    def merge(self, other: "_Profile") -> None:
        self.parties |= other.parties
        self.constituencies |= other.constituencies
        self.organisations |= other.organisations
        self.roles |= other.roles


def _party_key(value: str) -> str:
    return name_key(value).replace(" ", "")


def conflicts(a: _Profile, b: _Profile) -> bool:
    """Do two profiles describe different people (see the module docstring)?"""
    if a.parties and b.parties and not ({_party_key(x) for x in a.parties} & {_party_key(x) for x in b.parties}):
        return True
    if a.constituencies and b.constituencies and not _overlap(a.constituencies, b.constituencies):
        return True
    a_member, b_member = bool(a.parties or a.constituencies), bool(b.parties or b.constituencies)
    if a_member != b_member:
        outsider = b if a_member else a
        member = a if a_member else b
        if outsider.organisations and not _overlap(outsider.organisations | outsider.roles, member.organisations | member.roles):
            return True
    if a.organisations and b.organisations and not _overlap(a.organisations, b.organisations):
        if not _overlap(a.roles, b.roles):
            return True
    return False


@dataclass
class _Mention:
    name: str
    document: str | None
    weight: int
    order: int
    profile: _Profile


@dataclass
class SpeakerRegistry:
    """Collects the speaker names of every document and maps each to an identity.

    Usage: ``add(name, document=..., ...)`` for every mention (a passage's speaker),
    then ``resolve()`` once; ``canonical(name, document)`` gives the identity's
    display name (the form used most often, ties to the longer, then the first seen;
    qualified when two identities would otherwise share it).
    """

    _mentions: dict[tuple[str | None, str], _Mention] = field(default_factory=dict)
    _resolved: dict[tuple[str | None, str], str] | None = None

    def add(
        self,
        name: str,
        *,
        document: str | None = None,
        weight: int = 1,
        role: str | None = None,
        organisation: str | None = None,
        party: str | None = None,
        constituency: str | None = None,
        honours: Iterable[str] = (),  # accepted for compatibility; titles never split or join identities
    ) -> None:
        name = normalise_name(name)
        if not name:
            return
        key = (document, name)
        mention = self._mentions.get(key)
        if mention is None:
            mention = self._mentions[key] = _Mention(name, document, 0, len(self._mentions), _Profile())
        mention.weight += weight
        prof = mention.profile
        if party:
            prof.parties.add(party)
        if constituency:
            prof.constituencies.add(constituency)
        if organisation:
            prof.organisations.add(organisation)
        if role:
            prof.roles.add(role)
        self._resolved = None

    def resolve(self) -> dict[tuple[str | None, str], str]:
        """Group the mentions; return {(document, name as added): canonical name}."""
        keys = list(self._mentions)
        parent = {k: k for k in keys}
        profiles = {k: _Profile() for k in keys}
        for k in keys:
            profiles[k].merge(self._mentions[k].profile)

        def find(x: tuple[str | None, str]) -> tuple[str | None, str]:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: tuple[str | None, str], b: tuple[str | None, str]) -> None:
            ra, rb = find(a), find(b)
            if ra == rb or conflicts(profiles[ra], profiles[rb]):
                return
            parent[rb] = ra
            profiles[ra].merge(profiles[rb])

        def union_within(groups: Iterable[list[tuple[str | None, str]]]) -> None:
            """Each member tries to join every earlier member of its group (a
            join refused on a conflict leaves the others to try)."""
            for members in groups:
                for i, other in enumerate(members):
                    for first in members[:i]:
                        union(first, other)

        # the same name (key) first, then the same first and last name
        # (a placeholder only within its document: its key holds the document)
        placeholder = {k: is_placeholder(k[1]) for k in keys}
        by_key: dict[tuple[str | None, str], list[tuple[str | None, str]]] = {}
        for k in keys:
            by_key.setdefault((k[0] if placeholder[k] else None, name_key(k[1])), []).append(k)
        union_within(by_key.values())
        by_first_last: dict[tuple[str, str], list[tuple[str | None, str]]] = {}
        for k in keys:
            toks = name_key(k[1]).split()
            if len(toks) >= 2 and not placeholder[k] and looks_like_person(k[1]):
                by_first_last.setdefault((toks[0], toks[-1]), []).append(k)
        union_within(by_first_last.values())

        groups: dict[tuple[str | None, str], list[tuple[str | None, str]]] = {}
        for k in keys:
            groups.setdefault(find(k), []).append(k)
        names: dict[tuple[str | None, str], str] = {}
        for root, members in groups.items():
            forms: Counter[str] = Counter()
            first_seen: dict[str, int] = {}
            for m in members:
                mention = self._mentions[m]
                forms[mention.name] += mention.weight
                first_seen.setdefault(mention.name, mention.order)
            names[root] = min(forms, key=lambda f: (-forms[f], -len(f.split()), -len(f), first_seen[f]))
        documents = {r: [self._mentions[m].document for m in ms] for r, ms in groups.items()}
        _qualify_placeholders(names, documents)
        _qualify_clashes(names, profiles, documents)
        mapping = {k: names[find(k)] for k in keys}
        self._resolved = mapping
        return mapping

    def canonical(self, name: str | None, document: str | None = None) -> str | None:
        """The identity of ``name`` as written in ``document`` (or anywhere, when it
        was added without a document or names one identity only)."""
        if name is None:
            return None
        if self._resolved is None:
            self.resolve()
        assert self._resolved is not None
        norm = normalise_name(name)
        if (document, norm) in self._resolved:
            return self._resolved[(document, norm)]
        found = {v for (doc, n), v in self._resolved.items() if n == norm}
        if len(found) == 1:
            return next(iter(found))
        return norm


def _qualify_placeholders(
    names: dict[tuple[str | None, str], str], documents: dict[tuple[str | None, str], list[str | None]]
) -> None:
    """A placeholder several documents use is shown with its document: "A (deposition)"."""
    by_name: dict[str, list[tuple[str | None, str]]] = {}
    for root, name in names.items():
        if is_placeholder(name) and len(set(documents[root])) == 1 and documents[root][0] is not None:
            by_name.setdefault(name_key(name), []).append(root)
    for roots in by_name.values():
        if len(roots) > 1:
            for root in roots:
                names[root] = f"{names[root]} ({documents[root][0]})"


def _qualify_clashes(
    names: dict[tuple[str | None, str], str],
    profiles: dict[tuple[str | None, str], _Profile],
    documents: dict[tuple[str | None, str], list[str | None]],
) -> None:
    """Two identities with the same display name get what tells them apart added."""
    by_name: dict[str, list[tuple[str | None, str]]] = {}
    for root, name in names.items():
        by_name.setdefault(name_key(name), []).append(root)
    for roots in by_name.values():
        if len(roots) < 2:
            continue
        fields = (
            lambda r: sorted(profiles[r].constituencies),
            lambda r: sorted(profiles[r].parties),
            lambda r: sorted(profiles[r].organisations),
            lambda r: sorted(profiles[r].roles),
            lambda r: sorted(d for d in documents[r] if d),
        )
        tags: dict[tuple[str | None, str], str] = {}
        best = {r: next((f(r)[0] for f in (fields[0], fields[2], fields[1], fields[3]) if f(r)), None) for r in roots}
        if all(best.values()) and len(set(best.values())) == len(roots):
            fields = ()
            tags = {r: v for r, v in best.items() if v}
        for field_of in fields:
            values = {r: field_of(r)[:1] for r in roots}
            if all(values.values()) and len({v[0] for v in values.values()}) == len(roots):
                tags = {r: v[0] for r, v in values.items()}
                break
        for n, root in enumerate(roots, start=1):
            names[root] = f"{names[root]} ({tags.get(root, str(n))})"


def canonicalise_passages(
    passages: Iterable[Passage], extra_names: Iterable[str] = ()
) -> tuple[list[Passage], SpeakerRegistry]:
    """Return the passages with ``speaker`` replaced by the canonical identity, and
    the resolved registry (``registry.canonical(name)`` maps ``extra_names`` too,
    e.g. letter authors)."""
    items = list(passages)
    registry = SpeakerRegistry()
    for p in items:
        if p.speaker:
            registry.add(
                p.speaker,
                document=p.document,
                role=p.role,
                organisation=p.organisation,
                party=p.party,
                constituency=p.constituency,
            )
    for name in extra_names:
        if name:
            registry.add(name, weight=0)
    registry.resolve()
    out: list[Passage] = []
    for p in items:
        if p.speaker:
            canon = registry.canonical(p.speaker, p.document)
            if canon != p.speaker:
                p = replace(p, speaker=canon)
        out.append(p)
    return out, registry


def _alias(label: str, name: str, parsed: Speaker) -> str | None:
    """The name a label gives, when it is not the identity's own ("Cllr Okafor", "The Chair")."""
    if parsed.kind == "office":
        return parsed.name
    alias = parsed.name
    if not alias or name_key(alias) == name_key(name):
        return None
    if len(alias.split()) == 1 and parsed.honours:
        alias = f"{parsed.honours[0]} {alias}"
    return alias


def summarise_speakers(passages: Iterable[Passage]) -> list[SpeakerInfo]:
    """Speakers of ``passages`` with roles, organisations, parties, constituencies,
    honours, labels, aliases and counts.

    Sorted by passage count (descending), then name. Roles and organisations are
    listed most frequent first.
    """
    counts: Counter[str] = Counter()
    fields_: dict[str, dict[str, Counter[str]]] = {}
    honours: dict[str, dict[str, None]] = {}
    labels: dict[str, dict[str, None]] = {}
    aliases: dict[str, dict[str, None]] = {}
    docs: dict[str, dict[str, None]] = {}
    parsed: dict[str, Speaker] = {}
    for p in passages:
        if not p.speaker:
            continue
        name = p.speaker
        weight = getattr(p, "weight", 1)  # a summary row standing for that many passages
        counts[name] += weight
        per = fields_.setdefault(name, {k: Counter() for k in ("roles", "organisations", "parties", "constituencies")})
        for key, value in (("roles", p.role), ("organisations", p.organisation), ("parties", p.party),
                           ("constituencies", p.constituency)):
            if value:
                per[key][value] += weight
        docs.setdefault(name, {})[p.document] = None
        if p.speaker_label:
            labels.setdefault(name, {})[p.speaker_label] = None
            sp = parsed.get(p.speaker_label)
            if sp is None:
                sp = parsed[p.speaker_label] = parse_speaker_label(p.speaker_label)
            for h in sp.honours:
                honours.setdefault(name, {})[h] = None
            alias = _alias(p.speaker_label, name, sp)
            if alias and re.sub(r"\s*\(.*\)$", "", name) != alias:
                aliases.setdefault(name, {})[alias] = None
    infos = [
        SpeakerInfo(
            name=name,
            roles=tuple(r for r, _ in fields_[name]["roles"].most_common()),
            organisations=tuple(o for o, _ in fields_[name]["organisations"].most_common()),
            honours=tuple(honours.get(name, {})),
            passages=n,
            documents=tuple(docs[name]),
            labels=tuple(labels.get(name, {})),
            aliases=tuple(aliases.get(name, {})),
            parties=tuple(x for x, _ in fields_[name]["parties"].most_common()),
            constituencies=tuple(x for x, _ in fields_[name]["constituencies"].most_common()),
        )
        for name, n in counts.items()
    ]
    infos.sort(key=lambda s: (-s.passages, s.name))
    return infos
