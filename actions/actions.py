"""Custom actions: answers that need data (fee ceilings, hotline numbers), paging, language and the self-check."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.db import make_engine, make_session_factory
from bot.language.forms import localise_digits
from bot.language.triage import CONFIRM_DANGER, MAYBE, NO, REPORT_TEXT
from bot.settings import Settings, load_settings
from bot.topics.agency_answers import answer_query, choose_answer, pick_choice
from bot.topics.destinations import HOME, country_name, emergency_response, load_destinations
from bot.topics.fees import asks_about_women, ceiling_for, mentions_sea_route
from bot.topics.registry import best_matches, find_by_license, normalise_license
from bot.topics.self_check import QUESTIONS, assess, parse_answer

MORE_SUFFIX = "_more"
MAX_QUERY_CHARS = 200
# Self-check question -> suffix of its advice response (utter_flag_<suffix>).
FLAG_RESPONSES = {
    "fee_above_limit": "fee",
    "passport_kept": "passport",
    "contract_understood": "contract",
    "work_visa": "visa",
    "agency_licensed": "agency",
}
# A report about pay or the contract, in the three forms: from abroad (or from somewhere not known), it also gets the
# answer on where to complain (utter_complaint_abroad) after the emergency contacts.
WAGES_OR_CONTRACT = re.compile(
    r"\b(salar(y|ies)|wages?|unpaid|not\s+(been\s+)?paid|pay\s*slips?|contracts?"
    r"|beton|betan|bethon|mojuri|chukti|cukti|kontrakt)\b"
    r"|বেতন|মজুরি|চুক্তি|স্যালারি|কন্ট্রাক্ট",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The deployment settings, read once on first use (the action server is given none of the service's secrets)."""
    return load_settings(process="actions")


@lru_cache(maxsize=1)
def sessions():
    """Session factory on the application database (the agency registry), created on first use."""
    return make_session_factory(make_engine(settings().database_url))


def escalation(priority: str, intent: str, tracker: Tracker, **facts: Any) -> dict:
    """The custom message asking the gateway to open or raise a hotline case, with what the bot knows of it."""
    agencies = [
        entity.get("value")
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") in ("agency_name", "license_number")
    ]
    known = {"country": tracker.get_slot("country"), "agency": agencies[0] if agencies else None, **facts}
    return {"escalate": {"priority": priority, "intent": intent, **{k: v for k, v in known.items() if v}}}


