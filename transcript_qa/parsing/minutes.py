"""Minutes of council and committee meetings: reported speech attributed.

Minutes print no speaker labels; they report who spoke in the third person::

    3. Land at Mill Road
    The Planning Officer introduced the report. Councillor Smith asked about the
    provision of affordable housing. The officer confirmed that 35% would be affordable.
    RESOLVED: That planning permission be granted subject to conditions.

The rules (general: a speech-act verb list and the label grammar, no names):

* **Paragraphs and sections** come from the section engine (:mod:`.sections`):
  agenda item headings ("3. Land at Mill Road", "Item 4: ...", "Minute 23/45 ...")
  give the section; a heading printed as its number alone then its title on the
  next line ("**1.**" / "**Adoption of Minutes**") is one section "1. Adoption of
  Minutes".
* **Reported speech.** A sentence whose subject is a person (a title and a name:
  "Councillor Smith", "Cllr. O. Williams", "Mr Brown, the Planning Officer,") or an
  office ("The Chair", "the Director", "The Executive Engineer, Area Office") and
  whose verb is a speech act (:data:`SPEECH_VERBS`: said, asked, moved, confirmed
  ...) starts a passage of that speaker, optionally after "In response," and
  similar lead-ins. The sentences after it ("He added that ...") stay with it; the
  next reported speech act starts a new passage, even by the same speaker. Titles
  include a board's ("Director Menten", "Trustee Lopez", "Vice Chair Lee",
  "Treasurer Brown") and a council's level ("County Cllr Webb" is Cllr Webb).
* **A person named without a title** ("Roger Harris, Denver, requested ...", "BC
  Sampson advised ...": initials and a surname, or two or three capitalised words,
  none of them an office, organisation or group word) with a plain reporting verb
  (:data:`BARE_NAME_VERBS`) starts their own passage; the appositive is a role only
  when it reads as one ("the Planning Officer"), not a place.
* **Motions**: "X made the motion ..." is X's passage, as "X moved ..." is; "Motion
  by X, seconded by Y" and "Moved by X, ..." are X's; "Motion carried", "Vote:" are
  decisions.
* **A heading on the line of its minute** ("a) Grit Bins - Cllr Mrs Leamon asked
  ...", "Chair's Report Chair Tisdale stated ..."): up to eight heading words (two
  or more in title case) then a titled person's or an office's speech act: the
  heading is a speakerless run, the speech that person's.
* **One passage per sentence run**, not per paragraph: minutes often report an
  exchange in one paragraph ("Councillor Smith asked ... The officer confirmed
  ..."), and a passage per paragraph would give the officer's answer to the
  councillor. A run ends where another speaker's speech act, a group's ("Members
  raised ...") or a decision ("It was agreed ...", "RESOLVED: ...", "Proposed by
  ...") begins. Runs with no speaker, decisions and attendance lines are
  speakerless passages with their section.
* Who a subject means is then resolved within the document as for transcripts
  (:func:`transcript_qa.identities.resolve_document`): "Councillor Jones" is "B
  Jones" of the "Present:" line, "The Chair" the member marked (Chair).

:func:`looks_like_minutes` is the detection: generic cues (a "minutes of the
meeting" title, attendance and apologies lines, numbered agenda items, decisions,
reported speech), never a council's names.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..label_words import (
    COLLECTIVE_NOUNS,
    GROUP_NOUNS,
    NON_SPEAKER_LABELS,
    NOT_FIRST_NAMES,
    NOT_NAME_STARTS,
    OFFICE_MODIFIERS,
    OFFICE_NOUNS,
    ORGANISATION_WORDS,
    PREFIX_TITLES,
    QUALIFIED_OFFICES,
    ROLE_WORDS,
    TITLE_OFFICES,
    WORD_INITIALS,
)
from ..model import Document
from ..speakers import parse_speaker_label
from .common import Block, ParseResult, split_blocks, title_from_blocks
from .sections import Draft, finalize, run_engine

#: Verbs of speech acts a minute reports (past tense).
SPEECH_VERBS = (
    "said", "asked", "stated", "noted", "raised", "requested", "highlighted", "welcomed", "thanked", "informed",
    "indicated", "confirmed", "explained", "outlined", "advised", "replied", "responded", "queried", "questioned",
    "proposed", "seconded", "moved", "suggested", "reported", "expressed", "referred", "mentioned", "declared",
    "presented", "commented", "acknowledged", "stressed", "emphasised", "emphasized", "sought", "added",
    "clarified", "updated", "enquired", "inquired", "urged", "pointed", "remarked", "introduced", "addressed",
    "spoke", "argued", "objected", "assured", "reminded", "summarised", "summarized", "warned", "recommended",
    "announced", "described", "detailed", "agreed", "undertook", "congratulated", "invited", "observed",
    "contended", "answered", "wished", "felt", "believed", "considered", "challenged", "disagreed", "praised",
    "requested", "put",
)
#: Titles before a name: "Councillor Smith", "Borough Councillor Sampson", "County Cllr Webb", "Director
#: Menten", "Trustee Lopez", and a board's offices ("Vice Chair Lee", "Treasurer Brown").
_TITLES = (r"(?:(?:(?:Borough|County|District|Town|City|Parish|Community)\s+)?(?:Councillors?|Councilors?|Cllrs?)|"
           r"Council\s+Member|Board\s+Member|Councilmember|Councilman|Councilwoman|Alderman|Alderwoman|Alderperson|"
           r"Deputy\s+Mayor|Mayor|Commissioner|Supervisor|Trustee|Director|Selectman|Selectwoman|Secretary|Treasurer|"
           r"Senator|Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|"
           r"Dame|Lord|Lady|Rev|Reverend|Inspector|Chief\s+Inspector|Sergeant|Superintendent|Chair(?:man|woman|person)?|"
           r"Vice[-\s]Chair(?:man|woman|person)?|President)\.?")
_NAME_WORD = r"(?:[A-Z][\w’‟'`-]*\.?|(?:de|van|von|der|le|la|du|di|da|Ó|Ní|Mac|Mc)(?=\s+[A-Z]))"
_PERSON = rf"{_TITLES}\s+(?:[A-Z]\.\s*)*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
#: Words an office phrase ends with ("The Planning Officer", "the Director of Finance").
_OFFICE_WORDS = (r"(?:Chair|Chairman|Chairwoman|Chairperson|Vice-Chair|Cathaoirleach|Leas-Chathaoirleach|Mayor|"
                 r"Leader|Clerk|Director|Officer|Engineer|Planner|Manager|Administrator|Executive|Secretary|"
                 r"Treasurer|Solicitor|Head|Superintendent|Inspector|Commissioner|Minister|Adviser|Advisor|"
                 r"Architect|Surveyor|Auditor|Controller|Co-?ordinator|President|Convenor|Convener|Speaker|"
                 r"Monitoring\s+Officer|Presiding\s+Officer|officer|chair|clerk|director)")
_OFFICE = (rf"(?:[Tt]he|An)\s+(?:(?:[A-Z][\w/&’'-]*|of|for|and|&)\s+){{0,6}}?{_OFFICE_WORDS}"
           rf"(?:\s+(?:of|for)\s+(?:the\s+)?(?:[A-Z][\w&’'-]*)(?:\s+(?:[A-Z][\w&’'-]*|and|&)){{0,4}})?")
_GROUP = (r"(?:The\s+)?(?:Members|Councillors|Committee|Council|Board|Panel|Deputation|Delegation|Sub-Committee|"
          r"Several\s+[Mm]embers|A\s+number\s+of\s+[Mm]embers|All\s+[Mm]embers|Some\s+[Mm]embers)")
_LEAD = (r"(?:(?:In\s+(?:response|reply|answer|conclusion|addition|summary)|Responding|Replying|Finally|Also|However|"
         r"Following\s+(?:a\s+|some\s+|further\s+|the\s+)?(?:discussion|debate|presentation|questions))"
         r"(?:\s+[^,.;]{0,60})?,\s+)?")
_APPOSITIVE = r"(?:,\s+(?P<appos>[^,.;()]{2,80}?),?)?"
_AUX = r"(?:\s+(?:also|then|further|again|had|has|would|subsequently|briefly|formally))*"
#: "Councillor Wright made the motion ...": the mover's words, as "moved" is.
_MADE_MOTION = r"made(?=\s+(?:the|a|this|that)\s+motion)"
_VERB = rf"\s+(?P<verb>{'|'.join(sorted(set(SPEECH_VERBS), key=len, reverse=True))}|{_MADE_MOTION})\b"
SPEECH = re.compile(rf"{_LEAD}(?P<subject>{_PERSON}|{_OFFICE}){_APPOSITIVE}{_AUX}{_VERB}")
#: Verbs that report a person named without a title ("Roger Harris, Denver, requested ...",
#: "BC Sampson advised ..."): the plain reporting verbs, fewer than :data:`SPEECH_VERBS`.
BARE_NAME_VERBS = (
    "said", "stated", "advised", "noted", "asked", "requested", "reported", "explained", "confirmed", "informed",
    "queried", "questioned", "enquired", "inquired", "replied", "responded", "commented", "suggested", "added",
    "remarked", "mentioned", "indicated", "clarified", "urged", "expressed", "raised", "highlighted", "thanked",
    "proposed", "seconded", "moved", "objected", "argued", "spoke", "announced", "warned", "recommended",
)
#: A name printed without a title: initials then a surname ("BC Sampson", "J. R. Smith") or two or
#: three capitalised words ("Roger Harris", "Mary Ann Jones"); an appositive after it is a place
#: or a role ("Roger Harris, Denver, requested").
_SURNAME = r"[A-Z][a-z][\w’'-]*"
_BARE_NAME = (rf"(?:(?:[A-Z]\.\s*){{1,3}}|[A-Z]{{1,3}}\s+){_SURNAME}"
              rf"|{_SURNAME}(?:\s+(?:(?:de|van|von|der|le|la|du|di|da)\s+)?[A-Z][\w’'-]+){{1,2}}")
_BARE_VERB = rf"\s+(?P<verb>{'|'.join(sorted(BARE_NAME_VERBS, key=len, reverse=True))}|{_MADE_MOTION})\b"
BARE_SPEECH = re.compile(rf"{_LEAD}(?P<subject>{_BARE_NAME}){_APPOSITIVE}{_AUX}{_BARE_VERB}")
#: The council a councillor sits on, before the title: dropped from the label ("County Cllr Webb" is Cllr Webb).
_COUNCIL_OF = re.compile(r"^(?:Borough|County|District|Town|City|Parish|Community)\s+(?=Cll|Counc)")
#: "Motion by Councillor Jones, seconded by ...", "Moved by Director Lee, ...": the mover's passage.
MOTION_BY = re.compile(rf"(?:Motion\s+(?:made\s+)?by|Moved\s+by)\s+(?P<subject>{_PERSON}|{_OFFICE})\b")
GROUP_SPEECH = re.compile(rf"{_LEAD}{_GROUP}{_AUX}{_VERB}")
DECISION = re.compile(
    r"(?:RESOLVED|AGREED|DECIDED|Resolved|Agreed|Decision|DECISION|And\s+[Rr]esolved|It\s+was\s+(?:\w+\s+)?"
    r"(?:agreed|resolved|decided|noted|proposed|moved|RESOLVED|AGREED)|On\s+the\s+(?:proposal|motion)\s+of|"
    r"(?:Proposed|Moved|Seconded)\s+by|The\s+(?:motion|recommendations?|report|minutes)\s+(?:was|were)|"
    r"The\s+following\s+(?:was|were)\s+(?:agreed|resolved|approved)|"
    r"(?:The\s+)?[Mm]otion\s+(?:carried|passed|failed|adopted|approved|lost|defeated|was\s+\w+)|"
    r"(?:Vote(?:\s+on\s+(?:[Tt]he\s+)?[Mm]otion)?|Roll\s+call(?:\s+vote)?)(?=\s*:))\b")
#: A sentence ends at . ! ? (and a closing quote), then space and a capital; not after a title or an initial.
_SENTENCE_END = re.compile(r"[.!?][”\"’')]*\s+(?=[“\"(]?[A-Z])")
_NO_BREAK_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Cllr|Cllrs|Prof|Rev|St|No|Nos|Co|Ltd|Inc|approx|e\.g|i\.e|etc|Cmhlr)|\b[A-Z])\.$")
_NUMBER_ONLY = re.compile(r"^\s*(?:Item\s+)?(\d{1,3}(?:\.\d{1,2})?)\s*[.)]?\s*$", re.IGNORECASE)


def sentence_starts(text: str) -> list[int]:
    """Offsets in ``text`` where its sentences start (0 first)."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if _NO_BREAK_BEFORE.search(text[max(0, m.start() - 8): m.start() + 1]):
            continue
        starts.append(m.end())
    return starts


