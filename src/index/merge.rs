//! Which segments an ingest merges: tantivy's log merge policy, less the
//! merges whose segments take more bytes than the ingest's memory budget.
//!
//! A merge reads its segments through memory maps, and every page it
//! reads counts as the process's resident memory until the merge ends. At
//! a million articles the log policy's top layer merged about 1 GB of
//! segments at once, and `newsidx index` with a 256 MB budget peaked at
//! 1.5 GB. Leaving those merges out bounds the peak; the price is more
//! segments in a large index (each about the budget's size), which a query
//! visits one by one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tantivy::index::SegmentMeta;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// The log merge policy without merges of more than `max_bytes` of segments.
#[derive(Debug)]
pub struct BoundedMerges {
    log: LogMergePolicy,
    dir: PathBuf,
    max_bytes: u64,
}

impl BoundedMerges {
    /// For the index in `dir`.
    pub fn new(dir: &Path, max_bytes: u64) -> Self {
        BoundedMerges {
            log: LogMergePolicy::default(),
            dir: dir.into(),
            max_bytes,
        }
    }
}

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let candidates = self.log.compute_merge_candidates(segments);
        if candidates.is_empty() {
            return candidates;
        }
        let sizes = segment_sizes(&self.dir);
        candidates
            .into_iter()
            .filter(|c| {
                let bytes: u64 =
                    c.0.iter()
                        .map(|id| sizes.get(&id.uuid_string()).copied().unwrap_or(0))
                        .sum();
                bytes <= self.max_bytes
            })
            .collect()
    }
}

/// Bytes on disk of each segment in `dir`, by segment id: a segment's
/// files are named `<id>.<component>`. Empty if the directory cannot be
/// read (then no merge is left out).
fn segment_sizes(dir: &Path) -> HashMap<String, u64> {
    let mut sizes = HashMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return sizes;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some((id, _)) = name.to_str().and_then(|n| n.split_once('.')) else {
            continue;
        };
        let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
        *sizes.entry(id.to_owned()).or_default() += len;
    }
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, STORED, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// An index of eight alike one-document segments: their number, their
    /// bytes, and the merges proposed for them under `max_bytes`.
    fn candidates(max_bytes: u64) -> (usize, u64, Vec<MergeCandidate>) {
        let dir = tempfile::tempdir().unwrap();
        let mut b = Schema::builder();
        let text = b.add_text_field("text", TEXT | STORED);
        let index = Index::create_in_dir(dir.path(), b.build()).unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for i in 0..8 {
            writer
                .add_document(doc!(text => format!("segment {i} {}", "words ".repeat(500))))
                .unwrap();
            writer.commit().unwrap();
        }
        let metas = index.searchable_segment_metas().unwrap();
        let total: u64 = segment_sizes(dir.path()).values().sum();
        let mut log = LogMergePolicy::default();
        log.set_min_layer_size(1);
        let policy = BoundedMerges {
            log,
            dir: dir.path().into(),
            max_bytes,
        };
        (metas.len(), total, policy.compute_merge_candidates(&metas))
    }

    #[test]
    fn merges_within_the_bound_are_kept_larger_ones_left_out() {
        let (segments, total, kept) = candidates(u64::MAX);
        assert_eq!(segments, 8);
        assert_eq!(kept.len(), 1, "the log policy merges the 8 alike segments");
        assert_eq!(kept[0].0.len(), 8);
        let (_, _, left) = candidates(total / 2);
        assert!(
            left.is_empty(),
            "a merge of {total} bytes is over the bound"
        );
    }
}
