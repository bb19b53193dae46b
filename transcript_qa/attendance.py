"""Who is in the room: the attendance lists at the head of a record.

Committee transcripts and minutes open with lists of who attended, which name
the people the labels later call by office or surname alone::

    Members present: Sir Bernard Jenkin (Chair); Ms Harriett Baldwin; Mr David Jones.
    Witnesses: Sir Alex Chisholm, Permanent Secretary, Cabinet Office; and Sarah
    Harrison, Chief Operating Officer, Cabinet Office.
    Present: Councillor A Patel (Chair), Councillors B Jones, C Smith and D Wright.

:func:`read_attendance` reads such a line into :class:`Attendee`\\ s (a name, and
the office, role or organisation the list gives): so "Chair:" is Sir Bernard
Jenkin, "Ms Baldwin:" is Harriett Baldwin, and Sir Alex Chisholm's turns carry
his role and organisation (:mod:`transcript_qa.identities`). A line is a list
only after one of the list words and a colon; its items are split on
semicolons, else on commas and "and"; a plural title ("Councillors B Jones, C
Smith") gives each name its title.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .labels import parse_speaker_label
from .model import Speaker

#: "Members present:", "Councillors present:", "Present:", "Those attending:", "In attendance:", "Witnesses:",
#: "Panel members:" ...
_HEAD = re.compile(
    r"(?:\*\*)?\b(?P<head>(?:committee\s+|board\s+)?members\s+present|"
    r"(?:officials|officers|staff|councillors|councilors|trustees|directors|governors)\s+present|also\s+present|"
    r"(?:(?:officials|officers|staff|also)\s+)?in\s+attendance|(?:those\s+)?(?:present|attending)|attendees|"
    r"attendance|witnesses|witness|panel(?:\s+members|\s+\d+)?|members)(?:\*\*)?\s*:(?:\*\*)?\s*",
    re.IGNORECASE,
)
#: A witness panel's number after "Witnesses" ("Witnesses ... I: Name, Role, Organisation; ...").
_PANEL = re.compile(r"\b(?P<head>I{1,3}|IV|V|VI{0,3})\s*:\s*")
_WITNESSES = re.compile(r"\bwitnesses\b", re.IGNORECASE)
#: A line that is a name and no more (an office after it: ", in the Chair", "(Chair)").
_NAME_LINE = re.compile(r"^[A-Z][^.,;:()!?]{2,60}(?:,\s+in\s+the\s+Chair|\s*\([A-Z][^()]{1,40}\))?$")
#: "Meg Hillier, in the Chair": the member chairing the meeting.
_IN_THE_CHAIR = re.compile(r",\s+in\s+the\s+chair$", re.IGNORECASE)
_AFTER_CHAIR = re.compile(r"(?<=,\sin\sthe\sChair)\s+(?=[A-Z])")
_PLURAL_TITLES = {"councillors": "Councillor", "cllrs": "Cllr", "senators": "Senator", "deputies": "Deputy",
                  "drs": "Dr", "messrs": "Mr", "professors": "Professor", "members": ""}
#: "and" or "&" before the last item ("Cllrs Hayward, Cobb & Ashman"): two people.
_AND = re.compile(r",?\s+(?:and|&)\s+", re.IGNORECASE)
#: The council a councillor sits on, before the title ("County Cllr Webb" is Cllr Webb, not a name).
_COUNCIL_OF = re.compile(r"^(?:Borough|County|District|Town|City|Parish|Community)\s+(?=Cllr|Councillor|Councilor)",
                         re.IGNORECASE)
#: Attendance lists are short: a line far longer is prose that happens to start with a list word.
MAX_LIST_CHARS = 2_000


@dataclass(frozen=True)
class Attendee:
    name: str  # as the label grammar reads it ("Bernard Jenkin")
    office: str | None  # the office the list gives in brackets ("Chair")
    role: str | None
    organisation: str | None
    witness: bool  # listed as a witness (not a member)


def read_attendance(text: str) -> list[Attendee]:
    """The attendees the list lines of ``text`` name (none when it has none).
    A list starts a paragraph or follows a sentence's end; it runs to the next
    list or the paragraph's end."""
    out: list[Attendee] = []
    paras = re.split(r"\n\s*\n", text[: MAX_LIST_CHARS * 4])
    for k, para in enumerate(paras):
        heads = [(m.start(), m.end(), m.group("head").lower().startswith(("witness", "panel")))
                 for m in _HEAD.finditer(para) if _starts_sentence(para, m.start())]
        # panels ("I:", "II:") count only after a witness list or the word "Witnesses"
        first = next((start for start, _, w in heads if w), None)
        if first is None:
            word = _WITNESSES.search(para)
            first = word.start() if word else None
        if first is not None:
            heads += [(m.start(), m.end(), True) for m in _PANEL.finditer(para) if m.start() > first]
        heads.sort()
        for i, (_, end, witness) in enumerate(heads):
            stop = heads[i + 1][0] if i + 1 < len(heads) else len(para)
            if para[end:stop].strip() or i + 1 < len(heads):
                out.extend(_items(para[end:stop], witness))
            else:  # "Members present:" alone, the names on the lines below
                out.extend(_name_lines(paras[k + 1:], witness))
    # a list without a list word: offices and the people holding them, one a line
    lines = [line for para in paras for line in para.splitlines() if line.strip()]
    unheaded = [a for a in (_office_holder(lines[i]) for i in listed_lines(lines)) if a is not None]
    held = Counter(a.office for a in unheaded)
    # an office several hold ("Commissioner") names none of them
    out.extend(a if held[a.office] == 1 else replace(a, office=None) for a in unheaded)
    return out


