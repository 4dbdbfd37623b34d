"""How the bot's replies look on each channel: SMS pages and numbered menus, or real buttons on chat apps."""

from __future__ import annotations

from dataclasses import dataclass

from bot.language import localise_digits
from bot.outbound import Button, Outgoing
from bot.rasa_client import BotReply
from bot.sms import paginate

SMS, WHATSAPP, TELEGRAM, MESSENGER = "sms", "whatsapp", "telegram", "messenger"
CHANNELS = (SMS, WHATSAPP, TELEGRAM, MESSENGER)
# Channels without buttons: choices become a numbered list, and a digit reply picks one.
NUMBERED_MENU_CHANNELS = frozenset({SMS, WHATSAPP})


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
    """Turn the bot's replies into the messages of one channel."""
    texts = [reply for reply in replies if reply.text]
    if channel not in NUMBERED_MENU_CHANNELS:
        return Rendered([Outgoing(reply.text, buttons_of(reply)) for reply in texts], [], None)
    buttons = tuple(button for reply in texts for button in buttons_of(reply))
    parts = [reply.text for reply in texts] + ([numbered_menu(buttons, form)] if buttons else [])
    whole = "\n".join(parts)
    menu = [button.payload for button in buttons] or None
    if not whole:
        return Rendered([], [], menu)
    if channel != SMS:
        return Rendered([Outgoing(whole)], [], menu)
    pages = paginate(whole, segment_budget, form)
    return Rendered([Outgoing(pages[0])], pages[1:], menu)
