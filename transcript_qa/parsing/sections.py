"""The section engine: paragraphs under headings, with boilerplate tagged.

Used for reports, press releases, decision forms, committee covering reports,
letter bodies and plain files. Rules (general; the bundled documents show each):

* **Blocks** are runs of non-blank lines. A block cut by a page break is joined
  back to the previous one (with a space) when it starts in lower case, or when
  the previous prose block ends mid-sentence and this one is not a heading; any
  footnote blocks in between are skipped over.
* **Headings** are short single lines that read as titles (capitalised, no final
  full stop, no sentence break inside): they set ``section`` for the passages that
  follow and are not passages themselves. "Recommendation 11" keeps its number;
  a paragraph starting "Recommendation 3: ..." gets section "Recommendation 3".
  A heading followed by a byline (a person with a title or honours, optionally a
  role line, then prose), as in a signed foreword, attributes the section's
  paragraphs to that person.
* **Footnotes** (lines starting with a superscript number) are not passages:
  their text is the ``citation`` of the passage whose text carries the marker.
  A footnote nobody cites becomes a ``footnote`` boilerplate passage. Footnotes in plain
  digits are first rewritten as superscripts (:mod:`transcript_qa.parsing.plain_notes`).
* A single-line numbered paragraph of prose ("2. ... with them. (Paragraph 16)") and a line
  ending in ":" that reads as a clause ("He went on to say:") are never headings.
* **Quotes** with attribution lines, or after a "Name said:" lead-in, are
  spoken by that witness (see :mod:`transcript_qa.parsing.attribution`).
* **Lists**: short items after a paragraph ending with ":" join that paragraph;
  other lists of short items are one passage; long items are one passage each.
* **Boilerplate** (``Passage.boilerplate``): form fields and signatures
  (``form``), contact details and everything under a "Contact us" heading
  (``contact``), contents pages (``contents``), image descriptions (``image``),
  the "other formats and languages" block (``translations``), addresses, name
  lists and letterheads (``metadata``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ..model import Document, Passage, Speaker
from ..speakers import looks_like_person, normalise_name, parse_speaker_label
from .common import (
    new_passage,
    CONTACT_HEADING,
    CONTENTS_HEADING,
    FOOTNOTE_LINE,
    SUPERSCRIPT_DIGITS,
    LANGUAGE_NAMES,
    TRANSLATIONS_HEADING,
    Block,
    ParseResult,
    ends_sentence,
    heading_name,
    is_address_like,
    is_bullet,
    is_contact_text,
    is_contents_block,
    is_footnote_block,
    is_heading_text,
    is_image_description,
    is_quote,
    is_table_block,
    is_tab_table,
    join_lines,
    non_latin_ratio,
    parse_field,
    split_blocks,
    squash,
    starts_lower,
    strip_bullet,
    strip_markup,
    superscript_to_int,
    table_rows,
    take_markers,
    title_from_blocks,
    find_date,
)
from .plain_notes import plain_citations, superscript_plain_notes
from .attribution import Attribution, lead_in_attribution, parse_attribution

_NUMBERED_LABEL = re.compile(r"^([A-Z][a-z]{2,20} \d{1,3}[a-z]?)\s*[:–—]\s+\S")
_TRANSLATION_WORDS = re.compile(r"\b(?:translat\w*|large print|braille|another language|other languages|easy read|audio)\b", re.I)
SHORT_ITEM = 100
_NUMBERED_PARAGRAPH = re.compile(r"\d{1,3}\.\s+[A-Z“\"‘']")
_SENTENCE_END = re.compile(r"[a-z)][.!?]\s+[(A-Z“\"]")
#: a lead-in naming no one, the witness just quoted: "He went on to say:", "She added:"
_PRONOUN_LEAD_IN = re.compile(r"(?:He|She|They)\s+(?:\w+\s+){0,4}?(?:say|said|add|added|state|stated|continue|continued|"
                              r"explain|explained|told\s+\w+)\s*:$")
#: words of a clause, not of a title: a line "He went on to say:" or "All select committees shall
#: have power:" introduces what follows; "Key findings:" is a heading
_CLAUSE_WORDS = frozenset("""i we you he she it they shall will would should can could may might must is are was
    were has have had said says say told""".split())


def numbered_paragraph(line: str) -> bool:
    """A numbered paragraph of prose on one line, never a heading: "2. Our overall impression is
    that ... with them. (Paragraph 16)" (a sentence ends inside) or a long one; "3. Land at Mill
    Road" is a numbered heading."""
    t = squash(strip_markup(line))
    return bool(_NUMBERED_PARAGRAPH.match(t)) and (len(t.split()) > 12 or bool(_SENTENCE_END.search(t)))


