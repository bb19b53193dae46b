"""Parliamentary debates in XML: one passage per speech, speakers from the source's
own person identifiers.

* **TheyWorkForYou / parlparse** (``<publicwhip>``): ``<speech speakername=...
  person_id=...>`` with ``<p>`` paragraphs; ``nospeaker="true"`` is narrative;
  ``<major-heading>`` / ``<minor-heading>`` give the section.
* **Akoma Ntoso debates** (``<akomaNtoso><debate>``, any dialect: South Africa's,
  the Oireachtas'): ``<speech by="#ref">`` (also ``<question>``, ``<answer>``) with
  ``<from>`` (the label as printed) and ``<p>``; ``by`` points to a ``<TLCPerson
  showAs=...>``, whose name is the person's when every label is an office ("The
  Taoiseach"); an empty reference (``by="#"``: a witness, "Deputies") is no identifier,
  the label alone says who speaks; ``<debateSection><heading>`` gives the section;
  ``<narrative>`` and ``<summary>`` ("Sitting suspended at 1.30 p.m.") are speakerless
  passages.
* **ParlaMint TEI** (``<TEI>`` or ``<teiCorpus>``): ``<u who="#id">`` with ``<seg>``
  paragraphs; the speaker's name from a ``<note type="speaker">`` before it, else the
  file's ``<listPerson>``, else the identifier ("#LindsayHoyle" -> "Lindsay Hoyle");
  ``<div><head>`` gives the section. Transcriber notes inside ``<u>`` are left out.
* **Parliament of Australia** (``<hansard>``, ParlInfo, House and Senate): turns marked
  by the member's link in each paragraph (schema 2.2) or by nested ``<interjection>`` and
  ``<continue>`` elements (2.0, 2.1), named from each ``<talker>``; see ``xml_au_hansard.py``.
* **House of Commons of Canada** (``<Hansard>``, debates and committee evidence):
  ``<Intervention>`` with ``<PersonSpeaking><Affiliation DbId=...>`` (the label as
  printed) and ``<ParaText>``; ``<SubjectOfBusinessTitle>`` gives the section.

Every passage of one identifier gets one name (the fullest personal name any of its
labels gives), so "Mr Speaker" and "Lindsay Hoyle" under one ``person_id`` are one
speaker; the label as printed is kept in ``speaker_label``. Groups ("Hon. Members:")
and speeches without an identifier that name no person have no speaker.

The file is read with entity expansion disabled (``xml_safe.py``); a malformed or
hostile file, or XML in another vocabulary, gives no passages and a one-line warning.
"""

from __future__ import annotations

import re

from ..labels import looks_like_person
from ..model import Document, Passage
from ..speakers import parse_speaker_label
from .common import ParseResult, find_date, new_passage
from .xml_au_hansard import read_au_hansard
from .xml_safe import Node, XMLRefused, read_xml
from .xml_speech import Speech as _Speech


def parse_xml(text: str, doc: Document) -> ParseResult:
    """Parse a parliamentary XML file (see the module docstring)."""
    try:
        root = read_xml(text)
    except XMLRefused as err:
        return ParseResult((), (), skipped=((None, f"not read: {err}"),))
    readers = {"publicwhip": _parlparse, "akomaNtoso": _akoma_ntoso, "TEI": _tei, "teiCorpus": _tei, "Hansard": _ourcommons,
               "hansard": read_au_hansard}
    reader = readers.get(root.tag)
    if reader is None:
        known = "parlparse, Akoma Ntoso, ParlaMint TEI, Canadian Hansard, Australian Hansard"
        reason = f"XML with root <{root.tag}> is not a debate format this reader knows ({known})"
        return ParseResult((), (), skipped=((None, reason),))
    speeches, title, date = reader(root)
    passages = _passages(speeches, doc)
    skipped = () if passages else ((None, f"no speeches in <{root.tag}>"),)
    return ParseResult(tuple(passages), (), title=title, date=date, skipped=skipped, resolved=True)


_P_TAGS = frozenset({"p", "seg", "ParaText"})


def _paragraphs(node: Node, skip: frozenset[str] = frozenset()) -> list[str]:
    paras = [p.text(skip) for p in node.children if p.tag in _P_TAGS]
    if not paras:
        paras = [node.text(skip | {"from"})]
    return [p for p in paras if p]


