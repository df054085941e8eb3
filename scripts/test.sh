#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q -e ".[test]"
if ! command -v soffice >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing libreoffice-calc-nogui (LibreOffice headless, used to recalculate our formulas)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null
  else
    echo "missing: LibreOffice (soffice). Install it, e.g. 'sudo apt-get install libreoffice-calc-nogui';" \
         "the LibreOffice tests are skipped without it." >&2
  fi
fi
exec python3 -m pytest -q "$@"
