#!/usr/bin/env bash
# B6 (issue: REST API): `GET /api/v1/templates?limit=50` with a key, 16 concurrent clients,
# against a minimal axum handler that reads the same 50 rows with one SQL query and writes
# them as JSON, same run, same PostgreSQL database (goals: >= 0.7x its throughput, p99 <= 1.5x).
#   bench/scripts/api.sh                 (TEST_POSTGRES_URL, CONCURRENCY, SECONDS_PER_RUN optional)
set -euo pipefail
cd "$(dirname "$0")/../.."
pg="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
db="bsp_bench_api"
# Both sides over PostgreSQL's Unix socket, as in the queue benchmark.
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
export DATABASE_URL="$url"
tenant="$("$bin/server" --json tenant create --legal-name "Bench Ltd" --display-name Bench --country GB \
  --billing-email b@bench.test --alert-emails a@bench.test --currency GBP --waba-id 9009 \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
key="$("$bin/server" --json api-key create --tenant "$tenant" --name bench --scopes read,write \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
BIND_ADDR=127.0.0.1:3902 PUBLIC_URL=http://127.0.0.1:3902 RATE_LIMIT_PER_MINUTE=1000000 RUST_LOG=warn \
  "$bin/server" serve >/tmp/bench-api-server.log 2>&1 &
pids+=($!)
"$bin/api" baseline --bind 127.0.0.1:3903 &
pids+=($!)
for u in http://127.0.0.1:3902/healthz http://127.0.0.1:3903/; do
  for _ in $(seq 1 60); do curl -fsS -o /dev/null "$u" 2>/dev/null && break; sleep 0.5; done
done
"$bin/api" seed --url http://127.0.0.1:3902 --key "$key" --count 200
api=http://127.0.0.1:3902/api/v1/templates?limit=50
run() { "$bin/queue" load --url "$1" --concurrency "$conc" --seconds "$secs" ${2:+--header "$2"}; }
# Warm both up, then measure each twice, interleaved.
run "$api" "Authorization: Bearer $key" >/dev/null
run http://127.0.0.1:3903/ >/dev/null
results=()
for _ in 1 2; do
  results+=("$(run "$api" "Authorization: Bearer $key")")
  results+=("$(run http://127.0.0.1:3903/)")
done
printf '%s\n' "${results[@]}" | python3 -c "$(cat <<'PY'
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
app = [r for r in rows if "/api/v1" in r["url"]]
base = [r for r in rows if "/api/v1" not in r["url"]]
def mean(xs, k):
    return sum(x[k] for x in xs) / len(xs)
print("%-24s%10s%10s%10s%8s%9s" % ("", "req/s", "p50 ms", "p99 ms", "errors", "bytes"))
for name, xs in (("API list (console)", app), ("baseline (1 query)", base)):
    print("%-24s%10.0f%10.1f%10.1f%8d%9d" % (name, mean(xs, "rps"), mean(xs, "p50_ms"), mean(xs, "p99_ms"), sum(x["errors"] for x in xs), xs[0]["bytes"]))
print("throughput ratio (console / baseline): %.2fx  (goal >= 0.7x)" % (mean(app, "rps") / mean(base, "rps")))
print("p99 ratio (console / baseline):        %.2fx  (goal <= 1.5x)" % (mean(app, "p99_ms") / mean(base, "p99_ms")))
PY
)"
psql "$pg" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