def speech_act(sentence: str, *, untitled: bool = True) -> tuple[str, str | None] | None:
    """``(label, role)`` when ``sentence`` reports a person or office speaking:
    the subject as printed (capitalised: "The Director") and the role an
    appositive gives ("Mr Brown, the Planning Officer, explained" -> "Planning
    Officer"); else None. With ``untitled`` (the default) also a motion's mover
    ("Motion by Councillor Jones, seconded by ...") and a person named without a
    title ("Roger Harris, Denver, requested ...": see :func:`_bare_name`)."""
    m = SPEECH.match(sentence)
    if m is None and untitled:
        m = MOTION_BY.match(sentence)
    if m is not None:
        return _act(m, titled=True)
    if untitled:
        m = BARE_SPEECH.match(sentence)
        if m is not None and _bare_name(m.group("subject")):
            return _act(m, titled=False)
    return None


def _act(m: re.Match[str], *, titled: bool) -> tuple[str, str | None] | None:
    subject = " ".join(m.group("subject").split())
    subject = subject[0].upper() + subject[1:]
    subject = _COUNCIL_OF.sub("", subject)  # "County Cllr Webb": the councillor is Cllr Webb
    if re.fullmatch(rf"(?:The\s+)?{_GROUP}", subject):
        return None
    sp = parse_speaker_label(subject)
    if not sp.name or (sp.kind == "group" if titled else sp.kind not in ("person", "organisation")):
        return None
    appos = m.groupdict().get("appos")
    role = None
    if appos and not subject.startswith(("The ", "An ")):
        role = re.sub(r"^(?:the|a|an|our)\s+", "", appos.strip(), flags=re.IGNORECASE) or None
        if not titled and role is not None and not (role != appos.strip() or _names_office(role)):
            role = None  # "Roger Harris, Denver,": a place, not a role
    elif subject.startswith(("The ", "An ")):
        role = subject.split(None, 1)[1]
    return subject, role


