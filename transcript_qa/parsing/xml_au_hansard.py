"""The Parliament of Australia's Hansard XML (ParlInfo, root ``<hansard>``): House of
Representatives and Senate, one passage per spoken turn.

Every ``<speech>``, ``<question>``, ``<answer>``, ``<interjection>`` and ``<continue>``
opens with ``<talk.start><talker>``: the person's identifier (``<name.id>``), the name
in the register's form (``<name role="metadata">Albanese, Anthony, MP</name>``,
``Wallace, Andrew MP (The SPEAKER)``, ``Wong, Sen Penny``), ``<electorate>`` (a seat, or a
senator's state) and ``<party>``. The words come in one of two layouts:

* **Schema 2.2** (2011 on): ``<talk.text><body><p>`` paragraphs, one element holding a
  whole exchange. A paragraph that opens with a member's link (``<a href="R36"
  type="MemberQuestion">``) or an office's (``type="OfficeInterjecting"``), followed by
  the printed label up to its colon (``Mr ALBANESE (Grayndler—Leader of the Opposition)
  (14:00):``, ``The SPEAK`` / ``ER:`` split over two spans), starts a turn of the linked
  person; paragraphs without a label continue it. A label printed without a link
  (``<span class="HPS-MemberInterjecting">The PRESIDENT:</span>``) is a turn of the
  label. The ``<interjection>`` and ``<continue>`` elements after the text are empty
  records of who spoke.
* **Schemas 2.0 and 2.1** (to 2011): each element holds its own ``<para>`` paragraphs,
  the first inside ``<talk.start>`` after the printed ``<name role="display">`` (and a
  bold ``(Mr McMullan)`` naming a chair's holder); nested ``<interjection>`` and
  ``<continue>`` elements are turns of their own. Paragraphs of a speech after a nested
  turn that no ``<continue>`` claims are the record's business ("Question agreed to."):
  no speaker.

``... interjecting—`` paragraphs are stage directions: passages with no speaker, never
turns. The section is the debate's title and its subdebates' (``QUESTIONS WITHOUT
NOTICE: COVID-19``); the title is the chamber's Hansard and the sitting's date
(``<session.header>``). The whitespace ParlInfo puts between tags to indent the file is
not a space (a word can be split over two spans).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as _date

from .xml_speech import Speech as _Speech
from .xml_safe import Node

_TALK_TAGS = frozenset({"speech", "question", "answer", "interjection", "continue"})
_DEBATE = re.compile(r"^(?:sub)?debate(?:\.\d+)?$")
_SKIP = frozenset({"session.header", "debateinfo", "subdebateinfo", "talker", "page.no"})
_HEADING_CLASSES = frozenset({"HPS-Debate", "HPS-SubDebate", "HPS-SubSubDebate"})
_PARA_TAGS = frozenset({"p", "para"})
# the spans of a printed label: the member's or office's name, seat, offices, time, brackets
_LABEL_CLASS = re.compile(r"^HPS-(?:Member|Office)(?!I?Interjecting$).*|^HPS-(?:MemberInterjecting|OfficeInterjecting"
                          r"|Electorate|MinisterialTitles|Time|GeneralBold)$")
_TURN_LINK = re.compile(r"^(?:Member|Office)(?:Question|Answer|Speech|Interjecting|Continuation)$")
_LABEL_PUNCT = re.compile(r"[\s()—–\-:,]*")
_BOLD = re.compile(r"font-weight:\s*bold")
_TIME = re.compile(r"\(\s*(\d{1,2})[:.](\d{2})\s*\)")
_STAGE = re.compile(r"^[^:]{0,120}\binterjecting\s*[—–-]*\s*$", re.IGNORECASE)
_CHAMBERS = {"reps": "House of Representatives", "house of reps": "House of Representatives",
             "house of representatives": "House of Representatives", "senate": "Senate"}


@dataclass(frozen=True)
class _Talker:
    name: str | None  # "Anthony Albanese" (None: an office or a stage direction)
    office: str | None  # "The SPEAKER" from "Wallace, Andrew MP (The SPEAKER)"
    electorate: str | None
    party: str | None
    role: str | None  # <role> (schemas 2.0, 2.1)
    display: str | None  # <name role="display"> (schemas 2.0, 2.1)


def register_name(metadata: str) -> tuple[str | None, str | None]:
    """``"Wallace, Andrew MP (The SPEAKER)"`` -> ``("Andrew Wallace", "The SPEAKER")``;
    ``"Wong, Sen Penny"`` -> ``("Penny Wong", None)``; ``"DEPUTY SPEAKER, The"`` ->
    ``(None, "The DEPUTY SPEAKER")``; a stage direction ("Mr Dutton interjecting—") ->
    ``(None, None)``."""
    text = " ".join(metadata.split())
    if not text or _STAGE.match(text):
        return None, None
    office = None
    bracket = re.search(r"\(([^()]*)\)\s*$", text)
    if bracket:
        office = bracket.group(1).strip() or None
        text = text[: bracket.start()].strip()
    surname, comma, given = text.partition(",")
    given = re.sub(r"\b(?:MP|Sen|Senator|Hon|The Hon)\b\.?", " ", given.replace(",", " "))
    given = " ".join(given.split())
    if not comma or not surname.strip():
        return None, office
    if given.lower() == "the":  # "DEPUTY SPEAKER, The": an office, no person
        return None, f"The {surname.strip()}"
    return (" ".join(f"{given} {surname}".split()) or None), office


def _talkers(root: Node) -> dict[str, list[_Talker]]:
    out: dict[str, list[_Talker]] = {}
    for node in root.iter("talker"):
        talker_id = _child_text(node, "name.id")
        if not talker_id:
            continue
        talker = _talker(node)
        if talker not in out.setdefault(talker_id, []):
            out[talker_id].append(talker)
    return out


def _talker(node: Node) -> _Talker:
    meta = next((c.text() for c in node.children if c.tag == "name" and c.get("role") == "metadata"), "")
    display = next((c.text() for c in node.children if c.tag == "name" and c.get("role") == "display"), None)
    name, office = register_name(meta)
    return _Talker(name, office, _child_text(node, "electorate"), _child_text(node, "party"),
                   _child_text(node, "role"), display or None)


def _child_text(node: Node, tag: str) -> str | None:
    child = node.find(tag)
    return (child.text() or None) if child is not None else None


# --- printed text ----------------------------------------------------------------------


def _pieces(node: Node, mark: Node | None = None):
    """(text, the label element it sits in or None), in order; whitespace holding a line
    break between tags is the file's indentation, not a space."""
    run: list[str] = []  # the parser hands character data over in pieces: join them first
    for item in [*node.content, None]:
        if isinstance(item, str):
            run.append(item)
            continue
        text = "".join(run)
        run = []
        if text and (text.strip() or "\n" not in text):
            yield text, mark
        if item is not None and item.tag not in _SKIP:
            yield from _pieces(item, mark or _label_mark(item))