#: A list printed without a list word: at least this many items, one a line ("Mayor Jane Roe",
#: "City Clerk, John Doe"), with at most ``MAX_LIST_GAP`` short lines between two of them (a
#: group's heading, "City Staff"; a name wrapped onto a line of its own).
MIN_UNHEADED = 3
MAX_LIST_GAP = 2
_GAP_WORDS = 6
_OFFICE_WORD = re.compile(r"[A-Z][\w'’&-]*|of|and|for|the|de|&")


def _office_holder(line: str) -> Attendee | None:
    """One line of a list without a list word: an office or title, then a full personal name
    ("Vice Mayor Jane Roe", "Deputy City Attorney, John Doe"); None for any other line."""
    line = line.strip().strip("#*_ ").strip()
    if not line or len(line) > 100 or line.endswith(".") or any(ch in line for ch in ":;?!()[]\"“”"):
        return None
    if "," in line:
        office, _, holder = line.partition(",")
        words = office.split()
        if not 1 <= len(words) <= 5 or not all(_OFFICE_WORD.fullmatch(w) for w in words) or not words[0][0].isupper():
            return None
        sp = parse_speaker_label(holder.strip())
        office = " ".join(words)
    else:
        sp = parse_speaker_label(line)
        office = sp.role or (sp.honours[0] if sp.honours else None)
    if sp.kind != "person" or len(sp.name.split()) < 2 or not office or any(ch.isdigit() for ch in line):
        return None
    return Attendee(sp.name, office, None, sp.organisation, False)


def listed_lines(lines: Sequence[str]) -> list[int]:
    """The indices of ``lines`` (one a line or paragraph) that are items of an attendance list
    printed without a list word (:data:`MIN_UNHEADED`): "Mayor Jane Roe" / "Vice Mayor John
    Doe" / "Commissioner Ann Poe", a list of offices and the people holding them."""
    out: list[int] = []
    run: list[int] = []
    gap = 0
    for i, line in enumerate(lines):
        if _office_holder(line) is not None:
            run.append(i)
            gap = 0
            continue
        short = "\n" not in line.strip() and len(line.split()) <= _GAP_WORDS and not line.rstrip().endswith(".")
        gap += 1
        if gap > MAX_LIST_GAP or not short:
            if len(run) >= MIN_UNHEADED:
                out.extend(run)
            run, gap = [], 0
    if len(run) >= MIN_UNHEADED:
        out.extend(run)
    return out


def _name_lines(paras: list[str], witness: bool) -> list[Attendee]:
    """Attendees printed one a line after a list word alone ("Members present:" /
    "Sir Alan Beith, in the Chair" / "Mr James Arbuthnot" ...), up to the first
    paragraph with a line that is not just a name."""
    out: list[Attendee] = []
    for para in paras:
        # a parser may have joined the lines: "X, in the Chair" still ends an item
        lines = [x.strip() for line in para.splitlines() for x in _AFTER_CHAIR.split(line) if x.strip()]
        found = [_attendee(line, witness) for line in lines if _NAME_LINE.match(line)]
        if not lines or len(found) < len(lines) or None in found:
            break
        out.extend(a for a in found if a is not None)
    return out


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" *")
    return not before or before.endswith((".", "\n")) or before.split()[-1].lower() in ("witnesses", "witness")