# --- the four vocabularies -------------------------------------------------------------


def _parlparse(root: Node) -> tuple[list[_Speech], str | None, str | None]:
    speeches: list[_Speech] = []
    major: str | None = None
    section: str | None = None
    for node in root.iter("speech", "major-heading", "minor-heading", "oral-heading"):
        if node.tag in ("major-heading", "oral-heading"):
            major = section = node.text() or None
            continue
        if node.tag == "minor-heading":
            minor = node.text() or None
            section = f"{major}: {minor}" if major and minor else (minor or major)
            continue
        nobody = (node.get("nospeaker") or "").lower() == "true"
        label = None if nobody and not node.get("speakername") else node.get("speakername")
        key = node.get("person_id") or node.get("speakerid")
        speeches.append(_Speech(node.start, node.end, key, label, _paragraphs(node), section))
    return speeches, None, None


def _akoma_ntoso(root: Node) -> tuple[list[_Speech], str | None, str | None]:
    people = {("#" + (n.get("eId") or n.get("id") or "")): n.get("showAs") for n in root.iter("TLCPerson")}
    speeches: list[_Speech] = []
    spoken = {"speech", "question", "answer", "narrative", "summary", "from"}
    body = next(root.iter("debateBody"), None)
    for node in (body.iter("speech", "question", "answer", "narrative", "summary", "p") if body is not None else ()):
        section = _akn_section(node)
        if node.tag == "p":
            # a paragraph outside any speech ("The House met at 14:03"): speakerless
            if node.parent is not None and node.parent.tag not in spoken and node.text():
                speeches.append(_Speech(node.start, node.end, None, None, [node.text()], section))
            continue
        if node.tag in ("narrative", "summary"):
            if node.parent is None or node.parent.tag not in spoken:
                speeches.append(_Speech(node.start, node.end, None, None, _paragraphs(node), section))
            continue
        from_ = node.find("from")
        by = node.get("by") if (node.get("by") or "").strip("# ") else None  # by="#": nobody's identifier
        label = from_.text() if from_ is not None else None
        label = label or (people.get(by or "") if by else None)
        register = people.get(by) if by else None
        speeches.append(_Speech(node.start, node.end, by, label, _paragraphs(node, frozenset({"from"})), section, register))
    title = None
    debate = next(root.iter("debate"), None)
    if debate is not None:
        title = debate.get("name")
    date_node = next(root.iter("docDate"), None)
    date = date_node.get("date") if date_node is not None else None
    return speeches, title, date


def _akn_section(node: Node) -> str | None:
    parent = node.parent
    while parent is not None:
        if parent.tag == "debateSection":
            heading = parent.find("heading")
            if heading is not None and heading.text():
                return heading.text()
        parent = parent.parent
    return None


_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")
_TEI_SKIP = frozenset({"note", "kinesic", "vocal", "incident", "gap", "desc"})


def _tei(root: Node) -> tuple[list[_Speech], str | None, str | None]:
    names: dict[str, str] = {}
    for person in root.iter("person"):
        pid = person.get("id")
        pers = person.find("persName")
        if pid and pers is not None:
            fore = " ".join(c.text() for c in pers.children if c.tag == "forename")
            sur = " ".join(c.text() for c in pers.children if c.tag == "surname")
            names["#" + pid] = " ".join(x for x in (fore, sur) if x) or pers.text()
    speeches: list[_Speech] = []
    for div in root.iter("div"):
        head = div.find("head")
        section = head.text() if head is not None else None
        printed: str | None = None
        for node in div.children:
            if node.tag == "head" and node.text():
                section = node.text()
            elif node.tag == "note" and (node.get("type") or "") == "speaker":
                printed = node.text()
            elif node.tag == "u":
                who = node.get("who")
                label = printed or (names.get(who or "") if who else None) or _id_name(who)
                speeches.append(_Speech(node.start, node.end, who, label, _paragraphs(node, _TEI_SKIP), section))
                printed = None
    title_node = next(root.iter("title"), None)
    date_node = next((n for n in root.iter("date") if n.get("when")), None)
    return speeches, (title_node.text() if title_node is not None else None), (date_node.get("when") if date_node else None)


