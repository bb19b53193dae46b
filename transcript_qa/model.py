"""The small, frozen types that users of transcript_qa see.

Data flows one way through the package::

    documents (files) -> Document + Passage   (parsing/, corpus.py)
    Passage           -> terms                (analysis.py, acronyms.py)
    terms             -> Index on disk        (index.py)
    Index + question  -> Answer(Hit, SpeakerAnswer)  (search.py)
    Answer            -> text / json / csv / trec    (output.py)

Everything here is plain data: no I/O, no heavy imports, so that importing
``transcript_qa.model`` stays cheap on the query path.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

#: Document kinds the loader knows. ``plain`` is the fallback for a file with no
#: recognisable structure (it becomes plain paragraphs, with a warning).
DOCUMENT_KINDS: tuple[str, ...] = (
    "transcript",
    "report",
    "letter",
    "press_release",
    "decision_form",
    "covering_report",
    "minutes",  # minutes of a council or committee meeting: reported speech attributed
    "plain",
)

#: Values of ``Passage.boilerplate``: why a passage is left out of the index by
#: default. ``None`` means "real content".
BOILERPLATE_TAGS: tuple[str, ...] = (
    "metadata",  # title lines, headers, dates, addresses
    "contents",  # a contents page
    "contact",  # contact details, e-mail addresses, phone numbers
    "form",  # signature blocks and form fields ("Printed Name:", "Date:")
    "image",  # descriptions of images
    "translations",  # "other formats and languages" block
    "footnote",  # footnote lines that could not be attached to a paragraph
)


@dataclass(frozen=True)
class Speaker:
    """One person or body that speaks or is quoted.

    ``name`` is the canonical identity ("Kilvinder Vigurs", "Susan Hall",
    "St Mungo's"). Titles and honours ("AM", "MBE", "Dr", "Commander") are
    kept in ``honours`` and never split an identity. ``raw`` is the label as it
    appeared in the source.
    """

    name: str
    role: str | None = None
    organisation: str | None = None
    honours: tuple[str, ...] = ()
    raw: str = ""
    party: str | None = None  # "Lab", "CPC", "Lib." as printed
    constituency: str | None = None  # "Guelph", "Barchester", "New Jersey"
    #: what the label names: "person", "office" (an office with no person named:
    #: "The Chair"), "group" ("Hon. Members"), "organisation", or "unknown"
    kind: str = "person"
    printed: str | None = None  # the person's name as printed ("ROBERTS", "M S F DE FREITAS")


@dataclass(frozen=True)
class Document:
    """One source file of a corpus."""

    id: str  # the manifest's id, else the file stem
    title: str
    kind: str  # one of DOCUMENT_KINDS
    date: str | None  # ISO yyyy-mm-dd, or None when unknown
    path: str  # path of the file relative to the corpus root (posix)
    source: str | None = None  # where the original came from (manifest)
    author: str | None = None  # letters: canonical name of the signatory
    recipient: str | None = None  # letters: who it is addressed to
    encoding: str = "utf-8"  # the encoding the file was read with
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Passage:
    """A speaker-attributed unit of text: a transcript turn, a report paragraph,
    a quote with the witness it is attributed to, or a letter paragraph.

    ``id`` is stable across rebuilds of the same file: ``f"{document}:{position}"``.
    ``position`` is the 0-based place of the passage among its document's
    passages (boilerplate included); for JSON / JSON Lines transcripts it is the
    turn's index in the file. ``start``/``end`` are character offsets into the
    decoded source text, so ``text_of_file[start:end]`` is where it came from.
    """

    id: str
    document: str
    kind: str  # the document's kind
    title: str  # the document's title
    date: str | None
    position: int
    text: str
    start: int
    end: int
    section: str | None = None
    speaker: str | None = None  # canonical name
    role: str | None = None
    organisation: str | None = None
    speaker_label: str | None = None  # the label as written in the source
    citation: str | None = None  # footnote text(s) cited by this paragraph
    boilerplate: str | None = None  # one of BOILERPLATE_TAGS, or None
    time_start: float | None = None  # seconds, for timed transcripts (VTT, JSON)
    time_end: float | None = None
    links: tuple[str, ...] = ()  # ids of passages with the same words elsewhere
    party: str | None = None  # the speaker's party, as printed in this document
    constituency: str | None = None  # the speaker's constituency or state, as printed

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["links"] = list(self.links)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Passage":
        values = dict(data)
        values["links"] = tuple(values.get("links") or ())
        return cls(**values)


@dataclass(frozen=True)
class Skipped:
    """Something the loader could not use, and why (nothing is dropped silently)."""

    path: str
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class SpeakerInfo:
    """A speaker as listed by ``Corpus.speakers()`` / ``Index.speakers()``."""

    name: str
    roles: tuple[str, ...]
    organisations: tuple[str, ...]
    honours: tuple[str, ...]
    passages: int
    documents: tuple[str, ...]
    labels: tuple[str, ...] = ()  # raw labels seen in the sources
    aliases: tuple[str, ...] = ()  # other names this identity goes by ("Cllr Okafor", "Lee Rowley")
    parties: tuple[str, ...] = ()
    constituencies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # speakers read back from JSON carry lists; keep the fields tuples
        for name in ("roles", "organisations", "honours", "documents", "labels", "aliases", "parties", "constituencies"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value or ()))


@dataclass(frozen=True)
class Acronym:
    """An abbreviation the corpus itself defines: "Community Accommodation
    Service Tier 3 (CAS3)"."""

    short: str
    long: str
    passages: tuple[str, ...] = ()  # ids of passages where it is defined


