"""Finding speaker labels at the start of a transcript paragraph.

Two shapes are recognised, both bracket-aware:

* **Colon labels** (Hansards, committees, courts, councils, interviews):
  ``Name (Role, Organisation): text``, ``Mr John Smith (Barchester) (Lab): text``,
  ``The Minister for Housing, Planning and Building Safety (Lee Rowley): text``,
  ``CHIEF JUSTICE ROBERTS: text``, ``**Cllr Okafor:** text``. The colon sits
  outside brackets, within ``MAX_LABEL_CHARS``, and is followed by a space or the end
  of the line. The label reads as a name, an office (of any length), or a group.
* **Header lines** (exports of transcription tools such as Otter): a line that is
  only ``Name  0:34`` (the name, two or more spaces or a tab, a time) or ``[Name]
  18:02:11`` (Zoom's saved captions) or ``@0:25 - Name (e-mail)`` (meeting tools' Word
  and text exports; the e-mail is dropped), the words on the lines below. The time becomes
  the turn's start (as does one in brackets closing a colon label: ``Name (00:12):``).
* **Full-stop labels** (the US Congressional Record and hearings):
  ``Mr. JONES. text``, ``Senator SMITH. text``, ``The PRESIDING OFFICER (Mr. Kyl).
  text``, ``Mr. SMITH of New Jersey. text``, ``The SPEAKER pro tempore. text``. An
  upper-case surname or office makes such a label strong; a mixed-case one
  ("Chairman Grassley. text") must recur to count.

* **Dash labels** (the European Parliament's verbatim reports): ``President. – text``,
  ``Name (Group). – text``, ``Name, on behalf of the X Group. – text``, ``Name, Member of
  the Commission. – text``: a full stop and a dash end the label, which reads as a name or
  an office, followed by at most two role phrases (these may start in lower case).

* **Stop-dash labels** (Westminster-style Hansards: Fiji, older records): ``HON. SPEAKER.-
  text``, ``HON. F.S. KOYA (Minister for Commerce, Trade, Tourism and Transport).- text``,
  ``Mr. SMITH.— text``: a full stop and a dash (a hyphen, en or em dash) close a label strong
  by its shape (:func:`strong_by_shape`); a sentence ending in a full stop before a dash is
  never one.

* **Name lines** (web pages of several parliaments, as copied or rendered; some tools'
  exports): the speaker's name or office alone on a line, the words below it.
  :func:`name_line` reads such a line; whether a document is written that way is decided
  for the whole document (``transcript.name_line_labels``).

A bullet before the label is allowed (the Record's ``<bullet>`` marks a statement
inserted rather than spoken: still the member's words).

Lines of minutes such as ``RESOLVED:``, ``AGREED:``, ``Present:``, ``Apologies:`` are
never labels, nor is a heading line such as ``Flood Defences: Rural Communities``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..label_names import _is_initials
from ..label_words import NAME_PARTICLES
from ..labels import (
    _caps,
    _is_title,
    is_group_label,
    is_minutes_line,
    is_name_like,
    is_non_speaker_label,
    is_text_heading,
    office_phrase,
    parse_speaker_label,
    split_brackets,
    split_dash_parts,
    split_top_level,
    strip_titles,
)
from .common import parse_timestamp, strip_markup

MAX_LABEL_CHARS = 250


@dataclass(frozen=True)
class LabelMatch:
    label: str  # as written, markup included, without the colon or full stop
    body_offset: int  # offset of the turn text inside the paragraph's first line
    time: float | None = None  # a leading "[00:01:02]" timestamp, in seconds
    strong: bool = False  # a turn even if seen once (full-stop labels in upper case)
    addressed: bool = False  # the label named whom a question was put to ("... to the Prime Minister")
    header: bool = False  # a header line: the label and a time alone on a line, the words below


#: A question number before a label: a select committee's "Q82 Chair: ...", a numbered
#: oral question's "1. Rt Hon NAME (Office) to the Prime Minister: ..." or "3. Paul Flynn
#: (Newport West) (Lab): ..." ("3)" too); bold as web pages print them ("**Q1** Chair:",
#: "**Q3 Chair:**").
_QUESTION_NUMBER = re.compile(r"^(?:\*\*)?(?:(?P<q>Q\d{1,4})|\d{1,3}[.)])(?:\*\*)?[ \t]+(?=(?:\*\*)?[A-Z])")
#: After a member's bracket, whom a numbered question is put to ("... (Leader of the
#: Opposition) to the Prime Minister") or for whom an answer is given ("... (Deputy Prime
#: Minister) on behalf of the Prime Minister"): not part of who speaks.
_ADDRESSEE = re.compile(r"^(?P<who>.+\))\s+(?:to|on\s+behalf\s+of)\s+(?:the\s+)?[A-Z][^()]*$")
#: A question on notice as Westminster-style records print it above the question: "HON. A.B.
#: SMITH asked the Government, upon notice:" (the asker's words follow). The asker is the label.
#: (a label is at most MAX_LABEL_CHARS long: the lazy name is read a bounded number of times)
_ASKED = re.compile(r"^(?P<who>[^\s,][^,]{0,200}?)\s+asked\s+(?:the\s+)?[A-Z][^()]{0,200}$")
#: A time of a recording as transcripts print it: "1:02", "00:01:05", "1:02:11.5".
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
#: A time right after a label, in brackets.
_TIME_AFTER = re.compile(rf"[\[(]({_CLOCK})[\])][ \t]*")
_TIMESTAMP = re.compile(rf"^[\[(]?({_CLOCK})[\])]?\s+(?=\S)")
#: A line that is only a time ("00:00:03", "[1:02:11]"), as some exports print it above a turn.
CLOCK_LINE = re.compile(rf"^[\[(]?({_CLOCK})[\])]?$")
#: A time in brackets closing a label.
_TIME_ENDS_LABEL = re.compile(rf"[\[(]({_CLOCK})[\])]\s*$")
#: A meeting chat's message after its time, as Zoom saves the chat: "From Maria Lopez to
#: Everyone:" (the message below), "From  Maria Lopez : message", "From Maria Lopez to John
#: Smith(Direct Message):".
_CHAT_FROM = re.compile(
    r"From\s+(?P<name>[^:\n]{1,80}?)(?:\s+to\s+[^:\n]{1,80}?)?(?:\s*\((?:Direct Message|Privately)\))?\s*:(?:\s+|$)"
)
#: A mark before a label: a bullet, the Congressional Record's "<bullet>" (a statement
#: inserted, not spoken: still the member's words), or the ">>" with which broadcast
#: captions mark a change of speaker.
_LEAD_MARK = re.compile(r"^(?:<bullet>|[•▪◦●]|>>)[ \t]*(?=\S)")


def _clean(label: str) -> str:
    return strip_markup(label).replace("**", "").strip().strip("*_ ")


def label_shape_ok(clean: str) -> bool:
    """Does the text before a colon read as a speaker label?"""
    clean = _TIME_ENDS_LABEL.sub("", clean).rstrip()  # "Maria Lopez [00:00:12]": the time is not the name
    head, _groups = split_brackets(clean.replace("[", "").replace("]", ""))
    head = split_dash_parts(head)[0]  # "Tim Cook -- Chief Executive Officer": the name is what counts
    if not head or is_non_speaker_label(head) or is_minutes_line(head):
        return False  # "RESOLVED:", "OFFICIALS IN ATTENDANCE:": a record of the meeting, not a voice
    if is_text_heading(head):
        return False  # "Part II", "Clause 5": a division of the text under debate
    if DIARISED.match(head):
        return True
    if office_phrase(head) is not None or is_group_label(head):
        return True
    parts = split_top_level(head) or [head]
    if len(parts) > 3 or not is_name_like(parts[0]):
        return False
    if any(not part[:1].isupper() for part in parts[1:]):
        return False  # "Therefore, the model is: ..." is prose, not "Name, Role:"
    return True


def strong_by_shape(clean: str) -> bool:
    """A label that cannot be the start of a sentence: a title before a name ("HON. F.S.
    KOYA", "SHRI T.R. BAALU", "Mr Smith"), an office ("HON. SPEAKER", "The Chair"), a group
    ("HON. MEMBERS"), a name with a bracket ("Jane Smith (Barchester)") or a name in
    capitals of two words or more ("JANE SMITH"). Such a label may close with a full stop
    and a dash, or run into its words without a space after the colon."""
    clean = _TIME_ENDS_LABEL.sub("", clean).rstrip()
    if not clean or not label_shape_ok(clean):
        return False
    head, groups = split_brackets(clean.replace("[", "").replace("]", ""))
    if is_group_label(head) or office_phrase(head) is not None:
        return True
    if parse_speaker_label(clean).kind != "person":
        return False
    tokens = head.split()
    if groups or (len(tokens) >= 2 and _is_title(tokens[0])):
        return True
    names = strip_titles(head)[0].split()
    return len(names) >= 2 and all(_caps(t) or _is_initials(t) or t.casefold() in NAME_PARTICLES for t in names)


def _numbered_speaker(clean: str) -> bool:
    """After a question's number ("3. Paul Flynn (Newport West) (Lab): What ..."), a label
    that names a speaker by its shape: an office, or a person with a title, honours, a party,
    a constituency or a role. A name in capitals alone is not enough: numbered agenda items
    are printed so ("2. PLANNING APPLICATIONS: ..."), as are bills ("Climate Change
    (Scotland) Act")."""
    if not strong_by_shape(clean):
        return False
    head = split_brackets(clean)[0]
    if "'s " in head or "’s " in head or head.endswith(("'s", "’s")):
        return False  # "4. Chief Executive's Report: ...": an item of business
    sp = parse_speaker_label(clean)
    if sp.kind in ("office", "group"):
        return len(head.split()) >= 2  # "12. The Chair: ..."; a bare "5. Treasurer:" is an item
    if sp.kind != "person":
        return False
    titled = _is_title(clean.split()[0])
    return titled or bool(sp.honours or sp.party or sp.constituency or sp.role)


def find_label(line: str) -> LabelMatch | None:
    """Find a speaker label at the start of a paragraph's first line (see the module
    docstring). A leading timestamp (``[00:01:02] Name: text``) is allowed."""
    bold = len(line) - len(line.lstrip("*_")) if line[:1] in "*_" else 0  # "**[00:00:12] Maria Lopez:** ..."
    ts = _TIMESTAMP.match(line[bold:])
    if ts:
        chat = _CHAT_FROM.match(line, bold + ts.end())
        if chat and label_shape_ok(_clean(chat.group("name"))):
            return LabelMatch(chat.group("name").strip(), chat.end(), parse_timestamp(ts.group(1)))
        inner = find_label(line[bold + ts.end() :])
        if inner is None:
            return _header_label(line)  # "[00:00:12] Maria Lopez" alone on its line, the words below
        return LabelMatch(inner.label, inner.body_offset + bold + ts.end(), parse_timestamp(ts.group(1)), inner.strong)
    number = _QUESTION_NUMBER.match(line)
    if number:
        inner = _colon_label(line[number.end() :], addressed=True)
        if inner is None or not (number.group("q") or inner.addressed or _numbered_speaker(_clean(inner.label))):
            return None  # "1. Introduction: ..." is a numbered heading, not a question
        return LabelMatch(inner.label, inner.body_offset + number.end(), inner.time, True)
    mark = _LEAD_MARK.match(line)
    if mark:
        inner = find_label(line[mark.end() :])
        if inner is None:
            return None
        return LabelMatch(inner.label, inner.body_offset + mark.end(), inner.time, inner.strong)
    m = _colon_label(line) or _stop_label(line) or _header_label(line) or _stop_dash_label(line) or _dash_label(line)
    if m is not None and m.time is None:
        after = _TIME_AFTER.match(line, m.body_offset)
        if after:  # "Mary Jones: (00:12) text", "John Smith: [00:01:10] text": the turn's time
            return replace(m, body_offset=after.end(), time=parse_timestamp(after.group(1)))
        inside = _TIME_ENDS_LABEL.search(m.label)
        if inside:  # "Mary Jones (00:12): text", as Rev prints it
            return replace(m, time=parse_timestamp(inside.group(1)))
    return m


def _colon_label(line: str, addressed: bool = False) -> LabelMatch | None:
    """A colon label; ``addressed``: after a question number, where the label may name whom
    the question is put to."""
    first_colon = line.find(":", 0, MAX_LABEL_CHARS)
    if first_colon <= 0:
        return None
    depth_round = depth_square = 0
    limit = min(len(line), MAX_LABEL_CHARS)
    colon = -1
    for i in range(limit):
        ch = line[i]
        if ch == "(":
            depth_round += 1
        elif ch == ")":
            depth_round -= 1
            if depth_round < 0:
                return None
        elif ch == "[":
            depth_square += 1
        elif ch == "]":
            depth_square = max(0, depth_square - 1)
        elif ch == ":" and depth_round == 0 and depth_square == 0:
            colon = i
            break
        elif ch in ".?!;\"“”" and depth_round == 0 and depth_square == 0:
            # sentence punctuation before the colon: not a label, except after an
            # abbreviation such as "Dr." or "Hon."
            if ch == "." and _STOP_DASH.match(line, i):
                return None  # "HON. A. BALA.- Yes: ...": the label closed at its full stop and dash
            if ch == "." and line[i + 1 : i + 2] == ":":
                continue  # "HON. SPEAKER.:": a stray full stop before the colon
            j = i
            while j > 0 and line[j - 1].isalpha():
                j -= 1
            if ch == "." and 0 < i - j <= 4:
                continue
            return None
    if colon <= 0:
        return None
    rest = line[colon + 1 :]
    stripped_rest = rest.lstrip("*_")  # "**Name:** text" closes its markup after the colon
    # no space after the colon ("HON. N. GEORGE:But ..."): only a label strong by its shape,
    # before a capital (never "http://", "10:30")
    joined = bool(stripped_rest) and not stripped_rest[0].isspace()
    if joined and not (stripped_rest[0].isupper() and not line[colon - 1].isdigit()):
        return None
    label = line[:colon]
    if label.endswith(".") and not label.endswith(".."):
        word = label[:-1].split()[-1] if label[:-1].split() else ""
        if len(word) > 4 and word.isalpha():
            label = label[:-1]  # "HON. SPEAKER.:": the full stop is no part of the label
    clean = _clean(label)
    who = _ADDRESSEE.match(clean) if clean and depth_round == 0 else None
    to = False
    if who and (addressed or " behalf " in clean[who.end("who"):]) and label_shape_ok(who.group("who")):
        label = clean = who.group("who")
        to = addressed
    asked = _ASKED.match(clean) if clean and depth_round == 0 and " asked " in clean else None
    if asked and strong_by_shape(asked.group("who")):
        label = clean = asked.group("who")  # "HON. A.B. SMITH asked the Government, upon notice:"
        to = True
    if not clean or depth_round != 0 or not label_shape_ok(clean):
        return None
    if joined and not strong_by_shape(clean):
        return None
    body = colon + 1 + (len(rest) - len(stripped_rest))
    while body < len(line) and line[body].isspace():
        body += 1
    # a bare office in capitals ("SPEAKER:", "CHAIR:", "CLERK:") is a turn even if seen once
    strong = len(clean.split()) == 1 and clean.isupper() and office_phrase(clean) is not None
    return LabelMatch(label.strip().strip("*_").strip(), body, None, strong, to)


#: "Tom Pravda  0:15", "Speaker 1\t1:02:11": a whole line of name and time, the words below;
#: one space will do before a time in brackets ("Maria Lopez (00:00:12)") or after a name in
#: bold ("**Maria Lopez** 00:00:12", as Markdown exports print it).
#: (the blanks before the time are bounded: each of the label's 80 lengths reads them again)
_HEADER_LINE = re.compile(
    rf"^(?P<label>[^\s:][^\t:]{{0,79}}?)(?:(?:\t|\s{{2,100}})[\[(]?(?P<time>{_CLOCK})[\])]?"
    rf"|[ \t]{{1,100}}[\[(](?P<bracketed>{_CLOCK})[\])]|(?<=\*\*)[ \t]{{1,100}}[\[(]?(?P<bolded>{_CLOCK})[\])]?"
    rf"|[ \t]{{1,100}}[-–—][ \t]+(?P<dashed>{_CLOCK}))\s*$"
)
#: "[00:00:12] Maria Lopez" on a line of its own, the words below: the time first; as
#: meeting tools' Word and text exports print it (tl;dv, Google Meet), "@0:25 - Maria Lopez"
#: or "@0:25 - Maria Lopez (maria@example.org)" (a dash only after the "@": "10:30 - Opening
#: Remarks" is a line of an agenda).
#: (one start, and the blanks either side of the dash are read a bounded number of times: linear)
_TIME_FIRST_HEADER = re.compile(
    rf"^(?P<at>@?)[\[(]?(?P<time>{_CLOCK})[\])]?(?P<dash>[ \t]+[-–—])?[ \t]+(?P<label>[^\s\-–—][^\n]{{0,79}})$"
)
#: An e-mail address in brackets closing a header line's name: who the speaker is, not the name.
_EMAIL_AFTER_NAME = re.compile(r"[ \t]*[(<\[][^\s()<>\[\]@]{1,64}@[^\s()<>\[\]@]{1,200}[)>\]]$")
#: "[Maria Lopez] 18:02:11": the name in square brackets, a time (Zoom's saved captions).
_BRACKETED_HEADER_LINE = re.compile(rf"^\[(?P<label>[^\]\[:]{{1,80}})\][ \t]+(?P<time>{_CLOCK})\s*$")
#: Diarisation tools' numbered speakers: "SPEAKER_00", "spk_1", "Speaker-2".
DIARISED = re.compile(r"(?i)^(?:speaker|spk|spkr)[ _-]?\d{1,3}$")


def _header_label(line: str) -> LabelMatch | None:
    first = _TIME_FIRST_HEADER.match(line.strip())
    if first and (first.group("at") or not first.group("dash")):  # "10:30 - Opening Remarks": an agenda's line
        name = _EMAIL_AFTER_NAME.sub("", first.group("label")).strip()
        if name and name_line(name) is not None:
            return LabelMatch(name, len(line), parse_timestamp(first.group("time")), header=True)
    m = _HEADER_LINE.match(line) or _BRACKETED_HEADER_LINE.match(line)
    if not m:
        return None
    clean = _clean(m.group("label"))
    if not clean or not (label_shape_ok(clean) or DIARISED.match(clean)):
        return None
    time = next(t for t in (m.groupdict().get(g) for g in ("time", "bracketed", "bolded", "dashed")) if t)
    return LabelMatch(m.group("label").strip().strip("*_").strip(), len(line), parse_timestamp(time), header=True)


_STOP_LABEL = re.compile(
    r"^(?P<label>"
    r"The\s+(?:[A-Z][A-Za-z-]*\s+){0,6}?[A-Z][A-Za-z-]+(?:\s+(?:pro\s+tempore|of|OF|the|THE|and|AND|[A-Z][A-Za-z-]+)){0,8}"
    r"(?:\s+\([^()]{1,80}\))?"
    r"|(?:[A-Z][a-z]{1,12}\.?\s+){1,2}(?:Ma?c|O')?[A-Z][A-Za-z'’-]+(?:\s+(?:[A-Z][A-Za-z'’-]+|de|van|von|del|la|le|da|di|du)){0,3}"
    r"(?:\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})?"
    r")\.(?:\s+|$)(?=[A-Z0-9\"“'‘(\[]|$)"
)


def _stop_label(line: str) -> LabelMatch | None:
    m = _STOP_LABEL.match(line)
    if not m:
        return None
    label = m.group("label")
    head = split_brackets(label)[0]
    words = head.split()
    if words[0] == "The":
        if office_phrase(head) is None:
            return None
        strong = any(_caps(w) for w in words[1:])
    else:
        titles = [w for w in words if _is_title(w)]
        if not titles or not _is_title(words[0]):
            return None
        name_words = [w for w in words[len(titles):] if w not in ("of",)]
        if "of" in words:
            name_words = words[len(titles) : words.index("of")]
        if not name_words:
            return None
        strong = all(_caps(w) or w.islower() for w in name_words)
        sp = parse_speaker_label(label)
        if sp.kind != "person":
            return None
    return LabelMatch(label, m.end(), None, strong)


#: "Name (Group). – text": the label, then a full stop and a dash (en, em, or a hyphen as a
#: plain-text copy has it) before the words.
_DASH_LABEL = re.compile(r"^(?P<label>[^:.–—\n]{1,200}?)\.[ \t]*[–—-][ \t]+(?=\S)")


def _dash_label(line: str) -> LabelMatch | None:
    m = _DASH_LABEL.match(line)
    if not m:
        return None
    label = m.group("label").strip()
    clean = _clean(label)
    head, _groups = split_brackets(clean)
    if not head or head.count("(") != head.count(")") or is_non_speaker_label(head) or is_minutes_line(head):
        return None
    if is_text_heading(head):
        return None  # "Part II.- Imposition of Tax.": a part of a bill in committee
    parts = [part.strip() for part in (split_top_level(head) or [head])]
    first = parts[0]
    if not (office_phrase(first) is not None or is_name_like(first)) or not first[:1].isupper():
        return None
    if len(parts) > 3 or any(not part or len(part.split()) > 12 for part in parts[1:]):
        return None
    if len(first.split()) > 6:
        return None
    # "President. – ": an office before a full stop and a dash is a turn even if seen once
    # (an excerpt may hold one of the chair's turns)
    return LabelMatch(label, m.end(), None, office_phrase(first) is not None)


#: A full stop and a dash closing a label ("HON. SPEAKER.- ", "Mr. SMITH.— "): a hyphen
#: (perhaps doubled), an en or em dash, then a blank, the end, or the words' first capital.
_STOP_DASH = re.compile(r"\.[ \t]{0,3}(?:--?|[–—])(?=[ \t]|$|[A-Z\"“'‘(\[])")


def _stop_dash_label(line: str) -> LabelMatch | None:
    """A label closed by a full stop and a dash (the module docstring), strong by its
    shape; a bracket printed after the dash and closed by another ("HON. R.S. AKBAR.-
    (Minister for Education, Heritage and Arts).- text") is the label's."""
    depth = 0
    limit = min(len(line), MAX_LABEL_CHARS)
    dash = None
    for i in range(limit):
        ch = line[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and ch in ":?!;\"“”":
            return None
        elif depth == 0 and ch == ".":
            dash = _STOP_DASH.match(line, i)
            if dash:
                break
            # a full stop inside a label only after an abbreviation or an initial ("HON.", "F.S.")
            j = i
            while j > 0 and line[j - 1].isalpha():
                j -= 1
            if not 0 < i - j <= 4:
                return None
    if dash is None or depth != 0:
        return None
    label = line[: dash.start()].strip()
    body = dash.end()
    while body < len(line) and line[body] in " \t":
        body += 1
    if line[body : body + 1] == "(":
        close = line.find(")", body, body + MAX_LABEL_CHARS)
        again = _STOP_DASH.match(line, close + 1) if close > 0 and "(" not in line[body + 1 : close] else None
        if again:
            label = f"{label} {line[body : close + 1]}"
            body = again.end()
            while body < len(line) and line[body] in " \t":
                body += 1
    if not strong_by_shape(_clean(label)):
        return None
    return LabelMatch(label, body, None, True)


def name_line(line: str) -> LabelMatch | None:
    """A line that is only a speaker's name or office ("The Convener", "Jamie Greene",
    "Chief Inspector Wendy Sinclair-Gieben"): a person of two or more names, an office, or
    a diarised speaker ("Speaker 2"); never a line with sentence punctuation or figures."""
    clean = _clean(line)
    if not clean or len(clean) > 140 or clean[-1] in ".,;:?!" or not clean[0].isupper():
        return None
    head = split_brackets(split_dash_parts(clean)[0])[0]
    office = office_phrase(head) is not None
    # a name is short; an office with its holder in brackets may run long ("The Parliamentary
    # Under-Secretary of State for Justice (Mike Freer)")
    if len(clean) > 80 and not ("(" in clean and office):
        return None
    if len(head.split()) > (14 if office else 7):
        return None
    if not DIARISED.match(clean):
        if any(ch.isdigit() for ch in clean) or not label_shape_ok(clean):
            return None
        sp = parse_speaker_label(clean)
        if not (sp.kind == "office" or (sp.kind == "person" and len(sp.name.split()) >= 2)):
            return None
    return LabelMatch(line.strip(), len(line))

