//! `newsidx optimize`: all segments merged into one, on request. A large
//! index keeps many segments (ingest leaves out merges bigger than its
//! memory budget), and a query visits them one by one.

use std::time::Instant;

use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument};

use super::Opened;
use crate::Result;

/// What a merge did.
#[derive(Debug, Clone, Serialize)]
pub struct Optimized {
    pub segments_before: usize,
    pub segments_after: usize,
    pub bytes_before: u64,
    pub bytes_after: u64,
    pub seconds: f64,
}

/// Merges every segment of the index into one (deleted documents go),
/// then deletes the files no commit names.
pub fn optimize(opened: &Opened) -> Result<Optimized> {
    let started = Instant::now();
    let bytes_before = super::stats::size_on_disk(&opened.dir);
    let mut writer: IndexWriter<TantivyDocument> = opened
        .index
        .writer_with_num_threads(1, 15_000_000)
        .map_err(|e| super::ingest::lock_error(&opened.dir, e))?;
    super::recover::collect_garbage(&writer, &opened.dir)?;
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let ids = opened.index.searchable_segment_ids()?;
    let before = ids.len();
    if ids.len() > 1 {
        writer.merge(&ids).wait()?;
    }
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;
    let after = opened.index.searchable_segment_ids()?.len();
    Ok(Optimized {
        segments_before: before,
        segments_after: after,
        bytes_before,
        bytes_after: super::stats::size_on_disk(&opened.dir),
        seconds: started.elapsed().as_secs_f64(),
    })
}
