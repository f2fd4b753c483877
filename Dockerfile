# BSP Console: multi-stage build with cargo-leptos, slim non-root runtime.
# (No Docker engine on the development machines: this file is kept simple and exact.)

FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown \
 && cargo install cargo-leptos --locked --version 0.3.10 \
 && cargo install wasm-bindgen-cli --version 0.2.130
WORKDIR /src
COPY end2end/package.json end2end/package-lock.json end2end/
RUN cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
ENV PATH="/src/end2end/node_modules/.bin:${PATH}"
COPY . .
RUN cargo leptos build --release

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --create-home --home-dir /app bsp
WORKDIR /app
COPY --from=build /src/target/release/server /app/server
COPY --from=build /src/target/site /app/site
ENV LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_OUTPUT_NAME=bsp-console \
    BIND_ADDR=0.0.0.0:3000 \
    APP_ENV=production \
    DATABASE_URL=sqlite:///app/data/bsp-console.db?mode=rwc
RUN mkdir -p /app/data && chown bsp /app/data
USER bsp
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD curl -fsS http://127.0.0.1:3000/healthz || exit 1
ENTRYPOINT ["/app/server"]
CMD ["serve"]
