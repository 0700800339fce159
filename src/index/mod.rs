//! The tantivy index: schema, ingest.
//!
//! (in progress)
