#!/usr/bin/env bash
# Starts the action server and the lawyer console in the background and Rasa in
# the foreground; Ctrl-C (or Rasa ending) stops all three. Called by `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Telemetry and crash reports off, files private to this user (issue 16, M10).
. scripts/privacy-env.sh

: "${RASA_PORT:=5005}"
: "${ACTION_SERVER_PORT:=5055}"
: "${RASA_ENDPOINTS:=endpoints.yml}"
: "${TRACKER_DB:=var/tracker.db}"
: "${CONSOLE_PORT:=5006}"
# Other sites that may embed the chat widget (CORS and socket.io origins), comma- or
# space-separated. The default suits a local test page; set the firm's site in production.
: "${CHAT_ALLOWED_ORIGINS:=http://localhost:8000,http://127.0.0.1:8000}"
export ACTION_SERVER_PORT TRACKER_DB CONSOLE_PORT RASA_PORT CHAT_ALLOWED_ORIGINS
read -r -a cors_origins <<< "${CHAT_ALLOWED_ORIGINS//,/ }"
. scripts/wechat-env.sh

# ACTION_SERVER_TOKEN and RASA_AUTH_TOKEN (generated when unset, never printed). The lawyer
# console talks to Rasa's HTTP API with the same RASA_AUTH_TOKEN.
. scripts/local-secrets.sh

# Our launcher of rasa_sdk's server: 127.0.0.1 (ACTION_SERVER_HOST), the shared secret, JSON only.
.venv/bin/python -m actions.server --port "$ACTION_SERVER_PORT" &
actions_pid=$!
# Lawyer console and its scheduler (notifications, contact promises).
.venv/bin/python -m console serve --port "$CONSOLE_PORT" &
console_pid=$!

stop() {
  kill "$actions_pid" "$console_pid" 2>/dev/null || true
  wait "$actions_pid" "$console_pid" 2>/dev/null || true
}
trap stop EXIT INT TERM

echo "Assistant: http://localhost:${RASA_PORT}  (REST: POST /webhooks/rest/webhook;" \
     "HTTP API needs ?token=\$RASA_AUTH_TOKEN, see README)"
echo "Chat widget: http://localhost:${RASA_PORT}/chat/  (may be embedded by: ${CHAT_ALLOWED_ORIGINS})"
# `rasa run --enable-api` with the token read from RASA_AUTH_TOKEN, not from argv (see ps).
.venv/bin/python scripts/serve_rasa.py \
  --model models \
  --port "$RASA_PORT" \
  --endpoints "$RASA_ENDPOINTS" \
  --credentials credentials.yml \
  --cors "${cors_origins[@]}"
