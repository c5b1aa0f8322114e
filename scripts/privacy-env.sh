# Sourced by run.sh and shell.sh before anything starts (issue 16, M10 and H8).
# - Rasa's telemetry (Segment) and its crash reports (Sentry, which Rasa only starts when
#   telemetry is on) send data abroad: off unless RASA_TELEMETRY_ENABLED is set. The
#   environment rather than `rasa telemetry disable`, which writes ~/.config/rasa/global.yml
#   for one user of one machine only.
# - Everything this run creates (SQLite databases, logs) is readable by this user only;
#   databases left by an earlier run with a wider umask are narrowed too.
: "${RASA_TELEMETRY_ENABLED:=false}"
export RASA_TELEMETRY_ENABLED
umask 077
if [ -d var ]; then
  find var -maxdepth 2 -type f \( -name '*.db' -o -name '*.db-journal' -o -name '*.db-wal' -o -name '*.log' \) \
    -exec chmod 600 {} + 2>/dev/null || true
fi
