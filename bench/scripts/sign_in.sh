#!/usr/bin/env bash
# B5 (issue: accounts and security): a signed-in page's p99 while 500 anonymous clients sign
# in without pause (each attempt for a new account from a new address, so every one is
# hashed), against its p99 at rest (goal <= 2x); and the console's sign-in checks per second
# under that flood against a plain argon2 loop with the same parameters on every core, in the
# same run (goal >= 0.85x). Release build, SQLite (the embedded default). Prints the JSON
# and the server's peak RSS.
#   bench/scripts/sign_in.sh            (FLOOD, SECONDS_PER_RUN optional)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -p server -p bench --bins
bin=target/release
dir="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
# BENCH_DATABASE_URL: an empty PostgreSQL database instead of the embedded SQLite file.
export DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$dir/bench.db?mode=rwc}"
BSP_ADMIN_PASSWORD="bench-password-2026" "$bin/server" create-admin --email bench@bsp.test --name Bench >/dev/null
# The flood comes through a trusted proxy (loopback) with a new client address each time.
BIND_ADDR=127.0.0.1:3905 PUBLIC_URL=http://127.0.0.1:3905 TRUST_FORWARDED_FOR=true \
  REQUIRE_2FA_FOR=none RUST_LOG=error "$bin/server" serve >"$dir/server.log" 2>&1 &
server=$!
pids+=($server)
for _ in $(seq 1 60); do curl -fsS -o /dev/null http://127.0.0.1:3905/healthz 2>/dev/null && break; sleep 0.5; done
idle_rss=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
"$bin/sign_in" --url http://127.0.0.1:3905 --sign-in bench@bsp.test:bench-password-2026 \
  --flood "${FLOOD:-500}" --seconds "${SECONDS_PER_RUN:-20}" | tee "$dir/b5.json"
peak_rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
python3 - "$dir/b5.json" "$idle_rss" "$peak_rss" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
idle, peak = int(sys.argv[2]) // 1024, int(sys.argv[3]) // 1024
print("page p99 at rest %.1f ms, under the flood %.1f ms: %.2fx (goal <= 2x)" % (r["rest"]["p99_ms"], r["flood"]["p99_ms"], r["p99_ratio"]))
print("sign-in checks %.1f/s, plain argon2 loop %.1f/s: %.2fx (goal >= 0.85x)" % (r["sign_ins_checked_per_s"], r["plain_argon2_per_s"], r["rate_ratio"]))
print("answers to the flood: %s; server RSS idle %d MB, peak %d MB" % (r["answers"], idle, peak))
PY
