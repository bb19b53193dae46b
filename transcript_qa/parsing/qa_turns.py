"""Court, deposition and hearing transcripts in the question-and-answer convention.

Common-law trial, deposition and inquiry transcripts print the examination as lines
opening with ``Q.`` (the examining lawyer) and ``A.`` (the witness), with neither
named on the line::

    JOHN SMITH, having been first duly sworn, testified as follows:
    EXAMINATION BY MR. BROWN:
    Q. Where are you employed?
    A. At the county probation office.
    MS. GREEN: Objection, form.
    Q. How many officers do you supervise?

Rules (all general; nothing here knows a court or a name):

* **The switch.** A document is read this way only when it really uses the
  convention: at least three ``Q`` lines and three ``A`` lines, and either a court
  cue (an examination header, a swearing-in line, ``THE WITNESS:``/``THE COURT:``)
  or ten ``Q`` lines. ``Q.``, ``Q:`` and a bare ``Q`` followed by spaces and a
  capital all count; ``Q1 Chair:`` (a committee's question number) and a stray "A."
  in prose do not.
* **Margins.** Line numbers in the left margin ("12   Q. Where ...") are ignored
  when most lines carry one; lines that are only a number or "Page 12" are dropped.
* **The examiner.** ``Q`` turns belong to the examiner named by the latest
  examination header: "EXAMINATION BY MR. X:", "CROSS-EXAMINATION BY ...", "BY MR.
  X:", "Questioned by X", or "(By Mr. X)" at the start of a question. A header with
  no name ("DIRECT EXAMINATION", "Questions from Counsel to the Inquiry") starts an
  examination whose examiner is the named speaker of the labelled turn an answer
  first follows ("MS BLACKWELL: Is your full name ...?" / "A. Yes."). Headers are
  never speakers: they are kept as ``metadata`` passages and name the section.
* **The witness.** ``A`` turns and ``THE WITNESS:`` turns belong to the witness named
  by the latest "X, having been first duly sworn", "X (sworn)", "X, called as a
  witness", "DEPOSITION OF X", "WITNESS: X", "(The witness, X, ...)", "... call(s)
  X" line; unnamed, the speaker is "the witness". A new witness starts a new
  examination.
* **Interruptions.** A labelled turn ("MS. GREEN:", "THE COURT:") interrupts; the
  next ``Q``/``A`` resumes the examination.
* **Testimony.** A line that carries on the words above it (it opens in lower case, or the
  line above stops mid-sentence) is words of the turn, never a header or a witness's name;
  a name in capitals closing a turn, above "called as a witness ..." or "having been duly
  sworn", names the witness. After the first turn, lines no label claims are a passage of
  no speaker, never metadata.
* **Roles.** Examiner turns carry the role "Counsel", witness turns "Witness".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..labels import parse_speaker_label
from ..model import Document, Passage, Speaker
from .common import (
    ParseResult,
    ends_sentence,
    find_date,
    heading_name,
    iter_lines,
    join_lines,
    new_passage,
    starts_lower,
    strip_markup,
)
from .labels_text import find_label
from .running_lines import blank_running_lines

#: "Q." / "A." / "Q:" / bare "Q" + spaces: the mark, then the turn's text
_MARK = re.compile(r"^[ \t]*(?P<mark>[QA])(?:(?P<punct>[.:])[ \t]*|[ \t]+)(?=\S)")
_MARGIN = re.compile(r"^([ \t]*)(\d{1,3})(?=[ \t]|$)")
_FURNITURE = re.compile(r"^\s*(?:page\s+)?\d{1,5}\s*$", re.I)
_TITLES = r"(?:mr|ms|mrs|miss|mx|dr|prof|professor|sir|dame|lord|lady|judge|justice|senator)"
_WHO = rf"(?P<who>{_TITLES}\.?\s*[A-Za-z][\w'’.\- ]{{0,60}}?|[A-Z][A-Z'’.\- ]{{1,60}}?)"
_EXAM = re.compile(
    rf"^\s*(?:(?P<kind>[\w\- ]{{0,40}}?examination(?:\s*\([\w .]+\))?(?:\s+of\s+[\w .'’-]+?)?)\s*"
    rf"(?:(?:by|from)\s+{_WHO})?|(?:questioned|examined|questions)\s+(?:by|from)\s+(?P<who2>[\w'’.\- ]{{2,60}}?)"
    rf"|\(?by\s+{_WHO.replace('who', 'who3')}\)?)\s*(?:[:.)]\s*)?$",
    re.I,
)
_INLINE_BY = re.compile(rf"^\(\s*by\s+(?P<who>{_TITLES}\.?\s*[A-Za-z][\w'’.\- ]{{0,40}}?)\s*\)[:.]?\s*", re.I)
#: a name as a swearing-in line prints it: capitalised words, whatever the pattern's flags
#: ("LE ZHOU, called as a witness", never "to live, was one child" inside an answer)
_NAME = r"(?P<name>(?-i:[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,5}))"
_WITNESS = (
    re.compile(rf"^\s*{_NAME}\s*(?:,\s*)?\((?:duly\s+)?(?:sworn|affirmed|resworn|recalled)[^)]*\)\.?\s*$", re.I),
    re.compile(rf"^\s*{_NAME}\s*,\s*(?:having\s+been|being|was|called|who\s+was|after\s+having)\b", re.I),
    re.compile(rf"^\s*(?:(?:video(?:taped)?|oral|continued)\s+)*(?:deposition|testimony|evidence)\s+of\s+{_NAME}\s*(?:[,:]\s*)?$",
               re.I),
    re.compile(rf"^\s*witness\s*:\s*{_NAME}\s*$", re.I),
)
_WITNESS_INLINE = (
    re.compile(r"\b(?i:the\s+witness),\s+(?P<name>[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){1,4}),"),
    re.compile(r"\bcalls?\s+(?:as\s+(?:its|their|our|the)\s+(?:next|first)\s+witness\s+)?"
               r"(?P<name>(?:(?:Mr|Ms|Mrs|Dr|Miss)\.?\s+)?[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){1,3})"),
)
_SWORN_NEXT = re.compile(r"^\s*(?:having\s+been|being\s+(?:first\s+)?duly|was\s+(?:duly\s+)?sworn|called\s+as\s+a\s+witness)",
                         re.I)
_COURT_LABEL = re.compile(r"^\s*(?:THE\s+(?:WITNESS|COURT|DEPONENT|REPORTER|CLERK|VIDEOGRAPHER))\s*:", re.I)
_PAREN = re.compile(r"^\s*\(.*\)\.?\s*$")


def _marks(line: str) -> tuple[str, bool] | None:
    """("Q"|"A", punctuated) for a line that opens with a Q/A mark."""
    m = _MARK.match(line)
    if not m:
        return None
    rest = line[m.end():]
    if not m.group("punct") and not (rest[:1].isupper() or rest[:1].isdigit() or rest[:1] in "\"'(“‘"):
        return None  # "A good deal of ..." is prose; a bare mark is followed by a capital
    return m.group("mark"), bool(m.group("punct"))


def _margin_numbered(lines: list[str]) -> bool:
    body = [x for x in lines if x.strip()]
    numbered = sum(1 for x in body if _MARGIN.match(x))
    return len(body) >= 5 and numbered >= 0.4 * len(body)


def clean_margins(text: str) -> str:
    """``text`` with left-margin line numbers blanked (same length, offsets kept) when
    most lines carry one; otherwise ``text`` unchanged."""
    lines = text.split("\n")
    if not _margin_numbered(lines):
        return text
    out = []
    for line in lines:
        m = _MARGIN.match(line)
        out.append(line if not m else m.group(1) + " " * len(m.group(2)) + line[m.end():])
    return "\n".join(out)


def _continues(turn: _Open | None, line: str, blank: bool) -> bool:
    """Does ``line`` carry on the words of the open turn: it opens in lower case, or no blank
    line parts it from a line cut mid-sentence? Such a line is testimony, never a header, a
    swearing-in line or a note, whatever its words ("to live, was one child, ...")."""
    if turn is None or turn.kind == "meta":
        return False
    last = turn.paragraphs[-1][-1] if turn.paragraphs and turn.paragraphs[-1] else ""
    return starts_lower(line) or (not blank and bool(last) and not ends_sentence(last))


def _name_above(turn: _Open) -> bool:
    """Is the open turn's last line a name alone in capitals ("LE ZHOU,"), printed above the
    line that swears the witness in?"""
    if not turn.lines:
        return False
    name = turn.lines[-1][0].rstrip(" ,")
    words = name.split()
    return 1 <= len(words) <= 6 and name.isupper() and _witness_named(name + " (sworn)") is not None


def _exam_header(line: str) -> tuple[bool, str | None] | None:
    """(True, examiner or None) for an examination header line."""
    s = strip_markup(line).strip()
    if not s or len(s) > 90 or _marks(s) or not (s[0].isupper() or s[0] == "("):
        return None  # a header opens with a capital: "during the cross-examination." is testimony
    m = _EXAM.match(s)
    if not m:
        return None
    who = m.group("who") or m.group("who2") or m.group("who3")
    if m.group("kind") is None and m.group("who2") is None and m.group("who3") is None:
        return None
    if m.group("who3") and not (re.match(_TITLES + r"\b", who, re.I) or who.isupper()):
        return None  # "By the time we got there" is testimony; "BY MS. MURRAY:" names the examiner
    if who and not (re.match(_TITLES + r"\b", who, re.I) or who.isupper()):
        who = None  # "Questions from Counsel to the Inquiry": an examination, examiner unnamed
    return True, who.strip(" .:") if who else None


def _witness_named(line: str) -> str | None:
    s = strip_markup(line).strip().strip("*_")
    for rx in _WITNESS:
        m = rx.match(s)
        if m:
            return m.group("name").strip(" ,.")
    return None


def _witness_inline(line: str) -> str | None:
    for rx in _WITNESS_INLINE:
        m = rx.search(line)
        if m:
            return m.group("name").strip(" ,.")
    return None


def uses_qa(text: str) -> bool:
    """Does this document print its examinations as Q/A lines (see the module docstring)?"""
    sample = clean_margins(text[:400_000])
    q = {True: 0, False: 0}
    a = {True: 0, False: 0}
    cue = False
    for line in sample.split("\n"):
        mk = _marks(line)
        if mk:
            (q if mk[0] == "Q" else a)[mk[1]] += 1
            continue
        if not cue and line.strip():
            cue = bool(_exam_header(line) or _witness_named(line) or _COURT_LABEL.match(line))
    styled = any(q[p] >= 3 and a[p] >= 3 for p in (True, False))
    return styled and (cue or q[True] + q[False] >= 10)


@dataclass
class _Open:
    kind: str  # "Q", "A", "label", "meta"
    start: int
    end: int
    paragraphs: list[list[str]]
    speaker: Speaker | None = None
    label: str | None = None
    section: str | None = None
    lines: list[tuple[str, int, int]] = field(default_factory=list)  # continuation lines: text, start, end

    def __post_init__(self) -> None:
        self.head_end = self.end  # where the turn's first line ends

    def text(self) -> str:
        return "\n\n".join(join_lines(p) for p in self.paragraphs if any(x.strip() for x in p)).strip()


@dataclass
class _State:
    examiner: Speaker | None = None
    witness: Speaker | None = None
    examiner_pending: bool = True  # infer the examiner from the turn an answer follows
    section: str | None = None
    last_label: Speaker | None = None
    passages: list[Passage] = field(default_factory=list)


def _person(label: str, role: str) -> Speaker:
    sp = parse_speaker_label(label)
    return Speaker(name=sp.name, role=role, honours=sp.honours, raw=sp.raw, kind="person")


def _title_case(name: str) -> str:
    return name.title() if name.isupper() else name


def parse_qa_transcript(text: str, doc: Document) -> ParseResult:
    """Cut a Q/A transcript into turns (see the module docstring)."""
    clean = clean_margins(blank_running_lines(text))  # a page's running header, even mid-sentence
    st = _State()
    turn: _Open | None = None
    title_lines: list[str] = []
    blank = False

    def add(**kw: object) -> None:
        st.passages.append(new_passage(doc, len(st.passages), **kw))  # type: ignore[arg-type]

    def flush() -> None:
        nonlocal turn
        if turn is None:
            return
        body = turn.text()
        if turn.kind == "meta" or not body and turn.kind == "label":
            if body:
                add(text=body, start=turn.start, end=turn.end, section=turn.section, boilerplate="metadata")
        else:
            sp = turn.speaker
            add(text=body, start=turn.start, end=turn.end, section=turn.section,
                speaker=sp.name if sp and sp.name else None, role=sp.role if sp else None,
                organisation=sp.organisation if sp else None, speaker_label=turn.label)
        turn = None

    def meta(line_text: str, start: int, end: int) -> None:
        nonlocal turn
        flush()
        turn = _Open("meta", start, end, [[line_text]], section=st.section)
        flush()

    def set_witness(name: str) -> None:
        st.witness = _person(_title_case(name), "Witness")
        st.examiner, st.examiner_pending = None, True

    for line in iter_lines(clean):
        raw = line.text
        s = raw.strip()
        start = line.start + (len(raw) - len(raw.lstrip()))
        end = line.start + len(raw)
        if not s:
            blank = True
            continue
        if _FURNITURE.match(s):
            continue  # a page number
        mk = _marks(raw)
        if mk is None and turn is not None and _SWORN_NEXT.match(s) and _name_above(turn):
            # "MS. MURRAY: Thank you, your Honor." / "LE ZHOU," / "called as a witness ...":
            # the name closing the turn above introduces the witness, and is no words of it
            name, name_start, name_end = turn.lines.pop()
            turn.paragraphs[-1].pop()
            turn.end = turn.lines[-1][2] if turn.lines else turn.head_end
            if not turn.paragraphs[-1]:
                turn.paragraphs.pop()
            if not turn.paragraphs:
                turn = None
            set_witness(name.rstrip(" ,"))
            meta(name, name_start, name_end)
            meta(s, start, end)
            continue
        if mk is None:
            # a line carrying on the words above is testimony: never a header or a witness's name
            structural = not _continues(turn, s, blank)
            exam = _exam_header(s) if structural else None
            if exam is not None:
                flush()
                who = exam[1]
                if who:
                    st.examiner, st.examiner_pending = _person(who, "Counsel"), False
                else:
                    st.examiner, st.examiner_pending = None, True
                st.section = heading_name(s)
                meta(s, start, end)
                blank = False
                continue
            named = _witness_named(s) if structural else None
            if named is not None:
                set_witness(named)
                st.section = heading_name(s)
                meta(s, start, end)
                blank = False
                continue
            if _SWORN_NEXT.match(s) and st.passages and st.passages[-1].boilerplate == "metadata" and turn is None:
                prev = st.passages[-1].text.strip().rstrip(",")
                if 1 <= len(prev.split()) <= 6:
                    set_witness(prev)
                meta(s, start, end)
                continue
            if _PAREN.match(s):
                inline = _witness_inline(s)
                if inline:
                    set_witness(inline)
                meta(s, start, end)
                blank = False
                continue
        if mk is not None:
            flush()
            m = _MARK.match(raw)
            assert m is not None
            body = raw[m.end():]
            if mk[0] == "Q":
                by = _INLINE_BY.match(body)
                if by:
                    st.examiner, st.examiner_pending = _person(by.group("who"), "Counsel"), False
                    body = body[by.end():]
                sp = st.examiner
                label = "Q." if sp is None else f"Q. ({sp.raw})"
            else:
                if st.examiner is None and st.examiner_pending and st.last_label is not None:
                    st.examiner = replace_role(st.last_label, "Counsel")
                    st.examiner_pending = False
                sp = st.witness or Speaker(name="the witness", role="Witness", raw="THE WITNESS")
                label = f"THE WITNESS ({sp.name})" if st.witness else "THE WITNESS"
            turn = _Open(mk[0], start, end, [[body]], speaker=sp, label=label, section=st.section)
            blank = False
            continue
        found = find_label(s)
        if found is not None and (_COURT_LABEL.match(s) or found.label.replace("**", "").strip().isupper()
                                  or found.strong):
            flush()
            sp = parse_speaker_label(found.label)
            label = found.label
            if sp.kind == "office" and sp.name.casefold() in ("the witness", "the deponent"):
                sp = st.witness or Speaker(name="the witness", role="Witness", raw="THE WITNESS")
                label = f"THE WITNESS ({sp.name})" if st.witness else "THE WITNESS"
            elif sp.kind == "person":
                st.last_label = sp
            inline = _witness_inline(s[found.body_offset:])
            if inline and sp.kind != "person" or inline and "witness" in s.casefold():
                set_witness(inline)
            turn = _Open("label", start, end, [[s[found.body_offset:]]], speaker=sp, label=label,
                         section=st.section)
            blank = False
            continue
        if turn is None or turn.kind == "meta":
            if any(p.speaker_label for p in st.passages):
                # after the first turn, words no label claims are a passage of no speaker,
                # indexed: never metadata
                flush()
                turn = _Open("none", start, end, [[s]], section=st.section, lines=[(s, start, end)])
                blank = False
                continue
            if turn is None:
                title_lines.append(s)
            meta(s, start, end)
            blank = False
            continue
        if blank:
            turn.paragraphs.append([s])
        else:
            turn.paragraphs[-1].append(s)
        turn.lines.append((s, start, end))
        turn.end = end
        blank = False
    flush()
    title = " – ".join(title_lines[:2]) if title_lines else None
    date = find_date(" ".join(title_lines)) if title_lines else None
    return ParseResult(tuple(st.passages), (), title=title, date=date, resolved=False)


def replace_role(sp: Speaker, role: str) -> Speaker:
    return Speaker(name=sp.name, role=role, organisation=sp.organisation, honours=sp.honours, raw=sp.raw,
                   party=sp.party, constituency=sp.constituency, kind=sp.kind, printed=sp.printed)
