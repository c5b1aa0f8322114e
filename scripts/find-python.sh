#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 supports 3.8-3.10):
# python3.10 on PATH, else one installed through pyenv. Fails naming what is missing.
set -euo pipefail
if command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import venv' >/dev/null 2>&1; then
  command -v python3.10
  exit 0
fi
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10; do
  if [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done
echo "error: Python 3.10 not found. Rasa Open Source 3.6 needs Python 3.10: install it" \
     "(e.g. 'pyenv install 3.10' or your system's python3.10 + python3.10-venv) and retry." >&2
exit 1
