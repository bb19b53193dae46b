"""Who a label means, within one document.

Labels name people in shorthand once they have been introduced. Within a document,
in reading order:

* **Offices.** ``The Chair:``, ``The Presiding Officer:``, ``Madam Deputy Speaker:``,
  ``The Minister:``, ``The PRESIDING OFFICER.`` resolve to the person last named in
  that office (``The Chair (Mr. Lloyd Longfield (Guelph, Lib.))``,
  ``The PRESIDING OFFICER (Mr. Kyl)``). "Madam Deputy Speaker" and "The Deputy
  Speaker" are one office; "The Minister" matches the last "The Minister for ...".
  The office stays the passage's ``role``. An office whose holder the document never
  names keeps the office as its speaker ("The Speaker").
* **Short names.** ``Mr Smith:``, ``Cllr Okafor:``, ``Mr. JONES.`` resolve to the one
  fuller name in the document with that surname (``John Smith``); with none, or with
  two (two Smiths), the short name stays. A title that tells a man or a woman ("Mr",
  "Mr."; "Ms", "Mrs", "Miss") rules out a fuller name printed with a title of the other
  ("Mr Smith" is not "Ms Jane Smith"), and short names that such titles show to be two
  people ("Mr Thompson", "Ms Thompson") stay two, named with their titles. Titles that
  tell neither ("Dr", "Senator") never split a surname.
* **Initials.** ``JS:`` resolves to Jane Smith when the document introduces her as
  ``Jane Smith (JS)`` (as interview transcripts do), and no one else by those initials.
* **Affiliations.** A bare label takes the role, organisation, party and constituency
  given by the same person's latest fuller label in the document.
* **Attendance lists** (``Members present: Sir Bernard Jenkin (Chair); Ms Harriett
  Baldwin``, ``Witnesses: Sarah Harrison, Chief Operating Officer, Cabinet Office``;
  :mod:`transcript_qa.attendance`) name office holders, fuller names and affiliations
  before any label does: "Chair:" is Sir Bernard Jenkin, "Ms Baldwin:" Harriett
  Baldwin, and Sarah Harrison's turns carry her role and organisation.

Groups ("Hon. Members") and unknown voices have no speaker. Nothing here merges
across documents (see ``speakers.SpeakerRegistry``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Sequence

from .attendance import read_attendance
from .label_names import _bare, _is_title
from .label_words import FEMALE_TITLES, MALE_TITLES
from .labels import name_key, office_key, office_phrase, parse_speaker_label, split_brackets
from .model import Passage, Speaker


@dataclass(frozen=True)
class _Holder:
    name: str
    party: str | None
    constituency: str | None
    organisation: str | None


def _label_office(sp: Speaker) -> str | None:
    """The office a label names first ("The Chair" in "The Chair (Mr. X)"), if any."""
    if not sp.raw:
        return None
    head = split_brackets(sp.raw.replace("**", "").rstrip(":").strip())[0]
    found = office_phrase(head) if head else None
    return found[1] if found else None


#: "Jane Smith (JS)", "Dr Mark Roe (MR)": a name, then its initials in brackets.
_INITIALLED = re.compile(r"\b([A-Z][\w'’-]*\.?(?:[ \t]+[A-Z][\w'’-]*\.?){1,4})[ \t]+\(([A-Z]{2,4})\)")


def _initials(passages: Sequence[Passage]) -> dict[str, str]:
    """Initials -> the name a document introduces with them ("Jane Smith (JS)"):
    the bracket's letters are the first letters of the name's last words (a title
    before them aside); initials given to two names mean nobody."""
    found: dict[str, set[str]] = {}
    for p in passages:
        if "(" not in p.text:
            continue
        for m in _INITIALLED.finditer(p.text):
            words, letters = m.group(1).split(), m.group(2)
            for start in range(len(words) - 1):
                if "".join(w[0] for w in words[start:]) == letters:
                    found.setdefault(letters, set()).add(" ".join(words[start:]))
                    break
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}


def _title_sex(sp: Speaker) -> str | None:
    """"m" or "f" when the titles before a person's name tell a man ("Mr", "Mr.", "Sir") or
    a woman ("Ms", "Mrs", "Miss"); None when they do not ("Dr", "Senator") or disagree. The
    holder's titles in an office's bracket count ("The Chair (Ms Jane Smith)")."""
    if not sp.raw:
        return None
    head, groups = split_brackets(sp.raw.replace("**", "").rstrip(":").strip())
    if groups and office_phrase(head) is not None:
        head = split_brackets(groups[0])[0]
    sexes: set[str] = set()
    for token in head.split():
        if not _is_title(token):
            break
        word = _bare(token).casefold()
        if word in MALE_TITLES:
            sexes.add("m")
        elif word in FEMALE_TITLES:
            sexes.add("f")
    return next(iter(sexes)) if len(sexes) == 1 else None


def _leading_title(sp: Speaker, sex: str) -> str:
    """The first title of ``sex`` the label prints, cased for reading ("MR" -> "Mr")."""
    titles = MALE_TITLES if sex == "m" else FEMALE_TITLES
    for h in sp.honours:
        if _bare(h).casefold() in titles:
            return h.capitalize() if h.isupper() else h
    return "Mr" if sex == "m" else "Ms"


def _surname(name: str) -> str | None:
    tokens = name_key(name).split()
    return tokens[-1] if tokens else None


def resolve_document(passages: Sequence[Passage]) -> list[Passage]:
    """The passages of one document (in order) with offices and short names resolved
    to the people they mean (see the module docstring)."""
    parsed = functools.cache(parse_speaker_label)  # labels recur: each read once a document

    # fuller names in the document, by surname, and the sexes their titles tell; the
    # surnames that short labels give both a man and a woman ("Mr Thompson", "Ms Thompson")
    by_surname: dict[str, set[str]] = {}
    sexes: dict[str, set[str]] = {}
    short_sexes: dict[str, set[str]] = {}
    for p in passages:
        if not p.speaker:
            continue
        sp = parsed(p.speaker_label) if p.speaker_label else None
        if sp is not None and sp.kind != "person":
            continue
        tokens = p.speaker.split()
        surname = _surname(p.speaker)
        sex = _title_sex(sp) if sp is not None else None
        if len(tokens) >= 2 and surname:
            by_surname.setdefault(surname, set()).add(p.speaker)
            if sex:
                sexes.setdefault(p.speaker, set()).add(sex)
        elif surname and sex:
            short_sexes.setdefault(surname, set()).add(sex)
    two_people = {surname for surname, found in short_sexes.items() if len(found) > 1}
    sex_titles: dict[tuple[str, str], str] = {}  # (surname, sex) -> the title first printed

    holders: dict[str, _Holder] = {}
    known: dict[str, tuple[str | None, str | None, str | None, str | None]] = {}
    for attendee in _attendance(passages):
        surname = _surname(attendee.name)
        if surname:
            by_surname.setdefault(surname, set()).add(attendee.name)
        if attendee.office and office_phrase(attendee.office.split(",")[0]) is not None:  # "Director, Physical ..."
            holders[office_key(attendee.office)] = _Holder(attendee.name, None, None, attendee.organisation)
        if attendee.role or attendee.office or attendee.organisation:
            known[attendee.name] = (attendee.role or attendee.office, attendee.organisation, None, None)
    initials = _initials(passages)
    out: list[Passage] = []
    for p in passages:
        if not p.speaker or not p.speaker_label:
            out.append(p)
            continue
        sp = parsed(p.speaker_label)
        if sp.kind in ("group", "unknown"):
            out.append(replace(p, speaker=None, role=p.role or (sp.name if sp.kind == "group" else None)))
            continue
        office = _label_office(sp)
        name = p.speaker
        if sp.kind == "office" and office:
            holder = _find_holder(holders, office_key(office))
            if holder is not None:
                p = replace(
                    p,
                    speaker=holder.name,
                    party=p.party or holder.party,
                    constituency=p.constituency or holder.constituency,
                )
            out.append(p)
            continue
        # a person: initials to the name introduced with them, short names to the one
        # fuller name with that surname
        printed = (sp.printed or sp.name).strip()
        if printed.isupper() and printed in initials:
            name = initials[printed]
            p = replace(p, speaker=name)
        elif len(name.split()) == 1:
            surname = _surname(name) or ""
            sex = _title_sex(sp)
            # (a fuller name whose titles tell the other sex is someone else)
            fuller = {f for f in by_surname.get(surname, set()) if not sex or sex in sexes.get(f, {sex})}
            if len(fuller) == 1:
                name = next(iter(fuller))
                p = replace(p, speaker=name)
            elif surname in two_people and sex:
                # "Mr Thompson" and "Ms Thompson": two people, told apart by the title
                title = sex_titles.setdefault((surname, sex), _leading_title(sp, sex))
                name = f"{title} {name}"
                p = replace(p, speaker=name)
        if office and sp.kind == "person":
            holders.pop(office_key(office), None)  # re-inserted: the latest named is last
            holders[office_key(office)] = _Holder(name, p.party, p.constituency, p.organisation)
        # affiliations from the person's latest fuller label
        mine = (p.role, p.organisation, p.party, p.constituency)
        prev = known.get(name, (None, None, None, None))
        filled = tuple(a or b for a, b in zip(mine, prev))
        known[name] = filled  # type: ignore[assignment]
        if filled != mine:
            p = replace(p, role=filled[0], organisation=filled[1], party=filled[2], constituency=filled[3])
        out.append(p)
    return out


def _attendance(passages: Sequence[Passage]) -> list:
    """The attendees the document's lists name; a run of passages with no speaker
    is read as one text, so a list word alone in one ("Members present:") takes
    the names printed one a passage after it."""
    out: list = []
    run: list[str] = []
    for p in [*passages, None]:
        if p is not None and not p.speaker:
            run.append(p.text)
        elif run:
            out.extend(read_attendance("\n\n".join(run)))
            run = []
    return out


def _find_holder(holders: dict[str, _Holder], key: str) -> _Holder | None:
    """The holder of office ``key``: the same office, else the one office it abbreviates
    ("minister" -> "minister for housing ...")."""
    if key in holders:
        return holders[key]
    longer = [k for k in holders if k.startswith(key + " ")]
    if len(longer) >= 1:
        # the most recently named of them (dicts keep insertion order; re-insert on update)
        return holders[longer[-1]]
    return None
