"""Gunicorn settings for the webhook: workers and threads from the settings, Prometheus multiprocess mode.

It lives in bot/, not webhook/: importing the webhook package would import prometheus_client in the master
before PROMETHEUS_MULTIPROC_DIR is set, and the workers would then count each on their own.
"""

import os
import tempfile
from pathlib import Path

from bot.settings import load_settings

_settings = load_settings()
# Every interface: the container's port; `python -m bot run` and the tests bind 127.0.0.1 with --bind.
bind = f"0.0.0.0:{_settings.webhook_port}"
workers = _settings.webhook_workers
threads = _settings.webhook_threads
timeout = 30
# Counters and histograms of every worker are written to files here and summed by /metrics
# (prometheus_client multiprocess mode). It must be set before a worker imports prometheus_client.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="safemig-metrics-"))
_metrics_dir = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def on_starting(_server) -> None:
    """Start every run without the last run's metric files: counters restart at zero, as Prometheus expects."""
    _metrics_dir.mkdir(parents=True, exist_ok=True)
    for stale in _metrics_dir.glob("*.db"):
        stale.unlink()


def child_exit(_server, worker) -> None:
    """Drop the live values of a worker that exited."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
