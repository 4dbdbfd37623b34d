"""The table of event classes finds the class Rasa's own lookup finds, for every event name and the exceptions."""

import pytest
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from rasa_addons import event_types


def test_the_patch_is_installed_when_rasa_addons_is_imported():
    assert Event.resolve_by_type is event_types.resolve_by_type


def test_every_event_name_resolves_to_the_class_of_rasas_lookup():
    names = event_types.event_classes()
    assert {"user", "action", "slot", "session_started", "active_loop"} <= set(names)
    for name in names:
        assert Event.resolve_by_type(name) is event_types.rasa_resolve_by_type(name)


def test_events_read_from_their_dicts_are_the_same_events():
    events = [UserUttered("hello", {"name": "greet"}), SlotSet("language", "bn"), ActionExecuted("action_listen")]
    assert [Event.from_parameters(event.as_dict()) for event in events] == events


def test_names_missing_from_the_table_get_rasas_answers():
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_the_setting_false_keeps_rasas_lookup(monkeypatch):
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(event_types.rasa_resolve_by_type))
    monkeypatch.setenv(event_types.SETTING, "false")
    assert event_types.install() is False
    assert Event.resolve_by_type is event_types.rasa_resolve_by_type
