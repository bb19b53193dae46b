"""Plain-text meeting transcripts.

Rules (general; see ``labels_text.py`` for the label shapes and ``labels.py`` for
what a label says):

* A paragraph is a run of non-blank lines; in text laid out with first-line indents
  (the Congressional Record), each indented line starts a paragraph.
* A turn starts with a speaker label. A weak label (one word, a number, a mixed-case
  full-stop label) counts only when it occurs at least twice in the file; a label
  with a bracket, honours, two or more name words, an office or an upper-case name
  counts at once.
* A line inside a paragraph that opens with a label the document uses for turns elsewhere,
  or one strong by its shape (a bracket, honours, an office), starts a turn there.
  "Unidentified speaker:" (nobody in particular) and the record's own lines ("Question
  agreed to.", :func:`common.is_record_line`) are passages with no speaker.
* Paragraphs without a label belong to the current speaker's turn. A paragraph cut by
  a page break (the next one starts in lower case, or the previous one ends
  mid-sentence) is joined back with a space; other paragraphs of a turn are
  separated by a blank line. ``[editorial insertions]`` stay in the text.
* **Headings** between turns (one short line in title or upper case without final
  punctuation, followed by a turn or another heading: "Decision Time", "Flood
  Defences: Rural Communities", "ORAL ARGUMENT OF ... ON BEHALF OF THE RESPONDENTS"; one
  word, "Energy", before a turn with a formal label, not a reply such as "Agreed")
  start a section: they are never part of a turn or a speaker, and every passage
  carries the section it falls under. They are kept as ``metadata`` passages.
* Lines with no letter or digit (``____``) separate, and are dropped.
* Blocks before the first turn are document metadata (title lines), tagged
  ``boilerplate="metadata"``.
* A file with no label at all is read as speakerless paragraphs (never metadata),
  with a warning.

Who a label means (offices, short names, inherited roles) is resolved per document
by ``identities.py``.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..attendance import listed_lines
from ..label_words import NOT_NAME_STARTS
from ..labels import (
    is_minutes_line,
    is_non_speaker_label,
    is_time_stamp,
    is_unknown_label,
    office_phrase,
    office_title,
    split_brackets,
    split_dash_parts,
)
from ..model import Document, Passage, Speaker
from ..speakers import parse_speaker_label
from .common import (
    Block,
    ParseResult,
    agenda_item,
    ends_sentence,
    find_date,
    heading_name,
    is_heading_text,
    is_record_line,
    join_lines,
    new_passage,
    parse_timestamp,
    starts_lower,
    strip_markup,
)
from .labels_text import (  # noqa: F401  (re-exported)
    _LEAD_MARK,
    CLOCK_LINE,
    DIARISED,
    MAX_LABEL_CHARS,
    LabelMatch,
    find_label,
    name_line,
)
from .paragraphs import _line_label_key, _make_block, _norm_prefix, split_paragraphs  # noqa: F401 (re-exported)
from .running_lines import blank_running_lines


def _shaped_strong(m: LabelMatch, sp: Speaker) -> bool:
    """Strong by what the label holds (a bracket, honours, a group, an office of two words
    or more, an office printed before the name as a title: "City Manager Iglesias"; upper
    case as :func:`find_label` judges it), whatever its name's length."""
    if m.strong or sp.honours or sp.kind == "group":
        return True
    head, groups = split_brackets(strip_markup(m.label).replace("**", "").replace("[", "").replace("]", ""))
    return (bool(groups) or (office_phrase(head) is not None and len(head.split()) >= 2)
            or (sp.role is not None and office_title(head) is not None))


#: Header lines (a name and a time alone on a line, words below) that make a document's layout.
MIN_HEADER_LINES = 3


def _strong_label(m: LabelMatch, sp: Speaker) -> bool:
    """A label that is a turn even if seen once: strong by its shape, a name of two words or
    more, a diarised speaker ("SPEAKER_03") or nobody in particular ("UNKNOWN", "Unidentified
    Speaker": never the words of the speaker before)."""
    if _shaped_strong(m, sp):
        return True
    clean = strip_markup(m.label).replace("**", "").strip("*_ ")
    if DIARISED.match(clean) or (sp.kind == "unknown" and is_unknown_label(clean)):
        return True
    words = sp.name.split()
    if any(w.isdigit() for w in words):
        return False
    return len(words) >= 2


