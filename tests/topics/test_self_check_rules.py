"""The self-check's domain and rules: a question or command asked during it is answered, never taken as an answer."""

from __future__ import annotations

import yaml

from bot.settings import PROJECT_ROOT

# Intents that answer a self-check question (affirm, deny), chit-chat the form takes as an unclear answer, and the
# fallback, which the form re-asks.
ANSWER_INTENTS = {"affirm", "deny", "greet", "thank", "nlu_fallback"}
# Intents whose rule ends the self-check instead of answering and going on; ask_more is MORE, which the gateway answers.
ENDING_INTENTS = {"ask_menu", "goodbye", "report_abuse", "request_human"}


def load(path: str) -> dict:
    return yaml.safe_load((PROJECT_ROOT / path).read_text())


def self_check_slots(domain: dict) -> list[str]:
    return domain["forms"]["self_check_form"]["required_slots"]


def test_every_self_check_slot_refuses_the_same_intents():
    domain = load("domain.yml")
    lists = [tuple(domain["slots"][slot]["mappings"][0]["not_intent"]) for slot in self_check_slots(domain)]
    assert len(set(lists)) == 1


def test_every_question_or_command_is_refused_as_an_answer():
    domain = load("domain.yml")
    refused = set(domain["slots"][self_check_slots(domain)[0]]["mappings"][0]["not_intent"])
    assert refused == set(domain["intents"]) - ANSWER_INTENTS


def test_every_refused_intent_has_a_rule_during_the_self_check():
    domain = load("domain.yml")
    refused = set(domain["slots"][self_check_slots(domain)[0]]["mappings"][0]["not_intent"])
    rules = load("data/rules/self_check.yml")["rules"]
    during = [
        rule
        for rule in rules
        if rule.get("condition") == [{"active_loop": "self_check_form"}] and "intent" in rule["steps"][0]
    ]
    assert refused - {"ask_more"} == {rule["steps"][0]["intent"] for rule in during}
    going_on = {
        rule["steps"][0]["intent"] for rule in during if rule["steps"][-1] == {"active_loop": "self_check_form"}
    }
    assert refused - {"ask_more"} - going_on == ENDING_INTENTS
