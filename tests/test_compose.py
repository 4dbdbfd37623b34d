"""docker-compose.yml and the Dockerfile name only services, ports and variables that exist in the code and settings,
and each process gets exactly what docs/deploy.md's table says (Rasa and the action server: no secret of the service).

The compose file cannot run here (no Docker engine); this reads it and checks it against the code instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from bot.cli import build_parser
from bot.ops.processes import REDIS_LOCK_STORE, service_specs
from bot.settings import KEY_LISTS, PROJECT_ROOT, SettingsError, load_settings

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
DEPLOY = (PROJECT_ROOT / "docs" / "deploy.md").read_text()
# The process each of our services runs: the columns of docs/deploy.md's table, the names of NEEDED_BY_PROCESS.
PROCESSES = {"webhook": "webhook", "worker": "worker", "rasa-a": "rasa", "rasa-b": "rasa", "actions": "actions"}
# The service's secrets: the keys of its data and sessions, the channels' credentials, what may carry a password.
SERVICE_SECRETS = {
    "SECRET_KEY",
    "ENCRYPTION_KEY",
    "ENCRYPTION_KEYS",
    "PSEUDONYM_KEY",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_SECRET_TOKEN",
    "MESSENGER_APP_SECRET",
    "MESSENGER_VERIFY_TOKEN",
    "MESSENGER_PAGE_TOKEN",
    "METRICS_TOKEN",
    "SMTP_URL",
    "ALERT_WEBHOOK_URL",
}
# Everything Rasa needs: its tracker store (database and key), its lock store, the action server.
RASA_NEEDS = {
    "APP_ENV",
    "DATABASE_URL",
    "TRACKER_ENCRYPTION_KEY",
    "TRACKER_ENCRYPTION_KEYS",
    "REDIS_URL",
    "ACTION_SERVER_URL",
}


def setting_of(variable: str) -> str:
    """The setting a variable gives: ENCRYPTION_KEYS is the list form of ENCRYPTION_KEY."""
    return variable[:-1] if variable[:-1] in KEY_LISTS else variable


def documented(name: str) -> bool:
    """True when .env.example lists the variable (set or commented out)."""
    return re.search(rf"^#? ?{setting_of(name)}=", ENV_EXAMPLE, re.MULTILINE) is not None


def access_table() -> dict[str, set[str]]:
    """docs/deploy.md's table "Who gets which secret": each variable and the processes that get it."""
    section = DEPLOY.split("## Who gets which secret\n", 1)[1].split("\n## ", 1)[0]
    lines = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("| ")]
    processes = [cell.strip() for cell in lines[0][1:-1]]
    table = {}
    for cells in lines[1:]:
        given = {process for process, cell in zip(processes, cells[1:-1], strict=True) if cell.strip() == "✓"}
        table |= dict.fromkeys(re.findall(r"`(\w+)`", cells[0]), given)
    return table


def given_environment(name: str) -> dict[str, str]:
    """What the service's process finds in its environment with .env made from .env.example and its secrets filled."""
    example = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.+)$", ENV_EXAMPLE, re.MULTILINE))
    return {
        variable: value or example.get(variable, f"{variable.lower()}-from-env")
        for variable, value in OURS[name]["environment"].items()
    }


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
        assert f'"{setting_of(variable)}"' in CODE, f"{variable} is read nowhere in bot/, webhook/ or actions/"
        assert documented(variable), f"{variable} is not in .env.example"


def test_every_interpolated_variable_is_documented():
    for variable in re.findall(r"\$\{(\w+)", COMPOSE_TEXT):
        assert documented(variable), variable


def test_every_setting_is_documented():
    for variable in re.findall(r'env(?:\.get\(|\[)"([A-Z][A-Z0-9_]+)"', SETTINGS_CODE):
        assert documented(variable), variable


def test_urls_name_the_services_and_their_ports():
    environment = OURS["webhook"]["environment"] | OURS["rasa-a"]["environment"]
    assert OURS["rasa-a"]["environment"]["ACTION_SERVER_URL"] == OURS["actions"]["environment"]["ACTION_SERVER_URL"]
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


def test_no_service_reads_the_env_file_whole():
    assert all("env_file" not in service for service in SERVICES.values())


@pytest.mark.parametrize("name", sorted(PROCESSES))
def test_each_process_gets_what_the_deploy_table_says_and_nothing_more(name):
    table = access_table()
    assert set(OURS[name]["environment"]) == {variable for variable, given in table.items() if PROCESSES[name] in given}


def test_every_setting_has_a_row_in_the_deploy_table():
    table = access_table()
    read = re.findall(r'(?:env(?:\.get\(|\[)|key_list\(env, )"([A-Z][A-Z0-9_]+)"', SETTINGS_CODE)
    assert read and set(read) - set(table) == set()


@pytest.mark.parametrize("name", ["rasa-a", "rasa-b", "actions"])
def test_rasa_and_the_action_server_get_no_secret_of_the_service(name):
    environment = set(OURS[name]["environment"])
    assert environment & SERVICE_SECRETS == set()
    assert environment <= RASA_NEEDS | {"HOTLINE_NUMBER", "EMERGENCY_NUMBER"}


def test_rasa_gets_exactly_its_stores_and_the_action_server():
    assert set(OURS["rasa-a"]["environment"]) == RASA_NEEDS


@pytest.mark.parametrize("name", sorted(PROCESSES))
def test_each_process_starts_in_production_with_what_it_is_given(name):
    settings = load_settings(given_environment(name), process=PROCESSES[name])
    assert settings.is_production and settings.database_url.startswith("postgresql://safemig:")


def test_rasa_would_not_start_if_it_checked_for_every_secret():
    with pytest.raises(SettingsError, match=r"SECRET_KEY.*PSEUDONYM_KEY"):
        load_settings(given_environment("rasa-a"))


def test_the_rasa_server_gets_its_tracker_key_and_redis_and_no_service_secret():
    settings = load_settings(given_environment("rasa-a"), process="rasa")
    spec = service_specs(settings, Path("models/model.tar.gz"), interface="0.0.0.0")["rasa"]  # noqa: S104
    assert spec.env["TRACKER_ENCRYPTION_KEYS"] == "tracker_encryption_keys-from-env"
    assert spec.env["TRACKER_DATABASE_URL"] == settings.database_url
    assert (spec.env["RASA_LOCK_STORE"], spec.env["RASA_LOCK_STORE_HOST"]) == (REDIS_LOCK_STORE, "redis")
    assert set(spec.env) & SERVICE_SECRETS == set()
