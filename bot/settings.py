"""Settings read from the environment, with generated development secrets kept in the instance folder."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRET_NAMES = ("SECRET_KEY", "ENCRYPTION_KEY", "TRACKER_ENCRYPTION_KEY", "PSEUDONYM_KEY")
# Keys that may also be given as a list, newest first, under the name with an S (ENCRYPTION_KEYS): docs/keys.md.
KEY_LISTS = ("ENCRYPTION_KEY", "TRACKER_ENCRYPTION_KEY")
# What a process needs with APP_ENV=production; the webhook and every other command need all of ALL_NEEDED. Rasa and
# the action server get none of the service's secrets (docs/deploy.md, docker-compose.yml).
ALL_NEEDED = (*SECRET_NAMES, "DATABASE_URL", "TWILIO_AUTH_TOKEN")
NEEDED_BY_PROCESS = {
    "worker": ("DATABASE_URL", "ENCRYPTION_KEY", "PSEUDONYM_KEY"),
    "rasa": ("DATABASE_URL", "TRACKER_ENCRYPTION_KEY"),
    "actions": ("DATABASE_URL",),
}


class SettingsError(RuntimeError):
    """A setting is missing or invalid; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    """Every setting the service reads, resolved once at start-up."""

    env: str
    instance_path: Path
    database_url: str
    rasa_url: str
    action_server_url: str
    webhook_port: int
    webhook_workers: int
    webhook_threads: int
    public_base_url: str
    secret_key: str
    encryption_keys: tuple[str, ...]
    tracker_encryption_keys: tuple[str, ...]
    pseudonym_key: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_api_base_url: str
    twilio_sms_number: str
    twilio_whatsapp_number: str
    twilio_whatsapp_template_sid: str
    telegram_bot_token: str
    telegram_secret_token: str
    telegram_api_base_url: str
    messenger_app_secret: str
    messenger_verify_token: str
    messenger_page_token: str
    messenger_api_base_url: str
    redis_url: str
    smtp_url: str
    alert_email_from: str
    alert_email_to: str
    alert_webhook_url: str
    hotline_number: str
    emergency_number: str
    sms_segment_budget: int
    max_message_chars: int
    rate_limit_per_minute: int
    sync_reply_seconds: float
    registry_max_age_days: int
    console_idle_minutes: int
    session_minutes: int
    metrics_token: str
    trusted_proxies: int

    @property
    def is_production(self) -> bool:
        """True when secrets must come from the environment."""
        return self.env == "production"

    @property
    def tracker_database_url(self) -> str:
        """Rasa's SQL tracker store URL (see endpoints.yml) for this application database."""
        return tracker_database_url(self.database_url, self.instance_path)

    @property
    def hotline_numbers(self) -> dict[str, str]:
        """The numbers every answer may quote, as the values of its {hotline_number} and {emergency_number}."""
        return {"hotline_number": self.hotline_number, "emergency_number": self.emergency_number}

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        """Every Rasa server the webhook sends to (RASA_URL is a comma-separated list), in turn."""
        return tuple(self.rasa_url.split(","))


def tracker_database_url(database_url: str, instance_path: Path) -> str:
    """Rasa's SQL tracker store URL for the application's database URL.

    SQLite deployments keep Rasa's events in their own file beside the application database, so the two
    processes never wait on one SQLite lock; PostgreSQL deployments share the one database.
    """
    if database_url.startswith("sqlite"):
        return f"sqlite:///{instance_path / 'rasa_tracker.db'}"
    return database_url


def _new_dev_secrets() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "TRACKER_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "PSEUDONYM_KEY": secrets.token_urlsafe(32),
        "TWILIO_AUTH_TOKEN": secrets.token_hex(16),
        "TELEGRAM_SECRET_TOKEN": secrets.token_urlsafe(24),
        "MESSENGER_APP_SECRET": secrets.token_hex(16),
        "MESSENGER_VERIFY_TOKEN": secrets.token_urlsafe(16),
    }


