"""Through the real Rasa server: nothing a person wrote or the bot answered is readable in the tracker store."""

from __future__ import annotations

import pytest

from tests.conftest import decrypted_event, tracker_query
from tests.e2e.test_twilio_sms import replies

pytestmark = pytest.mark.e2e


def test_a_conversation_reaches_rasas_events_table_only_encrypted(rasa_stack, sms, vault):
    answer = replies(sms.send("how much does malaysia cost"))
    rows = tracker_query(
        rasa_stack, "SELECT data FROM events WHERE sender_id = :s ORDER BY id", s=vault.pseudonym("sms", sms.sender)
    )
    assert rows
    stored = " ".join(data for (data,) in rows)
    assert "malaysia" not in stored.lower() and "{" not in stored
    events = [decrypted_event(rasa_stack, data) for (data,) in rows]
    assert [e["text"] for e in events if e["event"] == "user"] == ["how much does malaysia cost"]
    bot_texts = [e["text"] for e in events if e["event"] == "bot"]
    assert bot_texts and answer[0].startswith(bot_texts[0][:20])
