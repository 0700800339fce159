//! Connections: accepted under a cap, each served by hyper's HTTP/1 with a
//! header-read timeout (which also closes idle keep-alive connections),
//! request and body timeouts from tower-http, and a shutdown that lets the
//! requests being answered finish and drops every other connection.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// How long a connection and its requests may take.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections served at once; more wait in the listen queue.
    pub max_connections: usize,
    /// From a connection's start, or the end of its last reply, to the end
    /// of the next request's headers: a silent, half-sent or idle
    /// keep-alive connection is closed after it.
    pub header_read: Duration,
    /// To read a request's body.
    pub body: Duration,
    /// A whole request, reply included (past it: 408).
    pub request: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 512,
            header_read: Duration::from_secs(10),
            body: Duration::from_secs(10),
            request: Duration::from_secs(15),
        }
    }
}

/// Serves `router` on `listener` until `signal`; then stops accepting,
/// lets the requests being answered (`in_flight`) finish, and returns,
/// leaving idle and half-sent connections to be dropped.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    signal: impl Future<Output = ()>,
    in_flight: impl Fn() -> usize,
) -> io::Result<()> {
    let service = ServiceBuilder::new()
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request,
        ))
        .layer(RequestBodyTimeoutLayer::new(limits.body))
        .service(router);
    let service = TowerToHyperService::new(service);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    tokio::pin!(signal);
    loop {
        let slot = tokio::select! {
            _ = &mut signal => break,
            slot = Arc::clone(&slots).acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        let stream = tokio::select! {
            _ = &mut signal => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it
                // was accepted: the next one may work.
                Err(e) => {
                    eprintln!("newsidx: accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let conn = http.serve_connection(TokioIo::new(stream), service.clone());
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    drop(listener);
    // Idle connections close at once, busy ones after their reply; a
    // connection still sending its headers is not waited for.
    let all_closed = graceful.shutdown();
    let answered = async {
        while in_flight() > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // The last replies are written after their handlers return.
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    tokio::select! {
        _ = all_closed => {},
        _ = answered => {},
    }
    Ok(())
}
