#!/usr/bin/env bash
# The whole suite: lint, migrations check, tests on SQLite, again on PostgreSQL with Redis, browser tests.
# Outside CI a missing service is reported loudly and its tests skipped; with CI=true nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=maillage.config.settings MAILLAGE_FAST_HASHER=1
export MAILLAGE_VAR_DIR="${MAILLAGE_VAR_DIR:-$(mktemp -d)}"
STRICT=0; case "${CI:-}" in true|1|yes) STRICT=1 ;; esac
PG_URL="${TEST_DATABASE_URL:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maillage}}"
REDIS="${TEST_REDIS_URL:-${REDIS_URL:-redis://127.0.0.1:6379/15}}"
unset DATABASE_URL REDIS_URL
skipped=()

banner() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }
missing() {  # $1 = what is missing, $2 = how to fix it
  if [ "$STRICT" = 1 ]; then echo "ERROR: $1. $2 (CI=true: nothing may be skipped)." >&2; exit 1; fi
  printf '\n\033[1;31m!!! %s: the tests that need it are SKIPPED. %s\033[0m\n' "$1" "$2" >&2
  skipped+=("$1")
}

banner "lint (ruff)"
$BIN/ruff check .
$BIN/ruff format --check .

banner "migrations are up to date"
$BIN/python manage.py makemigrations --check --dry-run
$BIN/python manage.py compile_translations

banner "services"
need=(); [ -x /usr/bin/chromium ] || need+=(chromium); command -v xgettext >/dev/null || need+=(gettext)
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || need+=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages for the tests: ${need[*]}…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null) || true
fi
HAVE_CHROMIUM=0; [ -x /usr/bin/chromium ] && HAVE_CHROMIUM=1
[ "$HAVE_CHROMIUM" = 1 ] || missing "Chromium (/usr/bin/chromium) is not installed" "Install it: sudo apt-get install chromium"

pg_ok() { $BIN/python scripts/service_check.py postgres "$PG_URL"; }
redis_ok() { $BIN/python scripts/service_check.py redis "$REDIS"; }
if ! pg_ok && [ "$STRICT" = 1 ] && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true; sleep 2
fi
if ! redis_ok && [ "$STRICT" = 1 ] && command -v redis-server >/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true; sleep 1
fi
HAVE_PG=0; pg_ok && HAVE_PG=1
HAVE_REDIS=0; redis_ok && HAVE_REDIS=1
[ "$HAVE_PG" = 1 ] || missing "PostgreSQL is not reachable at $PG_URL" "Start it (see README) or set TEST_DATABASE_URL"
[ "$HAVE_REDIS" = 1 ] || missing "Redis is not reachable at $REDIS" "Start it (see README) or set TEST_REDIS_URL"
echo "chromium=$HAVE_CHROMIUM postgresql=$HAVE_PG redis=$HAVE_REDIS"

banner "tests on SQLite (embedded mode)"
marks="not browser and not postgres and not redis and not production"
if [ "$HAVE_PG" = 0 ] && [ "$HAVE_CHROMIUM" = 1 ]; then marks="not postgres and not redis and not production"; fi
$BIN/pytest -q -p no:cacheprovider -m "$marks"

if [ "$HAVE_PG" = 1 ]; then
  banner "tests on PostgreSQL (and Redis when reachable)"
  marks=""
  [ "$HAVE_CHROMIUM" = 1 ] || marks="not browser"
  [ "$HAVE_REDIS" = 1 ] || marks="${marks:+$marks and }not redis and not production"
  export DATABASE_URL="$PG_URL"
  [ "$HAVE_REDIS" = 1 ] && export REDIS_URL="$REDIS" CELERY_TASK_ALWAYS_EAGER=1
  $BIN/pytest -q -p no:cacheprovider ${marks:+-m "$marks"}
fi

if [ ${#skipped[@]} -gt 0 ]; then
  printf '\n\033[1;31m!!! Some tests were SKIPPED because these were missing:\033[0m\n' >&2
  printf '  - %s\n' "${skipped[@]}" >&2
fi
