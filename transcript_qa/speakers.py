"""Speaker labels and speaker identities.

``parse_speaker_label`` turns a label as written in a source ("Susan Hall AM
(Chairman)", "Commander Nick John (Head of Criminal Justice, Metropolitan
Police Service)", "Kilvinder Vigurs, Regional Director for London",
"The Chair (Hon. Anthony Rota (Nipissing-Timiskaming, Lib.))") into a
:class:`~transcript_qa.model.Speaker`. It is a small bracket-aware splitter,
not one regular expression: the label is cut into the part outside brackets
and the top-level bracket groups, then titles and honours are peeled off the
name.

``SpeakerRegistry`` merges the names seen across documents into one canonical
identity per person or body: two names are the same speaker when their
normalised forms match (titles and honours never count), or, for people, when
first and last names match; a bare surname with a personal title ("Mr Vigurs")
joins the one known full name ending in that surname.

Everything here is pure and cheap to import.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .model import Passage, Speaker, SpeakerInfo

# --- vocabularies (generic English honorifics, never names from a corpus) ---

#: Titles that may precede a name. Compared case-insensitively without dots.
PREFIX_TITLES: frozenset[str] = frozenset(
    """mr mrs ms miss mx master dr doctor prof professor sir dame lord lady baroness baron
    viscount earl duke countess hon honourable honorable rt right rev revd reverend father
    rabbi imam canon bishop archbishop cllr councillor alderman judge justice commander
    commissioner superintendent inspector sergeant sgt constable pc dc ds di dci dcs chief
    detective deputy assistant captain capt colonel col major lieutenant lt general gen
    admiral brigadier senator sen congressman congresswoman representative rep governor
    ambassador minister president madam mister""".split()
)

#: Personal titles: a bare surname carrying one of these is a person.
PERSONAL_TITLES: frozenset[str] = frozenset(
    "mr mrs ms miss mx dr doctor prof professor sir dame lord lady baroness".split()
)

#: Honours and post-nominals that may follow a name. Compared without dots.
SUFFIX_HONOURS: frozenset[str] = frozenset(
    """AM MBE OBE CBE KBE DBE GBE CB CMG KCMG GCMG KCB GCB CH KC QC MP MSP MLA MEP MS
    JP DL BEM QPM KPM FRS FRSA FREng FBA PHD DPHIL MD BT OM KG KT PC""".split()
)

#: Words that make a bracket part a role rather than an organisation.
ROLE_WORDS: frozenset[str] = frozenset(
    """chair chairman chairwoman chairperson co-chair vice-chair director head officer
    manager member secretary minister adviser advisor chief executive president
    commissioner deputy lead coordinator co-ordinator inspector clerk speaker mayor
    councillor governor representative witness superintendent commander leader founder
    trustee editor professor lecturer researcher analyst consultant partner spokesperson
    ceo cfo coo cto principal convenor convener moderator host interviewer chairs
    constable assistant worker practitioner volunteer ambassador counsel solicitor
    barrister judge magistrate""".split()
)

#: Words that make a name an organisation rather than a person.
ORGANISATION_WORDS: frozenset[str] = frozenset(
    """service services institute institution association trust council committee mission
    group agency foundation society office ltd limited plc inc llp llc company co charity
    charities partnership network centre center union board authority department ministry
    police prison prisons probation court courts tribunal tribunals university college school
    hospital nhs church project alliance coalition federation commission inspectorate
    assembly parliament government bank fund housing homes chaplaincy programme program
    team unit corporation club labs solutions consulting media news press borough city
    county council's agency's panel forum collective cic consortium directorate executive
    secretariat""".split()
)

#: Lower-case words allowed inside a person's name ("Ludwig van Beethoven").
NAME_PARTICLES: frozenset[str] = frozenset(
    "de van von der den da di du le la bin bint al el ibn y dos das del della st".split()
)

#: Lower-case words allowed inside an organisation's name ("Women in Prison").
NAME_CONNECTORS: frozenset[str] = frozenset(
    "of for and the in on at to & with de la du des".split()
)

#: Labels such as "The Chair" that name a role; a bracketed name after them is the speaker.
_ROLE_HEADS: frozenset[str] = frozenset(
    """chair chairman chairwoman chairperson speaker mayor president clerk witness moderator
    host interviewer convenor convener commissioner minister presiding deputy acting vice
    madam mr the""".split()
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def _bare(token: str) -> str:
    """A token without dots, commas or surrounding brackets, for vocabulary look-ups."""
    return token.strip(".,;:()[]").replace(".", "")


def normalise_name(name: str) -> str:
    """Display form of a name: single spaces, straight apostrophes, no markup."""
    name = name.translate(_APOSTROPHES).replace("**", "").replace("[", "").replace("]", "")
    return " ".join(name.split()).strip(" ,;:")


def name_key(name: str) -> str:
    """Matching key: case-folded, accents and dots dropped, apostrophes straightened."""
    text = unicodedata.normalize("NFKD", normalise_name(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace(".", " ").replace("-", " ").casefold()
    return " ".join(text.split())


def split_brackets(text: str) -> tuple[str, list[str]]:
    """Split ``text`` into the part outside round brackets and the top-level groups.

    ``"The Chair (Hon. A Rota (N-T, Lib.))"`` -> ``("The Chair", ["Hon. A Rota (N-T, Lib.)"])``.
    Unbalanced brackets are treated as plain text.
    """
    outside: list[str] = []
    groups: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            if depth > 0:
                current.append(ch)
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append("".join(current).strip())
                current = []
            else:
                current.append(ch)
        elif depth > 0:
            current.append(ch)
        else:
            outside.append(ch)
    if depth > 0:  # unbalanced: keep the tail as text
        outside.append(" " + "".join(current))
    return " ".join("".join(outside).split()), [g for g in groups if g]


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside round brackets; parts are stripped, empty ones dropped."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _is_honour(token: str) -> bool:
    bare = _bare(token)
    return bool(bare) and (bare.upper() in SUFFIX_HONOURS) and (bare.isupper() or bare in ("PhD", "DPhil", "Bt", "FREng"))


def _is_title(token: str) -> bool:
    return _bare(token).casefold() in PREFIX_TITLES


def strip_titles(name_part: str) -> tuple[str, tuple[str, ...]]:
    """Peel leading titles and trailing honours off a name.

    ``"Caroline Pidgeon MBE AM"`` -> ``("Caroline Pidgeon", ("MBE", "AM"))``;
    ``"Commander Nick John"`` -> ``("Nick John", ("Commander",))``. When nothing
    would be left ("The Chair", "Commissioner"), the text is kept as the name.
    """
    tokens = normalise_name(name_part).split()
    prefix: list[str] = []
    suffix: list[str] = []
    while len(tokens) > 1 and _is_honour(tokens[-1]):
        suffix.insert(0, _bare(tokens.pop()))
    lead = 0
    while lead < len(tokens) - 1 and (_is_title(tokens[lead]) or (lead > 0 and tokens[lead].casefold() == "the")):
        lead += 1
    if lead and tokens[0].casefold() == "the" and lead >= len(tokens) - 1:
        lead = 0  # "The Chair", "The Mayor": a role, keep it whole
    if lead:
        prefix = [t.rstrip(",") for t in tokens[:lead]]
        tokens = tokens[lead:]
    name = " ".join(tokens).strip(" ,")
    honours = tuple(t for t in prefix if t.casefold() != "the") + tuple(suffix)
    return name, honours


def looks_like_organisation(name: str) -> bool:
    """Heuristic: a body rather than a person ("St Mungo's", "Probation Institute", "MOPAC")."""
    tokens = normalise_name(name).split()
    if not tokens:
        return False
    if len(tokens) == 1:
        return True  # people are attributed by full name; one word is a body
    if name.rstrip().endswith("'s") or "&" in tokens or tokens[0].casefold() == "the":
        return True
    all_upper = all(t.isupper() for t in tokens)
    for tok in tokens:
        low = tok.casefold().strip(".,'")
        if low in ORGANISATION_WORDS or any(ch.isdigit() for ch in tok):
            return True
        if tok[0].islower() and low not in NAME_PARTICLES:
            return True  # "Women in Prison", "Action for Race Equality"
        letters = [ch for ch in tok if ch.isalpha()]
        if len(letters) > 1 and tok.isupper() and not _is_honour(tok) and not all_upper:
            return True  # an acronym among normal words: "HMPPS London"
    return False


def looks_like_person(name: str) -> bool:
    """Heuristic: 2 to 5 capitalised words, no digits, not an organisation."""
    tokens = normalise_name(name).split()
    if not 2 <= len(tokens) <= 5:
        return False
    if looks_like_organisation(name):
        return False
    return all(t[0].isupper() or t.casefold() in NAME_PARTICLES for t in tokens)


def is_name_like(text: str, *, max_words: int = 8) -> bool:
    """Could ``text`` (a label's part before any bracket) be a speaker's name?

    Capitalised words, particles or connectors, honours; no sentence punctuation,
    at most ``max_words`` words, at most one trailing number ("Speaker 2").
    """
    text = normalise_name(text)
    tokens = text.split()
    if not tokens or len(tokens) > max_words:
        return False
    if any(ch in text for ch in '?!;"“”'):
        return False
    if not tokens[0][0].isupper():
        return False
    for i, tok in enumerate(tokens):
        core = tok.strip(".,'-")
        if not core:
            return False
        if tok.endswith(".") and not (_is_title(tok) or _is_honour(tok) or len(core) <= 2):
            return False
        if any(ch.isdigit() for ch in core):
            if i != len(tokens) - 1 or not core.isdigit():
                return False
            continue
        if core[0].isupper() or _is_title(tok) or _is_honour(tok):
            continue
        if core.casefold() in NAME_PARTICLES or core.casefold() in NAME_CONNECTORS:
            continue
        return False
    return True


def _role_or_organisation(part: str) -> str:
    """Classify a single bracket part as "role" or "organisation"."""
    words = {w.casefold().strip(".,'()") for w in part.replace("-", " ").split()}
    if words & ROLE_WORDS:
        return "role"
    if looks_like_organisation(part):
        return "organisation"
    return "role"


def _role_head(head: str) -> bool:
    words = [w.casefold().strip(".,") for w in head.split()]
    return bool(words) and all(w in _ROLE_HEADS or w in PREFIX_TITLES for w in words)


def _clean_label(label: str) -> str:
    text = label.replace("**", "").replace("__", "")
    text = text.replace("[", "").replace("]", "")  # editorial insertions keep their words
    text = " ".join(text.split()).strip()
    text = text.strip("*").strip()
    while text.endswith(":"):
        text = text[:-1].rstrip()
    return text.strip(" ,;")


def parse_speaker_label(label: str) -> Speaker:
    """Parse a speaker label into name, role, organisation and honours.

    Forms handled: ``Name``, ``Name AM``, ``Name (Role)``, ``Name (Role, Organisation)``,
    ``Name, Role``, ``Name, Role, Organisation``, ``Name (Role) (Organisation)`` and a
    role with the speaker's name in brackets (``The Chair (Hon. Anthony Rota (...))``).
    Titles and honours go to ``honours``, never into ``name``.

    >>> parse_speaker_label("Susan Hall AM (Chairman)")
    Speaker(name='Susan Hall', role='Chairman', organisation=None, honours=('AM',), raw='Susan Hall AM (Chairman)')
    """
    raw = label.strip()
    text = _clean_label(label)
    head, groups = split_brackets(text)
    head_parts = split_top_level(head) or [head]
    name_part = head_parts[0]
    extras = head_parts[1:]

    # "The Chair (Hon. Anthony Rota (Nipissing-Timiskaming, Lib.))": the bracket names the speaker.
    if groups and _role_head(name_part):
        inner = parse_speaker_label(groups[0])
        inner_head = split_brackets(groups[0])[0]
        if inner.name and is_name_like(split_top_level(inner_head)[0] if inner_head else "") and not _role_head(inner_head):
            org_bits = [b for b in (inner.role, inner.organisation) if b]
            return Speaker(
                name=inner.name,
                role=name_part,
                organisation=", ".join(org_bits) or None,
                honours=inner.honours,
                raw=raw,
            )

    name, honours = strip_titles(name_part)
    honours_list = list(honours)
    role: str | None = None
    organisation: str | None = None
    rest: list[str] = []
    for part in extras:
        toks = part.split()
        if toks and all(_is_honour(t) for t in toks):
            honours_list.extend(_bare(t) for t in toks)
        else:
            rest.append(part)
    bracket_parts: list[str] = []
    for group in groups:
        bracket_parts.extend(split_top_level(group) or [group])
    if len(groups) >= 2:
        # "Name (Role) (Organisation)"
        first = split_top_level(groups[0]) or [groups[0]]
        role = first[0]
        organisation = ", ".join(first[1:] + [g for g in groups[1:]]) or None
    elif len(bracket_parts) >= 2:
        role = bracket_parts[0]
        organisation = ", ".join(bracket_parts[1:])
    elif len(bracket_parts) == 1:
        if _role_or_organisation(bracket_parts[0]) == "organisation":
            organisation = bracket_parts[0]
        else:
            role = bracket_parts[0]
    if rest:
        if role is None and organisation is None and len(rest) == 1 and _role_or_organisation(rest[0]) == "organisation":
            organisation = rest[0]
        elif role is None:
            role = rest[0]
            if len(rest) > 1:
                organisation = ", ".join(rest[1:] + ([organisation] if organisation else []))
        else:
            organisation = ", ".join(([organisation] if organisation else []) + rest)
    return Speaker(
        name=normalise_name(name),
        role=role or None,
        organisation=organisation or None,
        honours=tuple(dict.fromkeys(honours_list)),
        raw=raw,
    )


# --- identities across documents ---------------------------------------------------------


@dataclass
class _Mention:
    name: str
    weight: int
    order: int
    personal_title: bool


@dataclass
class SpeakerRegistry:
    """Collects speaker names from every document and maps each to a canonical name.

    Usage: ``add(name, ...)`` for every mention (a passage's speaker), then
    ``resolve()`` once; ``canonical(name)`` gives the identity's display name
    (the form used most often, ties to the longer, then the first seen).
    """

    _mentions: dict[str, _Mention] = field(default_factory=dict)
    _resolved: dict[str, str] | None = None

    def add(self, name: str, *, honours: Sequence[str] = (), weight: int = 1) -> None:
        name = normalise_name(name)
        if not name:
            return
        key = name
        personal = any(h.casefold().strip(".") in PERSONAL_TITLES for h in honours)
        mention = self._mentions.get(key)
        if mention is None:
            self._mentions[key] = _Mention(name, weight, len(self._mentions), personal)
        else:
            mention.weight += weight
            mention.personal_title = mention.personal_title or personal
        self._resolved = None

    def resolve(self) -> dict[str, str]:
        """Group the names; return {name as added: canonical name}."""
        names = list(self._mentions)
        parent = {n: n for n in names}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

        by_key: dict[str, str] = {}
        by_first_last: dict[tuple[str, str], str] = {}
        by_surname: dict[str, set[str]] = {}
        for n in names:
            key = name_key(n)
            if key in by_key:
                union(by_key[key], n)
            else:
                by_key[key] = n
            toks = key.split()
            if len(toks) >= 2 and looks_like_person(n):
                fl = (toks[0], toks[-1])
                if fl in by_first_last:
                    union(by_first_last[fl], n)
                else:
                    by_first_last[fl] = n
                by_surname.setdefault(toks[-1], set()).add(n)
        for n in names:
            toks = name_key(n).split()
            if len(toks) == 1 and self._mentions[n].personal_title:
                candidates = {find(c) for c in by_surname.get(toks[0], ())}
                if len(candidates) == 1:
                    union(next(iter(candidates)), n)

        groups: dict[str, list[str]] = {}
        for n in names:
            groups.setdefault(find(n), []).append(n)
        mapping: dict[str, str] = {}
        for members in groups.values():
            best = min(
                members,
                key=lambda m: (-self._mentions[m].weight, -len(m.split()), -len(m), self._mentions[m].order),
            )
            for m in members:
                mapping[m] = best
        self._resolved = mapping
        return mapping

    def canonical(self, name: str | None) -> str | None:
        if name is None:
            return None
        if self._resolved is None:
            self.resolve()
        assert self._resolved is not None
        norm = normalise_name(name)
        return self._resolved.get(norm, norm)


def canonicalise_passages(
    passages: Iterable[Passage], extra_names: Iterable[str] = ()
) -> tuple[list[Passage], SpeakerRegistry]:
    """Return the passages with ``speaker`` replaced by the canonical identity, and
    the resolved registry (``registry.canonical(name)`` maps ``extra_names`` too,
    e.g. letter authors).

    Honours for the title rule come from each passage's ``speaker_label``.
    """
    from dataclasses import replace

    items = list(passages)
    registry = SpeakerRegistry()
    label_honours: dict[str, tuple[str, ...]] = {}
    for p in items:
        if p.speaker:
            honours: tuple[str, ...] = ()
            if p.speaker_label:
                if p.speaker_label not in label_honours:
                    label_honours[p.speaker_label] = parse_speaker_label(p.speaker_label).honours
                honours = label_honours[p.speaker_label]
            registry.add(p.speaker, honours=honours)
    for name in extra_names:
        if name:
            registry.add(name, weight=0)
    registry.resolve()
    out: list[Passage] = []
    for p in items:
        if p.speaker:
            canon = registry.canonical(p.speaker)
            if canon != p.speaker:
                p = replace(p, speaker=canon)
        out.append(p)
    return out, registry


def summarise_speakers(passages: Iterable[Passage]) -> list[SpeakerInfo]:
    """Speakers of ``passages`` with roles, organisations, honours, labels and counts.

    Sorted by passage count (descending), then name. Roles and organisations are
    listed most frequent first.
    """
    counts: Counter[str] = Counter()
    roles: dict[str, Counter[str]] = {}
    orgs: dict[str, Counter[str]] = {}
    honours: dict[str, dict[str, None]] = {}
    labels: dict[str, dict[str, None]] = {}
    docs: dict[str, dict[str, None]] = {}
    parsed: dict[str, Speaker] = {}
    for p in passages:
        if not p.speaker:
            continue
        name = p.speaker
        counts[name] += 1
        roles.setdefault(name, Counter())
        orgs.setdefault(name, Counter())
        if p.role:
            roles[name][p.role] += 1
        if p.organisation:
            orgs[name][p.organisation] += 1
        docs.setdefault(name, {})[p.document] = None
        if p.speaker_label:
            labels.setdefault(name, {})[p.speaker_label] = None
            sp = parsed.get(p.speaker_label)
            if sp is None:
                sp = parsed[p.speaker_label] = parse_speaker_label(p.speaker_label)
            for h in sp.honours:
                honours.setdefault(name, {})[h] = None
    infos = [
        SpeakerInfo(
            name=name,
            roles=tuple(r for r, _ in roles[name].most_common()),
            organisations=tuple(o for o, _ in orgs[name].most_common()),
            honours=tuple(honours.get(name, {})),
            passages=n,
            documents=tuple(docs[name]),
            labels=tuple(labels.get(name, {})),
        )
        for name, n in counts.items()
    ]
    infos.sort(key=lambda s: (-s.passages, s.name))
    return infos
