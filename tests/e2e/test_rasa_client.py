"""The Rasa client spreads messages over every Rasa URL in turn and passes the request id in the metadata."""

import pytest

from bot.messaging.rasa_client import RasaClient, RasaUnavailableError
from bot.ops import request_ids
from bot.settings import load_settings
from tests.conftest import free_port, latest_user_metadata

pytestmark = pytest.mark.e2e


def test_messages_go_to_each_rasa_in_turn(rasa_stack):
    client = RasaClient([rasa_stack.rasa_url, f"http://127.0.0.1:{free_port()}"])
    outcomes = []
    for turn in range(4):
        try:
            outcomes.append(bool(client.send("round-robin", f"hello {turn}", {"channel": "sms"})))
        except RasaUnavailableError:
            outcomes.append(False)
    assert outcomes == [True, False, True, False]


def test_the_request_id_travels_in_the_metadata(rasa_stack):
    client = RasaClient([rasa_stack.rasa_url])
    request_ids.use("abcdef0123456789")
    try:
        client.send("with-id", "hi", {"channel": "sms", "language": "en"})
    finally:
        request_ids.clear()
    assert latest_user_metadata(rasa_stack, "with-id")["request_id"] == "abcdef0123456789"
    client.send("with-id", "hi again", {"channel": "sms"})
    assert "request_id" not in latest_user_metadata(rasa_stack, "with-id")


def test_an_unreachable_rasa_raises():
    with pytest.raises(RasaUnavailableError):
        RasaClient([f"http://127.0.0.1:{free_port()}"], timeout=2).send("p1", "hi", {})


def test_rasa_url_accepts_a_comma_separated_list(tmp_path):
    loaded = load_settings({"INSTANCE_PATH": str(tmp_path), "RASA_URL": "http://rasa-1:5005/, http://rasa-2:5005,"})
    assert loaded.rasa_urls == ("http://rasa-1:5005", "http://rasa-2:5005")


def test_one_url_string_is_refused_rather_than_read_letter_by_letter():
    with pytest.raises(TypeError, match="rasa_urls"):
        RasaClient("http://127.0.0.1:5005")
