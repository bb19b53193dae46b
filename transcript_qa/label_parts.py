"""The parts of a speaker label: an office written first ("The Minister for Housing",
"Madam Deputy Speaker": :func:`office_phrase`) and what a label's brackets hold (a party,
a seat, a time stamp, a note on how the words were delivered, the offices a member holds,
a role or a body). :mod:`transcript_qa.labels` puts them together; pure and cheap to import.
"""

from __future__ import annotations

import re

from .label_names import (
    _DASH_CLASS,
    _caps,
    _word,
    looks_like_organisation,
    normalise_name,
)
from .label_words import (
    ARTICLES,
    NAME_CONNECTORS,
    OFFICE_LEADS,
    OFFICE_MODIFIERS,
    OFFICE_NOUNS,
    ORGANISATION_WORDS,
    PARTY_WORDS,
    ROLE_WORDS,
)


def _words(text: str) -> list[str]:
    return [w for w in (_word(t) for t in re.split(r"[\s" + _DASH_CLASS + r"/]+", text)) if w]


def _office_word(word: str) -> bool:
    parts = [p for p in re.split(r"[" + _DASH_CLASS + r"]", word) if p]
    return any(p in OFFICE_NOUNS for p in parts) or word in OFFICE_NOUNS


def _modifier(word: str) -> bool:
    parts = [p for p in re.split(r"[" + _DASH_CLASS + r"]", word) if p]
    return bool(parts) and all(p in OFFICE_MODIFIERS or p in OFFICE_NOUNS for p in parts)


def office_phrase(head: str) -> tuple[str | None, str] | None:
    """``(lead, office)`` when ``head`` (a label outside brackets) names an office first:
    "The Chair", "Madam Deputy Speaker" (lead "Madam"), "The Minister for Housing,
    Planning and Building Safety", "The SPEAKER pro tempore", "Prime Minister",
    "Minister of Veterans Affairs". Offices may be of any length; their words are
    capitalised or connectors. None for a person ("Chairman GRASSLEY", "Mr Smith")."""
    tokens = normalise_name(head).split()
    if not tokens or len(tokens) > 40:
        return None
    lead: str | None = None
    first = _word(tokens[0])
    rest = tokens
    if first in ("rt", "right") and len(tokens) > 2 and _word(tokens[1]) in ("hon", "honourable", "honorable"):
        lead = " ".join(tokens[:2])  # "Rt. Hon. Speaker"
        rest = tokens[2:]
    elif first in OFFICE_LEADS and len(tokens) > 1:
        lead = tokens[0]
        rest = tokens[1:]
    words = [_word(t) for t in rest]
    if not words or not all(t[:1].isupper() or w in NAME_CONNECTORS for t, w in zip(rest, words)):
        return None
    if any(ch in head for ch in '?!;"“”'):
        return None
    if lead is not None and first in ARTICLES:
        # "The ..." names an office when an office noun is in it (any length)
        if not any(_office_word(w) for w in words):
            return None
        return lead, " ".join(tokens)
    # "Madam Deputy Speaker", "Prime Minister", "Minister of Veterans Affairs": office
    # words up to a connector, then anything capitalised
    seen_office = False
    for i, w in enumerate(words):
        if w in NAME_CONNECTORS:
            if not seen_office:
                return None
            break
        if _office_word(w):
            seen_office = True
            continue
        if _modifier(w):
            continue
        return None
    if not seen_office:
        return None
    return lead, " ".join(tokens)


_OFFICE_KEY_SYNONYMS = {"chairman": "chair", "chairwoman": "chair", "chairperson": "chair", "convenor": "convener"}


def office_key(office: str) -> str:
    """A matching key for an office: "Madam Deputy Speaker" and "The Deputy Speaker"
    -> "deputy speaker"; "The CHAIRMAN" and "The Chair" -> "chair"."""
    words = _words(office)
    while words and words[0] in OFFICE_LEADS:
        words = words[1:]
    return " ".join(_OFFICE_KEY_SYNONYMS.get(w, w) for w in words)


# --- parties, places, roles --------------------------------------------------------------

_ACRONYM = re.compile(r"^[A-Z][A-Za-z]{0,1}[A-Z]{1,4}$")
_CONSONANT_RUN = re.compile(r"[^AEIOUY]{3}")


def _word_shaped(text: str) -> bool:
    """A word of five letters or more in capitals that reads as a word, not letters: two
    vowels or more and no three consonants together ("KOLLAM", "AMETHI", a seat; where
    "YSRCP", "AIADMK" are a party's initials)."""
    letters = text.upper()
    return (len(letters) >= 5 and letters.isalpha() and sum(ch in "AEIOU" for ch in letters) >= 2
            and not _CONSONANT_RUN.search(letters))


def _is_party(part: str, personal: bool) -> bool:
    """A party as printed in brackets: a party word or abbreviation ("Lab", "Lib.",
    "Lab/Co-op", "CPC", "R"), or an acronym after a personal title ("Mr X (ANC)")."""
    text = part.strip()
    if not text or len(text) > 40:
        return False
    words = _words(text)
    if words and all(w.replace(".", "") in PARTY_WORDS or w.replace("-", "") in PARTY_WORDS for w in words):
        return True
    if text.casefold().replace(".", "").replace(" ", "") in PARTY_WORDS:
        return True
    if (personal and _ACRONYM.match(text.rstrip(".")) and not (set(words) & (ORGANISATION_WORDS | ROLE_WORDS))
            and not _word_shaped(text.rstrip("."))):
        return True  # "(ANC)", "(CPC)"; "(KOLLAM)" is a word: a seat
    return False


