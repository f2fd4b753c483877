#!/usr/bin/env bash
# The webhook benchmark (issue: platform events). On PostgreSQL: starts the release server on
# a fresh database, and from a separate load process posts CHANGES signed status changes as
# deliveries (5 % alone, the rest in batches of 1,000, CONCURRENCY at a time), waits until all
# are processed, then COPYs the very rows that were stored into the same table of a second
# fresh database: the yardstick. Prints changes/s stored and end to end, the ratios to COPY,
# changes lost, and the server's peak memory (VmHWM). Not a test: run it by hand.
#   bench/scripts/webhooks.sh          (TEST_POSTGRES_URL, CHANGES, CONCURRENCY optional;
#   BENCH_BIN=dir runs the server and webhooks binaries in dir instead of building them,
#   to compare two builds in the same session; EVENT_WORKERS is passed to the server)
set -euo pipefail
cd "$(dirname "$0")/../.."
pg="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
a="bsp_bench_hooks"; b="bsp_bench_hooks_copy"
# sqlx 0.9.0 does not set TCP_NODELAY on its sockets (launchbadge/sqlx#4335; fixed upstream
# by #4336, not in a release yet): over TCP a statement larger than one segment can wait 40 ms
# for a delayed ACK. On the same host the console and the baseline connect over PostgreSQL's
# Unix socket, as here; BENCH_TCP=1 measures over TCP instead.
sock="${PG_SOCKET_DIR:-/var/run/postgresql}"
db_url() { if [ -z "${BENCH_TCP:-}" ] && [ -S "$sock/.s.PGSQL.5432" ]; then echo "postgres://postgres@localhost/$1?host=$sock"; else echo "${pg%/*}/$1"; fi; }
url_a="$(db_url "$a")"; url_b="$(db_url "$b")"
changes="${CHANGES:-100000}"
conc="${CONCURRENCY:-8}"
if [ -n "${BENCH_BIN:-}" ]; then bin="$BENCH_BIN"; else cargo build --release -p server -p bench --bins; bin=target/release; fi
for d in "$a" "$b"; do psql "$pg" -qc "DROP DATABASE IF EXISTS $d WITH (FORCE)" -c "CREATE DATABASE $d"; done
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
export WHATSAPP_APP_SECRET=bench-app-secret WHATSAPP_VERIFY_TOKEN=bench-verify-token
DATABASE_URL="$url_a" "$bin/webhooks" setup
DATABASE_URL="$url_a" BIND_ADDR=127.0.0.1:3910 PUBLIC_URL=http://127.0.0.1:3910 RUST_LOG=warn "$bin/server" serve >/tmp/bench-webhooks-server.log 2>&1 &
pid=$!
for _ in $(seq 1 60); do curl -fsS -o /dev/null http://127.0.0.1:3910/healthz 2>/dev/null && break; sleep 0.5; done
# This machine's PostgreSQL runs with autovacuum off: refresh the planner's statistics every
# 2 s while loading, as autovacuum would (without it the processor keeps the empty-table plans
# and falls from ~5,000 to ~2,000 changes/s at 50,000 changes).
( while true; do psql "$url_a" -qc "ANALYZE platform_events; ANALYZE message_statuses; ANALYZE usage_records" >/dev/null 2>&1; sleep 2; done ) &
analyze_pid=$!
load="$("$bin/webhooks" load --url http://127.0.0.1:3910/webhooks/whatsapp --database-url "$url_a" --changes "$changes" --concurrency "$conc")"
kill "$analyze_pid" 2>/dev/null || true
peak_kb="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
copy="$("$bin/webhooks" copy --from "$url_a" --to "$url_b")"
python3 - "$load" "$copy" "$peak_kb" <<'PY'
import json, sys
load, copy, peak = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
print("%-34s%12s" % ("", "changes/s"))
print("%-34s%12.0f" % ("stored (200 sent), console", load["stored_per_s"]))
print("%-34s%12.0f" % ("processed end to end, console", load["end_to_end_per_s"]))
print("%-34s%12.0f" % ("COPY of the same rows (baseline)", copy["rows_per_s"]))
print("stored / COPY:       %.2fx  (goal >= 0.25x)" % (load["stored_per_s"] / copy["rows_per_s"]))
print("end to end:          %.0f changes/s  (goal >= 10,000)" % load["end_to_end_per_s"])
print("changes %d in %d deliveries, failed deliveries %d, lost %d (goal 0)" % (load["changes"], load["deliveries"], load["failed_deliveries"], load["lost"]))
print("server peak memory:  %.0f MB" % (peak / 1024))
PY
kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""
for d in "$a" "$b"; do psql "$pg" -qc "DROP DATABASE IF EXISTS $d WITH (FORCE)"; done
