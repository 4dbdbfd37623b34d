"""`python -m bot agencies import|export`: load the official licence list, or write it out, as CSV."""

from __future__ import annotations

import argparse
import sys

from bot.db import command_sessions
from bot.settings import PROJECT_ROOT, Settings
from bot.topics.registry import RegistryImportError, export_csv, import_csv, registry_state

BAR_WIDTH = 30
SAMPLE_FILE = PROJECT_ROOT / "data" / "registry" / "agencies.sample.csv"


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the `agencies` command and its subcommands."""
    agencies = commands.add_parser("agencies", help="import or export the licensed agency list (CSV, see README)")
    actions = agencies.add_subparsers(dest="agencies_command", required=True)
    load = actions.add_parser("import", help="check the whole file, then add and update agencies")
    load.add_argument("file")
    load.add_argument("--dry-run", action="store_true", help="check and count, change nothing")
    dump = actions.add_parser("export", help="write every agency to a CSV file")
    dump.add_argument("file")


def show_progress(done: int, total: int) -> None:
    """A one-line progress bar on stderr."""
    filled = BAR_WIDTH * done // max(total, 1)
    end = "\n" if done >= total else ""
    print(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run the chosen subcommand; a refused file prints every problem and exits 1."""
    try:
        with command_sessions(settings.database_url) as sessions:
            if args.agencies_command == "export":
                print(f"exported {export_csv(sessions, args.file)} agencies to {args.file}")
                return 0
            summary = import_csv(sessions, args.file, dry_run=args.dry_run, progress=show_progress)
    except RegistryImportError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    prefix = "dry run, nothing changed: would have " if args.dry_run else ""
    print(
        f"{prefix}added {summary.added}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"marked missing {summary.marked_missing}"
    )
    return 0


def import_sample_if_empty(settings: Settings) -> None:
    """In development, fill an empty registry with the sample list (its answers say it is sample data)."""
    if settings.is_production:
        return
    with command_sessions(settings.database_url) as sessions:
        with sessions() as session:
            if registry_state(session).agencies:
                return
        summary = import_csv(sessions, SAMPLE_FILE)
    print(
        f"The agency registry was empty: imported {summary.added} SAMPLE agencies from {SAMPLE_FILE.name} (not the "
        "official list; answers say so). Import the real list with: python -m bot agencies import FILE",
        flush=True,
    )
