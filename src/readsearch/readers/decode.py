"""Bytes to text: UTF-8 (with or without BOM) first, then detection of legacy encodings.

Detection uses charset-normalizer (MIT), the detector requests and pip rely on.
"""
from __future__ import annotations

_PROBE = 8192


class NotText(ValueError):
    """The bytes are not text in any encoding we can tell (binary file)."""


def looks_binary(data: bytes) -> bool:
    """True when ``data`` holds NUL bytes in its first 8 KiB (images, archives, PDFs...)."""
    return b"\x00" in data[:_PROBE]


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes to text.

    Args:
        data: the file's bytes.

    Returns:
        (text, encoding name): BOM removed, line ends normalised to ``\\n``.

    Raises:
        NotText: the bytes are binary or no encoding fits.
    """
    if looks_binary(data):
        raise NotText("binary content (NUL bytes), not a text readout")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise NotText("undecodable bytes: not UTF-8 and no legacy encoding fits") from None
        text, encoding = str(best), best.encoding
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding
