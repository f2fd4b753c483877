//! The HTTP listener: HTTP/1.1 connections with a header-read timeout (which also closes a
//! keep-alive connection left idle between requests), a bound on open connections, a
//! deadline for each request, and a graceful stop. `axum::serve` has none of these knobs; hyper's
//! connection builder has them: https://docs.rs/hyper/1/hyper/server/conn/http1/struct.Builder.html

use axum::{body::Body, extract::ConnectInfo, Router};
use hyper::{body::Incoming, Request};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
};
use std::{future::Future, sync::Arc, time::Duration};
use tokio::{net::TcpListener, sync::Semaphore};
use tower::ServiceExt;

/// What one server process accepts.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A request's headers must arrive within this, counted from the connection's start or
    /// the previous response: a slow or silent client is cut off (`HTTP_HEADER_TIMEOUT_SECONDS`).
    pub header_read: Duration,
    /// A request must be read and answered (up to its response's headers; a download's body
    /// streams on) within this, however slowly its body trickles in: 408 otherwise
    /// (`HTTP_REQUEST_TIMEOUT_SECONDS`).
    pub request: Duration,
    /// Open connections at most; the next one waits in the listen queue until one closes
    /// (`HTTP_MAX_CONNECTIONS`).
    pub max_connections: usize,
    /// How long a stop waits for requests in flight.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(60),
            max_connections: 1024,
            drain: Duration::from_secs(20),
        }
    }
}

/// Serves `app` on `listener` until `stop` completes, then lets requests in flight finish
/// (up to `limits.drain`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let app = app.layer(tower_http::timeout::TimeoutLayer::with_status_code(
        axum::http::StatusCode::REQUEST_TIMEOUT,
        limits.request,
    ));
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(req.map(Body::new))
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read)
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _slot = permit;
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("stopped with requests still in flight");
    }
    Ok(())
}
