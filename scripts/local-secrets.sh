# Sourced by run.sh and shell.sh: the internal secrets of a local run (issue 15, H3/H4).
# A missing one is generated for this run and never printed: stdout ends up in journald
# or container logs, and a command line is readable by every local user (`ps`).
#   ACTION_SERVER_TOKEN  Rasa -> action server (endpoints.yml sends it as a Bearer header)
#   RASA_AUTH_TOKEN      Rasa's HTTP API (the console uses it); a generated one is written to
#                        RASA_AUTH_TOKEN_FILE (default var/rasa-auth-token), readable by you only
_new_secret() { "$(dirname "${BASH_SOURCE[0]}")/../.venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))'; }

if [ -z "${ACTION_SERVER_TOKEN:-}" ]; then
  ACTION_SERVER_TOKEN="$(_new_secret)"
fi
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  RASA_AUTH_TOKEN="$(_new_secret)"
  : "${RASA_AUTH_TOKEN_FILE:=var/rasa-auth-token}"
  mkdir -p "$(dirname "$RASA_AUTH_TOKEN_FILE")"
  rm -f "$RASA_AUTH_TOKEN_FILE"  # a file left with wider permissions would keep them
  (umask 077 && printf '%s\n' "$RASA_AUTH_TOKEN" > "$RASA_AUTH_TOKEN_FILE")
  echo "RASA_AUTH_TOKEN was not set: generated one for this run in ${RASA_AUTH_TOKEN_FILE} (readable by you only)."
fi
export ACTION_SERVER_TOKEN RASA_AUTH_TOKEN

# APP_ENCRYPTION_KEYS (case contents at rest): kept in var/encryption-keys, see the script.
. "$(dirname "${BASH_SOURCE[0]}")/local-keys.sh"