def clause_before_colon(line: str) -> bool:
    """A line ending in ":" that reads as a clause (a pronoun, an auxiliary, a speech verb)."""
    words = squash(strip_markup(line)).rstrip(":").split()
    return any(w.casefold() in _CLAUSE_WORDS for w in words)
_RUN_IN_NOTE = re.compile(f"(?<=\\s)(?=[{SUPERSCRIPT_DIGITS}]+(?:\\s|$))")
_NOTE_NUMBER_ALONE = re.compile(f"^\\s*([{SUPERSCRIPT_DIGITS}]+)\\s*$")  # its text on the next line


@dataclass
class Draft:
    """A passage before positions are assigned."""

    start: int
    end: int
    text: str
    section: str | None = None
    speaker: str | None = None
    role: str | None = None
    organisation: str | None = None
    speaker_label: str | None = None
    boilerplate: str | None = None
    markers: list[int] = field(default_factory=list)
    kind: str = "paragraph"  # paragraph | quote | list | other


@dataclass
class Unit:
    """One or more blocks joined across page breaks."""

    blocks: list[Block]
    _prose: str | None = None

    @property
    def start(self) -> int:
        return self.blocks[0].start

    @property
    def end(self) -> int:
        return self.blocks[-1].end

    @property
    def single_line(self) -> bool:
        return len(self.blocks) == 1 and len(self.blocks[0].lines) == 1

    @property
    def first_line(self) -> str:
        return self.blocks[0].first_line

    def lines(self) -> list[str]:
        return [line.text for b in self.blocks for line in b.lines]

    def prose(self) -> str:
        if self._prose is None:
            self._prose = join_lines([strip_markup(x) for x in self.lines()])
        return self._prose


# --- footnotes --------------------------------------------------------------------------------


def collect_footnotes(blocks: Sequence[Block]) -> tuple[dict[int, str], list[tuple[Block, list[int]]]]:
    """Footnote texts by number, and each footnote block with the numbers it defines."""
    notes: dict[int, str] = {}
    where: list[tuple[Block, list[int]]] = []
    for block in blocks:
        if not is_footnote_block(block):
            continue
        nums: list[int] = []
        current: int | None = None
        for line in block.lines:
            # notes run in on one line ("⁵⁵ Q349 ⁵⁶ Q361", as PDF text prints them) are notes each
            for piece in _RUN_IN_NOTE.split(line.text):
                if not piece.strip():
                    continue
                m = (_NOTE_NUMBER_ALONE.match(piece) if current is not None else None) or FOOTNOTE_LINE.match(piece)
                if m:
                    current = superscript_to_int(m.group(1))
                    nums.append(current)
                    body = squash(strip_markup(m.group(2))) if m.re is FOOTNOTE_LINE else ""
                    if current not in notes:
                        notes[current] = f"{m.group(1)} {body}".rstrip()
                elif current is not None:
                    notes[current] = notes[current] + " " + squash(strip_markup(piece))
        where.append((block, nums))
    return notes, where


# --- units ------------------------------------------------------------------------------------


def _prose_block(block: Block) -> bool:
    text = block.text
    return len(text) >= 80 and not is_table_block(block) and not is_address_like(block)


def _heading_like(block: Block) -> bool:
    return len(block.lines) == 1 and is_heading_text(block.first_line)