def _id_name(who: str | None) -> str | None:
    """"#LindsayHoyle" -> "Lindsay Hoyle" (ParlaMint identifiers are names run together)."""
    if not who:
        return None
    core = who.lstrip("#").split(".")[0]
    core = re.sub(r"[_-]+", " ", core)
    return " ".join(_CAMEL.sub(" ", core).split()) or None


def _ourcommons(root: Node) -> tuple[list[_Speech], str | None, str | None]:
    speeches: list[_Speech] = []
    section: str | None = None
    label_ids = {a.text(): a.get("DbId") for a in root.iter("Affiliation") if a.get("DbId")}
    for node in root.iter("SubjectOfBusinessTitle", "Intervention"):
        if node.tag == "SubjectOfBusinessTitle":
            section = node.text() or section
            continue
        who = node.find("PersonSpeaking")
        aff = who.find("Affiliation") if who is not None else None
        label = aff.text() if aff is not None else None
        key = aff.get("DbId") if aff is not None else None
        content = node.find("Content")
        current = _Speech(node.start, node.end, key, label, [], section)
        speeches.append(current)
        for para in content.children if content is not None else []:
            if para.tag != "ParaText":
                continue
            bold = _leading_bold_label(para)
            if bold is not None:
                # "<B>Mr. Corey Tochor:</B> Okay.": an interjection printed as a turn
                current.end = para.start
                current = _Speech(para.start, node.end, label_ids.get(bold, bold), bold, [], section)
                speeches.append(current)
                rest = para.text(frozenset({"B"}))
                if rest:
                    current.paragraphs.append(rest)
                continue
            text = para.text()
            if text:
                current.paragraphs.append(text)
    title = None
    date = None
    for item in root.iter("ExtractedItem"):
        if item.get("Name") == "InstitutionDebate" and not title:
            title = item.text()
        if item.get("Name") == "Date" and not date:
            date = find_date(item.text())
    return speeches, title, date


def _leading_bold_label(para: Node) -> str | None:
    """The label of a paragraph that opens with a bold "Name:" (else None)."""
    for item in para.content:
        if isinstance(item, str):
            if item.strip():
                return None
            continue
        if item.tag != "B":
            return None
        text = item.text()
        return text[:-1].strip() if text.endswith(":") and len(text) > 1 else None
    return None


# --- passages ---------------------------------------------------------------------------


def _passages(speeches: list[_Speech], doc: Document) -> list[Passage]:
    """One passage per speech; one name per identifier (its fullest personal name)."""
    parsed = {s.label: parse_speaker_label(s.label) for s in speeches if s.label}
    for s in speeches:
        if s.register and s.register not in parsed:
            parsed[s.register] = parse_speaker_label(s.register)
    best: dict[str, str] = {}
    best_score: dict[str, tuple[bool, bool, int]] = {}
    for s in speeches:
        if not s.key:
            continue
        # the labels as printed, and the name the source's register gives the identifier
        for name in (s.label, s.register):
            sp = parsed.get(name) if name else None
            if sp is None or sp.kind not in ("person", "office") or not sp.name:
                continue
            score = (sp.kind == "person", looks_like_person(sp.name), len(sp.name.split()))
            if s.key not in best or score > best_score[s.key]:
                best[s.key] = sp.name
                best_score[s.key] = score
    passages: list[Passage] = []
    for s in speeches:
        text = "\n\n".join(s.paragraphs).strip()
        if not text:
            continue
        sp = parsed.get(s.label) if s.label else None
        speaker = None
        if sp is not None and sp.kind in ("person", "office", "organisation"):
            speaker = best.get(s.key or "", sp.name) if s.key else sp.name
        passages.append(
            new_passage(
                doc,
                len(passages),
                text=text,
                start=s.start,
                end=s.end,
                section=s.section,
                speaker=speaker or None,
                role=(sp.role if sp else None) or (s.role if speaker else None),
                organisation=sp.organisation if sp else None,
                party=(sp.party if sp else None) or (s.party if speaker else None),
                constituency=(sp.constituency if sp else None) or (s.constituency if speaker else None),
                speaker_label=s.label if sp else None,
                time_start=s.time_start,
            )
        )
    return passages

