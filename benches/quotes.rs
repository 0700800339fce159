//! Throughput of quote extraction (spans, attribution, name resolution)
//! in bytes per second on one core, over the BBC news corpus.
//!
//! `cargo bench --bench quotes`; skipped with a message when the corpus
//! at `../shared/corpora/bbc` (or `$NEWSIDX_BENCH_CORPUS`) is missing.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsidx::extract::quotes;
use std::path::PathBuf;

/// Every text file under the corpus directory, read once in setup.
fn corpus() -> Option<Vec<String>> {
    let dir = std::env::var_os("NEWSIDX_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/bbc"));
    if !dir.is_dir() {
        eprintln!("quotes bench skipped: no corpus at {}", dir.display());
        return None;
    }
    let texts: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt"))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    if texts.is_empty() {
        eprintln!(
            "quotes bench skipped: no .txt files under {}",
            dir.display()
        );
        return None;
    }
    Some(texts)
}

fn extraction(c: &mut Criterion) {
    let Some(texts) = corpus() else { return };
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("quotes");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("extract_bbc", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| quotes::extract(std::hint::black_box(t), &[]).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, extraction);
criterion_main!(benches);