def _label_mark(node: Node) -> Node | None:
    if node.tag == "a" and _TURN_LINK.match(node.get("type") or ""):
        return node
    if node.tag == "span" and (_LABEL_CLASS.match(node.get("class") or "") or _BOLD.search(node.get("style") or "")):
        return node  # a bold span: a label printed without a member's class ("The Clerk:")
    return None


def _flat(node: Node) -> str:
    return " ".join("".join(t for t, _m in _pieces(node)).split())


@dataclass
class _Label:
    label: str  # as printed, without the time and the colon
    link: str | None  # the member's or office's identifier the label links to
    time: float | None  # "(14:00)": seconds from midnight
    rest: str  # the words after the label
    office: str | None = None  # the ministerial titles the label prints
    electorate: str | None = None  # the seat (a senator's state) the label prints


def _leading_label(para: Node) -> _Label | None:
    """The printed label a paragraph opens with ("Mr BUTLER (Hindmarsh—...) (14:07):"),
    else None."""
    pieces = list(_pieces(para))
    first = next((m for t, m in pieces if t.strip()), None)
    if first is None:
        return None
    label: list[str] = []
    spans: dict[str, str] = {}
    link: str | None = None
    closed = False
    rest_from = len(pieces)
    for i, (text, mark) in enumerate(pieces):
        if mark is not None and not closed:
            label.append(text)
            if mark.tag == "a" and link is None:
                link = mark.get("href") or None
            if (mark.get("class") or "") in ("HPS-MinisterialTitles", "HPS-Electorate"):
                spans[mark.get("class") or ""] = spans.get(mark.get("class") or "", "") + text
            closed = text.rstrip().endswith(":") and (mark.get("class") or "") != "HPS-Time"
            continue
        if not closed:
            punct = _LABEL_PUNCT.match(text).end()
            if ":" in text[:punct]:
                punct = text.index(":") + 1  # the label ends at its colon
            label.append(text[:punct])
            closed = ":" in text[:punct]
            if punct == len(text):
                continue
            if not closed:
                return None  # words before any colon: not a label
            pieces[i] = (text[punct:], mark)
        rest_from = i  # the first piece after the label's colon
        break
    if not closed:
        return None
    printed = " ".join("".join(label).split())
    time_match = _TIME.search(printed)
    time = int(time_match.group(1)) * 3600 + int(time_match.group(2)) * 60 if time_match else None
    printed = _TIME.sub(" ", printed)
    printed = " ".join(printed.split()).rstrip(" :").strip()
    rest = " ".join("".join(t for t, _m in pieces[rest_from:]).split())
    office, seat = (" ".join(spans.get(c, "").split()) or None for c in ("HPS-MinisterialTitles", "HPS-Electorate"))
    return _Label(printed, link, float(time) if time is not None else None, rest, office, seat) if printed else None