_NOT_NAME_WORDS = (OFFICE_NOUNS | ROLE_WORDS | ORGANISATION_WORDS | GROUP_NOUNS | OFFICE_MODIFIERS | TITLE_OFFICES
                   | QUALIFIED_OFFICES | COLLECTIVE_NOUNS | PREFIX_TITLES | NOT_NAME_STARTS | NON_SPEAKER_LABELS)


def _bare_name(subject: str) -> bool:
    """Whether ``subject``, printed without a title, reads as a person's name: no word is an
    office, a role, an organisation's or a group's word ("Planning Officer", "Parish Council",
    "Several Members"), it opens with no pronoun or determiner, and initials printed without
    dots are not a word ("A Resident")."""
    words = subject.replace(".", " ").split()
    if words[0].casefold() in NOT_FIRST_NAMES:
        return False
    if words[0].isupper() and "." not in subject and words[0].casefold() in WORD_INITIALS:
        return False
    return not any(w.casefold().strip("’'") in _NOT_NAME_WORDS for w in words)


def _names_office(text: str) -> bool:
    return any(w.casefold() in OFFICE_NOUNS | ROLE_WORDS | TITLE_OFFICES | QUALIFIED_OFFICES for w in text.split())


#: A heading printed on the line of its minute ("a) Grit Bins - ", "Chair's Report "): a list mark,
#: then capitalised words (and "of", "and" ... between them, a dash), at most ``_HEADING_WORDS``, at
#: least two of them words in title case (not an action column's "ALL").
_HEADING_WORDS = 8
_HEADING_WORD = re.compile(r"[A-Z][\w'’&/-]*|of|and|the|for|on|in|to|at|&|[-–—:]|\(?[a-z0-9]{1,3}[.)]")
_HEADING_LAST = re.compile(r"[A-Z][\w'’/-]*|[-–—:]")


