"""`python -m bot users create|disable`: hotline staff accounts from the command line, and the first admin."""

from __future__ import annotations

import argparse
import sys

from bot.db import command_sessions
from bot.hotline import audit
from bot.hotline.staff import Staff, StaffError
from bot.models import StaffUser
from bot.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the `users` command and its subcommands."""
    users = commands.add_parser("users", help="create or disable hotline console accounts")
    actions = users.add_subparsers(dest="users_command", required=True)
    create = actions.add_parser("create", help="create an account and print its generated password once")
    create.add_argument("username")
    create.add_argument("--role", choices=StaffUser.ROLES, default=StaffUser.COUNSELLOR)
    disable = actions.add_parser("disable", help="stop an account from logging in")
    disable.add_argument("username")


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run the chosen subcommand; a refused change prints why and exits 1."""
    try:
        with command_sessions(settings.database_url) as sessions:
            if args.users_command == "create":
                password = Staff(sessions).create(args.username, args.role)
                audit.AuditLog(sessions).record(None, audit.USER_CREATED, detail=f"{args.username} (command line)")
                print(f"created {args.role} {args.username} with password: {password}")
            else:
                Staff(sessions).set_active(args.username, active=False)
                audit.AuditLog(sessions).record(None, audit.USER_DISABLED, detail=f"{args.username} (command line)")
                print(f"disabled {args.username}")
        return 0
    except StaffError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def print_first_admin(settings: Settings) -> None:
    """Create the first admin account when there is no staff account, and print its password this once."""
    with command_sessions(settings.database_url) as sessions:
        password = Staff(sessions).ensure_first_admin()
    if password:
        print(
            f"First hotline console account: admin / {password}  (shown once; log in at /console/login"
            " and create counsellors under Users)",
            flush=True,
        )