def build_units(blocks: Sequence[Block]) -> list[Unit]:
    """Group non-footnote blocks into units, joining page-break remainders."""
    units: list[Unit] = []
    for block in blocks:
        if is_footnote_block(block):
            continue
        if units:
            prev = units[-1].blocks[-1]
            first = strip_markup(block.first_line)
            # a line of prose cut at a page's foot ("... offshore already at the" over "moment."):
            # however short, it is no heading when it stops mid-sentence and the next goes on in lower case
            cut_line = (len(prev.lines) == 1 and len(strip_markup(prev.last_line)) >= 40
                        and not ends_sentence(strip_markup(prev.last_line)) and starts_lower(first))
            joinable_prev = (_prose_block(prev) or is_bullet(prev.last_line) or cut_line) and not is_table_block(prev)
            if joinable_prev and not is_bullet(block.first_line) and not is_table_block(block):
                if starts_lower(first) and not parse_field(block.first_line):
                    units[-1].blocks.append(block)
                    continue
                if (
                    not ends_sentence(strip_markup(prev.last_line))
                    and not _heading_like(prev)
                    and not _heading_like(block)
                    and not first.startswith(("“", '"'))
                    and len(strip_markup(prev.last_line)) >= 40
                ):
                    units[-1].blocks.append(block)
                    continue
        units.append(Unit([block]))
    return units


# --- the engine -------------------------------------------------------------------------------


@dataclass
class EngineResult:
    drafts: list[Draft]
    metadata: dict[str, str]
    footnotes: dict[int, str]
    footnote_blocks: list[tuple[Block, list[int]]]


def _list_items(unit: Unit) -> list[tuple[str, int, int]]:
    """(text, start, end) of each list item of a unit; wrapped lines and page-break
    remainders continue the current item."""
    items: list[list] = []
    for block in unit.blocks:
        for idx, line in enumerate(block.lines):
            raw = line.text
            lead = len(raw) - len(raw.lstrip())
            start = line.start + lead
            end = line.start + len(raw)
            if is_bullet(raw) or not items:
                items.append([strip_bullet(raw.strip()) if is_bullet(raw) else raw.strip(), start, end])
            else:
                items[-1][0] = items[-1][0] + " " + raw.strip()
                items[-1][2] = end
    return [(squash(strip_markup(t)), s, e) for t, s, e in items]


def _field_table(rows: list[list[str]]) -> bool:
    cells = [r for r in rows if any(c for c in r)]
    return bool(cells) and all(len([c for c in r if c]) <= 2 and (r[0].endswith(":") or not r[0]) for r in cells)