def _after_heading(sentence: str) -> tuple[int, tuple[str, str | None]] | None:
    """``(offset, act)`` when ``sentence`` opens with a heading's words and a titled person's or an
    office's speech act follows them ("Sheridan School Update Cllr. Leet advised ..."); else None."""
    for m in re.finditer(r"\s+(?=[A-Z])", sentence[:120]):
        words = sentence[:m.start()].split()
        if len(words) > _HEADING_WORDS:
            return None
        if not all(_HEADING_WORD.fullmatch(w) for w in words):
            return None
        if not _HEADING_LAST.fullmatch(words[-1]) or sum(bool(re.match(r"[A-Z][a-z]", w)) for w in words) < 2:
            continue  # "Councillor Smith and Councillor Jones asked", "ALL Cllr Smith": no heading
        act = speech_act(sentence[m.end():], untitled=False)
        if act is not None:
            return m.end(), act
    return None


def _runs(text: str) -> list[tuple[int, str | None, str | None]]:
    """Cut a paragraph into runs: ``(offset, label, role)``; a label of None is speakerless."""
    runs: list[tuple[int, str | None, str | None]] = []
    for start in sentence_starts(text):
        sentence = text[start:]
        act = speech_act(sentence)
        headed = _after_heading(sentence) if act is None else None
        if headed is not None:  # the heading's words on their own, then the speech
            runs.append((start, None, None))
            act = headed[1]
            start += headed[0]
        if act is not None:
            runs.append((start, act[0], act[1]))
        elif DECISION.match(sentence) or GROUP_SPEECH.match(sentence):
            if not runs or runs[-1][1] is not None:
                runs.append((start, None, None))
        elif not runs:
            runs.append((start, None, None))
    return runs


