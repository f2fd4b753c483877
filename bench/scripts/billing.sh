#!/usr/bin/env bash
# The billing benchmarks (issue: pricing and billing), on PostgreSQL, each against a baseline
# measured in the same run. Not tests: run them by hand.
#  1. rating: EVENTS (default 1,000,000) status events rated and stored through the event
#     processor's write path (status merge + rating, 500 per transaction, EVENT_WORKERS of
#     them in flight at once as the processor's workers, default 3), against a COPY of
#     the same events as rows of the same shape into an unindexed table.
#  2. export: RECORDS (default 10,000,000) usage records; the release server streams
#     /finance/usage.csv for the month, against `psql -c "\copy (<the same GROUP BY>) to
#     stdout csv"`; the server's memory while exporting against its memory idle.
# This machine's PostgreSQL runs with autovacuum off: every 100 batches the rating part
# runs ANALYZE on each table changed by more than autovacuum's threshold (50 rows + 10 %),
# as autovacuum would (counted in the time); the seeding ends with one (not measured).
#   bench/scripts/billing.sh          (TEST_POSTGRES_URL, EVENTS, RECORDS optional)
set -euo pipefail
cd "$(dirname "$0")/../.."
pg="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
a="bsp_bench_rating"; b="bsp_bench_export"
# sqlx 0.9.0 does not set TCP_NODELAY on its sockets (launchbadge/sqlx#4335; fixed upstream
# by #4336, not in a release yet): over TCP a statement larger than one segment can wait 40 ms
# for a delayed ACK. On the same host the console and the baseline connect over PostgreSQL's
# Unix socket, as here; BENCH_TCP=1 measures over TCP instead.
sock="${PG_SOCKET_DIR:-/var/run/postgresql}"
db_url() { if [ -z "${BENCH_TCP:-}" ] && [ -S "$sock/.s.PGSQL.5432" ]; then echo "postgres://postgres@localhost/$1?host=$sock"; else echo "${pg%/*}/$1"; fi; }
url_a="$(db_url "$a")"; url_b="$(db_url "$b")"
events="${EVENTS:-1000000}"
records="${RECORDS:-10000000}"
cargo build --release -p server -p bench --bins
bin=target/release
for d in "$a" "$b"; do psql "$pg" -qc "DROP DATABASE IF EXISTS $d WITH (FORCE)" -c "CREATE DATABASE $d"; done
pid=""
work="$(mktemp -d)"
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export WHATSAPP_APP_SECRET=bench-app-secret WHATSAPP_VERIFY_TOKEN=bench-verify-token RUST_LOG=warn

echo "==> rating $events events"
rating="$(DATABASE_URL="$url_a" "$bin/billing" rating --events "$events")"

echo "==> seeding $records usage records (not measured)"
DATABASE_URL="$url_b" "$bin/billing" seed-usage --records "$records" >/dev/null
BSP_ADMIN_PASSWORD=bench-password-2026 DATABASE_URL="$url_b" "$bin/server" create-admin --email finance@bench.test --role finance >/dev/null
port=3911
DATABASE_URL="$url_b" BIND_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" "$bin/server" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.5; done
# The invoicing job closes October at start (a GROUP BY over the records): let it finish first.
for _ in $(seq 1 240); do [ "$(psql "$url_b" -Atc 'SELECT COUNT(*) FROM invoices')" = "1" ] && break; sleep 0.5; done
curl -fsS -o /dev/null -c "$work/jar" -H "Origin: http://127.0.0.1:$port" --data-urlencode email=finance@bench.test --data-urlencode password=bench-password-2026 "http://127.0.0.1:$port/api/sign_in"
sleep 1
idle_kb="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
echo "==> export over $records records"
s=$(date +%s.%N)
curl -fsS -b "$work/jar" -o "$work/export.csv" "http://127.0.0.1:$port/finance/usage.csv?from=2026-10-01&to=2026-10-31"
e=$(date +%s.%N)
peak_kb="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
q="SELECT tenant_id, country, market, category, pricing_type, currency, count(*), sum(cost_micros), sum(price_micros), cost_card_id, price_list_id FROM usage_records WHERE state = 'confirmed' AND delivered_on >= '2026-10-01' AND delivered_on < '2026-11-01' GROUP BY tenant_id, country, market, category, pricing_type, currency, cost_card_id, price_list_id ORDER BY 1, 2, 3, 4, 5"
s2=$(date +%s.%N)
psql "$url_b" -qc "\\copy ($q) to stdout csv" >"$work/copy.csv"
e2=$(date +%s.%N)
python3 - "$rating" "$s" "$e" "$s2" "$e2" "$idle_kb" "$peak_kb" "$(($(wc -l <"$work/export.csv") - 1))" "$(wc -l <"$work/copy.csv")" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
s, e, s2, e2 = map(float, sys.argv[2:6])
idle, peak, ours, theirs = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
print("rating: %d events (%d messages, %d confirmed, %d priced), %d workers, in %.1f s = %.0f events/s" % (r["events"], r["messages"], r["confirmed"], r["priced"], r["workers"], r["seconds"], r["per_s"]))
print("        COPY of the same rows: %.1f s = %.0f rows/s" % (r["copy_seconds"], r["copy_per_s"]))
print("        ratio %.2fx COPY (goal >= 0.25x)" % (r["per_s"] / r["copy_per_s"]))
print("export: %d rows in %.2f s; psql \\copy of the same GROUP BY: %d rows in %.2f s" % (ours, e - s, theirs, e2 - s2))
print("        ratio %.2fx psql's time (goal <= 1.5x)" % ((e - s) / (e2 - s2)))
print("        server memory idle %.0f MB, peak %.0f MB: +%.0f MB (goal < +100 MB)" % (idle / 1024, peak / 1024, (peak - idle) / 1024))
PY
for d in "$a" "$b"; do psql "$pg" -qc "DROP DATABASE IF EXISTS $d WITH (FORCE)"; done
