#!/usr/bin/env bash
# The API against its own schema: on a fresh PostgreSQL database (CONTRACT_DATABASE_URL, dropped
# and created here; default postgres://postgres@127.0.0.1:5432/syslead_contract) migrate, load the
# demo data, issue tokens for a local authority, a teaching school and the national body, serve the
# app under gunicorn (production settings over plain http) on a free loopback port, and run
# schemathesis with every check over the whole schema once per token. Exits non-zero if any run
# reports a failure or an error; the server is always stopped.
#
# Deterministic and bounded: a fixed seed (CONTRACT_SEED), at most CONTRACT_MAX_EXAMPLES cases per
# operation and phase, one schemathesis worker, a request timeout, and no example database carried
# between runs. The generated requests create and change data: the database is a throwaway.
# Reports (JUnit XML, and each run's output) go to CONTRACT_REPORT_DIR (default: a temporary folder).
# scripts/schemathesis.toml holds the only allowances, each with its reason: the operations where a
# 400 the schema cannot express (an unknown URN, a rule across fields) is taken for valid input.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PY=.venv/bin/python
DATABASE=${CONTRACT_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/syslead_contract}
SEED=${CONTRACT_SEED:-1}
MAX_EXAMPLES=${CONTRACT_MAX_EXAMPLES:-5}
REPORT_DIR=$(realpath -m "${CONTRACT_REPORT_DIR:-$(mktemp -d -t api-contract.XXXXXX)}")
SERVER_URL=${DATABASE%/*}
DATABASE_NAME=${DATABASE##*/}
[[ "$DATABASE" == postgres://* && -n "$DATABASE_NAME" ]] || {
    echo "CONTRACT_DATABASE_URL must be a postgres:// URL naming a database" >&2; exit 2; }
mkdir -p "$REPORT_DIR"

# What gunicorn and the management commands see: production settings over plain http on the loopback
# (as bench/load.py serves the app), the plain static storage (nothing is collected), no broker
# (tasks run in-process), emails dropped, and a rate limit the run cannot reach: the 429 is
# declared and tested elsewhere, here every request should reach the view.
export DATABASE_URL="$DATABASE" DJANGO_ENV=production DJANGO_DEBUG=false \
    DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false DJANGO_HSTS_SECONDS=0 \
    DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
    STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage \
    EMAIL_URL=dummymail:// LOG_LEVEL=WARNING API_THROTTLE_RATE=1000000/hour \
    PYTHONWARNINGS="ignore:No directory at"
unset CELERY_BROKER_URL CELERY_RESULT_BACKEND REDIS_URL

echo "Fresh database $DATABASE_NAME"
dropdb --maintenance-db="$SERVER_URL/postgres" --if-exists --force "$DATABASE_NAME"
createdb --maintenance-db="$SERVER_URL/postgres" "$DATABASE_NAME"
$PY manage.py migrate --noinput >"$REPORT_DIR/migrate.log"
$PY manage.py seed_demo >"$REPORT_DIR/seed_demo.log"

# The demo's organisations: a council, its teaching school hub (the only teaching school), the national body.
organisation_id() {
    $PY manage.py shell --no-imports -c \
        "from accounts.models import Organisation; print(Organisation.objects.get($1).pk)"
}
issue_token() {
    $PY manage.py create_api_token --organisation "$1" --name "API contract test" | tail -n 1
}
declare -A TOKENS
TOKENS[local_authority]=$(issue_token "$(organisation_id 'name="Norfolk County Council"')")
TOKENS[teaching_school]=$(issue_token "$(organisation_id 'kind="teaching_school"')")
TOKENS[national]=$(issue_token "$(organisation_id 'kind="national_body"')")

PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE_URL="http://127.0.0.1:$PORT"
$PY -m gunicorn config.wsgi --config python:config.gunicorn --bind "127.0.0.1:$PORT" --workers 2 \
    --worker-class sync --access-logfile /dev/null --error-logfile - >"$REPORT_DIR/gunicorn.log" 2>&1 &
SERVER_PID=$!
stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
}
trap stop_server EXIT

for _ in $(seq 120); do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "gunicorn stopped: see $REPORT_DIR/gunicorn.log" >&2; exit 1; }
    curl -fsS -o /dev/null "$BASE_URL/livez" 2>/dev/null && break
    sleep 0.5
done
curl -fsS -o /dev/null "$BASE_URL/livez"
# The schema as the server serves it, fetched once: generating it can take longer than
# schemathesis's own 10-second limit for loading one on a busy machine.
curl -fsS --max-time 120 -o "$REPORT_DIR/schema.json" "$BASE_URL/api/schema/?format=json"

failed=()
for who in local_authority teaching_school national; do
    echo "==> schemathesis as the $who token"
    # From the report folder: schemathesis leaves its .hypothesis and .schemathesis folders there.
    if ! (cd "$REPORT_DIR" && "$ROOT/.venv/bin/schemathesis" --config-file "$ROOT/scripts/schemathesis.toml" \
        run "$REPORT_DIR/schema.json" --url "$BASE_URL" \
        --checks all \
        --header "Authorization: Token ${TOKENS[$who]}" \
        --seed "$SEED" --max-examples "$MAX_EXAMPLES" --workers 1 --request-timeout 30 \
        --generation-database none --no-color \
        --report junit --report-junit-path "$REPORT_DIR/$who.xml" \
        2>&1 | tee "$REPORT_DIR/$who.txt"); then
        failed+=("$who")
    fi
done

if grep -q "Traceback" "$REPORT_DIR/gunicorn.log"; then
    echo "The server logged an exception: see $REPORT_DIR/gunicorn.log" >&2
    failed+=(server-log)
fi
if (( ${#failed[@]} )); then
    echo "API contract test failed for: ${failed[*]} (reports in $REPORT_DIR)" >&2
    exit 1
fi
echo "API contract test passed for every token (reports in $REPORT_DIR)"
