#!/usr/bin/env bash
# The Debian packages Хозрасчёт needs, in one place (used by the Makefile and .ci/run).
#
#   scripts/system-packages.sh app    what the application needs (`make run`)
#   scripts/system-packages.sh test   that and what the suite needs too (`make test`, CI)
#   scripts/system-packages.sh bench  that and what `make bench` compares with (wkhtmltopdf)
#
# Missing packages are installed when run as root (apt-get update, then install
# --no-install-recommends); otherwise the script stops and names the one command to run.
set -euo pipefail

app=(
  fonts-paratype fonts-dejavu-core  # Cyrillic fonts for pages and PDFs
  libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0  # WeasyPrint
  gettext                           # compilemessages for the English catalog
)
suite=(
  chromium                          # browser tests (Playwright drives Debian's Chromium)
  poppler-utils                     # pdftoppm, to look at printed PDFs
)
bench=(
  wkhtmltopdf                       # the plan sheets' HTML through another engine, beside WeasyPrint
)

case "${1:-}" in
  app) packages=("${app[@]}") ;;
  test) packages=("${app[@]}" "${suite[@]}") ;;
  bench) packages=("${app[@]}" "${bench[@]}") ;;
  *)
    echo "usage: $0 app|test|bench" >&2
    exit 2
    ;;
esac

if ! command -v dpkg-query >/dev/null; then
  echo "Not a Debian system: make sure these are installed: ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done
((${#missing[@]})) || exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "Missing Debian packages: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
