"""GET /metrics is open without METRICS_TOKEN (development) and needs `Authorization: Bearer <token>` with it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.settings import load_settings

TOKEN = "a-scrape-token-0123456789"


@pytest.fixture
def guarded(make_app, settings):
    """A webhook app with METRICS_TOKEN set."""
    return make_app(replace(settings, metrics_token=TOKEN)).test_client()


def test_without_a_token_setting_metrics_are_open(client, settings):
    assert settings.metrics_token == ""
    response = client.get("/metrics")
    assert response.status_code == 200 and "safemig_open_cases" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer ডাকা"},
    ],
)
def test_with_a_token_setting_a_missing_or_wrong_token_gets_401(guarded, headers):
    response = guarded.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "safemig_" not in response.get_data(as_text=True)


def test_with_a_token_setting_the_right_token_gets_the_metrics(guarded):
    response = guarded.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and "safemig_open_cases" in response.get_data(as_text=True)


def test_the_token_guards_only_metrics(guarded):
    assert guarded.get("/health").status_code == 200


def test_the_setting_is_read_from_the_environment(tmp_path):
    assert load_settings({"INSTANCE_PATH": str(tmp_path), "METRICS_TOKEN": TOKEN}).metrics_token == TOKEN
