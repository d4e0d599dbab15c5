#!/usr/bin/env bash
# Fuzz the JSON API with schemathesis (a tool we did not write) against the
# running server, as a national administrator and as a commune officer, each
# on its own fresh demo database (what one stateful run creates, such as new
# grants, cannot change what the other tests). Every check is on; the run
# fails on any failure. Bounded: a few minutes per role.
#
#   bash .ci/schemathesis.sh            # both roles
#   ST_ROLES="quantri" bash .ci/schemathesis.sh
#   ST_SEED=random ST_MAX_EXAMPLES=50 ST_MAX_TIME=600 bash .ci/schemathesis.sh
#
# Needs python3 (with venv) and target/debug/antq (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

ST_VERSION="4.32.5"
VENV="${ANTQ_SCHEMATHESIS_VENV:-${HOME:-$ROOT/target}/.cache/antq/schemathesis-$ST_VERSION}"
ROLES="${ST_ROLES:-quantri ca.muongphang}"
MAX_EXAMPLES="${ST_MAX_EXAMPLES:-15}"
MAX_TIME="${ST_MAX_TIME:-150}"
PASSWORD="schemathesis-$$-mat-khau"
BIN="$PWD/target/debug/antq"

if [ ! -x "$VENV/bin/schemathesis" ]; then
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$ST_VERSION"
fi
"$VENV/bin/schemathesis" --version
cargo build -q -p antq

# A fixed seed keeps CI repeatable; ST_SEED=random explores.
SEED="${ST_SEED:-20261202}"
SEED_ARGS=()
[ "$SEED" = random ] || SEED_ARGS=(--seed "$SEED")

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

SERVER_PID=""
WORK=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
  SERVER_PID=""; WORK=""
}
trap cleanup EXIT

st_run() {
  # Run inside the scratch directory: schemathesis and Hypothesis keep their
  # databases of examples in the working directory.
  (cd "$WORK" && "$VENV/bin/schemathesis" --no-color --config-file "$ROOT/.ci/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
    --checks all \
    --header "Authorization: Bearer $TOKEN" \
    --max-examples "$MAX_EXAMPLES" \
    --request-timeout 120 \
    ${SEED_ARGS[@]+"${SEED_ARGS[@]}"} \
    --workers 1 \
    "$@")
}

fuzz_as() {
  local username="$1"
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/antq-schemathesis.XXXXXX")"
  local port; port="$(free_port)"
  BASE="http://127.0.0.1:$port"
  local base="$BASE"
  echo "---- schemathesis as $username on a fresh demo database ($base)"
  env -u ANTQ__DATABASE_URL ANTQ__DATA_DIR="$WORK/data" ANTQ__DEMO_PASSWORD="$PASSWORD" \
    "$BIN" serve --demo --addr "127.0.0.1:$port" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; echo "the server stopped"; return 1; }
    sleep 1
  done
  curl -fsS "$base/healthz" >/dev/null
  # Sign in, then make an API token for the account.
  local login csrf
  login="$(curl -fsS -c "$WORK/cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$username\",\"password\":\"$PASSWORD\"}" "$base/api/v1/session")"
  csrf="$(printf '%s' "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')"
  TOKEN="$(curl -fsS -b "$WORK/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"name":"schemathesis"}' "$base/api/v1/tokens" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
  # Revoking a token or removing a grant by a guessed id may hit the fuzzing
  # account's own (and turn the rest of the run into 401 or 403): those two
  # operations run last, on their own.
  local own='^/(tokens|grants)/\{id\}$'
  local status=0
  st_run --exclude-path-regex "$own" --max-time "$MAX_TIME" || status=$?
  if [ "$status" = 0 ]; then
    st_run --include-path-regex "$own" --max-time 30 || status=$?
  fi
  if [ "$status" != 0 ]; then
    echo "schemathesis found failures as $username (exit $status); the server's log ends:"
    tail -n 40 "$WORK/server.log"
  fi
  cleanup
  return "$status"
}

for role in $ROLES; do
  fuzz_as "$role"
done
echo "schemathesis: no failure as $ROLES"
