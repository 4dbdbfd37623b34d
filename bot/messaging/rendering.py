"""How the bot's replies look on each channel: SMS pages and numbered menus, or real buttons on chat apps."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.channels import channel_named
from bot.channels.base import Button, Outgoing
from bot.language.forms import localise_digits
from bot.messaging.rasa_client import BotReply
from bot.messaging.sms import paginate


@dataclass(frozen=True)
class Rendered:
    """What to send now, the pages kept for MORE, and the payloads a digit reply maps to (None: no menu)."""

    messages: list[Outgoing]
    pending_pages: list[str]
    menu: list[str] | None


def buttons_of(reply: BotReply) -> tuple[Button, ...]:
    """The reply's buttons that carry both a title and a payload."""
    return tuple(
        Button(str(item["title"]), str(item["payload"]))
        for item in reply.buttons
        if isinstance(item, dict) and item.get("title") and item.get("payload")
    )


def numbered_menu(buttons: tuple[Button, ...], form: str) -> str:
    """Buttons as lines "1 Fees", "2 Visa", ... (Bengali digits in Bengali) for phones that cannot tap."""
    lines = (f"{number} {button.title}" for number, button in enumerate(buttons, start=1))
    return localise_digits("\n".join(lines), form)


def render(channel: str, replies: list[BotReply], form: str, segment_budget: int) -> Rendered:
    """Turn the bot's replies into the messages of one channel.

    Rasa fills placeholders ({hotline_number}, RL numbers, dates) with Latin digits: every digit of a reply is written
    here the way its form writes them, so a Bengali answer never mixes two digit systems.
    """
    texts = [replace(reply, text=localise_digits(reply.text, form)) for reply in replies if reply.text]
    traits = channel_named(channel)
    if not traits.numbered_menus:
        return Rendered([Outgoing(reply.text, buttons_of(reply)) for reply in texts], [], None)
    buttons = tuple(button for reply in texts for button in buttons_of(reply))
    parts = [reply.text for reply in texts] + ([numbered_menu(buttons, form)] if buttons else [])
    whole = "\n".join(parts)
    menu = [button.payload for button in buttons] or None
    if not whole:
        return Rendered([], [], menu)
    if not traits.sms_pages:
        return Rendered([Outgoing(whole)], [], menu)
    pages = paginate(whole, segment_budget, form)
    return Rendered([Outgoing(pages[0])], pages[1:], menu)
