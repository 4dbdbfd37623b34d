"""Cost of encrypting Rasa's tracker events: save and retrieve one conversation, Rasa's SQL store against ours.

Ours twice: reading the whole session (RASA_RECENT_TURNS=0: the cost of encryption alone) and reading its recent
turns only (the default, rasa_addons/recent_events.py).

The stores run on SQLite files of their own in a temporary folder (on one PostgreSQL database they would share the
`events` table, and each would time the other's rows), over a conversation of 30 and of 150 turns (about 7 events
a turn, as the bot writes them). Prints figures only.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from rasa_addons.tracker_store import EncryptingSQLTrackerStore  # noqa: E402

REPEATS = 30


def conversation(sender: str, turns: int) -> DialogueStateTracker:
    """A conversation of `turns` question-and-answer turns."""
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for turn in range(turns):
        events += [
            UserUttered(f"how much should I pay for saudi arabia, question {turn}", {"name": "ask_recruitment_fees"}),
            SlotSet("language", "en"),
            SlotSet("country", "saudi_arabia"),
            ActionExecuted("utter_fees_country"),
            BotUttered("The government maximum for Saudi Arabia is Tk 1,65,000 for male workers (2016). " * 2),
            ActionExecuted("action_listen"),
        ]
    return DialogueStateTracker.from_events(sender, events)


def timings(store, turns: int) -> tuple[float, float]:
    """Median milliseconds of saving one new turn and of retrieving the whole conversation."""
    tracker = conversation(f"bench-{turns}-{time.monotonic_ns()}", turns)
    asyncio.run(store.save(tracker))
    saves, reads = [], []
    for _ in range(REPEATS):
        tracker.update(UserUttered("and for malaysia?", {"name": "ask_recruitment_fees"}))
        started = time.perf_counter()
        asyncio.run(store.save(tracker))
        saves.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        asyncio.run(store.retrieve(tracker.sender_id))
        reads.append((time.perf_counter() - started) * 1000)
    return statistics.median(saves), statistics.median(reads)


def main() -> int:
    """Print save and retrieve medians for both stores and both conversation lengths."""
    with tempfile.TemporaryDirectory() as folder:
        urls = {"SQLite": f"sqlite:///{folder}/plain.db"}
        key = Fernet.generate_key().decode()
        print("tracker store: median ms to save one turn / to retrieve the conversation")
        for database, url in urls.items():
            plain = SQLTrackerStore(host=url, domain=Domain.empty())
            encrypted_url = url.replace("plain.db", "encrypted.db")
            encrypting = EncryptingSQLTrackerStore(host=encrypted_url, domain=Domain.empty(), encryption_keys=key)
            whole = EncryptingSQLTrackerStore(host=encrypted_url, domain=Domain.empty(), encryption_keys=key)
            whole.recent_turns = 0
            for turns in (30, 150):
                plain_save, plain_read = timings(plain, turns)
                whole_save, whole_read = timings(whole, turns)
                recent_save, recent_read = timings(encrypting, turns)
                print(
                    f"  {database:10} {turns:3} turns  Rasa's SQL store {plain_save:5.1f} / {plain_read:5.1f}"
                    f"  encrypting, whole session {whole_save:5.1f} / {whole_read:5.1f}"
                    f" ({(whole_read / plain_read - 1) * 100:+4.0f} %)"
                    f"  encrypting, recent turns {recent_save:5.1f} / {recent_read:5.1f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