def _heading_with_colon(block: Block, m: LabelMatch) -> bool:
    """A one-line heading with a colon inside: a short title-case tail without final
    punctuation ("Flood Defences: Rural Communities")."""
    if len(block.lines) != 1 or not is_transcript_heading(block):
        return False
    body = block.first_line[m.body_offset :].strip()
    return bool(body) and len(body.split()) <= 10


_PREFIX = re.compile(r"^[*_]*(?P<label>[^\s:*_][^:\n]{0,40}?)[*_]*:[*_]*(?:\s+|$)")


def _colon_prefix(block: Block) -> str | None:
    """The text before a colon that opens a paragraph (markup dropped), if short."""
    m = _PREFIX.match(block.first_line)
    if not m or "://" in m.group(0):
        return None
    return m.group("label").strip()


def _prefix_end(block: Block) -> int:
    m = _PREFIX.match(block.first_line)
    return m.end() if m else 0


def _could_be_label(prefix: str) -> bool:
    """Short, and not prose that happens to end in a colon ("By Mr. WELLSTONE:" introduces
    a bill; "The amendment is as follows:" introduces its text)."""
    words = prefix.split()
    first = words[0].casefold().strip(".,") if words else ""
    return 0 < len(words) <= 3 and first not in NOT_NAME_STARTS and first not in ("the", "a", "an")


_TITLE_SMALL = frozenset("a an and as at but by for from in into of on or the to v vs with".split())


def _title_or_upper(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)]
    if len(words) < 2 and not (words and words[0].isupper() and len(words[0]) > 3):
        return False
    letters = "".join(words)
    if letters.isupper():
        return True
    big = [w for w in words if w.casefold() not in _TITLE_SMALL]
    return bool(big) and all(w[0].isupper() for w in big)


def is_transcript_heading(block: Block) -> bool:
    """One short line in title or upper case, without final punctuation (not even an
    interrupting dash: "If Police Officer Wright --" is speech)."""
    if len(block.lines) != 1:
        return False
    line = block.lines[0].text.strip()
    if len(line) > 120 or len(line.split()) > 16:
        return False
    if not (line[-1].isalnum() or line[-1] in ")]*_"):
        return False
    if not is_heading_text(line, max_chars=120, max_words=16) or line.rstrip().endswith(":"):
        return False
    return _title_or_upper(strip_markup(line))
@dataclass
class _Turn:
    label: str
    start: int
    end: int
    parts: list[str]
    joins: list[str]  # separator before each part after the first
    time: float | None = None
    section: str | None = None
    nobody: str | None = None  # a turn with no speaker: "" (minutes) or the unreadable label

    def text(self) -> str:
        out: list[str] = []
        for i, part in enumerate(self.parts):
            if i and part:
                out.append(self.joins[i] if out else "")
            if part:
                out.append(part)
        return "".join(out).strip()


def block_body(block: Block, skip: int = 0) -> str:
    """The cleaned text of a block, dropping its first ``skip`` characters: of
    its first line, and beyond it of the next (a label wrapped over two lines,
    :func:`block_label`, counts the line break as one space)."""
    lines = [line.text for line in block.lines]
    lines[0] = block.first_line
    if skip > len(lines[0]) and len(lines) > 1:
        rest = lines[1].lstrip()
        lines = [rest[skip - len(lines[0]) - 1 :]] + lines[2:]
    else:
        lines[0] = lines[0][skip:]
    return join_lines([strip_markup(x) for x in lines])


def block_label(block: Block) -> LabelMatch | None:
    """The speaker label a block opens with; a label whose bracket wraps onto
    the second line ("Jane Doe (Director of Housing and\nCommunities): Thank you",
    as a printed page breaks it) is read across the two lines."""
    line = block.first_line
    m = find_label(line)
    if m is None and len(block.lines) > 1 and line.count("(") > line.count(")"):
        joined = find_label(line + " " + block.lines[1].text.strip())
        if joined is not None and joined.body_offset > len(line):
            return joined
    return m


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")


