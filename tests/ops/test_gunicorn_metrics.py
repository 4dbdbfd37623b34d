"""Under gunicorn with several workers, /metrics sums every worker's counters (prometheus_client multiprocess mode)."""

import dataclasses
import os
import signal
import time

import requests
from prometheus_client.mmap_dict import MmapedDict

from bot.ops.processes import webhook_spec
from tests.conftest import SMS_PATH, free_port
from tests.ops.process_probe import children_of

REQUESTS = 12


def test_metrics_add_up_over_all_gunicorn_workers_and_survive_a_killed_one(supervisor, settings, engine, tmp_path):
    port = free_port()
    spec = webhook_spec(port, workers=3, name="webhook-metrics")
    # Ready needs Rasa; counting needs only the webhook, so wait for liveness.
    spec = dataclasses.replace(
        spec, health_url=f"http://127.0.0.1:{port}/health", env={"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    )
    master = supervisor.start(spec)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(REQUESTS):
            # Unsigned: refused with 403 by whichever worker takes it, and counted there.
            assert requests.post(base + SMS_PATH, data={"Body": "hi"}, timeout=10).status_code == 403
        counted = f'safemig_webhook_requests_total{{channel="twilio",status="403"}} {float(REQUESTS)}'
        body = requests.get(base + "/metrics", timeout=10).text
        assert counted in body
        assert 'safemig_pending_retries{direction="in"} 0.0' in body
        assert list(tmp_path.glob("counter_*.db")), "the workers did not write shared metric files"

        killed = children_of(master.pid)[0]
        live_gauge = tmp_path / f"gauge_livesum_{killed}.db"
        MmapedDict(str(live_gauge)).close()  # what a live gauge of that worker would have left
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while live_gauge.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not live_gauge.exists(), "gunicorn's child_exit hook did not mark the killed worker dead"
        # Its counters stay counted (Prometheus counters never go down), and its files fail no scrape.
        response = requests.get(base + "/metrics", timeout=10)
        assert response.status_code == 200 and counted in response.text
    finally:
        supervisor.stop("webhook-metrics")
