"""Under gunicorn with several workers, /metrics sums every worker's counters (prometheus_client multiprocess mode)."""

import dataclasses

import requests

from bot.ops.processes import webhook_spec
from tests.conftest import SMS_PATH, free_port

REQUESTS = 12


def test_metrics_add_up_over_all_gunicorn_workers(supervisor, settings, engine, tmp_path):
    port = free_port()
    spec = webhook_spec(port, workers=3, name="webhook-metrics")
    # Ready needs Rasa; counting needs only the webhook, so wait for liveness.
    spec = dataclasses.replace(
        spec, health_url=f"http://127.0.0.1:{port}/health", env={"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    )
    supervisor.start(spec)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(REQUESTS):
            # Unsigned: refused with 403 by whichever worker takes it, and counted there.
            assert requests.post(base + SMS_PATH, data={"Body": "hi"}, timeout=10).status_code == 403
        body = requests.get(base + "/metrics", timeout=10).text
        assert f'safemig_webhook_requests_total{{channel="twilio",status="403"}} {float(REQUESTS)}' in body
        assert 'safemig_pending_retries{direction="in"} 0.0' in body
        assert list(tmp_path.glob("counter_*.db")), "the workers did not write shared metric files"
    finally:
        supervisor.stop("webhook-metrics")
