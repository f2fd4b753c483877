#!/usr/bin/env bash
# Builds and runs BSP Console on the embedded default: a SQLite file under ./data/, emails
# kept in the outbox (Outbox page), no Stripe key, demo data seeded on first start, no
# second factor required.
# Any variable of the README's configuration table can be set before calling it
# (e.g. DATABASE_URL=postgres://… scripts/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
cargo leptos build --release
mkdir -p data
export SEED_DEMO="${SEED_DEMO:-true}"
# The demo staff sign in with their password alone (their password is published anyway);
# set REQUIRE_2FA_FOR=staff to try the enrolment every staff member meets in production.
export REQUIRE_2FA_FOR="${REQUIRE_2FA_FOR:-none}"
exec target/release/server serve
