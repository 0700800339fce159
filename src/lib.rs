//! newsidx: full-text search for news archives.
//!
//! Articles are read and parsed ([`article`]), their quotes, speakers and
//! named entities extracted ([`extract`]), and stored in a tantivy index
//! ([`index`]) that [`search`] queries; [`render`] prints the results and
//! [`serve`] offers them over HTTP.

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
pub mod serve;

pub use article::{Article, Entity, EntityKind, Quote};
pub use error::{Error, Result};
