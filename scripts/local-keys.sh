# Sourced (POSIX sh) by `make db`, scripts/local-secrets.sh (run.sh, shell.sh): APP_ENCRYPTION_KEYS,
# the key that encrypts case contents at rest (issue 16, M8; README "Encryption at rest").
# Unset: a local key is kept in APP_ENCRYPTION_KEYS_FILE (default var/encryption-keys), created
# once with mode 600 and never printed. Unlike the other local secrets it is not regenerated on
# each run: var/app.db and var/tracker.db are encrypted with it, and a restart must read them.
# Losing the file loses that data; production sets APP_ENCRYPTION_KEYS from its secret store.
if [ -z "${APP_ENCRYPTION_KEYS:-}" ]; then
  : "${APP_ENCRYPTION_KEYS_FILE:=var/encryption-keys}"
  if [ ! -s "$APP_ENCRYPTION_KEYS_FILE" ]; then
    mkdir -p "$(dirname "$APP_ENCRYPTION_KEYS_FILE")"
    (umask 077 && "${PYTHON:-.venv/bin/python}" -c \
      'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > "$APP_ENCRYPTION_KEYS_FILE")
    echo "APP_ENCRYPTION_KEYS was not set: generated a local key in ${APP_ENCRYPTION_KEYS_FILE} (readable by you only; keep it, the data in var/ needs it)."
  fi
  chmod 600 "$APP_ENCRYPTION_KEYS_FILE"  # a copy restored with wider permissions
  APP_ENCRYPTION_KEYS="$(cat "$APP_ENCRYPTION_KEYS_FILE")"
fi
export APP_ENCRYPTION_KEYS
