"""One speech as an XML debate reader finds it, before it becomes passages
(shared by :mod:`.xml_debates` and the readers it registers)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Speech:
    start: int
    end: int
    key: str | None  # the source's identifier for the speaker
    label: str | None  # the label as printed (or the best name the source gives)
    paragraphs: list[str]
    section: str | None
    register: str | None = None  # the name the source's own register gives the identifier
    # what the source records of the speaker beyond the label (the label's own come first)
    role: str | None = None
    party: str | None = None
    constituency: str | None = None
    time_start: float | None = None  # seconds from midnight, when the record prints the time