def _source_offset(source: str, lo: int, hi: int, words: str) -> int | None:
    """Where the run starting with ``words`` starts in ``source[lo:hi]`` (white space
    and markup between its first words may differ)."""
    tokens = re.findall(r"\w+", words)[:4]
    if not tokens:
        return None
    pattern = r"\W{1,12}".join(re.escape(t) for t in tokens)
    m = re.compile(pattern).search(source, lo, hi)
    return m.start() if m else None


def _split_draft(source: str, draft: Draft) -> list[Draft]:
    if draft.kind not in ("paragraph", "list") or draft.boilerplate or draft.speaker:
        return [draft]
    runs = _runs(draft.text)
    if len(runs) == 1 and runs[0][1] is None:
        return [draft]
    out: list[Draft] = []
    lo = draft.start
    for i, (offset, label, role) in enumerate(runs):
        end_text = runs[i + 1][0] if i + 1 < len(runs) else len(draft.text)
        piece = draft.text[offset:end_text].strip()
        at = draft.start if i == 0 else _source_offset(source, lo, draft.end, piece)
        if at is None:  # cannot place it: keep it with the run before
            prev = out[-1]
            prev.text = f"{prev.text} {piece}"
            continue
        if out:
            out[-1].end = max(out[-1].start, at)
            while out[-1].end > out[-1].start and source[out[-1].end - 1].isspace():
                out[-1].end -= 1
        lo = at
        sp = parse_speaker_label(label) if label else None
        out.append(Draft(at, draft.end, piece, section=draft.section, kind=draft.kind,
                         speaker=sp.name if sp else None, role=role, speaker_label=label,
                         markers=list(draft.markers) if i == 0 else []))
    return out


def _number_sections(drafts: list[Draft]) -> list[Draft]:
    """A heading printed as its number alone ("**1.**") then its title: the section
    is "1. Title"; the number line is a metadata passage."""
    out: list[Draft] = []
    number: str | None = None
    from_section: str | None = None
    renamed: dict[str | None, str] = {}
    for d in drafts:
        m = _NUMBER_ONLY.match(d.text) if d.boilerplate is None and d.kind in ("paragraph", "list") else None
        if m:
            number, from_section = m.group(1), d.section
            out.append(replace(d, boilerplate="metadata", kind="other"))
            continue
        if number is not None and d.section != from_section and d.section is not None:
            renamed[d.section] = f"{number}. {d.section}"
            number = None
        if d.section in renamed:
            d = replace(d, section=renamed[d.section])
        out.append(d)
    return out


_ENDS_SENTENCE = re.compile(r"[.!?:;][”\"’')*]*$")
_STARTS_BLOCK = re.compile(r"^(?:\*\*|[-*•·▪●◦]\s|\d{1,3}[.)]\s|\(?[a-z]{1,4}\)\s|-{3,}|#)")