def name_line_labels(blocks: list[Block], taken: frozenset[int] = frozenset()) -> dict[int, LabelMatch]:
    """Blocks that open with a name line (:func:`name_line`), for a document printed
    that way: each speaker's name alone on a line, the words below it or in the
    paragraphs after it. Decided for the whole document, as a heading ("Key Findings")
    reads like a name: name lines open at least four paragraphs and a sixth of them, at
    least two names recur, each is followed by words (by a sentence, or eight words or
    more, if the name is seen once), and they outnumber the paragraphs another label
    opens (``taken``, never read again). Empty otherwise."""
    read = functools.cache(name_line)  # names recur: each line read once a document
    parse = functools.cache(parse_speaker_label)

    def opening(block: Block) -> LabelMatch | None:
        first = block.first_line
        m = read(first)
        if m is not None and len(block.lines) > 2:
            below = CLOCK_LINE.match(block.lines[1].text.strip())
            if below:  # the name, then its time on a line of its own ("Maria Lopez" / "00:00:10" / the words)
                return LabelMatch(m.label, len(first) + 1 + len(block.lines[1].text),
                                  parse_timestamp(below.group(1)))
        clock = CLOCK_LINE.match(first.strip()) if m is None and len(block.lines) > 2 else None
        if clock is None:
            return m
        # a time on its own line above the name ("00:00:03" / "Maria Lopez" / the words)
        second = block.lines[1].text.strip()
        named = read(second)
        if named is None:
            return None
        return LabelMatch(named.label, len(first) + 1 + len(second), parse_timestamp(clock.group(1)))

    candidates = [None if i in taken else opening(b) for i, b in enumerate(blocks)]
    if not any(candidates):
        return {}
    # A heading's words are the document's ordinary words ("key findings", "part one"), a
    # name's are not: a person whose every name is written in lower case elsewhere is a heading.
    lower = set(_LOWER_WORD.findall("\n".join(b.text for b in blocks)))
    found: dict[int, LabelMatch] = {}
    said: dict[int, bool] = {}
    for i, (block, m) in enumerate(zip(blocks, candidates)):
        if m is None:
            continue
        sp = parse(m.label)
        if sp.kind == "person" and all(w.casefold() in lower for w in sp.name.split()):
            continue
        if len(block.lines) > 1:
            words = block_body(block, skip=m.body_offset)
        elif i + 1 < len(blocks) and candidates[i + 1] is None:
            words = block_body(blocks[i + 1])
        else:
            continue
        found[i] = m
        said[i] = ends_sentence(words) or len(words.split()) >= 8
    if len(found) < max(4, len(blocks) / 6) or len(found) <= len(taken):
        return {}
    # the same person, however labelled ("Jane Smith (Barchester) (Lab)", then "Jane Smith")
    names = Counter(parse(m.label).name.casefold() for m in found.values())
    if sum(1 for count in names.values() if count >= 2) < 2:
        return {}
    # a name seen once must be followed by speech: a title over a subtitle ("Justice
    # Committee" over "Probation services") is not a turn
    return {i: m for i, m in found.items() if said[i] or names[parse(m.label).name.casefold()] >= 2}


#: One-word paragraphs of speech, not topics: replies, calls and what transcribers note.
_SAID_WORDS = frozenset(
    """yes yeah yep no nope okay ok right alright thanks sorry agreed indeed hear order aye ayes nay noes
    correct sure absolutely exactly well pardon hello hi goodbye bye please true fine good great excellent
    certainly definitely perhaps maybe never done noted understood shame disgraceful rubbish nonsense
    wrong withdraw laughter applause interjections interjection inaudible crosstalk silence pause""".split()
)


def _one_word_heading(blocks: list[Block], accepted: list[LabelMatch | None], headings: list[bool], i: int,
                      parse_label: Callable[[str], Speaker]) -> bool:
    """A topic of one word between turns ("Energy" under "QUESTIONS WITHOUT NOTICE"): one
    capitalised word of letters, not a word of speech ("Yes", "Order"), after a paragraph that
    ends a sentence (or a heading), before a turn whose label is strong by its shape (a
    formal record: a bracket, honours, an office) or another heading."""
    line = strip_markup(blocks[i].first_line).strip()
    if len(blocks[i].lines) != 1 or not line.isalpha() or len(line) < 3 or line.casefold() in _SAID_WORDS:
        return False
    if not (line.isupper() or (line[0].isupper() and line[1:].islower())):
        return False
    before = blocks[i - 1]
    if not (headings[i - 1] or ends_sentence(before.text)
            or (accepted[i - 1] is None and is_transcript_heading(before))):
        return False
    nxt = accepted[i + 1]
    return headings[i + 1] or (nxt is not None and _shaped_strong(nxt, parse_label(nxt.label)))


