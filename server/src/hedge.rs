//! Hedged page renders: a work-around for a race in leptos 0.8.23's server-side `<Suspense>`
//! (leptos-rs/leptos#4851, fixed on leptos' main branch by #4853 but not in a 0.8 release):
//! when a resource resolves on another thread at the wrong moment, the render waits forever.
//! It is rare (about one page in a few hundred under load), so a page `GET` that has not
//! rendered within `HEDGE_AFTER` is rendered again in parallel, and the first to finish
//! answers; the others are aborted. Remove this module once leptos ships the fix.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::FutureExt as _;
use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};
use tower::{Service, ServiceExt};

const HEDGE_AFTER: Duration = Duration::from_secs(2);
const MAX_ATTEMPTS: usize = 3;
const GIVE_UP_AFTER: Duration = Duration::from_secs(20);

#[derive(Clone)]
pub struct Hedge<S> {
    inner: S,
}

impl<S> Hedge<S> {
    pub fn new(inner: S) -> Self {
        Self { inner }
    }
}

/// A page `GET` (not a server function, not a static file).
pub(crate) fn is_page(req: &Request<Body>) -> bool {
    let p = req.uri().path();
    req.method() == Method::GET && !p.starts_with("/api/") && !p.starts_with("/pkg/")
}

impl<S> Service<Request<Body>> for Hedge<S>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let inner = self.inner.clone();
        if !is_page(&req) {
            return Box::pin(inner.oneshot(req));
        }
        let (parts, _) = req.into_parts();
        Box::pin(async move {
            // The first attempt runs here, in the connection's task: no task and channel per
            // page for a stall that is rare. Only a stalled render gets more attempts, each in
            // its own task. A panic in the first attempt answers 500.
            let first = std::panic::AssertUnwindSafe(render(inner.clone(), &parts)).catch_unwind();
            tokio::pin!(first);
            let (tx, mut rx) = tokio::sync::mpsc::channel::<Response>(MAX_ATTEMPTS);
            let mut more: Vec<tokio::task::JoinHandle<()>> = Vec::new();
            let started = tokio::time::Instant::now();
            let res = loop {
                tokio::select! {
                    res = &mut first => break res.unwrap_or_else(|_| {
                        tracing::error!(path = %parts.uri.path(), "page render panicked");
                        (StatusCode::INTERNAL_SERVER_ERROR, "render failed").into_response()
                    }),
                    Some(res) = rx.recv(), if !more.is_empty() => break res,
                    () = tokio::time::sleep(HEDGE_AFTER) => {
                        if 1 + more.len() < MAX_ATTEMPTS {
                            tracing::warn!(path = %parts.uri.path(), attempt = more.len() + 2, "page render stalled; rendering again");
                            let (svc, parts, tx) = (inner.clone(), parts.clone(), tx.clone());
                            more.push(tokio::spawn(async move {
                                let _ = tx.send(render(svc, &parts).await).await;
                            }));
                        } else if started.elapsed() > GIVE_UP_AFTER {
                            break (StatusCode::SERVICE_UNAVAILABLE, "the page could not be rendered; try again").into_response();
                        }
                    }
                }
            };
            for t in more {
                t.abort();
            }
            Ok(res)
        })
    }
}

/// Pages are whole documents of some kilobytes; anything larger is not a page we render.
const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// Renders the page once, whole. The body is collected here: leptos streams a page in many
/// small chunks, each of which would otherwise be its own `send` (a third of the server's CPU
/// in the queue benchmark), and a render that stalls in the middle of its body is covered by
/// the hedge too.
async fn render<S>(svc: S, parts: &axum::http::request::Parts) -> Response
where
    S: Service<Request<Body>, Response = Response, Error = Infallible>,
{
    let req = Request::from_parts(parts.clone(), Body::empty());
    let res = match svc.oneshot(req).await {
        Ok(res) => res,
        Err(never) => match never {},
    };
    let (head, body) = res.into_parts();
    match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => Response::from_parts(head, Body::from(bytes)),
        Err(e) => {
            tracing::error!(error = %e, "page body failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "render failed").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    };

    /// The first render never finishes; later ones answer with their attempt number.
    fn stalls_once(
        calls: Arc<AtomicUsize>,
    ) -> impl Service<Request<Body>, Response = Response, Error = Infallible, Future: Send> + Clone + Send
    {
        tower::service_fn(move |_req: Request<Body>| {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if n == 0 {
                    std::future::pending::<()>().await;
                }
                Ok::<_, Infallible>(format!("attempt {n}").into_response())
            }
        })
    }

    #[tokio::test]
    async fn a_stalled_page_render_is_answered_by_a_second_attempt() {
        let calls = Arc::new(AtomicUsize::new(0));
        let mut svc = Hedge::new(stalls_once(calls.clone()));
        let req = Request::get("/tenants").body(Body::empty()).unwrap();
        let res = svc.call(req).await.unwrap();
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], b"attempt 1");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    fn panics() -> Result<Response, Infallible> {
        panic!("a render that panics")
    }

    #[tokio::test]
    async fn a_panicking_page_render_answers_500() {
        let mut svc = Hedge::new(tower::service_fn(|_req: Request<Body>| async { panics() }));
        let req = Request::get("/review").body(Body::empty()).unwrap();
        let res = svc.call(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[tokio::test]
    async fn server_functions_are_never_sent_twice() {
        let calls = Arc::new(AtomicUsize::new(0));
        let mut svc = Hedge::new(stalls_once(calls.clone()));
        let req = Request::post("/api/create_tenant")
            .body(Body::empty())
            .unwrap();
        let r = tokio::time::timeout(Duration::from_secs(3), svc.call(req)).await;
        assert!(r.is_err(), "a stalled POST must not be retried");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
