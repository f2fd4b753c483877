#!/usr/bin/env bash
# Installs what building and testing BSP Console needs and is missing. Idempotent.
#   scripts/install-tools.sh            build tools (wasm target, cargo-leptos, wasm-bindgen, npm packages)
#   scripts/install-tools.sh --test     also the test peers (Chromium, Python venv with aiosmtpd)
# Versions are pinned: see ../shared/setup.md for why each one.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen in Cargo.lock
want_test=false
[ "${1:-}" = "--test" ] && want_test=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# rustfmt and clippy (the format and lint gates of scripts/test.sh); the toolchain usually has them.
for c in rustfmt clippy; do
  if ! cargo "$([ "$c" = rustfmt ] && echo fmt || echo clippy)" --version >/dev/null 2>&1; then
    say "adding the $c component"
    rustup component add "$c"
  fi
done

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes, once)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# wasm-opt (binaryen 132, not Debian's 108) and Playwright come from npm.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ]; then
  say "installing npm packages in end2end/"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

if $want_test; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
  fi
  # The OpenID provider the SSO tests sign in with (panva's oidc-provider, pinned in its lockfile).
  if [ ! -d server/tests/oidc/node_modules/oidc-provider ]; then
    say "installing the test OpenID provider in server/tests/oidc/"
    (cd server/tests/oidc && npm ci --no-audit --no-fund)
  fi
  if [ ! -x .venv/bin/aiosmtpd ] && [ ! -f .venv/lib/python3*/site-packages/aiosmtpd/__init__.py ]; then
    say "creating .venv with aiosmtpd and localstripe"
    python3 -m venv .venv
    .venv/bin/pip install -q aiosmtpd==1.4.6 localstripe==1.15.10
  fi
  # The API fuzzer (scripts/api_fuzz.sh), pinned.
  if [ ! -x .venv/bin/schemathesis ]; then
    say "installing schemathesis into .venv"
    .venv/bin/pip install -q schemathesis==4.32.5
  fi
fi
