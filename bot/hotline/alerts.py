"""Alerts to hotline staff about urgent cases, by e-mail (SMTP_URL) and/or a webhook (ALERT_WEBHOOK_URL).

Alerts carry the case number and a console link only: never a phone number or the person's words.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import requests

from bot.settings import Settings

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class StaffAlerts:
    """Sends the urgent-case alert in the background, so the person's answer never waits for it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def urgent_case(self, case_id: int, channel: str, language: str) -> None:
        """Start sending the alert for an urgent case in a background thread."""
        threading.Thread(target=self.send, args=(case_id, channel, language), daemon=True).start()

    def send(self, case_id: int, channel: str, language: str) -> None:
        """Send the alert through every configured route; a failing route is logged, never raised."""
        link = f"{self._settings.public_base_url}/console/cases/{case_id}"
        subject = f"URGENT hotline case #{case_id}"
        text = f"{subject} ({channel}, {language}) is waiting for a counsellor: {link}"
        settings = self._settings
        if settings.smtp_url and settings.alert_email_to:
            try:
                self._email(subject, text)
            except (OSError, smtplib.SMTPException) as error:
                log.warning("urgent case %s: e-mail alert failed: %s", case_id, error)
        if settings.alert_webhook_url:
            payload = {"text": text, "case_id": case_id, "priority": "urgent", "url": link}
            try:
                requests.post(settings.alert_webhook_url, json=payload, timeout=TIMEOUT_SECONDS).raise_for_status()
            except requests.RequestException as error:
                log.warning("urgent case %s: webhook alert failed: %s", case_id, error)

    def _email(self, subject: str, text: str) -> None:
        url = urlsplit(self._settings.smtp_url)
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = self._settings.alert_email_from or "hotline@localhost"
        message["To"] = self._settings.alert_email_to
        message.set_content(text)
        client = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
        with client(url.hostname or "127.0.0.1", url.port or 0, timeout=TIMEOUT_SECONDS) as smtp:
            if url.username:
                smtp.login(unquote(url.username), unquote(url.password or ""))
            smtp.send_message(message)
