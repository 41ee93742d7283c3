# syntax=docker/dockerfile:1
# An Alianza node: the wheel and its locked dependencies (hash-checked) in a slim image, run as
# an unprivileged user. Build: docker build -t alianza . ; run: see compose.yaml and
# docs/operations.md.

# --- build the wheel -------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
RUN python -m pip wheel --no-deps --no-cache-dir --wheel-dir /dist .

# --- the node --------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
# postgresql-client: pg_dump/pg_restore for `alianza node backup|restore` (Debian 12: version 15;
# pg_dump must be at least the server's major version).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 alianza \
    && useradd --system --uid 10001 --gid alianza --home-dir /var/lib/alianza --shell /usr/sbin/nologin alianza \
    && install -d -o alianza -g alianza -m 0750 /var/lib/alianza /var/lib/alianza-keys
COPY requirements/main.lock /tmp/main.lock
COPY --from=build /dist/ /tmp/dist/
RUN python -m venv /opt/alianza \
    && /opt/alianza/bin/pip install --no-cache-dir --no-deps --require-hashes -r /tmp/main.lock \
    && /opt/alianza/bin/pip install --no-cache-dir --no-deps /tmp/dist/alianza-*.whl \
    && rm -rf /tmp/main.lock /tmp/dist
COPY deploy/docker-entrypoint.sh /usr/local/bin/alianza-entrypoint
ENV PATH=/opt/alianza/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ALIANZA_HOME=/var/lib/alianza \
    ALIANZA_KEYS_DIR=/var/lib/alianza-keys \
    ALIANZA_ENV=production \
    ALIANZA_LOG_FORMAT=json \
    PROMETHEUS_MULTIPROC_DIR=/tmp/alianza-metrics
USER alianza
WORKDIR /var/lib/alianza
VOLUME ["/var/lib/alianza", "/var/lib/alianza-keys"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["alianza-entrypoint"]
# PROMETHEUS_MULTIPROC_DIR: the CMD runs two workers, so /metrics must add up both workers'
# counters (the entry point creates the folder and empties it before serving).
# serve refuses to listen beyond loopback without TLS or --behind-proxy: the default names the
# TLS proxy of compose.yaml (fixed address on its internal network); elsewhere, give your own
# proxy's address or --certfile/--keyfile.
CMD ["alianza", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--behind-proxy", "172.30.80.10"]
