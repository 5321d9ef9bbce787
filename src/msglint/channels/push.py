"""Push notifications: visible length of title and body, and the payload size.

The payload estimate is the smallest APNs alert payload that carries the title and body,
``{"aps":{"alert":{"title":…,"body":…}}}``, serialised as compact UTF-8 JSON. Real payloads
add sound, badge, category and custom data, so the estimate is a lower bound.
"""

from __future__ import annotations

import json

from msglint.channels.emoji import visible_length

__all__ = ["payload_bytes", "visible_length"]


def payload_bytes(title: str, body: str) -> int:
    """Bytes of the minimal APNs alert payload carrying ``title`` and ``body``."""
    alert: dict[str, str] = {}
    if title:
        alert["title"] = title
    alert["body"] = body
    payload = {"aps": {"alert": alert}}
    # APNs counts the UTF-8 bytes of the JSON; non-ASCII is sent raw, not \u-escaped.
    return len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
