#!/usr/bin/env bash
# Run the test suite, selecting the tests the configured services allow:
# PostgreSQL-only tests need DATABASE_URL to point at PostgreSQL, broker tests need CELERY_BROKER_URL.
# Tests run in parallel over the machine's cores (pytest-xdist; PYTEST_WORKERS=0 runs them in one process).
# Extra arguments go to pytest (e.g. a path, or -x).
set -euo pipefail
cd "$(dirname "$0")/.."

excluded=()
[[ "${DATABASE_URL:-}" == postgres* ]] || excluded+=("not postgres")
[[ -n "${CELERY_BROKER_URL:-}" ]] || excluded+=("not redis")

marker_args=()
if (( ${#excluded[@]} )); then
    expression="${excluded[0]}"
    for term in "${excluded[@]:1}"; do expression+=" and ${term}"; done
    marker_args=(-m "${expression}")
    echo "Running without PostgreSQL/Redis-only tests (${expression})."
else
    echo "Running every test, against PostgreSQL and the Redis broker."
fi

exec .venv/bin/pytest -p no:cacheprovider -rfE -n "${PYTEST_WORKERS:-auto}" "${marker_args[@]}" "$@"
