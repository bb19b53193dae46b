"""Who a report's quotes are from: attribution lines and lead-ins.

A report body is parsed by the shared section engine
(:func:`transcript_qa.parsing.sections.parse_sections`), which calls the
rules here that make a report's quotes speaker-attributed:

* A quote is a paragraph in quotation marks (“...”, "..." or *"..."*), possibly
  followed by footnote markers. When the next one or two blocks are short
  attribution lines it is spoken by that witness:

  - ``Name, Role`` then ``Organisation`` (two blocks, or two lines of one block,
    sometimes wrapped in ``**``);
  - ``Name`` or ``Organisation`` alone (a person is 2-5 capitalised words;
    anything else, e.g. "St Mungo's", "Probation Institute", is a body, which is
    then both the speaker and the organisation).

  The attribution lines are not passages.
* Without attribution lines, a lead-in paragraph ending "Name, Role, said:" (or
  "told the Committee:") names the speaker, when it is a person or a body that
  the report attributes quotes to elsewhere.
* Footnote lines (``¹⁰ London Assembly, ...``) are not passages: their text
  becomes the ``citation`` of the paragraph carrying the marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..speakers import (
    ORGANISATION_WORDS,
    is_name_like,
    looks_like_organisation,
    looks_like_person,
    normalise_name,
    parse_speaker_label,
    split_top_level,
)
from .common import (
    MARKER,
    QUOTE_OPEN,
    is_bullet,
    parse_field,
    squash,
    starts_lower,
    strip_markup,
)


@dataclass(frozen=True)
class Attribution:
    """Who a quote is attributed to, as written."""

    name: str
    role: str | None
    organisation: str | None
    label: str  # the attribution lines joined with " / "


def _clean_line(line: str) -> str:
    return squash(MARKER.sub("", strip_markup(line))).strip(" *_")


def _title_case_words(text: str, max_words: int) -> bool:
    """Capitalised words and connectors only ("Women in Prison", "The Met")."""
    return is_name_like(text, max_words=max_words)


def attribution_line_ok(line: str) -> bool:
    """Could this line be part of an attribution (short, no final full stop, not prose)?"""
    t = _clean_line(line)
    if not t or len(t) > 120 or len(t.split()) > 16:
        return False
    if t.endswith((".", "?", "!", ":", ";")) or t.startswith(QUOTE_OPEN) or is_bullet(line):
        return False
    if starts_lower(t) or parse_field(t):
        return False
    return True


def parse_attribution(first: list[str], second: str | None = None) -> tuple[Attribution | None, bool]:
    """Read attribution lines after a quote.

    ``first`` holds the lines of the block right after the quote; ``second`` the
    single line of the block after that, if any. Returns the attribution (or
    None) and whether ``second`` was used.
    """
    lines = [_clean_line(x) for x in first if _clean_line(x)]
    if not lines or len(lines) > 3 or not all(attribution_line_ok(x) for x in first if x.strip()):
        return None, False
    head = lines[0].rstrip(",").strip()
    parts = split_top_level(head)
    if not parts or not _title_case_words(parts[0], 8):
        return None, False
    sp = parse_speaker_label(head)
    if not sp.name:
        return None, False
    org: str | None = ", ".join(x.rstrip(",") for x in lines[1:]) or None
    used_second = False
    if org is None and len(parts) >= 2 and sp.organisation is None and second is not None:
        cand = _clean_line(second)
        if attribution_line_ok(second) and _title_case_words(cand, 7):
            org = cand.rstrip(",")
            used_second = True
    organisation = org or sp.organisation
    role = sp.role
    if len(parts) == 1 and not sp.honours and not looks_like_person(sp.name):
        # a body quoted as a witness: "St Mungo's", "Probation Institute"
        if not looks_like_organisation(sp.name):
            return None, False
        organisation = organisation or sp.name
    if len(parts) == 1 and len(lines) == 1 and not looks_like_person(sp.name) and not looks_like_organisation(sp.name):
        return None, False
    label_lines = lines + ([org] if used_second and org else [])
    return Attribution(normalise_name(sp.name), role, organisation, " / ".join(label_lines)), used_second


_SAYING = (
    r"(?:said|says|stated|states|commented|explained|added|noted|notes|wrote|writes|observed|argued|argues|"
    r"warned|told\s+(?:the\s+)?[A-Z]?\w+|described|acknowledged|admitted|highlighted|reported|suggested|"
    r"described|emphasised|emphasized|stressed|confirmed|recognised|recognized)"
)
_LEAD_IN = re.compile(
    r"(?:^|[.!?;]\s+)(?P<who>[A-Z][^.!?;:]{1,160}?),?\s+" + _SAYING + r"\s*:\s*$"
)
#: "The London Probation Service itself said probation officers were having to prioritise ...:"
_LEAD_IN_CLAUSE = re.compile(
    r"(?:^|[.!?;]\s+)(?P<who>[A-Z][\w'’&-]*(?:\s+(?:[A-Z][\w'’&-]*|of|for|and|the|in|on|at|to|&)){0,8}?)"
    r"(?:,[^.!?;:]{1,80},)?\s+(?:itself\s+|themselves\s+|also\s+|has\s+|have\s+|had\s+)?" + _SAYING
    + r"\b[^.!?;:]{0,240}:\s*$"
)


_CONNECTIVES = frozenset("however further furthermore moreover also again likewise instead meanwhile "
                         "indeed equally elsewhere separately".split())


def _body_name(name: str) -> bool:
    """A name that says it is a body ("London Probation Service", "Women in Prison")."""
    words = {w.casefold().strip(".,'’") for w in name.split()}
    return bool(words & ORGANISATION_WORDS)


def lead_in_attribution(paragraph: str, known_bodies: set[str]) -> Attribution | None:
    """The speaker named by a lead-in: "Katie Lomas, National Chair, said:", or a
    sentence ending in ":" whose subject is a person or a body ("The London Probation
    Service itself said probation officers were having to prioritise ...:")."""
    text = squash(MARKER.sub("", strip_markup(paragraph)))
    m = _LEAD_IN.search(text) or _LEAD_IN_CLAUSE.search(text)
    if not m:
        return None
    who = m.group("who").strip().rstrip(",")
    first, _, rest = who.partition(", ")
    if rest and " " not in first and (first.endswith("ly") or first.casefold() in _CONNECTIVES):
        who = rest  # "Similarly, Professor Galloway, University of Exeter, said:"
    parts = split_top_level(who)
    if not parts or not is_name_like(parts[0], max_words=9):
        return None
    sp = parse_speaker_label(who)
    if not sp.name:
        return None
    name = normalise_name(sp.name)
    organisation = sp.organisation
    if not looks_like_person(sp.name) and not sp.honours:  # "Professor Galloway" is a person
        if name not in known_bodies and name.casefold().startswith("the ") and _body_name(name):
            name = name[4:]
        if name not in known_bodies and not _body_name(name):
            return None
        organisation = organisation or name
    return Attribution(name, sp.role, organisation, who)
