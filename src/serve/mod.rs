//! `newsidx serve`: the JSON API ([`api`]) and the search page ([`page`])
//! on one axum server, which sees new index commits without a restart.

mod api;
mod page;

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::search::Searcher;

/// Requests with a longer URI (path and query string) get 414.
const MAX_URI_BYTES: usize = 4096;
/// The API only reads; a body larger than this is refused.
const MAX_BODY_BYTES: usize = 4096;

/// Where to serve from and on which address.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub index: PathBuf,
    pub addr: SocketAddr,
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
    #[error("server: {0}")]
    Io(#[from] io::Error),
}

/// Serves until Ctrl-C (or SIGTERM); prints the address it listens on to stderr.
pub fn run(opts: &ServeOptions) -> Result<(), ServeError> {
    let searcher = Arc::new(Searcher::open(&opts.index)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: opts.addr,
                source,
            })?;
        eprintln!(
            "newsidx: serving {} on http://{}/",
            opts.index.display(),
            listener.local_addr()?
        );
        axum::serve(listener, router(searcher))
            .with_graceful_shutdown(shutdown())
            .await?;
        Ok(())
    })
}

/// Every route, with the request limits.
pub fn router(searcher: Arc<Searcher>) -> Router {
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
        .with_state(searcher)
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
