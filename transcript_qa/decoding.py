"""Bytes of a corpus file to text: which encoding, which bytes are bad, and
whether the file is text at all.

UTF-8 first (a byte-order mark allowed); a UTF-8 file with a few bad bytes stays
UTF-8 with each replaced by U+FFFD, and the warning says where. Otherwise UTF-16/32
by their byte-order mark (UTF-16 also without one), a charset the file declares in
its first 1 KB, cp1252, latin-1. NUL bytes are dropped from text; a known binary
signature, or a sample with more than 5 % control bytes, makes a file binary.
"""

from __future__ import annotations

import codecs
import re

_CHARSET = re.compile(rb"(?:charset|encoding|coding)\s*[=:]\s*[\"']?([A-Za-z0-9_.:-]{2,40})", re.I)


#: Leading bytes of file formats that are never text, whatever their extension.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"%PDF-", "PDF"), (b"PK\x03\x04", "ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip archive"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"\x7fELF", "executable"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office document"),
    (b"SQLite format 3\x00", "SQLite database"), (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"BZh", "bzip2 archive"), (b"\xfd7zXZ\x00", "xz archive"), (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x93NUMPY", "numpy array"),
)
#: Control bytes that text does not hold (tab, newlines, form feed and escape aside).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
#: A sample with more than this share of control bytes is binary.
_BINARY_SHARE = 0.05
_SAMPLE = 1 << 16


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"byte {offset}, line {line}"


def binary_reason(data: bytes) -> str | None:
    """Why these bytes are a binary file (not text), or None. Text with a few
    stray NUL or control bytes is text; a known binary format, or a sample with
    more than 5 % control bytes, is binary."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({what})"
    sample = data[:_SAMPLE]
    if not sample or _utf16_without_bom(sample):
        return None
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls > _BINARY_SHARE * len(sample):
        nul = " NUL and" if b"\x00" in sample else ""
        return f"binary file ({controls} of the first {len(sample)} bytes are{nul} control bytes)"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the bytes look like UTF-16 text without a byte-order mark."""
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, enc in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and (even if zeros is odd else odd).count(0) < 0.1 * len(zeros):
            return enc
    return None


def _decode_mostly_utf8(data: bytes, rel: str, first_bad: int) -> tuple[str, str, str | None] | None:
    """UTF-8 with its few bad bytes replaced by U+FFFD, when most non-ASCII
    characters are valid UTF-8 (a UTF-8 file with a stray byte); else None."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    valid = non_ascii - bad - data.count(b"\xef\xbf\xbd")
    if valid <= bad:
        return None
    more = f" and {bad - 1} more" if bad > 1 else ""
    return text, "utf-8", (f"{rel}: not valid UTF-8 at {_where(data, first_bad)}{more}; "
                           f"read as UTF-8 with the bad byte{'s' if bad > 1 else ''} replaced by U+FFFD")


def decode_bytes(data: bytes, rel: str) -> tuple[str, str, str | None]:
    """Decode file bytes: UTF-8 (BOM allowed; a few bad bytes are replaced, with
    a warning naming where), UTF-16/32 with a BOM or UTF-16 without one, else a
    charset declared in the first 1 KB, else cp1252, else latin-1. NUL bytes are
    dropped (with a warning). Returns ``(text, encoding, warning or None)``."""
    notes: list[str] = []
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace"), "utf-32", f"{rel}: read as utf-32 (byte-order mark)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        return text, "utf-16", f"{rel}: read as utf-16 (byte-order mark)"
    utf16 = _utf16_without_bom(data[:_SAMPLE])
    if utf16:
        text = data.decode(utf16, errors="replace")
        return text, utf16, f"{rel}: read as {utf16} (no byte-order mark, but every other byte is NUL)"
    nuls = data.count(b"\x00")
    if nuls:
        first = data.index(b"\x00")
        notes.append(f"{rel}: {nuls} NUL byte{'s' if nuls > 1 else ''} dropped (first at {_where(data, first)})")
        data = data.replace(b"\x00", b"")
    text, encoding, warning = _decode_text(data, rel)
    if warning:
        notes.append(warning)
    return text, encoding, "; ".join(notes) or None


def _decode_text(data: bytes, rel: str) -> tuple[str, str, str | None]:
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if bom else data
    encoding = "utf-8-sig" if bom else "utf-8"
    try:
        return body.decode("utf-8"), encoding, None
    except UnicodeDecodeError as err:
        bad = err.start + (len(codecs.BOM_UTF8) if bom else 0)
    mostly = _decode_mostly_utf8(body, rel, bad) if not bom else None
    if bom:  # a BOM says UTF-8 whatever the share of bad bytes
        text = body.decode("utf-8", errors="replace")
        return text, encoding, (f"{rel}: not valid UTF-8 at {_where(data, bad)}; "
                                "read as UTF-8 with the bad bytes replaced by U+FFFD")
    if mostly is not None:
        return mostly
    m = _CHARSET.search(data[:1024])
    if m:
        name = m.group(1).decode("ascii", "ignore")
        try:
            enc = codecs.lookup(name).name
            if enc not in ("utf-8", "utf-8-sig"):
                text = data.decode(enc)
                return text, enc, f"{rel}: not valid UTF-8 (byte {bad}); read with its declared charset {enc}"
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("cp1252"), "cp1252", f"{rel}: not valid UTF-8 (byte {bad}); read as cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", f"{rel}: not valid UTF-8 (byte {bad}); read as latin-1"
