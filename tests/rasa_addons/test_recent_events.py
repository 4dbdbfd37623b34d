"""The recent-events tracker store: a long session is loaded from its last turns with the same state as Rasa's whole
load, saves only what is new, and falls back to the whole session whenever a window could differ."""

from __future__ import annotations

import asyncio
import uuid
import warnings
from collections.abc import Iterator

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text

from bot.db import make_engine
from bot.settings import PROJECT_ROOT
from rasa_addons.recent_events import SETTING, Mark, RecentEventsMixin, window_start
from rasa_addons.tracker_store import EncryptingSQLTrackerStore

TURNS = 4
QUESTIONS = (
    ("ask_recruitment_fees", "utter_fees", {"country": "saudi_arabia"}),
    ("ask_visa", "utter_visa", {"country": "malaysia"}),
    ("greet", "utter_greet", {}),
    ("ask_remittance", "utter_remittance", {"language": "bn_latn"}),
)


class RecentSQLTrackerStore(RecentEventsMixin, SQLTrackerStore):
    """Rasa's SQL tracker store with the mixin, as a deployment combines them."""


def with_recent_events(store_class: type) -> type:
    """The store class with the mixin first, or as it is when it has the mixin already."""
    if issubclass(store_class, RecentEventsMixin):
        return store_class
    return type(f"Recent{store_class.__name__}", (RecentEventsMixin, store_class), {})


@pytest.fixture(scope="module")
def domain() -> Domain:
    """The project's domain: its slots and forms, as the trained model has them."""
    with warnings.catch_warnings():
        # Rasa 3.6 warns that slot auto-fill was removed whenever a domain has slots.
        warnings.simplefilter("ignore", UserWarning)
        return Domain.from_dict(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")))


@pytest.fixture
def stores(settings, domain, monkeypatch) -> Iterator[tuple[RecentSQLTrackerStore, SQLTrackerStore]]:
    """The store under test (TURNS recent turns) and Rasa's own store, on the same tracker database."""
    monkeypatch.setenv(SETTING, str(TURNS))
    recent = RecentSQLTrackerStore(host=settings.tracker_database_url, domain=domain)
    whole = SQLTrackerStore(host=settings.tracker_database_url, domain=domain)
    yield recent, whole
    recent.engine.dispose()
    whole.engine.dispose()


def session_start() -> list[Event]:
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        SlotSet("session_started_metadata", {"language": "en"}),
        ActionExecuted("action_listen"),
    ]


def question(number: int) -> list[Event]:
    """One answered question and the listen after it; the slots it sets vary with the number."""
    intent, response, slots = QUESTIONS[number % len(QUESTIONS)]
    return [
        UserUttered(f"message {number}", {"name": intent, "confidence": 0.9}),
        *(SlotSet(name, value) for name, value in slots.items()),
        ActionExecuted(response),
        BotUttered(f"answer {number}", metadata={"utter_action": response}),
        ActionExecuted("action_listen"),
    ]


def form_started() -> list[Event]:
    """The self-check form asks its first question."""
    return [
        UserUttered("yes check me", {"name": "affirm", "confidence": 0.9}),
        ActionExecuted("self_check_form"),
        ActiveLoop("self_check_form"),
        SlotSet("requested_slot", "fee_above_limit"),
        BotUttered("question 1"),
        ActionExecuted("action_listen"),
    ]


def form_answer(number: int) -> list[Event]:
    """An answer to the form, which asks its next question."""
    return [
        UserUttered(str(number % 3 + 1), {"name": "nlu_fallback", "confidence": 0.3}),
        ActionExecuted("self_check_form"),
        SlotSet("fee_above_limit", "yes"),
        SlotSet("requested_slot", "passport_kept"),
        BotUttered(f"question {number}"),
        ActionExecuted("action_listen"),
    ]


def stored(store: SQLTrackerStore, sender: str, events: list[Event]) -> None:
    """Store a session of these events, as Rasa saves a new conversation."""
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, store.domain.slots)))