class ActionAnswerFees(Action):
    """Answers a fee question with the government ceiling for the destination, when one is known."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_answer_fees"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        """Utter the country's ceiling, or the general answer asking which country; a boat gets the sea warning."""
        if mentions_sea_route(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_sea_travel")
            return []
        country, form = tracker.get_slot("country"), tracker.get_slot("language")
        ceiling = ceiling_for(country)
        destination = load_destinations().get(country or "")
        if ceiling is None and destination:
            # A country the bot knows but no official list covers: say so, rather than ask "which country?" again.
            name = country_name(destination, form)
            dispatcher.utter_message(
                response="utter_fees_country_unknown", country_name=name, **settings().hotline_numbers
            )
            return []
        if ceiling is None:
            dispatcher.utter_message(response="utter_fees_general")
            return []
        women_first = ceiling.women_domestic_workers_free and asks_about_women(tracker.latest_message.get("text") or "")
        if women_first:
            # Asked about a woman: her exemption comes first, never behind MORE.
            dispatcher.utter_message(response="utter_fee_note_women_domestic")
        dispatcher.utter_message(
            response="utter_fees_country_stale" if ceiling.stale else "utter_fees_country",
            country_name=ceiling.name_in(form),
            ceiling=localise_digits(ceiling.ceiling_text, form),
            since=localise_digits(str(ceiling.since), form),
            **settings().hotline_numbers,
        )
        if ceiling.women_domestic_workers_free and not women_first:
            dispatcher.utter_message(response="utter_fee_note_women_domestic")
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
        dispatcher.utter_message(response=self.response, **settings().hotline_numbers)
        if self.escalation_priority:
            dispatcher.utter_message(json_message=escalation(self.escalation_priority, self.action_name, tracker))
        return []


def previous_turn(tracker: Tracker) -> tuple[dict | None, list[dict]]:
    """The message that began the previous turn (None if none) and the bot's events of that turn, newest first."""
    bot_events: list[dict] = []
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                return event, bot_events
        elif event.get("event") == "bot" and users_seen == 1:
            bot_events.append(event)
    return None, bot_events


def about_wages_or_contract(text: str) -> bool:
    """True when the words of a report are about pay or the contract (unpaid wages, a changed contract)."""
    return bool(WAGES_OR_CONTRACT.search(text))


def reported_words(tracker: Tracker) -> str:
    """The person's own words of a report, or "" when the bot never saw them.

    Triage sends a report as the intent payload "/report_abuse": the gateway copies the words into the metadata.
    After "is this happening now?" was answered yes, they are the message that was asked about.
    """
    message = tracker.latest_message
    text = (message.get("metadata") or {}).get(REPORT_TEXT) or message.get("text") or ""
    if not text.startswith("/"):
        return text
    asked_about, bot_events = previous_turn(tracker)
    if not any(CONFIRM_DANGER in ((event.get("data") or {}).get("custom") or {}) for event in bot_events):
        return ""
    return (asked_about or {}).get("text") or ""


class ActionReportAbuse(Action):
    """Gives the emergency contacts where the person is and asks the gateway to open an urgent hotline case.

    A report of unpaid wages or a changed contract from abroad also gets where to complain, as a second message of
    the same turn (the SMS pager puts it behind MORE). When the gateway's triage judged the message a question ("what
    if they keep my passport?") while the model took it for a report, the person gets what to do if it happens, and
    the gateway asks whether it is happening now.
    """

    def name(self) -> str:
        """Action name in the domain."""
        return "action_report_abuse"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        """Utter the emergency answer and the urgent signal, or the advice and a request to confirm."""
        metadata = tracker.latest_message.get("metadata") or {}
        if metadata.get("triage") in (MAYBE, NO):
            dispatcher.utter_message(response="utter_if_harmed", **settings().hotline_numbers)
            dispatcher.utter_message(json_message={CONFIRM_DANGER: True})
            return []
        country = metadata.get("country") or tracker.get_slot("country")
        response, values = emergency_response(country, tracker.get_slot("language"))
        dispatcher.utter_message(response=response, **values, **settings().hotline_numbers)
        if country != HOME and about_wages_or_contract(reported_words(tracker)):
            dispatcher.utter_message(response="utter_complaint_abroad", **settings().hotline_numbers)
        dispatcher.utter_message(json_message=escalation("urgent", self.name(), tracker, country=country))
        return [SlotSet("country", country)] if country else []


class ActionRequestHuman(HotlineAnswer):
    """Tells the person a counsellor will reply and asks the gateway to open a normal case."""

    action_name = "action_request_human"
    response = "utter_request_human"
    escalation_priority = "normal"


class ActionAnswerReturn(HotlineAnswer):
    """Answers a question about returning home, with the hotline number."""

    action_name = "action_answer_return"
    response = "utter_return"


def previous_turn_responses(tracker: Tracker) -> list[str]:
    """Names of the responses the bot sent in its previous turn, newest first."""
    _, bot_events = previous_turn(tracker)
    return [name for event in bot_events if (name := (event.get("metadata") or {}).get("utter_action"))]


class ActionMore(Action):
    """Sends the second page of the previous answer (its `<response>_more`), or says there is no more."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_more"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        """Utter the next page when the previous answer has one."""
        responses = domain.get("responses", {})
        for name in previous_turn_responses(tracker):
            if name.endswith(MORE_SUFFIX):
                break
            if name + MORE_SUFFIX in responses:
                dispatcher.utter_message(response=name + MORE_SUFFIX, **settings().hotline_numbers)
                return []
        dispatcher.utter_message(response="utter_no_more")
        return []


class ValidateSelfCheckForm(FormValidationAction):
    """Reads yes / no / don't-know answers to the self-check questions in any language form."""

    def name(self) -> str:
        """Action name in the domain."""
        return "validate_self_check_form"

    async def get_validation_events(self, dispatcher, tracker, domain):
        """Parse the free-text answer of the requested slot; ask again, with the reply options, when unclear."""
        requested = tracker.get_slot("requested_slot")
        events = await super().get_validation_events(dispatcher, tracker, domain)
        for event in events:
            if event.get("event") == "slot" and event.get("name") == requested:
                answer = parse_answer(event.get("value"))
                event["value"] = answer
                if answer is None:
                    dispatcher.utter_message(response="utter_self_check_unclear")
        return events


class ActionAssessRisk(Action):
    """Gives the self-check result, advice for each red flag, and asks for escalation when the risk is high."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_assess_risk"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        """Utter the risk level, then one line of advice per flag; reset the answers for a later check."""
        result = assess({name: tracker.get_slot(name) for name, _ in QUESTIONS})
        dispatcher.utter_message(response=f"utter_risk_{result.level}", **settings().hotline_numbers)
        for flag in result.flags:
            dispatcher.utter_message(response=f"utter_flag_{FLAG_RESPONSES[flag]}", **settings().hotline_numbers)
        if result.level == "high":
            dispatcher.utter_message(json_message=escalation("high", self.name(), tracker, flags=list(result.flags)))
        return [SlotSet("risk_level", result.level)] + [SlotSet(name, None) for name, _ in QUESTIONS]


def replied_since_choices(tracker: Tracker) -> bool:
    """True when the person has written since the bot offered the numbered agency choices."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "slot" and event.get("name") == "agency_choices" and event.get("value"):
            return False
    return True


class ValidateAgencyForm(FormValidationAction):
    """Fills the agency query from an RL number anywhere in the message, or from a numbered choice."""

    def name(self) -> str:
        """Action name in the domain."""
        return "validate_agency_form"

    async def extract_agency_query(self, dispatcher, tracker, domain) -> dict:
        """When the slot is still empty: the RL number in the latest message, or the message if it names an agency.

        The model does not always mark a name it never saw in training, so the registry is asked too.
        """
        if tracker.get_slot("agency_query"):
            return {}
        text = (tracker.latest_message.get("text") or "")[:MAX_QUERY_CHARS]
        license_number = normalise_license(text)
        if license_number:
            return {"agency_query": license_number}
        if text.startswith("/"):
            return {}
        with sessions()() as session:
            return {"agency_query": text} if best_matches(session, [text]) else {}

    def validate_agency_query(self, value, dispatcher, tracker, domain) -> dict:
        """A number picks from the offered choices (out of range: ask again); any other text is a new query."""
        choices = tracker.get_slot("agency_choices") or []
        if not choices:
            return {"agency_query": value}
        if not replied_since_choices(tracker):
            # The form reopened to ask which agency: the value is the old query re-read from the same message.
            return {"agency_query": None}
        picked = pick_choice(str(value), choices)
        if picked:
            return {"agency_query": picked, "agency_choices": None}
        if str(value).strip().isdigit():
            return {"agency_query": None}
        return {"agency_query": value, "agency_choices": None}


class ActionAskAgencyQuery(Action):
    """Asks for the agency: the numbered choices when several matched, else for an RL number or a name."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_ask_agency_query"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        """Utter the question for the agency_query slot."""
        choices = tracker.get_slot("agency_choices") or []
        if not choices:
            dispatcher.utter_message(response="utter_ask_agency_query")
            return []
        with sessions()() as session:
            agencies = [find_by_license(session, number) for number in choices]
        answer = choose_answer([agency for agency in agencies if agency], tracker.get_slot("language"))
        dispatcher.utter_message(response=answer.response, **answer.values)
        return []


class ActionCheckAgency(Action):
    """Answers whether an agency is licensed: its status and expiry, a numbered choice, or a warning."""

    def name(self) -> str:
        """Action name in the domain."""
        return "action_check_agency"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        """Look the query and the whole message up; several matches reopen the form to ask which one."""
        query = (tracker.get_slot("agency_query") or "")[:MAX_QUERY_CHARS]
        message = (tracker.latest_message.get("text") or "")[:MAX_QUERY_CHARS]
        texts = [query] + ([message] if message and not message.startswith("/") else [])
        with sessions()() as session:
            answer = answer_query(session, texts, tracker.get_slot("language"))
        if answer.choices:
            return [
                SlotSet("agency_choices", answer.choices),
                SlotSet("agency_query", None),
                FollowupAction("agency_form"),
            ]
        dispatcher.utter_message(response=answer.response, **answer.values, **settings().hotline_numbers)
        return [SlotSet("agency_query", None), SlotSet("agency_choices", None)]
