"""Reading fields of JSON a channel posted, where any node may have any type (a signed body can still be odd)."""

from __future__ import annotations

from typing import Any


def dig(document: Any, *keys: str) -> Any:
    """The value at the path of keys, or None when a node on the way is missing or not an object."""
    for key in keys:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def listed(value: Any) -> list:
    """The items of a list; anything else gives none."""
    return value if isinstance(value, list) else []


def objects(value: Any) -> list[dict]:
    """The objects of a list (other items and non-lists give nothing)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
