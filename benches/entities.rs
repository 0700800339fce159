//! Tagging throughput of the entity extractor, in bytes per second on one
//! core, over every file of the BBC corpus in `../shared/corpora/bbc`.
//!
//! `cargo bench --bench entities`; skipped with a message when the corpus is missing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsidx::extract::entities;

/// Where the corpus is; `NEWSIDX_BBC` overrides it.
fn corpus_dir() -> PathBuf {
    std::env::var_os("NEWSIDX_BBC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/bbc"))
}

/// Every text file under `dir`, read once before timing.
fn read_all(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_file() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                out.push(text);
            }
        }
    }
    out
}

fn tagging(c: &mut Criterion) {
    let dir = corpus_dir();
    let texts = read_all(&dir);
    if texts.is_empty() {
        eprintln!("entities bench skipped: no corpus at {}", dir.display());
        return;
    }
    // Loading the model is a one-off cost, not part of tagging.
    entities::extract("LONDON 2024-01-01\nWarm-up.");
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("entities");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("extract_bbc", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| entities::extract(t).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, tagging);
criterion_main!(benches);
