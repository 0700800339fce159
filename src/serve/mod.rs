//! `newsidx serve`: the JSON API ([`api`]) and the search page ([`page`])
//! on one HTTP/1 server, which sees new index commits without a restart.
//!
//! Made to be left running on a desk machine or behind a proxy: only the
//! hosts it is named by are answered (no DNS rebinding), connections are
//! timed and counted ([`conn`]), searches stop at their budget, and
//! SIGTERM or Ctrl-C ends it within seconds.

mod api;
mod conn;
mod hosts;
mod page;

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::backend::{Backend, Engine};
pub use hosts::AllowedHosts;

/// Requests with a longer URI (path and query string) get 414.
const MAX_URI_BYTES: usize = 4096;
/// The API only reads; a body larger than this is refused.
const MAX_BODY_BYTES: usize = 4096;

/// Where to serve from, on which address, and within which limits.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub index: PathBuf,
    /// Where the archive is: the index at `index`, or a cluster.
    pub backend: Backend,
    pub addr: SocketAddr,
    /// Host names answered besides loopback and the bound address (a
    /// proxy's name).
    pub allow_hosts: Vec<String>,
    /// The most time one search may take; past it, 503.
    pub search_budget: Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// A connection silent for this long, or this slow to send its
    /// request's headers, is closed.
    pub idle_timeout: Duration,
    /// Threads that run searches; more searches wait for one (and their
    /// budget runs while they wait).
    pub search_threads: usize,
}

impl ServeOptions {
    pub fn new(index: PathBuf, addr: SocketAddr) -> ServeOptions {
        ServeOptions {
            index,
            backend: Backend::Embedded,
            addr,
            allow_hosts: Vec::new(),
            search_budget: Duration::from_secs(10),
            max_connections: 512,
            idle_timeout: Duration::from_secs(10),
            search_threads: default_search_threads(),
        }
    }
}

/// Two search threads per core. Searches are CPU-bound: more threads than
/// that only share the cores among more searches at once, and leave the
/// threads that read and write connections waiting. On 2 cores, 50
/// clients (`benches/load.sh`): 64 threads gave p99 2.6 s, 4 gave 49 ms,
/// at the same 1,240 req/s.
pub fn default_search_threads() -> usize {
    2 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Index(#[from] crate::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("--allow-host {0:?} is not a host name")]
    Host(String),
    #[error("server: {0}")]
    Io(#[from] io::Error),
}

/// What every handler shares.
pub struct App {
    pub searcher: Engine,
    pub index: PathBuf,
    pub search_budget: Duration,
    /// Requests being answered, for a shutdown that lets them finish.
    in_flight: AtomicUsize,
}

/// Serves until Ctrl-C (or SIGTERM); prints the address it listens on to stderr.
pub fn run(opts: &ServeOptions) -> Result<(), ServeError> {
    let searcher = Engine::open(&opts.backend, &opts.index)?;
    let serving = searcher.describe(&opts.index);
    let app = Arc::new(App {
        searcher,
        index: opts.index.clone(),
        search_budget: opts.search_budget,
        in_flight: AtomicUsize::new(0),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(opts.search_threads.max(1))
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: opts.addr,
                source,
            })?;
        let bound = listener.local_addr()?;
        let hosts = AllowedHosts::new(bound, &opts.allow_hosts)?;
        eprintln!("newsidx: serving {serving} on http://{bound}/");
        let limits = conn::Limits {
            max_connections: opts.max_connections,
            // The longest a search may take, and a little for the reply.
            request: opts.search_budget + Duration::from_secs(5),
            header_read: opts.idle_timeout,
            ..conn::Limits::default()
        };
        let in_flight = {
            let app = Arc::clone(&app);
            move || app.in_flight.load(Ordering::SeqCst)
        };
        conn::serve(listener, router(app, hosts), limits, shutdown(), in_flight).await?;
        Ok(())
    })
}

/// Every route, with the request limits and the host check.
pub fn router(app: Arc<App>, hosts: AllowedHosts) -> Router {
    let counted = Arc::clone(&app);
    Router::new()
        .route("/", get(page::html))
        .route("/page.js", get(page::script))
        .route("/page.css", get(page::style))
        .route("/api/health", get(api::health))
        .route("/api/search", get(api::search))
        .route("/api/quotes", get(api::quotes))
        .route("/api/articles/{*id}", get(api::article))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(limit_uri))
        .layer(middleware::from_fn_with_state(counted, count_in_flight))
        .layer(middleware::from_fn_with_state(
            Arc::new(hosts),
            hosts::check,
        ))
        .with_state(app)
}

async fn limit_uri(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > MAX_URI_BYTES {
        return api::ApiError::new(
            axum::http::StatusCode::URI_TOO_LONG,
            format!("the request URI is {len} bytes long; the limit is {MAX_URI_BYTES}"),
        )
        .into_response();
    }
    next.run(req).await
}

/// Counts the requests being answered while they are.
async fn count_in_flight(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    struct Counted<'a>(&'a AtomicUsize);
    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }
    app.in_flight.fetch_add(1, Ordering::SeqCst);
    let _counted = Counted(&app.in_flight);
    next.run(req).await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
