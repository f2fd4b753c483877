#!/usr/bin/env bash
# Builds and runs BSP Console on the embedded default: a SQLite file under ./data/, emails
# kept in the outbox (Outbox page), no Stripe key, demo data seeded on first start.
# Any variable of the README's configuration table can be set before calling it
# (e.g. DATABASE_URL=postgres://… scripts/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
cargo leptos build --release
mkdir -p data
export SEED_DEMO="${SEED_DEMO:-true}"
exec target/release/server serve
