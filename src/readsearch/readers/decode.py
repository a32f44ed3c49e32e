"""Bytes to text: BOMs and UTF-8 first, then legacy encodings.

Order of the attempts (the first that fits wins):

1. a byte order mark: UTF-8, UTF-16 or UTF-32;
2. NUL bytes in the first 8 KiB: binary, not text;
3. UTF-8;
4. an encoding the file declares (``<meta charset>`` of a saved page), when the caller passes it;
5. Cyrillic single-byte text (windows-1251, KOI8-R) by a byte-shape rule, see :func:`guess_cyrillic`;
6. Western European single-byte text (latin-1 / windows-1252), see :func:`guess_western`;
7. charset-normalizer (MIT, the detector requests and pip rely on) for everything else, when
   the file holds at least its minimum of 32 bytes (``charset_normalizer.constant.
   TOO_SMALL_SEQUENCE``): on fewer it turns any few high bytes into a CJK character or two.

Steps 5 and 6 exist because charset-normalizer guesses poorly on the very short texts readouts
often are: a one-line windows-1251 file comes back as Big5, a French latin-1 line as
windows-1250 (``Genève`` read as ``Genčve``).
"""
from __future__ import annotations

import codecs
import re

_PROBE = 8192
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_ASCII_LETTER = re.compile(rb"[A-Za-z]")
#: non-letters a Western European text may hold besides letters
_WESTERN_PUNCT = set("“”‘’„‚–—…«»°€£¥§©®·•´¨¸ªº¿¡½¼¾×÷±²³¹µ¶¦¬¯\u00a0\u00ad")


#: the most frequent letters of Russian, Serbian, Ukrainian, Bulgarian text (over 80% of letters);
#: a Greek text misread as Cyrillic has about 60%, so 70% is the bar
_CYRILLIC_COMMON = set("оеаинтсрвлкмдпуяі")


class NotText(ValueError):
    """The bytes are not text in any encoding we can tell (binary file)."""


def looks_binary(data: bytes) -> bool:
    """True when ``data`` holds NUL bytes in its first 8 KiB (images, archives, PDFs...)."""
    return b"\x00" in data[:_PROBE]


def guess_cyrillic(data: bytes) -> str | None:
    """Tell windows-1251 or KOI8-R Cyrillic text from the shape of its bytes.

    A Russian (Serbian, Ukrainian...) text in a single-byte encoding is mostly letters of
    0xC0-0xFF, in runs (whole words), with more of them than ASCII letters. In windows-1251
    lower case letters are 0xE0-0xFF, in KOI8-R 0xC0-0xDF; running text is mostly lower case,
    which tells the two apart; the decoded letters must then be mostly the common letters of
    Cyrillic languages (a Greek windows-1253 text misread as Cyrillic is not). Latin-1 text also uses 0xC0-0xFF (``é``, ``ü``) but one letter
    at a time between ASCII letters, so it does not pass.

    Args:
        data: the file's bytes (not valid UTF-8).

    Returns:
        ``"windows-1251"``, ``"koi8-r"``, or None when the bytes do not look Cyrillic.
    """
    sample = data[:_PROBE * 4]
    runs = _HIGH_RUN.findall(sample)
    high = sum(map(len, runs))
    if not high:
        return None
    letters = sum(1 for r in runs for b in r if b >= 0xC0)
    if letters < 0.8 * high or letters < len(_ASCII_LETTER.findall(sample)):
        return None
    if high / len(runs) < 2.0:  # isolated accented letters: a Latin text
        return None
    upper_half = sum(1 for r in runs for b in r if b >= 0xE0)
    encoding = "windows-1251" if upper_half >= letters - upper_half else "koi8-r"
    text = sample.decode(encoding, errors="replace").lower()
    cyr = [ch for ch in text if "\u0400" <= ch <= "\u04ff"]
    common = sum(1 for ch in cyr if ch in _CYRILLIC_COMMON)
    return encoding if len(cyr) >= 0.8 * letters and common >= 0.7 * len(cyr) else None