def _is_stage_direction(para: Node, text: str) -> bool:
    parent = para.parent
    if parent is not None and parent.tag == "a" and "Interjecting" in (parent.get("type") or "") and not _TURN_LINK.match(
            parent.get("type") or ""):
        return True
    return bool(_STAGE.match(text))


# --- the reader --------------------------------------------------------------------------


class _Reader:
    def __init__(self, root: Node) -> None:
        self.talkers = _talkers(root)
        self.speeches: list[_Speech] = []
        offices: dict[str, set[str]] = {}
        for talker_id, people in self.talkers.items():
            for t in people:
                if t.office and t.name:
                    offices.setdefault(t.office.casefold(), set()).add(self._key(talker_id, t))
        # an office printed without a link ("The PRESIDENT:") is its one holder in the file
        self.office_keys = {office: next(iter(keys)) for office, keys in offices.items() if len(keys) == 1}

    def _key(self, talker_id: str, talker: _Talker | None) -> str:
        """The identifier, with the name when one identifier is used by several people
        (older files give every chair "10000")."""
        names = {t.name for t in self.talkers.get(talker_id, [])}
        if len(names) > 1 and talker is not None and talker.name:
            return f"{talker_id}|{talker.name}"
        return talker_id

    def _person(self, talker_id: str | None, hint: _Talker | None = None) -> _Talker | None:
        people = self.talkers.get(talker_id or "", [])
        if hint is not None and hint in people:
            return hint
        return people[0] if people else None

    def _speech(self, node: Node, label: str | None, talker_id: str | None, talker: _Talker | None,
                section: str | None, time: float | None = None) -> _Speech:
        key = self._key(talker_id, talker) if talker_id else None
        if key is None and label:
            office = re.sub(r"^the\s+", "the ", label.split("(")[0].strip(), flags=re.IGNORECASE).casefold()
            key = self.office_keys.get(office)
            talker = self._person(key.split("|")[0], None) if key else None
        speech = _Speech(node.start, node.end, key, label, [], section, talker.name if talker else None)
        if talker is not None:
            speech.party = talker.party
            speech.constituency = talker.electorate
            speech.role = talker.role
        speech.time_start = time
        self.speeches.append(speech)
        return speech

    def _narrative(self, node: Node, text: str, section: str | None) -> None:
        if text:
            self.speeches.append(_Speech(node.start, node.end, None, None, [text], section))

    def walk(self, node: Node, titles: tuple[str, ...]) -> None:
        if node.tag in _SKIP:
            return
        if _DEBATE.match(node.tag):
            info = node.find("debateinfo")
            info = info if info is not None else node.find("subdebateinfo")
            title = _child_text(info, "title") if info is not None else None
            titles = titles + (title,) if title else titles
        section = ": ".join(titles) or None
        if node.tag in _TALK_TAGS:
            self.talk(node, section)
            return
        if node.tag in _PARA_TAGS:
            if (node.get("class") or "") in _HEADING_CLASSES or _is_heading(node):
                return
            label = _leading_label(node) if node.tag == "p" else None
            if label is not None and not _is_stage_direction(node, _flat(node)):  # "The Clerk: I table ..."
                self._speech(node, label.label, label.link, self._person(label.link), section, label.time).paragraphs.append(
                    label.rest)
            else:
                self._narrative(node, _flat(node), section)
            return
        if node.tag == "division":
            self._narrative(node, _flat(node), section)
            return
        for child in node.children:
            self.walk(child, titles)

    def talk(self, node: Node, section: str | None) -> _Speech | None:
        """Read one talk element; the turn it ends with (None when it ends with none)."""
        start = node.find("talk.start")
        talker_node = start.find("talker") if start is not None else None
        owner = _talker(talker_node) if talker_node is not None else None
        owner_id = _child_text(talker_node, "name.id") if talker_node is not None else None
        body = node.find("talk.text")
        if body is not None:
            self._talk_text(body, owner_id, owner, section)
            for child in node.children:
                if child.tag in _TALK_TAGS:
                    self.talk(child, section)  # schema 2.2: empty records of who spoke
                elif child.tag not in ("talk.start", "talk.text"):
                    self._loose(child, section)
            return None
        # schemas 2.0 and 2.1: the element holds its paragraphs; after a nested turn, what
        # no <continue> claims is the record's business, no longer this speaker's
        current: _Speech | None = None
        first = True
        own = True
        for child in [c for c in (start.children if start is not None else []) if c.tag in _PARA_TAGS] + [
                c for c in node.children if c.tag != "talk.start"]:
            if child.tag in _TALK_TAGS:
                # paragraphs after a <continue> go on with it; after an <interjection>,
                # they are the record's business
                nested = self.talk(child, section)
                own = child.tag == "continue" and nested is not None
                current = nested if own else None
                continue
            if not own:
                self._loose(child, section)
                continue
            if first and child.tag in _PARA_TAGS:
                text, label = _old_para(child, owner)
            else:
                text, label = _flat(child), None
            first = False
            if not text:
                continue
            if current is None:
                printed = label or (owner.display or owner.name if owner else None)
                current = self._speech(child, printed, owner_id, owner, section)
            current.paragraphs.append(text)
            current.end = max(current.end, child.end)
        return current

    def _loose(self, node: Node, section: str | None) -> None:
        """Content of a speech no turn claims: its paragraphs, speakerless."""
        paras = [p for p in node.iter(*_PARA_TAGS)]
        if not paras:
            self._narrative(node, _flat(node), section)
        for p in paras:
            if not any(a.tag in _PARA_TAGS for a in _ancestors(p, node)):
                self._narrative(p, _flat(p), section)

    def _talk_text(self, body: Node, owner_id: str | None, owner: _Talker | None, section: str | None) -> None:
        current: _Speech | None = None
        last: tuple[str | None, str | None, _Talker | None] | None = None  # label, id, talker
        for para in body.iter("p"):
            if any(a.tag == "p" for a in _ancestors(para, body)):
                continue  # a paragraph inside a paragraph is read with it
            text = _flat(para)
            if not text or (para.get("class") or "") in _HEADING_CLASSES:
                continue
            if _is_stage_direction(para, text):
                self._narrative(para, text, section)
                current = None
                continue
            label = _leading_label(para)
            if label is not None:
                talker = self._person(label.link) if label.link else None
                current = self._speech(para, label.label, label.link, talker, section, label.time)
                current.role = label.office or current.role
                current.constituency = label.electorate or current.constituency
                last = (label.label, label.link, talker)
                if label.rest:
                    current.paragraphs.append(label.rest)
                continue
            if current is None:
                # the element's own talker, or the speaker a stage direction interrupted
                printed, talker_id, talker = last or (None, owner_id, owner)
                printed = printed or (talker.display or talker.name if talker else None)
                current = self._speech(para, printed, talker_id, talker, section)
            current.paragraphs.append(text)
            current.end = para.end


