# Images of the service, all from the lock file (installed in one pass with --no-deps, then `pip check`), running as
# a non-root user. Targets: `rasa` (the Rasa server, with the model trained at build time), `actions` (the action
# server) and `webhook` (the Flask gateway under gunicorn; the retry worker runs the same image). The dependency
# layer is shared, so the three images cost its disk space once. docker-compose.yml builds and wires them.
FROM python:3.10-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    APP_ENV=production \
    INSTANCE_PATH=/srv/instance

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 safemig

WORKDIR /srv/app
COPY requirements.lock ./
RUN python -m pip install --no-deps -r requirements.lock && python -m pip check

COPY --chown=safemig:safemig . .
RUN mkdir -p /srv/instance models && chown safemig:safemig /srv/instance models
USER safemig

# Rasa server. The model is trained here, so a container never trains or downloads anything at start-up.
FROM base AS rasa
RUN python -m bot train
EXPOSE 5005
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/', timeout=4)"]
CMD ["python", "-m", "bot", "serve", "rasa"]

# rasa_sdk action server.
FROM base AS actions
EXPOSE 5055
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"]
CMD ["python", "-m", "bot", "serve", "actions"]

# Webhook gateway under gunicorn (bot/ops/gunicorn_config.py): upgrades the schema, then serves. /health is liveness;
# a load balancer should route by /ready.
FROM base AS webhook
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
CMD ["sh", "-c", "python -m bot db upgrade && exec python -m bot serve webhook"]
