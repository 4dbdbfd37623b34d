"""A local stand-in for the Twilio, Telegram and Messenger APIs: checks requests as they would, records what is sent."""

from __future__ import annotations

import itertools
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask import Flask, jsonify, request
from werkzeug.serving import make_server

TWILIO_ACCOUNT_SID = "AC" + "1" * 32
TWILIO_SMS_NUMBER = "+15005550006"
TWILIO_WHATSAPP_NUMBER = "whatsapp:+14155238886"
TELEGRAM_BOT_TOKEN = "123456:test-bot-token"
MESSENGER_PAGE_TOKEN = "test-page-token"
TWILIO_CONTENT_SID = re.compile(r"HX[0-9a-f]{32}")
# WhatsApp takes free text for 24 hours after the person's last message; Messenger standard messages for 24 hours,
# and a human agent's (HUMAN_AGENT tag) for 7 days.
FREE_TEXT_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)


@dataclass
class Recorder:
    """What the fake APIs received, and failures to answer with next."""

    auth_token: str
    sent: list[dict] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    # Sends refused because the person's window was closed: (channel, to).
    refused: list[tuple[str, str]] = field(default_factory=list)
    # When each person last wrote, as the platform knows it (see person_wrote).
    last_message_at: dict[str, datetime] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=itertools.count)

    def reset(self) -> None:
        """Forget everything sent and refused, every planned failure, and when people wrote."""
        with self._lock:
            self.sent.clear()
            self.failures.clear()
            self.refused.clear()
            self.last_message_at.clear()

    def person_wrote(self, address: str, at: datetime) -> None:
        """Tell the platform when this person last wrote: its windows run from there."""
        with self._lock:
            self.last_message_at[address] = at

    def refuses_outside(self, channel: str, to: str, window: timedelta) -> bool:
        """Record and return True when the person wrote longer ago than the window (never told: they just wrote)."""
        with self._lock:
            wrote = self.last_message_at.get(to)
            closed = wrote is not None and datetime.now(timezone.utc) - wrote >= window
            if closed:
                self.refused.append((channel, to))
            return closed

    def fail_next(self, *statuses: int) -> None:
        """Answer the next requests with these HTTP statuses instead of accepting them."""
        with self._lock:
            self.failures.extend(statuses)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[dict]:
        """Wait until at least `count` messages were sent, and return them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.sent) >= count:
                    return list(self.sent)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} sent messages, got {self.sent}")

    def to(self, address: str) -> list[str]:
        """Texts sent to one address, in order."""
        with self._lock:
            return [item["text"] for item in self.sent if item["to"] == address]

    def accept(self, channel: str, to: str, text: str, buttons: list, **extra: str) -> int | None:
        """Record a valid send (with its extra fields that are set) and return its number, or the planned failure."""
        with self._lock:
            if self.failures:
                return -self.failures.pop(0)
            given = {name: value for name, value in extra.items() if value}
            self.sent.append({"channel": channel, "to": to, "text": text, "buttons": buttons, **given})
            return next(self._ids)


def recorder_app(recorder: Recorder) -> Flask:
    """The fake APIs, each refusing what the real one refuses (bad credentials, missing fields)."""
    app = Flask("recorder")

    @app.post("/2010-04-01/Accounts/<sid>/Messages.json")
    def twilio_message(sid):
        auth = request.authorization
        if sid != TWILIO_ACCOUNT_SID or not auth or (auth.username, auth.password) != (sid, recorder.auth_token):
            return jsonify(code=20003, message="Authenticate"), 401
        names = ("To", "From", "Body", "ContentSid", "StatusCallback")
        to, sender, body, template, status_callback = (request.form.get(name, "") for name in names)
        if not to or not (body or template) or sender not in (TWILIO_SMS_NUMBER, TWILIO_WHATSAPP_NUMBER):
            return jsonify(code=21602, message="To, From and Body or ContentSid are required"), 400
        if to.startswith("whatsapp:") != sender.startswith("whatsapp:"):
            return jsonify(code=63007, message="channel mismatch"), 400
        channel = "whatsapp" if to.startswith("whatsapp:") else "sms"
        if template and (channel != "whatsapp" or not TWILIO_CONTENT_SID.fullmatch(template)):
            return jsonify(code=21656, message="ContentSid is not an approved WhatsApp template"), 400
        # Twilio accepts the request and then fails the message with 63016; the recorder refuses at once.
        if channel == "whatsapp" and not template and recorder.refuses_outside(channel, to, FREE_TEXT_WINDOW):
            return jsonify(code=63016, message="outside the allowed window: use a template"), 400
        number = recorder.accept(channel, to, body, [], template=template, status_callback=status_callback)
        if number < 0:
            return jsonify(code=20500, message="failure"), -number
        return jsonify(sid=f"SM{number:032d}", status="queued"), 201

    @app.post("/bot<token>/sendMessage")
    def telegram_message(token):
        if token != TELEGRAM_BOT_TOKEN:
            return jsonify(ok=False, error_code=401, description="Unauthorized"), 401
        body = request.get_json(silent=True) or {}
        if not body.get("chat_id") or not body.get("text"):
            return jsonify(ok=False, error_code=400, description="Bad Request: message text is empty"), 400
        rows = (body.get("reply_markup") or {}).get("inline_keyboard") or []
        buttons = [(button["text"], button["callback_data"]) for row in rows for button in row]
        number = recorder.accept("telegram", str(body["chat_id"]), body["text"], buttons)
        if number < 0:
            return jsonify(ok=False, error_code=-number, description="failure"), -number
        return jsonify(ok=True, result={"message_id": number})

    @app.post("/me/messages")
    def messenger_message():
        if request.args.get("access_token") != MESSENGER_PAGE_TOKEN:
            return jsonify(error={"message": "Invalid OAuth access token", "code": 190}), 400
        body = request.get_json(silent=True) or {}
        recipient = (body.get("recipient") or {}).get("id")
        message = body.get("message") or {}
        kind, tag = body.get("messaging_type"), body.get("tag")
        if (
            not recipient
            or not message.get("text")
            or (kind, tag) not in (("RESPONSE", None), ("MESSAGE_TAG", "HUMAN_AGENT"))
        ):
            return jsonify(error={"message": "recipient, message.text and messaging_type required", "code": 100}), 400
        window = HUMAN_AGENT_WINDOW if tag else FREE_TEXT_WINDOW
        if recorder.refuses_outside("messenger", recipient, window):
            outside = {"message": "sent outside of allowed window", "code": 10, "error_subcode": 2018278}
            return jsonify(error=outside), 400
        buttons = [(item["title"], item["payload"]) for item in message.get("quick_replies") or []]
        number = recorder.accept("messenger", recipient, message["text"], buttons, tag=tag)
        if number < 0:
            return jsonify(error={"message": "failure"}), -number
        return jsonify(recipient_id=recipient, message_id=f"m_{number}")

    return app


class RecorderServer:
    """Serves the fake APIs on a local port in a background thread."""

    def __init__(self, port: int, auth_token: str) -> None:
        self.recorder = Recorder(auth_token)
        self.base_url = f"http://127.0.0.1:{port}"
        self._server = make_server("127.0.0.1", port, recorder_app(self.recorder), threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> RecorderServer:
        """Start serving."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