def rejoin_lines(blocks: list[Block]) -> list[Block]:
    """Text extracted from a PDF with a blank line after every printed line (each
    line its own block) back into paragraphs: a block joins the one before when that
    one's last line is a full line (80% of the usual width) or the block starts in
    lower case, and that line ends no sentence; a bullet, a number, bold text or a
    page rule starts a block. Other layouts are returned as they are."""
    single = [b for b in blocks if len(b.lines) == 1]
    if len(blocks) < 20 or len(single) < 0.7 * len(blocks):
        return blocks
    lengths = sorted(len(b.first_line) for b in single)
    full = lengths[int(0.8 * (len(lengths) - 1))]
    out: list[Block] = []
    for block in blocks:
        if out:
            prev = out[-1].last_line
            first = block.first_line
            joins = not _ENDS_SENTENCE.search(prev) and not _STARTS_BLOCK.match(first) and \
                not (prev.startswith("**") and prev.endswith("**")) and not prev.startswith("---") and \
                (len(prev) >= 0.8 * full or first[:1].islower())
            if joins:
                out[-1] = Block(out[-1].start, block.end, out[-1].lines + block.lines)
                continue
        out.append(block)
    return out


def parse_minutes(text: str, doc: Document) -> ParseResult:
    """Parse the minutes of a meeting: sections from agenda items, reported speech
    attributed to its speaker (see the module docstring)."""
    blocks = rejoin_lines(split_blocks(text))
    result = run_engine(text, blocks, quotes=False)  # a quoted motion is no witness's words
    drafts = [piece for d in _number_sections(result.drafts) for piece in _split_draft(text, d)]
    passages = finalize(drafts, doc, result)
    warnings = () if passages else (f"{doc.path}: no paragraphs found",)
    return ParseResult(tuple(passages), warnings, title=title_from_blocks(blocks), metadata=dict(result.metadata))


# --- detection ---------------------------------------------------------------------------------

_TITLE_CUE = re.compile(r"\bminutes\s+of\s+(?:the\s+|a\s+|an\s+)?(?:proceedings|[\w-]+\s+)?(?:[\w-]+\s+)?meeting\b",
                        re.IGNORECASE)
_ATTENDANCE_CUE = re.compile(
    r"^[^\w\n]*(?:(?:committee\s+|councillors\s+|members\s+|officials\s+|officers\s+|also\s+)?present(?:\s+in\s+the\s+chair)?|"
    r"(?:officials\s+|officers\s+|also\s+)?in\s+attendance|attendees)\W*(?::|$)", re.IGNORECASE | re.MULTILINE)
_APOLOGIES_CUE = re.compile(r"^[^\w\n]*(?:\d{1,3}[.)]?\s*)?apolog(?:y|ies)\b", re.IGNORECASE | re.MULTILINE)
_DECISION_CUE = re.compile(
    r"^[^\w\n]*(?:and\s+)?(?:resolved|agreed|decision)\b\s*[:\-–—]|\bit\s+was\s+(?:\w+\s+)?(?:resolved|agreed)\b|"
    r"\b(?:proposed|seconded)\s+by\s+(?:councillor|cllr)", re.IGNORECASE | re.MULTILINE)
_ITEM_CUE = re.compile(r"^[^\w\n]*(?:\d{1,3}(?:\.\d{1,2})?[.)]?[^\w\n]*$|\d{1,3}[.)]\s+[A-Z]|item\s+\d+|minute\s+\d+)",
                       re.IGNORECASE | re.MULTILINE)


def looks_like_minutes(text: str) -> tuple[bool, str]:
    """Whether ``text`` reads as the minutes of a meeting, and the cues found."""
    head = text[:400_000]
    cues = []
    if _TITLE_CUE.search(head[:3000]):
        cues += ["a 'minutes of the meeting' title"] * 2
    if _ATTENDANCE_CUE.search(head):
        cues.append("an attendance line")
    if _APOLOGIES_CUE.search(head):
        cues.append("apologies")
    if len(_DECISION_CUE.findall(head)) >= 1:
        cues.append("decisions")
    if len(_ITEM_CUE.findall(head)) >= 3:
        cues.append("numbered items")
    speech = sum(1 for m in re.finditer(r"(?:^|[.!?]\s+)(?=[A-Z])", head[:100_000], re.MULTILINE)
                 if speech_act(head[m.end(): m.end() + 200], untitled=False))
    if speech >= 2:
        cues.append("reported speech")
    return len(cues) >= 3, ", ".join(dict.fromkeys(cues))
