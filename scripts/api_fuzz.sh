#!/usr/bin/env bash
# Fuzzes the REST API against its own OpenAPI document with schemathesis (pinned in
# scripts/install-tools.sh): every operation, every check, examples, coverage, fuzzing and
# stateful phases: the tenant's operations with a tenant key (read, write, billing) of the demo
# tenant Acme, the BSP's with a BSP admin key. Any 5xx
# or any answer that does not match the document fails the run. Needs target/debug/server
# (`cargo build` or `cargo leptos build`); used by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export DATABASE_URL="sqlite://$work/fuzz.db?mode=rwc" RUST_LOG="${RUST_LOG:-warn}"
bin=target/debug/server
"$bin" seed-demo >/dev/null
acme="$("$bin" --json tenant list --q acme | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0]["id"])')"
secret() { python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])'; }
key="$("$bin" --json api-key create --tenant "$acme" --name fuzz --scopes read,write,billing | secret)"
bsp_key="$("$bin" --json api-key create --name fuzz-bsp --role admin | secret)"
# The per-key rate limit is tested on its own (server/tests/it/api_writes.rs); here it would
# only slow the fuzzer down.
BIND_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" REQUIRE_2FA_FOR=none RATE_LIMIT_PER_MINUTE=1000000 \
  "$bin" serve > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/server.log"; exit 1; }
fuzz() { # key, filter
  .venv/bin/schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --url "http://127.0.0.1:$port" -H "Authorization: Bearer $1" "$2" bsp \
    --checks all --phases examples,coverage,fuzzing,stateful \
    --max-examples 50 --seed 1 --workers 1 --request-timeout 10 \
    || { tail -50 "$work/server.log"; exit 1; }
}
echo "==> the tenant's operations, with a tenant key"
fuzz "$key" --exclude-tag
echo "==> the BSP's operations, with a BSP key"
fuzz "$bsp_key" --include-tag
