"""Loads only the recent turns of a conversation session into Rasa's tracker, so that a turn costs the same at the
150th message of a conversation as at the 10th. A mixin for Rasa's SQLTrackerStore and its subclasses.

Why: Rasa rebuilds the tracker of each message from every event of the session: it reads and deserialises them,
replays them, computes the states of the whole history once per policy and prediction, and sends them all to the
action server; turns 121-150 of one conversation cost 4 to 6 times turns 1-30. The policies decide from the end of
the history (rules of a few steps, stories of a few turns), so this store loads the events from the `action_listen`
before the last RASA_RECENT_TURNS (10) user messages, after the latest value of each slot set earlier in the session:
the tracker of a session that started there carrying its slots over. The database still holds every event.

Where a window could give another state, the store moves or drops it: a form active since before the window moves
the start back to RASA_RECENT_TURNS turns before the turn that activated the form (Rasa folds a form's turns into
one); a session with fewer turns, or holding an event that undoes or resets earlier ones (rewind, undo, restart,
slots reset), pauses the conversation or schedules a reminder, is loaded whole, as Rasa loads it. What still differs:
MemoizationPolicy (max_history unset) matches the training stories against the window instead of the whole session,
as after a session start. RASA_RECENT_TURNS=0 loads every session whole (Rasa's behaviour, for benchmarks).

Use: `class Store(RecentEventsMixin, SQLTrackerStore)`, the mixin first. It reads through `self.SQLEvent`, as Rasa
does, so a subclass with its own `events` table (rasa_addons/tracker_store.py) works.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
from collections.abc import Iterator
from typing import Any, NamedTuple

import sqlalchemy as sa
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    ConversationPaused,
    ConversationResumed,
    ReminderCancelled,
    ReminderScheduled,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import Query, Session

SETTING = "RASA_RECENT_TURNS"
DEFAULT_RECENT_TURNS = 10
# Events whose effect on the state reaches back over earlier events: a session holding one is loaded whole.
STATE_RESETTING_EVENTS = tuple(
    event.type_name
    for event in (
        UserUtteranceReverted,
        ActionReverted,
        Restarted,
        AllSlotsReset,
        ConversationPaused,
        ConversationResumed,
        ReminderScheduled,
        ReminderCancelled,
    )
)
# A form active across the window start moves the start back before the turn that activated it, at most this often.
MAX_WINDOW_MOVES = 3
# The number of events of the session the tracker was loaded with (its first events), so `save` adds only later ones.
STORED_EVENTS = "_recent_events_stored"


def recent_turns_setting() -> int:
    """RASA_RECENT_TURNS: user turns loaded before the new message (0: the whole session)."""
    return int(os.environ.get(SETTING, DEFAULT_RECENT_TURNS))


class RecentEventsMixin:
    """Retrieves a tracker from the recent turns of the session and the slot values set before them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recent_turns = recent_turns_setting()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The tracker of the latest session, from its recent turns when that gives the same state."""
        if self.recent_turns <= 0:
            return await super().retrieve(sender_id)
        with self.session_scope() as session:
            stored = self._stored_event_data(session, sender_id)
        if not stored:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(data) for data in stored], self.domain.slots)
        setattr(tracker, STORED_EVENTS, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events added since the tracker was loaded (or last saved)."""
        await super().save(tracker)
        if hasattr(tracker, STORED_EVENTS):
            setattr(tracker, STORED_EVENTS, len(tracker.events))

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Iterator:
        """Events after those the tracker was loaded with (Rasa counts the stored ones for a tracker it made)."""
        stored = getattr(tracker, STORED_EVENTS, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, None)

    def _stored_event_data(self, session: Session, sender_id: str) -> list[str]:
        """The data of the events to load, by id: the window and the last slot values before it, or the whole session
        when no window gives the same state."""
        event = self.SQLEvent
        events = self._session_events(session, sender_id)
        marks = events.filter(
            sa.or_(
                event.type_name.in_((*STATE_RESETTING_EVENTS, ActiveLoop.type_name)),
                sa.and_(event.type_name == ActionExecuted.type_name, event.action_name == ACTION_LISTEN_NAME),
            )
        ).with_entities(event.id, event.type_name, event.action_name)
        start = window_start([Mark(*row) for row in marks.order_by(event.id)], self.recent_turns)
        if start is not None:
            slot_events = events.filter(event.type_name == SlotSet.type_name, event.id < start)
            # A slot event's action name is the slot's name: the last event of each name holds the slot's value.
            slot_values = slot_events.group_by(event.action_name).with_entities(sa.func.max(event.id))
            events = events.filter(sa.or_(event.id >= start, event.id.in_([row_id for (row_id,) in slot_values])))
        return [data for (data,) in events.with_entities(event.data).order_by(event.id)]

    def _session_events(self, session: Session, sender_id: str) -> Query:
        """The events of the sender's latest session, by the rule of Rasa's `_event_query` (from the last
        `session_started` on), its start read first: joined as Rasa joins it, PostgreSQL may compute it again for every
        event of the conversation (a turn at message 150 then spends 20 ms there)."""
        event = self.SQLEvent
        started = (
            session.query(sa.func.max(event.timestamp))
            .filter(event.sender_id == sender_id, event.type_name == SessionStarted.type_name)
            .scalar()
        )
        events = session.query(event).filter(event.sender_id == sender_id)
        return events if started is None else events.filter(event.timestamp >= started)


class Mark(NamedTuple):
    """An event of the session that decides where its window starts: a listen, a form (de)activation, a reset."""

    id: int
    type_name: str
    action_name: str | None


def window_start(marks: list[Mark], turns: int) -> int | None:
    """The id of the `action_listen` the window starts at, from the session's marks in id order; None for no window.

    The window starts at the listen before the last `turns` user messages; a form active there moves it back to the
    listen `turns` user messages before the form's activation, at most MAX_WINDOW_MOVES times.
    """
    if any(mark.type_name in STATE_RESETTING_EVENTS for mark in marks):
        return None
    listens = [mark.id for mark in marks if mark.type_name == ActionExecuted.type_name]
    first = len(listens) - 1 - turns
    for _move in range(MAX_WINDOW_MOVES + 1):
        if first < 0:
            return None
        loops = [mark for mark in marks if mark.type_name == ActiveLoop.type_name and mark.id < listens[first]]
        if not loops or loops[-1].action_name is None:
            return listens[first]
        first = bisect.bisect_left(listens, loops[-1].id) - turns
    return None
