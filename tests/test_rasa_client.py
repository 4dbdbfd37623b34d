"""The Rasa client spreads messages over every Rasa URL in turn and passes the request id in the metadata."""

import pytest
from tests.fake_rasa import FakeRasa

from bot import request_ids
from bot.rasa_client import RasaClient, RasaUnavailableError
from bot.settings import load_settings
from tests.conftest import free_port


@pytest.fixture
def two_rasas():
    servers = [FakeRasa("a"), FakeRasa("b")]
    yield servers
    for server in servers:
        server.close()


def test_messages_go_to_each_rasa_in_turn(two_rasas):
    client = RasaClient([server.url for server in two_rasas])
    answers = [client.send("p1", f"turn {n}", {"channel": "sms"})[0].text for n in range(4)]
    assert answers == ["a", "b", "a", "b"]
    assert [m["message"] for m in two_rasas[0].received] == ["turn 0", "turn 2"]


def test_the_request_id_travels_in_the_metadata(two_rasas):
    client = RasaClient([two_rasas[0].url])
    request_ids.use("abcdef0123456789")
    try:
        client.send("p1", "hi", {"channel": "sms", "language": "en"})
    finally:
        request_ids.clear()
    client.send("p1", "hi again", {"channel": "sms"})
    first, second = (message["metadata"] for message in two_rasas[0].received)
    assert first == {"channel": "sms", "language": "en", "request_id": "abcdef0123456789"}
    assert second == {"channel": "sms"}


def test_an_unreachable_rasa_raises():
    with pytest.raises(RasaUnavailableError):
        RasaClient([f"http://127.0.0.1:{free_port()}"], timeout=2).send("p1", "hi", {})


def test_rasa_url_accepts_a_comma_separated_list(tmp_path):
    loaded = load_settings({"INSTANCE_PATH": str(tmp_path), "RASA_URL": "http://rasa-1:5005/, http://rasa-2:5005,"})
    assert loaded.rasa_urls == ("http://rasa-1:5005", "http://rasa-2:5005")


def test_one_url_string_is_refused_rather_than_read_letter_by_letter():
    with pytest.raises(TypeError, match="rasa_urls"):
        RasaClient("http://127.0.0.1:5005")
