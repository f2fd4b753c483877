#!/usr/bin/env bash
# Runs every check and test: rustfmt and clippy (native and wasm builds), unit, integration
# (SQLite and PostgreSQL, real SMTP to aiosmtpd, Stripe calls to localstripe), and
# end2end (Playwright in Debian's Chromium, JavaScript on and off), and the REST API fuzzed
# against its OpenAPI document (schemathesis).
# With CI=true a missing peer (PostgreSQL, Chromium, the SMTP sink) fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
scripts/install-tools.sh --test
export PATH="$root/end2end/node_modules/.bin:$PATH"

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # url, seconds
  for _ in $(seq 1 "$2"); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "timed out waiting for $1" >&2; return 1
}

# PostgreSQL is a service of this machine; start it if it stopped.
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  command -v pg_ctlcluster >/dev/null && pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi

# Databases left by an interrupted earlier run (each test drops its own when it finishes).
if command -v psql >/dev/null; then
  for db in $(psql "$TEST_POSTGRES_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'bsp\_test\_%' OR datname LIKE 'bsp\_mig\_%'" 2>/dev/null); do
    psql "$TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
fi

# SMTP sink: aiosmtpd writing a maildir.
maildir="$work/mail"; mkdir -p "$maildir"/{cur,new,tmp}
smtp_port="$(free_port)"
.venv/bin/python -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$maildir" &
pids+=($!)
for _ in $(seq 1 50); do (echo > "/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break; sleep 0.1; done
export TEST_SMTP_URL="smtp://127.0.0.1:$smtp_port" TEST_MAILDIR="$maildir"

# Stripe: localstripe, patched for one-off invoices (scripts/localstripe_launcher.py).
stripe_port="$(free_port)"
.venv/bin/python scripts/localstripe_launcher.py --port "$stripe_port" --from-scratch >"$work/localstripe.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$stripe_port/v1/customers" && break; sleep 0.1; done
export TEST_STRIPE_URL="http://127.0.0.1:$stripe_port/"

# OpenID provider: node runs server/tests/oidc/op.mjs per test (its port and clients differ).
export TEST_OIDC_PROVIDER="$root/server/tests/oidc/op.mjs"

echo "==> format and lints"
# Formatting (rustfmt.toml), the import rules (scripts/imports.py) and clippy with warnings as
# errors, for the native build (the workspace but the wasm crate: app with `ssr`, server,
# migrations, bench, every target) and the browser build (the wasm crate: app with `hydrate`).
cargo fmt --all -- --check
# The layering: no import circle between files, nothing below importing what is above it.
python3 scripts/imports.py app/src --layers server/src bench/src migrations/src
# No logic file over 500 lines, no function over 80 (markup, tests and tables aside).
python3 scripts/sizes.py app/src server/src bench/src migrations/src
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

echo "==> unit and integration tests"
# Default members only: the wasm crate (frontend) would unify `hydrate` into `app`.
cargo test

echo "==> end2end"
cargo leptos build
SMTP_URL="$TEST_SMTP_URL" MAILDIR="$maildir" scripts/e2e.sh

echo "==> API fuzzing"
scripts/api_fuzz.sh
