"""Telegram Desktop exports ("Export chat history", format "Machine-readable JSON", ``result.json``).

A channel export is one JSON object::

    {"name": "MFA Russia", "type": "public_channel", "id": 1113317117,
     "messages": [{"id": 11, "type": "message", "date": "2023-12-23T18:05:00",
                   "date_unixtime": "1703343900", "from": "MFA Russia", "from_id": "channel1113317117",
                   "text": ["On December 23, ", {"type": "bold", "text": "Sergey Lavrov"}, "..."],
                   "text_entities": [{"type": "plain", "text": "On December 23, "}, ...]},
                  {"id": 12, "type": "service", "action": "pin_message", "text": "", ...}]}

``text`` is a plain string when the message has no formatting, else a list of strings and entity
objects (``bold``, ``italic``, ``hashtag``, ``link``, ``text_link`` with ``href``, ``mention``,
``custom_emoji``...), each with the visible ``text``. Both forms give the same plain text: the
parts' visible text joined, so hashtags stay in the body as ``#Tag``. The issuer is the
channel's name without the emoji channels decorate it with (``MFA Russia 🇷🇺`` -> ``MFA Russia``). A whole-account export
(``{"chats": {"list": [chat, ...]}}``) holds one such object per chat.
"""
from __future__ import annotations

from typing import Any

from readsearch.model import Readout
from readsearch.readers.fields import iso_date
from readsearch.readers.normalize import collapse_repeats, derive_title, strip_symbols

_TEXT_KEYS = ("text", "text_entities")


def is_export(obj: Any) -> bool:
    """True when a parsed JSON value is a Telegram Desktop export (by shape, not file name).

    A chat export is an object with a ``messages`` list whose first items are objects with
    ``id`` and ``type``; an account export holds such chats in ``chats.list``.
    """
    if not isinstance(obj, dict):
        return False
    if isinstance(obj.get("messages"), list):
        head = obj["messages"][:5]
        return all(isinstance(m, dict) and "id" in m and "type" in m for m in head)
    chats = obj.get("chats")
    if isinstance(chats, dict) and isinstance(chats.get("list"), list):
        return any(is_export(c) for c in chats["list"][:5])
    return False


def plain_text(text: Any) -> str:
    """The visible text of a message's ``text`` (or ``text_entities``) value.

    Args:
        text: a string, or a list of strings and entity objects ``{"type": ..., "text": ...}``.

    Returns:
        the parts' visible text joined (never a repr); "" for anything else.
    """
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        parts = []
        for part in text:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "".join(parts)
    return ""


def _chats(obj: dict) -> list[tuple[dict, bool]]:
    """(chat, is_one_of_many) pairs of an export."""
    if isinstance(obj.get("messages"), list):
        return [(obj, False)]
    out = []
    for key in ("chats", "left_chats"):
        group = obj.get(key)
        if isinstance(group, dict) and isinstance(group.get("list"), list):
            out.extend((c, True) for c in group["list"] if isinstance(c, dict) and isinstance(c.get("messages"), list))
    return out


def read_export(obj: dict, path: str, doc_id: str, encoding: str = "utf-8") -> tuple[list[Readout], int]:
    """Turn a parsed Telegram export into readouts, one per message with text.

    Args:
        obj: the parsed ``result.json`` (see :func:`is_export`).
        path: absolute path of the file.
        doc_id: the file's document id; each message gets ``<doc_id>#<message id>``
            (``<doc_id>#<chat id>/<message id>`` in a whole-account export).
        encoding: the encoding the file was decoded with.

    Returns:
        (readouts, skipped): ``skipped`` counts service messages (pins, joins, title changes)
        and posts without text (a photo alone).
    """
    readouts: list[Readout] = []
    skipped = 0
    for chat, many in _chats(obj):
        name = chat.get("name")
        issuer = strip_symbols(name) or None if isinstance(name, str) else None
        for msg in chat["messages"]:
            if not isinstance(msg, dict) or msg.get("type") != "message":
                skipped += 1
                continue
            text = plain_text(msg.get("text"))
            if not text.strip():
                text = plain_text(msg.get("text_entities"))
            body = collapse_repeats(text.replace("\r\n", "\n").strip())
            if not body:
                skipped += 1
                continue
            mid = msg.get("id")
            rid = f"{chat.get('id')}/{mid}" if many else f"{mid}"
            meta = {k: v for k, v in msg.items() if k not in _TEXT_KEYS}
            meta["chat_name"], meta["chat_id"], meta["chat_type"] = name, chat.get("id"), chat.get("type")
            date = msg.get("date")
            readouts.append(Readout(
                id=f"{doc_id}#{rid}",
                path=path,
                title=derive_title(body),
                body=body,
                published=iso_date(date),
                issuer=issuer or (strip_symbols(msg["from"]) or None if isinstance(msg.get("from"), str) else None),
                meta=meta,
                encoding=encoding,
            ))
    return readouts, skipped
