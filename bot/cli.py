"""Command line: `python -m bot run | serve | worker | purge | db | train | sms | agencies | users | triage | keys`."""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
from datetime import timedelta
from typing import NoReturn

import requests

from bot.assembly import build_services
from bot.channels.twilio_signing import signature, sms_form
from bot.db import upgrade_schema
from bot.hotline import staff_cli, triage_export
from bot.messaging.worker import RetryWorker
from bot.models import utcnow
from bot.ops import key_rotation, log_privacy
from bot.ops.processes import Supervisor, run_services, service_specs
from bot.ops.training import ensure_model, model_path
from bot.settings import Settings, SettingsError, load_settings
from bot.topics import agencies_cli


def run(settings: Settings) -> int:
    """Migrate, train if stale, start and supervise all services (restarts), and stop them on Ctrl-C or SIGTERM."""
    upgrade_schema(settings.database_url)
    staff_cli.print_first_admin(settings)
    agencies_cli.import_sample_if_empty(settings)
    model = ensure_model()
    log_privacy.install()
    supervisor = Supervisor(settings.instance_path / "logs")
    return run_services(supervisor, service_specs(settings, model).values(), lambda: print_ready(settings))


def serve(settings: Settings, process: str) -> NoReturn:
    """Replace this process with one service listening on every interface: a container's command.

    Never trains: a container runs the model its image was built with.
    """
    spec = service_specs(settings, model_path(), interface="0.0.0.0")[process]  # noqa: S104 - inside a container
    os.execvpe(spec.command[0], spec.command, {**os.environ, **spec.env})  # noqa: S606 - a fixed command


def print_ready(settings: Settings) -> None:
    """Tell the operator where everything is."""
    base = f"http://127.0.0.1:{settings.webhook_port}"
    print(
        f"Ready.\n  Twilio SMS webhook: {base}/channels/twilio/sms (signed for {settings.public_base_url})\n"
        f"  WhatsApp (Twilio):  {base}/channels/twilio/whatsapp\n  Telegram:           {base}/channels/telegram\n"
        f"  Messenger:          {base}/channels/messenger\n  Console:            {base}/console\n"
        f"  Ready:              {base}/ready\n  Metrics:            {base}/metrics\n"
        f"  Rasa:               {settings.rasa_url}\n"
        f"  Action server:      {settings.action_server_url}\n  Logs:               {settings.instance_path / 'logs'}\n"
        "Try: .venv/bin/python -m bot sms 'how much should I pay for Saudi?'   Ctrl-C stops everything.",
        flush=True,
    )


def run_worker(settings: Settings) -> int:
    """Retry pending messages until SIGTERM or Ctrl-C."""
    shared = build_services(settings)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: stop.set())
    RetryWorker(shared.sessions, shared.conversations, shared.delivery).run_forever(stop)
    return 0


def purge(settings: Settings, older_than: str) -> int:
    """Delete messages, idle contacts and bot history older than e.g. "90d"."""
    match = re.fullmatch(r"(\d+)d", older_than.strip())
    if not match:
        print("error: --older-than takes a number of days, e.g. 90d", file=sys.stderr)
        return 2
    cutoff = utcnow() - timedelta(days=int(match.group(1)))
    messages, contacts = build_services(settings).eraser.purge(cutoff)
    print(f"purged {messages} messages and {contacts} contacts older than {cutoff:%Y-%m-%d %H:%M} UTC")
    return 0


def send_test_sms(settings: Settings, text: str, sender: str) -> int:
    """Post a correctly signed SMS to the local webhook and print the TwiML answer."""
    url = f"{settings.public_base_url}/channels/twilio/sms"
    form = sms_form(sender, text)
    headers = {"X-Twilio-Signature": signature(settings.twilio_auth_token, url, form)}
    local_url = f"http://127.0.0.1:{settings.webhook_port}/channels/twilio/sms"
    response = requests.post(local_url, data=form, headers=headers, timeout=30)
    print(response.status_code, response.text)
    return 0 if response.ok else 1


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser, with every command."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Safe-migration SMS and chat service.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start action server, Rasa, the webhook and the worker (trains first if needed)")
    commands.add_parser("worker", help="retry messages the bot or a channel could not handle yet")
    purge_parser = commands.add_parser("purge", help="delete messages and bot history past the retention period")
    purge_parser.add_argument("--older-than", required=True, help="age in days, e.g. 90d")
    db = commands.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade"])
    commands.add_parser("train", help="train the Rasa model if config, domain or data changed")
    serve_parser = commands.add_parser("serve", help="run one service in the foreground (container command)")
    serve_parser.add_argument("process", choices=["actions", "rasa", "webhook", "worker"])
    sms = commands.add_parser("sms", help="send a signed test SMS to the running webhook")
    sms.add_argument("text")
    sms.add_argument("--sender", default="+8801700000000")
    agencies_cli.add_parser(commands)
    staff_cli.add_parser(commands)
    triage_export.add_parser(commands)
    key_rotation.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    args = build_parser().parse_args(argv)
    if args.command == "train":
        print(ensure_model())
        return 0
    try:
        settings = load_settings(process=args.process if args.command == "serve" else args.command)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.command == "run":
        return run(settings)
    if args.command == "serve":
        serve(settings, args.process)
    if args.command == "worker":
        return run_worker(settings)
    if args.command == "purge":
        return purge(settings, args.older_than)
    if args.command == "db":
        upgrade_schema(settings.database_url)
        print("database schema is up to date")
        return 0
    if args.command == "agencies":
        return agencies_cli.run(settings, args)
    if args.command == "users":
        return staff_cli.run(settings, args)
    if args.command == "triage":
        return triage_export.run(settings, args)
    if args.command == "keys":
        return key_rotation.run(settings, args)
    return send_test_sms(settings, args.text, args.sender)