def _stage_direction(text: str) -> bool:
    """A paragraph that is not words of a speech: only a time ("2.40 pm", "*(11.30 am)*")
    or only a note in brackets ("(The short adjournment)", "[Laughter]", "*(The witness
    withdrew)*")."""
    bare = text.strip().strip("*_").strip()
    if is_time_stamp(bare):
        return True
    if len(bare) > 120 or bare[:1] not in "([" or bare[-1:] not in ")]" or "\n\n" in bare:
        return False
    inner = bare[1:-1]
    return not any(ch in inner for ch in "()[]")  # one bracket, the whole paragraph


def _accepted_labels(blocks: list[Block], parse_label: Callable[[str], Speaker]) -> list[LabelMatch | None]:
    """The label each block opens a turn with (None: no turn), by the strength rules."""
    matches: list[LabelMatch | None] = []
    counts: Counter[str] = Counter()
    for block in blocks:
        m = block_label(block)
        matches.append(m)
        if m:
            counts[parse_label(m.label).name] += 1
    # a document laid out in header lines ("Emma  2:20" above her words, as Otter exports): each
    # such line with words below it is a turn, a name heard once too (a timetable's rows have none)
    headed = [m is not None and m.header and len(block.lines) > 1 for block, m in zip(blocks, matches)]
    header_layout = sum(headed) >= MIN_HEADER_LINES
    accepted: list[LabelMatch | None] = []
    for block, m, head in zip(blocks, matches, headed):
        if m is None:
            accepted.append(None)
            continue
        sp = parse_label(m.label)
        if counts[sp.name] < 2 and _heading_with_colon(block, m):
            accepted.append(None)  # "Flood Defences: Rural Communities" is a heading, not a turn
        elif counts[sp.name] >= 2 or _strong_label(m, sp) or (head and header_layout):
            accepted.append(m)
        else:
            accepted.append(None)
    for i, m in name_line_labels(blocks, frozenset(i for i, m in enumerate(accepted) if m is not None)).items():
        accepted[i] = m
    return accepted


def _cut_at_labels(blocks: list[Block], accepted: list[LabelMatch | None],
                   parse_label: Callable[[str], Speaker]) -> list[Block]:
    """``blocks`` cut again where a line inside one opens with a label that starts turns
    elsewhere in the document ("... undertaken by the global community." / "Senator CHISHOLM:
    In your opening address ..."), or with a label strong by its own shape (a bracket,
    honours, an office): a new turn with no blank line before it. A weak label seen only
    inside a block (a one-word "Note:") cuts nothing."""
    known = {parse_label(m.label).name for m in accepted if m is not None}
    out: list[Block] = []
    for block in blocks:
        cuts = []
        for i in range(1, len(block.lines)):
            text = block.lines[i].text.strip()
            if _line_label_key(text) is None:
                continue
            m = find_label(text)
            if m is None:
                continue
            sp = parse_label(m.label)
            if sp.name in known or _shaped_strong(m, sp):
                cuts.append(i)
        if not cuts:
            out.append(block)
            continue
        bounds = [0, *cuts, len(block.lines)]
        out.extend(_make_block(list(block.lines[a:b])) for a, b in zip(bounds, bounds[1:]))
    return out


def called_office(call: str, sp: Speaker) -> str | None:
    """The office a chair's call gives the person it calls: "The Associate Minister of
    Finance Jane Roe." before ``HON. J. ROE:``, Associate Minister of Finance. The call
    must end with the label's name (its surname, and each initial the first letter of a
    word) and what comes before it must read as an office; else None."""
    name = [w.strip(".,") for w in sp.name.split() if w.strip(".,")]
    words = call.rstrip(" .").split()
    if sp.kind != "person" or not name or len(words) <= len(name):
        return None
    tail, head = words[-len(name):], words[: -len(name)]
    if tail[-1].strip(".,").casefold() != name[-1].casefold():
        return None
    for got, want in zip(tail[:-1], name[:-1]):
        if got[:1].casefold() != want[:1].casefold() or (len(want) > 1 and got.strip(".,").casefold() != want.casefold()):
            return None
    found = office_phrase(" ".join(head))
    if found is None:
        return None
    office = found[1].split()
    if office and office[0].casefold() in ("the", "a", "an"):
        office = office[1:]
    return " ".join(office) or None


