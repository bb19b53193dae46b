"""One error hierarchy. The library raises these; only the CLI turns them into
messages and exit codes (see ``transcript_qa.cli``)."""

from __future__ import annotations

from typing import Iterable


class TranscriptQAError(Exception):
    """Base class: a problem the user can act on. ``str(err)`` is a one-line message."""

    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class ParseError(TranscriptQAError):
    """A document (or a line of it) could not be parsed."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line
        self.reason = message


class CorpusError(TranscriptQAError):
    """The corpus as a whole is unusable (missing folder, no documents, bad manifest file)."""


class IndexError_(TranscriptQAError):
    """Base for index problems (named with a trailing underscore to avoid the builtin)."""


class IndexMissingError(IndexError_):
    """No index where one was expected."""


class IndexFormatError(IndexError_):
    """An index that is corrupt, truncated, or of another format version."""


class StaleIndexError(IndexError_):
    """The corpus changed since the index was built."""


class QueryError(TranscriptQAError):
    """A question that cannot be answered as asked (for example, an empty one)."""


class InvalidArgumentError(QueryError, ValueError):
    """A filter or argument of the wrong form (a date that is not a real
    yyyy-mm-dd, a negative k). Also a ValueError, as Python callers expect."""


class UnknownFilterValueError(QueryError):
    """A filter value that no passage in the index has."""

    def __init__(self, field: str, value: str, known: Iterable[str], close: Iterable[str] | None = None) -> None:
        import difflib

        known = sorted(set(known))
        close = list(close) if close is not None else difflib.get_close_matches(value, known, n=3, cutoff=0.5)
        if close:
            hint = "did you mean " + ", ".join(repr(c) for c in close) + "?"
        else:
            shown = ", ".join(repr(k) for k in known[:12])
            more = f" and {len(known) - 12} more" if len(known) > 12 else ""
            hint = f"known values: {shown}{more}"
        super().__init__(f"no passage has {field} {value!r}; {hint}", hint=hint)
        self.field = field
        self.value = value
        self.close_matches = close


class OutputError(TranscriptQAError):
    """An output file that cannot be written."""


class BatchError(TranscriptQAError):
    """A questions file that cannot be read at all."""


class EvaluationError(TranscriptQAError):
    """A run or qrels file that cannot be read."""