def guess_western(data: bytes) -> str | None:
    """Tell latin-1 / windows-1252 text (French, German, Spanish...): every non-ASCII byte
    decodes to a letter or common typographic sign (never inside a word, as windows-1250
    Polish read as windows-1252 would give: ``Za¿ó³æ``), and accented letters are a minority
    among the letters.

    Args:
        data: the file's bytes (not valid UTF-8).

    Returns:
        ``"iso-8859-1"`` when no byte is in 0x80-0x9F, ``"windows-1252"`` when some are
        (curly quotes, dashes), or None.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [ch for ch in text if ord(ch) > 0x7F]
    if not high:
        return None
    if any(not (ch.isalpha() or ch in _WESTERN_PUNCT) for ch in high):
        return None
    for m in re.finditer(r"[^\x00-\x7f]", text):  # a sign inside a word: windows-1250 (``Za¿ó³æ``)
        i = m.start()
        if not text[i].isalpha() and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            return None
    accented = sum(1 for ch in high if ch.isalpha())
    if accented > 0.3 * max(1, sum(1 for ch in text if ch.isalpha())):
        return None
    return "windows-1252" if re.search(rb"[\x80-\x9f]", data) else "iso-8859-1"


def encoding_label(name: str) -> str:
    """The usual label of an encoding: ``cp1251`` -> ``windows-1251``, ``latin_1`` ->
    ``iso-8859-1``, ``koi8_r`` -> ``koi8-r``; unknown names come back lower-cased."""
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return name.lower()
    if re.fullmatch(r"cp125\d", name):
        return "windows-" + name[2:]
    return {"latin-1": "iso-8859-1", "iso8859-1": "iso-8859-1"}.get(name, name.replace("_", "-"))


def _finish(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode file bytes to text (see the module docstring for the order of attempts).

    Args:
        data: the file's bytes.
        declared: an encoding the file names itself (``<meta charset="windows-1251">``), tried
            after UTF-8; unknown names are ignored.

    Returns:
        (text, encoding name): BOM removed, line ends normalised to ``\\n``. The name is the
        one recorded in :attr:`Readout.encoding` (``utf-8``, ``windows-1251``, ``iso-8859-1``...).

    Raises:
        NotText: the bytes are binary (NUL or control bytes) or no encoding fits.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data.decode(name)), name.replace("-sig", "")
            except UnicodeDecodeError:
                raise NotText(f"undecodable bytes: {name} byte order mark but invalid {name}") from None
    if looks_binary(data):
        raise NotText("binary content (NUL bytes), not a text readout")
    try:
        return _check_text(_finish(data.decode("utf-8"))), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            codecs.lookup(declared)
            return _check_text(_finish(data.decode(declared))), encoding_label(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    encoding = guess_cyrillic(data) or guess_western(data)
    if encoding is not None:
        return _check_text(_finish(data.decode(encoding))), encoding
    from charset_normalizer import from_bytes
    from charset_normalizer.constant import TOO_SMALL_SEQUENCE

    if len(data) < TOO_SMALL_SEQUENCE:  # the detector's own floor: below it any guess is noise
        raise NotText(f"undecodable bytes: not UTF-8, and {len(data)} bytes are too few to tell "
                      f"which legacy encoding ({TOO_SMALL_SEQUENCE} at least)")
    best = from_bytes(data).best()
    if best is None:
        raise NotText("undecodable bytes: not UTF-8 and no legacy encoding fits")
    return _check_text(_finish(str(best))), encoding_label(best.encoding)


def _check_text(text: str) -> str:
    """Refuse text that is mostly control characters (a binary file without NUL bytes)."""
    probe = text[:_PROBE]
    if probe and len(_CONTROL.findall(probe)) > 0.05 * len(probe):
        raise NotText("binary content (control bytes), not a text readout")
    return text
