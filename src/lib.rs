//! newsidx: full-text search for news archives.
//!
//! Articles are read and parsed ([`article`]), their quotes, speakers and
//! named entities extracted ([`extract`]), and stored in a tantivy index
//! ([`index`]) that [`search`] queries; [`render`] prints the results and
//! [`serve`] offers them over HTTP. The `newsidx` binary is a thin layer
//! over these; `docs/design.md` describes how they fit together.
//!
//! Index a directory of articles, then find the articles that quote
//! someone:
//!
//! ```
//! use newsidx::index::{ingest, IngestOptions};
//! use newsidx::search::{SearchRequest, Searcher};
//!
//! # fn main() -> newsidx::Result<()> {
//! let work = tempfile::tempdir().unwrap();
//! let archive = work.path().join("archive");
//! std::fs::create_dir(&archive).unwrap();
//! std::fs::write(
//!     archive.join("harbour.txt"),
//!     "Harbour plan approved\n\n\
//!      The council approved the harbour plan on Monday. \
//!      “We have waited ten years for this,” said Mayor Dana Whitfield.\n",
//! )
//! .unwrap();
//!
//! // Parse, extract and index every article under `archive` (the index
//! // directory is created when it does not exist).
//! let index_dir = work.path().join("index");
//! let stats = ingest(&IngestOptions::new(&archive, &index_dir), None, &|| {})?;
//! assert_eq!(stats.added, 1);
//!
//! // Articles in which Whitfield is quoted that mention the harbour.
//! let searcher = Searcher::open_once(&index_dir)?;
//! let results = searcher.search(&SearchRequest {
//!     query: "harbour".into(),
//!     speakers: vec!["whitfield".into()],
//!     ..SearchRequest::default()
//! })?;
//! assert_eq!(results.total, 1);
//! let hit = &results.hits[0];
//! assert_eq!(hit.title, "Harbour plan approved");
//! assert_eq!(hit.speakers, ["Dana Whitfield"]);
//! # Ok(())
//! # }
//! ```

pub mod article;
pub mod backend;
pub mod discover;
pub mod error;
pub mod export;
pub mod extract;
pub mod guard;
pub mod index;
pub mod load;
pub mod render;
pub mod search;
pub mod select;
pub mod serve;

pub use article::{Article, Entity, EntityKind, Quote};
pub use error::{Error, Result};
