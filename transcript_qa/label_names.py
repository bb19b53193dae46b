"""Names as labels print them: normalised and keyed for matching, split at brackets,
titles and honours peeled off, cased for reading, and the shape tests the label grammar
(``labels.py``) and the report parsers use (a person's name, a body's name, a label's
name part). Pure and cheap to import.
"""

from __future__ import annotations

import re
import unicodedata

from .label_words import (
    MIXED_CASE_HONOURS,
    NAME_CONNECTORS,
    NAME_PARTICLES,
    NOT_NAME_STARTS,
    ORGANISATION_WORDS,
    PREFIX_TITLES,
    SUFFIX_HONOURS,
)

__all__ = [
    "display_name",
    "is_name_like",
    "looks_like_organisation",
    "looks_like_person",
    "name_key",
    "normalise_name",
    "split_brackets",
    "split_top_level",
    "strip_titles",
]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_DASHES = "-\u2010\u2011\u2012\u2013\u2014"
_DASH_CLASS = r"\-\u2010\u2011\u2012\u2013\u2014"


def _bare(token: str) -> str:
    """A token without dots, commas or surrounding brackets, for vocabulary look-ups."""
    return token.strip(".,;:()[]").replace(".", "")


def normalise_name(name: str) -> str:
    """Display form of a name: single spaces, straight apostrophes, no markup."""
    name = name.translate(_APOSTROPHES).replace("**", "").replace("[", "").replace("]", "")
    return " ".join(name.split()).strip(" ,;:")


