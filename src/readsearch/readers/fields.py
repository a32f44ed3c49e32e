"""Metadata values every reader cleans the same way: dates to ISO days, strings trimmed."""
from __future__ import annotations

import datetime as _dt
import email.utils
import re
from typing import Any

_ISO_PREFIX = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_DOTTED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\b")  # 21.02.2024, day first (European)
_TWITTER = "%a %b %d %H:%M:%S %z %Y"  # Twitter API v1 ``created_at``: Wed Oct 10 20:19:24 +0000 2018


def iso_date(value: Any) -> str | None:
    """An ISO date ``YYYY-MM-DD`` from a metadata value.

    Args:
        value: a ``date``/``datetime``, or a string that is ISO-like (``2023-12-23``,
            ``2023-12-23T18:05:00+03:00``: the date part as written, no time-zone shift),
            day-first dotted ``23.12.2023`` (the usage of the ministries that write it),
            Twitter's ``Wed Oct 10 20:19:24 +0000 2018`` or RFC 2822 (``Sat, 23 Dec 2023 ...``).

    Returns:
        the ISO date (str), or None for anything else (the raw value stays in ``meta``).
    """
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    for pattern, order in ((_ISO_PREFIX, (1, 2, 3)), (_DOTTED, (3, 2, 1))):
        m = pattern.match(value)
        if m:
            try:
                return _dt.date(*(int(m[i]) for i in order)).isoformat()
            except ValueError:
                return None
    s = value.strip()
    if not s or not s[0].isalpha():
        return None
    try:
        return _dt.datetime.strptime(s, _TWITTER).date().isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def clean_text(value: Any) -> str | None:
    """A metadata value as a trimmed string, or None when absent or blank."""
    if value is None:
        return None
    s = str(value).strip()
    return s or None