def retrieved(store: SQLTrackerStore, sender: str) -> DialogueStateTracker:
    return asyncio.run(store.retrieve(sender))


def assert_same_state(recent: DialogueStateTracker, whole: DialogueStateTracker, domain: Domain) -> None:
    assert recent.current_slot_values() == whole.current_slot_values()
    assert recent.active_loop_name == whole.active_loop_name
    assert recent.latest_message.text == whole.latest_message.text
    assert recent.latest_action_name == whole.latest_action_name
    # What the policies read: the last states and the rules' recent steps.
    assert recent.past_states(domain)[-6:] == whole.past_states(domain)[-6:]


def new_sender() -> str:
    return f"recent-{uuid.uuid4().hex[:8]}"


def test_a_long_session_is_loaded_from_its_last_turns_with_the_same_state(stores, domain):
    recent_store, whole_store = stores
    sender = new_sender()
    stored(whole_store, sender, [*session_start(), *(event for n in range(30) for event in question(n))])
    recent, whole = retrieved(recent_store, sender), retrieved(whole_store, sender)
    assert sum(isinstance(event, UserUttered) for event in recent.events) == TURNS
    assert len(recent.events) < len(whole.events) / 5
    # The slots set before the window come first, then the window itself, event for event.
    listens = [index for index, event in enumerate(whole.events) if event == ActionExecuted("action_listen")]
    window = list(whole.events)[listens[-TURNS - 1] :]
    assert list(recent.events)[-len(window) :] == window
    assert all(isinstance(event, SlotSet) for event in list(recent.events)[: -len(window)])
    assert recent.get_slot("country") == "malaysia" and recent.get_slot("language") == "bn_latn"
    assert_same_state(recent, whole, domain)


def test_saving_a_windowed_tracker_stores_only_the_new_events(stores, domain, settings):
    recent_store, whole_store = stores
    sender = new_sender()
    stored(whole_store, sender, [*session_start(), *(event for n in range(12) for event in question(n))])
    expected = list(retrieved(whole_store, sender).events)
    for number in (12, 13):
        tracker = retrieved(recent_store, sender)
        new_events = question(number)
        for event in new_events:
            tracker.update(event, domain)
        asyncio.run(recent_store.save(tracker))
        asyncio.run(recent_store.save(tracker))  # a second save of the same tracker adds nothing
        expected.extend(new_events)
    assert list(retrieved(whole_store, sender).events) == expected
    assert row_count(settings, sender) == len(expected) + 1  # with action_session_start, before the session


