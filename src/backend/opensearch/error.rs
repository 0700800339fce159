//! What can go wrong with a cluster, each failure with what caused it
//! (`#[source]`: the HTTP client's error, the JSON parser's), so that the
//! context chain the binary and the API print says why.

use std::path::PathBuf;

use super::client::ENV_CA;

/// A cluster could not be reached, refused a request, or answered what
/// newsidx did not expect.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// A configuration or protocol problem that has no cause beneath it.
    #[error("OpenSearch: {0}")]
    Said(String),
    #[error("OpenSearch: {url:?} is not a URL")]
    BadUrl {
        url: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("OpenSearch: {ENV_CA}={}: not PEM certificates", path.display())]
    Certificates {
        path: PathBuf,
        #[source]
        source: reqwest::Error,
    },
    #[error("OpenSearch: cannot make an HTTP client")]
    Client(#[source] reqwest::Error),
    /// No node answered, for as long as a request may be tried again.
    #[error("OpenSearch: {url}: no answer (gave up after {attempts} attempts in {seconds:.0} s)")]
    Unreachable {
        url: String,
        attempts: u32,
        seconds: f64,
        #[source]
        source: reqwest::Error,
    },
    /// The cluster answered with an error (after the retries of those
    /// that may pass).
    #[error("OpenSearch: {what}: {reason}")]
    Refused { what: String, reason: String },
    /// The cluster's answer was not what newsidx reads.
    #[error("OpenSearch: an unexpected {what}")]
    Unexpected {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
}

impl ClusterError {
    /// A reply or document of this kind that did not parse.
    pub fn unexpected(what: &'static str) -> impl FnOnce(serde_json::Error) -> ClusterError {
        move |source| ClusterError::Unexpected { what, source }
    }
}

/// A [`ClusterError::Said`], as the library's error.
pub(crate) fn said(text: impl Into<String>) -> crate::Error {
    ClusterError::Said(text.into()).into()
}

impl From<ClusterError> for crate::Error {
    fn from(e: ClusterError) -> Self {
        crate::Error::Cluster(Box::new(e))
    }
}