@dataclass(frozen=True)
class Filters:
    """Restrictions applied to the candidate passages before ranking.

    Text values match case-insensitively; ``speaker`` also matches on part of a
    name ("vigurs"). ``since``/``until`` are inclusive ISO dates (yyyy-mm-dd).
    """

    speaker: str | None = None
    organisation: str | None = None
    role: str | None = None
    document: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None

    def active(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


@dataclass(frozen=True)
class AnswerSpan:
    """The shortest span of a passage that answers a factual question: a
    quantity, an amount, a percentage, a date, a duration or a name.

    ``text == passage.text[start:end]`` (or ``passage.citation[start:end]``
    when ``field == "citation"``: the answer is in a footnote the passage
    cites; or ``passage.speaker[start:end]`` when ``field == "speaker"``: a
    "who is the <office>" question answered by the holder's own turn). ``type`` is one of ``quantity``, ``money``, ``percent``,
    ``date``, ``duration``, ``person``."""

    text: str
    start: int
    end: int
    type: str
    field: str = "text"
    passage_id: str = ""


@dataclass(frozen=True)
class Hit:
    """A ranked passage.

    ``snippet`` is plain text around the best-matching sentence;
    ``highlights`` are (start, end) character spans of matched terms inside
    ``snippet``. ``explain`` lists the query terms that contributed most to the
    score, as (term, contribution) pairs, largest first.
    """

    passage: Passage
    score: float
    rank: int  # 1-based
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
    explain: tuple[tuple[str, float], ...] = ()
    answer: AnswerSpan | None = None  # factual questions: the span of this passage that answers


@dataclass(frozen=True)
class SpeakerAnswer:
    """A speaker ranked for a question, with their best hits."""

    speaker: str
    score: float
    rank: int
    role: str | None = None
    organisation: str | None = None
    hits: tuple[Hit, ...] = ()


@dataclass(frozen=True)
class Answer:
    """Everything known about one question: ranked passages and speakers.

    ``intent`` is ``"who"`` when the question asks for people, else
    ``"passages"``. ``speakers`` is filled for every question. ``reason`` says
    why ``hits`` is empty (no query terms, a filter matched nothing, ...).
    ``answer`` is, for a factual question ("how many ...", "when ..."), the
    best answer span over the hits (each hit has its own ``answer``), else None.
    """

    question: str
    intent: str
    hits: tuple[Hit, ...]
    speakers: tuple[SpeakerAnswer, ...]
    terms: tuple[str, ...] = ()
    reason: str | None = None
    id: str | None = None
    filters: Filters = Filters()
    answer: AnswerSpan | None = None
    #: the question's words no passage has, as asked (they could match nothing)
    unmatched: tuple[str, ...] = ()
    #: what a reader should know about the hits: a speaker the question names has none of them
    notes: tuple[str, ...] = ()
