#!/usr/bin/env bash
# Runs only the end2end tests against a fresh server (the site must be built:
# `cargo leptos build`). Used by scripts/test.sh; handy alone while working on the UI.
# Needs MAILDIR and SMTP_URL of a running SMTP sink (scripts/test.sh starts one).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
DATABASE_URL="sqlite://$work/e2e.db?mode=rwc" BIND_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" \
  SEED_DEMO=true REQUIRE_2FA_FOR=none SMTP_URL="$SMTP_URL" OUTBOX_POLL_MS=200 RUST_LOG=${RUST_LOG:-warn} \
  WHATSAPP_APP_SECRET=e2e-app-secret WHATSAPP_VERIFY_TOKEN=e2e-verify-token \
  target/debug/server serve > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/server.log"; exit 1; }
(cd end2end && BASE_URL="http://127.0.0.1:$port" MAILDIR="$MAILDIR" APP_SECRET=e2e-app-secret npx playwright test "$@") || { tail -50 "$work/server.log"; exit 1; }