def parse_transcript(text: str, doc: Document) -> ParseResult:
    """Split a plain-text transcript into speaker turns (see the module docstring)."""
    text = blank_running_lines(text)  # a page's running header, even mid-sentence
    blocks = [b for b in split_paragraphs(text) if any(ch.isalnum() for ch in b.text)]
    parse_label = functools.cache(parse_speaker_label)  # labels recur: each read once a document
    accepted = _accepted_labels(blocks, parse_label)
    cut = _cut_at_labels(blocks, accepted, parse_label)
    if len(cut) != len(blocks):
        blocks = cut
        accepted = _accepted_labels(blocks, parse_label)
    # lines of minutes ("RESOLVED: ...") and labels of a shape the grammar cannot read
    # ("speaker one: ..." recurring) start a turn with no speaker: their words are never
    # given to the previous speaker
    breaks: list[str | None] = []
    prefixes = [None if m else _colon_prefix(b) for b, m in zip(blocks, accepted)]
    seen = Counter(key for key in (_norm_prefix(x) for x in prefixes if x) if key)
    unknown: dict[str, int] = {}
    for block, prefix in zip(blocks, prefixes):
        if prefix is None:
            breaks.append(None)
        elif is_minutes_line(prefix):
            breaks.append("")
        elif is_non_speaker_label(prefix):
            breaks.append(None)
        elif is_unknown_label(prefix):
            breaks.append(prefix)  # "Unidentified speaker: ...": nobody in particular, and not the last speaker
        elif is_transcript_heading(block):
            breaks.append(None)  # "COVID-19: Quarantine", "COVID-19: Economy": headings, not a voice
        elif seen[_norm_prefix(prefix)] >= 2 and not find_label(prefix + ": x") and _could_be_label(prefix):
            breaks.append(prefix)
            unknown[prefix] = unknown.get(prefix, 0) + 1
        else:
            breaks.append(None)
    any_turn = any(accepted)
    headings = [
        m is None and is_transcript_heading(b) and (i + 1 == len(blocks) or accepted[i + 1] is not None
                                                   or is_transcript_heading(blocks[i + 1]))
        for i, (b, m) in enumerate(zip(blocks, accepted))
    ]
    for i, (b, m) in enumerate(zip(blocks, accepted)):
        if m is None and len(b.lines) == 1 and agenda_item(b.first_line):
            headings[i] = True  # "Agenda Item F-10 [Start: 1:54 p.m.]", above the item's description
    for i in listed_lines([b.text for b in blocks]):
        headings[i] = False  # "Mayor Jane Roe" / "City Clerk, John Doe": who attends, no section
    for i in range(len(blocks) - 2, 0, -1):  # from the end: a heading may stand over a one-word one
        if accepted[i] is None and not headings[i] and _one_word_heading(blocks, accepted, headings, i, parse_label):
            headings[i] = True
            if accepted[i - 1] is None and is_transcript_heading(blocks[i - 1]):
                headings[i - 1] = True  # "QUESTIONS WITHOUT NOTICE" over "Energy"

    passages: list[Passage] = []
    warnings: list[str] = []
    title_lines: list[str] = []
    turn: _Turn | None = None
    section: str | None = None
    last_part_raw = ""

    def add(**kw: object) -> None:
        passages.append(new_passage(doc, len(passages), **kw))  # type: ignore[arg-type]

    directions: list[tuple[str, int, int]] = []  # stage directions within the current turn
    called: list[str] = []  # a call with no words of its own, just before the turn it calls

    def flush(before_turn: bool = False) -> None:
        """The current turn as a passage, then the stage directions printed within it
        (``before_turn``: a turn starts next)."""
        _flush_turn(before_turn)
        for body, start, end in directions:
            add(text=body, start=start, end=end, section=section, boilerplate="metadata")
        directions.clear()

    def _flush_turn(before_turn: bool) -> None:
        nonlocal turn
        if turn is None:
            return
        if not turn.text() and not before_turn:  # a label closing an export ("Jane Doe  1:10")
            turn = None
            return
        if not turn.text():
            # a label with no words, just before a turn (the chair's call "The Minister of
            # Finance Jane Roe." above her turn): the record's words, a passage with no speaker
            # (before any turn, a list of who takes part: title lines)
            words = " ".join(text[turn.start:turn.end].split())
            front = not any(p.speaker_label for p in passages) or not words.endswith(".")  # or a heading ("Q & A:")
            add(text=words, start=turn.start, end=turn.end, section=turn.section,
                boilerplate="metadata" if front else None)
            called.append(words)
            turn = None
            return
        sp = parse_label(turn.label) if turn.nobody is None else None
        call, called[:] = (called[-1] if called else None), []
        if sp is None or len(sp.name.strip(" .")) == 1:  # an interview's "Q:", "A:": a side, not a person
            add(text=turn.text(), start=turn.start, end=turn.end, section=turn.section,
                speaker_label=(turn.nobody if sp is None else sp.raw) or None, time_start=turn.time)
            turn = None
            return
        add(
            text=turn.text(),
            start=turn.start,
            end=turn.end,
            section=turn.section,
            speaker=sp.name or None,
            role=sp.role or (called_office(call, sp) if call and len(passages) and passages[-1].text == call else None),
            organisation=sp.organisation,
            party=sp.party,
            constituency=sp.constituency,
            speaker_label=sp.raw,
            time_start=turn.time,
        )
        turn = None

    for block, m, heading, brk in zip(blocks, accepted, headings, breaks):
        if m is not None:
            flush(before_turn=True)
            body = block_body(block, skip=m.body_offset)
            turn = _Turn(m.label, block.start, block.end, [body], [""], m.time, section)
            last_part_raw = body
            continue
        if brk is not None and any_turn:
            flush()
            body = block_body(block)
            if brk:  # an unknown label: the label is dropped from the text, as for any label
                body = block_body(block, skip=_prefix_end(block))
            turn = _Turn("", block.start, block.end, [body], [""], None, section, nobody=brk)
            last_part_raw = body
            continue
        body = block_body(block)
        if turn is not None and _stage_direction(body):
            # "2.40 pm", "(The short adjournment)", "[Translation]" between paragraphs: what
            # happened, not words of the speech, which goes on after it; a passage of its own,
            # after the turn's
            directions.append((body, block.start, block.end))
            continue
        if turn is not None and len(block.lines) == 1 and ends_sentence(last_part_raw) and is_record_line(body):
            # "Question agreed to.", "Bill read a second time.": the record's words, no one's
            # speech; a passage with no speaker, as a line of minutes
            flush()
            turn = _Turn("", block.start, block.end, [body], [""], None, section, nobody="")
            last_part_raw = body
            continue
        if heading and any_turn:
            flush()
            if len(split_dash_parts(body)) == 1 or name_line(body) is None:
                section = agenda_item(body) or heading_name(body)  # a list of who takes part ("Tim Cook -- CEO") is no section
            if turn is None and not passages:
                title_lines.append(body)
            add(text=body, start=block.start, end=block.end, section=section, boilerplate="metadata")
            continue
        if turn is None:
            if not any_turn:
                add(text=body, start=block.start, end=block.end, section=section)
                continue
            # before the first turn: title lines and other front matter
            short = len(body) <= 300
            if short:
                title_lines.append(body)
            add(text=body, start=block.start, end=block.end, section=section,
                boilerplate="metadata" if short else None)
            continue
        joined = starts_lower(body) or not ends_sentence(last_part_raw)
        turn.parts.append(body)
        turn.joins.append(" " if joined else "\n\n")
        turn.end = block.end
        last_part_raw = body
    flush()

    for label, n in unknown.items():
        warnings.append(
            f"{doc.path}: {n} paragraphs start with {label + ':'!r}, a label this parser cannot read; "
            "they are passages without a speaker"
        )
    if not any_turn:
        warnings.append(
            f"{doc.path}: no speaker labels found; its {len(passages)} paragraphs are indexed without speakers"
        )
        first_lines = [p.text for p in passages[:2] if len(p.text) <= 300]
        title_lines = first_lines
    title = " – ".join(title_lines[:2]) if title_lines else None
    date = find_date(" ".join(title_lines)) if title_lines else None
    return ParseResult(tuple(passages), tuple(warnings), title=title, date=date)