def row_count(settings, sender: str) -> int:
    engine = make_engine(settings.tracker_database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    finally:
        engine.dispose()


def test_a_short_session_is_loaded_whole_and_saved_as_rasa_saves_it(stores, domain):
    recent_store, whole_store = stores
    sender = new_sender()
    stored(whole_store, sender, [*session_start(), *(event for n in range(TURNS - 1) for event in question(n))])
    tracker = retrieved(recent_store, sender)
    expected = list(retrieved(whole_store, sender).events)
    assert list(tracker.events) == expected
    new_events = question(TURNS)
    for event in new_events:
        tracker.update(event, domain)
    asyncio.run(recent_store.save(tracker))
    assert list(retrieved(whole_store, sender).events) == [*expected, *new_events]


def test_a_form_active_since_before_the_window_moves_the_window_before_the_form(stores, domain):
    recent_store, whole_store = stores
    sender = new_sender()
    questions = (event for n in range(TURNS * 2) for event in question(n))
    answers = (event for n in range(TURNS + 2) for event in form_answer(n))
    stored(whole_store, sender, [*session_start(), *questions, *form_started(), *answers])
    recent, whole = retrieved(recent_store, sender), retrieved(whole_store, sender)
    assert recent.active_loop_name == "self_check_form"
    # Rasa folds the form's turns into one: the window holds the form and the TURNS - 1 questions before it.
    texts = [event.text for event in recent.events if isinstance(event, UserUttered)]
    assert texts[: TURNS - 1] == [f"message {n}" for n in range(TURNS + 1, TURNS * 2)]
    assert texts[TURNS - 1] == "yes check me" and len(texts) == TURNS + 2 + TURNS
    assert_same_state(recent, whole, domain)


def test_a_session_with_a_rewind_is_loaded_whole(stores):
    recent_store, whole_store = stores
    sender = new_sender()
    turns = [event for n in range(TURNS * 2) for event in question(n)]
    stored(whole_store, sender, [*session_start(), *question(0)[:2], UserUtteranceReverted(), *turns])
    assert list(retrieved(recent_store, sender).events) == list(retrieved(whole_store, sender).events)


def test_only_the_latest_session_is_read(stores, domain):
    recent_store, whole_store = stores
    sender = new_sender()
    first = [*session_start(), *(event for n in range(TURNS * 2) for event in question(n))]
    stored(whole_store, sender, [*first, *session_start(), *question(7)])
    recent = retrieved(recent_store, sender)
    assert [event.text for event in recent.events if isinstance(event, UserUttered)] == ["message 7"]
    assert_same_state(recent, retrieved(whole_store, sender), domain)


def test_zero_recent_turns_loads_every_session_whole(settings, domain, monkeypatch):
    monkeypatch.setenv(SETTING, "0")
    recent_store = RecentSQLTrackerStore(host=settings.tracker_database_url, domain=domain)
    sender = new_sender()
    stored(recent_store, sender, [*session_start(), *(event for n in range(TURNS * 3) for event in question(n))])
    assert sum(isinstance(event, UserUttered) for event in retrieved(recent_store, sender).events) == TURNS * 3
    recent_store.engine.dispose()


def test_the_mixin_combines_with_the_encrypting_store(settings, domain, monkeypatch):
    monkeypatch.setenv(SETTING, str(TURNS))
    keys = ",".join(settings.tracker_encryption_keys)
    store_class = with_recent_events(EncryptingSQLTrackerStore)
    store = store_class(host=settings.tracker_database_url, domain=domain, encryption_keys=keys)
    sender = new_sender()
    events = [*session_start(), *(event for n in range(TURNS * 3) for event in question(n))]
    stored(store, sender, events)
    tracker = retrieved(store, sender)
    assert sum(isinstance(event, UserUttered) for event in tracker.events) == TURNS
    assert tracker.get_slot("session_started_metadata") == {"language": "en"}
    tracker.update(UserUttered("one more", {"name": "greet", "confidence": 1.0}), domain)
    asyncio.run(store.save(tracker))
    assert retrieved(store, sender).latest_message.text == "one more"
    assert row_count(settings, sender) == len(events) + 1
    store.engine.dispose()


def listens(*ids: int) -> list[Mark]:
    return [Mark(row_id, "action", "action_listen") for row_id in ids]


def test_the_window_starts_at_the_listen_before_the_last_turns():
    assert window_start(listens(1, 10, 20, 30, 40), 2) == 20
    assert window_start(listens(1, 10, 20), 2) == 1
    assert window_start(listens(1, 10), 2) is None


def test_a_form_that_ended_before_the_window_does_not_move_it():
    form = [Mark(12, "active_loop", "self_check_form"), Mark(18, "active_loop", None)]
    assert window_start(sorted([*listens(1, 10, 15, 20, 30, 40), *form]), 2) == 20


def test_a_form_active_at_the_window_start_moves_it_before_the_form():
    form = [Mark(12, "active_loop", "self_check_form")]
    assert window_start(sorted([*listens(1, 5, 10, 15, 20, 30, 40), *form]), 2) == 5
    assert window_start(sorted([*listens(1, 10, 15, 20, 30, 40), *form]), 2) == 1
    assert window_start(sorted([*listens(10, 15, 20, 30, 40), *form]), 2) is None


def test_an_event_that_resets_earlier_ones_means_no_window():
    assert window_start([*listens(1, 10, 20, 30), Mark(35, "rewind", None), *listens(40)], 2) is None
