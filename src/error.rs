//! The library's error type and `Result` alias.
//!
//! The binary adds context with `anyhow`; the library says what went wrong.

use std::path::PathBuf;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("invalid query: {0}")]
    Query(String),
    #[error("invalid date {0:?}: expected YYYY-MM-DD")]
    Date(String),
    #[error("no index at {0}: run `newsidx index DIR` first")]
    NoIndex(PathBuf),
    #[error("{0} is not a newsidx index (or it is corrupted): {1}")]
    BadIndex(PathBuf, String),
    #[error("index is locked by another newsidx process: {0}")]
    Locked(PathBuf),
    #[error(
        "cannot write to the index at {0}: {1} (the index is not damaged: \
         index as a user who may write there, or into another directory with -i)"
    )]
    ReadOnly(PathBuf, std::io::ErrorKind),
    #[error("--memory {asked} MB: {why}")]
    Memory { asked: usize, why: String },
    #[error("no such directory: {0}")]
    NoDir(PathBuf),
    #[error(
        "articles indexed from several directories have the id {id:?}: {}; say which with its root",
        roots.join(", ")
    )]
    AmbiguousId { id: String, roots: Vec<String> },
}

/// `Result` with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
