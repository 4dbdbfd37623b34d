"""Custom actions: answers that need data (fee ceilings, hotline numbers) and escalation signals."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.fees import ceiling_for
from bot.settings import Settings, load_settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The deployment settings, read once on first use."""
    return load_settings()


class ActionAnswerFees(Action):
    """Answers a fee question with the government ceiling for the destination, when one is known."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_answer_fees"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        """Utter the country's ceiling, or the general answer asking which country."""
        ceiling = ceiling_for(tracker.get_slot("country"))
        if ceiling is None:
            dispatcher.utter_message(response="utter_fees_general")
            return []
        dispatcher.utter_message(
            response="utter_fees_country_stale" if ceiling.stale else "utter_fees_country",
            country_name=ceiling.name,
            ceiling=ceiling.ceiling_text,
            since=ceiling.since,
            note=f" {ceiling.note}" if ceiling.note else "",
        )
        return []


class HotlineAnswer(Action):
    """An answer that states the hotline and emergency numbers from settings, optionally asking for escalation."""

    action_name = ""
    response = ""
    escalation_priority: str | None = None

    def name(self) -> str:
        """Action name in the domain."""
        return self.action_name

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        """Utter the response with the numbers, then the escalation signal the gateway acts on."""
        current = settings()
        dispatcher.utter_message(
            response=self.response,
            hotline_number=current.hotline_number,
            emergency_number=current.emergency_number,
        )
        if self.escalation_priority:
            dispatcher.utter_message(
                json_message={"escalate": {"priority": self.escalation_priority, "intent": self.action_name}}
            )
        return []


class ActionReportAbuse(HotlineAnswer):
    """Gives the emergency numbers at once and asks the gateway to open an urgent hotline case."""

    action_name = "action_report_abuse"
    response = "utter_report_abuse"
    escalation_priority = "urgent"


class ActionRequestHuman(HotlineAnswer):
    """Tells the person a counsellor will reply and asks the gateway to open a normal case."""

    action_name = "action_request_human"
    response = "utter_request_human"
    escalation_priority = "normal"


class ActionAnswerReturn(HotlineAnswer):
    """Answers a question about returning home, with the hotline number."""

    action_name = "action_answer_return"
    response = "utter_return"
