"""docker-compose.yml and the Dockerfile name only services, ports and variables that exist in the code and settings.

The compose file cannot run here (no Docker engine); this reads it and checks it against the code instead.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml

from bot.cli import build_parser
from bot.settings import PROJECT_ROOT

COMPOSE_TEXT = (PROJECT_ROOT / "docker-compose.yml").read_text()
# As compose would, with every ${VARIABLE...} interpolated.
COMPOSE = yaml.safe_load(re.sub(r"\$\{\w+[^}]*\}", "interpolated", COMPOSE_TEXT))
SERVICES = COMPOSE["services"]
OURS = {name: service for name, service in SERVICES.items() if "build" in service}
DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text()
ENV_EXAMPLE = (PROJECT_ROOT / ".env.example").read_text()
CODE = "\n".join(
    path.read_text() for folder in ("bot", "webhook", "actions") for path in (PROJECT_ROOT / folder).rglob("*.py")
)
SETTINGS_CODE = (PROJECT_ROOT / "bot" / "settings.py").read_text()


def documented(name: str) -> bool:
    """True when .env.example lists the variable (set or commented out)."""
    return re.search(rf"^#? ?{name}=", ENV_EXAMPLE, re.MULTILINE) is not None


def port_of(url: str) -> int:
    """The port of a URL, with the scheme's default."""
    parts = urlsplit(url)
    return parts.port or {"http": 80, "https": 443, "postgresql": 5432, "redis": 6379}[parts.scheme]


def healthcheck_port(service: dict) -> int:
    """The port the service's health check calls."""
    return int(re.search(r"127\.0\.0\.1:(\d+)/", " ".join(service["healthcheck"]["test"])).group(1))


def test_our_services_and_the_stores_are_all_there():
    assert set(SERVICES) == {"postgres", "redis", "actions", "rasa-a", "rasa-b", "webhook", "worker"}
    assert {service["build"]["target"] for service in OURS.values()} == {"actions", "rasa", "webhook"}


@pytest.mark.parametrize("name", sorted(OURS))
def test_every_command_is_one_of_the_command_line(name):
    command = " ".join(OURS[name]["command"]).split("&& exec ")[-1].split()
    assert command[:3] == ["python", "-m", "bot"]
    assert build_parser().parse_args(command[3:]).command == command[3]


@pytest.mark.parametrize("name", sorted(OURS))
def test_every_variable_is_read_by_the_code_and_documented(name):
    for variable in OURS[name]["environment"]:
        assert f'"{variable}"' in CODE, f"{variable} is read nowhere in bot/, webhook/ or actions/"
        assert documented(variable), f"{variable} is not in .env.example"


def test_every_interpolated_variable_is_documented():
    for variable in re.findall(r"\$\{(\w+)", COMPOSE_TEXT):
        assert documented(variable), variable


def test_every_setting_is_documented():
    for variable in re.findall(r'env(?:\.get\(|\[)"([A-Z][A-Z0-9_]+)"', SETTINGS_CODE):
        assert documented(variable), variable


def test_urls_name_the_services_and_their_ports():
    environment = OURS["webhook"]["environment"]
    rasa_urls = environment["RASA_URL"].split(",")
    assert sorted(urlsplit(url).hostname for url in rasa_urls) == ["rasa-a", "rasa-b"]
    for url in rasa_urls:
        assert healthcheck_port(SERVICES[urlsplit(url).hostname]) == port_of(url)
        assert str(port_of(url)) in SERVICES[urlsplit(url).hostname]["expose"]
    actions_url = environment["ACTION_SERVER_URL"]
    assert urlsplit(actions_url).hostname == "actions"
    assert healthcheck_port(SERVICES["actions"]) == port_of(actions_url) and urlsplit(actions_url).path == "/webhook"
    assert urlsplit(environment["DATABASE_URL"]).hostname == "postgres"
    assert urlsplit(environment["REDIS_URL"]).hostname == "redis"
    webhook_port = int(environment["WEBHOOK_PORT"])
    assert healthcheck_port(SERVICES["webhook"]) == webhook_port
    # Published on the loopback only: the reverse proxy on the host reaches it; /metrics and /ready stay private.
    assert SERVICES["webhook"]["ports"] == [f"127.0.0.1:{webhook_port}:{webhook_port}"]


def test_every_dependency_is_a_service():
    for service in SERVICES.values():
        assert set(service.get("depends_on", {})) <= set(SERVICES)


def test_every_long_running_service_has_a_health_check():
    # The retry worker serves no HTTP; its liveness is the restart policy until it reports a heartbeat.
    assert all("healthcheck" in service for name, service in SERVICES.items() if name != "worker")


def test_images_are_built_from_the_lock_file_as_a_non_root_user():
    assert "pip install --no-deps -r requirements.lock && python -m pip check" in DOCKERFILE
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert users and "root" not in users
    for target in {service["build"]["target"] for service in OURS.values()}:
        stage = DOCKERFILE.split(f" AS {target}\n", 1)[1].split("\nFROM ", 1)[0]
        assert "HEALTHCHECK" in stage, target
