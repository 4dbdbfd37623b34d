"""The outside channels, one module each (name, reply traits, API client), found here without a list to edit."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from bot.channels.base import Channel, Sender
from bot.settings import Settings


@cache
def all_channels() -> dict[str, Channel]:
    """Every channel declared by a module of this package (its CHANNELS tuple), by name."""
    found: dict[str, Channel] = {}
    for module in pkgutil.iter_modules(__path__):
        for channel in getattr(importlib.import_module(f"{__name__}.{module.name}"), "CHANNELS", ()):
            found[channel.name] = channel
    return found


def channel_named(name: str) -> Channel:
    """The channel of this name; KeyError for a name no module declares."""
    return all_channels()[name]


def senders(settings: Settings) -> dict[str, Sender]:
    """One sender per channel, built from the settings."""
    return {name: channel.make_sender(settings) for name, channel in all_channels().items()}
