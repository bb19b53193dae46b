"""The speaker-label grammar: what a label such as ``Mr John Smith (Barchester) (Lab)``,
``The Chair (Mr. Lloyd Longfield (Guelph, Lib.))``, ``CHIEF JUSTICE ROBERTS`` or
``Kilvinder Vigurs (Regional Director for London, HMPPS)`` says about who speaks.

A label is read in three steps, not matched against a list of cases:

1. **What it names.** A group ("Hon. Members", "Several hon. Members", "THE JURORS",
   "ALL COUNSEL": :func:`is_group_label`), nobody in
   particular ("Unidentified speaker"), an *office* written first ("The Chair",
   "Madam Deputy Speaker", "The Minister for Housing, Planning and Building Safety",
   "The PRESIDING OFFICER", offices of any length: capitalised words and connectors
   around an office noun), or a person or body.
2. **Brackets** (split bracket-aware, nesting allowed). After an office, the first
   bracket names the holder (``The Deputy Presiding Officer (Alasdair Morgan)``), read
   as a label itself. After a person, a party (a party word or abbreviation, or an
   acronym after a personal title) goes to ``party``; the place printed before it, in
   the same or the previous bracket, to ``constituency`` (a place with role words is a
   role: ``(Minister of Natural Resources, CPC)``); the rest is role, then organisation.
   A seat before a dash is followed by every office the member holds
   (``(Watson—Minister for X, Minister for Y and Leader of the House)``: one role).
   ``Mr. SMITH of New Jersey`` gives constituency "New Jersey" and the name "Smith of
   New Jersey" (the state tells two Smiths apart, as the Record means it to).
3. **The name.** Titles ("Mr.", "CHIEF JUSTICE", "Cllr") and honours ("MBE", "AM")
   are peeled off into ``honours``; a title that is an office ("Chairman GRASSLEY",
   "JUSTICE KAGAN") is also the role. The name as printed is kept in ``printed``; the
   display name is cased for reading (``ROBERTS`` -> ``Roberts``, ``McCONNELL`` and
   ``MCCONNELL`` -> ``McConnell``, ``DeFAZIO`` -> ``DeFazio``, ``M S F DE FREITAS`` ->
   ``M S F de Freitas``).

``Speaker.kind`` says what was found: ``person``, ``office`` (an office whose holder
is not named in the label; ``identities.py`` resolves it within the document),
``group``, ``organisation`` or ``unknown``. Everything here is pure and cheap to import.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .label_names import (  # noqa: F401  (re-exported: labels.py is where callers look)
    _DASH_CLASS,
    _bare,
    _caps,
    _case_word,
    _display_phrase,
    _is_honour,
    _is_title,
    _plural_of,
    _word,
    display_name,
    is_name_like,
    looks_like_organisation,
    looks_like_person,
    name_key,
    normalise_name,
    split_brackets,
    split_dash_parts,
    split_top_level,
    strip_titles,
)
from .label_words import (
    ADDRESS_TITLES,
    COLLECTIVE_NOUNS,
    COURTESY_TITLES,
    GROUP_NOUNS,
    GROUP_QUALIFIERS,
    INVARIANT_NOUNS,
    MINUTES_LINES,
    NON_SPEAKER_LABELS,
    OFFICE_MODIFIERS,
    OFFICE_NOUNS,
    ORGANISATION_WORDS,
    PERSONAL_TITLES,
    PLURAL_QUANTIFIERS,
    OFFICE_QUALIFIERS,
    TEXT_DIVISIONS,
    PREFIX_TITLES,
    QUALIFIED_OFFICES,
    ROLE_WORDS,
    TITLE_OFFICES,
    UNKNOWN_LEADS,
    UNKNOWN_SPEAKERS,
)
from .label_parts import (  # noqa: F401  (office_phrase, office_key, is_time_stamp, is_delivery_note re-exported)
    _dash_pair,
    _has_role_words,
    _is_office,
    _is_party,
    _is_place,
    _ON_BEHALF,
    _leading_offices,
    _office_word,
    _role_or_organisation,
    _words,
    is_delivery_note,
    is_time_stamp,
    office_key,
    office_phrase,
)
from .model import Speaker

__all__ = [
    "display_name",
    "is_group_label",
    "is_minutes_line",
    "is_name_like",
    "is_non_speaker_label",
    "is_text_heading",
    "looks_like_organisation",
    "looks_like_person",
    "name_key",
    "normalise_name",
    "office_key",
    "office_phrase",
    "parse_speaker_label",
    "split_brackets",
    "split_top_level",
    "strip_titles",
]

# --- what a label names ------------------------------------------------------------------




#: Nouns for one person in a hearing or a chamber, whose plural names a group ("THE JURORS",
#: "The Defendants", "Several Ministers", "Committee Members").
_PERSON_NOUNS = OFFICE_NOUNS | ROLE_WORDS | TITLE_OFFICES | QUALIFIED_OFFICES


def is_group_label(text: str) -> bool:
    """A group: "Hon. Members", "Several hon. Members", "An hon. Member", "Noble Lords",
    the plural of a noun for a person ("THE JURORS", "The Assistant Commissioners"),
    a body that speaks as one after a qualifier ("The Panel"), and a noun the same in
    both numbers after a word counting more than one ("ALL COUNSEL"; "Counsel" is one)."""
    words = _words(text)
    if not words or len(words) > 5:
        return False
    last, before = words[-1], words[:-1]
    plural = _plural_of(last, _PERSON_NOUNS)
    if last in GROUP_NOUNS or plural:
        # (an office's own qualifiers only before a plural: "The Deputy Speakers", not "Committee Member")
        allowed = GROUP_QUALIFIERS | GROUP_NOUNS | (OFFICE_MODIFIERS if plural else frozenset())
        return all(w in allowed for w in before)
    if last in COLLECTIVE_NOUNS:
        return bool(before) and all(w in GROUP_QUALIFIERS for w in before)
    if last in INVARIANT_NOUNS:
        return bool(set(before) & PLURAL_QUANTIFIERS) and all(w in GROUP_QUALIFIERS for w in before)
    return False


def is_unknown_label(text: str) -> bool:
    words = _words(text)
    return " ".join(words) in UNKNOWN_SPEAKERS or (0 < len(words) <= 4 and words[0] in UNKNOWN_LEADS)


def is_non_speaker_label(text: str) -> bool:
    """"RESOLVED", "AGREED", "Present", "Apologies", "Note": a line of minutes, not a speaker."""
    words = _words(text)
    return bool(words) and len(words) <= 4 and (words[0] in NON_SPEAKER_LABELS or " ".join(words) in NON_SPEAKER_LABELS)


def is_minutes_line(text: str) -> bool:
    """"RESOLVED", "Present", "Also present", "Apologies for absence": a record of the
    meeting that starts a passage with no speaker."""
    words = _words(text)
    return bool(words) and len(words) <= 4 and (words[0] in MINUTES_LINES or words[-1] in MINUTES_LINES)


#: A division's number: "10", "4A", "II", "iv", "B".
_DIVISION_NUMBER = re.compile(r"(?:\d{1,4}[A-Za-z]?|[IVXLC]{1,7}|[ivxlc]{1,7}|[A-Z])")


def is_text_heading(text: str) -> bool:
    """"Part II", "Clauses 10 and 11", "Schedule 2", "Section 4A": the heading of a division
    of a text under debate (a bill in committee), never a speaker. The division's word must
    be followed by its number or numeral."""
    tokens = text.split()
    return (len(tokens) >= 2 and _word(tokens[0]) in TEXT_DIVISIONS
            and bool(_DIVISION_NUMBER.fullmatch(tokens[1].strip(".,;:()"))))


# --- labels -----------------------------------------------------------------------------

_EDITORIAL = re.compile(r"\[[A-Z]{1,3}\]")  # Hansard's "[V]" (virtual participation)
#: A bracket in square brackets at the end of a label, after a name or an office of two words
#: or more: read as one in round brackets ("Tuan Lim Guan Eng [Bagan]", the Dewan Rakyat's
#: seat; "The Chair [Jane Smith]"; "Mr Smith [continuing]"). After one word it completes
#: the name ("Will [Balakrishnan]", a surname the transcriber added), as square brackets
#: elsewhere are editorial insertions that keep their words.
_TRAILING_SQUARE = re.compile(r"(?<=[^\s\[\]])\s*\[([^\[\]]+)\]\s*(:?)\s*$")
_OF_PLACE = re.compile(r"^(?P<name>.*?[A-Z][A-Za-z'’-]*[A-Z])\s+of\s+(?P<place>[A-Z][A-Za-z.'’ -]{1,40})$")
_OF_PLACE_CHARS = 200
#: A bracket part that names itself a seat: "Emgwen Constituency", "Riverside Ward".
_SEAT_WORD = re.compile(r"^[A-Z][\w'’.\- ]{0,60}\s(?:[Cc]onstituency|[Ww]ard|[Ee]lectorate|[Rr]iding)$")


def _clean_label(label: str) -> str:
    text = _EDITORIAL.sub(" ", label)
    trailing = _TRAILING_SQUARE.search(text.rstrip())
    if trailing and (len(text[:trailing.start()].split()) >= 2 or is_delivery_note(trailing.group(1))):
        text = f"{text[:trailing.start()]} ({trailing.group(1)}){trailing.group(2)}"
    text = text.replace("**", "").replace("__", "")
    text = text.replace("[", "").replace("]", "")  # editorial insertions keep their words
    text = " ".join(text.split()).strip()
    text = text.strip("*").strip()
    while text.endswith(":"):
        text = text[:-1].rstrip()
    return text.strip(" ,;")


def _title_role(honours: tuple[str, ...]) -> str | None:
    """A title that is an office ("Chairman", "CHIEF JUSTICE") read as a role."""
    titles = [h for h in honours if _is_title(h)]
    if titles and any(_bare(t).casefold() in OFFICE_NOUNS for t in titles):
        return _display_phrase(" ".join(t.rstrip(".") if t.isupper() else t for t in titles))
    return None


_VOCABULARY = (OFFICE_NOUNS | OFFICE_MODIFIERS | ROLE_WORDS | ORGANISATION_WORDS | GROUP_NOUNS | TITLE_OFFICES
               | QUALIFIED_OFFICES)
_MAX_QUALIFIERS = 3  # words before an office noun printed as a title ("First Deputy Commissioner")
_QUALIFIERS = _VOCABULARY | OFFICE_QUALIFIERS | PREFIX_TITLES
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?")


def office_title(name_part: str) -> tuple[str, str] | None:
    """``(office, name)`` when a label opens with an office printed as a title
    before its holder's name: "Chair Williams", "VICE CHAIR LEE", "Council
    Member Brewer", "Ranking Member Comer", "Deputy Director Ana Ruiz": up to
    three words that qualify an office ("Vice", "Ranking", "City"), an office
    noun (:data:`TITLE_OFFICES`, or after a qualifier :data:`QUALIFIED_OFFICES`),
    then the name. None unless the name is one to three capitalised words of two
    letters or more, none of them an office, role, group or body word (so
    "Speaker 2", "Chair of the Committee" and "Director General" stay as they
    are); a title that stands alone first ("Mayor Adams") keeps its own reading.
    Qualifiers the vocabulary does not know ("HR Director Elejabarrieta",
    "Communications Director Pantin": a department before the office noun) are read
    so when capitalised and followed by a single surname."""
    tokens = normalise_name(name_part).split()
    unknown = False  # a qualifier outside the vocabulary: then the name is one surname
    for h in range(min(len(tokens) - 1, _MAX_QUALIFIERS + 1)):
        head = _bare(tokens[h]).casefold()
        if head not in TITLE_OFFICES and not (h > 0 and head in QUALIFIED_OFFICES):
            if not tokens[h][0].isupper() or not _NAME_WORD.fullmatch(tokens[h]) or _is_honour(tokens[h]):
                return None  # a qualifier of the office ("Ranking", "Deputy", "City", "HR") or nothing
            unknown = unknown or head not in _QUALIFIERS
            continue
        if h == 0 and head in PREFIX_TITLES:
            return None
        # the name without its own titles and honours ("Chair Professor Jane Williams MBE")
        rest = strip_titles(" ".join(tokens[h + 1:]))[0].split()
        if not 1 <= len(rest) <= (1 if unknown else 3) or (unknown and len(tokens) != h + 2):
            return None
        for token in rest:
            bare = _bare(token)
            letters = [ch for ch in bare if ch.isalpha()]
            if (len(letters) < 2 or not token[0].isupper() or not _NAME_WORD.fullmatch(token) or _is_honour(token)
                    or bare.casefold() in _VOCABULARY or bare.casefold() in PREFIX_TITLES):
                return None
        return " ".join(tokens[:h + 1]), " ".join(tokens[h + 1:])
    return None


#: Nouns of an office that a title of address before them makes an address, not a name.
_ADDRESSED_OFFICES = OFFICE_NOUNS | TITLE_OFFICES | QUALIFIED_OFFICES


def _addressed_office(printed: str, honours: tuple[str, ...]) -> bool:
    """A title of address and an office noun alone ("Ms. Attorney", "Mr. Director"): the
    office's holder addressed, not a person's label."""
    words = printed.split()
    return (len(words) == 1 and bool(honours) and _bare(words[0]).casefold() in _ADDRESSED_OFFICES
            and all(_bare(h).casefold() in COURTESY_TITLES for h in honours))


def _person_kind(name: str, honours: tuple[str, ...], personal: bool) -> str:
    if personal or looks_like_person(name) or any(_is_honour(h) for h in honours):
        return "person"
    if name.split() and name.split()[-1].isdigit():
        return "person"  # "Speaker 2": an anonymous voice
    if looks_like_organisation(name) and (len(name.split()) > 1 or name.endswith("'s")):
        return "organisation"
    return "person"  # one word: a first name ("Amy:"), a surname, a screen name


def parse_speaker_label(label: str) -> Speaker:
    """Parse a speaker label into name, role, organisation, party, constituency and honours.

    >>> sp = parse_speaker_label("Mr John Smith (Barchester) (Lab)")
    >>> (sp.name, sp.constituency, sp.party, sp.honours)
    ('John Smith', 'Barchester', 'Lab', ('Mr',))
    >>> sp = parse_speaker_label("The Chair (Mr. Lloyd Longfield (Guelph, Lib.))")
    >>> (sp.name, sp.role, sp.constituency, sp.party)
    ('Lloyd Longfield', 'The Chair', 'Guelph', 'Lib.')
    >>> parse_speaker_label("CHIEF JUSTICE ROBERTS").name
    'Roberts'
    """
    raw = label.strip()
    text = _clean_label(label)
    if not text:
        return Speaker(name="", raw=raw, kind="unknown")
    if is_group_label(text):
        return Speaker(name=_display_phrase(text), raw=raw, kind="group")
    if is_unknown_label(text):
        return Speaker(name=_display_phrase(text), raw=raw, kind="unknown")
    if is_text_heading(text):  # "Part II": a division of the bill under debate, no one
        return Speaker(name=text, raw=raw, kind="unknown")
    dashed = split_dash_parts(text)
    if len(dashed) > 1 and (is_name_like(dashed[0]) or office_phrase(dashed[0]) is not None):
        return _dashed_label(raw, dashed)
    head, groups = split_brackets(text)
    office = office_phrase(head) if head else None
    if office is not None:
        return _office_label(raw, office[1], groups)
    holder = _titled_holder(raw, head, groups)
    if holder is not None:
        return holder
    return _person_label(raw, head, groups)


def _dashed_label(raw: str, parts: list[str]) -> Speaker:
    """"Name -- Role" or "Name -- Organisation -- Role" (:func:`split_dash_parts`)."""
    who = parse_speaker_label(parts[0])
    if len(parts) == 3:
        organisation, role = parts[1], parts[2]
    elif _role_or_organisation(parts[1]) == "organisation":
        organisation, role = parts[1], None
    else:
        organisation, role = None, parts[1]
    return replace(who, role=who.role or role, organisation=who.organisation or organisation, raw=raw)


def _titled_holder(raw: str, head: str, groups: list[str]) -> Speaker | None:
    """"<words> (<Title> <First> <Last>)": a bracket that is itself a titled full name
    names the holder of whatever the untitled words before it are, an office in a
    language or style the vocabulary does not know ("Cathaoirleach Sealadach (Deputy
    Jane Smith)"). None unless the head has no title or honour of its own and the
    bracket is one titled personal name of two words or more."""
    if len(groups) != 1 or not head or not is_name_like(head):
        return None
    if strip_titles(head)[1] or split_top_level(head) != [head]:
        return None
    inner = parse_speaker_label(groups[0])
    titled = any(_is_title(h) for h in inner.honours)
    if inner.kind != "person" or not titled or inner.role or not looks_like_person(inner.name):
        return None
    return replace(inner, role=_display_phrase(head), raw=raw)


def _office_label(raw: str, office: str, groups: list[str]) -> Speaker:
    display = _display_phrase(office)
    if len(groups) == 1 and _is_party(groups[-1], True) and len(split_top_level(groups[-1])) == 1:
        # "The LEADER OF THE OPPOSITION (DA)": the office holder's party, not a name
        return Speaker(name=display, role=display, raw=raw, kind="office", party=groups[-1].strip())
    if groups:
        inner = parse_speaker_label(groups[0])
        personal = any(_bare(h).casefold() in PERSONAL_TITLES for h in inner.honours)
        named = personal or len(inner.name.split()) >= 2 or any(_is_honour(h) for h in inner.honours)
        if inner.kind == "person" and named and office_phrase(split_brackets(groups[0])[0]) is None:
            extra = [g for g in groups[1:]]
            party = inner.party
            if party is None and extra and _is_party(extra[-1], True):
                party = extra.pop()
            return replace(inner, role=display, party=party, raw=raw)
    return Speaker(name=display, role=display, raw=raw, kind="office")


def _seat_parts(parts: list[str]) -> bool:
    """A bracket's parts that together name one seat ("Liverpool, West Derby"): two or three
    places, no role, office, organisation, acronym or party among them."""
    return 2 <= len(parts) <= 3 and all(
        _is_place(p) and not _has_role_words(p) and not _is_party(p, True) and office_phrase(p) is None
        and not any(len(w) > 1 and w.isupper() for w in p.split()) for p in parts)  # "HMPPS" is a body


def _person_label(raw: str, head: str, groups: list[str]) -> Speaker:
    head_parts = split_top_level(head) or [head]
    name_part = head_parts[0]
    extras = head_parts[1:]
    constituency: str | None = None
    of_place = False
    # (a label longer than any name is not read for a place: the pattern's cost grows with the square of it)
    m = _OF_PLACE.match(name_part) if len(name_part) <= _OF_PLACE_CHARS else None
    if m and _caps(m.group("name").split()[-1]):
        name_part, constituency = m.group("name"), m.group("place").strip()
        of_place = True
    titled = office_title(name_part)
    if titled is not None:  # "Chair Williams": Williams, in the role of Chair
        name_part = titled[1]
    printed, honours = strip_titles(name_part)
    if titled is None and _addressed_office(printed, honours):
        # "Ms. Attorney", "Mr. Manager": the holder of an office addressed ("... Mr. Clerk and Ms.
        # Attorney."), no one's name: the office, as "Mr. Clerk" and "Madam Chair" read
        display = _display_phrase(name_part)
        return Speaker(name=display, role=display, raw=raw, kind="office")
    honours_list = list(honours)
    rest: list[str] = []
    for part in extras:
        toks = part.split()
        if toks and all(_is_honour(t) for t in toks):
            honours_list.extend(_bare(t) for t in toks)
        else:
            rest.append(part)

    # brackets: time stamps and notes of interpretation out, then party and constituency, then role and organisation
    stamped = any(is_time_stamp(g) for g in groups)
    groups = [g for g in groups if not is_time_stamp(g) and not is_delivery_note(g)]
    # "Hon. (Dr.) Jane Smith", "Sen. (Prof.) ...": a bracket of titles alone is more of her titles
    titled_groups = [g for g in groups if g.split() and all(_bare(t).casefold() in ADDRESS_TITLES for t in g.split())]
    groups = [g for g in groups if g not in titled_groups]
    bracketed = [t for g in titled_groups for t in g.split()]
    honours_list.extend(bracketed)
    # (the titles before the name or in such a bracket; an honour after it, "MS", is not "Ms")
    personal = any(_bare(h).casefold() in PERSONAL_TITLES for h in (*honours, *bracketed))
    group_parts = [split_top_level(g) or [g] for g in groups]
    party: str | None = None
    dashed = _dash_pair(group_parts[0][0]) if len(group_parts) == 1 else None
    if dashed is not None and dashed[0] == "constituency":
        # "Mr DUTTON (Dickson—Leader of the Opposition) (14:01)": the seat, then the office;
        # "(Watson—Minister for X, Minister for Y and Leader of the House)": the seat, then all the offices
        offices, others = [dashed[2]], group_parts[0][1:]
        while others and _is_office(others[0]):
            offices.append(others.pop(0))
        constituency, group_parts = dashed[1], [[", ".join(offices), *others]]
    elif dashed is not None and len(group_parts[0]) == 1:
        # "PESETA SAM LOTU-IIGA (National—Maungakiekie)": the party, then the seat
        party, constituency, group_parts = dashed[1], dashed[2], []
    elif (len(group_parts) == 1 and len(group_parts[0]) == 1 and (stamped or _caps(printed.split()[-1] if printed.split() else ""))
          and personal and _is_place(group_parts[0][0]) and not _has_role_words(group_parts[0][0])
          and not _is_party(group_parts[0][0], True) and office_phrase(group_parts[0][0]) is None):
        # "Dr MARTIN (Reid) (14:03)": a member's seat, printed alone in a Hansard's style
        constituency, group_parts = group_parts[0][0], []
    if party is None and group_parts and _is_party(group_parts[-1][-1], personal or bool(honours_list)):
        party = group_parts[-1].pop()
        if group_parts[-1]:
            cand = group_parts[-1][-1]
            if not _has_role_words(cand) and not _is_party(cand, False):
                constituency = constituency or group_parts[-1].pop()
        elif len(group_parts) >= 2 and len(group_parts[-2]) == 1 and not _has_role_words(group_parts[-2][0]):
            constituency = constituency or group_parts[-2].pop()
        elif len(group_parts) >= 2 and constituency is None and _seat_parts(group_parts[-2]):
            # "Stephen Twigg (Liverpool, West Derby) (Lab/Co-op)": a seat named with a comma,
            # the bracket right before the party
            constituency = ", ".join(group_parts[-2])
            group_parts[-2] = []
        group_parts = [g for g in group_parts if g]
    if constituency is None:
        # "(Emgwen Constituency)", "(Riverside Ward)": a part naming itself a seat is the constituency
        for part in group_parts:
            seat = [p for p in part if _SEAT_WORD.search(p)]
            if seat:
                constituency = seat[0]
                part.remove(seat[0])
                break
        group_parts = [g for g in group_parts if g]
    role: str | None = None
    organisation: str | None = None
    if len(group_parts) >= 2:
        n = _leading_offices(group_parts[0])
        role = ", ".join(group_parts[0][:n])
        organisation = ", ".join(group_parts[0][n:] + [", ".join(g) for g in group_parts[1:]]) or None
    elif group_parts:
        parts = group_parts[0]
        if len(parts) >= 2:
            # "(Minister for X, Minister of Y)": every office in the role; "(Chief Executive, Acme
            # Housing)": the role, then the body
            n = _leading_offices(parts)
            role, organisation = ", ".join(parts[:n]), ", ".join(parts[n:]) or None
        elif _role_or_organisation(parts[0]) == "organisation":
            organisation = parts[0]
        else:
            role = parts[0]
    if rest:
        if role is None and organisation is None and len(rest) == 1 and _role_or_organisation(rest[0]) == "organisation":
            organisation = rest[0]
        elif role is None:
            role = rest[0]
            if len(rest) > 1:
                organisation = ", ".join(rest[1:] + ([organisation] if organisation else []))
        else:
            organisation = ", ".join(([organisation] if organisation else []) + rest)
    if organisation:  # "Name, on behalf of the S&D Group": the group is the organisation
        organisation = _ON_BEHALF.sub("", organisation)
    honours_t = tuple(dict.fromkeys(_display_phrase(h) if _caps(h) and not _is_honour(h) else h for h in honours_list))
    if role is None:
        role = _display_phrase(titled[0], keep_acronyms=True) if titled is not None else _title_role(honours_t)
    name = normalise_name(printed)
    kind = _person_kind(name, honours_t, personal)
    shown = display_name(name) if kind == "person" else name
    if of_place and constituency:
        shown = f"{shown} of {constituency}"  # "Mr. SMITH of New Jersey": the state tells two Smiths apart
    return Speaker(
        name=shown,
        role=role or None,
        organisation=organisation or None,
        honours=honours_t,
        raw=raw,
        party=party,
        constituency=constituency,
        kind=kind,
        printed=name if shown != name else None,
    )
