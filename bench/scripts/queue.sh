#!/usr/bin/env bash
# The review-queue benchmark (issue: templates). On PostgreSQL, fills a fresh database with
# 10,000 tenants and 100,000 pending revisions, then measures the console's queue page
# (first page, 50 rows, a signed-in reviewer) and, in the same run, a minimal axum handler
# that reads the same 50 rows with one SQL query and renders plain HTML. Also the lint's
# throughput over the 100,000 revisions. Release builds; prints a table and the ratios.
#   bench/scripts/queue.sh                 (TEST_POSTGRES_URL, CONCURRENCY, SECONDS optional)
set -euo pipefail
cd "$(dirname "$0")/../.."
pg="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
db="bsp_bench_queue"
# sqlx 0.9.0 does not set TCP_NODELAY (launchbadge/sqlx#4335): over TCP, statements longer
# than a segment wait for delayed ACKs. Both sides connect over PostgreSQL's Unix socket, as
# the README recommends; BENCH_TCP=1 measures over TCP instead.
sock="${PG_SOCKET_DIR:-/var/run/postgresql}"
if [ -z "${BENCH_TCP:-}" ] && [ -S "$sock/.s.PGSQL.5432" ]; then url="postgres://postgres@localhost/$db?host=$sock"; else url="${pg%/*}/$db"; fi
conc="${CONCURRENCY:-16}"
secs="${SECONDS_PER_RUN:-15}"
cargo build --release -p server -p bench --bins
bin=target/release
psql "$pg" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
"$bin/queue" seed --database-url "$url"
DATABASE_URL="$url" BSP_ADMIN_PASSWORD="bench-password-2026" "$bin/server" create-admin --email bench@bsp.test --name Bench --role reviewer >/dev/null
DATABASE_URL="$url" BIND_ADDR=127.0.0.1:3900 PUBLIC_URL=http://127.0.0.1:3900 RUST_LOG=warn "$bin/server" serve >/tmp/bench-queue-server.log 2>&1 &
pids+=($!)
"$bin/queue" baseline --database-url "$url" --bind 127.0.0.1:3901 &
pids+=($!)
for u in http://127.0.0.1:3900/healthz http://127.0.0.1:3901/; do
  for _ in $(seq 1 60); do curl -fsS -o /dev/null "$u" 2>/dev/null && break; sleep 0.5; done
done
run() { "$bin/queue" load --url "$1" --concurrency "$conc" --seconds "$secs" ${2:+--sign-in "$2"}; }
# Warm both up, then measure each twice, interleaved.
run http://127.0.0.1:3900/review bench@bsp.test:bench-password-2026 >/dev/null
run http://127.0.0.1:3901/ >/dev/null
results=()
for _ in 1 2; do
  results+=("$(run http://127.0.0.1:3900/review bench@bsp.test:bench-password-2026)")
  results+=("$(run http://127.0.0.1:3901/)")
done
printf '%s\n' "${results[@]}" | python3 -c "$(cat <<'PY'
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
app = [r for r in rows if "/review" in r["url"]]
base = [r for r in rows if "/review" not in r["url"]]
def mean(xs, k):
    return sum(x[k] for x in xs) / len(xs)
print("%-22s%10s%10s%10s%8s%9s" % ("", "req/s", "p50 ms", "p99 ms", "errors", "bytes"))
for name, xs in (("queue page (console)", app), ("baseline (1 query)", base)):
    print("%-22s%10.0f%10.1f%10.1f%8d%9d" % (name, mean(xs, "rps"), mean(xs, "p50_ms"), mean(xs, "p99_ms"), sum(x["errors"] for x in xs), xs[0]["bytes"]))
print("throughput ratio (console / baseline): %.2fx  (goal >= 0.5x)" % (mean(app, "rps") / mean(base, "rps")))
print("p99 ratio (console / baseline):        %.2fx  (goal <= 2x)" % (mean(app, "p99_ms") / mean(base, "p99_ms")))
PY
)"
"$bin/queue" lint --database-url "$url" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("lint: %d revisions in %.2f s = %.0f templates/s" % (r["templates"], r["seconds"], r["templates_per_s"]))'
psql "$pg" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
