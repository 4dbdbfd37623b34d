"""The length of a conversation session as a setting: SESSION_MINUTES, without retraining the model.

Rasa reads the session length from the `session_config` of the model's domain (domain.yml: 1440 minutes, so a day
of SMS is one session whose every event Rasa reads again at each turn). A new session starts when the person writes
after SESSION_MINUTES of silence; the slots (the language form among them) are carried over as domain.yml says.
Rasa's one reader of the length is `MessageProcessor._has_session_expired`; `install()` replaces it with the same
rule on SESSION_MINUTES (bot/settings.py; bot/ops/processes.py passes it to Rasa). Unset (a Rasa started by hand),
the domain's length stays.
"""

from __future__ import annotations

import os
import time

from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

SETTING = "SESSION_MINUTES"


def session_expired(tracker: DialogueStateTracker, minutes: float) -> bool:
    """Rasa's rule: the session is over when the last user message is older than `minutes` (0: sessions never end)."""
    if minutes <= 0:
        return False
    last_message = tracker.get_last_event_for(UserUttered)
    return last_message is not None and (time.time() - last_message.timestamp) / 60 > minutes


def install() -> bool:
    """Make sessions last SESSION_MINUTES when it is set; True when installed."""
    value = os.environ.get(SETTING, "")
    if not value:
        return False
    minutes = float(value)

    def has_session_expired(_processor: MessageProcessor, tracker: DialogueStateTracker) -> bool:
        """MessageProcessor._has_session_expired with SESSION_MINUTES."""
        return session_expired(tracker, minutes)

    MessageProcessor._has_session_expired = has_session_expired
    return True
