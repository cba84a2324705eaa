#!/usr/bin/env bash
# Restore drill: back up a PostgreSQL database with pg_dump, restore the dump into a new
# database, and check that every enterprise's every period has the same money in both
# (manage.py money_checksums: rows, sums and a hash of each money table per month). The
# new database and the dump are removed afterwards, whatever happens; the exit status is
# non-zero when the restore fails or any checksum differs.
#
#   scripts/restore-drill.sh [DATABASE_URL]     (default: $DATABASE_URL; `make restore-drill`)
#
# The URL is libpq's (postgres://user@host:port/name); the restored copy is made beside
# the database, named <name>_drill_<pid>, so the user needs CREATEDB.
set -euo pipefail
cd "$(dirname "$0")/.."

url=${1:-${DATABASE_URL:-}}
case "$url" in
  postgres://* | postgresql://*) ;;
  *) echo "restore-drill: give a PostgreSQL URL (argument or DATABASE_URL), not '${url:-nothing}'." >&2; exit 2 ;;
esac
for tool in pg_dump pg_restore psql; do
  command -v "$tool" >/dev/null || { echo "restore-drill: $tool not found (apt-get install postgresql-client)." >&2; exit 2; }
done

query=""
[[ "$url" == *\?* ]] && query="?${url#*\?}"
base=${url%%\?*}
name=${base##*/}
copy="${name}_drill_$$"
copy_url="${base%/*}/${copy}${query}"

# The URL for libpq's tools: without `pool`, which only the application reads (psycopg's
# pool, README «PostgreSQL») and pg_dump, pg_restore and psql refuse («invalid URI query
# parameter»); every other parameter (sslmode …) is kept.
libpq() {
  local rest="" param params=()
  [[ "$1" == *\?* ]] && IFS='&' read -ra params <<<"${1#*\?}"
  for param in "${params[@]}"; do
    [[ "$param" == pool || "$param" == pool=* ]] || rest+="${rest:+&}$param"
  done
  printf '%s' "${1%%\?*}${rest:+?$rest}"
}
pq_url=$(libpq "$url")
pq_copy_url=$(libpq "$copy_url")
work=$(mktemp -d)
py=.venv/bin/python
[ -x "$py" ] || py=python3

cleanup() {
  psql "$pq_url" -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$copy\" WITH (FORCE)" >/dev/null 2>&1 \
    || echo "restore-drill: could not drop $copy" >&2
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
echo "restore-drill: checksums of $name"
DATABASE_URL="$url" "$py" manage.py money_checksums --json "$work/source.json" | tail -n 1

echo "restore-drill: pg_dump $name"
pg_dump --format=custom --no-owner --file="$work/backup.dump" "$pq_url"
echo "restore-drill: dump $(du -h "$work/backup.dump" | cut -f1)"

echo "restore-drill: restore into $copy"
psql "$pq_url" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$copy\"" >/dev/null
pg_restore --exit-on-error --no-owner --no-privileges --dbname="$pq_copy_url" "$work/backup.dump"

echo "restore-drill: checksums of $copy"
DATABASE_URL="$copy_url" "$py" manage.py money_checksums --compare "$work/source.json" | tail -n 2
echo "restore-drill: passed in $((SECONDS - started)) s"
