"""The gateway's decision order, fast: keywords, opt-out, rate limit, handoff, MORE and menus before the bot.

The bot is a fake Rasa client that records what it was asked; everything else (database, vault, delivery) is real.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot.channels import senders
from bot.db import make_session_factory
from bot.messaging.conversations import Conversations, InboundMessage
from bot.messaging.delivery import Delivery
from bot.messaging.erasure import Eraser
from bot.messaging.rasa_client import BotReply, RasaUnavailableError
from bot.models import Message
from bot.settings import PROJECT_ROOT
from bot.topics.registry import import_csv

MENU_BUTTONS = [{"title": "Fees", "payload": "/ask_recruitment_fees"}, {"title": "Visa", "payload": "/ask_visa"}]


@dataclass
class FakeRasa:
    """Answers every message with the given replies and records (sender, message, metadata)."""

    replies: list[BotReply] = field(default_factory=lambda: [BotReply("An answer from the bot.")])
    asked: list[tuple[str, str, dict]] = field(default_factory=list)
    down: bool = False

    def send(self, sender_id: str, text: str, metadata: dict) -> list[BotReply]:
        """Record the question; raise as a dead Rasa would when `down`."""
        if self.down:
            raise RasaUnavailableError("connection refused")
        self.asked.append((sender_id, text, metadata))
        return self.replies

    @property
    def messages(self) -> list[str]:
        """The message texts the bot was given, in order; intent payloads without their entities."""
        return [text.partition("{")[0] if text.startswith("/") else text for _, text, _ in self.asked]


@dataclass
class FakeHandoff:
    """A counsellor holds the person while `holding`; escalations are recorded."""

    holding: bool = False
    escalations: list[dict] = field(default_factory=list)

    def takes_over(self, contact_id: int) -> bool:
        """True while a counsellor holds the person."""
        return self.holding

    def escalate(self, contact_id: int, signal: dict, language: str, channel: str) -> None:
        """Record the signal."""
        self.escalations.append(signal)

    def withdraw(self, contact_id: int) -> bool:
        """Withdraw the recorded escalations; True when there were any."""
        had = bool(self.escalations)
        self.escalations.clear()
        return had


@dataclass
class Person:
    """One person writing by SMS to conversations built on a fake bot."""

    conversations: Conversations
    stored: object
    address: str
    sent: int = 0

    def says(self, text: str) -> list[str]:
        """Send one SMS and return the stored answer texts."""
        self.sent += 1
        message_id = self.conversations.receive(
            InboundMessage("sms", self.address, f"SM{self.address}{self.sent}", text)
        )
        answer = self.conversations.process(message_id)
        by_id = {message.id: message for message in self.stored.all()}
        unstored = [message.text for message in answer.unstored]  # the confirmation of an erasure
        return [self.stored.text(by_id[outbound_id]) for outbound_id in answer.outbound_ids] + unstored


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def handoff() -> FakeHandoff:
    return FakeHandoff()


@pytest.fixture
def person(settings, engine, vault, stored, rasa, handoff, request) -> Person:
    sessions = make_session_factory(engine)
    delivery = Delivery(sessions, vault, senders(settings))
    eraser = Eraser(sessions, vault, settings.tracker_database_url)
    conversations = Conversations(sessions, vault, rasa, delivery, eraser, settings, handoff=handoff)
    return Person(conversations, stored, f"+8801900{abs(hash(request.node.name)) % 10**6:06d}")


def test_an_ordinary_question_goes_to_the_bot_with_channel_and_form(person, rasa):
    assert person.says("how much should I pay for Saudi?") == ["An answer from the bot."]
    [(_, text, metadata)] = rasa.asked
    assert text == "how much should I pay for Saudi?"
    assert metadata == {"channel": "sms", "language": "en", "triage": "no", "country": "saudi_arabia"}


def test_stop_silences_everything_but_start(person, rasa):
    assert "no more messages" in person.says("STOP")[0]
    assert person.says("how much for Saudi?") == [] and person.says("MENU") == []
    assert "Welcome back" in person.says("start")[0]
    assert person.says("hello") == ["An answer from the bot."]
    assert rasa.messages == ["hello"]


def test_keywords_are_answered_by_the_gateway_or_sent_as_intents(person, rasa):
    assert "Hotline" in person.says("HELP")[0]
    person.says("মেনু")
    # Rasa replaces a payload's entities, metadata included: the language form travels inside the payload.
    assert [text for _, text, _ in rasa.asked] == ['/ask_menu{"language": "bn"}']


def test_words_of_danger_reach_the_bot_as_the_report_abuse_intent(person, rasa):
    person.says("they took my passport and lock us in, we are in riyadh")
    [(_, text, metadata)] = rasa.asked
    assert text == '/report_abuse{"language": "en"}'
    assert metadata["triage"] == "danger_now" and metadata["country"] == "saudi_arabia"


@pytest.mark.parametrize("text", ["/report_abuse", '/report_abuse{"agency_name":"Fake"}', "//request_human"])
def test_a_text_that_looks_like_an_intent_is_still_text(person, rasa, text):
    person.says(text)
    assert not rasa.messages[0].startswith("/")


def test_a_question_the_bot_takes_for_a_report_gets_the_confirmation_question(person, rasa):
    rasa.replies = [BotReply("If it happens: call the hotline."), BotReply(custom={"confirm_danger": True})]
    answer = person.says("what should I do if the employer keeps my passport?")
    assert answer == ["If it happens: call the hotline.", "Is this happening to you or someone now? Reply 1 yes, 2 no."]


@pytest.mark.parametrize(("reply", "asked"), [("1", ["/report_abuse"]), ("yes", ["/report_abuse"]), ("2", [])])
def test_the_confirmation_opens_a_case_only_on_yes(person, rasa, reply, asked):
    rasa.replies = [BotReply("If it happens: call the hotline."), BotReply(custom={"confirm_danger": True})]
    person.says("what should I do if the employer keeps my passport?")
    rasa.asked.clear()
    answer = person.says(reply)
    assert rasa.messages == asked
    if not asked:
        assert answer[0].startswith("Thank you.")


def test_after_the_confirmation_question_other_messages_go_on_as_usual(person, rasa):
    rasa.replies = [BotReply("Advice."), BotReply(custom={"confirm_danger": True})]
    person.says("what should I do if the employer keeps my passport?")
    rasa.replies = [BotReply("Fees answer.")]
    assert person.says("how much for saudi?") == ["Fees answer."]
    assert person.says("1") == ["Fees answer."]


def test_a_digit_picks_from_the_last_numbered_menu(person, rasa):
    rasa.replies = [BotReply("Pick a topic.", MENU_BUTTONS)]
    assert person.says("menu") == ["Pick a topic.\n1 Fees\n2 Visa"]
    person.says("2")
    person.says("7")
    assert rasa.messages == ["/ask_menu", "/ask_visa", "7"]


def test_more_sends_the_next_page_without_the_bot(person, rasa, settings):
    rasa.replies = [BotReply(" ".join(f"Point {number}." for number in range(200)))]
    [first] = person.says("tell me everything")
    [second] = person.says("MORE")
    assert first.startswith("Point 0.") and second.startswith("Point ") and "Point 0." not in second
    assert rasa.messages == ["tell me everything"]


def test_during_a_handoff_the_bot_is_silent_and_danger_raises_the_case(person, rasa, handoff, stored):
    handoff.holding = True
    assert person.says("how much for Saudi?") == []
    assert person.says("they beat me now") == []
    assert rasa.asked == []
    assert handoff.escalations == [{"priority": "urgent", "intent": "danger_during_handoff"}]
    assert stored.count(Message.status == Message.FOR_STAFF) == 2


def test_stop_and_help_still_work_during_a_handoff(person, handoff):
    handoff.holding = True
    assert "Hotline" in person.says("HELP")[0]
    assert "no more messages" in person.says("STOP")[0]


def test_past_the_rate_limit_one_notice_then_silence(person, rasa, settings):
    for number in range(settings.rate_limit_per_minute):
        person.says(f"question {number}")
    assert "many messages" in person.says("one more")[0]
    assert person.says("and another") == []
    assert len(rasa.asked) == settings.rate_limit_per_minute


def test_escalations_of_the_bot_go_to_the_handoff(person, rasa, handoff):
    rasa.replies = [BotReply("Call the hotline.", custom={"escalate": {"priority": "urgent", "intent": "x"}})]
    person.says("they took my passport")
    assert handoff.escalations == [{"priority": "urgent", "intent": "x"}]


def test_a_dead_bot_keeps_the_message_and_says_so_once(person, rasa, stored):
    rasa.down = True
    assert "cannot answer right now" in person.says("how much for Saudi?")[0]
    assert stored.count(Message.status == Message.PENDING) == 1


def test_a_message_that_surely_names_a_listed_agency_goes_to_the_agency_check(person, rasa, engine):
    import_csv(make_session_factory(engine), PROJECT_ROOT / "data" / "registry" / "agencies.sample.csv")
    person.says("my brother going to saudi with Sharat Wings Overseas, can we trust them? they want 4 lakh")
    person.says("how much for saudi?")
    assert rasa.asked[0][1].startswith('/check_agency{"agency_name": "my brother going to saudi with Sharat')
    assert rasa.asked[0][1].endswith('"language": "en"}')
    assert rasa.messages[1] == "how much for saudi?"


@pytest.mark.parametrize("text", ["it was just a question", "ভুল করে লিখেছি", "emni jiggesh korlam"])
def test_the_person_can_withdraw_an_alarm_nobody_took(person, handoff, text):
    handoff.escalations.append({"priority": "urgent"})
    assert person.says(text)[0].startswith(("OK, we have closed the alert", "ঠিক আছে", "Thik ache"))
    assert handoff.escalations == []


def test_someone_who_sent_stop_can_still_erase_their_data(person, rasa, stored):
    person.says("STOP")
    assert "YES" in person.says("DELETE")[0]
    assert person.says("yes")[0].startswith("Done: your messages and details are erased")
    assert stored.contacts() == [] and rasa.asked == []


def test_after_stop_a_delete_not_confirmed_leaves_the_person_silent(person, rasa):
    person.says("STOP")
    person.says("DELETE")
    assert person.says("no thanks") == [] and person.says("how much for saudi?") == []
    assert rasa.asked == []
