# Sourced by run.sh and shell.sh: the internal secrets of a local run (issue 15, H3/H4).
# A missing one is generated for this run and never printed: stdout ends up in journald
# or container logs, and a command line is readable by every local user (`ps`).
#   ACTION_SERVER_TOKEN  Rasa -> action server (endpoints.yml sends it as a Bearer header)
_new_secret() { "$(dirname "${BASH_SOURCE[0]}")/../.venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))'; }

if [ -z "${ACTION_SERVER_TOKEN:-}" ]; then
  ACTION_SERVER_TOKEN="$(_new_secret)"
fi
export ACTION_SERVER_TOKEN
