"""SESSION_MINUTES sets Rasa's session length without retraining: Rasa's rule on the setting, passed to Rasa."""

import dataclasses
import time
from pathlib import Path

from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops.processes import service_specs
from rasa_addons import session_length


def tracker_last_written(minutes_ago: float) -> DialogueStateTracker:
    message = UserUttered("hello", {"name": "greet"}, timestamp=time.time() - minutes_ago * 60)
    return DialogueStateTracker.from_events("someone", [ActionExecuted("action_listen"), message])


def test_a_session_ends_after_the_minutes_of_silence():
    assert session_length.session_expired(tracker_last_written(61), 60)
    assert not session_length.session_expired(tracker_last_written(59), 60)
    assert not session_length.session_expired(DialogueStateTracker("nobody", []), 60)


def test_zero_minutes_means_sessions_never_end():
    assert not session_length.session_expired(tracker_last_written(10_000), 0)


def test_the_setting_replaces_rasas_check_of_the_domain_length(monkeypatch):
    monkeypatch.setattr(MessageProcessor, "_has_session_expired", MessageProcessor._has_session_expired)
    monkeypatch.setenv(session_length.SETTING, "15")
    assert session_length.install() is True
    # The model's domain says 1440 minutes; the processor now follows the setting.
    assert MessageProcessor._has_session_expired(None, tracker_last_written(16))
    assert not MessageProcessor._has_session_expired(None, tracker_last_written(14))


def test_unset_keeps_the_domains_length(monkeypatch):
    original = MessageProcessor._has_session_expired
    monkeypatch.setattr(MessageProcessor, "_has_session_expired", original)
    monkeypatch.delenv(session_length.SETTING, raising=False)
    assert session_length.install() is False
    assert MessageProcessor._has_session_expired is original


def test_the_rasa_process_is_given_the_setting(settings):
    specs = service_specs(dataclasses.replace(settings, session_minutes=15), Path("model.tar.gz"))
    assert specs["rasa"].env[session_length.SETTING] == "15"
    assert session_length.SETTING not in specs["webhook"].env