def run_engine(
    text: str,
    blocks: Sequence[Block],
    *,
    default_speaker: Speaker | None = None,
    footnotes: tuple[dict[int, str], list[tuple[Block, list[int]]]] | None = None,
    section: str | None = None,
    quotes: bool = True,
) -> EngineResult:
    """Turn blocks into drafts (see the module docstring for the rules);
    ``quotes=False`` reads quoted paragraphs as paragraphs (no attribution
    line or lead-in gives them a speaker: minutes quote motions, not witnesses)."""
    notes, note_blocks = footnotes if footnotes is not None else collect_footnotes(blocks)
    units = build_units(blocks)
    drafts: list[Draft] = []
    metadata: dict[str, str] = {}
    mode: str | None = None
    byline: Speaker | None = None
    pending_markers: list[int] = []
    attributed_bodies: set[str] = set()
    consumed: set[int] = set()
    last_unit = -1  # index of the unit that produced the latest draft
    pending_heading: Unit | None = None  # the latest heading, until something follows it
    current_unit = -1

    def speaker_fields(sp: Speaker | None) -> dict:
        if sp is None:
            return {}
        return {"speaker": sp.name or None, "role": sp.role, "organisation": sp.organisation, "speaker_label": sp.raw or None}

    def add(unit_or_span: Unit | tuple[int, int], text_: str, **kw: object) -> Draft:
        nonlocal pending_heading, last_unit
        if isinstance(unit_or_span, Unit):
            start, end = unit_or_span.start, unit_or_span.end
        else:
            start, end = unit_or_span
        if kw.get("kind") != "heading":
            pending_heading = None
        clean, markers = take_markers(text_, notes)
        draft = Draft(start, end, squash_keep_newlines(clean), markers=markers, **kw)  # type: ignore[arg-type]
        if pending_markers and draft.boilerplate is None:
            draft.markers = pending_markers + draft.markers
            pending_markers.clear()
        drafts.append(draft)
        last_unit = current_unit
        return draft

    # pre-scan attributions so lead-ins can recognise bodies quoted elsewhere
    for k, unit in enumerate(units):
        if quotes and is_quote(unit.prose()) and k + 1 < len(units):
            first = units[k + 1].blocks[0]
            second = units[k + 2].first_line if k + 2 < len(units) and units[k + 2].single_line else None
            att, _ = parse_attribution([x.text for x in first.lines], second)
            if att and att.organisation == att.name:
                attributed_bodies.add(att.name)

    n = len(units)
    numbered_doc = sum(1 for u in units if _NUMBERED_PARAGRAPH.match(u.prose())) >= 3
    last_quote: Attribution | None = None  # the speaker of the latest attributed quote
    for k, unit in enumerate(units):
        if k in consumed:
            continue
        current_unit = k
        first_line = unit.first_line
        prose = unit.prose()
        single = unit.single_line

        # --- modes that swallow blocks ---
        if mode == "translations":
            if single and is_heading_text(first_line) and heading_name(first_line).casefold() not in LANGUAGE_NAMES \
                    and non_latin_ratio(first_line) < 0.3:
                mode = None  # a real heading ends the block; handled below
            else:
                add(unit, prose, section=section, boilerplate="translations", kind="other")
                continue
        if mode == "contact":
            long_next = k + 1 < n and len(units[k + 1].prose()) >= 200 and not is_contact_text(units[k + 1].prose())
            is_heading = single and is_heading_text(first_line) and (
                CONTENTS_HEADING.match(heading_name(first_line))
                or TRANSLATIONS_HEADING.match(heading_name(first_line))
                or long_next
            )
            if not is_heading and len(prose) <= 300:
                if len(unit.blocks) == 1 and is_table_block(unit.blocks[0]):
                    prose = "\n".join(" ".join(c for c in row if c) for row in table_rows(unit.blocks[0]) if any(row))
                add(unit, prose, section=section, boilerplate="contact", kind="other")
                continue
            if not is_heading:
                mode = None

        # --- single-line units: fields and headings ---
        if single:
            fld = parse_field(first_line)
            if fld is not None:
                metadata.setdefault(fld.label, fld.value)
                add(unit, prose, section=section, boilerplate=fld.tag, kind="other")
                continue
            lead_in = first_line.rstrip().endswith(":") and (k + 1 < n and is_quote(units[k + 1].prose())
                                                              or clause_before_colon(first_line))
            if is_heading_text(first_line) and not is_contact_text(first_line) and not lead_in \
                    and not numbered_paragraph(first_line):
                name = heading_name(first_line)
                if pending_heading is not None:
                    # the previous heading had nothing under it: keep its text as metadata
                    add(pending_heading, heading_name(pending_heading.first_line), section=section,
                        boilerplate="metadata", kind="heading")
                pending_heading = unit
                _, heading_markers = take_markers(first_line, notes)
                pending_markers.extend(heading_markers)
                section = name
                byline = None
                if CONTENTS_HEADING.match(name):
                    mode = "contents"
                elif CONTACT_HEADING.match(name):
                    mode = "contact"
                elif TRANSLATIONS_HEADING.match(name):
                    mode = "translations"
                else:
                    mode = None
                    byline, used = _byline(units, k + 1)
                    for j in range(k + 1, k + 1 + used):
                        consumed.add(j)
                        add(units[j], units[j].prose(), section=section, boilerplate="metadata", kind="other")
                continue

        # --- boilerplate blocks ---
        if len(unit.blocks) == 1 and is_table_block(unit.blocks[0]):
            rows = table_rows(unit.blocks[0])
            if _field_table(rows):
                tags = []
                for row in rows:
                    cells = [c for c in row if c]
                    if len(cells) == 2:
                        label = cells[0].rstrip(":").strip()
                        metadata.setdefault(label, cells[1])
                        fld = parse_field(f"{label}: {cells[1]}")
                        tags.append(fld.tag if fld else "metadata")
                tag = "contact" if mode == "contact" or (tags and all(t == "contact" for t in tags)) else "metadata"
                body = "\n".join(" ".join(c for c in row if c) for row in rows if any(row))
                add(unit, body, section=section, boilerplate=tag, kind="other")
            else:
                body = "\n".join(" | ".join(row) for row in rows)
                add(unit, body, section=section, kind="other", **speaker_fields(byline or default_speaker))
            continue
        if mode == "contents" or is_contents_block(unit.blocks[0]):
            add(unit, "\n".join(squash(x) for x in unit.lines()), section=section, boilerplate="contents", kind="other")
            continue
        if len(unit.blocks) == 1 and is_tab_table(unit.blocks[0]):
            body = "\n".join(" | ".join(squash(c) for c in line.text.split("\t") if c.strip()) for line in unit.blocks[0].lines)
            add(unit, body, section=section, kind="other", **speaker_fields(byline or default_speaker))
            continue
        if is_image_description(prose):
            add(unit, prose, section=section, boilerplate="image", kind="other")
            continue
        if non_latin_ratio(prose) > 0.5 or (_TRANSLATION_WORDS.search(prose) and mode == "translations"):
            mode = "translations"
            add(unit, prose, section=section, boilerplate="translations", kind="other")
            continue
        if is_address_like(unit.blocks[0]) and len(unit.blocks) == 1 and not is_bullet(first_line):
            add(unit, "\n".join(squash(strip_markup(x)) for x in unit.lines()), section=section, boilerplate="metadata", kind="other")
            continue
        if is_contact_text(prose):
            add(unit, prose, section=section, boilerplate="contact", kind="other")
            continue

        # --- quotes ---
        if quotes and is_quote(prose):
            att: Attribution | None = None
            if k + 1 < n:
                nxt = units[k + 1]
                second = units[k + 2].first_line if k + 2 < n and units[k + 2].single_line else None
                if len(nxt.blocks) == 1:
                    att, used_second = parse_attribution([x.text for x in nxt.blocks[0].lines], second)
                    if att:
                        consumed.add(k + 1)
                        if used_second:
                            consumed.add(k + 2)
            if att is None and drafts and drafts[-1].boilerplate is None and drafts[-1].kind == "paragraph":
                att = lead_in_attribution(drafts[-1].text, attributed_bodies)
            if att is None and drafts and drafts[-1].kind == "paragraph" and _PRONOUN_LEAD_IN.match(drafts[-1].text):
                att = last_quote
            if att is not None:
                last_quote = att
                add(unit, prose, section=section, speaker=att.name, role=att.role, organisation=att.organisation,
                    speaker_label=att.label, kind="quote")
            else:
                add(unit, prose, section=section, kind="quote", **speaker_fields(byline or default_speaker))
            continue

        # --- lists ---
        if is_bullet(first_line):
            items = _list_items(unit)
            lengths = [len(t) for t, _, _ in items]
            short = max(lengths) <= 1.6 * SHORT_ITEM and sum(lengths) <= SHORT_ITEM * len(lengths)
            prev = drafts[-1] if drafts else None
            if short and prev is not None and prev.kind == "paragraph" and prev.boilerplate is None \
                    and prev.text.endswith(":") and last_unit == k - 1:
                clean, markers = take_markers("\n".join(f"- {t}" for t, _, _ in items), notes)
                prev.text = prev.text + "\n" + clean
                prev.markers.extend(markers)
                prev.end = unit.end
                continue
            if short and len(items) > 1:
                add(unit, "\n".join(f"- {t}" for t, _, _ in items), section=section, kind="list",
                    **speaker_fields(byline or default_speaker))
                continue
            for t, s, e in items:
                add((s, e), t, section=section, kind="list", **speaker_fields(byline or default_speaker))
            continue

        # --- paragraphs ---
        # a quote printed as an indented paragraph, without quotation marks: the unnumbered
        # paragraph after a lead-in ("Thomas Maes, CEFAS told us:") in a report of numbered paragraphs
        prev = drafts[-1] if drafts else None
        if quotes and numbered_doc and prev is not None and last_unit == k - 1 and prev.kind in ("paragraph", "quote") \
                and prev.boilerplate is None and prev.text.endswith(":") and not _NUMBERED_PARAGRAPH.match(prose):
            att = lead_in_attribution(prev.text, attributed_bodies)
            if att is None and prev.kind == "paragraph" and _PRONOUN_LEAD_IN.match(prev.text) and last_quote is not None:
                att = last_quote  # "He went on to say:" after that witness's quote
            if att is not None:
                last_quote = att
                add(unit, prose, section=section, speaker=att.name, role=att.role, organisation=att.organisation,
                    speaker_label=att.label, kind="quote")
                continue
        sec = section
        m = _NUMBERED_LABEL.match(prose)
        if m:
            sec = m.group(1)
        add(unit, prose, section=sec, kind="paragraph", **speaker_fields(byline or default_speaker))

    if pending_heading is not None:
        add(pending_heading, heading_name(pending_heading.first_line), section=section,
            boilerplate="metadata", kind="heading")
    return EngineResult(drafts, metadata, notes, note_blocks)


