"""Twilio SMS and WhatsApp: the channels, and the Messages API client for messages sent outside a webhook answer."""

from __future__ import annotations

import requests

from bot.channels.base import Channel, Outgoing, post
from bot.settings import Settings

WHATSAPP_PREFIX = "whatsapp:"


class TwilioClient:
    """Creates messages with POST /2010-04-01/Accounts/{sid}/Messages.json, from the service's own number."""

    def __init__(self, base_url: str, account_sid: str, auth_token: str, from_number: str) -> None:
        self._url = f"{base_url}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._from = from_number
        self._http = requests.Session()
        self._http.auth = (account_sid, auth_token)

    def send(self, address: str, message: Outgoing) -> str:
        """Send the text (buttons are already numbered in it) and return Twilio's message SID."""
        sender = self._from
        if address.startswith(WHATSAPP_PREFIX) and not sender.startswith(WHATSAPP_PREFIX):
            sender = WHATSAPP_PREFIX + sender
        body = post(self._http, self._url, data={"To": address, "From": sender, "Body": message.text})
        return str(body.get("sid", ""))


def client_for(settings: Settings, from_number: str) -> TwilioClient:
    """A Twilio client on the configured account, sending from this number."""
    return TwilioClient(
        settings.twilio_api_base_url, settings.twilio_account_sid, settings.twilio_auth_token, from_number
    )


SMS = Channel("sms", lambda s: client_for(s, s.twilio_sms_number), numbered_menus=True, sms_pages=True)
WHATSAPP = Channel("whatsapp", lambda s: client_for(s, s.twilio_whatsapp_number), numbered_menus=True)
CHANNELS = (SMS, WHATSAPP)
