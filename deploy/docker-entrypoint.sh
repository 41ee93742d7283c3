#!/bin/sh
# Container entry point: migrate (under the database's migration lock, so several replicas may
# start at once), create the node's keys on first start when ALIANZA_NODE_COUNTRY and
# ALIANZA_NODE_NAME are given, then run the command (default: alianza serve).
set -eu
# the workers' metric files (prometheus_client multiprocess mode): the folder must exist for
# any command that counts (an import), and start empty for the server (a restarted container
# keeps its /tmp)
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  if [ "${1:-}" = "alianza" ] && [ "${2:-}" = "serve" ]; then
    rm -rf "$PROMETHEUS_MULTIPROC_DIR"
  fi
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi
if [ "${1:-}" = "alianza" ] && [ "${2:-}" = "serve" ]; then
  alianza db upgrade
  if [ -n "${ALIANZA_NODE_COUNTRY:-}" ] && [ -n "${ALIANZA_NODE_NAME:-}" ] \
     && [ ! -e "${ALIANZA_KEYS_DIR:-$ALIANZA_HOME/keys}/node-ed25519.pem" ]; then
    alianza node init --country "$ALIANZA_NODE_COUNTRY" --name "$ALIANZA_NODE_NAME"
  fi
fi
exec "$@"
