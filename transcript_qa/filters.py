"""Filters: restrictions on the candidate passages, applied as a mask before ranking."""

from __future__ import annotations

import datetime
import re
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Sequence

from transcript_qa.errors import InvalidArgumentError, QueryError, UnknownFilterValueError
from transcript_qa.model import Filters

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from transcript_qa.index import Index

FILTER_FIELDS = tuple(f.name for f in fields(Filters))
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_PARTIAL_DATE_RE = re.compile(r"[0-9]{4}(?:-[0-9]{1,2})?")


def date_problem(value: Any) -> str | None:
    """Why ``value`` is not a real calendar date written yyyy-mm-dd, or None.

    The one date rule for ``--since/--until``, question files and the library:
    ``2024-13-45``, ``0000-00-00`` and a bare year or month (``2024``,
    ``2024-03``) are refused rather than compared as text."""
    text = value.strip() if isinstance(value, str) else value
    m = _DATE_RE.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        if isinstance(text, str) and _PARTIAL_DATE_RE.fullmatch(text):
            year = text[:4]
            return (f"{value!r} is not a full date yyyy-mm-dd (for a year or month, give its first or last day: "
                    f"{year}-01-01 ... {year}-12-31)")
        return f"{value!r} is not a date yyyy-mm-dd"
    try:
        datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as err:
        return f"{text!r} is not a real date ({err})"
    return None


def check_date(value: Any, name: str = "date") -> str:
    """``value`` (stripped) if it is a real date yyyy-mm-dd (see :func:`date_problem`);
    else :class:`InvalidArgumentError` (a ValueError) naming ``name``."""
    problem = date_problem(value)
    if problem:
        raise InvalidArgumentError(f"{name}: {problem}")
    return value.strip()


def make_filters(values: dict[str, Any]) -> Filters:
    """``Filters`` from keyword arguments; unknown names are a QueryError."""
    unknown = sorted(set(values) - set(FILTER_FIELDS))
    if unknown:
        raise QueryError(
            f"unknown filter {unknown[0]!r}; known filters: {', '.join(FILTER_FIELDS)}"
        )
    clean = {k: (None if v in (None, "") else str(v)) for k, v in values.items()}
    for key in ("since", "until"):
        value = clean.get(key)
        if value is not None:
            clean[key] = check_date(value, key)
    return Filters(**clean)


def _matching_codes(field: str, value: str, known: Sequence[str]) -> list[int]:
    wanted = value.strip().casefold()
    exact = [i for i, v in enumerate(known) if v.casefold() == wanted]
    if exact or field in ("kind",):
        return exact
    return [i for i, v in enumerate(known) if wanted in v.casefold()]


def _unknown_value(field: str, value: str, known: Sequence[str]) -> UnknownFilterValueError:
    """The error for a value no passage has, suggesting close names also when
    only one word of a name is close ("Vigors" -> "Kilvinder Vigurs")."""
    import difflib

    err = UnknownFilterValueError(field, value, known)
    if not err.close_matches:
        wanted = value.casefold()
        close = [
            name for name in sorted(set(known))
            if any(difflib.SequenceMatcher(None, wanted, word.casefold()).ratio() >= 0.75
                   for word in re.findall(r"[^\W_]+", name))
        ][:3]
        if close:
            err = UnknownFilterValueError(field, value, known, close=close)
    return err


def filter_mask(index: "Index", filters: Filters) -> tuple[np.ndarray | None, str | None]:
    """A boolean mask over passages (None: no filter), and a reason when it is empty.

    Raises UnknownFilterValueError for a value no passage has."""
    import numpy as np

    active = filters.active()
    if not active:
        return None, None
    mask = index._array("indexed").astype(bool)
    for field, value in active.items():
        if field in ("since", "until"):
            continue
        known = index._columns[field]
        codes = _matching_codes(field, value, known)
        if not codes:
            raise _unknown_value(field, value, known)
        column = index._array(field)
        mask &= np.isin(column, np.asarray(codes, dtype=column.dtype))
    since, until = active.get("since"), active.get("until")
    if since or until:
        dates = index._columns["date"]
        ok = [
            i for i, d in enumerate(dates)
            if (not since or d[: len(since)] >= since) and (not until or d[: len(until)] <= until)
        ]
        column = index._array("date")
        mask &= np.isin(column, np.asarray(ok, dtype=column.dtype))
    if not mask.any():
        shown = " and ".join(f"{k}={v!r}" for k, v in active.items())
        return mask, f"no indexed passage matches {shown}"
    return mask, None


