# One image for every process of the service (webhook, Rasa server, action server), built from the lock file.
# The process is chosen by the command: see docker-compose.yml. Runs as a non-root user.
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
# Train at build time so a container never trains (or downloads) anything at start-up.
RUN python -m bot train

EXPOSE 8000 5005 5055
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)" || exit 1
CMD ["sh", "-c", "python -m bot db upgrade && exec gunicorn --bind 0.0.0.0:8000 --workers 3 --threads 4 'webhook:create_app()'"]