def name_key(name: str) -> str:
    """Matching key: case-folded, accents and dots dropped, apostrophes straightened."""
    text = unicodedata.normalize("NFKD", normalise_name(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for dash in _DASHES:
        text = text.replace(dash, " ")
    text = text.replace(".", " ").casefold()
    return " ".join(text.split())


def split_brackets(text: str) -> tuple[str, list[str]]:
    """Split ``text`` into the part outside round brackets and the top-level groups.

    ``"The Chair (Hon. A Rota (N-T, Lib.))"`` -> ``("The Chair", ["Hon. A Rota (N-T, Lib.)"])``.
    Unbalanced brackets are treated as plain text.
    """
    outside: list[str] = []
    groups: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            if depth > 0:
                current.append(ch)
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append("".join(current).strip())
                current = []
            else:
                current.append(ch)
        elif depth > 0:
            current.append(ch)
        else:
            outside.append(ch)
    if depth > 0:  # unbalanced: keep the tail as text
        outside.append(" " + "".join(current))
    return " ".join("".join(outside).split()), [g for g in groups if g]


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside round brackets; parts are stripped, empty ones dropped."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


# --- words ----------------------------------------------------------------------------------


#: Initials printed together: "F.S.", "N.K.", "B.C" (one letter after another, each but the last
#: followed by a full stop).
INITIALS = re.compile(r"(?:[^\W\d_]\.){1,4}[^\W\d_]?\.?")
#: Numerals after a name ("John Smith III"): an honour only after a name of two words or more
#: ("Part II" is a part of a text).
_NUMERALS = frozenset({"II", "III", "IV"})


def _is_initials(token: str) -> bool:
    """"F.S.", "A.D.", "B.C": initials run together (two letters or more, upper case)."""
    return bool(INITIALS.fullmatch(token)) and sum(ch.isalpha() for ch in token) >= 2 and token.isupper()


def _is_honour(token: str) -> bool:
    if "/" in token:  # "AS/MS": the Senedd's member in Welsh and English
        return all(_is_honour(part) for part in token.split("/"))
    bare = _bare(token)
    return bool(bare) and bare.upper() in SUFFIX_HONOURS and (bare.isupper() or bare in MIXED_CASE_HONOURS)


def _is_title(token: str) -> bool:
    if "." in token.rstrip(".") and _is_initials(token):
        return False  # "M.R." are initials, not "Mr"
    return _bare(token).casefold() in PREFIX_TITLES


def _plural_of(word: str, nouns: frozenset[str]) -> bool:
    """Is ``word`` (case-folded) the plural of one of ``nouns``: "jurors", "witnesses",
    "secretaries", "chairmen"? A word that is itself one of them is not."""
    if len(word) < 4 or word in nouns:
        return False
    singulars = [word[:-1]] if word.endswith("s") else []
    if word.endswith("es"):
        singulars.append(word[:-2])
    if word.endswith("ies"):
        singulars.append(word[:-3] + "y")
    if word.endswith("men"):
        singulars.append(word[:-3] + "man")
    return any(s in nouns for s in singulars)


def _word(token: str) -> str:
    return token.strip(".,;:()[]'\"").casefold()


#: A surname's own capitalised prefix before the rest in capitals, as the US
#: Congressional Record prints them ("McCONNELL", "MacDONALD", "DeFAZIO",
#: "LaHOOD", "DesJARLAIS").
_CASED_PREFIX = r"[A-Z][a-z]{1,3}(?=[A-Z]{2})"


def _caps(token: str) -> bool:
    """An upper-case word of two letters or more ("ROBERTS", "McCONNELL", "DeFAZIO", "O'BRIEN")."""
    letters = [ch for ch in re.sub(rf"^(?:{_CASED_PREFIX}|O'|D')", "", token) if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _case_piece(piece: str) -> str:
    if _is_initials(piece):
        return piece  # "F.S." stays "F.S.", not "F.s."
    m = re.fullmatch(rf"({_CASED_PREFIX})([A-Z]+)", piece)
    if m:  # the prefix as printed: "DeFAZIO" -> "DeFazio"
        return m.group(1) + m.group(2).capitalize()
    if piece.isupper() and sum(ch.isalpha() for ch in piece) >= 2:
        if len(piece) > 3 and piece.startswith("MC") and piece[2:].isalpha():
            return "Mc" + piece[2:].capitalize()  # "MCCONNELL" -> "McConnell" (Mac- names vary: left)
        return piece.capitalize()
    return piece


def _case_word(word: str) -> str:
    out = re.split(r"([-'’])", word)
    return "".join(_case_piece(p) if p not in "-'’" else p for p in out)


def display_name(printed: str) -> str:
    """A person's name for reading: upper-case words in title case (particles lower
    case after the first word); mixed case is left as printed."""
    tokens = normalise_name(printed).split()
    if not any(_caps(p) and not _is_honour(t) for t in tokens for p in re.split(r"[-']", t)):
        return " ".join(tokens)
    out: list[str] = []
    mixed_ends = not tokens[0].isupper() and not tokens[-1].isupper()
    for i, tok in enumerate(tokens):
        if i and tok.casefold() in NAME_PARTICLES and tok.isupper():
            out.append(tok.casefold())
        elif mixed_ends and 0 < i < len(tokens) - 1 and tok.isupper() and len(tok) <= 3:
            out.append(tok)  # initials between names: "Andrew RT Davies"
        else:
            out.append(_case_word(tok))
    return " ".join(out)


def _display_phrase(text: str, keep_acronyms: bool = False) -> str:
    """An office or group as printed, with upper-case words in title case
    ("The PRESIDING OFFICER" -> "The Presiding Officer"); ``keep_acronyms``: a word of
    two or three capitals beside a word in mixed case is an acronym and stays
    ("HR Director")."""
    tokens = normalise_name(text).split()
    if not any(_caps(t) for t in tokens):
        return " ".join(tokens)
    mixed = keep_acronyms and any(t[:1].isupper() and not _caps(t) for t in tokens)
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if i and _word(tok) in NAME_CONNECTORS:
            out.append(tok.casefold())
        elif mixed and _caps(tok) and 2 <= len(tok) <= 3 and tok.isalpha():
            out.append(tok)
        elif _caps(tok):
            out.append(_case_word(tok))
        else:
            out.append(tok)
    return " ".join(out)


def strip_titles(name_part: str) -> tuple[str, tuple[str, ...]]:
    """Peel leading titles and trailing honours off a name.

    ``"Caroline Pidgeon MBE AM"`` -> ``("Caroline Pidgeon", ("MBE", "AM"))``;
    ``"Commander Nick John"`` -> ``("Nick John", ("Commander",))``. When nothing
    would be left ("The Chair", "Commissioner"), the text is kept as the name.
    """
    tokens = normalise_name(name_part).split()
    prefix: list[str] = []
    suffix: list[str] = []
    while len(tokens) > 1 and _is_honour(tokens[-1]):
        if _bare(tokens[-1]) in _NUMERALS and len(tokens) < 3:
            break  # "Part II": a numeral after one word is not an honour ("John Smith III" is one)
        suffix.insert(0, _bare(tokens.pop()))
    lead = 1 if len(tokens) > 2 and tokens[0].casefold() == "the" and _is_title(tokens[1]) else 0
    while lead < len(tokens) - 1 and (_is_title(tokens[lead]) or (lead > 0 and tokens[lead].casefold() == "the")):
        lead += 1
    if lead and tokens[0].casefold() == "the" and lead >= len(tokens) - 1 and not _is_title(tokens[1]):
        lead = 0  # "The Chair", "The Mayor": a role, keep it whole
    if lead and _word(tokens[lead]) in NAME_CONNECTORS and _word(tokens[lead]) not in NAME_PARTICLES:
        lead = 0  # "Sergeant at Arms": an office, not a title before a name
    if lead:
        prefix = [t.rstrip(",") for t in tokens[:lead]]
        tokens = tokens[lead:]
    name = " ".join(tokens).strip(" ,")
    honours = tuple(t for t in prefix if t.casefold() != "the") + tuple(suffix)
    return name, honours


#: Titles of the peerage and the bench of bishops, as "The <title> of <place>" names a person.
_PEERAGE = frozenset("earl duke duchess marquess marquis marchioness countess viscount lord lady bishop archbishop".split())


def looks_like_organisation(name: str) -> bool:
    """Heuristic: a body rather than a person ("St Mungo's", "Probation Institute", "MOPAC")."""
    tokens = normalise_name(name).split()
    if not tokens:
        return False
    if len(tokens) == 1:
        return True  # people are attributed by full name; one word is a body
    if tokens[0].casefold() == "the" and len(tokens) >= 3 and tokens[1].casefold().strip(".") in _PEERAGE \
            and tokens[2].casefold() in ("of", "bishop"):
        return False  # "The Earl of Kinnoull", "The Lord Bishop of Leeds": a peer, a bishop
    if name.rstrip().endswith("'s") or "&" in tokens or tokens[0].casefold() == "the":
        return True
    all_upper = all(t.isupper() for t in tokens)
    for i, tok in enumerate(tokens):
        low = tok.casefold().strip(".,'")
        if low in ORGANISATION_WORDS or any(ch.isdigit() for ch in tok):
            return True
        if tok[0].islower() and low not in NAME_PARTICLES:
            return True  # "Women in Prison", "Action for Race Equality"
        letters = [ch for ch in tok if ch.isalpha()]
        if len(letters) > 1 and tok.isupper() and not _is_honour(tok) and not all_upper \
                and not _initials_or_surname(tokens, i):
            return True  # an acronym among normal words: "HMPPS London"
    return False


def _initials_or_surname(tokens: list[str], i: int) -> bool:
    """Whether the capitals ``tokens[i]`` of a mixed-case name are part of a
    person's name: initials between names ("Andrew RT Davies"), or a surname
    printed in capitals after the given names ("Jane SMITH"; a surname has a
    vowel, where "Thames Valley CRC" ends in an acronym)."""
    names = [t for j, t in enumerate(tokens) if j != i]
    if not all(t[:1].isupper() and not t.isupper() and t.replace("-", "").replace("'", "").isalpha() for t in names):
        return False
    tok = tokens[i]
    if 0 < i < len(tokens) - 1:
        return len(tok) <= 3
    return i == len(tokens) - 1 and any(ch in "AEIOUY" for ch in tok)


def looks_like_person(name: str) -> bool:
    """Heuristic: 2 to 5 capitalised words, no digits, not an organisation."""
    tokens = normalise_name(name).split()
    if not 2 <= len(tokens) <= 5:
        return False
    if looks_like_organisation(name):
        return False
    return all(t[0].isupper() or t.casefold() in NAME_PARTICLES for t in tokens)


#: A spaced hyphen, double hyphen or dash between a name and what follows it ("Tim Cook --
#: Chief Executive Officer", "Shannon Cross -- Credit Suisse -- Analyst", "Tim Cook - CEO", as
#: earnings-call transcripts print their speakers); one inside a word or a bracket is not one.
_DASH_SEPARATOR = re.compile(r"(?<![ \t])[ \t]+(?:--?|[–—])[ \t]+")  # a run of blanks read once: linear


def split_dash_parts(text: str) -> list[str]:
    """``text`` cut at spaced dashes, outside brackets: [name, role] or [name,
    organisation, role]; ``[text]`` when it has none, or brackets."""
    if "(" in text or "[" in text:
        return [text]
    parts = [part.strip() for part in _DASH_SEPARATOR.split(text)]
    return parts if len(parts) in (2, 3) and all(parts) else [text]


def is_name_like(text: str, *, max_words: int = 8) -> bool:
    """Could ``text`` (a label's part before any bracket) be a speaker's name?

    Capitalised words, particles or connectors, honours; no sentence punctuation,
    at most ``max_words`` words, at most one trailing number ("Speaker 2").
    """
    text = normalise_name(text)
    tokens = text.split()
    if not tokens or len(tokens) > max_words:
        return False
    if any(ch in text for ch in '?!;"“”'):
        return False
    if not tokens[0][0].isupper() or tokens[0].casefold().strip(".,") in NOT_NAME_STARTS:
        return False
    for i, tok in enumerate(tokens):
        core = tok.strip(".,'-")
        if not core:
            return False
        if _is_initials(tok):
            continue  # "F.S.", "N.K.": initials run together
        if tok.endswith(".") and not (_is_title(tok) or _is_honour(tok) or len(core) <= 2):
            return False
        if any(ch.isdigit() for ch in core):
            if i != len(tokens) - 1 or not core.isdigit():
                return False
            continue
        if core[0].isupper() or _is_title(tok) or _is_honour(tok):
            continue
        if core.casefold() in NAME_PARTICLES or core.casefold() in NAME_CONNECTORS:
            continue
        return False
    return True