def squash_keep_newlines(text: str) -> str:
    return "\n".join(squash(x) for x in text.split("\n")).strip()


def _byline(units: Sequence[Unit], k: int) -> tuple[Speaker | None, int]:
    """A signed section: ``Name AM`` [``Role``] right after a heading, then prose."""
    if k >= len(units) or not units[k].single_line:
        return None, 0
    sp = parse_speaker_label(strip_markup(units[k].first_line))
    if not sp.honours or not looks_like_person(sp.name) or sp.role or sp.organisation:
        return None, 0
    used = 1
    role = None
    if k + 1 < len(units) and units[k + 1].single_line:
        cand = squash(strip_markup(units[k + 1].first_line))
        if len(cand) <= 100 and not ends_sentence(cand) and not parse_field(cand):
            role = cand
            used = 2
    if k + used >= len(units) or len(units[k + used].prose()) < 100:
        return None, 0
    return Speaker(name=sp.name, role=role, organisation=None, honours=sp.honours, raw=sp.raw), used


def finalize(drafts: Sequence[Draft], doc: Document, result: EngineResult | None = None) -> list[Passage]:
    """Order drafts, attach citations, turn uncited footnotes into boilerplate, number positions."""
    notes = result.footnotes if result else {}
    cited: set[int] = set()
    for d in drafts:
        cited.update(d.markers)
    items = list(drafts)
    if result:
        for block, nums in result.footnote_blocks:
            uncited = [x for x in nums if x not in cited]
            if uncited:
                body = "\n".join(notes[x] for x in uncited if x in notes)
                items.append(Draft(block.start, block.end, body, boilerplate="footnote", kind="other"))
    items.sort(key=lambda d: (d.start, d.end))
    passages: list[Passage] = []
    for d in items:
        if not d.text.strip():
            continue
        citation = None
        if d.markers:
            seen = list(dict.fromkeys(d.markers))
            citation = "\n".join(notes[x] for x in seen if x in notes) or None
        passages.append(
            new_passage(
                doc,
                len(passages),
                text=d.text,
                start=d.start,
                end=d.end,
                section=d.section,
                speaker=normalise_name(d.speaker) if d.speaker else None,
                role=d.role,
                organisation=d.organisation,
                speaker_label=d.speaker_label,
                citation=citation,
                boilerplate=d.boilerplate,
            )
        )
    return passages


def parse_sections(text: str, doc: Document) -> ParseResult:
    """Parse a report, press release, decision form, covering report or plain file."""
    text, plain = superscript_plain_notes(text)
    blocks = split_blocks(text)
    result = run_engine(text, blocks)
    plain_citations(result.footnotes, plain)
    passages = finalize(result.drafts, doc, result)
    meta = result.metadata
    title = None
    for key in ("Title", "Subject"):
        if meta.get(key):
            title = meta[key]
            break
    title = title or title_from_blocks(blocks)
    date = None
    for key, value in meta.items():
        if "date" in key.lower():
            date = find_date(value)
            if date:
                break
    warnings: list[str] = []
    if not passages:
        warnings.append(f"{doc.path}: no paragraphs found")
    return ParseResult(tuple(passages), tuple(warnings), title=title, date=date, metadata=dict(meta))