def _write_dev_secrets(path: Path, values: dict[str, str]) -> dict[str, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    path.chmod(0o600)
    return values


def load_dev_secrets(instance_path: Path) -> dict[str, str]:
    """Read the development secrets file, creating it the first time and adding secrets that newer versions need."""
    path = instance_path / "secrets.env"
    if not path.exists():
        return _write_dev_secrets(path, _new_dev_secrets())
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    values = {key.strip(): value.strip() for key, value in pairs}
    missing = {key: value for key, value in _new_dev_secrets().items() if key not in values}
    return _write_dev_secrets(path, values | missing) if missing else values


def key_list(env: dict[str, str], name: str) -> tuple[str, ...]:
    """The keys of NAMES (comma-separated, newest first) or else of NAME alone."""
    listed = env.get(f"{name}S") or env.get(name, "")
    return tuple(key.strip() for key in listed.split(",") if key.strip())


def load_settings(environ: dict[str, str] | None = None, process: str = "") -> Settings:
    """Build the settings from the environment; in production a secret the process needs, if missing, is an error."""
    env = dict(os.environ if environ is None else environ)
    app_env = env.get("APP_ENV", "development")
    instance_path = Path(env.get("INSTANCE_PATH", PROJECT_ROOT / "instance"))
    if app_env == "production":
        required = NEEDED_BY_PROCESS.get(process, ALL_NEEDED)
        missing = [name for name in required if not (key_list(env, name) if name in KEY_LISTS else env.get(name))]
        if missing:
            raise SettingsError(f"APP_ENV=production but these settings are not set: {', '.join(missing)}")
    else:
        for key, value in load_dev_secrets(instance_path).items():
            env.setdefault(key, value)
    port = int(env.get("WEBHOOK_PORT", "8000"))
    return Settings(
        env=app_env,
        instance_path=instance_path,
        database_url=env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'safe_migration.db'}",
        rasa_url=",".join(
            url.strip().rstrip("/") for url in env.get("RASA_URL", "http://127.0.0.1:5005").split(",") if url.strip()
        ),
        action_server_url=env.get("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook"),
        webhook_port=port,
        webhook_workers=int(env.get("WEBHOOK_WORKERS", "4")),
        webhook_threads=int(env.get("WEBHOOK_THREADS", "4")),
        public_base_url=env.get("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}").rstrip("/"),
        secret_key=env.get("SECRET_KEY", ""),
        encryption_keys=key_list(env, "ENCRYPTION_KEY"),
        tracker_encryption_keys=key_list(env, "TRACKER_ENCRYPTION_KEY"),
        pseudonym_key=env.get("PSEUDONYM_KEY", ""),
        twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", ""),
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", ""),
        twilio_api_base_url=env.get("TWILIO_API_BASE_URL", "https://api.twilio.com").rstrip("/"),
        twilio_sms_number=env.get("TWILIO_SMS_NUMBER", ""),
        twilio_whatsapp_number=env.get("TWILIO_WHATSAPP_NUMBER", ""),
        twilio_whatsapp_template_sid=env.get("TWILIO_WHATSAPP_TEMPLATE_SID", ""),
        telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", ""),
        telegram_secret_token=env.get("TELEGRAM_SECRET_TOKEN", ""),
        telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org").rstrip("/"),
        messenger_app_secret=env.get("MESSENGER_APP_SECRET", ""),
        messenger_verify_token=env.get("MESSENGER_VERIFY_TOKEN", ""),
        messenger_page_token=env.get("MESSENGER_PAGE_TOKEN", ""),
        messenger_api_base_url=env.get("MESSENGER_API_BASE_URL", "https://graph.facebook.com/v19.0").rstrip("/"),
        redis_url=env.get("REDIS_URL", ""),
        smtp_url=env.get("SMTP_URL", ""),
        alert_email_from=env.get("ALERT_EMAIL_FROM", ""),
        alert_email_to=env.get("ALERT_EMAIL_TO", ""),
        alert_webhook_url=env.get("ALERT_WEBHOOK_URL", ""),
        hotline_number=env.get("HOTLINE_NUMBER", "+880 9610102030"),
        emergency_number=env.get("EMERGENCY_NUMBER", "999"),
        sms_segment_budget=int(env.get("SMS_SEGMENT_BUDGET", "3")),
        max_message_chars=int(env.get("MAX_MESSAGE_CHARS", "1000")),
        rate_limit_per_minute=int(env.get("RATE_LIMIT_PER_MINUTE", "10")),
        sync_reply_seconds=float(env.get("SYNC_REPLY_SECONDS", "10")),
        registry_max_age_days=int(env.get("REGISTRY_MAX_AGE_DAYS", "30")),
        console_idle_minutes=int(env.get("CONSOLE_IDLE_MINUTES", "30")),
        session_minutes=int(env.get("SESSION_MINUTES", "60")),
        metrics_token=env.get("METRICS_TOKEN", ""),
        trusted_proxies=int(env.get("TRUSTED_PROXIES", "0")),
    )
