"""Twilio SMS and WhatsApp: the channels, and the Messages API client for messages sent outside a webhook answer."""

from __future__ import annotations

from datetime import timedelta

import requests

from bot.channels import delivery_status
from bot.channels.base import Channel, Outgoing, ReplyWindow, SendError, post
from bot.settings import Settings

WHATSAPP_PREFIX = "whatsapp:"
# Where Twilio posts the status of each message the client sends (webhook/channels/twilio.py serves it).
STATUS_CALLBACK_PATH = "/channels/twilio/status"
# The query parameter naming the stored row of a message sent in a TwiML answer (its SID is unknown until reported).
OUTBOUND_PARAMETER = "outbound"
# WhatsApp takes free text only within 24 hours of the person's last message (Twilio error 63016 after).
WHATSAPP_WINDOW = ReplyWindow(anything=timedelta(hours=24), templates=True)
# Twilio's message statuses as the service's delivery statuses; others (receiving, received...) are not outbound.
REPORTED_STATUSES = {
    "accepted": delivery_status.QUEUED,
    "scheduled": delivery_status.QUEUED,
    "queued": delivery_status.QUEUED,
    "sending": delivery_status.QUEUED,
    "sent": delivery_status.SENT,
    "delivered": delivery_status.DELIVERED,
    "read": delivery_status.READ,
    "undelivered": delivery_status.UNDELIVERED,
    "failed": delivery_status.FAILED,
    "canceled": delivery_status.FAILED,
}


def status_callback_url(base_url: str, outbound_id: int | None = None) -> str:
    """Where Twilio posts a message's status; for one sent in a TwiML answer, with the id of its stored row."""
    url = base_url + STATUS_CALLBACK_PATH
    return url if outbound_id is None else f"{url}?{OUTBOUND_PARAMETER}={outbound_id}"


def error_code(body: dict) -> str:
    """Twilio's error code of a refusal; its message is left out, as it may quote the phone number."""
    return str(body.get("code") or "")


class TwilioClient:
    """Creates messages with POST /2010-04-01/Accounts/{sid}/Messages.json, from the service's own number."""

    def __init__(
        self,
        base_url: str,
        account_sid: str,
        auth_token: str,
        from_number: str,
        status_callback: str,
        template_sid: str = "",
    ) -> None:
        self._url = f"{base_url}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._from = from_number
        self._status_callback = status_callback
        self._template_sid = template_sid
        self._http = requests.Session()
        self._http.auth = (account_sid, auth_token)

    def send(self, address: str, message: Outgoing) -> str:
        """Send the text (buttons are already numbered in it), or the template, and return Twilio's message SID."""
        sender = self._from
        if address.startswith(WHATSAPP_PREFIX) and not sender.startswith(WHATSAPP_PREFIX):
            sender = WHATSAPP_PREFIX + sender
        form = {"To": address, "From": sender, "StatusCallback": self._status_callback}
        if message.as_template:
            if not self._template_sid:
                raise SendError("no approved template is set (TWILIO_WHATSAPP_TEMPLATE_SID)", retryable=False)
            form["ContentSid"] = self._template_sid
        else:
            form["Body"] = message.text
        body = post(self._http, self._url, error_code, data=form)
        return str(body.get("sid", ""))


def client_for(settings: Settings, from_number: str, template_sid: str = "") -> TwilioClient:
    """A Twilio client on the configured account, sending from this number, asking for status callbacks."""
    return TwilioClient(
        settings.twilio_api_base_url,
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        from_number,
        status_callback_url(settings.public_base_url),
        template_sid,
    )


def whatsapp_client(settings: Settings) -> TwilioClient:
    """The WhatsApp client, with the approved template it sends outside the 24-hour window."""
    return client_for(settings, settings.twilio_whatsapp_number, settings.twilio_whatsapp_template_sid)


SMS = Channel("sms", lambda s: client_for(s, s.twilio_sms_number), numbered_menus=True, sms_pages=True)
WHATSAPP = Channel("whatsapp", whatsapp_client, numbered_menus=True, window=WHATSAPP_WINDOW)
CHANNELS = (SMS, WHATSAPP)
