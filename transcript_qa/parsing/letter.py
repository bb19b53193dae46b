"""Letters: body paragraphs attributed to the signatory.

Rules:

* The **salutation** ("Dear Susan,") opens the body; the **closing** ("Yours
  sincerely", "Kind regards", ...) ends it. The lines after the closing are the
  signature block: name, then role, then organisation (when given). The name is
  the letter's author, unless the manifest names one.
* Every body paragraph (and quote or list) is spoken by the author, with the
  role and organisation from the signature block; thematic headings such as
  "Prison Leavers (Recommendations 8, 9, 10,11)" become the section.
* Everything before the salutation (letterhead, addresses, date, e-mail) and the
  closing/signature are boilerplate (``metadata``/``contact``/``form``). The
  recipient is the first person named in an address block that is not the
  author's, else the name after "Dear"; the date is a date line before the
  salutation; a "Re:" line gives the subject (the title when the manifest has none).
* Without a salutation or closing the whole text is the body, with a warning.
"""

from __future__ import annotations

import re

from ..model import Document, Speaker
from ..speakers import looks_like_person, name_key, parse_speaker_label
from .common import (
    Block,
    ParseResult,
    find_date,
    is_address_like,
    is_contact_text,
    parse_field,
    split_blocks,
    squash,
    strip_markup,
)
from .plain_notes import plain_citations, superscript_plain_notes
from .sections import Draft, EngineResult, collect_footnotes, finalize, run_engine

SALUTATION = re.compile(r"^\s*(?:dear\s+(?P<name>[^,:]{1,80})|to whom it may concern)\s*(?:[,:]\s*)?$", re.I)
CLOSING = re.compile(
    r"^\s*(?:yours\s+(?:sincerely|faithfully|truly|ever)|kind(?:est)? regards|best regards|warm(?:est)? regards|"
    r"regards|with (?:best|kind) wishes|best wishes|sincerely(?: yours)?|(?:very )?(?:truly|cordially|respectfully) yours|"
    r"respectfully(?: submitted)?|cordially|many thanks|thank you)\s*(?:[,.]\s*)?$",
    re.I,
)

_TYPED_SIGNATURE = re.compile(r"^/s/\s*")
#: a sentence the closing completes ("..., I am" / "Sincerely yours,")
_COURTESY_TAIL = (", I am", ", I remain", ", we are", ", we remain")


def _lines(block: Block) -> list[str]:
    return [squash(strip_markup(line.text)) for line in block.lines if line.text.strip()]


