#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q -e ".[test]"
# Debian packages the tests use: LibreOffice headless (recalculates our formulas, prints to PDF) and a
# Chinese font (without one, LibreOffice prints Chinese as wrong glyphs). Skipped when already present.
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
# Writer converts the draft report (.docx) to PDF; python3-uno lets LibreOffice Basic run the add-in's VBA parser.
[ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)
if command -v dpkg >/dev/null 2>&1 && ! dpkg -s python3-uno >/dev/null 2>&1; then need+=(python3-uno); fi
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; } || need+=(fonts-wqy-microhei)
# Carlito has Calibri's metrics: LibreOffice then lays columns out at Excel's widths (the print test measures them).
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list Carlito 2>/dev/null)" ]; } || need+=(fonts-crosextra-carlito)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing: ${need[*]}. Install them, e.g. 'sudo apt-get install ${need[*]}';" \
         "the LibreOffice tests are skipped or fail without them." >&2
  fi
fi
exec python3 -m pytest -q "$@"