def _is_heading(node: Node) -> bool:
    return any((s.get("class") or "") in _HEADING_CLASSES for s in node.iter("span"))


def _ancestors(node: Node, stop: Node):
    parent = node.parent
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parent


def _old_para(para: Node, owner: _Talker | None) -> tuple[str, str | None]:
    """A schema 2.0/2.1 first paragraph: its words without the label's remains ("—I move:"),
    and the label (the display name, with a bold "(Mr McMullan)" the paragraph opens with)."""
    label = owner.display or owner.name if owner else None
    lead = next((c for c in para.content if not isinstance(c, str) or c.strip()), None)
    text = _flat(para)
    if isinstance(lead, Node) and lead.tag == "inline" and (lead.get("font-weight") or "") == "bold":
        bold = _flat(lead)
        if bold.startswith("(") and bold.endswith(")"):
            label = f"{label} {bold}" if label else bold.strip("()")
            text = text[len(bold):].strip() if text.startswith(bold) else text
    return text.lstrip("—–- ").strip(), label


def read_au_hansard(root: Node) -> tuple[list[_Speech], str | None, str | None]:
    """The speeches of a ParlInfo Hansard file, its title and its date."""
    reader = _Reader(root)
    for child in root.children:
        reader.walk(child, ())
    header = root.find("session.header")
    sitting = _child_text(header, "date") if header is not None else None
    chamber = _child_text(header, "chamber") if header is not None else None
    title = None
    if chamber:
        title = f"{_CHAMBERS.get(chamber.casefold(), chamber)} Hansard"
        try:
            day = _date.fromisoformat(sitting or "")
            title += f", {day.day} {day:%B %Y}"
        except ValueError:
            pass
    return reader.speeches, title, sitting
