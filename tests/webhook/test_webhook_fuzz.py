"""Fuzzing the channel webhooks: random bytes, random UTF-8, odd JSON, huge fields, repeated keys, wrong content types.

Never a 500, and an unsigned request stores nothing. Signed requests with odd contents are fuzzed too (a valid
signature on a malformed body must still be answered, not crash). The random generator is seeded: a failure repeats.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from urllib.parse import urlencode

import pytest

from bot.channels.twilio_signing import signature
from tests.conftest import (
    MESSENGER_APP_SECRET,
    MESSENGER_PATH,
    PUBLIC_BASE_URL,
    SMS_PATH,
    TELEGRAM_PATH,
    TELEGRAM_SECRET_TOKEN,
    TWILIO_AUTH_TOKEN,
    WHATSAPP_PATH,
)

ROUNDS = 40
CONTENT_TYPES = (
    "application/x-www-form-urlencoded",
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/octet-stream",
    None,
)


def random_text(rng: random.Random, size: int) -> str:
    alphabet = "abc /{}[]\"'\\:%&=+\u0985\u09cd\u200d\U0001f600\x00\n" + "".join(
        chr(rng.randrange(32, 0x2FFF)) for _ in range(8)
    )
    return "".join(rng.choice(alphabet) for _ in range(size))


def random_json(rng: random.Random, depth: int = 0):
    kinds = ["str", "int", "none", "bool", "list", "dict"] if depth < 3 else ["str", "int", "none"]
    kind = rng.choice(kinds)
    if kind == "str":
        return random_text(rng, rng.randrange(0, 40))
    if kind == "int":
        return rng.choice([0, -1, 2**63, 10**30, 3.5])
    if kind == "none":
        return None
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "list":
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    keys = ["message", "sender", "id", "text", "chat", "from", "entry", "messaging", "object", "postback", "update_id"]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randrange(0, 5))}


def random_bodies(rng: random.Random):
    """(body bytes, content type) pairs of every odd shape."""
    for _ in range(ROUNDS):
        shape = rng.choice(["bytes", "utf8", "json", "form", "huge", "repeated", "bad-utf8-form"])
        if shape == "bytes":
            body = rng.randbytes(rng.randrange(0, 2000))
        elif shape == "utf8":
            body = random_text(rng, rng.randrange(0, 500)).encode()
        elif shape == "json":
            body = json.dumps(random_json(rng)).encode()
        elif shape == "form":
            fields = {
                rng.choice(["Body", "From", "MessageSid", "To", "NumMedia", "x"]): random_text(rng, 20)
                for _ in range(4)
            }
            body = urlencode(fields).encode()
        elif shape == "huge":
            body = urlencode({"Body": "a" * 200_000, "From": "+8801711000000", "MessageSid": "SM" + "0" * 32}).encode()
        elif shape == "repeated":
            body = b"Body=one&Body=two&From=%2B8801&From=%2B8802&MessageSid=SM1&MessageSid=SM2"
        else:
            body = b"Body=%FF%FE%FA&From=%C0%AF"
        yield body, rng.choice(CONTENT_TYPES)


def post(client, path: str, body: bytes, content_type: str | None, headers: dict | None = None):
    all_headers = dict(headers or {})
    if content_type:
        all_headers["Content-Type"] = content_type
    return client.post(path, data=body, headers=all_headers)


@pytest.mark.parametrize("path", [SMS_PATH, WHATSAPP_PATH, TELEGRAM_PATH, MESSENGER_PATH])
def test_unsigned_junk_is_refused_without_a_500_and_nothing_is_stored(client, stored, path):
    rng = random.Random(f"unsigned {path}")
    for body, content_type in random_bodies(rng):
        forged = {"X-Twilio-Signature": "abc", "X-Hub-Signature-256": "sha256=00\u00e9".encode().decode("latin-1")}
        for headers in ({}, forged):
            response = post(client, path, body, content_type, headers)
            assert response.status_code < 500, (path, body[:60], content_type)
            assert response.status_code in (400, 403, 405, 413, 415), (path, response.status_code)
    assert stored.count() == 0 and stored.contacts() == []


def test_signed_telegram_and_messenger_junk_is_answered_without_a_500(client):
    rng = random.Random("signed json")
    for body, content_type in random_bodies(rng):
        telegram = post(
            client, TELEGRAM_PATH, body, content_type, {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET_TOKEN}
        )
        assert telegram.status_code < 500, (body[:80], content_type)
        digest = hmac.new(MESSENGER_APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        messenger = post(client, MESSENGER_PATH, body, content_type, {"X-Hub-Signature-256": f"sha256={digest}"})
        assert messenger.status_code < 500, (body[:80], content_type)


def test_signed_twilio_forms_with_odd_fields_are_answered_without_a_500(client):
    rng = random.Random("signed twilio")
    for _ in range(ROUNDS):
        form = {
            "From": rng.choice(["", "+8801711000000", random_text(rng, 30), "whatsapp:" + random_text(rng, 5)]),
            "Body": random_text(rng, rng.choice([0, 10, 1600, 12_000])),
            "MessageSid": rng.choice(["", "SM" + "a" * 32, random_text(rng, 40)]),
            "NumMedia": rng.choice(["0", "1", "-5", "x", "99999999999999999999"]),
        }
        for path in (SMS_PATH, WHATSAPP_PATH):
            headers = {"X-Twilio-Signature": signature(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + path, form)}
            response = client.post(path, data=form, headers=headers)
            assert response.status_code < 500, (path, form)


def test_messenger_subscription_check_with_odd_tokens_never_fails(client):
    for token in ("", "é", "\u09a8\u09be", "x" * 10_000, "\x00"):
        response = client.get(MESSENGER_PATH, query_string={"hub.mode": "subscribe", "hub.verify_token": token})
        assert response.status_code == 403


TELEGRAM_UPDATE = {"update_id": 1, "message": {"message_id": 2, "chat": {"id": 3}, "from": {"id": 3}, "text": "hi"}}
MESSENGER_EVENT = {
    "object": "page",
    "entry": [
        {
            "id": "1",
            "messaging": [{"sender": {"id": "4"}, "recipient": {"id": "1"}, "message": {"mid": "m", "text": "hi"}}],
        }
    ],
}


def mutated(rng: random.Random, document):
    """A copy of a valid document with one node, anywhere, replaced by random JSON of another type."""
    copy = json.loads(json.dumps(document))
    nodes = []

    def walk(node):
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            nodes.append((node, key))
            walk(child)

    walk(copy)
    parent, key = rng.choice(nodes)
    parent[key] = random_json(rng, depth=2)
    return copy


def test_valid_updates_with_one_node_replaced_are_answered_without_a_500(client):
    rng = random.Random("mutations")
    for _ in range(ROUNDS * 3):
        body = json.dumps(mutated(rng, TELEGRAM_UPDATE)).encode()
        response = post(
            client, TELEGRAM_PATH, body, "application/json", {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET_TOKEN}
        )
        assert response.status_code < 500, body
        body = json.dumps(mutated(rng, MESSENGER_EVENT)).encode()
        digest = hmac.new(MESSENGER_APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        response = post(client, MESSENGER_PATH, body, "application/json", {"X-Hub-Signature-256": f"sha256={digest}"})
        assert response.status_code < 500, body
