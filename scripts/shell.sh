#!/usr/bin/env bash
# The Rasa shell for staff, with the action server running beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
# Telemetry and crash reports off, files private to this user (issue 16, M10).
. scripts/privacy-env.sh

: "${ACTION_SERVER_PORT:=5055}"
: "${TRACKER_DB:=var/tracker.db}"
export ACTION_SERVER_PORT TRACKER_DB
. scripts/wechat-env.sh

. scripts/local-secrets.sh

.venv/bin/python -m actions.server --port "$ACTION_SERVER_PORT" >var/actions-shell.log 2>&1 &
actions_pid=$!
# The lawyer console, to see the tickets a shell conversation raises (replies
# cannot reach the shell: it has no HTTP API; use `make run` for that).
.venv/bin/python -m console serve --port "${CONSOLE_PORT:-5006}" >var/console-shell.log 2>&1 &
console_pid=$!
trap 'kill "$actions_pid" "$console_pid" 2>/dev/null || true; wait "$actions_pid" "$console_pid" 2>/dev/null || true' EXIT INT TERM
echo "Lawyer console: http://localhost:${CONSOLE_PORT:-5006}/"

.venv/bin/rasa shell --model models --endpoints "${RASA_ENDPOINTS:-endpoints.yml}" "$@"
