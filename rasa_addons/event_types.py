"""Rasa 3.6 finds the class of every event it reads (`Event.resolve_by_type`) by walking all the subclasses of Event
and asking `inspect.isabstract` of each: about 0.13 ms per event on this machine, for every event of the tracker at
every turn (most of the time of loading a tracker) and of every action-server response. `install()` looks the class
up in a table made once by the same walk, keeping the class Rasa's walk finds first for each name; a name missing from
the table (an event class defined after it was made, "topic", an unknown name) goes to Rasa's own lookup.

Installed when the Rasa server imports this package (rasa_addons/__init__.py). RASA_FAST_EVENT_TYPES=false keeps
Rasa's lookup, for benchmarks.
"""

from __future__ import annotations

import os
from functools import cache

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

SETTING = "RASA_FAST_EVENT_TYPES"
rasa_resolve_by_type = Event.resolve_by_type


@cache
def event_classes() -> dict[str, type[Event]]:
    """Each event type name and the first class of that name in Rasa's walk of the Event subclasses."""
    classes: dict[str, type[Event]] = {}
    for event_class in all_subclasses(Event):
        classes.setdefault(event_class.type_name, event_class)
    return classes


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's Event.resolve_by_type from the table."""
    return event_classes().get(type_name) or rasa_resolve_by_type(type_name, default)


def install() -> bool:
    """Use the table unless the setting says false; True when installed."""
    if os.environ.get(SETTING, "true").lower() == "false":
        return False
    Event.resolve_by_type = staticmethod(resolve_by_type)
    return True