#: A bracket that is a time stamp ("(14:01)", "(2.15 pm)"): when the words were spoken,
#: never an organisation, a role or a place.
_TIME_STAMP = re.compile(r"^\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?$", re.IGNORECASE)
#: "Electorate—Office" / "Party—Electorate" inside one bracket: a dash (not a hyphen)
#: between two parts.
_DASH_PAIR = re.compile(r"^(?P<left>[^—–]*[^—–\s])\s*[—–]\s*(?P<right>[^—–]+)$")  # left ends in a non-blank: linear


#: A bracket that says how the words reached the record, as multilingual bodies print it
#: ("spoke in Russian", "interpretation from French", "through an interpreter"): not an
#: organisation or a role.
_DELIVERY_NOTE = re.compile(
    r"^(?:(?:spoke|speaking)\s+in|(?:interpretation|interpreted|translation|translated)\s+from)\s+[A-Z][\w-]+"
    r"(?:\s+[A-Z][\w-]+)?$|^(?:through|via)\s+(?:an\s+|the\s+)?interpret(?:er|ation)$"
    # "MR JAMES TO (in Cantonese)", "(in Welsh)": the language spoken, a capitalised word
    r"|^in\s+(?-i:[A-Z][a-z]+)(?:\s+and\s+(?-i:[A-Z][a-z]+))?$"
    # a speech resumed, or what the transcriber could not make out
    r"|^(?:continuing|continued|contd\.?|cont['’]d|inaudible|indistinct|crosstalk)$",
    re.IGNORECASE,
)


_ON_BEHALF = re.compile(r"^on\s+behalf\s+of\s+(?:the\s+)?(?=\S)", re.IGNORECASE)


def is_time_stamp(part: str) -> bool:
    return bool(_TIME_STAMP.match(part.strip()))


def is_delivery_note(part: str) -> bool:
    return bool(_DELIVERY_NOTE.match(part.strip()))


def _dash_pair(part: str) -> tuple[str, str, str] | None:
    """("constituency" | "party", left, right) for a bracket part joined by a dash:
    "Dickson—Leader of the Opposition" is a constituency then an office (Australia);
    "National—Maungakiekie" a party then a constituency (New Zealand). None otherwise."""
    m = _DASH_PAIR.match(part.strip())
    if not m:
        return None
    left, right = m.group("left").strip(), m.group("right").strip()
    if not left[:1].isupper() or not right[:1].isupper():
        return None
    if _is_party(left, True) and not _has_role_words(right):
        return "party", left, right
    if not _has_role_words(left) and _is_place(left) and (
            _has_role_words(right) or office_phrase(right) is not None):
        return "constituency", left, right
    return None


def _is_place(part: str) -> bool:
    """A place as brackets print it: a few capitalised words ("Reid", "South Australia",
    "Scarborough—Rouge River" aside), no digits, no role or organisation words."""
    words = part.split()
    if not 0 < len(words) <= 4 or any(ch.isdigit() for ch in part) or set(_words(part)) & ORGANISATION_WORDS:
        return False
    return all(w[:1].isupper() or w.casefold() in NAME_CONNECTORS for w in words)


def _has_role_words(part: str) -> bool:
    return bool({w.strip(".,'") for w in _words(part)} & ROLE_WORDS)


def _is_office(part: str) -> bool:
    """A bracket part that is an office a member holds ("Minister for the Arts and Leader
    of the House", "Cabinet Secretary"), not a party or a body."""
    return (_has_role_words(part) or office_phrase(part) is not None) and not _is_party(part, True)


def _portfolio_part(part: str) -> bool:
    """More of a minister's portfolio listed after the office ("Trade", "National Security
    and Policing"): capitalised words and connectors, not opening with a body's word
    ("Department of Health"), no acronym ("HM Prison and Probation Service"), no party."""
    tokens = part.split()
    if not tokens or _word(tokens[0]) in ORGANISATION_WORDS or _is_party(part, True):
        return False
    return all((t[:1].isupper() and not _caps(t)) or _word(t) in NAME_CONNECTORS for t in tokens)


def _leading_offices(parts: list[str]) -> int:
    """How many of a bracket's parts are the offices it opens with: "(Minister for Economic
    Growth, Minister of Finance)" two offices; "(Minister for Defence, National Security and
    Policing)" an office whose portfolios run on to a closing "and"; "(Chief Executive, Acme
    Housing)" a role, then a body (1)."""
    if not parts or not _is_office(parts[0]):
        return 1
    n = 1
    while n < len(parts) and office_phrase(parts[n]) is not None and not _is_party(parts[n], True):
        n += 1
    rest = parts[n:]
    last = parts[n - 1]
    portfolio = office_phrase(last) is not None and bool({"for", "of"} & set(_words(last)))
    if rest and portfolio and " and " in f" {rest[-1]} " and all(_portfolio_part(p) for p in rest):
        n = len(parts)
    return n


def _role_or_organisation(part: str) -> str:
    """Classify a single bracket part as "role" or "organisation"."""
    if _has_role_words(part):
        return "role"
    if looks_like_organisation(part):
        return "organisation"
    return "role"