def parse_letter(text: str, doc: Document) -> ParseResult:
    """Parse a letter (see the module docstring)."""
    text, plain = superscript_plain_notes(text)
    blocks = split_blocks(text)
    warnings: list[str] = []
    metadata: dict[str, str] = {}
    sal = next((i for i, b in enumerate(blocks) if SALUTATION.match(b.first_line)), None)
    close_at: tuple[int, int] | None = None  # (block index, line index)
    for i in range(len(blocks) - 1, (sal if sal is not None else -1), -1):
        for j, line in enumerate(blocks[i].lines):
            if CLOSING.match(line.text):
                close_at = (i, j)
                break
        if close_at:
            break
    if sal is None:
        warnings.append(f"{doc.path}: no salutation (\"Dear ...\") found; the letter is read from the top")
    if close_at is None:
        warnings.append(f"{doc.path}: no closing (\"Yours sincerely\", ...) found; no signature block")

    # signature block
    signature: list[str] = []
    sig_blocks: list[int] = []
    if close_at is not None:
        ci, cj = close_at
        rest = [squash(strip_markup(line.text)) for line in blocks[ci].lines[cj + 1 :] if line.text.strip()]
        signature.extend(rest)
        k = ci + 1
        while k < len(blocks) and len(signature) < 4 and all(len(x) <= 100 for x in _lines(blocks[k])) \
                and parse_field(blocks[k].first_line) is None:  # "cc: ...", "Enclosure: ..." end it
            signature.extend(_lines(blocks[k]))
            sig_blocks.append(k)
            k += 1
        signature = [s for s in signature if not re.fullmatch(r"\[?(?:signed|signature)\]?:?", s, re.I)]
        # a signature typed for the signed original: "/s/ Clement Zablocki"
        signature = [_TYPED_SIGNATURE.sub("", s) for s in signature]

    author: Speaker | None = None
    if doc.author:
        author = parse_speaker_label(doc.author)
    elif signature:
        sp = parse_speaker_label(signature[0])
        role = signature[1] if len(signature) > 1 else None
        org = ", ".join(signature[2:]) if len(signature) > 2 else None
        author = Speaker(name=sp.name, role=role or sp.role, organisation=org or sp.organisation,
                         honours=sp.honours, raw=signature[0])

    # front matter: addresses, date, recipient
    front_end = sal if sal is not None else 0
    recipient: str | None = None
    date: str | None = None
    drafts: list[Draft] = []
    for i in range(front_end):
        b = blocks[i]
        lines = _lines(b)
        body = "\n".join(lines)
        tag = "metadata"
        fld = parse_field(b.first_line) if len(b.lines) == 1 else None
        if fld is not None:
            metadata.setdefault(fld.label, fld.value)
            tag = fld.tag
        elif is_contact_text(body):
            tag = "contact"
        if date is None and len(body) <= 40 and find_date(body):
            date = find_date(body)
        if recipient is None and is_address_like(b):
            who = parse_speaker_label(lines[0])
            if looks_like_person(who.name) and (author is None or name_key(who.name) != name_key(author.name)):
                recipient = who.name
                if len(lines) > 1:
                    metadata.setdefault("recipient role", lines[1])
        drafts.append(Draft(b.start, b.end, body, boilerplate=tag, kind="other"))
    if sal is not None:
        b = blocks[sal]
        drafts.append(Draft(b.start, b.end, squash(b.text), boilerplate="metadata", kind="other"))
        m = SALUTATION.match(b.first_line)
        metadata["salutation"] = squash(b.first_line)
        if recipient is None and m and m.group("name"):
            recipient = squash(m.group("name"))

    # body
    body_start = sal + 1 if sal is not None else 0
    body_end = close_at[0] if close_at is not None else len(blocks)
    body_blocks = list(blocks[body_start:body_end])
    subject = None
    if body_blocks and len(body_blocks[0].lines) == 1:
        fld = parse_field(body_blocks[0].first_line)
        if fld is not None and fld.label.lower().rstrip(".") in ("re", "subject", "ref", "reference"):
            subject = fld.value
            metadata.setdefault(fld.label, fld.value)
            b = body_blocks.pop(0)
            drafts.append(Draft(b.start, b.end, squash(strip_markup(b.text)), boilerplate="metadata", kind="other"))
    if close_at is not None:
        ci, cj = close_at
        closing_block = blocks[ci]
        if cj > 0:  # body text in the same block as the closing line
            body_blocks.append(Block(closing_block.start, closing_block.lines[cj - 1].start + len(closing_block.lines[cj - 1].text),
                                     closing_block.lines[:cj]))
        line = closing_block.lines[cj]
        drafts.append(Draft(line.start + len(line.text) - len(line.text.lstrip()), closing_block.end,
                            "\n".join(_lines(Block(line.start, closing_block.end, closing_block.lines[cj:]))),
                            boilerplate="form", kind="other"))
        for k in sig_blocks:
            drafts.append(Draft(blocks[k].start, blocks[k].end, "\n".join(_lines(blocks[k])), boilerplate="form", kind="other"))
        after = (sig_blocks[-1] + 1) if sig_blocks else ci + 1
        for b in blocks[after:]:
            drafts.append(Draft(b.start, b.end, "\n".join(_lines(b)), boilerplate="metadata", kind="other"))

    notes = collect_footnotes(blocks)
    if close_at is not None and body_blocks and len(body_blocks[-1].lines) == 1 and body_blocks[-1].end <= blocks[close_at[0]].start \
            and body_blocks[-1].first_line.rstrip().endswith(_COURTESY_TAIL):
        # "Thanking you in advance for your cooperation and assistance, I am" over the closing: the
        # last words of the body, not a heading
        b = body_blocks.pop()
        drafts.append(Draft(b.start, b.end, squash(strip_markup(b.text)), kind="paragraph",
                            **({"speaker": author.name, "role": author.role, "organisation": author.organisation,
                                "speaker_label": author.raw or None} if author else {})))
    result: EngineResult = run_engine(text, body_blocks, default_speaker=author, footnotes=notes)
    plain_citations(result.footnotes, plain)
    drafts.extend(result.drafts)
    for key, value in result.metadata.items():
        metadata.setdefault(key, value)
    passages = finalize(drafts, doc, result)
    if author is not None:
        metadata.setdefault("signature", " / ".join(signature) if signature else author.name)
    title = subject
    if title is None and author is not None:
        title = f"Letter from {author.name}" + (f" to {recipient}" if recipient else "")
    return ParseResult(
        tuple(passages),
        tuple(warnings),
        title=title,
        date=date,
        author=author.name if author else None,
        recipient=recipient,
        metadata=metadata,
    )
