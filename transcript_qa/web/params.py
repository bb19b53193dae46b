"""The query string of a page or API call, checked: the question, ``k``, the
filters (as the CLI's options), a context size. Pure: a mapping of names to
lists of values in, a :class:`Params` or a :class:`BadParameter` out. No web
framework needed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence
from urllib.parse import urlencode

from ..errors import QueryError
from ..model import Filters

#: Filter parameters, as the CLI's options (``--speaker`` ... ``--until``).
FILTER_NAMES: tuple[str, ...] = ("speaker", "organisation", "role", "kind", "document", "since", "until")
#: Largest ``k`` a request may ask for (a page of hits, not a dump of the index).
MAX_K = 1000
#: Longest question accepted.
MAX_QUESTION = 2000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadParameter(QueryError):
    """A query string the app cannot use (HTTP 400). ``str(err)`` says why."""


@dataclass(frozen=True)
class Params:
    """One request's checked parameters."""

    q: str = ""
    k: int = 10
    filters: Filters = Filters()
    context: int = 2

    def query(self, **changes: str | int | None) -> str:
        """This search as a query string (``q``, ``k`` unless default, active
        filters), with ``changes`` applied: the link of a chart bar, a page."""
        values: dict[str, str | int | None] = {"q": self.q, **self.filters.active()}
        values.update(changes)
        return urlencode([(k, v) for k, v in values.items() if v not in (None, "")])


def parse(args: Mapping[str, Sequence[str]], *, allowed: Iterable[str], default_k: int = 10,
          require_q: bool = False) -> Params:
    """Check ``args`` (each name with its list of values; ``?a=1&a=2`` gives
    two). Names outside ``allowed`` (some of ``q, k, context`` and the
    filters), a name given twice, a ``k`` or ``context`` that is not a whole
    number in range, a date that is not yyyy-mm-dd, or (``require_q``) an
    empty question raise :class:`BadParameter`. An empty value is no filter
    (what an empty form field sends)."""
    allowed = tuple(allowed)
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        raise BadParameter(f"unknown parameter {unknown[0]!r}; known parameters: {', '.join(allowed)}")
    single: dict[str, str] = {}
    for name, values in args.items():
        values = list(values)
        if len(values) > 1:
            raise BadParameter(f"parameter {name!r} is given {len(values)} times; give it once")
        single[name] = values[0] if values else ""
    q = single.get("q", "").strip()
    if len(q) > MAX_QUESTION:
        raise BadParameter(f"the question is {len(q)} characters long; at most {MAX_QUESTION} are accepted")
    if require_q and not q:
        raise BadParameter("the question is empty: give one as ?q=...")
    k = _number(single, "k", default_k, 1, MAX_K)
    context = _number(single, "context", 2, 0, MAX_K)
    filters = {}
    for name in FILTER_NAMES:
        value = single.get(name, "").strip()
        if not value:
            continue
        if name in ("since", "until") and not _DATE.match(value):
            raise BadParameter(f"{name}: {value!r} is not a date yyyy-mm-dd")
        filters[name] = value
    return Params(q=q, k=k, filters=Filters(**filters), context=context)


def _number(single: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = single.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"\d{1,9}", raw):
        raise BadParameter(f"{name}: {raw!r} is not a whole number")
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(f"{name}: {value} is out of range; give {low} to {high}")
    return value