def _items(items: str, witness: bool) -> list[Attendee]:
    items = " ".join(items.split()).rstrip(" .")
    if not items or len(items) > MAX_LIST_CHARS:
        return []
    if ";" in items:
        parts = [p for p in (x.strip() for x in items.split(";")) if p]
    elif _office_then_holder(items) is not None:  # one "Office, Department (Mr. Name)"
        parts = [items]
    else:
        parts = _comma_items(items)
    out = []
    for part in parts:
        part = re.sub(r"^and\s+", "", part, flags=re.IGNORECASE).strip(" .")
        attendee = _attendee(part, witness) if part else None
        if attendee is not None:
            out.append(attendee)
    return out


def _comma_items(items: str) -> list[str]:
    """Items of a list without semicolons: commas and "and", outside brackets;
    a plural title distributes over the names after it."""
    pieces: list[str] = []
    depth = 0
    current = ""
    for ch in items:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += ch
    pieces.append(current)
    out: list[str] = []
    title = None
    for piece in pieces:
        for name in _split_and(piece.strip()):
            name = _COUNCIL_OF.sub("", name.strip())
            first, _, rest = name.partition(" ")
            if first.lower() in _PLURAL_TITLES and rest:
                title = _PLURAL_TITLES[first.lower()]
                name = rest
            elif title is not None and not _has_title(name):
                pass
            else:
                title = None
            if name:
                out.append(f"{title} {name}".strip() if title else name)
    return out


def _split_and(piece: str) -> list[str]:
    """``piece`` split at "and" / "&" outside brackets: "Mrs C Hardy (Clerk) and 16 members of the
    public" is two items, "Director (Planning and Roads)" one."""
    depth, depths = 0, []
    for ch in piece:
        depths.append(depth)
        depth += (ch == "(") - (ch == ")")
    out, at = [], 0
    for m in _AND.finditer(piece):
        if depths[m.start()] == 0:
            out.append(piece[at:m.start()])
            at = m.end()
    out.append(piece[at:])
    return out


def _has_title(name: str) -> bool:
    sp = parse_speaker_label(name)
    return bool(sp.raw) and sp.name != name


def _office_then_holder(part: str) -> Speaker | None:
    """The person in a closing bracket after an office with a comma in it, as a
    Speaker with that office as role; None for any other shape."""
    m = re.match(r"^(?P<office>[^()]+,[^()]+?)\s*\((?P<who>[^()]+)\)$", part)
    if not m:
        return None
    who = parse_speaker_label(m.group("who"))
    if who.kind != "person" or len(who.name.split()) < 2 or who.name == m.group("who").strip():
        return None  # a holder is printed with a title ("Mr. K. Lehane")
    return replace(who, role=" ".join(m.group("office").split()))


def _attendee(part: str, witness: bool) -> Attendee | None:
    """One item: "Sir Bernard Jenkin (Chair)", or "Sarah Harrison, Chief Operating
    Officer, Cabinet Office" (a witness: name, role, organisation)."""
    office = role = organisation = None
    chair = _IN_THE_CHAIR.search(part)
    if chair:  # "Sir Alan Beith, in the Chair"
        part = f"{part[:chair.start()]} (Chair)"
    if "(" not in part and "," in part:
        name_part, _, rest = part.partition(",")
        fields = [f.strip() for f in rest.split(",") if f.strip()]
        role = fields[0] if fields else None
        organisation = ", ".join(fields[1:]) or None
        sp = parse_speaker_label(name_part.strip())
    else:
        sp = parse_speaker_label(part)
        holder = _office_then_holder(part)
        if holder is not None:  # "Director, Physical Development (Mr. K. Lehane)": the office, then who holds it
            sp, office = holder, holder.role
        elif sp.kind != "person":
            return None
        else:
            office = sp.role
        organisation = sp.organisation
    if sp.kind != "person" or not sp.name or len(sp.name.split()) < 2:
        return None  # a list item that is not a full personal name helps nobody
    return Attendee(sp.name, office if not witness else None, role or (office if witness else None), organisation,
                    witness)
