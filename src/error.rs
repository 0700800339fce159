//! The library's error type and `Result` alias.
//!
//! The binary adds context with `anyhow`; the library says what went wrong.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use tantivy::directory::error::{LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
use tantivy::TantivyError;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Tantivy(TantivyError),
    /// tantivy writes a commit's files first and `meta.json` last, by an
    /// atomic rename, so a write that fails leaves the last commit whole;
    /// the next run deletes what this one wrote.
    #[error(
        "the index's disk is full: free some space and run again \
         (what was committed before is intact)"
    )]
    NoSpace(#[source] Arc<io::Error>),
    #[error("invalid query: {0}")]
    Query(String),
    #[error("the search took longer than its time budget and was stopped")]
    Timeout,
    #[error("{0} is outside the years the index can hold (1677 to 2262)")]
    DateRange(time::Date),
    #[error("no index at {0}: run `newsidx index DIR` first")]
    NoIndex(PathBuf),
    #[error("{0} is not a newsidx index: {1}")]
    BadIndex(PathBuf, String),
    /// tantivy could not read the index there.
    #[error("{path} is not a newsidx index, or it is corrupted")]
    Corrupt {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
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
        "no such directory: {root}, which is indexed ({articles} articles): `newsidx rm {root}` \
         removes them; if it moved, `newsidx index NEW --moved-from {root}` re-points them"
    )]
    RootGone { root: String, articles: u64 },
    #[error("{path} is not an indexed directory (`newsidx roots` lists them: {roots})")]
    NotARoot { path: String, roots: String },
    #[error(
        "{} holds no articles, but the index holds {indexed} files from it: nothing was \
         removed (is a disk unmounted?); run again with --allow-empty to remove them",
        root.display()
    )]
    EmptyRoot { root: PathBuf, indexed: usize },
    #[error(
        "articles indexed from several directories have the id {id:?}: {}; say which with its root",
        roots.join(", ")
    )]
    AmbiguousId { id: String, roots: Vec<String> },
    /// An OpenSearch cluster could not be reached, or refused a request
    /// (see [`crate::backend::opensearch`]).
    #[error("OpenSearch: {0}")]
    Cluster(String),
}

/// `Result` with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<TantivyError> for Error {
    /// A full disk is said as such, whichever of tantivy's errors wraps it.
    fn from(e: TantivyError) -> Self {
        match full_disk(&e) {
            Some(io) => Error::NoSpace(io),
            None => Error::Tantivy(e),
        }
    }
}

/// The I/O error under `e` if it says the disk (or the quota) is full.
pub(crate) fn full_disk(e: &TantivyError) -> Option<Arc<io::Error>> {
    io_error_under(e, is_full)
}

/// The I/O error under `e` if it says that the user may not do this.
pub(crate) fn denied(e: &TantivyError) -> Option<Arc<io::Error>> {
    io_error_under(e, |io| io.kind() == io::ErrorKind::PermissionDenied)
}

/// The I/O error under one of tantivy's errors, if it is of the kind
/// `wanted` looks for.
fn io_error_under(e: &TantivyError, wanted: fn(&io::Error) -> bool) -> Option<Arc<io::Error>> {
    let io = match e {
        TantivyError::IoError(io)
        | TantivyError::OpenWriteError(OpenWriteError::IoError { io_error: io, .. })
        | TantivyError::OpenReadError(OpenReadError::IoError { io_error: io, .. })
        | TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error: io, .. })
        | TantivyError::LockFailure(LockError::IoError(io), _) => io,
        // tantivy's field-norm and document-store writers pass an I/O
        // error on as text (store/plugin.rs, inverted_index_plugin.rs):
        // there it is known by the message the OS gives it.
        TantivyError::InternalError(text) => {
            return (1..256)
                .map(io::Error::from_raw_os_error)
                .find(|io| wanted(io) && text.contains(&io.to_string()))
                .map(Arc::new)
        }
        _ => return None,
    };
    wanted(io).then(|| Arc::clone(io))
}

fn is_full(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    )
}

/// An error and its sources, as one line ("a: b: c"), for where an error
/// is shown as text alone (the API's JSON).
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut line = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        line.push_str(": ");
        line.push_str(&s.to_string());
        source = s.source();
    }
    line
}
